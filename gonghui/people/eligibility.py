"""Who a rule admits (DOMAIN §4): age on a date, employment status on a date, category,
coverage type and gender — one home for every module's eligibility.

The status on a date comes from the person's status, its date and their status steps
(PersonEvent, whose parameters hold each step's effective date "on"): statuses only move
forward (active → retired, left or deceased; retired → deceased), so a person whose status
changed after the date had then the earliest state their later steps left: active when
no step says otherwise (changes recorded before there were steps).

`Eligibility` holds a rule's conditions, taken on one date (a policy start, a term's start,
a cost year). `problem(person)` says in a translated sentence why a person is not admitted
("" when they are); `people()` is the same rule as one query, for runs and surveys.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from gonghui.people.choices import CoverageType, EmploymentStatus, Gender
from gonghui.people.models import Person, PersonEvent

ACTIVE, RETIRED = EmploymentStatus.ACTIVE, EmploymentStatus.RETIRED


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    """Completed years on `day` (a 29 February birthday counts on 1 March in other years)."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def years_before(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` earlier (28 February for a 29 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def status_on(person: Person, day: datetime.date) -> str:
    """The employment status on `day` (see the module's docstring). Reads the person's
    steps only when their status changed after `day` (prefetch `events` for many)."""
    changed = person.status_changed_on
    if person.employment_status == ACTIVE or changed is None or changed <= day:
        return person.employment_status
    left = {
        event.from_state
        for event in person.events.all()
        if event.from_state != event.to_state and str(event.parameters.get("on", "")) > day.isoformat()
    }
    return RETIRED if RETIRED in left and ACTIVE not in left else ACTIVE


def _left_after(day: datetime.date, prefix: str, state: str) -> Exists:
    """The person took a step out of `state` effective after `day`."""
    steps = PersonEvent.objects.filter(
        subject=OuterRef(f"{prefix}pk"), from_state=state, parameters__on__gt=day.isoformat()
    ).exclude(to_state=F("from_state"))
    return Exists(steps)


def status_on_condition(statuses, day: datetime.date, prefix: str = "") -> Q:
    """People whose employment status on `day` is one of `statuses`, as a condition
    (`prefix` leads from the row to the person: "person__")."""
    statuses = set(statuses)
    changed = ~Q(**{f"{prefix}employment_status": ACTIVE}) & Q(**{f"{prefix}status_changed_on__gt": day})
    condition = ~changed & Q(**{f"{prefix}employment_status__in": statuses})
    was_active, was_retired = _left_after(day, prefix, ACTIVE), _left_after(day, prefix, RETIRED)
    if ACTIVE in statuses:
        condition |= changed & (was_active | ~was_retired)
    if RETIRED in statuses:
        condition |= changed & was_retired & ~was_active
    return condition


def _label(choices, value) -> str:
    return str(choices(value).label) if value in choices.values else str(value)


@dataclass(frozen=True)
class Eligibility:
    """A rule's conditions on one date. Empty conditions admit everyone. Ages are completed
    years on `on`, both limits inclusive; `max_age_by_gender` sets a limit per gender."""

    on: datetime.date
    statuses: tuple[str, ...] = ()
    category_ids: frozenset[int] = frozenset()
    coverage_types: tuple[str, ...] = ()
    genders: tuple[str, ...] = ()
    min_age: int | None = None
    max_age: int | None = None
    max_age_by_gender: dict[str, int] = field(default_factory=dict)

    def age_problem(self, birth_date: datetime.date, gender: str = "") -> str:
        age = age_on(birth_date, self.on)
        if self.min_age is not None and age < self.min_age:
            return _("%(date)s 年龄 %(age)d 岁，低于最低年龄 %(min)d 岁") % {
                "date": self.on.isoformat(),
                "age": age,
                "min": self.min_age,
            }
        limit = self.max_age_by_gender.get(gender, self.max_age)
        if limit is not None and age > limit:
            return _("%(date)s 年龄 %(age)d 岁，超过最高年龄 %(max)d 岁") % {
                "date": self.on.isoformat(),
                "age": age,
                "max": limit,
            }
        return ""

    def coverage_problem(self, coverage_type: str) -> str:
        if self.coverage_types and coverage_type not in self.coverage_types:
            return _("医疗类别（%(coverage)s）不在范围内") % {"coverage": _label(CoverageType, coverage_type) or "—"}
        return ""

    def problem(self, person: Person) -> str:
        """Why `person` is not admitted ("" when they are)."""
        status = status_on(person, self.on)
        if self.statuses and status not in self.statuses:
            return _("%(status)s人员不在范围内") % {"status": _label(EmploymentStatus, status)}
        if self.category_ids and person.employment_category_id not in self.category_ids:
            return _("人员类别不在范围内")
        if self.genders and person.gender not in self.genders:
            return _("仅限%(genders)s") % {"genders": "、".join(_label(Gender, g) for g in self.genders)}
        return self.coverage_problem(person.coverage_type) or self.age_problem(person.birth_date, person.gender)

    def people(self, queryset: QuerySet[Person] | None = None) -> QuerySet[Person]:
        """Everyone admitted, as one query."""
        qs = Person.objects.all() if queryset is None else queryset
        if self.statuses:
            qs = qs.filter(status_on_condition(self.statuses, self.on))
        if self.category_ids:
            qs = qs.filter(employment_category_id__in=self.category_ids)
        if self.coverage_types:
            qs = qs.filter(coverage_type__in=self.coverage_types)
        if self.genders:
            qs = qs.filter(gender__in=self.genders)
        if self.min_age is not None:  # born on or before `on` minus min_age years
            qs = qs.filter(birth_date__lte=years_before(self.on, self.min_age))
        limits = {g: self.max_age_by_gender.get(g, self.max_age) for g in Gender.values}
        cap = Q()
        for gender, limit in limits.items():
            if limit is not None:  # not yet limit + 1 on `on`
                cap &= ~Q(gender=gender) | Q(birth_date__gt=years_before(self.on, limit + 1))
        return qs.filter(cap)
