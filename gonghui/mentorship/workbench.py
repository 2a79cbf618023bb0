"""What waits in mentorship pairing (拜师结对).

- The union office: proposals waiting for their agreement, active pairs whose cycle has ended
  (to assess, by cohort), and stipends due that no payroll list holds yet (by cohort).
- A college's officer: duties their college's pairs logged that wait for confirmation (by
  cohort), and their college's pairs proposed but not yet agreed.
- A mentor or a mentee: their pair, when its duties of the cycle year are below the
  requirement and a term ends within the rules' reminder days.

A member in a pair has a portal card with the pair's counters of the current cycle year."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.accounts.access import get_access
from gonghui.accounts.roles import Role
from gonghui.core.registry import ServiceCard, TodoQueue
from gonghui.core.workbench import queue_count, queues_grouped
from gonghui.mentorship.choices import (
    LIVE_PAIR_STATUSES,
    LOGGING_PAIR_STATUSES,
    CohortStatus,
    DutyStatus,
    PairStatus,
    StipendBatchStatus,
    StipendKind,
)
from gonghui.mentorship.models import Assessment, DutyLog, Pair
from gonghui.mentorship.selectors.counters import YearCounters, pair_counters, year_of


def _pairs_url(**filters) -> str:
    return f"{reverse('mentorship:pairs')}?{urlencode(filters)}"


def _office_queues(today: datetime.date) -> list[TodoQueue]:
    office = str(Role.UNION_OFFICE.label)
    queues = [
        queue_count(
            Pair.objects.filter(status=PairStatus.PROPOSED),
            key="mentorship.proposed",
            title=_("拜师结对已推荐，待签订协议"),
            url=_pairs_url(status=PairStatus.PROPOSED),
            role=office,
            oldest="created_at",
            today=today,
        )
    ]
    queues += queues_grouped(
        Pair.objects.filter(status=PairStatus.ACTIVE, cohort__ends_on__lt=today),
        group=("cohort_id", "cohort__name"),
        make=lambda v: {
            "key": f"mentorship.to_assess.{v['cohort_id']}",
            "title": _("%(cohort)s培养期已满，待考核") % {"cohort": v["cohort__name"]},
            "url": _pairs_url(cohort=v["cohort_id"], status=PairStatus.ACTIVE),
        },
        role=office,
        oldest="cohort__ends_on",
        today=today,
    )
    due = (
        Assessment.objects.filter(stipend__gt=0)
        .exclude(entries__kind=StipendKind.PAYMENT)
        .exclude(stipend_batches__status=StipendBatchStatus.PREPARED)
    )
    queues += queues_grouped(
        due,
        group=("pair__cohort_id", "pair__cohort__name"),
        make=lambda v: {
            "key": f"mentorship.stipends_due.{v['pair__cohort_id']}",
            "title": _("%(cohort)s导师津贴待列入发放表") % {"cohort": v["pair__cohort__name"]},
            "url": reverse("mentorship:stipends", args=[v["pair__cohort_id"]]),
        },
        role=office,
        oldest="assessed_on",
        today=today,
    )
    return queues


def _college_queues(colleges: list[int], today: datetime.date) -> list[TodoQueue]:
    officer = str(Role.SUB_UNION_OFFICER.label)
    queues = queues_grouped(
        DutyLog.objects.filter(status=DutyStatus.LOGGED, pair__college_id__in=colleges),
        group=("pair__cohort_id", "pair__cohort__name"),
        make=lambda v: {
            "key": f"mentorship.duties_logged.{v['pair__cohort_id']}",
            "title": _("%(cohort)s师徒履职记录待确认") % {"cohort": v["pair__cohort__name"]},
            "url": reverse("mentorship:duties", args=[v["pair__cohort_id"]]),
        },
        role=officer,
        oldest="created_at",
        today=today,
    )
    queues.append(
        queue_count(
            Pair.objects.filter(status=PairStatus.PROPOSED, college_id__in=colleges),
            key="mentorship.college_proposed",
            title=_("本单位推荐的师徒待签订协议"),
            url=_pairs_url(status=PairStatus.PROPOSED),
            role=officer,
            oldest="created_at",
            today=today,
        )
    )
    return queues


def _current_year(pair: Pair, today: datetime.date) -> YearCounters | None:
    index = year_of(pair.cohort, today)
    return pair_counters(pair)[index - 1] if index else None


def _own_pairs(person_id: int, statuses) -> list[Pair]:
    return list(
        Pair.objects.filter(Q(mentor_id=person_id) | Q(mentee_id=person_id), status__in=statuses)
        .select_related("cohort__rules", "mentor", "mentee", "previous")
        .order_by("-cohort__number", "pk")
    )


def _member_queues(person_id: int, today: datetime.date) -> list[TodoQueue]:
    """One queue per own pair of a running cohort behind on its duties before a term ends."""
    from gonghui.mentorship.services.notices import term_end_ahead

    queues = []
    for pair in _own_pairs(person_id, LOGGING_PAIR_STATUSES):
        if pair.cohort.status != CohortStatus.RUNNING:
            continue
        end = term_end_ahead(pair.cohort, today)
        year = _current_year(pair, today) if end else None
        if year is None or year.done:
            continue
        missing = "、".join(f"{c.label} {c.missing}" for c in year.counters if c.missing)
        queues.append(
            TodoQueue(
                key=f"mentorship.behind.{pair.pk}",
                title=_("学期将于 %(end)s 结束，本年度履职还差%(missing)s")
                % {"end": end.isoformat(), "missing": missing},
                count=1,
                url=reverse("mentorship:pair", args=[pair.pk]),
                role=str(Role.MEMBER.label),
                deadline=end,
            )
        )
    return queues


def mentorship_todos(user, *, today: datetime.date | None = None) -> list[TodoQueue]:
    today = today or timezone.localdate()
    access = get_access(user)
    queues: list[TodoQueue] = []
    if access.writes_everything and user.has_perm("mentorship.manage_cohort"):
        queues += _office_queues(today)
    if Role.SUB_UNION_OFFICER in access.roles and access.sub_union_ids and user.has_perm("mentorship.change_dutylog"):
        queues += _college_queues(list(access.sub_union_ids), today)
    if access.person_id:
        queues += _member_queues(access.person_id, today)
    return queues


def _counter_line(year: YearCounters) -> str:
    parts = []
    for c in year.counters:
        text = f"{c.label} {c.confirmed}/{c.required}"
        if c.pending:
            text += _("（待确认 %(n)s）") % {"n": c.pending}
        parts.append(text)
    return _("第%(n)s年度：%(counters)s") % {"n": year.index, "counters": "，".join(parts)}


def mentorship_cards(user) -> list[ServiceCard]:
    """A card per own live pair: the other side, the status and this cycle year's counters."""
    person_id = getattr(user, "person_id", None)
    if not person_id:
        return []
    today = timezone.localdate()
    cards = []
    for pair in _own_pairs(person_id, LIVE_PAIR_STATUSES):
        if pair.mentor_id == person_id:
            who = _("青年教师：%(name)s") % {"name": pair.mentee.name}
        else:
            who = _("指导教师：%(name)s") % {"name": pair.mentor.name}
        lines = [f"{who} · {pair.get_status_display()}"]
        logging = pair.status in LOGGING_PAIR_STATUSES
        year = _current_year(pair, today) if logging else None
        if year is not None:
            lines.append(_counter_line(year))
        cards.append(
            ServiceCard(
                title=pair.cohort.name,
                lines=tuple(lines),
                url=reverse("mentorship:pair", args=[pair.pk]),
                action=_("记录履职") if logging else _("查看"),
                icon="users",
            )
        )
    return cards
