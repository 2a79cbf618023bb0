"""What waits in draft deliberations (the workbench's to-do queues) and the member's card:
rounds past their closing time and roll-ups to send (the union office), opinions to answer
(the drafting unit), open rounds whose paper opinions a college collects (sub-union
officers); a member is asked for opinions on an open round."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.accounts.access import get_access
from gonghui.accounts.roles import Role
from gonghui.core.registry import ServiceCard, TodoQueue
from gonghui.core.workbench import queue_count
from gonghui.deliberations.choices import AnswerStatus, DeliberationStatus
from gonghui.deliberations.models import Deliberation, OpinionGroup, OpinionRound


def _list_url(status: str) -> str:
    return f"{reverse('deliberations:list')}?status={status}"


def deliberations_todos(user) -> list[TodoQueue]:
    access = get_access(user)
    queues = []
    visible = Deliberation.objects.restrict(user, "view")
    if user.has_perm("deliberations.manage_deliberation") and access.writes_everything:
        office = Role.UNION_OFFICE.label
        due = OpinionRound.objects.filter(
            deliberation__in=visible.filter(status=DeliberationStatus.OPEN), closes_at__lte=timezone.now()
        )
        queues.append(
            queue_count(
                due,
                key="deliberations.round_due",
                title=_("征求意见已到截止时间，待截止汇总"),
                url=_list_url(DeliberationStatus.OPEN),
                role=office,
                oldest="closes_at",
            )
        )
        queues.append(
            queue_count(
                OpinionRound.objects.filter(
                    deliberation__in=visible.filter(status=DeliberationStatus.SUMMARISING), sent_at__isnull=True
                ),
                key="deliberations.to_send",
                title=_("意见汇总待送起草单位"),
                url=_list_url(DeliberationStatus.SUMMARISING),
                role=office,
                oldest="closed_at",
            )
        )
    if user.has_perm("deliberations.answer_deliberation") and Role.HANDLING_UNIT_OFFICER in access.roles:
        pending = OpinionGroup.objects.filter(
            status=AnswerStatus.PENDING,
            round__deliberation__status=DeliberationStatus.AWAITING_RESPONSE,
            round__deliberation__drafting_unit_id__in=access.unit_ids,
        )
        queues.append(
            queue_count(
                pending,
                key="deliberations.to_answer",
                title=_("专题审议意见待答复"),
                url=_list_url(DeliberationStatus.AWAITING_RESPONSE),
                role=Role.HANDLING_UNIT_OFFICER.label,
                oldest="created_at",
            )
        )
    if Role.SUB_UNION_OFFICER in access.roles:
        now = timezone.now()
        queues.append(
            queue_count(
                OpinionRound.objects.filter(
                    Q(closed_at__isnull=True),
                    deliberation__in=visible.filter(status=DeliberationStatus.OPEN),
                    opens_at__lte=now,
                    closes_at__gt=now,
                ),
                key="deliberations.collect",
                title=_("专题审议征求意见中，请收集本学院意见"),
                url=_list_url(DeliberationStatus.OPEN),
                role=Role.SUB_UNION_OFFICER.label,
                oldest="opens_at",
            )
        )
    return queues


def deliberations_cards(user) -> list[ServiceCard]:
    """A member asked for opinions sees the open rounds; one who gave opinions, their fate."""
    from gonghui.deliberations.selectors.deliberations import my_opinions

    if getattr(user, "person_id", None) is None:
        return []
    now = timezone.now()
    open_rounds = (
        OpinionRound.objects.filter(
            deliberation__in=Deliberation.objects.restrict(user, "view").filter(status=DeliberationStatus.OPEN),
            opens_at__lte=now,
            closes_at__gt=now,
            closed_at__isnull=True,
            online=True,
        )
        .select_related("deliberation")
        .order_by("closes_at")
    )
    lines = [
        _("征求意见：%(topic)s，%(closes)s 截止")
        % {"topic": r.deliberation.topic[:20], "closes": timezone.localtime(r.closes_at).strftime("%m-%d")}
        for r in open_rounds[:2]
    ]
    mine = my_opinions(user=user)
    answered = mine.filter(round__answered_at__isnull=False).count()
    if answered:
        lines.append(_("您的 %(n)s 条意见已有答复") % {"n": answered})
    if not lines:
        return []
    return [
        ServiceCard(
            title=_("专题审议"),
            lines=tuple(lines),
            url=reverse("deliberations:list"),
            action=_("查看并提意见"),
            icon="file-text",
            badge=len(open_rounds[:9]),
        )
    ]
