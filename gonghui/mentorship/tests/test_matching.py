"""The two matchings of a cohort (DOMAIN §3.8) against brute force, and by hand.

- `assignment`: on many small random cohorts, the same number of pairs and the same least total
  cost as enumerating every way of giving the new teachers to the mentors' places; each pair
  allowed, no mentor over their places, each pair's load, cost and reasons as the rules say.
- `stable`: on many small random cohorts with random rankings, no blocking pair, every pair
  acceptable to both and allowed, places kept, and the best stable matching for every new
  teacher (against every stable matching, enumerated); `blocking_pairs` itself against a plain
  reading of the definition on every matching enumerated.
- Exact cases written out: pairs, costs, reasons, and why each one left over is left over.

Pure functions, no database: run once, in the SQLite pass.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import replace

import pytest

from gonghui.mentorship.matching import (
    MatchedPair,
    Matching,
    Teacher,
    Unmatched,
    Weights,
    assignment,
    blocking_pairs,
    pair_allowed,
    pair_cost,
    pair_reasons,
    stable,
)

pytestmark = pytest.mark.once

COLLEGES = {1: "经济学院", 2: "化学学院", 3: "管理学院"}
DISCIPLINES = ("经济学", "化学", "法学", "")
FIELDS = ("金融", "计量", "有机", "")
CAMPUSES = ("东区", "西区", "")

NOT_CHOSEN = "所填报的指导教师都没有选择本人，或不符合结对条件"
FULL_STABLE = "所填报并选择本人的指导教师名额已满"
TAKEN = "可以结对的指导教师都已分给其他青年教师"
NO_PLACES = "没有尚有名额的指导教师"


def teacher(person_id: int, college_id: int = 1, **fields) -> Teacher:
    return Teacher(
        person_id=person_id, name=f"教师{person_id}", college_id=college_id, college=COLLEGES[college_id], **fields
    )


def allowed(mentee: Teacher, mentor: Teacher, same_discipline: bool) -> bool:
    """The hard rules, read plainly: never oneself; the same (non-blank) discipline when asked."""
    if mentee.person_id == mentor.person_id:
        return False
    return not same_discipline or (mentee.discipline != "" and mentee.discipline == mentor.discipline)


def random_teacher(rng: random.Random, person_id: int, *, mentor: bool) -> Teacher:
    return teacher(
        person_id,
        rng.choice(list(COLLEGES)),
        discipline=rng.choice(DISCIPLINES),
        research_field=rng.choice(FIELDS),
        campus=rng.choice(CAMPUSES),
        load=rng.randint(0, 1) if mentor else 0,
        places=rng.randint(0, 2) if mentor else 1,
    )


def random_cohort(
    rng: random.Random, max_mentees: int, max_mentors: int, least: int = 1
) -> tuple[list[Teacher], list[Teacher]]:
    """Mentees 1…n, mentors 101…; now and then a mentor who is also one of the mentees (the
    same person, as when someone stands on both sides)."""
    mentees = [random_teacher(rng, i + 1, mentor=False) for i in range(rng.randint(least, max_mentees))]
    mentors: list[Teacher] = []
    for j in range(rng.randint(least, max_mentors)):
        person_id = rng.choice(mentees).person_id if rng.random() < 0.2 else 101 + j
        if any(m.person_id == person_id for m in mentors):
            person_id = 101 + j
        mentors.append(replace(random_teacher(rng, person_id, mentor=True), name=f"导师{person_id}"))
    return mentees, mentors


def random_weights(rng: random.Random) -> Weights:
    if rng.random() < 0.4:
        return Weights()
    # Zeros included: a load that weighs nothing makes a mentor's places cost the same.
    return Weights(*(rng.choice((0, 5, 10, 20, 40)) for _ in range(5)))


# --- assignment ----------------------------------------------------------------------------------


def brute_assignment(
    mentees: Sequence[Teacher], mentors: Sequence[Teacher], weights: Weights, same_discipline: bool
) -> tuple[int, int]:
    """(most pairs, least total cost among them) over every way of giving each new teacher one
    mentor's place or none. A mentor taking t mentees holds load, load+1, … before each, so
    the load part is weights.load × (t·load + t(t−1)/2) whoever comes first."""
    base = [
        [pair_cost(m, r, weights, load=0) if allowed(m, r, same_discipline) else None for r in mentors] for m in mentees
    ]
    taken = [0] * len(mentors)
    best = (0, 0)  # (count, −cost): the empty matching

    def walk(i: int, count: int, cost: int) -> None:
        nonlocal best
        if i == len(mentees):
            loads = sum(weights.load * (t * mentors[j].load + t * (t - 1) // 2) for j, t in enumerate(taken))
            best = max(best, (count, -(cost + loads)))
            return
        walk(i + 1, count, cost)
        for j, c in enumerate(base[i]):
            if c is not None and taken[j] < mentors[j].places:
                taken[j] += 1
                walk(i + 1, count + 1, cost + c)
                taken[j] -= 1

    walk(0, 0, 0)
    return best[0], -best[1]


def expected_assignment_unmatched(
    mentees: Sequence[Teacher], mentors: Sequence[Teacher], result: Matching, same_discipline: bool
) -> list[Unmatched]:
    paired = {p.mentee_id for p in result.pairs}
    used = {p.mentor_id for p in result.pairs}
    expected = []
    for mentee in mentees:
        if mentee.person_id in paired:
            continue
        if any(r.places > 0 and allowed(mentee, r, same_discipline) for r in mentors):
            why = TAKEN
        elif not any(r.places > 0 and r.person_id != mentee.person_id for r in mentors):
            why = NO_PLACES
        else:
            assert same_discipline  # without the discipline rule, only oneself is refused
            why = f"没有同一学科（{mentee.discipline or '—'}）且尚有名额的指导教师"
        expected.append(Unmatched(mentee.person_id, "mentee", (why,)))
    for mentor in mentors:
        if mentor.person_id not in used:
            why = "名额已满" if mentor.places <= 0 else "没有更合适的青年教师"
            expected.append(Unmatched(mentor.person_id, "mentor", (why,)))
    return expected


def test_assignment_is_optimal_against_brute_force():
    rng = random.Random(3808)
    some_pairs = some_unmatched = some_forbidden = some_second_places = 0
    for case in range(240):
        mentees, mentors = random_cohort(rng, 5, 5)
        weights = random_weights(rng)
        same_discipline = case % 2 == 0
        result = assignment(mentees, mentors, weights, same_discipline=same_discipline)

        count, cost = brute_assignment(mentees, mentors, weights, same_discipline)
        assert (len(result.pairs), result.total_cost) == (count, cost), (case, mentees, mentors, weights)

        mentee_by_id = {m.person_id: m for m in mentees}
        mentor_by_id = {m.person_id: m for m in mentors}
        assert len({p.mentee_id for p in result.pairs}) == len(result.pairs)
        assert result.pairs == sorted(result.pairs, key=lambda p: (p.mentee_id, p.mentor_id))
        held: dict[int, int] = {}
        for pair in result.pairs:  # in the new teachers' order, as given
            mentee, mentor = mentee_by_id[pair.mentee_id], mentor_by_id[pair.mentor_id]
            assert allowed(mentee, mentor, same_discipline)
            assert pair_allowed(mentee, mentor, same_discipline=same_discipline) is None
            # A mentor's k-th mentee (in the new teachers' order) holds the place after load + k.
            load = mentor.load + held.get(mentor.person_id, 0)
            held[mentor.person_id] = held.get(mentor.person_id, 0) + 1
            assert pair == MatchedPair(
                mentee.person_id,
                mentor.person_id,
                pair_cost(mentee, mentor, weights, load=load),
                pair_reasons(mentee, mentor, load=load),
            )
            some_second_places += load > mentor.load
        assert all(held[m.person_id] <= m.places for m in mentors if m.person_id in held)
        assert result.unmatched == expected_assignment_unmatched(mentees, mentors, result, same_discipline)

        some_pairs += bool(result.pairs)
        some_unmatched += any(u.side == "mentee" for u in result.unmatched)
        some_forbidden += any(not allowed(m, r, same_discipline) for m in mentees for r in mentors)
    # The cases reached what they are meant to reach.
    assert some_pairs > 150 and some_unmatched > 50 and some_forbidden > 150 and some_second_places > 20


def test_pair_cost_and_reasons_by_hand():
    mentee = teacher(1, 1, discipline="经济学", research_field="金融", campus="东区")
    mentor = teacher(10, 3, discipline="经济学", research_field="计量", campus="西区", load=1)
    weights = Weights()
    # discipline 0 + college 20 + field 20 + campus 10 + load 1 × 10
    assert pair_cost(mentee, mentor, weights) == 60
    assert pair_cost(mentee, mentor, weights, load=3) == 80
    assert pair_cost(mentee, mentor, Weights(1, 2, 4, 8, 16)) == 2 + 4 + 8 + 16
    assert pair_reasons(mentee, mentor) == ("同一学科：经济学", "跨学院：管理学院", "不同校区：西区", "导师已带 1 人")
    assert pair_reasons(mentee, mentor, load=0) == ("同一学科：经济学", "跨学院：管理学院", "不同校区：西区")
    # A blank is never "the same": a blank discipline, field or campus differs from a blank one.
    blank_mentee, blank_mentor = teacher(2, 2), teacher(11, 2)
    assert pair_cost(blank_mentee, blank_mentor, weights) == 40 + 20 + 10
    assert pair_reasons(blank_mentee, blank_mentor) == ("学科不同", "同一学院")
    assert pair_reasons(teacher(3, campus="东区"), teacher(12, campus="")) == ("学科不同", "同一学院")

    assert pair_allowed(mentee, mentor, same_discipline=True) is None
    assert pair_allowed(mentee, teacher(13, discipline="化学"), same_discipline=True) == "学科不同（经济学 / 化学）"
    assert pair_allowed(blank_mentee, blank_mentor, same_discipline=True) == "学科不同（— / —）"
    assert pair_allowed(blank_mentee, blank_mentor, same_discipline=False) is None
    assert pair_allowed(mentee, replace(mentee, places=1), same_discipline=False) == "不能自己指导自己"


def cohort_by_hand() -> tuple[list[Teacher], list[Teacher]]:
    mentees = [
        teacher(1, 1, discipline="经济学", research_field="金融", campus="东区"),
        teacher(2, 2, discipline="化学", research_field="有机", campus="西区"),
        teacher(3, 1, discipline="经济学", research_field="计量", campus="东区"),
    ]
    mentors = [
        teacher(10, 1, discipline="经济学", research_field="金融", campus="东区"),
        teacher(11, 3, discipline="经济学", research_field="计量", campus="西区", load=1),
        teacher(12, 2, discipline="物理学", research_field="光学", campus="西区"),
    ]
    return mentees, mentors


def test_assignment_same_discipline_by_hand():
    mentees, mentors = cohort_by_hand()
    result = assignment(mentees, mentors, Weights(), same_discipline=True)
    # 1–10 costs 0 and 3–11 costs 20 + 10 + 10 = 40 (40 in all); the other way round,
    # 1–11 costs 60 and 3–10 costs 20 (80). No chemist among the mentors for 2.
    assert result.pairs == [
        MatchedPair(1, 10, 0, ("同一学科：经济学", "同一学院", "研究方向相同：金融", "同一校区")),
        MatchedPair(
            3, 11, 40, ("同一学科：经济学", "跨学院：管理学院", "研究方向相同：计量", "不同校区：西区", "导师已带 1 人")
        ),
    ]
    assert result.total_cost == 40
    assert result.unmatched == [
        Unmatched(2, "mentee", ("没有同一学科（化学）且尚有名额的指导教师",)),
        Unmatched(12, "mentor", ("没有更合适的青年教师",)),
    ]


def test_assignment_any_discipline_by_hand():
    mentees, mentors = cohort_by_hand()
    result = assignment(mentees, mentors, Weights(), same_discipline=False)
    # 2 now goes to 12 (40 + 20 = 60; to 10 or 11 it would cost 90), the others as before.
    assert result.pairs == [
        MatchedPair(1, 10, 0, ("同一学科：经济学", "同一学院", "研究方向相同：金融", "同一校区")),
        MatchedPair(2, 12, 60, ("学科不同", "同一学院", "同一校区")),
        MatchedPair(
            3, 11, 40, ("同一学科：经济学", "跨学院：管理学院", "研究方向相同：计量", "不同校区：西区", "导师已带 1 人")
        ),
    ]
    assert result.total_cost == 100
    assert result.unmatched == []


def test_assignment_pairs_more_before_it_pairs_cheaper():
    # 11 is on both sides. 1 can go to 10 (20 + 10 = 30: blank field and campus) or to 11
    # (40 + 20 + 20 + 10 = 90); 11 only to 10 (90). The cheapest matching is 1–10 alone (30);
    # the most pairs, 1–11 and 11–10 (180), win.
    mentees = [teacher(1, 1, discipline="经济学"), teacher(11, 2, discipline="化学")]
    mentors = [teacher(10, 1, discipline="经济学"), teacher(11, 2, discipline="化学")]
    result = assignment(mentees, mentors, Weights(), same_discipline=False)
    assert result.pairs == [
        MatchedPair(1, 11, 90, ("学科不同", "跨学院：化学学院")),
        MatchedPair(11, 10, 90, ("学科不同", "跨学院：经济学院")),
    ]
    assert result.total_cost == 180
    assert result.unmatched == []


def test_assignment_places_taken_and_full():
    mentees = [
        teacher(1, 1, discipline="经济学"),
        teacher(2, 2, discipline="经济学"),
        teacher(3, 1, discipline="经济学"),
    ]
    mentors = [
        teacher(10, 1, discipline="经济学", load=1, places=2),
        teacher(11, 1, discipline="经济学", places=0),
    ]
    result = assignment(mentees, mentors, Weights(), same_discipline=True)
    # 10 takes the two of the same college (each 20 + 10 for the blank field and campus, and the
    # load before each place: 1 then 2, in the new teachers' order); 2 would cost 20 more.
    assert result.pairs == [
        MatchedPair(1, 10, 30 + 10, ("同一学科：经济学", "同一学院", "导师已带 1 人")),
        MatchedPair(3, 10, 30 + 20, ("同一学科：经济学", "同一学院", "导师已带 2 人")),
    ]
    assert result.total_cost == 90
    assert result.unmatched == [Unmatched(2, "mentee", (TAKEN,)), Unmatched(11, "mentor", ("名额已满",))]


def test_assignment_load_that_weighs_nothing_still_counts_who_came_before():
    # Both places of 10 cost the same when the load weighs nothing; the one mentee it takes is
    # still its first (no "导师已带 1 人"), whichever place the solver chose.
    mentees = [teacher(1, discipline="化学"), teacher(2, discipline="经济学")]
    mentors = [teacher(10, discipline="经济学", places=2)]
    result = assignment(mentees, mentors, Weights(load=0), same_discipline=True)
    assert result.pairs == [MatchedPair(2, 10, 30, ("同一学科：经济学", "同一学院"))]
    assert result.unmatched == [Unmatched(1, "mentee", ("没有同一学科（化学）且尚有名额的指导教师",))]


def test_assignment_prefers_the_lighter_mentor():
    mentees = [teacher(1, discipline="法学")]
    mentors = [teacher(10, discipline="法学", load=1), teacher(11, discipline="法学", load=0)]
    result = assignment(mentees, mentors, Weights(), same_discipline=True)
    assert result.pairs == [MatchedPair(1, 11, 30, ("同一学科：法学", "同一学院"))]
    assert result.unmatched == [Unmatched(10, "mentor", ("没有更合适的青年教师",))]


# --- stable ---------------------------------------------------------------------------------------


def acceptable(mentee: Teacher, mentor: Teacher, same_discipline: bool) -> bool:
    return (
        mentor.person_id in mentee.ranking
        and mentee.person_id in mentor.ranking
        and allowed(mentee, mentor, same_discipline)
    )


def first_rank(ranking: Sequence[int], person_id: int | None) -> int:
    """Where someone stands in a ranking (their first mention); not there, or nobody: last."""
    return list(ranking).index(person_id) if person_id is not None and person_id in ranking else len(ranking)


def plain_blocking(
    mentees: Sequence[Teacher], mentors: Sequence[Teacher], pairs: dict[int, int], same_discipline: bool
) -> set[tuple[int, int]]:
    """Mentee m and mentor r block when both find the other acceptable, m would rather have r
    than what m has, and r has a place left or would rather have m than one r holds."""
    holding: dict[int, list[int]] = {r.person_id: [] for r in mentors}
    for mentee_id, mentor_id in pairs.items():
        holding[mentor_id].append(mentee_id)
    blocking = set()
    for mentee in mentees:
        for mentor in mentors:
            if not acceptable(mentee, mentor, same_discipline):
                continue
            current = pairs.get(mentee.person_id)
            if first_rank(mentee.ranking, mentor.person_id) >= first_rank(mentee.ranking, current):
                continue
            held = holding[mentor.person_id]
            if len(held) < mentor.places or any(
                first_rank(mentor.ranking, mentee.person_id) < first_rank(mentor.ranking, h) for h in held
            ):
                blocking.add((mentee.person_id, mentor.person_id))
    return blocking


def every_matching(
    mentees: Sequence[Teacher], mentors: Sequence[Teacher], same_discipline: bool
) -> list[dict[int, int]]:
    """Every matching of acceptable pairs within the mentors' places: mentee → mentor."""
    found: list[dict[int, int]] = []
    taken = {r.person_id: 0 for r in mentors}
    current: dict[int, int] = {}

    def walk(i: int) -> None:
        if i == len(mentees):
            found.append(dict(current))
            return
        walk(i + 1)
        mentee = mentees[i]
        for mentor in mentors:
            if acceptable(mentee, mentor, same_discipline) and taken[mentor.person_id] < mentor.places:
                taken[mentor.person_id] += 1
                current[mentee.person_id] = mentor.person_id
                walk(i + 1)
                del current[mentee.person_id]
                taken[mentor.person_id] -= 1

    walk(0)
    return found


def random_rankings(
    rng: random.Random, mentees: list[Teacher], mentors: list[Teacher], *, skew: bool, full: bool = False
) -> tuple[list[Teacher], list[Teacher]]:
    """Each ranks a random part of the other side (none at times), now and then someone who is
    not in the cohort (99) or someone twice; or, `full`, the whole other side in a random order."""

    def ranking(others: list[Teacher], me: Teacher) -> tuple[int, ...]:
        by_id = {o.person_id: o for o in others}
        ids = list(by_id)
        if skew:  # mostly the same discipline first
            ids.sort(key=lambda i: (by_id[i].discipline != me.discipline, rng.random()))
        else:
            rng.shuffle(ids)
        if full:
            return tuple(ids)
        chosen = ids[: rng.randint(0, len(ids))]
        if chosen and rng.random() < 0.15:
            chosen.insert(rng.randint(0, len(chosen)), 99)
        if chosen and rng.random() < 0.15:
            chosen.append(rng.choice(chosen))
        return tuple(chosen)

    ranked_mentees = [replace(m, ranking=ranking(mentors, m)) for m in mentees]
    ranked_mentors = [replace(r, ranking=ranking(mentees, r)) for r in mentors]
    return ranked_mentees, ranked_mentors


def check_stable_result(
    mentees: Sequence[Teacher], mentors: Sequence[Teacher], result: Matching, same_discipline: bool
) -> dict[int, int]:
    mentee_by_id = {m.person_id: m for m in mentees}
    mentor_by_id = {r.person_id: r for r in mentors}
    pairs = {p.mentee_id: p.mentor_id for p in result.pairs}
    assert len(pairs) == len(result.pairs)
    assert result.pairs == sorted(result.pairs, key=lambda p: (p.mentee_id, p.mentor_id))
    for mentor in mentors:
        held = [p for p in result.pairs if p.mentor_id == mentor.person_id]
        assert len(held) <= max(mentor.places, 0)
        # The mentor's mentees in the mentor's order: the k-th holds the place after load + k.
        held.sort(key=lambda p: first_rank(mentor.ranking, p.mentee_id))
        for k, pair in enumerate(held):
            mentee = mentee_by_id[pair.mentee_id]
            assert acceptable(mentee, mentor, same_discipline)
            assert pair_allowed(mentee, mentor, same_discipline=same_discipline) is None
            choice = first_rank(list(dict.fromkeys(mentee.ranking)), mentor.person_id) + 1
            rank = first_rank(list(dict.fromkeys(mentor.ranking)), mentee.person_id) + 1
            assert pair == MatchedPair(
                mentee.person_id,
                mentor.person_id,
                choice - 1,
                (
                    f"青年教师第 {choice} 志愿",
                    f"导师第 {rank} 志愿",
                    *pair_reasons(mentee, mentor, load=mentor.load + k),
                ),
            )
    expected = []
    for mentee in mentees:
        if mentee.person_id in pairs:
            continue
        if not mentee.ranking:
            why = "未填报志愿"
        elif not any(acceptable(mentee, r, same_discipline) for r in mentors):
            why = NOT_CHOSEN
        else:
            why = FULL_STABLE
        expected.append(Unmatched(mentee.person_id, "mentee", (why,)))
    used = set(pairs.values())
    for mentor in mentors:
        if mentor.person_id not in used:
            chosen = [mentee_by_id[m] for m in mentor.ranking if m in mentee_by_id]
            if mentor.places <= 0:
                why = "名额已满"
            elif not mentor.ranking:
                why = "未填报志愿"
            elif not any(acceptable(mentee, mentor, same_discipline) for mentee in chosen):
                why = "所选的青年教师都没有选择本人，或不符合结对条件"
            else:
                why = "所选的青年教师已与他人结对"
            expected.append(Unmatched(mentor.person_id, "mentor", (why,)))
    assert result.unmatched == expected
    assert set(pairs) <= set(mentee_by_id) and set(pairs.values()) <= set(mentor_by_id)
    return pairs


def test_stable_is_stable_and_best_for_every_new_teacher():
    rng = random.Random(1962)  # Gale and Shapley
    some_pairs = some_unstable = some_left = some_choice_lists = 0
    for case in range(300):
        # Every other case: 3 or 4 on each side, one place each, everyone ranking the whole other
        # side in a random order. Conflicting full lists are what make several stable matchings.
        full = case % 2 == 0
        mentees, mentors = random_cohort(rng, 4, 4, least=3 if full else 1)
        if full:
            mentors = [replace(r, places=1) for r in mentors]
        mentees, mentors = random_rankings(rng, mentees, mentors, skew=not full and case % 3 == 1, full=full)
        same_discipline = case % 4 == 1
        result = stable(mentees, mentors, same_discipline=same_discipline)
        pairs = check_stable_result(mentees, mentors, result, same_discipline)
        assert blocking_pairs(mentees, mentors, result, same_discipline=same_discipline) == []

        stable_ones = []
        for matching in every_matching(mentees, mentors, same_discipline):
            as_matching = Matching(pairs=[MatchedPair(m, r, 0, ()) for m, r in matching.items()])
            found = blocking_pairs(mentees, mentors, as_matching, same_discipline=same_discipline)
            assert len(found) == len(set(found))
            assert set(found) == plain_blocking(mentees, mentors, matching, same_discipline), (case, matching)
            if not found:
                stable_ones.append(matching)
            some_unstable += bool(found)
        assert pairs in stable_ones
        # Best for every new teacher: nobody does better in any stable matching.
        for matching in stable_ones:
            for mentee in mentees:
                got = first_rank(mentee.ranking, pairs.get(mentee.person_id))
                assert got <= first_rank(mentee.ranking, matching.get(mentee.person_id)), (case, mentee, matching)

        some_pairs += bool(pairs)
        some_left += any(u.side == "mentee" and u.reasons != ("未填报志愿",) for u in result.unmatched)
        some_choice_lists += len(stable_ones) > 1
    # The cases reached what they are meant to reach (several stable matchings: 26 of 300).
    assert some_pairs > 150 and some_unstable > 1000 and some_left > 100 and some_choice_lists > 20


def test_stable_on_larger_random_cohorts():
    rng = random.Random(2012)  # Roth and Shapley's prize
    for case in range(40):
        mentees, mentors = random_cohort(rng, 25, 20)
        mentees, mentors = random_rankings(rng, mentees, mentors, skew=True)
        same_discipline = case % 2 == 0
        result = stable(mentees, mentors, same_discipline=same_discipline)
        pairs = check_stable_result(mentees, mentors, result, same_discipline)
        assert blocking_pairs(mentees, mentors, result, same_discipline=same_discipline) == []
        assert plain_blocking(mentees, mentors, pairs, same_discipline) == set()


def test_stable_by_hand():
    def economist(person_id: int, ranking: tuple[int, ...], **fields) -> Teacher:
        return teacher(person_id, discipline="经济学", ranking=ranking, **fields)

    mentees = [
        economist(1, (10, 11)),
        economist(2, (10,)),
        economist(3, (11, 12)),
        economist(4, ()),
        economist(5, (12,)),  # 12 did not choose 5
        economist(6, (10,)),  # 10 chose 2 and 1 before 6
    ]
    mentors = [
        economist(10, (2, 1, 6)),
        economist(11, (1, 3), load=1),
        economist(12, (3,)),
        economist(13, (2,)),  # 2 ranked only 10
        economist(14, ()),
    ]
    result = stable(mentees, mentors, same_discipline=True)
    # 1 asks 10, 2 asks 10 (10 keeps 2), 1 asks 11, 3 asks 11 (11 keeps 1), 3 asks 12.
    assert result.pairs == [
        MatchedPair(1, 11, 1, ("青年教师第 2 志愿", "导师第 1 志愿", "同一学科：经济学", "同一学院", "导师已带 1 人")),
        MatchedPair(2, 10, 0, ("青年教师第 1 志愿", "导师第 1 志愿", "同一学科：经济学", "同一学院")),
        MatchedPair(3, 12, 1, ("青年教师第 2 志愿", "导师第 1 志愿", "同一学科：经济学", "同一学院")),
    ]
    assert result.unmatched == [
        Unmatched(4, "mentee", ("未填报志愿",)),
        Unmatched(5, "mentee", (NOT_CHOSEN,)),
        Unmatched(6, "mentee", (FULL_STABLE,)),
        Unmatched(13, "mentor", ("所选的青年教师都没有选择本人，或不符合结对条件",)),
        Unmatched(14, "mentor", ("未填报志愿",)),
    ]
    assert blocking_pairs(mentees, mentors, result, same_discipline=True) == []
    # 1 with 10 and 3 with 11 instead: 2 would rather have 10, and 10 would rather have 2 than 1;
    # 12 has a place and 3 ranked 12, but 3 has their first choice.
    swapped = Matching(pairs=[MatchedPair(1, 10, 0, ()), MatchedPair(3, 11, 0, ())])
    assert blocking_pairs(mentees, mentors, swapped, same_discipline=True) == [(2, 10)]
    # Nobody paired: each acceptable pair with a place blocks, in the new teachers' order.
    assert blocking_pairs(mentees, mentors, Matching(), same_discipline=True) == [
        (1, 10),
        (1, 11),
        (2, 10),
        (3, 11),
        (3, 12),
        (6, 10),
    ]


def test_stable_picks_the_new_teachers_best_of_two_stable_matchings():
    # 1 wants 10 then 11, 2 wants 11 then 10; 10 wants 2 then 1, 11 wants 1 then 2. Both
    # {1–10, 2–11} and {1–11, 2–10} are stable; the first is the new teachers'.
    mentees = [teacher(1, ranking=(10, 11)), teacher(2, ranking=(11, 10))]
    mentors = [teacher(10, ranking=(2, 1)), teacher(11, ranking=(1, 2))]
    result = stable(mentees, mentors, same_discipline=False)
    assert result.pairs == [
        MatchedPair(1, 10, 0, ("青年教师第 1 志愿", "导师第 2 志愿", "学科不同", "同一学院")),
        MatchedPair(2, 11, 0, ("青年教师第 1 志愿", "导师第 2 志愿", "学科不同", "同一学院")),
    ]
    assert result.unmatched == []
    mentors_way = Matching(pairs=[MatchedPair(1, 11, 1, ()), MatchedPair(2, 10, 1, ())])
    assert blocking_pairs(mentees, mentors, mentors_way, same_discipline=False) == []
    assert every_matching(mentees, mentors, False) == [
        {},
        {2: 10},
        {2: 11},
        {1: 10},
        {1: 10, 2: 11},
        {1: 11},
        {1: 11, 2: 10},
    ]


def test_stable_choice_counts_what_was_filled_in():
    # 1's first choice 10 did not choose 1: the pair with 11 is still 1's second choice, and
    # 11's second (99 is nobody in this cohort, but 11 put them first).
    mentees = [teacher(1, ranking=(10, 11))]
    mentors = [teacher(10, ranking=()), teacher(11, ranking=(99, 1))]
    result = stable(mentees, mentors, same_discipline=False)
    assert result.pairs == [MatchedPair(1, 11, 1, ("青年教师第 2 志愿", "导师第 2 志愿", "学科不同", "同一学院"))]
    assert result.unmatched == [Unmatched(10, "mentor", ("未填报志愿",))]


def test_stable_mentor_places():
    mentees = [teacher(i, discipline="化学", ranking=(20,)) for i in (1, 2, 3)]
    mentors = [teacher(20, 2, discipline="化学", places=2, ranking=(3, 1, 2))]
    result = stable(mentees, mentors, same_discipline=True)
    assert result.pairs == [
        MatchedPair(
            1, 20, 0, ("青年教师第 1 志愿", "导师第 2 志愿", "同一学科：化学", "跨学院：化学学院", "导师已带 1 人")
        ),
        MatchedPair(3, 20, 0, ("青年教师第 1 志愿", "导师第 1 志愿", "同一学科：化学", "跨学院：化学学院")),
    ]
    assert result.unmatched == [Unmatched(2, "mentee", (FULL_STABLE,))]


def test_stable_hard_rules_and_repeated_names():
    # Both want each other, but the disciplines differ.
    mentees = [teacher(1, discipline="化学", ranking=(10,))]
    mentors = [teacher(10, discipline="经济学", ranking=(1,))]
    result = stable(mentees, mentors, same_discipline=True)
    assert result.pairs == []
    assert [u for u in result.unmatched if u.side == "mentee"] == [Unmatched(1, "mentee", (NOT_CHOSEN,))]
    assert [u.person_id for u in result.unmatched if u.side == "mentor"] == [10]
    assert [(p.mentee_id, p.mentor_id) for p in stable(mentees, mentors, same_discipline=False).pairs] == [(1, 10)]

    # A mentor who names 1 twice ranks 1 where 1 first appears: before 2.
    mentees = [teacher(1, ranking=(10,)), teacher(2, ranking=(10,))]
    mentors = [teacher(10, ranking=(1, 2, 1))]
    result = stable(mentees, mentors, same_discipline=False)
    assert result.pairs == [MatchedPair(1, 10, 0, ("青年教师第 1 志愿", "导师第 1 志愿", "学科不同", "同一学院"))]
    assert result.unmatched == [Unmatched(2, "mentee", (FULL_STABLE,))]
    assert blocking_pairs(mentees, mentors, result, same_discipline=False) == []


def test_blocking_pairs_with_a_mentor_without_places():
    # 10 has no place: choosing 1 back makes no blocking pair, and asks for no worst mentee held.
    mentees = [teacher(1, ranking=(10, 11))]
    mentors = [teacher(10, places=0, ranking=(1,)), teacher(11, ranking=(1,))]
    result = stable(mentees, mentors, same_discipline=False)
    assert [(p.mentee_id, p.mentor_id, p.cost) for p in result.pairs] == [(1, 11, 1)]
    assert blocking_pairs(mentees, mentors, result, same_discipline=False) == []
    assert blocking_pairs(mentees, mentors, Matching(), same_discipline=False) == [(1, 11)]


# --- edges ----------------------------------------------------------------------------------------


def test_no_mentees():
    mentors = [teacher(10), teacher(11, places=0)]
    assert assignment([], mentors, Weights(), same_discipline=True) == Matching(
        unmatched=[Unmatched(10, "mentor", ("没有更合适的青年教师",)), Unmatched(11, "mentor", ("名额已满",))]
    )
    assert stable([], mentors, same_discipline=True) == Matching(
        unmatched=[Unmatched(10, "mentor", ("未填报志愿",)), Unmatched(11, "mentor", ("名额已满",))]
    )
    assert assignment([], [], Weights(), same_discipline=False) == Matching()
    assert stable([], [], same_discipline=False) == Matching()


def test_no_mentors():
    mentees = [teacher(1, discipline="经济学", ranking=(10,)), teacher(2)]
    for same_discipline in (True, False):
        assert assignment(mentees, [], Weights(), same_discipline=same_discipline) == Matching(
            unmatched=[Unmatched(1, "mentee", (NO_PLACES,)), Unmatched(2, "mentee", (NO_PLACES,))]
        )
        assert stable(mentees, [], same_discipline=same_discipline) == Matching(
            unmatched=[Unmatched(1, "mentee", (NOT_CHOSEN,)), Unmatched(2, "mentee", ("未填报志愿",))]
        )


def test_every_mentor_full():
    mentees = [teacher(1, discipline="经济学", ranking=(10, 11)), teacher(2, discipline="经济学", ranking=(11,))]
    mentors = [
        teacher(10, discipline="经济学", places=0, ranking=(1,)),
        teacher(11, discipline="经济学", places=0, ranking=(1, 2)),
    ]
    assert assignment(mentees, mentors, Weights(), same_discipline=True) == Matching(
        unmatched=[
            Unmatched(1, "mentee", (NO_PLACES,)),
            Unmatched(2, "mentee", (NO_PLACES,)),
            Unmatched(10, "mentor", ("名额已满",)),
            Unmatched(11, "mentor", ("名额已满",)),
        ]
    )
    result = stable(mentees, mentors, same_discipline=True)
    assert result.pairs == []
    assert result.unmatched[:2] == [Unmatched(1, "mentee", (FULL_STABLE,)), Unmatched(2, "mentee", (FULL_STABLE,))]
    assert [(u.person_id, u.side) for u in result.unmatched[2:]] == [(10, "mentor"), (11, "mentor")]
    assert blocking_pairs(mentees, mentors, result, same_discipline=True) == []


def test_teacher_on_both_sides_is_never_their_own_mentor():
    one = teacher(1, discipline="经济学", ranking=(1, 2))
    two = teacher(2, 2, discipline="经济学", ranking=(2, 1))
    # Alone on both sides: nobody else to pair with.
    assert assignment([one], [one], Weights(), same_discipline=False) == Matching(
        unmatched=[Unmatched(1, "mentee", (NO_PLACES,)), Unmatched(1, "mentor", ("没有更合适的青年教师",))]
    )
    # Two on both sides: each mentors the other (each pair 20 + 20 + 10: the college, the blank
    # field and campus), never oneself (which would cost 20 less).
    result = assignment([one, two], [one, two], Weights(), same_discipline=True)
    assert result.pairs == [
        MatchedPair(1, 2, 50, ("同一学科：经济学", "跨学院：化学学院")),
        MatchedPair(2, 1, 50, ("同一学科：经济学", "跨学院：经济学院")),
    ]
    assert result.unmatched == []
    # 双向选择: each ranks themself first; the pair with oneself is not acceptable.
    result = stable([one, two], [one, two], same_discipline=True)
    assert [(p.mentee_id, p.mentor_id, p.reasons[:2]) for p in result.pairs] == [
        (1, 2, ("青年教师第 2 志愿", "导师第 2 志愿")),
        (2, 1, ("青年教师第 2 志愿", "导师第 2 志愿")),
    ]
    assert blocking_pairs([one, two], [one, two], result, same_discipline=True) == []
    alone = stable([one], [one], same_discipline=False)
    assert alone.pairs == []
    assert alone.unmatched[0] == Unmatched(1, "mentee", (NOT_CHOSEN,))
    assert [(u.person_id, u.side) for u in alone.unmatched[1:]] == [(1, "mentor")]
