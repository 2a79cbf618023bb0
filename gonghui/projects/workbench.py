"""What waits in practical projects.

- The union office: projects past their deadline and still open; done projects waiting to be
  ticked off (销号).
- A unit's contact person: the open projects their unit leads that are past their deadline.
- A member: done projects whose satisfaction they have not rated yet (and a portal card)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.accounts.access import get_access
from gonghui.accounts.roles import Role
from gonghui.core.registry import ServiceCard, TodoQueue
from gonghui.core.workbench import queue_count
from gonghui.projects.choices import ProjectStatus
from gonghui.projects.models import PracticalProject
from gonghui.projects.selectors.projects import overdue, rating_open_for


def _list_url(**filters) -> str:
    return f"{reverse('projects:list')}?{urlencode(filters)}"


def projects_todos(user) -> list[TodoQueue]:
    access = get_access(user)
    today = timezone.localdate()
    queues = []
    if user.has_perm("projects.manage_practicalproject"):
        rows = PracticalProject.objects.restrict(user, "change")
        queues.append(
            queue_count(
                overdue(rows, today),
                key="projects.overdue",
                title=_("实事项目已超过完成时限"),
                url=_list_url(overdue="1"),
                role=Role.UNION_OFFICE.label,
                deadline="deadline",
                today=today,
            )
        )
        queues.append(
            queue_count(
                rows.filter(status=ProjectStatus.DONE),
                key="projects.to_close_off",
                title=_("实事项目已完成，待销号"),
                url=_list_url(status=ProjectStatus.DONE),
                role=Role.UNION_OFFICE.label,
                oldest="done_on",
            )
        )
    elif Role.HANDLING_UNIT_OFFICER in access.roles and access.unit_ids:
        rows = PracticalProject.objects.filter(lead_unit_id__in=access.unit_ids)
        queues.append(
            queue_count(
                overdue(rows, today),
                key="projects.unit_overdue",
                title=_("本单位牵头的实事项目已超过完成时限"),
                url=_list_url(overdue="1"),
                role=Role.HANDLING_UNIT_OFFICER.label,
                deadline="deadline",
                today=today,
            )
        )
    if access.person_id:
        queues.append(
            queue_count(
                rating_open_for(user),
                key="projects.rate",
                title=_("实事项目已完成，请评价满意度"),
                url=reverse("projects:rate_list"),
                role=Role.MEMBER.label,
            )
        )
    return queues


def projects_cards(user) -> list[ServiceCard]:
    waiting = list(rating_open_for(user)[:3])
    if not waiting:
        return []
    return [
        ServiceCard(
            title=_("我为群众办实事：请评价"),
            lines=tuple(project.title for project in waiting),
            url=reverse("projects:rate_list"),
            action=_("评价满意度"),
            icon="circle-check",
            badge=rating_open_for(user).count(),
        )
    ]
