"""Allocating through the pages: protocol admin, explained allocation, overrides, races and access."""

import threading
import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from allocation import services
from allocation.demo import PROTOCOL
from allocation.models import AllocationDecision, AllocationRule, OfficerProfile
from casework.constants import Grade, NotificationKind
from casework.models import Notification
from contacts.constants import RequestStatus
from contacts.models import ContactChangeRequest
from contacts.services import contact_change_decide, contact_change_request
from core.errors import CaseworkError
from risk.constants import ScheduleSource
from risk.models import EnquirySchedule
from tests import factories
from tests.casework.test_forms import error_summary


@pytest.fixture
def protocol(db):
    for position, rule in enumerate(PROTOCOL, start=1):
        AllocationRule.objects.create(position=position * 10, lineage=uuid.uuid4(), **rule)


@pytest.fixture
def officers(north):
    """An experienced PSO (the suggestion), a junior PSO, a busier experienced PSO and a UPW supervisor."""

    def officer(name, grade, years, hours="37.0"):
        user = factories.UserFactory(username=name, last_name=name.title(), grade=grade, teams=[north.team])
        OfficerProfile.objects.create(user=user, experience_years=years, contracted_hours=hours)
        return user

    team = {
        "jo": officer("jo", Grade.PSO, 6),
        "new": officer("new", Grade.PSO, 1),
        "busy": officer("busy", Grade.PSO, 8, hours="5.0"),
        "upw": officer("upw", Grade.UPW, 10),
    }
    for _ in range(3):
        factories.OrderFactory(service_user__team=north.team, service_user__responsible_officer=team["busy"])
    return team


@pytest.fixture
def new_case(north):
    """A new case like Michelle's: community order, 80 hours unpaid work, domestic common assault, RO."""
    case = factories.ServiceUserFactory(team=north.team, responsible_officer=None, crn="D320002")
    order = factories.OrderFactory(service_user=case)
    factories.RequirementFactory(order=order, requirement_type="UPW", unpaid_work_hours=80)
    factories.OffenceFactory(order=order, domestic_abuse=True)
    factories.RestrainingOrderFactory(service_user=case).protected_people.add(
        factories.ProtectedPersonFactory(service_user=case)
    )
    factories.RiskAssessmentFactory(service_user=case, rosh_level="low")  # screened at court, as in the example
    return case


def allocate_url(case):
    return f"/cases/{case.crn}/allocate/"


def test_manager_sees_matched_rule_and_suggested_pso(client_for, north, protocol, officers, new_case):
    response = client_for(north.manager).get(allocate_url(new_case))
    html = response.content.decode()
    assert "Matched rule: Unpaid-work-only order with domestic abuse or a restraining order" in html
    assert "Requirements are only: UPW" in html and "domestic abuse, restraining order in force" in html
    view = response.context["view"]
    assert view.suggested.id == officers["jo"].pk
    excluded = {e.candidate.id: e.reasons for e in view.excluded}
    assert excluded[officers["new"].pk] == ("1 years' experience; 3 needed",)
    assert "grade UPW is below the rule's minimum, PSO" in excluded[officers["upw"].pk]
    assert any("over capacity" in r for r in excluded[officers["busy"].pk])


def test_allocating_applies_the_rule_and_keeps_the_evidence(client_for, north, protocol, officers, new_case):
    response = client_for(north.manager).post(
        allocate_url(new_case),
        {
            "officer": officers["jo"].pk,
            "override_reason": "",
            "notes": "Induction within 5 days",
            "expected_officer": "",
        },
    )
    assert response.status_code == 302
    new_case.refresh_from_db()
    assert new_case.responsible_officer == officers["jo"]
    decision = AllocationDecision.objects.get(service_user=new_case)
    assert decision.rule.name.startswith("Unpaid-work-only order with domestic abuse")
    assert decision.suggested_officer == officers["jo"] and decision.decided_by == north.manager
    assert {"condition": "Requirements are only: UPW", "case": "UPW", "met": True} in decision.evidence["conditions"]
    # The rule's plan: weekly contact needs the line manager's approval, DA checks every 8 weeks.
    request = ContactChangeRequest.objects.get(service_user=new_case, status=RequestStatus.PENDING)
    assert request.frequency_days == 7 and request.requested_by == officers["jo"]
    schedule = EnquirySchedule.objects.get(service_user=new_case, kind="da")
    assert (schedule.interval_days, schedule.source) == (56, ScheduleSource.PROTOCOL)
    overview = client_for(north.manager).get(f"/cases/{new_case.crn}/").content.decode()
    assert "waiting for a line manager" in overview
    timeline = client_for(north.manager).get(f"/cases/{new_case.crn}/timeline/").content.decode()
    assert "Allocated to" in timeline and "under the local allocation protocol" in timeline


def test_rule_asking_for_more_contact_leaves_one_request_and_one_timeline_entry(north, protocol, officers, new_case):
    services.case_allocate(actor=north.manager, case=new_case, officer_id=officers["jo"].pk, expected_officer_id=None)
    # Reallocating (a handover) must not ask the line manager a second time.
    sam = factories.UserFactory(username="sam", grade=Grade.PSO, teams=[north.team])
    OfficerProfile.objects.create(user=sam, experience_years=5)
    services.case_allocate(
        actor=north.manager,
        case=new_case,
        officer_id=sam.pk,
        expected_officer_id=officers["jo"].pk,
        override_reason="Handover",
    )
    request = ContactChangeRequest.objects.get(service_user=new_case)
    assert request.status == RequestStatus.PENDING and request.frequency_days == 7
    assert request.requested_by == officers["jo"]
    assert request.reason.startswith("Allocation protocol 'Unpaid-work-only order with domestic abuse")
    entries = [e for e in new_case.events.all() if "requested" in e.summary]
    assert len(entries) == 1
    entry = entries[0]
    assert entry.actor == north.manager
    assert entry.summary == (
        "Contact every 7 days requested by the allocation protocol – waiting for line manager approval"
    )
    assert (entry.record_type, entry.record_id) == (ContactChangeRequest._meta.verbose_name, request.pk)
    assert entry.changes == [{"field": "Reason", "from": "", "to": request.reason}]


def test_override_needs_a_reason_and_saves_nothing_without_one(client_for, north, protocol, officers, new_case):
    data = {"officer": officers["busy"].pk, "override_reason": "", "expected_officer": ""}
    # Busy is over capacity: not even offered.
    response = client_for(north.manager).post(allocate_url(new_case), data)
    assert "Select an officer from the eligible list" in error_summary(response)
    second = factories.UserFactory(username="jo2", grade=Grade.PSO, teams=[north.team])
    OfficerProfile.objects.create(user=second, experience_years=4)
    factories.OrderFactory(service_user__team=north.team, service_user__responsible_officer=second)
    data = {"officer": second.pk, "override_reason": "", "expected_officer": ""}
    response = client_for(north.manager).post(allocate_url(new_case), data)
    suggested = response.context["view"].suggested
    assert f"Enter why you are not allocating to the suggested officer, {suggested.name}" in error_summary(response)
    new_case.refresh_from_db()
    assert new_case.responsible_officer is None and not AllocationDecision.objects.exists()
    data["override_reason"] = "Jo knows the victim's family"
    assert client_for(north.manager).post(allocate_url(new_case), data).status_code == 302
    assert AllocationDecision.objects.get().override_reason == "Jo knows the victim's family"


def test_stale_page_is_refused(client_for, north, protocol, officers, new_case):
    services.case_allocate(actor=north.manager, case=new_case, officer_id=officers["jo"].pk, expected_officer_id=None)
    response = client_for(north.manager).post(
        allocate_url(new_case), {"officer": officers["jo"].pk, "expected_officer": "", "override_reason": "x"}
    )
    assert response.status_code == 200
    assert AllocationDecision.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_managers_allocating_at_once_one_wins():
    from tests.conftest import make_staff

    north = make_staff("NTH")
    # A transactional test before this one may have flushed the default rule the migration seeds.
    if not AllocationRule.objects.filter(is_default=True, superseded_at__isnull=True).exists():
        AllocationRule.objects.create(
            name="Default",
            position=9999,
            is_default=True,
            eligible_grades=["PO", "PSO"],
            rationale="Default",
            lineage=uuid.uuid4(),
        )
    for position, rule in enumerate(PROTOCOL, start=1):
        AllocationRule.objects.create(position=position * 10, lineage=uuid.uuid4(), **rule)
    other_manager = factories.UserFactory(role="line_manager", grade="", managed_teams=[north.team])
    first = factories.UserFactory(grade=Grade.PSO, teams=[north.team])
    second = factories.UserFactory(grade=Grade.PSO, teams=[north.team])
    for user in (first, second):
        OfficerProfile.objects.create(user=user, experience_years=5)
    case = factories.ServiceUserFactory(team=north.team, responsible_officer=None)
    factories.RequirementFactory(order__service_user=case, requirement_type="RAR", rar_days=10, unpaid_work_hours=None)
    factories.RiskAssessmentFactory(service_user=case, rosh_level="low")  # within the PSO ceiling
    barrier, results = threading.Barrier(2), []

    def allocate(manager, officer):
        try:
            barrier.wait()
            services.case_allocate(
                actor=manager, case=case, officer_id=officer.pk, expected_officer_id=None, override_reason="Race test"
            )
            results.append("allocated")
        except services.AllocationConflict:
            results.append("conflict")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=allocate, args=(north.manager, first)),
        threading.Thread(target=allocate, args=(other_manager, second)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["allocated", "conflict"]
    assert AllocationDecision.objects.filter(service_user=case).count() == 1
    case.refresh_from_db()
    assert case.officer_history.filter(ended_at__isnull=True).count() == 1


def test_only_managers_of_the_team_and_admins_allocate(
    client_for, north, south, admin_user, protocol, officers, new_case
):
    assert client_for(north.officer).get(allocate_url(new_case)).status_code == 403
    assert client_for(south.manager).get(allocate_url(new_case)).status_code == 404
    assert client_for(admin_user).get(allocate_url(new_case)).status_code == 200


class TestProtocolAdmin:
    def rule_data(self, **overrides):
        data = {
            "name": "Sexual offences",
            "rosh_levels": ["high", "very_high"],
            "eligible_grades": ["PO"],
            "min_experience_years": "2",
            "rationale": "Needs a PO",
            "enabled": "on",
        }
        data.update(overrides)
        return data

    def test_admin_creates_a_rule_in_the_browser(self, client_for, admin_user, protocol):
        response = client_for(admin_user).post("/allocation/protocol/rules/new/", self.rule_data())
        assert response.status_code == 302
        rule = AllocationRule.objects.get(name="Sexual offences")
        assert rule.conditions == {"rosh_levels": ["high", "very_high"]}
        assert rule.position > AllocationRule.objects.get(name="Unpaid-work-only order").position

    @pytest.mark.parametrize(
        "overrides, message",
        [
            ({"rosh_levels": []}, "Choose at least one condition. Cases that match no rule use the default rule"),
            ({"eligible_grades": []}, "Select the lowest grade who can hold the case"),
            ({"rationale": ""}, "Enter the rationale: managers see it when allocating"),
            ({"contact_needs_approval": "on"}, "Select the contact plan that needs approval"),
            ({"min_age": "40", "max_age": "30"}, "The maximum age must be the same as or more than the minimum age"),
            (
                {"flags_any": ["domestic_abuse"], "flags_none": ["domestic_abuse"]},
                "A flag cannot be both needed and ruled out",
            ),
        ],
    )
    def test_bad_rules_are_refused(self, client_for, admin_user, protocol, overrides, message):
        before = AllocationRule.objects.count()
        response = client_for(admin_user).post("/allocation/protocol/rules/new/", self.rule_data(**overrides))
        assert message in error_summary(response)
        assert AllocationRule.objects.count() == before

    def test_editing_makes_a_new_version_and_old_decisions_keep_theirs(
        self, client_for, north, admin_user, protocol, officers, new_case
    ):
        services.case_allocate(
            actor=north.manager, case=new_case, officer_id=officers["jo"].pk, expected_officer_id=None
        )
        rule = AllocationRule.objects.get(name__startswith="Unpaid-work-only order with")
        data = {
            **self.rule_data(name=rule.name, rosh_levels=[]),
            "requirement_types_only": ["UPW"],
            "flags_any": ["domestic_abuse", "restraining_order"],
            "rosh_levels": ["low", "medium"],
            "mappa_levels": ["none", "1"],
            "flags_none": ["child_protection"],
            "eligible_grades": ["PSO"],
            "min_experience_years": "5",
            "contact_frequency_days": "7",
            "contact_needs_approval": "on",
            "da_enquiry_interval_weeks": "8",
            "rationale": rule.rationale,
        }
        response = client_for(admin_user).post(f"/allocation/protocol/rules/{rule.pk}/edit/", data)
        assert response.status_code == 302, error_summary(response)
        versions = AllocationRule.objects.filter(lineage=rule.lineage).order_by("version")
        assert [(v.version, v.min_experience_years, v.superseded_at is None) for v in versions] == [
            (1, 3, False),
            (2, 5, True),
        ]
        assert AllocationDecision.objects.get().rule.version == 1

    def test_disabled_rules_are_skipped_and_order_can_change(
        self, client_for, admin_user, north, protocol, officers, new_case
    ):
        client = client_for(admin_user)
        da_rule = AllocationRule.objects.get(name__startswith="Unpaid-work-only order with")
        client.post(f"/allocation/protocol/rules/{da_rule.pk}/toggle/")
        view = client_for(north.manager).get(allocate_url(new_case)).context["view"]
        assert view.rule.name == "Unpaid-work-only order"
        current = AllocationRule.objects.get(lineage=da_rule.lineage, superseded_at__isnull=True)
        client.post(f"/allocation/protocol/rules/{current.pk}/toggle/")
        upw = AllocationRule.objects.get(name="Unpaid-work-only order", superseded_at__isnull=True)
        client.post(f"/allocation/protocol/rules/{upw.pk}/move/", {"direction": "up"})
        view = client_for(north.manager).get(allocate_url(new_case)).context["view"]
        assert view.rule.name == "Unpaid-work-only order"  # now first, and it matches too

    def test_default_rule_cannot_be_disabled(self, client_for, admin_user, protocol):
        default = AllocationRule.objects.get(is_default=True, superseded_at__isnull=True)
        response = client_for(admin_user).post(f"/allocation/protocol/rules/{default.pk}/toggle/", follow=True)
        assert "The default rule cannot be disabled" in response.content.decode()
        assert AllocationRule.objects.get(is_default=True, superseded_at__isnull=True).enabled

    def test_protocol_pages_are_for_admins(self, client_for, north):
        for user in (north.officer, north.manager):
            assert client_for(user).get("/allocation/protocol/").status_code == 403
            assert client_for(user).post("/allocation/protocol/rules/new/", self.rule_data()).status_code == 403


class TestOfficersAndWorkload:
    def test_admin_adds_a_profile_and_reduction(self, client_for, admin_user, north):
        client = client_for(admin_user)
        response = client.post(
            "/allocation/officers/new/",
            {
                "user": north.officer.pk,
                "contracted_hours": "37",
                "experience_years": "4",
                "specialisms": ["domestic_abuse"],
                "active": "on",
            },
        )
        assert response.status_code == 302
        profile = OfficerProfile.objects.get(user=north.officer)
        from django.utils import timezone

        from tests.casework.test_forms import date_fields

        response = client.post(
            f"/allocation/officers/{profile.pk}/reductions/new/",
            {"hours": "40", "reason": "Too many", **date_fields("starts_on", timezone.localdate())},
        )
        assert "Enter hours from 0.5 to 37.0 (their contracted hours)" in error_summary(response)
        client.post(
            f"/allocation/officers/{profile.pk}/reductions/new/",
            {"hours": "7.4", "reason": "Practice teacher", **date_fields("starts_on", timezone.localdate())},
        )
        assert profile.reductions.get().reason == "Practice teacher"

    def test_workload_shows_capacity_with_reductions(self, client_for, north, officers):
        response = client_for(north.manager).get("/allocation/workload/")
        rows = {w.officer.username: w for team, workloads, total in response.context["rows"] for w in workloads}
        team, workloads, total = response.context["rows"][0]
        assert total.points == sum(w.points for w in workloads) and total.cases == sum(w.cases for w in workloads)
        assert rows["busy"].cases == 3
        assert rows["busy"].capacity > 100 and "Over capacity" in response.content.decode()
        assert rows["jo"].points == 0

    def test_bad_profile_input(self, client_for, admin_user, north):
        response = client_for(admin_user).post(
            "/allocation/officers/new/", {"user": north.officer.pk, "contracted_hours": "90", "experience_years": "x"}
        )
        messages = error_summary(response)
        assert "Enter contracted hours from 1 to 48" in messages
        assert "Enter the years as a whole number, like 3" in messages
        assert not OfficerProfile.objects.exists()


# --- Handover notifications: the new officer is told and asked to arrange the induction; a contact request tells
# the line manager, a decision tells the officer; Approvals shows the number waiting; a pending request blocks its twin.


def notices(user, kind):
    return list(Notification.objects.filter(recipient=user, kind=kind))


def test_allocation_tells_the_officer_and_asks_for_the_induction(client_for, north, protocol, officers, new_case):
    services.case_allocate(actor=north.manager, case=new_case, officer_id=officers["jo"].pk, expected_officer_id=None)
    jo = officers["jo"]
    [allocated] = notices(jo, NotificationKind.CASE_ALLOCATED)
    assert new_case.crn in allocated.message and allocated.url == f"/cases/{new_case.crn}/"
    [induction] = notices(jo, NotificationKind.INDUCTION_DUE)
    due = timezone.localdate() + timedelta(days=5)  # allocated today, after the order started: 5 days (local)
    assert f"by {due:%A} {due.day} {due:%B %Y}" in induction.message and "local policy" in induction.message
    page = client_for(jo).get("/notifications/").content.decode()
    assert "is allocated to you" in page and "Arrange the induction for" in page


def test_no_induction_item_when_the_case_was_seen_on_this_order(north, protocol, officers, new_case):
    factories.ContactFactory(service_user=new_case, officer=north.officer, outcome="ATTC")
    services.case_allocate(actor=north.manager, case=new_case, officer_id=officers["jo"].pk, expected_officer_id=None)
    assert notices(officers["jo"], NotificationKind.CASE_ALLOCATED)
    assert not notices(officers["jo"], NotificationKind.INDUCTION_DUE)


def request_for(case, officer, days=14):  # the full case already has a 7-day request waiting
    return contact_change_request(
        actor=officer, case=case, frequency_days=days, starts_on=timezone.localdate(), reason="Closer monitoring"
    )


def test_a_request_tells_the_line_manager_and_approvals_shows_the_count(client_for, north, north_case):
    request_for(north_case.case, north.officer)
    [waiting] = notices(north.manager, NotificationKind.APPROVAL_WAITING)
    assert north_case.case.crn in waiting.message and waiting.url == "/approvals/"
    page = client_for(north.manager).get("/notifications/").content.decode()
    assert "waiting for your decision" in page
    count = client_for(north.manager).get("/cases/?scope=team").content.decode()
    pending = north_case.case.contact_requests.filter(status="pending").count()
    assert f'id="approvals-waiting">{pending}<' in count


def test_a_decision_tells_the_officer(client_for, north, north_case):
    request = request_for(north_case.case, north.officer)
    contact_change_decide(actor=north.manager, request=request, approve=False, comment="Not yet")
    [decided] = notices(north.officer, NotificationKind.REQUEST_DECIDED)
    assert "refused your request" in decided.message and decided.message.endswith(": Not yet")
    assert "refused your request" in client_for(north.officer).get("/notifications/").content.decode()


def test_a_pending_request_blocks_an_identical_one(north, north_case):
    with pytest.raises(CaseworkError, match="already waiting"):
        request_for(north_case.case, north.officer, days=7)  # the full case's own request is still waiting
    request_for(north_case.case, north.officer, days=28)  # a different request is fine


def test_case_points_come_from_tier_and_order_type_and_targets_from_the_grade(client_for, north, officers):
    from allocation.models import CaseWeighting, WorkloadSettings
    from allocation.selectors import case_points, workloads
    from risk.services import case_tier_recalculate

    today = timezone.localdate()
    case = factories.ServiceUserFactory(team=north.team, responsible_officer=officers["jo"])
    factories.RequirementFactory(order__service_user=case, requirement_type="RAR", unpaid_work_hours=None)
    factories.RiskAssessmentFactory(service_user=case, rosh_level="high")
    assert case_points([case.pk], today)[case.pk] == CaseWeighting.objects.get(order_type="CO", tier="B2").points
    case_tier_recalculate(actor=north.manager, case=case)  # stored: B2 (high RoSH 20, no OGRS yet)
    assert case_points([case.pk], today)[case.pk] == 24  # migration 0003: old level D (20) + 2 x change level 2
    settings = WorkloadSettings.current()
    settings.nominal_target_pso = 100
    settings.save()
    [jo] = workloads([officers["jo"]], today)
    assert jo.available == 100 and jo.capacity == Decimal("24.0")
    page = client_for(north.manager).get("/allocation/workload/").content.decode()
    assert "PSO 100 points" in page and "PO 200 points" in page
