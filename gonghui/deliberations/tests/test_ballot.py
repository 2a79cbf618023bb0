"""The congress's secret ballot on a draft, through core's ballot store: every serving delegate
votes once on their phone; the presidium closes it and the count is the vote."""

import pytest

from gonghui.core.exceptions import ApplicationError, PermissionDenied
from gonghui.core.models import Ballot, BallotBox, BallotPending, BallotVoter
from gonghui.deliberations.choices import DeliberationStatus, VoteMethod
from gonghui.deliberations.services import votes
from gonghui.deliberations.tests.factories import through, vote_rules_adopt
from tests.tables import changed_tables, table_counts


@pytest.fixture
def voting(w):
    vote_rules_adopt(w)
    world = through(w, "responded")
    votes.vote_call(actor=w.office, deliberation=world.deliberation)
    return world


def test_opening_lists_the_serving_delegates_and_tells_them(w, voting, django_capture_on_commit_callbacks):
    from gonghui.notifications.models import Notification

    with django_capture_on_commit_callbacks(execute=True):
        box = votes.ballot_open(actor=w.users["zhou"], deliberation=voting.deliberation)  # a presidium member
    assert box.subject == f"deliberations.vote:{voting.deliberation.pk}"
    assert set(BallotVoter.objects.filter(box=box).values_list("person_id", flat=True)) == {
        w.people[name].pk for name in ("zhang", "li", "wang", "zhou", "qian", "wu")
    }
    told = Notification.objects.filter(kind="deliberations.ballot")
    assert told.count() == 6
    assert set(told.values_list("title", flat=True)) == {"请对“教职工绩效工资改革方案”进行无记名投票"}


def test_only_the_presidium_opens_and_counts(w, voting):
    before = table_counts()
    for who in ("zhang", "hr", "chen"):
        with pytest.raises(PermissionDenied):
            votes.ballot_open(actor=w.users[who], deliberation=voting.deliberation)
    assert changed_tables(before, table_counts()) == {}


def test_a_delegate_votes_once_and_the_ballot_names_no_one(w, voting):
    votes.ballot_open(actor=w.office, deliberation=voting.deliberation)
    votes.ballot_vote(actor=w.users["zhang"], deliberation=voting.deliberation, choice="against")
    before = table_counts()
    with pytest.raises(ApplicationError, match="您已投过票，选票一经投出不能更改。"):
        votes.ballot_vote(actor=w.users["zhang"], deliberation=voting.deliberation, choice="for")
    with pytest.raises(ApplicationError, match="您不在本次投票的投票人名单中。"):
        votes.ballot_vote(actor=w.users["sun"], deliberation=voting.deliberation, choice="for")
    with pytest.raises(ApplicationError, match="请对"):
        votes.ballot_vote(actor=w.users["li"], deliberation=voting.deliberation, choice="maybe")
    with pytest.raises(PermissionDenied):
        votes.ballot_vote(actor=w.users["hr"], deliberation=voting.deliberation, choice="for")
    assert changed_tables(before, table_counts()) == {}
    assert list(BallotPending.objects.values_list("choices", flat=True)) == [{"vote": "against"}]
    assert Ballot.objects.count() == 0  # written with its batch, shuffled (core.ballots)


def test_the_count_is_the_vote_under_the_rules(w, voting):
    votes.ballot_open(actor=w.office, deliberation=voting.deliberation)
    for who, choice in (("zhang", "for"), ("li", "for"), ("wang", "for"), ("qian", "against"), ("wu", "abstain")):
        votes.ballot_vote(actor=w.users[who], deliberation=voting.deliberation, choice=choice)
    vote = votes.ballot_count(
        actor=w.users["zhou"], deliberation=voting.deliberation, held_on=voting.deliberation.session.opens_on
    )
    # 6 serving delegates, 5 voted (quorum 4); 3 for is not more than half of all 6 delegates
    assert (vote.method, vote.delegates, vote.present) == (VoteMethod.SECRET_BALLOT, 6, 5)
    assert (vote.votes_for, vote.votes_against, vote.abstentions, vote.adopted) == (3, 1, 1, False)
    assert vote.ballot_box.status == "closed"
    voting.deliberation.refresh_from_db()
    assert voting.deliberation.status == DeliberationStatus.REJECTED
    with pytest.raises(ApplicationError, match="现在没有进行中的投票。"):
        votes.ballot_vote(actor=w.users["zhou"], deliberation=voting.deliberation, choice="for")


def test_a_count_below_the_quorum_writes_nothing(w, voting):
    votes.ballot_open(actor=w.office, deliberation=voting.deliberation)
    for who in ("zhang", "li", "wang"):
        votes.ballot_vote(actor=w.users[who], deliberation=voting.deliberation, choice="for")
    before = table_counts()
    with pytest.raises(ApplicationError, match="不足法定人数 4 人"):
        votes.ballot_count(
            actor=w.office, deliberation=voting.deliberation, held_on=voting.deliberation.session.opens_on
        )
    assert changed_tables(before, table_counts()) == {}
    assert BallotBox.objects.get().status == "open"  # the ballot goes on
