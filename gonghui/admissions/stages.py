"""The school stage a child is at, by the 31 August cut-off (DOMAIN §4.6).

A child enters a stage in the first year in which they are old enough on 31 August: primary
school at 6, so a child born on 31 August 2016 starts in 2022 and one born a day later in
2023. The ages are the year's rules (in months, so nursery can be 2.5 years); the counting
is calendar months, so a child born on 29 February turns a year older on 28 February.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

from gonghui.admissions.choices import KIND_STAGE, SchoolKind, Stage

CUT_OFF_MONTH, CUT_OFF_DAY = 8, 31


@dataclass(frozen=True)
class StageAges:
    """The minimum age, in months on 31 August, for each school kind."""

    nursery: int = 30
    kindergarten: int = 36
    primary: int = 72
    secondary: int = 144

    def for_kind(self, kind: str) -> int:
        return {
            SchoolKind.NURSERY: self.nursery,
            SchoolKind.KINDERGARTEN: self.kindergarten,
            SchoolKind.PRIMARY: self.primary,
            SchoolKind.SECONDARY: self.secondary,
        }[SchoolKind(kind)]


def cut_off(year: int) -> datetime.date:
    return datetime.date(year, CUT_OFF_MONTH, CUT_OFF_DAY)


def age_months(birth_date: datetime.date, on: datetime.date) -> int:
    delta = relativedelta(on, birth_date)
    return delta.years * 12 + delta.months


def entry_year(birth_date: datetime.date, min_months: int) -> int:
    """The first year whose 31 August finds the child at least `min_months` old."""
    year = birth_date.year + min_months // 12
    while age_months(birth_date, cut_off(year)) < min_months:
        year += 1
    while age_months(birth_date, cut_off(year - 1)) >= min_months:
        year -= 1
    return year


def kind_entry_year(birth_date: datetime.date, kind: str, ages: StageAges) -> int:
    return entry_year(birth_date, ages.for_kind(kind))


def stages_in(birth_date: datetime.date, year: int, ages: StageAges) -> list[str]:
    """The stages the child comes to in `year` (usually none, at most one)."""
    found: list[str] = []
    for kind in (SchoolKind.NURSERY, SchoolKind.KINDERGARTEN, SchoolKind.PRIMARY, SchoolKind.SECONDARY):
        stage = KIND_STAGE[kind]
        if stage not in found and kind_entry_year(birth_date, kind, ages) == year:
            found.append(stage)
    return found


def stage_in(birth_date: datetime.date, year: int, ages: StageAges) -> str | None:
    found = stages_in(birth_date, year, ages)
    return found[0] if found else None


@dataclass(frozen=True)
class StageCheck:
    """Whether a child may be put forward to a school of `kind` in `year`, and if not, the
    year they may and the stage they are at."""

    admissible: bool
    entry_year: int
    stage: str | None


def kind_check(birth_date: datetime.date, kind: str, year: int, ages: StageAges) -> StageCheck:
    """A nursery takes a child from its age onwards until the kindergarten's year; any other
    kind takes the child in its entry year only."""
    first = kind_entry_year(birth_date, kind, ages)
    if kind == SchoolKind.NURSERY:
        last = kind_entry_year(birth_date, SchoolKind.KINDERGARTEN, ages)
        admissible = first <= year <= last
    else:
        admissible = first == year
    return StageCheck(admissible=admissible, entry_year=first, stage=stage_in(birth_date, year, ages))


def upcoming(birth_date: datetime.date, from_year: int, ages: StageAges) -> list[tuple[str, int]]:
    """Each stage still ahead of the child (or this year), with the year they enter it."""
    result: list[tuple[str, int]] = []
    for stage, kind in (
        (Stage.NURSERY, SchoolKind.NURSERY),
        (Stage.PRIMARY, SchoolKind.PRIMARY),
        (Stage.JUNIOR, SchoolKind.SECONDARY),
    ):
        year = kind_entry_year(birth_date, kind, ages)
        if year >= from_year:
            result.append((stage, year))
    return result
