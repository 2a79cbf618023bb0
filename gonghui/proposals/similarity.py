"""Similar proposals in Chinese text: character-bigram TF-IDF and cosine similarity.

Chinese has no spaces, and proposals on the same matter share most of their two-character
words (食堂, 停车, 职称, 幼儿园 …) even when worded differently, so overlapping character
bigrams are a good, dependency-free unit: no segmenter, no dictionary to maintain. Latin
words and numbers count as whole tokens. The title is counted twice (it names the matter).

The index is an inverted list term -> [(document, weight)], so a query touches only the
documents that share a bigram with it. Measured on the labelled set in
tests/test_similarity.py and at 10,000 proposals in bench/proposals_similar.py
(figures in docs/modules/proposals.md).
"""

import math
import re
import threading
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUNS = re.compile(rf"[{_CJK}]+|[a-z0-9]+")
_IS_CJK = re.compile(rf"[{_CJK}]")


def tokens(text: str) -> list[str]:
    """Character bigrams of each run of Chinese characters (a lone character stands for
    itself), and whole Latin/number words."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    out = []
    for run in _RUNS.findall(text):
        if _IS_CJK.match(run):
            if len(run) == 1:
                out.append(run)
            else:
                out.extend(run[i : i + 2] for i in range(len(run) - 1))
        else:
            out.append(run)
    return out


def document_text(title: str, grounds: str = "", suggestions: str = "", *, title_times: int = 2) -> str:
    """A proposal's text to index: its title `title_times` over (cosine: the title names the
    matter), then its grounds and suggestions."""
    return "\n".join([*([title or ""] * title_times), grounds or "", suggestions or ""])


@dataclass(frozen=True)
class Match:
    key: object
    score: float


class SimilarityIndex:
    """TF-IDF (sublinear tf, smoothed idf) over the given documents, cosine on query."""

    def __init__(self, documents: list[tuple[object, str]]):
        self.keys = []
        self.postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        counts = []
        df: Counter = Counter()
        for key, text in documents:
            tf = Counter(tokens(text))
            self.keys.append(key)
            counts.append(tf)
            df.update(tf.keys())
        n = len(self.keys)
        self.idf = {term: math.log((1 + n) / (1 + d)) + 1.0 for term, d in df.items()}
        self._unseen_idf = math.log(1 + n) + 1.0
        for index, tf in enumerate(counts):
            weights = {t: (1.0 + math.log(c)) * self.idf[t] for t, c in tf.items()}
            norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
            for term, weight in weights.items():
                self.postings[term].append((index, weight / norm))

    def __len__(self):
        return len(self.keys)

    def query(self, text: str, *, k: int = 5, min_score: float = 0.0, exclude=()) -> list[Match]:
        tf = Counter(tokens(text))
        if not tf:
            return []
        weights = {t: (1.0 + math.log(c)) * self.idf.get(t, self._unseen_idf) for t, c in tf.items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        scores: dict[int, float] = defaultdict(float)
        for term, weight in weights.items():
            posting = self.postings.get(term)
            if not posting:
                continue
            q = weight / norm
            for index, d in posting:
                scores[index] += q * d
        excluded = set(exclude)
        ranked = sorted(
            (
                (score, index)
                for index, score in scores.items()
                if score >= min_score and self.keys[index] not in excluded
            ),
            key=lambda pair: (-pair[0], pair[1]),
        )
        return [Match(self.keys[index], round(score, 4)) for score, index in ranked[:k]]


def grams(text: str, sizes: tuple[int, ...] = (1, 2)) -> list[str]:
    """Character n-grams of each run of Chinese characters (every size in `sizes` that fits the
    run), and whole Latin/number words: the terms of `BM25Index`."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    out: list[str] = []
    for run in _RUNS.findall(text):
        if _IS_CJK.match(run):
            for size in sizes:
                out.extend(run[i : i + size] for i in range(len(run) - size + 1))
        else:
            out.append(run)
    return out


class BM25Index:
    """Okapi BM25 over character n-grams (`grams`): a term's weight grows with its count in a
    proposal and saturates (k1), is discounted in long proposals (b), and counts more the rarer
    it is. A short draft's few words then weigh by how telling they are, where cosine over the
    whole text lets a long proposal's many words dilute them."""

    def __init__(self, documents: list[tuple[object, str]], *, k1: float = 1.2, b: float = 0.75, sizes=(1, 2)):
        self.sizes, self.k1 = tuple(sizes), k1
        self.keys = []
        self.postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        counts, lengths = [], []
        df: Counter = Counter()
        for key, text in documents:
            tf = Counter(grams(text, self.sizes))
            self.keys.append(key)
            counts.append(tf)
            lengths.append(sum(tf.values()))
            df.update(tf.keys())
        n = len(self.keys)
        average = (sum(lengths) / n) if n else 1.0
        self.idf = {term: math.log(1 + (n - d + 0.5) / (d + 0.5)) for term, d in df.items()}
        for index, tf in enumerate(counts):
            norm = k1 * (1 - b + b * lengths[index] / (average or 1.0))
            for term, c in tf.items():
                self.postings[term].append((index, self.idf[term] * c * (k1 + 1) / (c + norm)))

    def __len__(self):
        return len(self.keys)

    def query(self, text: str, *, k: int = 5, min_score: float = 0.0, exclude=()) -> list[Match]:
        """The `k` best, scored as a share of the best score the draft could reach (every one of
        its terms in a proposal at saturation): 1.0 is a proposal containing all of it."""
        tf = Counter(grams(text, self.sizes))
        ceiling = (self.k1 + 1) * sum(self.idf.get(term, 0.0) for term in tf)
        if not ceiling:
            return []
        scores: dict[int, float] = defaultdict(float)
        for term in tf:
            for index, weight in self.postings.get(term, ()):
                scores[index] += weight
        excluded = set(exclude)
        ranked = sorted(
            (
                (score / ceiling, index)
                for index, score in scores.items()
                if score / ceiling >= min_score and self.keys[index] not in excluded
            ),
            key=lambda pair: (-pair[0], pair[1]),
        )
        return [Match(self.keys[index], round(score, 4)) for score, index in ranked[:k]]


def shown_matches(top: list[Match], *, ratio: float, floor: float) -> list[Match]:
    """What a delegate is shown of the best matches (best first): the best if its score reaches
    `floor`, and each other whose score is at least `ratio` of the best's. A draft that names its
    matter clearly gets one line; one that could be two proposals gets both."""
    if not top or top[0].score < floor:
        return []
    return [m for m in top if m.score >= ratio * top[0].score]


# One index per scope, rebuilt when the stored texts change (count or last update).
_cache: dict[object, tuple[object, SimilarityIndex]] = {}
_lock = threading.Lock()


def cached_index(scope, version, build) -> SimilarityIndex:
    with _lock:
        hit = _cache.get(scope)
        if hit and hit[0] == version:
            return hit[1]
    index = build()
    with _lock:
        _cache[scope] = (version, index)
    return index


def cache_clear() -> None:
    with _lock:
        _cache.clear()
