"""Daily domestic-abuse and safeguarding enquiry sweep."""

from datetime import date

from django.conf import settings
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from casework.models import ServiceUser
from casework.notify import NotificationBatch

from . import rules
from .models import Enquiry, EnquirySchedule


def scheduled_cases():
    return (
        EnquirySchedule.objects.filter(active=True, service_user__responsible_officer__isnull=False)
        .order_by("service_user_id")
        .values_list("service_user_id", flat=True)
        .distinct()
    )


def remind_enquiries(case_ids: list[int], today: date) -> int:
    """Remind officers of enquiries due; escalate ones not requested in time, and overdue responses."""
    notices = NotificationBatch()
    schedules = list(EnquirySchedule.objects.filter(service_user__any_of=case_ids, active=True))
    last = {
        (pk, kind): day
        for pk, kind, day in Enquiry.objects.filter(service_user__any_of=case_ids)
        .values("service_user", "kind")
        .annotate(last=Max("requested_on"))
        .values_list("service_user", "kind", "last")
    }
    cases = {
        c.pk: c
        for c in ServiceUser.objects.filter(pk__any_of=case_ids)
        .select_related("team")
        .prefetch_related("team__managers")
    }
    for schedule in schedules:
        case = cases[schedule.service_user_id]
        if case.responsible_officer_id is None:
            continue
        due_on = rules.next_enquiry_due(
            interval_days=schedule.interval_days,
            schedule_start=timezone.localtime(schedule.created_at).date(),
            last_requested=last.get((case.pk, schedule.kind)),
        )
        actions = rules.enquiry_actions(
            today=today,
            due_on=due_on,
            remind_days_before=settings.REMINDER_DAYS_AHEAD,
            escalate_after_days=settings.ENQUIRY_ESCALATE_AFTER_DAYS,
        )
        if not actions:
            continue
        url = reverse("risk:enquiry_create", kwargs={"crn": case.crn}) + f"?kind={schedule.kind}"
        noun = schedule.get_kind_display().lower()
        notices.add(
            [case.responsible_officer_id],
            kind="enquiry_due",
            case=case,
            url=url,
            message=f"Case {case.crn}: {noun} due by {due_on.day} {due_on:%B}",
            key=f"enquiry-due:{case.pk}:{schedule.kind}:{due_on}",
        )
        if "escalate" in actions:
            notices.add(
                [m for m in case.team.managers.all() if m.is_active],
                kind="enquiry_not_requested",
                case=case,
                url=url,
                escalation=True,
                message=f"Case {case.crn}: {noun} not requested {settings.ENQUIRY_ESCALATE_AFTER_DAYS}"
                f" days after it was due",
                key=f"enquiry-not-requested:{case.pk}:{schedule.kind}:{due_on}",
            )
    overdue = Enquiry.objects.filter(
        service_user__any_of=case_ids, result="", response_received_on__isnull=True, response_due_on__lt=today
    ).select_related("service_user")
    for enquiry in overdue:
        case = cases[enquiry.service_user_id]
        url = reverse("risk:enquiry_response", kwargs={"crn": case.crn, "enquiry_id": enquiry.pk})
        recipients = [case.responsible_officer_id] if case.responsible_officer_id else []
        recipients += [m.pk for m in case.team.managers.all() if m.is_active]
        notices.add(
            recipients,
            kind="enquiry_response_overdue",
            case=case,
            url=url,
            escalation=True,
            message=f"Case {case.crn}: no response to the {enquiry.get_kind_display().lower()} due "
            f"{enquiry.response_due_on.day} {enquiry.response_due_on:%B}",
            key=f"enquiry-response-overdue:{enquiry.pk}",
        )
    return notices.save()
