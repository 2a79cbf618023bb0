"""Writing .xlsx files (openpyxl, write-only mode so that large lists stream)."""

import datetime
import io
import re
from urllib.parse import quote

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")


def neutralised(value):
    """Text that a spreadsheet would run as a formula (=, +, -, @ …) gets a leading ' so it
    stays text in Excel and in a CSV saved from it; plain numbers such as -120.00 stay as
    they are."""
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _NUMBER.match(value):
        return "'" + value
    return value


def xlsx_bytes(
    *,
    headers: list[str],
    rows,
    sheet_title: str = "Sheet1",
    text_columns: frozenset[int] | set[int] = frozenset(),
    date_format: str = "",
) -> bytes:
    """Cells in `text_columns` (0-based) are written as text so that Excel keeps long digit
    strings such as ID numbers whole. Dates are ISO text, or with `date_format` (e.g.
    "yyyy-mm-dd") date cells shown in that format, which a spreadsheet sorts and reads as dates."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    sheet.append([str(h) for h in headers])
    for row in rows:
        cells = []
        for index, value in enumerate(row):
            if value is None:
                value = ""
            elif isinstance(value, datetime.date) and date_format:
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = date_format
                cells.append(cell)
                continue
            elif isinstance(value, datetime.date):
                value = value.isoformat()
            elif not isinstance(value, (int, float, str)):
                value = str(value)
            value = neutralised(value)
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, whatever the text starts with
            if index in text_columns:
                cell.number_format = "@"
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(
    *, filename: str, headers, rows, sheet_title: str = "Sheet1", text_columns=frozenset(), date_format: str = ""
):
    return xlsx_file_response(
        filename,
        xlsx_bytes(
            headers=headers, rows=rows, sheet_title=sheet_title, text_columns=text_columns, date_format=date_format
        ),
    )


def xlsx_file_response(filename: str, data: bytes) -> HttpResponse:
    """A workbook's bytes as a download named `filename`."""
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
