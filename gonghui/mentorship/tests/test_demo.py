"""The demo cohorts, on the full-size demo university (built once, then checked part by part):
seven cohorts by 2021, every two years, with 300+ pairs (six from the archive, the 2021 one run
through the services to its closing; the annual report's figures of 2021 and 2023), the current
cohort mid-cycle with its counters, the demo sign-in 100001 mentoring in it, and a second run
that changes nothing."""

from __future__ import annotations

import datetime
from collections import Counter
from decimal import Decimal

import pytest
from django.utils import timezone

from gonghui.accounts.models import User
from gonghui.accounts.system import system_actor
from gonghui.core.registry import annual_section, demo_builders
from gonghui.mentorship.choices import CohortStatus, DutyStatus, PairSource, PairStatus, StipendKind
from gonghui.mentorship.demo import ARCHIVE, MENTOR_LOGIN, current_start, mentorship_demo_build
from gonghui.mentorship.models import Cohort, DutyLog, Pair, StipendEntry, TeacherProfile
from gonghui.mentorship.selectors.counters import pair_counters
from gonghui.mentorship.selectors.history import FROM_ARCHIVE, FROM_PAIRS, cohort_history
from gonghui.mentorship.selectors.report import cohort_report
from gonghui.people.demo import demo_university_build
from tests.tables import changed_tables, table_counts

pytestmark = pytest.mark.django_db


@pytest.mark.once  # the full-size demo: built once, in the SQLite pass (README)
def test_the_demo_cohorts(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    demo_university_build(scale=1.0)
    line = mentorship_demo_build()
    assert "mentorship" in [builder.name for builder in demo_builders()]
    assert line.startswith("7 cohorts by 2021, ")
    _seven_cohorts_300_pairs()
    _the_2021_cohort()
    _the_current_cohort_mid_cycle()
    _a_second_run_changes_nothing()


def _seven_cohorts_300_pairs():
    history = cohort_history(user=system_actor(), until_year=2021)
    lines = history.lines
    assert [(line.number, line.year, line.source) for line in lines] == [
        *((number, year, FROM_ARCHIVE) for number, year, _pairs in ARCHIVE),
        (7, 2021, FROM_PAIRS),
    ]
    assert [line.pairs for line in lines[:6]] == [pairs for *_rest, pairs in ARCHIVE]
    assert history.cohorts == 7
    assert history.pairs >= 300
    assert history.pairs == 267 + Pair.objects.filter(cohort__number=7).count()
    # every cohort, the current one too
    assert cohort_history(user=system_actor()).cohorts == 8
    # every two years: 2009, 2011 … 2021
    assert [line.year for line in lines] == list(range(2009, 2022, 2))
    # the annual report's figures of 2021: "共组织了七届，300多对"
    section = annual_section(system_actor(), "mentorship", 2021)
    values = {figure.key: figure.value for figure in section.figures}
    seven = Pair.objects.filter(cohort__number=7).count()
    assert values == {
        "mentorship.cohorts_total": 7,
        "mentorship.pairs_total": 267 + seven,
        "mentorship.cohort_pairs": seven,
    }
    assert 300 < values["mentorship.pairs_total"] < 400
    assert annual_section(system_actor(), "mentorship", 2008) is None


def _the_2021_cohort():
    seven = Cohort.objects.get(number=7)
    assert (seven.status, seven.starts_on, seven.ends_on, seven.ceremony_on) == (
        CohortStatus.CLOSED,
        datetime.date(2021, 9, 1),
        datetime.date(2023, 8, 31),
        datetime.date(2021, 9, 10),
    )
    pairs = list(Pair.objects.filter(cohort=seven))
    sources = Counter(p.source for p in pairs)
    assert sources[PairSource.COLLEGE] == 2
    assert sources[PairSource.ASSIGNMENT] == len(pairs) - 2
    assert {p.agreement_signed_on for p in pairs} == {datetime.date(2021, 9, 6)}
    statuses = Counter(p.status for p in pairs)
    assert statuses[PairStatus.FAILED] == 1
    assert statuses[PairStatus.PASSED] == len(pairs) - 1
    figures = cohort_report(user=system_actor(), cohort=seven).figures
    grades = {g["code"]: g["count"] for g in figures["outcomes"]["grades"]}
    basic = grades["basic"]
    assert basic >= 2
    assert grades == {"passed": len(pairs) - basic, "basic": basic, "failed": 0}
    assert figures["outcomes"]["extension"] == {"passed": basic - 1, "failed": 1, "waiting": 0}
    # stipends: 1,200 a pass, 600 a 基本合格 and 600 more after a passed extension, to the cent
    expected = Decimal(1200) * (len(pairs) - basic) + Decimal(600) * basic + Decimal(600) * (basic - 1)
    assert figures["stipends"]["paid"] == expected.quantize(Decimal("0.01"))
    assert sum(e.amount for e in StipendEntry.objects.filter(pair__cohort=seven, kind=StipendKind.PAYMENT)) == expected
    # the annual report of 2023, when its cycle ended: the pairs' final outcomes
    values = {f.key: f.value for f in annual_section(system_actor(), "mentorship", 2023).figures}
    assert values == {
        "mentorship.cohorts_total": 7,
        "mentorship.pairs_total": 267 + len(pairs),
        "mentorship.ending_pairs": len(pairs),
        "mentorship.passed": len(pairs) - 1,
        "mentorship.basically_passed": 0,
        "mentorship.extended": 0,
        "mentorship.failed": 1,
        "mentorship.not_assessed": 0,
        "mentorship.ended_early": 0,
    }
    # the duties: every pair met every requirement in year 1, the short ones not in year 2
    for college in figures["duties"]["by_college"]:
        first, second = college["years"]
        assert first["all"] == college["pairs"]
    assert sum(c["years"][1]["all"] for c in figures["duties"]["by_college"]) == len(pairs) - basic
    assert DutyLog.objects.filter(pair__cohort=seven).exclude(status=DutyStatus.CONFIRMED).count() == 0


def _the_current_cohort_mid_cycle():
    current = Cohort.objects.get(number=8)
    today = timezone.localdate()
    assert current.status == CohortStatus.RUNNING
    assert current.starts_on == current_start(today)
    assert current.starts_on < today < current.ends_on
    pairs = list(Pair.objects.filter(cohort=current).select_related("mentor"))
    assert len(pairs) >= 6
    assert {p.status for p in pairs} == {PairStatus.ACTIVE}
    # the demo sign-in 100001 mentors one of them, proposed by her college's officer
    (mine,) = [p for p in pairs if p.mentor.staff_no == MENTOR_LOGIN]
    assert (mine.source, mine.proposed_by.username) == (PairSource.COLLEGE, "100002")
    assert User.objects.get(username=MENTOR_LOGIN).person_id == mine.mentor_id
    year1 = pair_counters(mine)[0]
    counters = {c.kind: (c.required, c.confirmed + c.pending) for c in year1.counters}
    assert counters == {"demonstration": (4, 3), "observation": (8, 6)}
    # the last three weeks' duties wait for the college; the rest are confirmed
    duties = DutyLog.objects.filter(pair__cohort=current)
    waiting = duties.filter(status=DutyStatus.LOGGED)
    assert waiting.exists()
    assert not waiting.filter(held_on__lt=today - datetime.timedelta(days=21)).exists()
    assert duties.filter(status=DutyStatus.CONFIRMED).count() + waiting.count() == duties.count() == 9 * len(pairs)
    assert TeacherProfile.objects.filter(person__staff_no=MENTOR_LOGIN, title="副教授").exists()


def _a_second_run_changes_nothing():
    before = table_counts()
    assert mentorship_demo_build() == ""
    assert changed_tables(before, table_counts()) == {}
