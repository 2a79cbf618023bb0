"""The handling report from the data: JSON (command), .xlsx and PDF; follow-up carried
over to the next session."""

import datetime
import io
import json

from django.core.management import call_command
from openpyxl import load_workbook

from gonghui.proposals.selectors.report import catalogue_pdf, handling_report, handling_report_pdf
from gonghui.proposals.services.handling import milestone_add, rating_submit
from gonghui.proposals.services.triage import proposal_triage
from gonghui.proposals.tests.factories import assigned, replied, session_make, submitted


def _world(pw):
    a = replied(pw, title="食堂晚餐延时")
    rating_submit(proposal=a, actor=pw.users["member"], level="satisfied")
    b = replied(pw, title="增设充电桩", category="planned", target_date=datetime.date(2027, 6, 1))
    rating_submit(proposal=b, actor=pw.users["member"], level="basically")
    milestone_add(
        proposal=b, actor=pw.users["handling_unit_officer"], title="完成选址", due_on=datetime.date(2027, 1, 1)
    )
    assigned(pw, title="教学楼空调", category="教学科研")
    c = submitted(pw, title="个人诉求")
    proposal_triage(proposal=c, actor=pw.users["proposals_committee"], outcome="not_registered", reason="个人事项")
    d = submitted(pw, title="小事")
    proposal_triage(proposal=d, actor=pw.users["proposals_committee"], outcome="opinion")
    return a, b


def test_report_figures(pw):
    _world(pw)
    report = handling_report(session=pw.session).figures
    assert report["counts"] == {
        "received": 5,
        "registered": 3,
        "opinions": 1,
        "not_registered": 1,
        "merged": 0,
        "withdrawn": 0,
        "under_review": 0,
    }
    assert (report["replied"], report["on_time"], report["on_time_rate"]) == (2, 2, 100.0)
    assert report["ratings"] == 2 and report["satisfaction_rate"] == 100.0
    assert [(s["label"], s["count"]) for s in report["satisfaction"]] == [("满意", 1), ("基本满意", 1), ("不满意", 0)]
    assert report["by_category"] == [
        {"category": "后勤保障", "registered": 2, "closed": 1, "follow_up": 1, "in_handling": 0},
        {"category": "教学科研", "registered": 1, "closed": 0, "follow_up": 0, "in_handling": 1},
    ]
    (unit,) = report["by_unit"]
    assert (
        unit["unit"],
        unit["proposals"],
        unit["replied"],
        unit["on_time_rate"],
        unit["satisfaction_rate"],
        unit["rehandling_rate"],
    ) == ("后勤处", 3, 2, 100.0, 100.0, 0.0)
    assert [p["number"] for p in report["proposals"]] == [1, 2, 3]
    assert report["proposals"][1]["reply_category"] == "正在解决或列入计划"
    assert report["proposals"][1]["target_date"] == "2027-06-01"
    # the proposer's rating as the session's scale names it, never its code
    assert [p["satisfaction"] for p in report["proposals"]] == ["满意", "基本满意", ""]
    assert [p["satisfaction_code"] for p in report["proposals"]] == ["satisfied", "basically", ""]


def test_report_reads_the_ratings_in_a_fixed_number_of_queries(pw, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _world(pw)
    with CaptureQueriesContext(connection) as few:
        handling_report(session=pw.session)
    for title in ("路灯", "校车", "食堂早餐"):
        rating_submit(proposal=replied(pw, title=title), actor=pw.users["member"], level="satisfied")
    with django_assert_max_num_queries(len(few.captured_queries)):
        report = handling_report(session=pw.session).figures
    assert report["ratings"] == 5


def test_follow_up_is_carried_into_the_next_sessions_report(pw):
    _world(pw)
    nxt = session_make(pw.term, number=3, opens_on=pw.session.opens_on + datetime.timedelta(days=365))
    report = handling_report(session=nxt).figures
    assert [(p["title"], p["status_code"], p["milestones"][0]["title"]) for p in report["carried_over"]] == [
        ("增设充电桩", "follow_up", "完成选址")
    ]


def test_xlsx_and_pdf(pw):
    _world(pw)
    report = handling_report(session=pw.session)
    book = load_workbook(io.BytesIO(report.xlsx()))
    assert book.sheetnames == ["汇总", "承办单位", "提案"]
    rows = list(book["提案"].iter_rows(values_only=True))
    assert rows[0][:3] == ("会议", "编号", "案由")
    assert [r[2] for r in rows[1:]] == ["食堂晚餐延时", "增设充电桩", "教学楼空调"]
    assert handling_report_pdf(report).startswith(b"%PDF")
    assert catalogue_pdf(session=pw.session).startswith(b"%PDF")


def test_command_prints_json(pw, capsys):
    _world(pw)
    call_command("proposals_report", "--session", str(pw.session.pk), "--format", "json")
    data = json.loads(capsys.readouterr().out)
    assert data["counts"]["registered"] == 3
    assert data["session"]["id"] == pw.session.pk
