"""Pinyin for finding and sorting Chinese names (pypinyin)."""

import re

from pypinyin import Style, lazy_pinyin

_LATIN = re.compile(r"[^a-z0-9]")


def name_pinyin(name: str) -> str:
    """张伟 → "zhangwei": sorts by pinyin and matches full-pinyin searches."""
    return "".join(lazy_pinyin(name, errors="ignore")).lower()


def name_initials(name: str) -> str:
    """张伟 → "zw"."""
    return "".join(lazy_pinyin(name, style=Style.FIRST_LETTER, errors="ignore")).lower()


def search_key(text: str) -> str:
    """A typed search in latin letters as a pinyin key ("Zhang Wei" → "zhangwei").

    Chinese text is matched by its characters, not by pinyin, so that 张伟 does not also
    find the homophone 章玮."""
    lowered = text.strip().lower()
    if not lowered.isascii():
        return ""
    return _LATIN.sub("", lowered)
