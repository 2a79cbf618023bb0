"""{{ amount|yuan }}: 50,202.51 — Decimal yuan with thousands separators, whatever the locale."""

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def yuan(value):
    if value is None or value == "":
        return ""
    return f"{Decimal(value):,.2f}"
