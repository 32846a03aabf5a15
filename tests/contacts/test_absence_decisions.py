"""Every absence gets a decision: a failure to attend stays pending until judged, with the evidence asked for;
the original record stays; a decided absence is not decided again."""

from datetime import date, timedelta

import pytest

from contacts import rules, services
from contacts.constants import AmendmentKind, EnforcementAction, Outcome
from contacts.models import ContactAmendment, EnforcementWarning
from core.errors import CaseworkError
from tests.casework.test_forms import error_summary
from tests.contacts.test_contacts import when


@pytest.fixture
def absence(north, north_case):
    return services.contact_log(
        actor=north.officer, case=north_case.case, contact_type="COAP", starts_at=when(3), outcome=Outcome.AFTA
    )


def url(case, contact):
    return f"/cases/{case.crn}/contacts/{contact.pk}/absence/"


class TestRule:
    def test_decision_due_within_local_deadline_then_overdue(self):
        assert rules.absence_decision_due(date(2026, 11, 1)) == date(2026, 11, 8)
        assert rules.absence_decision_status(date(2026, 11, 1), date(2026, 11, 8)).status == "due"
        late = rules.absence_decision_status(date(2026, 11, 1), date(2026, 11, 10))
        assert late.is_overdue and late.days_overdue == 2


class TestService:
    def test_acceptable_with_evidence_keeps_the_original(self, north, absence):
        decided = services.absence_decide(
            actor=north.officer,
            contact=absence,
            acceptable=True,
            outcome=Outcome.AAME,
            evidence="Sick note seen, dated the day before",
            reason="Ill on the day",
        )
        assert decided.outcome == Outcome.AAME and decided.enforcement_action == ""
        amendment = ContactAmendment.objects.get(contact=absence)
        assert amendment.kind == AmendmentKind.DECISION and amendment.evidence.startswith("Sick note")
        assert amendment.changes[0] == {
            "field": "Outcome",
            "from": "Failed to attend (decision pending)",
            "to": "Acceptable absence – medical",
        }
        assert absence.service_user.events.filter(summary__startswith="Absence judged acceptable").exists()

    def test_acceptable_needs_evidence(self, north, absence):
        with pytest.raises(CaseworkError, match="Enter the evidence") as error:
            services.absence_decide(
                actor=north.officer, contact=absence, acceptable=True, outcome=Outcome.AAME, reason="Ill"
            )
        assert "evidence" in error.value.errors

    def test_unacceptable_needs_an_enforcement_action_and_records_the_warning(self, north, absence):
        with pytest.raises(CaseworkError, match="Select the enforcement action"):
            services.absence_decide(actor=north.officer, contact=absence, acceptable=False, reason="No reason given")
        decided = services.absence_decide(
            actor=north.officer,
            contact=absence,
            acceptable=False,
            reason="No reason given",
            enforcement_action=EnforcementAction.EA02,
        )
        assert decided.outcome == Outcome.UAAB
        assert EnforcementWarning.objects.filter(withdrawn_on=None).get().failure == absence

    def test_a_decided_absence_is_refused(self, north, absence):
        services.absence_decide(
            actor=north.officer, contact=absence, acceptable=False, reason="None", enforcement_action="NFA"
        )
        with pytest.raises(services.AlreadyJudged, match="already been decided"):
            services.absence_decide(
                actor=north.manager, contact=absence, acceptable=True, outcome=Outcome.AAME, evidence="x", reason="y"
            )
        assert ContactAmendment.objects.filter(contact=absence).count() == 1

    def test_an_attended_contact_is_not_an_absence_to_decide(self, north, north_case):
        with pytest.raises(services.AlreadyJudged):
            services.absence_decide(
                actor=north.officer, contact=north_case.contact, acceptable=False, reason="x", enforcement_action="NFA"
            )


class TestPage:
    def test_decide_on_the_page(self, client_for, north, north_case, absence):
        client = client_for(north.officer)
        page = client.get(url(north_case.case, absence)).content.decode()
        assert "Was the absence acceptable?" in page and "Failures on this order" in page
        response = client.post(url(north_case.case, absence), {"acceptable": "yes", "outcome": "", "reason": "Ill"})
        errors = error_summary(response)
        assert "Select why the absence was acceptable" in errors
        assert "Enter the evidence for the absence, for example a sick note" in errors
        response = client.post(
            url(north_case.case, absence),
            {"acceptable": "yes", "outcome": Outcome.AAME, "evidence": "Sick note", "reason": "Ill"},
        )
        assert response.status_code == 302
        page = client.get(response.url).content.decode()
        assert "Acceptable absence – medical" in page and "Sick note" in page

    def test_decided_absence_page_says_there_is_nothing_to_decide(self, client_for, north, north_case):
        client = client_for(north.officer)
        response = client.get(url(north_case.case, north_case.contact))
        assert response.status_code == 200 and "There is no absence to decide" in response.content.decode()
        response = client.post(url(north_case.case, north_case.contact), {"acceptable": "no"})
        assert response.status_code == 302

    def test_pending_absence_listed_in_outcomes_to_log(self, client_for, north, north_case, absence):
        page = client_for(north.officer).get("/outcomes-to-log/").content.decode()
        assert url(north_case.case, absence) in page and "Decide the absence" in page


def test_overdue_decisions_escalate_to_the_line_manager(north, north_case):
    from casework.constants import NotificationKind
    from casework.models import Notification
    from contacts import sweeps

    late = services.contact_log(
        actor=north.officer, case=north_case.case, contact_type="COAP", starts_at=when(10), outcome=Outcome.AFTA
    )
    services.contact_log(
        actor=north.officer, case=north_case.case, contact_type="COAP", starts_at=when(2), outcome=Outcome.AFTA
    )
    today = late.starts_at.date() + timedelta(days=10)
    assert sweeps.escalate_absence_decisions(today) == 2  # the line manager and the officer, for the late one
    notes = Notification.objects.filter(kind=NotificationKind.ABSENCE_DECISION_OVERDUE)
    assert {n.recipient for n in notes} == {north.manager, north.officer} and all(n.escalation for n in notes)
    assert all(f"/contacts/{late.pk}/absence/" in n.url for n in notes)
    sweeps.escalate_absence_decisions(today)  # a second run tells nobody again
    assert Notification.objects.filter(kind=NotificationKind.ABSENCE_DECISION_OVERDUE).count() == 2


def test_pending_absence_in_whats_due(client_for, north, north_case, absence):
    html = client_for(north.officer).get("/due/").content.decode()
    assert "Absences to decide (within 7 days: local policy) (1)" in html
    assert url(north_case.case, absence) in html
    services.absence_decide(
        actor=north.officer, contact=absence, acceptable=False, reason="None", enforcement_action="NFA"
    )
    html = client_for(north.officer).get("/due/").content.decode()
    assert "Absences to decide (within 7 days: local policy) (0)" in html
