"""Daily domestic-abuse and safeguarding enquiry sweep, and the nightly tier step for breaches that stop counting.

When each enquiry is next due comes from risk.due.enquiries_due_for_cases, which "What's due" reads too,
so a reminder and the page always give the same date."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone

from casework.constants import Gender, NotificationKind, OrderStatus
from casework.models import Notification, Order, ServiceUser
from casework.notifications import NotificationBatch
from contacts.constants import DueState
from contacts.models import Contact

from . import rules, services, tier
from .constants import EnquiryKind
from .due import enquiries_due_for_cases
from .models import Enquiry, EnquirySchedule
from .snapshots import active_rule_set

# Each night also looks back over this many days of expiries, so a night the sweep did not run is made up by the
# next (recalculating a tier that has already dropped changes nothing and adds nothing to the timeline).
BREACH_EXPIRY_CATCH_UP_DAYS = 7


def scheduled_cases():
    """Open, allocated cases with an order in force (every such case has a schedule of checks, its own or the
    rule set's default: risk.due.enquiries_due_for_cases), or a schedule of its own."""
    in_force = Order.objects.filter(status=OrderStatus.ACTIVE).values("service_user")
    scheduled = EnquirySchedule.objects.filter(active=True).values("service_user")
    return (
        ServiceUser.objects.filter(responsible_officer__isnull=False, closed_on__isnull=True)
        .filter(Q(pk__in=in_force) | Q(pk__in=scheduled))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def remind_enquiries(case_ids: list[int], today: date) -> int:
    """Remind officers of enquiries due; escalate ones not requested in time, and overdue responses."""
    notices = NotificationBatch()
    due = enquiries_due_for_cases(case_ids, today, active_rule_set()[1])
    cases = {
        c.pk: c
        for c in ServiceUser.objects.filter(pk__any_of=case_ids)
        .select_related("team")
        .prefetch_related("team__managers")
    }
    for pk, kinds in due.items():
        case = cases[pk]
        if case.responsible_officer_id is None:
            continue
        for enquiry in kinds.values():
            if enquiry.status != DueState.NOT_DUE:
                _remind(notices, case, enquiry)
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
            kind=NotificationKind.ENQUIRY_RESPONSE_OVERDUE,
            case=case,
            url=url,
            escalation=True,
            message=f"Case {case.crn}: no response to the {enquiry.get_kind_display().lower()} due "
            f"{enquiry.response_due_on.day} {enquiry.response_due_on:%B}",
            key=f"enquiry-response-overdue:{enquiry.pk}",
        )
    return notices.save()


def _remind(notices: NotificationBatch, case: ServiceUser, due: rules.EnquiryDue) -> None:
    """The officer is reminded of an enquiry due or overdue; the line managers are told once it is late."""
    url = reverse("risk:enquiry_create", kwargs={"crn": case.crn}) + f"?kind={due.kind}"
    noun = EnquiryKind(due.kind).label.lower()
    due_on = due.due_on
    notices.add(
        [case.responsible_officer_id],
        kind=NotificationKind.ENQUIRY_DUE,
        case=case,
        url=url,
        message=f"Case {case.crn}: {noun} due by {due_on.day} {due_on:%B}",
        key=f"enquiry-due:{case.pk}:{due.kind}:{due_on}",
    )
    if due.escalate:
        notices.add(
            [m for m in case.team.managers.all() if m.is_active],
            kind=NotificationKind.ENQUIRY_NOT_REQUESTED,
            case=case,
            url=url,
            escalation=True,
            message=f"Case {case.crn}: {noun} not requested {settings.ENQUIRY_ESCALATE_AFTER_DAYS}"
            f" days after it was due",
            key=f"enquiry-not-requested:{case.pk}:{due.kind}:{due_on}",
        )


def resolve_enquiry_reminders(enquiry_id: int) -> int:
    """An enquiry requested answers the reminders that one was due (and the "not requested" escalation); its
    response answers "response overdue". Marks them read, matching the dedupe keys the sweep gives them."""
    enquiry = Enquiry.objects.filter(pk=enquiry_id).first()
    if enquiry is None:
        return 0
    case_id, kind = enquiry.service_user_id, enquiry.kind
    answered = Q(dedupe_key__startswith=f"enquiry-due:{case_id}:{kind}:") | Q(
        dedupe_key__startswith=f"enquiry-not-requested:{case_id}:{kind}:"
    )
    if enquiry.result or enquiry.response_received_on:
        answered |= Q(dedupe_key__startswith=f"enquiry-response-overdue:{enquiry.pk}:")
    return Notification.objects.filter(answered, service_user_id=case_id, read_at__isnull=True).update(
        read_at=timezone.now()
    )


# --- Tiers whose breach or recall has stopped counting ------------------------------------------------------


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))


def breach_or_recall_stopped_counting(case_ids: list[int], today: date) -> dict[int, date]:
    """Of these cases, women's cases with a tier whose latest breach or recall stopped counting today (or in the
    catch-up days before), with the day it was recorded. One query, selected by date: no other case is touched.
    The factor scores for women only (risk.tier), and only the latest breach or recall matters: a later one
    still counts."""
    window_start = tier.breach_or_recall_window_start(today)
    latest = (
        Contact.objects.filter(service_user=OuterRef("pk"), enforcement_action__in=tier.BREACH_OR_RECALL_ACTIONS)
        .order_by("-starts_at")
        .values("starts_at")[:1]
    )
    rows = (
        ServiceUser.objects.filter(pk__any_of=case_ids, gender=Gender.FEMALE, tier__isnull=False)
        .annotate(latest_breach=Subquery(latest))
        .filter(
            latest_breach__gte=_local_midnight(window_start - timedelta(days=BREACH_EXPIRY_CATCH_UP_DAYS)),
            latest_breach__lt=_local_midnight(window_start),
        )
        .values_list("pk", "latest_breach")
    )
    return {pk: timezone.localtime(moment).date() for pk, moment in rows}


def recalculate_tiers_after_breach_expiry(case_ids: list[int], today: date) -> int:
    """The nightly status sweep's tier step: recalculate the tiers whose breach or recall has just stopped
    counting. A changed tier goes on the timeline saying why; running it twice changes nothing the second time."""
    expired = breach_or_recall_stopped_counting(case_ids, today)
    for case in ServiceUser.objects.filter(pk__in=list(expired)).order_by("pk"):
        recorded_on = expired[case.pk]
        services.case_tier_recalculate(
            actor=None,
            case=case,
            why=f"the breach or recall of {recorded_on.day} {recorded_on:%B %Y} no longer counts: "
            f"more than {tier.BREACH_OR_RECALL_DAYS} days ago",
        )
    return len(expired)
