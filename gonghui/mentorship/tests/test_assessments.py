"""Assessment at the end of the cycle and after an extension: the college's opinion, the
office's grade, the stipend each grade earns; refused before the cycle (or the extension)
ends, with nothing written."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from gonghui.core.exceptions import ApplicationError, InvalidTransition, StepNotAllowed
from gonghui.mentorship.choices import AssessmentStage, CohortStatus, Outcome, PairStatus
from gonghui.mentorship.models import Assessment, PairEvent
from gonghui.mentorship.services import cohorts
from gonghui.mentorship.services.assessments import (
    assessment_opinion,
    pair_assess,
    pair_not_assessed,
    pair_reassess,
)
from gonghui.mentorship.tests.factories import nothing_written, officer_make, through

pytestmark = pytest.mark.django_db

d = datetime.date
ASSESSED_ON = d(2023, 3, 1)


def _assessing(w, clock):
    through(w, "running")
    clock.move_to(datetime.datetime(2023, 3, 1, 9, 0))
    w.cohort = cohorts.cohort_open_assessment(actor=w.office, cohort=w.cohort)
    for pair in w.pairs.values():
        pair.refresh_from_db()
    return w


def _assessment(pair, stage=AssessmentStage.CYCLE):
    a = Assessment.objects.get(pair=pair, stage=stage)
    return (a.grade_code, a.grade_label, a.outcome, a.stipend, a.assessed_on)


def test_refused_before_the_cycle_ends(w):
    through(w, "running")
    pair = w.pairs["赵青"]
    with nothing_written(), pytest.raises(InvalidTransition) as refused:
        pair_assess(actor=w.office, pair=pair, grade_code="passed")
    assert refused.value.message == "培养期至 2023年2月28日 结束，期满后才能考核。"
    with nothing_written(), pytest.raises(InvalidTransition) as refused:
        cohorts.cohort_open_assessment(actor=w.office, cohort=w.cohort)
    assert refused.value.message == "培养期至 2023年2月28日 结束，期满后才能考核。"
    with nothing_written(), pytest.raises(ApplicationError) as refused:
        assessment_opinion(actor=w.office, pair=pair, opinion="表现良好")
    assert refused.value.message == "培养期至 2023年2月28日 结束，期满后才能考核。"
    pair.refresh_from_db()
    assert pair.status == PairStatus.ACTIVE
    assert not Assessment.objects.filter(pair=pair).exists()


def test_opinion_then_grade(w, clock):
    _assessing(w, clock)
    assert w.cohort.status == CohortStatus.ASSESSING
    pair = w.pairs["赵青"]
    law_officer = officer_make(w.law, "L0099")
    with nothing_written(), pytest.raises(ApplicationError) as refused:
        assessment_opinion(actor=w.officer, pair=pair, opinion=" ")
    assert refused.value.message == "请填写学院意见。"
    with nothing_written(), pytest.raises(PermissionDenied):
        assessment_opinion(actor=law_officer, pair=pair, opinion="很好")
    with nothing_written(), pytest.raises(PermissionDenied):
        assessment_opinion(actor=w.users["mentor"], pair=pair, opinion="很好")

    opinion = assessment_opinion(actor=w.officer, pair=pair, opinion="认真履职，示范课效果好")
    assert (opinion.stage, opinion.college_opinion, opinion.opinion_by_id, opinion.grade_code) == (
        AssessmentStage.CYCLE,
        "认真履职，示范课效果好",
        w.officer.pk,
        "",
    )
    opinion = assessment_opinion(actor=w.officer, pair=pair, opinion="认真履职")
    assert Assessment.objects.count() == 1

    with nothing_written(), pytest.raises(StepNotAllowed):
        pair_assess(actor=w.officer, pair=pair, grade_code="passed")
    with nothing_written(), pytest.raises(ApplicationError) as refused:
        pair_assess(actor=w.office, pair=pair, grade_code="excellent")
    assert refused.value.message == "请选择考核等次。"

    pair = pair_assess(actor=w.office, pair=pair, grade_code="passed")
    assert (pair.status, pair.extended_until) == (PairStatus.PASSED, None)
    assert _assessment(pair) == ("passed", "合格", Outcome.PASSED, Decimal("1200.00"), ASSESSED_ON)
    assert Assessment.objects.get(pair=pair).college_opinion == "认真履职"
    event = PairEvent.objects.filter(subject=pair).order_by("id").last()
    assert (event.step, event.message) == ("pass", "考核等次：合格")

    with nothing_written(), pytest.raises(ApplicationError) as refused:
        assessment_opinion(actor=w.officer, pair=pair, opinion="补充")
    assert refused.value.message == "结对当前为“合格”，不能填写考核意见。"
    with nothing_written(), pytest.raises(InvalidTransition):
        pair_assess(actor=w.office, pair=pair, grade_code="failed")


def test_basically_passed_then_the_extension(w, clock):
    _assessing(w, clock)
    qian, sunq = w.pairs["钱青"], w.pairs["孙青"]
    qian = pair_assess(actor=w.office, pair=qian, grade_code="basic", message="示范课不足")
    sunq = pair_assess(actor=w.office, pair=sunq, grade_code="basic")
    assert (qian.status, qian.extended_until) == (PairStatus.BASICALLY_PASSED, d(2023, 8, 28))
    assert _assessment(qian) == ("basic", "基本合格", Outcome.BASICALLY_PASSED, Decimal("600.00"), ASSESSED_ON)
    assert PairEvent.objects.filter(subject=qian).order_by("id").last().message == "示范课不足"

    with nothing_written(), pytest.raises(ApplicationError) as refused:
        pair_assess(actor=w.office, pair=qian, grade_code="passed")
    assert refused.value.message == "本结对已期满考核，等待延期考核。"
    with nothing_written(), pytest.raises(InvalidTransition) as refused:
        pair_reassess(actor=w.office, pair=qian, passed=True)
    assert refused.value.message == "延期考核期至 2023年8月28日，期满后才能再次考核。"
    # the college's opinion now is on the extension's assessment
    opinion = assessment_opinion(actor=w.officer, pair=qian, opinion="已补足示范课")
    assert opinion.stage == AssessmentStage.EXTENSION

    clock.move_to(datetime.datetime(2023, 8, 28, 9, 0))
    qian = pair_reassess(actor=w.office, pair=qian, passed=True)
    sunq = pair_reassess(actor=w.office, pair=sunq, passed=False, message="仍未完成")
    assert (qian.status, sunq.status) == (PairStatus.PASSED, PairStatus.FAILED)
    assert _assessment(qian, AssessmentStage.EXTENSION) == (
        "passed",
        "合格",
        Outcome.PASSED,
        Decimal("600.00"),
        d(2023, 8, 28),
    )
    assert _assessment(sunq, AssessmentStage.EXTENSION) == (
        "failed",
        "不合格",
        Outcome.FAILED,
        Decimal("0.00"),
        d(2023, 8, 28),
    )
    assert Assessment.objects.get(pair=qian, stage=AssessmentStage.EXTENSION).college_opinion == "已补足示范课"
    # the mentor of 钱青 earned 600 + 600; the mentor of 孙青 600 only
    assert sum(a.stipend for a in Assessment.objects.filter(pair=qian)) == Decimal("1200.00")
    assert sum(a.stipend for a in Assessment.objects.filter(pair=sunq)) == Decimal("600.00")
    with nothing_written(), pytest.raises(InvalidTransition):
        pair_reassess(actor=w.office, pair=qian, passed=True)


def test_failed_earns_nothing(w, clock):
    _assessing(w, clock)
    pair = pair_assess(actor=w.office, pair=w.pairs["孙青"], grade_code="failed")
    assert pair.status == PairStatus.FAILED
    assert _assessment(pair) == ("failed", "不合格", Outcome.FAILED, Decimal("0.00"), ASSESSED_ON)


def test_not_assessed_needs_a_reason(w, clock):
    _assessing(w, clock)
    pair = w.pairs["赵青"]
    with nothing_written(), pytest.raises(InvalidTransition) as refused:
        pair_not_assessed(actor=w.office, pair=pair, reason="")
    assert refused.value.message == "此操作须填写说明。"
    pair = pair_not_assessed(actor=w.office, pair=pair, reason="青年教师病假一年")
    assert pair.status == PairStatus.NOT_ASSESSED
    event = PairEvent.objects.filter(subject=pair).order_by("id").last()
    assert (event.step, event.message) == ("not_assess", "青年教师病假一年")
    assert Assessment.objects.count() == 0


def test_the_cohort_closes_when_every_pair_is_final(w, clock):
    _assessing(w, clock)
    pair_assess(actor=w.office, pair=w.pairs["赵青"], grade_code="passed")
    pair_assess(actor=w.office, pair=w.pairs["钱青"], grade_code="basic")
    with nothing_written(), pytest.raises(InvalidTransition) as refused:
        cohorts.cohort_close(actor=w.office, cohort=w.cohort)
    assert refused.value.message == "还有 2 对师徒未完成考核，不能结束本期。"
    pair_assess(actor=w.office, pair=w.pairs["孙青"], grade_code="failed")
    clock.move_to(datetime.datetime(2023, 8, 28, 9, 0))
    pair_reassess(actor=w.office, pair=w.pairs["钱青"], passed=True)
    cohort = cohorts.cohort_close(actor=w.office, cohort=w.cohort)
    assert cohort.status == CohortStatus.CLOSED
