"""Dates on the contact plan, the breach and recall journeys and warning withdrawals must be plausible for the
record (issue 18 point 5): refused beside the field at fault, with nothing saved."""

from datetime import date, timedelta

import pytest

from casework.constants import OrderType
from contacts import enforcement
from contacts.constants import EnforcementAction, Outcome, RecallDecision
from contacts.models import BreachAction, ContactChangeRequest, ContactPlan, EnforcementWarning, Recall
from tests import factories
from tests.casework.test_forms import date_fields
from tests.contacts.test_breach_recall import failure
from tests.contacts.test_contacts import when
from tests.form_helpers import refused, today, words


def case_with(north, crn, **order):
    case = factories.ServiceUserFactory(team=north.team, responsible_officer=north.officer, crn=crn)
    return case, factories.OrderFactory(service_user=case, **order)


class TestContactPlan:
    def test_a_plan_cannot_start_before_the_first_order_started(self, client_for, north):
        case, order = case_with(north, "P000001")
        data = {"frequency_days": "14", **date_fields("starts_on", order.start_date - timedelta(days=1))}
        refused(
            client_for(north.officer),
            f"/cases/{case.crn}/contact-plan/set/",
            data,
            "starts_on",
            f"The date the plan starts must be on or after the day the first order started, {words(order.start_date)}",
            ContactPlan,
        )

    def test_a_plan_from_the_day_the_order_started_is_set(self, client_for, north):
        case, order = case_with(north, "P000002")
        data = {"frequency_days": "14", **date_fields("starts_on", order.start_date)}
        assert client_for(north.officer).post(f"/cases/{case.crn}/contact-plan/set/", data).status_code == 302
        assert case.contact_plans.get().starts_on == order.start_date

    def test_a_request_cannot_start_before_a_licence_starts_on_release(self, client_for, north):
        release = today() + timedelta(days=20)
        case, _ = case_with(
            north,
            "P000003",
            order_type=OrderType.LICENCE,
            sentence_date=today() - timedelta(days=700),
            start_date=release,
            expected_end_date=release + timedelta(days=365),
        )
        data = {"frequency_days": "7", "reason": "Weekly after release", **date_fields("starts_on", today())}
        refused(
            client_for(north.officer),
            f"/cases/{case.crn}/contact-plan/request/",
            data,
            "starts_on",
            f"The date the plan starts must be on or after the day the first order started, {words(release)}",
            ContactChangeRequest,
        )


class TestBreach:
    def test_a_referral_before_the_order_started_is_refused(self, client_for, north):
        started = today() - timedelta(days=10)
        case, order = case_with(north, "B000011", sentence_date=started)
        # Linked to the order by hand, though dated before it started (the order was entered late).
        missed = factories.ContactFactory(
            service_user=case, order=order, officer=north.officer, starts_at=when(20), outcome=Outcome.UAAB
        )
        data = {**date_fields("referred_on", today() - timedelta(days=15)), "reason": "Serious failure"}
        refused(
            client_for(north.officer),
            f"/cases/{case.crn}/contacts/{missed.pk}/breach/",
            data,
            "referred_on",
            f"The date referred for breach must be on or after the day the order started, {words(started)}",
            BreachAction,
        )

    def test_a_report_submitted_in_1999_is_refused(self, client_for, north):
        case, _ = case_with(north, "B000012")
        breach = enforcement.breach_refer(
            actor=north.officer, contact=failure(north.officer, case), referred_on=today(), reason="Again"
        )
        response = client_for(north.officer).post(
            f"/cases/{case.crn}/enforcement/breaches/{breach.pk}/report/",
            date_fields("submitted_on", date(1999, 12, 31)),
        )
        assert response.status_code == 200
        assert response.context["form"].errors["submitted_on"] == [
            "The date the breach report was submitted must be on or after 1 January 2000. Check the year"
        ]
        breach.refresh_from_db()
        assert breach.report_submitted_on is None

    def test_a_result_before_the_hearing_is_refused_beside_the_date(self, client_for, north):
        case, _ = case_with(north, "B000013")
        breach = enforcement.breach_refer(
            actor=north.officer, contact=failure(north.officer, case), referred_on=today(), reason="Again"
        )
        enforcement.breach_report_submit(actor=north.officer, breach=breach, submitted_on=today())
        enforcement.breach_hearing_set(actor=north.officer, breach=breach, hearing_on=today(), court="Westshire MC")
        response = client_for(north.officer).post(
            f"/cases/{case.crn}/enforcement/breaches/{breach.pk}/result/",
            {"result": "continued", **date_fields("result_on", today() - timedelta(days=1))},
        )
        assert response.status_code == 200
        assert response.context["form"].errors["result_on"] == [
            f"The result cannot be before the hearing, on {words(today())}"
        ]
        breach.refresh_from_db()
        assert breach.result == ""


class TestRecall:
    @pytest.fixture
    def countersigned(self, north):
        case, _ = case_with(north, "L000011", order_type=OrderType.LICENCE)
        recall = enforcement.recall_recommend(
            actor=north.officer,
            contact=failure(north.officer, case, action=EnforcementAction.EA11),
            reasons="Left the approved address",
        )
        enforcement.recall_countersign(actor=north.manager, recall=recall, comments="Agreed")
        return recall

    @pytest.mark.parametrize(
        "decided_on, message",
        [
            (date(1900, 1, 1), "The date of the decision must be on or after 1 January 2000. Check the year"),
            (None, "The decision cannot be before the recommendation, on {recommended}"),
        ],
    )
    def test_a_decision_before_the_recommendation_is_refused(
        self, client_for, north, countersigned, decided_on, message
    ):
        recommended = countersigned.recommended_on
        decided_on = decided_on or recommended - timedelta(days=1)
        response = client_for(north.officer).post(
            f"/cases/{countersigned.service_user.crn}/enforcement/recalls/{countersigned.pk}/decision/",
            {"decision": RecallDecision.RECALLED, **date_fields("decided_on", decided_on)},
        )
        assert response.status_code == 200
        assert response.context["form"].errors["decided_on"] == [message.format(recommended=words(recommended))]
        assert Recall.objects.get(pk=countersigned.pk).decision == ""


class TestWarningWithdrawal:
    @pytest.mark.parametrize(
        "withdrawn_on, message",
        [
            (date(1900, 1, 1), "The date the warning was withdrawn must be on or after 1 January 2000. Check the year"),
            (None, "A warning cannot be withdrawn before it was given ({given})"),
        ],
    )
    def test_implausible_dates_are_refused(self, client_for, north, north_case, withdrawn_on, message):
        warning = north_case.warning
        withdrawn_on = withdrawn_on or warning.given_on - timedelta(days=1)
        response = client_for(north.officer).post(
            f"/cases/{north_case.case.crn}/warnings/{warning.pk}/withdraw/",
            {"reason": "Sick note arrived", **date_fields("withdrawn_on", withdrawn_on)},
        )
        assert response.status_code == 200
        assert response.context["form"].errors["withdrawn_on"] == [message.format(given=words(warning.given_on))]
        assert EnforcementWarning.objects.get(pk=warning.pk).withdrawn_on is None
