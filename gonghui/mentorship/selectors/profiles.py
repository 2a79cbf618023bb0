"""Teacher profiles as the pages read them: whose profiles a user may see or edit, and the list
of teachers with their profiles (search, title rank, discipline, a missing profile)."""

from __future__ import annotations

from typing import cast

from django.db.models import QuerySet

from gonghui.accounts.access import get_access
from gonghui.accounts.roles import Role
from gonghui.core.selector_kit import filters_apply
from gonghui.mentorship.models import TeacherProfile
from gonghui.people.choices import EmploymentStatus
from gonghui.people.models import Person, PersonQuerySet

MISSING, PRESENT = "missing", "present"


def teacher_people(user, action: str = "view") -> QuerySet[Person]:
    """The people whose profiles `user` may see (action "view") or edit (any other): the office
    everyone (auditors read everyone), a college's officer their college's people."""
    access = get_access(user)
    people = Person.objects.all()
    if access.sees_everything(action):
        return people
    if Role.SUB_UNION_OFFICER in access.roles and access.sub_union_ids:
        return people.filter(sub_union_id__in=access.sub_union_ids)
    return people.none()


def profile_list(*, user, filters: dict) -> QuerySet[Person]:
    """The active staff `user` may see, each with their profile (or none): `q` by name, pinyin
    or staff number, `title_rank`, `discipline`, and `profile` (missing / present)."""
    people = cast(PersonQuerySet, teacher_people(user).filter(employment_status=EmploymentStatus.ACTIVE))
    rows = people.select_related("sub_union", "teacher_profile").search(filters.get("q", ""))
    rows = filters_apply(
        rows,
        filters,
        {"title_rank": "teacher_profile__title_rank", "discipline": "teacher_profile__discipline"},
    )
    if filters.get("profile") == MISSING:
        rows = rows.filter(teacher_profile__isnull=True)
    elif filters.get("profile") == PRESENT:
        rows = rows.filter(teacher_profile__isnull=False)
    return rows.order_by("sub_union__sort_key", "sub_union__code", "name_pinyin", "staff_no")


def disciplines(user) -> list[str]:
    """The disciplines of the profiles `user` sees (the list's filter)."""
    return list(
        TeacherProfile.objects.filter(person__in=teacher_people(user))
        .exclude(discipline="")
        .order_by("discipline")
        .values_list("discipline", flat=True)
        .distinct()
    )
