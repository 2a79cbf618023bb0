"""{{ amount|yuan }}: 50,202.51 — Decimal yuan with thousands separators, whatever the locale."""

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def yuan(value):
    if value is None or value == "":
        return ""
    return f"{Decimal(value):,.2f}"


@register.filter
def cost_base_label(value):
    """A cost base code kept in a working ("all", "inpatient" …) as its label (全部自付费用 …)."""
    from gonghui.mutual_aid.choices import CostBase

    try:
        return CostBase(value).label
    except ValueError:
        return value
