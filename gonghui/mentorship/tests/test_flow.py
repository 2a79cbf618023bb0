"""A cohort from its draft to its stipends, through the services, with exact figures."""

import datetime
from decimal import Decimal

import pytest

from gonghui.mentorship.choices import CohortStatus, DutyKind, DutyStatus, MatchMethod, PairStatus, StipendKind
from gonghui.mentorship.models import Assessment, DutyLog, Pair, PairEvent, StipendEntry
from gonghui.mentorship.selectors.counters import pair_counters
from gonghui.mentorship.services import assessments, cohorts, duties, matching, stipends
from gonghui.mentorship.tests.factories import through

pytestmark = pytest.mark.django_db


def test_matching_to_stipend(w, clock):
    through(w, "matching")
    run = matching.matching_run(actor=w.office, cohort=w.cohort, method=MatchMethod.ASSIGNMENT)
    assert [(r["mentee"], r["mentor"], r["cost"]) for r in run.proposal] == [
        (w.zhao.pk, w.sun.pk, 0),
        (w.qian.pk, w.zhou.pk, 0),
        (w.sunq.pk, w.zheng.pk, 0),
    ]
    assert run.proposal[0]["reasons"] == ["同一学科：经济学", "同一学院", "研究方向相同：宏观经济", "同一校区"]
    assert run.unmatched == []
    pairs = matching.matching_confirm(actor=w.office, run=run)
    assert [p.status for p in pairs] == [PairStatus.PROPOSED] * 3
    for pair in pairs:
        from gonghui.mentorship.services.pairs import pair_agree
        from gonghui.mentorship.tests.factories import SIGNED_ON, agreement_file

        pair_agree(actor=w.office, pair=pair, signed_on=SIGNED_ON, uploaded_file=agreement_file())
    cohort = cohorts.cohort_start(actor=w.office, cohort=w.cohort, ceremony_on=datetime.date(2021, 3, 12))
    assert cohort.status == CohortStatus.RUNNING
    zhao_pair = Pair.objects.get(mentee=w.zhao)
    assert zhao_pair.status == PairStatus.ACTIVE
    assert zhao_pair.started_on == datetime.date(2021, 3, 12)

    duty = duties.duty_log(
        actor=w.users["mentee"],
        pair=zhao_pair,
        kind=DutyKind.OBSERVATION,
        held_on=datetime.date(2021, 3, 15),
        course="宏观经济学",
        hours="2",
    )
    assert duty.status == DutyStatus.LOGGED
    duties.duty_confirm(actor=w.officer, duty=duty)
    year1 = pair_counters(zhao_pair)[0]
    observation = next(c for c in year1.counters if c.kind == DutyKind.OBSERVATION)
    assert (observation.required, observation.confirmed, observation.pending) == (8, 1, 0)

    clock.move_to(datetime.datetime(2023, 3, 1, 9, 0))
    cohorts.cohort_open_assessment(actor=w.office, cohort=cohort)
    assessments.assessment_opinion(actor=w.officer, pair=zhao_pair, opinion="认真履职")
    assessments.pair_assess(actor=w.office, pair=zhao_pair, grade_code="passed")
    qian_pair = Pair.objects.get(mentee=w.qian)
    assessments.pair_assess(actor=w.office, pair=qian_pair, grade_code="basic")
    qian_pair.refresh_from_db()
    assert qian_pair.status == PairStatus.BASICALLY_PASSED
    assert qian_pair.extended_until == datetime.date(2023, 8, 28)
    batch = stipends.stipend_batch_create(actor=w.office, cohort=cohort)
    assert sorted(a.stipend for a in batch.assessments.all()) == [Decimal("600.00"), Decimal("1200.00")]
    stipends.stipend_batch_mark_paid(actor=w.office, batch=batch, paid_on=datetime.date(2023, 3, 20))
    assert StipendEntry.objects.filter(kind=StipendKind.PAYMENT).count() == 2
    assert sum(e.amount for e in StipendEntry.objects.all()) == Decimal("1800.00")
    assert Assessment.objects.count() == 2
    assert DutyLog.objects.count() == 1
    assert PairEvent.objects.filter(subject=zhao_pair).count() == 3
