"""A mentor change: the pair ends early, a new one is proposed carrying the mentee's days, its
plan and (through the chain) its duties; refused with nothing written when the new mentor
breaks a rule or is the same one."""

import datetime

import pytest

from gonghui.core.exceptions import ApplicationError, StepNotAllowed
from gonghui.mentorship.choices import DutyKind, PairSource, PairStatus
from gonghui.mentorship.models import DutyLog, Pair, PairEvent
from gonghui.mentorship.selectors.counters import chain_ids, duty_counts, pair_counters
from gonghui.mentorship.services.duties import duties_confirm, duty_log, duty_window
from gonghui.mentorship.services.pairs import pair_agree, pair_change_mentor, pair_days
from gonghui.mentorship.tests.factories import agreement_file, nothing_written, teacher_make, through

pytestmark = pytest.mark.django_db

d = datetime.date
CHANGED_ON = d(2021, 9, 12)


def _feng(w):
    """Another professor of economics, free to mentor."""
    return teacher_make(
        "E1104", "冯教授", w.econ, born=d(1970, 3, 1), title="教授", rank="senior", discipline="经济学",
        field="金融", campus="海淀", hired=d(2001, 7, 1), since=d(2001, 9, 1),
    )  # fmt: skip


def _observe(w, actor, pair, held_on, course="宏观经济学"):
    return duty_log(actor=actor, pair=pair, kind=DutyKind.OBSERVATION, held_on=held_on, course=course, hours="2")


def test_change_carries_the_days_the_plan_and_the_duties(w, clock):
    through(w, "running")
    old = w.pairs["赵青"]
    assert old.started_on == d(2021, 3, 12)
    clock.move_to(datetime.datetime(2021, 4, 2, 9, 0))
    before = [_observe(w, w.users["mentee"], old, d(2021, 3, 15)), _observe(w, w.users["mentor"], old, d(2021, 4, 1))]
    duties_confirm(actor=w.officer, duties=DutyLog.objects.filter(pk__in=[x.pk for x in before]))
    feng = _feng(w)
    clock.move_to(datetime.datetime(2021, 9, 12, 9, 0))

    new = pair_change_mentor(actor=w.officer, pair=old, mentor=feng, reason="孙教授出国访学", on=CHANGED_ON)

    old.refresh_from_db()
    assert (old.status, old.ended_on) == (PairStatus.ENDED_EARLY, CHANGED_ON)
    event = PairEvent.objects.filter(subject=old).order_by("id").last()
    assert (event.step, event.message) == ("end_early", "更换指导教师：孙教授出国访学")
    assert duty_window(old) == (d(2021, 3, 12), CHANGED_ON)
    assert (new.status, new.source, new.previous_id, new.carried_days, new.mentor_id, new.mentee_id) == (
        PairStatus.PROPOSED,
        PairSource.CHANGE,
        old.pk,
        184,
        feng.pk,
        w.zhao.pk,
    )
    assert new.plan == "第一年听课，第二年开课"
    assert new.reasons == ["更换指导教师（原指导教师：孙教授）"]
    assert Pair.objects.filter(mentee=w.zhao).count() == 2
    assert pair_days(old, d(2021, 10, 1)) == 184

    clock.move_to(datetime.datetime(2021, 9, 20, 9, 0))
    new = pair_agree(actor=w.officer, pair=new, signed_on=d(2021, 9, 13), uploaded_file=agreement_file())
    assert (new.status, new.started_on) == (PairStatus.ACTIVE, d(2021, 9, 13))
    assert pair_days(new, d(2021, 10, 13)) == 214
    after = duty_log(
        actor=w.users["mentee"], pair=new, kind=DutyKind.DEMONSTRATION, held_on=d(2021, 9, 20), course="宏观", hours=2
    )
    duties_confirm(actor=w.officer, duties=DutyLog.objects.filter(pk=after.pk))

    assert chain_ids(new) == [new.pk, old.pk]
    first = {c.kind: (c.required, c.confirmed, c.pending) for c in pair_counters(new)[0].counters}
    assert first == {DutyKind.DEMONSTRATION: (4, 1, 0), DutyKind.OBSERVATION: (8, 2, 0)}
    # the cohort-wide counters count each pair's own duties
    assert duty_counts([old, new]) == {
        old.pk: {DutyKind.OBSERVATION: (2, 0)},
        new.pk: {DutyKind.DEMONSTRATION: (1, 0)},
    }


@pytest.mark.parametrize(
    "mentor, message",
    [
        ("sun", "新指导教师与原指导教师相同。"),
        ("zhou", "不能结对：指导教师周副教授：本期已带 1 人，达到上限 1 人。"),
        ("wu", "不能结对：指导教师吴讲师：职称讲师低于副高级。"),
        (
            "zheng",
            "不能结对：指导教师郑教授：本期已带 1 人，达到上限 1 人。学科不同：指导教师为法学，青年教师为经济学。",
        ),
    ],
)
def test_change_refused(w, mentor, message):
    through(w, "running")
    old = w.pairs["赵青"]
    with nothing_written(), pytest.raises(ApplicationError) as refused:
        pair_change_mentor(actor=w.office, pair=old, mentor=getattr(w, mentor), reason="调整", on=d(2021, 3, 15))
    assert refused.value.message == message
    old.refresh_from_db()
    assert (old.status, old.ended_on) == (PairStatus.ACTIVE, None)


def test_change_of_a_pair_not_active_or_by_the_pair_refused(w):
    through(w, "running")
    old = w.pairs["赵青"]
    feng = _feng(w)
    with nothing_written(), pytest.raises(StepNotAllowed):
        pair_change_mentor(actor=w.users["mentee"], pair=old, mentor=feng, reason="想换", on=d(2021, 3, 15))
    pair_change_mentor(actor=w.office, pair=old, mentor=feng, reason="调整", on=d(2021, 3, 15))
    with nothing_written(), pytest.raises(ApplicationError) as refused:
        pair_change_mentor(actor=w.office, pair=old, mentor=w.sun, reason="再换", on=d(2021, 3, 15))
    assert refused.value.message == "只有培养中的结对可以更换指导教师。"
