"""Reads for risk: the current risk record, enquiries, and case snapshots for the criteria engine.

`snapshots_for` builds snapshots for any number of cases in a fixed number of queries (no N+1),
so one case's panel and a whole team's view cost the same number of round trips.
"""

from collections import defaultdict
from datetime import date

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from casework.models import AgencyInvolvement, KeyIndividual, Offence, ProtectedPerson, RestrainingOrder, ServiceUser
from casework.selectors import case_refs
from contacts.constants import ATTENDED, HOME_VISIT_TYPES
from contacts.models import Contact, ContactPlan
from contacts.rules import local_date
from contacts.selectors import LOCAL_TZ

from . import case_status, rules
from .models import CriteriaRuleSet, Enquiry, EnquirySchedule, RiskAssessment, RiskReview


def current_assessment(case: ServiceUser) -> RiskAssessment | None:
    return case.risk_assessments.select_related("created_by").first()


def open_reviews(case: ServiceUser) -> QuerySet[RiskReview]:
    return case.risk_reviews.filter(closed_at__isnull=True).select_related("enquiry")


def active_rule_set() -> tuple[int, rules.Thresholds]:
    rule_set = CriteriaRuleSet.objects.filter(active=True).first()
    if rule_set is None:
        return 0, rules.Thresholds()
    return rule_set.version, rules.Thresholds.from_dict(rule_set.thresholds)


def _local(moment):
    return local_date(moment, LOCAL_TZ) if moment else None


def snapshots_for(case_ids: list[int], today: date) -> dict[int, rules.CaseSnapshot]:
    """Snapshots of many cases in a constant number of queries."""
    ids = list(case_ids)
    facts: dict[int, dict] = {pk: {"enquiries": {}} for pk in ids}
    crns = dict(ServiceUser.objects.filter(pk__any_of=ids).values_list("pk", "crn"))

    latest = {}
    for row in (
        RiskAssessment.objects.filter(service_user__any_of=ids)
        .order_by("service_user", "-created_at", "-id")
        .values("service_user", "rosh_level", "domestic_abuse_perpetrator", "child_protection_concerns")
    ):
        latest.setdefault(row["service_user"], row)
    for pk, row in latest.items():
        facts[pk].update(
            rosh=row["rosh_level"],
            domestic_abuse=row["domestic_abuse_perpetrator"],
            child_protection=row["child_protection_concerns"],
        )

    for pk in Offence.objects.filter(order__service_user__any_of=ids, domestic_abuse=True).values_list(
        "order__service_user", flat=True
    ):
        facts[pk]["domestic_abuse"] = True

    in_force = Q(made_on__lte=today) & (Q(until_further_order=True) | Q(expires_on__gte=today))
    for row in (
        RestrainingOrder.objects.filter(in_force, service_user__any_of=ids)
        .values("service_user")
        .annotate(protects=Count("protected_people"))
    ):
        f = facts[row["service_user"]]
        f["restraining_order_in_force"] = True
        f["restraining_order_protects"] = f.get("restraining_order_protects", 0) + row["protects"]

    for row in ProtectedPerson.objects.filter(service_user__any_of=ids).values("service_user").annotate(n=Count("id")):
        facts[row["service_user"]]["protected_people"] = row["n"]

    for row in ContactPlan.objects.filter(service_user__any_of=ids, ends_on__isnull=True).values(
        "service_user", "frequency_days", "starts_on"
    ):
        facts[row["service_user"]].update(plan_frequency_days=row["frequency_days"], plan_start=row["starts_on"])

    now = timezone.now()
    happened = Q(starts_at__lte=now)
    attended = Q(outcome__in=ATTENDED)
    for row in (
        Contact.objects.filter(service_user__any_of=ids)
        .values("service_user")
        .annotate(
            last_contact=Max("starts_at", filter=happened & attended & Q(national_standard=True)),
            last_home_visit=Max("starts_at", filter=happened & attended & Q(contact_type__in=HOME_VISIT_TYPES)),
            last_victim_contact=Max(
                "starts_at", filter=happened & (Q(contact_type="CVIC") | Q(with_whom="protected_person"))
            ),
            last_key_individual_contact=Max("starts_at", filter=happened & Q(with_whom="key_individual")),
        )
    ):
        f = facts[row.pop("service_user")]
        f.update({key: _local(value) for key, value in row.items()})

    for row in (
        KeyIndividual.objects.filter(service_user__any_of=ids)
        .values("service_user")
        .annotate(n=Count("id"), involve=Count("id", filter=Q(involve=True)))
    ):
        facts[row["service_user"]].update(key_individuals=row["n"], key_individuals_to_involve=row["involve"])

    agencies = defaultdict(set)
    for pk, agency_type in AgencyInvolvement.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=today), service_user__any_of=ids
    ).values_list("service_user", "agency_type"):
        agencies[pk].add(agency_type)

    schedules = {
        (pk, kind): days
        for pk, kind, days in EnquirySchedule.objects.filter(service_user__any_of=ids, active=True).values_list(
            "service_user", "kind", "interval_days"
        )
    }
    for row in (
        Enquiry.objects.filter(service_user__any_of=ids)
        .values("service_user", "kind")
        .annotate(
            last_requested=Max("requested_on"),
            last_received=Max("response_received_on"),
            overdue=Count("id", filter=Q(response_received_on__isnull=True, response_due_on__lt=today)),
        )
    ):
        facts[row["service_user"]]["enquiries"][row["kind"]] = rules.EnquiryFacts(
            kind=row["kind"],
            last_requested=row["last_requested"],
            last_received=row["last_received"],
            overdue_responses=row["overdue"],
            interval_days=schedules.get((row["service_user"], row["kind"])),
        )
    for (pk, kind), days in schedules.items():
        facts[pk]["enquiries"].setdefault(kind, rules.EnquiryFacts(kind=kind, interval_days=days))

    for pk in RiskReview.objects.filter(service_user__any_of=ids, closed_at__isnull=True).values_list(
        "service_user", flat=True
    ):
        facts[pk]["risk_review_open"] = True

    return {
        pk: rules.CaseSnapshot(crn=crns[pk], agency_types=frozenset(agencies[pk]), **facts[pk])
        for pk in ids
        if pk in crns
    }


def case_criteria(case: ServiceUser, today: date | None = None) -> list[rules.CriterionResult]:
    return case_status.criteria_for([case.pk], today or timezone.localdate())[case.pk]


def team_criteria(cases: QuerySet[ServiceUser], today: date | None = None) -> list[tuple]:
    """[(case, results)] for every case in the queryset, in constant queries."""
    case_list = case_refs(cases)
    results = case_status.criteria_for([case.pk for case in case_list], today or timezone.localdate())
    return [(case, results[case.pk]) for case in case_list]


def team_ratings(cases: QuerySet[ServiceUser], today: date | None = None) -> list[tuple]:
    """[(case, ratings)] for a team's table: the cases as CaseRefs, each rating without its evidence."""
    return case_status.ratings_for(cases, today or timezone.localdate())
