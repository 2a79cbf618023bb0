"""A teacher's own page of the competition: their entries across editions and, once an edition's
results are released, their own scores only — each judge's raw scores (judges anonymised as
评委1…n, the dropped ones marked), the trimmed mean and weighted score of each part, the final
score, the rank and the awards — and their certificates with the PDF. Before the release no
score is shown; the page says when they will be. A coach sees the entries they coached (never
another's scores)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.shortcuts import render
from django.views import View

from gonghui.accounts.access import get_access
from gonghui.competitions.choices import CompetitionStatus, SheetStatus
from gonghui.competitions.models import FINAL_STATUSES, Award, Entry, PartScore, ScoreSheet, ScoringPart
from gonghui.competitions.selectors.certificates import certificates_for_user
from gonghui.competitions.selectors.results import entry_breakdown
from gonghui.competitions.views.judging import score_text
from gonghui.core.pages import MemberPageMixin


@dataclass
class PartColumn:
    part: ScoringPart
    mean: Decimal | None
    weighted: Decimal | None
    trimmed: bool  # highest and lowest dropped


@dataclass
class JudgeLine:
    label: str
    cells: list[tuple[str, bool]]  # (score as shown, dropped)


@dataclass
class Breakdown:
    columns: list[PartColumn]
    judges: list[JudgeLine]
    final: Decimal | None
    rank: int | None
    ranked: int


@dataclass
class EntryCard:
    entry: Entry
    final: bool
    awards: list[Award] = field(default_factory=list)
    breakdown: Breakdown | None = None


def breakdown(user, entry: Entry) -> Breakdown | None:
    """The contestant's own scores of a released edition, from the sheets they may read."""
    competition = entry.competition
    rules = competition.rules
    if rules is None or not competition.hosted:
        return None
    sheets = list(
        ScoreSheet.objects.restrict(user)
        .filter(entry=entry, status=SheetStatus.SUBMITTED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if not sheets:
        return None
    parts = list(rules.parts.all())
    scores = {
        (sheet_id, part_id): score
        for sheet_id, part_id, score in PartScore.objects.filter(sheet_id__in=sheets).values_list(
            "sheet_id", "part_id", "score"
        )
    }
    result = entry_breakdown(entry)
    places = rules.places
    columns = []
    dropped: dict[int, Counter] = {}
    for part in parts:
        part_result = result.parts.get(part.code)
        columns.append(
            PartColumn(
                part,
                part_result.mean_shown(places) if part_result else None,
                part_result.weighted_shown(places) if part_result else None,
                bool(part_result and part_result.dropped),
            )
        )
        dropped[part.pk] = Counter(part_result.dropped if part_result else [])
    judges = []
    for number, sheet_id in enumerate(sheets, 1):
        cells = []
        for part in parts:
            score = scores.get((sheet_id, part.pk))
            left = dropped[part.pk]
            is_dropped = score is not None and left[score] > 0
            if is_dropped:
                left[score] -= 1
            cells.append((score_text(score), is_dropped))
        judges.append(JudgeLine(str(number), cells))
    ranked = competition.entries.filter(group_id=entry.group_id, rank__isnull=False).count()
    return Breakdown(columns, judges, result.final, entry.rank, ranked)


class MineView(MemberPageMixin, View):
    """The signed-in teacher's entries, scores (after release), awards and certificates."""

    def get(self, request):
        access = get_access(request.user)
        person_id = access.person_id
        cards: list[EntryCard] = []
        coached: list[EntryCard] = []
        certificates = []
        if person_id:
            entries = (
                Entry.objects.restrict(request.user)
                .filter(Q(person_id=person_id) | Q(coach_id=person_id))
                .select_related("competition__rules", "group", "college", "coach", "person")
                .order_by("-competition__year", "-competition_id", "pk")
            )
            awards: dict[int, list[Award]] = {}
            for award in Award.objects.restrict(request.user).filter(entry__in=entries).order_by("kind", "pk"):
                awards.setdefault(award.entry_id, []).append(award)
            for entry in entries:
                final = entry.competition.status in FINAL_STATUSES
                card = EntryCard(entry, final, awards.get(entry.pk, []))
                if entry.person_id == person_id:
                    if final:
                        card.breakdown = breakdown(request.user, entry)
                    cards.append(card)
                else:
                    coached.append(card)
            certificates = list(
                certificates_for_user(request.user).filter(
                    Q(award__person_id=person_id) | Q(award__entry__person_id=person_id)
                )
            )
        context = {
            "cards": cards,
            "coached": coached,
            "certificates": certificates,
            "has_person": bool(person_id),
            "publicity": CompetitionStatus.PUBLICITY,
        }
        return render(request, "competitions/mine/mine.html", context)
