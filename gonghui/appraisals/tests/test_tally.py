"""The weighted result (tally.py, pure): each category's shares over its valid ballots, averaged
with the weights of the categories that returned any; flags compared exactly, not on rounded
figures; shares and score rounded half up only to be stored."""

from decimal import Decimal
from fractions import Fraction

from gonghui.appraisals.tally import Flag, Scale, decimal_of, weighted_result

CADRE = Scale((("excellent", 100), ("competent", 80), ("basic", 60), ("incompetent", 0)))
WEIGHTS = {"leader": 30, "cadre": 30, "staff": 40}
ADMONITION = Flag("admonition", frozenset({"excellent", "competent"}), above=False, threshold=Fraction(2, 3))
REMOVAL = Flag("removal", frozenset({"incompetent"}), above=True, threshold=Fraction(1, 3))
FLAGS = [ADMONITION, REMOVAL]


def test_weighted_shares_over_the_categories_that_voted():
    """Staff (40): 3 of 4 优秀, 1 称职; leaders (30): all 称职; cadres (30): no ballot. The
    shares are over 70: 优秀 40·¾/70 = 3/7, 称职 (40·¼ + 30)/70 = 4/7."""
    result = weighted_result(
        {"staff": {"excellent": 3, "competent": 1}, "leader": {"competent": 2}}, WEIGHTS, CADRE, FLAGS
    )
    assert result.shares == {
        "excellent": Fraction(3, 7),
        "competent": Fraction(4, 7),
        "basic": Fraction(0),
        "incompetent": Fraction(0),
    }
    assert sum(result.shares.values()) == 1
    assert result.score == Decimal("88.57")  # 3/7·100 + 4/7·80 = 620/7
    assert result.shares_text() == {
        "excellent": "0.4286",
        "competent": "0.5714",
        "basic": "0.0000",
        "incompetent": "0.0000",
    }
    assert (result.flags, result.counted) == ([], True)


def test_a_category_with_no_ballots_drops_out_whatever_its_weight():
    counts = {"staff": {"excellent": 3, "competent": 1}, "leader": {"competent": 2}}
    with_empty = weighted_result({**counts, "cadre": {}}, WEIGHTS, CADRE, FLAGS)
    with_zeros = weighted_result({**counts, "cadre": {"excellent": 0, "incompetent": 0}}, WEIGHTS, CADRE, FLAGS)
    without = weighted_result(counts, WEIGHTS, CADRE, FLAGS)
    assert with_empty == with_zeros == without


def test_a_category_with_no_weight_or_unknown_counts_for_nothing():
    result = weighted_result(
        {"staff": {"excellent": 1}, "guest": {"incompetent": 5}}, {**WEIGHTS, "guest": 0}, CADRE, FLAGS
    )
    assert result.shares["excellent"] == 1 and result.shares["incompetent"] == 0
    assert weighted_result({"staff": {"excellent": 1}, "visitor": {"incompetent": 5}}, WEIGHTS, CADRE, FLAGS) == result


def test_all_three_categories_weighted():
    """Leaders 30: 1 of 2 不称职; cadres 30: all 基本称职; staff 40: 1 of 5 优秀, 4 称职."""
    result = weighted_result(
        {
            "leader": {"excellent": 1, "incompetent": 1},
            "cadre": {"basic": 3},
            "staff": {"excellent": 1, "competent": 4},
        },
        WEIGHTS,
        CADRE,
        FLAGS,
    )
    assert result.shares == {
        "excellent": Fraction(30 * 1, 2 * 100) + Fraction(40 * 1, 5 * 100),  # 0.15 + 0.08
        "competent": Fraction(40 * 4, 5 * 100),  # 0.32
        "basic": Fraction(30, 100),
        "incompetent": Fraction(15, 100),
    }
    assert result.shares_text() == {
        "excellent": "0.2300",
        "competent": "0.3200",
        "basic": "0.3000",
        "incompetent": "0.1500",
    }
    assert result.score == Decimal("66.60")  # 23 + 25.6 + 18
    assert result.flags == ["admonition"]  # 0.55 < 2/3


def test_no_ballot_at_all_raises_no_flag():
    result = weighted_result({}, WEIGHTS, CADRE, FLAGS)
    assert result.shares == dict.fromkeys(CADRE.codes, Fraction(0))
    assert (result.score, result.flags, result.counted) == (Decimal("0.00"), [], False)
    assert weighted_result({"staff": {}, "leader": {}}, WEIGHTS, CADRE, FLAGS) == result


def test_exactly_two_thirds_is_not_below_two_thirds():
    # 优秀 + 称职 = 2 of 3 exactly; 不称职 = 1 of 3 exactly: neither flag
    result = weighted_result({"staff": {"excellent": 1, "competent": 1, "incompetent": 1}}, WEIGHTS, CADRE, FLAGS)
    assert result.shares["excellent"] + result.shares["competent"] == Fraction(2, 3)
    assert result.shares["incompetent"] == Fraction(1, 3)
    assert result.flags == []


def test_exactly_two_thirds_across_weighted_categories_is_not_below_either():
    """Leaders 30: 2 of 3; staff 40: 4 of 6 — each exactly 2/3, so the weighted share is exactly
    2/3 (a float sum would land a hair off it)."""
    result = weighted_result(
        {"leader": {"excellent": 2, "basic": 1}, "staff": {"competent": 4, "incompetent": 2}}, WEIGHTS, CADRE, FLAGS
    )
    assert result.shares["excellent"] + result.shares["competent"] == Fraction(2, 3)
    assert result.flags == []


def test_just_below_two_thirds_and_just_above_one_third_raise_the_flags():
    below = weighted_result({"staff": {"excellent": 199, "competent": 0, "basic": 101}}, WEIGHTS, CADRE, FLAGS)
    assert below.shares["excellent"] == Fraction(199, 300) and below.flags == ["admonition"]
    both = weighted_result({"staff": {"excellent": 1, "incompetent": 1}}, WEIGHTS, CADRE, FLAGS)
    assert both.flags == ["admonition", "removal"]  # 1/2 < 2/3 and 1/2 > 1/3
    above = weighted_result({"staff": {"excellent": 200, "incompetent": 100, "competent": 1}}, WEIGHTS, CADRE, FLAGS)
    assert above.shares["incompetent"] == Fraction(100, 301)  # below 1/3
    assert above.flags == []
    over = weighted_result({"staff": {"excellent": 199, "incompetent": 101}}, WEIGHTS, CADRE, FLAGS)
    assert over.shares["incompetent"] == Fraction(101, 300)  # just above 1/3 (and 199/300 just below 2/3)
    assert over.flags == ["admonition", "removal"]


def test_flags_are_raised_in_the_rules_order():
    result = weighted_result({"staff": {"incompetent": 1}}, WEIGHTS, CADRE, [REMOVAL, ADMONITION])
    assert result.flags == ["removal", "admonition"]


def test_the_score_and_shares_round_half_up():
    half = Scale((("yes", 100), ("no", 0)))
    # 1 of 32: share 0.03125 → 0.0313 (half to even would give 0.0312); score 3.125 → 3.13 (not 3.12)
    result = weighted_result({"staff": {"yes": 1, "no": 31}}, WEIGHTS, half, [])
    assert result.shares_text() == {"yes": "0.0313", "no": "0.9688"}
    assert result.score == Decimal("3.13")
    # 1 of 8 with score 1: 0.125 → 0.13
    assert weighted_result(
        {"staff": {"yes": 1, "no": 7}}, WEIGHTS, Scale((("yes", 1), ("no", 0))), []
    ).score == Decimal("0.13")
    assert decimal_of(Fraction(5, 1000), 2) == Decimal("0.01")
    assert decimal_of(Fraction(45, 10000), 2) == Decimal("0.00")
    assert decimal_of(Fraction(2, 3), 4) == Decimal("0.6667")
    assert decimal_of(Fraction(1, 3), 4) == Decimal("0.3333")
