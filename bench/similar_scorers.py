"""Which scorer and which rule of what is shown, for the similar-proposal search (issue 19),
measured on the development set (gonghui/proposals/tests/similar_devset.py: short colloquial
drafts, each with the proposal it duplicates, among near-topic proposals).

    .venv/bin/python bench/similar_scorers.py

For each scorer — the character-bigram TF-IDF cosine the search used, and Okapi BM25 over
character n-grams (1–3, 1–2, 2, 2–3) — prints the match found in the top 5 and ranked first,
then for each rule of what is shown: the drafts whose match is shown, the wrong proposals shown
per draft, the precision of what is shown, and the drafts shown nothing. Targets: the match
shown for ≥ 90 % of drafts, ≤ 1 wrong per draft, precision ≥ 0.8. No database: pure Python.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

import django  # noqa: E402

django.setup()

from gonghui.proposals.similarity import BM25Index, SimilarityIndex, shown_matches  # noqa: E402
from gonghui.proposals.tests.similar_devset import DRAFTS, PROPOSALS, documents, evaluate  # noqa: E402


def threshold(minimum):
    return lambda top: [m for m in top if m.score >= minimum]


def relative(ratio, floor):
    """The best if it reaches `floor`, and the others within `ratio` of it."""
    return lambda top: shown_matches(top, ratio=ratio, floor=floor)


def main() -> None:
    docs = documents()
    scorers = {
        "tf-idf bigrams, cosine (before)": lambda: SimilarityIndex(documents(title_times=2)),
        "BM25 1-3-grams": lambda: BM25Index(docs, sizes=(1, 2, 3)),
        "BM25 1-2-grams": lambda: BM25Index(docs, sizes=(1, 2)),
        "BM25 2-grams": lambda: BM25Index(docs, sizes=(2,)),
        "BM25 2-3-grams": lambda: BM25Index(docs, sizes=(2, 3)),
    }
    rules = {"top 5, all": lambda top: top, "top 1": lambda top: top[:1]}
    rules |= {f"score >= {t}": threshold(t) for t in (0.1, 0.15, 0.2)}
    rules |= {f"best >= {f}, others >= {r} x best": relative(r, f) for f in (0.0, 0.05, 0.1) for r in (0.7, 0.8, 0.9)}
    print(f"{len(DRAFTS)} drafts, {len(PROPOSALS)} proposals\n")
    print("| scorer | rule | found@5 | first | shown | wrong/draft | precision | none shown | ok |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---|")
    for name, make in scorers.items():
        started = time.perf_counter()
        index = make()
        built = time.perf_counter() - started
        for rule_name, rule in rules.items():
            f = evaluate(index, rule)
            ok = f.shown >= 0.9 and f.wrong_per_draft <= 1 and f.precision >= 0.8
            print(
                f"| {name} | {rule_name} | {f.found_at_5:.3f} | {f.first:.3f} | {f.shown:.3f} | "
                f"{f.wrong_per_draft:.3f} | {f.precision:.3f} | {f.nothing_shown} | {'yes' if ok else ''} |"
            )
        print(f"|  | (built in {built * 1000:.0f} ms) | | | | | | | |")


if __name__ == "__main__":
    main()
