"""Writes for casework. Each runs in one transaction and leaves a case event behind it."""

from django.db import transaction
from django.db.models import F, Model
from django.forms import ModelForm
from django.utils import timezone

from .constants import EventKind, Role
from .models import AccessRestriction, CaseEvent, ResponsibleOfficerAssignment, ServiceUser, User
from .rules import describe_change


class CaseworkError(Exception):
    """A write refused for a reason the user should be told about."""


def record_case_event(
    *,
    actor: User | None,
    case: ServiceUser,
    kind: str,
    summary: str,
    record: Model | None = None,
    changes: list | None = None,
) -> CaseEvent:
    return CaseEvent.objects.create(
        service_user=case,
        actor=actor,
        kind=kind,
        record_type=record._meta.verbose_name if record is not None else "case",
        record_id=record.pk if record is not None else None,
        summary=summary[:300],
        changes=changes or [],
    )


def records_changed(*case_ids: int) -> None:
    """Records these cases' stored status is worked out from have changed, so it is out of date
    (see risk.case_status). Called by risk.signals, and by writes that bypass signals."""
    ServiceUser.objects.filter(pk__in=[pk for pk in case_ids if pk]).update(records_version=F("records_version") + 1)


def form_changes(form: ModelForm) -> list[dict]:
    """What an edit form changed, as labelled before/after pairs for the timeline."""
    changes = []
    for name in form.changed_data:
        field = form.fields[name]
        change = describe_change(
            label=str(field.label or name),
            old=form.initial.get(name),
            new=form.cleaned_data.get(name),
            choices=getattr(field, "choices", None),
        )
        if change is not None:
            changes.append(change)
    return changes


@transaction.atomic
def case_record_save(*, actor: User, case: ServiceUser, form: ModelForm) -> Model:
    """Create or update one record of a case from a valid form, and say so on the timeline."""
    record = form.save(commit=False)
    creating = record.pk is None
    changes = [] if creating else form_changes(form)
    if not creating and not changes:
        return record
    if creating:
        record.created_by = actor
    record.updated_by = actor
    record.save()
    form.save_m2m()
    label = record._meta.verbose_name.capitalize()
    if creating:
        summary = f"{label} added: {record}"
    else:
        summary = f"{label} updated: {record}"
    record_case_event(
        actor=actor,
        case=case if case is not None else record,
        kind=EventKind.CREATED if creating else EventKind.UPDATED,
        summary=summary,
        record=record,
        changes=changes,
    )
    return record


@transaction.atomic
def service_user_create(*, actor: User, form: ModelForm, officer: User | None = None) -> ServiceUser:
    """Open a new case. The responsible officer, if chosen, goes on the officer history too."""
    case = case_record_save(actor=actor, case=None, form=form)
    if officer is not None:
        responsible_officer_assign(actor=actor, case=case, officer=officer, reason="Case opened")
    return case


@transaction.atomic
def responsible_officer_assign(*, actor: User, case: ServiceUser, officer: User, reason: str) -> ServiceUser:
    """Make `officer` the case's responsible officer, closing the previous assignment."""
    # Lock the case so two managers allocating at once cannot leave two current officers.
    case = ServiceUser.objects.select_for_update().get(pk=case.pk)
    if officer.role != Role.RESPONSIBLE_OFFICER or not officer.is_active:
        raise CaseworkError(f"{officer} is not an active responsible officer")
    if not officer.teams.filter(pk=case.team_id).exists():
        raise CaseworkError(f"{officer} is not a member of {case.team}")
    if case.responsible_officer_id == officer.pk:
        raise CaseworkError(f"{officer} is already the responsible officer")
    now = timezone.now()
    previous = case.responsible_officer
    ResponsibleOfficerAssignment.objects.filter(service_user=case, ended_at__isnull=True).update(ended_at=now)
    ResponsibleOfficerAssignment.objects.create(
        service_user=case, officer=officer, started_at=now, assigned_by=actor, reason=reason
    )
    case.responsible_officer = officer
    case.updated_by = actor
    case.save(update_fields=["responsible_officer", "updated_by", "updated_at"])
    record_case_event(
        actor=actor,
        case=case,
        kind=EventKind.ALLOCATED,
        summary=f"Responsible officer changed to {officer}" + (f" (was {previous})" if previous else ""),
        changes=[{"field": "Reason", "from": "", "to": reason}] if reason else [],
    )
    return case


@transaction.atomic
def access_restriction_add(*, actor: User, case: ServiceUser, user: User, kind: str, reason: str):
    """Exclude one person, or limit the case to a list. Starting a list adds the responsible officer
    and the person setting it, so the case never locks out the people working it."""
    ServiceUser.objects.select_for_update().get(pk=case.pk)
    if kind == AccessRestriction.EXCLUDED and user.pk == case.responsible_officer_id:
        raise CaseworkError("Reallocate the case before excluding its responsible officer")
    if kind == AccessRestriction.EXCLUDED and user.pk == actor.pk:
        raise CaseworkError("You cannot exclude yourself")
    if AccessRestriction.objects.filter(service_user=case, user=user).exists():
        raise CaseworkError(f"{user} already has an access entry on this case. Remove it first to change it")
    entries = [(user, reason)]
    if kind == AccessRestriction.ALLOWED and not case.access_restrictions.filter(kind=kind).exists():
        for person, why in ((case.responsible_officer, "Responsible officer"), (actor, "Set the restriction")):
            if person is not None and person.pk != user.pk and not person.is_casework_admin:
                entries.append((person, why))
    created = []
    for person, why in entries:
        created.append(
            AccessRestriction.objects.create(service_user=case, user=person, kind=kind, reason=why, set_by=actor)
        )
    record_case_event(
        actor=actor,
        case=case,
        kind=EventKind.UPDATED,
        summary=f"Access: {user} {'excluded from' if kind == AccessRestriction.EXCLUDED else 'allowed on'} this case",
        changes=[{"field": "Reason", "from": "", "to": reason}],
    )
    return created[0]


@transaction.atomic
def access_restriction_remove(*, actor: User, restriction: AccessRestriction) -> None:
    """Remove an access entry. The timeline entry is written as the entry is deleted (casework.signals),
    so a removal by any path, this one or a cascade when an account is deleted, is recorded exactly once."""
    restriction.removed_by = actor  # who, for the timeline entry
    restriction.delete()
