"""Whom mentorship tells: the pair of its steps, the logger of a returned duty, and before a
term ends the pairs behind on the year's duties (once per term end)."""

import datetime

import pytest
from django.urls import reverse

from gonghui.mentorship.choices import DutyKind
from gonghui.mentorship.models import DutyLog
from gonghui.mentorship.services.duties import duties_confirm, duty_log, duty_return
from gonghui.mentorship.services.notices import duties_remind, term_end_ahead
from gonghui.mentorship.services.pairs import pair_agree, pair_withdraw
from gonghui.mentorship.tests.factories import SIGNED_ON, agreement_file, through
from gonghui.notifications.models import Notification
from gonghui.people.tests.factories import user_make

pytestmark = pytest.mark.django_db

d = datetime.date


def _log(w, actor, pair, kind, held_on, course):
    return duty_log(actor=actor, pair=pair, kind=kind, held_on=held_on, course=course, hours="2")


def _running_with_users(w, clock):
    through(w, "running")
    for person in (w.qian, w.zhou, w.sunq, w.zheng):
        w.users[person.name] = user_make(username=person.staff_no, person=person)
    clock.move_to(datetime.datetime(2021, 6, 1, 9, 0))
    zhao, qian = w.pairs["赵青"], w.pairs["钱青"]
    done = [_log(w, w.users["mentee"], zhao, DutyKind.OBSERVATION, d(2021, 4, n), f"听课{n}") for n in range(1, 9)]
    done += [_log(w, w.users["mentor"], zhao, DutyKind.DEMONSTRATION, d(2021, 5, n), f"示范{n}") for n in range(1, 5)]
    done.append(_log(w, w.users["钱青"], qian, DutyKind.OBSERVATION, d(2021, 4, 1), "金融学"))
    _log(w, w.users["钱青"], qian, DutyKind.OBSERVATION, d(2021, 4, 2), "金融学")  # pending: does not count
    duties_confirm(actor=w.officer, duties=DutyLog.objects.filter(pk__in=[x.pk for x in done]))
    return w


def _reminders(kind):
    return sorted(
        Notification.objects.filter(kind=kind).values_list("recipient__username", "title", "url"),
    )


def test_remind_the_pairs_behind_before_the_term_ends(w, clock):
    _running_with_users(w, clock)
    assert term_end_ahead(w.cohort, d(2021, 6, 20)) == d(2021, 7, 5)

    assert duties_remind(today=d(2021, 6, 20)) == 2

    qian_url = reverse("mentorship:pair", args=[w.pairs["钱青"].pk])
    sunq_url = reverse("mentorship:pair", args=[w.pairs["孙青"].pk])
    assert _reminders("mentorship.remind.2021-07-05") == [
        ("E1102", "学期将于 2021-07-05 结束：本年度还差示范课 4、听课 7", qian_url),
        ("E2002", "学期将于 2021-07-05 结束：本年度还差示范课 4、听课 7", qian_url),
        ("L1101", "学期将于 2021-07-05 结束：本年度还差示范课 4、听课 8", sunq_url),
        ("L2001", "学期将于 2021-07-05 结束：本年度还差示范课 4、听课 8", sunq_url),
    ]
    # once per term end
    assert duties_remind(today=d(2021, 6, 21)) == 0
    assert Notification.objects.count() == 4
    # the next term end is another reminder
    assert duties_remind(today=d(2021, 12, 30)) == 2
    assert Notification.objects.filter(kind="mentorship.remind.2022-01-15").count() == 4


@pytest.mark.parametrize("today", [d(2021, 6, 13), d(2021, 7, 6), d(2021, 5, 1)])
def test_no_reminder_outside_the_window(w, clock, today):
    _running_with_users(w, clock)
    assert term_end_ahead(w.cohort, today) is None
    assert duties_remind(today=today) == 0
    assert Notification.objects.count() == 0


def test_the_window_edges(w, clock):
    _running_with_users(w, clock)
    assert duties_remind(today=d(2021, 6, 14)) == 2  # 21 days before
    assert duties_remind(today=d(2021, 7, 5)) == 0  # the day itself: already reminded


def test_a_pair_without_accounts_is_not_reminded(w, clock):
    through(w, "running")
    # only 赵青 and 孙教授 have accounts: their pair alone is reminded
    assert duties_remind(today=d(2021, 6, 20)) == 1
    assert _reminders("mentorship.remind.2021-07-05") == [
        (
            "E1101",
            "学期将于 2021-07-05 结束：本年度还差示范课 4、听课 8",
            reverse("mentorship:pair", args=[w.pairs["赵青"].pk]),
        ),
        (
            "E2001",
            "学期将于 2021-07-05 结束：本年度还差示范课 4、听课 8",
            reverse("mentorship:pair", args=[w.pairs["赵青"].pk]),
        ),
    ]


def test_the_pair_hears_of_its_steps(w, django_capture_on_commit_callbacks):
    through(w, "proposed")
    zhao = w.pairs["赵青"]
    with django_capture_on_commit_callbacks(execute=True):
        pair_agree(actor=w.office, pair=zhao, signed_on=SIGNED_ON, uploaded_file=agreement_file())
    with django_capture_on_commit_callbacks(execute=True):
        pair_withdraw(actor=w.office, pair=w.pairs["钱青"], reason="调离")  # not told

    rows = Notification.objects.order_by("recipient__username").values_list(
        "recipient__username", "title", "url", "kind"
    )
    url = reverse("mentorship:pair", args=[zhao.pk])
    assert list(rows) == [
        ("E1101", "拜师结对（孙教授 — 赵青）：已签协议", url, "mentorship.pair"),
        ("E2001", "拜师结对（孙教授 — 赵青）：已签协议", url, "mentorship.pair"),
    ]


def test_the_logger_hears_of_a_returned_duty(w, django_capture_on_commit_callbacks):
    through(w, "running")
    duty = _log(w, w.users["mentee"], w.pairs["赵青"], DutyKind.OBSERVATION, d(2021, 3, 15), "宏观经济学")
    with django_capture_on_commit_callbacks(execute=True):
        duty_return(actor=w.officer, duty=duty, reason="请补充听课记录")

    note = Notification.objects.get()
    assert (note.recipient_id, note.title, note.body, note.kind) == (
        w.users["mentee"].pk,
        "履职记录被退回：2021-03-15 宏观经济学",
        "请补充听课记录",
        "mentorship.duty_returned",
    )
    assert note.url == reverse("mentorship:pair", args=[w.pairs["赵青"].pk])
