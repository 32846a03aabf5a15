"""Allocation rules as pure functions: protocol matching, workload arithmetic, officer ranking.

No ORM and no request: selectors turn records into the dataclasses below, so every rule can be
unit-tested on plain values.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from casework.constants import Grade
from risk.constants import MappaLevel, RoshLevel

from .constants import NOT_MAPPA, UNSCREENED

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
    mappa_level: str = ""
    tier: str = ""  # e.g. "B2": protect level A (highest) to D, change level 0 to 3 (risk.tier)
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
    """A case not screened yet matches only a rule that names "unscreened"."""
    return ConditionCheck(
        f"RoSH is one of: {_words(wanted)}", case.rosh or "not screened yet", (case.rosh or UNSCREENED) in wanted
    )


def _mappa(wanted, case: CaseFacts) -> ConditionCheck:
    return ConditionCheck(
        "MAPPA case" if wanted else "Not a MAPPA case",
        "MAPPA" if case.mappa else "not MAPPA",
        case.mappa == bool(wanted),
    )


def _mappa_levels(wanted, case: CaseFacts) -> ConditionCheck:
    """MAPPA levels "1" to "3", or NOT_MAPPA."""
    labels = {**dict(MappaLevel.choices), NOT_MAPPA: MappaLevel.NONE.label}
    return ConditionCheck(
        f"MAPPA is one of: {', '.join(labels.get(w, w) for w in wanted)}",
        labels.get(case.mappa_level, case.mappa_level),
        (case.mappa_level or NOT_MAPPA) in wanted,
    )


def _tiers(wanted, case: CaseFacts) -> ConditionCheck:
    """Protect levels (A to D), or whole tiers (like B2)."""
    protect = case.tier[:1]
    ok = bool(case.tier) and (protect in wanted or case.tier in wanted)
    return ConditionCheck(f"Tier is one of: {_words(wanted)}", case.tier or "not calculated", ok)


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
    "mappa_levels": _mappa_levels,
    "tiers": _tiers,
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


# --- Grades: a minimum, and a ceiling -----------------------------------------------------------

# Lowest to highest. A rule names the lowest grade who may hold its cases; every grade above may too.
GRADE_RANK = {Grade.UPW: 0, Grade.PSO: 1, Grade.PO: 2}
# HMPPS allocation practice: high and very high RoSH, MAPPA level 2 or 3 and child protection cases are held by
# probation officers, not PSOs (or unpaid work supervisors). Grades below this rank have the ceiling.
CEILING_BELOW = GRADE_RANK[Grade.PO]
CEILING_ROSH = frozenset({RoshLevel.HIGH, RoshLevel.VERY_HIGH})
CEILING_MAPPA = frozenset({MappaLevel.LEVEL_2, MappaLevel.LEVEL_3})
# A PSO may hold a case not screened yet: the allocation page says to screen it and reallocate if it is high.
SAFE_ROSH = frozenset({RoshLevel.LOW, RoshLevel.MEDIUM, UNSCREENED})
SAFE_MAPPA = frozenset({NOT_MAPPA, MappaLevel.LEVEL_1})
SAFE_PROTECT = frozenset({"C", "D"})  # no case with high RoSH or MAPPA 2 or 3 scores under B (risk.tier)


def min_grade(grades) -> str:
    """The lowest of the grades a rule names ("" for any grade)."""
    ranked = sorted((g for g in grades if g in GRADE_RANK), key=GRADE_RANK.get)
    return ranked[0] if ranked else ""


def grade_allowed(grade: str, minimum: str) -> bool:
    return not minimum or GRADE_RANK.get(grade, -1) >= GRADE_RANK[minimum]


def above_ceiling(case: CaseFacts) -> list[str]:
    """Why only a probation officer may hold this case (empty when a PSO may)."""
    reasons = []
    if case.rosh in CEILING_ROSH:
        reasons.append(f"{RoshLevel(case.rosh).label.lower()} RoSH")
    if case.mappa_level in CEILING_MAPPA:
        reasons.append(MappaLevel(case.mappa_level).label)
    if case.child_protection:
        reasons.append("child protection concerns")
    return reasons


def ceiling_gaps(conditions: dict, grades, *, is_default: bool = False) -> list[str]:
    """What a rule whose lowest grade is below probation officer must rule out, and does not. A rule may let a
    PSO hold a case only if its conditions keep out every case above the PSO ceiling."""
    minimum = min_grade(grades)
    if not minimum or GRADE_RANK[minimum] < CEILING_BELOW:
        c = {} if is_default else conditions
        tiers_safe = bool(c.get("tiers")) and {t[:1] for t in c["tiers"]} <= SAFE_PROTECT
        rosh_safe = bool(c.get("rosh_levels")) and set(c["rosh_levels"]) <= SAFE_ROSH
        mappa_safe = (bool(c.get("mappa_levels")) and set(c["mappa_levels"]) <= SAFE_MAPPA) or c.get("mappa") is False
        gaps = [
            ("high or very high RoSH (RoSH is one of: low, medium)", rosh_safe or tiers_safe),
            ("MAPPA level 2 or 3 (MAPPA is one of: not MAPPA, level 1)", mappa_safe or tiers_safe),
            (
                "child protection concerns (has none of: child protection)",
                "child_protection" in c.get("flags_none", ()),
            ),
        ]
        return [text for text, safe in gaps if not safe]
    return []


def ceiling_message(gaps: list[str]) -> str:
    return (
        "A probation officer must hold any case with high or very high RoSH, MAPPA level 2 or 3, or child "
        f"protection concerns. To let a lower grade hold this rule's cases, rule out {'; '.join(gaps)}. "
        "Otherwise make probation officer the lowest grade"
    )


@dataclass(frozen=True)
class Outcome:
    min_grade: str = ""  # the lowest grade who may hold the case; any grade above may too
    min_experience_years: int = 0
    required_specialism: str = ""
    above_ceiling: tuple = ()  # why only a probation officer may hold the case


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
    why: str = ""  # why this officer is where they are in the list


@dataclass(frozen=True)
class Excluded:
    candidate: Candidate
    reasons: tuple


def _exclusions(c: Candidate, outcome: Outcome, max_capacity: Decimal) -> list[str]:
    reasons = []
    if not c.active:
        reasons.append("not active")
    if c.excluded_from_case:
        reasons.append("excluded from this case (restricted access)")
    if not grade_allowed(c.grade, outcome.min_grade):
        reasons.append(f"grade {c.grade or 'none'} is below the rule's minimum, {outcome.min_grade}")
    elif outcome.above_ceiling and GRADE_RANK.get(c.grade, -1) < CEILING_BELOW:
        who = c.grade or "officer without a grade"
        reasons.append(f"a {who} cannot hold a case with {_words(outcome.above_ceiling)} (grade ceiling)")
    if c.experience_years < outcome.min_experience_years:
        reasons.append(f"{c.experience_years} years' experience; {outcome.min_experience_years} needed")
    if outcome.required_specialism and outcome.required_specialism not in c.specialisms:
        reasons.append(f"no {outcome.required_specialism.replace('_', ' ')} specialism")
    if c.capacity >= max_capacity:
        reasons.append(f"over capacity ({c.capacity}%)")
    return reasons


def _why(c: Candidate, outcome: Outcome, after: Decimal) -> str:
    above = outcome.min_grade and GRADE_RANK.get(c.grade, -1) > GRADE_RANK[outcome.min_grade]
    grade = f"{c.grade}, above the minimum grade ({outcome.min_grade})" if above else f"{c.grade or 'no grade'}"
    return f"{grade}; workload {c.capacity}% now, {after}% with this case"


def rank_officers(
    candidates: list[Candidate], outcome: Outcome, case_points: int, max_capacity: Decimal = Decimal(100)
) -> tuple[list[Ranked], list[Excluded]]:
    """Eligible officers and why each of the others is excluded. Officers at the rule's minimum grade come first
    (a higher grade may hold the case, but its time is kept for cases only it can hold), then by most available
    capacity (lowest workload percentage)."""
    ranked, excluded = [], []
    for c in candidates:
        reasons = _exclusions(c, outcome, max_capacity)
        if reasons:
            excluded.append(Excluded(c, tuple(reasons)))
        else:
            after = capacity_percent(c.points + case_points, c.available)
            ranked.append(Ranked(c, after, _why(c, outcome, after)))
    ranked.sort(key=lambda r: (GRADE_RANK.get(r.candidate.grade, 9), r.candidate.capacity, r.candidate.name))
    return ranked, excluded
