"""Mentorship's to-do queues and portal cards, with exact counts: the office's proposals
waiting for their agreement, pairs to assess once the cycle has ended and stipends due not yet
listed (by cohort); a college officer's logged duties to confirm (their college's only) and
proposals not yet agreed; a mentor's or mentee's pair behind on its duties before a term ends;
a member's card with their pair's counters of this cycle year. The same number of queries with
few rows or many."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gonghui.core.registry import todos_for
from gonghui.mentorship.choices import DutyKind
from gonghui.mentorship.services import assessments, cohorts, duties, stipends
from gonghui.mentorship.tests.factories import through
from gonghui.mentorship.workbench import mentorship_cards, mentorship_todos
from gonghui.people.tests.factories import user_make

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


def queues(user) -> dict:
    return {q.key: (q.count, q.url) for q in todos_for(user) if q.key.startswith("mentorship.")}


def log(w, pair, user, course, day=15, kind=DutyKind.OBSERVATION):
    return duties.duty_log(
        actor=user, pair=pair, kind=kind, held_on=datetime.date(2021, 3, day), course=course, hours="2"
    )


def test_proposals_wait_for_the_office_and_the_college(w):
    through(w, "proposed")
    assert queues(w.office) == {"mentorship.proposed": (3, "/mentorship/pairs/?status=proposed")}
    (proposed,) = [q for q in mentorship_todos(w.office) if q.key == "mentorship.proposed"]
    assert (proposed.role, proposed.oldest.date()) == ("校工会工作人员", datetime.date(2021, 3, 15))
    # econ's officer: econ's two proposals; nothing to confirm yet
    assert queues(w.officer) == {"mentorship.college_proposed": (2, "/mentorship/pairs/?status=proposed")}
    # the proposed mentee and a member in no pair: nothing
    assert queues(w.users["mentee"]) == {}
    assert queues(w.users["member"]) == {}
    assert queues(w.users["auditor"]) == {}


def test_logged_duties_wait_for_their_college(w):
    through(w, "running")
    log(w, w.pairs["赵青"], w.users["mentee"], "宏观经济学")
    log(w, w.pairs["赵青"], w.users["mentor"], "微观经济学", kind=DutyKind.DEMONSTRATION)
    confirmed = log(w, w.pairs["钱青"], user_make(username="E2002", person=w.qian), "金融学")
    duties.duty_confirm(actor=w.officer, duty=confirmed)
    log(w, w.pairs["孙青"], user_make(username="L2001", person=w.sunq), "民法总论")
    key = f"mentorship.duties_logged.{w.cohort.pk}"
    assert queues(w.officer) == {
        key: (2, f"/mentorship/{w.cohort.pk}/duties/"),
        "mentorship.college_proposed": (0, "/mentorship/pairs/?status=proposed"),
    }
    (queue,) = [q for q in mentorship_todos(w.officer) if q.key == key]
    assert (queue.title, queue.role) == ("第8期青年教师拜师结对师徒履职记录待确认", "分工会干部")
    # the office confirms through the colleges: none of its queues is about duties
    assert queues(w.office) == {"mentorship.proposed": (0, "/mentorship/pairs/?status=proposed")}


def test_pairs_to_assess_then_stipends_due(w, clock):
    through(w, "running")
    clock.move_to(datetime.datetime(2023, 2, 28, 9, 0, tzinfo=TZ))
    assert queues(w.office) == {"mentorship.proposed": (0, "/mentorship/pairs/?status=proposed")}
    clock.move_to(datetime.datetime(2023, 3, 1, 9, 0, tzinfo=TZ))
    cohort = cohorts.cohort_open_assessment(actor=w.office, cohort=w.cohort)
    to_assess = f"mentorship.to_assess.{cohort.pk}"
    assert queues(w.office)[to_assess] == (3, f"/mentorship/pairs/?cohort={cohort.pk}&status=active")
    assessments.pair_assess(actor=w.office, pair=w.pairs["赵青"], grade_code="passed")
    assessments.pair_assess(actor=w.office, pair=w.pairs["钱青"], grade_code="failed")
    due = f"mentorship.stipends_due.{cohort.pk}"
    assert queues(w.office) == {
        "mentorship.proposed": (0, "/mentorship/pairs/?status=proposed"),
        to_assess: (1, f"/mentorship/pairs/?cohort={cohort.pk}&status=active"),
        due: (1, f"/mentorship/{cohort.pk}/stipends/"),
    }
    (queue,) = [q for q in mentorship_todos(w.office) if q.key == due]
    assert (queue.title, queue.oldest) == ("第8期青年教师拜师结对导师津贴待列入发放表", datetime.date(2023, 3, 1))
    stipends.stipend_batch_create(actor=w.office, cohort=cohort)
    assert due not in queues(w.office)


def test_a_pair_behind_before_the_term_ends(w, clock):
    through(w, "running")
    assert queues(w.users["mentee"]) == {}
    clock.move_to(datetime.datetime(2021, 6, 20, 9, 0, tzinfo=TZ))
    pair = w.pairs["赵青"]
    for who in ("mentee", "mentor"):
        (queue,) = mentorship_todos(w.users[who])
        assert (queue.key, queue.count, queue.url, queue.deadline, queue.role) == (
            f"mentorship.behind.{pair.pk}",
            1,
            f"/mentorship/pairs/{pair.pk}/",
            datetime.date(2021, 7, 5),
            "会员",
        )
        assert queue.title == "学期将于 2021-07-05 结束，本年度履职还差示范课 4、听课 8"
    # after the term end, until the next one comes near: nothing
    clock.move_to(datetime.datetime(2021, 7, 6, 9, 0, tzinfo=TZ))
    assert mentorship_todos(w.users["mentee"]) == []


def test_a_member_in_a_pair_sees_its_counters(w):
    assert mentorship_cards(w.users["mentee"]) == []
    through(w, "agreed")
    (card,) = mentorship_cards(w.users["mentee"])
    pair = w.pairs["赵青"]
    assert (card.title, card.lines, card.url, card.action) == (
        "第8期青年教师拜师结对",
        ("指导教师：孙教授 · 已签协议",),
        f"/mentorship/pairs/{pair.pk}/",
        "查看",
    )
    through_running = cohorts.cohort_start(actor=w.office, cohort=w.cohort, ceremony_on=datetime.date(2021, 3, 12))
    assert through_running.status == "running"
    duties.duty_confirm(actor=w.officer, duty=log(w, pair, w.users["mentee"], "宏观经济学"))
    log(w, pair, w.users["mentor"], "微观经济学", kind=DutyKind.DEMONSTRATION)
    (card,) = mentorship_cards(w.users["mentee"])
    assert (card.lines, card.action) == (
        ("指导教师：孙教授 · 培养中", "第1年度：示范课 0/4（待确认 1），听课 1/8"),
        "记录履职",
    )
    (card,) = mentorship_cards(w.users["mentor"])
    assert card.lines[0] == "青年教师：赵青 · 培养中"
    assert mentorship_cards(w.users["member"]) == []


def test_the_queues_make_the_same_number_of_queries_with_few_rows_or_many(w, clock):
    def count(user) -> int:
        with CaptureQueriesContext(connection) as queries:
            mentorship_todos(user)
        return len(queries)

    count(w.office), count(w.officer)  # their permissions are read (and kept) on the first call
    few = {"office": count(w.office), "officer": count(w.officer)}
    assert few == {"office": 3, "officer": 3}
    through(w, "running")
    log(w, w.pairs["赵青"], w.users["mentee"], "宏观经济学")
    log(w, w.pairs["赵青"], w.users["mentee"], "微观经济学")
    second = cohorts.cohort_create(actor=w.office, number=9, rules=w.rules, starts_on=datetime.date(2021, 9, 1))
    cohorts.cohort_open(actor=w.office, cohort=second)
    assert {"office": count(w.office), "officer": count(w.officer)} == few
