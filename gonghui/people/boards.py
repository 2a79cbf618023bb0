"""A progress board per top-level sub-union: how many people a module asks something of,
how many have answered and what, per sub-union, with union groups rolled up into the
sub-union above them. Modules build their boards on it (the drives' survey, the admissions
survey) and show them with `templates/components/sub_union_board.html`.

    rows = sub_union_board(
        people,  # the module's population, already restricted to the user and annotated
        counts={
            "answered": Count("pk", filter=Q(answer__isnull=False)),
            "yes": Count("pk", filter=Q(answer=Answer.YES)),
        },
    )
    totals = board_totals(rows, [column.key for column in COLUMNS])

This module is machinery of the people app: it imports no module."""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Expression, QuerySet
from django.db.models.functions import Coalesce
from django.utils.functional import Promise

from gonghui.people.models import Person, SubUnion

# Keys every row has besides the caller's counts.
BOARD_KEYS = ("top", "sub_union", "eligible", "pending", "answered_pct")


@dataclass(frozen=True)
class BoardColumn:
    """A figure column of the board component: the row's key and its header. `with_pct`
    shows the row's `answered_pct` after the value ("3（50%）"); `total=False` leaves the
    column's footer cell empty (a figure that does not add up)."""

    key: str
    label: str | Promise
    with_pct: bool = False
    total: bool = True


def sub_union_board(
    people: QuerySet[Person], *, counts: Mapping[str, Expression], answered: str = "answered"
) -> list[dict[str, Any]]:
    """One row per top-level sub-union of `people` (a union group counts in its parent's
    row), in one grouped query. Each row holds `top` (the sub-union's pk), `sub_union` (the
    SubUnion), `eligible` (the number of people), one value per aggregate of `counts`
    (over the people's own annotations: `Count("pk", filter=Q(...))`, `Coalesce(Sum(...), 0)`),
    `pending` (`eligible` less the `answered` count) and `answered_pct` (a rounded whole
    percentage, 0 for no one). Rows come furthest behind first: by `answered_pct`, then in
    the sub-unions' natural order.

    The caller restricts `people` (`Person.objects.restrict(user, "view")`: an officer gets
    their own sub-union's row) and annotates what the counts read; its ordering is dropped."""
    if answered not in counts:
        raise ValueError(f"counts has no {answered!r} aggregate")
    clash = set(counts) & set(BOARD_KEYS)
    if clash:
        raise ValueError(f"counts may not be named {', '.join(sorted(clash))}")
    grouped = (
        people.annotate(top=Coalesce("sub_union__parent_id", "sub_union_id"))
        .values("top")
        .annotate(eligible=Count("pk"), **counts)
        .order_by()
    )
    rows: list[dict[str, Any]] = [dict(row) for row in grouped]
    sub_unions = SubUnion.objects.in_bulk([row["top"] for row in rows])
    board: list[dict[str, Any]] = []
    for row in rows:
        done = row[answered]
        board.append(
            {
                **row,
                "sub_union": sub_unions[row["top"]],
                "pending": row["eligible"] - done,
                "answered_pct": round(100 * done / row["eligible"]) if row["eligible"] else 0,
            }
        )
    board.sort(key=lambda r: (r["answered_pct"], r["sub_union"].sort_key))
    return board


def board_totals(rows: Sequence[Mapping[str, Any]], keys: Iterable[str]) -> dict[str, int]:
    """The sum of each of `keys` over the board's rows (the component's footer)."""
    return {key: sum(row[key] for row in rows) for key in keys}
