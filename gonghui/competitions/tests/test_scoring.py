"""The aggregation (pure: no database): trimmed means with few and many judges, exact values
rounded once, ranks with tie-breaks and shared ranks, prizes by count and by share, and the
single awards by a part's best mean."""

from decimal import Decimal
from fractions import Fraction

import pytest

from gonghui.competitions.scoring import (
    EntryResult,
    Method,
    PartWeight,
    Prize,
    allocate,
    best_in_part,
    entry_result,
    part_result,
    rank,
    trimmed,
)

PARTS = [
    PartWeight("design", "教学设计", 20, 20),
    PartWeight("classroom", "课堂教学", 75, 75),
    PartWeight("reflection", "教学反思", 5, 5),
]
SEVEN = ["80", "90", "85", "70", "95", "88", "60"]


def d(*values: str) -> list[Decimal]:
    return [Decimal(v) for v in values]


def result(key, design, classroom, reflection, method: Method | None = None):
    """An entry's result from each part's scores (a string: one judge; a tuple: several)."""
    method = method or Method()

    def scores(value):
        return d(*value) if isinstance(value, tuple) else d(value)

    return entry_result(
        key, {"design": scores(design), "classroom": scores(classroom), "reflection": scores(reflection)}, PARTS, method
    )


# --- the trimmed mean ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "scores, kept, dropped, mean",
    [
        (SEVEN, ["70", "80", "85", "88", "90"], ["60", "95"], Fraction(413, 5)),
        (SEVEN[:5], ["80", "85", "90"], ["70", "95"], Fraction(85)),
        (SEVEN[:4], ["70", "80", "85", "90"], [], Fraction(325, 4)),
        (SEVEN[:3], ["80", "85", "90"], [], Fraction(85)),
        (SEVEN[:2], ["80", "90"], [], Fraction(85)),
        (SEVEN[:1], ["80"], [], Fraction(80)),
    ],
    ids=["7 judges", "5 judges", "4 judges", "3 judges", "2 judges", "1 judge"],
)
def test_one_highest_and_one_lowest_are_dropped_from_five_scores_up(scores, kept, dropped, mean):
    method = Method()  # drop 1 + 1 from 5 scores up
    assert trimmed(d(*scores), method) == (d(*kept), d(*dropped))
    part = part_result("x", d(*scores), PartWeight("x", "x", 100, 100), method)
    assert part.mean == mean
    assert part.kept == d(*kept)
    assert part.dropped == d(*dropped)
    assert part.raw == sorted(d(*scores))


def test_no_scores_give_no_mean():
    part = part_result("x", [], PartWeight("x", "x", 100, 100), Method())
    assert (part.raw, part.kept, part.dropped, part.mean, part.weighted) == ([], [], [], None, None)


@pytest.mark.parametrize(
    "trim_min_scores, scores, kept, dropped",
    [
        (3, ["80", "90", "85"], ["85"], ["80", "90"]),  # three scores are enough when the rules say 3
        (3, ["80", "90"], ["80", "90"], []),
        (4, ["80", "90", "85"], ["80", "85", "90"], []),
        (4, ["80", "90", "85", "70"], ["80", "85"], ["70", "90"]),
        # below highest + lowest + 1 nothing is ever dropped, whatever the setting says
        (0, ["80", "90"], ["80", "90"], []),
        (0, ["80", "90", "85"], ["85"], ["80", "90"]),
    ],
)
def test_trim_min_scores_decides_from_how_many_scores_the_trim_applies(trim_min_scores, scores, kept, dropped):
    assert trimmed(d(*scores), Method(trim_min_scores=trim_min_scores)) == (d(*kept), d(*dropped))


@pytest.mark.parametrize(
    "scores, kept, dropped",
    [
        (SEVEN, ["80", "85", "88"], ["60", "70", "90", "95"]),
        (SEVEN[:6], ["85", "88"], ["70", "80", "90", "95"]),
        (SEVEN[:5], ["85"], ["70", "80", "90", "95"]),
        (SEVEN[:4], ["70", "80", "85", "90"], []),
    ],
)
def test_two_highest_and_two_lowest(scores, kept, dropped):
    assert trimmed(d(*scores), Method(trim_highest=2, trim_lowest=2)) == (d(*kept), d(*dropped))


def test_only_the_lowest_dropped_and_equal_scores():
    assert trimmed(d(*SEVEN[:5]), Method(trim_highest=0, trim_lowest=1)) == (d("80", "85", "90", "95"), d("70"))
    assert trimmed(d("80", "80", "80", "80", "80"), Method()) == (d("80", "80", "80"), d("80", "80"))


def test_a_part_weighs_its_mean_over_full_marks_times_weight():
    part = part_result("design", d("80", "90", "85"), PartWeight("design", "教学设计", 30, 100), Method())
    assert (part.mean, part.weighted) == (Fraction(85), Fraction(51, 2))
    part = part_result("design", d("18", "19", "18.5"), PartWeight("design", "教学设计", 20, 20), Method())
    assert (part.mean, part.weighted) == (Fraction(37, 2), Fraction(37, 2))


# --- exact until the one rounding ------------------------------------------------------------


def test_the_final_is_the_exact_sum_rounded_once_not_the_sum_of_rounded_means():
    # three judges: every mean is a third; the exact sum is 93 while the rounded means add to 92.99
    r = result("a", ("18", "18", "19"), ("70", "70", "71"), ("4", "4", "5"))
    assert [r.parts[code].mean for code in ("design", "classroom", "reflection")] == [
        Fraction(55, 3),
        Fraction(211, 3),
        Fraction(13, 3),
    ]
    assert r.exact == Fraction(93)
    assert str(r.final) == "93.00"
    shown = sum(r.parts[code].weighted_shown() for code in ("design", "classroom", "reflection"))
    assert shown == Decimal("92.99")
    assert [r.parts[code].mean_shown() for code in ("design", "classroom", "reflection")] == d("18.33", "70.33", "4.33")


def test_five_judges_trimmed_thirds_half_up_and_down():
    # 周四 of the factories: 17.5 + 208/3 + 13/3 = 547/6 = 91.1666…
    scores = (("17", "18", "16", "17.5", "20"), ("69", "70", "67", "69", "75"), ("4", "4.5", "4", "4.5", "5"))
    up = result("zhou", *scores)
    assert up.parts["design"].dropped == d("16", "20")
    assert up.parts["classroom"].kept == d("69", "69", "70")
    assert up.exact == Fraction(547, 6)
    assert str(up.final) == "91.17"
    assert str(result("zhou", *scores, method=Method(rounding="down")).final) == "91.16"
    # rounding the means first would give 17.50 + 69.33 + 4.33 = 91.16
    assert sum(up.parts[c].weighted_shown() for c in ("design", "classroom", "reflection")) == Decimal("91.16")


@pytest.mark.parametrize(
    "value, places, half_up, down",
    [
        (Fraction(928875, 10000), 0, "93", "92"),
        (Fraction(928875, 10000), 1, "92.9", "92.8"),
        (Fraction(928875, 10000), 2, "92.89", "92.88"),
        (Fraction(928875, 10000), 3, "92.888", "92.887"),
        (Fraction(185, 2), 0, "93", "92"),
        (Fraction(92125, 1000), 2, "92.13", "92.12"),
        (Fraction(547, 6), 3, "91.167", "91.166"),
        (Fraction(100), 2, "100.00", "100.00"),
        (Fraction(0), 1, "0.0", "0.0"),
    ],
)
def test_rounding_to_places_half_up_or_down(value, places, half_up, down):
    assert str(Method(places=places, rounding="half_up").round(value)) == half_up
    assert str(Method(places=places, rounding="down").round(value)) == down


def test_an_entry_missing_a_part_has_no_final():
    r = entry_result("a", {"design": d("18"), "classroom": d("70")}, PARTS, Method())
    assert (r.exact, r.final) == (None, None)
    assert r.parts["reflection"].mean is None
    assert r.parts["design"].mean == Fraction(18)


# --- ranks -----------------------------------------------------------------------------------


def test_equal_finals_are_ordered_by_the_tie_break_parts_then_share_the_rank():
    method = Method(tie_break=("classroom", "design"))
    a = result("A", "18", "70", "4", method)
    b = result("B", "19", "70", "3", method)
    c = result("C", "17", "71", "4", method)
    dd = result("D", "18", "70", "4", method)
    e = result("E", "16", "60", "4", method)
    unscored = entry_result("F", {"design": d("20")}, PARTS, method)
    assert {r.final for r in (a, b, c, dd)} == {Decimal("92.00")}
    ranked = rank([a, b, unscored, c, dd, e], method)
    assert [(r.key, r.rank, r.tie_note) for r in ranked] == [
        ("C", 1, "tie_broken"),  # the best classroom
        ("B", 2, "tie_broken"),  # classroom equal with A and D, design better
        ("A", 3, "shared"),
        ("D", 3, "shared"),
        ("E", 5, ""),  # the rank after a shared one is skipped
    ]
    assert unscored.rank is None


def test_without_a_tie_break_equal_finals_share_the_rank_and_the_next_is_skipped():
    method = Method()
    results = [
        result("p", "20", "70", "0", method),
        result("q", "18", "70", "0", method),
        result("r", "20", "68", "0", method),
        result("s", "15", "70", "0", method),
    ]
    assert [(r.key, r.final) for r in results] == [
        ("p", Decimal("90.00")),
        ("q", Decimal("88.00")),
        ("r", Decimal("88.00")),
        ("s", Decimal("85.00")),
    ]
    assert [(r.key, r.rank, r.tie_note) for r in rank(results, method)] == [
        ("p", 1, ""),
        ("q", 2, "shared"),
        ("r", 2, "shared"),
        ("s", 4, ""),
    ]


def test_ranks_go_by_the_rounded_final_not_by_the_exact_value():
    # X is 92.00333… exactly, Y 92 exactly: both 92.00, so the tie-break (classroom) decides
    x = result("X", ("18", "18", "18"), ("70", "70", "70.01"), ("4", "4", "4"))
    y = result("Y", ("17", "17", "17"), ("71", "71", "71"), ("4", "4", "4"))
    assert x.exact == Fraction(27601, 300)
    assert x.exact > y.exact
    assert x.final == y.final == Decimal("92.00")
    tie_break = Method(tie_break=("classroom", "design"))
    assert [(r.key, r.rank) for r in rank([x, y], tie_break)] == [("Y", 1), ("X", 2)]
    x.rank = y.rank = None
    assert [(r.key, r.rank, r.tie_note) for r in rank([x, y], Method())] == [
        ("X", 1, "shared"),
        ("Y", 1, "shared"),
    ]


# --- prizes ----------------------------------------------------------------------------------


def ranked_list(ranks: list[int]) -> list[EntryResult]:
    return [EntryResult(key=i, parts={}, exact=None, final=Decimal(100 - r), rank=r) for i, r in enumerate(ranks)]


def prizes_of(allocation, count: int) -> list[str | None]:
    return [allocation.prizes.get(i) for i in range(count)]


@pytest.mark.parametrize(
    "shares, seats",
    [
        ((20, 30, 50), (6, 10, 16)),  # 6.4, 9.6, 16
        ((20, 28, 52), (6, 9, 17)),  # 6.4, 8.96, 16.64: the USTB round of 32 (6/9/17)
        ((18, 28, 54), (6, 9, 17)),  # 5.76, 8.96, 17.28
    ],
)
def test_shares_of_32_contestants_are_rounded_half_up(shares, seats):
    prizes = [Prize(code, share=share) for code, share in zip(("first", "second", "third"), shares, strict=True)]
    assert tuple(p.seats(32) for p in prizes) == seats
    allocation = allocate(ranked_list(list(range(1, 33))), prizes)
    given = prizes_of(allocation, 32)
    assert (given.count("first"), given.count("second"), given.count("third")) == seats
    assert given == ["first"] * seats[0] + ["second"] * seats[1] + ["third"] * seats[2]


@pytest.mark.parametrize("share, ranked, seats", [(25, 10, 3), (15, 10, 2), (5, 10, 1), (4, 10, 0), (50, 3, 2)])
def test_a_share_at_exactly_a_half_rounds_up(share, ranked, seats):
    assert Prize("x", share=share).seats(ranked) == seats


def test_prizes_by_count_leave_the_rest_unplaced():
    allocation = allocate(ranked_list([1, 2, 3, 4, 5]), [Prize("first", 1), Prize("second", 1), Prize("third", 1)])
    assert prizes_of(allocation, 5) == ["first", "second", "third", None, None]


@pytest.mark.parametrize(
    "ranks, expected",
    [
        ([1, 2, 2, 4, 5], ["first", "second", "second", "third", None]),
        ([1, 1, 3, 4, 5], ["first", "first", "second", "third", None]),
        ([1, 2, 3, 3, 5], ["first", "second", "third", "third", None]),
        ([1, 2, 3, 4, 4], ["first", "second", "third", None, None]),
    ],
    ids=["second-shared", "first-shared", "third-shared", "shared-after-the-prizes"],
)
def test_a_shared_rank_on_a_prize_boundary_takes_the_better_prize_for_all(ranks, expected):
    allocation = allocate(ranked_list(ranks), [Prize("first", 1), Prize("second", 1), Prize("third", 1)])
    assert prizes_of(allocation, len(ranks)) == expected


def test_a_shared_rank_on_a_share_boundary_moves_the_next_prize_down():
    # 10 ranked: 2 / 3 / 5 seats; ranks 2 and 3 share, so three firsts, then three seconds
    prizes = [Prize("first", share=20), Prize("second", share=30), Prize("third", share=50)]
    ranked = ranked_list([1, 2, 2, 4, 5, 6, 7, 8, 9, 10])
    allocation = allocate(ranked, prizes)
    assert prizes_of(allocation, 10) == ["first"] * 3 + ["second"] * 3 + ["third"] * 4
    assert [r.prize for r in ranked] == prizes_of(allocation, 10)


def test_a_prize_with_no_seat_is_skipped():
    prizes = [Prize("first", share=20), Prize("second", share=30), Prize("third", share=50)]
    assert [p.seats(2) for p in prizes] == [0, 1, 1]
    assert prizes_of(allocate(ranked_list([1, 2]), prizes), 2) == ["second", "third"]


# --- single awards ---------------------------------------------------------------------------


def test_best_in_part_gives_the_award_to_every_one_with_the_best_exact_mean():
    p = result("P", ("18", "19"), "70", "4")
    q = result("Q", ("18.5", "18.5"), "60", "4")
    r = result("R", "17", "75", "5")
    unscored = entry_result("S", {}, PARTS, Method())
    assert [w.key for w in best_in_part([p, q, r, unscored], "design")] == ["P", "Q"]
    assert [w.key for w in best_in_part([p, q, r], "classroom")] == ["R"]
    assert best_in_part([unscored], "design") == []
    assert best_in_part([p, q], "voice") == []


def test_best_in_part_compares_exact_means_not_shown_ones():
    third = result("third", ("18", "18", "19"), "70", "4")  # 18.333…
    shown = result("shown", "18.33", "70", "4")
    assert third.parts["design"].mean_shown() == shown.parts["design"].mean_shown() == Decimal("18.33")
    assert [w.key for w in best_in_part([shown, third], "design")] == ["third"]
