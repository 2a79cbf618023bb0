"""What waits in the cadre appraisal: for the union office, rounds to open or close at their
time and closed rounds to count; for tellers, paper ballots to agree; for the organisation
department, counted rounds to release. A voter's card asks them to vote."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.accounts.access import get_access
from gonghui.accounts.roles import Role
from gonghui.appraisals.choices import RoundStatus
from gonghui.appraisals.models import AppraisalRound, reads_results
from gonghui.core.registry import ServiceCard, TodoQueue
from gonghui.core.workbench import queue_count


def _list_url(status: str) -> str:
    return f"{reverse('appraisals:list')}?status={status}"


def appraisals_todos(user) -> list[TodoQueue]:
    access = get_access(user)
    queues = []
    now = timezone.now()
    if user.has_perm("appraisals.manage_appraisalround") and access.writes_everything:
        office = Role.UNION_OFFICE.label
        due = AppraisalRound.objects.filter(
            Q(status=RoundStatus.REPORTS_PUBLISHED, opens_at__lte=now)
            | Q(status=RoundStatus.VOTING_OPEN, closes_at__lte=now)
        )
        queues.append(
            queue_count(
                due,
                key="appraisals.due",
                title=_("干部民主测评到了开始或截止投票的时间"),
                url=reverse("appraisals:list"),
                role=office,
            )
        )
        queues.append(
            queue_count(
                AppraisalRound.objects.filter(status=RoundStatus.VOTING_CLOSED),
                key="appraisals.to_count",
                title=_("干部民主测评投票已截止，待核对纸质票并计票"),
                url=_list_url(RoundStatus.VOTING_CLOSED),
                role=office,
            )
        )
    if reads_results(access):
        queues.append(
            queue_count(
                AppraisalRound.objects.filter(status=RoundStatus.TALLIED),
                key="appraisals.to_release",
                title=_("干部民主测评已计票，待启封结果"),
                url=_list_url(RoundStatus.TALLIED),
                role=Role.ORGANISATION_DEPARTMENT.label,
            )
        )
    return queues


def appraisals_cards(user) -> list[ServiceCard]:
    """A voter sees the units they vote in while the reports are out and the voting is open."""
    from gonghui.appraisals.selectors.rounds import my_ballots

    cards = []
    for ballot in my_ballots(user=user):
        unit = ballot.unit
        appraisal_round = unit.round
        if appraisal_round.status == RoundStatus.VOTING_OPEN and not ballot.voted and not ballot.paper_only:
            line = _("投票中，%(at)s截止") % {
                "at": timezone.localtime(appraisal_round.closes_at).strftime("%m-%d %H:%M")
            }
            action, badge = _("投票"), 1
        elif ballot.voted:
            line, action, badge = _("您已投票，谢谢"), "", 0
        else:
            line = _("述职报告已公开，%(at)s开始投票") % {
                "at": timezone.localtime(appraisal_round.opens_at).strftime("%m-%d %H:%M")
            }
            action, badge = _("阅读述职报告"), 0
        cards.append(
            ServiceCard(
                title=f"{appraisal_round.title} · {unit.sub_union.name}",
                lines=(line,),
                url=reverse("appraisals:unit", args=[unit.pk]),
                action=action,
                icon="shield-check",
                badge=badge,
            )
        )
    return cards
