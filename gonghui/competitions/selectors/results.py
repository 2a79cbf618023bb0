"""The results of an edition, computed from the submitted sheets by `scoring` (exact until the
one rounding): per entry its raw, kept and dropped scores per part, its trimmed means, its
weighted and final score; per group the ranking and the prizes the rules give."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from gonghui.competitions.choices import SheetStatus
from gonghui.competitions.models import Competition, CompetitionGroup, Entry, PartScore, ScoringPart
from gonghui.competitions.scoring import EntryResult, Method, PartWeight, Prize, allocate, entry_result, rank
from gonghui.competitions.selectors.judging import JUDGED


@dataclass
class GroupResults:
    group: CompetitionGroup
    ranked: list[EntryResult]  # keys are Entry objects
    unscored: list[EntryResult]


def part_weights(competition: Competition) -> list[PartWeight]:
    parts: list[ScoringPart] = list(competition.rules.parts.all()) if competition.rules else []
    return [PartWeight(p.code, p.label, p.weight, p.full_marks) for p in parts]


def scores_by_entry(competition: Competition, entry_ids=None) -> dict[int, dict[str, list[Decimal]]]:
    """The submitted scores of each entry, by part code (drafts do not count)."""
    rows = PartScore.objects.filter(
        sheet__entry__competition=competition, sheet__status=SheetStatus.SUBMITTED
    ).values_list("sheet__entry_id", "part__code", "score")
    if entry_ids is not None:
        rows = rows.filter(sheet__entry_id__in=entry_ids)
    scores: dict[int, dict[str, list[Decimal]]] = defaultdict(lambda: defaultdict(list))
    for entry_id, code, score in rows:
        scores[entry_id][code].append(score)
    return scores


def competition_results(competition: Competition, entries: list[Entry] | None = None) -> list[GroupResults]:
    """Every group's ranking, computed now from the submitted sheets."""
    method = Method.of(competition.rules)
    weights = part_weights(competition)
    if entries is None:
        entries = list(
            competition.entries.filter(status__in=JUDGED)
            .select_related("person", "college", "group")
            .order_by("group__position", "appearance")
        )
    scores = scores_by_entry(competition, [e.pk for e in entries])
    by_group: dict[int, list[EntryResult]] = defaultdict(list)
    groups = {}
    for entry in entries:
        groups[entry.group_id] = entry.group
        by_group[entry.group_id].append(entry_result(entry, scores.get(entry.pk, {}), weights, method))
    prizes = [Prize(p.code, p.count, p.share) for p in competition.rules.prizes.all()] if competition.rules else []
    out = []
    for group_id, results in by_group.items():
        ranked = rank(results, method)
        allocate(ranked, prizes)
        out.append(GroupResults(groups[group_id], ranked, [r for r in results if r.final is None]))
    out.sort(key=lambda g: (g.group.position, g.group.pk))
    return out


def entry_breakdown(entry: Entry) -> EntryResult:
    """One entry's result, part by part (for the contestant's own page and the office)."""
    competition = entry.competition
    scores = scores_by_entry(competition, [entry.pk])
    return entry_result(entry, scores.get(entry.pk, {}), part_weights(competition), Method.of(competition.rules))
