"""Template helper of the sub-union board component (templates/components/sub_union_board.html)."""

from django import template

register = template.Library()


@register.filter
def board_value(row, key: str):
    """The figure `key` of a board row or of the totals ("" when it has none)."""
    return row.get(key, "") if row else ""
