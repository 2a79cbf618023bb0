"""Duties (履职): logged by the mentee or the mentor, refused outside the cycle, in the future,
twice or by anyone else; confirmed or returned by the college; counted per cycle year."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from gonghui.core.exceptions import ApplicationError, InvalidTransition, StepNotAllowed
from gonghui.core.models import AuditEvent
from gonghui.mentorship.choices import DutyKind, DutyStatus
from gonghui.mentorship.models import DutyLog, DutyLogEvent
from gonghui.mentorship.selectors.counters import duty_counts, pair_counters, year_of
from gonghui.mentorship.services.duties import duties_confirm, duty_confirm, duty_log, duty_return, duty_window
from gonghui.mentorship.tests.factories import nothing_written, officer_make, through

pytestmark = pytest.mark.django_db

d = datetime.date
TODAY = d(2021, 3, 15)


def _log(w, *, actor=None, pair=None, kind=DutyKind.OBSERVATION, held_on=TODAY, course="宏观经济学", hours="2"):
    return duty_log(
        actor=actor or w.users["mentee"],
        pair=pair or w.pairs["赵青"],
        kind=kind,
        held_on=held_on,
        course=course,
        hours=hours,
    )


def _refused(w, **kwargs):
    with nothing_written(), pytest.raises(ApplicationError) as refused:
        _log(w, **kwargs)
    return refused.value


def test_logged_by_the_mentee_and_by_the_mentor(w):
    through(w, "running")
    by_mentee = _log(w)
    by_mentor = _log(w, actor=w.users["mentor"], kind=DutyKind.DEMONSTRATION, held_on=d(2021, 3, 12), hours="1.5")

    rows = DutyLog.objects.order_by("pk").values_list("kind", "held_on", "course", "hours", "logged_by_id", "status")
    assert list(rows) == [
        (DutyKind.OBSERVATION, d(2021, 3, 15), "宏观经济学", Decimal("2.0"), w.zhao.pk, DutyStatus.LOGGED),
        (DutyKind.DEMONSTRATION, d(2021, 3, 12), "宏观经济学", Decimal("1.5"), w.sun.pk, DutyStatus.LOGGED),
    ]
    assert AuditEvent.objects.filter(object_type="mentorship.dutylog", object_id=str(by_mentee.pk)).get().message == (
        "记录听课：2021-03-15 宏观经济学（2.0 学时）"
    )
    assert by_mentor.pair_id == w.pairs["赵青"].pk
    assert duty_window(w.pairs["赵青"]) == (d(2021, 3, 12), d(2023, 2, 28))


@pytest.mark.parametrize("who", ["member", "sub_union_officer", "union_office"])
def test_only_the_pair_logs(w, who):
    through(w, "running")
    with nothing_written(), pytest.raises(PermissionDenied) as refused:
        _log(w, actor=w.users[who])
    assert str(refused.value) == "只有师徒本人可以记录履职。"


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"held_on": d(2021, 3, 11)}, "日期须在培养期内（2021年3月12日 至 2023年2月28日）。"),
        ({"held_on": d(2021, 3, 16)}, "日期不能晚于今天。"),
        ({"hours": "0"}, "学时应在 0.5 到 12 之间。"),
        ({"hours": "0.4"}, "学时应在 0.5 到 12 之间。"),
        ({"hours": "13"}, "学时应在 0.5 到 12 之间。"),
        ({"hours": "abc"}, "学时应为数字，例如 2 或 1.5。"),
        ({"course": "  "}, "请填写课程或主题。"),
        ({"kind": "party"}, "请选择类别。"),
    ],
)
def test_a_duty_refused(w, changes, message):
    through(w, "running")
    assert _refused(w, **changes).message == message


def test_a_duty_after_the_cycle_is_refused(w, clock):
    through(w, "running")
    clock.move_to(datetime.datetime(2023, 3, 10, 9, 0))
    error = _refused(w, held_on=d(2023, 3, 1))
    assert error.message == "日期须在培养期内（2021年3月12日 至 2023年2月28日）。"
    assert _log(w, held_on=d(2023, 2, 28)).held_on == d(2023, 2, 28)


def test_a_duty_logged_twice_is_refused_whoever_logs_it(w):
    through(w, "running")
    _log(w)
    message = "2021年3月15日的听课“宏观经济学”已经记录过了。"
    assert _refused(w).message == message
    assert _refused(w, actor=w.users["mentor"]).message == message
    # another course, kind or day is another duty
    _log(w, course="微观经济学")
    _log(w, kind=DutyKind.MEETING)
    _log(w, held_on=d(2021, 3, 14))
    assert DutyLog.objects.count() == 4


def test_a_pair_not_active_logs_nothing(w):
    through(w, "agreed")
    error = _refused(w)
    assert error.message == "结对当前为“已签协议”，不能记录履职。"


def test_a_returned_duty_may_be_logged_again(w):
    through(w, "running")
    duty = _log(w)
    with nothing_written(), pytest.raises(InvalidTransition) as refused:
        duty_return(actor=w.officer, duty=duty, reason="")
    assert refused.value.message == "此操作须填写说明。"

    duty_return(actor=w.officer, duty=duty, reason="请补充听课记录")
    duty.refresh_from_db()
    assert duty.status == DutyStatus.RETURNED
    event = DutyLogEvent.objects.get(subject=duty)
    assert (event.step, event.message, event.actor_id) == ("return", "请补充听课记录", w.officer.pk)

    again = _log(w)
    assert again.status == DutyStatus.LOGGED
    assert DutyLog.objects.count() == 2
    with nothing_written(), pytest.raises(InvalidTransition):
        duty_confirm(actor=w.officer, duty=duty)


def test_confirmed_by_the_college_not_by_another(w):
    through(w, "running")
    duty = _log(w)
    law_officer = officer_make(w.law, "L0099")
    with nothing_written(), pytest.raises(StepNotAllowed) as refused:
        duty_confirm(actor=law_officer, duty=duty)
    assert refused.value.message == "您无权进行此操作。"
    with nothing_written(), pytest.raises(StepNotAllowed):
        duty_return(actor=law_officer, duty=duty, reason="不对")
    with nothing_written(), pytest.raises(StepNotAllowed):
        duty_confirm(actor=w.users["mentee"], duty=duty)

    duty_confirm(actor=w.officer, duty=duty)
    duty.refresh_from_db()
    assert duty.status == DutyStatus.CONFIRMED
    assert duty.confirmed_at is not None
    # the law officer confirms their own college's duty
    sunq = _log(w, actor=_user_of(w.sunq), pair=w.pairs["孙青"])
    duty_confirm(actor=law_officer, duty=sunq)
    sunq.refresh_from_db()
    assert sunq.status == DutyStatus.CONFIRMED


def _user_of(person):
    from gonghui.people.tests.factories import user_make

    return user_make(username=person.staff_no, person=person)


def test_duties_confirm_all_or_none(w):
    through(w, "running")
    first = _log(w)
    second = _log(w, actor=w.users["mentor"], kind=DutyKind.DEMONSTRATION)
    returned = _log(w, course="计量经济学")
    duty_return(actor=w.officer, duty=returned, reason="重复")
    law = _log(w, actor=_user_of(w.sunq), pair=w.pairs["孙青"])

    with nothing_written(), pytest.raises(StepNotAllowed) as refused:
        duties_confirm(actor=w.officer, duties=DutyLog.objects.filter(pk__in=[first.pk, second.pk, law.pk]))
    assert refused.value.message == "本批中有您无权处理的记录，未作任何更改。"
    with nothing_written(), pytest.raises(InvalidTransition) as refused:
        duties_confirm(actor=w.officer, duties=DutyLog.objects.filter(pk__in=[first.pk, returned.pk]))
    assert refused.value.message == "有 1 条履职记录处于“已退回”状态，不能改为“已确认”，本批未作任何更改。"
    assert DutyLog.objects.filter(status=DutyStatus.CONFIRMED).count() == 0

    assert duties_confirm(actor=w.officer, duties=DutyLog.objects.filter(pk__in=[first.pk, second.pk])) == 2
    assert duties_confirm(actor=w.officer, duties=DutyLog.objects.filter(pk__in=[first.pk, second.pk])) == 0
    assert DutyLogEvent.objects.filter(step="confirm").count() == 2
    statuses = dict(DutyLog.objects.values_list("pk", "status"))
    assert statuses == {
        first.pk: DutyStatus.CONFIRMED,
        second.pk: DutyStatus.CONFIRMED,
        returned.pk: DutyStatus.RETURNED,
        law.pk: DutyStatus.LOGGED,
    }


# --- counters -------------------------------------------------------------------------------


def _counts(year):
    return {c.kind: (c.required, c.confirmed, c.pending) for c in year.counters}


def test_counters_per_cycle_year(w, clock):
    through(w, "running")
    pair = w.pairs["赵青"]
    confirmed = [
        _log(w, held_on=d(2021, 3, 12)),
        _log(w, held_on=d(2021, 3, 13)),
        _log(w, kind=DutyKind.DEMONSTRATION, actor=w.users["mentor"]),
    ]
    _log(w, held_on=d(2021, 3, 14))  # pending
    duty_return(actor=w.officer, duty=_log(w, course="作废"), reason="重复")  # not counted
    clock.move_to(datetime.datetime(2022, 4, 1, 9, 0))
    confirmed.append(_log(w, held_on=d(2022, 3, 1)))
    confirmed.append(_log(w, kind=DutyKind.MEETING, held_on=d(2022, 3, 31)))
    _log(w, held_on=d(2022, 2, 28), course="年度末")  # pending, in the first year
    duties_confirm(actor=w.officer, duties=DutyLog.objects.filter(pk__in=[x.pk for x in confirmed]))

    years = pair_counters(pair)
    assert [(y.index, y.starts_on, y.ends_on) for y in years] == [
        (1, d(2021, 3, 1), d(2022, 2, 28)),
        (2, d(2022, 3, 1), d(2023, 2, 28)),
    ]
    assert _counts(years[0]) == {DutyKind.DEMONSTRATION: (4, 1, 0), DutyKind.OBSERVATION: (8, 2, 2)}
    assert _counts(years[1]) == {
        DutyKind.DEMONSTRATION: (4, 0, 0),
        DutyKind.OBSERVATION: (8, 1, 0),
        DutyKind.MEETING: (0, 1, 0),
    }
    assert [c.missing for c in years[0].counters] == [3, 6]
    assert (years[0].done, years[1].done) == (False, False)
    assert (year_of(w.cohort, d(2022, 2, 28)), year_of(w.cohort, d(2022, 3, 1)), year_of(w.cohort, d(2023, 3, 1))) == (
        1,
        2,
        None,
    )
    assert duty_counts([pair]) == {
        pair.pk: {DutyKind.OBSERVATION: (3, 2), DutyKind.DEMONSTRATION: (1, 0), DutyKind.MEETING: (1, 0)}
    }


def test_a_year_done(w):
    through(w, "running")
    duties = [_log(w, held_on=d(2021, 3, 12), course=f"听课{n}") for n in range(8)]
    duties += [_log(w, kind=DutyKind.DEMONSTRATION, held_on=d(2021, 3, 13), course=f"示范{n}") for n in range(4)]
    duties_confirm(actor=w.officer, duties=DutyLog.objects.filter(pk__in=[x.pk for x in duties]))
    first = pair_counters(w.pairs["赵青"])[0]
    assert _counts(first) == {DutyKind.DEMONSTRATION: (4, 4, 0), DutyKind.OBSERVATION: (8, 8, 0)}
    assert first.done
    assert [c.missing for c in first.counters] == [0, 0]
