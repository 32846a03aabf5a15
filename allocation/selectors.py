"""Reads for allocation: case facts for protocols, workload points, ranked candidates, and transfers."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from casework.constants import OrderStatus, RequirementStatus, Role
from casework.models import Offence, Order, Requirement, RestrainingOrder, ServiceUser, Team, User
from casework.rules import age_on
from casework.selectors import cases_visible_to, managed_team_ids, restricted_user_ids
from contacts import rules as contact_rules
from contacts import selectors as contact_selectors
from contacts.constants import RequestStatus
from core import permissions
from core.prepared import Counting, counting, prepared
from risk import tier
from risk.constants import ROSH_ORDER
from risk.models import CaseTier, RiskAssessment

from . import history, rules
from .constants import TransferStatus
from .models import (
    AllocationDecision,
    AllocationRule,
    CaseTransfer,
    CaseWeighting,
    OfficerProfile,
    WorkloadReduction,
    WorkloadSettings,
)


def current_rules() -> list[AllocationRule]:
    """Enabled current versions in protocol order; the default rule last."""
    return list(
        AllocationRule.objects.filter(superseded_at__isnull=True, enabled=True).order_by("is_default", "position", "id")
    )


def protocol_rules() -> QuerySet[AllocationRule]:
    return AllocationRule.objects.filter(superseded_at__isnull=True).order_by("is_default", "position", "id")


def _blank_facts() -> dict:
    return {
        "rosh": None,
        "mappa": False,
        "mappa_level": "",
        "child_protection": False,
        "domestic_abuse": False,
        "restraining_order": False,
        "tier": "",
    }


def _risk_by_case(ids: list[int], today: date) -> dict[int, dict]:
    facts = defaultdict(_blank_facts)
    seen = set()
    for row in (
        RiskAssessment.objects.filter(service_user__any_of=ids)
        .order_by("service_user", "-created_at", "-id")
        .values("service_user", "rosh_level", "mappa_level", "child_protection_concerns", "domestic_abuse_perpetrator")
    ):
        if row["service_user"] in seen:
            continue
        seen.add(row["service_user"])
        facts[row["service_user"]].update(
            rosh=row["rosh_level"],
            mappa=bool(row["mappa_level"]),
            mappa_level=row["mappa_level"],
            child_protection=row["child_protection_concerns"],
            domestic_abuse=row["domestic_abuse_perpetrator"],
        )
    for pk, protect, change in CaseTier.objects.filter(service_user__any_of=ids).values_list(
        "service_user", "protect_level", "change_level"
    ):
        facts[pk]["tier"] = f"{protect}{change}"
    for pk in Offence.objects.filter(order__service_user__any_of=ids, domestic_abuse=True).values_list(
        "order__service_user", flat=True
    ):
        facts[pk]["domestic_abuse"] = True
    in_force = Q(made_on__lte=today) & (Q(until_further_order=True) | Q(expires_on__gte=today))
    for pk in RestrainingOrder.objects.filter(in_force, service_user__any_of=ids).values_list(
        "service_user", flat=True
    ):
        facts[pk]["restraining_order"] = True
    return facts


def case_facts(case: ServiceUser, today: date | None = None) -> rules.CaseFacts:
    today = today or timezone.localdate()
    risk = _risk_by_case([case.pk], today)[case.pk]
    active = Order.objects.filter(service_user=case, status=OrderStatus.ACTIVE)
    requirements = Requirement.objects.filter(order__in=active, status=RequirementStatus.ACTIVE)
    return rules.CaseFacts(
        order_types=frozenset(active.values_list("order_type", flat=True)),
        requirement_types=frozenset(requirements.values_list("requirement_type", flat=True)),
        age=age_on(case.date_of_birth, today),
        gender=case.gender,
        **risk,
    )


def _untiered(facts: dict) -> str:
    """A case whose tier has not been stored yet: its protect level from RoSH and MAPPA alone, and change level
    2 (the national calculator's level for a case without a current assessment)."""
    inputs = tier.TierInputs(
        rosh=facts["rosh"], mappa_level=facts["mappa_level"], child_protection=facts["child_protection"]
    )
    return f"{tier.protect_level(inputs)[0]}{tier.NO_ASSESSMENT_CHANGE_LEVEL}"


def case_points(case_ids: list[int], today: date) -> dict[int, int]:
    """Workload points for each case: the weighting of its main active order type at its tier."""
    weights = {(w.order_type, w.tier): w.points for w in CaseWeighting.objects.all()}
    risk = _risk_by_case(case_ids, today)
    order_type = {}
    for pk, kind in (
        Order.objects.filter(service_user__any_of=case_ids, status=OrderStatus.ACTIVE)
        .order_by("service_user", "-sentence_date")
        .values_list("service_user", "order_type")
    ):
        order_type.setdefault(pk, kind)
    return {
        pk: weights.get((order_type[pk], risk[pk]["tier"] or _untiered(risk[pk])), 0) if pk in order_type else 0
        for pk in case_ids
    }


@dataclass(frozen=True)
class Workload:
    officer: User
    profile: OfficerProfile | None
    cases: int
    points: int
    available: Decimal
    reduction_hours: Decimal

    @property
    def capacity(self) -> Decimal:
        return rules.capacity_percent(self.points, self.available)


def workloads(officers: list[User], today: date | None = None) -> list[Workload]:
    """Points, available points and capacity for each officer, in a fixed number of queries."""
    today = today or timezone.localdate()
    settings = WorkloadSettings.current()
    ids = [o.pk for o in officers]
    profiles = {p.user_id: p for p in OfficerProfile.objects.filter(user__in=ids)}
    reductions = dict(
        WorkloadReduction.objects.filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=today),
            profile__user__in=ids,
            starts_on__lte=today,
        )
        .values("profile__user")
        .annotate(total=Sum("hours"))
        .values_list("profile__user", "total")
    )
    caseloads = defaultdict(list)
    for pk, officer_id in ServiceUser.objects.filter(responsible_officer__in=ids).values_list(
        "pk", "responsible_officer"
    ):
        caseloads[officer_id].append(pk)
    points = case_points([pk for cases in caseloads.values() for pk in cases], today)
    result = []
    for officer in officers:
        profile = profiles.get(officer.pk)
        contracted = profile.contracted_hours if profile else settings.standard_hours
        reduction = reductions.get(officer.pk) or Decimal(0)
        result.append(
            Workload(
                officer=officer,
                profile=profile,
                cases=len(caseloads[officer.pk]),
                points=sum(points[pk] for pk in caseloads[officer.pk]),
                available=rules.available_points(
                    nominal_target=settings.target_for(officer.grade),
                    contracted_hours=contracted,
                    reduction_hours=reduction,
                    standard_hours=settings.standard_hours,
                ),
                reduction_hours=reduction,
            )
        )
    return result


@dataclass(frozen=True)
class TeamWorkload:
    cases: int
    points: int
    available: Decimal

    @property
    def capacity(self) -> Decimal:
        return rules.capacity_percent(self.points, self.available)


def team_workload(rows: list[Workload]) -> TeamWorkload | None:
    """The team as a whole: all its officers' points against all their available points."""
    if not rows:
        return None
    return TeamWorkload(
        cases=sum(w.cases for w in rows),
        points=sum(w.points for w in rows),
        available=sum((w.available for w in rows), Decimal(0)),
    )


def team_officers(team: Team) -> list[User]:
    return list(team.members.filter(role=Role.RESPONSIBLE_OFFICER, is_active=True).order_by("last_name"))


@dataclass(frozen=True)
class AllocationView:
    facts: rules.CaseFacts
    match: rules.Match
    rule: AllocationRule
    ranked: list
    excluded: list
    case_points: int
    outcome: rules.Outcome

    @property
    def suggested(self):
        return self.ranked[0].candidate if self.ranked else None


def allocation_view(case: ServiceUser, today: date | None = None) -> AllocationView:
    today = today or timezone.localdate()
    facts = case_facts(case, today)
    rule_rows = current_rules()
    specs = [rules.RuleSpec(id=r.pk, name=r.name, conditions=r.conditions, is_default=r.is_default) for r in rule_rows]
    match = rules.match_rule(specs, facts)
    rule = next(r for r in rule_rows if r.pk == match.rule.id)
    outcome = rules.Outcome(
        min_grade=rules.min_grade(rule.eligible_grades),
        min_experience_years=rule.min_experience_years,
        required_specialism=rule.required_specialism,
        above_ceiling=tuple(rules.above_ceiling(facts)),
    )
    officers = [o for o in team_officers(case.team) if o.pk != case.responsible_officer_id]
    blocked = restricted_user_ids(case, [o.pk for o in officers])
    candidates = [
        rules.Candidate(
            id=w.officer.pk,
            name=str(w.officer),
            grade=w.officer.grade,
            experience_years=w.profile.experience_years if w.profile else 0,
            specialisms=frozenset(w.profile.specialisms if w.profile else []),
            points=Decimal(w.points),
            available=w.available,
            active=w.profile.active if w.profile else True,
            excluded_from_case=w.officer.pk in blocked,
        )
        for w in workloads(officers, today)
    ]
    points = case_points([case.pk], today)[case.pk]
    ranked, excluded = rules.rank_officers(candidates, outcome, points)
    return AllocationView(
        facts=facts, match=match, rule=rule, ranked=ranked, excluded=excluded, case_points=points, outcome=outcome
    )


def unallocated_cases(user: User) -> QuerySet[ServiceUser]:
    teams = user.managed_teams.all() if user.role == Role.LINE_MANAGER else Team.objects.all()
    return (
        cases_visible_to(user)
        .filter(team__in=teams, responsible_officer__isnull=True)
        .select_related("team", "tier")
        .order_by("created_at")
    )


@dataclass(frozen=True)
class UnallocatedRow:
    case: ServiceUser  # with .tier and .next_appointment
    contact_due: contact_rules.DueStatus | None  # None: no contact plan yet


def _tier_key(row: UnallocatedRow):
    tier_row = getattr(row.case, "tier", None)
    return (0, tier_row.protect_level, -tier_row.change_level) if tier_row else (1, "", 0)


def _rosh_key(row: UnallocatedRow):
    tier_row = getattr(row.case, "tier", None)
    level = tier_row.rosh_level if tier_row else ""
    return (0, -ROSH_ORDER[level]) if level else (1, 0)  # highest first; not screened last


def _last_if_none(value):
    return (value is None, value)


# Each sort ascending; "-key" reverses it. Tier and RoSH put the highest risk first.
UNALLOCATED_SORTS = {
    "opened": lambda row: row.case.created_at,
    "name": lambda row: (row.case.last_name, row.case.first_name),
    "tier": _tier_key,
    "rosh": _rosh_key,
    "appointment": lambda row: _last_if_none(row.case.next_appointment),
    "due": lambda row: _last_if_none(row.contact_due.due_on if row.contact_due else None),
}


def unallocated_rows(user: User, sort: str = "opened") -> list[UnallocatedRow]:
    """The unallocated list with what a manager weighs up first: tier, RoSH, the next appointment and when contact
    is due, in a fixed number of queries however many cases wait; sorted on any of those columns."""
    cases = list(unallocated_cases(user).annotate(next_appointment=contact_selectors.next_appointment_annotation()))
    due = contact_selectors.due_for_cases([case.pk for case in cases], timezone.localdate())
    rows = [UnallocatedRow(case, due.get(case.pk)) for case in cases]
    key = sort.removeprefix("-")
    rows.sort(key=UNALLOCATED_SORTS.get(key, UNALLOCATED_SORTS["opened"]), reverse=sort.startswith("-"))
    return rows


def recent_allocations(user: User, days: int = 30) -> QuerySet[AllocationDecision]:
    teams = user.managed_teams.all() if user.role == Role.LINE_MANAGER else Team.objects.all()
    since = timezone.now() - timezone.timedelta(days=days)
    visible = cases_visible_to(user)
    return AllocationDecision.objects.filter(
        service_user__team__in=teams, service_user__in=visible, decided_at__gte=since
    ).select_related("service_user", "officer", "decided_by", "rule")


# --- Transfers --------------------------------------------------------------------------------------


def _transfers():
    return CaseTransfer.objects.select_related(
        "service_user", "from_team", "to_team", "requested_by", "decided_by", "previous_officer"
    )


def transfer_for_user(user: User, transfer_id: int) -> CaseTransfer:
    """A transfer the user may see (the line managers of both teams, and admins). Anyone else gets a 404, so a
    request does not reveal that a case exists to people outside the two teams."""
    transfer = _transfers().filter(pk=transfer_id).first()
    if transfer is None or not permissions.sees_transfer(user, transfer):
        raise Http404("No transfer found")
    return transfer


def incoming_transfers(user: User) -> list[CaseTransfer]:
    """Transfers waiting for this line manager's team to accept or decline."""
    if user.role != Role.LINE_MANAGER:
        return []
    return list(_transfers().filter(status=TransferStatus.PENDING, to_team__in=user.managed_teams.all()))


def transfers_waiting(user: User) -> dict[str, Counting | int]:
    """For the "Approvals" badge (settings.APPROVALS_WAITING): transfers waiting for this line manager's team to
    accept or decline, the same ones as incoming_transfers, as a prepared count the navigation runs with its
    other badges."""
    if user.role != Role.LINE_MANAGER:
        return {"incoming_transfers": 0}
    return {"incoming_transfers": counting(_transfers_waiting, managed_team_ids(user))}


@prepared
def _transfers_waiting(team_ids):
    return CaseTransfer.objects.filter(status=TransferStatus.PENDING, to_team__in=team_ids)


def outgoing_transfers(user: User, days: int = 30) -> list[CaseTransfer]:
    """Transfers this line manager's teams asked for: those waiting, and those decided in the last `days`."""
    if user.role != Role.LINE_MANAGER:
        return []
    since = timezone.now() - timezone.timedelta(days=days)
    return list(
        _transfers()
        .filter(from_team__in=user.managed_teams.all())
        .filter(Q(status=TransferStatus.PENDING) | Q(decided_at__gte=since))
    )


def transfer_summary(transfer: CaseTransfer) -> dict:
    """What the receiving line manager needs to decide, and no more: who the case is, its risk and tier, the
    orders in force, and what is open that their team would take on. Not contacts, notes or people around the
    case: those open with the case itself once the transfer is accepted."""
    case = transfer.service_user
    today, now = timezone.localdate(), timezone.now()
    orders = case.orders.filter(status=OrderStatus.ACTIVE).prefetch_related("requirements")
    return {
        "tier": CaseTier.objects.filter(service_user=case).first(),
        "age": age_on(case.date_of_birth, today),
        "orders": list(orders),
        "future_appointments": case.contacts.filter(arranged=True, starts_at__gt=now).count(),
        "open_enquiries": case.enquiries.filter(response_received_on__isnull=True, result="").count(),
        "pending_requests": case.contact_requests.filter(status=RequestStatus.PENDING).count(),
    }


@dataclass(frozen=True)
class RuleVersion:
    rule: AllocationRule
    changes: list  # allocation.history.Change, from the version before


def _rule_values(rule: AllocationRule) -> dict:
    return {name: getattr(rule, name) for name, _, _ in history.FIELDS} | {"conditions": rule.conditions}


def _with_changes(versions: list[AllocationRule]) -> list[RuleVersion]:
    """Versions of one rule, oldest first, each with what it changed from the one before."""
    out, previous = [], None
    for rule in versions:
        out.append(RuleVersion(rule, history.rule_changes(previous and _rule_values(previous), _rule_values(rule))))
        previous = rule
    return out


def rule_versions(lineage) -> list[RuleVersion]:
    """Every version of one rule, newest first, each with what changed from the one before."""
    rules = AllocationRule.objects.filter(lineage=lineage).select_related("created_by").order_by("version")
    return list(reversed(_with_changes(list(rules))))


def protocol_history() -> list[list[RuleVersion]]:
    """Every rule of the protocol (current ones in protocol order, then retired ones), each with every version
    newest first and what it changed. One query."""
    by_lineage: dict = {}
    for rule in AllocationRule.objects.select_related("created_by").order_by("lineage", "version"):
        by_lineage.setdefault(rule.lineage, []).append(rule)

    def protocol_order(versions):
        latest = versions[-1]
        return (latest.superseded_at is not None, latest.is_default, latest.position, latest.pk)

    return [list(reversed(_with_changes(v))) for v in sorted(by_lineage.values(), key=protocol_order)]
