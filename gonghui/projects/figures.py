"""Live figures quoted in bulletins: `{{ insurance.premium }}` in a section's text names a
figure a module vouches for (gonghui.core.registry.annual_figure), of the bulletin's year.

How a figure reads in a bulletin follows the university's bulletins: counts and yuan without
thousands separators, whole yuan without ".00" (201025元, 50202.51元), shares as percentages.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from gonghui.core.reports import plain

REFERENCE = re.compile(r"\{\{\s*([A-Za-z0-9_]+\.[A-Za-z0-9_.]+)\s*\}\}")
# a reference that is not well formed ("{{ premium }}", "{{insurance.}}"): refused on saving
LOOSE_REFERENCE = re.compile(r"\{\{(.*?)\}\}")


def references(text: str) -> list[str]:
    """The figure keys `text` quotes, in order, each once."""
    return list(dict.fromkeys(match.group(1) for match in REFERENCE.finditer(text or "")))


def malformed_references(text: str) -> list[str]:
    return [match.group(0) for match in LOOSE_REFERENCE.finditer(text or "") if not REFERENCE.fullmatch(match.group(0))]


def exact(value: Any) -> str:
    """The figure as stored when frozen: exact text (Decimals to their places)."""
    return str(plain(value))


def shown(value: str, *, is_ratio: bool = False) -> str:
    """The frozen text as the bulletin prints it."""
    if is_ratio:
        try:
            return f"{(Decimal(value) * 100).quantize(Decimal('0.1'))}%"
        except ArithmeticError:
            return value
    try:
        number = Decimal(value)
    except ArithmeticError:
        return value
    if number == number.to_integral_value():
        return str(number.quantize(Decimal(1)))
    return str(number)


def fill(text: str, values: dict[str, str]) -> str:
    """`text` with each reference replaced by its value ("【未知数据】" where none)."""
    return REFERENCE.sub(lambda match: values.get(match.group(1), "【%s】" % match.group(1)), text or "")
