"""Whom the steps tell, once their transaction commits: a round opened (the staff asked and the
college officers), the roll-up sent (the drafting unit's officers), the answers published (the
authors and the delegates), the vote's outcome (the delegates)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from gonghui.core.exceptions import ApplicationError
from gonghui.deliberations.choices import AnswerStatus, RoundAudience, VoteMethod
from gonghui.deliberations.services.answers import answers_publish, group_answer
from gonghui.deliberations.services.rounds import rollup_send, round_close
from gonghui.deliberations.services.votes import vote_call, vote_record
from gonghui.deliberations.tests.factories import (
    deliberation_make,
    give,
    round_opened,
    rules_adopted,
    through,
    version_published,
)
from gonghui.notifications.models import Notification

STAFF = {"E0001", "E0002", "E0003", "E0004", "E0099", "L0001", "L0002", "L0009"}  # active, with an account
DELEGATES = {"E0001", "E0002", "E0003", "E0004", "L0001", "L0009"}
COLLECTORS = {"E0099", "lawofficer"}


def _told(kind, **filters) -> dict[str, list[str]]:
    """{username: [titles]} of the notifications of `kind`."""
    told: dict[str, list[str]] = {}
    for username, title in Notification.objects.filter(kind=kind, **filters).values_list(
        "recipient__username", "title"
    ):
        told.setdefault(username, []).append(title)
    return told


def test_a_round_opened_tells_the_staff_asked_and_the_college_officers(w, django_capture_on_commit_callbacks):
    deliberation = deliberation_make(w)
    version_published(w, deliberation)
    assert Notification.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        r = round_opened(w, deliberation)
    closes = timezone.localtime(r.closes_at).strftime("%Y-%m-%d %H:%M")
    asked = f"征求意见：教职工绩效工资改革方案（第1稿），{closes} 截止"
    collect = f"请组织本学院对“教职工绩效工资改革方案”（第1稿）提出意见，{closes} 截止"
    told = _told("deliberations.round_opened")
    assert set(told) == STAFF | COLLECTORS  # not the retired zhao, the office or the drafting unit
    for username in STAFF - COLLECTORS:
        assert told[username] == [asked]
    assert sorted(told["E0099"]) == sorted([asked, collect])  # staff and officer: both
    assert told["lawofficer"] == [collect]
    assert Notification.objects.count() == len(STAFF) + len(COLLECTORS)
    urls = set(Notification.objects.values_list("url", flat=True))
    assert urls == {reverse("deliberations:version", args=[r.version_id]), reverse("deliberations:round", args=[r.pk])}


def test_a_delegates_round_tells_the_delegates_serving(w, django_capture_on_commit_callbacks):
    w.delegates["wu"].ended_on = timezone.localdate() - datetime.timedelta(days=1)
    w.delegates["wu"].save()
    deliberation = deliberation_make(w)
    version_published(w, deliberation)
    with django_capture_on_commit_callbacks(execute=True):
        round_opened(w, deliberation, audience=RoundAudience.DELEGATES)
    told = _told("deliberations.round_opened", title__startswith="征求意见")
    assert set(told) == DELEGATES - {"E0004"}


def test_a_refused_step_tells_nobody(w, django_capture_on_commit_callbacks):
    deliberation = deliberation_make(w)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ApplicationError):
        round_opened(w, deliberation)  # no published version
    assert Notification.objects.count() == 0


def test_the_roll_up_sent_tells_the_drafting_units_officers(w, django_capture_on_commit_callbacks):
    world = through(w, "closed")
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        rollup_send(actor=w.office, opinion_round=world.opinion_round)
    sent = Notification.objects.get()  # only hr: not the other unit's officer
    assert (sent.recipient, sent.kind, sent.title) == (
        w.users["hr"],
        "deliberations.sent",
        "“教职工绩效工资改革方案”的意见汇总已送达，请逐条答复",
    )
    assert sent.url == reverse("deliberations:rollup", args=[world.opinion_round.pk]) + "?status=pending"


def test_answers_published_tell_the_authors_and_the_delegates(w, django_capture_on_commit_callbacks):
    world = through(w, "given")
    r = world.opinion_round
    give(w, r, "sun", "非代表的意见")  # an author who is not a delegate
    round_close(actor=w.office, opinion_round=r)
    rollup_send(actor=w.office, opinion_round=r)
    for group in r.groups.all():
        group_answer(actor=w.users["hr"], group=group, decision=AnswerStatus.ADOPTED)
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        answers_publish(actor=w.users["hr"], opinion_round=world.opinion_round)
    told = _told("deliberations.answered")
    assert set(told) == DELEGATES | {"L0002"}
    assert all(titles == ["“教职工绩效工资改革方案”的意见答复已公布"] for titles in told.values())
    assert Notification.objects.count() == 7
    assert set(Notification.objects.values_list("url", flat=True)) == {
        reverse("deliberations:detail", args=[world.deliberation.pk])
    }


@pytest.mark.parametrize(
    "votes_for, title",
    [(5, "“教职工绩效工资改革方案”已经教代会表决通过"), (2, "“教职工绩效工资改革方案”未获教代会表决通过")],
)
def test_the_outcome_of_the_vote_tells_the_delegates(w, django_capture_on_commit_callbacks, votes_for, title):
    rules_adopted(w)
    deliberation = deliberation_make(w)
    version_published(w, deliberation)
    vote_call(actor=w.office, deliberation=deliberation)
    with django_capture_on_commit_callbacks(execute=True):
        vote_record(
            actor=w.users["zhou"],
            deliberation=deliberation,
            method=VoteMethod.SECRET_BALLOT,
            present=6,
            votes_for=votes_for,
            votes_against=6 - votes_for,
            abstentions=0,
            held_on=timezone.localdate(),
        )
    told = _told("deliberations.decided")
    assert set(told) == DELEGATES
    assert all(titles == [title] for titles in told.values())
    assert Notification.objects.count() == 6
