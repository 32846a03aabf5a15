"""What the criteria engine (risk.rules) reads: plain snapshots of cases, and the active rule set.

`snapshots_for` builds the snapshots of any number of cases in a fixed number of queries (no N+1),
so one case's panel and a whole team's view cost the same number of round trips. Each step below
reads one kind of record for every case at once and adds what it finds to the cases' facts.

Reads only: nothing here writes. Depends on models and risk.rules, never on the modules that
store or show the results (risk.case_status, risk.selectors, risk.whats_due).
"""

from collections import defaultdict
from datetime import date

from django.db.models import Count, Max, Min, Q
from django.utils import timezone

from casework.constants import AgencyType, OrderStatus, RequirementStatus, RequirementType
from casework.models import (
    AgencyInvolvement,
    KeyIndividual,
    Offence,
    Order,
    ProtectedPerson,
    ResponsibleOfficerAssignment,
    RestrainingOrder,
    ServiceUser,
)
from contacts.constants import ATTENDED, HOME_VISIT_TYPES, VICTIM_SAFETY_CHECK_TYPES, ContactType, WithWhom
from contacts.models import Contact, ContactPlan
from contacts.rules import local_date
from contacts.selectors import LOCAL_TZ
from core.prepared import prepared

from . import rules
from .constants import CheckTrigger, EnquiryResult
from .models import CheckTriggerEvent, CriteriaRuleSet, Enquiry, EnquirySchedule, RiskAssessment, RiskReview

# Contacts with these agencies are third-party checks on victims' safety. Police checks count through their
# enquiry responses (asking or chasing is not yet a check).
VICTIM_SAFETY_AGENCIES = (AgencyType.IDVA, AgencyType.MARAC)

# Each case's facts as they are gathered: CaseSnapshot's fields by name (crn apart).
Facts = dict[int, dict]


@prepared
def _active_rule_set():
    return CriteriaRuleSet.objects.filter(active=True)[:1]  # the latest (Meta.ordering), as .first() was


def active_rule_set() -> tuple[int, rules.Thresholds]:
    """(version, thresholds) of the active rule set; version 0 and the defaults when there is none. Prepared SQL
    (core.prepared): every case page's ratings start here."""
    rule_set = next(iter(_active_rule_set.instances()), None)
    if rule_set is None:
        return 0, rules.Thresholds()
    return rule_set.version, rules.Thresholds.from_dict(rule_set.thresholds)


def snapshots_for(case_ids: list[int], today: date) -> dict[int, rules.CaseSnapshot]:
    """Snapshots of one case or many in a constant number of queries (cases that do not exist are left out)."""
    ids = list(case_ids)
    rows = ServiceUser.objects.filter(pk__any_of=ids).values_list("pk", "crn", "closed_on")
    crns = {pk: crn for pk, crn, _ in rows}
    facts: Facts = {pk: {"enquiries": {}} for pk in ids}
    for pk, _, closed_on in rows:
        facts[pk]["closed_on"] = closed_on
    for step in STEPS:
        step(ids, today, facts)
    return {pk: rules.CaseSnapshot(crn=crns[pk], **facts[pk]) for pk in ids if pk in crns}


def _local(moment):
    return local_date(moment, LOCAL_TZ) if moment else None


def _risk_record(ids: list[int], today: date, facts: Facts) -> None:
    """RoSH, MAPPA and the flags of each case's current (latest) risk record."""
    latest = {}
    for row in (
        RiskAssessment.objects.filter(service_user__any_of=ids)
        .order_by("service_user", "-created_at", "-id")
        .values(
            "service_user",
            "rosh_level",
            "domestic_abuse_perpetrator",
            "child_protection_concerns",
            "risk_to_known_adult",
            "risk_to_children",
            "mappa_level",
            "mappa_category",
        )
    ):
        latest.setdefault(row["service_user"], row)
    for pk, row in latest.items():
        facts[pk].update(
            rosh=row["rosh_level"],
            domestic_abuse=row["domestic_abuse_perpetrator"],
            child_protection=row["child_protection_concerns"],
            risk_to_known_adult=row["risk_to_known_adult"],
            risk_to_children=row["risk_to_children"],
            mappa_level=row["mappa_level"],
            mappa_category=row["mappa_category"],
        )


def _orders(ids: list[int], today: date, facts: Facts) -> None:
    """When supervision started (the earliest order in force), and whether it is unpaid work only."""
    active = Q(requirements__status=RequirementStatus.ACTIVE)
    unpaid_work = Q(requirements__requirement_type=RequirementType.UNPAID_WORK)
    for row in (
        Order.objects.filter(service_user__any_of=ids, status=OrderStatus.ACTIVE)
        .values("service_user")
        .annotate(
            start=Min("start_date"),
            unpaid_work=Count("requirements", filter=active & unpaid_work),
            other=Count("requirements", filter=active & ~unpaid_work),
        )
    ):
        facts[row["service_user"]].update(
            order_start=row["start"], upw_only=bool(row["unpaid_work"]) and not row["other"]
        )


def _allocation(ids: list[int], today: date, facts: Facts) -> None:
    """When the current responsible officer was allocated."""
    for pk, started in ResponsibleOfficerAssignment.objects.filter(
        service_user__any_of=ids, ended_at__isnull=True
    ).values_list("service_user", "started_at"):
        facts[pk]["allocated_on"] = _local(started)


def _domestic_abuse_offences(ids: list[int], today: date, facts: Facts) -> None:
    """A domestic abuse offence on any order flags the case as domestic abuse, whatever the risk record says."""
    for pk in Offence.objects.filter(order__service_user__any_of=ids, domestic_abuse=True).values_list(
        "order__service_user", flat=True
    ):
        facts[pk]["domestic_abuse"] = True


def _restraining_orders(ids: list[int], today: date, facts: Facts) -> None:
    in_force = Q(made_on__lte=today) & (Q(until_further_order=True) | Q(expires_on__gte=today))
    for row in (
        RestrainingOrder.objects.filter(in_force, service_user__any_of=ids)
        .values("service_user")
        .annotate(protects=Count("protected_people"))
    ):
        case = facts[row["service_user"]]
        case["restraining_order_in_force"] = True
        case["restraining_order_protects"] = case.get("restraining_order_protects", 0) + row["protects"]


def _protected_people(ids: list[int], today: date, facts: Facts) -> None:
    for row in ProtectedPerson.objects.filter(service_user__any_of=ids).values("service_user").annotate(n=Count("id")):
        facts[row["service_user"]]["protected_people"] = row["n"]


def _contact_plan(ids: list[int], today: date, facts: Facts) -> None:
    """The contact plan in force."""
    for row in ContactPlan.objects.filter(service_user__any_of=ids, ends_on__isnull=True).values(
        "service_user", "frequency_days", "starts_on"
    ):
        facts[row["service_user"]].update(plan_frequency_days=row["frequency_days"], plan_start=row["starts_on"])


def _contacts(ids: list[int], today: date, facts: Facts) -> None:
    """The last contact of each sort that counts: seen (national standard), home visit, victim, key individual."""
    happened = Q(starts_at__lte=timezone.now())
    attended = Q(outcome__in=ATTENDED)
    for row in (
        Contact.objects.filter(service_user__any_of=ids)
        .values("service_user")
        .annotate(
            last_contact=Max("starts_at", filter=happened & attended & Q(national_standard=True)),
            last_upw_session=Max("starts_at", filter=happened & attended & Q(contact_type=ContactType.CUPA)),
            last_home_visit=Max("starts_at", filter=happened & attended & Q(contact_type__in=HOME_VISIT_TYPES)),
            last_victim_check=Max(
                "starts_at",
                filter=happened
                & (Q(contact_type__in=VICTIM_SAFETY_CHECK_TYPES) | Q(agency__agency_type__in=VICTIM_SAFETY_AGENCIES)),
            ),
            last_key_individual_contact=Max("starts_at", filter=happened & Q(with_whom=WithWhom.KEY_INDIVIDUAL)),
        )
    ):
        case = facts[row.pop("service_user")]
        case.update({key: _local(value) for key, value in row.items()})


def _key_individuals(ids: list[int], today: date, facts: Facts) -> None:
    for row in (
        KeyIndividual.objects.filter(service_user__any_of=ids)
        .values("service_user")
        .annotate(n=Count("id"), involve=Count("id", filter=Q(involve=True)))
    ):
        facts[row["service_user"]].update(key_individuals=row["n"], key_individuals_to_involve=row["involve"])


def _agencies(ids: list[int], today: date, facts: Facts) -> None:
    """The sorts of agency involved today."""
    agencies = defaultdict(set)
    for pk, agency_type in AgencyInvolvement.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=today), service_user__any_of=ids
    ).values_list("service_user", "agency_type"):
        agencies[pk].add(agency_type)
    for pk, types in agencies.items():
        facts[pk]["agency_types"] = frozenset(types)


def _enquiries(ids: list[int], today: date, facts: Facts) -> None:
    """Per kind of enquiry: the last request and response, overdue responses and the schedule's interval.
    A kind with a schedule and no enquiry yet is there too (never requested)."""
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
            # Waiting past its due date; one closed as "no response" (after a chase) is an outcome, not a hole.
            overdue=Count("id", filter=Q(result=EnquiryResult.PENDING, response_due_on__lt=today)),
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


def _check_triggers(ids: list[int], today: date, facts: Facts) -> None:
    """The latest change recorded that calls for both checks again."""
    for pk, trigger, noticed_on in (
        CheckTriggerEvent.objects.filter(service_user__any_of=ids)
        .order_by("service_user", "-noticed_on", "-id")
        .values_list("service_user", "trigger", "noticed_on")
    ):
        if "check_triggered_on" not in facts[pk]:
            facts[pk].update(check_trigger=CheckTrigger(trigger).label, check_triggered_on=noticed_on)


def _open_reviews(ids: list[int], today: date, facts: Facts) -> None:
    for pk in RiskReview.objects.filter(service_user__any_of=ids, closed_at__isnull=True).values_list(
        "service_user", flat=True
    ):
        facts[pk]["risk_review_open"] = True


# In the order they run: one query each (enquiries two), and one more for the cases' CRNs.
STEPS = (
    _risk_record,
    _orders,
    _allocation,
    _domestic_abuse_offences,
    _restraining_orders,
    _protected_people,
    _contact_plan,
    _contacts,
    _key_individuals,
    _agencies,
    _enquiries,
    _check_triggers,
    _open_reviews,
)
