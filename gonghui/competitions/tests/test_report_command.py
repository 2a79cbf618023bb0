"""`manage.py competition_report --edition ID` (json, text, xlsx) on the small history of
history_scenario.py, as the system actor; and `manage.py competitions_due` with its task, which
close the nominations at their deadline as the system actor."""

from __future__ import annotations

import datetime
import io
import json

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from gonghui.accounts.system import system_actor
from gonghui.competitions.choices import CompetitionStatus
from gonghui.competitions.models import CompetitionEvent
from gonghui.competitions.selectors.report import edition_report
from gonghui.competitions.services import competitions as competition_services
from gonghui.competitions.tasks import competitions_nominations_due
from gonghui.competitions.tests.factories import aware, refresh
from gonghui.competitions.tests.history_scenario import history_world
from gonghui.core.reports import plain
from tests.tables import changed_tables, table_counts


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def h(w, clock):
    return history_world(w, clock)


def _award(kind, code, label, recipient, college, certificate, recorded=False):
    return {
        "kind": kind,
        "code": code,
        "label": label,
        "recipient": recipient,
        "college": college,
        "recorded": recorded,
        "certificate": certificate,
    }


def _history(h) -> dict:
    def line(edition, entered, participants, source, prizes):
        return {
            "id": edition.pk,
            "number": edition.number,
            "year": edition.year,
            "title": edition.title,
            "entered": entered,
            "participants": participants,
            "source": source,
            "prizes": prizes,
        }

    return {
        "level": "beijing",
        "held": 4,
        "entered": 3,
        "teachers": 33,
        "editions": [
            line(h.b2017, False, None, "", []),
            line(h.b2019, True, 30, "recorded", ["人文科学类A组二等奖"]),
            line(h.b2021, True, 3, "entries", ["人文科学类A组一等奖"]),
            line(h.b2023, True, 0, "entries", []),
        ],
    }


def test_the_school_round_as_json(w, h):
    data = json.loads(run("competition_report", "--edition", str(w.competition.pk)))
    econ, law = "经济学院分工会", "法学院分工会"
    assert data == {
        "edition": {
            "id": w.competition.pk,
            "level": "university",
            "number": 3,
            "year": 2021,
            "title": "第三届青年教师教学基本功比赛",
            "organiser": "校工会",
            "status": "released",
            "held_on": "2021-04-10",
            "entered": True,
            "feeds_into": h.b2021.pk,
            "rules": "2021年青年教师教学基本功比赛方案",
            "seed": "qjs2021",
        },
        "entries": 3,
        "withdrawn": 1,
        "participants": 3,
        "participants_source": "entries",
        "colleges": 2,
        "judges": 5,
        "sheets": {"submitted": 13, "draft": 0, "amendments": 0},
        "prizes": {"rank": 3, "special": 2, "coach": 1, "organisation": 0, "total": 6},
        "certificates": 6,
        "groups": [
            {
                "code": "humanities-a",
                "group": "人文科学类A组",
                "entries": 3,
                "ranking": [
                    {
                        "rank": 1,
                        "name": "赵一",
                        "college": econ,
                        "course": "微观经济学",
                        "appearance": w.entries["zhao"].appearance,
                        "final_score": "92.880",
                        "status": "recommended",
                        "awards": ["人文科学类A组一等奖", "最佳教案奖", "最佳现场展示奖"],
                    },
                    {
                        "rank": 2,
                        "name": "周四",
                        "college": law,
                        "course": "民法总论",
                        "appearance": w.entries["zhou"].appearance,
                        "final_score": "91.170",
                        "status": "recommended",
                        "awards": ["人文科学类A组二等奖"],
                    },
                    {
                        "rank": 3,
                        "name": "孙三",
                        "college": econ,
                        "course": "统计学",
                        "appearance": w.entries["qian"].appearance,
                        "final_score": "83.750",
                        "status": "placed",
                        "awards": ["人文科学类A组三等奖"],
                    },
                ],
            }
        ],
        "awards": [
            _award("rank", "first", "人文科学类A组一等奖", "赵一", econ, "QJS-2021-U03-0002"),
            _award("rank", "second", "人文科学类A组二等奖", "周四", law, "QJS-2021-U03-0003"),
            _award("rank", "third", "人文科学类A组三等奖", "孙三", econ, "QJS-2021-U03-0004"),
            _award("special", "best-plan", "最佳教案奖", "赵一", econ, "QJS-2021-U03-0005"),
            _award("special", "best-show", "最佳现场展示奖", "赵一", econ, "QJS-2021-U03-0006"),
            _award("coach", "coach", "优秀指导教师奖", "郑师", law, "QJS-2021-U03-0001"),
        ],
        "by_college": [
            {"college": econ, "entries": 2, "prizes": 4},
            {"college": law, "entries": 1, "prizes": 2},
        ],
        "history": _history(h),
    }
    assert sorted(e.appearance for e in w.entries.values()) == [1, 2, 3]


def test_a_beijing_edition_with_recorded_results(w, h):
    data = json.loads(run("competition_report", "--edition", str(h.b2021.pk), "--format", "json"))
    assert (data["edition"]["status"], data["entries"], data["participants"], data["judges"]) == (
        CompetitionStatus.RECORDED,
        2,
        3,
        0,
    )
    assert data["sheets"] == {"submitted": 0, "draft": 0, "amendments": 0}
    assert data["prizes"] == {"rank": 1, "special": 0, "coach": 0, "organisation": 0, "total": 1}
    assert data["certificates"] == 0
    # no ranks: the contestants in the order of their prizes
    assert [(r["rank"], r["name"], r["final_score"], r["awards"]) for r in data["groups"][0]["ranking"]] == [
        (None, "赵一", None, ["人文科学类A组一等奖"]),
        (None, "周四", None, []),
    ]
    assert data["awards"] == [_award("rank", "first", "人文科学类A组一等奖", "赵一", "经济学院分工会", "", True)]
    assert data["history"] == _history(h)


def test_the_text_and_the_charts(w, h):
    text = run("competition_report", "--edition", str(w.competition.pk), "--format", "text")
    lines = text.splitlines()
    assert lines[:12] == [
        "概况\t比赛\t第三届青年教师教学基本功比赛",
        "概况\t级别\t校级",
        "概况\t年度\t2021",
        "概况\t状态\t结果已发布",
        "概况\t参赛教师\t3",
        "概况\t参加选拔\t3",
        "概况\t推荐单位\t2",
        "概况\t评委\t5",
        "概况\t已提交评分表\t13",
        "概况\t改分\t0",
        "概况\t获奖证书\t6",
        "奖项\t名次奖\t3",
    ]
    assert "人文科学类A组排名\t第1名 赵一（经济学院分工会）\t92.880" in lines
    assert "获奖名单\t优秀指导教师奖\t郑师（法学院分工会）" in lines
    assert "各单位获奖\t经济学院分工会\t4" in lines
    assert lines[-5:] == [
        "北京高校青年教师教学基本功比赛历届\t第十届（2017）\t未参赛",
        "北京高校青年教师教学基本功比赛历届\t第十一届（2019）\t30",
        "北京高校青年教师教学基本功比赛历届\t第十二届（2021）\t3",
        "北京高校青年教师教学基本功比赛历届\t第十三届（2023）\t0",
        "北京高校青年教师教学基本功比赛历届\t合计\t举办 4 届，参赛 3 届，33 人次",
    ]
    report = edition_report(user=system_actor(), competition=w.competition)
    assert plain(report.charts["prizes"].spec()) == {
        "kind": "bar",
        "title": "各单位获奖（项）",
        "format": "number",
        "categories": ["经济学院分工会", "法学院分工会"],
        "series": [{"name": "获奖", "data": [4, 2]}],
    }
    assert report.charts["history"].spec() == {
        "kind": "line",
        "title": "北京高校青教赛历届我校参赛人数",
        "format": "number",
        "categories": ["第十届（2017）", "第十一届（2019）", "第十二届（2021）", "第十三届（2023）"],
        "series": [{"name": "参赛人数", "data": [None, 30, 3, 0]}],
    }


def test_the_xlsx(w, h, tmp_path):
    path = tmp_path / "report.xlsx"
    out = run("competition_report", "--edition", str(w.competition.pk), "--format", "xlsx", "--output", str(path))
    assert out.startswith(f"{path}: ")
    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    assert rows[0] == ("类别", "项目", "数值")
    assert ("概况", "参赛教师", 3) in rows
    assert ("人文科学类A组排名", "第3名 孙三（经济学院分工会）", 83.75) in rows


def test_unknown_edition_and_missing_output(w):
    with pytest.raises(CommandError, match="no competition edition 999999"):
        run("competition_report", "--edition", "999999")
    with pytest.raises(CommandError, match="--output is required"):
        run("competition_report", "--edition", str(w.competition.pk), "--format", "xlsx")


def test_competitions_due_closes_the_nominations_at_their_deadline(w, clock):
    competition_services.competition_step(actor=w.office, competition=w.competition, step="open_nominations")
    system_actor()  # the account exists before counting the tables
    # before the deadline (2021-03-20 18:00): nothing
    before = table_counts()
    assert run("competitions_due") == "nominations closed: 0\n"
    assert changed_tables(before, table_counts()) == {}
    assert refresh(w).status == CompetitionStatus.NOMINATING
    # past it: closed by the system actor; a second run finds nothing
    clock.move_to(aware(datetime.datetime(2021, 3, 20, 18, 1)))
    assert run("competitions_due") == "nominations closed: 1\n"
    assert refresh(w).status == CompetitionStatus.PREPARING
    event = CompetitionEvent.objects.get(subject=w.competition, to_state=CompetitionStatus.PREPARING)
    assert (event.actor.username, event.step) == ("system", "close_nominations")
    assert run("competitions_due") == "nominations closed: 0\n"


def test_the_task_does_the_same(w, clock):
    competition_services.competition_step(actor=w.office, competition=w.competition, step="open_nominations")
    assert competitions_nominations_due.call() == 0
    clock.move_to(aware(datetime.datetime(2021, 3, 21, 9, 0)))
    assert competitions_nominations_due.call() == 1
    assert refresh(w).status == CompetitionStatus.PREPARING
    assert competitions_nominations_due.call() == 0
