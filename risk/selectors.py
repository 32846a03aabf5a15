"""Reads for risk pages: the current risk record, open reviews, the active rule set and the criteria ratings.

The ratings come from each case's stored status (risk.case_status): reading them recomputes and stores
any that are stale, so these reads may write. Snapshots for the criteria engine are built in
risk.snapshots.
"""

from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from casework.constants import OrderStatus, RequirementStatus
from casework.models import ServiceUser
from casework.selectors import case_refs
from core.prepared import prepared

from . import case_status, rules, tier
from .constants import WomensFactor
from .models import CaseTier, RiskAssessment, RiskReview, TierFactors
from .snapshots import active_rule_set as active_rule_set  # the rule set page reads it from here


def current_assessment(case: ServiceUser) -> RiskAssessment | None:
    return case.risk_assessments.select_related("created_by").first()


@prepared
def _open_reviews_of(case_id):
    return RiskReview.objects.filter(service_user=case_id, closed_at__isnull=True).select_related("enquiry")


def open_reviews(case: ServiceUser) -> list[RiskReview]:
    """Reviews waiting on the case (prepared SQL: the overview shows them)."""
    return _open_reviews_of.instances(case.pk)


def case_criteria(case: ServiceUser, today: date | None = None) -> list[rules.CriterionResult]:
    """The case's ratings with their evidence. Reads the stored status; recomputes and stores it if stale."""
    return case_status.criteria_for([case.pk], today or timezone.localdate())[case.pk]


def team_criteria(cases: QuerySet[ServiceUser], today: date | None = None) -> list[tuple]:
    """[(case, results)] for every case in the queryset, in constant queries.
    Reads the stored statuses; recomputes and stores any that are stale."""
    case_list = case_refs(cases)
    results = case_status.criteria_for([case.pk for case in case_list], today or timezone.localdate())
    return [(case, results[case.pk]) for case in case_list]


def team_ratings(cases: QuerySet[ServiceUser], today: date | None = None) -> list[tuple]:
    """[(case, ratings)] for a team's table: the cases as CaseRefs, each rating without its evidence.
    Reads the stored statuses; recomputes and stores any that are stale."""
    return case_status.ratings_for(cases, today or timezone.localdate())


def case_tier(case: ServiceUser) -> CaseTier | None:
    return CaseTier.objects.filter(service_user=case).first()


def current_tier_factors(case: ServiceUser):
    return TierFactors.objects.filter(service_user=case).first()


# For women, a breach or recall in the contact log scores as the additional factor "breach or recall"
# (risk.tier), whether or not the officer also ticked it in the tier factors. Named here for risk.signals.
BREACH_OR_RECALL_ACTIONS = tier.BREACH_OR_RECALL_ACTIONS


def breach_or_recall_since(case: ServiceUser, since: date) -> bool:
    return case.contacts.filter(enforcement_action__in=BREACH_OR_RECALL_ACTIONS, starts_at__date__gte=since).exists()


def tier_inputs(case: ServiceUser) -> tier.TierInputs:
    """What the tier calculator needs from the case's records: the current risk record and tier factors, the
    orders in force with their active requirements, the person's gender, and (for women) any breach or recall
    in the contact log in the last 12 months."""
    risk, factors = case.risk_assessments.first(), current_tier_factors(case)
    female = tier.is_female(case.gender)
    womens = set(factors.womens_factors if factors else ())
    if female and breach_or_recall_since(case, tier.breach_or_recall_window_start(timezone.localdate())):
        womens.add(WomensFactor.BREACH_OR_RECALL)
    orders = [
        tier.OrderFacts(
            order.order_type,
            frozenset(r.requirement_type for r in order.requirements.all() if r.status == RequirementStatus.ACTIVE),
        )
        for order in case.orders.filter(status=OrderStatus.ACTIVE).prefetch_related("requirements")
    ]
    return tier.TierInputs(
        rosh=risk.rosh_level if risk else None,
        mappa_level=risk.mappa_level if risk else "",
        child_protection=bool(risk and risk.child_protection_concerns),
        risk_to_children=bool(risk and risk.risk_to_children),
        rsr=factors.rsr_score if factors else None,
        ogrs=factors.ogrs_score if factors else None,
        complexity=frozenset(factors.complexity_factors if factors else ()),
        womens_factors=frozenset(womens),
        needs=dict(factors.needs if factors else {}),
        female=female,
        orders=tuple(orders),
    )
