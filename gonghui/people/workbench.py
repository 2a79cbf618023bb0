"""What waits in people (the workbench's to-do queues) and the union's members in the year at
a glance: membership applications to confirm and roster imports read and waiting to be
confirmed."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from gonghui.accounts.roles import Role
from gonghui.core.registry import TodoQueue, YearFigure
from gonghui.core.workbench import queue_count
from gonghui.people.choices import MembershipStatus
from gonghui.people.selectors import person_list, roster_imports


def _people_url(**filters) -> str:
    return f"{reverse('people:person_list')}?{urlencode(filters)}"


def people_todos(user) -> list[TodoQueue]:
    queues = []
    office = Role.UNION_OFFICE.label
    if user.has_perm("people.change_unionmembership"):
        applied = MembershipStatus.APPLIED
        queues.append(
            queue_count(
                person_list(user=user, filters={"membership": applied}),
                key="people.membership_applied",
                title=_("入会申请待确认"),
                url=_people_url(membership=applied),
                role=office,
            )
        )
    if user.has_perm("people.import_roster"):
        queues.append(
            queue_count(
                roster_imports(pending=True),
                key="people.roster_pending",
                title=_("人事名册导入待确认"),
                url=f"{reverse('people:roster_import')}?status=pending",
                role=office,
                oldest="created_at",
            )
        )
    return queues


def people_year_figures(user, year: int) -> list[YearFigure]:
    """The union's members today (people with an active union membership)."""
    if not user.has_perm("people.view_person"):
        return []
    active = MembershipStatus.ACTIVE
    members = person_list(user=user, filters={"membership": active}).count()
    return [YearFigure("people.members", _("工会会员"), members, _people_url(membership=active))]
