"""Reading editions for the competition office's pages: one edition as the user may see it, the
editions listed by level and year, an edition's course (its steps and the office's changes,
in time order), the judges' score table of each entry (who gave which score, which were
dropped) and the sheets' progress during the scoring."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from gonghui.competitions.choices import LEVEL_ORDER, EntryStatus, Level, SheetStatus
from gonghui.competitions.models import (
    Competition,
    CompetitionGroup,
    Entry,
    Judge,
    PartScore,
    ScoreAmendment,
    ScoreSheet,
)
from gonghui.competitions.scoring import EntryResult
from gonghui.competitions.selectors.judging import assignments
from gonghui.core.models import AuditAction, AuditEvent


def competition_get(*, user, pk) -> Competition | None:
    """The edition, if `user` may see it (its rules, college and next level's edition joined)."""
    return (
        Competition.objects.restrict(user)
        .select_related("rules", "college", "feeds_into", "feeds_into__rules")
        .filter(pk=pk)
        .first()
    )


def competition_list(*, user, filters: dict | None = None) -> QuerySet[Competition]:
    """The editions `user` may see, with how many entries each holds (a withdrawn one not),
    by level (college first), year (newest first) and number."""
    filters = filters or {}
    rows = (
        Competition.objects.restrict(user)
        .select_related("college")
        .annotate(entry_count=Count("entries", filter=~Q(entries__status=EntryStatus.WITHDRAWN)))
    )
    if filters.get("level"):
        rows = rows.filter(level=filters["level"])
    if filters.get("status"):
        rows = rows.filter(status=filters["status"])
    return rows.order_by("-year", "-number", "-pk")


@dataclass
class LevelEditions:
    level: str
    label: str
    years: list[tuple[int, list[Competition]]]


def editions_by_level(rows) -> list[LevelEditions]:
    """Editions grouped by level (in the levels' order), then by year (newest first)."""
    by_level: dict[str, dict[int, list[Competition]]] = defaultdict(lambda: defaultdict(list))
    for competition in rows:
        by_level[competition.level][competition.year].append(competition)
    return [
        LevelEditions(
            level=level,
            label=str(Level(level).label),
            years=sorted(by_level[level].items(), key=lambda item: -item[0]),
        )
        for level in sorted(by_level, key=lambda value: LEVEL_ORDER[Level(value)])
    ]


# --- the course of an edition -------------------------------------------------------------------


@dataclass(frozen=True)
class CourseEntry:
    at: datetime.datetime
    what: str
    detail: str
    actor: str


def competition_course(competition: Competition) -> list[CourseEntry]:
    """The edition's steps (its workflow events, with their message) and the office's other
    changes (creation, judges, awards, the next level's edition: its audit rows), in time
    order; a step's own audit row repeats its event and is left out."""
    entries = [
        CourseEntry(
            at=event.at,
            what=event.to_label if event.is_state_change else event.step,
            detail=event.message,
            actor=str(event.actor) if event.actor else "",
        )
        for event in competition.events.select_related("actor")
    ]
    audits = (
        AuditEvent.objects.filter(object_type=Competition._meta.label_lower, object_id=str(competition.pk))
        .exclude(action=AuditAction.STATUS_CHANGED)
        .select_related("actor")
        .order_by("at", "id")
    )
    entries += [
        CourseEntry(at=a.at, what=a.message or a.get_action_display(), detail="", actor=str(a.actor) if a.actor else "")
        for a in audits
    ]
    entries.sort(key=lambda entry: entry.at)  # stable: the same moment keeps each list's order
    return entries


# --- who gave which score ----------------------------------------------------------------------


@dataclass
class JudgeScore:
    judge: str
    score: Decimal
    dropped: bool


@dataclass
class PartLine:
    code: str
    label: str
    weight: int
    full_marks: int
    scores: list[JudgeScore]
    mean: Decimal | None
    weighted: Decimal | None


@dataclass
class EntryScores:
    """One entry's submitted scores part by part, each with its judge, and the result."""

    result: EntryResult
    parts: list[PartLine]
    sheets: int


def _mark_dropped(scores: list[tuple[str, Decimal]], dropped: list[Decimal]) -> list[JudgeScore]:
    """The scores in the judges' order, the dropped values marked (of equal scores, the first
    judge's; which of two equal scores is dropped changes nothing)."""
    left = Counter(dropped)
    marked = []
    for judge, score in scores:
        is_dropped = left[score] > 0
        if is_dropped:
            left[score] -= 1
        marked.append(JudgeScore(judge, score, is_dropped))
    return marked


def entry_scores(competition: Competition, results: list[EntryResult]) -> dict[int, EntryScores]:
    """For each result (keys are entries): the judges' submitted scores per part, the dropped
    ones marked, the trimmed mean and the weighted score (both shown to two places)."""
    parts = list(competition.rules.parts.all()) if competition.rules else []
    entry_ids = [result.key.pk for result in results]  # type: ignore[attr-defined]
    by_entry: dict[int, dict[str, list[tuple[str, Decimal]]]] = defaultdict(lambda: defaultdict(list))
    sheets: Counter[int] = Counter()
    rows = (
        PartScore.objects.filter(sheet__entry_id__in=entry_ids, sheet__status=SheetStatus.SUBMITTED)
        .order_by("sheet__entry_id", "-sheet__judge__is_chief", "sheet__judge_id", "part__position")
        .values_list("sheet__entry_id", "sheet_id", "sheet__judge__name", "part__code", "score")
    )
    seen_sheets = set()
    for entry_id, sheet_id, judge, code, score in rows:
        by_entry[entry_id][code].append((judge, score))
        if sheet_id not in seen_sheets:
            seen_sheets.add(sheet_id)
            sheets[entry_id] += 1
    out = {}
    for result in results:
        entry_id = result.key.pk  # type: ignore[attr-defined]
        lines = []
        for part in parts:
            part_result = result.parts.get(part.code)
            lines.append(
                PartLine(
                    code=part.code,
                    label=part.label,
                    weight=part.weight,
                    full_marks=part.full_marks,
                    scores=_mark_dropped(by_entry[entry_id][part.code], part_result.dropped if part_result else []),
                    mean=part_result.mean_shown() if part_result else None,
                    weighted=part_result.weighted_shown() if part_result else None,
                )
            )
        out[entry_id] = EntryScores(result=result, parts=lines, sheets=sheets[entry_id])
    return out


def amendments(competition: Competition) -> QuerySet[ScoreAmendment]:
    """The chief judge's changes of submitted scores, oldest first."""
    return (
        ScoreAmendment.objects.filter(sheet__entry__competition=competition)
        .select_related("sheet__judge", "sheet__entry__person", "part", "amended_by")
        .order_by("amended_at", "id")
    )


# --- the sheets' progress ------------------------------------------------------------------------


@dataclass
class SheetCell:
    entry: Entry
    state: str  # "submitted" / "draft" / "missing" / "conflict"
    note: str = ""


@dataclass
class JudgeProgress:
    judge: Judge
    cells: list[SheetCell] = field(default_factory=list)

    @property
    def submitted(self) -> int:
        return sum(1 for cell in self.cells if cell.state == "submitted")

    @property
    def owed(self) -> int:
        return sum(1 for cell in self.cells if cell.state in ("draft", "missing"))


@dataclass
class GroupProgress:
    group: CompetitionGroup
    entries: list[Entry]
    judges: list[JudgeProgress]


def sheet_progress(competition: Competition) -> list[GroupProgress]:
    """Per group, each judge's sheet of each entry: submitted, a draft, not started, or none
    owed (a conflict of interest, with its reason)."""
    states = {
        (judge_id, entry_id): status
        for judge_id, entry_id, status in ScoreSheet.objects.filter(entry__competition=competition).values_list(
            "judge_id", "entry_id", "status"
        )
    }
    groups: dict[int, GroupProgress] = {}
    judges: dict[int, JudgeProgress] = {}
    for pair in assignments(competition):
        group = groups.get(pair.entry.group_id)
        if group is None:
            group = groups[pair.entry.group_id] = GroupProgress(pair.entry.group, [], [])
        if pair.entry not in group.entries:
            group.entries.append(pair.entry)
        progress = judges.get(pair.judge.pk)
        if progress is None:
            progress = judges[pair.judge.pk] = JudgeProgress(pair.judge)
            group.judges.append(progress)
        if pair.conflict:
            cell = SheetCell(pair.entry, "conflict", pair.conflict)
        else:
            status = states.get((pair.judge.pk, pair.entry.pk))
            cell = SheetCell(
                pair.entry,
                "submitted"
                if status == SheetStatus.SUBMITTED
                else "draft"
                if status == SheetStatus.DRAFT
                else "missing",
            )
        progress.cells.append(cell)
    return sorted(groups.values(), key=lambda g: (g.group.position, g.group.pk))


SHEET_STATES = {
    "submitted": _("已提交"),
    "draft": _("评分中"),
    "missing": _("未开始"),
    "conflict": _("回避"),
}
