"""The tier is recalculated when any of its inputs changes, whichever way it is written, and the timeline shows
it only when the tier itself changes."""

from datetime import timedelta

import pytest
from django.utils import timezone

from casework.models import CaseEvent, Order, Requirement
from casework.services import case_record_add, case_record_change
from risk import services
from risk.models import CaseTier
from tests import factories


@pytest.fixture
def upw_case(north):
    """A community order with unpaid work only (no mandate for change: change level 0), medium RoSH and OGRS 30,
    with its tier worked out: C0."""
    case = factories.ServiceUserFactory(team=north.team, responsible_officer=north.officer, gender="M")
    order = factories.OrderFactory(service_user=case, order_type="CO")
    factories.RequirementFactory(order=order, requirement_type="UPW", unpaid_work_hours=100)
    today = timezone.localdate()
    services.risk_assessment_add(
        actor=north.officer, case=case, assessed_on=today, review_on=today + timedelta(days=180), rosh_level="medium"
    )
    services.tier_factors_record(actor=north.officer, case=case, ogrs_score=30)
    assert tier_of(case) == "C0"
    return case


def tier_of(case) -> str:
    return CaseTier.objects.get(service_user=case).code


def tier_events(case) -> list[str]:
    return [e.summary for e in CaseEvent.objects.filter(service_user=case, record_type="case tier").order_by("id")]


def order_values(**overrides) -> dict:
    today = timezone.localdate()
    values = {
        "order_type": "LIC",
        "court": "Leeds Crown Court",
        "sentence_date": today - timedelta(days=400),
        "start_date": today - timedelta(days=10),
        "expected_end_date": today + timedelta(days=300),
    }
    return {**values, **overrides}


def test_a_licence_gives_a_mandate_for_change(north, upw_case):
    case_record_add(actor=north.officer, case=upw_case, model=Order, values=order_values())
    assert tier_of(upw_case) == "C1"  # OGRS 30: 3 change points, level 1
    assert tier_events(upw_case)[-1] == "Tier changed: C1"
    event = CaseEvent.objects.filter(service_user=upw_case, record_type="case tier").first()
    assert event.actor == north.officer
    assert {"field": "Tier", "from": "C0", "to": "C1"} in event.changes


def test_changing_the_order_type_recalculates(north, upw_case):
    order = upw_case.orders.get()
    case_record_change(actor=north.officer, case=upw_case, record=order, values={"order_type": "LIC"})
    assert tier_of(upw_case) == "C1"
    case_record_change(actor=north.officer, case=upw_case, record=order, values={"order_type": "CO"})
    assert tier_of(upw_case) == "C0"
    assert tier_events(upw_case)[-2:] == ["Tier changed: C1", "Tier changed: C0"]


def test_a_requirement_added_or_completed_recalculates(north, upw_case):
    order = upw_case.orders.get()
    rar = case_record_add(
        actor=north.officer,
        case=upw_case,
        model=Requirement,
        values={"order": order, "requirement_type": "RAR", "rar_days": 20},
    )
    assert tier_of(upw_case) == "C1"
    case_record_change(actor=north.officer, case=upw_case, record=rar, values={"status": "completed"})
    assert tier_of(upw_case) == "C0"


def test_an_order_ending_recalculates(north, upw_case):
    licence = case_record_add(actor=north.officer, case=upw_case, model=Order, values=order_values())
    assert tier_of(upw_case) == "C1"
    case_record_change(actor=north.officer, case=upw_case, record=licence, values={"status": "completed"})
    assert tier_of(upw_case) == "C0"


def test_no_timeline_entry_when_the_tier_does_not_change(north, upw_case):
    before = tier_events(upw_case)
    order = upw_case.orders.get()
    case_record_add(
        actor=north.officer,
        case=upw_case,
        model=Requirement,
        values={"order": order, "requirement_type": "CUR"},  # restrictive: still no mandate for change
    )
    case_record_change(actor=north.officer, case=upw_case, record=order, values={"court": "Another court"})
    assert tier_of(upw_case) == "C0"
    assert tier_events(upw_case) == before


def test_gender_counts_the_additional_factors_for_women(north, upw_case):
    # Medium RoSH 10 + four complexity factors 8 = 18 (C); as a woman, parenting responsibilities add 2 (B).
    services.tier_factors_record(
        actor=north.officer,
        case=upw_case,
        complexity_factors=["RMDO", "ALSH", "RVLN", "STRG"],
        womens_factors=["parenting"],
        ogrs_score=30,
    )
    assert tier_of(upw_case) == "C0"
    case_record_change(actor=north.officer, case=upw_case, record=upw_case, values={"gender": "F"})
    assert tier_of(upw_case) == "B0"
    assert tier_events(upw_case)[-1] == "Tier changed: B0"
    case_record_change(actor=north.officer, case=upw_case, record=upw_case, values={"gender": "M"})
    assert tier_of(upw_case) == "C0"


def test_a_breach_in_the_last_year_counts_for_a_woman(north, upw_case):
    services.tier_factors_record(
        actor=north.officer, case=upw_case, complexity_factors=["RMDO", "ALSH", "RVLN", "STRG"], ogrs_score=30
    )
    case_record_change(actor=north.officer, case=upw_case, record=upw_case, values={"gender": "F"})
    assert tier_of(upw_case) == "C0"  # 18 points
    failure = factories.ContactFactory(service_user=upw_case, officer=north.officer, outcome="UAAB")
    assert tier_of(upw_case) == "C0"  # an absence alone is not a breach
    failure.enforcement_action = "BRE"
    failure.save()
    stored = CaseTier.objects.get(service_user=upw_case)
    assert stored.code == "B0" and "Breach or recall in the last 12 months: 2" in stored.reasons
    # Corrected (the breach was recorded against the wrong contact): the tier goes back.
    failure.enforcement_action = ""
    failure.save()
    assert tier_of(upw_case) == "C0"


def test_a_breach_over_a_year_ago_does_not_count(north, upw_case):
    services.tier_factors_record(
        actor=north.officer, case=upw_case, complexity_factors=["RMDO", "ALSH", "RVLN", "STRG"], ogrs_score=30
    )
    case_record_change(actor=north.officer, case=upw_case, record=upw_case, values={"gender": "F"})
    factories.ContactFactory(
        service_user=upw_case,
        officer=north.officer,
        outcome="UAAB",
        enforcement_action="EA11",
        starts_at=timezone.now() - timedelta(days=400),
    )
    assert tier_of(upw_case) == "C0"


def test_a_case_without_a_tier_gets_one_from_the_risk_record_not_from_an_order(north):
    case = factories.ServiceUserFactory(team=north.team, gender="F")
    factories.OrderFactory(service_user=case)
    assert not CaseTier.objects.filter(service_user=case).exists()
