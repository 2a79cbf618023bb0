"""The mentorship API: cohorts as each caller may see them (drafts to the office only) with a
summary of the pairs they see; pairs scoped (the pair itself, its college's officer, the office)
with their counters per cycle year and next steps; a duty logged from a phone by the mentee
(outside the cycle, in the future or twice: a 400 with nothing written; anyone but the pair: a
404); the college confirming or returning it (another college's officer: 404); the cohort's
candidates; a matching computed and read by the office (nobody eligible: a run with no pairs).

The cohort: tests/factories.py (第八期, cycle 2021-03-01 … 2023-02-28, running from the
ceremony on 2021-03-12: 赵青←孙教授 and 钱青←周副教授 in economics, 孙青←郑教授 in law)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gonghui.accounts.roles import Role
from gonghui.mentorship.choices import DutyKind, DutyStatus, MatchMethod, Side
from gonghui.mentorship.models import DutyLog, MatchingRun
from gonghui.mentorship.services import cohorts as cohort_services
from gonghui.mentorship.services import duties as duty_services
from gonghui.mentorship.services import pairs as pair_services
from gonghui.mentorship.tests.factories import nothing_written, teacher_make, through
from gonghui.people.tests.factories import user_make

pytestmark = pytest.mark.django_db

NOT_FOUND = {"message": "未找到。", "extra": {}}
FORBIDDEN = {"message": "您没有执行该操作的权限。", "extra": {}}


def url(name: str, *args) -> str:
    return reverse(f"api-mentorship-{name}", args=args)


def post(client, path, body=None):
    return client.post(path, body or {}, content_type="application/json")


def person(p) -> dict:
    return {"id": p.pk, "staff_no": p.staff_no, "name": p.name}


def log(w, pair, *, day=15, course="宏观经济学", kind=DutyKind.OBSERVATION, user="mentee"):
    return duty_services.duty_log(
        actor=w.users[user], pair=pair, kind=kind, held_on=datetime.date(2021, 3, day), course=course, hours="2"
    )


def law_officer(w):
    return user_make(username="L0099", roles=[(Role.SUB_UNION_OFFICER, w.law)])


def _queries(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


# --- cohorts ------------------------------------------------------------------------------------


def test_cohorts_as_each_caller_sees_them(client, w):
    through(w, "running")
    draft = cohort_services.cohort_create(actor=w.office, number=9, rules=w.rules, starts_on=datetime.date(2023, 3, 1))
    eighth = {
        "id": w.cohort.pk,
        "number": 8,
        "name": "第8期青年教师拜师结对",
        "status": "running",
        "status_display": "培养中",
        "starts_on": "2021-03-01",
        "ends_on": "2023-02-28",
        "ceremony_on": "2021-03-12",
        "ceremony_place": "",
        "proposals_close": "2021-03-20",
        "rules": "2021年青年教师拜师结对实施办法",
        "pairs_recorded": None,
        "live_pairs": 3,
    }
    client.force_login(w.office)
    data = client.get(url("cohort-list")).json()
    assert (data["count"], data["next"], data["previous"]) == (2, None, None)
    assert [(r["number"], r["status"], r["live_pairs"]) for r in data["results"]] == [
        (9, "draft", 0),
        (8, "running", 3),
    ]
    assert data["results"][1] == eighth
    assert client.get(url("cohort-list"), {"status": "draft"}).json()["results"][0]["id"] == draft.pk
    # the econ officer: announced cohorts only; the live pairs of their college
    client.force_login(w.officer)
    data = client.get(url("cohort-list")).json()
    assert [(r["number"], r["live_pairs"]) for r in data["results"]] == [(8, 2)]
    assert client.get(url("cohort-detail", draft.pk)).json() == NOT_FOUND
    # a member in no pair sees the cohort, and none of its pairs
    client.force_login(w.users["member"])
    assert [(r["number"], r["live_pairs"]) for r in client.get(url("cohort-list")).json()["results"]] == [(8, 0)]
    bad = client.get(url("cohort-list"), {"status": "no-such"})
    assert bad.status_code == 400
    assert set(bad.json()["extra"]["fields"]) == {"status"}


def test_cohort_detail_with_the_summary_of_the_pairs_the_caller_sees(client, w):
    through(w, "running")
    duty = log(w, w.pairs["赵青"])
    duty_services.duty_confirm(actor=w.officer, duty=duty)
    log(w, w.pairs["赵青"], course="微观经济学", kind=DutyKind.DEMONSTRATION)
    duty_services.duty_log(
        actor=user_make(username="L2001", person=w.sunq),
        pair=w.pairs["孙青"],
        kind=DutyKind.OBSERVATION,
        held_on=datetime.date(2021, 3, 15),
        course="民法总论",
        hours="2",
    )
    client.force_login(w.office)
    data = client.get(url("cohort-detail", w.cohort.pk)).json()
    assert data["cycle_years"] == 2
    assert data["requirements"] == [
        {"kind": "demonstration", "label": "示范课", "per_year": 4},
        {"kind": "observation", "label": "听课", "per_year": 8},
        {"kind": "meeting", "label": "指导交流", "per_year": 0},
    ]
    assert data["summary"] == {
        "pairs": 3,
        "by_status": [{"status": "active", "label": "培养中", "count": 3}],
        "duties": [
            {"kind": "demonstration", "label": "示范课", "confirmed": 0, "pending": 1},
            {"kind": "observation", "label": "听课", "confirmed": 1, "pending": 1},
            {"kind": "meeting", "label": "指导交流", "confirmed": 0, "pending": 0},
        ],
    }
    # only the office may open the assessment, and only once the cycle is over: nothing yet
    assert data["next_steps"] == []
    assert data["live_pairs"] == 3
    # the econ officer: their college's two pairs and duties (law's observation not counted)
    client.force_login(w.officer)
    summary = client.get(url("cohort-detail", w.cohort.pk)).json()["summary"]
    assert summary["pairs"] == 2
    assert [(d["kind"], d["confirmed"], d["pending"]) for d in summary["duties"]] == [
        ("demonstration", 0, 1),
        ("observation", 1, 0),
        ("meeting", 0, 0),
    ]
    # the mentee: their own pair
    client.force_login(w.users["mentee"])
    assert client.get(url("cohort-detail", w.cohort.pk)).json()["summary"]["pairs"] == 1


def test_the_office_sees_the_steps_it_may_take(client, w):
    client.force_login(w.office)
    # a draft: the office opens it (recording it from the archive needs its number of pairs)
    steps = client.get(url("cohort-detail", w.cohort.pk)).json()["next_steps"]
    assert steps == [{"step": "open_matching", "label": "开始结对", "to": "matching"}]


# --- pairs --------------------------------------------------------------------------------------


def test_pairs_scoped_and_filtered(client, w):
    through(w, "running")
    log(w, w.pairs["赵青"])
    client.force_login(w.office)
    data = client.get(url("pair-list")).json()
    assert data["count"] == 3
    assert [(r["mentee"]["name"], r["mentor"]["name"], r["college"]) for r in data["results"]] == [
        ("赵青", "孙教授", "经济学院分工会"),
        ("钱青", "周副教授", "经济学院分工会"),
        ("孙青", "郑教授", "法学院分工会"),
    ]
    zhao = data["results"][0]
    assert zhao == {
        "id": w.pairs["赵青"].pk,
        "cohort": {"id": w.cohort.pk, "number": 8, "name": "第8期青年教师拜师结对"},
        "mentor": person(w.sun),
        "mentee": person(w.zhao),
        "college": "经济学院分工会",
        "college_id": w.econ.pk,
        "status": "active",
        "status_display": "培养中",
        "source": "college",
        "source_display": "学院推荐",
        "agreement_signed_on": "2021-03-10",
        "started_on": "2021-03-12",
        "ended_on": None,
        "duties": {"observation": {"confirmed": 0, "pending": 1}},
    }
    assert [r["mentee"]["name"] for r in client.get(url("pair-list"), {"college": w.law.pk}).json()["results"]] == [
        "孙青"
    ]
    assert client.get(url("pair-list"), {"status": "proposed"}).json()["count"] == 0
    assert client.get(url("pair-list"), {"cohort": w.cohort.pk, "status": "active"}).json()["count"] == 3
    # the econ officer: economics' pairs only, whatever the filter asks
    client.force_login(w.officer)
    assert [r["mentee"]["name"] for r in client.get(url("pair-list")).json()["results"]] == ["赵青", "钱青"]
    assert client.get(url("pair-list"), {"college": w.law.pk}).json()["count"] == 0
    # the mentor and the mentee: their own pair
    for who in ("mentee", "mentor"):
        client.force_login(w.users[who])
        assert [r["id"] for r in client.get(url("pair-list")).json()["results"]] == [w.pairs["赵青"].pk]
    client.force_login(w.users["member"])
    assert client.get(url("pair-list")).json()["count"] == 0
    for query in ({"cohort": "abc"}, {"college": "0"}, {"status": "no-such"}):
        response = client.get(url("pair-list"), query)
        assert response.status_code == 400
        assert set(response.json()["extra"]["fields"]) == set(query)


def test_pair_detail_with_its_counters_and_duties(client, w):
    through(w, "running")
    confirmed = log(w, w.pairs["赵青"], day=13)
    duty_services.duty_confirm(actor=w.officer, duty=confirmed)
    pending = log(w, w.pairs["赵青"], course="课堂教学示范", kind=DutyKind.DEMONSTRATION, user="mentor")
    client.force_login(w.users["mentee"])
    data = client.get(url("pair-detail", w.pairs["赵青"].pk)).json()
    assert data["duties"] == {
        "demonstration": {"confirmed": 0, "pending": 1},
        "observation": {"confirmed": 1, "pending": 0},
    }
    assert (data["reasons"], data["plan"], data["has_agreement"], data["previous"], data["carried_days"]) == (
        [],
        "第一年听课，第二年开课",
        True,
        None,
        0,
    )
    assert data["extended_until"] is None
    assert data["years"] == [
        {
            "index": 1,
            "starts_on": "2021-03-01",
            "ends_on": "2022-02-28",
            "done": False,
            "counters": [
                {"kind": "demonstration", "label": "示范课", "required": 4, "confirmed": 0, "pending": 1,
                 "missing": 4, "done": False},
                {"kind": "observation", "label": "听课", "required": 8, "confirmed": 1, "pending": 0,
                 "missing": 7, "done": False},
            ],
        },
        {
            "index": 2,
            "starts_on": "2022-03-01",
            "ends_on": "2023-02-28",
            "done": False,
            "counters": [
                {"kind": "demonstration", "label": "示范课", "required": 4, "confirmed": 0, "pending": 0,
                 "missing": 4, "done": False},
                {"kind": "observation", "label": "听课", "required": 8, "confirmed": 0, "pending": 0,
                 "missing": 8, "done": False},
            ],
        },
    ]  # fmt: skip
    assert [(d["id"], d["status"], d["logged_by"]["name"], d["next_steps"]) for d in data["duty_log"]] == [
        (pending.pk, "logged", "孙教授", []),
        (confirmed.pk, "confirmed", "赵青", []),
    ]
    assert data["next_steps"] == []  # the mentee takes no step of the pair
    # the econ officer may end the pair early and confirm or return the logged duty
    client.force_login(w.officer)
    data = client.get(url("pair-detail", w.pairs["赵青"].pk)).json()
    assert data["next_steps"] == [{"step": "end_early", "label": "提前结束", "to": "ended_early"}]
    assert data["duty_log"][0]["next_steps"] == [
        {"step": "confirm", "label": "确认", "to": "confirmed"},
        {"step": "return", "label": "退回", "to": "returned"},
    ]
    # law's pair: not there for the econ officer, nor for a member in no pair
    assert client.get(url("pair-detail", w.pairs["孙青"].pk)).json() == NOT_FOUND
    client.force_login(w.users["member"])
    assert client.get(url("pair-detail", w.pairs["赵青"].pk)).status_code == 404


def test_list_queries_do_not_grow_with_the_rows(client, w):
    through(w, "running")
    client.force_login(w.office)
    few = _queries(client, url("pair-list"))
    few_cohorts = _queries(client, url("cohort-list"))
    log(w, w.pairs["赵青"])
    log(w, w.pairs["赵青"], course="微观经济学")
    extra = teacher_make(
        "E2005", "冯青", w.econ, born=datetime.date(1994, 1, 1), title="讲师", rank="intermediate",
        discipline="经济学", field="金融", campus="海淀", hired=datetime.date(2020, 9, 1),
        since=datetime.date(2020, 9, 1),
    )  # fmt: skip
    mentor = teacher_make(
        "E1105", "冯教授", w.econ, born=datetime.date(1966, 1, 1), title="教授", rank="senior",
        discipline="经济学", field="金融", campus="海淀", hired=datetime.date(1995, 7, 1),
        since=datetime.date(1995, 9, 1),
    )  # fmt: skip
    pair_services.pair_propose(actor=w.office, cohort=w.cohort, mentor=mentor, mentee=extra)
    assert _queries(client, url("pair-list")) == few
    cohort_services.cohort_create(actor=w.office, number=9, rules=w.rules, starts_on=datetime.date(2023, 3, 1))
    assert _queries(client, url("cohort-list")) == few_cohorts


# --- duties -------------------------------------------------------------------------------------


def test_the_mentee_logs_a_duty_from_the_phone(client, w):
    through(w, "running")
    pair = w.pairs["赵青"]
    client.force_login(w.users["mentee"])
    body = {"kind": "observation", "held_on": "2021-03-15", "course": "宏观经济学", "hours": "1.5", "note": "第三章"}
    response = post(client, url("duty-log", pair.pk), body)
    assert response.status_code == 201
    duty = DutyLog.objects.get()
    assert response.json() == {
        "id": duty.pk,
        "pair": pair.pk,
        "kind": "observation",
        "kind_display": "听课",
        "held_on": "2021-03-15",
        "course": "宏观经济学",
        "hours": "1.5",
        "note": "第三章",
        "has_photo": False,
        "logged_by": person(w.zhao),
        "status": "logged",
        "status_display": "待确认",
        "confirmed_at": None,
        "next_steps": [],
    }
    assert (duty.logged_by_id, duty.status) == (w.zhao.pk, DutyStatus.LOGGED)
    # the same lesson again, a day outside the cycle, a future day, bad hours: refused, nothing written
    refusals = [
        (body, "2021年3月15日的听课“宏观经济学”已经记录过了。", {"field": "course"}),
        (
            {**body, "held_on": "2021-03-05"},
            "日期须在培养期内（2021年3月12日 至 2023年2月28日）。",
            {"field": "held_on"},
        ),
        ({**body, "held_on": "2021-03-16"}, "日期不能晚于今天。", {"field": "held_on"}),
        ({**body, "course": "新课", "hours": "13"}, "学时应在 0.5 到 12 之间。", {"field": "hours"}),
    ]
    for payload, message, extra in refusals:
        with nothing_written():
            response = post(client, url("duty-log", pair.pk), payload)
        assert response.status_code == 400, payload
        assert response.json() == {"message": message, "extra": extra}
    for payload in ({**body, "kind": "lecture"}, {**body, "hours": "abc"}, {**body, "course": ""}, [body]):
        with nothing_written():
            response = post(client, url("duty-log", pair.pk), payload)
        assert response.status_code == 400
        assert response.json()["message"] == "提交的数据有误"


def test_only_the_pair_logs_its_duties(client, w):
    through(w, "running")
    body = {"kind": "observation", "held_on": "2021-03-15", "course": "宏观经济学", "hours": "2"}
    # the college's officer, the office, another pair's mentee: not there
    for user in (w.officer, w.office, user_make(username="E2002", person=w.qian)):
        client.force_login(user)
        with nothing_written():
            response = post(client, url("duty-log", w.pairs["赵青"].pk), body)
        assert (response.status_code, response.json()) == (404, NOT_FOUND)
    # the mentor logs it
    client.force_login(w.users["mentor"])
    assert post(client, url("duty-log", w.pairs["赵青"].pk), body).json()["logged_by"] == person(w.sun)


def test_the_college_confirms_and_returns_duties(client, w):
    through(w, "running")
    first = log(w, w.pairs["赵青"])
    second = log(w, w.pairs["赵青"], day=14)
    client.force_login(w.officer)
    response = post(client, url("duty-confirm", first.pk))
    assert response.status_code == 200
    data = response.json()
    assert (data["id"], data["status"], data["status_display"], data["next_steps"]) == (
        first.pk,
        "confirmed",
        "已确认",
        [],
    )
    assert data["confirmed_at"].startswith("2021-03-15T")
    # once confirmed, neither confirmed nor returned again
    for path, body in ((url("duty-confirm", first.pk), {}), (url("duty-return", first.pk), {"reason": "重复"})):
        with nothing_written():
            response = post(client, path, body)
        assert response.status_code == 400
    # a return needs a reason
    for body in ({}, {"reason": ""}):
        with nothing_written():
            response = post(client, url("duty-return", second.pk), body)
        assert (response.status_code, response.json()["message"]) == (400, "提交的数据有误")
    response = post(client, url("duty-return", second.pk), {"reason": "日期有误"})
    assert (response.status_code, response.json()["status"]) == (200, "returned")
    second.refresh_from_db()
    assert second.status == DutyStatus.RETURNED
    assert second.events.get().message == "日期有误"
    # the counters: one confirmed observation, the returned one not counted
    client.force_login(w.users["mentee"])
    assert client.get(url("pair-detail", w.pairs["赵青"].pk)).json()["duties"] == {
        "observation": {"confirmed": 1, "pending": 0}
    }


def test_another_college_or_a_member_may_not_confirm(client, w):
    through(w, "running")
    duty = log(w, w.pairs["赵青"])
    client.force_login(law_officer(w))
    for path in (url("duty-confirm", duty.pk), url("duty-return", duty.pk)):
        with nothing_written():
            response = post(client, path, {"reason": "不是本院"})
        assert (response.status_code, response.json()) == (404, NOT_FOUND)
    # the mentee logged it; confirming is the college's
    client.force_login(w.users["mentee"])
    with nothing_written():
        response = post(client, url("duty-confirm", duty.pk))
    assert (response.status_code, response.json()) == (403, FORBIDDEN)
    duty.refresh_from_db()
    assert duty.status == DutyStatus.LOGGED


# --- candidates and matching --------------------------------------------------------------------


def test_candidates_of_a_cohort(client, w):
    through(w, "matching")
    client.force_login(w.office)
    data = client.get(url("candidate-list", w.cohort.pk)).json()
    assert data["count"] == 6
    assert [(r["side"], r["person"]["staff_no"], r["college"]) for r in data["results"]] == [
        ("mentee", "E2001", "经济学院分工会"),
        ("mentee", "E2002", "经济学院分工会"),
        ("mentee", "L2001", "法学院分工会"),
        ("mentor", "E1101", "经济学院分工会"),
        ("mentor", "E1102", "经济学院分工会"),
        ("mentor", "L1101", "法学院分工会"),
    ]
    first = data["results"][0]
    assert {k: first[k] for k in ("side_display", "ranking", "ranked_at")} == {
        "side_display": "青年教师",
        "ranking": [],
        "ranked_at": None,
    }
    assert client.get(url("candidate-list", w.cohort.pk), {"side": Side.MENTOR}).json()["count"] == 3
    client.force_login(w.officer)
    assert [r["person"]["staff_no"] for r in client.get(url("candidate-list", w.cohort.pk)).json()["results"]] == [
        "E2001",
        "E2002",
        "E1101",
        "E1102",
    ]
    client.force_login(w.users["mentee"])
    assert client.get(url("candidate-list", w.cohort.pk)).json() == FORBIDDEN


def test_the_office_runs_and_reads_a_matching(client, w):
    through(w, "matching")
    client.force_login(w.office)
    response = post(client, url("matching-run", w.cohort.pk), {"method": MatchMethod.ASSIGNMENT})
    assert response.status_code == 201
    run = MatchingRun.objects.get()
    data = response.json()
    assert data == client.get(url("matching-detail", run.pk)).json()
    assert {k: data[k] for k in ("id", "cohort", "method", "method_display", "status", "status_display")} == {
        "id": run.pk,
        "cohort": {"id": w.cohort.pk, "number": 8, "name": "第8期青年教师拜师结对"},
        "method": "assignment",
        "method_display": "最优匹配",
        "status": "proposed",
        "status_display": "待确认",
    }
    assert data["summary"] == {"mentees": 3, "mentors": 3, "excluded": 0, "pairs": 3, "total_cost": 0, "edited": False}
    assert data["proposal"][0] == {
        "mentee": person(w.zhao),
        "mentor": person(w.sun),
        "cost": 0,
        "reasons": ["同一学科：经济学", "同一学院", "研究方向相同：宏观经济", "同一校区"],
    }
    assert [(r["mentee"]["name"], r["mentor"]["name"]) for r in data["proposal"]] == [
        ("赵青", "孙教授"),
        ("钱青", "周副教授"),
        ("孙青", "郑教授"),
    ]
    assert data["unmatched"] == []
    assert data["next_steps"] == [
        {"step": "confirm", "label": "确认匹配方案", "to": "confirmed"},
        {"step": "discard", "label": "放弃匹配方案", "to": "discarded"},
    ]
    # the auditor reads it; the college's officer does neither
    client.force_login(w.users["auditor"])
    assert client.get(url("matching-detail", run.pk)).json()["next_steps"] == []
    client.force_login(w.officer)
    assert client.get(url("matching-detail", run.pk)).json() == FORBIDDEN
    with nothing_written():
        assert post(client, url("matching-run", w.cohort.pk), {"method": "assignment"}).json() == FORBIDDEN


def test_a_matching_with_nobody_eligible_is_a_report(client, w):
    cohort_services.cohort_open(actor=w.office, cohort=w.cohort)
    pair_services.candidate_add(actor=w.office, cohort=w.cohort, person=w.sun, side=Side.MENTOR)
    client.force_login(w.office)
    response = post(client, url("matching-run", w.cohort.pk), {"method": "stable"})
    assert response.status_code == 201
    data = response.json()
    assert (data["summary"], data["proposal"], data["unmatched"]) == (
        {"mentees": 0, "mentors": 1, "excluded": 0, "pairs": 0, "total_cost": 0, "edited": False},
        [],
        [{"person": person(w.sun), "side": "mentor", "reasons": ["未填报志愿"]}],
    )


def test_matching_refusals_write_nothing(client, w):
    client.force_login(w.office)
    # the cohort is a draft: not yet matching
    with nothing_written():
        response = post(client, url("matching-run", w.cohort.pk), {"method": "assignment"})
    assert response.json() == {"message": "只有“结对中”的期次可以计算匹配。", "extra": {}}
    for body in ({}, {"method": "random"}, ["assignment"]):
        with nothing_written():
            response = post(client, url("matching-run", w.cohort.pk), body)
        assert (response.status_code, response.json()["message"]) == (400, "提交的数据有误")
    assert client.get(url("matching-detail", 999999)).json() == NOT_FOUND
