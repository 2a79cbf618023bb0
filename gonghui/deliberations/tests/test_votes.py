"""The vote: under the session's vote rules in force (an edition), a quorum of the term's
serving delegates present and more than half of the base (all delegates, or those present)
for; counts that cannot be are refused with nothing written."""

import datetime

import pytest
from django.utils import timezone

from gonghui.core.editions import EditionStatus
from gonghui.core.exceptions import ApplicationError, InvalidTransition, PermissionDenied, StepNotAllowed
from gonghui.deliberations.choices import DeliberationStatus, MajorityBase, VersionStatus, VoteMethod
from gonghui.deliberations.models import Vote, VoteRules
from gonghui.deliberations.services.versions import version_publish
from gonghui.deliberations.services.votes import (
    delegates_serving,
    vote_call,
    vote_record,
    vote_rules_adopt,
    vote_rules_in_force,
)
from gonghui.deliberations.tests.factories import (
    DRAFT_V2,
    deliberation_make,
    rules_adopted,
    through,
    version_drafted,
    version_published,
)
from tests.tables import changed_tables, table_counts

S = DeliberationStatus


# --- the rule's arithmetic -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "numerator, denominator, delegates, quorum",
    [(2, 3, 100, 67), (2, 3, 99, 66), (2, 3, 101, 68), (2, 3, 6, 4), (1, 2, 100, 50), (1, 2, 7, 4), (1, 1, 9, 9)],
)
def test_quorum_is_the_fraction_rounded_up(numerator, denominator, delegates, quorum):
    rules = VoteRules(quorum_numerator=numerator, quorum_denominator=denominator)
    assert rules.quorum_for(delegates) == quorum


@pytest.mark.parametrize(
    "base, delegates, present, needed",
    [
        (MajorityBase.ALL_DELEGATES, 100, 70, 51),
        (MajorityBase.ALL_DELEGATES, 101, 70, 51),
        (MajorityBase.ALL_DELEGATES, 6, 4, 4),
        (MajorityBase.PRESENT, 100, 70, 36),
        (MajorityBase.PRESENT, 100, 71, 36),
        (MajorityBase.PRESENT, 6, 4, 3),
    ],
)
def test_majority_is_more_than_half_of_the_base(base, delegates, present, needed):
    assert VoteRules(majority_base=base).majority_for(delegates=delegates, present=present) == needed


def test_the_quorum_must_be_a_fraction_not_above_one(w):
    assert VoteRules(quorum_numerator=2, quorum_denominator=3).adoption_problems() == []
    assert VoteRules(quorum_numerator=4, quorum_denominator=3).adoption_problems() == [
        "法定人数须为不大于 1 的分数，如 2/3。"
    ]
    before = table_counts()
    for numerator, denominator in ((4, 3), (0, 3)):
        with pytest.raises(ApplicationError, match="法定人数须为不大于 1 的分数，如 2/3。"):
            rules_adopted(w, numerator=numerator, denominator=denominator)
    with pytest.raises(PermissionDenied):
        vote_rules_adopt(
            actor=w.users["zhou"],
            session=w.session,
            quorum_numerator=2,
            quorum_denominator=3,
            majority_base=MajorityBase.ALL_DELEGATES,
            adopted_on=timezone.localdate(),
            resolution="决议",
        )
    assert changed_tables(before, table_counts()) == {}


def test_new_rules_supersede_the_ones_in_force(w):
    first = rules_adopted(w)
    assert (first.status, vote_rules_in_force(w.session)) == (EditionStatus.ADOPTED, first)
    second = rules_adopted(w, base=MajorityBase.PRESENT, numerator=1, denominator=2)
    first.refresh_from_db()
    assert (first.status, second.status, second.based_on) == (EditionStatus.SUPERSEDED, EditionStatus.ADOPTED, first)
    assert vote_rules_in_force(w.session) == second
    assert (second.quorum_numerator, second.quorum_denominator, second.majority_base) == (1, 2, "present")


# --- putting to the vote ----------------------------------------------------------------------------


def test_the_vote_needs_rules_in_force(w):
    world = through(w, "responded")
    before = table_counts()
    with pytest.raises(ApplicationError, match="的表决规则尚未通过：请先通过表决规则。"):
        vote_call(actor=w.office, deliberation=world.deliberation)
    assert changed_tables(before, table_counts()) == {}
    world.deliberation.refresh_from_db()
    assert world.deliberation.status == S.RESPONDED


def test_a_vote_needs_every_opinion_answered_and_a_published_version(w):
    rules_adopted(w)
    # drafting, no published version
    deliberation = deliberation_make(w)
    version_drafted(w, deliberation)
    before = table_counts()
    with pytest.raises(InvalidTransition, match="还没有发布的稿本：请先发布一稿。"):
        vote_call(actor=w.office, deliberation=deliberation)
    assert changed_tables(before, table_counts()) == {}
    # awaiting the unit's answers: the table refuses
    world = through(w, "sent", deliberation=deliberation_make(w, topic="乙方案"))
    before = table_counts()
    with pytest.raises(InvalidTransition, match="当前状态为“待起草单位答复”"):
        vote_call(actor=w.office, deliberation=world.deliberation)
    assert changed_tables(before, table_counts()) == {}


def test_responded_or_drafting_deliberations_go_to_the_vote(w):
    rules_adopted(w)
    world = through(w, "responded")
    assert vote_call(actor=w.users["zhou"], deliberation=world.deliberation).status == S.VOTING  # the presidium
    # a published draft never asked about may go to the vote directly
    direct = deliberation_make(w, topic="乙方案")
    version_published(w, direct)
    assert vote_call(actor=w.office, deliberation=direct).status == S.VOTING


@pytest.mark.parametrize("who", ["hr", "chen", "zhang"])
def test_others_may_not_put_to_the_vote(w, who):
    rules_adopted(w)
    world = through(w, "responded")
    before = table_counts()
    with pytest.raises(StepNotAllowed):
        vote_call(actor=w.users[who], deliberation=world.deliberation)
    assert changed_tables(before, table_counts()) == {}


# --- recording the vote -------------------------------------------------------------------------------


@pytest.fixture
def voting(w):
    """A deliberation put to the vote under 2/3 quorum and a majority of all delegates (6)."""
    rules = rules_adopted(w)
    world = through(w, "responded")
    vote_call(actor=w.office, deliberation=world.deliberation)
    world.rules = rules
    return world


def _record(w, world, *, who="zhou", method=VoteMethod.SHOW_OF_HANDS, present=6, f=6, a=0, ab=0, held_on=None):
    return vote_record(
        actor=w.users[who],
        deliberation=world.deliberation,
        method=method,
        present=present,
        votes_for=f,
        votes_against=a,
        abstentions=ab,
        held_on=held_on or timezone.localdate(),
    )


@pytest.mark.parametrize(
    "counts, message, field",
    [
        ({"present": 5, "f": 3, "a": 2, "ab": 1}, "赞成、反对、弃权合计 6 票，超过实到代表 5 人。", "votes_for"),
        ({"present": 7, "f": 5}, "实到代表 7 人，超过应到代表 6 人。", "present"),
        ({"present": 3, "f": 3}, "实到代表 3 人，不足法定人数 4 人（应到 6 人），表决无效。", "present"),
        ({"present": -1}, "实到代表须为不小于 0 的整数。", "实到代表"),
        ({"present": "六"}, "实到代表须为不小于 0 的整数。", "实到代表"),
        ({"f": None}, "赞成须为不小于 0 的整数。", "赞成"),
        ({"ab": -2}, "弃权须为不小于 0 的整数。", "弃权"),
        ({"method": "by_acclamation"}, "请选择表决方式。", "method"),
    ],
)
def test_counts_that_cannot_be_are_refused_with_nothing_written(w, voting, counts, message, field):
    before = table_counts()
    with pytest.raises(ApplicationError) as refused:
        _record(w, voting, **counts)
    assert str(refused.value.message) == message
    assert refused.value.extra == {"field": field}
    assert changed_tables(before, table_counts()) == {}
    voting.deliberation.refresh_from_db()
    assert (voting.deliberation.status, voting.deliberation.decided_at) == (S.VOTING, None)


def test_the_messages_name_what_is_wrong(w, voting):
    with pytest.raises(ApplicationError, match="超过实到"):
        _record(w, voting, present=4, f=4, a=1)
    with pytest.raises(ApplicationError, match="不足法定人数"):
        _record(w, voting, present=2, f=2)
    assert Vote.objects.count() == 0


def test_only_the_presidium_or_the_office_record(w, voting):
    before = table_counts()
    for who in ("hr", "chen", "zhang"):
        with pytest.raises(PermissionDenied):
            _record(w, voting, who=who)
    assert changed_tables(before, table_counts()) == {}


def test_a_majority_of_all_delegates_adopts(w, voting):
    vote = _record(w, voting, present=5, f=4, a=1, ab=0, method=VoteMethod.SECRET_BALLOT)
    voting.deliberation.refresh_from_db()
    assert voting.deliberation.status == S.ADOPTED
    assert voting.deliberation.decided_at is not None
    assert (vote.adopted, vote.delegates, vote.present, vote.votes_for, vote.votes_against, vote.abstentions) == (
        True,
        6,
        5,
        4,
        1,
        0,
    )
    assert (vote.version, vote.rules, vote.method, vote.recorded_by) == (
        voting.version,
        voting.rules,
        VoteMethod.SECRET_BALLOT,
        w.users["zhou"],
    )
    assert str(vote) == "赞成 4，反对 1，弃权 0"
    event = voting.deliberation.events.get(step="adopt")
    assert event.parameters == {
        "votes_for": 4,
        "votes_against": 1,
        "abstentions": 0,
        "present": 5,
        "delegates": 6,
        "needed": 4,
        "version": voting.version.pk,
    }
    # recorded once
    before = table_counts()
    with pytest.raises(ApplicationError, match="尚未提交表决，或已录入表决结果。"):
        _record(w, voting)
    assert changed_tables(before, table_counts()) == {}


def test_three_of_four_present_is_not_a_majority_of_all_six_delegates(w, voting):
    vote = _record(w, voting, who="union_office", present=4, f=3, a=1)
    voting.deliberation.refresh_from_db()
    assert (vote.adopted, voting.deliberation.status) == (False, S.REJECTED)
    assert voting.deliberation.events.get(step="reject").parameters["needed"] == 4


def test_three_of_four_present_is_a_majority_of_those_present(w, voting):
    rules_adopted(w, base=MajorityBase.PRESENT)
    vote = _record(w, voting, present=4, f=3, a=1)
    voting.deliberation.refresh_from_db()
    assert (vote.adopted, voting.deliberation.status) == (True, S.ADOPTED)
    assert vote.rules == vote_rules_in_force(w.session) and vote.rules.majority_base == "present"
    assert voting.deliberation.events.get(step="adopt").parameters["needed"] == 3


def test_a_tie_among_those_present_rejects(w, voting):
    rules_adopted(w, base=MajorityBase.PRESENT)
    vote = _record(w, voting, present=4, f=2, a=2)
    assert vote.adopted is False


def test_delegates_whose_mandate_ended_before_the_vote_do_not_count(w, voting):
    held_on = timezone.localdate()
    w.delegates["wu"].ended_on = held_on - datetime.timedelta(days=1)
    w.delegates["wu"].save()
    w.delegates["qian"].ended_on = held_on  # still serving that day
    w.delegates["qian"].save()
    assert delegates_serving(voting.deliberation, held_on) == 5
    with pytest.raises(ApplicationError, match="实到代表 6 人，超过应到代表 5 人。"):
        _record(w, voting, present=6, f=6, held_on=held_on)
    vote = _record(w, voting, present=4, f=3, a=1, held_on=held_on)  # quorum ⌈10/3⌉ = 4, needed 3
    assert (vote.delegates, vote.adopted) == (5, True)


def test_a_rejected_draft_is_redrafted_with_a_new_version(w, voting):
    _record(w, voting, present=4, f=1, a=3)
    voting.deliberation.refresh_from_db()
    assert voting.deliberation.status == S.REJECTED
    second = version_drafted(w, voting.deliberation, DRAFT_V2)
    version_publish(actor=w.office, version=second)
    voting.deliberation.refresh_from_db()
    assert (voting.deliberation.status, second.status) == (S.DRAFTING, VersionStatus.PUBLISHED)
    assert voting.deliberation.events.filter(step="redraft").count() == 1


def test_delegates_elected_after_the_vote_do_not_count(w, voting):
    held_on = timezone.localdate()
    w.delegates["wu"].elected_on = held_on + datetime.timedelta(days=30)
    w.delegates["wu"].save()
    assert delegates_serving(voting.deliberation, held_on) == 5
