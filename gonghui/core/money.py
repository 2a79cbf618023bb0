"""Money (DOMAIN §4.2): Decimal yuan to the cent, rounded once, half-up; a fund shared out
so that the shares add up to it exactly."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0")


def money(value) -> Decimal:
    """`value` in yuan, rounded half-up to the cent (0.005 → 0.01)."""
    return Decimal(value if value is not None else 0).quantize(CENT, rounding=ROUND_HALF_UP)


def largest_remainder(*, total: Decimal, weights: Mapping[Hashable, Decimal]) -> dict:
    """Share `total` (to the cent) in proportion to `weights`: each share rounded down to the
    cent, then the cents left over go one by one to the largest fractional remainders
    (ties by key, as text), so the shares add up to `total` exactly."""
    whole = sum(weights.values(), ZERO)
    total = money(total)
    if whole <= 0:
        return {key: ZERO for key in weights}
    exact = {key: total * weight / whole for key, weight in weights.items()}
    shares = {key: value.quantize(CENT, rounding=ROUND_DOWN) for key, value in exact.items()}
    leftover = int(((total - sum(shares.values(), ZERO)) / CENT).to_integral_value())
    for key in sorted(weights, key=lambda key: (-(exact[key] - shares[key]), str(key)))[:leftover]:
        shares[key] += CENT
    return shares
