"""One page of what is due for an officer (their cases) or a line manager (their teams' cases)."""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone

from casework.constants import Role
from casework.models import ServiceUser, User
from casework.notify import notify
from casework.selectors import cases_visible_to
from contacts.constants import ATTENDANCE_TYPES
from contacts.models import Contact
from contacts.selectors import approvals_queue, due_for_cases

from . import rules
from .models import Enquiry, EnquirySchedule, RiskReview


@dataclass(frozen=True)
class DueItem:
    case: ServiceUser
    what: str
    when: date | None
    url: str
    action: str
    tag: str = ""
    colour: str = ""


def cases_in_scope(user: User):
    if user.is_casework_admin:
        return ServiceUser.objects.none()  # admins configure; they hold no caseload
    visible = cases_visible_to(user)
    if user.role == Role.LINE_MANAGER:
        return visible.filter(team__in=user.managed_teams.values("pk"))
    return visible.filter(responsible_officer=user)


def whats_due(user: User, today: date | None = None) -> dict:
    today = today or timezone.localdate()
    cases = {c.pk: c for c in cases_in_scope(user).select_related("responsible_officer")}
    ids = list(cases)
    sections = {"contacts": [], "outcomes": [], "enquiries": [], "reviews": [], "approvals": []}

    for pk, due in sorted(due_for_cases(ids, today).items(), key=lambda item: item[1].due_on):
        if due.status == "not_due":
            continue
        tag = ("Overdue", "red") if due.status == "overdue" else ("Due", "yellow")
        sections["contacts"].append(
            DueItem(
                cases[pk],
                "Contact",
                due.due_on,
                reverse("contacts:arrange", kwargs={"crn": cases[pk].crn}),
                "Arrange an appointment",
                *tag,
            )
        )

    for contact in Contact.objects.filter(
        service_user__in=ids, contact_type__in=ATTENDANCE_TYPES, outcome="", starts_at__lte=timezone.now()
    ).order_by("starts_at"):
        case = cases[contact.service_user_id]
        sections["outcomes"].append(
            DueItem(
                case,
                contact.get_contact_type_display(),
                timezone.localtime(contact.starts_at).date(),
                reverse("contacts:outcome", kwargs={"crn": case.crn, "contact_id": contact.pk}),
                "Log outcome",
                "Outcome not recorded",
                "blue",
            )
        )

    last = {
        (pk, kind): day
        for pk, kind, day in Enquiry.objects.filter(service_user__in=ids)
        .values("service_user", "kind")
        .annotate(last=Max("requested_on"))
        .values_list("service_user", "kind", "last")
    }
    for schedule in EnquirySchedule.objects.filter(service_user__in=ids, active=True):
        case = cases[schedule.service_user_id]
        due_on = rules.next_enquiry_due(
            interval_days=schedule.interval_days,
            schedule_start=timezone.localtime(schedule.created_at).date(),
            last_requested=last.get((case.pk, schedule.kind)),
        )
        if rules.enquiry_actions(
            today=today,
            due_on=due_on,
            remind_days_before=settings.REMINDER_DAYS_AHEAD,
            escalate_after_days=settings.ENQUIRY_ESCALATE_AFTER_DAYS,
        ):
            tag = ("Overdue", "red") if due_on < today else ("Due", "yellow")
            sections["enquiries"].append(
                DueItem(
                    case,
                    f"Request {schedule.get_kind_display().lower()}",
                    due_on,
                    reverse("risk:enquiry_create", kwargs={"crn": case.crn}) + f"?kind={schedule.kind}",
                    "Record the request",
                    *tag,
                )
            )
    for enquiry in Enquiry.objects.filter(service_user__in=ids, result="", response_due_on__lt=today):
        case = cases[enquiry.service_user_id]
        sections["enquiries"].append(
            DueItem(
                case,
                f"Chase {enquiry.get_kind_display().lower()} response",
                enquiry.response_due_on,
                reverse("risk:enquiry_response", kwargs={"crn": case.crn, "enquiry_id": enquiry.pk}),
                "Record the response",
                "Response overdue",
                "red",
            )
        )

    for review in RiskReview.objects.filter(service_user__in=ids, closed_at__isnull=True):
        case = cases[review.service_user_id]
        sections["reviews"].append(
            DueItem(
                case,
                review.reason,
                timezone.localtime(review.opened_at).date(),
                reverse("risk:review", kwargs={"crn": case.crn, "review_id": review.pk}),
                "Record the review",
                "Risk review needed",
                "red",
            )
        )

    if user.role == Role.LINE_MANAGER:
        for request in approvals_queue(user):
            case = request.service_user
            sections["approvals"].append(
                DueItem(
                    case,
                    f"Contact {request.get_frequency_days_display().lower()} requested by {request.requested_by}",
                    timezone.localtime(request.requested_at).date(),
                    reverse("contacts:decide", kwargs={"crn": case.crn, "request_id": request.pk}),
                    "Decide",
                    "Waiting for decision",
                    "yellow",
                )
            )
    return sections


def weekly_summaries(today: date) -> int:
    """A Monday notification for each officer and manager with something due (once per week each)."""
    year, week, _ = today.isocalendar()
    created = 0
    staff = User.objects.filter(Q(role=Role.RESPONSIBLE_OFFICER) | Q(role=Role.LINE_MANAGER), is_active=True)
    for user in staff.iterator(chunk_size=200):
        sections = whats_due(user, today)
        counts = {name: len(items) for name, items in sections.items() if items}
        if not counts:
            continue
        parts = ", ".join(f"{n} {name}" for name, n in counts.items())
        created += notify(
            [user],
            kind="weekly_summary",
            case=None,
            url=reverse("risk:whats_due"),
            message=f"This week: {parts}",
            key=f"weekly:{year}-{week}",
        )
    return created
