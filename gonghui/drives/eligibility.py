"""Who may join a drive: the configured statuses, categories, coverage types and ages.

Pure functions returning a translated reason, or "" when eligible; the registration and
survey services raise with that reason, the pages show it before anyone fills a form."""

import datetime

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from gonghui.drives.choices import Relationship
from gonghui.people.models import Person


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    """Completed years on `day` (a 29 February birthday counts on 1 March in other years)."""
    years = day.year - birth_date.year
    if (day.month, day.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


def age_problem(drive, birth_date: datetime.date) -> str:
    age = age_on(birth_date, drive.policy_start)
    if drive.min_age is not None and age < drive.min_age:
        return _("保障起始日（%(date)s）年龄 %(age)d 岁，低于最低年龄 %(min)d 岁") % {
            "date": drive.policy_start.isoformat(),
            "age": age,
            "min": drive.min_age,
        }
    if drive.max_age is not None and age > drive.max_age:
        return _("保障起始日（%(date)s）年龄 %(age)d 岁，超过最高年龄 %(max)d 岁") % {
            "date": drive.policy_start.isoformat(),
            "age": age,
            "max": drive.max_age,
        }
    return ""


def coverage_problem(drive, coverage_type: str) -> str:
    if drive.eligible_coverage_types and coverage_type not in drive.eligible_coverage_types:
        return _("医疗类别不在本次活动范围内")
    return ""


def person_problem(drive, person: Person) -> str:
    """Why a member of staff may not join this drive themselves ("" if they may)."""
    if drive.eligible_statuses and person.employment_status not in drive.eligible_statuses:
        return _("%(status)s人员不在本次活动范围内") % {"status": person.get_employment_status_display()}
    category_ids = _category_ids(drive)
    if category_ids and person.employment_category_id not in category_ids:
        return _("人员类别不在本次活动范围内")
    return coverage_problem(drive, person.coverage_type) or age_problem(drive, person.birth_date)


def relative_problem(drive, *, relationship: str, birth_date: datetime.date, coverage_type: str) -> str:
    if not drive.relatives_allowed:
        return _("本次活动家属不能参加")
    if relationship == Relationship.SELF or relationship not in drive.relative_relationships:
        return _("本次活动不接受该关系的家属：%(relationship)s") % {
            "relationship": Relationship(relationship).label if relationship in Relationship.values else relationship
        }
    if coverage_type in drive.group_only_coverage_types:
        return _("%(coverage)s人员只能通过学校团体参保，不能作为家属报名") % {
            "coverage": _coverage_label(coverage_type)
        }
    return coverage_problem(drive, coverage_type) or age_problem(drive, birth_date)


def channel_problem(drive, *, coverage_type: str, channel: str) -> str:
    """Group-only rule: staff of these coverage types join only through the group."""
    from gonghui.drives.choices import RegistrationChannel

    if coverage_type in drive.group_only_coverage_types and channel != RegistrationChannel.GROUP:
        return _("%(coverage)s人员只能通过学校团体参保") % {"coverage": _coverage_label(coverage_type)}
    return ""


def eligible_people(drive) -> QuerySet[Person]:
    """Staff who may join the drive themselves (the survey's population), as one query."""
    qs = Person.objects.all()
    if drive.eligible_statuses:
        qs = qs.filter(employment_status__in=drive.eligible_statuses)
    category_ids = _category_ids(drive)
    if category_ids:
        qs = qs.filter(employment_category_id__in=category_ids)
    if drive.eligible_coverage_types:
        qs = qs.filter(coverage_type__in=drive.eligible_coverage_types)
    start = drive.policy_start
    if drive.min_age is not None:  # born on or before start minus min_age years
        qs = qs.filter(birth_date__lte=_years_before(start, drive.min_age))
    if drive.max_age is not None:  # not yet max_age + 1 on the start
        qs = qs.filter(birth_date__gt=_years_before(start, drive.max_age + 1))
    return qs


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _category_ids(drive) -> set[int]:
    if drive.pk is None:
        return set()
    cached = getattr(drive, "_category_ids", None)
    if cached is None:
        cached = set(drive.eligible_categories.values_list("pk", flat=True))
        drive._category_ids = cached
    return cached


def _coverage_label(value: str) -> str:
    from gonghui.people.choices import CoverageType

    return CoverageType(value).label if value in CoverageType.values else value
