"""The competition API: editions as each caller may see them (drafts to the office only), an
edition's rules, dates, seed and next steps, its entries (scoped; the final score to the office,
auditors and, once released, the contestant), the full results for the office and auditors
only, a contestant's own entries (their own scores after release), a judge's queue and score
sheet (saved as typed, idempotent, final once submitted; every refusal a 400 with nothing
written, a stranger's request a 404), and nominations (ineligible or over the quota: 400 with
every reason, nothing written).

The edition, its contestants, judges and scores: tests/factories.py (EXPECTED_FINAL: 赵一
92.88, 周四 91.17 with five judges trimmed, 钱二 83.75)."""

from __future__ import annotations

import datetime

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gonghui.competitions.choices import Level
from gonghui.competitions.models import Award, Competition, Entry, PartScore, ScoreSheet, ScoreSheetEvent
from gonghui.competitions.services import competitions as competition_services
from gonghui.competitions.services import entries as entry_services
from gonghui.competitions.services import results as result_services
from gonghui.competitions.tests.factories import aware, rules_make, score_all, through
from gonghui.core.models import AuditEvent
from gonghui.people.tests.factories import person_make

NOT_FOUND = {"message": "未找到。", "extra": {}}
FORBIDDEN = {"message": "您没有执行该操作的权限。", "extra": {}}
PARTS = [
    {"code": "design", "label": "教学设计", "weight": 20, "full_marks": 20, "criteria": "教学目标明确，内容安排合理"},
    {"code": "classroom", "label": "课堂教学", "weight": 75, "full_marks": 75, "criteria": "讲授准确清晰，组织有序"},
    {"code": "reflection", "label": "教学反思", "weight": 5, "full_marks": 5, "criteria": "思路清晰，联系实际"},
]


def url(name: str, *args) -> str:
    return reverse(f"api-competition-{name}", args=args)


def _put(client, judge, entry, scores, submit=False):
    return client.put(
        url("sheet", judge.pk, entry.pk), {"scores": scores, "submit": submit}, content_type="application/json"
    )


def _written(competition) -> tuple[int, int, int, int, int]:
    """Sheets, part scores, sheet events, entries and audit rows: what a refusal must not change."""
    return (
        ScoreSheet.objects.filter(entry__competition=competition).count(),
        PartScore.objects.filter(sheet__entry__competition=competition).count(),
        ScoreSheetEvent.objects.count(),
        Entry.objects.filter(competition=competition).count(),
        AuditEvent.objects.count(),
    )


def _queries(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


def beijing(w, *, year: int = 2021, number: int = 12, **fields) -> Competition:
    """A Beijing edition (the university does not run it) under Beijing rules for the year."""
    rules_make(w.u, level=Level.BEIJING, year=year, name=f"{year}年北京高校青年教师教学基本功比赛规程")
    values = {"title": f"第{number}届北京高校青年教师教学基本功比赛", "organiser": "北京市教育工会"}
    values.update(fields)
    return competition_services.competition_create(
        actor=w.office, level=Level.BEIJING, year=year, number=number, **values
    )


def _release(w, clock) -> Competition:
    clock.move_to(aware(datetime.datetime(2021, 4, 20, 9, 0)))
    result_services.results_release(actor=w.office, competition=w.competition)
    for entry in w.entries.values():
        entry.refresh_from_db()
    w.competition.refresh_from_db()
    return w.competition


# --- editions -----------------------------------------------------------------------------------


def test_editions_as_each_caller_sees_them(client, w, clock):
    through(w, clock, "nominated")
    old = beijing(w, year=2019, number=11, participants_recorded=3)
    competition_services.competition_step(actor=w.office, competition=old, step="record")
    draft = beijing(w)
    university = {
        "id": w.competition.pk,
        "level": "university",
        "level_display": "校级",
        "number": 3,
        "year": 2021,
        "title": "第三届青年教师教学基本功比赛",
        "organiser": "校工会",
        "college": None,
        "status": "nominating",
        "status_display": "推荐报名",
        "hosted": True,
        "entered": True,
        "held_on": "2021-04-10",
        "nominations_close": "2021-03-20T18:00:00+08:00",
        "materials_due": "2021-03-25T18:00:00+08:00",
        "released_at": None,
        "entries": 3,
    }
    client.force_login(w.users["member"])
    data = client.get(url("edition-list")).json()
    assert (data["count"], data["next"], data["previous"]) == (2, None, None)
    assert data["results"][0] == university
    assert [(r["id"], r["status"], r["hosted"], r["entries"]) for r in data["results"]] == [
        (w.competition.pk, "nominating", True, 3),
        (old.pk, "recorded", False, 0),
    ]
    # the office: the draft too, newest first
    client.force_login(w.office)
    data = client.get(url("edition-list")).json()
    assert [r["id"] for r in data["results"]] == [draft.pk, w.competition.pk, old.pk]
    filtered = {
        "?level=beijing": [draft.pk, old.pk],
        "?year=2019": [old.pk],
        "?status=nominating": [w.competition.pk],
        "?level=beijing&status=draft": [draft.pk],
        "?level=college": [],
        "?level=&year=&status=": [draft.pk, w.competition.pk, old.pk],
    }
    for query, ids in filtered.items():
        assert [r["id"] for r in client.get(url("edition-list") + query).json()["results"]] == ids, query
    for query, field in (("?level=provincial", "level"), ("?year=abc", "year"), ("?status=open", "status")):
        response = client.get(url("edition-list") + query)
        assert response.status_code == 400
        assert response.json()["message"] == "提交的数据有误"
        assert list(response.json()["extra"]["fields"]) == [field]
    client.logout()
    assert client.get(url("edition-list")).status_code == 401


def test_an_edition_in_detail(client, w, clock):
    competition = through(w, clock, "drawn")
    draft = beijing(w)
    competition_services.competition_link(actor=w.office, competition=competition, feeds_into=draft)
    client.force_login(w.office)
    data = client.get(url("edition-detail", competition.pk)).json()
    assert data["rules"] == {
        "id": w.rules.pk,
        "name": "2021年青年教师教学基本功比赛方案",
        "adopted_on": "2021-01-10",
        "resolution": "校工会〔2021〕3号",
        "born_on_or_after": "1981-01-01",
        "member_required": True,
        "eligible_posts": ["full_time", "lab"],
        "past_winner_rule": "first_prize",
        "quota_per": 3,
        "quota_bonus": 1,
        "lesson_plans_required": 5,
        "lesson_minutes": 50,
        "trim_highest": 1,
        "trim_lowest": 1,
        "trim_min_scores": 5,
        "places": 2,
        "rounding": "half_up",
        "tie_break": ["classroom", "design"],
        "judges_per_group": 7,
    }
    assert data["groups"] == [
        {
            "id": w.groups["humanities-a"].pk,
            "code": "humanities-a",
            "label": "人文科学类A组",
            "discipline": "人文科学类",
            "tier": "A组",
        },
        {
            "id": w.groups["science-a"].pk,
            "code": "science-a",
            "label": "自然科学类A组",
            "discipline": "自然科学类",
            "tier": "A组",
        },
    ]
    assert data["parts"] == PARTS
    assert data["prizes"] == [
        {"code": "first", "label": "一等奖", "count": 1, "share": None},
        {"code": "second", "label": "二等奖", "count": 1, "share": None},
        {"code": "third", "label": "三等奖", "count": 1, "share": None},
    ]
    assert [(x["code"], x["label"], x["kind"], x["basis"], x["part_code"]) for x in data["specials"]] == [
        ("best-plan", "最佳教案奖", "special", "best_part", "design"),
        ("best-show", "最佳现场展示奖", "special", "best_part", "classroom"),
        ("coach", "优秀指导教师奖", "coach", "conferred", ""),
        ("organisation", "优秀组织奖", "organisation", "conferred", ""),
    ]
    assert (data["status"], data["status_display"], data["entries"]) == ("drawn", "已抽签", 3)
    assert (data["seed"], data["draw_algorithm"]) == ("qjs2021", "gonghui-draw/1")
    assert (data["held_on"], data["materials_due"], data["publicity_days"], data["publicity_until"]) == (
        "2021-04-10",
        "2021-03-25T18:00:00+08:00",
        5,
        None,
    )
    assert data["drawn_at"].startswith("2021-03-26T09:00:00") and data["scoring_opened_at"] is None
    assert data["feeds_into"] == {"id": draft.pk, "title": "第12届北京高校青年教师教学基本功比赛"}
    assert data["next_steps"] == [{"step": "open_scoring", "label": "开始评分", "to": "scoring"}]
    # a member: the same edition, nothing to do, and the next level's draft not announced
    client.force_login(w.users["member"])
    member_view = client.get(url("edition-detail", competition.pk)).json()
    assert member_view["next_steps"] == [] and member_view["feeds_into"] is None
    assert {k: v for k, v in member_view.items() if k not in ("next_steps", "feeds_into")} == {
        k: v for k, v in data.items() if k not in ("next_steps", "feeds_into")
    }
    # the Beijing draft: no rules of its own to run; the office records its results
    response = client.get(url("edition-detail", draft.pk))
    assert (response.status_code, response.json()) == (404, NOT_FOUND)
    client.force_login(w.office)
    data = client.get(url("edition-detail", draft.pk)).json()
    assert (data["hosted"], data["status"], data["seed"], data["draw_algorithm"], data["entries"]) == (
        False,
        "draft",
        "",
        None,
        0,
    )
    assert [g["code"] for g in data["groups"]] == ["humanities-a", "science-a"]
    assert data["next_steps"] == [{"step": "record", "label": "确认录入结果", "to": "recorded"}]
    assert client.get(url("edition-detail", draft.pk + 100)).status_code == 404


# --- entries ------------------------------------------------------------------------------------


def _entry_rows(client, competition) -> list[tuple]:
    data = client.get(url("edition-entries", competition.pk)).json()
    assert data["count"] == len(data["results"])
    return [(r["name"], r["appearance"], r["final_score"], r["rank"]) for r in data["results"]]


def test_entries_as_each_caller_sees_them(client, w, clock):
    competition = through(w, clock, "publicity")
    client.force_login(w.office)
    data = client.get(url("edition-entries", competition.pk)).json()
    zhao = w.entries["zhao"]
    assert data["results"][1] == {
        "id": zhao.pk,
        "staff_no": "E1001",
        "name": "赵一",
        "college": "经济学院分工会",
        "group": "humanities-a",
        "group_label": "人文科学类A组",
        "coach": "郑师",
        "course": "微观经济学",
        "teaching_post": "full_time",
        "teaching_post_display": "专任教师",
        "status": "placed",
        "status_display": "获奖",
        "appearance": 2,
        "lesson_drawn": 2,
        "final_score": "92.88",
        "rank": 1,
        "awards": [
            {"code": "first", "label": "人文科学类A组一等奖", "kind": "rank"},
            {"code": "best-plan", "label": "最佳教案奖", "kind": "special"},
            {"code": "best-show", "label": "最佳现场展示奖", "kind": "special"},
        ],
    }
    everyone = [("钱二", 1, "83.75", 3), ("赵一", 2, "92.88", 1), ("周四", 3, "91.17", 2)]
    unscored = [(name, appearance, None, None) for name, appearance, _final, _rank in everyone]
    expected = {
        "union_office": everyone,
        "auditor": everyone,
        "administrator": everyone,
        "zhao": [("赵一", 2, None, None)],  # their own entry: the score once released
        "coach": [("赵一", 2, None, None)],
        "judge2": unscored,
        "sub_union_officer": unscored,  # economics' officer and a judge of the group
        "zhou": [("周四", 3, None, None)],
        "member": [],
    }
    for name, rows in expected.items():
        client.force_login(w.users[name])
        assert _entry_rows(client, competition) == rows, name
    _release(w, clock)
    client.force_login(w.users["zhao"])
    assert _entry_rows(client, competition) == [("赵一", 2, "92.88", 1)]
    client.force_login(w.users["coach"])
    assert _entry_rows(client, competition) == [("赵一", 2, None, None)]


def test_entries_list_costs_the_same_queries_for_one_entry_and_three(client, w, clock):
    competition_services.competition_step(actor=w.office, competition=w.competition, step="open_nominations")
    group = w.groups["humanities-a"]
    entry_services.entry_nominate(actor=w.office, competition=w.competition, staff_no="E1001", group=group)
    baseline = {}
    for name in ("union_office", "sub_union_officer"):
        client.force_login(w.users[name])
        baseline[name] = _queries(client, url("edition-entries", w.competition.pk))
    entry_services.entry_nominate(
        actor=w.office, competition=w.competition, staff_no="E1002", group=group, coach_staff_no="L0900"
    )
    entry_services.entry_nominate(actor=w.office, competition=w.competition, staff_no="L1001", group=group)
    for name, count in (("union_office", 3), ("sub_union_officer", 2)):  # economics' officer: 赵一, 钱二
        client.force_login(w.users[name])
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url("edition-entries", w.competition.pk))
        assert response.json()["count"] == count
        assert len(queries) == baseline[name], name


def test_editions_list_costs_the_same_queries_for_one_edition_and_four(client, w, clock):
    client.force_login(w.office)
    baseline = _queries(client, url("edition-list"))
    for year, number in ((2015, 9), (2017, 10), (2019, 11)):
        beijing(w, year=year, number=number)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url("edition-list"))
    assert response.json()["count"] == 4
    assert len(queries) == baseline


# --- results ------------------------------------------------------------------------------------


def _part(raw, kept, dropped, mean, weighted=None):
    return {"raw": raw, "kept": kept, "dropped": dropped, "mean": mean, "weighted": weighted or mean}


ZHAO_PARTS = {
    "design": _part(["17.00", "18.00", "18.50", "19.00"], ["17.00", "18.00", "18.50", "19.00"], [], "18.13"),
    "classroom": _part(["68.00", "70.00", "71.00", "72.00"], ["68.00", "70.00", "71.00", "72.00"], [], "70.25"),
    "reflection": _part(["4.00", "4.50", "4.50", "5.00"], ["4.00", "4.50", "4.50", "5.00"], [], "4.50"),
}
# five judges for 周四: the highest and the lowest of each part dropped
ZHOU_PARTS = {
    "design": _part(
        ["16.00", "17.00", "17.50", "18.00", "20.00"], ["17.00", "17.50", "18.00"], ["16.00", "20.00"], "17.50"
    ),
    "classroom": _part(
        ["67.00", "69.00", "69.00", "70.00", "75.00"], ["69.00", "69.00", "70.00"], ["67.00", "75.00"], "69.33"
    ),
    "reflection": _part(["4.00", "4.00", "4.50", "4.50", "5.00"], ["4.00", "4.50", "4.50"], ["4.00", "5.00"], "4.33"),
}
QIAN_PARTS = {
    "design": _part(["15.00", "16.00", "16.50", "17.00"], ["15.00", "16.00", "16.50", "17.00"], [], "16.13"),
    "classroom": _part(["60.00", "64.00", "65.00", "66.00"], ["60.00", "64.00", "65.00", "66.00"], [], "63.75"),
    "reflection": _part(["3.50", "4.00", "4.00", "4.00"], ["3.50", "4.00", "4.00", "4.00"], [], "3.88"),
}


def test_results_for_the_office_and_auditors(client, w, clock):
    competition = through(w, clock, "publicity")
    zhao, zhou, qian = (w.entries[k] for k in ("zhao", "zhou", "qian"))
    for name in ("union_office", "auditor", "administrator"):
        client.force_login(w.users[name])
        response = client.get(url("results", competition.pk))
        assert response.status_code == 200, name
        data = response.json()
        assert (data["edition"], data["status"], data["status_display"]) == (competition.pk, "publicity", "公示中")
        assert data["method"] == {
            "trim_highest": 1,
            "trim_lowest": 1,
            "trim_min_scores": 5,
            "places": 2,
            "rounding": "half_up",
            "tie_break": ["classroom", "design"],
        }
        assert data["parts"] == PARTS
        (group,) = data["groups"]
        assert (group["group"], group["label"], group["unscored"]) == ("humanities-a", "人文科学类A组", [])
        assert group["ranked"] == [
            {
                "entry": zhao.pk,
                "staff_no": "E1001",
                "name": "赵一",
                "college": "经济学院分工会",
                "appearance": 2,
                "parts": ZHAO_PARTS,
                "exact": "743/8",  # 18.125 + 70.25 + 4.5 = 92.875 → 92.88, rounded once
                "final": "92.88",
                "rank": 1,
                "prize": "first",
                "prize_label": "一等奖",
                "tie_note": "",
            },
            {
                "entry": zhou.pk,
                "staff_no": "L1001",
                "name": "周四",
                "college": "法学院分工会",
                "appearance": 3,
                "parts": ZHOU_PARTS,
                "exact": "547/6",  # 17.5 + 208/3 + 13/3 = 91.1666… → 91.17
                "final": "91.17",
                "rank": 2,
                "prize": "second",
                "prize_label": "二等奖",
                "tie_note": "",
            },
            {
                "entry": qian.pk,
                "staff_no": "E1002",
                "name": "钱二",
                "college": "经济学院分工会",
                "appearance": 1,
                "parts": QIAN_PARTS,
                "exact": "335/4",
                "final": "83.75",
                "rank": 3,
                "prize": "third",
                "prize_label": "三等奖",
                "tie_note": "",
            },
        ]
        group_code = "humanities-a"
        assert data["awards"] == [
            {
                "code": "first",
                "label": "人文科学类A组一等奖",
                "kind": "rank",
                "recipient": "赵一",
                "entry": zhao.pk,
                "group": group_code,
                "recorded": False,
            },
            {
                "code": "second",
                "label": "人文科学类A组二等奖",
                "kind": "rank",
                "recipient": "周四",
                "entry": zhou.pk,
                "group": group_code,
                "recorded": False,
            },
            {
                "code": "third",
                "label": "人文科学类A组三等奖",
                "kind": "rank",
                "recipient": "钱二",
                "entry": qian.pk,
                "group": group_code,
                "recorded": False,
            },
            {
                "code": "best-plan",
                "label": "最佳教案奖",
                "kind": "special",
                "recipient": "赵一",
                "entry": zhao.pk,
                "group": group_code,
                "recorded": False,
            },
            {
                "code": "best-show",
                "label": "最佳现场展示奖",
                "kind": "special",
                "recipient": "赵一",
                "entry": zhao.pk,
                "group": group_code,
                "recorded": False,
            },
        ]
    client.force_login(w.office)
    response = client.get(url("results", competition.pk + 100))
    assert (response.status_code, response.json()) == (404, NOT_FOUND)


def test_results_for_nobody_else(client, w, clock):
    competition = through(w, clock, "closed")
    # the contestants, their coach, the judges (the chief judge too), a college's officer, a member
    for name in ("zhao", "zhou", "coach", "judge1", "judge2", "sub_union_officer", "member", "welfare_committee"):
        client.force_login(w.users[name])
        response = client.get(url("results", competition.pk))
        assert (response.status_code, response.json()) == (403, FORBIDDEN), name
        assert "92.88" not in response.content.decode()
    client.logout()
    assert client.get(url("results", competition.pk)).status_code == 401


def test_results_of_an_edition_the_university_does_not_run(client, w, clock):
    old = beijing(w, year=2019, number=11)
    competition_services.competition_step(actor=w.office, competition=old, step="record")
    client.force_login(w.users["auditor"])
    data = client.get(url("results", old.pk)).json()
    assert (data["status"], data["groups"], data["awards"]) == ("recorded", [], [])
    assert data["method"]["trim_highest"] == 1 and data["parts"] == PARTS


# --- a contestant's own entries -----------------------------------------------------------------


def test_my_entries_and_my_scores_after_release(client, w, clock):
    through(w, clock, "publicity")
    zhao = w.entries["zhao"]
    client.force_login(w.users["zhao"])
    (row,) = client.get(url("mine")).json()
    assert row == {
        "id": zhao.pk,
        "edition": {"id": w.competition.pk, "title": "第三届青年教师教学基本功比赛"},
        "year": 2021,
        "level": "university",
        "edition_status": "publicity",
        "edition_status_display": "公示中",
        "college": "经济学院分工会",
        "group": "humanities-a",
        "group_label": "人文科学类A组",
        "coach": "郑师",
        "course": "微观经济学",
        "status": "placed",
        "status_display": "获奖",
        "appearance": 2,
        "lesson_drawn": 2,
        "awards": [
            {"code": "first", "label": "人文科学类A组一等奖", "kind": "rank", "certificate": None},
            {"code": "best-plan", "label": "最佳教案奖", "kind": "special", "certificate": None},
            {"code": "best-show", "label": "最佳现场展示奖", "kind": "special", "certificate": None},
        ],
        "scores": None,  # not before the release
    }
    _release(w, clock)
    client.force_login(w.users["zhao"])  # a month later: signed in again
    (row,) = client.get(url("mine")).json()
    assert row["edition_status"] == "released"
    assert row["awards"] == [
        {
            "code": "first",
            "label": "人文科学类A组一等奖",
            "kind": "rank",
            "certificate": {"serial": "QJS-2021-U03-0001", "issued_on": "2021-04-20"},
        },
        {
            "code": "best-plan",
            "label": "最佳教案奖",
            "kind": "special",
            "certificate": {"serial": "QJS-2021-U03-0004", "issued_on": "2021-04-20"},
        },
        {
            "code": "best-show",
            "label": "最佳现场展示奖",
            "kind": "special",
            "certificate": {"serial": "QJS-2021-U03-0005", "issued_on": "2021-04-20"},
        },
    ]
    labels = {p["code"]: (p["label"], p["weight"], p["full_marks"]) for p in PARTS}
    assert row["scores"] == {
        "final": "92.88",
        "rank": 1,
        "parts": {
            code: {**part, "label": labels[code][0], "weight": labels[code][1], "full_marks": labels[code][2]}
            for code, part in ZHAO_PARTS.items()
        },
    }
    # their own only: 周四 sees his trimmed scores, not 赵一's
    client.force_login(w.users["zhou"])
    (row,) = client.get(url("mine")).json()
    assert row["scores"]["final"] == "91.17"
    assert row["scores"]["parts"]["design"]["dropped"] == ["16.00", "20.00"]
    for name in ("member", "judge1", "coach", "union_office"):
        client.force_login(w.users[name])
        assert client.get(url("mine")).json() == [], name
    client.logout()
    assert client.get(url("mine")).status_code == 401


def test_my_entries_at_the_next_level_and_the_query_count(client, w, clock):
    through(w, clock, "publicity")
    _release(w, clock)
    client.force_login(w.users["zhao"])
    baseline = _queries(client, url("mine"))
    # 赵一 recommended to Beijing, where he wins a first prize (entered as recorded)
    target = beijing(w)
    competition_services.competition_link(actor=w.office, competition=w.competition, feeds_into=target)
    w.competition.refresh_from_db()
    (at_beijing,) = entry_services.entries_recommend(
        actor=w.office, competition=w.competition, entries=[w.entries["zhao"]]
    )
    result_services.result_record(actor=w.office, competition=target, entry=at_beijing, code="first")
    result_services.result_record(actor=w.office, competition=target, entry=at_beijing, code="best-plan")
    result_services.results_confirm(actor=w.office, competition=target)
    with CaptureQueriesContext(connection) as queries:
        rows = client.get(url("mine")).json()
    assert len(queries) == baseline
    assert [(r["edition"]["title"], r["status"], r["edition_status"]) for r in rows] == [
        ("第12届北京高校青年教师教学基本功比赛", "placed", "recorded"),
        ("第三届青年教师教学基本功比赛", "recommended", "released"),
    ]
    assert [a["label"] for a in rows[0]["awards"]] == ["人文科学类A组一等奖", "最佳教案奖"]
    assert rows[0]["scores"] == {"final": None, "rank": None, "parts": {}}  # recorded, not scored here
    assert rows[1]["scores"]["final"] == "92.88"


# --- judging ------------------------------------------------------------------------------------


def test_a_judges_queue(client, w, clock):
    competition = through(w, clock, "drawn")
    zhao, qian, zhou = (w.entries[k] for k in ("zhao", "qian", "zhou"))
    client.force_login(w.users["judge2"])
    (queue,) = client.get(url("judge-queue")).json()
    assert {k: v for k, v in queue.items() if k != "entries"} == {
        "judge": w.judges["judge2"].pk,
        "edition": {"id": competition.pk, "title": "第三届青年教师教学基本功比赛"},
        "edition_status": "drawn",
        "scoring_open": False,
        "group": "humanities-a",
        "group_label": "人文科学类A组",
        "is_chief": False,
        "parts": PARTS,
    }
    assert queue["entries"] == [
        {
            "entry": qian.pk,
            "appearance": 1,
            "lesson_drawn": 5,
            "name": "钱二",
            "college": "经济学院分工会",
            "course": "宏观经济学",
            "conflict": "",
            "sheet": None,
        },
        {
            "entry": zhao.pk,
            "appearance": 2,
            "lesson_drawn": 2,
            "name": "赵一",
            "college": "经济学院分工会",
            "course": "微观经济学",
            "conflict": "",
            "sheet": None,
        },
        {
            "entry": zhou.pk,
            "appearance": 3,
            "lesson_drawn": 3,
            "name": "周四",
            "college": "法学院分工会",
            "course": "民法总论",
            "conflict": "",
            "sheet": None,
        },
    ]
    competition_services.competition_step(actor=w.office, competition=competition, step="open_scoring")
    # 陈静 (economics) may not score economics' contestants
    client.force_login(w.users["sub_union_officer"])
    (queue,) = client.get(url("judge-queue")).json()
    conflict = "评委不能为本单位（经济学院分工会）的参赛教师评分。"
    assert [(e["name"], e["conflict"]) for e in queue["entries"]] == [
        ("钱二", conflict),
        ("赵一", conflict),
        ("周四", ""),
    ]
    # judge2's sheets as they are saved: one draft, one submitted; the queue costs the same
    # queries for one sheet and for three
    client.force_login(w.users["judge2"])
    assert _put(client, w.judges["judge2"], qian, {"design": "17", "classroom": ""}).status_code == 200
    baseline = _queries(client, url("judge-queue"))
    assert _put(client, w.judges["judge2"], zhou, {}).status_code == 200
    assert (
        _put(client, w.judges["judge2"], zhao, {"design": "19", "classroom": "72", "reflection": "5"}, True).status_code
        == 200
    )
    with CaptureQueriesContext(connection) as queries:
        (queue,) = client.get(url("judge-queue")).json()
    assert len(queries) == baseline
    assert queue["scoring_open"] is True
    sheets = [e["sheet"] for e in queue["entries"]]
    assert sheets[0] == {
        "judge": w.judges["judge2"].pk,
        "entry": qian.pk,
        "status": "draft",
        "scores": {"design": "17.00"},
        "missing": ["classroom", "reflection"],
        "submitted_at": None,
    }
    assert (sheets[1]["status"], sheets[1]["scores"], sheets[1]["missing"]) == (
        "submitted",
        {"design": "19.00", "classroom": "72.00", "reflection": "5.00"},
        [],
    )
    assert sheets[1]["submitted_at"].startswith("2021-03-26T")
    assert (sheets[2]["status"], sheets[2]["scores"], sheets[2]["missing"]) == (
        "draft",
        {},
        ["design", "classroom", "reflection"],
    )
    for name in ("member", "zhao", "union_office"):
        client.force_login(w.users[name])
        assert client.get(url("judge-queue")).json() == [], name


def test_a_sheet_saved_twice_is_the_same_sheet_and_submitted_once(client, w, clock):
    competition = through(w, clock, "scoring")
    judge, zhou = w.judges["judge2"], w.entries["zhou"]
    client.force_login(w.users["judge2"])
    draft = {
        "judge": judge.pk,
        "entry": zhou.pk,
        "status": "draft",
        "scores": {"design": "18.50", "classroom": "70.00"},
        "missing": ["reflection"],
        "submitted_at": None,
    }
    for _ in range(2):  # a phone sending the same scores again: the same state, nothing more written
        response = _put(client, judge, zhou, {"design": "18.5", "classroom": "70", "reflection": ""})
        assert (response.status_code, response.json()) == (200, draft)
        assert _written(competition)[:3] == (1, 2, 0)
    # a changed score replaces the draft's
    response = _put(client, judge, zhou, {"design": "18"})
    assert response.json()["scores"] == {"design": "18.00", "classroom": "70.00"}
    # submitted with the last part
    response = _put(client, judge, zhou, {"reflection": "4.5"}, submit=True)
    assert response.status_code == 200
    submitted = response.json()
    assert (submitted["status"], submitted["scores"], submitted["missing"]) == (
        "submitted",
        {"design": "18.00", "classroom": "70.00", "reflection": "4.50"},
        [],
    )
    assert submitted["submitted_at"].startswith("2021-03-26T")
    assert _written(competition)[:3] == (1, 3, 1)
    # a second submission, or a change after it: refused, nothing written
    before = _written(competition)
    message = "评分表已提交，不能再改；如需更正，请评委会主任改分并说明理由。"
    for scores, submit in (({"reflection": "4.5"}, True), ({"design": "19"}, False), ({}, False)):
        response = _put(client, judge, zhou, scores, submit)
        assert (response.status_code, response.json()) == (400, {"message": message, "extra": {}})
        assert _written(competition) == before
    assert dict(PartScore.objects.filter(sheet__judge=judge).values_list("part__code", "score")) == {
        "design": 18,
        "classroom": 70,
        "reflection": 4.5,
    }


def test_sheet_refusals_write_nothing(client, w, clock):
    competition = through(w, clock, "scoring")
    judge, zhou, zhao = w.judges["judge2"], w.entries["zhou"], w.entries["zhao"]
    client.force_login(w.users["judge2"])
    before = _written(competition)
    refusals = [
        ({"design": "21"}, False, "“教学设计”的分数须在 0 到 20 之间。", {"field": "design"}),
        ({"design": "-1"}, False, "“教学设计”的分数须在 0 到 20 之间。", {"field": "design"}),
        ({"design": "18", "classroom": "75.5"}, False, "“课堂教学”的分数须在 0 到 75 之间。", {"field": "classroom"}),
        ({"design": "18.555"}, False, "“教学设计”的分数最多两位小数。", {"field": "design"}),
        ({"design": "十八"}, False, "“教学设计”的分数“十八”不是数字。", {"field": "design"}),
        ({"design": "NaN"}, False, "“教学设计”的分数须在 0 到 20 之间。", {"field": "design"}),
        ({"design": "18", "voice": "9"}, False, "没有评分项目“voice”。", {}),
        # submitting needs every part: the design score sent with it is not kept either
        ({"design": "18"}, True, "还有评分项目未打分：课堂教学、教学反思。", {}),
    ]
    for scores, submit, message, extra in refusals:
        response = _put(client, judge, zhou, scores, submit)
        assert (response.status_code, response.json()) == (400, {"message": message, "extra": extra}), scores
        assert _written(competition) == before, scores
    # a body of the wrong shape
    for body in ({"scores": ["18"]}, {"scores": {"design": "18"}, "submit": "perhaps"}, {}, ["design"]):
        response = client.put(url("sheet", judge.pk, zhou.pk), body, content_type="application/json")
        assert response.status_code == 400 and response.json()["message"] == "提交的数据有误", body
    assert _written(competition) == before
    # a conflict: 陈静 (economics) scoring 赵一 (economics)
    client.force_login(w.users["sub_union_officer"])
    response = _put(client, w.judges["chen"], zhao, {"design": "20"})
    assert (response.status_code, response.json()) == (
        400,
        {"message": "评委不能为本单位（经济学院分工会）的参赛教师评分。", "extra": {}},
    )
    assert _written(competition) == before


def test_a_sheet_is_not_there_for_anyone_but_its_judge(client, w, clock):
    competition = through(w, clock, "scoring")
    judge, zhou = w.judges["judge2"], w.entries["zhou"]
    science_teacher = person_make(
        staff_no="E1009", name="冯九", birth_date=datetime.date(1990, 1, 1), sub_union=w.u.econ
    )
    # an entry of another group (written directly: the nominations are closed)
    other_group = Entry.objects.create(
        competition=competition,
        person=science_teacher,
        college=w.u.econ,
        group=w.groups["science-a"],
        status="drawn",
        appearance=1,
    )
    before = _written(competition)
    cases = [
        ("member", judge, zhou),  # not a judge
        ("zhou", judge, zhou),  # the contestant
        ("union_office", judge, zhou),  # the office does not score
        ("judge3", judge, zhou),  # another judge's sheet
        ("judge2", judge, other_group),  # an entry outside the judge's group
    ]
    for name, as_judge, entry in cases:
        client.force_login(w.users[name])
        response = _put(client, as_judge, entry, {"design": "18"})
        assert (response.status_code, response.json()) == (404, NOT_FOUND), name
    client.force_login(w.users["judge2"])
    response = client.put(url("sheet", judge.pk + 100, zhou.pk), {"scores": {}}, content_type="application/json")
    assert response.status_code == 404
    assert _written(competition) == before
    client.logout()
    assert _put(client, judge, zhou, {"design": "18"}).status_code == 401
    assert _written(competition) == before


def test_no_sheet_outside_the_scoring(client, w, clock):
    competition = through(w, clock, "drawn")
    client.force_login(w.users["judge2"])
    before = _written(competition)
    response = _put(client, w.judges["judge2"], w.entries["zhou"], {"design": "18"})
    assert (response.status_code, response.json()) == (400, {"message": "现在不是评分时间。", "extra": {}})
    assert _written(competition) == before


# --- nominations --------------------------------------------------------------------------------


def _nominate(client, competition, **body):
    return client.post(url("nominate", competition.pk), body, content_type="application/json")


def test_a_college_nominates_through_the_api(client, w, clock):
    competition = w.competition
    client.force_login(w.users["sub_union_officer"])
    # a draft edition is not there for a college yet; the office is told it is not open
    response = _nominate(client, competition, staff_no="E1001", group="humanities-a")
    assert (response.status_code, response.json()) == (404, NOT_FOUND)
    client.force_login(w.office)
    response = _nominate(client, competition, staff_no="E1001", group="humanities-a")
    assert (response.status_code, response.json()) == (400, {"message": "本届比赛现在不接受推荐报名。", "extra": {}})
    competition_services.competition_step(actor=w.office, competition=competition, step="open_nominations")
    client.force_login(w.users["sub_union_officer"])
    response = _nominate(
        client,
        competition,
        staff_no="E1001",
        group="humanities-a",
        teaching_post="full_time",
        course="微观经济学",
        coach_staff_no="L0900",
    )
    assert response.status_code == 201
    entry = Entry.objects.get(competition=competition, person__staff_no="E1001")
    assert response.json() == {
        "id": entry.pk,
        "staff_no": "E1001",
        "name": "赵一",
        "college": "经济学院分工会",
        "group": "humanities-a",
        "group_label": "人文科学类A组",
        "coach": "郑师",
        "course": "微观经济学",
        "teaching_post": "full_time",
        "teaching_post_display": "专任教师",
        "status": "nominated",
        "status_display": "已推荐",
        "appearance": None,
        "lesson_drawn": None,
        "final_score": None,
        "rank": None,
        "awards": [],
        "next_steps": [
            {"step": "materials_complete", "label": "材料齐全", "to": "submitted"},
            {"step": "withdraw", "label": "退赛", "to": "withdrawn"},
        ],
    }
    assert (entry.nominated_by, entry.coach.staff_no, entry.group.code) == (
        w.users["sub_union_officer"],
        "L0900",
        "humanities-a",
    )


def test_nominations_refused_with_every_reason_and_nothing_written(client, w, clock):
    competition = w.competition
    competition_services.competition_step(actor=w.office, competition=competition, step="open_nominations")
    client.force_login(w.office)
    assert _nominate(client, competition, staff_no="L1001", group="humanities-a").status_code == 201
    before = _written(competition)
    refusals = [
        # 王芳: born 1978, too old
        (
            {"staff_no": "L0001", "group": "humanities-a"},
            "王芳不能报名：出生日期 1978-01-09 早于 1981-01-01（年龄超出）。法学院分工会的名额（1 个）已满。",
            {
                "reasons": [
                    "出生日期 1978-01-09 早于 1981-01-01（年龄超出）。",
                    "法学院分工会的名额（1 个）已满。",
                ]
            },
        ),
        # 吴五: eligible, but law's one seat is taken by 周四
        (
            {"staff_no": "L1002", "group": "humanities-a"},
            "吴五不能报名：法学院分工会的名额（1 个）已满。",
            {"reasons": ["法学院分工会的名额（1 个）已满。"]},
        ),
        # 周四 again
        (
            {"staff_no": "L1001", "group": "humanities-a"},
            "周四不能报名：已报名本届比赛。法学院分工会的名额（1 个）已满。",
            {"reasons": ["已报名本届比赛。", "法学院分工会的名额（1 个）已满。"]},
        ),
        # a post the rules do not admit
        (
            {"staff_no": "E1001", "group": "humanities-a", "teaching_post": "counsellor"},
            "赵一不能报名：岗位不符：本届限专任教师、实验教学人员。",
            {"reasons": ["岗位不符：本届限专任教师、实验教学人员。"]},
        ),
        ({"staff_no": "E1001", "group": "law-b"}, "请选择本届比赛的组别。", {"field": "group"}),
        ({"staff_no": "X9999", "group": "humanities-a"}, "找不到工号“X9999”。", {"field": "staff_no"}),
        (
            {"staff_no": "E1001", "group": "humanities-a", "coach_staff_no": "E1001"},
            "指导教师不能是参赛教师本人。",
            {"field": "coach_staff_no"},
        ),
    ]
    for body, message, extra in refusals:
        response = _nominate(client, competition, **body)
        assert (response.status_code, response.json()) == (400, {"message": message, "extra": extra}), body
        assert _written(competition) == before, body
    # the request itself wrong: a post outside the choices, no staff number
    for body in ({"staff_no": "E1001", "group": "humanities-a", "teaching_post": "dean"}, {"group": "humanities-a"}):
        response = _nominate(client, competition, **body)
        assert response.status_code == 400 and response.json()["message"] == "提交的数据有误", body
    # a college's officer: their own college's teachers only; a member may not nominate at all
    client.force_login(w.users["sub_union_officer"])
    response = _nominate(client, competition, staff_no="L1002", group="humanities-a")
    assert (response.status_code, response.json()) == (403, FORBIDDEN)
    client.force_login(w.users["member"])
    response = _nominate(client, competition, staff_no="E1001", group="humanities-a")
    assert (response.status_code, response.json()) == (403, FORBIDDEN)
    assert _written(competition) == before
    assert not Award.objects.exists()


# --- the responses as the schema says -----------------------------------------------------------


@pytest.fixture
def wsgi_app():
    """Django's WSGI handler, the requests running inside the test's transaction (as in
    tests/test_api_schema_fuzz.py)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_responses_with_real_rows_match_the_schema(w, clock, wsgi_app):
    """The fuzz test's world has no competition: here every operation answers with real rows
    (a sheet, an edition at each stage, results, a contestant's scores and certificates), and
    each answer must be what the OpenAPI schema declares."""
    schemathesis = pytest.importorskip("schemathesis")
    from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

    from gonghui.accounts.tokens import api_token_issue

    def headers(user) -> dict:
        key, _row = api_token_issue(user=user, name="schema")
        return {"Authorization": f"Token {key}", "Accept-Encoding": "identity"}

    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", wsgi_app, headers=headers(w.office))
    checked = []

    def check(user, path, method="GET", status=200, path_parameters=None, body=None, query=None):
        operation = schema[path][method]
        kwargs = {"path_parameters": path_parameters or {}, "query": query or {}}
        if body is not None:
            kwargs["body"] = body
            kwargs["media_type"] = "application/json"
        case = operation.Case(**kwargs)
        response = case.call(headers=headers(user))
        assert response.status_code == status, (path, response.text)
        case.validate_response(response, checks=[status_code_conformance, response_schema_conformance])
        checked.append((path, method))

    competition = through(w, clock, "scoring")
    edition = {"id": competition.pk}
    sheet = {"judge_id": w.judges["judge2"].pk, "entry_id": w.entries["zhou"].pk}
    check(
        w.users["judge2"],
        "/api/competitions/judge/{judge_id}/entries/{entry_id}/sheet/",
        "PUT",
        200,
        sheet,
        {"scores": {"design": "18"}, "submit": False},
    )
    check(
        w.users["judge2"],
        "/api/competitions/judge/{judge_id}/entries/{entry_id}/sheet/",
        "PUT",
        400,
        sheet,
        {"scores": {"design": "21"}, "submit": False},
    )
    check(w.users["judge2"], "/api/competitions/judge/queue/")
    check(w.office, "/api/competitions/editions/{id}/", path_parameters=edition)
    for stage in ("scored", "closed", "publicity", "released"):
        if stage == "scored":
            score_all(w)  # judge2's draft of 周四 (design 18, as in SCORES) submitted with the rest
        elif stage == "closed":
            result_services.scoring_close(actor=w.office, competition=competition)
        elif stage == "publicity":
            result_services.results_publish(actor=w.office, competition=competition)
        else:
            _release(w, clock)
        check(w.office, "/api/competitions/editions/{id}/results/", path_parameters=edition)
        check(w.office, "/api/competitions/editions/{id}/entries/", path_parameters=edition)
        check(w.users["zhao"], "/api/competitions/mine/")
    check(w.users["member"], "/api/competitions/editions/{id}/results/", status=403, path_parameters=edition)
    check(w.office, "/api/competitions/editions/", query={"status": "released"})
    check(w.office, "/api/competitions/editions/{id}/", path_parameters=edition)
    check(w.users["zhao"], "/api/competitions/editions/{id}/", path_parameters=edition)
    check(w.users["zhao"], "/api/competitions/editions/{id}/entries/", path_parameters=edition)
    target = beijing(w)
    check(w.office, "/api/competitions/editions/{id}/", path_parameters={"id": target.pk})
    check(w.office, "/api/competitions/editions/{id}/results/", path_parameters={"id": target.pk})
    fourth = competition_services.competition_create(
        actor=w.office,
        level=Level.UNIVERSITY,
        year=2021,
        number=4,
        title="第四届青年教师教学基本功比赛",
        nominations_close=aware(datetime.datetime(2021, 5, 20, 18, 0)),
        materials_due=aware(datetime.datetime(2021, 5, 25, 18, 0)),
    )
    competition_services.competition_step(actor=w.office, competition=fourth, step="open_nominations")
    nominate = "/api/competitions/editions/{id}/nominate/"
    check(w.office, nominate, "POST", 201, {"id": fourth.pk}, {"staff_no": "E1003", "group": "humanities-a"})
    check(w.office, nominate, "POST", 400, {"id": fourth.pk}, {"staff_no": "L0001", "group": "humanities-a"})
    assert {path for path, _method in checked} == {
        "/api/competitions/editions/",
        "/api/competitions/editions/{id}/",
        "/api/competitions/editions/{id}/entries/",
        "/api/competitions/editions/{id}/results/",
        "/api/competitions/editions/{id}/nominate/",
        "/api/competitions/mine/",
        "/api/competitions/judge/queue/",
        "/api/competitions/judge/{judge_id}/entries/{entry_id}/sheet/",
    }
