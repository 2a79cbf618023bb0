"""Mentorship pairing's section of the annual report (annual.py), through the services:
第1期 (2009, 40 pairs) and 第2期 (2011, 45) from the archive; 第八期 (factories.py: cycle
2021-03-01 … 2023-02-28) run with its three pairs and assessed on 2023-03-01 — 赵青 合格,
钱青 基本合格 (extended), 孙青 不合格 — then 钱青's extension passed on 2023-09-01."""

import datetime

import pytest

from gonghui.accounts.system import system_actor
from gonghui.core.registry import annual_figure, annual_section
from gonghui.mentorship.annual import mentorship_annual_section
from gonghui.mentorship.services import assessments, cohorts
from gonghui.mentorship.tests.factories import through

pytestmark = pytest.mark.django_db

D = datetime.date


def _archive(w) -> None:
    for number, year, count in ((1, 2009, 40), (2, 2011, 45)):
        cohort = cohorts.cohort_create(
            actor=w.office,
            number=number,
            rules=w.rules,
            starts_on=D(year, 9, 1),
            ceremony_on=D(year, 9, 10),
            pairs_recorded=count,
        )
        cohorts.cohort_record(actor=w.office, cohort=cohort)


def _assessed(w, clock) -> None:
    through(w, "running")
    clock.move_to(datetime.datetime(2023, 3, 1, 9, 0))
    cohorts.cohort_open_assessment(actor=w.office, cohort=w.cohort)
    for name, grade in (("赵青", "passed"), ("钱青", "basic"), ("孙青", "failed")):
        assessments.pair_assess(actor=w.office, pair=w.pairs[name], grade_code=grade)


def _values(year: int) -> dict | None:
    section = mentorship_annual_section(system_actor(), year)
    return None if section is None else {figure.key: figure.value for figure in section.figures}


def test_the_years_of_the_cohorts(w, clock):
    _archive(w)
    _assessed(w, clock)
    assert _values(2008) is None  # no cohort yet
    assert _values(2010) == {"mentorship.cohorts_total": 1, "mentorship.pairs_total": 40}
    # 第1期's cycle ends in 2011, but the archive records no outcomes
    assert _values(2011) == {
        "mentorship.cohorts_total": 2,
        "mentorship.pairs_total": 85,
        "mentorship.cohort_pairs": 45,
    }
    assert _values(2021) == {
        "mentorship.cohorts_total": 3,
        "mentorship.pairs_total": 88,
        "mentorship.cohort_pairs": 3,
    }
    assert _values(2022) == {"mentorship.cohorts_total": 3, "mentorship.pairs_total": 88}
    outcomes = {
        "mentorship.cohorts_total": 3,
        "mentorship.pairs_total": 88,
        "mentorship.ending_pairs": 3,
        "mentorship.passed": 1,
        "mentorship.basically_passed": 1,
        "mentorship.extended": 0,
        "mentorship.failed": 1,
        "mentorship.not_assessed": 0,
        "mentorship.ended_early": 0,
    }
    assert _values(2023) == outcomes
    section = mentorship_annual_section(system_actor(), 2023)
    assert section.title == "青年教师拜师结对"
    assert [(f.label, f.unit) for f in section.figures] == [
        ("已组织拜师结对", "期"),
        ("历届结对", "对"),
        ("本年期满结对", "对"),
        ("合格", "对"),
        ("基本合格", "对"),
        ("延期考核", "对"),
        ("不合格", "对"),
        ("未考核", "对"),
        ("提前结束", "对"),
    ]
    pairs, results = section.charts
    assert (pairs.labels, pairs.series[0][1]) == (("第1期（2009）", "第2期（2011）", "第8期（2021）"), (40, 45, 3))
    assert (results.kind, results.labels, results.series[0][1]) == ("pie", ("合格", "基本合格", "不合格"), (1, 1, 1))

    # 钱青's extension passed: the year's outcomes follow the pairs' final states
    clock.move_to(datetime.datetime(2023, 9, 1, 9, 0))
    assessments.pair_reassess(actor=w.office, pair=w.pairs["钱青"], passed=True)
    assert _values(2023) == outcomes | {"mentorship.passed": 2, "mentorship.basically_passed": 0}
    assert annual_figure(system_actor(), "mentorship.passed", 2023).value == 2
    assert annual_figure(system_actor(), "mentorship.passed", 2022) is None  # no cycle ended in 2022
    assert annual_figure(system_actor(), "mentorship.pairs_total", 2021).unit == "对"


def test_no_cohort_by_the_year_no_section(w):
    # 第八期 is a draft: no cohort has been announced
    assert mentorship_annual_section(system_actor(), 2021) is None
    assert annual_section(system_actor(), "mentorship", 2021) is None
    assert annual_figure(system_actor(), "mentorship.cohorts_total", 2021) is None
    through(w, "matching")
    assert _values(2021) == {
        "mentorship.cohorts_total": 1,
        "mentorship.pairs_total": 0,
        "mentorship.cohort_pairs": 0,
    }
    assert _values(2020) is None
