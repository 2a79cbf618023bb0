"""A small history for the history and report tests, on the competition world (factories.py),
through the services:

- the 2021 school round (第三届, university level), as `through(…, "released")` but with 钱二
  withdrawn after nominating and 孙三 (E1003, economics) nominated in the seat given back, who
  is scored with 钱二's scores (so the finals are factories.EXPECTED_FINAL: 赵一 92.88, 周四
  91.17, 孙三 83.75); 郑师 (L0900, law), 赵一's coach, gets 优秀指导教师奖 during the publicity;
  released with 7 certificates;
- Beijing: 第十届 2017 not entered; 第十一届 2019 entered, 30 participants in the archive, and
  its rules (the same groups and prizes), 郑师 a contestant there as a young teacher (the
  archive's entry) with 人文科学类A组二等奖; 第十二届 2021 entered, fed by the school round (its
  archive figure of 99 is not used), 赵一 and 周四 recommended to it and 赵一's 人文科学类A组一等奖
  recorded — all three confirmed; 第十三届 2023 a draft (the office's alone);
- 2023: the school round's rules and a draft edition (第四届) with 赵一 on its judging panel.
"""

from __future__ import annotations

import datetime
from types import SimpleNamespace

from gonghui.competitions.choices import Level, TeachingPost
from gonghui.competitions.services import competitions as competition_services
from gonghui.competitions.services import draw as draw_services
from gonghui.competitions.services import entries as entry_services
from gonghui.competitions.services import judging as judging_services
from gonghui.competitions.services import results as result_services
from gonghui.competitions.tests.factories import (
    SEED,
    aware,
    judges_add,
    nominate_all,
    refresh,
    rules_make,
    score_all,
    upload_all,
)

BEIJING_TITLE = "第%s届北京高校青年教师教学基本功比赛"


def _beijing(w, number: int, year: int, **fields):
    return competition_services.competition_create(
        actor=w.office,
        level=Level.BEIJING,
        year=year,
        number=number,
        title=BEIJING_TITLE % {10: "十", 11: "十一", 12: "十二", 13: "十三"}[number],
        organiser="北京市教育工会",
        **fields,
    )


def school_round(w, clock) -> None:
    """The school round to its release, 钱二 withdrawn and 孙三 in the seat."""
    nominate_all(w)
    entry_services.entry_withdraw(actor=w.office, entry=w.entries["qian"], reason="因病退赛")
    w.withdrawn = w.entries["qian"]
    w.entries["qian"] = entry_services.entry_nominate(
        actor=w.office,
        competition=w.competition,
        staff_no="E1003",
        group=w.groups["humanities-a"],
        teaching_post=TeachingPost.FULL_TIME,
        course="统计学",
    )
    upload_all(w)
    judges_add(w)
    clock.move_to(aware(datetime.datetime(2021, 3, 26, 9, 0)))
    competition_services.competition_step(actor=w.office, competition=w.competition, step="close_nominations")
    draw_services.draw_run(actor=w.office, competition=w.competition, seed=SEED)
    competition_services.competition_step(actor=w.office, competition=w.competition, step="open_scoring")
    score_all(w)
    result_services.scoring_close(actor=w.office, competition=w.competition)
    result_services.results_publish(actor=w.office, competition=w.competition)
    result_services.award_confer(actor=w.office, competition=w.competition, code="coach", coach_staff_no="L0900")
    clock.move_to(aware(datetime.datetime(2021, 4, 20, 9, 0)))
    result_services.results_release(actor=w.office, competition=w.competition)
    for entry in w.entries.values():
        entry.refresh_from_db()
    refresh(w)


def history_world(w, clock) -> SimpleNamespace:
    u = w.u
    rules_make(u, level=Level.BEIJING, year=2019)
    rules_make(u, level=Level.BEIJING, year=2021)
    h = SimpleNamespace(
        b2017=_beijing(w, 10, 2017, entered=False),
        b2019=_beijing(w, 11, 2019, participants_recorded=30),
        b2021=_beijing(w, 12, 2021, participants_recorded=99, held_on=datetime.date(2021, 7, 10)),
        b2023=_beijing(w, 13, 2023),
    )
    competition_services.competition_link(actor=w.office, competition=w.competition, feeds_into=h.b2021)
    # the archive: 郑师 a contestant of 2019, entered from the record
    h.archive_entry = entry_services.entry_record(
        actor=w.office,
        competition=h.b2019,
        staff_no=w.people["coach"].staff_no,
        group=h.b2019.rules.groups.get(code="humanities-a"),
        course="民事诉讼法",
    )
    result_services.result_record(actor=w.office, competition=h.b2019, entry=h.archive_entry, code="second")
    result_services.results_confirm(actor=w.office, competition=h.b2019)
    result_services.results_confirm(actor=w.office, competition=h.b2017)

    school_round(w, clock)
    recommended = entry_services.entries_recommend(
        actor=w.office, competition=w.competition, entries=[w.entries["zhao"], w.entries["zhou"]]
    )
    h.beijing_entries = {e.person.staff_no: e for e in recommended}
    result_services.result_record(actor=w.office, competition=h.b2021, entry=h.beijing_entries["E1001"], code="first")
    result_services.results_confirm(actor=w.office, competition=h.b2021)

    rules_make(u, year=2023)
    h.school_2023 = competition_services.competition_create(
        actor=w.office, level=Level.UNIVERSITY, year=2023, number=4, title="第四届青年教师教学基本功比赛"
    )
    group = h.school_2023.rules.groups.get(code="humanities-a")
    h.judge_2023 = judging_services.judge_add(actor=w.office, competition=h.school_2023, group=group, login="E1001")
    for competition in (h.b2017, h.b2019, h.b2021, h.b2023, h.school_2023):
        competition.refresh_from_db()
    return h
