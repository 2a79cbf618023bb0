"""The similar-proposal search, measured on a labelled set of near-duplicate pairs.

Each of the 40 queries (both sides of 20 pairs) is run against the other 69 texts (its
partner plus 68 others: the other pairs and 30 distractors on neighbouring matters).
Figures (character-bigram TF-IDF, cosine, title counted twice), asserted below:
- success@5 (the duplicate among the top 5, no threshold): 40/40 = 1.00; P@1 = 1.00
- with no threshold every query shows 5 lines, so precision@5 is 0.20 (one right line);
- precision@5 of what the delegate is shown (top 5 with score >= 0.15, the default):
  0.54, with success@5 0.95 (38/40). At 0.12: 0.40 / 0.95; at 0.20: 0.86 / 0.90. The page
  uses 0.15: a missed duplicate costs the committee more than an extra line.
"""

import pytest

from gonghui.proposals.selectors.proposals import SIMILAR_MIN_SCORE
from gonghui.proposals.similarity import SimilarityIndex, document_text, tokens
from gonghui.proposals.tests.similarity_data import DISTRACTORS, PAIRS


def _index():
    docs = []
    for i, (a, b) in enumerate(PAIRS):
        docs.append((("a", i), document_text(*a)))
        docs.append((("b", i), document_text(*b)))
    docs += [(("d", j), document_text(*d)) for j, d in enumerate(DISTRACTORS)]
    return SimilarityIndex(docs), dict(docs)


def _evaluate(min_score):
    index, texts = _index()
    queries = shown = relevant_shown = hits = first = 0
    for i in range(len(PAIRS)):
        for me, other in ((("a", i), ("b", i)), (("b", i), ("a", i))):
            keys = [m.key for m in index.query(texts[me], k=5, exclude=[me], min_score=min_score)]
            queries += 1
            shown += len(keys)
            relevant_shown += other in keys
            hits += other in keys
            first += bool(keys) and keys[0] == other
    return {
        "queries": queries,
        "success_at_5": hits / queries,
        "p_at_1": first / queries,
        "precision_at_5": relevant_shown / shown if shown else 0.0,
    }


def test_tokens_are_character_bigrams_and_latin_words():
    assert tokens("食堂晚餐 延长到20点") == ["食堂", "堂晚", "晚餐", "延长", "长到", "20", "点"]


def test_every_duplicate_is_found_in_the_top_5_and_first():
    figures = _evaluate(0.0)
    assert figures["queries"] == 40
    assert figures["success_at_5"] == 1.0
    assert figures["p_at_1"] == 1.0


def test_precision_at_5_of_what_is_shown():
    figures = _evaluate(SIMILAR_MIN_SCORE)
    assert figures["success_at_5"] >= 0.95
    assert figures["precision_at_5"] >= 0.54


def test_higher_threshold_trades_recall_for_precision():
    figures = _evaluate(0.20)
    assert figures["precision_at_5"] >= 0.85
    assert figures["success_at_5"] >= 0.90


def test_empty_query_returns_nothing():
    index, _texts = _index()
    assert index.query("   ") == []


@pytest.mark.parametrize("k", [1, 3, 5])
def test_k_bounds_the_list(k):
    index, texts = _index()
    assert len(index.query(texts[("a", 0)], k=k)) == k
