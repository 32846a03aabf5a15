"""Allocation rules on plain values: protocol matching, workload arithmetic and ranking."""

from decimal import Decimal

import pytest

from allocation import rules
from allocation.rules import Candidate, CaseFacts, Outcome, RuleSpec

MICHELLE = CaseFacts(
    order_types=frozenset({"CO"}),
    requirement_types=frozenset({"UPW"}),
    domestic_abuse=True,
    restraining_order=True,
    rosh="low",
    age=32,
    gender="F",
)
DA_RULE = RuleSpec(
    1,
    "UPW only with DA or RO",
    {"requirement_types_only": ["UPW"], "flags_any": ["domestic_abuse", "restraining_order"]},
)
UPW_RULE = RuleSpec(2, "UPW only", {"requirement_types_only": ["UPW"]})
DEFAULT = RuleSpec(3, "Default", {}, is_default=True)
PROTOCOL = [DA_RULE, UPW_RULE, DEFAULT]


def test_worked_example_matches_the_domestic_abuse_rule():
    match = rules.match_rule(PROTOCOL, MICHELLE)
    assert match.rule == DA_RULE
    assert [c.passed for c in match.checks] == [True, True]
    assert match.checks[1].actual == "domestic abuse, restraining order in force"


def test_plain_unpaid_work_goes_to_the_upw_rule_and_explains_the_skip():
    plain = CaseFacts(order_types=frozenset({"CO"}), requirement_types=frozenset({"UPW"}))
    match = rules.match_rule(PROTOCOL, plain)
    assert match.rule == UPW_RULE
    assert match.skipped[0][0] == DA_RULE.name and match.skipped[0][1].actual == "none of them"


def test_first_match_wins_in_order():
    assert rules.match_rule([UPW_RULE, DA_RULE, DEFAULT], MICHELLE).rule == UPW_RULE


def test_default_matches_anything_else():
    other = CaseFacts(order_types=frozenset({"CO"}), requirement_types=frozenset({"UPW", "RAR"}))
    assert rules.match_rule(PROTOCOL, other).rule == DEFAULT


def test_no_requirements_is_not_unpaid_work_only():
    assert rules.match_rule(PROTOCOL, CaseFacts(order_types=frozenset({"LIC"}))).rule == DEFAULT


@pytest.mark.parametrize(
    "conditions, facts, passed",
    [
        ({"order_types": ["SSO"]}, MICHELLE, False),
        ({"order_types": ["CO", "SSO"]}, MICHELLE, True),
        ({"requirement_types_any": ["RAR"]}, MICHELLE, False),
        ({"flags_none": ["child_protection"]}, MICHELLE, True),
        ({"flags_none": ["domestic_abuse"]}, MICHELLE, False),
        ({"rosh_levels": ["medium", "high"]}, MICHELLE, False),
        ({"rosh_levels": ["low"]}, MICHELLE, True),
        ({"min_age": 25}, MICHELLE, True),
        ({"max_age": 25}, MICHELLE, False),
        ({"genders": ["F"]}, MICHELLE, True),
        ({"genders": ["M"]}, MICHELLE, False),
        ({"mappa": True}, MICHELLE, False),
        ({"no_such_condition": True}, MICHELLE, False),
    ],
)
def test_each_condition_type(conditions, facts, passed):
    checks = rules.check_conditions(conditions, facts)
    assert len(checks) == 1 and checks[0].passed is passed


def test_empty_condition_values_are_ignored():
    assert rules.check_conditions({"order_types": [], "min_age": None}, MICHELLE) == []


def test_available_points_scale_with_hours_and_reductions():
    full = rules.available_points(
        nominal_target=200, contracted_hours=Decimal("37"), reduction_hours=Decimal("0"), standard_hours=Decimal("37")
    )
    assert full == 200
    part_time = rules.available_points(
        nominal_target=200, contracted_hours=Decimal("22.5"), reduction_hours=Decimal("0"), standard_hours=Decimal("37")
    )
    assert part_time.quantize(Decimal("0.01")) == Decimal("121.62")
    reduced = rules.available_points(
        nominal_target=200, contracted_hours=Decimal("37"), reduction_hours=Decimal("7.4"), standard_hours=Decimal("37")
    )
    assert reduced == 160
    assert (
        rules.available_points(
            nominal_target=200,
            contracted_hours=Decimal("10"),
            reduction_hours=Decimal("20"),
            standard_hours=Decimal("37"),
        )
        == 0
    )


def test_capacity_percent():
    assert rules.capacity_percent(150, Decimal(200)) == Decimal("75.0")
    assert rules.capacity_percent(130, Decimal(120)) == Decimal("108.3")
    assert rules.capacity_percent(10, Decimal(0)) == Decimal("999")


def candidate(id, grade="PSO", years=5, points=100, available=200, **kw):
    return Candidate(
        id=id,
        name=f"Officer {id}",
        grade=grade,
        experience_years=years,
        specialisms=frozenset(kw.pop("specialisms", [])),
        points=Decimal(points),
        available=Decimal(available),
        **kw,
    )


def test_ranking_least_loaded_first_with_reasons_for_the_rest():
    officers = [
        candidate(1, points=150),
        candidate(2, points=60),
        candidate(3, grade="UPW"),
        candidate(4, years=1),
        candidate(5, points=210),
        candidate(6, active=False),
        candidate(7, excluded_from_case=True),
    ]
    ranked, excluded = rules.rank_officers(officers, Outcome(min_grade="PSO", min_experience_years=3), case_points=14)
    assert [r.candidate.id for r in ranked] == [2, 1]
    assert ranked[0].capacity_after == Decimal("37.0")
    reasons = {e.candidate.id: e.reasons for e in excluded}
    assert reasons[3] == ("grade UPW is below the rule's minimum, PSO",)
    assert reasons[4] == ("1 years' experience; 3 needed",)
    assert reasons[5] == ("over capacity (105.0%)",)
    assert reasons[6] == ("not active",)
    assert reasons[7] == ("excluded from this case (restricted access)",)


def test_required_specialism():
    ranked, excluded = rules.rank_officers(
        [candidate(1), candidate(2, specialisms=["domestic_abuse"])],
        Outcome(required_specialism="domestic_abuse"),
        case_points=10,
    )
    assert [r.candidate.id for r in ranked] == [2]
    assert excluded[0].reasons == ("no domestic abuse specialism",)


# --- Grades are a minimum; PSOs have a ceiling ---------------------------------------------------

HIGH_RISK = CaseFacts(order_types=frozenset({"CO"}), rosh="very_high", mappa_level="2", mappa=True, tier="A1")


def test_grades_are_a_minimum_and_the_minimum_grade_comes_first():
    officers = [candidate(1, grade="PO", points=10), candidate(2, grade="PSO", points=150), candidate(3, grade="UPW")]
    ranked, excluded = rules.rank_officers(officers, Outcome(min_grade="PSO"), case_points=10)
    assert [r.candidate.id for r in ranked] == [2, 1]  # the PO may hold it, after the PSO
    assert "above the minimum grade (PSO)" in ranked[1].why and "workload 5.0% now" in ranked[1].why
    assert excluded[0].reasons == ("grade UPW is below the rule's minimum, PSO",)


def test_min_grade_of_a_list_is_its_lowest():
    assert rules.min_grade(["PO", "PSO"]) == "PSO" and rules.min_grade([]) == "" and rules.min_grade(["UPW"]) == "UPW"


@pytest.mark.parametrize(
    "facts, reasons",
    [
        (CaseFacts(rosh="high"), ["high RoSH"]),
        (CaseFacts(rosh="very_high"), ["very high RoSH"]),
        (CaseFacts(rosh="medium", mappa_level="2"), ["MAPPA level 2"]),
        (CaseFacts(rosh="low", mappa_level="3"), ["MAPPA level 3"]),
        (CaseFacts(rosh="low", child_protection=True), ["child protection concerns"]),
        (CaseFacts(rosh="medium", mappa_level="1"), []),
        (MICHELLE, []),
    ],
)
def test_above_the_pso_ceiling(facts, reasons):
    assert rules.above_ceiling(facts) == reasons


def test_the_ceiling_keeps_psos_off_a_case_whatever_the_rule_says():
    officers = [candidate(1, grade="PSO"), candidate(2, grade="PO", points=190)]
    outcome = Outcome(min_grade="PSO", above_ceiling=tuple(rules.above_ceiling(HIGH_RISK)))
    ranked, excluded = rules.rank_officers(officers, outcome, case_points=10)
    assert [r.candidate.id for r in ranked] == [2]
    assert excluded[0].reasons == ("a PSO cannot hold a case with MAPPA level 2, very high RoSH (grade ceiling)",)


CEILING_SAFE = {"rosh_levels": ["low", "medium"], "mappa_levels": ["none", "1"], "flags_none": ["child_protection"]}


@pytest.mark.parametrize(
    "conditions, grades, gaps",
    [
        ({"requirement_types_only": ["UPW"]}, ["PSO"], 3),  # nothing ruled out
        ({"requirement_types_only": ["UPW"], **CEILING_SAFE}, ["PSO"], 0),
        ({**CEILING_SAFE, "rosh_levels": ["low", "high"]}, ["PSO"], 1),
        ({**CEILING_SAFE, "mappa_levels": ["none", "2"]}, ["UPW"], 1),
        ({**CEILING_SAFE, "flags_none": []}, ["PSO"], 1),
        ({"tiers": ["C", "D"], "flags_none": ["child_protection"]}, ["PSO"], 0),  # C and D exclude high RoSH, MAPPA 2
        ({"order_types": ["CO"]}, ["PO"], 0),  # a probation officer may hold anything
        ({"order_types": ["CO"]}, ["PO", "PSO"], 3),  # the minimum is PSO
        ({}, [], 3),  # any grade
    ],
)
def test_ceiling_gaps_of_a_rule(conditions, grades, gaps):
    assert len(rules.ceiling_gaps(conditions, grades)) == gaps


def test_a_default_rule_matches_anything_so_only_a_po_default_is_within_the_ceiling():
    assert rules.ceiling_gaps(CEILING_SAFE, ["PSO"], is_default=True)
    assert not rules.ceiling_gaps({}, ["PO"], is_default=True)


@pytest.mark.parametrize(
    "conditions, passed",
    [
        ({"tiers": ["A"]}, True),
        ({"tiers": ["A1"]}, True),
        ({"tiers": ["C", "D"]}, False),
        ({"mappa_levels": ["2", "3"]}, True),
        ({"mappa_levels": ["none", "1"]}, False),
    ],
)
def test_tier_and_mappa_level_conditions(conditions, passed):
    assert rules.check_conditions(conditions, HIGH_RISK)[0].passed is passed


def test_an_untiered_case_fails_a_tier_condition():
    check = rules.check_conditions({"tiers": ["D"]}, CaseFacts())[0]
    assert not check.passed and check.actual == "not calculated"
