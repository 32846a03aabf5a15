"""Writes for allocation: allocating a case under the protocol, transferring a case to another team, and
versioning protocol rules."""

import uuid
from datetime import timedelta

from django.db import transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone

from casework.constants import EventKind, NotificationKind
from casework.models import Notification, ResponsibleOfficerAssignment, ServiceUser, Team, User
from casework.notifications import notify
from casework.services import record_case_event, records_changed, responsible_officer_assign
from contacts import selectors as contact_selectors
from contacts.constants import PlanSource
from contacts.services import contact_change_request, contact_plan_set
from core import permissions
from core.errors import CaseworkError
from risk.constants import EnquiryKind, ScheduleSource
from risk.services import case_tier_recalculate, enquiry_schedule_set
from risk.snapshots import active_rule_set, snapshots_for

from . import rules
from .constants import TransferStatus
from .models import AllocationDecision, AllocationRule, CaseTransfer
from .selectors import AllocationView, allocation_view

DEFAULT_PLAN_DAYS = 28  # the order's minimum before a protocol or an approved change asks for more


class AllocationConflict(CaseworkError):
    """Someone else allocated the case while this manager was deciding."""


@transaction.atomic
def case_allocate(
    *,
    actor: User,
    case: ServiceUser,
    officer_id: int,
    expected_officer_id: int | None,
    override_reason: str = "",
    notes: str = "",
) -> AllocationDecision:
    """Allocate (or reallocate) a case to an eligible officer, apply the matched rule, keep the evidence."""
    locked = _lock_unchanged_case(case, expected_officer_id=expected_officer_id)
    if not permissions.manages_case(actor, locked):
        raise CaseworkError("Only a line manager of the case's team or an admin can allocate it")
    case_tier_recalculate(actor=actor, case=locked)  # the tier the rules and the evidence read is today's
    view = allocation_view(locked)
    officer = _chosen_officer(view, officer_id=officer_id, override_reason=override_reason)
    previous = locked.responsible_officer
    decision = _decision_record(
        actor=actor,
        case=locked,
        view=view,
        officer=officer,
        previous=previous,
        override_reason=override_reason,
        notes=notes,
    )
    responsible_officer_assign(
        actor=actor,
        case=locked,
        officer=officer,
        reason=override_reason or f"Allocated under '{view.rule.name}': {view.rule.rationale}",
    )
    _apply_rule(actor=actor, case=locked, rule=view.rule, officer=officer)
    record_case_event(
        actor=actor,
        case=locked,
        kind=EventKind.ALLOCATED,
        record=decision,
        summary=f"{'Reallocated' if previous else 'Allocated'} to {officer} under the local allocation protocol",
        changes=_decision_changes(view, override_reason=override_reason),
    )
    _notify_handover(case=locked, officer=officer, decision=decision)
    return decision


def _notify_handover(*, case: ServiceUser, officer: User, decision: AllocationDecision) -> None:
    """Tell the new officer, and, if the case has not been seen on this order, ask them to arrange the induction by
    the local-policy deadline (risk.rules Thresholds.induction_days from allocation or the order's start)."""
    notify(
        [officer],
        kind=NotificationKind.CASE_ALLOCATED,
        case=case,
        message=f"{case.full_name} ({case.crn}) is allocated to you under '{decision.rule.name}'",
        url=reverse("casework:case_overview", kwargs={"crn": case.crn}),
        key=f"allocated:{decision.pk}",
    )
    today = timezone.localdate()
    snapshot = snapshots_for([case.pk], today)[case.pk]
    if snapshot.seen_on_this_order:
        return
    _, thresholds = active_rule_set()
    due = (snapshot.supervision_start or today) + timedelta(days=thresholds.induction_days)
    notify(
        [officer],
        kind=NotificationKind.INDUCTION_DUE,
        case=case,
        message=f"Arrange the induction for {case.full_name} ({case.crn}) by {due:%A} {due.day} {due:%B %Y} "
        f"(local policy: within {thresholds.induction_days} days of allocation or the order's start)",
        url=reverse("contacts:appointments", kwargs={"crn": case.crn}),
        key=f"induction:{decision.pk}",
    )


def _lock_unchanged_case(case: ServiceUser, *, expected_officer_id: int | None) -> ServiceUser:
    """The case, locked, provided nobody allocated it since the manager opened the page."""
    locked = (
        ServiceUser.objects.select_for_update(of=("self",))
        .select_related("team", "responsible_officer")
        .get(pk=case.pk)
    )
    if locked.responsible_officer_id != expected_officer_id:
        raise AllocationConflict(
            f"This case was allocated to {locked.responsible_officer or 'nobody'} while you were deciding. "
            "Check the case and try again"
        )
    return locked


def _chosen_officer(view: AllocationView, *, officer_id: int, override_reason: str) -> User:
    """The manager's choice, if it is on the eligible list and any override of the suggestion has a reason."""
    if officer_id not in {r.candidate.id for r in view.ranked}:
        raise CaseworkError("Select an officer from the eligible list")
    suggested = view.suggested
    if suggested and officer_id != suggested.id and not override_reason.strip():
        raise CaseworkError(f"Enter why you are not allocating to the suggested officer, {suggested.name}")
    return User.objects.get(pk=officer_id)


def _decision_record(
    *,
    actor: User,
    case: ServiceUser,
    view: AllocationView,
    officer: User,
    previous: User | None,
    override_reason: str,
    notes: str,
) -> AllocationDecision:
    """The decision with the evidence the manager saw: rule, conditions, skipped rules, ranking, exclusions."""
    return AllocationDecision.objects.create(
        service_user=case,
        rule=view.rule,
        officer=officer,
        suggested_officer_id=view.suggested.id if view.suggested else None,
        previous_officer=previous,
        decided_by=actor,
        override_reason=override_reason.strip(),
        notes=notes,
        evidence=_evidence(view),
    )


def _evidence(view: AllocationView) -> dict:
    return {
        "rule": f"{view.rule.name} (version {view.rule.version})",
        "conditions": [{"condition": c.label, "case": c.actual, "met": c.passed} for c in view.match.checks],
        "rules_not_matched": [
            {"rule": name, "failed": check.label, "case": check.actual} for name, check in view.match.skipped
        ],
        "ranked": [
            {
                "officer": r.candidate.name,
                "grade": r.candidate.grade,
                "capacity": str(r.candidate.capacity),
                "capacity_after": str(r.capacity_after),
            }
            for r in view.ranked
        ],
        "excluded": [{"officer": e.candidate.name, "reasons": list(e.reasons)} for e in view.excluded],
    }


def _decision_changes(view: AllocationView, *, override_reason: str) -> list[dict]:
    """The timeline's account of the decision: rule, each condition with the case's value, any override."""
    changes = [{"field": "Rule", "from": "", "to": f"{view.rule.name} (version {view.rule.version})"}]
    changes += [
        {"field": c.label, "from": "", "to": f"{c.actual} ({'met' if c.passed else 'not met'})"}
        for c in view.match.checks
    ]
    if override_reason:
        changes.append(
            {"field": "Reason for not allocating to the suggested officer", "from": "", "to": override_reason}
        )
    return changes


def _apply_rule(*, actor: User, case: ServiceUser, rule: AllocationRule, officer: User) -> None:
    """The matched rule's plan: its contact frequency (directly, or asked of the line manager) and DA checks."""
    if rule.contact_frequency_days:
        if rule.contact_needs_approval:
            _request_protocol_contact(actor=actor, case=case, rule=rule, officer=officer)
        else:
            _set_protocol_contact(actor=actor, case=case, rule=rule)
    if rule.da_enquiry_interval_days:
        enquiry_schedule_set(
            actor=actor,
            case=case,
            kind=EnquiryKind.DOMESTIC_ABUSE,
            interval_days=rule.da_enquiry_interval_days,
            source=ScheduleSource.PROTOCOL,
        )


def _set_protocol_contact(*, actor: User, case: ServiceUser, rule: AllocationRule) -> None:
    current = contact_selectors.current_plan(case)
    if current is None or current.frequency_days != rule.contact_frequency_days:
        contact_plan_set(
            actor=actor,
            case=case,
            frequency_days=rule.contact_frequency_days,
            source=PlanSource.PROTOCOL,
            starts_on=timezone.localdate(),
        )


def _request_protocol_contact(*, actor: User, case: ServiceUser, rule: AllocationRule, officer: User) -> None:
    """Start the order's minimum plan if there is none, and ask the line manager for the rule's frequency
    on the new officer's behalf, unless the plan already has it or the same request is waiting."""
    today = timezone.localdate()
    current = contact_selectors.current_plan(case)
    if current is None:
        contact_plan_set(
            actor=actor, case=case, frequency_days=DEFAULT_PLAN_DAYS, source=PlanSource.ORDER, starts_on=today
        )
    elif current.frequency_days == rule.contact_frequency_days:
        return
    if contact_selectors.pending_requests(case).filter(frequency_days=rule.contact_frequency_days).exists():
        return
    contact_change_request(
        actor=actor,
        case=case,
        requested_by=officer,
        frequency_days=rule.contact_frequency_days,
        starts_on=today,
        reason=f"Allocation protocol '{rule.name}': {rule.rationale}",
        summary=f"Contact every {rule.contact_frequency_days} days requested by the "
        "allocation protocol – waiting for line manager approval",
    )


# --- Transfers between teams ----------------------------------------------------------------------


def _team_managers(team_id: int):
    return list(User.objects.filter(managed_teams=team_id, is_active=True))


def _transfer_url(transfer: CaseTransfer) -> str:
    return reverse("allocation:transfer", kwargs={"transfer_id": transfer.pk})


@transaction.atomic
def transfer_request(*, actor: User, case: ServiceUser, to_team: Team, reason: str) -> CaseTransfer:
    """Ask another team to take the case. The receiving team's line managers are told; the case stays with its
    team, officer and records until one of them accepts."""
    locked = ServiceUser.objects.select_for_update(of=("self",)).select_related("team").get(pk=case.pk)
    if not permissions.manages_case(actor, locked):
        raise CaseworkError("Only a line manager of the case's team or an admin can transfer it")
    if to_team.pk == locked.team_id:
        raise CaseworkError(f"The case is already with {locked.team}. Select another team", field="to_team")
    if not reason.strip():
        raise CaseworkError("Enter why the case is being transferred", field="reason")
    waiting = CaseTransfer.objects.filter(service_user=locked, status=TransferStatus.PENDING).first()
    if waiting:
        raise CaseworkError(
            f"A transfer of this case to {waiting.to_team} is already waiting for a decision", field="to_team"
        )
    transfer = CaseTransfer.objects.create(
        service_user=locked,
        from_team=locked.team,
        to_team=to_team,
        reason=reason.strip(),
        requested_by=actor,
        previous_officer=locked.responsible_officer,
    )
    record_case_event(
        actor=actor,
        case=locked,
        kind=EventKind.UPDATED,
        record=transfer,
        summary=f"Transfer to {to_team} requested – waiting for the receiving team's line manager",
        changes=[{"field": "Reason for the transfer", "from": "", "to": transfer.reason}],
    )
    # No case on the notification: the receiving manager cannot open the case until they accept it, and a
    # notification about a case is only shown to people who can see the case (casework.notifications).
    notify(
        _team_managers(to_team.pk),
        kind=NotificationKind.APPROVAL_WAITING,
        case=None,
        message=f"{locked.team} asks your team to take {locked.full_name} ({locked.crn}): accept or decline",
        url=_transfer_url(transfer),
        key=f"transfer-requested:{transfer.pk}",
    )
    return transfer


@transaction.atomic
def transfer_decide(*, actor: User, transfer: CaseTransfer, accept: bool, reason: str = "") -> CaseTransfer:
    """The receiving team's line manager accepts (the case moves to their team, unallocated) or declines (with a
    reason). Either way the sending team's line managers are told."""
    locked = (
        CaseTransfer.objects.select_for_update(of=("self",)).select_related("from_team", "to_team").get(pk=transfer.pk)
    )
    if not permissions.decides_transfer(actor, locked):
        raise CaseworkError("Only a line manager of the receiving team can accept or decline this transfer")
    if not locked.is_pending:
        raise CaseworkError(f"This transfer was already {locked.get_status_display().lower()}")
    if not accept and not reason.strip():
        raise CaseworkError("Enter why you are declining the transfer", field="decline_reason")
    case = ServiceUser.objects.select_for_update(of=("self",)).select_related("team").get(pk=locked.service_user_id)
    locked.status = TransferStatus.ACCEPTED if accept else TransferStatus.DECLINED
    locked.decided_by, locked.decided_at = actor, timezone.now()
    locked.decline_reason = "" if accept else reason.strip()
    locked.save(update_fields=["status", "decided_by", "decided_at", "decline_reason"])
    if accept:
        _move_case(actor=actor, case=case, transfer=locked)
    else:
        record_case_event(
            actor=actor,
            case=case,
            kind=EventKind.UPDATED,
            record=locked,
            summary=f"Transfer to {locked.to_team} declined – the case stays with {locked.from_team}",
            changes=[{"field": "Reason for declining", "from": "", "to": locked.decline_reason}],
        )
    outcome = "accepted" if accept else f"declined: {locked.decline_reason}"
    notify(
        _team_managers(locked.from_team_id),
        kind=NotificationKind.REQUEST_DECIDED,
        case=None,  # once accepted, the sending team can no longer see the case, but should still be told
        message=f"{locked.to_team} {outcome} – transfer of {case.full_name} ({case.crn})",
        url=_transfer_url(locked),
        key=f"transfer-decided:{locked.pk}",
    )
    return locked


def _move_case(*, actor: User, case: ServiceUser, transfer: CaseTransfer) -> None:
    """The case joins the receiving team with no responsible officer (their unallocated list), the officer's
    assignment ends (kept in the officer history), and everything open stays on the case: appointments,
    enquiries and requests are the case's records, and waiting decisions go to the new team's line managers,
    who decide for the case's team. The sending team's reminders about the case are closed: they can no
    longer open it."""
    now = timezone.now()
    previous = case.responsible_officer
    ResponsibleOfficerAssignment.objects.filter(service_user=case, ended_at__isnull=True).update(ended_at=now)
    case.team, case.responsible_officer, case.updated_by = transfer.to_team, None, actor
    case.save(update_fields=["team", "responsible_officer", "updated_by", "updated_at"])
    records_changed(case.pk)  # the induction clock and who is responsible (queryset update: no signal)
    keeps_access = User.objects.filter(Q(teams=transfer.to_team) | Q(managed_teams=transfer.to_team)).values("pk")
    stale = Notification.objects.filter(service_user=case).exclude(recipient__in=keeps_access)
    stale.filter(read_at__isnull=True).update(read_at=now)
    stale.filter(emailed_at__isnull=True).update(emailed_at=now)  # never emailed in a digest now
    record_case_event(
        actor=actor,
        case=case,
        kind=EventKind.ALLOCATED,
        record=transfer,
        summary=f"Transferred from {transfer.from_team} to {transfer.to_team}"
        + (f"; {previous} is no longer the responsible officer" if previous else "")
        + " – waiting for allocation in the new team",
        changes=[
            {"field": "Team", "from": str(transfer.from_team), "to": str(transfer.to_team)},
            {"field": "Responsible officer", "from": str(previous or ""), "to": ""},
            {"field": "Reason for the transfer", "from": "", "to": transfer.reason},
        ],
    )


RULE_FIELDS = [
    "name",
    "enabled",
    "conditions",
    "eligible_grades",
    "min_experience_years",
    "required_specialism",
    "contact_frequency_days",
    "contact_needs_approval",
    "da_enquiry_interval_days",
    "rationale",
]


def check_grade_ceiling(*, conditions: dict, eligible_grades, is_default: bool = False) -> None:
    """Refuse a rule that would let a PSO (or unpaid work supervisor) hold a case above the grade's ceiling."""
    gaps = rules.ceiling_gaps(conditions, eligible_grades, is_default=is_default)
    if gaps:
        raise CaseworkError(rules.ceiling_message(gaps), field="eligible_grades")


@transaction.atomic
def rule_create(*, actor: User, data: dict) -> AllocationRule:
    check_grade_ceiling(conditions=data.get("conditions", {}), eligible_grades=data.get("eligible_grades", []))
    last = (
        AllocationRule.objects.filter(superseded_at__isnull=True, is_default=False).aggregate(m=Max("position"))["m"]
        or 0
    )
    return AllocationRule.objects.create(
        position=last + 10,
        lineage=uuid.uuid4(),
        version=1,
        created_by=actor,
        updated_by=actor,
        **{k: data[k] for k in RULE_FIELDS if k in data},
    )


@transaction.atomic
def rule_new_version(*, actor: User, rule: AllocationRule, data: dict) -> AllocationRule:
    """Editing keeps the old version (decisions point at it) and makes the edit the current version."""
    current = AllocationRule.objects.select_for_update().get(pk=rule.pk)
    if current.superseded_at:
        raise CaseworkError("Someone changed this rule while you were editing it. Open it again")
    current.superseded_at = timezone.now()
    current.save(update_fields=["superseded_at"])
    values = {k: getattr(current, k) for k in RULE_FIELDS}
    values.update({k: data[k] for k in RULE_FIELDS if k in data})
    check_grade_ceiling(
        conditions=values["conditions"], eligible_grades=values["eligible_grades"], is_default=current.is_default
    )
    return AllocationRule.objects.create(
        position=current.position,
        is_default=current.is_default,
        lineage=current.lineage,
        version=current.version + 1,
        created_by=actor,
        updated_by=actor,
        **values,
    )


@transaction.atomic
def rule_move(*, rule: AllocationRule, direction: str) -> None:
    """Swap a rule with its neighbour in the protocol order (the default rule stays last)."""
    rules = list(
        AllocationRule.objects.select_for_update()
        .filter(superseded_at__isnull=True, is_default=False)
        .order_by("position", "id")
    )
    index = next((i for i, r in enumerate(rules) if r.pk == rule.pk), None)
    if index is None:
        raise CaseworkError("The default rule is always tried last")
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(rules):
        return
    rules[index], rules[other] = rules[other], rules[index]
    for position, row in enumerate(rules, start=1):
        AllocationRule.objects.filter(pk=row.pk).update(position=position * 10)


@transaction.atomic
def rule_toggle(*, actor: User, rule: AllocationRule) -> AllocationRule:
    if rule.is_default:
        raise CaseworkError("The default rule cannot be disabled: every case must match a rule")
    return rule_new_version(actor=actor, rule=rule, data={"enabled": not rule.enabled})
