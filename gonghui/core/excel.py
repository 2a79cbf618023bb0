"""Writing spreadsheets (.xlsx and .csv): the one place every exported cell goes through.

`cell_value` is the rule, for both formats:

- real numbers (int, float, Decimal) stay numbers and dates stay dates, so that Excel sums
  and sorts them (a negative amount is the number −120.00, not text);
- text is the written text, never a formula: text that begins with ``=``, ``+``, ``-``,
  ``@``, a tab or a carriage return gets a leading ``'`` (OWASP's advice against CSV / formula
  injection), whether it looks like a number or not — "-5" typed into a name field is text
  and stays text; in an .xlsx it is also written as a string cell, never as a formula, even
  in the text-formatted ("@") columns;
- control characters that old data may still hold (they are removed at input, core/text.py)
  are dropped, except tab and line breaks: XML cannot hold them and openpyxl refuses them,
  so one of them in a name would stop the whole export.

.xlsx files are written by openpyxl in write-only mode, so large lists stream; .csv files
by `csv_writer`. Nothing else in the project writes a spreadsheet (tests/test_architecture.py).
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Control characters but tab, line feed and carriage return (XML 1.0 cannot hold them);
# U+FFFE and U+FFFF neither.
_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")

_TITLE_REFUSED = re.compile(r"[\[\]:*?/\\\t\n\r]")

DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"


def neutralised(text: str) -> str:
    """`text` with a leading ' when a spreadsheet would read it as a formula."""
    if text.startswith(FORMULA_START):
        return "'" + text
    return text


def export_text(value) -> str:
    """Any value as exported text: without unwritable control characters, then neutralised."""
    return neutralised(_UNWRITABLE.sub("", str(value)))


def cell_value(value):
    """The one conversion of an exported cell: numbers and dates stay typed, None is an empty
    cell, everything else is text (`export_text`)."""
    if value is None:
        return None
    if isinstance(value, (bool, int, float, Decimal)):
        return value
    if isinstance(value, datetime.datetime):
        # a spreadsheet has no time zones: the local wall-clock time
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, datetime.date):
        return value
    return export_text(value)


def _number_format(value) -> str | None:
    if isinstance(value, datetime.datetime):
        return DATETIME_FORMAT
    if isinstance(value, datetime.date):
        return DATE_FORMAT
    if isinstance(value, Decimal) and value.is_finite():
        places = -int(value.as_tuple().exponent)
        if getattr(value, "is_ratio", False):  # core.reports.Ratio: 0.0674 shows as 6.74%
            return "0." + "0" * (places - 2) + "%" if places > 2 else "0%"
        if places > 0:
            return "0." + "0" * places  # 120.00 shows as 120.00, not 120
    return None


@dataclass
class Sheet:
    """One worksheet: its title, the header row (none when `headers` is None), the rows, and
    the columns (0-based) formatted as text so that Excel keeps long digit strings such as ID
    numbers whole."""

    title: str
    rows: Iterable[Sequence]
    headers: Sequence | None = None
    text_columns: frozenset[int] | set[int] = field(default_factory=frozenset)


def _sheet_title(title) -> str:
    """A title Excel accepts: at most 31 characters, none of []:*?/\\, no ' at either end."""
    text = _TITLE_REFUSED.sub(" ", _UNWRITABLE.sub("", str(title))).strip().strip("'")
    return text[:31] or "Sheet1"


def _cells(sheet, values: Sequence, text_columns) -> list:
    cells = []
    for index, raw in enumerate(values):
        value = cell_value(raw)
        cell = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str):
            cell.data_type = "s"  # never a formula, whatever the text starts with
        number_format = "@" if index in text_columns else _number_format(value)
        if number_format:
            cell.number_format = number_format
        cells.append(cell)
    return cells


def xlsx_book_bytes(sheets: Iterable[Sheet]) -> bytes:
    """A workbook of one or more sheets, every cell through `cell_value`."""
    workbook = Workbook(write_only=True)
    for spec in sheets:
        sheet = workbook.create_sheet(title=_sheet_title(spec.title))
        if spec.headers is not None:
            sheet.append(_cells(sheet, [str(h) for h in spec.headers], frozenset()))
        for row in spec.rows:
            sheet.append(_cells(sheet, row, spec.text_columns))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_bytes(
    *, headers: list[str], rows, sheet_title: str = "Sheet1", text_columns: frozenset[int] | set[int] = frozenset()
) -> bytes:
    """One sheet with a header row; cells in `text_columns` (0-based) are formatted as text."""
    return xlsx_book_bytes([Sheet(title=sheet_title, headers=headers, rows=rows, text_columns=text_columns)])


def file_response(content: bytes, *, filename: str, content_type: str) -> HttpResponse:
    """A file to download, under its (UTF-8) name."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def xlsx_response(*, filename: str, headers, rows, sheet_title: str = "Sheet1", text_columns=frozenset()):
    return file_response(
        xlsx_bytes(headers=headers, rows=rows, sheet_title=sheet_title, text_columns=text_columns),
        filename=filename,
        content_type=XLSX_CONTENT_TYPE,
    )


def xlsx_file_response(filename: str, data: bytes) -> HttpResponse:
    """A workbook's bytes as a download named `filename`."""
    return file_response(data, filename=filename, content_type=XLSX_CONTENT_TYPE)


def csv_text(value) -> str:
    """A cell of a .csv: numbers as written (-120.00), dates in ISO, text as `export_text`."""
    value = cell_value(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float, Decimal)):
        return str(value)
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


class CsvWriter:
    """csv.writer whose every cell goes through `csv_text`."""

    def __init__(self, stream, **kwargs) -> None:
        self._writer = csv.writer(stream, **kwargs)

    def writerow(self, row: Iterable) -> None:
        self._writer.writerow([csv_text(value) for value in row])

    def writerows(self, rows: Iterable[Iterable]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(stream, **kwargs) -> CsvWriter:
    return CsvWriter(stream, **kwargs)


__all__ = [
    "CSV_CONTENT_TYPE",
    "XLSX_CONTENT_TYPE",
    "Sheet",
    "cell_value",
    "csv_text",
    "csv_writer",
    "export_text",
    "file_response",
    "xlsx_file_response",
    "neutralised",
    "xlsx_book_bytes",
    "xlsx_bytes",
    "xlsx_response",
]
