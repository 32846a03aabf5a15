"""Allocation rules as pure functions: protocol matching, workload arithmetic, officer ranking.

No ORM and no request: selectors turn records into the dataclasses below, so every rule can be
unit-tested on plain values.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from risk.constants import ROSH_ORDER, RoshLevel

from .constants import CaseLevel

FLAG_LABELS = {
    "domestic_abuse": "domestic abuse",
    "restraining_order": "restraining order in force",
    "child_protection": "child protection concerns",
}


@dataclass(frozen=True)
class CaseFacts:
    """What a protocol can ask about a case."""

    order_types: frozenset = frozenset()  # active orders
    requirement_types: frozenset = frozenset()  # active requirements
    domestic_abuse: bool = False
    restraining_order: bool = False
    child_protection: bool = False
    rosh: str | None = None
    mappa: bool = False
    age: int | None = None
    gender: str = ""

    def flag(self, name: str) -> bool:
        return bool(getattr(self, name))


@dataclass(frozen=True)
class ConditionCheck:
    label: str  # what the rule asks, in words
    actual: str  # what the case has
    passed: bool


def _words(values) -> str:
    return ", ".join(sorted(str(v) for v in values)) or "none"


def _flags_present(wanted, case: CaseFacts) -> list[str]:
    return [FLAG_LABELS[f] for f in wanted if f in FLAG_LABELS and case.flag(f)]


def _flag_words(wanted) -> str:
    return ", ".join(FLAG_LABELS.get(f, f) for f in wanted)


def _order_types(wanted, case: CaseFacts) -> ConditionCheck:
    return ConditionCheck(
        f"Order type is one of: {_words(wanted)}", _words(case.order_types), bool(case.order_types & set(wanted))
    )


def _requirement_types_only(wanted, case: CaseFacts) -> ConditionCheck:
    # "Unpaid-work-only": the case has requirements and all of them are in the list.
    ok = bool(case.requirement_types) and case.requirement_types <= set(wanted)
    return ConditionCheck(f"Requirements are only: {_words(wanted)}", _words(case.requirement_types), ok)


def _requirement_types_any(wanted, case: CaseFacts) -> ConditionCheck:
    return ConditionCheck(
        f"Has a requirement of type: {_words(wanted)}",
        _words(case.requirement_types),
        bool(case.requirement_types & set(wanted)),
    )


def _flags_any(wanted, case: CaseFacts) -> ConditionCheck:
    present = _flags_present(wanted, case)
    return ConditionCheck(f"Has any of: {_flag_words(wanted)}", ", ".join(present) or "none of them", bool(present))


def _flags_none(wanted, case: CaseFacts) -> ConditionCheck:
    present = _flags_present(wanted, case)
    return ConditionCheck(f"Has none of: {_flag_words(wanted)}", ", ".join(present) or "none of them", not present)


def _rosh_levels(wanted, case: CaseFacts) -> ConditionCheck:
    return ConditionCheck(f"RoSH is one of: {_words(wanted)}", case.rosh or "not assessed", case.rosh in wanted)


def _mappa(wanted, case: CaseFacts) -> ConditionCheck:
    return ConditionCheck(
        "MAPPA case" if wanted else "Not a MAPPA case",
        "MAPPA" if case.mappa else "not MAPPA",
        case.mappa == bool(wanted),
    )


def _min_age(wanted, case: CaseFacts) -> ConditionCheck:
    return ConditionCheck(f"Aged {wanted} or over", str(case.age), case.age is not None and case.age >= int(wanted))


def _max_age(wanted, case: CaseFacts) -> ConditionCheck:
    return ConditionCheck(f"Aged {wanted} or under", str(case.age), case.age is not None and case.age <= int(wanted))


def _genders(wanted, case: CaseFacts) -> ConditionCheck:
    return ConditionCheck(f"Gender is one of: {_words(wanted)}", case.gender or "not known", case.gender in wanted)


# What each condition key a rule can hold asks of a case: (wanted value, case) -> the explained check.
CONDITIONS = {
    "order_types": _order_types,
    "requirement_types_only": _requirement_types_only,
    "requirement_types_any": _requirement_types_any,
    "flags_any": _flags_any,
    "flags_none": _flags_none,
    "rosh_levels": _rosh_levels,
    "mappa": _mappa,
    "min_age": _min_age,
    "max_age": _max_age,
    "genders": _genders,
}


def _unknown(key: str) -> ConditionCheck:
    return ConditionCheck(f"Unknown condition {key!r}", "", False)


def check_conditions(conditions: dict, case: CaseFacts) -> list[ConditionCheck]:
    """Each condition of a rule against the case, with the values used. Unknown keys fail closed."""
    return [
        CONDITIONS[key](wanted, case) if key in CONDITIONS else _unknown(key)
        for key, wanted in conditions.items()
        if wanted not in (None, "", [])
    ]


@dataclass(frozen=True)
class RuleSpec:
    id: int
    name: str
    conditions: dict
    is_default: bool = False


@dataclass(frozen=True)
class Match:
    rule: RuleSpec
    checks: list
    skipped: list = field(default_factory=list)  # [(rule name, first failed check)] before the match


def match_rule(rules: list[RuleSpec], case: CaseFacts) -> Match | None:
    """First matching enabled rule wins, in the order given; the default rule matches anything."""
    skipped = []
    for rule in rules:
        checks = [] if rule.is_default else check_conditions(rule.conditions, case)
        if all(c.passed for c in checks):
            return Match(rule=rule, checks=checks, skipped=skipped)
        skipped.append((rule.name, next(c for c in checks if not c.passed)))
    return None


# --- Workload -------------------------------------------------------------------------------


def case_level(
    *, rosh: str | None, mappa: bool, child_protection: bool, domestic_abuse: bool, restraining_order: bool
) -> str:
    """A (lightest) to D (heaviest), from RoSH and risk flags."""
    rank = ROSH_ORDER.get(rosh or RoshLevel.LOW, 0)
    if rank >= ROSH_ORDER[RoshLevel.HIGH] or mappa:
        return CaseLevel.D
    if rank == ROSH_ORDER[RoshLevel.MEDIUM] or child_protection:
        return CaseLevel.C
    if domestic_abuse or restraining_order:
        return CaseLevel.B
    return CaseLevel.A


def available_points(
    *, nominal_target: int, contracted_hours: Decimal, reduction_hours: Decimal, standard_hours: Decimal
) -> Decimal:
    """nominal target × (contracted hours − reductions) / standard hours."""
    hours = max(Decimal(contracted_hours) - Decimal(reduction_hours), Decimal(0))
    return Decimal(nominal_target) * hours / Decimal(standard_hours)


def capacity_percent(points: Decimal | int, available: Decimal) -> Decimal:
    if available <= 0:
        return Decimal("999")
    return (Decimal(points) / available * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# --- Eligibility and ranking ----------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    eligible_grades: frozenset = frozenset()
    min_experience_years: int = 0
    required_specialism: str = ""


@dataclass(frozen=True)
class Candidate:
    id: int
    name: str
    grade: str
    experience_years: int
    specialisms: frozenset
    points: Decimal
    available: Decimal
    active: bool = True
    excluded_from_case: bool = False  # restricted-access exclusion

    @property
    def capacity(self) -> Decimal:
        return capacity_percent(self.points, self.available)


@dataclass(frozen=True)
class Ranked:
    candidate: Candidate
    capacity_after: Decimal


@dataclass(frozen=True)
class Excluded:
    candidate: Candidate
    reasons: tuple


def rank_officers(
    candidates: list[Candidate], outcome: Outcome, case_points: int, max_capacity: Decimal = Decimal(100)
) -> tuple[list[Ranked], list[Excluded]]:
    """Eligible officers, least loaded first, and why each of the others is excluded."""
    ranked, excluded = [], []
    for c in candidates:
        reasons = []
        if not c.active:
            reasons.append("not active")
        if c.excluded_from_case:
            reasons.append("excluded from this case (restricted access)")
        if outcome.eligible_grades and c.grade not in outcome.eligible_grades:
            reasons.append(f"grade {c.grade or 'none'} is not one of {_words(outcome.eligible_grades)}")
        if c.experience_years < outcome.min_experience_years:
            reasons.append(f"{c.experience_years} years' experience; {outcome.min_experience_years} needed")
        if outcome.required_specialism and outcome.required_specialism not in c.specialisms:
            reasons.append(f"no {outcome.required_specialism.replace('_', ' ')} specialism")
        if c.capacity >= max_capacity:
            reasons.append(f"over capacity ({c.capacity}%)")
        if reasons:
            excluded.append(Excluded(c, tuple(reasons)))
        else:
            ranked.append(Ranked(c, capacity_percent(c.points + case_points, c.available)))
    ranked.sort(key=lambda r: (r.candidate.capacity, r.candidate.name))
    return ranked, excluded
