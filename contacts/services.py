"""Writes for contacts. Each runs in one transaction and leaves a case event behind it."""

import uuid
from datetime import date, datetime, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from casework.constants import EventKind, NotificationKind, RequirementStatus, RequirementType
from casework.models import Requirement, ServiceUser, User
from casework.notifications import notify
from casework.services import check_same_case, field_label, record_case_event, record_changes, records_changed
from core import permissions
from core.errors import CaseworkError
from core.queue import enqueue_on_commit

from . import reminders, rules, selectors
from .constants import (
    ACCEPTABLE_ABSENCES,
    ATTENDED,
    COURT_BREACH,
    ENQUIRY_TYPES,
    FAILURES,
    NOTES_MAX_LENGTH,
    NOTES_TOO_LONG,
    PENDING,
    RECORD_AS_ENQUIRY,
    WARNINGS,
    AmendmentKind,
    ContactType,
    EnforcementAction,
    Outcome,
    PlanSource,
    RequestStatus,
    WarningKind,
    WithWhom,
)
from .models import Contact, ContactAmendment, ContactChangeRequest, ContactPlan, EnforcementWarning
from .tasks import contact_recorded


class AlreadyDecided(CaseworkError):
    """Someone else decided the request first."""


def _upw_requirement(case: ServiceUser) -> Requirement | None:
    return (
        Requirement.objects.filter(
            order__service_user=case, requirement_type=RequirementType.UNPAID_WORK, status=RequirementStatus.ACTIVE
        )
        .order_by("id")
        .first()
    )


@transaction.atomic
def contact_log(
    *,
    actor: User,
    case: ServiceUser,
    contact_type: str,
    starts_at: datetime,
    ends_at: datetime | None = None,
    with_whom: str = WithWhom.SERVICE_USER,
    key_individual=None,
    protected_person=None,
    agency=None,
    location: str = "",
    notes: str = "",
    sensitive: bool = False,
    national_standard: bool = False,
    outcome: str = "",
    enforcement_action: str = "",
    penalty_minutes: int = 0,
    warning_given_on: date | None = None,
    case_orders: selectors.CaseOrders | None = None,
) -> Contact:
    """Record a contact that has happened (or is happening now). People and agencies named must be this
    case's own. A warning is recorded on the contact's order, given on `warning_given_on` (default today).
    `case_orders`: the case's orders as the form was checked against them in this request, if it read them."""
    check_same_case(case, {"key_individual": key_individual, "protected_person": protected_person, "agency": agency})
    orders = _orders_of_open_case(case, case_orders)
    if starts_at > timezone.now():
        raise CaseworkError("A contact that has not happened yet is an appointment. Arrange it instead")
    if contact_type in ENQUIRY_TYPES:
        raise CaseworkError(RECORD_AS_ENQUIRY, field="contact_type")
    _check_session(starts_at=starts_at, ends_at=ends_at, penalty_minutes=penalty_minutes, notes=notes)
    now = timezone.now()
    contact = Contact(
        service_user=case,
        contact_type=contact_type,
        starts_at=starts_at,
        ends_at=ends_at,
        with_whom=with_whom,
        key_individual=key_individual,
        protected_person=protected_person,
        agency=agency,
        officer=actor,
        location=location,
        notes=notes,
        sensitive=sensitive,
        national_standard=national_standard,
        outcome=outcome,
        enforcement_action=_pending_code(outcome, enforcement_action),
        penalty_minutes=penalty_minutes or 0,
        outcome_recorded_at=now if outcome else None,
        outcome_recorded_by=actor if outcome else None,
        requirement=_upw_requirement(case) if contact_type == ContactType.CUPA else None,
        order_id=_order_on(orders, starts_at),
        created_by=actor,
        updated_by=actor,
    )
    contact.save()
    _enforce(actor=actor, contact=contact, given_on=warning_given_on)
    _answer_reminders(contact, new=True)
    record_case_event(
        actor=actor,
        case=case,
        kind=EventKind.CREATED,
        record=contact,
        summary=f"Contact logged: {contact.get_contact_type_display()}"
        + (f" – {contact.get_outcome_display()}" if contact.outcome else ""),
        changes=_enforcement_change(contact),
    )
    return contact


CASE_CLOSED = (
    "This case is closed: its last order has ended. New contacts and appointments cannot be added. "
    "You can still record the outcome of a past appointment"
)


def _orders_of_open_case(case: ServiceUser, as_read: selectors.CaseOrders | None = None) -> list[rules.OrderPeriod]:
    """The case's orders, for the order each new contact is under. A closed case takes no new contacts or
    appointments: whether it is closed is read afresh (it may have closed a moment ago), with the orders, unless
    the caller read both in this request (a form checked against them): then the contact is filed under the
    orders it was checked against, and they are not read twice."""
    if as_read is not None:
        closed_on, orders = as_read.closed_on, as_read.orders
    else:
        closed_on, orders = selectors.closed_on_and_orders(case)
    if closed_on is not None:
        raise CaseworkError(CASE_CLOSED)
    return orders


def _check_session(*, starts_at: datetime, ends_at: datetime | None, penalty_minutes: int, notes: str) -> None:
    if ends_at is not None and ends_at <= starts_at:
        raise CaseworkError("The session must end after it started")
    problem = rules.penalty_error(starts_at=starts_at, ends_at=ends_at, penalty_minutes=penalty_minutes)
    if problem:
        raise CaseworkError(problem, field="penalty_minutes")
    if len(notes) > NOTES_MAX_LENGTH:
        raise CaseworkError(NOTES_TOO_LONG, field="notes")


def _enforcement_change(contact: Contact) -> list[dict]:
    if not contact.enforcement_action:
        return []
    return [{"field": "Enforcement action", "from": "", "to": contact.enforcement_text}]


def _order_on(orders: list[rules.OrderPeriod], moment: datetime) -> int | None:
    """The order a contact at `moment` is under: the case's order in force that day."""
    order = rules.order_in_force(orders, rules.local_date(moment, selectors.LOCAL_TZ))
    return order.pk if order else None


def _answer_reminders(contact: Contact, *, new: bool = False) -> None:
    """Queue the follow-up that marks the reminders this outcome answers as read, when it can answer any."""
    if rules.answers_reminders(national_standard=contact.national_standard, outcome=contact.outcome, new=new):
        enqueue_on_commit(contact_recorded, contact.pk)


def _pending_code(outcome: str, action: str) -> str:
    """A failure to attend not yet judged carries the national "decision pending" code."""
    return action or (EnforcementAction.EA12 if outcome in PENDING else "")


def _enforce(*, actor: User, contact: Contact, given_on: date | None) -> None:
    """Check the enforcement action against the contact's order and the statute, and record a warning."""
    action = contact.enforcement_action
    if not action or action == EnforcementAction.EA12:
        return
    orders = selectors.order_periods(contact.service_user)
    order = selectors.contact_order(contact, orders)
    _check_route(action, order)
    if action in WARNINGS:
        _check_no_warning_in_force(contact, order, orders)
        warning_record(actor=actor, contact=contact, order_id=order.pk, given_on=given_on or timezone.localdate())


def _check_route(action: str, order: rules.OrderPeriod | None) -> None:
    """Warnings and court breach are for community and suspended sentence orders; a licence goes to recall."""
    field = "enforcement_action"
    if order is None and (action in WARNINGS or action in COURT_BREACH):
        raise CaseworkError(
            "This contact is not under any order of the case. Check the orders and the date", field=field
        )
    if order is None:
        return
    if order.is_licence and (action in WARNINGS or action == EnforcementAction.BRE):
        raise CaseworkError(
            "A licence is not enforced by warnings or a court breach. A failure on licence goes towards recall: "
            "select recall requested, breach or recall initiated, or a licence compliance letter",
            field=field,
        )
    if not order.is_licence and action in (EnforcementAction.EA11, EnforcementAction.LCL):
        raise CaseworkError("Recall and licence compliance letters are for licences only", field=field)


def _check_no_warning_in_force(contact: Contact, order: rules.OrderPeriod, orders) -> None:
    advice = rules.enforcement_advice(
        failure_on=rules.local_date(contact.starts_at, selectors.LOCAL_TZ),
        order=order,
        warnings=selectors.warnings_given(contact.service_user, orders),
        failure_id=contact.pk,
    )
    if advice.requires_breach:
        raise CaseworkError(breach_message(advice), field="enforcement_action")


def breach_message(advice: rules.EnforcementAdvice) -> str:
    given = advice.last_warning_on
    return (
        f"A warning was given on {given.day} {given:%B %Y}. A further failure within 12 months must be referred "
        f"for breach, not warned again ({advice.statute}). Select breach requested"
    )


@transaction.atomic
def warning_record(*, actor: User, contact: Contact, order_id: int, given_on: date) -> EnforcementWarning:
    """Record the warning given for a failure: letter or in person, on the date it was given."""
    failure_on = rules.local_date(contact.starts_at, selectors.LOCAL_TZ)
    if given_on < failure_on:
        raise CaseworkError("The warning cannot be given before the failure it is for", field="warning_given_on")
    if given_on > timezone.localdate():
        raise CaseworkError("The date the warning was given must be today or in the past", field="warning_given_on")
    in_person = contact.enforcement_action == EnforcementAction.WIP
    warning = EnforcementWarning.objects.create(
        service_user=contact.service_user,
        order_id=order_id,
        failure=contact,
        kind=WarningKind.IN_PERSON if in_person else WarningKind.LETTER,
        action=contact.enforcement_action,
        given_on=given_on,
        created_by=actor,
        updated_by=actor,
    )
    ends = rules.period_end(given_on)
    record_case_event(
        actor=actor,
        case=contact.service_user,
        kind=EventKind.CREATED,
        record=warning,
        summary=f"{warning.get_kind_display()} given on {given_on.day} {given_on:%B %Y} for {contact}",
        changes=[{"field": "Breach period ends", "from": "", "to": f"{ends.day} {ends:%B %Y}"}],
    )
    return warning


@transaction.atomic
def appointments_arrange(
    *,
    actor: User,
    case: ServiceUser,
    contact_type: str,
    starts: list,
    duration: timedelta,
    location: str,
    notes: str,
    sensitive: bool,
) -> list[Contact]:
    """Arrange one appointment, or a repeating series (one row each, sharing a series id)."""
    orders = _orders_of_open_case(case)
    series = uuid.uuid4() if len(starts) > 1 else None
    requirement = _upw_requirement(case) if contact_type == ContactType.CUPA else None
    created = Contact.objects.bulk_create(
        Contact(
            service_user=case,
            contact_type=contact_type,
            starts_at=start,
            ends_at=start + duration,
            officer=actor,
            location=location,
            notes=notes,
            sensitive=sensitive,
            arranged=True,
            series=series,
            national_standard=contact_type != ContactType.CUPA,
            requirement=requirement,
            order_id=_order_on(orders, start),
            created_by=actor,
            updated_by=actor,
        )
        for start in starts
    )
    records_changed(case.pk)  # bulk_create sends no post_save
    for appointment in created:
        reminders.reminders_schedule(appointment)
    first = created[0]
    summary = f"Appointment arranged: {first.get_contact_type_display()}"
    if len(created) > 1:
        summary = f"{len(created)} appointments arranged: {first.get_contact_type_display()}"
    record_case_event(actor=actor, case=case, kind=EventKind.CREATED, record=first, summary=summary)
    return created


@transaction.atomic
def contact_outcome_record(
    *,
    actor: User,
    contact: Contact,
    outcome: str,
    enforcement_action: str = "",
    ends_at=None,
    penalty_minutes: int = 0,
    notes: str = "",
    warning_given_on: date | None = None,
) -> Contact:
    """Record what happened at a past appointment. An outcome already recorded is changed by amendment."""
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    if contact.outcome:
        raise CaseworkError("An outcome has already been recorded. Amend the contact to correct it")
    if contact.cancelled_at:
        raise CaseworkError("This appointment was cancelled, so it has no outcome")
    if contact.starts_at > timezone.now():
        raise CaseworkError("You cannot record an outcome for an appointment that has not happened yet")
    combined = f"{contact.notes}\n\n{notes}".strip() if notes else contact.notes
    _check_session(
        starts_at=contact.starts_at, ends_at=ends_at or contact.ends_at, penalty_minutes=penalty_minutes, notes=combined
    )
    contact.outcome = outcome
    contact.enforcement_action = _pending_code(outcome, enforcement_action)
    contact.outcome_recorded_at, contact.outcome_recorded_by = timezone.now(), actor
    if ends_at is not None:
        contact.ends_at = ends_at
    if outcome in ATTENDED:
        contact.penalty_minutes = penalty_minutes
    contact.notes = combined
    contact.updated_by = actor
    contact.save()
    _enforce(actor=actor, contact=contact, given_on=warning_given_on)
    _answer_reminders(contact)
    record_case_event(
        actor=actor,
        case=contact.service_user,
        kind=EventKind.UPDATED,
        record=contact,
        summary=f"Outcome recorded: {contact.get_contact_type_display()} – {contact.get_outcome_display()}",
        changes=_enforcement_change(contact),
    )
    return contact


class AlreadyJudged(CaseworkError):
    """The absence was decided already (perhaps by someone else a moment ago)."""


@transaction.atomic
def absence_decide(
    *,
    actor: User,
    contact: Contact,
    acceptable: bool,
    reason: str,
    evidence: str = "",
    outcome: str = "",
    enforcement_action: str = "",
    warning_given_on: date | None = None,
) -> Contact:
    """Judge a failure to attend (decision pending) acceptable or unacceptable, with the evidence for it.
    An acceptable absence takes one of the acceptable-absence outcomes; an unacceptable one is UAAB and needs
    an enforcement action. The pending outcome is kept in the amendment; a decided absence is refused."""
    locked = Contact.objects.select_for_update().select_related("service_user").get(pk=contact.pk)
    if locked.outcome not in PENDING:
        raise AlreadyJudged("This absence has already been decided. Amend the outcome to correct it")
    new_outcome, new_action = _decision_values(acceptable, outcome, enforcement_action, reason, evidence)
    before = {"outcome": locked.get_outcome_display(), "action": locked.enforcement_text}
    locked.outcome, locked.enforcement_action = new_outcome, new_action
    locked.outcome_recorded_at, locked.outcome_recorded_by, locked.updated_by = timezone.now(), actor, actor
    locked.save()
    _enforce(actor=actor, contact=locked, given_on=warning_given_on)
    changes = _outcome_changes(locked, before)
    ContactAmendment.objects.create(
        contact=locked, amended_by=actor, reason=reason, evidence=evidence, changes=changes, kind=AmendmentKind.DECISION
    )
    verdict = "acceptable" if acceptable else "unacceptable"
    record_case_event(
        actor=actor,
        case=locked.service_user,
        kind=EventKind.UPDATED,
        record=locked,
        summary=f"Absence judged {verdict}: {locked}",
        changes=[*changes, {"field": "Reason", "from": "", "to": reason}],
    )
    _answer_reminders(locked)
    return locked


def _decision_values(acceptable: bool, outcome: str, action: str, reason: str, evidence: str) -> tuple[str, str]:
    if not reason.strip():
        raise CaseworkError("Enter the reason for your decision", field="reason")
    if acceptable:
        if outcome not in ACCEPTABLE_ABSENCES:
            raise CaseworkError("Select why the absence is acceptable", field="outcome")
        if not evidence.strip():
            raise CaseworkError(
                "Enter the evidence for the absence, for example a sick note or a letter from the employer",
                field="evidence",
            )
        if action:
            raise CaseworkError(
                "An acceptable absence needs no enforcement action. Leave this blank", field="enforcement_action"
            )
        return outcome, ""
    if not action or action == EnforcementAction.EA12:
        raise CaseworkError("Select the enforcement action for this unacceptable absence", field="enforcement_action")
    return Outcome.UAAB, action


def _outcome_changes(contact: Contact, before: dict) -> list[dict]:
    return [
        {"field": "Outcome", "from": before["outcome"], "to": contact.get_outcome_display()},
        {
            "field": "Enforcement action",
            "from": before["action"] or "(none)",
            "to": contact.enforcement_text or "(none)",
        },
    ]


AMENDABLE = ("location", "notes", "sensitive", "national_standard")


@transaction.atomic
def contact_amend(*, actor: User, contact: Contact, reason: str, values: dict) -> ContactAmendment | None:
    """Correct a saved contact (its location, notes, sensitivity or whether it counts as national standard).
    The amendment keeps what the record said before, who changed it and why; nothing is ever deleted."""
    unknown = set(values) - set(AMENDABLE)
    if unknown:
        raise CaseworkError(f"These cannot be amended: {', '.join(sorted(unknown))}")
    if not reason.strip():
        raise CaseworkError("Enter the reason for the amendment", field="reason")
    if len(values.get("notes") or "") > NOTES_MAX_LENGTH:
        raise CaseworkError(NOTES_TOO_LONG, field="notes")
    locked = Contact.objects.select_for_update().get(pk=contact.pk)
    changes = record_changes(locked, values)
    if not changes:
        return None
    was_sensitive = locked.sensitive
    for name, value in values.items():
        setattr(locked, name, value)
    locked.updated_by = actor
    locked.save()
    # The amendment keeps the full before and after (the contact page shows it to those who may read it);
    # the timeline, which everyone on the case reads, never repeats the notes of a sensitive contact.
    amendment = ContactAmendment.objects.create(contact=locked, amended_by=actor, reason=reason, changes=changes)
    if was_sensitive or locked.sensitive:
        notes = field_label(Contact._meta.get_field("notes"))
        hidden = {"from": SENSITIVE_NOTES, "to": SENSITIVE_NOTES}
        changes = [{**change, **hidden} if change["field"] == notes else change for change in changes]
    record_case_event(
        actor=actor,
        case=locked.service_user,
        kind=EventKind.UPDATED,
        record=locked,
        summary=f"Contact amended: {locked}",
        changes=[*changes, {"field": "Reason", "from": "", "to": reason}],
    )
    return amendment


SENSITIVE_NOTES = "(sensitive: see the contact)"


@transaction.atomic
def contact_plan_set(
    *,
    actor: User,
    case: ServiceUser,
    frequency_days: int,
    source: str,
    starts_on: date,
    change_request: ContactChangeRequest | None = None,
) -> ContactPlan:
    """Start a new contact plan from `starts_on`, closing the one in force."""
    ServiceUser.objects.select_for_update().get(pk=case.pk)  # one plan change at a time per case
    current = selectors.current_plan(case)
    if current is not None:
        current.ends_on = max(starts_on - timedelta(days=1), current.starts_on)
        current.updated_by = actor
        current.save(update_fields=["ends_on", "updated_by", "updated_at"])
    plan = ContactPlan.objects.create(
        service_user=case,
        frequency_days=frequency_days,
        source=source,
        starts_on=starts_on,
        change_request=change_request,
        created_by=actor,
        updated_by=actor,
    )
    record_case_event(
        actor=actor,
        case=case,
        kind=EventKind.UPDATED,
        record=plan,
        summary=f"Contact plan set: {plan.get_frequency_days_display().lower()} (source: {plan.get_source_display()})",
        changes=[
            {
                "field": "Frequency",
                "from": current.get_frequency_days_display() if current else "(none)",
                "to": plan.get_frequency_days_display(),
            }
        ],
    )
    return plan


@transaction.atomic
def contact_change_request(
    *,
    actor: User,
    case: ServiceUser,
    frequency_days: int,
    starts_on: date,
    reason: str,
    requested_by: User | None = None,
    summary: str = "",
) -> ContactChangeRequest:
    """Ask the line manager for more (or less) contact than the plan.

    `requested_by` is whom the request is credited to when someone else makes it for them (allocation asks on
    the new responsible officer's behalf); `summary` replaces the timeline wording when the request is not the
    actor's own (e.g. one the allocation protocol makes). A request the same as one still waiting is refused; a new
    request tells the case's line managers."""
    if selectors.pending_requests(case).filter(frequency_days=frequency_days).exists():
        raise CaseworkError(
            "A request for this contact is already waiting for the line manager's decision", field="frequency_days"
        )
    request = ContactChangeRequest.objects.create(
        service_user=case,
        requested_by=requested_by or actor,
        frequency_days=frequency_days,
        starts_on=starts_on,
        reason=reason,
    )
    record_case_event(
        actor=actor,
        case=case,
        kind=EventKind.CREATED,
        record=request,
        summary=summary
        or f"Requested contact {request.get_frequency_days_display().lower()} – waiting for line manager",
        changes=[{"field": "Reason", "from": "", "to": reason}],
    )
    notify(
        case.team.managers.filter(is_active=True),
        kind=NotificationKind.APPROVAL_WAITING,
        case=case,
        message=f"{request.requested_by} asks for contact {request.get_frequency_days_display().lower()} "
        f"on {case.crn}: waiting for your decision",
        url=reverse("contacts:approvals"),
        key=f"request-waiting:{request.pk}",
    )
    return request


@transaction.atomic
def contact_change_decide(
    *, actor: User, request: ContactChangeRequest, approve: bool, comment: str, decided_at: datetime | None = None
) -> ContactChangeRequest:
    """Approve or refuse a request. Two managers at once: the row lock makes one win.

    `decided_at` records a decision made earlier (agreed in supervision, entered later); an approved plan then
    starts from that day, not from the day it was entered. It defaults to now and cannot be in the future."""
    now = timezone.now()
    if decided_at is not None and decided_at > now:
        raise CaseworkError("The date of the decision must be today or in the past", field="decided_at")
    decided_at = decided_at or now
    request = ContactChangeRequest.objects.select_for_update().select_related("service_user").get(pk=request.pk)
    if request.status != RequestStatus.PENDING:
        who = request.decided_by
        raise AlreadyDecided(f"This request was already {request.get_status_display().lower()} by {who}")
    if not permissions.decides_request(actor, request):
        raise CaseworkError("Only a line manager of the case's team can decide this request")
    request.status = RequestStatus.APPROVED if approve else RequestStatus.REFUSED
    request.decided_by, request.decided_at, request.decision_comment = actor, decided_at, comment
    request.save()
    case = request.service_user
    record_case_event(
        actor=actor,
        case=case,
        kind=EventKind.UPDATED,
        record=request,
        summary=f"Line manager {request.get_status_display().lower()} contact "
        f"{request.get_frequency_days_display().lower()}",
        changes=[{"field": "Comment", "from": "", "to": comment}] if comment else [],
    )
    if approve:
        contact_plan_set(
            actor=actor,
            case=case,
            frequency_days=request.frequency_days,
            source=PlanSource.APPROVED_CHANGE,
            starts_on=max(request.starts_on, timezone.localdate(decided_at)),
            change_request=request,
        )
    notify(
        [request.requested_by],
        kind=NotificationKind.REQUEST_DECIDED,
        case=case,
        message=f"{actor} {request.get_status_display().lower()} your request for contact "
        f"{request.get_frequency_days_display().lower()} on {case.crn}" + (f": {comment}" if comment else ""),
        url=reverse("contacts:log", kwargs={"crn": case.crn}),
        key=f"request-decided:{request.pk}",
    )
    enqueue_on_commit("contacts.tasks.change_request_decided", request.pk)
    return request


@transaction.atomic
def warning_withdraw(*, actor: User, warning_id: int, withdrawn_on: date, reason: str) -> EnforcementWarning:
    """Withdraw a warning: a letter is withdrawn with EA06, a warning given in person with EA07 (the national
    codes). The warning is kept, marked withdrawn, and no longer counts towards breach (selectors.warnings_given)."""
    warning = (
        EnforcementWarning.objects.select_for_update().select_related("service_user", "failure").get(pk=warning_id)
    )
    if warning.is_withdrawn:
        raise CaseworkError(f"This warning was already withdrawn on {_day(warning.withdrawn_on)}")
    if withdrawn_on > timezone.localdate():
        raise CaseworkError("The date the warning was withdrawn must be today or in the past", field="withdrawn_on")
    if withdrawn_on < warning.given_on:
        raise CaseworkError(
            f"A warning cannot be withdrawn before it was given ({_day(warning.given_on)})", field="withdrawn_on"
        )
    if not reason.strip():
        raise CaseworkError("Enter why the warning is withdrawn", field="reason")
    code = EnforcementAction.EA06 if warning.kind == WarningKind.LETTER else EnforcementAction.EA07
    warning.withdrawn_on, warning.withdrawn_reason, warning.withdrawal_action = withdrawn_on, reason.strip(), code
    warning.updated_by = actor
    warning.save(update_fields=["withdrawn_on", "withdrawn_reason", "withdrawal_action", "updated_by", "updated_at"])
    records_changed(warning.service_user_id)
    record_case_event(
        actor=actor,
        case=warning.service_user,
        kind=EventKind.UPDATED,
        record=warning,
        summary=f"{warning.get_kind_display()} given on {_day(warning.given_on)} withdrawn ({code}): "
        "it no longer counts towards breach",
        changes=[
            {"field": "Withdrawn on", "from": "", "to": _day(withdrawn_on)},
            {"field": "Enforcement action", "from": "", "to": warning.withdrawal_text},
            {"field": "Reason", "from": "", "to": warning.withdrawn_reason},
        ],
    )
    return warning


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


@transaction.atomic
def outcome_amend(
    *,
    actor: User,
    contact_id: int,
    outcome: str,
    reason: str,
    enforcement_action: str = "",
    warning_given_on: date | None = None,
) -> ContactAmendment:
    """Change the outcome recorded on a contact, with a reason. The amendment keeps the outcome and enforcement
    action as they were; nothing is deleted. A failure to attend still pending is decided instead
    (absence_decide), and a failure with a warning in force needs the warning withdrawn first."""
    contact = Contact.objects.select_for_update().select_related("service_user").get(pk=contact_id)
    _check_outcome_amendable(contact, outcome, reason)
    action = _amended_action(outcome, enforcement_action)
    before = {"outcome": contact.get_outcome_display(), "action": contact.enforcement_text}
    contact.outcome, contact.enforcement_action = outcome, action
    contact.outcome_recorded_at, contact.outcome_recorded_by, contact.updated_by = timezone.now(), actor, actor
    contact.save()
    _enforce(actor=actor, contact=contact, given_on=warning_given_on)
    changes = _outcome_changes(contact, before)
    amendment = ContactAmendment.objects.create(
        contact=contact, amended_by=actor, reason=reason.strip(), changes=changes, kind=AmendmentKind.OUTCOME
    )
    record_case_event(
        actor=actor,
        case=contact.service_user,
        kind=EventKind.UPDATED,
        record=contact,
        summary=f"Outcome amended: {contact}",
        changes=[*changes, {"field": "Reason", "from": "", "to": reason.strip()}],
    )
    _answer_reminders(contact)
    return amendment


def _check_outcome_amendable(contact: Contact, outcome: str, reason: str) -> None:
    if not contact.outcome:
        raise CaseworkError("No outcome has been recorded yet. Record the outcome instead")
    if contact.outcome in PENDING:
        raise CaseworkError("This failure to attend is waiting for a decision. Decide the absence instead")
    if outcome not in Outcome.values or outcome in PENDING:
        raise CaseworkError("Select the correct outcome", field="outcome")
    if outcome == contact.outcome:
        raise CaseworkError("Select a different outcome: this is the outcome already recorded", field="outcome")
    if contact.warnings.filter(withdrawn_on__isnull=True).exists():
        raise CaseworkError(
            "A warning was given for this failure. Withdraw the warning first, then amend the outcome", field="outcome"
        )
    if not reason.strip():
        raise CaseworkError("Enter the reason for the amendment", field="reason")


def _amended_action(outcome: str, action: str) -> str:
    if outcome in FAILURES:
        if not action or action == EnforcementAction.EA12:
            raise CaseworkError("Select the enforcement action for this failure", field="enforcement_action")
        return action
    if action:
        raise CaseworkError(
            "Only a failure to comply takes an enforcement action. Leave this blank", field="enforcement_action"
        )
    return ""
