"""Reminders resolve themselves: once the thing they chase is done, they are marked read for everyone told."""

from datetime import timedelta

import time_machine

from casework.constants import NotificationKind
from casework.models import Notification
from contacts import sweeps as contact_sweeps
from contacts.constants import ContactType, Outcome
from risk import services as risk_services
from risk import sweeps as risk_sweeps
from risk.constants import EnquiryKind, EnquiryResult, ScheduleSource
from risk.models import EnquirySchedule
from tests.casework.test_forms import date_fields
from tests.scheduling.test_sweeps import THURSDAY, plan_with_last_contact, thursday  # noqa: F401


def unread(kind):
    return set(
        Notification.objects.filter(kind=kind, read_at__isnull=True).values_list("recipient__username", flat=True)
    )


def test_logging_contact_resolves_the_reminder_and_the_managers_escalation(
    thursday,  # noqa: F811
    client_for,
    north,
    north_case,
    django_capture_on_commit_callbacks,
):
    plan_with_last_contact(north_case.case, north.officer, frequency=7, days_ago=20)
    contact_sweeps.remind_contacts([north_case.case.pk], thursday)
    assert unread(NotificationKind.CONTACT_DUE) == {north.officer.username}
    assert unread(NotificationKind.CONTACT_OVERDUE) == {north.manager.username}

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(north.officer).post(
            f"/cases/{north_case.case.crn}/contacts/new/",
            {
                "contact_type": ContactType.COAP,
                **date_fields("contact_date", thursday),
                "start_time": "06:00",
                "with_whom": "service_user",
                "national_standard": "True",
                "outcome": Outcome.ATTC,
                "penalty_minutes": "0",
            },
        )
    assert response.status_code == 302
    assert unread(NotificationKind.CONTACT_DUE) == unread(NotificationKind.CONTACT_OVERDUE) == set()


def test_recording_the_response_resolves_response_overdue_for_officer_and_manager(
    thursday,  # noqa: F811
    north,
    north_case,
    django_capture_on_commit_callbacks,
):
    enquiry = north_case.enquiry
    enquiry.response_due_on = thursday - timedelta(days=1)
    enquiry.save()
    risk_sweeps.remind_enquiries([north_case.case.pk], thursday)
    assert unread(NotificationKind.ENQUIRY_RESPONSE_OVERDUE) == {north.officer.username, north.manager.username}

    with django_capture_on_commit_callbacks(execute=True):
        risk_services.enquiry_response_record(
            actor=north.officer, enquiry=enquiry, received_on=thursday, result=EnquiryResult.NO_INCIDENTS, summary=""
        )
    assert unread(NotificationKind.ENQUIRY_RESPONSE_OVERDUE) == set()


def test_requesting_the_enquiry_resolves_enquiry_due_and_not_requested(
    thursday,  # noqa: F811
    north,
    north_case,
    django_capture_on_commit_callbacks,
):
    # No DA enquiry ever requested: one is due from when the schedule began, and late.
    north_case.enquiry.kind = EnquiryKind.SAFEGUARDING
    north_case.enquiry.save()
    with time_machine.travel(THURSDAY - timedelta(days=30), tick=False):
        EnquirySchedule.objects.create(
            service_user=north_case.case,
            kind=EnquiryKind.DOMESTIC_ABUSE,
            interval_days=56,
            source=ScheduleSource.PROTOCOL,
        )
    risk_sweeps.remind_enquiries([north_case.case.pk], thursday)
    assert unread(NotificationKind.ENQUIRY_DUE) == {north.officer.username}
    assert unread(NotificationKind.ENQUIRY_NOT_REQUESTED) == {north.manager.username}

    with django_capture_on_commit_callbacks(execute=True):
        risk_services.enquiry_request(
            actor=north.officer,
            case=north_case.case,
            kind=EnquiryKind.SAFEGUARDING,  # another kind answers nothing
            requested_on=thursday,
            response_due_on=thursday + timedelta(days=10),
        )
    assert unread(NotificationKind.ENQUIRY_DUE) == {north.officer.username}

    with django_capture_on_commit_callbacks(execute=True):
        risk_services.enquiry_request(
            actor=north.officer,
            case=north_case.case,
            kind=EnquiryKind.DOMESTIC_ABUSE,
            requested_on=thursday,
            response_due_on=thursday + timedelta(days=10),
        )
    assert unread(NotificationKind.ENQUIRY_DUE) == unread(NotificationKind.ENQUIRY_NOT_REQUESTED) == set()


def test_deciding_a_request_resolves_waiting_for_a_decision_for_every_manager_told(
    thursday,  # noqa: F811
    north,
    django_capture_on_commit_callbacks,
):
    from contacts import services as contact_services
    from tests import factories

    second_manager = factories.UserFactory(
        username="manager.nth2", role=north.manager.role, grade="", managed_teams=[north.team]
    )
    case = factories.ServiceUserFactory(team=north.team, responsible_officer=north.officer)
    with time_machine.travel(THURSDAY - timedelta(days=10), tick=False):
        request = factories.ContactChangeRequestFactory(service_user=case, requested_by=north.officer)
    contact_sweeps.remind_approvals(thursday)
    assert unread(NotificationKind.APPROVAL_WAITING) == {north.manager.username, second_manager.username}

    with django_capture_on_commit_callbacks(execute=True):
        contact_services.contact_change_decide(actor=north.manager, request=request, approve=False, comment="Not yet")
    assert unread(NotificationKind.APPROVAL_WAITING) == set()
    assert unread(NotificationKind.REQUEST_DECIDED) == {north.officer.username}


def test_deciding_an_absence_resolves_absence_decision_overdue(
    thursday,  # noqa: F811
    north,
    django_capture_on_commit_callbacks,
):
    from contacts import services as contact_services
    from tests import factories

    case = factories.ServiceUserFactory(team=north.team, responsible_officer=north.officer)
    absence = factories.ContactFactory(
        service_user=case, officer=north.officer, outcome=Outcome.AFTA, starts_at=THURSDAY - timedelta(days=20)
    )
    contact_sweeps.escalate_absence_decisions(thursday)
    assert unread(NotificationKind.ABSENCE_DECISION_OVERDUE) == {north.officer.username, north.manager.username}

    with django_capture_on_commit_callbacks(execute=True):
        contact_services.absence_decide(
            actor=north.manager,
            contact=absence,
            acceptable=True,
            outcome=Outcome.AAME,
            reason="In hospital",
            evidence="Discharge letter",
        )
    assert unread(NotificationKind.ABSENCE_DECISION_OVERDUE) == set()
