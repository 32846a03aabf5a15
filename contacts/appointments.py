"""Appointments that move: reschedule or cancel one appointment, or it and the rest of its series.

Contacts are legal records, so nothing is deleted or overwritten:
- a cancelled appointment stays on the record, marked cancelled with who cancelled it, when and why;
- a rescheduled appointment keeps its original date and takes the national "rescheduled" outcome (RSSR when
  the service asked, RSOF when the service user asked), and points at the new appointment that replaces it
  (`Contact.rescheduled_to`). This is what an auditor expects to find on the national case record: the
  appointment that was arranged, why it did not happen then, and the one that took its place.
Each move also leaves an amendment on the contact (the reason, and what changed) and a timeline entry, and
cancels or replaces the appointment's reminders (contacts.reminders)."""

import uuid
from datetime import datetime

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from casework.constants import EventKind
from casework.models import User
from casework.services import record_case_event
from core.errors import CaseworkError

from . import reminders
from .constants import AmendmentKind, MovedBy, MoveScope
from .models import Contact, ContactAmendment
from .rules import local_date
from .selectors import LOCAL_TZ

ALREADY_CANCELLED = "This appointment has already been cancelled"
HAS_OUTCOME = "An outcome has been recorded for this appointment, so it cannot be moved. Amend the contact instead"
NOT_ARRANGED = "Only an arranged appointment can be rescheduled or cancelled"
STARTED = "This appointment has already started, so it cannot be moved. Record its outcome instead"
ALREADY_RESCHEDULED = "This appointment has already been rescheduled"


def _when(moment: datetime) -> str:
    local = timezone.localtime(moment, LOCAL_TZ)
    return f"{local:%A} {local.day} {local:%B %Y} at {local:%H:%M}"


def check_movable(contact: Contact) -> None:
    if not contact.arranged:
        raise CaseworkError(NOT_ARRANGED)
    if contact.is_cancelled:
        raise CaseworkError(ALREADY_CANCELLED)
    if contact.rescheduled_to_id:
        raise CaseworkError(ALREADY_RESCHEDULED)
    if contact.outcome:
        raise CaseworkError(HAS_OUTCOME)
    if contact.starts_at <= timezone.now():
        # A missed appointment is a failure to attend until someone decides otherwise: never cancelled after.
        raise CaseworkError(STARTED)


def _affected(contact: Contact, scope: str) -> QuerySet[Contact]:
    """The appointment, or it and the later ones of its series still to move (locked)."""
    if scope == MoveScope.REST and contact.series:
        rows = Contact.objects.filter(
            series=contact.series,
            starts_at__gte=contact.starts_at,
            outcome="",
            cancelled_at__isnull=True,
            rescheduled_to__isnull=True,
        )
    else:
        rows = Contact.objects.filter(pk=contact.pk)
    return rows.select_for_update().order_by("starts_at", "pk")


def _check_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise CaseworkError("Enter the reason", field="reason")
    return reason


@transaction.atomic
def appointment_cancel(*, actor: User, contact: Contact, reason: str, scope: str = MoveScope.ONE) -> list[Contact]:
    """Cancel an appointment (or it and the rest of its series). Cancelled appointments stay on the record."""
    reason = _check_reason(reason)
    locked = Contact.objects.select_for_update().select_related("service_user").get(pk=contact.pk)
    check_movable(locked)
    now = timezone.now()
    cancelled = list(_affected(locked, scope))
    for appointment in cancelled:
        appointment.cancelled_at, appointment.cancelled_by, appointment.cancel_reason = now, actor, reason
        appointment.updated_by = actor
        appointment.save()
        ContactAmendment.objects.create(
            contact=appointment,
            amended_by=actor,
            reason=reason,
            kind=AmendmentKind.CANCELLED,
            changes=[{"field": "Status", "from": "Arranged", "to": "Cancelled"}],
        )
    _reminders_cancel(cancelled)
    noun = "Appointment cancelled" if len(cancelled) == 1 else f"{len(cancelled)} appointments cancelled"
    record_case_event(
        actor=actor,
        case=locked.service_user,
        kind=EventKind.UPDATED,
        record=locked,
        summary=f"{noun}: {locked.get_contact_type_display()} on {_when(locked.starts_at)}",
        changes=[{"field": "Reason", "from": "", "to": reason}],
    )
    return cancelled


@transaction.atomic
def appointment_reschedule(
    *,
    actor: User,
    contact: Contact,
    starts_at: datetime,
    reason: str,
    moved_by: str = MovedBy.SERVICE,
    scope: str = MoveScope.ONE,
    location: str | None = None,
) -> list[Contact]:
    """Move an appointment to `starts_at` (the rest of its series move by the same time on the clock's days:
    each keeps its weekday gap, at the new time of day). Returns the new appointments."""
    reason = _check_reason(reason)
    if moved_by not in MovedBy.values:
        raise CaseworkError("Select who asked for the appointment to move", field="moved_by")
    if starts_at <= timezone.now():
        raise CaseworkError("The new date and time must be in the future", field="day")
    locked = Contact.objects.select_for_update().select_related("service_user").get(pk=contact.pk)
    check_movable(locked)
    if starts_at == locked.starts_at and location in (None, locked.location):
        raise CaseworkError("Enter a different date, time or place from the one already arranged", field="day")
    old_day = local_date(locked.starts_at, LOCAL_TZ)
    new_local = timezone.localtime(starts_at, LOCAL_TZ)
    moves = list(_affected(locked, scope))
    series = locked.series and scope == MoveScope.REST and len(moves) > 1
    new_series = uuid.uuid4() if series else None
    created = []
    for old in moves:
        day = new_local.date() + (local_date(old.starts_at, LOCAL_TZ) - old_day)
        start = datetime.combine(day, new_local.time(), tzinfo=LOCAL_TZ)
        created.append(_move(actor, old, start, reason, moved_by, location, new_series))
    _reminders_replace(moves, created)
    noun = "Appointment rescheduled" if len(created) == 1 else f"{len(created)} appointments rescheduled"
    record_case_event(
        actor=actor,
        case=locked.service_user,
        kind=EventKind.UPDATED,
        record=created[0],
        summary=f"{noun}: {locked.get_contact_type_display()} moved from {_when(locked.starts_at)} "
        f"to {_when(created[0].starts_at)}",
        changes=[
            {"field": "Asked for by", "from": "", "to": MovedBy(moved_by).label},
            {"field": "Reason", "from": "", "to": reason},
        ],
    )
    return created


def _move(actor, old: Contact, start: datetime, reason: str, moved_by: str, location, series) -> Contact:
    duration = (old.ends_at - old.starts_at) if old.ends_at else None
    new = Contact.objects.create(
        service_user=old.service_user,
        contact_type=old.contact_type,
        starts_at=start,
        ends_at=start + duration if duration else None,
        officer=old.officer,
        location=old.location if location is None else location,
        notes=old.notes,
        sensitive=old.sensitive,
        national_standard=old.national_standard,
        arranged=True,
        series=series,
        requirement=old.requirement,
        order=old.order,
        created_by=actor,
        updated_by=actor,
    )
    old.outcome = moved_by
    old.outcome_recorded_at, old.outcome_recorded_by = timezone.now(), actor
    old.rescheduled_to = new
    old.updated_by = actor
    old.save()
    ContactAmendment.objects.create(
        contact=old,
        amended_by=actor,
        reason=reason,
        kind=AmendmentKind.RESCHEDULED,
        changes=[
            {"field": "Outcome", "from": "(none)", "to": old.get_outcome_display()},
            {"field": "Moved to", "from": _when(old.starts_at), "to": _when(new.starts_at)},
        ],
    )
    return new


def _reminders_cancel(appointments: list[Contact]) -> None:
    reminders.reminders_cancel_for([a.pk for a in appointments])


def _reminders_replace(old: list[Contact], new: list[Contact]) -> None:
    """The old appointments' reminders not yet sent are cancelled; the new ones get reminders of their own."""
    _reminders_cancel(old)
    for appointment in new:
        reminders.reminders_schedule(appointment)
