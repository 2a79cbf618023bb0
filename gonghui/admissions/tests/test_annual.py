"""Children's admission's section of the annual report, on `demand_world` (its docstring lists
every line): the year's demand and outcomes as the year's admissions report counts them."""

from __future__ import annotations

import pytest

from gonghui.accounts.system import system_actor
from gonghui.admissions.annual import admissions_annual_section
from gonghui.admissions.reports import admissions_report
from gonghui.admissions.tests.demand_world import demand_world
from gonghui.core.registry import annual_figure, annual_section

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(university):
    return demand_world(university)


def _figures(year: int) -> dict:
    section = admissions_annual_section(system_actor(), year)
    assert section is not None
    return {figure.key: figure.value for figure in section.figures}


def test_the_2019_campaign(w):
    assert _figures(2019) == {
        "admissions.survey_needs": 6,  # c1–c6 need a place, c7 does not
        "admissions.places": 3,  # KG 1, PRI 2
        "admissions.requests": 4,
        "admissions.placed": 2,
        "admissions.not_placed": 1,
        "admissions.self_arranged": 1,
        "admissions.unmet": 4,
        "admissions.unmet_nursery": 3,  # four need a nursery place, c1 got one
    }
    total = admissions_report(user=system_actor(), year=2019).figures["demand"]["total"]
    assert (total["demand"], total["requests"], total["placed"], total["unmet"]) == (6, 4, 2, 4)


def test_the_2020_campaign(w):
    # d1–d6 need a place; d5 (a draft) and d6 (withdrawn) did not request one; d2 waits for the
    # school's answer; d4 was placed at the alternative
    assert _figures(2020) == {
        "admissions.survey_needs": 6,
        "admissions.places": 6,  # KG 1, CO 3, PRI 2
        "admissions.requests": 4,
        "admissions.placed": 3,
        "admissions.not_placed": 0,
        "admissions.self_arranged": 0,
        "admissions.unmet": 3,
        "admissions.unmet_nursery": 3,
    }


def test_labels_units_and_charts(w):
    section = annual_section(system_actor(), "admissions", 2019)
    assert section is not None and section.title == "子女入托入学"
    assert [(f.key, f.label, f.unit) for f in section.figures] == [
        ("admissions.survey_needs", "需要学位的子女", "人"),
        ("admissions.places", "学位", "个"),
        ("admissions.requests", "提交申请", "人"),
        ("admissions.placed", "录取", "人"),
        ("admissions.not_placed", "未录取", "人"),
        ("admissions.self_arranged", "视为自行解决", "人"),
        ("admissions.unmet", "未满足需求", "人"),
        ("admissions.unmet_nursery", "入托入园未满足需求", "人"),
    ]
    bars, pie = section.charts
    assert (bars.title, bars.labels) == ("2019年需求、申请与录取", ("需要学位的子女", "提交申请", "录取", "未满足需求"))
    assert [int(v) for v in bars.series[0][1]] == [6, 4, 2, 4]
    assert (pie.kind, pie.labels, [int(v) for v in pie.series[0][1]]) == (
        "pie",
        ("录取", "未录取", "视为自行解决"),
        [2, 1, 1],
    )


def test_a_year_without_a_campaign_has_no_section(w):
    # 2021 has draft rules and no campaign; 2018 nothing
    assert admissions_annual_section(system_actor(), 2021) is None
    assert admissions_annual_section(system_actor(), 2018) is None
    assert annual_figure(system_actor(), "admissions.placed", 2021) is None
    assert annual_figure(system_actor(), "admissions.placed", 2020).value == 3


def test_a_fixed_number_of_grouped_queries(w, django_assert_num_queries):
    actor = system_actor()
    admissions_annual_section(actor, 2019)  # the actor's roles read once
    # the campaign, then the demand table: schools, survey lines, requests, places, sub-unions
    with django_assert_num_queries(6):
        admissions_annual_section(actor, 2019)
