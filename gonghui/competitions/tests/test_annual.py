"""The teaching competition's section of the annual report (annual.py), through the services,
on the competition world (factories.py) with a Beijing history:

- Beijing 第十届 (2017), not entered; 第十一届 (2019), entered, 30 teachers in the archive, the
  university's 优秀组织奖 recorded;
- the 2021 school round (第三届) released; Beijing 第十二届 (2021) fed by it, 赵一, 周四 and 钱二
  recommended and their results recorded in the bulletin's manner: 赵一 人文科学类A组一等奖,
  最佳教案奖 and 最佳现场展示奖, 周四 and 钱二 人文科学类A组二等奖, their coach 郑师 (法学院)
  优秀指导教师奖; confirmed;
- a 2022 school round (第四届), a draft: a year with an edition but none at Beijing."""

import pytest

from gonghui.accounts.system import system_actor
from gonghui.competitions.annual import competitions_annual_section
from gonghui.competitions.choices import Level
from gonghui.competitions.services import competitions as competition_services
from gonghui.competitions.services import entries as entry_services
from gonghui.competitions.services import results as result_services
from gonghui.competitions.tests.factories import BEIJING_TEXT, beijing_edition, rules_make, through
from gonghui.core.registry import annual_figure, annual_section, annual_sections_for

pytestmark = pytest.mark.django_db

SENTENCE_2021 = (
    "经济学院赵一获得人文科学类A组一等奖、最佳教案奖和最佳现场展示奖，"
    "法学院周四和经济学院钱二获得人文科学类A组二等奖，法学院郑师获得优秀指导教师奖"
)
NO_PRIZES = {
    "competitions.awards_first": 0,
    "competitions.awards_second": 0,
    "competitions.awards_third": 0,
    "competitions.awards_rank": 0,
    "competitions.awards_special": 0,
    "competitions.awards_coach": 0,
    "competitions.awards_organisation": 0,
    "competitions.award_list": "",
}


def _beijing(w, number: int, year: int, title: str, **fields):
    return competition_services.competition_create(
        actor=w.office, level=Level.BEIJING, year=year, number=number, title=title, organiser="北京市教育工会", **fields
    )


@pytest.fixture
def history(w, clock):
    rules_make(
        w.u, level=Level.BEIJING, year=2019, text=BEIJING_TEXT, name="第十一届北京高校青年教师教学基本功比赛规程"
    )
    b2017 = _beijing(w, 10, 2017, "第十届北京高校青年教师教学基本功比赛", entered=False)
    b2019 = _beijing(w, 11, 2019, "第十一届北京高校青年教师教学基本功比赛", participants_recorded=30)
    result_services.award_confer(actor=w.office, competition=b2019, code="organisation", recipient="示范大学")
    for edition in (b2017, b2019):
        result_services.results_confirm(actor=w.office, competition=edition)

    through(w, clock, "released")
    b2021 = beijing_edition(w)
    school = [w.entries[name] for name in ("zhao", "zhou", "qian")]
    zhao, zhou, qian = entry_services.entries_recommend(actor=w.office, competition=w.competition, entries=school)
    for entry, code in ((zhao, "first"), (zhao, "best-plan"), (zhao, "best-show"), (zhou, "second"), (qian, "second")):
        result_services.result_record(actor=w.office, competition=b2021, entry=entry, code=code)
    result_services.award_confer(actor=w.office, competition=b2021, code="coach", coach_staff_no="L0900")
    result_services.results_confirm(actor=w.office, competition=b2021)

    rules_make(w.u, year=2022)
    competition_services.competition_create(
        actor=w.office, level=Level.UNIVERSITY, year=2022, number=4, title="第四届青年教师教学基本功比赛"
    )
    return w


def _values(year: int) -> dict | None:
    section = competitions_annual_section(system_actor(), year)
    return None if section is None else {figure.key: figure.value for figure in section.figures}


def test_the_year_of_a_beijing_edition_as_the_bulletin_reports_it(history):
    assert _values(2021) == {
        "competitions.editions_held": 3,
        "competitions.editions_entered": 2,
        # 2019's 30 of the archive, 2021's selection: 赵一, 周四 and 钱二
        "competitions.participants_total": 33,
        "competitions.awards_first": 1,
        "competitions.awards_second": 2,
        "competitions.awards_third": 0,
        "competitions.awards_rank": 3,
        "competitions.awards_special": 2,
        "competitions.awards_coach": 1,
        "competitions.awards_organisation": 0,
        "competitions.award_list": SENTENCE_2021,
    }
    section = competitions_annual_section(system_actor(), 2021)
    assert section.title == "青年教师教学基本功比赛"
    assert [(f.key.split(".")[1], f.label, f.unit, f.money) for f in section.figures][:3] == [
        ("editions_held", "北京高校青教赛已举办", "届", False),
        ("editions_entered", "我校参加北京市比赛", "次", False),
        ("participants_total", "历届参赛青年教师", "人次", False),
    ]
    assert {f.unit for f in section.figures[3:-1]} == {"项"}
    assert (section.figures[-1].label, section.figures[-1].unit) == ("获奖名单", "")
    history_chart, prizes_chart = section.charts
    assert history_chart.kind == "line"
    assert history_chart.labels == ("第十届", "第十一届", "第十二届")
    assert history_chart.series[0][1] == (None, 30, 3)
    assert prizes_chart.title == "2021年北京市比赛获奖（项）"
    assert prizes_chart.labels == ("一等奖", "二等奖", "三等奖", "单项奖", "优秀指导教师奖", "优秀组织奖")
    assert prizes_chart.series[0][1] == (1, 2, 0, 2, 1, 0)


def test_other_years(history):
    assert _values(2016) is None
    assert _values(2017) == {
        "competitions.editions_held": 1,
        "competitions.editions_entered": 0,
        "competitions.participants_total": 0,
        **NO_PRIZES,
    }
    assert _values(2019) == {
        "competitions.editions_held": 2,
        "competitions.editions_entered": 1,
        "competitions.participants_total": 30,
        **NO_PRIZES,
        "competitions.awards_organisation": 1,
        "competitions.award_list": "示范大学获得优秀组织奖",
    }
    assert _values(2020) is None
    # the 2022 school round: the Beijing history so far, no prize figures
    assert _values(2022) == {
        "competitions.editions_held": 3,
        "competitions.editions_entered": 2,
        "competitions.participants_total": 33,
    }
    assert len(competitions_annual_section(system_actor(), 2022).charts) == 1
    assert annual_figure(system_actor(), "competitions.award_list", 2022) is None


def test_registered_with_the_annual_report(history):
    actor = system_actor()
    assert annual_figure(actor, "competitions.award_list", 2021).value == SENTENCE_2021
    assert annual_figure(actor, "competitions.editions_held", 2021).value == 3
    assert annual_section(actor, "competitions", 2020) is None
    section = annual_section(actor, "competitions", 2021)
    assert (section.key, section.order) == ("competitions", 80)
    assert "competitions" in [s.key for s in annual_sections_for(actor, 2021)]
