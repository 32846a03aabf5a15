"""Demo risk records: Michelle's low RoSH with DA checks every 8 weeks, and varied records for the
other demo cases (one with a police enquiry that found new incidents). Idempotent: cases that
already have a risk record are left alone."""

import random
from datetime import date, timedelta

from django.db import transaction

from casework.models import ServiceUser

from . import services
from .models import Enquiry, EnquirySchedule, RiskAssessment


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


def _enquiry(case, officer, *, requested: date, result: str, summary: str = "", kind: str = "da"):
    police = case.agencies.filter(agency_type="police").first()
    enquiry = Enquiry.objects.create(
        service_user=case,
        kind=kind,
        agency=police,
        requested_on=requested,
        response_due_on=requested + timedelta(days=14),
        created_by=officer,
    )
    if result:
        services.enquiry_response_record(
            actor=officer, enquiry=enquiry, received_on=requested + timedelta(days=5), result=result, summary=summary
        )
    return enquiry


def _michelle(case: ServiceUser, today: date) -> None:
    officer = case.responsible_officer
    start = case.orders.get().start_date
    RiskAssessment.objects.create(
        service_user=case,
        rosh_level="low",
        assessed_on=start + timedelta(days=3),
        review_on=start + timedelta(days=3 + 182),
        risk_to_known_adult=True,
        domestic_abuse_perpetrator=True,
        domestic_abuse_victim=True,
        created_by=officer,
    )
    EnquirySchedule.objects.create(
        service_user=case, kind="da", interval_days=56, source="protocol", created_by=officer
    )
    for weeks_ago in (12, 4):
        requested = today - timedelta(weeks=weeks_ago)
        if requested >= start:
            _enquiry(
                case,
                officer,
                requested=requested,
                result="none",
                summary="No call-outs to either address since sentence. Restraining order being kept.",
            )


def _varied(case: ServiceUser, today: date, rng: random.Random) -> None:
    officer = case.responsible_officer
    domestic_abuse = case.orders.filter(offences__domestic_abuse=True).exists()
    level = rng.choice(["low", "low", "medium", "medium", "high"])
    RiskAssessment.objects.create(
        service_user=case,
        rosh_level=level,
        assessed_on=today - timedelta(days=rng.randint(20, 150)),
        review_on=today + timedelta(days=rng.randint(-10, 120)),
        risk_to_known_adult=domestic_abuse,
        risk_to_public=not domestic_abuse,
        domestic_abuse_perpetrator=domestic_abuse,
        child_protection_concerns=rng.random() < 0.1,
        created_by=officer,
    )
    if not domestic_abuse:
        return
    EnquirySchedule.objects.create(service_user=case, kind="da", interval_days=56, source="manual", created_by=officer)
    last = today - timedelta(days=rng.choice([10, 30, 60, 120]))
    roll = rng.random()
    if roll < 0.15:
        _enquiry(
            case,
            officer,
            requested=last,
            result="incidents",
            summary="Police attended a verbal argument at the victim's address; no arrest.",
        )
    elif roll < 0.3:
        _enquiry(case, officer, requested=last, result="")  # still waiting for the police
    else:
        _enquiry(case, officer, requested=last, result="none", summary="No incidents.")
