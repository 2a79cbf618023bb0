"""Numbers and dates on pages, formatted in one place (`gonghui_format`, config/formats)."""

import datetime
import io
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation
from openpyxl import load_workbook

from gonghui.core.excel import xlsx_bytes
from gonghui.core.reports import Ratio, rate

PAGE = Template(
    "{% load gonghui_format %}{{ loss|percent }}|{{ share|percent }}|{{ none|percent }}|{{ pct|pct }}|"
    '{{ money|yuan }}|{{ n|number }}|{{ day|date }}|{{ moment|date:"DATETIME_FORMAT" }}'
)
VALUES = {
    "loss": Decimal("6.7416"),  # 赔付率: paid 674 % of the premium
    "share": rate(1, 8),
    "none": None,
    "pct": Decimal("87.5"),
    "money": Decimal("1234567.5"),
    "n": 12345,
    "day": datetime.date(2021, 3, 1),
    "moment": datetime.datetime(2021, 3, 1, 9, 5),
}


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("zh-hans", "674.16%|12.50%|—|87.5%|1,234,567.50 元|12,345|2021年3月1日|2021年3月1日 09:05"),
        ("en", "674.16%|12.50%|—|87.5%|1,234,567.50 yuan|12,345|1 Mar 2021|1 Mar 2021, 09:05"),
    ],
)
def test_format_filters_in_both_languages(language, expected, settings):
    settings.USE_TZ = False  # a naive moment, printed as given
    with translation.override(language):
        assert PAGE.render(Context(VALUES)) == expected


def test_rates_are_ratios_and_spreadsheets_show_them_as_percentages():
    loss = rate(Decimal("674.16"), 100)
    assert isinstance(loss, Ratio) and loss == Decimal("6.7416") and str(loss) == "6.7416"
    assert rate(1, 0) is None
    sheet = load_workbook(
        io.BytesIO(xlsx_bytes(headers=["项目", "数值"], rows=[["赔付率", loss], ["保费", Decimal("12.50")]]))
    ).active
    assert (sheet["B2"].value, sheet["B2"].number_format) == (6.7416, "0.00%")
    assert (sheet["B3"].value, sheet["B3"].number_format) == (12.5, "0.00")
