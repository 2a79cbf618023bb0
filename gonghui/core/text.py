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


__all__ = ["MAX_ID", "clean_model_text", "clean_text", "record_id"]


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
