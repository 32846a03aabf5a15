"""Breach and recall as journeys: referral -> report -> hearing (in "What's due") -> result for an order; recall
recommendation -> line manager countersignature -> decision for a licence. Each step on the timeline; bad input
refused in the officer's words."""

from datetime import timedelta

import pytest
from django.utils import timezone

from casework.constants import OrderStatus, OrderType
from contacts import enforcement, services
from contacts.constants import BreachResult, EnforcementAction, Outcome, RecallDecision
from contacts.models import BreachAction, Recall
from core.errors import CaseworkError
from risk.whats_due import whats_due
from tests import factories
from tests.casework.test_forms import date_fields, error_summary
from tests.contacts.test_contacts import when


def today():
    return timezone.localdate()


@pytest.fixture
def order_case(north):
    case = factories.ServiceUserFactory(team=north.team, responsible_officer=north.officer, crn="B000001")
    factories.OrderFactory(service_user=case, order_type=OrderType.COMMUNITY_ORDER)
    return case


@pytest.fixture
def licence_case(north):
    case = factories.ServiceUserFactory(team=north.team, responsible_officer=north.officer, crn="L000001")
    factories.OrderFactory(service_user=case, order_type=OrderType.LICENCE)
    return case


def failure(officer, case, days_ago=5, action=EnforcementAction.BRE):
    return services.contact_log(
        actor=officer,
        case=case,
        contact_type="COAP",
        starts_at=when(days_ago),
        outcome=Outcome.UAAB,
        enforcement_action=action,
    )


def listed_breach(officer, case, hearing_in=7):
    breach = enforcement.breach_refer(
        actor=officer, contact=failure(officer, case), referred_on=today() - timedelta(days=4), reason="Again"
    )
    enforcement.breach_report_submit(actor=officer, breach=breach, submitted_on=today() - timedelta(days=2))
    return enforcement.breach_hearing_set(
        actor=officer, breach=breach, hearing_on=today() + timedelta(days=hearing_in), court="Westshire MC"
    )


def summaries(case):
    return list(case.events.order_by("id").values_list("summary", flat=True))


class TestBreachJourney:
    def test_each_step_is_on_the_timeline_and_the_hearing_is_in_whats_due(self, north, order_case):
        breach = listed_breach(north.officer, order_case)
        assert breach.stage_label == "Court hearing listed"
        assert breach.report_submitted_by == north.officer
        events = summaries(order_case)
        assert any(s.startswith("Referred for breach of the community order") for s in events)
        assert any(s.startswith("Breach report submitted on") for s in events)
        assert any(s.startswith("Breach hearing listed for") and "Westshire MC" in s for s in events)
        (item,) = whats_due(north.officer)["hearings"]
        assert (item.what, item.when, item.tag) == (
            "Breach hearing at Westshire MC",
            breach.hearing_on,
            "Hearing listed",
        )

    def test_result_recorded_leaves_whats_due_and_revoked_ends_the_order(self, north, order_case):
        breach = listed_breach(north.officer, order_case, hearing_in=0)
        enforcement.breach_result_record(
            actor=north.officer, breach=breach, result=BreachResult.REVOKED, result_on=today(), notes="12 weeks custody"
        )
        breach.order.refresh_from_db()
        assert breach.order.status == OrderStatus.REVOKED
        assert any(s.startswith("Breach result on") and "revoked and resentenced" in s for s in summaries(order_case))
        assert whats_due(north.officer)["hearings"] == []

    def test_order_continued_leaves_the_order_active(self, north, order_case):
        breach = listed_breach(north.officer, order_case, hearing_in=0)
        enforcement.breach_result_record(
            actor=north.officer, breach=breach, result=BreachResult.CONTINUED, result_on=today()
        )
        breach.order.refresh_from_db()
        assert breach.order.status == OrderStatus.ACTIVE

    def test_a_licence_is_never_breached_at_court(self, north, licence_case):
        missed = failure(north.officer, licence_case, action=EnforcementAction.EA11)
        with pytest.raises(CaseworkError, match="Recommend a recall"):
            enforcement.breach_refer(actor=north.officer, contact=missed, referred_on=today(), reason="Again")

    def test_hearing_date_in_the_past_is_refused(self, north, order_case):
        breach = enforcement.breach_refer(
            actor=north.officer, contact=failure(north.officer, order_case), referred_on=today(), reason="Again"
        )
        enforcement.breach_report_submit(actor=north.officer, breach=breach, submitted_on=today())
        with pytest.raises(CaseworkError, match="today or in the future") as error:
            enforcement.breach_hearing_set(
                actor=north.officer, breach=breach, hearing_on=today() - timedelta(days=1), court="Westshire MC"
            )
        assert "hearing_on" in error.value.errors

    def test_result_before_the_hearing_is_refused(self, north, order_case):
        breach = listed_breach(north.officer, order_case, hearing_in=0)
        with pytest.raises(CaseworkError, match="before the hearing"):
            enforcement.breach_result_record(
                actor=north.officer,
                breach=breach,
                result=BreachResult.FINE,
                result_on=today() - timedelta(days=1),
            )

    def test_a_second_open_breach_on_the_same_order_is_refused(self, north, order_case):
        listed_breach(north.officer, order_case)
        with pytest.raises(CaseworkError, match="already has a breach"):
            enforcement.breach_refer(
                actor=north.officer, contact=failure(north.officer, order_case, 2), referred_on=today(), reason="More"
            )
        assert BreachAction.objects.filter(order__service_user=order_case).count() == 1

    def test_only_an_unacceptable_failure_is_referred(self, north, order_case):
        attended = services.contact_log(
            actor=north.officer, case=order_case, contact_type="COAP", starts_at=when(2), outcome=Outcome.ATTC
        )
        with pytest.raises(CaseworkError, match="judged unacceptable"):
            enforcement.breach_refer(actor=north.officer, contact=attended, referred_on=today(), reason="No")


class TestRecallJourney:
    def test_recommend_countersign_decide_each_on_the_timeline(self, north, licence_case):
        recall = enforcement.recall_recommend(
            actor=north.officer,
            contact=failure(north.officer, licence_case, action=EnforcementAction.EA11),
            reasons="Left the approved address",
        )
        assert recall.stage_label == "Waiting for countersignature"
        assert north.manager.notifications.filter(message__contains="countersignature").exists()
        enforcement.recall_countersign(actor=north.manager, recall=recall, comments="Agreed")
        enforcement.recall_decide(
            actor=north.officer, recall=recall, decision=RecallDecision.RECALLED, decided_on=today()
        )
        recall.refresh_from_db()
        assert (recall.countersigned_by, recall.decision) == (north.manager, RecallDecision.RECALLED)
        events = summaries(licence_case)
        assert any(s.startswith("Recall recommended for") for s in events)
        assert "Recall recommendation countersigned" in events
        assert any(s.startswith("Recall decision on") and "Recalled to custody" in s for s in events)

    def test_recall_is_for_licences_only(self, north, order_case):
        with pytest.raises(CaseworkError, match="Recall is for licences only"):
            enforcement.recall_recommend(actor=north.officer, contact=failure(north.officer, order_case), reasons="X")

    def test_the_officer_cannot_countersign_their_own_and_nobody_twice(self, north, licence_case):
        recall = enforcement.recall_recommend(
            actor=north.manager,
            contact=failure(north.officer, licence_case, action=EnforcementAction.EA11),
            reasons="Risk rising",
        )
        with pytest.raises(CaseworkError, match="your own"):
            enforcement.recall_countersign(actor=north.manager, recall=recall)
        other = factories.UserFactory(role="line_manager", grade="", managed_teams=[north.team])
        enforcement.recall_countersign(actor=other, recall=recall)
        with pytest.raises(CaseworkError, match="already been countersigned"):
            enforcement.recall_countersign(actor=other, recall=recall)

    def test_decision_waits_for_the_countersignature(self, north, licence_case):
        recall = enforcement.recall_recommend(
            actor=north.officer,
            contact=failure(north.officer, licence_case, action=EnforcementAction.EA11),
            reasons="Risk rising",
        )
        with pytest.raises(CaseworkError, match="countersigned by a line manager"):
            enforcement.recall_decide(
                actor=north.officer, recall=recall, decision=RecallDecision.NOT_RECALLED, decided_on=today()
            )


class TestPages:
    def test_officer_refers_for_breach_and_sees_the_counts_on_the_page(self, client_for, north, order_case):
        missed = failure(north.officer, order_case)
        client = client_for(north.officer)
        page = client.get(f"/cases/{order_case.crn}/contacts/{missed.pk}/breach/").content.decode()
        assert "Failures on this order" in page and "Unacceptable failures" in page
        response = client.post(
            f"/cases/{order_case.crn}/contacts/{missed.pk}/breach/",
            {**date_fields("referred_on", today()), "reason": "Second failure in a month"},
        )
        breach = BreachAction.objects.get(failure=missed)
        assert response.status_code == 302 and response["Location"].endswith(f"/breaches/{breach.pk}/")
        detail = client.get(response["Location"]).content.decode()
        assert "Referred for breach" in detail and "Second failure in a month" in detail

    def test_past_hearing_date_shows_the_error_beside_the_field(self, client_for, north, order_case):
        breach = enforcement.breach_refer(
            actor=north.officer, contact=failure(north.officer, order_case), referred_on=today(), reason="Again"
        )
        enforcement.breach_report_submit(actor=north.officer, breach=breach, submitted_on=today())
        response = client_for(north.officer).post(
            f"/cases/{order_case.crn}/enforcement/breaches/{breach.pk}/hearing/",
            {**date_fields("hearing_on", today() - timedelta(days=3)), "court": "Westshire MC"},
        )
        assert response.status_code == 200
        assert error_summary(response) == ["The hearing date must be today or in the future"]

    def test_a_licence_failure_offers_recall_never_breach(self, client_for, north, licence_case):
        missed = failure(north.officer, licence_case, action=EnforcementAction.EA11)
        client = client_for(north.officer)
        detail = client.get(f"/cases/{licence_case.crn}/contacts/{missed.pk}/").content.decode()
        assert "Recommend recall" in detail and "Refer for breach" not in detail
        refused = client.get(f"/cases/{licence_case.crn}/contacts/{missed.pk}/breach/").content.decode()
        assert "A licence is not breached at court" in refused
        response = client.post(f"/cases/{licence_case.crn}/contacts/{missed.pk}/breach/", {"reason": "x"})
        assert response.status_code == 302 and not BreachAction.objects.exists()

    def test_only_a_team_manager_who_did_not_recommend_may_countersign(self, client_for, north, south, licence_case):
        recall = enforcement.recall_recommend(
            actor=north.officer,
            contact=failure(north.officer, licence_case, action=EnforcementAction.EA11),
            reasons="Risk rising",
        )
        url = f"/cases/{licence_case.crn}/enforcement/recalls/{recall.pk}/countersign/"
        assert client_for(north.officer).get(url).status_code == 403
        response = client_for(north.manager).post(url, {"comments": "Agreed"})
        assert response.status_code == 302
        recall.refresh_from_db()
        assert recall.countersigned_by == north.manager
        # Twice: the page says so and nothing changes.
        again = client_for(north.manager).post(url, {"comments": "Again"})
        assert again.status_code == 302
        recall.refresh_from_db()
        assert recall.countersign_comments == "Agreed"
        assert Recall.objects.count() == 1
