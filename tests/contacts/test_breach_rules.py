"""The breach and recall journeys' pure rules: the route each order takes, and each step's dates."""

from datetime import date

from casework.constants import OrderType
from contacts import breach_rules

TODAY = date(2026, 11, 26)


def test_community_and_suspended_orders_go_to_court_and_a_licence_to_recall():
    assert breach_rules.route_problem(OrderType.COMMUNITY_ORDER, recall=False) == ""
    assert breach_rules.route_problem(OrderType.SUSPENDED_SENTENCE, recall=False) == ""
    assert breach_rules.route_problem(OrderType.LICENCE, recall=True) == ""
    assert breach_rules.route_problem(OrderType.LICENCE, recall=False) == breach_rules.BREACH_FOR_LICENCE
    assert breach_rules.route_problem(OrderType.COMMUNITY_ORDER, recall=True) == breach_rules.RECALL_FOR_ORDER


def test_hearing_date_today_or_later_but_never_past():
    assert breach_rules.hearing_date_problem(TODAY, today=TODAY) == ""
    assert breach_rules.hearing_date_problem(date(2026, 12, 10), today=TODAY) == ""
    assert "today or in the future" in breach_rules.hearing_date_problem(date(2026, 11, 25), today=TODAY)


def test_result_on_or_after_the_hearing_and_not_in_the_future():
    hearing = date(2026, 11, 20)
    assert breach_rules.result_date_problem(hearing, hearing_on=hearing, today=TODAY) == ""
    assert breach_rules.result_date_problem(date(2026, 11, 19), hearing_on=hearing, today=TODAY) == (
        "The result cannot be before the hearing, on 20 November 2026"
    )
    assert "today or in the past" in breach_rules.result_date_problem(
        date(2026, 11, 27), hearing_on=hearing, today=TODAY
    )


def test_referral_and_report_dates_follow_each_other():
    failure = date(2026, 11, 10)
    assert breach_rules.referral_date_problem(failure, failure_on=failure, today=TODAY) == ""
    assert "before the failure" in breach_rules.referral_date_problem(
        date(2026, 11, 9), failure_on=failure, today=TODAY
    )
    assert "today or in the past" in breach_rules.referral_date_problem(
        date(2026, 11, 27), failure_on=failure, today=TODAY
    )
    assert "before the referral" in breach_rules.report_date_problem(
        date(2026, 11, 9), referred_on=failure, today=TODAY
    )


def test_countersigned_once_and_never_by_the_officer_who_recommended():
    assert breach_rules.countersign_problem(signer_id=2, recommended_by_id=1, already_countersigned=False) == ""
    assert "your own" in breach_rules.countersign_problem(signer_id=1, recommended_by_id=1, already_countersigned=False)
    assert "already" in breach_rules.countersign_problem(signer_id=2, recommended_by_id=1, already_countersigned=True)


def test_hearing_tag_turns_to_result_to_record_after_the_day():
    assert breach_rules.hearing_tag(date(2026, 12, 1), TODAY) == ("Hearing listed", "blue")
    assert breach_rules.hearing_tag(TODAY, TODAY) == ("Hearing today", "yellow")
    assert breach_rules.hearing_tag(date(2026, 11, 25), TODAY) == ("Result to record", "red")
