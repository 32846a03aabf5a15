"""Reads for contacts: the log, what is due, unpaid work hours and compliance, approvals."""

import functools
from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import DateField, Exists, F, Func, Max, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, Greatest, TruncDate
from django.utils import timezone

from casework.constants import RequirementStatus, RequirementType, Role
from casework.models import AgencyInvolvement, KeyIndividual, Order, ProtectedPerson, Requirement, ServiceUser, User
from casework.selectors import cases_visible_to, hidden_case_ids, managed_team_ids
from core.prepared import (
    Counting,
    Listing,
    Prepared,
    PreparedList,
    Reading,
    counting,
    listing,
    prepared,
    prepared_filter,
    read_together,
    reading,
)

from . import rules
from .constants import (
    ATTENDANCE_TYPES,
    ATTENDED,
    COMPLIED,
    COURT_BREACH,
    FAILURES,
    PENDING,
    WARNINGS,
    ContactType,
    RequestStatus,
)
from .models import Contact, ContactAmendment, ContactChangeRequest, ContactPlan, EnforcementWarning

LOCAL_TZ = ZoneInfo(settings.TIME_ZONE)

COMPLIANCE_FILTERS = {
    "no_outcome": Q(contact_type__in=ATTENDANCE_TYPES, outcome="", cancelled_at__isnull=True),
    "complied": Q(outcome__in=COMPLIED),
    "not_complied": Q(outcome__in=FAILURES | PENDING),
}


def contact_log(case: ServiceUser, *, compliance: str = "", contact_type: str = "") -> QuerySet[Contact]:
    """The case's contacts, newest first; with_people fills in who each row was with, for the page shown."""
    return _log(compliance, case.pk, timezone.now(), contact_type or None)


def _log(compliance: str, case_id: int, now: datetime, contact_type: str | None) -> QuerySet[Contact]:
    contacts = Contact.objects.filter(service_user=case_id, starts_at__lte=now)
    if compliance in COMPLIANCE_FILTERS:
        contacts = contacts.filter(COMPLIANCE_FILTERS[compliance])
    if contact_type is not None:
        contacts = contacts.filter(contact_type=contact_type)
    # "Amended" as EXISTS, not COUNT, and the people on each row read for the page, not joined: with a GROUP BY
    # or a hash join PostgreSQL read the case's whole history and sorted it before it could take the first page.
    # Without them the plan walks the case's (service_user, -starts_at, -id) index and stops at the page's end,
    # however long the history.
    return contacts.annotate(amended=Exists(ContactAmendment.objects.filter(contact=OuterRef("pk")))).order_by(
        "-starts_at", "-id"
    )


_PREPARED_LOGS: dict[str, Prepared] = {}


def contact_log_list(case: ServiceUser, *, compliance: str = "", contact_type: str = "") -> PreparedList:
    """contact_log() as a Paginator's object_list, read with prepared SQL (core.prepared): the page every contact
    opens. One prepared query for each compliance filter; the contact type is a value."""
    compliance = compliance if compliance in COMPLIANCE_FILTERS else ""
    if compliance not in _PREPARED_LOGS:
        _PREPARED_LOGS[compliance] = prepared(functools.partial(_log, compliance))
    return PreparedList(_PREPARED_LOGS[compliance], case.pk, timezone.now(), contact_type or None)


# Who a contact log page's rows were with, by id (with_people).
_PEOPLE = {
    "officer": prepared_filter(User, "pk__in"),
    "key_individual": prepared_filter(KeyIndividual, "pk__in"),
    "protected_person": prepared_filter(ProtectedPerson, "pk__in"),
    "agency": prepared_filter(AgencyInvolvement, "pk__in"),
}


def with_people(contacts: list[Contact]) -> list[Contact]:
    """A page of contacts with the officer and the person or agency each was with, one prepared read for each
    kind that the page names (a page of 25 is mostly one officer and no one else)."""
    for field, read in _PEOPLE.items():
        ids = sorted({getattr(contact, f"{field}_id") for contact in contacts} - {None})
        found = {person.pk: person for person in read.instances(ids)} if ids else {}
        for contact in contacts:
            setattr(contact, field, found.get(getattr(contact, f"{field}_id")))
    return contacts


def appointments(case: ServiceUser) -> dict:
    now = timezone.now()
    arranged = case.contacts.filter(arranged=True).select_related("officer")
    return {
        "upcoming": list(arranged.filter(starts_at__gt=now).order_by("starts_at")[:50]),
        "past": list(arranged.filter(starts_at__lte=now).order_by("-starts_at")[:50]),
    }


def _still_to_come(contacts: QuerySet[Contact], now: datetime) -> QuerySet[Contact]:
    """Appointments still to come: arranged, in the future, not cancelled or moved, no outcome yet. The one
    definition the overview, the caseload and the unallocated list all read."""
    return contacts.filter(arranged=True, outcome="", cancelled_at__isnull=True, starts_at__gt=now).order_by(
        "starts_at", "pk"
    )


@prepared
def _next_appointment_of(case_id, now):
    return _still_to_come(Contact.objects.filter(service_user=case_id), now)[:1]


@prepared
def _outcomes_to_record_of(case_id, now):
    return Contact.objects.filter(
        service_user=case_id,
        contact_type__in=ATTENDANCE_TYPES,
        outcome="",
        cancelled_at__isnull=True,
        starts_at__lte=now,
    )


def outcomes_to_record(case: ServiceUser) -> Counting:
    """How many of the case's appointments have happened with no outcome recorded yet, as a count to run with
    others (core.prepared.read_together)."""
    return counting(_outcomes_to_record_of, case.pk, timezone.now())


def next_appointment_listing(case: ServiceUser) -> Listing:
    """The service user's next appointment still to come, as a read not yet run (a list of none or one), so it
    can be read with others (read_together, as contact_summary does)."""
    return listing(_next_appointment_of, case.pk, timezone.now(), instances=True)


def next_appointment_annotation(now: datetime | None = None) -> Subquery:
    """When each case's next appointment is, as SQL over a queryset of cases. A correlated subquery, not an
    aggregate over a join: PostgreSQL evaluates it only for the rows a page shows unless the list is sorted by
    it, and counting the list leaves it out."""
    upcoming = _still_to_come(Contact.objects.filter(service_user=OuterRef("pk")), now or timezone.now())
    return Subquery(upcoming.values("starts_at")[:1])


@prepared
def _current_plan_of(case_id):
    return ContactPlan.objects.filter(service_user=case_id, ends_on__isnull=True)[:1]  # the latest (Meta.ordering)


def current_plan(case: ServiceUser) -> ContactPlan | None:
    return next(iter(_current_plan_of.instances(case.pk)), None)


def caseload_contact_due(cases: list, today: date) -> None:
    """Each case on a page of the caseload gets .contact_due: when contact is next due under its plan (None
    without a plan). The caseload query annotates the date (caseload_sorts), so the column shows the date it is
    sorted by; a list without the annotation takes two queries for the page (due_for_cases)."""
    if all(hasattr(case, CONTACT_DUE_ON) for case in cases):
        for case in cases:
            due_on = getattr(case, CONTACT_DUE_ON)
            case.contact_due = rules.contact_due_status(due_on, today) if due_on else None
        return
    due = due_for_cases([case.pk for case in cases], today)
    for case in cases:
        case.contact_due = due.get(case.pk)


class AddDays(Func):
    """A date plus a whole number of days from a column, in SQL (PostgreSQL adds an integer to a date)."""

    output_field = DateField()
    template = "(%(expressions)s)"
    arg_joiner = " + "

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler, connection, template="date(%(expressions)s || ' days')", arg_joiner=", '+' || ", **extra_context
        )


CONTACT_DUE_ON = "contact_due_on"


def contact_due_on_annotation(now: datetime | None = None):
    """When contact is next due, as SQL over a queryset of cases: the same rule as due_for_cases
    (rules.next_contact_due: the plan's frequency after the later of the plan start and the local day of the
    last national-standard contact attended), NULL without a current plan. For sorting a whole caseload."""
    plan = ContactPlan.objects.filter(service_user=OuterRef("pk"), ends_on__isnull=True)
    last_seen = Contact.objects.filter(
        service_user=OuterRef("pk"), national_standard=True, outcome__in=ATTENDED, starts_at__lte=now or timezone.now()
    ).order_by("-starts_at")
    plan_start = Subquery(plan.values("starts_on")[:1], output_field=DateField())
    last_day = TruncDate(Subquery(last_seen.values("starts_at")[:1]), tzinfo=LOCAL_TZ)
    # Greatest with a NULL is NULL on SQLite but not on PostgreSQL: the plan start stands in for no contact.
    anchor = Greatest(Coalesce(last_day, plan_start), plan_start)
    return AddDays(anchor, Subquery(plan.values("frequency_days")[:1]))


def caseload_sorts(now: datetime) -> tuple[dict, dict]:
    """For casework's caseload (settings.CASELOAD_EXTRA_SORTS): the contact-due date and the next appointment on
    every row, and their sorts.
    Ascending puts the most overdue first, then the soonest due; cases without a contact plan go last."""
    due_on, next_on = F(CONTACT_DUE_ON), F("next_appointment")
    return (
        {CONTACT_DUE_ON: contact_due_on_annotation(now), "next_appointment": next_appointment_annotation(now)},
        {
            "due": (due_on.asc(nulls_last=True), "last_name"),
            "-due": (due_on.desc(nulls_last=True), "last_name"),
            "appointment": (next_on.asc(nulls_last=True), "last_name"),
            "-appointment": (next_on.desc(nulls_last=True), "last_name"),
        },
    )


def due_for_cases(case_ids: list[int], today: date) -> dict[int, rules.DueStatus]:
    """Next-contact status for many cases in two queries."""
    plans = {
        row[0]: row[1:]
        for row in ContactPlan.objects.filter(service_user__any_of=case_ids, ends_on__isnull=True).values_list(
            "service_user", "frequency_days", "starts_on"
        )
    }
    last = _last_contacts(list(plans))
    return {pk: _due_status(frequency, start, last.get(pk), today) for pk, (frequency, start) in plans.items()}


@prepared
def _last_contact_of(case_id, now):
    return _last_seen(Contact.objects.filter(service_user=case_id), now).values_list("last")


def _last_seen(contacts: QuerySet[Contact], now: datetime) -> QuerySet:
    """When each case was last seen: the latest national-standard contact attended, as (case, last)."""
    seen = contacts.filter(national_standard=True, outcome__in=ATTENDED, starts_at__lte=now)
    return seen.values("service_user").annotate(last=Max("starts_at")).order_by()


def _last_contacts(case_ids: list[int]) -> dict:
    """When each case was last seen: the latest national-standard contact attended."""
    contacts = Contact.objects.filter(service_user__any_of=case_ids)
    return dict(_last_seen(contacts, timezone.now()).values_list("service_user", "last"))


@prepared
def _last_seen_of(case_id, now):
    return _last_seen(Contact.objects.filter(service_user=case_id), now).values_list("last")


def _due_status(frequency_days: int, plan_start: date, last_contact, today: date) -> rules.DueStatus:
    last_day = rules.local_date(last_contact, LOCAL_TZ) if last_contact else None
    due_on = rules.next_contact_due(frequency_days=frequency_days, plan_start=plan_start, last_contact=last_day)
    return rules.contact_due_status(due_on, today)


@prepared
def _ordered_upw_hours_of(case_id):
    return (
        Requirement.objects.filter(order__service_user=case_id, requirement_type=RequirementType.UNPAID_WORK)
        .exclude(status=RequirementStatus.TERMINATED)
        .values("order__service_user")
        .annotate(hours=Sum("unpaid_work_hours"))
        .values_list("hours")
        .order_by()
    )


class _SummaryRow(NamedTuple):
    """A contact the summary reads: failures, decisions pending, enforcement actions and unpaid work sessions."""

    pk: int
    order_id: int | None
    contact_type: str
    starts_at: datetime
    ends_at: datetime | None
    outcome: str
    action: str
    penalty_minutes: int


_NOT_COMPLIED = FAILURES | PENDING
_COMPLIANCE_ROWS = Q(outcome__in=_NOT_COMPLIED) | ~Q(enforcement_action="")
_UPW_SESSIONS = Q(contact_type=ContactType.CUPA, outcome__in=ATTENDED)


def _summary_rows_where(condition: Q):
    @prepared
    def rows_of(case_id):
        contacts = Contact.objects.filter(condition, service_user=case_id)
        return contacts.values_list(*_SummaryRow._fields[:6], "enforcement_action", "penalty_minutes")

    return rows_of


# Prepared (core.prepared): the overview and the contact log read them for every case opened.
_SUMMARY_ROWS = {
    "compliance": _summary_rows_where(_COMPLIANCE_ROWS),
    "upw": _summary_rows_where(_UPW_SESSIONS),
    "both": _summary_rows_where(_COMPLIANCE_ROWS | _UPW_SESSIONS),
}


def _summary_rows(case: ServiceUser, which: str) -> list[_SummaryRow]:
    return [_SummaryRow(*row) for row in _SUMMARY_ROWS[which].rows(case.pk)]


def _upw_progress(ordered_hours: int | None, rows: list[_SummaryRow]) -> rules.UnpaidWorkProgress | None:
    if not ordered_hours:
        return None
    completed = sum(
        rules.credited_minutes(
            outcome=r.outcome, starts_at=r.starts_at, ends_at=r.ends_at, penalty_minutes=r.penalty_minutes
        )
        for r in rows
        if r.contact_type == ContactType.CUPA and r.outcome in ATTENDED
    )
    return rules.UnpaidWorkProgress(ordered_hours=ordered_hours, worked_minutes=completed)


def unpaid_work_progress(case: ServiceUser) -> rules.UnpaidWorkProgress | None:
    ordered = _ordered_upw_hours_of.read(case.pk)
    return _upw_progress(ordered, _summary_rows(case, "upw") if ordered else [])


@prepared
def _order_periods_of(case_id):
    return Order.objects.filter(service_user=case_id).values_list(
        "pk", "order_type", "start_date", "expected_end_date", "ended_on", "sentence_date"
    )


def order_periods(case: ServiceUser) -> list[rules.OrderPeriod]:
    """Each order from its start to the day it ended (or, while active, its expected end), with its sentence date."""
    return _periods(_order_periods_of.rows(case.pk))


@prepared
def _closed_on_of(case_id):
    return ServiceUser.objects.filter(pk=case_id).values_list("closed_on")


def closed_on_and_orders(case: ServiceUser) -> tuple[date | None, list[rules.OrderPeriod]]:
    """When the case closed (None while open), read afresh, and order_periods, in one statement: what a write of
    new contacts checks and files them under."""
    found = read_together({"closed_on": reading(_closed_on_of, case.pk), "orders": listing(_order_periods_of, case.pk)})
    return found["closed_on"], _periods(found["orders"])


def _periods(rows) -> list[rules.OrderPeriod]:
    return [
        rules.OrderPeriod(pk, order_type, start, ended or end, sentenced)
        for pk, order_type, start, end, ended, sentenced in rows
    ]


@dataclass(frozen=True)
class CaseOrders:
    """What a form that records a contact, a failure or an enforcement action is made with: when the case closed
    (None while open), its orders (order_periods) and the warnings given under them (warnings_given)."""

    closed_on: date | None
    orders: list[rules.OrderPeriod]
    warnings: list[rules.WarningGiven]


def case_orders(case: ServiceUser) -> CaseOrders:
    """The case's CaseOrders, read afresh in one statement (core.prepared.read_together)."""
    found = read_together(
        {
            "closed_on": reading(_closed_on_of, case.pk),
            "orders": listing(_order_periods_of, case.pk),
            "recorded": listing(_warnings_of, case.pk),
            "contacts": listing(_warning_contacts_of, case.pk),
        }
    )
    orders = _periods(found["orders"])
    warnings = warnings_given(case, orders, warning_contacts=found["contacts"], recorded=found["recorded"])
    return CaseOrders(found["closed_on"], orders, warnings)


def _order_of(order_id: int | None, starts_at: datetime, orders: list[rules.OrderPeriod]) -> rules.OrderPeriod | None:
    if order_id is not None:
        return next((o for o in orders if o.pk == order_id), None)
    return rules.order_in_force(orders, rules.local_date(starts_at, LOCAL_TZ))


def contact_order(contact: Contact, orders: list[rules.OrderPeriod]) -> rules.OrderPeriod | None:
    """The order a contact belongs to: its own link, else the order in force on its day."""
    return _order_of(contact.order_id, contact.starts_at, orders)


@prepared
def _warnings_of(case_id):
    return EnforcementWarning.objects.filter(service_user=case_id).values_list(
        "order_id", "given_on", "failure_id", "withdrawn_on"
    )


@prepared
def _warning_contacts_of(case_id):
    return Contact.objects.filter(service_user=case_id, enforcement_action__in=WARNINGS).values_list(
        "pk", "order_id", "starts_at"
    )


def warnings_given(
    case: ServiceUser,
    orders: list[rules.OrderPeriod] | None = None,
    *,
    warning_contacts: list | None = None,
    recorded: list | None = None,
) -> list[rules.WarningGiven]:
    """Warnings in force or past (not withdrawn), each on its order from the date it was given.

    A failure given a warning code before warnings were recorded has no warning record: its warning counts from
    the day of the failure (the only date on record), on the contact's order. `warning_contacts` are the case's
    contacts with a warning code as (pk, order_id, starts_at), and `recorded` its warning records as _warnings_of
    reads them, when the caller has read them already."""
    given, found = [], set()
    for order_id, given_on, failure_id, withdrawn_on in _warnings_of.rows(case.pk) if recorded is None else recorded:
        found.add(failure_id)  # withdrawn or not, the failure has its record
        if withdrawn_on is None:
            given.append(rules.WarningGiven(order_id, given_on, failure_id))
    if warning_contacts is None:
        warning_contacts = _warning_contacts_of.rows(case.pk)
    unrecorded = [row for row in warning_contacts if row[0] not in found]
    if unrecorded and orders is None:
        orders = order_periods(case)  # only then: most cases have no warning from before records
    for pk, order_id, starts_at in unrecorded:
        order = _order_of(order_id, starts_at, orders)
        given.append(rules.WarningGiven(order.pk if order else None, rules.local_date(starts_at, LOCAL_TZ), pk))
    return given


def failures_on_order(case: ServiceUser, order: rules.OrderPeriod, orders: list[rules.OrderPeriod]) -> dict:
    """Failures, warnings in force and breach referrals on one order: shown where an enforcement decision is made."""
    today = timezone.localdate()
    failures = breaches = 0
    for contact in case.contacts.filter(Q(outcome__in=FAILURES) | Q(enforcement_action__in=COURT_BREACH)):
        if (found := contact_order(contact, orders)) is None or found.pk != order.pk:
            continue
        failures += contact.outcome in FAILURES
        breaches += contact.enforcement_action in COURT_BREACH
    warnings = [w for w in warnings_given(case, orders) if w.order_id == order.pk]
    return {"failures": failures, "warnings_in_force": rules.warnings_in_force(warnings, today), "breaches": breaches}


def _compliance(
    case: ServiceUser, rows: list[_SummaryRow], today: date, *, warnings: list | None = None
) -> rules.ComplianceSummary:
    failures, breaches, pending = [], [], 0
    for row in rows:
        day = rules.local_date(row.starts_at, LOCAL_TZ)
        if row.outcome in FAILURES:
            failures.append(day)
        if row.outcome in PENDING:
            pending += 1
        if row.action in COURT_BREACH:
            breaches.append(day)
    # Every contact with a warning code is among the rows (they have an enforcement action).
    warning_contacts = [(r.pk, r.order_id, r.starts_at) for r in rows if r.action in WARNINGS]
    return rules.compliance_summary(
        today=today,
        failures=failures,
        warnings=warnings_given(case, warning_contacts=warning_contacts, recorded=warnings),
        breaches=breaches,
        pending=pending,
    )


def compliance(case: ServiceUser, today: date | None = None) -> rules.ComplianceSummary:
    return _compliance(case, _summary_rows(case, "compliance"), today or timezone.localdate())


def outcomes_to_log(user: User) -> QuerySet[Contact]:
    """Past appointments on the user's cases (or run by them) with no outcome yet, and failures to attend
    still waiting for a decision."""
    return (
        Contact.objects.filter(
            Q(officer=user) | Q(service_user__responsible_officer=user),
            Q(outcome="") | Q(outcome__in=PENDING),
            service_user__in=cases_visible_to(user),
            contact_type__in=ATTENDANCE_TYPES,
            starts_at__lte=timezone.now(),
            cancelled_at__isnull=True,
        )
        .select_related("service_user")
        .order_by("starts_at")
    )


def pending_requests(case: ServiceUser) -> QuerySet[ContactChangeRequest]:
    return case.contact_requests.filter(status=RequestStatus.PENDING).select_related("requested_by")


@prepared
def _pending_requests_of(case_id):
    return ContactChangeRequest.objects.filter(service_user=case_id, status=RequestStatus.PENDING)


@prepared
def _requests_waiting(team_ids, hidden_ids):
    # Every page pays for the badge: team ids as values, not joined through the managers (planned in a tenth of
    # the time), and the teams' cases looked up in the index of requests waiting (casework.lookups.AnyOf). A
    # managed team is always visible, so only the cases restrictions hide need leaving out.
    cases = ServiceUser.objects.filter(team__in=team_ids).values("pk")
    waiting = ContactChangeRequest.objects.filter(status=RequestStatus.PENDING, service_user__any_of=cases)
    return waiting.exclude(service_user__in=hidden_ids) if hidden_ids else waiting


def contact_requests_waiting(user: User) -> dict[str, Counting]:
    """For the "Approvals" badge (settings.APPROVALS_WAITING): contact-change requests on cases of the manager's
    teams, as a prepared count the navigation runs with its other badges."""
    return {"contact_requests": counting(_requests_waiting, managed_team_ids(user), hidden_case_ids(user))}


def approvals_queue(user: User) -> QuerySet[ContactChangeRequest]:
    """Requests waiting for a decision on cases of teams the user manages."""
    if user.role != Role.LINE_MANAGER:
        return ContactChangeRequest.objects.none()
    cases = cases_visible_to(user).filter(team__in=managed_team_ids(user)).values("pk")
    return (
        ContactChangeRequest.objects.filter(status=RequestStatus.PENDING, service_user__any_of=cases)
        .select_related("service_user", "requested_by")
        .order_by("requested_at")
    )


@dataclass(frozen=True)
class ContactSummary:
    plan: ContactPlan | None
    due: rules.DueStatus | None
    upw: rules.UnpaidWorkProgress | None
    compliance: rules.ComplianceSummary
    pending_requests: list
    facts: dict  # when the case was last seen, the unpaid work hours ordered, and what else the page asked for


def contact_summary(case: ServiceUser, **more: Counting | Reading | Listing) -> ContactSummary:
    """The contact summary the overview and the contact log show, with any `more` a page wants (such as outcomes
    to record), read in one statement (core.prepared.read_together): the plan, when the case was last seen and the
    unpaid work ordered, the contacts that count for compliance and unpaid work, the warnings on record and the
    requests waiting. Five round trips were a third of the contact log's time in the database."""
    today = timezone.localdate()
    found = read_together(
        {
            "plan": listing(_current_plan_of, case.pk, instances=True),
            "last_seen": reading(_last_seen_of, case.pk, timezone.now()),
            "upw_ordered": reading(_ordered_upw_hours_of, case.pk),
            # Unpaid work sessions too, whether or not hours are ordered: without an order there are none.
            "rows": listing(_SUMMARY_ROWS["both"], case.pk),
            "warnings": listing(_warnings_of, case.pk),
            "pending_requests": listing(_pending_requests_of, case.pk, instances=True),
            **more,
        }
    )
    plan = next(iter(found.pop("plan")), None)
    rows, warnings = [_SummaryRow(*row) for row in found.pop("rows")], found.pop("warnings")
    due = None
    if plan is not None:  # the same rule as due_for_cases, reusing the plan already read
        due = _due_status(plan.frequency_days, plan.starts_on, found["last_seen"], today)
    compliance_rows = [r for r in rows if r.outcome in _NOT_COMPLIED or r.action]
    return ContactSummary(
        plan=plan,
        due=due,
        upw=_upw_progress(found["upw_ordered"], rows),
        compliance=_compliance(case, compliance_rows, today, warnings=warnings),
        pending_requests=found.pop("pending_requests"),
        facts=found,
    )
