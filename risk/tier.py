"""The case's tier: protect level (A highest to D) and change level (0 to 3), as a pure rule.

Point values and boundaries follow the national calculator, ministryofjustice/hmpps-tier:
- service/ProtectLevelCalculator.kt (commit 01cbd20): protect points = the larger of RoSH points (very high 30,
  high 20, medium 10) and RSR points (over 6.9: 20, over 2.9: 10; domain/enums/RsrThresholds.kt), plus MAPPA points
  (level 2 or 3: 30, level 1: 5), plus 2 for each distinct complexity factor (IOM nominal not counted here) and, for
  women only, 2 each for parenting responsibilities, impulsivity or temper control, and breach or recall in the
  last 12 months. A is 30 or more, B 20 to 29, C 10 to 19, D under 10.
- service/ChangeLevelCalculator.kt and service/MandateForChange.kt: no mandate for change (no licence and no order
  with a requirement other than unpaid work or a restrictive one) is level 0; no current assessment is level 2;
  otherwise change points = criminogenic needs (domain/enums/Need.kt weightings x NeedSeverity.kt scores) + OGRS
  / 10 (whole points) + 2 for an IOM nominal. 3 is 20 or more, 2 is 10 to 19, 1 under 10.

Breach or recall counts for 365 days from the day it was recorded, that day included: the national calculator's
input (previousEnforcementActivity) is an enforcement NSI with a referral date on or after today minus 365 days
(ministryofjustice/hmpps-probation-integration-services, projects/tier-to-delius, nsi/entity/Nsi.kt). So it
counts on its anniversary (one after a 29 February: the day before) and no longer the day after; the nightly
status sweep recalculates the tiers whose breach or recall has just stopped counting (risk.sweeps).

No ORM and no request: risk.services gathers a TierInputs from the records and stores the result.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from casework.constants import Gender, OrderType, RequirementType
from contacts.constants import COURT_BREACH, EnforcementAction

from .constants import ComplexityFactor, MappaLevel, Need, NeedSeverity, ProtectLevel, RoshLevel, WomensFactor

ROSH_POINTS = {RoshLevel.VERY_HIGH: 30, RoshLevel.HIGH: 20, RoshLevel.MEDIUM: 10}
# (more than this RSR percentage, points), highest first.
RSR_BANDS = ((Decimal("6.9"), 20), (Decimal("2.9"), 10))
MAPPA_POINTS = {MappaLevel.LEVEL_3: 30, MappaLevel.LEVEL_2: 30, MappaLevel.LEVEL_1: 5}
COMPLEXITY_WEIGHT = 2
# (at least these points, level), highest first.
PROTECT_BANDS = ((30, ProtectLevel.A), (20, ProtectLevel.B), (10, ProtectLevel.C))
CHANGE_BANDS = ((20, 3), (10, 2))
NEED_WEIGHTS = {Need.THINKING: 2, Need.ATTITUDES: 2}  # every other need weighs 1
SEVERITY_SCORES = {NeedSeverity.STANDARD: 1, NeedSeverity.SEVERE: 2}
IOM_CHANGE_POINTS = 2
NO_ASSESSMENT_CHANGE_LEVEL = 2
# Requirements nDelius marks restrictive (electronic monitoring): with unpaid work, they give no mandate for change.
RESTRICTIVE_REQUIREMENTS = frozenset({RequirementType.CURFEW, RequirementType.EXCLUSION})
CUSTODIAL_ORDERS = frozenset({OrderType.LICENCE})
BREACH_OR_RECALL_DAYS = 365
# Enforcement actions in the contact log that start a breach (court) or a recall (licence).
BREACH_OR_RECALL_ACTIONS = COURT_BREACH | {EnforcementAction.EA11}


@dataclass(frozen=True)
class OrderFacts:
    order_type: str
    requirement_types: frozenset = frozenset()  # active requirements


@dataclass(frozen=True)
class TierInputs:
    rosh: str | None = None
    rsr: Decimal | None = None  # risk of serious recidivism, percent
    ogrs: int | None = None  # OGRS 2-year percentage; None means no current assessment
    mappa_level: str = ""
    complexity: frozenset = frozenset()  # ComplexityFactor values
    child_protection: bool = False
    risk_to_children: bool = False
    female: bool = False
    womens_factors: frozenset = frozenset()  # WomensFactor values
    needs: dict = field(default_factory=dict)  # Need -> NeedSeverity
    orders: tuple = ()  # OrderFacts of the orders in force


@dataclass(frozen=True)
class Tier:
    protect: str
    change: int
    protect_points: int
    change_points: int
    reasons: tuple = ()  # what scored, in words

    @property
    def code(self) -> str:
        return f"{self.protect}{self.change}"


def rsr_points(rsr: Decimal | None) -> int:
    if rsr is None:
        return 0
    return next((points for above, points in RSR_BANDS if Decimal(rsr) > above), 0)


def _complexity_points(i: TierInputs) -> tuple[int, list[str]]:
    counted = {f for f in i.complexity if f != ComplexityFactor.IOM}
    labels = [ComplexityFactor(f).label for f in sorted(counted)]
    if i.child_protection:
        labels.append("Child protection")
    if i.risk_to_children:
        labels.append("Risk to children")
    if i.female:
        labels += [WomensFactor(f).label for f in sorted(i.womens_factors)]
    return COMPLEXITY_WEIGHT * len(labels), labels


def protect_level(i: TierInputs) -> tuple[str, int, list[str]]:
    rosh, rsr = ROSH_POINTS.get(i.rosh, 0), rsr_points(i.rsr)
    mappa = MAPPA_POINTS.get(i.mappa_level, 0)
    complexity, factors = _complexity_points(i)
    points = max(rosh, rsr) + mappa + complexity
    reasons = []
    if rosh >= rsr and rosh:
        reasons.append(f"RoSH {RoshLevel(i.rosh).label.lower()}: {rosh}")
    elif rsr:
        reasons.append(f"RSR {float(i.rsr):g}%: {rsr}")
    if mappa:
        reasons.append(f"{MappaLevel(i.mappa_level).label}: {mappa}")
    reasons += [f"{label}: {COMPLEXITY_WEIGHT}" for label in factors]
    level = next((lvl for least, lvl in PROTECT_BANDS if points >= least), ProtectLevel.D)
    return level, points, reasons


def has_mandate_for_change(orders) -> bool:
    """A licence, or an order with a requirement that is neither unpaid work nor restrictive."""
    no_change = RESTRICTIVE_REQUIREMENTS | {RequirementType.UNPAID_WORK}
    return any(o.order_type in CUSTODIAL_ORDERS or (o.requirement_types - no_change) for o in orders)


def needs_points(needs: dict) -> int:
    return sum(NEED_WEIGHTS.get(need, 1) * SEVERITY_SCORES.get(severity, 0) for need, severity in needs.items())


def change_level(i: TierInputs) -> tuple[int, int, list[str]]:
    if not has_mandate_for_change(i.orders):
        return 0, 0, ["No mandate for change: unpaid work or restrictive requirements only"]
    if i.ogrs is None:
        return NO_ASSESSMENT_CHANGE_LEVEL, 0, ["No current OGRS score: change level 2 until assessed"]
    ogrs, needs = int(i.ogrs) // 10, needs_points(i.needs)
    iom = IOM_CHANGE_POINTS if ComplexityFactor.IOM in i.complexity else 0
    reasons = [f"OGRS {i.ogrs}%: {ogrs}"] + ([f"Criminogenic needs: {needs}"] if needs else [])
    reasons += [f"IOM nominal: {iom}"] if iom else []
    points = ogrs + needs + iom
    level = next((lvl for least, lvl in CHANGE_BANDS if points >= least), 1)
    return level, points, reasons


def calculate(i: TierInputs) -> Tier:
    protect, protect_points, protect_reasons = protect_level(i)
    change, change_points, change_reasons = change_level(i)
    return Tier(protect, change, protect_points, change_points, tuple(protect_reasons + change_reasons))


def is_female(gender: str) -> bool:
    return gender == Gender.FEMALE


def breach_or_recall_window_start(today: date) -> date:
    """The earliest day a breach or recall can have been recorded and still count today."""
    return today - timedelta(days=BREACH_OR_RECALL_DAYS)


def breach_or_recall_counts(recorded_on: date, today: date) -> bool:
    return breach_or_recall_window_start(today) <= recorded_on <= today


def breach_or_recall_stops_counting_on(recorded_on: date) -> date:
    """The first day a breach or recall recorded on this day no longer counts."""
    return recorded_on + timedelta(days=BREACH_OR_RECALL_DAYS + 1)
