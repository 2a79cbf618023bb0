"""Reading the small result files that finance and insurers send back (.xlsx or .csv).

The staff roster has its own streaming reader (gonghui.people.roster.reading) because it
is large; these files are a few thousand lines and are read whole."""

import csv
import io
import os

from django.utils.translation import gettext as _

from gonghui.core.exceptions import ImportFileError


def cell_text(value) -> str:
    """A cell as text: None → "", 12.0 → "12" (Excel stores integers as floats)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def table_read(*, data: bytes, filename: str, max_bytes: int) -> list[list]:
    """The first sheet's rows (or the CSV's, UTF-8 or GB18030), or ImportFileError with a
    translated reason."""
    ext = os.path.splitext(filename or "")[1].lower()
    if ext not in (".xlsx", ".csv"):
        raise ImportFileError(_("请上传 .xlsx 或 .csv 文件"))
    if not data:
        raise ImportFileError(_("文件是空的"))
    if len(data) > max_bytes:
        raise ImportFileError(_("文件过大"))
    if ext == ".csv":
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ImportFileError(_("无法识别文件编码，请另存为 UTF-8 的 .csv"))
        return [list(row) for row in csv.reader(io.StringIO(text))]
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        raise ImportFileError(_("无法读取该 .xlsx 文件")) from None
    try:
        return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]
    finally:
        book.close()
