"""A breach or recall stops counting towards a woman's tier 365 days after it was recorded (the national
calculator's window), and the nightly status sweep recalculates exactly the tiers it drops."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from casework.models import CaseEvent
from casework.services import case_record_change
from risk import services, sweeps, tier
from risk.models import CaseTier
from risk.tasks import refresh_case_status_batch, sweep_case_status
from tests import factories

LONDON = ZoneInfo("Europe/London")
BREACH_DAY = date(2025, 3, 10)


def at(day: date, hour: int = 2):
    return time_machine.travel(datetime(day.year, day.month, day.day, hour, 0, tzinfo=LONDON), tick=False)


# --- The rule ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "today, counts",
    [
        (date(2026, 3, 9), True),  # the day before the anniversary
        (date(2026, 3, 10), True),  # the anniversary: 365 days, still counts
        (date(2026, 3, 11), False),  # the day after: 366 days
    ],
)
def test_a_breach_counts_up_to_its_anniversary_and_not_after(today, counts):
    assert tier.breach_or_recall_counts(BREACH_DAY, today) is counts
    assert tier.breach_or_recall_stops_counting_on(BREACH_DAY) == date(2026, 3, 11)


def test_across_29_february_the_365_days_end_the_day_before_the_anniversary():
    recorded = date(2023, 7, 15)
    assert tier.breach_or_recall_counts(recorded, date(2024, 7, 14))
    assert not tier.breach_or_recall_counts(recorded, date(2024, 7, 15))
    assert tier.breach_or_recall_stops_counting_on(recorded) == date(2024, 7, 15)


def test_a_breach_counts_from_the_day_it_is_recorded():
    assert tier.breach_or_recall_counts(BREACH_DAY, BREACH_DAY)
    assert not tier.breach_or_recall_counts(BREACH_DAY + timedelta(days=1), BREACH_DAY)


# --- The nightly step ------------------------------------------------------------------------------------------


def woman_with_breach(north, breach_day: date, *, gender="F"):
    """Unpaid work only, medium RoSH, four complexity factors (18 points: C0); a breach recorded on `breach_day`
    adds 2 for a woman: B0."""
    case = factories.ServiceUserFactory(team=north.team, responsible_officer=north.officer, gender="M")
    order = factories.OrderFactory(service_user=case, order_type="CO")
    factories.RequirementFactory(order=order, requirement_type="UPW", unpaid_work_hours=100)
    services.risk_assessment_add(
        actor=north.officer,
        case=case,
        assessed_on=breach_day,
        review_on=breach_day + timedelta(days=180),
        rosh_level="medium",
    )
    services.tier_factors_record(
        actor=north.officer, case=case, complexity_factors=["RMDO", "ALSH", "RVLN", "STRG"], ogrs_score=30
    )
    if gender == "F":
        case_record_change(actor=north.officer, case=case, record=case, values={"gender": "F"})
    factories.ContactFactory(
        service_user=case,
        officer=north.officer,
        outcome="UAAB",
        enforcement_action="BRE",
        starts_at=datetime.combine(breach_day, datetime.min.time(), tzinfo=LONDON) + timedelta(hours=10),
    )
    return case


def tier_of(case) -> str:
    return CaseTier.objects.get(service_user=case).code


def tier_events(case) -> list[str]:
    return [e.summary for e in CaseEvent.objects.filter(service_user=case, record_type="case tier").order_by("id")]


def test_the_nightly_sweep_drops_the_tier_the_day_after_the_anniversary(north):
    with at(BREACH_DAY, 12):
        case = woman_with_breach(north, BREACH_DAY)
        assert tier_of(case) == "B0"
    events = tier_events(case)
    anniversary = date(2026, 3, 10)
    with at(anniversary):
        sweep_case_status.delay(anniversary.isoformat())
    assert tier_of(case) == "B0" and tier_events(case) == events  # 365 days: still counts

    day_after = anniversary + timedelta(days=1)
    with at(day_after):
        sweep_case_status.delay(day_after.isoformat())
    assert tier_of(case) == "C0"
    assert tier_events(case)[len(events) :] == [
        "Tier changed: C0 – the breach or recall of 10 March 2025 no longer counts: more than 365 days ago"
    ]
    stored = CaseTier.objects.get(service_user=case)
    assert not any(reason.startswith("Breach or recall") for reason in stored.reasons)
    # Run again (a batch sent twice): nothing changes, nothing is added to the timeline.
    with at(day_after, 3):
        refresh_case_status_batch.delay([case.pk], day_after.isoformat())
    assert tier_of(case) == "C0" and len(tier_events(case)) == len(events) + 1


def test_a_missed_night_is_made_up_by_the_next(north):
    with at(BREACH_DAY, 12):
        case = woman_with_breach(north, BREACH_DAY)
    three_days_late = tier.breach_or_recall_stops_counting_on(BREACH_DAY) + timedelta(days=3)
    with at(three_days_late):
        sweep_case_status.delay(three_days_late.isoformat())
    assert tier_of(case) == "C0"


def test_only_cases_whose_breach_just_stopped_counting_are_selected(north):
    with at(BREACH_DAY, 12):
        expiring = woman_with_breach(north, BREACH_DAY)
        man = woman_with_breach(north, BREACH_DAY, gender="M")
    with at(BREACH_DAY + timedelta(days=100), 12):
        later_breach = woman_with_breach(north, BREACH_DAY)
        factories.ContactFactory(service_user=later_breach, officer=north.officer, enforcement_action="EA11")
    long_ago = woman_with_breach(north, BREACH_DAY - timedelta(days=60))
    ids = [expiring.pk, man.pk, later_breach.pk, long_ago.pk]
    day_after = tier.breach_or_recall_stops_counting_on(BREACH_DAY)
    with at(day_after):
        assert sweeps.breach_or_recall_stopped_counting(ids, day_after) == {expiring.pk: BREACH_DAY}
        assert sweeps.breach_or_recall_stopped_counting(ids, day_after - timedelta(days=1)) == {}
        sweep_case_status.delay(day_after.isoformat())
    assert tier_of(expiring) == "C0"
    assert tier_of(later_breach) == "B0"  # its recall in the last 365 days still counts
