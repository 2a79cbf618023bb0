"""How judges' scores become a final score, a rank and prizes (pure: no database).

- Per part: drop the `trim_highest` highest and the `trim_lowest` lowest scores and average the
  rest, but only when there are at least `trim_min_scores` scores (with fewer judges every
  score counts).
- Weighted: each part's mean ÷ its full marks × its weight; the weights add up to 100.
- Everything is exact (`Fraction`) until the final score, which is rounded once, to `places`,
  half up or down as the rules say.
- Rank in the group by the rounded final score; equal finals are ordered by the parts named in
  `tie_break`, in turn (their exact weighted scores); still equal, they share the rank.
- Prizes in rank order, by count or by share (of the ranked contestants, rounded half up);
  contestants sharing a rank across a prize's boundary all get the better prize.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction


@dataclass(frozen=True)
class Method:
    """The aggregation rule of an edition (from its `CompetitionRules`)."""

    trim_highest: int = 1
    trim_lowest: int = 1
    trim_min_scores: int = 5
    places: int = 2
    rounding: str = "half_up"
    tie_break: tuple[str, ...] = ()

    @classmethod
    def of(cls, rules) -> Method:
        return cls(
            trim_highest=rules.trim_highest,
            trim_lowest=rules.trim_lowest,
            trim_min_scores=rules.trim_min_scores,
            places=rules.places,
            rounding=rules.rounding,
            tie_break=tuple(rules.tie_break or ()),
        )

    def round(self, value: Fraction) -> Decimal:
        """The one rounding: the exact value to `places`, half up (away from zero for the
        non-negative scores here) or down."""
        scaled = value * 10**self.places
        if self.rounding == "down":
            whole = scaled.numerator // scaled.denominator
        else:
            whole = (2 * scaled.numerator + scaled.denominator) // (2 * scaled.denominator)
        return Decimal(whole).scaleb(-self.places)


@dataclass(frozen=True)
class PartWeight:
    code: str
    label: str
    weight: int
    full_marks: int


@dataclass
class PartResult:
    code: str
    raw: list[Decimal]
    kept: list[Decimal]
    dropped: list[Decimal]
    mean: Fraction | None  # exact
    weighted: Fraction | None  # mean ÷ full marks × weight, exact

    def mean_shown(self, places: int = 2) -> Decimal | None:
        """The mean for display only (the final score is computed from the exact value)."""
        return None if self.mean is None else Method(places=places).round(self.mean)

    def weighted_shown(self, places: int = 2) -> Decimal | None:
        return None if self.weighted is None else Method(places=places).round(self.weighted)


@dataclass
class EntryResult:
    key: object
    parts: dict[str, PartResult]
    exact: Fraction | None
    final: Decimal | None
    rank: int | None = None
    prize: str | None = None
    tie_note: str = ""


def trimmed(scores: Sequence[Decimal], method: Method) -> tuple[list[Decimal], list[Decimal]]:
    """The scores kept and the scores dropped (highest and lowest) of one part."""
    ordered = sorted(Decimal(s) for s in scores)
    if len(ordered) < max(method.trim_min_scores, method.trim_highest + method.trim_lowest + 1):
        return ordered, []
    low, high = method.trim_lowest, len(ordered) - method.trim_highest
    return ordered[low:high], ordered[:low] + ordered[high:]


def part_result(code: str, scores: Sequence[Decimal], weight: PartWeight, method: Method) -> PartResult:
    kept, dropped = trimmed(scores, method)
    if not kept:
        return PartResult(code, list(scores), [], [], None, None)
    mean = sum((Fraction(s) for s in kept), Fraction(0)) / len(kept)
    weighted = mean / weight.full_marks * weight.weight
    return PartResult(code, sorted(Decimal(s) for s in scores), kept, dropped, mean, weighted)


def entry_result(
    key, scores_by_part: Mapping[str, Sequence[Decimal]], parts: Sequence[PartWeight], method: Method
) -> EntryResult:
    results = {p.code: part_result(p.code, scores_by_part.get(p.code, ()), p, method) for p in parts}
    if any(r.weighted is None for r in results.values()) or not results:
        return EntryResult(key, results, None, None)
    exact = sum((r.weighted for r in results.values() if r.weighted is not None), Fraction(0))
    return EntryResult(key, results, exact, method.round(exact))


def _order_key(result: EntryResult, method: Method) -> tuple:
    tie = tuple(-(result.parts[code].weighted or Fraction(0)) for code in method.tie_break if code in result.parts)
    return (-(result.final or Decimal(0)), *tie)


def rank(results: Sequence[EntryResult], method: Method) -> list[EntryResult]:
    """Rank one group's results (those with a final score); equal keys share a rank."""
    scored = sorted((r for r in results if r.final is not None), key=lambda r: _order_key(r, method))
    previous_key, previous_rank = None, 0
    for position, result in enumerate(scored, 1):
        key = _order_key(result, method)
        if key == previous_key:
            result.rank = previous_rank
        else:
            result.rank, previous_key, previous_rank = position, key, position
        same_final = [r for r in scored if r is not result and r.final == result.final]
        if same_final and method.tie_break:
            result.tie_note = "tie_broken" if all(_order_key(r, method) != key for r in same_final) else "shared"
        elif same_final:
            result.tie_note = "shared"
    return scored


@dataclass(frozen=True)
class Prize:
    code: str
    count: int | None = None
    share: int | None = None  # percent

    def seats(self, ranked: int) -> int:
        if self.count is not None:
            return self.count
        return int((Fraction(self.share or 0, 100) * ranked + Fraction(1, 2)) // 1)


@dataclass
class Allocation:
    prizes: dict[object, str] = field(default_factory=dict)  # result key → prize code


def allocate(ranked: Sequence[EntryResult], prizes: Sequence[Prize]) -> Allocation:
    """Prizes down the ranking: each prize's seats, counted from where the last prize ended;
    a shared rank on the boundary takes the better prize for everyone sharing it."""
    allocation = Allocation()
    position = 0
    total = len(ranked)
    for prize in prizes:
        end = min(total, position + prize.seats(total))
        if end <= position:
            continue
        last_rank = ranked[end - 1].rank
        while end < total and ranked[end].rank == last_rank:
            end += 1
        for result in ranked[position:end]:
            allocation.prizes[result.key] = prize.code
            result.prize = prize.code
        position = end
    return allocation


def best_in_part(results: Sequence[EntryResult], part_code: str) -> list[EntryResult]:
    """Who has the best (exact) mean in one part: the single award's winners (ties all win)."""
    scored = [r for r in results if r.parts.get(part_code) and r.parts[part_code].mean is not None]
    if not scored:
        return []
    best = max(r.parts[part_code].mean for r in scored)  # type: ignore[type-var]
    return [r for r in scored if r.parts[part_code].mean == best]
