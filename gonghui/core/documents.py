"""Reading Word documents from outside (.docx), within limits.

A .docx is a zip of XML parts, hostile in the same ways as an .xlsx (gonghui.core.tabular):
a small file can unpack to gigabytes, a part can declare entities. So `docx_paragraphs`
streams every member once through tabular's measured reader (sizes while decompressing, no
DOCTYPE or ENTITY, bounded nesting) before python-docx parses anything, and then keeps at
most `max_rows` paragraphs of at most `max_paragraph_chars` characters each.
"""

from __future__ import annotations

import io
import zipfile
import zlib

from django.utils.translation import gettext as _

from gonghui.core.exceptions import ImportFileError
from gonghui.core.tabular import Limits, ReadLimits, _Budget, _resolved, _xml_pieces

MAX_PARAGRAPH_CHARS = 20_000


def not_docx() -> ImportFileError:
    return ImportFileError(_("无法读取该文件：它不是有效的 Word 文档（.docx）。请用 Word 另存为 .docx 后再上传。"))


def docx_check(data: bytes, limits: Limits) -> None:
    """Measure every member of the zip as it decompresses; ImportFileError past a limit."""
    if not data.startswith(b"PK\x03\x04"):
        raise not_docx()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            if len(infos) > limits.max_members:
                raise ImportFileError(_("文件包含的部件过多（超过 %(limit)s 个）") % {"limit": limits.max_members})
            if "word/document.xml" not in archive.NameToInfo:
                raise not_docx()
            budget = _Budget(limits)
            for info in infos:
                if info.filename.endswith((".xml", ".rels")):
                    try:
                        for _piece in _xml_pieces(budget.chunks(archive, info), limits):
                            pass
                    except ImportFileError as refused:
                        if "DOCTYPE" in str(refused.message):  # tabular's words speak of Excel
                            raise ImportFileError(
                                _("文件含有不允许的 XML 声明（DOCTYPE/ENTITY），请用 Word 另存为 .docx 后再上传")
                            ) from None
                        raise
                else:
                    for _chunk in budget.chunks(archive, info):
                        pass
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError):
        raise not_docx() from None


def docx_paragraphs(data: bytes, limits: ReadLimits | Limits | None = None) -> list[str]:
    """The document's paragraphs (body text and table cells, in order), stripped, empty
    ones left out; refused past `max_rows` paragraphs."""
    resolved = _resolved(limits)
    docx_check(data, resolved)
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception:  # python-docx raises several kinds on a broken package
        raise not_docx() from None
    paragraphs: list[str] = []
    for block in document.iter_inner_content():
        texts = (
            [block.text]
            if hasattr(block, "text")
            else [cell.text for row in block.rows for cell in row.cells]  # a table, cell by cell
        )
        for text in texts:
            for line in (text or "").splitlines():
                line = line.strip()
                if not line:
                    continue
                if len(line) > MAX_PARAGRAPH_CHARS:
                    raise ImportFileError(_("文档中有一段超过 %(n)s 个字，请检查文件。") % {"n": MAX_PARAGRAPH_CHARS})
                paragraphs.append(line)
                if len(paragraphs) > resolved.max_rows:
                    raise ImportFileError(
                        _("文档段落过多（超过 %(limit)s 段），请拆分后再上传。") % {"limit": resolved.max_rows}
                    )
    return paragraphs
