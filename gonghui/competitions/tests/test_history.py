"""The history (selectors/history.py) on the small history of history_scenario.py: every edition
by level and year with whether the university entered, its participants (the school round's
entries feeding an edition, withdrawn ones left out, else the archive's figure) and prizes;
per college; per person with the later achievements; each as far as the user may see."""

import pytest

from gonghui.competitions.choices import Level
from gonghui.competitions.selectors.history import (
    COACH,
    CONTESTANT,
    FROM_ARCHIVE,
    FROM_ENTRIES,
    JUDGE,
    college_history,
    edition_history,
    edition_number_label,
    later_achievements,
    level_history,
    participants_of,
    person_history,
)
from gonghui.competitions.tests.history_scenario import history_world


@pytest.fixture
def h(w, clock):
    return history_world(w, clock)


def _lines(history):
    return [
        (line.number, line.year, line.entered, line.participants, line.source, [p.label for p in line.prizes])
        for line in history.editions
    ]


def test_the_office_reads_every_edition_with_its_participants_and_prizes(w, h):
    levels = edition_history(user=w.office)
    assert [level.level for level in levels] == [Level.UNIVERSITY, Level.BEIJING]
    school, beijing = levels
    assert _lines(beijing) == [
        (10, 2017, False, None, "", []),
        (11, 2019, True, 30, FROM_ARCHIVE, ["人文科学类A组二等奖"]),
        # fed by the school round: 赵一, 周四 and 孙三 (钱二 withdrew); its archive figure of 99 unused
        (12, 2021, True, 3, FROM_ENTRIES, ["人文科学类A组一等奖"]),
        (13, 2023, True, 0, FROM_ENTRIES, []),  # a draft, nobody entered yet
    ]
    assert (beijing.label, beijing.held, beijing.entered, beijing.teachers, beijing.prizes) == ("北京市", 4, 3, 33, 2)
    assert _lines(school) == [
        (
            3,
            2021,
            True,
            3,
            FROM_ENTRIES,
            [
                "人文科学类A组一等奖",
                "人文科学类A组二等奖",
                "人文科学类A组三等奖",
                "最佳教案奖",
                "最佳现场展示奖",
                "优秀指导教师奖",
            ],
        ),
        (4, 2023, True, 0, FROM_ENTRIES, []),
    ]
    prize = school.editions[0].prizes[-1]
    assert (prize.recipient, prize.college, prize.kind) == ("郑师", "法学院分工会", "coach")
    assert [(p.recipient, p.college) for p in beijing.editions[1].prizes] == [("郑师", "法学院分工会")]
    # one level alone, and a level with no edition
    assert _lines(level_history(user=w.office)) == _lines(beijing)
    assert level_history(user=w.office, level=Level.NATIONAL).editions == []
    assert level_history(user=w.office, level=Level.NATIONAL).teachers == 0


def test_members_read_the_announced_editions_with_the_same_figures(w, h):
    """A member sees no draft (the 2023 editions), but the same participants: they are figures
    of the edition, whoever's entries they count."""
    for user in (w.users["member"], w.users["zhao"], w.users["sub_union_officer"]):
        school, beijing = edition_history(user=user)
        assert _lines(beijing) == [
            (10, 2017, False, None, "", []),
            (11, 2019, True, 30, FROM_ARCHIVE, ["人文科学类A组二等奖"]),
            (12, 2021, True, 3, FROM_ENTRIES, ["人文科学类A组一等奖"]),
        ]
        assert (beijing.held, beijing.entered, beijing.teachers) == (3, 2, 33)
        assert [line.year for line in school.editions] == [2021]


def test_participants_of_a_chain_of_editions(w, h):
    """College → university → Beijing: a Beijing edition counts the whole selection once."""
    figures = participants_of([h.b2017, h.b2019, h.b2021, h.b2023, w.competition, h.school_2023])
    assert figures == {
        h.b2017.pk: (None, ""),
        h.b2019.pk: (30, FROM_ARCHIVE),
        h.b2021.pk: (3, FROM_ENTRIES),
        h.b2023.pk: (0, FROM_ENTRIES),
        w.competition.pk: (3, FROM_ENTRIES),
        h.school_2023.pk: (0, FROM_ENTRIES),
    }
    # without the school round in sight, the 2021 edition has the archive's figure
    assert participants_of([h.b2021])[h.b2021.pk] == (99, FROM_ARCHIVE)


def test_per_college(w, h):
    found = college_history(user=w.office)
    assert [
        (
            c.college.name,
            [
                (
                    e.competition.year,
                    e.competition.level,
                    [x.person.name for x in e.entries],
                    [a.label for a in e.prizes],
                )
                for e in c.editions
            ],
            c.entries,
            c.prizes,
            c.prizes_by_level(),
        )
        for c in found
    ] == [
        (
            "法学院分工会",
            [
                (2019, Level.BEIJING, ["郑师"], ["人文科学类A组二等奖"]),
                (2021, Level.UNIVERSITY, ["周四"], ["人文科学类A组二等奖", "优秀指导教师奖"]),
                (2021, Level.BEIJING, ["周四"], []),
            ],
            3,
            3,
            {Level.BEIJING: 1, Level.UNIVERSITY: 2},
        ),
        (
            "经济学院分工会",
            [
                (
                    2021,
                    Level.UNIVERSITY,
                    ["赵一", "孙三"],
                    ["人文科学类A组一等奖", "人文科学类A组三等奖", "最佳教案奖", "最佳现场展示奖"],
                ),
                (2021, Level.BEIJING, ["赵一"], ["人文科学类A组一等奖"]),
            ],
            3,
            5,
            {Level.UNIVERSITY: 4, Level.BEIJING: 1},
        ),
    ]
    # one college; economics' officer (陈静, also a judge of the school round's group) sees her
    # college's entries and the law contestant she judged, and every college's prizes (public)
    assert [c.college.code for c in college_history(user=w.office, college_id=w.u.law.pk)] == ["LAW"]
    officer = {c.college.code: c for c in college_history(user=w.users["sub_union_officer"])}
    assert (officer["ECON"].entries, officer["ECON"].prizes) == (3, 5)
    assert (officer["LAW"].entries, officer["LAW"].prizes) == (1, 3)
    assert [e.competition.level for e in officer["LAW"].editions if e.entries] == [Level.UNIVERSITY]
    member = {c.college.code: c for c in college_history(user=w.users["member"])}
    assert (member["ECON"].entries, member["ECON"].prizes, member["LAW"].entries) == (0, 5, 0)


def _person(history):
    return [
        (line.year, line.competition.level, line.role, [a.label for a in line.awards], line.later)
        for line in history.lines
    ]


def test_per_person_with_later_achievements(w, h):
    coach = person_history(user=w.office, person=w.people["coach"])
    assert _person(coach) == [
        (2019, Level.BEIJING, CONTESTANT, ["人文科学类A组二等奖"], False),
        (2021, Level.UNIVERSITY, COACH, ["优秀指导教师奖"], True),
        (2021, Level.BEIJING, COACH, [], True),
    ]
    assert coach.first_contest.entry == h.archive_entry
    assert [line.role_label for line in coach.later_lines] == ["指导教师", "指导教师"]
    assert [a.label for a in coach.awards] == ["人文科学类A组二等奖", "优秀指导教师奖"]
    zhao = person_history(user=w.office, person=w.people["zhao"])
    assert _person(zhao) == [
        (2021, Level.UNIVERSITY, CONTESTANT, ["人文科学类A组一等奖", "最佳教案奖", "最佳现场展示奖"], False),
        (2021, Level.BEIJING, CONTESTANT, ["人文科学类A组一等奖"], False),
        (2023, Level.UNIVERSITY, JUDGE, [], True),  # on the 2023 panel: later, as a judge
    ]
    assert zhao.lines[2].judge == h.judge_2023
    # a withdrawn entry is no part taken
    assert person_history(user=w.office, person=w.people["qian"]).lines == []
    assert [(p.person.name, len(p.later_lines)) for p in later_achievements(user=w.office)] == [
        ("郑师", 2),
        ("赵一", 1),
    ]


def test_a_person_history_as_far_as_the_user_may_see(w, h):
    # 赵一 sees his own parts, but not the 2023 draft he judges in
    zhao = person_history(user=w.users["zhao"], person=w.people["zhao"])
    assert [(line.year, line.role) for line in zhao.lines] == [(2021, CONTESTANT), (2021, CONTESTANT)]
    # 郑师 as 赵一 sees him: his own coach (on 赵一's entries), not 郑师's own contest
    coach = person_history(user=w.users["zhao"], person=w.people["coach"])
    assert [(line.year, line.competition.level, line.role) for line in coach.lines] == [
        (2021, Level.UNIVERSITY, COACH),
        (2021, Level.BEIJING, COACH),
    ]
    assert later_achievements(user=w.users["zhao"]) == []
    # another member sees nobody's parts; the auditor everything, the drafts too
    assert person_history(user=w.users["member"], person=w.people["coach"]).lines == []
    assert [p.person.name for p in later_achievements(user=w.u.users["auditor"])] == ["郑师", "赵一"]


def test_edition_numbers_in_chinese():
    assert [edition_number_label(n) for n in (1, 10, 11, 12, 20, 23, 100)] == [
        "第一届",
        "第十届",
        "第十一届",
        "第十二届",
        "第二十届",
        "第二十三届",
        "第100届",
    ]
