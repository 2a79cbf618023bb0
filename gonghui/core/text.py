"""Clean text: no control characters in what is stored, whatever the way in.

A control character (U+0000–U+001F, U+007F–U+009F) typed or pasted into a name or a title
is invisible on the page but breaks what is made from it later: XML (an .xlsx cell with
``\\x0b`` cannot be written), CSV, PDFs and the insurer's systems. So it is removed when
the text is stored:

- single-line text (`CharField`): every control character goes, tabs and line breaks too;
- multi-line text (`TextField`): line breaks become ``\\n`` (``\\r\\n`` and a lone ``\\r``
  too) and tabs stay; every other control character goes.

The one hook is `clean_model_text`, connected to `pre_save` for every gonghui model in
`CoreConfig.ready`: forms, DRF serializers, the services' own writes, the admin and the
commands all end in `Model.save()`, so no way in can forget it. Bulk writes that skip
`save()` (`bulk_create`, `QuerySet.update`) get their text from the import kit, whose cells
are cleaned by `clean_text` as they are read (`core.tabular.cell_text`). Whatever old data
still holds is made safe by the writers (`core.excel`), which never fail on it.
"""

from __future__ import annotations

import re

from django.db import models

# C0 controls, DEL and C1 controls; and U+FFFE / U+FFFF, which no XML document may hold.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\ufffe\uffff]")
_CONTROL_BUT_TAB_AND_NEWLINE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")


def clean_text(value: str, *, multiline: bool = False) -> str:
    """`value` without control characters; a multi-line text keeps its line breaks (as
    ``\\n``) and tabs."""
    if multiline:
        if "\r" in value:
            value = value.replace("\r\n", "\n").replace("\r", "\n")
        return _CONTROL_BUT_TAB_AND_NEWLINE.sub("", value)
    return _CONTROL.sub("", value)


def _text_fields(model) -> list[tuple[str, bool]]:
    """(attribute, multi-line) for the model's text fields, computed once per model."""
    cached = model.__dict__.get("_gonghui_text_fields")
    if cached is None:
        cached = [
            (field.attname, isinstance(field, models.TextField))
            for field in model._meta.concrete_fields
            if isinstance(field, (models.CharField, models.TextField))
        ]
        model._gonghui_text_fields = cached
    return cached


def clean_model_text(sender, instance, raw: bool = False, **kwargs) -> None:
    """pre_save: strip control characters from every text field of a gonghui model (fixtures
    loaded raw are stored as they are)."""
    if raw or not sender.__module__.startswith("gonghui."):
        return
    for attname, multiline in _text_fields(sender):
        value = instance.__dict__.get(attname)
        if isinstance(value, str) and value:
            instance.__dict__[attname] = clean_text(value, multiline=multiline)


# --- Natural Chinese ordering -------------------------------------------------------------

_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_NUMERAL = "零〇一二三四五六七八九两十百千"
# A run of Chinese numerals is a number when it follows 第 (第十一工会小组) or is followed by a
# counter (三组, 十一支部, 二〇二一年级); elsewhere it is part of a word (三亚, 万里, 一心) and
# sorts by its pinyin.
_COUNTERS = "组支分部室队班区系科号楼届期年级所厂车院排连团"
_TOKENS = re.compile(
    rf"(?P<arabic>[0-9]+)|(?<=第)(?P<ordinal>[{_CN_NUMERAL}]+)|(?P<counted>[{_CN_NUMERAL}]+)(?=[{_COUNTERS}])"
)
_KEY_JUNK = re.compile(r"[^a-z0-9]")


def chinese_number(numerals: str) -> int | None:
    """一 → 1, 十一 → 11, 二十 → 20, 一百零五 → 105, 二〇二一 → 2021 (digit by digit); None if
    the run is not a number (十十)."""
    if not any(ch in _CN_UNITS for ch in numerals):
        return int("".join(str(_CN_DIGITS[ch]) for ch in numerals))
    total, digit, last_unit = 0, None, 10_000
    for ch in numerals:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
            continue
        unit = _CN_UNITS[ch]
        if unit >= last_unit:
            return None
        total += (1 if digit is None else digit) * unit
        digit, last_unit = None, unit
    return total + (digit or 0)


def _number_key(value: int) -> str:
    """A number as text that sorts by value among letters and other numbers: its length, then
    its digits (2 → "12", 10 → "210"); numbers sort before letters."""
    digits = str(value)[:9]
    return f"{len(digits)}{digits}"


def sort_key(text: str) -> str:
    """The key that orders names as a Chinese reader expects: by pinyin, with numbers by value.

    第二工会小组 sorts after 第一工会小组 and 第十一 after 第九 (Chinese numerals after 第 or before
    a counter such as 组/支部, and Arabic digits, compare as numbers); everything else by its
    pinyin, Latin letters as they are, case and punctuation ignored. The key holds only a-z and
    0-9, so SQLite and PostgreSQL (whatever the collation) order it alike: it is stored in a
    column where lists are paginated in SQL (`SubUnion.sort_key`, `UniversityUnit.sort_key`).
    """
    from pypinyin import lazy_pinyin

    parts: list[str] = []
    position = 0
    for match in _TOKENS.finditer(text):
        parts.append(_pinyin_part(text[position : match.start()], lazy_pinyin))
        if match.group("arabic"):
            parts.append(_number_key(int(match.group("arabic"))))
        else:
            numerals = match.group("ordinal") or match.group("counted")
            number = chinese_number(numerals)
            parts.append(_pinyin_part(numerals, lazy_pinyin) if number is None else _number_key(number))
        position = match.end()
    parts.append(_pinyin_part(text[position:], lazy_pinyin))
    return "".join(parts)[:200]


def _pinyin_part(text: str, lazy_pinyin) -> str:
    if not text:
        return ""
    # Latin letters kept (errors=...), digits never reach here; anything else is dropped.
    return _KEY_JUNK.sub("", "".join(lazy_pinyin(text, errors=lambda chars: chars)).lower())


# The largest value a database id column holds (a signed 64-bit integer).
MAX_ID = 2**63 - 1


def record_id(value) -> int | None:
    """`value` (from a URL or a form) as a record's id, or None when it is not one: ASCII digits
    only (`"²".isdigit()` is true, yet int() refuses it) and no larger than an id column holds."""
    text = str(value or "")
    if not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if 1 <= number <= MAX_ID else None


__all__ = ["MAX_ID", "chinese_number", "clean_model_text", "clean_text", "record_id", "sort_key"]


def name_mask(name: str) -> str:
    """张*伟 (first and last character, one star per hidden one), 张* for two characters: a
    name on a public notice or in a list of children (DOMAIN §4.3)."""
    name = (name or "").strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]
