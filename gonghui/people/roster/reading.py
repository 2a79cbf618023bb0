"""Reading HR's roster files: type and size checks, streaming rows, header mapping.

Everything here raises `ImportFileError` (a translated message) when the file cannot be
read as a roster at all; row-level problems are left to validation.
"""

import io
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from gonghui.core.exceptions import ImportFileError
from gonghui.core.tabular import ReadLimits, sheet_rows

ALLOWED_EXTENSIONS = ("xlsx", "csv")


def roster_limits() -> ReadLimits:
    """What a roster file may be (the import kind's limits): .xlsx or .csv of at most
    settings.ROSTER_IMPORT_MAX_BYTES, read when used; core's limits (settings.IMPORT_LIMITS)
    on everything else, except that a cell may be as long as Excel allows (validation says
    which field is too long for its row)."""
    return ReadLimits(
        extensions=ALLOWED_EXTENSIONS, max_bytes=settings.ROSTER_IMPORT_MAX_BYTES, max_cell_chars=EXCEL_CELL_CHARS
    )


EXCEL_CELL_CHARS = 32_767


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
    rows: Iterator[tuple[int, Sequence[Any]]]  # (spreadsheet row number, cell values)
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


def _first_rows(
    numbered_rows: Iterator[tuple[int, Sequence[Any]]],
) -> tuple[dict[str, int], Iterator[tuple[int, Sequence[Any]]]]:
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


def roster_file_open(stream, *, ext: str, limits: ReadLimits | None = None) -> RosterFile:
    """Open a binary stream as a roster; `ext` is "xlsx" or "csv". Core's reader measures the
    file within the limits first (sheet_rows), python-calamine reads an .xlsx."""
    if ext not in ALLOWED_EXTENSIONS:
        raise ImportFileError(_("不支持的文件类型“%(ext)s”：请上传 .xlsx 或 .csv 文件") % {"ext": ext})
    data = stream.read()
    rows = sheet_rows(data=data, ext=ext, limits=limits or roster_limits())
    columns, data_rows = _first_rows(rows)
    return RosterFile(columns=columns, rows=data_rows, close=getattr(rows, "close", None))
