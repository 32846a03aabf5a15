"""What is due on each case, worked out in batches: the same queries for one case or a whole team's.

`due_entries` is stored with each case's status (risk.case_status) and shown by "What's due"
(risk.whats_due). `enquiries_due_for_cases` is the one place an enquiry's next due date is worked out:
"What's due" and the daily enquiry sweep (risk.sweeps) both read it, as they both read
contacts.selectors.due_for_cases for contact.

Reads only: nothing here writes. Depends on models, risk.rules and the contacts selectors, never on
the modules that store or show the results (risk.case_status, risk.selectors, risk.whats_due).
"""

from collections import defaultdict
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Max, Min, Q
from django.utils import timezone

from casework.constants import OrderStatus, RequirementStatus, RequirementType
from casework.models import Requirement, ServiceUser
from casework.rules import upw_complete_by
from contacts import breach_rules
from contacts import rules as contact_rules
from contacts.constants import ATTENDANCE_TYPES, ATTENDED, DUE_COLOURS, PENDING, ContactType, DueState, RequestStatus
from contacts.models import BreachAction, Contact, ContactChangeRequest
from contacts.reminders import failed_reminders_for_cases
from contacts.selectors import due_for_cases

from . import rules
from .constants import EnquiryKind
from .models import CheckTriggerEvent, Enquiry, EnquirySchedule, RiskReview

# Sections of "What's due", most pressing first, with their headings.
SECTIONS = {
    "contacts": "Contacts due and overdue",
    "outcomes": "Outcomes to log",
    "absences": f"Absences to decide (within {contact_rules.ABSENCE_DECISION_DAYS} days: local policy)",
    "hearings": "Breach hearings",
    "enquiries": "Domestic abuse and safeguarding enquiries",
    "reviews": "Risk reviews needed",
    "unpaid_work": "Unpaid work at risk of missing its date (local policy)",
    "approvals": "Approvals waiting",
    "reminders": "Reminders not delivered",
}

# Stored with each item (risk.case_status.FORMAT): the tag's text and colour.
TAGS = {state: (state.label, DUE_COLOURS[state]) for state in (DueState.OVERDUE, DueState.DUE)}


def enquiries_due_for_cases(
    case_ids: list[int], today: date, thresholds: rules.Thresholds
) -> dict[int, dict[str, rules.EnquiryDue]]:
    """For each case, per kind: when the next enquiry is due and whether the officer is to be reminded (due,
    overdue) or the line manager told (escalate). The one place an enquiry's next due date is worked out;
    four queries for any number of cases.

    Every case with an order in force has a schedule for both checks without anyone creating one (HMPPS
    policy: checks at court or allocation for every case, then repeated during the order; see the domain
    notes): the case's own schedule where the protocol or the officer set one, else the rule set's default
    interval (local policy). The first check is due start_checks_days after allocation or the order's start,
    whichever is later, the date the keeping-people-safe rating gives (risk.rules._first_checks); a change the
    officer records calls for both again at once."""
    last = {
        (pk, kind): day
        for pk, kind, day in Enquiry.objects.filter(service_user__any_of=case_ids)
        .values("service_user", "kind")
        .annotate(last=Max("requested_on"))
        .values_list("service_user", "kind", "last")
    }
    triggered = dict(
        CheckTriggerEvent.objects.filter(service_user__any_of=case_ids)
        .values("service_user")
        .annotate(on=Max("noticed_on"))
        .values_list("service_user", "on")
    )
    schedules = {
        (pk, kind): (interval_days, timezone.localtime(created_at).date())
        for pk, kind, interval_days, created_at in EnquirySchedule.objects.filter(
            service_user__any_of=case_ids, active=True
        ).values_list("service_user", "kind", "interval_days", "created_at")
    }
    due: dict[int, dict[str, rules.EnquiryDue]] = defaultdict(dict)
    for pk, (order_start, allocated_on) in sorted(supervision_starts(case_ids).items()):
        start = max(d for d in (order_start, allocated_on) if d) if order_start or allocated_on else None
        for kind in EnquiryKind.values:
            interval_days, set_on = schedules.get((pk, kind), (thresholds.default_enquiry_interval, None))
            if order_start is None and set_on is None:
                continue  # no order in force and no schedule of its own: nothing to check for
            first_due = start + timedelta(days=thresholds.start_checks_days) if start else set_on
            due[pk][kind] = rules.enquiry_due(
                kind=kind,
                interval_days=interval_days,
                schedule_start=first_due,
                last_requested=last.get((pk, kind)),
                today=today,
                remind_days_before=settings.REMINDER_DAYS_AHEAD,
                escalate_after_days=settings.ENQUIRY_ESCALATE_AFTER_DAYS,
                triggered_on=triggered.get(pk),
            )
    return dict(due)


def supervision_starts(case_ids: list[int]) -> dict[int, tuple[date | None, date | None]]:
    """(start of the earliest order in force, day the current responsible officer was allocated) per case,
    in one query: the dates risk.snapshots gives the rules as order_start and allocated_on."""
    rows = ServiceUser.objects.filter(pk__any_of=case_ids).annotate(
        order_start=Min("orders__start_date", filter=Q(orders__status=OrderStatus.ACTIVE)),
        allocated_at=Max("officer_history__started_at", filter=Q(officer_history__ended_at__isnull=True)),
    )
    return {
        pk: (order_start, timezone.localtime(allocated_at).date() if allocated_at else None)
        for pk, order_start, allocated_at in rows.values_list("pk", "order_start", "allocated_at")
    }


def due_entries(case_ids: list[int], today: date, thresholds: rules.Thresholds) -> dict[int, list[dict]]:
    """What is due on each case today, as plain data to store: the same queries for any number of cases.
    Each step reads one kind of record for every case; a case's entries come in the steps' order."""
    entries: dict[int, list[dict]] = {pk: [] for pk in case_ids}
    for step in STEPS:
        for pk, entry in step(case_ids, today, thresholds):
            entries[pk].append(entry)
    return entries


def _entry(pk, section, what, when: date, view, action, tag, colour, *, kwargs=None, query="", due_from=""):
    """(case id, one stored item): the item's shape is risk.case_status.FORMAT's, so change both together."""
    return pk, {
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


def _contacts_due(case_ids: list[int], today: date, thresholds: rules.Thresholds):
    """Contact due or overdue under the contact plan (contacts.selectors.due_for_cases)."""
    for pk, due in due_for_cases(case_ids, today).items():
        if due.status != DueState.NOT_DUE:
            tag = TAGS[due.status]
            yield _entry(pk, "contacts", "Contact", due.due_on, "contacts:arrange", "Arrange an appointment", *tag)


def _enquiries_to_request(case_ids: list[int], today: date, thresholds: rules.Thresholds):
    """Enquiries due or overdue under the case's schedules."""
    for pk, kinds in enquiries_due_for_cases(case_ids, today, thresholds).items():
        for kind, due in kinds.items():
            if due.status == DueState.NOT_DUE:
                continue
            label = EnquiryKind(kind).label.lower()
            yield _entry(
                pk,
                "enquiries",
                f"Request {label}",
                due.due_on,
                "risk:enquiry_create",
                "Record the request",
                *TAGS[due.status],
                query=f"?kind={kind}",
            )


def _responses_to_chase(case_ids: list[int], today: date, thresholds: rules.Thresholds):
    """Enquiries without a result whose response was due before today."""
    for pk, enquiry_pk, kind, due_on in Enquiry.objects.filter(
        service_user__any_of=case_ids, result="", response_due_on__lt=today
    ).values_list("service_user", "pk", "kind", "response_due_on"):
        label = EnquiryKind(kind).label.lower()
        yield _entry(
            pk,
            "enquiries",
            f"Chase {label} response",
            due_on,
            "risk:enquiry_response",
            "Record the response",
            "Response overdue",
            "red",
            kwargs={"enquiry_id": enquiry_pk},
        )


def _outcomes_to_log(case_ids: list[int], today: date, thresholds: rules.Thresholds):
    """Every appointment without an outcome, those still to come included: the list then stays right as the
    day goes on without a new record (logging the outcome changes the case's records). "What's due" lists
    each from the moment it starts."""
    types = dict(ContactType.choices)
    for pk, contact_pk, contact_type, starts_at in (
        Contact.objects.filter(
            service_user__any_of=case_ids, contact_type__in=ATTENDANCE_TYPES, outcome="", cancelled_at__isnull=True
        )
        .order_by("starts_at")
        .values_list("service_user", "pk", "contact_type", "starts_at")
    ):
        yield _entry(
            pk,
            "outcomes",
            types[contact_type],
            timezone.localtime(starts_at).date(),
            "contacts:outcome",
            "Log outcome",
            "Outcome not recorded",
            "blue",
            kwargs={"contact_id": contact_pk},
            due_from=starts_at.isoformat(),
        )


def _absences_to_decide(case_ids: list[int], today: date, thresholds: rules.Thresholds):
    """Failures to attend waiting for a decision, due within the local-policy deadline (contacts.rules)."""
    for pk, contact_pk, starts_at in (
        Contact.objects.filter(service_user__any_of=case_ids, outcome__in=PENDING)
        .order_by("starts_at")
        .values_list("service_user", "pk", "starts_at")
    ):
        due = contact_rules.absence_decision_status(timezone.localtime(starts_at).date(), today)
        yield _entry(
            pk,
            "absences",
            f"Failure to attend on {timezone.localtime(starts_at):%d %B %Y}",
            due.due_on,
            "contacts:absence_decide",
            "Decide the absence",
            *TAGS[due.status],
            kwargs={"contact_id": contact_pk},
        )


def _breach_hearings(case_ids: list[int], today: date, thresholds: rules.Thresholds):
    """Breaches listed for a court hearing and waiting for the result: the hearing, by its date, until the result
    is recorded (contacts.breach_rules.hearing_tag)."""
    for pk, breach_pk, hearing_on, court in (
        BreachAction.objects.filter(service_user__any_of=case_ids, result="", hearing_on__isnull=False)
        .order_by("hearing_on")
        .values_list("service_user", "pk", "hearing_on", "court")
    ):
        yield _entry(
            pk,
            "hearings",
            f"Breach hearing at {court}",
            hearing_on,
            "contacts:breach_result" if hearing_on <= today else "contacts:breach",
            "Record the court's result" if hearing_on <= today else "View the breach",
            *breach_rules.hearing_tag(hearing_on, today),
            kwargs={"breach_id": breach_pk},
        )


def _approvals_waiting(case_ids: list[int], today: date, thresholds: rules.Thresholds):
    """Requests for a change of contact waiting for a line manager's decision."""
    for request in (
        ContactChangeRequest.objects.filter(service_user__any_of=case_ids, status=RequestStatus.PENDING)
        .select_related("requested_by")
        .order_by("requested_at")
    ):
        yield _entry(
            request.service_user_id,
            "approvals",
            f"Contact {request.get_frequency_days_display().lower()} requested by {request.requested_by}",
            timezone.localtime(request.requested_at).date(),
            "contacts:decide",
            "Decide",
            "Waiting for decision",
            "yellow",
            kwargs={"request_id": request.pk},
        )


def _reviews_needed(case_ids: list[int], today: date, thresholds: rules.Thresholds):
    """Open risk reviews."""
    for pk, review_pk, reason, opened_at in RiskReview.objects.filter(
        service_user__any_of=case_ids, closed_at__isnull=True
    ).values_list("service_user", "pk", "reason", "opened_at"):
        yield _entry(
            pk,
            "reviews",
            reason,
            timezone.localtime(opened_at).date(),
            "risk:review",
            "Record the review",
            "Risk review needed",
            "red",
            kwargs={"review_id": review_pk},
        )


def _unpaid_work_at_risk(case_ids: list[int], today: date, thresholds: rules.Thresholds):
    """Active unpaid work requirements at risk of missing their date (risk.rules.upw_at_risk). At most two
    queries: the requirements with their latest extension, and the sessions credited."""
    requirements = list(
        Requirement.objects.filter(
            order__service_user__any_of=case_ids,
            order__status=OrderStatus.ACTIVE,
            requirement_type=RequirementType.UNPAID_WORK,
            status=RequirementStatus.ACTIVE,
            unpaid_work_hours__isnull=False,
        )
        .annotate(extended_to=Max("extensions__extended_to"))  # the latest extension is the one that counts
        .values_list("pk", "order__service_user", "unpaid_work_hours", "order__sentence_date", "extended_to")
    )
    if not requirements:
        return
    ids = [pk for pk, *_ in requirements]
    worked = defaultdict(int)
    for requirement_id, outcome, starts_at, ends_at, penalty in Contact.objects.filter(
        requirement__in=ids, contact_type=ContactType.CUPA, outcome__in=ATTENDED
    ).values_list("requirement", "outcome", "starts_at", "ends_at", "penalty_minutes"):
        worked[requirement_id] += contact_rules.credited_minutes(
            outcome=outcome, starts_at=starts_at, ends_at=ends_at, penalty_minutes=penalty
        )
    for pk, case_pk, hours, made_on, extended_to in requirements:
        progress = contact_rules.UnpaidWorkProgress(ordered_hours=hours, worked_minutes=worked[pk])
        complete_by = upw_complete_by(made_on, [extended_to] if extended_to else [])
        risk = rules.upw_at_risk(
            complete_by=complete_by, remaining_minutes=progress.remaining_minutes, today=today, t=thresholds
        )
        if risk is not None:
            tag = ("Date passed", "red") if risk.overdue else ("At risk", "orange")
            yield _entry(
                case_pk, "unpaid_work", risk.message, complete_by, "casework:sentence", "Review unpaid work", *tag
            )


def _reminders_failed(case_ids: list[int], today: date, thresholds: rules.Thresholds):
    """Reminders Notify could not deliver for good (an unknown or dead number): the officer checks the number."""
    for pk, reminder_pk, channel in failed_reminders_for_cases(case_ids):
        what = "mobile number" if channel == "sms" else "email address"
        yield _entry(
            pk,
            "reminders",
            f"Check the {what}: a reminder could not be delivered",
            today,
            "contacts:preferences",
            f"Check the {what}",
            "Not delivered",
            "red",
            query=f"?reminder={reminder_pk}",
        )


# In the order a case's entries are stored.
STEPS = (
    _contacts_due,
    _enquiries_to_request,
    _responses_to_chase,
    _outcomes_to_log,
    _absences_to_decide,
    _breach_hearings,
    _approvals_waiting,
    _reviews_needed,
    _unpaid_work_at_risk,  # by the rule set's local-policy numbers
    _reminders_failed,
)
