"""Writes for casework. Each takes plain values, runs in one transaction and leaves a case event behind it."""

import functools
from datetime import date

from django.core.exceptions import ValidationError
from django.db import connections, router, transaction
from django.db.models import F, Model
from django.utils import timezone

from core.errors import CaseworkError

from .constants import EventKind, OrderStatus, RequirementType, RestrictionKind, Role
from .hooks import case_closed
from .models import (
    AccessRestriction,
    CaseEvent,
    Order,
    Requirement,
    ResponsibleOfficerAssignment,
    ServiceUser,
    Team,
    UnpaidWorkExtension,
    User,
)
from .rules import describe_change, display_value, order_end_error, upw_complete_by, upw_extension_error


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
    ids = [pk for pk in case_ids if pk]
    if len(ids) != 1:
        ServiceUser.objects.filter(pk__in=ids).update(records_version=F("records_version") + 1)
        return
    # One case, as almost every save is: a statement written once (the ORM built this UPDATE afresh each time).
    connection = connections[router.db_for_write(ServiceUser)]
    with connection.cursor() as cursor:
        cursor.execute(_one_case_changed(connection.alias), ids)


@functools.cache
def _one_case_changed(alias: str) -> str:
    quote = connections[alias].ops.quote_name
    table, version, key = (
        quote(ServiceUser._meta.db_table),
        quote(ServiceUser._meta.get_field("records_version").column),
        quote(ServiceUser._meta.pk.column),
    )
    return f"UPDATE {table} SET {version} = {version} + 1 WHERE {key} = %s"


def case_of(record: Model) -> int:
    """The id of the case a record belongs to, following its model's `case_path`."""
    if isinstance(record, ServiceUser):
        return record.pk
    *steps, last = record.case_path.split("__")
    for step in steps:
        record = getattr(record, step)
    return getattr(record, f"{last}_id")


def _split(model, values: dict) -> tuple[dict, dict]:
    """Plain field values, and the many-to-many ones that are set after saving."""
    many = {field.name for field in model._meta.many_to_many}
    return {k: v for k, v in values.items() if k not in many}, {k: list(v) for k, v in values.items() if k in many}


def check_same_case(case: ServiceUser, values: dict) -> None:
    """A record may only point at records of its own case (an order, a protected person, an agency)."""
    for name, value in values.items():
        for item in value if isinstance(value, (list, tuple, set)) else [value]:
            if isinstance(item, Model) and hasattr(item, "case_path") and case_of(item) != case.pk:
                raise CaseworkError("Select a record of this case", field=name)


def validate_record(record: Model) -> None:
    """The model's own rules (formats, choices, constraints, uniqueness) as a CaseworkError."""
    try:
        record.full_clean()
    except ValidationError as error:
        raise CaseworkError(errors=error.message_dict) from None


def field_label(field) -> str:
    """A model field's (or model's) name as a label: "Sentencing court"."""
    name = str(field.verbose_name)
    return name[0].upper() + name[1:]


def record_changes(record: Model, values: dict) -> list[dict]:
    """What setting these values would change, as labelled before/after pairs for the timeline."""
    changes = []
    for name, new in values.items():
        field = record._meta.get_field(name)
        old = list(getattr(record, name).all()) if field.many_to_many else getattr(record, name)
        change = describe_change(label=field_label(field), old=old, new=new, choices=field.choices or None)
        if change is not None:
            changes.append(change)
    return changes


def _noun(model) -> str:
    return field_label(model._meta)


@transaction.atomic
def case_record_add(*, actor: User, case: ServiceUser, model, values: dict) -> Model:
    """Add one record to a case from plain field values (a record under an order names it as `order`),
    and say so on the timeline."""
    fields, many = _split(model, values)
    check_same_case(case, values)
    record = model(**fields)
    if any(field.name == "service_user" for field in model._meta.fields):
        record.service_user = case
    elif case_of(record) != case.pk:
        raise CaseworkError("Select a record of this case")
    record.created_by = record.updated_by = actor
    validate_record(record)
    record.save()
    for name, items in many.items():
        getattr(record, name).set(items)
    record_case_event(
        actor=actor, case=case, kind=EventKind.CREATED, summary=f"{_noun(model)} added: {record}", record=record
    )
    return record


@transaction.atomic
def case_record_change(*, actor: User, case: ServiceUser, record: Model, values: dict) -> list[dict]:
    """Change fields of one record of a case. The timeline shows each change before and after; nothing is
    saved (and an empty list returned) when nothing would change."""
    if case_of(record) != case.pk:
        raise CaseworkError("Select a record of this case")
    check_same_case(case, values)
    # Read it afresh and locked: the caller's copy may already carry the new values (a bound ModelForm's
    # instance does), and two people saving at once must not each see the other's change as their own.
    record = type(record).objects.select_for_update().get(pk=record.pk)
    changes = record_changes(record, values)
    if not changes:
        return []
    fields, many = _split(type(record), values)
    for name, value in fields.items():
        setattr(record, name, value)
    record.updated_by = actor
    validate_record(record)
    record.save()
    for name, items in many.items():
        getattr(record, name).set(items)
    record_case_event(
        actor=actor,
        case=case,
        kind=EventKind.UPDATED,
        summary=f"{_noun(type(record))} updated: {record}",
        record=record,
        changes=changes,
    )
    return changes


@transaction.atomic
def service_user_create(
    *,
    actor: User,
    crn: str,
    team: Team,
    first_name: str,
    last_name: str,
    date_of_birth: date,
    gender: str,
    address_line_1: str = "",
    address_line_2: str = "",
    town: str = "",
    postcode: str = "",
    phone: str = "",
    officer: User | None = None,
) -> ServiceUser:
    """Open a new case. The responsible officer, if chosen, goes on the officer history too."""
    case = ServiceUser(
        crn=crn.strip().upper(),
        team=team,
        first_name=first_name,
        last_name=last_name,
        date_of_birth=date_of_birth,
        gender=gender,
        address_line_1=address_line_1,
        address_line_2=address_line_2,
        town=town,
        postcode=postcode,
        phone=phone,
        created_by=actor,
        updated_by=actor,
    )
    validate_record(case)
    case.save()
    record_case_event(
        actor=actor, case=case, kind=EventKind.CREATED, summary=f"Service user added: {case}", record=case
    )
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
    if kind == RestrictionKind.EXCLUDED and user.pk == case.responsible_officer_id:
        raise CaseworkError("Reallocate the case before excluding its responsible officer")
    if kind == RestrictionKind.EXCLUDED and user.pk == actor.pk:
        raise CaseworkError("You cannot exclude yourself")
    if AccessRestriction.objects.filter(service_user=case, user=user).exists():
        raise CaseworkError(f"{user} already has an access entry on this case. Remove it first to change it")
    entries = [(user, reason)]
    if kind == RestrictionKind.ALLOWED and not case.access_restrictions.filter(kind=kind).exists():
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
        summary=f"Access: {user} {'excluded from' if kind == RestrictionKind.EXCLUDED else 'allowed on'} this case",
        changes=[{"field": "Reason", "from": "", "to": reason}],
    )
    return created[0]


@transaction.atomic
def access_restriction_remove(*, actor: User, restriction: AccessRestriction) -> None:
    """Remove an access entry. The timeline entry is written as the entry is deleted (casework.signals),
    so a removal by any path, this one or a cascade when an account is deleted, is recorded exactly once."""
    restriction.removed_by = actor  # who, for the timeline entry
    restriction.delete()


@transaction.atomic
def order_end(*, actor: User, order_id: int, status: str, ended_on: date, reason: str) -> Order:
    """End an order: completed, terminated early, revoked, breached or transferred, on a day between its start
    and today, with a reason. An order ends once. When the case's last active order ends, the case closes."""
    order = Order.objects.select_for_update().select_related("service_user").get(pk=order_id)
    ServiceUser.objects.select_for_update().get(pk=order.service_user_id)  # one closure per case
    problem = order_end_error(
        status=status,
        active=order.is_active,
        start=order.start_date,
        ended_on=ended_on,
        today=timezone.localdate(),
        reason=reason,
    )
    if problem:
        field, message = problem
        raise CaseworkError(message, field=field)
    order.status, order.ended_on, order.end_reason = status, ended_on, reason.strip()
    order.updated_by = actor
    order.save(update_fields=["status", "ended_on", "end_reason", "updated_by", "updated_at"])
    case = order.service_user
    record_case_event(
        actor=actor,
        case=case,
        kind=EventKind.UPDATED,
        record=order,
        summary=f"Order ended ({order.get_status_display().lower()}): {order}",
        changes=[
            {"field": "Status", "from": OrderStatus.ACTIVE.label, "to": order.get_status_display()},
            {"field": "Date ended", "from": "", "to": display_value(ended_on)},
            {"field": "Reason", "from": "", "to": order.end_reason},
        ],
    )
    if not case.orders.filter(status=OrderStatus.ACTIVE).exists():
        case_close(
            actor=actor,
            case=case,
            closed_on=ended_on,
            reason=f"{order}: {order.get_status_display()}. {order.end_reason}",
        )
    return order


@transaction.atomic
def case_close(*, actor: User, case: ServiceUser, closed_on: date, reason: str) -> ServiceUser:
    """Close a case whose last order has ended. Other apps record what closing means for them through the
    `case_closed` signal (contacts: the termination contact, and the contact plan ends), in this transaction."""
    case = ServiceUser.objects.select_for_update().get(pk=case.pk)
    if case.is_closed:
        raise CaseworkError("This case is already closed")
    if case.orders.filter(status=OrderStatus.ACTIVE).exists():
        raise CaseworkError("A case closes when its last active order ends")
    case.closed_on, case.closure_reason, case.updated_by = closed_on, reason[:1000], actor
    case.save(update_fields=["closed_on", "closure_reason", "updated_by", "updated_at"])
    record_case_event(
        actor=actor,
        case=case,
        kind=EventKind.CLOSED,
        summary=f"Case closed on {display_value(closed_on)}",
        changes=[{"field": "Closure reason", "from": "", "to": case.closure_reason}],
    )
    case_closed.send(sender=ServiceUser, case=case, actor=actor, closed_on=closed_on, reason=case.closure_reason)
    records_changed(case.pk)
    return case


@transaction.atomic
def upw_extension_record(
    *, actor: User, requirement_id: int, extended_to: date, court: str, granted_on: date
) -> UnpaidWorkExtension:
    """Record a court's extension of the 12 months to complete unpaid work: the new date must be later than the
    one it replaces, granted on a day between the order and today."""
    requirement = Requirement.objects.select_for_update().select_related("order__service_user").get(pk=requirement_id)
    order = requirement.order
    current = upw_complete_by(order.sentence_date, list(requirement.extensions.values_list("extended_to", flat=True)))
    problem = upw_extension_error(
        is_upw=requirement.requirement_type == RequirementType.UNPAID_WORK,
        active=requirement.is_active and order.is_active,
        complete_by=current,
        extended_to=extended_to,
        granted_on=granted_on,
        made_on=order.sentence_date,
        today=timezone.localdate(),
        court=court,
    )
    if problem:
        field, message = problem
        raise CaseworkError(message, field=field)
    extension = UnpaidWorkExtension.objects.create(
        requirement=requirement,
        extended_to=extended_to,
        court=court.strip(),
        granted_on=granted_on,
        created_by=actor,
        updated_by=actor,
    )
    record_case_event(
        actor=actor,
        case=order.service_user,
        kind=EventKind.UPDATED,
        record=extension,
        summary=f"Unpaid work extended by {extension.court} (granted {display_value(granted_on)})",
        changes=[{"field": "Complete the hours by", "from": display_value(current), "to": display_value(extended_to)}],
    )
    records_changed(order.service_user_id)
    return extension
