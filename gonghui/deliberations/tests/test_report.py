"""The deliberation's report: per round the opinions, participation, answers and the time from
the close to the roll-up and to the answers in working days (the official calendar: Qingming
2021 is 3–5 April); the vote."""

import datetime
from decimal import Decimal

import pytest

from gonghui.deliberations.selectors.report import deliberation_report
from gonghui.deliberations.tests.factories import (
    SHANGHAI,
    deliberation_make,
    reform_adopted_in_2021,
)


def _at(*parts) -> datetime.datetime:
    return datetime.datetime(*parts, tzinfo=SHANGHAI)


@pytest.fixture
def reported(w, clock):
    """Round one open 29 March – 2 April 2021 17:00, closed that evening, sent on Tuesday
    6 April (after Qingming), answered and published on Friday 9 April; adopted that day."""
    return reform_adopted_in_2021(w, clock)


def test_the_round_figures(w, reported):
    report = deliberation_report(reported)
    figures = report.figures
    assert (figures["topic"], figures["drafting_unit"], figures["status"], figures["versions"]) == (
        "教职工绩效工资改革方案",
        "人事处",
        "已通过",
        1,
    )
    (first,) = figures["rounds"]
    assert (first["round"], first["version"], first["audience"], first["anonymous"]) == (
        1,
        "第1稿",
        "全体教职工（经所在学院）",
        False,
    )
    assert first["opens_at"] == _at(2021, 3, 29, 9)
    assert first["closes_at"] == _at(2021, 4, 2, 17)  # closed after its time: the time stands
    assert (first["opinions"], first["authors"], first["staff"], first["participation"]) == (6, 6, 8, Decimal("0.75"))
    assert first["groups"] == 4
    assert first["answers"] == {"待答复": 0, "采纳": 2, "部分采纳": 1, "不采纳": 1}


def test_working_days_from_the_close_skip_qingming(w, reported):
    (first,) = deliberation_report(reported).figures["rounds"]
    # Friday 2 April → Tuesday 6 April: Saturday to Monday are Qingming's days off
    assert first["close_to_sent"] == {"days": 4, "working_days": 1}
    # → Friday 9 April: 6, 7, 8 and 9 April
    assert first["close_to_answer"] == {"days": 7, "working_days": 4}


def test_opinions_by_college_and_article(w, reported):
    (first,) = deliberation_report(reported).figures["rounds"]
    assert first["by_college"] == [
        {"college": "法学院分工会", "opinions": 2, "authors": 2, "staff": 3, "participation": Decimal("0.6667")},
        {"college": "经济学院分工会", "opinions": 4, "authors": 4, "staff": 5, "participation": Decimal("0.8000")},
    ]
    assert {a["article"]: a["opinions"] for a in first["by_article"]} == {"总体意见": 1, "第一条": 4, "第三条": 1}
    assert len(first["by_article"]) == 3
    assert first["college_article"] == {
        "经济学院分工会": {"第一条": 3, "第三条": 1},
        "法学院分工会": {"第一条": 1, "总体意见": 1},
    }


def test_the_vote_and_the_rows_every_output_prints(w, reported):
    report = deliberation_report(reported)
    assert report.figures["votes"] == [
        {
            "version": "第1稿",
            "method": "举手表决",
            "held_on": datetime.date(2021, 4, 9),
            "delegates": 6,
            "present": 5,
            "for": 4,
            "against": 1,
            "abstain": 0,
            "adopted": True,
        }
    ]
    rows = {(section, item): value for section, item, value in report.rows}
    assert rows[("第1轮（第1稿）", "意见条数")] == 6
    assert rows[("第1轮（第1稿）", "归并后意见组")] == 4
    assert rows[("第1轮（第1稿）", "截止至答复（工作日）")] == 4
    assert rows[("第1轮（第1稿）", "法学院分工会：意见/人数/参与率")] == "2/2/0.6667"
    assert rows[("表决（第1稿）", "应到/实到")] == "6/5"
    assert rows[("表决（第1稿）", "结果")] == "通过"
    assert set(report.charts) == {"colleges", "answers"}


def test_a_deliberation_without_rounds_reports_no_round(w):
    deliberation = deliberation_make(w)
    report = deliberation_report(deliberation)
    assert (report.figures["rounds"], report.figures["votes"], report.figures["versions"]) == ([], [], 0)
    assert report.rows == [] and report.charts == {}
