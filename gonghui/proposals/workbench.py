"""What waits in congress proposals (the workbench's to-do queues) and the proposals of the
year at a glance: proposals to start and finish reviewing (the committee), registered ones
to hand over (the office), replies past their deadline (office and committee) and, for a
handling unit, the proposals waiting for its reply."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gonghui.accounts.access import get_access
from gonghui.accounts.roles import Role
from gonghui.core.registry import TodoQueue, YearFigure
from gonghui.core.workbench import queue_count
from gonghui.proposals.choices import ProposalStatus as S
from gonghui.proposals.selectors.proposals import awaiting_reply, overdue_board, proposal_list
from gonghui.proposals.selectors.report import year_counts

_TRIAGE = (
    (S.SUBMITTED, gettext_lazy("提案待审查")),
    (S.UNDER_REVIEW, gettext_lazy("提案审查中待决定")),
)


def _listed(user, status: str, title, role, key: str) -> TodoQueue:
    return queue_count(
        proposal_list(user=user, filters={"status": status}),
        key=key,
        title=title,
        url=f"{reverse('proposals:list')}?{urlencode({'status': status})}",
        role=role,
        oldest="submitted_at",
    )


def proposals_todos(user) -> list[TodoQueue]:
    access = get_access(user)
    queues = []
    if user.has_perm("proposals.triage_proposal"):
        committee = Role.PROPOSALS_COMMITTEE.label
        for status, title in _TRIAGE:
            queues.append(_listed(user, status, title, committee, f"proposals.{status}"))
    if user.has_perm("proposals.assign_proposal"):
        queues.append(
            _listed(user, S.REGISTERED, _("已立案提案待审签交办"), Role.UNION_OFFICE.label, "proposals.registered")
        )
    if user.has_perm("proposals.triage_proposal"):
        queues.append(
            queue_count(
                overdue_board(user=user),
                key="proposals.overdue",
                title=_("提案答复逾期"),
                url=reverse("proposals:overdue"),
                role=Role.UNION_OFFICE.label,
                oldest="deadline_from",
                deadline="deadline",
            )
        )
    if Role.HANDLING_UNIT_OFFICER in access.roles and user.has_perm("proposals.handle_proposal"):
        queues.append(
            queue_count(
                awaiting_reply(user=user),
                key="proposals.awaiting_reply",
                title=_("交办提案待本单位答复"),
                url=f"{reverse('proposals:unit_board')}?awaiting=1",
                role=Role.HANDLING_UNIT_OFFICER.label,
                oldest="deadline_from",
                deadline="deadline",
            )
        )
    return queues


def proposals_year_figures(user, year: int) -> list[YearFigure]:
    """Proposals registered and answered of the sessions opening in `year`, linked to the
    session's handling report (or to the year's proposals when there are several)."""
    if not user.has_perm("proposals.report_proposal"):
        return []
    counts = year_counts(year=year)
    if len(counts["sessions"]) == 1:
        url = reverse("proposals:report", args=[counts["sessions"][0]])
    else:
        url = f"{reverse('proposals:list')}?{urlencode({'year': year})}"
    return [
        YearFigure("proposals.registered", _("提案立案"), counts["registered"], url),
        YearFigure("proposals.replied", _("提案已答复"), counts["replied"], url),
    ]
