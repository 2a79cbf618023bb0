"""Reads: the diff between two versions with the adopted opinions that caused each change, a
college's summary, the colleges' participation, the roll-up's groups and counts, a member's
opinions with their fate."""

from decimal import Decimal

import pytest

from gonghui.deliberations.choices import AnswerStatus, RoundAudience
from gonghui.deliberations.models import OpinionGroup
from gonghui.deliberations.selectors.deliberations import (
    answer_shown,
    answers_published,
    article_choices,
    college_summary,
    colleges_overview,
    groups_with_opinions,
    my_opinions,
    opinions_with_fate,
    previous_version,
    rollup_counts,
    rollup_groups,
    version_diff,
    versions_of,
)
from gonghui.deliberations.services.answers import answers_publish, group_answer
from gonghui.deliberations.services.rounds import opinion_enter, rollup_send, round_close
from gonghui.deliberations.services.versions import version_publish
from gonghui.deliberations.tests.factories import (
    BASE_PAY,
    DRAFT_V2,
    deliberation_make,
    give,
    through,
    version_drafted,
)

A = AnswerStatus
REASON = "已研究。"


# --- the diff ----------------------------------------------------------------------------------


@pytest.fixture
def answered(w):
    """Round one on 第1稿 with one opinion per theme, each answered; 第2稿 drafted."""
    world = through(w, "open")
    r = world.opinion_round
    opinions = {
        "youth": give(w, r, "zhang", "建议明确向青年教师倾斜", 2),
        "youth_partly": give(w, r, "sun", "分配应考虑教学工作量与科研并重的原则", 2),
        "hours": give(w, r, "wang", "超工作量课时费偏低，建议删除这一条另行规定", 3),
        "base": give(w, r, "li", BASE_PAY, 1),
        "meeting": give(w, r, "zhou", "建议出台前召开座谈会"),
        "against": give(w, r, "qian", "整个方案不如维持现行办法"),
    }
    round_close(actor=w.office, opinion_round=r)
    rollup_send(actor=w.office, opinion_round=r)
    decisions = {
        "youth": (A.ADOPTED, ""),
        "youth_partly": (A.PARTLY, REASON),
        "hours": (A.PARTLY, REASON),
        "base": (A.NOT_ADOPTED, REASON),
        "meeting": (A.ADOPTED, ""),
        "against": (A.NOT_ADOPTED, REASON),
    }
    groups = {}
    for name, opinion in opinions.items():
        opinion.refresh_from_db()
        groups[name] = opinion.group
        decision, reason = decisions[name]
        group_answer(actor=w.users["hr"], group=opinion.group, decision=decision, reason=reason)
    assert OpinionGroup.objects.count() == 6
    world.groups = groups
    world.second = version_drafted(w, world.deliberation, DRAFT_V2)
    return world


def _rows(rows):
    return [
        (row.kind, row.label, row.old.position if row.old else None, row.new.position if row.new else None)
        for row in rows
    ]


def test_the_diff_aligns_unchanged_changed_removed_and_added_articles(w, answered):
    answers_publish(actor=w.users["hr"], opinion_round=answered.opinion_round)
    old, new = answered.version, answered.second
    rows, general = version_diff(old=old, new=new)
    assert _rows(rows) == [
        ("same", "第一条", 1, 1),
        ("changed", "第二条", 2, 2),
        ("removed", "第三条", 3, None),
        ("same", "第四条 → 第三条", 4, 3),
        ("added", "第四条", None, 4),
    ]
    same, changed, removed, renumbered, added = rows
    assert changed.segments == [
        ("equal", "绩效工资分配坚持按劳分配、优绩优酬"),
        ("insert", "，向青年教师倾斜"),
        ("equal", "。"),
    ]
    assert removed.segments == [("delete", "超工作量部分按每学时八十元计发。")]
    assert added.segments == [("insert", "学校每年向教代会报告绩效工资分配情况。")]
    assert same.segments == [] and renumbered.segments == []
    # causes: the adopted and partly adopted groups on that article of the old version's round
    g = answered.groups
    assert changed.causes == sorted([g["youth"], g["youth_partly"]], key=lambda group: group.number)
    assert [c.pk for c in removed.causes] == [g["hours"].pk]
    assert same.causes == [] and added.causes == [] and renumbered.causes == []  # 第一条's answer: not adopted
    # the adopted general opinions, not the rejected one
    assert [c.pk for c in general] == [g["meeting"].pk]


def test_before_the_answers_are_published_no_opinion_is_named_as_a_cause(w, answered):
    rows, general = version_diff(old=answered.version, new=answered.second)
    assert all(row.causes == [] for row in rows)
    assert general == []


def test_a_version_against_itself_is_all_the_same(w, answered):
    rows, _general = version_diff(old=answered.version, new=answered.version)
    assert [row.kind for row in rows] == ["same"] * 4


def test_the_previous_published_version(w, answered):
    answers_publish(actor=w.users["hr"], opinion_round=answered.opinion_round)
    assert previous_version(answered.second) == answered.version
    assert previous_version(answered.version) is None
    version_publish(actor=w.office, version=answered.second)
    third = version_drafted(w, answered.deliberation, DRAFT_V2)
    assert previous_version(third) == answered.second
    assert [
        (v.number, v.article_count) for v in versions_of(user=w.users["hr"], deliberation=answered.deliberation)
    ] == [
        (1, 4),
        (2, 4),
        (3, 4),
    ]
    assert [v.number for v in versions_of(user=w.users["zhang"], deliberation=answered.deliberation)] == [1, 2]


# --- a college, the colleges --------------------------------------------------------------------


def test_a_colleges_summary_counts_its_opinions_by_article(w):
    world = through(w, "given")
    r = world.opinion_round
    ops = world.opinions
    rows = college_summary(user=w.users["chen"], opinion_round=r, college=w.u.econ)
    assert [(row.article.label if row.article else None, row.opinions, [o.pk for o in row.items]) for row in rows] == [
        ("第一条", 3, [ops["zhang"].pk, ops["li"].pk, ops["qian"].pk]),
        ("第三条", 1, [ops["wu"].pk]),
    ]
    law = college_summary(user=w.office, opinion_round=r, college=w.u.law)
    assert [(row.article.label if row.article else None, row.opinions, [o.pk for o in row.items]) for row in law] == [
        (None, 1, [ops["zhou"].pk]),  # the general opinions first
        ("第一条", 1, [ops["wang"].pk]),
    ]
    # another college's officer reads nothing of it
    assert college_summary(user=w.users["chen"], opinion_round=r, college=w.u.law) == []


def test_the_colleges_participation_of_an_all_staff_round(w):
    world = through(w, "given")
    opinion_enter(actor=w.users["chen"], opinion_round=world.opinion_round, sub_union=w.u.econ, text="学院集体意见")
    rows = colleges_overview(opinion_round=world.opinion_round)
    # law first (fa… before jing…); econ's staff counts its union group's; the retirees' none
    assert [(r.college, r.opinions, r.authors, r.staff) for r in rows] == [
        ("法学院分工会", 2, 2, 3),
        ("经济学院分工会", 5, 4, 5),  # the collective opinion has no author
    ]
    assert [r.participation for r in rows] == [Decimal("0.6667"), Decimal("0.8000")]
    only = colleges_overview(opinion_round=world.opinion_round, college_ids=[w.u.econ.pk])
    assert [r.college for r in only] == ["经济学院分工会"]


def test_a_closed_rounds_participation_keeps_the_staff_asked_at_its_close(w):
    from gonghui.deliberations.services.rounds import round_close
    from gonghui.people.choices import EmploymentStatus

    world = through(w, "given")
    round_close(actor=w.office, opinion_round=world.opinion_round)
    world.opinion_round.refresh_from_db()
    assert world.opinion_round.staff_asked == {str(w.u.law.pk): 3, str(w.u.econ.pk): 5}
    # two of law's staff leave after the close: the round's figures stay as they were
    w.people["sun"].__class__.objects.filter(pk__in=[w.people["sun"].pk, w.people["zhou"].pk]).update(
        employment_status=EmploymentStatus.LEFT
    )
    rows = colleges_overview(opinion_round=world.opinion_round)
    assert [(r.college, r.opinions, r.authors, r.staff) for r in rows] == [
        ("法学院分工会", 2, 2, 3),
        ("经济学院分工会", 4, 4, 5),
    ]


def test_the_colleges_participation_of_a_delegates_round_counts_delegates(w):
    world = through(w, "open", audience=RoundAudience.DELEGATES)
    give(w, world.opinion_round, "zhang", BASE_PAY, 1)
    rows = colleges_overview(opinion_round=world.opinion_round)
    assert [(r.college, r.opinions, r.authors, r.staff, r.participation) for r in rows] == [
        ("法学院分工会", 0, 0, 2, Decimal("0")),
        ("经济学院分工会", 1, 1, 4, Decimal("0.25")),
    ]


def test_a_college_with_nobody_asked_has_no_participation(w):
    world = through(w, "open")
    opinion_enter(
        actor=w.office, opinion_round=world.opinion_round, sub_union=w.u.retirees, text="离退休分工会的集体意见"
    )
    rows = {r.college: r for r in colleges_overview(opinion_round=world.opinion_round)}
    retirees = rows["离退休工作处分工会"]
    assert (retirees.opinions, retirees.authors, retirees.staff, retirees.participation) == (1, 0, 0, None)


# --- the roll-up -----------------------------------------------------------------------------------


def test_roll_up_counts_and_filters(w):
    world = through(w, "sent")
    r = world.opinion_round
    assert rollup_counts(opinion_round=r) == {
        "opinions": 6,
        "groups": 4,
        "colleges": 2,
        "by_status": {"pending": 4, "adopted": 0, "partly_adopted": 0, "not_adopted": 0},
        "pending": 4,
    }
    hr = w.users["hr"]
    assert rollup_groups(user=hr, opinion_round=r).count() == 4
    assert [g.article for g in rollup_groups(user=hr, opinion_round=r, article="general")] == [None]
    first = r.version.articles.get(position=1)
    assert [g.size for g in rollup_groups(user=hr, opinion_round=r, article=first.pk)] == [3, 1]
    assert rollup_groups(user=hr, opinion_round=r, status="adopted").count() == 0
    # a reader of the deliberation gets none before the answers are published
    assert rollup_groups(user=w.users["zhang"], opinion_round=r).count() == 0
    assert [label for _value, label in article_choices(r)][:2] == [
        "总体意见",
        "第一条 绩效工资分为基础性绩效工资和奖励性绩效工资两部分",
    ]


def test_groups_with_their_opinions_and_whether_authors_are_shown(w):
    world = through(w, "sent", anonymous=True)
    r = world.opinion_round
    big = OpinionGroup.objects.get(round=r, size=3)
    rows = groups_with_opinions(user=w.users["hr"], groups=[big])
    ((group, members, colleges),) = rows
    assert group == big
    assert [(o.author.name, shown) for o, shown in members] == [("张伟", False), ("李娜", False), ("王芳", False)]
    assert colleges == ["经济学院分工会", "法学院分工会"]
    rows = groups_with_opinions(user=w.office, groups=[big])
    assert [shown for _o, shown in rows[0][1]] == [True, True, True]


# --- a member's opinions --------------------------------------------------------------------------------


def test_a_members_opinions_show_their_answer_once_published_and_the_next_version(w):
    world = through(w, "answered", decision=A.PARTLY)
    mine = list(my_opinions(user=w.users["zhang"]))
    assert [o.pk for o in mine] == [world.opinions["zhang"].pk]
    assert answer_shown(mine[0]) is False
    assert my_opinions(user=w.office).count() == 0  # no person, no opinions
    assert list(my_opinions(user=w.users["zhang"], deliberation=deliberation_make(w, topic="乙方案"))) == []
    answers_publish(actor=w.users["hr"], opinion_round=world.opinion_round)
    ((opinion, shown, following),) = opinions_with_fate(my_opinions(user=w.users["zhang"]))
    assert (shown, following, opinion.group.status) == (True, None, A.PARTLY)
    second = version_drafted(w, world.deliberation, DRAFT_V2)
    version_publish(actor=w.office, version=second)
    ((_opinion, shown, following),) = opinions_with_fate(my_opinions(user=w.users["zhang"]))
    assert (shown, following) == (True, second)
    published = list(answers_published(user=w.users["zhang"], deliberation=world.deliberation))
    assert [(r.number, len(r.answered_groups)) for r in published] == [(1, 4)]
