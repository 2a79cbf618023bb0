"""Numbers on pages, formatted in one place: `{% load gonghui_format %}`.

- ``{{ ratio|percent }}``: a share (`core.reports.Ratio`, 6.7416) as a percentage, 674.16%;
- ``{{ value|pct }}``: a number that already is a percentage (87.5) with its sign, 87.5%;
- ``{{ amount|yuan }}``: money (Decimal, never float) with thousands separators and 元,
  1,234.50 元 (English: ¥1,234.50);
- ``{{ n|number }}``: a count or amount with thousands separators, 12,345.

Missing values (None, "") print an em dash. Dates use Django's localisation
(``{{ day|date }}`` → 2021年3月1日 / 1 Mar 2021; ``|date:"DATETIME_FORMAT"``), set up in
``config/formats``.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template
from django.utils import formats
from django.utils.translation import gettext as _

register = template.Library()

DASH = "—"


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, float):
        value = repr(value)  # shown as written, not as its binary expansion
    try:
        number = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return None
    return number if number.is_finite() else None


def _places(number: Decimal) -> int:
    return max(0, -int(number.as_tuple().exponent))


def _grouped(number: Decimal, places: int) -> str:
    return formats.number_format(number, decimal_pos=places, use_l10n=True, force_grouping=True)


@register.filter
def percent(value, places=None):
    """A share as a percentage: 6.7416 → "674.16%", 0.8 → "80%" (places: two fewer than the
    share has, or as given)."""
    number = _decimal(value)
    if number is None:
        return DASH
    shown = number * 100
    decimals = max(0, _places(number) - 2) if places in (None, "") else int(places)
    return f"{_grouped(shown, decimals)}%"  # the same sign in every language


@register.filter
def pct(value):
    """A number that already is a percentage: 87.5 → "87.5%"."""
    number = _decimal(value)
    if number is None:
        return DASH
    return f"{_grouped(number, _places(number))}%"


@register.filter
def yuan(value):
    """Money: Decimal("1234.5") → "1,234.50 元" (two places, thousands separators)."""
    number = _decimal(value)
    if number is None:
        return DASH
    return _("%(amount)s 元") % {"amount": _grouped(number, 2)}


@register.filter
def number(value):
    """A count or amount with thousands separators: 12345 → "12,345", 1234.5 → "1,234.5"."""
    number = _decimal(value)
    if number is None:
        return DASH
    return _grouped(number, _places(number))
