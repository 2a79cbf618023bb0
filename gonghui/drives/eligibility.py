"""Who may join a drive. Staff themselves: the drive's rules as a shared
`gonghui.people.eligibility.Eligibility` (status, category, coverage type, age on the policy
start). What only drives have is here: relatives (allowed, which relationships) and the
coverage types that join only through the group.

Each check returns a translated reason, or "" when there is none; the services raise with
that reason, the pages show it before anyone fills a form."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from gonghui.drives.choices import RegistrationChannel, Relationship
from gonghui.drives.models import Drive
from gonghui.people.choices import CoverageType
from gonghui.people.models import Person


def person_problem(drive: Drive, person: Person) -> str:
    """Why a member of staff may not join this drive themselves ("" if they may)."""
    return drive.rules.eligibility.problem(person)


def eligible_people(drive: Drive) -> QuerySet[Person]:
    """Staff who may join the drive themselves (the survey's population), as one query."""
    return drive.rules.eligibility.people()


def _coverage_label(value: str) -> str:
    return str(CoverageType(value).label) if value in CoverageType.values else value


def relative_problem(drive: Drive, *, relationship: str, birth_date: datetime.date, coverage_type: str) -> str:
    rules = drive.rules
    if not rules.relatives_allowed:
        return _("本次活动家属不能参加")
    if relationship == Relationship.SELF or relationship not in rules.relative_relationships:
        return _("本次活动不接受该关系的家属：%(relationship)s") % {
            "relationship": Relationship(relationship).label if relationship in Relationship.values else relationship
        }
    if coverage_type in rules.group_only_coverage_types:
        return _("%(coverage)s人员只能通过学校团体参保，不能作为家属报名") % {
            "coverage": _coverage_label(coverage_type)
        }
    return rules.eligibility.coverage_problem(coverage_type) or rules.eligibility.age_problem(birth_date)


def channel_problem(drive: Drive, *, coverage_type: str, channel: str) -> str:
    """Group-only rule: staff of these coverage types join only through the group."""
    if coverage_type in drive.rules.group_only_coverage_types and channel != RegistrationChannel.GROUP:
        return _("%(coverage)s人员只能通过学校团体参保") % {"coverage": _coverage_label(coverage_type)}
    return ""
