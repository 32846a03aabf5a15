"""Writes for contacts. Each runs in one transaction and leaves a case event behind it."""

import uuid
from datetime import date, datetime, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from casework.constants import EventKind, NotificationKind, RequirementStatus, RequirementType
from casework.models import Requirement, ServiceUser, User
from casework.notify import notify
from casework.services import check_same_case, field_label, record_case_event, record_changes, records_changed
from core import permissions
from core.errors import CaseworkError
from core.queue import enqueue_on_commit

from . import rules, selectors
from .constants import ATTENDED, NOTES_MAX_LENGTH, NOTES_TOO_LONG, ContactType, PlanSource, RequestStatus, WithWhom
from .models import Contact, ContactAmendment, ContactChangeRequest, ContactPlan
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
) -> Contact:
    """Record a contact that has happened (or is happening now). People and agencies named must be this
    case's own."""
    check_same_case(case, {"key_individual": key_individual, "protected_person": protected_person, "agency": agency})
    if starts_at > timezone.now():
        raise CaseworkError("A contact that has not happened yet is an appointment. Arrange it instead")
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
        enforcement_action=enforcement_action,
        penalty_minutes=penalty_minutes or 0,
        outcome_recorded_at=now if outcome else None,
        outcome_recorded_by=actor if outcome else None,
        requirement=_upw_requirement(case) if contact_type == ContactType.CUPA else None,
        created_by=actor,
        updated_by=actor,
    )
    contact.save()
    enqueue_on_commit(contact_recorded, contact.pk)
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
    return [{"field": "Enforcement action", "from": "", "to": contact.get_enforcement_action_display()}]


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
            created_by=actor,
            updated_by=actor,
        )
        for start in starts
    )
    records_changed(case.pk)  # bulk_create sends no post_save
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
) -> Contact:
    """Record what happened at a past appointment. An outcome already recorded is changed by amendment."""
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    if contact.outcome:
        raise CaseworkError("An outcome has already been recorded. Amend the contact to correct it")
    if contact.starts_at > timezone.now():
        raise CaseworkError("You cannot record an outcome for an appointment that has not happened yet")
    combined = f"{contact.notes}\n\n{notes}".strip() if notes else contact.notes
    _check_session(
        starts_at=contact.starts_at, ends_at=ends_at or contact.ends_at, penalty_minutes=penalty_minutes, notes=combined
    )
    contact.outcome = outcome
    contact.enforcement_action = enforcement_action
    contact.outcome_recorded_at, contact.outcome_recorded_by = timezone.now(), actor
    if ends_at is not None:
        contact.ends_at = ends_at
    if outcome in ATTENDED:
        contact.penalty_minutes = penalty_minutes
    contact.notes = combined
    contact.updated_by = actor
    contact.save()
    enqueue_on_commit(contact_recorded, contact.pk)
    record_case_event(
        actor=actor,
        case=contact.service_user,
        kind=EventKind.UPDATED,
        record=contact,
        summary=f"Outcome recorded: {contact.get_contact_type_display()} – {contact.get_outcome_display()}",
        changes=_enforcement_change(contact),
    )
    return contact


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
    return request
