"""Reading spreadsheets from outside (.xlsx or .csv, UTF-8 or GB18030), within limits.

Every file from outside is read with limits on its size, its decompressed size (an .xlsx is
a zip: a few hundred KB can unpack to gigabytes), the number of shared strings, rows, cells
per row and the length of a cell. A file over a limit, or one that cannot be read, is
refused with `ImportFileError` and a translated reason, before it costs memory. .xlsx is
read by python-calamine (Rust), .csv by the standard library.
"""

from __future__ import annotations

import csv
import io
import os
import re
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext as _

from gonghui.core.exceptions import ImportFileError
from gonghui.core.text import clean_text


@dataclass(frozen=True)
class ReadLimits:
    extensions: tuple[str, ...] = ("xlsx", "csv")
    max_bytes: int = 10 * 1024 * 1024
    max_unpacked_bytes: int = 200 * 1024 * 1024
    max_shared_strings: int = 2_000_000
    max_rows: int = 200_000
    max_columns: int = 64
    max_cell_chars: int = 1_000


def cell_text(value) -> str:
    """A cell as text: None → "", 12.0 → "12" (Excel stores integers as floats), without
    control characters (core/text.py)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean_text(str(value)).strip()


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(_("无法识别文件编码，请另存为 UTF-8 的 .csv"))


_SST_COUNT = re.compile(rb'uniqueCount="(\d+)"')


def xlsx_check(data: bytes, limits: ReadLimits) -> None:
    """Refuse an .xlsx whose parts unpack beyond the limits, before anything parses them."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ImportFileError(_("无法读取该 .xlsx 文件")) from None
    with archive:
        unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > limits.max_unpacked_bytes:
            raise ImportFileError(
                _("文件解压后过大（%(size).0f MB），上限为 %(limit).0f MB")
                % {"size": unpacked / 1048576, "limit": limits.max_unpacked_bytes / 1048576}
            )
        if "xl/sharedStrings.xml" in archive.namelist():
            with archive.open("xl/sharedStrings.xml") as fh:
                head = fh.read(4096)
            match = _SST_COUNT.search(head)
            if match and int(match.group(1)) > limits.max_shared_strings:
                raise ImportFileError(_("文件中的文字条目过多，请拆分后再上传"))


def _limited(rows, limits: ReadLimits) -> list[list[str]]:
    table = []
    for number, row in enumerate(rows, start=1):
        if number > limits.max_rows + 1:  # the header row does not count
            raise ImportFileError(_("文件超过 %(limit)s 行，请拆分后再上传") % {"limit": limits.max_rows})
        cells = [cell_text(value) for value in row]
        while cells and not cells[-1]:
            cells.pop()
        if len(cells) > limits.max_columns:
            raise ImportFileError(_("第 %(row)s 行超过 %(limit)s 列") % {"row": number, "limit": limits.max_columns})
        for cell in cells:
            if len(cell) > limits.max_cell_chars:
                raise ImportFileError(
                    _("第 %(row)s 行有单元格超过 %(limit)s 个字符") % {"row": number, "limit": limits.max_cell_chars}
                )
        table.append(cells)
    return table


def table_read(
    *, data: bytes, filename: str, limits: ReadLimits | None = None, max_bytes: int | None = None
) -> list[list[str]]:
    """The first sheet's rows as text (or the CSV's), within `limits`; ImportFileError with a
    translated reason otherwise."""
    limits = limits or ReadLimits()
    if max_bytes is not None:
        limits = ReadLimits(**{**limits.__dict__, "max_bytes": max_bytes})
    ext = os.path.splitext(filename or "")[1].lower().lstrip(".")
    if ext not in limits.extensions:
        raise ImportFileError(_("请上传 .xlsx 或 .csv 文件"))
    if not data:
        raise ImportFileError(_("文件是空的"))
    if len(data) > limits.max_bytes:
        raise ImportFileError(_("文件过大"))
    if ext == "csv":
        return _limited(csv.reader(io.StringIO(_decode(data))), limits)
    xlsx_check(data, limits)
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = book.get_sheet_by_index(0)
        if sheet.total_height > limits.max_rows + 1:
            raise ImportFileError(_("文件超过 %(limit)s 行，请拆分后再上传") % {"limit": limits.max_rows})
        return _limited(sheet.iter_rows(), limits)
    except ImportFileError:
        raise
    except (CalamineError, ValueError, OSError, IndexError):
        raise ImportFileError(_("无法读取该 .xlsx 文件")) from None


@dataclass
class Table:
    """A read file with its header: find a column by any of its accepted spellings."""

    header: list[str]
    rows: list[tuple[int, list[str]]]  # (spreadsheet row number, cells)

    @classmethod
    def of(cls, table: list[list[str]]) -> Table:
        numbered = [(number, row) for number, row in enumerate(table, start=1) if any(row)]
        if not numbered:
            raise ImportFileError(_("文件是空的"))
        header = [_normalise(h) for h in numbered[0][1]]
        return cls(header=header, rows=numbered[1:])

    def columns(self, spellings: dict[str, tuple[str, ...]], required: tuple[str, ...] = ()) -> dict[str, int]:
        """key → column index for every key whose header is present; ImportFileError naming
        the required columns that are missing."""
        found = {}
        for key, names in spellings.items():
            for name in names:
                if _normalise(name) in self.header:
                    found[key] = self.header.index(_normalise(name))
                    break
        missing = [spellings[key][0] for key in required if key not in found]
        if missing:
            raise ImportFileError(_("缺少列：%(columns)s") % {"columns": "、".join(missing)})
        return found


def _normalise(value: str) -> str:
    text = str(value or "").strip().replace("*", "").replace("＊", "")
    return "".join(text.split()).replace("（", "(").replace("）", ")")
