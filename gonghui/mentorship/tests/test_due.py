"""`manage.py mentorship_due` and its task, with a fixed clock: a running cohort whose cycle
has ended opens its assessment (as the system actor), and, before a term ends (07-05, 21
days ahead), the pairs behind on this cycle year's duties are reminded once; a second run the
same day does nothing more."""

from __future__ import annotations

import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command

from gonghui.accounts.system import system_actor
from gonghui.mentorship.choices import CohortStatus, DutyKind, DutyStatus
from gonghui.mentorship.models import CohortEvent, DutyLog
from gonghui.mentorship.tasks import mentorship_due_run
from gonghui.mentorship.tests.factories import through
from gonghui.notifications.models import Notification
from gonghui.people.tests.factories import user_make
from tests.tables import changed_tables, table_counts

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


def run(*args) -> str:
    out = StringIO()
    call_command("mentorship_due", *args, stdout=out)
    return out.getvalue()


def at(*day) -> datetime.datetime:
    return datetime.datetime(*day, 9, 0, tzinfo=TZ)


def done(pair) -> None:
    """The pair's first cycle year fulfilled: 4 demonstrations and 8 observations confirmed."""
    DutyLog.objects.bulk_create(
        DutyLog(
            pair=pair,
            kind=kind,
            held_on=datetime.date(2021, 3, 13),
            course=f"第{n}次",
            hours=2,
            logged_by=pair.mentee,
            status=DutyStatus.CONFIRMED,
        )
        for kind, count in ((DutyKind.DEMONSTRATION, 4), (DutyKind.OBSERVATION, 8))
        for n in range(count)
    )


def test_reminders_before_the_term_ends_once(w, clock):
    through(w, "running")
    user_make(username="L2001", person=w.sunq)
    done(w.pairs["钱青"])
    system_actor()  # the account exists before counting the tables
    before = table_counts()
    assert run() == "assessments opened: 0\npairs reminded: 0\n"
    assert changed_tables(before, table_counts()) == {}
    # 15 days before the term ends on 07-05: 赵青's and 孙青's pairs are behind; 钱青's is not
    clock.move_to(at(2021, 6, 20))
    assert run() == "assessments opened: 0\npairs reminded: 2\n"
    sent = Notification.objects.filter(kind="mentorship.remind.2021-07-05").order_by("recipient__username")
    assert [(n.recipient.username, n.title, n.url) for n in sent] == [
        ("E1101", "学期将于 2021-07-05 结束：本年度还差示范课 4、听课 8", f"/mentorship/pairs/{w.pairs['赵青'].pk}/"),
        ("E2001", "学期将于 2021-07-05 结束：本年度还差示范课 4、听课 8", f"/mentorship/pairs/{w.pairs['赵青'].pk}/"),
        ("L2001", "学期将于 2021-07-05 结束：本年度还差示范课 4、听课 8", f"/mentorship/pairs/{w.pairs['孙青'].pk}/"),
    ]
    # the next day: already reminded for this term end
    clock.move_to(at(2021, 6, 21))
    before = table_counts()
    assert run() == "assessments opened: 0\npairs reminded: 0\n"
    assert changed_tables(before, table_counts()) == {}


def test_the_assessment_opens_once_the_cycle_has_ended(w, clock):
    through(w, "running")
    system_actor()
    clock.move_to(at(2023, 2, 28))  # the cycle's last day
    before = table_counts()
    assert run() == "assessments opened: 0\npairs reminded: 0\n"
    assert changed_tables(before, table_counts()) == {}
    clock.move_to(at(2023, 3, 1))
    assert run() == "assessments opened: 1\npairs reminded: 0\n"
    w.cohort.refresh_from_db()
    assert w.cohort.status == CohortStatus.ASSESSING
    event = CohortEvent.objects.get(subject=w.cohort, to_state=CohortStatus.ASSESSING)
    assert (event.actor.username, event.step) == ("system", "open_assessment")
    before = table_counts()
    assert run() == "assessments opened: 0\npairs reminded: 0\n"
    assert changed_tables(before, table_counts()) == {}


def test_a_given_day(w, clock):
    through(w, "running")
    system_actor()
    clock.move_to(at(2023, 3, 10))
    # a day the cycle had not ended yet, then the day after it ended
    assert run("--date", "2023-02-28") == "assessments opened: 0\npairs reminded: 0\n"
    assert run("--date", "2023-03-01") == "assessments opened: 1\npairs reminded: 0\n"
    before = table_counts()
    for value, message in (("2023-03-11", "is after today"), ("2023-02-30", "is not a date")):
        with pytest.raises(CommandError, match=message):
            run("--date", value)
    assert changed_tables(before, table_counts()) == {}


def test_the_task_does_the_same(w, clock):
    through(w, "running")
    assert mentorship_due_run.call() == {"assessments_opened": 0, "pairs_reminded": 0}
    clock.move_to(at(2023, 3, 1))
    assert mentorship_due_run.call() == {"assessments_opened": 1, "pairs_reminded": 0}
    w.cohort.refresh_from_db()
    assert w.cohort.status == CohortStatus.ASSESSING
    assert mentorship_due_run.call() == {"assessments_opened": 0, "pairs_reminded": 0}
