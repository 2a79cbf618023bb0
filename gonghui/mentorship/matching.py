"""The two matchings of a cohort (DOMAIN §3.8), free of the database.

- `assignment`: an optimal assignment (scipy's `linear_sum_assignment`, the Hungarian method's
  modern form) of new teachers to mentors' places. A mentor who may take k more mentees is k
  columns, the i-th costing the load of the mentees before it. The cost of a pair weighs what
  differs (discipline, college, research field, campus) and the mentor's load; a pair that
  breaks a hard rule costs more than any set of allowed pairs together, so the solver first
  pairs as many teachers as the rules allow and then, among those matchings, the cheapest.
- `stable`: 双向选择. Both sides rank each other; a pair is possible only when each ranks the
  other and the hard rules allow it. Deferred acceptance with the new teachers proposing
  (Gale–Shapley, hospitals–residents form: a mentor holds up to their places) gives the
  stable matching that is best for every new teacher.

Both return each pair's reasons and each unmatched teacher's why.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from django.utils.translation import gettext as _
from scipy.optimize import linear_sum_assignment


@dataclass(frozen=True)
class Teacher:
    """A candidate as the matching sees them. `places` is how many more mentees a mentor may
    take in this cohort (the rules' maximum less the pairs they hold); `load` how many they
    hold. `ranking` lists the other side's person ids, most wanted first (双向选择)."""

    person_id: int
    name: str
    college_id: int
    college: str
    discipline: str = ""
    research_field: str = ""
    campus: str = ""
    load: int = 0
    places: int = 1
    ranking: tuple[int, ...] = ()


@dataclass(frozen=True)
class Weights:
    discipline: int = 40
    college: int = 20
    research_field: int = 20
    campus: int = 10
    load: int = 10


@dataclass(frozen=True)
class MatchedPair:
    mentee_id: int
    mentor_id: int
    cost: int
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Unmatched:
    person_id: int
    side: str  # "mentee" | "mentor"
    reasons: tuple[str, ...]


@dataclass
class Matching:
    pairs: list[MatchedPair] = field(default_factory=list)
    unmatched: list[Unmatched] = field(default_factory=list)

    @property
    def total_cost(self) -> int:
        return sum(p.cost for p in self.pairs)


def _same(a: str, b: str) -> bool:
    return bool(a) and a == b


def pair_allowed(mentee: Teacher, mentor: Teacher, *, same_discipline: bool) -> str | None:
    """Why this pair breaks a hard rule, or None."""
    if mentee.person_id == mentor.person_id:
        return _("不能自己指导自己")
    if same_discipline and not _same(mentee.discipline, mentor.discipline):
        return _("学科不同（%(mentee)s / %(mentor)s）") % {
            "mentee": mentee.discipline or "—",
            "mentor": mentor.discipline or "—",
        }
    return None


def pair_cost(mentee: Teacher, mentor: Teacher, weights: Weights, *, load: int | None = None) -> int:
    held = mentor.load if load is None else load
    return (
        weights.discipline * (not _same(mentee.discipline, mentor.discipline))
        + weights.college * (mentee.college_id != mentor.college_id)
        + weights.research_field * (not _same(mentee.research_field, mentor.research_field))
        + weights.campus * (not _same(mentee.campus, mentor.campus))
        + weights.load * held
    )


def pair_reasons(mentee: Teacher, mentor: Teacher, *, load: int | None = None) -> tuple[str, ...]:
    """Why this pair: what the two share and what differs, in the office's words."""
    held = mentor.load if load is None else load
    reasons = [
        _("同一学科：%(value)s") % {"value": mentor.discipline}
        if _same(mentee.discipline, mentor.discipline)
        else _("学科不同"),
        _("同一学院") if mentee.college_id == mentor.college_id else _("跨学院：%(value)s") % {"value": mentor.college},
    ]
    if _same(mentee.research_field, mentor.research_field):
        reasons.append(_("研究方向相同：%(value)s") % {"value": mentor.research_field})
    if mentee.campus and mentor.campus:
        reasons.append(
            _("同一校区") if mentee.campus == mentor.campus else _("不同校区：%(value)s") % {"value": mentor.campus}
        )
    if held:
        reasons.append(_("导师已带 %(count)s 人") % {"count": held})
    return tuple(reasons)


def _codes(values: Iterable[str]) -> dict[str, int]:
    table: dict[str, int] = {}
    for value in values:
        if value and value not in table:
            table[value] = len(table) + 1
    return table


def _encode(teachers: Sequence[Teacher], attribute: str, table: dict[str, int]) -> np.ndarray:
    # 0 for a blank value, which matches nothing (blank is never "the same").
    return np.array([table.get(getattr(t, attribute), 0) for t in teachers], dtype=np.int64)


def _differs(rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    same = (rows[:, None] == cols[None, :]) & (rows[:, None] != 0)
    return ~same


def cost_matrix(
    mentees: Sequence[Teacher], mentors: Sequence[Teacher], weights: Weights, *, same_discipline: bool
) -> tuple[np.ndarray, np.ndarray, list[tuple[int, int]]]:
    """The cost of each mentee (row) at each mentor's place (column), whether it is allowed,
    and for each column the mentor's index and the load before that place."""
    slots = [(j, mentor.load + k) for j, mentor in enumerate(mentors) for k in range(max(mentor.places, 0))]
    slot_mentor = np.array([j for j, _load in slots], dtype=np.int64)
    slot_load = np.array([load for _j, load in slots], dtype=np.int64)
    cost = np.zeros((len(mentees), len(slots)), dtype=np.int64)
    allowed = np.ones((len(mentees), len(slots)), dtype=bool)
    if not slots or not mentees:
        return cost, allowed, slots
    for attribute, weight in (
        ("discipline", weights.discipline),
        ("research_field", weights.research_field),
        ("campus", weights.campus),
    ):
        table = _codes([getattr(t, attribute) for t in (*mentees, *mentors)])
        differs = _differs(_encode(mentees, attribute, table), _encode(mentors, attribute, table)[slot_mentor])
        cost += weight * differs
        if attribute == "discipline" and same_discipline:
            allowed &= ~differs
    colleges = np.array([t.college_id for t in mentees], dtype=np.int64)
    mentor_colleges = np.array([t.college_id for t in mentors], dtype=np.int64)[slot_mentor]
    cost += weights.college * (colleges[:, None] != mentor_colleges[None, :])
    cost += weights.load * slot_load[None, :]
    mentee_ids = np.array([t.person_id for t in mentees], dtype=np.int64)
    mentor_ids = np.array([t.person_id for t in mentors], dtype=np.int64)[slot_mentor]
    allowed &= mentee_ids[:, None] != mentor_ids[None, :]
    return cost, allowed, slots


def assignment(
    mentees: Sequence[Teacher], mentors: Sequence[Teacher], weights: Weights, *, same_discipline: bool
) -> Matching:
    """The optimal assignment: as many pairs as the hard rules allow, at the least total cost."""
    cost, allowed, slots = cost_matrix(mentees, mentors, weights, same_discipline=same_discipline)
    result = Matching()
    matched_rows: set[int] = set()
    if slots and len(mentees):
        # A forbidden cell costs more than every allowed pair together could.
        forbidden = int(cost.max(initial=0) + 1) * (min(cost.shape) + 1)
        solved = np.where(allowed, cost, forbidden)
        rows, cols = linear_sum_assignment(solved)
        # A mentor's mentees hold their places in the new teachers' order, the k-th after load + k:
        # the solver may give one a later place (a forbidden cell in an earlier one, or a tie when
        # the load weighs nothing), which would misstate "导师已带 N 人".
        taken: dict[int, int] = {}
        for row, col in zip(rows.tolist(), cols.tolist(), strict=True):
            if not allowed[row, col]:
                continue
            mentor_index, _slot_load = slots[col]
            mentee, mentor = mentees[row], mentors[mentor_index]
            load = mentor.load + taken.get(mentor_index, 0)
            taken[mentor_index] = taken.get(mentor_index, 0) + 1
            matched_rows.add(row)
            result.pairs.append(
                MatchedPair(
                    mentee.person_id,
                    mentor.person_id,
                    pair_cost(mentee, mentor, weights, load=load),
                    pair_reasons(mentee, mentor, load=load),
                )
            )
    used = {p.mentor_id for p in result.pairs}
    for row, mentee in enumerate(mentees):
        if row in matched_rows:
            continue
        if not slots or not allowed[row].any():
            result.unmatched.append(
                Unmatched(mentee.person_id, "mentee", _no_mentor_possible(mentee, mentors, same_discipline))
            )
        else:
            result.unmatched.append(
                Unmatched(mentee.person_id, "mentee", (_("可以结对的指导教师都已分给其他青年教师"),))
            )
    for mentor in mentors:
        if mentor.person_id not in used:
            reason = _("名额已满") if mentor.places <= 0 else _("没有更合适的青年教师")
            result.unmatched.append(Unmatched(mentor.person_id, "mentor", (reason,)))
    result.pairs.sort(key=lambda p: (p.mentee_id, p.mentor_id))
    return result


def _no_mentor_possible(mentee: Teacher, mentors: Sequence[Teacher], same_discipline: bool) -> tuple[str, ...]:
    with_places = [m for m in mentors if m.places > 0 and m.person_id != mentee.person_id]
    if not with_places:
        return (_("没有尚有名额的指导教师"),)
    if same_discipline:
        return (_("没有同一学科（%(value)s）且尚有名额的指导教师") % {"value": mentee.discipline or "—"},)
    return (_("没有可以结对的指导教师"),)


def stable(mentees: Sequence[Teacher], mentors: Sequence[Teacher], *, same_discipline: bool) -> Matching:
    """双向选择: deferred acceptance with the new teachers proposing. A pair is acceptable when
    each ranks the other and the hard rules allow it."""
    mentor_by_id = {m.person_id: m for m in mentors}
    mentee_by_id = {m.person_id: m for m in mentees}
    # Each mentor's rank of each mentee (lower is better), acceptable ones only.
    mentor_rank = {
        # a name given twice counts where it first appears (as for the new teachers, and in
        # `blocking_pairs`)
        m.person_id: {mentee_id: r for r, mentee_id in enumerate(dict.fromkeys(m.ranking)) if mentee_id in mentee_by_id}
        for m in mentors
    }
    lists: dict[int, list[int]] = {}
    for mentee in mentees:
        lists[mentee.person_id] = [
            mentor_id
            for mentor_id in dict.fromkeys(mentee.ranking)
            if mentor_id in mentor_by_id
            and mentee.person_id in mentor_rank[mentor_id]
            and pair_allowed(mentee, mentor_by_id[mentor_id], same_discipline=same_discipline) is None
        ]
    next_choice = dict.fromkeys(lists, 0)
    held: dict[int, list[int]] = {m.person_id: [] for m in mentors}
    free = [m.person_id for m in mentees]
    free.reverse()
    while free:
        mentee_id = free.pop()
        choices = lists[mentee_id]
        if next_choice[mentee_id] >= len(choices):
            continue
        mentor_id = choices[next_choice[mentee_id]]
        next_choice[mentee_id] += 1
        places = max(mentor_by_id[mentor_id].places, 0)
        holding = held[mentor_id]
        holding.append(mentee_id)
        holding.sort(key=mentor_rank[mentor_id].__getitem__)
        if len(holding) > places:
            free.append(holding.pop())
    result = Matching()
    matched = {}
    for mentor_id, holding in held.items():
        mentor = mentor_by_id[mentor_id]
        for k, mentee_id in enumerate(sorted(holding, key=mentor_rank[mentor_id].__getitem__)):
            mentee = mentee_by_id[mentee_id]
            matched[mentee_id] = mentor_id
            # the place in what the new teacher filled in, not among the mentors who chose them back
            choice = list(dict.fromkeys(mentee.ranking)).index(mentor_id) + 1
            reasons = (
                _("青年教师第 %(choice)s 志愿") % {"choice": choice},
                _("导师第 %(rank)s 志愿") % {"rank": mentor_rank[mentor_id][mentee_id] + 1},
                *pair_reasons(mentee, mentor, load=mentor.load + k),
            )
            result.pairs.append(MatchedPair(mentee_id, mentor_id, choice - 1, reasons))
    for mentee in mentees:
        if mentee.person_id in matched:
            continue
        if not mentee.ranking:
            why: tuple[str, ...] = (_("未填报志愿"),)
        elif not lists[mentee.person_id]:
            why = (_("所填报的指导教师都没有选择本人，或不符合结对条件"),)
        else:
            why = (_("所填报并选择本人的指导教师名额已满"),)
        result.unmatched.append(Unmatched(mentee.person_id, "mentee", why))
    for mentor in mentors:
        if not held[mentor.person_id]:
            chose_back = any(mentor.person_id in lists.get(mentee_id, ()) for mentee_id in mentor.ranking)
            if mentor.places <= 0:
                why = (_("名额已满"),)
            elif not mentor.ranking:
                why = (_("未填报志愿"),)
            elif not chose_back:
                why = (_("所选的青年教师都没有选择本人，或不符合结对条件"),)
            else:
                why = (_("所选的青年教师已与他人结对"),)
            result.unmatched.append(Unmatched(mentor.person_id, "mentor", why))
    result.pairs.sort(key=lambda p: (p.mentee_id, p.mentor_id))
    return result


def blocking_pairs(
    mentees: Sequence[Teacher], mentors: Sequence[Teacher], matching: Matching, *, same_discipline: bool
) -> list[tuple[int, int]]:
    """The pairs that would both rather be together than with whom the matching gave them:
    none in a stable matching."""
    mentor_by_id = {m.person_id: m for m in mentors}
    mentee_of = {p.mentee_id: p.mentor_id for p in matching.pairs}
    mentees_of: dict[int, list[int]] = {m.person_id: [] for m in mentors}
    for p in matching.pairs:
        mentees_of[p.mentor_id].append(p.mentee_id)
    blocking = []
    for mentee in mentees:
        ranking = list(dict.fromkeys(mentee.ranking))
        current = mentee_of.get(mentee.person_id)
        limit = ranking.index(current) if current in ranking else len(ranking)
        for mentor_id in ranking[:limit]:
            mentor = mentor_by_id.get(mentor_id)
            if mentor is None or mentee.person_id not in mentor.ranking:
                continue
            if pair_allowed(mentee, mentor, same_discipline=same_discipline) is not None:
                continue
            holding = mentees_of[mentor_id]
            if len(holding) < mentor.places:
                blocking.append((mentee.person_id, mentor_id))
                continue
            if not holding:  # no place at all: nobody to give up
                continue
            rank = mentor.ranking.index
            worst = max(holding, key=lambda m: rank(m) if m in mentor.ranking else len(mentor.ranking))
            if rank(mentee.person_id) < (rank(worst) if worst in mentor.ranking else len(mentor.ranking)):
                blocking.append((mentee.person_id, mentor_id))
    return blocking
