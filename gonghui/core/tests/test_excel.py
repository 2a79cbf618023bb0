"""The one spreadsheet writer: text never becomes a formula, numbers and dates stay typed,
control characters in old data never stop a file."""

import datetime
import io
from decimal import Decimal

from openpyxl import load_workbook

from gonghui.core.excel import Sheet, cell_value, csv_writer, xlsx_book_bytes, xlsx_bytes

HOSTILE = ['=HYPERLINK("http://evil")', "+1+1", "-2+3", "@SUM(A1)", "-5", "\t=1", "\r=1", "=1"]


def _read(data: bytes, sheet: int = 0):
    return load_workbook(io.BytesIO(data)).worksheets[sheet]


def test_text_that_would_be_a_formula_gets_a_quote_and_stays_a_string_cell():
    data = xlsx_bytes(headers=[str(i) for i in range(8)], rows=[HOSTILE], text_columns={7})
    row = _read(data)[2]
    assert [cell.value for cell in row] == [
        '\'=HYPERLINK("http://evil")',
        "'+1+1",
        "'-2+3",
        "'@SUM(A1)",
        "'-5",  # a "-5" typed as text is text
        "'\t=1",
        "'\r=1",
        "'=1",  # also in a text-formatted ("@") column
    ]
    assert [cell.data_type for cell in row] == ["s"] * 8
    assert row[7].number_format == "@"


def test_numbers_decimals_and_dates_stay_typed():
    when = datetime.datetime(2024, 3, 1, 8, 30, tzinfo=datetime.UTC)  # 16:30 in Beijing
    rows = [[-120, Decimal("-120.00"), 3.5, Decimal("88.125"), datetime.date(2024, 1, 2), when, True, None, "张伟"]]
    row = _read(xlsx_bytes(headers=list("abcdefghi"), rows=rows))[2]
    assert [cell.value for cell in row] == [
        -120,
        -120,
        3.5,
        88.125,
        datetime.datetime(2024, 1, 2),
        datetime.datetime(2024, 3, 1, 16, 30),
        True,
        None,
        "张伟",
    ]
    assert [cell.data_type for cell in row] == ["n", "n", "n", "n", "d", "d", "b", "n", "s"]
    assert [cell.number_format for cell in row[:6]] == [
        "General",
        "0.00",
        "General",
        "0.000",
        "yyyy-mm-dd",
        "yyyy-mm-dd hh:mm",
    ]


def test_control_characters_in_old_data_are_dropped_not_fatal():
    rows = [["张\x0b伟", "a\x00b\x1fc\x7f", "行一\n行二\t列", "\x0b=1+1", "\ufffe李"]]
    row = _read(xlsx_bytes(headers=list("abcde"), rows=rows, sheet_title="名单\x0b/2024"))[2]
    assert [cell.value for cell in row] == ["张伟", "abc", "行一\n行二\t列", "'=1+1", "李"]
    assert [cell.data_type for cell in row] == ["s"] * 5
    assert _read(xlsx_bytes(headers=["a"], rows=[], sheet_title="名单\x0b/2024")).title == "名单 2024"


def test_a_book_of_sheets_goes_through_the_same_cells():
    data = xlsx_book_bytes(
        [Sheet(title="汇总", rows=[["=SUM(1)", 3], []]), Sheet(title="=x", headers=["h"], rows=[["@me"]])]
    )
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["汇总", "=x"]
    assert [[c.value for c in r] for r in book.worksheets[0].iter_rows()] == [["'=SUM(1)", 3]]
    assert [[c.value for c in r] for r in book.worksheets[1].iter_rows()] == [["h"], ["'@me"]]
    assert book.worksheets[0]["A1"].data_type == "s"


def test_csv_cells_follow_the_same_rule():
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(["=1+1", "-5", Decimal("-120.00"), -3, datetime.date(2024, 1, 2), None, "张\x0b伟", "@x"])
    assert out.getvalue() == "'=1+1,'-5,-120.00,-3,2024-01-02,,张伟,'@x\r\n"


def test_cell_value_of_other_objects_is_their_text():
    class Code:
        def __str__(self):
            return "-HR"

    assert cell_value(Code()) == "'-HR"
    assert cell_value(None) is None
