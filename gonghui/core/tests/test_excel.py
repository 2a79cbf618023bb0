"""The one .xlsx writer: text that a spreadsheet would run as a formula stays text."""

import io

from openpyxl import load_workbook

from gonghui.core.excel import xlsx_bytes


def test_formulas_are_neutralised_and_numbers_kept():
    rows = [['=HYPERLINK("http://evil")', "+1+1", "-2+3", "@SUM(A1)", "-120.00", "张伟", 12, "\t=1"]]
    data = xlsx_bytes(headers=["a", "b", "c", "d", "e", "f", "g", "h"], rows=rows, text_columns={5})
    sheet = load_workbook(io.BytesIO(data)).active
    values = [cell.value for cell in sheet[2]]
    assert values == ['\'=HYPERLINK("http://evil")', "'+1+1", "'-2+3", "'@SUM(A1)", "-120.00", "张伟", 12, "'\t=1"]
    assert [cell.data_type for cell in sheet[2]] == ["s", "s", "s", "s", "s", "s", "n", "s"]


def test_dates_are_iso_text_unless_a_date_format_is_given():
    import datetime

    rows = [[datetime.date(2021, 3, 15), "=1"]]
    text = load_workbook(io.BytesIO(xlsx_bytes(headers=["d", "f"], rows=rows))).active
    assert [(c.value, c.data_type) for c in text[2]] == [("2021-03-15", "s"), ("'=1", "s")]
    dated = load_workbook(io.BytesIO(xlsx_bytes(headers=["d", "f"], rows=rows, date_format="yyyy-mm-dd"))).active
    assert [(c.value, c.is_date, c.number_format) for c in dated[2]] == [
        (datetime.datetime(2021, 3, 15), True, "yyyy-mm-dd"),
        ("'=1", False, "General"),
    ]
