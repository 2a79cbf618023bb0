"""Proposals' section of the annual report: the proposals of the sessions opening in the year,
counted as the handling report counts them, through the real services."""

import datetime
from decimal import Decimal

import pytest

from gonghui.accounts.system import system_actor
from gonghui.core.registry import annual_figure, annual_section
from gonghui.core.reports import Ratio
from gonghui.proposals.annual import proposals_annual_section
from gonghui.proposals.selectors.report import handling_report
from gonghui.proposals.services.handling import rating_submit
from gonghui.proposals.services.submission import proposal_withdraw
from gonghui.proposals.services.triage import proposal_triage
from gonghui.proposals.tests.factories import assigned, draft, registered, replied, session_make, submitted


def _figures(year: int) -> dict:
    section = proposals_annual_section(system_actor(), year)
    assert section is not None
    return {figure.key: figure.value for figure in section.figures}


@pytest.fixture
def year_2022(pw):
    """The session of the proposals world opens on 2022-04-04. Three replied proposals rated
    满意, 基本满意 and 不满意 (sent back for re-handling), one assigned, one registered that
    another was merged into, one not registered, one turned into an opinion, one withdrawn and
    a draft; and one proposal submitted to a session of 2021."""
    committee, member = pw.users["proposals_committee"], pw.users["member"]
    rating_submit(proposal=replied(pw, title="食堂晚餐延时"), actor=member, level="satisfied")
    rating_submit(
        proposal=replied(pw, title="增设充电桩", category="planned", target_date=datetime.date(2027, 6, 1)),
        actor=member,
        level="basically",
    )
    rating_submit(proposal=replied(pw, title="校车班次"), actor=member, level="unsatisfied", comment="班次仍然不够")
    assigned(pw, title="教学楼空调", category="教学科研")
    target = registered(pw, title="图书馆开放时间")
    source = submitted(pw, by="li", title="延长图书馆开放时间")
    proposal_triage(proposal=source, actor=committee, outcome="merged", merge_into=target)
    proposal_triage(
        proposal=submitted(pw, title="个人诉求"), actor=committee, outcome="not_registered", reason="个人事项"
    )
    proposal_triage(proposal=submitted(pw, title="小事"), actor=committee, outcome="opinion")
    proposal_withdraw(proposal=submitted(pw, title="撤回的提案"), actor=member)
    draft(pw, title="还在起草的提案")
    earlier = session_make(pw.term, number=1, opens_on=datetime.date(2021, 6, 25))
    submitted(pw, title="上一次会议的提案", session=earlier)
    assert pw.session.opens_on.year == 2022
    return pw


def test_the_year_as_the_handling_report_counts_it(year_2022):
    assert _figures(2022) == {
        "proposals.submitted": 8,  # not the withdrawn one nor the draft
        "proposals.registered": 5,
        "proposals.opinions": 1,
        "proposals.not_registered": 1,
        "proposals.merged": 1,
        "proposals.answered": 3,
        "proposals.answered_on_time": 3,
        "proposals.ratings": 3,
        "proposals.satisfied": 2,  # 满意 and 基本满意 accept the reply
        "proposals.not_satisfied": 1,
        "proposals.satisfaction_rate": Decimal("0.6667"),
        "proposals.level_satisfied": 1,
        "proposals.level_basically": 1,
        "proposals.level_unsatisfied": 1,
    }
    # the session's own report says the same
    report = handling_report(session=year_2022.session).figures
    assert (report["counts"]["received"], report["counts"]["registered"], report["replied"]) == (8, 5, 3)
    assert (report["ratings"], [level["count"] for level in report["satisfaction"]]) == (3, [1, 1, 1])


def test_labels_units_and_charts(year_2022):
    section = annual_section(system_actor(), "proposals", 2022)
    assert section is not None and section.title == "教代会提案"
    labels = {f.key: (f.label, f.unit) for f in section.figures}
    assert labels["proposals.registered"] == ("立案", "件")
    assert labels["proposals.satisfied"] == ("满意（认可答复）", "人次")
    assert labels["proposals.level_basically"] == ("基本满意", "人次")
    assert labels["proposals.satisfaction_rate"] == ("满意率", "")
    rate = section.figure("proposals.satisfaction_rate")
    assert isinstance(rate.value, Ratio) and not rate.money
    bars, pie = section.charts
    assert (bars.title, bars.labels) == ("2022年提案收到、立案与答复", ("收到提案", "立案", "已答复"))
    assert [int(v) for v in bars.series[0][1]] == [8, 5, 3]
    assert (pie.kind, pie.labels) == ("pie", ("满意", "基本满意", "不满意"))
    assert [int(v) for v in pie.series[0][1]] == [1, 1, 1]


def test_a_year_with_no_rating_has_no_rate(year_2022):
    section = proposals_annual_section(system_actor(), 2021)
    assert section is not None
    figures = {figure.key: figure.value for figure in section.figures}
    assert (figures["proposals.submitted"], figures["proposals.registered"], figures["proposals.ratings"]) == (1, 0, 0)
    assert "proposals.satisfaction_rate" not in figures
    assert annual_figure(system_actor(), "proposals.satisfaction_rate", 2021) is None
    assert len(section.charts) == 1  # no ratings: no pie


def test_a_year_without_proposals_has_no_section(year_2022):
    assert proposals_annual_section(system_actor(), 2020) is None
    assert annual_figure(system_actor(), "proposals.registered", 2020) is None
    assert annual_figure(system_actor(), "proposals.registered", 2022).value == 5


def test_drafts_alone_make_no_section(pw):
    draft(pw, title="还在起草的提案")
    assert proposals_annual_section(system_actor(), 2022) is None
