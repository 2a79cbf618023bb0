"""The weighted result of one cadre (or the team) from counts per voter category (DOMAIN §3.6).

Each category's share of a grade is its count over its valid ballots; the weighted share is the
weights' average of those shares over the categories that returned valid ballots (a category
with none drops out, and the others' weights are scaled up). Shares are exact fractions, so a
flag's threshold (优秀+称职 < 2/3) is compared exactly; they are rounded only to be stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from math import lcm


@dataclass(frozen=True)
class Scale:
    grades: tuple[tuple[str, int], ...]  # (code, score) in the scale's order

    @property
    def codes(self) -> list[str]:
        return [code for code, _score in self.grades]


@dataclass(frozen=True)
class Flag:
    code: str
    grades: frozenset[str]
    above: bool  # True: raised when the share is above the threshold; False: below it
    threshold: Fraction


@dataclass(frozen=True)
class WeightedResult:
    shares: dict[str, Fraction]  # grade -> weighted share (sums to 1 when any ballot counted)
    score: Decimal
    flags: list[str]
    counted: bool  # any valid ballot at all

    def shares_text(self, places: int = 4) -> dict[str, str]:
        return {code: str(decimal_of(share, places)) for code, share in self.shares.items()}


def decimal_of(value: Fraction, places: int) -> Decimal:
    quantum = Decimal(1).scaleb(-places)
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(quantum, rounding=ROUND_HALF_UP)


def weighted_result(
    counts: dict[str, dict[str, int]],  # category -> grade -> n (valid ballots only)
    weights: dict[str, int],
    scale: Scale,
    flags: list[Flag],
) -> WeightedResult:
    valid = {category: sum(by_grade.values()) for category, by_grade in counts.items()}
    counted = [c for c, n in valid.items() if n and weights.get(c, 0)]
    total_weight = sum(weights[c] for c in counted)
    if not total_weight:
        zero = Fraction(0)
        return WeightedResult(
            shares={code: zero for code in scale.codes}, score=decimal_of(zero, 2), flags=[], counted=False
        )
    # Every share over one denominator (integers until the end: a round's 2,000 results would
    # otherwise cost 80,000 Fraction operations): the weighted share of a grade is
    # sum(weight × count × (common / valid)) / (common × total weight), exactly.
    common = lcm(*(valid[c] for c in counted))
    whole = common * total_weight
    factors = {c: weights[c] * (common // valid[c]) for c in counted}
    numerators = {code: sum(factors[c] * counts[c].get(code, 0) for c in counted) for code in scale.codes}
    shares = {code: Fraction(numerators[code], whole) for code in scale.codes}
    score = Fraction(sum(numerators[code] * points for code, points in scale.grades), whole)
    raised = []
    for flag in flags:
        share = Fraction(sum(numerators.get(code, 0) for code in flag.grades), whole)
        if (share > flag.threshold) if flag.above else (share < flag.threshold):
            raised.append(flag.code)
    return WeightedResult(shares=shares, score=decimal_of(score, 2), flags=raised, counted=True)
