"""Reading the judging: which judge scores which entry (conflicts of interest kept out), which
sheets are still missing, and a judge's own queue."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from gonghui.competitions.choices import EntryStatus, SheetStatus
from gonghui.competitions.models import Competition, Entry, Judge, ScoreSheet

# Entries that are judged: drawn and on (a withdrawn one is not).
JUDGED = (EntryStatus.DRAWN, EntryStatus.SCORED, EntryStatus.PLACED, EntryStatus.NOT_PLACED, EntryStatus.RECOMMENDED)


def conflict(judge: Judge, entry: Entry, judge_person_id: int | None = None) -> str:
    """Why `judge` may not score `entry` ("" when they may): their own college's contestant,
    one they coached, or themselves."""
    person_id = judge_person_id if judge_person_id is not None else getattr(judge.user, "person_id", None)
    if person_id is not None and person_id == entry.person_id:
        return _("评委不能为自己评分。")
    if judge.college_id is not None and judge.college_id == entry.college_id:
        return _("评委不能为本单位（%(college)s）的参赛教师评分。") % {"college": entry.college.name}
    if person_id is not None and person_id == entry.coach_id:
        return _("评委不能为自己指导的参赛教师评分。")
    return ""


@dataclass
class Assignment:
    judge: Judge
    entry: Entry
    conflict: str


def assignments(competition: Competition) -> list[Assignment]:
    """Every (judge, entry) pair of the same group, with its conflict if any."""
    judges = list(Judge.objects.filter(competition=competition, group__isnull=False).select_related("user", "group"))
    entries = list(
        competition.entries.filter(status__in=JUDGED)
        .select_related("person", "college", "group")
        .order_by("group__position", "appearance")
    )
    pairs = []
    for judge in judges:
        for entry in entries:
            if entry.group_id == judge.group_id:
                pairs.append(Assignment(judge, entry, conflict(judge, entry, judge.user.person_id)))
    return pairs


def judging_problems(competition: Competition) -> list[str]:
    """What stops the scoring from opening: a group with entries but no judge, or an entry no
    judge may score."""
    problems = []
    pairs = assignments(competition)
    entries = {a.entry.pk: a.entry for a in pairs}
    entries.update({e.pk: e for e in competition.entries.filter(status__in=JUDGED).select_related("person", "group")})
    judged_groups = {a.judge.group_id for a in pairs}
    named: set[int] = set()
    for entry in entries.values():
        if entry.group_id not in judged_groups:
            if entry.group_id not in named:  # name each group once
                problems.append(_("“%(group)s”还没有评委。") % {"group": entry.group})
                named.add(entry.group_id)
            continue
        free = [a for a in pairs if a.entry.pk == entry.pk and not a.conflict]
        if not free:
            problems.append(_("没有可以为%(name)s评分的评委（均须回避）。") % {"name": entry.person.name})
    return problems


def sheets_missing(competition: Competition) -> list[str]:
    """The sheets still owed, as "judge → contestant" (a conflicted pair owes none)."""
    submitted = set(
        ScoreSheet.objects.filter(entry__competition=competition, status=SheetStatus.SUBMITTED).values_list(
            "judge_id", "entry_id"
        )
    )
    return [
        f"{a.judge.name} → {a.entry.person.name}"
        for a in assignments(competition)
        if not a.conflict and (a.judge.pk, a.entry.pk) not in submitted
    ]


@dataclass
class QueueRow:
    entry: Entry
    sheet: ScoreSheet | None
    conflict: str


def judge_queue(judge: Judge) -> list[QueueRow]:
    """A judge's entries in order of appearance, with their sheet (if started)."""
    sheets = {s.entry_id: s for s in ScoreSheet.objects.filter(judge=judge)}
    entries = (
        judge.competition.entries.filter(group=judge.group, status__in=JUDGED)
        .select_related("person", "college", "group")
        .order_by("appearance", "pk")
    )
    person_id = judge.user.person_id
    return [QueueRow(entry, sheets.get(entry.pk), conflict(judge, entry, person_id)) for entry in entries]


def judgeships(user) -> list[Judge]:
    """The user's places on judging panels of editions now being scored or drawn."""
    from gonghui.competitions.choices import CompetitionStatus

    return list(
        Judge.objects.filter(
            user=user, competition__status__in=(CompetitionStatus.DRAWN, CompetitionStatus.SCORING)
        ).select_related("competition", "group")
    )
