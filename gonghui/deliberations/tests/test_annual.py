"""Draft deliberation's section of the annual report: the deliberations of the sessions opening in
the year, their opinions, the drafting unit's answers and the votes, through the real services."""

import datetime

import pytest

from gonghui.accounts.system import system_actor
from gonghui.congress.models import CongressSession
from gonghui.core.registry import annual_figure, annual_section
from gonghui.deliberations.annual import deliberations_annual_section
from gonghui.deliberations.selectors.report import deliberation_report
from gonghui.deliberations.services.versions import deliberation_create
from gonghui.deliberations.tests.factories import (
    SHANGHAI,
    deliberation_make,
    reform_adopted_in_2021,
    through,
)


def _at(*parts) -> datetime.datetime:
    return datetime.datetime(*parts, tzinfo=SHANGHAI)


def _figures(year: int) -> dict:
    section = deliberations_annual_section(system_actor(), year)
    assert section is not None
    return {figure.key: figure.value for figure in section.figures}


@pytest.fixture
def year_2021(w, clock):
    """In the 2021 session: the pay reform taken through one round (six opinions by six people,
    rolled up into four groups: two adopted, one partly, one not), answered and adopted by the
    vote; a second draft with a round open and the same six opinions given, not yet closed; a
    third still being drafted. A session of 2022 has a draft being drafted and nothing else."""
    reform = reform_adopted_in_2021(w, clock)
    clock.move_to(_at(2021, 4, 12, 9))
    through(w, "given", deliberation=deliberation_make(w, topic="教职工年度考核办法"))
    deliberation_make(w, topic="校园交通管理办法")
    later = CongressSession.objects.create(
        term=w.term, number=3, opens_on=datetime.date(2022, 6, 24), closes_on=datetime.date(2022, 6, 25)
    )
    deliberation_create(actor=w.office, session=later, topic="教职工住房补贴办法", drafting_unit=w.hr)
    reform.refresh_from_db()
    return reform


def test_the_year_as_the_reports_count_it(year_2021):
    assert _figures(2021) == {
        "deliberations.drafts": 2,  # not the one still being drafted
        "deliberations.rounds": 2,
        "deliberations.opinions": 12,
        "deliberations.opinion_authors": 6,
        "deliberations.opinion_groups": 4,  # the open round is not rolled up yet
        "deliberations.adopted": 2,
        "deliberations.partly_adopted": 1,
        "deliberations.not_adopted": 1,
        "deliberations.unanswered": 0,
        "deliberations.voted": 1,
        "deliberations.passed": 1,
    }
    # the pay reform's own report says the same of it
    (round_one,) = deliberation_report(year_2021).figures["rounds"]
    assert (round_one["opinions"], round_one["authors"], round_one["groups"]) == (6, 6, 4)
    assert list(round_one["answers"].values()) == [0, 2, 1, 1]


def test_labels_units_and_chart(year_2021):
    section = annual_section(system_actor(), "deliberations", 2021)
    assert section is not None and section.title == "专题审议"
    labels = {f.key: (f.label, f.unit) for f in section.figures}
    assert labels["deliberations.drafts"] == ("征求意见的方案", "项")
    assert labels["deliberations.rounds"] == ("意见征求轮次", "轮")
    assert labels["deliberations.opinions"] == ("收到意见", "条")
    assert labels["deliberations.opinion_authors"] == ("提出意见的教职工", "人")
    assert labels["deliberations.partly_adopted"] == ("部分采纳", "条")
    assert labels["deliberations.passed"] == ("表决通过的方案", "项")
    (chart,) = section.charts
    assert (chart.kind, chart.labels) == ("pie", ("采纳", "部分采纳", "不采纳", "待答复"))
    assert [int(v) for v in chart.series[0][1]] == [2, 1, 1, 0]


def test_a_year_with_nothing_deliberated_has_no_section(year_2021):
    # 2022's session has a draft still being drafted; 2020 has no session
    assert deliberations_annual_section(system_actor(), 2022) is None
    assert deliberations_annual_section(system_actor(), 2020) is None
    assert annual_figure(system_actor(), "deliberations.opinions", 2022) is None
    assert annual_figure(system_actor(), "deliberations.opinions", 2021).value == 12


def test_a_fixed_number_of_queries(year_2021, w, django_assert_num_queries):
    actor = system_actor()
    deliberations_annual_section(actor, 2021)  # the actor's roles read once
    with django_assert_num_queries(4):
        deliberations_annual_section(actor, 2021)
    through(w, "given", deliberation=deliberation_make(w, topic="食堂管理办法"))
    with django_assert_num_queries(4):
        section = deliberations_annual_section(actor, 2021)
    assert section is not None and section.figure("deliberations.opinions").value == 18
