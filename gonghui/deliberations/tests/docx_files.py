""".docx files built in the test that uses them: real ones with python-docx, and hostile
variants of them (nothing is kept in the repository)."""

from __future__ import annotations

import io
import re
import zipfile


def docx_bytes(paragraphs=(), *, table=None) -> bytes:
    """A Word document of `paragraphs` (a str, or a list of lines joined by line breaks
    inside one paragraph), then `table` (rows of cell texts) if given."""
    import docx

    document = docx.Document()
    for paragraph in paragraphs:
        if isinstance(paragraph, str):
            document.add_paragraph(paragraph)
            continue
        run = document.add_paragraph().add_run(paragraph[0])
        for line in paragraph[1:]:
            run.add_break()
            run.add_text(line)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, text in enumerate(row):
                grid.cell(r, c).text = text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def rezip(data: bytes, *, replace: dict | None = None, extra: dict | None = None, drop=()) -> bytes:
    """The same package with members replaced, added or left out."""
    replace, extra = replace or {}, extra or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename in drop:
                continue
            target.writestr(info.filename, replace.get(info.filename, source.read(info.filename)))
        for name, content in extra.items():
            target.writestr(name, content)
    return out.getvalue()


def member(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(name)


def with_entity(data: bytes, doctype: bytes = b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY boom "boom">]>') -> bytes:
    """The document part declaring entities (`doctype`: its XML declaration and DOCTYPE)
    and using the last one declared in its first text."""
    xml = member(data, "word/document.xml")
    entity = re.findall(rb"<!ENTITY (\w+)", doctype, re.IGNORECASE)[-1]
    declared = doctype + xml.split(b"?>", 1)[1]
    declared = declared.replace(b"<w:t>", b"<w:t>&" + entity + b";", 1)
    return rezip(data, replace={"word/document.xml": declared})


def with_zeros(data: bytes, megabytes: int, name: str = "word/media/blob.bin") -> bytes:
    """A member of `megabytes` MB of zeros (a few KB compressed), written in 1 MB pieces."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, 9) as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info.filename))
        with target.open(name, "w") as blob:
            zeros = b"\0" * (1 << 20)
            for _ in range(megabytes):
                blob.write(zeros)
    return out.getvalue()
