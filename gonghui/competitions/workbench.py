"""What waits in the teaching competition: for the competition office, editions whose nominations
are due to close, editions whose every sheet is in but whose scoring is not closed, and editions
whose publicity period is over but whose results are not released. A judge's card names the
sheets left to score; a contestant's, the materials still missing before the deadline, and
their results once released."""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.accounts.access import get_access
from gonghui.accounts.roles import Role
from gonghui.competitions.choices import CompetitionStatus, EntryStatus, SheetStatus
from gonghui.competitions.models import Competition, Entry, ScoreSheet
from gonghui.core.registry import ServiceCard, TodoQueue
from gonghui.core.workbench import queue_count

# How long after the release a contestant's card still says their results are out.
RESULTS_CARD_DAYS = 30


def _list_url(status: str) -> str:
    return f"{reverse('competitions:list')}?status={status}"


def _queue(rows: list[Competition], *, key: str, title: str, status: str) -> TodoQueue:
    """A queue of the few editions found in Python (a handful at most: one a level and year)."""
    url = reverse("competitions:detail", args=[rows[0].pk]) if len(rows) == 1 else _list_url(status)
    return TodoQueue(key=key, title=title, count=len(rows), url=url, role=str(Role.UNION_OFFICE.label))


def competitions_todos(user) -> list[TodoQueue]:
    access = get_access(user)
    if not (access.writes_everything and user.has_perm("competitions.manage_competition")):
        return []
    from gonghui.competitions.selectors.judging import sheets_missing

    office = str(Role.UNION_OFFICE.label)
    now = timezone.now()
    queues = [
        queue_count(
            Competition.objects.filter(status=CompetitionStatus.NOMINATING, nominations_close__lte=now),
            key="competitions.nominations_due",
            title=_("青教赛推荐报名已到截止时间，待截止"),
            url=_list_url(CompetitionStatus.NOMINATING),
            role=office,
        )
    ]
    scoring = [c for c in Competition.objects.filter(status=CompetitionStatus.SCORING) if not sheets_missing(c)]
    queues.append(
        _queue(
            scoring,
            key="competitions.scoring_complete",
            title=_("青教赛评分表已全部提交，待结束评分"),
            status=CompetitionStatus.SCORING,
        )
    )
    today = timezone.localdate()
    over = [
        c
        for c in Competition.objects.filter(status=CompetitionStatus.PUBLICITY)
        if c.publicity_until is not None and today > c.publicity_until
    ]
    queues.append(
        _queue(
            over,
            key="competitions.publicity_over",
            title=_("青教赛公示期已满，待发布结果"),
            status=CompetitionStatus.PUBLICITY,
        )
    )
    return queues


def _judge_cards(user) -> list[ServiceCard]:
    """A judge's panels being scored: how many of their sheets are still to submit."""
    from gonghui.competitions.selectors.judging import JUDGED, conflict, judgeships

    cards = []
    for judge in judgeships(user):
        if judge.group_id is None:
            continue
        competition = judge.competition
        if competition.status != CompetitionStatus.SCORING:
            cards.append(
                ServiceCard(
                    title=f"{competition.title} · {judge.group}",
                    lines=(_("您是本组评委；评分尚未开始。"),),
                    url=reverse("competitions:judge_queue", args=[judge.pk]),
                    action=_("查看参赛教师"),
                    icon="clipboard-list",
                )
            )
            continue
        entries = competition.entries.filter(group_id=judge.group_id, status__in=JUDGED).select_related("college")
        person_id = getattr(user, "person_id", None)
        scorable = [e.pk for e in entries if not conflict(judge, e, person_id)]
        submitted = ScoreSheet.objects.filter(judge=judge, entry_id__in=scorable, status=SheetStatus.SUBMITTED).count()
        left = len(scorable) - submitted
        line = (
            _("待评分 %(left)s 人，已提交 %(done)s 人") % {"left": left, "done": submitted}
            if left
            else _("本组评分表已全部提交，谢谢")
        )
        cards.append(
            ServiceCard(
                title=f"{competition.title} · {judge.group}",
                lines=(line,),
                url=reverse("competitions:judge_queue", args=[judge.pk]),
                action=_("评分") if left else "",
                icon="clipboard-list",
                badge=left,
            )
        )
    return cards


def _contestant_cards(user) -> list[ServiceCard]:
    """A contestant's entry whose materials are open (what is missing, by when), and their
    results for a month after the release."""
    from gonghui.competitions.selectors.entries import materials_missing

    person_id = getattr(user, "person_id", None)
    if not person_id:
        return []
    now = timezone.now()
    recent = now - datetime.timedelta(days=RESULTS_CARD_DAYS)
    entries = (
        Entry.objects.filter(person_id=person_id)
        .filter(
            Q(status__in=(EntryStatus.NOMINATED, EntryStatus.SUBMITTED), competition__materials_due__gte=now)
            | Q(competition__status=CompetitionStatus.RELEASED, competition__released_at__gte=recent)
        )
        .select_related("competition__rules")
        .order_by("competition__materials_due", "pk")
    )
    cards = []
    for entry in entries:
        competition = entry.competition
        if competition.status == CompetitionStatus.RELEASED:
            cards.append(
                ServiceCard(
                    title=competition.title,
                    lines=(_("比赛结果已发布：可查看本人成绩和获奖证书。"),),
                    url=reverse("competitions:mine"),
                    action=_("查看成绩"),
                    icon="circle-check",
                )
            )
            continue
        due = timezone.localtime(competition.materials_due).strftime("%m-%d %H:%M")
        missing = materials_missing(entry)
        if missing:
            line = _("参赛材料%(at)s截止，尚缺：%(list)s") % {"at": due, "list": "、".join(missing)}
        else:
            line = _("参赛材料已齐全；%(at)s前仍可更换") % {"at": due}
        cards.append(
            ServiceCard(
                title=competition.title,
                lines=(line,),
                url=reverse("competitions:entry", args=[entry.pk]),
                action=_("上传材料") if missing else _("查看"),
                icon="file-text",
                badge=1 if missing else 0,
            )
        )
    return cards


def competitions_cards(user) -> list[ServiceCard]:
    return _judge_cards(user) + _contestant_cards(user)
