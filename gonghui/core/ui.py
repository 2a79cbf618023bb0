"""What a view hands the table component (templates/components/table.html)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    """A table column: its header, and the field it sorts by ("" when it does not sort)."""

    label: str
    sort: str = ""


def sort_value(request, allowed: tuple[str, ...], default: str = "") -> str:
    """The list's `?sort=` when it names one of `allowed` (or its descending `-field`), else `default`."""
    value = request.GET.get("sort", "")
    return value if value.lstrip("-") in allowed else default
