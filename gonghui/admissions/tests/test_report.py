"""The year's report on `demand_world` (its docstring lists every line): the figures, the
rows, the charts, and `manage.py admissions_report --year Y` in every format."""

from __future__ import annotations

import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from gonghui.accounts.system import system_actor
from gonghui.admissions.choices import Stage
from gonghui.admissions.models import ShortageAction
from gonghui.admissions.reports import admissions_report
from gonghui.admissions.tests.demand_world import demand_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(university):
    world = demand_world(university)
    ShortageAction.objects.create(
        year=2019,
        stage=Stage.NURSERY,
        school=world.kg,
        district="海淀区",
        demand=3,
        places=1,
        title="2019年入园学位缺口",
        summary="附属幼儿园学位不足。",
        created_by=world.office,
    )
    return world


def test_the_2019_figures(w):
    report = admissions_report(user=system_actor(), year=2019)
    figures = report.figures
    assert report.title == "2019年教职工子女入托入学统计"
    assert figures["campaign"]["name"] == "2019年教职工子女入托入学"
    assert figures["campaign"]["requests_deadline"].isoformat() == "2019-04-30"
    assert figures["survey"] == {
        "lines": 7,
        "answered": 7,
        "answered_rate": Decimal("1.0000"),
        "need": {"yes": 6, "no": 1, "undecided": 0},
    }
    assert figures["demand"]["total"] == {
        "year": 2019,
        "demand": 6,
        "requests": 4,
        "placed": 2,
        "not_placed": 1,
        "self_arranged": 1,
        "unmet": 4,
        "places": 3,
        "shortfall": 3,
    }
    assert [(s["stage"], s["demand"], s["places"], s["placed"], s["unmet"]) for s in figures["demand"]["by_stage"]] == [
        ("nursery", 4, 1, 1, 3),
        ("primary", 2, 2, 1, 1),
    ]
    assert [(s["school"], s["demand"], s["places"]) for s in figures["demand"]["by_school"]] == [
        ("KG", 3, 1),
        ("NEAR", 1, 0),
        ("PRI", 1, 2),
    ]
    assert [(d["district"], d["demand"]) for d in figures["demand"]["by_district"]] == [("海淀区", 5)]
    assert [(s["sub_union"], s["demand"]) for s in figures["demand"]["by_sub_union"]] == [("LAW", 2), ("ECON", 4)]
    assert figures["outcomes"]["by_status"] == {
        "draft": 0,
        "submitted": 0,
        "checked": 0,
        "referred": 0,
        "placed": 2,
        "not_placed": 1,
        "self_arranged": 1,
        "withdrawn": 0,
    }
    assert figures["outcomes"]["late"] == 1
    assert (figures["answers"]["referred"], figures["answers"]["answered"], figures["answers"]["rate"]) == (
        3,
        3,
        Decimal("1.0000"),
    )
    assert [(s["school"], s["shortfall"]) for s in figures["shortages"]] == [(None, 3), ("KG", 2)]
    assert [(a["title"], a["proposal"]) for a in figures["actions"]] == [("2019年入园学位缺口", None)]
    # the history runs up to the year
    assert figures["history_nursery"] == [
        {"year": 2019, "demand": 4, "places": 1, "placed": 1, "unmet": 3, "shortfall": 3}
    ]


def test_the_2020_history_and_answer_rate(w):
    figures = admissions_report(user=system_actor(), year=2020).figures
    assert [
        (line["year"], line["demand"], line["places"], line["placed"], line["unmet"])
        for line in figures["history_nursery"]
    ] == [
        (2019, 4, 1, 1, 3),
        (2020, 6, 4, 3, 3),
    ]
    assert [(line["year"], line["demand"], line["places"]) for line in figures["history"]] == [
        (2019, 6, 3),
        (2020, 6, 6),
    ]
    assert figures["answers"]["rate"] == Decimal("0.7500")  # 3 of 4 answered
    assert figures["outcomes"]["by_status"]["draft"] == 1
    assert figures["actions"] == []


def test_rows_and_charts(w):
    report = admissions_report(user=system_actor(), year=2019)
    rows = {(section, item): value for section, item, value in report.rows}
    assert rows[("需求与学位", "需求")] == 6
    assert rows[("需求与学位", "未满足需求")] == 4
    assert rows[("入托入园", "学位")] == 1
    assert rows[("学校答复率", "示范幼儿园（已答复/已报送）")] == "2/2"
    assert rows[("学位缺口", "示范幼儿园 缺口")] == 2
    assert rows[("缺口处置", "2019年入园学位缺口")] == "未关联提案"
    assert set(report.charts) == {"stages", "nursery", "outcomes", "answers"}
    stages = report.charts["stages"]
    assert stages.labels == ("入托入园", "幼升小")
    assert [values for _name, values in stages.series] == [
        (Decimal(4), Decimal(2)),
        (Decimal(1), Decimal(2)),
        (Decimal(1), Decimal(1)),
    ]
    assert report.charts["answers"].value_format == "percent"


def test_the_command(w, tmp_path):
    out = StringIO()
    call_command("admissions_report", "--year", "2020", "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["year"] == 2020
    assert data["demand"]["total"]["demand"] == 6
    assert data["answers"]["rate"] == "0.7500"  # exact, as text
    out = StringIO()
    call_command("admissions_report", "--year", "2019", "--format", "text", stdout=out)
    assert "需求与学位\t需求\t6" in out.getvalue().splitlines()
    target = tmp_path / "admissions.xlsx"
    out = StringIO()
    call_command("admissions_report", "--year", "2019", "--format", "xlsx", "--output", str(target), stdout=out)
    assert target.read_bytes()[:2] == b"PK"
    with pytest.raises(CommandError, match="no admissions campaign or adopted rules for 2021"):
        call_command("admissions_report", "--year", "2021")
