"""The keeping-people-safe criteria on plain snapshots: the worked example and what must fail it."""

from dataclasses import replace
from datetime import date, timedelta

import pytest

from risk import rules
from risk.constants import Rating
from risk.rules import CaseSnapshot, EnquiryFacts, Thresholds

TODAY = date(2026, 11, 26)


def days_ago(n: int) -> date:
    return TODAY - timedelta(days=n)


# Michelle (shared/reference): low RoSH, domestic common assault, restraining order protecting her
# ex-partner, weekly contact approved by her line manager, DA checks every 8 weeks, mother involved.
MICHELLE = CaseSnapshot(
    crn="D320001",
    rosh="low",
    domestic_abuse=True,
    restraining_order_in_force=True,
    restraining_order_protects=1,
    protected_people=1,
    order_start=days_ago(98),
    allocated_on=days_ago(96),
    upw_only=True,
    plan_frequency_days=7,
    plan_start=days_ago(70),
    last_contact=days_ago(5),
    last_home_visit=days_ago(80),
    key_individuals=1,
    key_individuals_to_involve=1,
    last_key_individual_contact=days_ago(20),
    agency_types=frozenset({"police", "counselling"}),
    enquiries={
        "da": EnquiryFacts(kind="da", last_requested=days_ago(28), last_received=days_ago(23), interval_days=56),
        # Made at court, before the order started.
        "safeguarding": EnquiryFacts(kind="safeguarding", last_requested=days_ago(100), last_received=days_ago(99)),
    },
)


def with_da(facts: EnquiryFacts | None) -> dict:
    """Michelle's checks with the police check replaced (None: never made)."""
    return {"safeguarding": MICHELLE.enquiries["safeguarding"], **({"da": facts} if facts else {})}


def ratings(snapshot, today=TODAY, thresholds=None):
    return {r.key: r.rating for r in rules.evaluate(snapshot, today, thresholds)}


def result(snapshot, key, today=TODAY):
    return next(r for r in rules.evaluate(snapshot, today) if r.key == key)


def test_worked_example_meets_every_applicable_criterion():
    assert ratings(MICHELLE) == {
        "contact": Rating.MET,
        "victims": Rating.MET,
        "agencies": Rating.MET,
        "key_individuals": Rating.MET,
        "home_visits": Rating.MET,
    }
    for r in rules.evaluate(MICHELLE, TODAY):
        assert r.evidence, f"{r.key} gives no evidence"
        assert r.recommendation == "" or r.rating != Rating.MET


def test_no_da_enquiry_for_16_weeks_is_not_met():
    stale = replace(
        MICHELLE,
        enquiries=with_da(
            EnquiryFacts(kind="da", last_requested=days_ago(112), last_received=days_ago(107), interval_days=56)
        ),
    )
    got = ratings(stale)
    assert got["agencies"] != Rating.MET and got["victims"] != Rating.MET
    assert "request a police domestic abuse check" in result(stale, "agencies").recommendation.lower()


def test_no_contact_for_3_weeks_on_a_weekly_plan_is_not_met():
    got = result(replace(MICHELLE, last_contact=days_ago(21)), "contact")
    assert got.rating == Rating.NOT_MET
    assert "Contact is 14 days overdue" in got.evidence


def test_restraining_order_without_a_protected_person_is_not_met():
    got = result(replace(MICHELLE, protected_people=0, restraining_order_protects=0), "victims")
    assert got.rating == Rating.NOT_MET
    assert "Record the person the restraining order protects" in got.recommendation


class TestContact:
    def test_no_plan(self):
        assert result(replace(MICHELLE, plan_frequency_days=None), "contact").rating == Rating.NOT_MET

    def test_a_few_days_overdue_is_partly_met(self):
        assert result(replace(MICHELLE, last_contact=days_ago(10)), "contact").rating == Rating.PARTLY_MET

    def test_four_weekly_contact_is_not_proportionate_with_domestic_abuse(self):
        got = result(replace(MICHELLE, plan_frequency_days=28, last_contact=days_ago(10)), "contact")
        assert got.rating == Rating.PARTLY_MET
        assert "Request contact at least every 14 days" in got.recommendation

    def test_four_weekly_is_fine_for_low_rosh_without_flags(self):
        plain = CaseSnapshot(
            crn="X1", rosh="low", plan_frequency_days=28, plan_start=days_ago(100), last_contact=days_ago(10)
        )
        assert result(plain, "contact").rating == Rating.MET

    def test_high_rosh_needs_weekly(self):
        assert (
            result(replace(MICHELLE, rosh="high", plan_frequency_days=14, last_contact=days_ago(3)), "contact").rating
            == Rating.PARTLY_MET
        )

    def test_a_new_plan_never_wipes_a_gap(self):
        got = result(replace(MICHELLE, last_contact=days_ago(80), plan_start=days_ago(3)), "contact")
        assert got.rating == Rating.NOT_MET and "Contact is 73 days overdue" in got.evidence

    def test_attended_unpaid_work_sessions_are_contact_on_an_unpaid_work_only_order(self):
        seen_at_upw = replace(MICHELLE, last_contact=days_ago(30), last_upw_session=days_ago(2))
        assert result(seen_at_upw, "contact").rating == Rating.MET
        with_rar = replace(seen_at_upw, upw_only=False)
        assert result(with_rar, "contact").rating == Rating.NOT_MET

    def test_never_seen_after_the_induction_window_is_not_met_whatever_the_plan(self):
        # Kerry: allocated, a weekly plan approved, never seen.
        kerry = replace(MICHELLE, last_contact=None, order_start=days_ago(20), allocated_on=days_ago(12))
        got = result(kerry, "contact")
        assert got.rating == Rating.NOT_MET
        assert got.recommendation.startswith("Arrange the induction")
        assert "induction due by 19 November 2026" in " ".join(got.evidence)  # allocation + 5 days

    def test_never_seen_within_the_induction_window_is_never_met(self):
        fresh = replace(MICHELLE, last_contact=None, order_start=days_ago(3), allocated_on=days_ago(2))
        assert result(fresh, "contact").rating == Rating.PARTLY_MET

    def test_seen_only_before_this_order_started_is_not_seen(self):
        got = result(replace(MICHELLE, last_contact=days_ago(120)), "contact")
        assert got.rating == Rating.NOT_MET and "Arrange the induction" in got.recommendation

    def test_rosh_not_screened_in_time_is_not_met(self):
        got = result(replace(MICHELLE, rosh=None), "contact")
        assert got.rating == Rating.NOT_MET and got.recommendation == "Complete the RoSH screening"
        recent = replace(MICHELLE, rosh=None, order_start=days_ago(10), allocated_on=days_ago(10))
        assert result(replace(recent, last_contact=days_ago(2)), "contact").rating == Rating.PARTLY_MET


class TestVictims:
    def test_not_applicable_without_victims_or_domestic_abuse(self):
        assert result(CaseSnapshot(crn="X1", plan_frequency_days=28), "victims").rating == Rating.NOT_APPLICABLE

    def test_domestic_abuse_without_a_recorded_victim(self):
        got = result(replace(MICHELLE, restraining_order_in_force=False, protected_people=0), "victims")
        assert got.rating == Rating.NOT_MET

    def test_victim_liaison_counts_as_a_check(self):
        got = result(replace(MICHELLE, enquiries={}, last_victim_check=days_ago(10)), "victims")
        assert got.rating == Rating.MET

    def test_a_childrens_services_response_counts_as_a_check(self):
        facts = EnquiryFacts(kind="safeguarding", last_requested=days_ago(20), last_received=days_ago(12))
        assert result(replace(MICHELLE, enquiries={"safeguarding": facts}), "victims").rating == Rating.MET

    @pytest.mark.parametrize("at_risk", ["risk_to_known_adult", "risk_to_children"])
    def test_applies_when_a_known_adult_or_children_are_at_risk(self, at_risk):
        plain = CaseSnapshot(crn="X1", rosh="medium", **{at_risk: True})
        got = result(plain, "victims")
        assert got.rating == Rating.NOT_MET and "Record the actual and potential victims" in got.recommendation

    def test_open_risk_review_is_partly_met_until_recorded(self):
        got = result(replace(MICHELLE, risk_review_open=True), "victims")
        assert got.rating == Rating.PARTLY_MET and "Record the risk review" in got.recommendation

    def test_no_recent_check_is_partly_met(self):
        assert result(replace(MICHELLE, enquiries={}), "victims").rating == Rating.PARTLY_MET


class TestAgencies:
    def test_never_requested_is_not_met(self):
        got = result(replace(MICHELLE, enquiries=with_da(None)), "agencies")
        assert got.rating == Rating.NOT_MET and "Request the police domestic abuse check" in got.recommendation

    def test_within_grace_is_met(self):
        facts = EnquiryFacts(kind="da", last_requested=days_ago(56 + 14), interval_days=56)
        assert result(replace(MICHELLE, enquiries=with_da(facts)), "agencies").rating == Rating.MET

    def test_overdue_response_is_partly_met(self):
        facts = EnquiryFacts(kind="da", last_requested=days_ago(30), overdue_responses=1, interval_days=56)
        assert result(replace(MICHELLE, enquiries=with_da(facts)), "agencies").rating == Rating.PARTLY_MET

    def test_police_not_recorded_as_agency(self):
        got = result(replace(MICHELLE, agency_types=frozenset({"counselling"})), "agencies")
        assert got.rating == Rating.PARTLY_MET and "record police as an agency involved" in got.recommendation.lower()

    def test_child_protection_needs_repeat_safeguarding_checks(self):
        got = result(replace(MICHELLE, child_protection=True), "agencies")
        assert got.rating != Rating.MET  # only the check at court, 100 days ago
        assert "Request a children's services safeguarding check now" in got.recommendation

    def test_schedule_interval_is_used(self):
        facts = EnquiryFacts(kind="da", last_requested=days_ago(50), interval_days=28)  # 50 > 28 + 14 days grace
        assert result(replace(MICHELLE, enquiries=with_da(facts)), "agencies").rating == Rating.PARTLY_MET

    def test_every_case_needs_both_checks_at_the_start(self):
        new = CaseSnapshot(crn="X1", rosh="low", order_start=days_ago(10), allocated_on=days_ago(8))
        got = result(new, "agencies")
        assert got.rating == Rating.NOT_MET
        assert got.recommendation == (
            "Request the police domestic abuse check; request the children's services safeguarding check"
        )
        assert result(replace(new, allocated_on=days_ago(2)), "agencies").rating == Rating.PARTLY_MET

    def test_checks_at_court_are_enough_without_flags(self):
        plain = CaseSnapshot(crn="X1", rosh="low", order_start=days_ago(200), enquiries=MICHELLE.enquiries)
        assert result(plain, "agencies").rating == Rating.MET


class TestKeyIndividuals:
    def test_none_recorded_is_not_applicable(self):
        got = result(replace(MICHELLE, key_individuals=0, key_individuals_to_involve=0), "key_individuals")
        assert got.rating == Rating.NOT_APPLICABLE

    def test_recorded_but_not_spoken_to(self):
        got = result(replace(MICHELLE, last_key_individual_contact=None), "key_individuals")
        assert got.rating == Rating.PARTLY_MET


class TestHomeVisits:
    @pytest.mark.parametrize("change", [{"child_protection": True}, {"rosh": "high"}, {"rosh": "medium"}])
    def test_needed_and_missing_is_not_met(self, change):
        assert result(replace(MICHELLE, last_home_visit=None, **change), "home_visits").rating == Rating.NOT_MET

    def test_recent_home_visit_is_met(self):
        got = result(replace(MICHELLE, rosh="high", last_home_visit=days_ago(30)), "home_visits")
        assert got.rating == Rating.MET

    def test_old_home_visit_is_partly_met(self):
        got = result(
            replace(MICHELLE, child_protection=True, order_start=days_ago(200), last_home_visit=days_ago(120)),
            "home_visits",
        )
        assert got.rating == Rating.PARTLY_MET

    @pytest.mark.parametrize(
        "rosh,window", [("very_high", 15), ("high", 15), (None, 15), ("medium", 42), ("low", 84)]
    )
    def test_first_home_visit_by_rosh_from_the_order_start(self, rosh, window):
        """HMPPS Home Visits Policy Framework: the day the window ends is still in time; the day after is not."""
        case = replace(MICHELLE, rosh=rosh, last_home_visit=None, order_start=days_ago(window))
        assert result(case, "home_visits").rating == Rating.PARTLY_MET
        late = replace(case, order_start=days_ago(window + 1))
        got = result(late, "home_visits")
        assert got.rating == Rating.NOT_MET and got.recommendation.startswith("Arrange the first home visit")

    def test_a_visit_before_the_order_started_does_not_count(self):
        got = result(replace(MICHELLE, last_home_visit=days_ago(99)), "home_visits")
        assert got.rating == Rating.NOT_MET


def test_every_threshold_has_a_label_and_a_source():
    names = set(Thresholds().as_dict())
    assert names == set(rules.THRESHOLD_LABELS) == set(rules.THRESHOLD_SOURCES)
    assert not rules.is_local("first_home_visit_low") and rules.is_local("induction_days")


def test_thresholds_are_data():
    strict = Thresholds.from_dict({**Thresholds().as_dict(), "max_contact_interval_with_flags": 5})
    assert ratings(MICHELLE, thresholds=strict)["contact"] == Rating.PARTLY_MET
    assert Thresholds.from_dict({"unknown": 1}) == Thresholds()


def test_team_counts_report_percent_of_applicable_cases():
    failing = replace(MICHELLE, last_contact=days_ago(21))
    counts = {c.key: c for c in rules.team_counts([rules.evaluate(s, TODAY) for s in (MICHELLE, failing)])}
    assert (counts["contact"].met, counts["contact"].applicable, counts["contact"].percent_met) == (1, 2, 50)
    no_order = CaseSnapshot(crn="X1")
    counts = {c.key: c for c in rules.team_counts([rules.evaluate(no_order, TODAY)])}
    assert counts["home_visits"].applicable == 0 and counts["home_visits"].percent_met is None
