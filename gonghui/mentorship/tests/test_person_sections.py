"""A person's page shows their mentoring (as mentor and as mentee) and their competition
entries, through core's `person_sections` registry, scoped to what the viewer may see; a
mentor's section lists the competition entries of their mentees that they coached ("a mentor
who coached a contestant"), only when the competition module is installed."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from gonghui.competitions.services import competitions as competition_services
from gonghui.competitions.services import entries as entry_services
from gonghui.competitions.tests.factories import competition_world
from gonghui.core.registry import PersonSection, PersonSectionRow, person_sections_for
from gonghui.mentorship.selectors import person_section
from gonghui.mentorship.services import assessments, cohorts
from gonghui.mentorship.tests.factories import through

pytestmark = pytest.mark.django_db

PAIR_COLUMNS = ("期次", "身份", "结对教师", "单位", "状态", "考核等次")
COHORT = "第8期青年教师拜师结对"


def _coached(w):
    """赵青 (孙教授's mentee) entered in the 2021 university round, coached by 孙教授."""
    qjs = competition_world(w.university)
    competition_services.competition_step(actor=qjs.office, competition=qjs.competition, step="open_nominations")
    return entry_services.entry_nominate(
        actor=qjs.office,
        competition=qjs.competition,
        staff_no="E2001",
        group=qjs.groups["humanities-a"],
        course="宏观经济学",
        coach_staff_no="E1101",
    )


def _keys(sections):
    return [s.key for s in sections]


def test_a_mentor_and_a_mentee_see_each_other_on_their_pages(w):
    through(w, "running")
    (mentor,) = [s for s in person_sections_for(w.office, w.sun) if s.key == "mentorship"]
    assert (mentor.title, mentor.columns) == ("青年教师拜师结对", PAIR_COLUMNS)
    assert mentor.rows == (PersonSectionRow((COHORT, "指导教师", "赵青（E2001）", "经济学院分工会", "培养中", "")),)
    (mentee,) = [s for s in person_sections_for(w.office, w.zhao) if s.key == "mentorship"]
    assert mentee.rows == (PersonSectionRow((COHORT, "青年教师", "孙教授（E1101）", "经济学院分工会", "培养中", "")),)
    # a teacher with no pair has no section
    assert _keys(person_sections_for(w.office, w.wu)) == []


def test_the_grade_after_an_extension(w, clock):
    through(w, "running")
    clock.move_to(datetime.datetime(2023, 3, 1, 9, 0))
    cohorts.cohort_open_assessment(actor=w.office, cohort=w.cohort)
    assessments.pair_assess(actor=w.office, pair=w.pairs["钱青"], grade_code="basic")
    (section,) = person_section.mentorship_person_sections(w.office, w.zhou)
    assert section.rows[0].cells[4:] == ("基本合格", "基本合格")
    clock.move_to(datetime.datetime(2023, 9, 1, 9, 0))
    assessments.pair_reassess(actor=w.office, pair=w.pairs["钱青"], passed=True)
    (section,) = person_section.mentorship_person_sections(w.office, w.zhou)
    assert section.rows[0].cells[4:] == ("合格", "基本合格，延期考核合格")


def test_only_what_the_viewer_may_see(w):
    """The economics officer sees 经济学院's pairs, not 法学院's; a member only their own."""
    through(w, "running")
    assert _keys(person_section.mentorship_person_sections(w.officer, w.sun)) == ["mentorship"]
    assert person_section.mentorship_person_sections(w.officer, w.zheng) == []
    assert person_section.mentorship_person_sections(w.users["member"], w.sun) == []
    assert _keys(person_section.mentorship_person_sections(w.users["mentor"], w.sun)) == ["mentorship"]


def test_a_mentor_who_coached_a_contestant(w):
    entry = _coached(w)
    through(w, "running")
    sections = person_sections_for(w.office, w.sun)
    assert _keys(sections) == ["competitions", "mentorship", "mentorship-coached"]
    coached = sections[2]
    assert (coached.title, coached.columns) == ("指导的青年教师参加青教赛", ("比赛", "青年教师", "组别", "奖项"))
    assert coached.rows == (PersonSectionRow(("第三届青年教师教学基本功比赛（2021）", "赵青", "人文科学类A组", "")),)
    competitions = sections[0]
    assert competitions.columns == ("比赛", "身份", "参赛教师", "组别", "奖项")
    assert competitions.rows == (
        PersonSectionRow(
            ("第三届青年教师教学基本功比赛（2021）", "指导教师", "赵青", "人文科学类A组", ""),
            url=reverse("competitions:entry", args=[entry.pk]),
        ),
    )
    (contestant,) = [s for s in person_sections_for(w.office, w.zhao) if s.key == "competitions"]
    assert contestant.rows[0].cells == ("第三届青年教师教学基本功比赛（2021）", "参赛", "", "人文科学类A组", "")
    # the law officer's view (none here) and a member's: nothing of 经济学院
    assert person_sections_for(w.users["member"], w.sun) == []


def test_without_the_competition_module_no_coached_entries(w, monkeypatch):
    _coached(w)
    through(w, "running")
    monkeypatch.setattr(person_section.apps, "is_installed", lambda name: name != "gonghui.competitions")
    assert _keys(person_section.mentorship_person_sections(w.office, w.sun)) == ["mentorship"]


def test_the_person_page_shows_the_sections(client, w):
    _coached(w)
    through(w, "running")
    client.force_login(w.officer)
    html = client.get(reverse("people:person_detail", args=[w.sun.pk])).content.decode()
    for key in ("competitions", "mentorship", "mentorship-coached"):
        assert f'data-testid="person-section-{key}"' in html
    assert "赵青（E2001）" in html
    # a person with nothing in any module: no section
    html = client.get(reverse("people:person_detail", args=[w.wu.pk])).content.decode()
    assert 'data-testid="person-section-' not in html


def test_a_section_renders_its_own_template(client, w, monkeypatch):
    """A module may give a template instead of a table: the page includes it."""
    from gonghui.core import registry

    section = PersonSection(key="custom", title="自定义", template="people/partials/_module_section.html")
    monkeypatch.setattr(registry.registry, "person_sections", [(1, lambda viewer, person: [section])])
    client.force_login(w.office)
    html = client.get(reverse("people:person_detail", args=[w.sun.pk])).content.decode()
    assert 'data-testid="person-section-custom"' in html
    assert "暂无记录。" in html
