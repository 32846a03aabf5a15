"""Correcting the enforcement record: a warning is withdrawn (EA06 for a letter, EA07 in person) and stops
counting towards breach; an outcome is amended with a reason and the original stays on record."""

from datetime import timedelta

import pytest
from django.utils import timezone

from contacts import selectors, services
from contacts.constants import AmendmentKind, EnforcementAction, Outcome
from contacts.models import Contact, ContactAmendment, EnforcementWarning
from core.errors import CaseworkError
from tests.casework.test_forms import date_fields, error_summary
from tests.contacts.test_contacts import when


def failure(north, north_case, action=EnforcementAction.EA02, days_ago=10, **extra):
    return services.contact_log(
        actor=north.officer,
        case=north_case.case,
        contact_type="COAP",
        starts_at=when(days_ago),
        outcome=Outcome.UAAB,
        enforcement_action=action,
        **extra,
    )


@pytest.fixture
def letter(north, north_case):
    contact = failure(north, north_case, warning_given_on=timezone.localdate() - timedelta(days=9))
    return EnforcementWarning.objects.get(failure=contact)


def withdraw(actor, warning, **overrides):
    values = dict(withdrawn_on=timezone.localdate(), reason="Hospital letter received: admitted on the day")
    return services.warning_withdraw(actor=actor, warning_id=warning.pk, **{**values, **overrides})


class TestWarningWithdrawal:
    def test_a_letter_is_withdrawn_with_ea06_and_no_longer_counts(self, north, north_case, letter):
        counted = [w.failure_id for w in selectors.warnings_given(north_case.case)]
        assert letter.failure_id in counted
        withdrawn = withdraw(north.officer, letter)
        assert withdrawn.withdrawal_action == EnforcementAction.EA06 and withdrawn.is_withdrawn
        assert letter.failure_id not in [w.failure_id for w in selectors.warnings_given(north_case.case)]
        event = north_case.case.events.get(summary__contains="withdrawn (EA06)")
        assert {"field": "Reason", "from": "", "to": "Hospital letter received: admitted on the day"} in event.changes

    def test_a_further_failure_after_withdrawal_may_be_warned_again(self, north, north_case, letter):
        with pytest.raises(CaseworkError, match="must be referred for breach"):
            failure(north, north_case, days_ago=2)
        withdraw(north.officer, letter)
        again = failure(north, north_case, days_ago=2)
        assert EnforcementWarning.objects.filter(failure=again, withdrawn_on__isnull=True).exists()

    def test_a_warning_in_person_is_withdrawn_with_ea07(self, north, north_case):
        contact = failure(north, north_case, action=EnforcementAction.WIP)
        warning = EnforcementWarning.objects.get(failure=contact)
        assert withdraw(north.officer, warning).withdrawal_action == EnforcementAction.EA07

    @pytest.mark.parametrize(
        "overrides, message",
        [
            ({"withdrawn_on": timezone.localdate() + timedelta(days=1)}, "today or in the past"),
            ({"withdrawn_on": timezone.localdate() - timedelta(days=30)}, "before it was given"),
            ({"reason": " "}, "Enter why the warning is withdrawn"),
        ],
    )
    def test_bad_input_is_refused_and_nothing_is_saved(self, north, letter, overrides, message):
        with pytest.raises(CaseworkError, match=message):
            withdraw(north.officer, letter, **overrides)
        assert not EnforcementWarning.objects.get(pk=letter.pk).is_withdrawn

    def test_withdrawn_twice_is_refused(self, north, letter):
        withdraw(north.officer, letter)
        with pytest.raises(CaseworkError, match="already withdrawn"):
            withdraw(north.officer, letter)

    def test_the_page_withdraws_it_from_the_contact(self, client_for, north, north_case, letter):
        client = client_for(north.officer)
        detail = client.get(f"/cases/{north_case.case.crn}/contacts/{letter.failure_id}/").content.decode()
        url = f"/cases/{north_case.case.crn}/warnings/{letter.pk}/withdraw/"
        assert url in detail
        page = client.get(url).content.decode()
        assert "Withdraw warning letter (EA06)" in page
        empty = client.post(url, date_fields("withdrawn_on", None))
        assert set(error_summary(empty)) == {
            "Enter the date the warning was withdrawn",
            "Enter why the warning is withdrawn",
        }
        response = client.post(
            url, {"reason": "Sent in error", **date_fields("withdrawn_on", timezone.localdate())}, follow=True
        )
        html = response.content.decode()
        assert "Warning withdrawn" in html and "Withdrawn" in html and "Sent in error" in html


class TestOutcomeAmendment:
    def test_an_outcome_is_amended_with_a_reason_and_the_original_kept(self, north, north_case):
        contact = services.contact_log(
            actor=north.officer, case=north_case.case, contact_type="COAP", starts_at=when(2), outcome=Outcome.ATTC
        )
        services.outcome_amend(
            actor=north.officer,
            contact_id=contact.pk,
            outcome=Outcome.AFTC,
            enforcement_action=EnforcementAction.NFA,
            reason="Left before the end: recorded wrongly",
        )
        contact.refresh_from_db()
        assert (contact.outcome, contact.enforcement_action) == (Outcome.AFTC, EnforcementAction.NFA)
        amendment = ContactAmendment.objects.get(contact=contact)
        assert amendment.kind == AmendmentKind.OUTCOME and amendment.reason.startswith("Left before")
        assert amendment.changes[0] == {
            "field": "Outcome",
            "from": "Attended – complied",
            "to": "Attended – failed to comply",
        }
        assert north_case.case.events.filter(summary__startswith="Outcome amended").exists()

    def test_a_failure_amended_to_acceptable_drops_its_enforcement(self, north, north_case):
        contact = failure(north, north_case, action=EnforcementAction.NFA)
        services.outcome_amend(actor=north.officer, contact_id=contact.pk, outcome=Outcome.AAME, reason="Sick note")
        contact.refresh_from_db()
        assert (contact.outcome, contact.enforcement_action) == (Outcome.AAME, "")
        assert ContactAmendment.objects.get(contact=contact).changes[1]["from"] == "No further action"

    def test_a_warned_failure_needs_the_warning_withdrawn_first(self, north, letter):
        with pytest.raises(CaseworkError, match="Withdraw the warning first"):
            services.outcome_amend(
                actor=north.officer, contact_id=letter.failure_id, outcome=Outcome.AAME, reason="Sick note"
            )
        withdraw(north.officer, letter)
        services.outcome_amend(actor=north.officer, contact_id=letter.failure_id, outcome=Outcome.AAME, reason="Sick")
        assert Contact.objects.get(pk=letter.failure_id).outcome == Outcome.AAME

    @pytest.mark.parametrize(
        "outcome, action, reason, message",
        [
            (Outcome.ATTC, "", "Wrong", "Select a different outcome"),
            (Outcome.AFTA, "", "Wrong", "Select the correct outcome"),
            (Outcome.AFTC, "", "Wrong", "Select the enforcement action"),
            (Outcome.AAME, EnforcementAction.NFA, "Wrong", "Leave this blank"),
            (Outcome.AAME, "", " ", "Enter the reason for the amendment"),
        ],
    )
    def test_bad_input_is_refused_and_nothing_is_saved(self, north, north_case, outcome, action, reason, message):
        contact = services.contact_log(
            actor=north.officer, case=north_case.case, contact_type="COAP", starts_at=when(2), outcome=Outcome.ATTC
        )
        with pytest.raises(CaseworkError, match=message):
            services.outcome_amend(
                actor=north.officer, contact_id=contact.pk, outcome=outcome, enforcement_action=action, reason=reason
            )
        assert Contact.objects.get(pk=contact.pk).outcome == Outcome.ATTC
        assert not ContactAmendment.objects.filter(contact=contact).exists()

    def test_pending_and_unrecorded_outcomes_are_not_amended_here(self, north, north_case):
        with pytest.raises(CaseworkError, match="Record the outcome instead"):
            services.outcome_amend(
                actor=north.officer, contact_id=north_case.contact.pk, outcome=Outcome.ATTC, reason="x"
            )
        pending = services.contact_log(
            actor=north.officer, case=north_case.case, contact_type="COAP", starts_at=when(2), outcome=Outcome.AFTA
        )
        with pytest.raises(CaseworkError, match="Decide the absence instead"):
            services.outcome_amend(actor=north.officer, contact_id=pending.pk, outcome=Outcome.ATTC, reason="x")

    def test_the_page_amends_it_and_shows_the_original(self, client_for, north, north_case):
        contact = services.contact_log(
            actor=north.officer, case=north_case.case, contact_type="COAP", starts_at=when(2), outcome=Outcome.ATTC
        )
        client = client_for(north.officer)
        base = f"/cases/{north_case.case.crn}/contacts/{contact.pk}/"
        assert f"{base}outcome/amend/" in client.get(base).content.decode()
        empty = client.post(f"{base}outcome/amend/", {})
        assert set(error_summary(empty)) == {"Select the correct outcome", "Enter the reason for the amendment"}
        response = client.post(
            f"{base}outcome/amend/", {"outcome": Outcome.AAHO, "reason": "Pre-agreed holiday"}, follow=True
        )
        html = response.content.decode()
        assert "Outcome amended" in html and "Attended – complied" in html and "Pre-agreed holiday" in html
