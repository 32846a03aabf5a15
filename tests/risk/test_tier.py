"""The tier calculator on plain values: hmpps-tier's point values and the boundaries of each level."""

from decimal import Decimal

import pytest

from risk import tier
from risk.tier import OrderFacts, TierInputs

RAR_ORDER = (OrderFacts("CO", frozenset({"RAR"})),)
UPW_ONLY = (OrderFacts("CO", frozenset({"UPW"})),)


def protect(**kwargs):
    return tier.protect_level(TierInputs(**kwargs))


@pytest.mark.parametrize(
    "rosh, points, level",
    [(None, 0, "D"), ("low", 0, "D"), ("medium", 10, "C"), ("high", 20, "B"), ("very_high", 30, "A")],
)
def test_rosh_points_and_levels(rosh, points, level):
    assert protect(rosh=rosh)[:2] == (level, points)


@pytest.mark.parametrize(
    "rsr, points",
    [(None, 0), ("2.90", 0), ("2.91", 10), ("6.90", 10), ("6.91", 20), ("50", 20)],
)
def test_rsr_bands_are_more_than_2_9_and_6_9(rsr, points):
    assert tier.rsr_points(Decimal(rsr) if rsr else None) == points


def test_the_larger_of_rosh_and_rsr_counts_not_both():
    assert protect(rosh="medium", rsr=Decimal("7.5"))[1] == 20
    assert protect(rosh="very_high", rsr=Decimal("7.5"))[1] == 30


@pytest.mark.parametrize("mappa, points", [("", 0), ("1", 5), ("2", 30), ("3", 30)])
def test_mappa_points(mappa, points):
    assert protect(mappa_level=mappa)[1] == points


def test_mappa_2_alone_is_protect_a():
    assert protect(mappa_level="2")[0] == "A"


@pytest.mark.parametrize(
    "factors, level",
    [
        # 4 factors x 2 = 8 (D); 5 x 2 = 10 (C): the boundary between D and C.
        (["RMDO", "ALSH", "RVLN", "RCCO"], "D"),
        (["RMDO", "ALSH", "RVLN", "RCCO", "RPIR"], "C"),
    ],
)
def test_boundary_d_to_c(factors, level):
    assert protect(complexity=frozenset(factors))[0] == level


def test_boundaries_c_to_b_and_b_to_a():
    # medium RoSH 10 + MAPPA 1 5 + 2 factors 4 = 19 (C); one more factor = 21 (B)
    base = {"rosh": "medium", "mappa_level": "1"}
    assert protect(**base, complexity=frozenset({"RMDO", "ALSH"}))[:2] == ("C", 19)
    assert protect(**base, complexity=frozenset({"RMDO", "ALSH", "STRG"}))[:2] == ("B", 21)
    # high 20 + 4 factors 8 = 28 (B) ... + MAPPA 1 = 33 (A); high 20 + 5 factors = 30 (A) exactly
    assert protect(rosh="high", complexity=frozenset({"RMDO", "ALSH", "STRG", "TACT"}))[:2] == ("B", 28)
    assert protect(rosh="high", complexity=frozenset({"RMDO", "ALSH", "STRG", "TACT", "RVAD"}))[:2] == ("A", 30)
    assert protect(rosh="high", child_protection=True, risk_to_children=True)[1] == 24


def test_iom_does_not_count_towards_protect_but_adds_change_points():
    assert protect(complexity=frozenset({"IIOM"}))[1] == 0
    assert tier.change_level(TierInputs(ogrs=0, complexity=frozenset({"IIOM"}), orders=RAR_ORDER))[1] == 2


def test_womens_factors_count_only_for_women():
    factors = frozenset({"parenting", "self_control", "breach_recall"})
    assert protect(female=True, womens_factors=factors)[1] == 6
    assert protect(female=False, womens_factors=factors)[1] == 0


def test_no_mandate_for_change_is_level_0():
    assert tier.change_level(TierInputs(ogrs=90, orders=UPW_ONLY))[0] == 0
    assert tier.change_level(TierInputs(ogrs=90, orders=(OrderFacts("SSO", frozenset({"CUR", "UPW"})),)))[0] == 0
    assert tier.change_level(TierInputs(ogrs=90))[0] == 0  # no order in force


def test_a_licence_or_a_rehabilitative_requirement_gives_a_mandate():
    assert tier.has_mandate_for_change((OrderFacts("LIC"),))
    assert tier.has_mandate_for_change((OrderFacts("CO", frozenset({"UPW", "RAR"})),))


def test_no_assessment_is_change_level_2():
    assert tier.change_level(TierInputs(orders=RAR_ORDER))[0] == 2


@pytest.mark.parametrize(
    "ogrs, needs, level, points",
    [
        (99, {}, 1, 9),  # OGRS/10 whole points
        (99, {"accommodation": "standard"}, 2, 10),  # boundary 1 -> 2; the last two are the 2 -> 3 boundary
        (90, {"thinking": "severe", "attitudes": "severe", "drugs": "standard", "alcohol": "standard"}, 2, 19),
        (90, {"thinking": "severe", "attitudes": "severe", "drugs": "severe", "alcohol": "standard"}, 3, 20),
    ],
)
def test_change_boundaries(ogrs, needs, level, points):
    assert tier.change_level(TierInputs(ogrs=ogrs, needs=needs, orders=RAR_ORDER))[:2] == (level, points)


def test_michelle_is_d0_and_a_very_high_mappa_2_case_is_a():
    michelle = TierInputs(rosh="low", female=True, orders=UPW_ONLY)
    assert tier.calculate(michelle).code == "D0"
    risky = tier.calculate(TierInputs(rosh="very_high", mappa_level="2", ogrs=80, orders=RAR_ORDER))
    assert risky.code == "A1" and risky.protect_points == 60
    assert "RoSH very high: 30" in risky.reasons and "MAPPA level 2: 30" in risky.reasons
