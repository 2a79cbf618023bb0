"""The subsidy formula: deductible, tiered bands, yearly and lifetime caps, pro-rata.

Pure functions over Decimal yuan: no database access, so that a decision can be replayed
and a draft edition previewed on past applications. Amounts are computed exactly and
rounded once, half-up, to the cent (DOMAIN §4.2).
"""

from dataclasses import dataclass
from decimal import Decimal

from gonghui.core.money import ZERO, largest_remainder, money
from gonghui.mutual_aid.choices import BASES_BY_MODE, CostBase

to_cents = money  # rounding once, half-up, to the cent: one rule for every module


@dataclass(frozen=True)
class Band:
    lower: Decimal
    upper: Decimal | None
    rate: Decimal


@dataclass(frozen=True)
class Rule:
    base: str
    deductible: Decimal
    bands: tuple[Band, ...]


@dataclass(frozen=True)
class Formula:
    """An edition's formula, detached from the database."""

    base_mode: str
    rules: dict  # base -> Rule
    annual_cap: Decimal | None = None
    lifetime_cap: Decimal | None = None

    @classmethod
    def from_edition(cls, edition) -> "Formula":
        rules = {}
        for rule in edition.rules.all():
            bands = tuple(Band(b.lower, b.upper, b.rate) for b in sorted(rule.bands.all(), key=lambda b: b.lower))
            rules[rule.base] = Rule(rule.base, rule.deductible, bands)
        return cls(edition.base_mode, rules, edition.annual_cap, edition.lifetime_cap)


@dataclass(frozen=True)
class Cost:
    out_of_pocket: Decimal
    inpatient: bool = True
    covered: bool = True


def _belongs(cost: Cost, base: str) -> bool:
    belongs: dict[str, bool] = {
        CostBase.ALL: True,
        CostBase.INPATIENT: cost.inpatient,
        CostBase.OUTPATIENT: not cost.inpatient,
        CostBase.COVERED: cost.covered,
        CostBase.NON_COVERED: not cost.covered,
    }
    return belongs[base]


def _fmt(value: Decimal | None) -> str | None:
    return None if value is None else str(to_cents(value))


def subsidy_compute(
    *, formula: Formula, costs: list[Cost], paid_this_year: Decimal = ZERO, paid_lifetime: Decimal = ZERO
) -> tuple[Decimal, dict]:
    """Return (subsidy, working). `paid_this_year` and `paid_lifetime` are what the person
    has already been granted (other applications), so the caps hold across applications
    and across years. The working lists every step for display and for replay."""
    bases: list[dict] = []
    gross = ZERO
    for base in BASES_BY_MODE[formula.base_mode]:
        rule = formula.rules.get(base)
        cost_total = sum((c.out_of_pocket for c in costs if _belongs(c, base)), ZERO)
        if rule is None:
            bases.append(
                {"base": str(base), "cost": _fmt(cost_total), "deductible": None, "bands": [], "subtotal": "0.00"}
            )
            continue
        band_rows = []
        subtotal = ZERO
        for band in rule.bands:
            start = max(band.lower, rule.deductible)
            end = cost_total if band.upper is None else min(cost_total, band.upper)
            portion = max(end - start, ZERO)
            amount = portion * band.rate
            subtotal += amount
            band_rows.append(
                {
                    "lower": _fmt(band.lower),
                    "upper": _fmt(band.upper),
                    "rate": str(band.rate),
                    "portion": _fmt(portion),
                    "amount": _fmt(amount),
                }
            )
        gross += subtotal
        bases.append(
            {
                "base": str(base),
                "cost": _fmt(cost_total),
                "deductible": _fmt(rule.deductible),
                "above_deductible": _fmt(max(cost_total - rule.deductible, ZERO)),
                "bands": band_rows,
                "subtotal": _fmt(subtotal),
            }
        )
    result = gross
    capped_by = None
    annual_remaining = lifetime_remaining = None
    if formula.annual_cap is not None:
        annual_remaining = max(formula.annual_cap - paid_this_year, ZERO)
        if result > annual_remaining:
            result, capped_by = annual_remaining, "annual"
    if formula.lifetime_cap is not None:
        lifetime_remaining = max(formula.lifetime_cap - paid_lifetime, ZERO)
        if result > lifetime_remaining:
            result, capped_by = lifetime_remaining, "lifetime"
    result = to_cents(result)
    working = {
        "bases": bases,
        "gross": _fmt(gross),
        "annual_cap": _fmt(formula.annual_cap),
        "paid_this_year": _fmt(paid_this_year),
        "annual_remaining": _fmt(annual_remaining),
        "lifetime_cap": _fmt(formula.lifetime_cap),
        "paid_lifetime": _fmt(paid_lifetime),
        "lifetime_remaining": _fmt(lifetime_remaining),
        "capped_by": capped_by,
        "result": _fmt(result),
    }
    return result, working


def pro_rata_distribute(*, fund: Decimal, claims: dict) -> tuple[dict, Decimal]:
    """以收定支: share `fund` over `claims` {key: amount} by the ratio fund ÷ total claimed.

    When the fund covers every claim, each is paid in full. Otherwise the fund is shared by
    largest remainder (gonghui.core.money), so the shares add up to the fund exactly.
    Returns (shares, ratio)."""
    total = sum(claims.values(), ZERO)
    if total <= 0:
        return {key: ZERO for key in claims}, Decimal("1")
    if fund >= total:
        return {key: to_cents(amount) for key, amount in claims.items()}, Decimal("1")
    return largest_remainder(total=fund, weights=claims), fund / total
