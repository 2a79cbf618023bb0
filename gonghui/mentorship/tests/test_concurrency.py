"""Concurrency on PostgreSQL (skipped on SQLite): two proposals at the same instant for a
mentor's last place, or for the same new teacher, keep one pair; two confirmations of a duty
confirm it once.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gh_tests .venv/bin/python -m pytest \\
        gonghui/mentorship/tests/test_concurrency.py -q
"""

from __future__ import annotations

import datetime

import pytest

from gonghui.mentorship.choices import DutyKind, PairStatus
from gonghui.mentorship.models import DutyLogEvent, Pair
from gonghui.mentorship.services import duties
from gonghui.mentorship.services.pairs import pair_propose
from gonghui.mentorship.tests.factories import through
from tests.concurrency import at_once, postgresql_only  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("postgresql_only")]


def test_proposals_and_confirmations_at_the_same_instant(w):
    through(w, "matching")
    # 孙教授 has one place: 赵青 and 钱青 (both 经济学) proposed for it at once.
    outcomes = at_once(
        lambda: pair_propose(actor=w.office, cohort=w.cohort, mentor=w.sun, mentee=w.zhao),
        lambda: pair_propose(actor=w.officer, cohort=w.cohort, mentor=w.sun, mentee=w.qian),
    )
    assert sorted(outcomes) == ["ok", "不能结对：指导教师孙教授：本期已带 1 人，达到上限 1 人。"]
    assert Pair.objects.filter(mentor=w.sun).count() == 1

    # The same pair proposed twice at once (the college and the office): one pair.
    outcomes = at_once(
        lambda: pair_propose(actor=w.office, cohort=w.cohort, mentor=w.zheng, mentee=w.sunq),
        lambda: pair_propose(actor=w.office, cohort=w.cohort, mentor=w.zheng, mentee=w.sunq),
    )
    assert sorted(outcomes) == [
        "ok",
        "不能结对：指导教师郑教授：本期已带 1 人，达到上限 1 人。青年教师孙青：本期已有结对。",
    ]
    assert Pair.objects.filter(mentee=w.sunq, status=PairStatus.PROPOSED).count() == 1


def test_a_duty_confirmed_twice_at_once_is_confirmed_once(w):
    through(w, "running")
    duty = duties.duty_log(
        actor=w.users["mentee"],
        pair=w.pairs["赵青"],
        kind=DutyKind.OBSERVATION,
        held_on=datetime.date(2021, 3, 15),
        course="宏观经济学",
        hours=2,
    )
    outcomes = at_once(
        lambda: duties.duty_confirm(actor=w.officer, duty=duty),
        lambda: duties.duty_confirm(actor=w.office, duty=duty),
    )
    assert sorted(outcomes) == ["ok", "履职记录当前状态为“已确认”，不能进行“确认”。"]
    assert DutyLogEvent.objects.filter(subject=duty, step="confirm").count() == 1
