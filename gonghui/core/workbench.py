"""The workbench: what waits for a user across modules (to-do queues) and, for those who read
the whole union, the year at a glance. Modules register providers (`module_register(...,
todos=…, year_figures=…)` in `gonghui.core.registry`); this module gives them the one shape
of query a queue is, and puts the whole together for the home page and the API.

A queue is built from a scoped queryset (the module's selector for the user) by
`queue_count`: one aggregate query (count, oldest, nearest deadline, overdue), so the
workbench makes the same number of queries with few rows or many. `queues_grouped` does the
same per group (per drive, per plan edition) in one grouped query.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Min, Q, QuerySet
from django.utils import timezone

from gonghui.accounts.access import get_access
from gonghui.core.registry import TodoQueue, YearFigure, todos_for, year_figures_for

# the aggregates' names, apart from any field of the rows (a model may have a `deadline`)
_COUNT, _OLDEST, _DEADLINE, _OVERDUE = "todo_count", "todo_oldest", "todo_deadline", "todo_overdue"


def _aggregates(oldest: str | None, deadline: str | None, today: datetime.date) -> dict:
    """`deadline` names a date field: an item is overdue the day after it."""
    values: dict[str, Any] = {_COUNT: Count("pk", distinct=True)}
    if oldest:
        values[_OLDEST] = Min(oldest)
    if deadline:
        values[_DEADLINE] = Min(deadline)
        values[_OVERDUE] = Count("pk", distinct=True, filter=Q(**{f"{deadline}__lt": today}))
    return values


def _figures(values: dict) -> dict:
    return {
        "count": values[_COUNT],
        "oldest": values.get(_OLDEST),
        "deadline": values.get(_DEADLINE),
        "overdue": values.get(_OVERDUE) or 0,
    }


def queue_count(
    rows: QuerySet,
    *,
    key: str,
    title: str,
    url: str,
    role: str,
    oldest: str | None = None,
    deadline: str | None = None,
    today: datetime.date | None = None,
) -> TodoQueue:
    """The queue of `rows` (already narrowed to the user's scope and the waiting state):
    how many, the least `oldest` field, the least `deadline` (a date field) and how many are
    past it."""
    today = today or timezone.localdate()
    figures = _figures(rows.order_by().aggregate(**_aggregates(oldest, deadline, today)))
    return TodoQueue(key=key, title=str(title), url=url, role=str(role), **figures)


def queues_grouped(
    rows: QuerySet,
    *,
    group: tuple[str, ...],
    make: Callable[[dict], dict],
    role: str,
    oldest: str | None = None,
    deadline: str | None = None,
    today: datetime.date | None = None,
) -> list[TodoQueue]:
    """One queue per group of `rows` that has any (one grouped query): `group` names the
    fields that identify and name a group (e.g. the drive's id and name); `make(values)`
    returns the queue's key, title and url from a group's values."""
    today = today or timezone.localdate()
    grouped = rows.order_by().values(*group).annotate(**_aggregates(oldest, deadline, today)).order_by(*group)
    return [TodoQueue(role=str(role), **_figures(values), **make(values)) for values in grouped]


@dataclass(frozen=True)
class Workbench:
    """What the home page and `GET /api/workbench/` show a user."""

    todos: list[TodoQueue]
    year: int
    figures: list[YearFigure]

    @property
    def waiting(self) -> list[TodoQueue]:
        """The queues with something in them (the home page shows only these)."""
        return [queue for queue in self.todos if queue.count]


def reads_the_year(user) -> bool:
    """The year at a glance is for those who read the whole union: the office, the
    administrator and the auditor."""
    return get_access(user).reads_everything


def workbench_for(user, *, today: datetime.date | None = None) -> Workbench:
    year = (today or timezone.localdate()).year
    figures = year_figures_for(user, year) if reads_the_year(user) else []
    return Workbench(todos=todos_for(user), year=year, figures=figures)
