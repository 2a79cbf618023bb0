"""The development set of the similar-proposal search (issue 19): short, colloquial drafts as
delegates type them on a phone, each with the stored proposal it duplicates, among near-topic
proposals written to look alike (similar_drafts_a.py: campus life and welfare; _b.py: work and
careers). `evaluate` measures a scorer and a rule of what is shown on it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from gonghui.proposals.similarity import Match, document_text
from gonghui.proposals.tests.similar_drafts_a import DRAFTS_A, PROPOSALS_A
from gonghui.proposals.tests.similar_drafts_b import DRAFTS_B, PROPOSALS_B

PROPOSALS = [*PROPOSALS_A, *PROPOSALS_B]
DRAFTS = [*DRAFTS_A, *DRAFTS_B]


def documents(*, title_times: int = 1) -> list[tuple[str, str]]:
    return [
        (key, document_text(title, grounds, suggestions, title_times=title_times))
        for key, title, grounds, suggestions in PROPOSALS
    ]


@dataclass(frozen=True)
class Figures:
    drafts: int
    found_at_5: float  # the match among the top 5, whatever is shown
    first: float  # the match ranked first
    shown: float  # the match among what is shown
    wrong_per_draft: float  # proposals shown that are not the match, per draft
    precision: float  # of everything shown, the share that is the match
    nothing_shown: int  # drafts shown nothing


def evaluate(index, shown: Callable[[list[Match]], list[Match]]) -> Figures:
    """`index` (with `query(text, k=5)`) over `documents()`, each draft queried once; `shown`
    picks what the delegate sees from the top 5."""
    found = first = hits = wrong = total_shown = empty = 0
    for text, key in DRAFTS:
        top = index.query(text, k=5)
        keys = [m.key for m in top]
        found += key in keys
        first += bool(keys) and keys[0] == key
        picked = [m.key for m in shown(top)]
        hits += key in picked
        wrong += sum(1 for k in picked if k != key)
        total_shown += len(picked)
        empty += not picked
    n = len(DRAFTS)
    return Figures(
        drafts=n,
        found_at_5=round(found / n, 3),
        first=round(first / n, 3),
        shown=round(hits / n, 3),
        wrong_per_draft=round(wrong / n, 3),
        precision=round(hits / total_shown, 3) if total_shown else 0.0,
        nothing_shown=empty,
    )
