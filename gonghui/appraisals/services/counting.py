"""The count of a closed round: per unit, the turnout against the quorum; per cadre (and the
team), the counts per category and grade from the online ballots (core's tally) and the agreed
paper counts, the weighted shares and score, and the flags. Written once, when the round is
counted; read by the organisation department alone."""

from __future__ import annotations

from collections import Counter
from fractions import Fraction

from django.db.models import Count

from gonghui.appraisals.choices import BallotKind, Comparison
from gonghui.appraisals.models import (
    AppraisalResult,
    AppraisalRound,
    Cadre,
    EligibleVoter,
    PaperCount,
    PaperHandout,
    RoundUnit,
    UnitTurnout,
)
from gonghui.appraisals.tally import Flag, Scale, weighted_result
from gonghui.core.ballots import ballot_tallies


def _flags(rules, kind: str) -> list[Flag]:
    return [
        Flag(
            code=f.code,
            grades=frozenset(f.grades),
            above=f.comparison == Comparison.ABOVE,
            threshold=Fraction(f.numerator, f.denominator),
        )
        for f in rules.flags.all()
        if f.kind == kind
    ]


def _grouped(queryset, field: str) -> dict[int, Counter]:
    """{round unit id: Counter(category -> rows)} of `queryset`, in one grouped query."""
    grouped: dict[int, Counter] = {}
    for unit_id, category, n in queryset.values_list(field, "category").annotate(n=Count("pk")).order_by():
        grouped.setdefault(unit_id, Counter())[category] += n
    return grouped


def _round_counts(appraisal_round: AppraisalRound, units: list[RoundUnit]) -> dict[int, tuple]:
    """Per unit: ({item: {category: {grade: n}}}, online voters per category, paper ballots per
    category, spoilt paper ballots per category, eligible voters per category). A handful of
    grouped queries for the whole round, whatever its number of units: the online ballots
    counted by core's store for every box at once, the paper counts, the handouts and the
    electorate each in one query."""
    tallies = ballot_tallies([unit.box for unit in units if unit.box_id is not None])
    handed = _grouped(PaperHandout.objects.filter(round_unit__round=appraisal_round), "round_unit_id")
    eligible = _grouped(EligibleVoter.objects.filter(round_unit__round=appraisal_round), "round_unit_id")
    paper_counts: dict[int, list[PaperCount]] = {}
    for count in PaperCount.objects.filter(round_unit__round=appraisal_round):
        paper_counts.setdefault(count.round_unit_id, []).append(count)
    out = {}
    for unit in units:
        items: dict[str, dict[str, Counter]] = {}
        online: Counter = Counter()
        if unit.box_id is not None:
            tally = tallies[unit.box_id]
            for category, by_item in tally.by_category.items():
                for key, by_grade in by_item.items():
                    items.setdefault(key, {}).setdefault(category, Counter()).update(by_grade)
            online.update(tally.voted_by_category)
            online.subtract(handed.get(unit.pk, Counter()))
        paper: Counter = Counter()
        spoilt: Counter = Counter()
        for count in paper_counts.get(unit.pk, []):
            paper[count.category] += count.ballots
            spoilt[count.category] += count.spoilt
            for key, by_grade in count.counts.items():
                items.setdefault(key, {}).setdefault(count.category, Counter()).update(by_grade)
        out[unit.pk] = (items, online, paper, spoilt, eligible.get(unit.pk, Counter()))
    return out


def results_write(appraisal_round: AppraisalRound) -> None:
    rules = appraisal_round.rules
    categories = list(rules.categories.all())
    weights = {c.code: c.weight for c in categories}
    quorum_codes = {c.code for c in categories if c.counts_for_quorum}
    scales = {kind: Scale(tuple((g.code, g.score) for g in rules.scale(kind))) for kind in BallotKind.values}
    flags = {kind: _flags(rules, kind) for kind in BallotKind.values}
    turnouts, results = [], []
    units = list(RoundUnit.objects.filter(round=appraisal_round).select_related("box").prefetch_related("cadres"))
    per_unit = _round_counts(appraisal_round, units)
    for unit in units:
        items, online, paper, spoilt, eligible = per_unit[unit.pk]
        base = sum(n for c, n in eligible.items() if c in quorum_codes)
        counted = sum(online[c] + paper[c] for c in quorum_codes)
        needed = rules.quorum_for(base)
        met = base > 0 and counted >= needed
        turnouts.append(
            UnitTurnout(
                round_unit=unit,
                eligible=sum(eligible.values()),
                quorum_base=base,
                quorum_needed=needed,
                quorum_counted=counted,
                online=sum(online.values()),
                paper=sum(paper.values()),
                spoilt=sum(spoilt.values()),
                by_category={
                    c.code: {"eligible": eligible[c.code], "online": online[c.code], "paper": paper[c.code]}
                    for c in categories
                },
                quorum_met=met,
            )
        )
        subjects: list[tuple[Cadre | None, str, str]] = [
            (cadre, BallotKind.CADRE, cadre.item_key) for cadre in unit.cadres.all()
        ]
        if rules.team_ballot:
            subjects.append((None, BallotKind.TEAM, "team"))
        for cadre, kind, key in subjects:
            by_category = {c: dict(grades) for c, grades in items.get(key, {}).items()}
            result = weighted_result(by_category, weights, scales[kind], flags[kind])
            results.append(
                AppraisalResult(
                    round_unit=unit,
                    cadre=cadre,
                    kind=kind,
                    counts=by_category,
                    valid={c: sum(grades.values()) for c, grades in by_category.items()},
                    shares=result.shares_text(),
                    score=result.score,
                    flags=result.flags,
                    final=met,
                )
            )
    UnitTurnout.objects.bulk_create(turnouts, batch_size=500)
    AppraisalResult.objects.bulk_create(results, batch_size=500)
