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

import hashlib
import io
import math
import re
import unicodedata
from array import array
from collections import Counter, defaultdict
from dataclasses import dataclass

import numpy as np

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


def _term_hashes(terms) -> np.ndarray:
    """A stable 64-bit key of each term (Python's own hash differs between processes)."""
    return np.fromiter(
        (int.from_bytes(hashlib.blake2b(t.encode(), digest_size=8).digest(), "little") for t in terms),
        dtype=np.uint64,
    )


class BM25Index:
    """Okapi BM25 over character n-grams (`grams`): a term's weight grows with its count in a
    proposal and saturates (k1), is discounted in long proposals (b), and counts more the rarer
    it is. A short draft's few words then weigh by how telling they are, where cosine over the
    whole text lets a long proposal's many words dilute them.

    Held as a few flat arrays, not Python objects: each term (by a 64-bit hash, sorted) points
    at its slice of postings (document, count), so 10,000 proposals take tens of megabytes
    rather than hundreds, and `to_bytes` / `from_bytes` move it between processes whole (the
    task worker builds it once; every web worker reads the same bytes, ADR 0012). `groups`
    gives each document a group (its congress session) that a query may be limited to."""

    def __init__(self, documents, *, k1: float = 1.2, b: float = 0.75, sizes=(1, 2), groups=None):
        self.sizes, self.k1, self.b = tuple(sizes), k1, b
        self.keys: list = []
        vocabulary: dict[str, int] = {}
        doc_of, term_of, count_of = array("I"), array("I"), array("I")
        lengths = array("I")
        for index, (key, text) in enumerate(documents):
            tf = Counter(grams(text, self.sizes))
            self.keys.append(key)
            lengths.append(sum(tf.values()))
            for term, c in tf.items():
                term_of.append(vocabulary.setdefault(term, len(vocabulary)))
                doc_of.append(index)
                count_of.append(c)
        hashes = _term_hashes(vocabulary)
        by_hash = np.argsort(hashes, kind="stable")
        rank = np.empty_like(by_hash)
        rank[by_hash] = np.arange(len(by_hash))
        terms = rank[np.frombuffer(term_of, dtype=np.uint32)] if len(term_of) else np.zeros(0, dtype=np.int64)
        docs = np.frombuffer(doc_of, dtype=np.uint32)
        order = np.lexsort((docs, terms))
        n = len(self.keys)
        df = np.bincount(terms, minlength=len(vocabulary))
        self.hashes = hashes[by_hash]
        self.starts = np.concatenate(([0], np.cumsum(df))).astype(np.int64)
        self.postings = docs[order].astype(np.uint16 if n <= 65536 else np.uint32)
        self.counts = np.minimum(np.frombuffer(count_of, dtype=np.uint32)[order], 65535).astype(np.uint16)
        self.idf = np.log(1 + (n - df + 0.5) / (df + 0.5))
        length = np.frombuffer(lengths, dtype=np.uint32).astype(np.float64)
        average = float(length.mean()) if n else 1.0
        self.norm = k1 * (1 - b + b * length / (average or 1.0))
        self.groups = None if groups is None else np.asarray(groups, dtype=np.int64)

    def __len__(self):
        return len(self.keys)

    def nbytes(self) -> int:
        arrays = (self.hashes, self.starts, self.postings, self.counts, self.idf, self.norm)
        return sum(a.nbytes for a in arrays) + (self.groups.nbytes if self.groups is not None else 0)

    def _term(self, term: str) -> int | None:
        key = _term_hashes([term])[0]
        at = int(np.searchsorted(self.hashes, key))
        return at if at < len(self.hashes) and self.hashes[at] == key else None

    def query(self, text: str, *, k: int = 5, min_score: float = 0.0, exclude=(), groups=None) -> list[Match]:
        """The `k` best, scored as a share of the best score the draft could reach (every one of
        its terms in a proposal at saturation): 1.0 is a proposal containing all of it. With
        `groups`, only documents of those groups."""
        found = [(term, self._term(term)) for term in Counter(grams(text, self.sizes))]
        ceiling = (self.k1 + 1) * sum(float(self.idf[t]) for _term, t in found if t is not None)
        if not ceiling:
            return []
        scores = np.zeros(len(self.keys))
        for _term, t in found:
            if t is None:
                continue
            docs = self.postings[self.starts[t] : self.starts[t + 1]]
            counts = self.counts[self.starts[t] : self.starts[t + 1]].astype(np.float64)
            scores[docs] += self.idf[t] * counts * (self.k1 + 1) / (counts + self.norm[docs])
        scores /= ceiling
        keep = scores > 0
        if min_score:
            keep &= scores >= min_score
        if groups is not None and self.groups is not None:
            keep &= np.isin(self.groups, np.fromiter(groups, dtype=np.int64))
        excluded = set(exclude)
        if excluded:
            keep &= np.fromiter((key not in excluded for key in self.keys), dtype=bool, count=len(self.keys))
        candidates = np.flatnonzero(keep)
        best = candidates[np.argsort(-scores[candidates], kind="stable")[:k]]
        return [Match(self.keys[i], round(float(scores[i]), 4)) for i in best]

    def to_bytes(self) -> bytes:
        """The index as bytes (numpy's .npz); the keys must be integers (proposal ids)."""
        out = io.BytesIO()
        np.savez(
            out,
            keys=np.asarray(self.keys, dtype=np.int64),
            groups=self.groups if self.groups is not None else np.zeros(0, dtype=np.int64),
            has_groups=np.array(self.groups is not None),
            params=np.array([self.k1, self.b]),
            sizes=np.array(self.sizes, dtype=np.int64),
            hashes=self.hashes,
            starts=self.starts,
            postings=self.postings,
            counts=self.counts,
            idf=self.idf,
            norm=self.norm,
        )
        return out.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> "BM25Index":
        stored = np.load(io.BytesIO(data), allow_pickle=False)
        index = cls.__new__(cls)
        index.k1, index.b = (float(v) for v in stored["params"])
        index.sizes = tuple(int(v) for v in stored["sizes"])
        index.keys = stored["keys"].tolist()
        index.groups = stored["groups"] if bool(stored["has_groups"]) else None
        for name in ("hashes", "starts", "postings", "counts", "idf", "norm"):
            setattr(index, name, stored[name])
        return index


def shown_matches(top: list[Match], *, ratio: float, floor: float) -> list[Match]:
    """What a delegate is shown of the best matches (best first): the best if its score reaches
    `floor`, and each other whose score is at least `ratio` of the best's. A draft that names its
    matter clearly gets one line; one that could be two proposals gets both."""
    if not top or top[0].score < floor:
        return []
    return [m for m in top if m.score >= ratio * top[0].score]
