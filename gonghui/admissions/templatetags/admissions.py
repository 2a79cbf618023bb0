"""Template filters of the admissions pages."""

from django import template

from gonghui.core.text import name_mask

register = template.Library()


@register.filter
def masked(name: str) -> str:
    """A child's name as lists show it (张*明)."""
    return name_mask(name)
