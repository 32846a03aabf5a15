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


@pytest.mark.parametrize(
    "kwargs, level",
    [
        ({"rosh": "low"}, "A"),
        ({"rosh": "low", "domestic_abuse": True}, "B"),
        ({"rosh": "low", "restraining_order": True}, "B"),
        ({"rosh": "medium"}, "C"),
        ({"rosh": "low", "child_protection": True}, "C"),
        ({"rosh": "high"}, "D"),
        ({"rosh": "low", "mappa": True}, "D"),
        ({"rosh": None}, "A"),
    ],
)
def test_case_level(kwargs, level):
    defaults = {
        "rosh": None,
        "mappa": False,
        "child_protection": False,
        "domestic_abuse": False,
        "restraining_order": False,
    }
    assert rules.case_level(**{**defaults, **kwargs}) == level


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
    ranked, excluded = rules.rank_officers(
        officers, Outcome(eligible_grades=frozenset({"PSO"}), min_experience_years=3), case_points=14
    )
    assert [r.candidate.id for r in ranked] == [2, 1]
    assert ranked[0].capacity_after == Decimal("37.0")
    reasons = {e.candidate.id: e.reasons for e in excluded}
    assert reasons[3] == ("grade UPW is not one of PSO",)
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
