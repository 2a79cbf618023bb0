"""The demo competitions, on the full-size demo university (built once, then checked part by
part): twelve Beijing editions, eight entered, 408 teachers, 优秀组织奖 three times; the 2021
school round run through the services at its dates to its certificates; Beijing 2021 with the
bulletin's awards by college, and the annual report's figures of 2021; the professor who
competed in 2005 and coaches in 2021; this year's round being scored, the chief judge's sheets
still to do; the demo sign-ins; a second run changes nothing."""

from __future__ import annotations

import datetime
from collections import Counter
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db.models import F
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gonghui.accounts.models import User
from gonghui.accounts.system import system_actor
from gonghui.competitions.choices import AwardKind, CompetitionStatus, EntryStatus, Level, SheetStatus
from gonghui.competitions.demo import BULLETIN_NAMES, NOW_NUMBER, SEED, competitions_demo_build, now_year
from gonghui.competitions.models import (
    Award,
    Certificate,
    Competition,
    CompetitionEvent,
    Entry,
    EntryMaterial,
    Judge,
    ScoreAmendment,
    ScoreSheet,
)
from gonghui.competitions.selectors.history import (
    COACH,
    CONTESTANT,
    FROM_ARCHIVE,
    FROM_ENTRIES,
    award_college_id,
    college_names,
    later_achievements,
    level_history,
    person_history,
)
from gonghui.competitions.selectors.judging import conflict, judge_queue, judgeships
from gonghui.competitions.services.draw import draw_verify
from gonghui.core.editions import EditionStatus
from gonghui.core.registry import annual_section, demo_builders
from gonghui.people.demo import DEMO_PASSWORD, demo_university_build
from tests.tables import changed_tables, table_counts

pytestmark = pytest.mark.django_db

BEIJING = datetime.timezone(datetime.timedelta(hours=8))
LIT, STAT, LAW = "文学院分工会", "统计学院分工会", "法学院分工会"
SUMMARY = (
    "12 Beijing editions, entered 8, 408 teachers; 2021 school round: 16 contestants, 106 score sheets, "
    "23 certificates; Beijing 2021: 6 awards recorded; now: 第九届青年教师教学基本功比赛 (%(year)s) being scored, "
    "6 contestants, 15 sheets in"
)


def _at(*parts):
    return datetime.datetime(*parts, tzinfo=BEIJING)


@pytest.mark.once  # the full-size demo: built once, in the SQLite pass (README)
def test_the_demo_competitions(settings, tmp_path):
    """Built once (the full-size demo university first), then checked part by part."""
    settings.MEDIA_ROOT = str(tmp_path)
    demo_university_build(scale=1.0)
    line = competitions_demo_build()
    demo = SimpleNamespace(
        line=line,
        school=Competition.objects.get(level=Level.UNIVERSITY, year=2021),
        beijing=Competition.objects.get(level=Level.BEIJING, number=12),
        now=Competition.objects.get(level=Level.UNIVERSITY, number=NOW_NUMBER),
        office=User.objects.get(username="office"),
    )
    _registered_and_summed_up(demo)
    _twelve_beijing_editions_eight_entered_408_teachers(demo)
    _the_2021_school_round(demo)
    _beijing_2021_as_the_bulletin_has_it(demo)
    _the_annual_figures_of_2021(demo)
    _the_coach_once_competed(demo)
    _the_round_being_scored_now(demo)
    _the_demo_sign_ins(demo)
    _a_second_run_changes_nothing()


def _registered_and_summed_up(demo):
    assert "competitions" in [builder.name for builder in demo_builders()]
    assert demo.line == SUMMARY % {"year": now_year()}


def _twelve_beijing_editions_eight_entered_408_teachers(demo):
    beijing = level_history(user=demo.office, level=Level.BEIJING)
    assert [(line.number, line.year, line.entered, line.participants, line.source) for line in beijing.editions] == [
        (1, 1995, False, None, ""),
        (2, 1997, False, None, ""),
        (3, 1999, False, None, ""),
        (4, 2002, False, None, ""),
        (5, 2005, True, 40, FROM_ARCHIVE),
        (6, 2008, True, 46, FROM_ARCHIVE),
        (7, 2011, True, 53, FROM_ARCHIVE),
        (8, 2013, True, 58, FROM_ARCHIVE),
        (9, 2015, True, 62, FROM_ARCHIVE),
        (10, 2017, True, 64, FROM_ARCHIVE),
        (11, 2019, True, 69, FROM_ARCHIVE),
        (12, 2021, True, 16, FROM_ENTRIES),  # the 2021 school round's sixteen
    ]
    assert (beijing.held, beijing.entered, beijing.teachers) == (12, 8, 408)
    assert beijing.editions[0].competition.title == "第一届北京高校青年教师教学基本功比赛"
    assert [p.label for p in beijing.editions[4].prizes] == ["人文科学类A组二等奖", "优秀组织奖"]
    # "多次获得优秀组织奖": 第五届, 第八届 and 第十一届
    assert [(line.number, [p.label for p in line.prizes]) for line in beijing.editions if line.number in (8, 11)] == [
        (8, ["优秀组织奖"]),
        (11, ["优秀组织奖"]),
    ]
    assert sorted(
        Award.objects.filter(competition__level=Level.BEIJING, kind=AwardKind.ORGANISATION).values_list(
            "competition__number", "recipient"
        )
    ) == [(5, "示范大学"), (8, "示范大学"), (11, "示范大学")]
    # every one confirmed (recorded), so that every member reads the same figures
    assert set(Competition.objects.filter(level=Level.BEIJING).values_list("status", flat=True)) == {
        CompetitionStatus.RECORDED
    }
    member = User.objects.get(username="100001")
    seen = level_history(user=member, level=Level.BEIJING)
    assert (seen.held, seen.entered, seen.teachers) == (12, 8, 408)
    # the office's history page (历届统计) reads the same line
    client = Client()
    client.force_login(demo.office)
    page = client.get(reverse("competitions:history_overview")).content.decode()
    totals = f'data-testid="level-totals">举办 12 届，参赛 8 届，408 人次 · 获奖 {beijing.prizes} 项</p>'
    assert totals in page[page.index('data-testid="level-beijing"') :]
    # the rules entered: 第五届's, 第八届's and 第十一届's (the archive) and 第十二届's
    assert list(
        Competition.objects.filter(level=Level.BEIJING, rules__isnull=False).values_list("number", flat=True)
    ) == [12, 11, 8, 5]


def _the_2021_school_round(demo):
    school = demo.school
    rules = school.rules
    assert (school.number, school.title, school.status, school.feeds_into_id) == (
        8,
        "第八届青年教师教学基本功比赛",
        CompetitionStatus.RELEASED,
        demo.beijing.pk,
    )
    assert (rules.status, rules.resolution, rules.adopted_on, rules.born_on_or_after) == (
        EditionStatus.ADOPTED,
        "校工会〔2021〕5号",
        datetime.date(2021, 3, 10),
        datetime.date(1981, 1, 1),
    )
    assert (rules.quota_per, rules.quota_bonus, rules.lesson_plans_required, rules.lesson_minutes) == (20, 1, 5, 50)
    assert [(p.code, p.label, p.weight) for p in rules.parts.all()] == [
        ("design", "教学设计", 20),
        ("classroom", "课堂教学", 75),
        ("reflection", "教学反思", 5),
    ]
    assert [str(g) for g in rules.groups.all()] == ["人文科学类A组", "自然科学类A组"]
    # each step at its date; the nominations closed by the system actor at their deadline
    assert [
        school.nominations_opened_at,
        school.drawn_at,
        school.scoring_opened_at,
        school.scored_at,
        school.publicity_started_at,
        school.released_at,
    ] == [
        _at(2021, 3, 15, 10),
        _at(2021, 5, 7, 9),
        _at(2021, 5, 8, 8, 30),
        _at(2021, 5, 8, 18),
        _at(2021, 5, 10, 9),
        _at(2021, 5, 17, 9),
    ]
    closed = CompetitionEvent.objects.get(subject=school, step="close_nominations")
    assert (closed.actor.username, closed.at) == ("system", _at(2021, 4, 9, 17, 5))

    # sixteen contestants of twelve colleges, young teachers of the roster, 经济学院's by its officer
    entries = list(school.entries.select_related("person", "college", "coach", "nominated_by"))
    assert Counter(e.college.code for e in entries) == {
        "LIT": 2,
        "LAW": 2,
        "ECON": 2,
        "CS": 2,
        "STAT": 1,
        "FL": 1,
        "JOUR": 1,
        "HIST": 1,
        "FIN": 1,
        "MARX": 1,
        "MGMT": 1,
        "MATH": 1,
    }
    assert all(e.person.birth_date >= datetime.date(1981, 1, 1) for e in entries)
    assert {e.nominated_by.username for e in entries if e.college.code == "ECON"} == {"100002"}
    assert {e.nominated_by.username for e in entries if e.college.code != "ECON"} == {"office"}
    names = {e.person.name for e in entries} | {e.coach.name for e in entries if e.coach}
    assert not names & BULLETIN_NAMES
    # materials: five lesson plans and the slides each, uploaded by the contestants themselves
    assert EntryMaterial.objects.filter(entry__competition=school).count() == 16 * 6 + 1
    assert not EntryMaterial.objects.filter(entry__competition=school).exclude(uploaded_by__person=F("entry__person"))

    # the draw from the announced seed, verified
    assert (school.seed, draw_verify(school)) == (SEED, True)
    assert sorted(e.appearance for e in entries if e.group.code == "humanities-a") == list(range(1, 14))

    # seven judges a group; nobody scores their own college: 106 sheets, all submitted
    judges = list(Judge.objects.filter(competition=school).select_related("user", "group", "college"))
    assert Counter(j.group.code for j in judges) == {"humanities-a": 7, "science-a": 7}
    assert [j.user.username for j in judges if j.is_chief] == ["pw01"]
    assert Counter(j.college.code for j in judges if j.college) == {"ECON": 1, "FL": 1, "MATH": 1, "CS": 1}
    sheets = ScoreSheet.objects.filter(entry__competition=school)
    assert (sheets.count(), sheets.exclude(status=SheetStatus.SUBMITTED).count()) == (106, 0)
    for sheet in sheets.select_related("judge__user", "entry__college"):
        assert conflict(sheet.judge, sheet.entry) == ""
    # one score corrected by the chief judge, with the reason
    (amendment,) = ScoreAmendment.objects.filter(sheet__entry__competition=school).select_related(
        "amended_by", "sheet__judge", "sheet__entry"
    )
    assert (amendment.amended_by.username, amendment.sheet.judge.user.username, amendment.sheet.entry.course) == (
        "pw01",
        "pw03",
        "新闻采访与写作",
    )
    assert amendment.after - amendment.before == Decimal("10")
    assert amendment.reason.startswith("评委誊录笔误")

    # the ranking of 人文科学类A组: 文学院, 统计学院, 法学院 first
    top = list(school.entries.filter(group__code="humanities-a").order_by("rank")[:3].select_related("college"))
    assert [(e.rank, e.college.name, e.final_score) for e in top] == [
        (1, LIT, Decimal("94.880")),
        (2, STAT, Decimal("92.760")),
        (3, LAW, Decimal("90.720")),
    ]
    awards = Award.objects.filter(competition=school)
    assert Counter(awards.values_list("kind", flat=True)) == {
        AwardKind.RANK: 16,
        AwardKind.SPECIAL: 4,
        AwardKind.COACH: 1,
        AwardKind.ORGANISATION: 2,
    }
    assert Counter(awards.filter(kind=AwardKind.RANK).values_list("label", flat=True)) == {
        "人文科学类A组一等奖": 3,
        "人文科学类A组二等奖": 4,
        "人文科学类A组三等奖": 6,
        "自然科学类A组一等奖": 1,
        "自然科学类A组二等奖": 1,
        "自然科学类A组三等奖": 1,
    }
    assert sorted(awards.filter(kind=AwardKind.ORGANISATION).values_list("recipient", flat=True)) == sorted([LIT, LAW])
    # released after the publicity: a certificate for each of the 23 awards, numbered in order
    certificates = Certificate.objects.filter(award__competition=school).order_by("serial")
    assert [c.serial for c in certificates] == [f"QJS-2021-U08-{n:04d}" for n in range(1, 24)]
    assert {c.issued_on for c in certificates} == {datetime.date(2021, 5, 17)}


def _beijing_2021_as_the_bulletin_has_it(demo):
    beijing = demo.beijing
    assert (beijing.title, beijing.organiser, beijing.held_on, beijing.status, beijing.entered) == (
        "第十二届北京高校青年教师教学基本功比赛",
        "北京市教育工会、北京市教育委员会",
        datetime.date(2021, 7, 10),
        CompetitionStatus.RECORDED,
        True,
    )
    # the three of 文学院, 统计学院 and 法学院, recommended from the school round
    entries = {e.college.name: e for e in beijing.entries.select_related("college", "recommended_from", "person")}
    assert sorted(entries) == sorted([LIT, STAT, LAW])
    for entry in entries.values():
        assert entry.recommended_from.competition_id == demo.school.pk
        assert entry.recommended_from.status == EntryStatus.RECOMMENDED
        assert entry.status == EntryStatus.PLACED
    awards = Award.objects.filter(competition=beijing).select_related("entry__college", "person")
    assert all(a.recorded for a in awards)
    parents, names = college_names()
    assert sorted((names[award_college_id(a, parents)], a.label, a.kind) for a in awards) == sorted(
        [
            (LIT, "人文科学类A组一等奖", AwardKind.RANK),
            (LIT, "最佳教案奖", AwardKind.SPECIAL),
            (LIT, "最佳现场展示奖", AwardKind.SPECIAL),
            (STAT, "人文科学类A组二等奖", AwardKind.RANK),
            (LAW, "人文科学类A组二等奖", AwardKind.RANK),
            (LIT, "优秀指导教师奖", AwardKind.COACH),  # a professor of 文学院, the winner's coach
        ]
    )
    (coach_award,) = awards.filter(kind=AwardKind.COACH)
    assert coach_award.person == entries[LIT].coach
    assert coach_award.person.birth_date < datetime.date(1981, 1, 1)


def _the_annual_figures_of_2021(demo):
    """The annual report's figures of 2021 are the bulletin's: 12 editions, 8 entered, 400+
    teachers; 一等奖 with 最佳教案奖 and 最佳现场展示奖, two 二等奖, 优秀指导教师奖 — and its award
    list (the demo's names and 文学院 for the bulletin's 中国语言文学学院)."""
    section = annual_section(system_actor(), "competitions", 2021)
    values = {figure.key: figure.value for figure in section.figures}
    entries = {e.college.code: e for e in demo.beijing.entries.select_related("college", "person", "coach")}
    lit, stat, law = (entries[code].person.name for code in ("LIT", "STAT", "LAW"))
    coach = entries["LIT"].coach.name
    assert values == {
        "competitions.editions_held": 12,
        "competitions.editions_entered": 8,
        "competitions.participants_total": 408,  # 400余名
        "competitions.awards_first": 1,
        "competitions.awards_second": 2,
        "competitions.awards_third": 0,
        "competitions.awards_rank": 3,
        "competitions.awards_special": 2,
        "competitions.awards_coach": 1,
        "competitions.awards_organisation": 0,
        "competitions.award_list": (
            f"文学院{lit}获得人文科学类A组一等奖、最佳教案奖和最佳现场展示奖，"
            f"统计学院{stat}和法学院{law}获得人文科学类A组二等奖，文学院{coach}获得优秀指导教师奖"
        ),
    }
    assert 400 < values["competitions.participants_total"] < 500
    assert annual_section(system_actor(), "competitions", 2020) is None  # no edition in 2020


def _the_coach_once_competed(demo):
    """The professor who coaches the 文学院 winner in 2021 competed in 第五届 (2005) himself."""
    coach = demo.beijing.entries.get(college__code="LIT").coach
    history = person_history(user=demo.office, person=coach)
    assert [
        (line.year, line.competition.level, line.role, [a.label for a in line.awards], line.later)
        for line in history.lines
    ] == [
        (2005, Level.BEIJING, CONTESTANT, ["人文科学类A组二等奖"], False),
        (2021, Level.UNIVERSITY, COACH, ["优秀指导教师奖"], True),
        (2021, Level.BEIJING, COACH, ["优秀指导教师奖"], True),
    ]
    assert [h.person for h in later_achievements(user=demo.office)] == [coach]


def _the_round_being_scored_now(demo):
    now = demo.now
    assert (now.year, now.status, now.held_on, now.rules.resolution) == (
        now_year(),
        CompetitionStatus.SCORING,
        timezone.localdate(now.created_at + datetime.timedelta(days=45)),  # the day it was built
        f"校工会〔{now_year()}〕5号",
    )
    assert now.scoring_opened_at < timezone.now()
    entries = list(now.entries.select_related("college", "person"))
    assert sorted(e.college.code for e in entries) == sorted(["LIT", "STAT", "LAW", "ECON", "FL", "JOUR"])
    assert not {e.person_id for e in entries} & set(demo.school.entries.values_list("person_id", flat=True))
    assert draw_verify(now)
    # the chief judge `pw01` has their panel of six before them, nothing scored yet
    (chief,) = Judge.objects.filter(competition=now, user__username="pw01")
    assert chief.is_chief
    assert judgeships(chief.user) == [chief]
    queue = judge_queue(chief)
    assert [(row.entry.appearance, row.sheet, row.conflict) for row in queue] == [(n, None, "") for n in range(1, 7)]
    # the other five judges scored the first three
    sheets = ScoreSheet.objects.filter(entry__competition=now)
    assert Counter(sheets.values_list("entry__appearance", flat=True)) == {1: 5, 2: 5, 3: 5}
    assert not sheets.exclude(status=SheetStatus.SUBMITTED).exists()


def _the_demo_sign_ins(demo):
    chief = User.objects.get(username="pw01")
    assert (chief.person, chief.first_name, chief.check_password(DEMO_PASSWORD)) == (None, "周立群", True)
    assert not User.objects.get(username="pw02").has_usable_password()
    contestant = demo.beijing.entries.get(college__code="LIT").person
    user = User.objects.get(person=contestant)
    assert (user.username, user.check_password(DEMO_PASSWORD)) == (contestant.staff_no, True)
    # the other contestants have accounts (they uploaded their materials) with no password
    others = User.objects.filter(person__in=Entry.objects.filter(competition=demo.school).values("person"))
    assert others.count() == 16
    assert [u.username for u in others if u.has_usable_password()] == [contestant.staff_no]


def _a_second_run_changes_nothing():
    before = table_counts()
    assert competitions_demo_build() == ""
    assert changed_tables(before, table_counts()) == {}
