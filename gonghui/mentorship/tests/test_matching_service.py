"""The office's matching through the services: computed over the world's candidates, edited,
confirmed (all the pairs or none) or discarded. Nobody eligible is a report, not an error."""

import pytest
from django.core.exceptions import PermissionDenied

from gonghui.core.exceptions import ApplicationError
from gonghui.mentorship.choices import MatchingStatus, MatchMethod, PairSource, PairStatus, Side
from gonghui.mentorship.models import Candidate, MatchingRun, MatchingRunEvent, Pair
from gonghui.mentorship.services import cohorts
from gonghui.mentorship.services.matching import matching_confirm, matching_discard, matching_edit, matching_run
from gonghui.mentorship.services.pairs import candidate_add, candidate_rank, pair_propose
from gonghui.mentorship.tests.factories import nothing_written, through

pytestmark = pytest.mark.django_db

ZHAO_SUN = ["同一学科：经济学", "同一学院", "研究方向相同：宏观经济", "同一校区"]
QIAN_ZHOU = ["同一学科：经济学", "同一学院", "研究方向相同：金融", "同一校区"]
SUNQ_ZHENG = ["同一学科：法学", "同一学院", "研究方向相同：民法", "同一校区"]


def _rows(run):
    return [(r["mentee"], r["mentor"], r["cost"], r["reasons"]) for r in run.proposal]


def _refused(call, **kwargs):
    with nothing_written(), pytest.raises(ApplicationError) as refused:
        call(**kwargs)
    return refused.value


def test_assignment_over_the_worlds_candidates(w):
    through(w, "matching")
    run = matching_run(actor=w.office, cohort=w.cohort, method=MatchMethod.ASSIGNMENT)

    assert (run.status, run.method, run.created_by_id) == (MatchingStatus.PROPOSED, MatchMethod.ASSIGNMENT, w.office.pk)
    assert _rows(run) == [
        (w.zhao.pk, w.sun.pk, 0, ZHAO_SUN),
        (w.qian.pk, w.zhou.pk, 0, QIAN_ZHOU),
        (w.sunq.pk, w.zheng.pk, 0, SUNQ_ZHENG),
    ]
    assert run.unmatched == []
    assert run.summary == {"mentees": 3, "mentors": 3, "excluded": 0, "pairs": 3, "total_cost": 0}
    assert Pair.objects.count() == 0  # a proposal only


def test_assignment_leaves_out_who_is_paired_by_hand_and_a_full_mentor(w):
    through(w, "matching")
    pair_propose(actor=w.office, cohort=w.cohort, mentor=w.sun, mentee=w.zhao)
    # 钱青 and 孙青 are left; 孙教授 has no place; 周副教授 and 郑教授 take them
    run = matching_run(actor=w.office, cohort=w.cohort, method=MatchMethod.ASSIGNMENT)

    assert _rows(run) == [(w.qian.pk, w.zhou.pk, 0, QIAN_ZHOU), (w.sunq.pk, w.zheng.pk, 0, SUNQ_ZHENG)]
    assert run.unmatched == [{"person": w.sun.pk, "side": Side.MENTOR, "reasons": ["本期已带 1 人，达到上限 1 人。"]}]
    assert run.summary == {"mentees": 2, "mentors": 2, "excluded": 1, "pairs": 2, "total_cost": 0}


def test_assignment_with_more_new_teachers_than_places(w):
    """郑教授 withdrawn from the list: 孙青 (法学) has no mentor of her discipline."""
    through(w, "matching")
    Candidate.objects.get(person=w.zheng).delete()
    run = matching_run(actor=w.office, cohort=w.cohort, method=MatchMethod.ASSIGNMENT)

    assert _rows(run) == [(w.zhao.pk, w.sun.pk, 0, ZHAO_SUN), (w.qian.pk, w.zhou.pk, 0, QIAN_ZHOU)]
    assert run.unmatched == [
        {"person": w.sunq.pk, "side": Side.MENTEE, "reasons": ["没有同一学科（法学）且尚有名额的指导教师"]}
    ]
    assert run.summary["pairs"] == 2


def _rank(w, person, side, ranking):
    candidate = Candidate.objects.get(cohort=w.cohort, person=person, side=side)
    candidate_rank(actor=w.office, candidate=candidate, ranking=[p.pk for p in ranking])


def test_stable_matching_of_the_rankings(w):
    through(w, "matching")
    _rank(w, w.zhao, Side.MENTEE, [w.sun, w.zhou])
    _rank(w, w.qian, Side.MENTEE, [w.sun, w.zhou])
    _rank(w, w.sunq, Side.MENTEE, [w.zheng])
    _rank(w, w.sun, Side.MENTOR, [w.qian, w.zhao])
    _rank(w, w.zhou, Side.MENTOR, [w.zhao, w.qian])
    _rank(w, w.zheng, Side.MENTOR, [w.sunq])

    run = matching_run(actor=w.office, cohort=w.cohort, method=MatchMethod.STABLE)

    # 孙教授 prefers 钱青: 赵青 goes to her second choice
    assert _rows(run) == [
        (
            w.zhao.pk,
            w.zhou.pk,
            1,
            ["青年教师第 2 志愿", "导师第 1 志愿", "同一学科：经济学", "同一学院", "不同校区：通州"],
        ),
        (
            w.qian.pk,
            w.sun.pk,
            0,
            ["青年教师第 1 志愿", "导师第 1 志愿", "同一学科：经济学", "同一学院", "不同校区：海淀"],
        ),
        (w.sunq.pk, w.zheng.pk, 0, ["青年教师第 1 志愿", "导师第 1 志愿", *SUNQ_ZHENG]),
    ]
    assert run.unmatched == []
    assert run.summary == {"mentees": 3, "mentors": 3, "excluded": 0, "pairs": 3, "total_cost": 1}

    pairs = matching_confirm(actor=w.office, run=run)
    assert [(p.mentee_id, p.mentor_id, p.source) for p in pairs] == [
        (w.zhao.pk, w.zhou.pk, PairSource.STABLE),
        (w.qian.pk, w.sun.pk, PairSource.STABLE),
        (w.sunq.pk, w.zheng.pk, PairSource.STABLE),
    ]


def test_stable_matching_without_rankings(w):
    through(w, "matching")
    _rank(w, w.zhao, Side.MENTEE, [w.sun])
    _rank(w, w.sun, Side.MENTOR, [w.zhao])
    run = matching_run(actor=w.office, cohort=w.cohort, method=MatchMethod.STABLE)

    assert [(r["mentee"], r["mentor"]) for r in run.proposal] == [(w.zhao.pk, w.sun.pk)]
    assert run.unmatched == [
        {"person": w.qian.pk, "side": Side.MENTEE, "reasons": ["未填报志愿"]},
        {"person": w.sunq.pk, "side": Side.MENTEE, "reasons": ["未填报志愿"]},
        {"person": w.zhou.pk, "side": Side.MENTOR, "reasons": ["未填报志愿"]},
        {"person": w.zheng.pk, "side": Side.MENTOR, "reasons": ["未填报志愿"]},
    ]


def test_nobody_named_is_a_run_without_pairs(w):
    w.cohort = cohorts.cohort_open(actor=w.office, cohort=w.cohort)
    for method in MatchMethod.values:
        run = matching_run(actor=w.office, cohort=w.cohort, method=method)
        assert (run.proposal, run.unmatched) == ([], [])
        assert run.summary == {"mentees": 0, "mentors": 0, "excluded": 0, "pairs": 0, "total_cost": 0}
    assert MatchingRun.objects.count() == 2


def test_nobody_eligible_is_a_run_with_every_reason(w):
    """Both candidates were named, then their profiles were corrected: neither is eligible now."""
    w.cohort = cohorts.cohort_open(actor=w.office, cohort=w.cohort)
    candidate_add(actor=w.office, cohort=w.cohort, person=w.zhao, side=Side.MENTEE)
    candidate_add(actor=w.office, cohort=w.cohort, person=w.zhou, side=Side.MENTOR)
    w.zhao.teacher_profile.hired_on = w.cohort.starts_on.replace(year=2015)
    w.zhao.teacher_profile.save()
    w.zhou.teacher_profile.title, w.zhou.teacher_profile.title_rank = "讲师", "intermediate"
    w.zhou.teacher_profile.save()

    run = matching_run(actor=w.office, cohort=w.cohort, method=MatchMethod.ASSIGNMENT)

    assert run.proposal == []
    assert run.unmatched == [
        {
            "person": w.zhao.pk,
            "side": Side.MENTEE,
            "reasons": ["入职日期 2015-03-01，不是本期的新入职教师（3 年内）。"],
        },
        {"person": w.zhou.pk, "side": Side.MENTOR, "reasons": ["职称讲师低于副高级。"]},
    ]
    assert run.summary == {"mentees": 0, "mentors": 0, "excluded": 2, "pairs": 0, "total_cost": 0}
    error = _refused(matching_confirm, actor=w.office, run=run)
    assert error.message == "匹配方案中没有结对，无需确认。"


def test_a_run_refused(w):
    error = _refused(matching_run, actor=w.office, cohort=w.cohort, method=MatchMethod.ASSIGNMENT)
    assert error.message == "只有“结对中”的期次可以计算匹配。"
    through(w, "matching")
    error = _refused(matching_run, actor=w.office, cohort=w.cohort, method="lottery")
    assert error.message == "请选择匹配方式。"
    with nothing_written(), pytest.raises(PermissionDenied):
        matching_run(actor=w.officer, cohort=w.cohort, method=MatchMethod.ASSIGNMENT)


# --- editing --------------------------------------------------------------------------------


def test_edit_moves_a_new_teacher_to_another_mentor(w):
    through(w, "matching")
    run = matching_run(actor=w.office, cohort=w.cohort, method=MatchMethod.ASSIGNMENT)

    run = matching_edit(actor=w.office, run=run, mentee_id=w.zhao.pk, mentor_id=None)
    assert _rows(run) == [(w.qian.pk, w.zhou.pk, 0, QIAN_ZHOU), (w.sunq.pk, w.zheng.pk, 0, SUNQ_ZHENG)]
    assert run.unmatched == [{"person": w.zhao.pk, "side": Side.MENTEE, "reasons": ["校工会调整：移出匹配方案"]}]

    run = matching_edit(actor=w.office, run=run, mentee_id=w.qian.pk, mentor_id=w.sun.pk)
    assert _rows(run) == [(w.qian.pk, w.sun.pk, None, ["校工会调整"]), (w.sunq.pk, w.zheng.pk, 0, SUNQ_ZHENG)]
    assert run.summary == {"mentees": 3, "mentors": 3, "excluded": 0, "pairs": 2, "total_cost": 0, "edited": True}

    run = matching_edit(actor=w.office, run=run, mentee_id=w.zhao.pk, mentor_id=w.zhou.pk)
    assert [(r["mentee"], r["mentor"]) for r in run.proposal] == [
        (w.zhao.pk, w.zhou.pk),
        (w.qian.pk, w.sun.pk),
        (w.sunq.pk, w.zheng.pk),
    ]
    assert run.unmatched == []
    events = MatchingRunEvent.objects.filter(subject=run).order_by("id").values_list("step", "message")
    assert list(events) == [
        ("edit", "将赵青移出匹配方案"),
        ("edit", "为钱青改配指导教师孙教授"),
        ("edit", "为赵青改配指导教师周副教授"),
    ]

    pairs = matching_confirm(actor=w.office, run=run)
    assert [(p.mentee_id, p.mentor_id, p.source, p.reasons) for p in pairs] == [
        (w.zhao.pk, w.zhou.pk, PairSource.ASSIGNMENT, ["校工会调整"]),
        (w.qian.pk, w.sun.pk, PairSource.ASSIGNMENT, ["校工会调整"]),
        (w.sunq.pk, w.zheng.pk, PairSource.ASSIGNMENT, SUNQ_ZHENG),
    ]


@pytest.mark.parametrize(
    "mentee, mentor, message",
    [
        ("qian", "sun", "不能结对：指导教师孙教授在本方案中已带 1 人，没有名额。"),
        (
            "sunq",
            "sun",
            "不能结对：学科不同：指导教师为经济学，青年教师为法学。指导教师孙教授在本方案中已带 1 人，没有名额。",
        ),
        ("old", "sun", "该青年教师不在本期名单中。"),
        ("qian", "wu", "该指导教师不在本期名单中。"),
    ],
)
def test_edit_refused(w, mentee, mentor, message):
    through(w, "matching")
    run = matching_run(actor=w.office, cohort=w.cohort, method=MatchMethod.ASSIGNMENT)
    before = (run.proposal, run.unmatched, run.summary)
    error = _refused(
        matching_edit, actor=w.office, run=run, mentee_id=getattr(w, mentee).pk, mentor_id=getattr(w, mentor).pk
    )
    assert error.message == message
    run.refresh_from_db()
    assert (run.proposal, run.unmatched, run.summary) == before


def test_edit_refused_for_the_discipline_alone(w):
    through(w, "matching")
    run = matching_run(actor=w.office, cohort=w.cohort, method=MatchMethod.ASSIGNMENT)
    run = matching_edit(actor=w.office, run=run, mentee_id=w.zhao.pk, mentor_id=None)
    error = _refused(matching_edit, actor=w.office, run=run, mentee_id=w.sunq.pk, mentor_id=w.sun.pk)
    assert error.message == "不能结对：学科不同：指导教师为经济学，青年教师为法学。"
    assert error.extra["reasons"] == ["学科不同：指导教师为经济学，青年教师为法学。"]


# --- confirming -----------------------------------------------------------------------------


def test_confirm_proposes_exactly_the_pairs(w):
    through(w, "matching")
    run = matching_run(actor=w.office, cohort=w.cohort, method=MatchMethod.ASSIGNMENT)
    pairs = matching_confirm(actor=w.office, run=run)

    rows = Pair.objects.order_by("mentee_id").values_list("mentee_id", "mentor_id", "status", "source", "reasons")
    assert list(rows) == [
        (w.zhao.pk, w.sun.pk, PairStatus.PROPOSED, PairSource.ASSIGNMENT, ZHAO_SUN),
        (w.qian.pk, w.zhou.pk, PairStatus.PROPOSED, PairSource.ASSIGNMENT, QIAN_ZHOU),
        (w.sunq.pk, w.zheng.pk, PairStatus.PROPOSED, PairSource.ASSIGNMENT, SUNQ_ZHENG),
    ]
    assert len(pairs) == 3
    run.refresh_from_db()
    assert run.status == MatchingStatus.CONFIRMED
    event = MatchingRunEvent.objects.get(subject=run)
    assert (event.step, event.message) == ("confirm", "确认匹配方案：推荐 3 对")

    error = _refused(matching_confirm, actor=w.office, run=run)
    assert error.message == "匹配方案已是“已确认”，不能再修改。"


def test_confirm_is_all_or_none(w):
    """钱青 was paired by hand with 周副教授 after the run: its row now breaks two rules, so
    no pair of the run is proposed (赵青's, checked before it, included)."""
    through(w, "matching")
    run = matching_run(actor=w.office, cohort=w.cohort, method=MatchMethod.ASSIGNMENT)
    pair_propose(actor=w.officer, cohort=w.cohort, mentor=w.zhou, mentee=w.qian)

    error = _refused(matching_confirm, actor=w.office, run=run)
    assert error.message == (
        "周副教授 — 钱青 不能结对：指导教师周副教授：本期已带 1 人，达到上限 1 人。青年教师钱青：本期已有结对。"
    )
    assert Pair.objects.count() == 1
    run.refresh_from_db()
    assert run.status == MatchingStatus.PROPOSED


def test_discard_then_confirm_refused(w):
    through(w, "matching")
    run = matching_run(actor=w.office, cohort=w.cohort, method=MatchMethod.ASSIGNMENT)
    matching_discard(actor=w.office, run=run)
    run.refresh_from_db()
    assert run.status == MatchingStatus.DISCARDED

    error = _refused(matching_confirm, actor=w.office, run=run)
    assert error.message == "匹配方案已是“已放弃”，不能再修改。"
    error = _refused(matching_edit, actor=w.office, run=run, mentee_id=w.zhao.pk, mentor_id=None)
    assert error.message == "匹配方案已是“已放弃”，不能再修改。"
    assert Pair.objects.count() == 0
