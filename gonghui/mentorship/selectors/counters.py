"""Duty counters (履职进度): each pair's confirmed and pending duties in each cycle year,
against the cohort's requirements. A mentee's duties under a previous mentor (a mentor
change) count on: the counters follow the mentee through the pairs' chain."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q

from gonghui.mentorship.choices import DutyKind, DutyStatus
from gonghui.mentorship.models import Cohort, DutyLog, Pair


@dataclass
class Counter:
    kind: str
    label: str
    required: int
    confirmed: int = 0
    pending: int = 0

    @property
    def done(self) -> bool:
        return self.confirmed >= self.required

    @property
    def missing(self) -> int:
        return max(self.required - self.confirmed, 0)


@dataclass
class YearCounters:
    index: int  # 1, 2 …
    starts_on: datetime.date
    ends_on: datetime.date
    counters: list[Counter] = field(default_factory=list)

    @property
    def done(self) -> bool:
        return all(c.done for c in self.counters)


def chain_ids(pair: Pair) -> list[int]:
    """The pair and those it follows (its mentee's earlier pairs in the cohort)."""
    ids, current = [], pair
    while current is not None:
        ids.append(current.pk)
        current = current.previous
    return ids


def year_of(cohort: Cohort, day: datetime.date) -> int | None:
    for index, (start, end) in enumerate(cohort.year_bounds(), start=1):
        if start <= day <= end:
            return index
    return None


def pair_counters(pair: Pair) -> list[YearCounters]:
    """Confirmed and pending duties of each kind in each cycle year of the pair's cohort."""
    cohort = pair.cohort
    requirements = cohort.rules.requirements()
    years = [YearCounters(i, s, e) for i, (s, e) in enumerate(cohort.year_bounds(), start=1)]
    rows = (
        DutyLog.objects.filter(pair_id__in=chain_ids(pair))
        .exclude(status=DutyStatus.RETURNED)
        .values("kind", "held_on", "status")
    )
    tallies: dict[tuple[int, str], list[int]] = {}
    for row in rows:
        index = year_of(cohort, row["held_on"])
        if index is None:
            continue
        tally = tallies.setdefault((index, row["kind"]), [0, 0])
        tally[0 if row["status"] == DutyStatus.CONFIRMED else 1] += 1
    for year in years:
        for kind in DutyKind:
            required = requirements[kind]
            confirmed, pending = tallies.get((year.index, kind), [0, 0])
            if required or confirmed or pending:
                year.counters.append(Counter(kind, str(kind.label), required, confirmed, pending))
    return years


def duty_counts(pairs) -> dict[int, dict[str, tuple[int, int]]]:
    """For many pairs at once (ids or rows): pair id → kind → (confirmed, pending) over the whole
    cycle so far, in one grouped query (a changed mentor's earlier duties are not chained here)."""
    if not pairs:
        return {}
    rows = (
        DutyLog.objects.filter(pair__in=pairs)
        .order_by()
        .values("pair_id", "kind")
        .annotate(
            confirmed=Count("pk", filter=Q(status=DutyStatus.CONFIRMED)),
            pending=Count("pk", filter=Q(status=DutyStatus.LOGGED)),
        )
    )
    result: dict[int, dict[str, tuple[int, int]]] = {}
    for row in rows:
        result.setdefault(row["pair_id"], {})[row["kind"]] = (row["confirmed"], row["pending"])
    return result
