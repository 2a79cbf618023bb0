"""An edition's setup and its steps, run by the competition office (the union office): create
it under its level's rules, open and close nominations (the system actor closes them at their
time), and move it on; the steps that compute (closing the scoring, publishing, releasing)
are in `results`."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.accounts.access import permission_require
from gonghui.competitions.choices import HOSTED_LEVELS, LEVEL_ORDER, CompetitionStatus, Level
from gonghui.competitions.models import Competition
from gonghui.competitions.services.rules import rules_in_force
from gonghui.competitions.workflow import CompetitionWorkflow
from gonghui.core.exceptions import ApplicationError
from gonghui.core.models import AuditAction
from gonghui.core.service_kit import audit, required_text
from gonghui.core.workflow import transition
from gonghui.people.models import SubUnion

MANAGE = "competitions.manage_competition"


@transaction.atomic
def competition_create(
    *,
    actor,
    level: str,
    year: int,
    title: str,
    number: int | None = None,
    organiser: str = "",
    college: SubUnion | None = None,
    nominations_close: datetime.datetime | None = None,
    materials_due: datetime.datetime | None = None,
    held_on: datetime.date | None = None,
    publicity_days: int = 5,
    entered: bool = True,
    participants_recorded: int | None = None,
    feeds_into: Competition | None = None,
    note: str = "",
) -> Competition:
    """A new edition. One the university runs takes the level's rules in force for the year;
    a Beijing or national edition takes them if adopted (its groups and prizes, to record
    results by), else none (an edition older than the system, kept for the history)."""
    permission_require(actor, "competitions.add_competition")
    permission_require(actor, MANAGE)
    if level not in Level.values:
        raise ApplicationError(_("未知的级别。"), extra={"field": "level"})
    rules = rules_in_force(level, year)
    if level in HOSTED_LEVELS and rules is None:
        raise ApplicationError(
            _("%(year)s年%(level)s比赛方案尚未通过：请先通过比赛方案。") % {"year": year, "level": Level(level).label},
            extra={"field": "year"},
        )
    if level == Level.COLLEGE and college is None:
        raise ApplicationError(_("院级比赛须选择举办学院。"), extra={"field": "college"})
    if nominations_close and materials_due and materials_due < nominations_close:
        raise ApplicationError(_("材料截止时间不能早于推荐截止时间。"), extra={"field": "materials_due"})
    if feeds_into is not None and LEVEL_ORDER[Level(feeds_into.level)] <= LEVEL_ORDER[Level(level)]:
        raise ApplicationError(_("只能推荐至更高一级的比赛。"), extra={"field": "feeds_into"})
    if number is not None and Competition.objects.filter(level=level, number=number, college=college).exists():
        raise ApplicationError(_("这一级别已有第 %(n)s 届比赛。") % {"n": number}, extra={"field": "number"})
    competition = Competition.objects.create(
        level=level,
        year=year,
        number=number,
        title=required_text(title, _("请填写比赛名称。"), field="title"),
        organiser=organiser.strip(),
        college=college,
        rules=rules,
        nominations_close=nominations_close,
        materials_due=materials_due,
        held_on=held_on,
        publicity_days=publicity_days,
        entered=entered if level not in HOSTED_LEVELS else True,
        participants_recorded=participants_recorded,
        feeds_into=feeds_into,
        note=note.strip(),
        created_by=actor,
    )
    audit(actor, competition, AuditAction.CREATED, _("新建比赛：%(title)s") % {"title": competition.title})
    return competition


@transaction.atomic
def competition_link(*, actor, competition: Competition, feeds_into: Competition | None) -> Competition:
    """Name (or clear) the next level's edition the winners are recommended to."""
    permission_require(actor, MANAGE, competition)
    if feeds_into is not None and LEVEL_ORDER[Level(feeds_into.level)] <= LEVEL_ORDER[Level(competition.level)]:
        raise ApplicationError(_("只能推荐至更高一级的比赛。"), extra={"field": "feeds_into"})
    before = competition.feeds_into
    competition.feeds_into = feeds_into
    competition.save(update_fields=["feeds_into", "updated_at"])
    audit(
        actor,
        competition,
        AuditAction.UPDATED,
        _("推荐至：%(before)s → %(after)s") % {"before": before or "—", "after": feeds_into or "—"},
    )
    return competition


@transaction.atomic
def competition_step(*, actor, competition: Competition, step: str, message: str = "") -> Competition:
    """A step with no computation of its own (open or close nominations, open the scoring,
    confirm the entered results)."""
    if step not in ("open_nominations", "close_nominations", "open_scoring", "record"):
        raise ApplicationError(_("未知的操作。"))
    return transition(CompetitionWorkflow, competition, step=step, actor=actor, message=message)


def competitions_due(*, actor) -> int:
    """Close the nominations of editions whose nomination deadline has passed (cron / task)."""
    closed = 0
    now = timezone.now()
    for competition in Competition.objects.filter(status=CompetitionStatus.NOMINATING, nominations_close__lte=now):
        transition(CompetitionWorkflow, competition, step="close_nominations", actor=actor)
        closed += 1
    return closed
