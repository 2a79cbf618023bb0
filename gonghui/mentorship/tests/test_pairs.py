"""Candidates and hand-made pairs: who may be named on each side, every hard rule of a pair,
every refusal with its exact reasons and nothing written."""

import pytest
from django.core.exceptions import PermissionDenied

from gonghui.core.exceptions import ApplicationError, InvalidTransition
from gonghui.core.models import AuditEvent
from gonghui.mentorship.choices import PairSource, PairStatus, Side
from gonghui.mentorship.models import Candidate, Pair, PairEvent
from gonghui.mentorship.services import cohorts
from gonghui.mentorship.services.pairs import candidate_add, candidate_rank, pair_propose, pair_withdraw
from gonghui.mentorship.tests.factories import nothing_written, through
from gonghui.people.choices import EmploymentStatus

pytestmark = pytest.mark.django_db


def _open(w):
    w.cohort = cohorts.cohort_open(actor=w.office, cohort=w.cohort)
    return w


def _refused(call, **kwargs):
    with nothing_written(), pytest.raises(ApplicationError) as refused:
        call(**kwargs)
    return refused.value


# --- candidates -----------------------------------------------------------------------------


def test_a_college_names_a_candidate_on_each_side(w):
    _open(w)
    mentee = candidate_add(actor=w.officer, cohort=w.cohort, person=w.zhao, side=Side.MENTEE)
    mentor = candidate_add(actor=w.officer, cohort=w.cohort, person=w.sun, side=Side.MENTOR)

    rows = Candidate.objects.order_by("pk").values_list("person_id", "side", "college_id", "added_by_id", "ranking")
    assert list(rows) == [
        (w.zhao.pk, Side.MENTEE, w.econ.pk, w.officer.pk, []),
        (w.sun.pk, Side.MENTOR, w.econ.pk, w.officer.pk, []),
    ]
    messages = (
        AuditEvent.objects.filter(object_type="mentorship.candidate").order_by("id").values_list("message", flat=True)
    )
    assert list(messages) == [
        "赵青报名第8期青年教师拜师结对（青年教师）",
        "孙教授报名第8期青年教师拜师结对（指导教师）",
    ]
    assert (mentee.cohort_id, mentor.cohort_id) == (w.cohort.pk, w.cohort.pk)


@pytest.mark.parametrize(
    "who, side, message",
    [
        ("old", Side.MENTEE, "李老不能作为青年教师：本期开始时已满 46 周岁（须不满 40 周岁）。"),
        ("veteran", Side.MENTEE, "王旧不能作为青年教师：入职日期 2015-07-01，不是本期的新入职教师（3 年内）。"),
        ("wu", Side.MENTOR, "吴讲师不能作为指导教师：职称讲师低于副高级。"),
        ("no_profile", Side.MENTOR, "张伟不能作为指导教师：没有教师档案（职称、学科、教龄）。"),
        (
            "no_profile",
            Side.MENTEE,
            "张伟不能作为青年教师：本期开始时已满 40 周岁（须不满 40 周岁）。教师档案没有入职日期。",
        ),
        ("zhao", "judge", "请选择身份。"),
    ],
)
def test_a_candidate_refused_with_every_reason(w, who, side, message):
    _open(w)
    person = w.university.zhang if who == "no_profile" else getattr(w, who)
    error = _refused(candidate_add, actor=w.office, cohort=w.cohort, person=person, side=side)
    assert error.message == message


def test_a_candidate_refused_with_several_reasons(w):
    _open(w)
    w.wu.employment_status = EmploymentStatus.RETIRED
    w.wu.save(update_fields=["employment_status"])
    w.wu.teacher_profile.teaching_since = None
    w.wu.teacher_profile.save()
    error = _refused(candidate_add, actor=w.office, cohort=w.cohort, person=w.wu, side=Side.MENTOR)
    assert error.extra["reasons"] == [
        "不是在职教职工。",
        "职称讲师低于副高级。",
        "教师档案没有从事教学工作的起始日期。",
    ]
    assert (
        error.message
        == "吴讲师不能作为指导教师：不是在职教职工。职称讲师低于副高级。教师档案没有从事教学工作的起始日期。"
    )


def test_an_officer_names_only_their_own_colleges_teachers(w):
    _open(w)
    with nothing_written(), pytest.raises(PermissionDenied) as refused:
        candidate_add(actor=w.officer, cohort=w.cohort, person=w.sunq, side=Side.MENTEE)
    assert str(refused.value) == "只能为本单位的教师办理。"


def test_a_candidate_named_twice_is_refused(w):
    _open(w)
    candidate_add(actor=w.officer, cohort=w.cohort, person=w.zhao, side=Side.MENTEE)
    error = _refused(candidate_add, actor=w.officer, cohort=w.cohort, person=w.zhao, side=Side.MENTEE)
    assert error.message == "赵青已在本期名单中。"


def test_candidates_only_while_matching(w):
    error = _refused(candidate_add, actor=w.office, cohort=w.cohort, person=w.zhao, side=Side.MENTEE)
    assert error.message == "第8期青年教师拜师结对当前为“筹备中”，不能办理。"


def test_a_mentor_at_their_limit_may_still_be_named(w):
    _open(w)
    pair_propose(actor=w.office, cohort=w.cohort, mentor=w.sun, mentee=w.zhao)
    candidate = candidate_add(actor=w.office, cohort=w.cohort, person=w.sun, side=Side.MENTOR)
    assert candidate.side == Side.MENTOR


def test_ranking_names_only_the_other_sides_candidates(w):
    through(w, "matching")
    zhao = Candidate.objects.get(person=w.zhao)
    ranked = candidate_rank(actor=w.users["mentee"], candidate=zhao, ranking=[w.zhou.pk, w.sun.pk, w.zhou.pk])
    assert ranked.ranking == [w.zhou.pk, w.sun.pk]
    error = _refused(candidate_rank, actor=w.users["mentee"], candidate=zhao, ranking=[w.qian.pk])
    assert error.message == "志愿中有不在本期名单中的教师。"
    error = _refused(candidate_rank, actor=w.users["mentee"], candidate=zhao, ranking=[])
    assert error.message == "请至少填报一个志愿。"
    zhao.refresh_from_db()
    assert zhao.ranking == [w.zhou.pk, w.sun.pk]


# --- pairs by hand --------------------------------------------------------------------------


def test_a_college_proposes_a_pair(w):
    through(w, "matching")
    pair = pair_propose(actor=w.officer, cohort=w.cohort, mentor=w.sun, mentee=w.zhao, reasons=["同一教研室"])
    assert (pair.status, pair.source, pair.college_id, pair.reasons, pair.proposed_by_id) == (
        PairStatus.PROPOSED,
        PairSource.COLLEGE,
        w.econ.pk,
        ["同一教研室"],
        w.officer.pk,
    )
    assert Pair.objects.count() == 1
    assert AuditEvent.objects.filter(object_type="mentorship.pair").values_list("message", flat=True).get() == (
        "推荐结对：孙教授 指导 赵青（学院推荐）"
    )


@pytest.mark.parametrize(
    "mentor, mentee, problems",
    [
        ("sun", "qian", ["指导教师孙教授：本期已带 1 人，达到上限 1 人。"]),
        ("zhou", "old", ["青年教师李老：本期开始时已满 46 周岁（须不满 40 周岁）。"]),
        ("zheng", "qian", ["学科不同：指导教师为法学，青年教师为经济学。"]),
        ("sun", "sun", ["指导教师和青年教师不能是同一人。"]),
        ("zhou", "zhao", ["青年教师赵青：本期已有结对。"]),
        (
            "wu",
            "veteran",
            [
                "指导教师吴讲师：职称讲师低于副高级。",
                "青年教师王旧：入职日期 2015-07-01，不是本期的新入职教师（3 年内）。",
                "学科不同：指导教师为经济学，青年教师为法学。",
            ],
        ),
    ],
)
def test_a_pair_refused_by_every_hard_rule(w, mentor, mentee, problems):
    through(w, "matching")
    pair_propose(actor=w.office, cohort=w.cohort, mentor=w.sun, mentee=w.zhao)
    error = _refused(
        pair_propose, actor=w.office, cohort=w.cohort, mentor=getattr(w, mentor), mentee=getattr(w, mentee)
    )
    assert error.extra["reasons"] == problems
    assert error.message == "不能结对：" + "".join(problems)
    assert Pair.objects.count() == 1


def test_a_pair_with_a_teacher_without_a_profile(w):
    through(w, "matching")
    error = _refused(pair_propose, actor=w.office, cohort=w.cohort, mentor=w.university.zhang, mentee=w.zhao)
    assert error.message == (
        "不能结对：指导教师张伟：没有教师档案（职称、学科、教龄）。学科不同：指导教师为未填，青年教师为经济学。"
    )


def test_an_officer_proposes_only_for_their_college(w):
    through(w, "matching")
    with nothing_written(), pytest.raises(PermissionDenied):
        pair_propose(actor=w.officer, cohort=w.cohort, mentor=w.zheng, mentee=w.sunq)


def test_proposals_only_while_matching_or_running(w):
    error = _refused(pair_propose, actor=w.office, cohort=w.cohort, mentor=w.sun, mentee=w.zhao)
    assert error.message == "第8期青年教师拜师结对当前为“筹备中”，不能办理。"


def test_withdraw_needs_a_reason_then_frees_the_mentee(w):
    through(w, "proposed")
    pair = w.pairs["赵青"]
    with nothing_written(), pytest.raises(InvalidTransition) as refused:
        pair_withdraw(actor=w.officer, pair=pair, reason="  ")
    assert refused.value.message == "此操作须填写说明。"
    pair.refresh_from_db()
    assert pair.status == PairStatus.PROPOSED

    pair_withdraw(actor=w.officer, pair=pair, reason="青年教师调离")
    pair.refresh_from_db()
    assert pair.status == PairStatus.WITHDRAWN
    event = PairEvent.objects.filter(subject=pair).get()
    assert (event.step, event.message, event.actor_id) == ("withdraw", "青年教师调离", w.officer.pk)
    # the mentee and the mentor are free again
    again = pair_propose(actor=w.officer, cohort=w.cohort, mentor=w.sun, mentee=w.zhao)
    assert again.status == PairStatus.PROPOSED
    assert Pair.objects.filter(mentee=w.zhao).count() == 2


def test_a_member_may_not_withdraw(w):
    through(w, "proposed")
    with nothing_written(), pytest.raises(PermissionDenied):
        pair_withdraw(actor=w.users["mentee"], pair=w.pairs["赵青"], reason="不想要")
