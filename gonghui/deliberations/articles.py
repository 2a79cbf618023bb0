"""A draft's text split into its numbered articles (第一条 …), under their chapters (第一章 …).

Chinese rules are written one way: an article starts a paragraph with 第X条 (Chinese
numerals or digits) followed by its text; a chapter heading is a paragraph 第X章 with its
name. What comes before the first article (title, preamble) is the preamble; paragraphs
after an article belong to it (its items 一、二、… or (一)(二)…).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_NUMERAL = r"[一二三四五六七八九十百零〇两\d]+"
ARTICLE_RE = re.compile(rf"^\s*(第{_NUMERAL}条)[\s　:：]*(.*)$")
CHAPTER_RE = re.compile(rf"^\s*(第{_NUMERAL}章)[\s　]*(.*)$")


@dataclass(frozen=True)
class ParsedArticle:
    label: str
    chapter: str
    text: str


@dataclass
class ParsedDraft:
    title: str = ""
    preamble: str = ""
    articles: list[ParsedArticle] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "title": self.title,
            "preamble": self.preamble,
            "articles": [{"label": a.label, "chapter": a.chapter, "text": a.text} for a in self.articles],
        }


def draft_parse(paragraphs: list[str]) -> ParsedDraft:
    """Split paragraphs into the title (the first paragraph before any article), the
    preamble and the articles."""
    draft = ParsedDraft()
    before: list[str] = []
    chapter = ""
    label = ""
    body: list[str] = []

    def flush() -> None:
        if label:
            draft.articles.append(ParsedArticle(label=label, chapter=chapter, text="\n".join(body).strip()))

    for raw in paragraphs:
        line = raw.strip()
        if not line:
            continue
        if match := ARTICLE_RE.match(line):
            flush()
            label, body = match.group(1), [match.group(2)] if match.group(2) else []
            continue
        if match := CHAPTER_RE.match(line):
            flush()
            label, body = "", []
            chapter = f"{match.group(1)} {match.group(2)}".strip()
            continue
        if label:
            body.append(line)
        else:
            before.append(line)
    flush()
    if before:
        draft.title = before[0][:200]
        draft.preamble = "\n".join(before[1:])
    return draft


def text_paragraphs(text: str) -> list[str]:
    """Pasted text as paragraphs (one per line)."""
    return [line for line in (text or "").splitlines() if line.strip()]
