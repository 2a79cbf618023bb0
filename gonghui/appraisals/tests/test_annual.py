"""The cadre appraisal's section of the annual report: turnout only, never a result. Built on the
count of the appraisal tests (econ online and on paper, law under its quorum), through the real
services."""

import datetime
from decimal import Decimal

import pytest

from gonghui.accounts.system import system_actor
from gonghui.appraisals.annual import appraisals_annual_section
from gonghui.appraisals.choices import VotingMode
from gonghui.appraisals.services import rounds as round_services
from gonghui.appraisals.services.paper import paper_ballot_enter, paper_count_agree
from gonghui.appraisals.services.voting import appraisal_vote, paper_handout
from gonghui.appraisals.tests.factories import aware, grades_all, rules_make, through
from gonghui.core.registry import annual_figure, annual_section
from gonghui.core.reports import Ratio
from gonghui.people.tests.factories import user_make

# Words of a result: none may appear in a key or a label of the section.
RESULT_WORDS = ("result", "score", "grade", "rank", "excellent", "competent", "good", "poor", "weighted", "share")
RESULT_LABELS = ("结果", "得分", "分数", "等次", "优秀", "称职", "好", "差", "诫勉", "调整", "排名", "权重")


@pytest.fixture
def counted(w, clock):
    """The 2021 round counted (as test_counting's): econ's 8 voters, 3 online (张伟, 钱院长, 吴校长)
    and 3 paper ballots (one spoilt); law's 5 voters, 1 online (王芳)."""
    rules_make(w.u, mode=VotingMode.BOTH)
    through(w, "open", clock)
    users = {"张伟": w.users["member"], "李娜": w.users["li"], "陈静": w.users["sub_union_officer"]}
    users.update({"吴校长": w.users["leader"], "钱院长": w.users["dean"], "王芳": w.users["wang"]})
    users["经济0"] = user_make(username="E0200", person=w.econ_staff[0])
    dean, secretary, law_dean = (w.cadres[k].item_key for k in ("dean", "secretary", "law_dean"))
    appraisal_vote(actor=users["张伟"], unit=w.econ, choices=grades_all(w.econ, "excellent", "good"))
    appraisal_vote(actor=users["钱院长"], unit=w.econ, choices=grades_all(w.econ, "competent", "fair"))
    appraisal_vote(
        actor=users["吴校长"], unit=w.econ, choices={dean: "incompetent", secretary: "competent", "team": "fair"}
    )
    for staff_no in ("E0002", "E0099", "E0200"):
        paper_handout(actor=users["李娜"], unit=w.econ, staff_no=staff_no)
    papers = [{dean: "basic", secretary: "competent", "team": "average"}] * 2
    for teller in (users["李娜"], users["陈静"]):
        for choices in papers:
            paper_ballot_enter(actor=teller, unit=w.econ, category="staff", spoilt=False, choices=choices)
        paper_ballot_enter(actor=teller, unit=w.econ, category="staff", spoilt=True, choices={})
    paper_count_agree(actor=users["陈静"], unit=w.econ, category="staff")
    appraisal_vote(actor=users["王芳"], unit=w.law, choices={law_dean: "excellent", "team": "good"})
    through(w, "tallied", clock)
    return w


def _figures(year: int) -> dict:
    section = appraisals_annual_section(system_actor(), year)
    assert section is not None
    return {figure.key: figure.value for figure in section.figures}


COUNTED_2021 = {
    "appraisals.rounds": 1,
    "appraisals.rounds_counted": 1,
    "appraisals.units": 2,
    "appraisals.eligible": 13,
    "appraisals.ballots_cast": 7,  # 4 online, 3 on paper (the spoilt one took part too)
    "appraisals.ballots_online": 4,
    "appraisals.ballots_paper": 3,
    "appraisals.turnout": Decimal("0.5385"),  # 7 / 13
}


def test_turnout_of_the_counted_round(counted):
    assert _figures(2021) == COUNTED_2021
    assert isinstance(_figures(2021)["appraisals.turnout"], Ratio)
    assert annual_figure(system_actor(), "appraisals.ballots_cast", 2021).value == 7


def test_releasing_the_results_changes_nothing_in_the_section(counted, clock):
    before = appraisals_annual_section(system_actor(), 2021)
    through(counted, "released", clock)
    assert appraisals_annual_section(system_actor(), 2021) == before
    assert _figures(2021) == COUNTED_2021


def test_no_key_or_label_speaks_of_results(counted, clock):
    through(counted, "released", clock)
    section = annual_section(system_actor(), "appraisals", 2021)
    assert section is not None
    keys = [f.key.lower() for f in section.figures]
    labels = [str(f.label) for f in section.figures] + [str(section.title)]
    labels += [chart.title for chart in section.charts] + [label for chart in section.charts for label in chart.labels]
    assert not [key for key in keys if any(word in key for word in RESULT_WORDS)]
    assert not [label for label in labels if any(word in label for word in RESULT_LABELS)]
    assert {f.key for f in section.figures} == set(COUNTED_2021)
    (chart,) = section.charts
    assert (chart.kind, chart.labels, [int(v) for v in chart.series[0][1]]) == ("pie", ("网上投票", "纸质选票"), [4, 3])


def test_a_round_not_yet_counted_has_no_turnout(w):
    # the world's 2021 round is still in preparation: no turnout, no share, no chart
    section = appraisals_annual_section(system_actor(), 2021)
    assert section is not None
    assert {f.key: f.value for f in section.figures} == {
        "appraisals.rounds": 1,
        "appraisals.rounds_counted": 0,
        "appraisals.units": 2,
        "appraisals.eligible": 0,
        "appraisals.ballots_cast": 0,
        "appraisals.ballots_online": 0,
        "appraisals.ballots_paper": 0,
    }
    assert section.charts == ()
    assert annual_figure(system_actor(), "appraisals.turnout", 2021) is None


def test_a_year_without_a_round_has_no_section(counted):
    rules_make(counted.u, year=2022)
    assert appraisals_annual_section(system_actor(), 2022) is None  # rules, no round
    assert appraisals_annual_section(system_actor(), 2020) is None
    round_services.round_create(
        actor=counted.office,
        year=2022,
        title="2022年度中层干部民主测评",
        opens_at=aware(datetime.datetime(2022, 12, 20, 9)),
        closes_at=aware(datetime.datetime(2022, 12, 20, 18)),
    )
    assert _figures(2022)["appraisals.rounds"] == 1
    assert _figures(2021) == COUNTED_2021


def test_only_who_reads_every_rounds_turnout(counted):
    # a college's officer reads their own college's turnout, not the union's
    assert appraisals_annual_section(counted.users["sub_union_officer"], 2021) is None
    assert appraisals_annual_section(counted.users["auditor"], 2021) is not None
