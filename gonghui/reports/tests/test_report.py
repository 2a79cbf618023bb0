"""The annual report on the two fake sections of `sections` (conftest.py): its figures, rows and
charts, built as the system actor for every entitled reader, refused to anyone else, and
`manage.py annual_report --year Y` in every format."""

from __future__ import annotations

import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from gonghui.core.reports import Ratio
from gonghui.reports.models import AnnualReportExport
from gonghui.reports.selectors import annual_report_build, annual_report_years
from gonghui.reports.tests.conftest import EXPECTED_2021, ROWS_2021
from tests.pdf import pdf_text

pytestmark = pytest.mark.django_db


def test_the_2021_report(university, sections):
    report = annual_report_build(user=university.users["union_office"], year=2021)

    assert report.title == "示范大学工会 2021 年度工作报告"
    assert report.figures == {
        "year": 2021,
        "sections": {
            "welfare": {
                "welfare.visits": 128,
                "welfare.amount": Decimal("201025.00"),
                "welfare.retired_share": Decimal("0.8750"),
                "welfare.note": "春节、中秋两次慰问",
            },
            "culture": {"culture.events": 12, "culture.participants": 1383},
        },
    }
    assert isinstance(report.figures["sections"]["welfare"]["welfare.retired_share"], Ratio)
    assert type(report.figures["sections"]["welfare"]["welfare.note"]) is str  # the lazy text, resolved
    assert json.loads(report.json()) == EXPECTED_2021
    assert report.rows == ROWS_2021
    # every section's charts, keyed by the section's key and the chart's own key or its number
    assert list(report.charts) == ["welfare-1", "culture-quarters"]
    assert report.charts["welfare-1"].dom_id == "chart-welfare-1"
    assert report.charts["welfare-1"].table_rows() == [
        ("在职", [Decimal("25128.13")]),
        ("离退休", [Decimal("175896.87")]),
    ]
    assert report.charts["culture-quarters"].spec()["series"] == [
        {"name": "各季度参与人数", "data": [300, 420, 263, 400]}
    ]
    # laid out per section, in the modules' order, each with its own charts
    assert [(s.key, s.title, [c.key for c in s.charts]) for s in report.sections] == [
        ("welfare", "慰问帮扶", ["welfare-1"]),
        ("culture", "文体活动", ["culture-quarters"]),
    ]
    assert [(f.key, f.kind, f.unit) for f in report.sections[0].figures] == [
        ("welfare.visits", "number", "人次"),
        ("welfare.amount", "money", "元"),
        ("welfare.retired_share", "ratio", ""),
        ("welfare.note", "text", ""),
    ]


def test_every_reader_gets_the_same_figures_built_as_the_system_actor(university, sections):
    office = annual_report_build(user=university.users["union_office"], year=2021)
    auditor = annual_report_build(user=university.users["auditor"], year=2021)
    admin = annual_report_build(user=university.users["administrator"], year=2021)

    assert office.figures == auditor.figures == admin.figures
    assert sections.calls == [("welfare", "system", 2021), ("culture", "system", 2021)] * 3


def test_a_year_has_only_the_sections_that_exist_in_it(university, sections):
    office = university.users["union_office"]

    report = annual_report_build(user=office, year=2020)
    assert report.figures == {
        "year": 2020,
        "sections": {
            "welfare": {
                "welfare.visits": 100,
                "welfare.amount": Decimal("150000.00"),
                "welfare.retired_share": Decimal("0.8000"),
                "welfare.note": "春节慰问",
            }
        },
    }
    assert list(report.charts) == ["welfare-1"]

    empty = annual_report_build(user=office, year=2019)
    assert empty.figures == {"year": 2019, "sections": {}}
    assert (empty.rows, empty.charts, empty.sections) == ([], {}, [])


@pytest.mark.parametrize(
    "role", ["member", "sub_union_officer", "welfare_committee", "proposals_committee", "admissions_officer"]
)
def test_refused_to_anyone_else_before_any_section_is_built(university, sections, role):
    with pytest.raises(PermissionDenied):
        annual_report_build(user=university.users[role], year=2021)
    assert sections.calls == []


def test_the_years_offered_are_the_last_ten(clock):
    assert annual_report_years() == list(range(2012, 2022))


def _command(*args) -> str:
    out = StringIO()
    call_command("annual_report", *args, stdout=out)
    return out.getvalue()


def test_command_json(university, sections):
    output = _command("--year", "2021", "--format", "json")

    assert json.loads(output) == EXPECTED_2021
    assert '"welfare.amount": "201025.00"' in output  # money as exact text
    assert sections.calls == [("welfare", "system", 2021), ("culture", "system", 2021)]
    assert AnnualReportExport.objects.count() == 0  # the command is no download


def test_command_json_is_the_default_and_a_year_without_sections_is_empty(university, sections):
    assert json.loads(_command("--year", "2019")) == {"year": 2019, "sections": {}}


def test_command_text(university, sections):
    assert _command("--year", "2021", "--format", "text").splitlines() == [
        "慰问帮扶\t慰问人次\t128",
        "慰问帮扶\t慰问金额\t201025.00",
        "慰问帮扶\t离退休占比\t0.8750",
        "慰问帮扶\t说明\t春节、中秋两次慰问",
        "文体活动\t活动项目\t12",
        "文体活动\t参与人数\t1383",
    ]


def test_command_xlsx(university, sections, tmp_path):
    target = tmp_path / "annual.xlsx"
    assert _command("--year", "2021", "--format", "xlsx", "--output", str(target)).startswith(f"{target}: ")

    sheet = load_workbook(target).active
    assert sheet.title == "示范大学工会 2021 年度工作报告"
    assert [tuple(row) for row in sheet.iter_rows(values_only=True)] == [
        ("类别", "项目", "数值"),
        ("慰问帮扶", "慰问人次", 128),
        ("慰问帮扶", "慰问金额", 201025),
        ("慰问帮扶", "离退休占比", 0.875),
        ("慰问帮扶", "说明", "春节、中秋两次慰问"),
        ("文体活动", "活动项目", 12),
        ("文体活动", "参与人数", 1383),
    ]
    assert sheet["C4"].number_format.endswith("%")  # the share, as a percentage


def test_command_pdf(university, sections, tmp_path):
    target = tmp_path / "annual.pdf"
    _command("--year", "2021", "--format", "pdf", "--output", str(target))

    data = target.read_bytes()
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    assert "2021年度工作报告" in text.replace(" ", "")
    assert "201,025.00" in text
    assert "文体活动" in text


def test_command_needs_an_output_for_files_and_a_year(university, sections):
    with pytest.raises(CommandError, match="--output is required"):
        _command("--year", "2021", "--format", "pdf")
    with pytest.raises(CommandError, match="not a year"):
        _command("--year", "99")


def test_the_report_imports_no_module():
    """Everything it shows comes from the registry: it imports core, accounts, people,
    attachments and notifications only (and itself)."""
    import ast
    from pathlib import Path

    allowed = {"core", "accounts", "people", "attachments", "notifications", "reports"}
    root = Path(__file__).resolve().parents[1]
    offending = []
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else [node.module]
                if isinstance(node, ast.ImportFrom) and node.module
                else []
            )
            for name in names:
                parts = name.split(".")
                if parts[0] == "gonghui" and len(parts) > 1 and parts[1] not in allowed:
                    offending.append(f"{path.relative_to(root)}: {name}")
    assert len(list(root.rglob("*.py"))) > 10
    assert offending == []
