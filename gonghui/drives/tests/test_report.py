"""The drive's report as a core Report: the same figures on the page (core charts), in the
.xlsx and from `manage.py drive_report` (run as the system actor)."""

import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from gonghui.drives.choices import RegistrationStatus
from gonghui.drives.selectors.figures import drive_charts, drive_report
from gonghui.drives.tests.factories import drive_make, registration_make
from tests.charts import loads_echarts, page_charts


@pytest.fixture
def drive(university):
    drive = drive_make()
    registration_make(drive, university.zhang, status=RegistrationStatus.PAID)
    registration_make(drive, university.li, status=RegistrationStatus.ENROLLED)
    registration_make(drive, university.zhao, status=RegistrationStatus.ENROLLED)
    registration_make(drive, university.wang, status=RegistrationStatus.REJECTED)
    return drive


def test_rows_and_charts(drive):
    report = drive_report(drive)
    rows = {(section, item): value for section, item, value in report.rows}
    assert rows[("参保", "合计")] == 3 and rows[("参保", "在职")] == 2 and rows[("参保", "离退休")] == 1
    assert rows[("保费", "保费合计（元）")] == Decimal("585.00")  # 3 × 195
    assert rows[("经济学院分工会", "参保职工")] == 2 and rows[("离退休工作处分工会", "参保")] == 1
    charts = drive_charts(report.figures)
    assert charts["totals"].labels[2:4] == ("参保（在职）", "参保（离退休）")
    assert charts["totals"].series[0][1][2:4] == (Decimal(2), Decimal(1))
    assert [name for name, _values in charts["sub_unions"].series] == ["意向参加", "参保职工"]


def test_the_page_draws_core_charts_and_exports_the_rows(university, client, drive):
    client.force_login(university.users["auditor"])
    url = reverse("drives:report", args=[drive.pk])
    page = client.get(url).content.decode()
    assert page.count('data-testid="chart"') == 2
    charts = page_charts(page)
    assert charts["totals"]["categories"] == [
        "意向参加",
        "报名（职工）",
        "参保（在职）",
        "参保（离退休）",
        "参保（家属）",
    ]
    assert charts["totals"]["series"] == [{"name": "总体", "data": [0, 3, 2, 1, 0]}]
    # whole sub-union names (issue 12: 离退休工作处分工 was cut off); the chart wraps them
    assert charts["sub_unions"]["categories"] == ["经济学院分工会", "离退休工作处分工会", "法学院分工会"]
    assert charts["sub_unions"]["series"] == [
        {"name": "意向参加", "data": [0, 0, 0]},
        {"name": "参保职工", "data": [2, 1, 0]},
    ]
    assert '<th scope="row">离退休工作处分工会</th><td class="text-end">0</td><td class="text-end">1</td>' in page
    assert loads_echarts(page)
    sheet = load_workbook(io.BytesIO(client.get(url + "?format=xlsx").content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("分工会或类别", "项目", "人数或金额")
    assert ("参保", "合计", 3) in rows


def test_the_command_prints_the_rows_as_the_system(drive):
    out = io.StringIO()
    call_command("drive_report", drive=drive.pk, format="text", stdout=out)
    assert "参保\t合计\t3" in out.getvalue().splitlines()
    assert "保费\t保费合计（元）\t585.00" in out.getvalue().splitlines()
    with pytest.raises(CommandError, match="no drive with id 0"):
        call_command("drive_report", drive=0, stdout=io.StringIO())
