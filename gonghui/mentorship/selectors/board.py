"""A cohort's board (各单位进度): for each college, its pairs, how many have signed, how many
are active, the duties confirmed (and waiting) in the current cycle year against what the
rules require of its pairs, and how many are assessed. Three queries, whatever the size."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from gonghui.mentorship.choices import LOGGING_PAIR_STATUSES, DutyKind, DutyStatus, PairStatus
from gonghui.mentorship.models import Cohort, DutyLog, Pair
from gonghui.people.models import SubUnion

# A pair that has its end-of-cycle grade (or was left out of the assessment).
ASSESSED_STATUSES = (
    PairStatus.PASSED,
    PairStatus.BASICALLY_PASSED,
    PairStatus.EXTENDED,
    PairStatus.FAILED,
    PairStatus.NOT_ASSESSED,
)
SIGNED_STATUSES = (PairStatus.AGREED, PairStatus.ACTIVE, *ASSESSED_STATUSES)


@dataclass
class DutyTally:
    kind: str
    label: str
    confirmed: int
    pending: int
    required: int

    @property
    def done(self) -> bool:
        return self.confirmed >= self.required


@dataclass
class CollegeRow:
    college: SubUnion
    pairs: int = 0
    agreed: int = 0
    active: int = 0
    logging: int = 0  # pairs whose duties count (active, or assessed again after an extension)
    assessed: int = 0
    duties: list[DutyTally] = field(default_factory=list)


@dataclass
class Board:
    year: int | None  # the cycle year shown (1, 2 …), None before the cohort starts
    starts_on: datetime.date | None
    ends_on: datetime.date | None
    rows: list[CollegeRow]
    total: CollegeRow | None


def current_year(cohort: Cohort, today: datetime.date | None = None) -> tuple[int, datetime.date, datetime.date] | None:
    """The cycle year `today` falls in (the last one once the cycle is over), None before it starts."""
    today = today or timezone.localdate()
    bounds = cohort.year_bounds()
    if not bounds or today < bounds[0][0]:
        return None
    for index, (start, end) in enumerate(bounds, start=1):
        if start <= today <= end:
            return index, start, end
    return len(bounds), *bounds[-1]


def cohort_board(cohort: Cohort, *, college_ids: Iterable[int] | None = None) -> Board:
    """The board of the cohort, for every college with a pair (or only `college_ids`)."""
    pairs = Pair.objects.filter(cohort=cohort).exclude(status=PairStatus.WITHDRAWN)
    if college_ids is not None:
        pairs = pairs.filter(college_id__in=list(college_ids))
    rows: dict[int, CollegeRow] = {}
    tallies = list(pairs.values("college_id", "status").annotate(n=Count("pk")).order_by())
    colleges = SubUnion.objects.in_bulk({t["college_id"] for t in tallies})
    for tally in tallies:
        row = rows.setdefault(tally["college_id"], CollegeRow(colleges[tally["college_id"]]))
        n, status = tally["n"], tally["status"]
        row.pairs += n
        row.agreed += n if status in SIGNED_STATUSES else 0
        row.active += n if status == PairStatus.ACTIVE else 0
        row.logging += n if status in LOGGING_PAIR_STATUSES else 0
        row.assessed += n if status in ASSESSED_STATUSES else 0
    year = current_year(cohort)
    requirements = cohort.rules.requirements()
    kinds = [kind for kind in DutyKind if requirements[kind]]
    done: dict[tuple[int, str], tuple[int, int]] = {}
    if year is not None and rows:
        duties = (
            DutyLog.objects.filter(pair__in=pairs, held_on__range=(year[1], year[2]))
            .values("pair__college_id", "kind")
            .annotate(
                confirmed=Count("pk", filter=Q(status=DutyStatus.CONFIRMED)),
                pending=Count("pk", filter=Q(status=DutyStatus.LOGGED)),
            )
            .order_by()
        )
        done = {(d["pair__college_id"], d["kind"]): (d["confirmed"], d["pending"]) for d in duties}
    ordered = sorted(rows.values(), key=lambda r: (r.college.code, r.college.pk))
    for row in ordered:
        for kind in kinds:
            confirmed, pending = done.get((row.college.pk, kind), (0, 0))
            row.duties.append(DutyTally(kind, str(kind.label), confirmed, pending, requirements[kind] * row.logging))
    total = None
    if len(ordered) > 1:
        total = CollegeRow(SubUnion(name=""))
        for row in ordered:
            total.pairs += row.pairs
            total.agreed += row.agreed
            total.active += row.active
            total.logging += row.logging
            total.assessed += row.assessed
        for index, kind in enumerate(kinds):
            total.duties.append(
                DutyTally(
                    kind,
                    str(kind.label),
                    sum(r.duties[index].confirmed for r in ordered),
                    sum(r.duties[index].pending for r in ordered),
                    sum(r.duties[index].required for r in ordered),
                )
            )
    return Board(
        year=year[0] if year else None,
        starts_on=year[1] if year else None,
        ends_on=year[2] if year else None,
        rows=ordered,
        total=total,
    )
