"""Reads for risk pages: the current risk record, open reviews, the active rule set and the criteria ratings.

The ratings come from each case's stored status (risk.case_status): reading them recomputes and stores
any that are stale, so these reads may write. Snapshots for the criteria engine are built in
risk.snapshots.
"""

from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from casework.models import ServiceUser
from casework.selectors import case_refs

from . import case_status, rules
from .models import RiskAssessment, RiskReview
from .snapshots import active_rule_set as active_rule_set  # the rule set page reads it from here


def current_assessment(case: ServiceUser) -> RiskAssessment | None:
    return case.risk_assessments.select_related("created_by").first()


def open_reviews(case: ServiceUser) -> QuerySet[RiskReview]:
    return case.risk_reviews.filter(closed_at__isnull=True).select_related("enquiry")


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
