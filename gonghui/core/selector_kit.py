"""What list selectors repeat: narrowing a queryset by the optional filters of a list page."""

from __future__ import annotations

from django.db.models import QuerySet


def filters_apply(queryset: QuerySet, filters: dict, table: dict[str, str]) -> QuerySet:
    """Narrow `queryset` by each filter that is set (not empty); `table` maps a filter's name
    to the lookup it compares, e.g. {"status": "status", "unit": "assignments__unit_id"}.
    Each filter is its own `.filter()`, as a chain written out by hand would be."""
    for name, lookup in table.items():
        if filters.get(name):
            queryset = queryset.filter(**{lookup: filters[name]})
    return queryset
