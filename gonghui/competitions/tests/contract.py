"""Competitions' cases for the cross-module workflow contract test: an edition, an entry, a score
sheet and a rules edition in the step's source state, whose guards hold (the rules adopted,
both deadlines set and the materials deadline passed, no entry lacking materials or a judge),
with the union office; a sheet's own judge submits it, the chief judge amends it."""

from __future__ import annotations

import datetime
from collections.abc import Callable


def _competition(world, status: str, *, hosted: bool = True):
    from django.utils import timezone

    from gonghui.competitions.choices import Level
    from gonghui.competitions.models import Competition
    from gonghui.competitions.tests.factories import rules_make

    now = timezone.now()
    return Competition.objects.create(
        level=Level.UNIVERSITY if hosted else Level.BEIJING,
        year=2021,
        number=3,
        title="契约测试比赛",
        rules=rules_make(world) if hosted else None,
        status=status,
        nominations_close=now - datetime.timedelta(days=2),
        materials_due=now - datetime.timedelta(hours=1),
    )


def _competition_case(world, step, source):
    return _competition(world, source, hosted=step.name != "record"), world.users["union_office"], {}


def _entry(world, competition_status: str, status: str):
    from gonghui.competitions.models import Entry

    competition = _competition(world, competition_status)
    return Entry.objects.create(
        competition=competition,
        person=world.li,
        college=world.econ,
        group=competition.rules.groups.get(code="humanities-a"),
        status=status,
    )


def _entry_case(world, step, source):
    kwargs = {"message": "契约测试"} if step.message_required else {}
    return _entry(world, "nominating", source), world.users["union_office"], kwargs


def _sheet_case(world, step, source):
    from gonghui.competitions.models import Judge, ScoreSheet
    from gonghui.people.tests.factories import user_make

    entry = _entry(world, "scoring", "drawn")
    competition = entry.competition
    judge_user = user_make(username="contract-judge")
    judge = Judge.objects.create(competition=competition, group=entry.group, user=judge_user, name="契约评委")
    chief = user_make(username="contract-chief")
    Judge.objects.create(competition=competition, group=None, user=chief, name="评委会主任", is_chief=True)
    sheet = ScoreSheet.objects.create(entry=entry, judge=judge, status=source)
    return sheet, judge_user, {}


def _rules_case(world, step, source):
    from gonghui.competitions.choices import Level
    from gonghui.competitions.models import CompetitionGroup, CompetitionRules, PrizeTier, ScoringPart

    rules = CompetitionRules.objects.create(level=Level.UNIVERSITY, year=2031, name="契约测试方案", tie_break=[])
    CompetitionGroup.objects.create(edition=rules, code="all", discipline="综合")
    ScoringPart.objects.create(edition=rules, code="classroom", label="课堂教学", weight=100, full_marks=100)
    PrizeTier.objects.create(edition=rules, code="first", label="一等奖", count=1)
    if source != "draft":
        CompetitionRules.objects.filter(pk=rules.pk).update(status=source)
        rules.refresh_from_db()
    kwargs: dict = {}
    if step.name == "adopt":
        kwargs["values"] = {"adopted_on": datetime.date(2031, 1, 10), "resolution": "校工会〔2031〕1号"}
    return rules, world.users["union_office"], kwargs


CONTRACT: dict[str, Callable] = {
    "competitions.competition": _competition_case,
    "competitions.entry": _entry_case,
    "competitions.sheet": _sheet_case,
    "competitions.competitionrules": _rules_case,
}

__all__ = ["CONTRACT"]
