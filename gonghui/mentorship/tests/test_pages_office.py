"""The pages of the office and of the colleges' officers, through the test client: who gets each
page, what it shows (exactly), and that a refused POST shows the service's message and writes
nothing."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gonghui.core.models import AuditAction, AuditEvent
from gonghui.mentorship.choices import (
    CohortStatus,
    DutyKind,
    DutyStatus,
    MatchingStatus,
    MatchMethod,
    PairStatus,
    Side,
    StipendKind,
)
from gonghui.mentorship.models import (
    Candidate,
    Cohort,
    DutyLog,
    MatchingRun,
    MentorshipRules,
    Pair,
    StipendBatch,
    StipendEntry,
)
from gonghui.mentorship.services import assessments, cohorts, duties
from gonghui.mentorship.services.pairs import pair_agree
from gonghui.mentorship.tests.factories import agreement_file, through
from tests.tables import changed_tables, table_counts

pytestmark = pytest.mark.django_db


def _as(client, user):
    client.force_login(user)
    return client


def _text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def _follow(client, url, data=None):
    return client.post(url, data or {}, follow=True)


# --- the list and a new cohort ---------------------------------------------------------------


def test_the_office_lists_the_cohorts_and_an_officer_only_announced_ones(client, w):
    page = _text(_as(client, w.office).get(reverse("mentorship:list")))
    assert page.count('data-testid="cohort"') == 1
    assert "第8期青年教师拜师结对" in page and 'data-testid="new-cohort"' in page
    assert 'data-testid="pair-count">0 对<' in page
    officer = _text(_as(client, w.officer).get(reverse("mentorship:list")))
    assert officer.count('data-testid="cohort"') == 0 and 'data-testid="new-cohort"' not in officer
    through(w, "proposed")
    officer = _text(client.get(reverse("mentorship:list")))
    assert officer.count('data-testid="cohort"') == 1 and 'data-testid="pair-count">3 对<' in officer
    assert _text(client.get(reverse("mentorship:list"), {"status": "draft"})).count('data-testid="cohort"') == 0
    partial = _text(client.get(reverse("mentorship:list"), {"status": "matching"}, HTTP_HX_REQUEST="true"))
    assert "<html" not in partial and partial.count('data-testid="cohort"') == 1


def test_the_list_asks_the_database_the_same_for_more_cohorts(client, w):
    through(w, "proposed")
    client = _as(client, w.office)
    with CaptureQueriesContext(connection) as few:
        _text(client.get(reverse("mentorship:list")))
    for number in range(1, 8):
        Cohort.objects.create(
            number=number,
            name=f"第{number}期",
            rules=w.rules,
            starts_on=datetime.date(2007 + 2 * number, 3, 1),
            ends_on=datetime.date(2009 + 2 * number, 2, 28),
            status=CohortStatus.CLOSED,
            pairs_recorded=40 + number,
        )
    with CaptureQueriesContext(connection) as many:
        page = _text(client.get(reverse("mentorship:list")))
    assert page.count('data-testid="cohort"') == 8
    assert 'data-testid="pair-count">47 对（档案记载）<' in page
    assert len(many) == len(few) <= 12


def test_the_office_creates_a_cohort_and_a_taken_number_is_refused_with_nothing_written(client, w):
    client = _as(client, w.office)
    page = _text(client.get(reverse("mentorship:create")))
    assert 'name="number" value="9"' in page
    before = table_counts()
    data = {"number": "8", "rules": w.rules.pk, "starts_on": "2023-03-01"}
    response = client.post(reverse("mentorship:create"), data)
    assert "第 8 期已经存在。" in _text(response)
    assert changed_tables(before, table_counts()) == {}
    response = client.post(reverse("mentorship:create"), {**data, "number": "9", "ceremony_place": "国学堂"})
    cohort = Cohort.objects.get(number=9)
    assert response.status_code == 302 and response["Location"] == reverse("mentorship:detail", args=[cohort.pk])
    assert (cohort.name, cohort.ends_on, cohort.ceremony_place) == (
        "第9期青年教师拜师结对",
        datetime.date(2025, 2, 28),
        "国学堂",
    )
    assert _as(client, w.officer).get(reverse("mentorship:create")).status_code == 403


# --- the rules -------------------------------------------------------------------------------


def _rules_post(**changes) -> dict:
    data = {
        "year": "2023",
        "name": "2023年青年教师拜师结对实施办法",
        "mentor_min_rank": "associate",
        "mentor_min_teaching_years": "5",
        "same_discipline": "on",
        "mentor_max_mentees": "2",
        "mentee_max_age": "40",
        "mentee_hired_within_years": "3",
        "cycle_months": "24",
        "demonstrations_per_year": "4",
        "observations_per_year": "10",
        "meetings_per_year": "2",
        "term_ends": "01-15 07-05",
        "remind_days": "21",
        "extension_months": "6",
        "weight_discipline": "40",
        "weight_college": "20",
        "weight_field": "20",
        "weight_campus": "10",
        "weight_load": "10",
        "grades": "passed 合格 passed 1500\nfailed 不合格 failed 0",
        "adopted_on": "2023-01-10",
        "resolution": "校工会〔2023〕1号",
    }
    data.update(changes)
    return data


def test_the_rules_page_shows_the_rules_in_words_and_the_office_adopts_new_ones(client, w):
    page = _text(_as(client, w.office).get(reverse("mentorship:rules")))
    assert page.count('data-testid="rules-in-force"') == 1
    assert 'data-testid="rules-mentor">副高级及以上，教龄 5 年以上，每期最多带 1 人，须与青年教师同一学科<' in page
    assert page.count('data-testid="rules-grade"') == 3 and "<td>基本合格</td>" in page and "<td>600.00</td>" in page
    assert 'data-testid="rules-form"' in page and "passed 合格 passed 1200.00" in page
    before = table_counts()
    bad = client.post(reverse("mentorship:rules_adopt"), _rules_post(grades="passed 合格 okay 1500"))
    assert bad.status_code == 200 and "第 1 行“passed 合格 okay 1500”看不懂" in bad.content.decode()
    assert changed_tables(before, table_counts()) == {}
    response = client.post(reverse("mentorship:rules_adopt"), _rules_post())
    edition = MentorshipRules.objects.get(year=2023)
    assert response["Location"] == reverse("mentorship:rules_detail", args=[edition.pk])
    assert (edition.observations_per_year, edition.term_ends, edition.mentor_max_mentees) == (10, ["01-15", "07-05"], 2)
    assert [(g.label, g.stipend) for g in edition.grades.all()] == [("合格", Decimal("1500.00")), ("不合格", 0)]
    detail = _text(client.get(reverse("mentorship:rules_detail", args=[w.rules.pk])))
    assert "第8期青年教师拜师结对" in detail
    officer = _text(_as(client, w.officer).get(reverse("mentorship:rules")))
    assert 'data-testid="rules-form"' not in officer and officer.count('data-testid="rules-in-force"') == 2
    assert client.post(reverse("mentorship:rules_adopt"), _rules_post(year="2024")).status_code == 403


# --- a cohort's page -------------------------------------------------------------------------


def test_the_office_opens_the_matching_and_a_blocked_step_says_why(client, w):
    client = _as(client, w.office)
    page = _text(client.get(reverse("mentorship:detail", args=[w.cohort.pk])))
    assert 'data-testid="step-open_matching"' in page and 'data-testid="step-record-disabled"' in page
    assert "暂不能“按档案录入”：请先填写档案记载的结对数。" in page
    response = _follow(client, reverse("mentorship:step", args=[w.cohort.pk, "open_matching"]))
    assert "本期已开始结对：各学院可以报名教师、推荐师徒。" in _messages(response)
    w.cohort.refresh_from_db()
    assert w.cohort.status == CohortStatus.MATCHING
    before = table_counts()
    response = _follow(client, reverse("mentorship:step", args=[w.cohort.pk, "start"]))
    assert "还没有签订协议的师徒，不能启动培养。" in _messages(response)
    assert changed_tables(before, table_counts()) == {}
    assert _as(client, w.officer).post(reverse("mentorship:step", args=[w.cohort.pk, "start"])).status_code == 404


def test_the_ceremony_starts_the_cohort_on_its_date(client, w):
    through(w, "agreed")
    response = _follow(
        _as(client, w.office), reverse("mentorship:step", args=[w.cohort.pk, "start"]), {"ceremony_on": "2021-03-12"}
    )
    assert "本期已启动培养，已签协议的师徒开始培养。" in _messages(response)
    w.cohort.refresh_from_db()
    assert (w.cohort.status, w.cohort.ceremony_on) == (CohortStatus.RUNNING, datetime.date(2021, 3, 12))
    assert Pair.objects.filter(status=PairStatus.ACTIVE, started_on=datetime.date(2021, 3, 12)).count() == 3


def test_an_officer_sees_their_college_only_and_names_its_teachers(client, w):
    through(w, "matching")
    client = _as(client, w.officer)
    page = _text(client.get(reverse("mentorship:detail", args=[w.cohort.pk])))
    assert page.count('data-testid="candidate"') == 4  # 赵青, 钱青; 孙教授, 周副教授
    assert "孙青" not in page and "郑教授" not in page and 'data-testid="cohort-steps"' not in page
    assert 'data-testid="matching-link"' not in page and 'data-testid="propose-link"' in page
    url = reverse("mentorship:candidate_add", args=[w.cohort.pk])
    before = table_counts()
    response = _follow(client, url, {"side": "mentee", "who": "李老"})
    assert _messages(response) == ["李老不能作为青年教师：本期开始时已满 46 周岁（须不满 40 周岁）。"]
    response = _follow(client, url, {"side": "mentee", "who": "L2002"})
    assert _messages(response) == ["在您可以办理的人员中没有找到“L2002”。"]
    response = _follow(client, url, {"side": "mentor", "who": "吴讲师"})
    assert _messages(response) == ["吴讲师不能作为指导教师：职称讲师低于副高级。"]
    assert changed_tables(before, table_counts()) == {}
    teacher = Candidate.objects.get(person=w.zhou, side=Side.MENTOR)
    response = _follow(client, reverse("mentorship:candidate_remove", args=[teacher.pk]))
    assert _messages(response) == ["已将周副教授移出本期名单。"]
    response = _follow(client, url, {"side": "mentor", "who": "E1102"})
    assert _messages(response) == ["已将周副教授列入本期名单（指导教师）。"]
    law = Candidate.objects.get(person=w.zheng)
    assert client.post(reverse("mentorship:candidate_remove", args=[law.pk])).status_code == 404


def test_the_board_counts_each_college_against_this_years_requirements(client, w):
    through(w, "running")
    zhao = w.pairs["赵青"]
    for day, course in ((1, "宏观经济学"), (2, "货币银行学"), (3, "计量经济学")):
        duties.duty_log(
            actor=w.users["mentee"],
            pair=zhao,
            kind=DutyKind.OBSERVATION,
            held_on=datetime.date(2021, 3, 12 + day),
            course=course,
            hours="2",
        )
    duties.duty_confirm(actor=w.officer, duty=DutyLog.objects.get(course="宏观经济学"))
    page = _text(_as(client, w.office).get(reverse("mentorship:detail", args=[w.cohort.pk])))
    econ = page[page.index('data-college="ECON"') : page.index('data-college="LAW"')]
    assert 'data-testid="board-pairs">2<' in econ and 'data-testid="board-active">2<' in econ
    assert '<td data-testid="board-observation"><span class="">1 / 16</span>' in econ and "待确认 2" in econ
    assert '<td data-testid="board-demonstration"><span class="">0 / 8</span>' in econ
    assert 'data-testid="board-total"' in page and "<td>1 / 24</td>" in page
    officer = _text(_as(client, w.officer).get(reverse("mentorship:detail", args=[w.cohort.pk])))
    assert officer.count('data-testid="board-row"') == 1 and 'data-testid="board-total"' not in officer


# --- the matching ----------------------------------------------------------------------------


def test_the_office_runs_edits_and_confirms_a_matching(client, w):
    through(w, "matching")
    client = _as(client, w.office)
    response = _follow(client, reverse("mentorship:matching_run", args=[w.cohort.pk]), {"method": "assignment"})
    assert _messages(response) == ["已计算最优匹配：3 对，未匹配青年教师 0 人。"]
    page = _text(client.get(reverse("mentorship:matching", args=[w.cohort.pk])))
    assert page.count('data-testid="proposal-row"') == 3
    assert "同一学科：经济学；同一学院；研究方向相同：宏观经济；同一校区" in page
    run = MatchingRun.objects.get()
    before = table_counts()
    response = _follow(
        client, reverse("mentorship:matching_edit", args=[run.pk]), {"mentee": w.zhao.pk, "mentor": w.zheng.pk}
    )
    assert (
        _messages(response)[0].startswith("不能结对：")
        and "学科不同：指导教师为法学，青年教师为经济学。" in _messages(response)[0]
    )
    assert changed_tables(before, table_counts()) == {}
    _follow(client, reverse("mentorship:matching_edit", args=[run.pk]), {"mentee": w.sunq.pk, "mentor": "0"})
    page = _text(client.get(reverse("mentorship:matching", args=[w.cohort.pk])))
    assert page.count('data-testid="proposal-row"') == 2 and "校工会调整：移出匹配方案" in page
    response = _follow(client, reverse("mentorship:matching_confirm", args=[run.pk]))
    assert _messages(response) == ["匹配方案已确认，推荐 2 对师徒。下一步：签订拜师协议。"]
    assert sorted(Pair.objects.values_list("mentee__name", "mentor__name")) == [
        ("赵青", "孙教授"),
        ("钱青", "周副教授"),
    ]
    run.refresh_from_db()
    assert run.status == MatchingStatus.CONFIRMED
    auditor = _text(_as(client, w.users["auditor"]).get(reverse("mentorship:matching", args=[w.cohort.pk])))
    assert 'data-testid="past-runs"' in auditor and 'data-testid="matching-run"' not in auditor
    assert _as(client, w.officer).get(reverse("mentorship:matching", args=[w.cohort.pk])).status_code == 403


def test_a_matching_with_nobody_eligible_is_a_clear_report(client, w):
    cohorts.cohort_open(actor=w.office, cohort=w.cohort)
    client = _as(client, w.office)
    _follow(client, reverse("mentorship:matching_run", args=[w.cohort.pk]), {"method": "stable"})
    page = _text(client.get(reverse("mentorship:matching", args=[w.cohort.pk])))
    assert 'data-testid="nobody">没有符合条件、尚未结对的青年教师：请先报名青年教师，或查看下方未匹配的原因。<' in page
    assert 'data-testid="proposal-row"' not in page and 'data-testid="matching-confirm"' not in page
    run = MatchingRun.objects.get()
    _follow(client, reverse("mentorship:matching_discard", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == MatchingStatus.DISCARDED


# --- pairs: the list, a proposal, the duties -------------------------------------------------


def test_the_pairs_list_filters_exports_and_asks_the_same_for_more(client, w):
    through(w, "proposed")
    client = _as(client, w.office)
    page = _text(client.get(reverse("mentorship:pairs")))
    assert page.count('data-testid="pair-row"') == 3 and 'data-testid="pair-count">共 3 对<' in page
    law = _text(client.get(reverse("mentorship:pairs"), {"college": w.law.pk}))
    assert law.count('data-testid="pair-row"') == 1 and "孙青" in law
    assert _text(client.get(reverse("mentorship:pairs"), {"status": "active"})).count('data-testid="pair-row"') == 0
    assert "已忽略无效的筛选条件：期次" in _text(client.get(reverse("mentorship:pairs"), {"cohort": "x"}))
    officer = _text(_as(client, w.officer).get(reverse("mentorship:pairs")))
    assert officer.count('data-testid="pair-row"') == 2 and "孙青" not in officer
    client = _as(client, w.office)
    w.zhao.name = "=HYPERLINK(1)"
    w.zhao.save(update_fields=["name"])
    response = client.get(reverse("mentorship:pairs"), {"export": "xlsx", "college": w.econ.pk})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("期次", "单位", "青年教师工号", "青年教师") and len(rows) == 3
    assert rows[1][3] == "'=HYPERLINK(1)" and rows[2][5] == "周副教授"
    assert AuditEvent.objects.filter(action=AuditAction.EXPORTED, object_type="mentorship.pair").count() == 1
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("mentorship:pairs"))
    for pair in w.pairs.values():
        pair_agree(actor=w.office, pair=pair, signed_on=datetime.date(2021, 3, 10), uploaded_file=agreement_file())
    Pair.objects.create(
        cohort=w.cohort,
        mentor=w.zheng,
        mentee=w.veteran,
        college=w.law,
        status=PairStatus.WITHDRAWN,
        proposed_by=w.office,
    )
    with CaptureQueriesContext(connection) as many:
        page = _text(client.get(reverse("mentorship:pairs")))
    assert page.count('data-testid="pair-row"') == 4
    assert len(many) == len(few) <= 12


def test_a_college_proposes_a_pair_and_every_refusal_is_the_services_message(client, w):
    through(w, "matching")
    client = _as(client, w.officer)
    page = _text(client.get(reverse("mentorship:propose", args=[w.cohort.pk])))
    assert "赵青（E2001，经济学院分工会）" in page and "孙青（L2001" not in page
    assert "郑教授（L1101，法学院分工会）" in page
    url = reverse("mentorship:propose", args=[w.cohort.pk])
    before = table_counts()
    refused = _text(client.post(url, {"mentee": w.zhao.pk, "mentor": w.zheng.pk}))
    assert "不能结对：学科不同：指导教师为法学，青年教师为经济学。" in refused
    assert changed_tables(before, table_counts()) == {}
    response = client.post(url, {"mentee": w.zhao.pk, "mentor": w.sun.pk, "reason": "同一教研室"})
    pair = Pair.objects.get()
    assert response["Location"] == reverse("mentorship:pair", args=[pair.pk])
    assert (pair.mentor, pair.mentee, pair.reasons, pair.proposed_by) == (w.sun, w.zhao, ["同一教研室"], w.officer)
    before = table_counts()
    refused = _text(client.post(url, {"mentee": w.qian.pk, "mentor": w.sun.pk}))
    assert "不能结对：指导教师孙教授：本期已带 1 人，达到上限 1 人。" in refused
    assert changed_tables(before, table_counts()) == {}


def test_the_college_confirms_duties_one_by_one_together_and_returns_one(client, w):
    through(w, "running")
    logged = [
        duties.duty_log(
            actor=w.users["mentee"],
            pair=w.pairs["赵青"],
            kind=DutyKind.OBSERVATION,
            held_on=datetime.date(2021, 3, 13),
            course=course,
            hours="2",
        )
        for course in ("宏观经济学", "货币银行学", "计量经济学", "国际金融")
    ]
    law = duties.duty_log(
        actor=w.office.__class__.objects.create(username="L2001x", person=w.sunq),
        pair=w.pairs["孙青"],
        kind=DutyKind.OBSERVATION,
        held_on=datetime.date(2021, 3, 13),
        course="民法总论",
        hours="2",
    )
    client = _as(client, w.officer)
    page = _text(client.get(reverse("mentorship:duties", args=[w.cohort.pk])))
    assert page.count('data-testid="duty"') == 4 and "民法总论" not in page
    _follow(client, reverse("mentorship:duty_confirm", args=[logged[0].pk]))
    response = _follow(
        client,
        reverse("mentorship:duties_confirm", args=[w.cohort.pk]),
        {"duties": [logged[1].pk, logged[2].pk, law.pk]},
    )
    assert _messages(response) == ["已确认 2 条履职记录。"]
    response = _follow(client, reverse("mentorship:duty_return", args=[logged[3].pk]), {"reason": "当天没有这门课"})
    assert _messages(response) == ["已退回：2021-03-13 听课 国际金融。记录人会收到通知。"]
    assert sorted(DutyLog.objects.values_list("course", "status")) == sorted(
        [
            ("宏观经济学", DutyStatus.CONFIRMED),
            ("货币银行学", DutyStatus.CONFIRMED),
            ("计量经济学", DutyStatus.CONFIRMED),
            ("国际金融", DutyStatus.RETURNED),
            ("民法总论", DutyStatus.LOGGED),
        ]
    )
    assert client.post(reverse("mentorship:duty_confirm", args=[law.pk])).status_code == 404
    before = table_counts()
    response = _follow(client, reverse("mentorship:duty_return", args=[logged[0].pk]), {"reason": "重复"})
    assert _messages(response) == ["履职记录当前状态为“已确认”，不能进行“退回”。"]
    assert changed_tables(before, table_counts()) == {}


# --- a pair's page ---------------------------------------------------------------------------


def test_the_pair_page_signs_the_agreement_and_links_its_scan(client, w):
    through(w, "proposed")
    pair = w.pairs["赵青"]
    client = _as(client, w.officer)
    page = _text(client.get(reverse("mentorship:pair", args=[pair.pk])))
    assert 'data-testid="agree-form"' in page and 'data-testid="withdraw"' in page
    assert 'data-testid="mentor">孙教授 <span class="text-secondary small">经济学院分工会 · 教授</span>' in page
    before = table_counts()
    response = _follow(
        client,
        reverse("mentorship:pair_agree", args=[pair.pk]),
        {"signed_on": "2021-04-01", "scan": agreement_file(), "plan": "听课"},
    )
    assert _messages(response) == ["协议签订日期不能晚于今天。"]
    assert changed_tables(before, table_counts()) == {}
    response = _follow(
        client,
        reverse("mentorship:pair_agree", args=[pair.pk]),
        {"signed_on": "2021-03-10", "scan": agreement_file(), "plan": "第一年听课"},
    )
    assert _messages(response) == ["拜师协议已签订，扫描件已上传。"]
    pair.refresh_from_db()
    assert (pair.status, pair.plan) == (PairStatus.AGREED, "第一年听课")
    page = _text(client.get(reverse("mentorship:pair", args=[pair.pk])))
    assert f'href="{reverse("attachments:download", args=[pair.agreement_id])}" data-testid="agreement-file"' in page
    assert client.get(reverse("attachments:download", args=[pair.agreement_id])).status_code == 200
    law = w.pairs["孙青"]
    assert client.get(reverse("mentorship:pair", args=[law.pk])).status_code == 404
    assert _as(client, w.users["member"]).get(reverse("mentorship:pair", args=[pair.pk])).status_code == 404


def test_assessment_from_the_colleges_opinion_to_the_grade_and_the_extension(client, w, clock):
    through(w, "running")
    pair, qian = w.pairs["赵青"], w.pairs["钱青"]
    clock.move_to(datetime.datetime(2023, 3, 1, 9, 0))
    cohorts.cohort_open_assessment(actor=w.office, cohort=w.cohort)
    officer = _as(client, w.officer)
    page = _text(officer.get(reverse("mentorship:pair", args=[pair.pk])))
    assert 'data-testid="opinion-form"' in page and 'data-testid="assess-form"' not in page
    _follow(officer, reverse("mentorship:pair_opinion", args=[pair.pk]), {"opinion": "认真履职"})
    office = _as(client, w.office)
    page = _text(office.get(reverse("mentorship:pair", args=[pair.pk])))
    assert 'data-testid="opinion">认真履职<' in page and 'value="basic"' in page
    response = _follow(office, reverse("mentorship:pair_assess", args=[pair.pk]), {"grade": "passed"})
    assert _messages(response) == ["考核结果：合格。"]
    _follow(office, reverse("mentorship:pair_assess", args=[qian.pk]), {"grade": "basic"})
    qian.refresh_from_db()
    assert (qian.status, qian.extended_until) == (PairStatus.BASICALLY_PASSED, datetime.date(2023, 8, 28))
    page = _text(office.get(reverse("mentorship:pair", args=[qian.pk])))
    assert 'data-testid="reassess-form"' in page
    assert 'data-testid="assess-blocked">延期考核期至 2023年8月28日，期满后才能再次考核。<' in page
    before = table_counts()
    response = _follow(office, reverse("mentorship:pair_reassess", args=[qian.pk]), {"passed": "1"})
    assert _messages(response) == ["延期考核期至 2023年8月28日，期满后才能再次考核。"]
    assert changed_tables(before, table_counts()) == {}
    sunq = w.pairs["孙青"]
    _follow(office, reverse("mentorship:pair_not_assessed", args=[sunq.pk]), {"reason": "调离"})
    sunq.refresh_from_db()
    assert sunq.status == PairStatus.NOT_ASSESSED
    page = _text(office.get(reverse("mentorship:pair", args=[sunq.pk])))
    assert "未考核" in page and "调离" in page


def test_a_mentor_change_keeps_the_duties_and_an_early_end_needs_a_reason(client, w):
    through(w, "running")
    pair = w.pairs["钱青"]
    office = _as(client, w.office)
    page = _text(office.get(reverse("mentorship:pair", args=[pair.pk])))
    assert 'data-testid="change-mentor"' in page and "孙教授（E1101" in page
    before = table_counts()
    response = _follow(
        office, reverse("mentorship:pair_change_mentor", args=[pair.pk]), {"mentor": w.sun.pk, "reason": "出国"}
    )
    assert _messages(response)[0].startswith("不能结对：指导教师孙教授：本期已带 1 人")
    assert changed_tables(before, table_counts()) == {}
    _follow(office, reverse("mentorship:pair_end", args=[w.pairs["赵青"].pk]), {"reason": "调离"})
    response = office.post(
        reverse("mentorship:pair_change_mentor", args=[pair.pk]), {"mentor": w.sun.pk, "reason": "出国"}
    )
    successor = Pair.objects.get(previous=pair)
    assert response["Location"] == reverse("mentorship:pair", args=[successor.pk])
    page = _text(office.get(reverse("mentorship:pair", args=[successor.pk])))
    assert "更换指导教师（原指导教师：周副教授）" in page and "此前累计培养 3 天" in page
    before = table_counts()
    response = _follow(office, reverse("mentorship:pair_end", args=[successor.pk]), {"reason": ""})
    assert _messages(response) == ["原因：该字段是必填项。"]
    assert changed_tables(before, table_counts()) == {}


def test_a_proposal_is_withdrawn_with_its_reason(client, w):
    through(w, "proposed")
    pair = w.pairs["赵青"]
    _follow(_as(client, w.officer), reverse("mentorship:pair_withdraw", args=[pair.pk]), {"reason": "本人放弃"})
    pair.refresh_from_db()
    assert pair.status == PairStatus.WITHDRAWN and pair.events.last().message == "本人放弃"


def test_the_plan_is_saved_by_the_pair_or_its_college(client, w):
    through(w, "running")
    pair = w.pairs["赵青"]
    _follow(_as(client, w.users["mentee"]), reverse("mentorship:pair_plan", args=[pair.pk]), {"plan": "第二年开课"})
    pair.refresh_from_db()
    assert pair.plan == "第二年开课"
    assert (
        _as(client, w.users["auditor"]).post(reverse("mentorship:pair_plan", args=[pair.pk]), {"plan": "x"}).status_code
        == 404
    )


# --- stipends --------------------------------------------------------------------------------


def test_stipends_from_the_list_to_the_ledger_and_a_reversal(client, w, clock):
    through(w, "running")
    clock.move_to(datetime.datetime(2023, 3, 1, 9, 0))
    cohorts.cohort_open_assessment(actor=w.office, cohort=w.cohort)
    assessments.pair_assess(actor=w.office, pair=w.pairs["赵青"], grade_code="passed")
    assessments.pair_assess(actor=w.office, pair=w.pairs["钱青"], grade_code="basic")
    assessments.pair_assess(actor=w.office, pair=w.pairs["孙青"], grade_code="failed")
    office = _as(client, w.office)
    page = _text(office.get(reverse("mentorship:stipends", args=[w.cohort.pk])))
    assert 'data-testid="due-summary">2 人次，合计 1800.00 元<' in page and page.count('data-testid="due-row"') == 2
    response = _follow(office, reverse("mentorship:stipend_batch_create", args=[w.cohort.pk]))
    assert _messages(response) == ["已生成导师津贴发放名单（2 人次）。下载发放表交财务处，发放后标记已发放。"]
    batch = StipendBatch.objects.get()
    response = office.get(reverse("mentorship:stipend_batch_xlsx", args=[batch.pk]))
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [row[1:3] + (row[5],) for row in rows[1:]] == [("E1101", "孙教授", 1200), ("E1102", "周副教授", 600)]
    assert AuditEvent.objects.filter(action=AuditAction.EXPORTED, object_id=str(batch.pk)).count() == 1
    before = table_counts()
    response = _follow(office, reverse("mentorship:stipend_batch_create", args=[w.cohort.pk]))
    assert _messages(response) == ["第8期青年教师拜师结对没有待发放的导师津贴。"]
    assert changed_tables(before, table_counts()) == {}
    _follow(office, reverse("mentorship:stipend_batch_pay", args=[batch.pk]), {"paid_on": "2023-03-20"})
    batch.refresh_from_db()
    assert (batch.status, batch.paid_on) == ("paid", datetime.date(2023, 3, 20))
    payment = StipendEntry.objects.get(person=w.zhou)
    response = _follow(office, reverse("mentorship:stipend_reverse", args=[payment.pk]), {"reason": "等次录错"})
    assert _messages(response) == ["已冲销 600.00 元。"]
    page = _text(office.get(reverse("mentorship:stipends", args=[w.cohort.pk])))
    assert 'data-testid="ledger-total">合计 1200.00 元<' in page and page.count('data-testid="entry"') == 3
    assert sum(e.amount for e in StipendEntry.objects.all()) == Decimal("1200.00")
    assert StipendEntry.objects.filter(kind=StipendKind.REVERSAL).count() == 1
    auditor = _as(client, w.users["auditor"])
    assert 'data-testid="batch-create"' not in _text(auditor.get(reverse("mentorship:stipends", args=[w.cohort.pk])))
    assert auditor.post(reverse("mentorship:stipend_batch_create", args=[w.cohort.pk])).status_code == 404
    assert _as(client, w.officer).get(reverse("mentorship:stipends", args=[w.cohort.pk])).status_code == 403


def test_the_matching_method_is_required(client, w):
    through(w, "matching")
    before = table_counts()
    response = _follow(_as(client, w.office), reverse("mentorship:matching_run", args=[w.cohort.pk]), {"method": "x"})
    assert _messages(response)[0].startswith("匹配方式：")
    assert changed_tables(before, table_counts()) == {}
    assert MatchMethod.ASSIGNMENT in MatchMethod.values
