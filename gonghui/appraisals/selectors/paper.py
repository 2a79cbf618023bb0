"""Where the paper count of a round stands: what the tellers have entered, what is agreed."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count

from gonghui.appraisals.choices import VotingMode
from gonghui.appraisals.models import AppraisalRound, PaperBallot, PaperCount, RoundUnit


def paper_uncounted(appraisal_round: AppraisalRound) -> list[str]:
    """Units whose paper ballots are not all agreed: a category entered but not agreed, or, in a
    paper-only round, no agreed category at all."""
    if not appraisal_round.paper:
        return []
    entered = set(
        PaperBallot.objects.filter(round_unit__round=appraisal_round)
        .values_list("round_unit_id", "category")
        .distinct()
    )
    agreed = set(PaperCount.objects.filter(round_unit__round=appraisal_round).values_list("round_unit_id", "category"))
    waiting = {unit_id for unit_id, _category in entered - agreed}
    if appraisal_round.rules.mode == VotingMode.PAPER:
        counted_units = {unit_id for unit_id, _category in agreed}
        waiting |= set(
            RoundUnit.objects.filter(round=appraisal_round).exclude(pk__in=counted_units).values_list("pk", flat=True)
        )
    return list(
        RoundUnit.objects.filter(pk__in=waiting)
        .order_by("sub_union__sort_key", "sub_union__code")
        .values_list("sub_union__name", flat=True)
    )


@dataclass(frozen=True)
class PaperProgress:
    category: str
    by_teller: dict[int, int]  # teller person id -> entries
    agreed: PaperCount | None


def paper_progress(unit: RoundUnit) -> list[PaperProgress]:
    """For each category of the rules: how many ballots each teller has entered, and the agreed
    count if there is one."""
    entries: dict[str, dict[int, int]] = {}
    for category, teller_id, n in (
        PaperBallot.objects.filter(round_unit=unit).values_list("category", "teller_id").annotate(n=Count("pk"))
    ):
        entries.setdefault(category, {})[teller_id] = n
    agreed = {count.category: count for count in PaperCount.objects.filter(round_unit=unit)}
    return [
        PaperProgress(category=c.code, by_teller=entries.get(c.code, {}), agreed=agreed.get(c.code))
        for c in unit.round.rules.categories.all()
    ]


def my_entries(unit: RoundUnit, teller_id: int, category: str, limit: int = 20) -> list[PaperBallot]:
    """A teller's own entries of a category (to take one back); no order but the key's."""
    return list(
        PaperBallot.objects.filter(round_unit=unit, teller_id=teller_id, category=category).order_by("key")[:limit]
    )
