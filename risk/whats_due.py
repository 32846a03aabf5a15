"""What is due for an officer (their cases) or a line manager (their teams' cases).

What is due on each case (contact, outcomes to log, enquiries, risk reviews, requests waiting for a
line manager) is worked out in batches by `due_entries` and stored with the case's status
(risk.case_status), so a manager's page over hundreds of cases reads one row per case.
Appointments are stored with the moment they start and listed from then on.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone

from casework.constants import Role
from casework.models import ServiceUser, User
from casework.notify import notify
from casework.selectors import CaseRef, cases_visible_to
from contacts.constants import ATTENDANCE_TYPES, ContactType, RequestStatus
from contacts.models import Contact, ContactChangeRequest
from contacts.selectors import due_for_cases

from . import case_status, rules
from .constants import EnquiryKind
from .models import Enquiry, EnquirySchedule, RiskReview

# Sections of the page, most pressing first, with their headings.
SECTIONS = {
    "contacts": "Contacts due and overdue",
    "outcomes": "Outcomes to log",
    "enquiries": "Domestic abuse and safeguarding enquiries",
    "reviews": "Risk reviews needed",
    "approvals": "Approvals waiting",
}


@dataclass(frozen=True)
class DueItem:
    case: CaseRef
    what: str
    when: date | None
    view: str  # where the action is done: a URL name taking the case's CRN (and record_kwargs)
    action: str
    tag: str = ""
    colour: str = ""
    record_kwargs: tuple = ()
    query: str = ""

    @property
    def url(self) -> str:
        # Reversed only for the rows a page shows: a manager's list can hold thousands of items.
        return reverse(self.view, kwargs={"crn": self.case.crn, **dict(self.record_kwargs)}) + self.query


def cases_in_scope(user: User):
    if user.is_casework_admin:
        return ServiceUser.objects.none()  # admins configure; they hold no caseload
    visible = cases_visible_to(user)
    if user.role == Role.LINE_MANAGER:
        return visible.filter(team__in=user.managed_teams.values("pk"))
    return visible.filter(responsible_officer=user)


def due_entries(case_ids: list[int], today: date) -> dict[int, list[dict]]:
    """What is due on each case today, as plain data to store: the same queries for any number of cases."""
    entries: dict[int, list[dict]] = {pk: [] for pk in case_ids}

    def add(pk, section, what, when: date, view, action, tag, colour, kwargs=None, query="", due_from=""):
        entries[pk].append(
            {
                "section": section,
                "from": due_from,  # appointments: the ISO moment they start, listed from then; else ""
                "what": what,
                "when": when.isoformat(),
                "view": view,
                "action": action,
                "tag": tag,
                "colour": colour,
                "kwargs": kwargs or {},
                "query": query,
            }
        )

    for pk, due in due_for_cases(case_ids, today).items():
        if due.status != "not_due":
            tag = ("Overdue", "red") if due.status == "overdue" else ("Due", "yellow")
            add(pk, "contacts", "Contact", due.due_on, "contacts:arrange", "Arrange an appointment", *tag)

    last = {
        (pk, kind): day
        for pk, kind, day in Enquiry.objects.filter(service_user__any_of=case_ids)
        .values("service_user", "kind")
        .annotate(last=Max("requested_on"))
        .values_list("service_user", "kind", "last")
    }
    for pk, kind, interval_days, created_at in EnquirySchedule.objects.filter(
        service_user__any_of=case_ids, active=True
    ).values_list("service_user", "kind", "interval_days", "created_at"):
        due_on = rules.next_enquiry_due(
            interval_days=interval_days,
            schedule_start=timezone.localtime(created_at).date(),
            last_requested=last.get((pk, kind)),
        )
        if rules.enquiry_actions(
            today=today,
            due_on=due_on,
            remind_days_before=settings.REMINDER_DAYS_AHEAD,
            escalate_after_days=settings.ENQUIRY_ESCALATE_AFTER_DAYS,
        ):
            tag = ("Overdue", "red") if due_on < today else ("Due", "yellow")
            label = EnquiryKind(kind).label.lower()
            add(
                pk,
                "enquiries",
                f"Request {label}",
                due_on,
                "risk:enquiry_create",
                "Record the request",
                *tag,
                query=f"?kind={kind}",
            )
    for pk, enquiry_pk, kind, due_on in Enquiry.objects.filter(
        service_user__any_of=case_ids, result="", response_due_on__lt=today
    ).values_list("service_user", "pk", "kind", "response_due_on"):
        label = EnquiryKind(kind).label.lower()
        add(
            pk,
            "enquiries",
            f"Chase {label} response",
            due_on,
            "risk:enquiry_response",
            "Record the response",
            "Response overdue",
            "red",
            {"enquiry_id": enquiry_pk},
        )

    # Every appointment without an outcome, those still to come included: the list then stays right
    # as the day goes on without a new record (logging the outcome changes the case's records).
    types = dict(ContactType.choices)
    for pk, contact_pk, contact_type, starts_at in (
        Contact.objects.filter(service_user__any_of=case_ids, contact_type__in=ATTENDANCE_TYPES, outcome="")
        .order_by("starts_at")
        .values_list("service_user", "pk", "contact_type", "starts_at")
    ):
        add(
            pk,
            "outcomes",
            types[contact_type],
            timezone.localtime(starts_at).date(),
            "contacts:outcome",
            "Log outcome",
            "Outcome not recorded",
            "blue",
            {"contact_id": contact_pk},
            due_from=starts_at.isoformat(),
        )

    for request in (
        ContactChangeRequest.objects.filter(service_user__any_of=case_ids, status=RequestStatus.PENDING)
        .select_related("requested_by")
        .order_by("requested_at")
    ):
        add(
            request.service_user_id,
            "approvals",
            f"Contact {request.get_frequency_days_display().lower()} requested by {request.requested_by}",
            timezone.localtime(request.requested_at).date(),
            "contacts:decide",
            "Decide",
            "Waiting for decision",
            "yellow",
            {"request_id": request.pk},
        )

    for pk, review_pk, reason, opened_at in RiskReview.objects.filter(
        service_user__any_of=case_ids, closed_at__isnull=True
    ).values_list("service_user", "pk", "reason", "opened_at"):
        add(
            pk,
            "reviews",
            reason,
            timezone.localtime(opened_at).date(),
            "risk:review",
            "Record the review",
            "Risk review needed",
            "red",
            {"review_id": review_pk},
        )
    return entries


def whats_due(user: User, today: date | None = None) -> dict[str, list[DueItem]]:
    today = today or timezone.localdate()
    sections: dict[str, list[DueItem]] = {name: [] for name in SECTIONS}
    now = timezone.now()
    decides = user.role == Role.LINE_MANAGER  # only line managers decide on requests
    for case, entries in case_status.due_for(cases_in_scope(user), today):
        for entry in entries:
            if entry["from"] and datetime.fromisoformat(entry["from"]) > now:
                continue  # an appointment's outcome is due once it has started
            if entry["section"] == "approvals" and not decides:
                continue
            sections[entry["section"]].append(
                DueItem(
                    case,
                    entry["what"],
                    date.fromisoformat(entry["when"]),
                    entry["view"],
                    entry["action"],
                    entry["tag"],
                    entry["colour"],
                    tuple(entry["kwargs"].items()),
                    entry["query"],
                )
            )

    # Most urgent first; the stored sections come case by case.
    for name in SECTIONS:
        sections[name].sort(key=lambda item: (item.when, item.case.last_name, item.case.first_name))
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
