"""Reading HR's roster files: type and size checks, streaming rows, header mapping.

Everything here raises `ImportFileError` (a translated message) when the file cannot be
read as a roster at all; row-level problems are left to validation.
"""

import codecs
import csv
import io
import os
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from gonghui.core.exceptions import ImportFileError
from gonghui.core.tabular import ReadLimits, xlsx_check

ALLOWED_EXTENSIONS = ("xlsx", "csv")


def roster_limits() -> ReadLimits:
    """What a roster file may be (the import kind's limits): .xlsx or .csv of at most
    settings.ROSTER_IMPORT_MAX_BYTES, read when used; core's limits on the unpacked size,
    shared strings and rows. Row-level lengths are checked by validation."""
    return ReadLimits(extensions=ALLOWED_EXTENSIONS, max_bytes=settings.ROSTER_IMPORT_MAX_BYTES)


# field key → accepted header spellings (normalised: no spaces, no "*", full-width brackets
# folded). The first spelling is the one shown to users.
HEADERS: dict[str, tuple[str, ...]] = {
    "staff_no": ("工号", "职工号", "教职工号", "人员编号"),
    "name": ("姓名",),
    "gender": ("性别",),
    "id_number": ("身份证号", "身份证号码", "证件号码", "公民身份号码"),
    "sub_union": ("所在单位", "单位", "所在部门", "部门"),
    "employment_category": ("人员类别",),
    "employment_status": ("人员状态",),
    "phone": ("手机号", "手机", "手机号码", "联系电话"),
    "coverage_type": ("医疗类别",),
    "birth_date": ("出生日期", "出生年月日"),
    "jingka_no": ("京卡号", "京卡卡号"),
    "joined_on": ("入会日期", "入会时间"),
}
REQUIRED = ("staff_no", "name", "gender", "id_number", "sub_union")
# The columns in the order the template and the people export write them: required ones first.
ROSTER_COLUMNS: tuple[str, ...] = (*REQUIRED, *(key for key in HEADERS if key not in REQUIRED))


# Columns whose digits Excel must keep as typed (long numbers, leading zeros).
TEXT_COLUMNS = ("staff_no", "id_number", "phone", "jingka_no")


def roster_template_xlsx() -> bytes:
    """An empty roster with every column the import reads, required ones first; the digit
    columns are formatted as text so that Excel keeps ID numbers whole as they are typed."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "名册"
    sheet.append([header_label(key) for key in ROSTER_COLUMNS])
    for index, key in enumerate(ROSTER_COLUMNS, start=1):
        column = sheet.column_dimensions[get_column_letter(index)]
        column.width = 22 if key == "id_number" else 14
        if key in TEXT_COLUMNS:
            column.number_format = "@"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def header_label(key: str) -> str:
    return HEADERS[key][0]


def _normalise_header(value) -> str:
    if value is None:
        return ""
    text = str(value).strip().replace("*", "").replace("＊", "")
    return "".join(text.split()).replace("（", "(").replace("）", ")")


_LOOKUP = {spelling: key for key, spellings in HEADERS.items() for spelling in spellings}


@dataclass
class RosterFile:
    """An opened roster: which column holds which field, and an iterator of data rows."""

    columns: dict[str, int]  # field key → column index
    rows: Iterator[tuple[int, tuple]]  # (spreadsheet row number, cell values)
    close: object = None


def extension_of(filename: str) -> str:
    return os.path.splitext(filename or "")[1].lower().lstrip(".")


def _map_headers(header_row) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, cell in enumerate(header_row):
        key = _LOOKUP.get(_normalise_header(cell))
        if key and key not in columns:
            columns[key] = index
    missing = [header_label(key) for key in REQUIRED if key not in columns]
    if missing:
        raise ImportFileError(
            _("缺少必需的列：%(columns)s") % {"columns": "、".join(missing)}, extra={"missing": missing}
        )
    return columns


def _blank(row) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in row)


def _first_rows(numbered_rows: Iterator[tuple[int, tuple]]) -> tuple[dict[str, int], Iterator[tuple[int, tuple]]]:
    """Find the header (first non-blank row), then yield the non-blank data rows after it."""
    for _number, row in numbered_rows:
        if not _blank(row):
            columns = _map_headers(row)
            break
    else:
        raise ImportFileError(_("文件是空的"))

    def data():
        for number, row in numbered_rows:
            if not _blank(row):
                yield number, row

    return columns, data()


def _not_xlsx() -> ImportFileError:
    return ImportFileError(_("文件不是有效的 Excel (.xlsx) 文件，可能只是改了扩展名"))


def _open_xlsx(stream, limits: ReadLimits) -> RosterFile:
    """Plain workbooks are read by the lxml reader in xlsx_fast; anything it does not
    recognise by openpyxl in read-only mode (the same values either way). A workbook that
    unpacks beyond the limits is refused before either reads it."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    head = stream.read(4)
    stream.seek(0)
    if head != b"PK\x03\x04" or not zipfile.is_zipfile(stream):
        raise _not_xlsx()
    stream.seek(0)
    xlsx_check(stream.read(), limits)
    stream.seek(0)
    fast = _open_xlsx_fast(stream)
    if fast is not None:
        return fast
    stream.seek(0)
    try:
        # data_only=False so that formula cells arrive as "=..." text and can be refused.
        workbook = load_workbook(stream, read_only=True, data_only=False)
        sheet = workbook.worksheets[0]
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError, IndexError):
        raise _not_xlsx() from None
    try:
        numbered = enumerate(sheet.iter_rows(values_only=True), start=1)
        columns, rows = _first_rows(numbered)
    except ImportFileError:
        workbook.close()
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        workbook.close()
        raise _not_xlsx() from None
    return RosterFile(columns=columns, rows=rows, close=workbook.close)


def _open_xlsx_fast(stream) -> RosterFile | None:
    """The lxml sheet reader (xlsx_fast), or None when the workbook needs openpyxl."""
    from gonghui.people.roster import xlsx_fast

    try:
        opened = xlsx_fast.open_rows(stream)
    except (zipfile.BadZipFile, OSError, EOFError):
        raise _not_xlsx() from None
    if opened is None:
        return None
    numbered, close = opened
    try:
        columns, rows = _first_rows(numbered)
    except ImportFileError:
        close()
        raise
    except (KeyError, ValueError, OSError):
        close()
        raise _not_xlsx() from None
    return RosterFile(columns=columns, rows=rows, close=close)


def _detect_encoding(stream) -> str:
    """UTF-8 (with or without BOM) when the file decodes as such, else GB18030."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    stream.seek(0)
    try:
        while chunk := stream.read(1 << 20):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
        encoding = "utf-8-sig"
    except UnicodeDecodeError:
        encoding = "gb18030"
    stream.seek(0)
    return encoding


def _open_csv(stream) -> RosterFile:
    head = stream.read(4)
    stream.seek(0)
    if head.startswith(b"PK\x03\x04") or b"\x00" in stream.read(4096):
        raise ImportFileError(_("文件不是有效的 CSV 文本文件"))
    encoding = _detect_encoding(stream)
    text = io.TextIOWrapper(stream, encoding=encoding, errors="strict", newline="")
    try:
        first_line = text.readline()
        text.seek(0)
        delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
        reader = csv.reader(text, delimiter=delimiter)
        columns, rows = _first_rows(((n, tuple(r)) for n, r in enumerate(reader, start=1)))
    except UnicodeDecodeError:
        raise ImportFileError(_("无法识别文件编码：请另存为 UTF-8 或 GB18030 编码的 CSV")) from None
    except csv.Error:
        raise ImportFileError(_("文件不是有效的 CSV 文本文件")) from None
    return RosterFile(columns=columns, rows=rows, close=text.detach)


def roster_file_open(stream, *, ext: str, limits: ReadLimits | None = None) -> RosterFile:
    """Open a binary, seekable stream as a roster; `ext` is "xlsx" or "csv"."""
    if ext == "xlsx":
        return _open_xlsx(stream, limits or roster_limits())
    if ext == "csv":
        return _open_csv(stream)
    raise ImportFileError(_("不支持的文件类型“%(ext)s”：请上传 .xlsx 或 .csv 文件") % {"ext": ext})
