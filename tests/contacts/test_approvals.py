"""Line-manager approval of a change to contact: decisions, refusals, access and the race."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from contacts import services
from contacts.constants import PlanSource, RequestStatus
from contacts.models import ContactChangeRequest, ContactPlan
from core.errors import CaseworkError
from tests import factories
from tests.casework.test_forms import date_fields, error_summary


def decide_url(full):
    return f"/cases/{full.case.crn}/contact-plan/requests/{full.change_request.pk}/"


@pytest.fixture
def fortnightly(north_case, north):
    return factories.ContactPlanFactory(service_user=north_case.case, frequency_days=14, created_by=north.officer)


def test_officer_requests_weekly_contact(client_for, north, north_case, fortnightly):
    # The full case's own weekly request is still waiting: the same request again is refused, not duplicated.
    data = {
        "frequency_days": "7",
        **date_fields("starts_on", timezone.localdate()),
        "reason": "See her weekly after unpaid work to monitor the restraining order",
    }
    url = f"/cases/{north_case.case.crn}/contact-plan/request/"
    assert "A request for this contact is already waiting for the line manager's decision" in error_summary(
        client_for(north.officer).post(url, data)
    )
    services.contact_change_decide(actor=north.manager, request=north_case.change_request, approve=False, comment="")
    response = client_for(north.officer).post(
        f"/cases/{north_case.case.crn}/contact-plan/request/",
        {
            "frequency_days": "7",
            **date_fields("starts_on", timezone.localdate()),
            "reason": "See her weekly after unpaid work to monitor the restraining order",
        },
    )
    assert response.status_code == 302
    request = ContactChangeRequest.objects.exclude(pk=north_case.change_request.pk).get()
    assert request.requested_by == north.officer and request.status == RequestStatus.PENDING
    queue = client_for(north.manager).get("/approvals/")
    assert request in queue.context["requests"]


@pytest.mark.parametrize(
    "data, message",
    [
        ({"frequency_days": "7", "reason": ""}, "Enter the reason for the change"),
        ({"frequency_days": "", "reason": "x"}, "Select how often contact is needed"),
        (
            {"frequency_days": "14", "reason": "x"},
            "The case already has this contact plan. Select a different frequency",
        ),
    ],
)
def test_request_bad_input(client_for, north, north_case, fortnightly, data, message):
    before = ContactChangeRequest.objects.count()
    response = client_for(north.officer).post(
        f"/cases/{north_case.case.crn}/contact-plan/request/",
        {**data, **date_fields("starts_on", timezone.localdate())},
    )
    assert message in error_summary(response)
    assert ContactChangeRequest.objects.count() == before


def test_request_cannot_start_in_the_past(client_for, north, north_case, fortnightly):
    response = client_for(north.officer).post(
        f"/cases/{north_case.case.crn}/contact-plan/request/",
        {"frequency_days": "7", "reason": "x", **date_fields("starts_on", timezone.localdate() - timedelta(days=1))},
    )
    assert "The change must start today or in the future" in error_summary(response)


def test_manager_approves_and_plan_changes(client_for, north, north_case, fortnightly):
    response = client_for(north.manager).post(decide_url(north_case), {"decision": "approve", "comment": "Agreed"})
    assert response.status_code == 302
    north_case.change_request.refresh_from_db()
    assert (
        north_case.change_request.status == RequestStatus.APPROVED
        and north_case.change_request.decided_by == north.manager
    )
    plan = ContactPlan.objects.get(service_user=north_case.case, ends_on__isnull=True)
    assert (plan.frequency_days, plan.source, plan.change_request) == (
        7,
        PlanSource.APPROVED_CHANGE,
        north_case.change_request,
    )
    fortnightly.refresh_from_db()
    assert fortnightly.ends_on is not None
    # Both sides see the decision on the timeline.
    timeline = client_for(north.officer).get(f"/cases/{north_case.case.crn}/timeline/").content.decode()
    assert "Line manager approved contact every week" in timeline
    assert "Contact plan set: every week (source: Approved change)" in timeline
    overview = client_for(north.officer).get(f"/cases/{north_case.case.crn}/").content.decode()
    assert "Every week" in overview


def test_refusal_needs_a_comment_and_keeps_the_plan(client_for, north, north_case, fortnightly):
    response = client_for(north.manager).post(decide_url(north_case), {"decision": "refuse", "comment": ""})
    assert "Enter the reason for refusing the request" in error_summary(response)
    north_case.change_request.refresh_from_db()
    assert north_case.change_request.status == RequestStatus.PENDING
    client_for(north.manager).post(decide_url(north_case), {"decision": "refuse", "comment": "Not needed yet"})
    north_case.change_request.refresh_from_db()
    assert north_case.change_request.status == RequestStatus.REFUSED
    assert ContactPlan.objects.get(service_user=north_case.case, ends_on__isnull=True) == fortnightly
    plan_page = client_for(north.officer).get(f"/cases/{north_case.case.crn}/contact-plan/").content.decode()
    assert "Refused" in plan_page and "Not needed yet" in plan_page


def test_officer_cannot_decide(client_for, north, north_case):
    client = client_for(north.officer)
    page = client.get(decide_url(north_case))
    assert page.status_code == 200 and "A line manager of" in page.content.decode()
    assert client.post(decide_url(north_case), {"decision": "approve"}).status_code == 403
    assert client.get("/approvals/").status_code == 403
    north_case.change_request.refresh_from_db()
    assert north_case.change_request.status == RequestStatus.PENDING


def test_admin_is_not_the_line_manager(client_for, admin_user, north_case):
    assert client_for(admin_user).post(decide_url(north_case), {"decision": "approve"}).status_code == 403


def test_other_team_manager_sees_nothing(client_for, south, north_case):
    client = client_for(south.manager)
    assert client.post(decide_url(north_case), {"decision": "approve"}).status_code == 404
    assert north_case.change_request not in client.get("/approvals/").context["requests"]


def test_second_decision_is_told_it_was_already_decided(client_for, north, north_case, fortnightly):
    second_manager = factories.UserFactory(role="line_manager", grade="", managed_teams=[north.team])
    client_for(north.manager).post(decide_url(north_case), {"decision": "approve", "comment": ""})
    response = client_for(second_manager).post(
        decide_url(north_case), {"decision": "refuse", "comment": "No"}, follow=True
    )
    assert f"This request was already approved by {north.manager}" in response.content.decode()
    north_case.change_request.refresh_from_db()
    assert north_case.change_request.status == RequestStatus.APPROVED


@pytest.mark.django_db(transaction=True)
def test_two_managers_at_once_one_wins():
    from tests.conftest import make_full_case, make_staff

    north = make_staff("NTH")
    full = make_full_case(north, crn="N000009")
    factories.ContactPlanFactory(service_user=full.case, frequency_days=14)
    other = factories.UserFactory(role="line_manager", grade="", managed_teams=[north.team])
    barrier, results = threading.Barrier(2), []

    def decide(manager, approve):
        try:
            barrier.wait()
            services.contact_change_decide(actor=manager, request=full.change_request, approve=approve, comment="x")
            results.append("decided")
        except services.AlreadyDecided:
            results.append("already decided")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=decide, args=(north.manager, True)),
        threading.Thread(target=decide, args=(other, False)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["already decided", "decided"]
    full.change_request.refresh_from_db()
    assert full.change_request.status in (RequestStatus.APPROVED, RequestStatus.REFUSED)
    assert full.case.events.filter(summary__startswith="Line manager").count() == 1


def test_officer_sets_the_first_plan_but_not_later_ones(client_for, north, north_case):
    url = f"/cases/{north_case.case.crn}/contact-plan/set/"
    client = client_for(north.officer)
    response = client.post(url, {"frequency_days": "28", **date_fields("starts_on", timezone.localdate())})
    assert response.status_code == 302
    assert ContactPlan.objects.get(service_user=north_case.case).source == PlanSource.ORDER
    assert (
        client.post(url, {"frequency_days": "7", **date_fields("starts_on", timezone.localdate())}).status_code == 403
    )
    assert ContactPlan.objects.filter(service_user=north_case.case).count() == 1


def test_a_decision_made_earlier_is_recorded_on_its_day(north, north_case, fortnightly):
    """A change agreed in supervision and entered later: the plan starts when it was agreed, not today."""
    request = north_case.change_request
    ContactChangeRequest.objects.filter(pk=request.pk).update(starts_on=timezone.localdate() - timedelta(days=30))
    decided_at = timezone.now() - timedelta(days=31)
    services.contact_change_decide(
        actor=north.manager, request=request, approve=True, comment="Agreed", decided_at=decided_at
    )
    request.refresh_from_db()
    assert request.decided_at == decided_at
    plan = ContactPlan.objects.get(service_user=north_case.case, ends_on__isnull=True)
    assert (plan.frequency_days, plan.starts_on) == (7, timezone.localdate() - timedelta(days=30))
    fortnightly.refresh_from_db()
    assert fortnightly.ends_on == timezone.localdate() - timedelta(days=31)


def test_a_decision_cannot_be_dated_in_the_future(north, north_case):
    with pytest.raises(CaseworkError, match="today or in the past"):
        services.contact_change_decide(
            actor=north.manager,
            request=north_case.change_request,
            approve=True,
            comment="",
            decided_at=timezone.now() + timedelta(hours=1),
        )
    north_case.change_request.refresh_from_db()
    assert north_case.change_request.status == "pending"
