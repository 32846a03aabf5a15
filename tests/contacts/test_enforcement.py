"""Warnings belong to an order and run from the date they were given (Sentencing Act 2020 Sch 10 para 6,
Sch 16 para 6); a licence goes towards recall, never the court-breach prompt."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from casework.constants import OrderType
from contacts import selectors, services
from contacts.constants import EnforcementAction, Outcome, WarningKind, enforcement_label
from contacts.models import EnforcementWarning
from core.errors import CaseworkError
from tests import factories
from tests.contacts.test_contacts import when


def fail(staff, case, days_ago, action, **kwargs):
    return services.contact_log(
        actor=staff.officer,
        case=case,
        contact_type="COAP",
        starts_at=when(days_ago),
        national_standard=True,
        outcome=Outcome.UAAB,
        enforcement_action=action,
        **kwargs,
    )


class TestWarningRecord:
    def test_a_warning_records_its_order_failure_and_date_given(self, north, north_case):
        given = timezone.localdate() - timedelta(days=5)
        contact = fail(north, north_case.case, 10, EnforcementAction.EA02, warning_given_on=given)
        warning = EnforcementWarning.objects.filter(withdrawn_on=None).get()
        assert (warning.order, warning.failure, warning.given_on) == (north_case.order, contact, given)
        assert warning.kind == WarningKind.LETTER and contact.order == north_case.order
        assert north_case.case.events.filter(summary__startswith="Warning letter given on").exists()

    def test_the_warning_date_defaults_to_today(self, north, north_case):
        fail(north, north_case.case, 10, EnforcementAction.WIP)
        warning = EnforcementWarning.objects.filter(withdrawn_on=None).get()
        assert warning.given_on == timezone.localdate() and warning.kind == WarningKind.IN_PERSON

    def test_a_warning_before_its_failure_is_refused(self, north, north_case):
        with pytest.raises(CaseworkError, match="cannot be given before the failure"):
            fail(
                north,
                north_case.case,
                10,
                EnforcementAction.EA02,
                warning_given_on=timezone.localdate() - timedelta(days=11),
            )
        assert not EnforcementWarning.objects.exists()

    def test_a_second_warning_on_the_same_order_is_refused(self, north, north_case):
        fail(
            north,
            north_case.case,
            20,
            EnforcementAction.EA02,
            warning_given_on=timezone.localdate() - timedelta(days=19),
        )
        with pytest.raises(CaseworkError, match="must be referred for breach") as error:
            fail(north, north_case.case, 5, EnforcementAction.EA03)
        assert "enforcement_action" in error.value.errors
        fail(north, north_case.case, 5, EnforcementAction.BRE)  # breach is accepted

    def test_a_failure_before_the_warning_was_given_is_not_a_further_failure(self, north, north_case):
        fail(north, north_case.case, 20, EnforcementAction.EA02)  # the letter went today
        fail(north, north_case.case, 5, EnforcementAction.EA03)

    def test_a_warning_on_another_order_does_not_count(self, north, north_case):
        case = north_case.case
        # The first order ended before the second started: a failure on each, a warning on each.
        north_case.order.start_date = timezone.localdate() - timedelta(days=300)
        north_case.order.expected_end_date = timezone.localdate() - timedelta(days=50)
        north_case.order.save()
        second = factories.OrderFactory(
            service_user=case,
            order_type=OrderType.SUSPENDED_SENTENCE,
            sentence_date=timezone.localdate() - timedelta(days=40),
        )
        fail(north, case, 100, EnforcementAction.EA02, warning_given_on=timezone.localdate() - timedelta(days=99))
        contact = fail(north, case, 10, EnforcementAction.EA02)
        assert contact.order == second
        assert EnforcementWarning.objects.count() == 2

    def test_a_warning_for_a_licence_is_refused(self, north):
        case = factories.ServiceUserFactory(team=north.team, responsible_officer=north.officer)
        factories.OrderFactory(service_user=case, order_type=OrderType.LICENCE)
        with pytest.raises(CaseworkError, match="A licence is not enforced by warnings"):
            fail(north, case, 5, EnforcementAction.EA02)
        with pytest.raises(CaseworkError, match="A licence is not enforced by warnings"):
            fail(north, case, 5, EnforcementAction.BRE)
        assert fail(north, case, 5, EnforcementAction.EA11).enforcement_action == EnforcementAction.EA11

    def test_recall_is_for_licences_only(self, north, north_case):
        with pytest.raises(CaseworkError, match="for licences only"):
            fail(north, north_case.case, 5, EnforcementAction.EA11)

    def test_failure_to_attend_is_decision_pending(self, north, north_case):
        contact = services.contact_log(
            actor=north.officer, case=north_case.case, contact_type="COAP", starts_at=when(2), outcome=Outcome.AFTA
        )
        assert contact.enforcement_action == EnforcementAction.EA12


class TestWarningsGiven:
    def test_legacy_warning_codes_count_from_the_failure_on_its_order(self, north, north_case):
        contact = factories.ContactFactory(
            service_user=north_case.case, officer=north.officer, starts_at=when(30), enforcement_action="EA02"
        )
        (warning,) = selectors.warnings_given(north_case.case)
        assert (warning.order_id, warning.given_on, warning.failure_id) == (
            north_case.order.pk,
            timezone.localdate() - timedelta(days=30),
            contact.pk,
        )


class TestPages:
    def test_licence_outcome_page_has_no_breach_prompt_and_offers_recall(self, client_for, north):
        case = factories.ServiceUserFactory(team=north.team, responsible_officer=north.officer, crn="L000001")
        factories.OrderFactory(service_user=case, order_type=OrderType.LICENCE)
        fail(north, case, 30, EnforcementAction.LCL)
        contact = factories.ContactFactory(service_user=case, officer=north.officer, arranged=True)
        client = client_for(north.officer)
        page = client.get(f"/cases/{case.crn}/contacts/{contact.pk}/outcome/").content.decode()
        assert "must be referred for breach" not in page
        assert "Recall requested" in page and "First warning letter sent" not in page
        response = client.post(
            f"/cases/{case.crn}/contacts/{contact.pk}/outcome/",
            {"outcome": Outcome.UAAB, "enforcement_action": EnforcementAction.EA11},
        )
        assert response.status_code == 302

    def test_warning_date_on_the_outcome_page(self, client_for, north, north_case):
        url = f"/cases/{north_case.case.crn}/contacts/{north_case.contact.pk}/outcome/"
        client = client_for(north.officer)
        data = {"outcome": Outcome.UAAB, "enforcement_action": EnforcementAction.EA02}
        future = timezone.localdate() + timedelta(days=3)
        data.update(
            {"warning_given_on_0": future.day, "warning_given_on_1": future.month, "warning_given_on_2": future.year}
        )
        assert "must be today or in the past" in client.post(url, data).content.decode()
        today = timezone.localdate()
        data.update(
            {"warning_given_on_0": today.day, "warning_given_on_1": today.month, "warning_given_on_2": today.year}
        )
        assert client.post(url, data).status_code == 302
        assert EnforcementWarning.objects.filter(withdrawn_on=None).get().given_on == today


def test_local_codes_are_labelled():
    assert enforcement_label(EnforcementAction.WIP).endswith("(local)")
    assert enforcement_label(EnforcementAction.ROM) == "Refer to Offender Manager"
    assert enforcement_label(EnforcementAction.EA12) == "Decision pending response from person on probation"


def test_period_rule_matches_a_real_leap_year():
    from contacts.rules import period_end

    assert period_end(date(2028, 2, 29)) == date(2029, 2, 28)
