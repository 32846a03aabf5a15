"""Demo risk records: Michelle's low RoSH with DA checks every 8 weeks, and varied records for the
other demo cases (one with a police enquiry that found new incidents). Idempotent: cases that
already have a risk record are left alone.

Everything goes through the risk services: the risk record, the enquiry schedule, each enquiry requested and
the response recorded (which logs their contacts, and opens a risk review when incidents are found)."""

import random
from datetime import date, timedelta

from django.db import transaction

from casework.constants import AgencyType
from casework.demo import recorded_at
from casework.models import ServiceUser, User

from . import services
from .constants import EnquiryKind, EnquiryResult, RoshLevel, ScheduleSource
from .models import Enquiry

DA_CHECK_INTERVAL_DAYS = 56  # every 8 weeks, as in the worked example
RESPONSE_DAYS = 14  # local: when the police are asked to answer by
ANSWERED_AFTER_DAYS = 5

# Who each kind of check is asked of.
AGENCY_ASKED = {
    EnquiryKind.DOMESTIC_ABUSE: AgencyType.POLICE,
    EnquiryKind.SAFEGUARDING: AgencyType.CHILDRENS_SOCIAL_CARE,
}


def seed_risk(*, today: date, worked_example_crn: str) -> int:
    seeded = 0
    with transaction.atomic():
        cases = ServiceUser.objects.filter(risk_assessments__isnull=True, responsible_officer__isnull=False)
        for case in cases.select_related("responsible_officer", "team").order_by("crn"):
            rng = random.Random(f"demo-risk-{case.crn}")
            if case.crn == worked_example_crn:
                _michelle(case, today)
            else:
                _varied(case, today, rng)
            seeded += 1
    return seeded


def _enquiry(
    case: ServiceUser,
    officer: User,
    *,
    requested: date,
    result: str,
    summary: str = "",
    kind: str = EnquiryKind.DOMESTIC_ABUSE,
) -> Enquiry:
    """An enquiry requested on `requested` and, unless `result` is pending, answered five days later; each
    recorded on its day (casework.demo.recorded_at)."""
    with recorded_at(requested, 10):
        enquiry = services.enquiry_request(
            actor=officer,
            case=case,
            kind=kind,
            requested_on=requested,
            response_due_on=requested + timedelta(days=RESPONSE_DAYS),
            agency=case.agencies.filter(agency_type=AGENCY_ASKED[kind]).first(),
        )
    if result != EnquiryResult.PENDING:
        received = requested + timedelta(days=ANSWERED_AFTER_DAYS)
        with recorded_at(received, 14):
            services.enquiry_response_record(
                actor=officer, enquiry=enquiry, received_on=received, result=result, summary=summary
            )
    return enquiry


def _michelle(case: ServiceUser, today: date) -> None:
    """Her RoSH screening and the checks at court, recorded at induction; the police checks every 8 weeks
    since (the protocol's schedule) and children's services again on the default schedule. Each step is
    recorded when it happened (casework.demo.recorded_at)."""
    officer = case.responsible_officer
    start = case.orders.get().start_date
    with recorded_at(start + timedelta(days=3), 15):
        services.risk_assessment_add(
            actor=officer,
            case=case,
            rosh_level=RoshLevel.LOW,
            assessed_on=start + timedelta(days=3),
            review_on=start + timedelta(days=3 + 182),
            flags={"risk_to_known_adult", "domestic_abuse_perpetrator", "domestic_abuse_victim"},
        )
        _michelle_checks_at_court(case, officer, start)
        services.enquiry_schedule_set(
            actor=officer,
            case=case,
            kind=EnquiryKind.DOMESTIC_ABUSE,
            interval_days=DA_CHECK_INTERVAL_DAYS,
            source=ScheduleSource.PROTOCOL,
        )
    for weeks_ago in (12, 4):
        requested = today - timedelta(weeks=weeks_ago)
        if requested >= start:
            _enquiry(
                case,
                officer,
                requested=requested,
                result=EnquiryResult.NO_INCIDENTS,
                summary="No call-outs to either address since sentence. Restraining order being kept.",
            )
    _enquiry(
        case,
        officer,
        kind=EnquiryKind.SAFEGUARDING,
        requested=today - timedelta(weeks=6),
        result=EnquiryResult.NO_INCIDENTS,
        summary="No children in either household; still no children's services involvement.",
    )


def _michelle_checks_at_court(case: ServiceUser, officer: User, start: date) -> None:
    """The police and children's services checks made at court, before sentence (the worked example). The police
    check found the history of call-outs; the officer reviewed it at induction."""
    at_court = start - timedelta(days=2)
    police = services.enquiry_request(
        actor=officer,
        case=case,
        kind=EnquiryKind.DOMESTIC_ABUSE,
        requested_on=at_court,
        response_due_on=start,
        agency=case.agencies.filter(agency_type=AgencyType.POLICE).first(),
    )
    services.enquiry_response_record(
        actor=officer,
        enquiry=police,
        received_on=start,
        result=EnquiryResult.INCIDENTS,
        summary="Three call-outs during the five-year relationship, in similar circumstances: Michelle was cited as "
        "the victim in two and spoken to for breach of the peace in the third.",
    )
    for review in case.risk_reviews.filter(closed_at__isnull=True):
        services.risk_review_record(
            actor=officer,
            review=review,
            notes="Reviewed at induction: the call-outs are the known history behind the offence, not new "
            "incidents. Low RoSH stands; restraining order in force; police checks every 8 weeks.",
        )
    children = services.enquiry_request(
        actor=officer,
        case=case,
        kind=EnquiryKind.SAFEGUARDING,
        requested_on=at_court,
        response_due_on=start,
    )
    services.enquiry_response_record(
        actor=officer,
        enquiry=children,
        received_on=start,
        result=EnquiryResult.NO_INCIDENTS,
        summary="No children in either household; no children's services involvement.",
    )


def _varied(case: ServiceUser, today: date, rng: random.Random) -> None:
    officer = case.responsible_officer
    domestic_abuse = case.orders.filter(offences__domestic_abuse=True).exists()
    level = rng.choice([RoshLevel.LOW, RoshLevel.LOW, RoshLevel.MEDIUM, RoshLevel.MEDIUM, RoshLevel.HIGH])
    assessed_on = today - timedelta(days=rng.randint(20, 150))
    review_on = today + timedelta(days=rng.randint(-10, 120))
    flags = {"risk_to_known_adult", "domestic_abuse_perpetrator"} if domestic_abuse else {"risk_to_public"}
    if rng.random() < 0.1:
        flags.add("child_protection_concerns")
    services.risk_assessment_add(
        actor=officer, case=case, rosh_level=level, assessed_on=assessed_on, review_on=review_on, flags=flags
    )
    if domestic_abuse:
        _varied_da_checks(case, officer, today, rng)


def _varied_da_checks(case: ServiceUser, officer: User, today: date, rng: random.Random) -> None:
    """Police DA checks every 8 weeks, set by hand; the last one found incidents, is still waiting, or found none."""
    services.enquiry_schedule_set(
        actor=officer, case=case, kind=EnquiryKind.DOMESTIC_ABUSE, interval_days=DA_CHECK_INTERVAL_DAYS, source="manual"
    )
    last = today - timedelta(days=rng.choice([10, 30, 60, 120]))
    roll = rng.random()
    if roll < 0.15:
        _enquiry(
            case,
            officer,
            requested=last,
            result=EnquiryResult.INCIDENTS,
            summary="Police attended a verbal argument at the victim's address; no arrest.",
        )
    elif roll < 0.3:
        _enquiry(case, officer, requested=last, result=EnquiryResult.PENDING)  # still waiting for the police
    else:
        _enquiry(case, officer, requested=last, result=EnquiryResult.NO_INCIDENTS, summary="No incidents.")
