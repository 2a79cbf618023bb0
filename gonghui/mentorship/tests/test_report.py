"""A cohort's report and the history across cohorts, with exact figures: the selectors, the
`mentorship_report` command (json, text, xlsx; --history) and the two report pages with their
charts.

The cohort (第八期, factories.py) runs with its three pairs: 赵青←孙教授 and 钱青←周副教授 (经济学院),
孙青←郑教授 (法学院). Duties, all confirmed but one observation of 钱青's:
- 赵青: year 1 4 demonstrations and 8 observations (every requirement), year 2 4 demonstrations;
- 钱青: year 1 4 demonstrations, 1 observation waiting for the college;
- 孙青: year 1 3 demonstrations and 8 observations.
Graded on 2023-03-01: 赵青 合格 (1,200), 钱青 基本合格 (600, then 600 after the extension),
孙青 不合格; the stipends paid in two batches, then 赵青's 1,200 reversed."""

from __future__ import annotations

import datetime
import io
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from gonghui.accounts.system import system_actor
from gonghui.core.reports import plain
from gonghui.mentorship.choices import DutyKind, DutyStatus, StipendKind, TitleRank
from gonghui.mentorship.models import DutyLog, Pair, StipendEntry
from gonghui.mentorship.selectors.history import FROM_ARCHIVE, FROM_PAIRS, cohort_history, history_report
from gonghui.mentorship.selectors.report import cohort_report
from gonghui.mentorship.services import assessments, cohorts, duties, pairs, stipends
from gonghui.mentorship.tests.factories import agreement_file, teacher_make, through
from gonghui.people.tests.factories import user_make
from tests.charts import page_charts
from tests.tables import changed_tables, table_counts

pytestmark = pytest.mark.django_db

D = datetime.date
DEMO, OBS = DutyKind.DEMONSTRATION, DutyKind.OBSERVATION


def _log(user, pair, kind, days, course):
    return [
        duties.duty_log(actor=user, pair=pair, kind=kind, held_on=day, course=f"{course}{n}", hours="2")
        for n, day in enumerate(days, start=1)
    ]


def _months(year: int, months, day: int = 10):
    return [D(year, month, day) for month in months]


def running(w, clock):
    """The cohort running, its duties logged on 2022-12-01 and confirmed (one left waiting)."""
    through(w, "running")
    zhao, qian, sunq = (w.pairs[name] for name in ("赵青", "钱青", "孙青"))
    qian_user = user_make(username="E2002", person=w.qian)
    sunq_user = user_make(username="L2001", person=w.sunq)
    clock.move_to(datetime.datetime(2022, 12, 1, 9, 0))
    _log(w.users["mentor"], zhao, DEMO, _months(2021, (4, 5, 6, 9)), "示范")
    _log(w.users["mentee"], zhao, OBS, _months(2021, (4, 5, 6, 7, 9, 10, 11, 12)), "听课")
    _log(w.users["mentor"], zhao, DEMO, _months(2022, (4, 5, 6, 9)), "第二年示范")
    _log(qian_user, qian, DEMO, _months(2021, (4, 5, 6, 9)), "示范")
    (waiting,) = _log(qian_user, qian, OBS, [D(2021, 4, 12)], "听课")
    _log(sunq_user, sunq, DEMO, _months(2021, (4, 5, 6)), "示范")
    _log(sunq_user, sunq, OBS, _months(2021, (4, 5, 6, 7, 9, 10, 11, 12)), "听课")
    duties.duties_confirm(actor=w.office, duties=DutyLog.objects.exclude(pk=waiting.pk))
    return w


def graded(w, clock):
    """…then assessed, the stipends paid and one payment reversed."""
    running(w, clock)
    zhao, qian, sunq = (w.pairs[name] for name in ("赵青", "钱青", "孙青"))
    clock.move_to(datetime.datetime(2023, 3, 1, 9, 0))
    cohorts.cohort_open_assessment(actor=w.office, cohort=w.cohort)
    assessments.pair_assess(actor=w.office, pair=zhao, grade_code="passed")
    assessments.pair_assess(actor=w.office, pair=qian, grade_code="basic")
    assessments.pair_assess(actor=w.office, pair=sunq, grade_code="failed")
    first = stipends.stipend_batch_create(actor=w.office, cohort=w.cohort)
    stipends.stipend_batch_mark_paid(actor=w.office, batch=first, paid_on=D(2023, 3, 20))
    clock.move_to(datetime.datetime(2023, 9, 1, 9, 0))
    assessments.pair_reassess(actor=w.office, pair=qian, passed=True)
    second = stipends.stipend_batch_create(actor=w.office, cohort=w.cohort)
    stipends.stipend_batch_mark_paid(actor=w.office, batch=second, paid_on=D(2023, 9, 20))
    payment = StipendEntry.objects.get(pair=zhao, kind=StipendKind.PAYMENT)
    stipends.stipend_reverse(actor=w.office, entry=payment, reason="重复发放")
    return w


def _year(index, start, end, demo, obs, everything):
    return {"year": index, "starts_on": start, "ends_on": end, "met": {DEMO: demo, OBS: obs}, "all": everything}


YEARS = ((1, D(2021, 3, 1), D(2022, 2, 28)), (2, D(2022, 3, 1), D(2023, 2, 28)))
NO_KINDS = {"demonstration": 0, "observation": 0, "meeting": 0}


def test_a_running_cohort(w, clock):
    running(w, clock)
    figures = cohort_report(user=system_actor(), cohort=w.cohort).figures
    summary = figures["summary"]
    assert (summary["pairs"], summary["agreed"], summary["active"]) == (3, 3, 3)
    assert (summary["mentees"], summary["mentors"], summary["colleges"]) == (3, 3, 2)
    assert {k: v for k, v in summary["by_status"].items() if v} == {"active": 3}
    assert {k: v for k, v in summary["by_source"].items() if v} == {"college": 3}
    assert figures["duties"]["requirements"] == {"demonstration": 4, "observation": 8, "meeting": 0}
    assert figures["duties"]["confirmed"] == {"demonstration": 15, "observation": 16, "meeting": 0}
    assert figures["duties"]["pending"] == {"demonstration": 0, "observation": 1, "meeting": 0}
    assert figures["duties"]["by_college"] == [
        {
            "college": "经济学院分工会",
            "pairs": 2,
            "years": [_year(*YEARS[0], 2, 1, 1), _year(*YEARS[1], 1, 0, 0)],
            "confirmed": {"demonstration": 12, "observation": 8, "meeting": 0},
        },
        {
            "college": "法学院分工会",
            "pairs": 1,
            "years": [_year(*YEARS[0], 0, 1, 0), _year(*YEARS[1], 0, 0, 0)],
            "confirmed": {"demonstration": 3, "observation": 8, "meeting": 0},
        },
    ]
    assert figures["outcomes"]["assessed"] == 0
    assert figures["stipends"]["paid"] == Decimal("0.00")


def test_a_graded_cohort_to_the_cent(w, clock):
    graded(w, clock)
    figures = cohort_report(user=system_actor(), cohort=w.cohort).figures
    assert {k: v for k, v in figures["summary"]["by_status"].items() if v} == {"passed": 2, "failed": 1}
    assert figures["summary"]["active"] == 0
    assert figures["outcomes"] == {
        "assessed": 3,
        "grades": [
            {"code": "passed", "label": "合格", "outcome": "passed", "count": 1},
            {"code": "basic", "label": "基本合格", "outcome": "basically_passed", "count": 1},
            {"code": "failed", "label": "不合格", "outcome": "failed", "count": 1},
        ],
        "extension": {"passed": 1, "failed": 0, "waiting": 0},
        "not_assessed": 0,
    }
    assert figures["stipends"] == {
        "payment": Decimal("2400.00"),
        "reversal": Decimal("-1200.00"),
        "paid": Decimal("1200.00"),
        "entries": 4,
        "mentors": 2,
        "by_stage": {"cycle": Decimal("600.00"), "extension": Decimal("600.00")},
        "due": Decimal("0.00"),
    }
    assert figures["stipends"]["paid"] == sum(e.amount for e in StipendEntry.objects.all())


def test_a_college_officer_reads_their_college(w, clock):
    running(w, clock)
    figures = cohort_report(user=w.officer, cohort=w.cohort).figures
    assert (figures["summary"]["pairs"], figures["summary"]["colleges"]) == (2, 1)
    assert [c["college"] for c in figures["duties"]["by_college"]] == ["经济学院分工会"]
    assert figures["duties"]["confirmed"] == {"demonstration": 12, "observation": 8, "meeting": 0}


def test_a_changed_mentor_is_one_pair_and_its_duties_count_on(w, clock):
    """赵青's mentor changes on 2021-07-01: the pair before and after are one in the duties."""
    through(w, "running")
    feng = teacher_make(
        "E1104", "冯教授", w.econ, born=D(1966, 1, 1), title="教授", rank=TitleRank.SENIOR, discipline="经济学",
        field="宏观经济", campus="海淀", hired=D(1995, 7, 1), since=D(1995, 9, 1),
    )  # fmt: skip
    feng_user = user_make(username="E1104", person=feng)
    clock.move_to(datetime.datetime(2021, 7, 1, 9, 0))
    _log(w.users["mentee"], w.pairs["赵青"], OBS, _months(2021, (4, 5, 6)), "听课")
    successor = pairs.pair_change_mentor(
        actor=w.office, pair=w.pairs["赵青"], mentor=feng, reason="原导师出国", on=D(2021, 7, 1)
    )
    successor = pairs.pair_agree(
        actor=w.office, pair=successor, signed_on=D(2021, 7, 1), uploaded_file=agreement_file()
    )
    clock.move_to(datetime.datetime(2021, 12, 20, 9, 0))
    _log(feng_user, successor, OBS, _months(2021, (7, 9, 10, 11, 12)), "听课")
    duties.duties_confirm(actor=w.office, duties=DutyLog.objects.all())
    figures = cohort_report(user=system_actor(), cohort=w.cohort).figures
    econ = figures["duties"]["by_college"][0]
    assert (econ["college"], econ["pairs"], econ["years"][0]["met"]) == ("经济学院分工会", 2, {DEMO: 0, OBS: 1})
    assert figures["summary"]["pairs"] == 4  # the ended pair and its successor, as rows
    assert figures["summary"]["mentees"] == 3
    assert {k: v for k, v in figures["summary"]["by_source"].items() if v} == {"college": 3, "change": 1}
    (line,) = cohort_history(user=system_actor()).lines
    assert (line.pairs, line.source, line.outcomes) == (3, FROM_PAIRS, {"active": 3})


def _archive(w):
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


def test_the_history_across_cohorts(w, clock):
    _archive(w)
    graded(w, clock)
    history = cohort_history(user=system_actor())
    assert [(line.number, line.year, line.pairs, line.source, line.outcomes) for line in history.lines] == [
        (1, 2009, 40, FROM_ARCHIVE, {}),
        (2, 2011, 45, FROM_ARCHIVE, {}),
        (8, 2021, 3, FROM_PAIRS, {"passed": 2, "failed": 1}),
    ]
    assert (history.cohorts, history.pairs, history.recorded_pairs, history.counted_pairs) == (3, 88, 85, 3)
    until = cohort_history(user=system_actor(), until_year=2020)
    assert (until.cohorts, until.pairs) == (2, 85)
    figures = history_report(user=system_actor(), until_year=2021).figures
    assert (figures["cohorts"], figures["pairs"], figures["outcomes"]) == (3, 88, {"passed": 2, "failed": 1})
    assert figures["lines"][0] == {
        "number": 1,
        "name": "第1期青年教师拜师结对",
        "status": "closed",
        "starts_on": D(2009, 9, 1),
        "ends_on": D(2011, 8, 31),
        "ceremony_on": D(2009, 9, 10),
        "ceremony_place": "",
        "pairs": 40,
        "source": FROM_ARCHIVE,
        "outcomes": {},
    }
    # a member sees the same figures of the announced cohorts (no names in them)
    member = history_report(user=w.users["member"]).figures
    assert (member["cohorts"], member["pairs"]) == (3, 88)


# --- the command ----------------------------------------------------------------------------


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_the_command_prints_every_figure(w, clock, tmp_path):
    _archive(w)
    graded(w, clock)
    actor = system_actor()  # the command's actor, made once
    before = table_counts()
    printed = json.loads(run("mentorship_report", "--cohort", "8", "--format", "json"))
    assert printed == plain(cohort_report(user=actor, cohort=w.cohort).figures)
    assert printed["stipends"]["paid"] == "1200.00"
    assert printed["summary"]["by_status"]["passed"] == 2
    text = run("mentorship_report", "--cohort", "8", "--format", "text")
    assert "导师津贴（元）\t实发合计\t1200.00" in text.splitlines()
    history = json.loads(run("mentorship_report", "--history", "--until-year", "2011"))
    assert (history["cohorts"], history["pairs"]) == (2, 85)
    out = tmp_path / "report.xlsx"
    run("mentorship_report", "--cohort", "8", "--format", "xlsx", "--output", str(out))
    sheet = load_workbook(out).active
    assert ("导师津贴（元）", "实发合计", 1200) in [tuple(r) for r in sheet.iter_rows(values_only=True)]
    with pytest.raises(CommandError):
        run("mentorship_report", "--cohort", "99")
    with pytest.raises(CommandError):
        run("mentorship_report", "--cohort", "8", "--until-year", "2021")
    assert changed_tables(before, table_counts()) == {}


# --- the pages ------------------------------------------------------------------------------


def test_the_cohort_report_page(client, w, clock):
    graded(w, clock)
    client.force_login(w.office)
    response = client.get(reverse("mentorship:report"), {"year": 2021})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="stipends-paid">1,200.00 元<' in html
    assert ('data-testid="pairs">3<' in html, 'data-testid="active">0<' in html) == (True, True)
    charts = page_charts(html)
    assert list(charts) == ["status", "duties", "grades", "stipends"]
    assert (charts["status"]["categories"], charts["status"]["series"][0]["data"]) == (["合格", "不合格"], [2, 1])
    assert charts["duties"]["categories"] == ["经济学院分工会", "法学院分工会"]
    assert [(s["name"], s["data"]) for s in charts["duties"]["series"]] == [("示范课", [12, 3]), ("听课", [8, 8])]
    assert charts["grades"]["series"][0]["data"] == [1, 1, 1]
    assert (charts["stipends"]["format"], charts["stipends"]["series"][0]["data"]) == ("yuan", [600, 600])
    export = client.get(reverse("mentorship:report"), {"year": 2021, "export": "xlsx"})
    rows = [tuple(r) for r in load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True)]
    assert ("导师津贴（元）", "发放", 2400) in rows
    # a year with no cohort: said so, no chart
    empty = client.get(reverse("mentorship:report"), {"year": 2015}).content.decode()
    assert "这一年没有开始的拜师结对期次" in empty
    assert page_charts(empty) == {}


def test_the_officer_sees_their_college_on_the_page(client, w, clock):
    running(w, clock)
    client.force_login(w.officer)
    html = client.get(reverse("mentorship:report"), {"year": 2021}).content.decode()
    assert page_charts(html)["duties"]["categories"] == ["经济学院分工会"]
    assert 'data-testid="pairs">2<' in html


def test_the_history_page(client, w, clock):
    _archive(w)
    through(w, "running")
    client.force_login(w.office)
    html = client.get(reverse("mentorship:report_history")).content.decode()
    assert "3 期，结对 88 对" in html
    assert page_charts(html)["pairs"]["series"][0]["data"] == [40, 45, 3]
    until = client.get(reverse("mentorship:report_history"), {"until": "2011"}).content.decode()
    assert "2 期，结对 85 对" in until
    export = client.get(reverse("mentorship:report_history"), {"until": "2011", "export": "xlsx"})
    rows = [tuple(r) for r in load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True)]
    assert ("合计", "结对数", 85) in rows
    assert DutyLog.objects.filter(status=DutyStatus.CONFIRMED).count() == 0
    assert Pair.objects.count() == 3
