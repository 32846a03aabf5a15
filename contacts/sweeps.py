"""Daily contact reminders and approval reminders. Batches, not one big transaction."""

from datetime import date

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from casework.constants import NotificationKind
from casework.models import Notification, ServiceUser
from casework.notifications import NotificationBatch, notify
from casework.rules import working_days_between

from . import rules, selectors
from .constants import PENDING, RequestStatus
from .models import Contact, ContactChangeRequest, ContactPlan
from .selectors import LOCAL_TZ


def cases_with_plans():
    """Ids of open, allocated cases with a contact plan in force, streamed in id order."""
    return (
        ContactPlan.objects.filter(
            ends_on__isnull=True,
            service_user__responsible_officer__isnull=False,
            service_user__closed_on__isnull=True,  # a closed case is not reminded
        )
        .order_by("service_user_id")
        .values_list("service_user_id", flat=True)
    )


def remind_contacts(case_ids: list[int], today: date) -> int:
    """Remind officers of contact due in the next 2 days or overdue; escalate long-overdue contact."""
    escalate_after = settings.CONTACT_ESCALATE_AFTER_DAYS
    statuses = selectors.due_for_cases(case_ids, today)
    cases = ServiceUser.objects.filter(pk__in=statuses).select_related("team").prefetch_related("team__managers")
    notices = NotificationBatch()
    for case in cases:
        due = statuses[case.pk]
        actions = rules.contact_reminder_actions(due, escalate_after_days=escalate_after)
        if not actions or case.responsible_officer_id is None:
            continue
        url = reverse("contacts:log", kwargs={"crn": case.crn})
        when = f"{due.due_on.day} {due.due_on:%B}"
        message = (
            f"Case {case.crn}: contact is {due.days_overdue} days overdue (was due {when})"
            if due.is_overdue
            else f"Case {case.crn}: contact is due by {when}"
        )
        notices.add(
            [case.responsible_officer_id],
            kind=NotificationKind.CONTACT_DUE,
            case=case,
            message=message,
            url=url,
            key=f"contact-due:{case.pk}:{due.due_on}",
        )
        if "escalate" in actions:
            managers = [m for m in case.team.managers.all() if m.is_active]
            notices.add(
                managers,
                kind=NotificationKind.CONTACT_OVERDUE,
                case=case,
                escalation=True,
                url=url,
                message=f"Case {case.crn}: contact overdue by more than {escalate_after} days",
                key=f"contact-overdue:{case.pk}:{due.due_on}",
            )
    return notices.save()


def remind_approvals(today: date) -> int:
    """Requests waiting more than N working days remind the case's line managers."""
    waiting_days = settings.APPROVAL_REMINDER_WORKING_DAYS
    created = 0
    pending = (
        ContactChangeRequest.objects.filter(status=RequestStatus.PENDING, service_user__closed_on__isnull=True)
        .select_related("service_user__team")
        .prefetch_related("service_user__team__managers")
    )
    for request in pending.iterator(chunk_size=500):
        requested = rules.local_date(request.requested_at, LOCAL_TZ)
        if working_days_between(requested, today) <= waiting_days:
            continue
        case = request.service_user
        created += notify(
            [m for m in case.team.managers.all() if m.is_active],
            kind=NotificationKind.APPROVAL_WAITING,
            case=case,
            message=f"Case {case.crn}: a request for contact {request.get_frequency_days_display().lower()} has "
            f"waited more than {waiting_days} working days",
            key=f"approval-waiting:{request.pk}",
            url=reverse("contacts:decide", kwargs={"crn": case.crn, "request_id": request.pk}),
        )
    return created


def escalate_absence_decisions(today: date) -> int:
    """Failures to attend still pending after the local-policy deadline: the case's line managers are told
    (once per absence), and so is the officer."""
    pending = (
        Contact.objects.filter(outcome__in=PENDING, starts_at__lt=timezone.now(), service_user__closed_on__isnull=True)
        .select_related("service_user__team")
        .prefetch_related("service_user__team__managers")
        .order_by("starts_at")
    )
    notices = NotificationBatch()
    for contact in pending.iterator(chunk_size=500):
        status = rules.absence_decision_status(rules.local_date(contact.starts_at, LOCAL_TZ), today)
        if not status.is_overdue:
            continue
        case = contact.service_user
        managers = [m for m in case.team.managers.all() if m.is_active]
        officer = [case.responsible_officer_id] if case.responsible_officer_id else []
        when = f"{status.due_on.day} {status.due_on:%B}"
        notices.add(
            managers + officer,
            kind=NotificationKind.ABSENCE_DECISION_OVERDUE,
            case=case,
            escalation=True,
            url=reverse("contacts:absence_decide", kwargs={"crn": case.crn, "contact_id": contact.pk}),
            message=f"Case {case.crn}: a failure to attend on {contact.starts_at:%d %B} was not decided by {when} "
            f"(local policy: {rules.ABSENCE_DECISION_DAYS} days)",
            key=f"absence-decision-overdue:{contact.pk}",
        )
    return notices.save()


def resolve_contact_reminders(contact_id: int) -> int:
    """A national-standard contact attended answers "contact due" and its escalation; an absence decided (any
    outcome no longer pending) answers "absence decision overdue". Marks them read for everyone told."""
    contact = Contact.objects.filter(pk=contact_id).only("service_user_id", "national_standard", "outcome").first()
    if contact is None:
        return 0
    resolved = 0
    if rules.answers_absence_decision(contact.outcome):
        resolved += Notification.objects.filter(
            dedupe_key__startswith=f"absence-decision-overdue:{contact.pk}:", read_at__isnull=True
        ).update(read_at=timezone.now())
    if rules.answers_contact_due(national_standard=contact.national_standard, outcome=contact.outcome):
        resolved += Notification.objects.filter(
            service_user_id=contact.service_user_id,
            kind__in=[NotificationKind.CONTACT_DUE, NotificationKind.CONTACT_OVERDUE],  # the escalation too
            read_at__isnull=True,
        ).update(read_at=timezone.now())
    return resolved


def resolve_approval_reminders(request_id: int) -> int:
    """A request decided answers "request waiting for a decision" for every line manager reminded."""
    if ContactChangeRequest.objects.filter(pk=request_id, status=RequestStatus.PENDING).exists():
        return 0
    return Notification.objects.filter(
        dedupe_key__startswith=f"approval-waiting:{request_id}:", read_at__isnull=True
    ).update(read_at=timezone.now())
