"""Voting (services/voting.py): a voter's ballot for one unit, cast online through core's secret
ballot store, final; refused with nothing written outside the window, for someone not eligible,
a second time, or with a grade missing or outside the scale; the paper ballots handed out at a
meeting that also votes online keep anyone from voting both ways."""

import datetime

import pytest

from gonghui.accounts.system import system_actor
from gonghui.appraisals.choices import VotingMode
from gonghui.appraisals.models import PaperHandout
from gonghui.appraisals.services.rounds import voting_close
from gonghui.appraisals.services.voting import appraisal_vote, paper_handout
from gonghui.appraisals.tests.factories import CLOSES, aware, grades_all, rules_make, through
from gonghui.core.exceptions import ApplicationError, PermissionDenied
from gonghui.core.models import Ballot, BallotPending, BallotVoter
from gonghui.people.tests.factories import user_make
from tests.tables import changed_tables, table_counts


def _voted(unit) -> set[str]:
    return set(BallotVoter.objects.filter(box=unit.box, voted=True).values_list("person__name", flat=True))


def test_a_cast_marks_the_voter_and_keeps_one_unlinked_ballot(w, clock):
    through(w, "open", clock)
    choices = {w.cadres["dean"].item_key: "excellent", w.cadres["secretary"].item_key: "basic", "team": "fair"}
    before = table_counts()
    appraisal_vote(actor=w.users["member"], unit=w.econ, choices=choices)
    assert changed_tables(before, table_counts()) == {"core.ballotpending": (0, 1)}  # no audit, no event
    assert _voted(w.econ) == {"张伟"}
    assert _voted(w.law) == set()
    pending = BallotPending.objects.get()
    assert (pending.box_id, pending.category, pending.unit_id, pending.choices) == (
        w.econ.box_id,
        "staff",
        w.u.econ.pk,
        choices,
    )
    through(w, "closed", clock)
    ballot = Ballot.objects.get()
    assert (ballot.box_id, ballot.category, ballot.unit_id, ballot.choices) == (
        w.econ.box_id,
        "staff",
        w.u.econ.pk,
        choices,
    )
    assert BallotPending.objects.count() == 0


def test_a_leader_votes_in_each_college_once(w, clock):
    through(w, "open", clock)
    leader = w.users["leader"]
    appraisal_vote(actor=leader, unit=w.econ, choices=grades_all(w.econ, "competent", "good"))
    appraisal_vote(actor=leader, unit=w.law, choices=grades_all(w.law, "basic", "poor"))
    assert (_voted(w.econ), _voted(w.law)) == ({"吴校长"}, {"吴校长"})
    assert sorted(BallotPending.objects.values_list("category", "unit_id")) == sorted(
        [("leader", w.u.econ.pk), ("leader", w.u.law.pk)]
    )


def _refused(w, actor, unit, choices, message):
    before = table_counts()
    voted = set(BallotVoter.objects.filter(voted=True).values_list("pk", flat=True))
    with pytest.raises(ApplicationError) as refused:
        appraisal_vote(actor=actor, unit=unit, choices=choices)
    assert str(refused.value.message) == message
    assert changed_tables(before, table_counts()) == {}
    assert set(BallotVoter.objects.filter(voted=True).values_list("pk", flat=True)) == voted
    return refused.value


def test_no_vote_before_the_voting_opens(w, clock):
    _refused(w, w.users["member"], w.econ, grades_all(w.econ), "投票尚未开始。")
    through(w, "published")
    _refused(w, w.users["member"], w.econ, grades_all(w.econ), "投票尚未开始。")


def test_no_vote_after_the_closing_time_even_while_the_round_is_still_open(w, clock):
    through(w, "open", clock)
    clock.move_to(aware(CLOSES) + datetime.timedelta(seconds=1))
    _refused(w, w.users["member"], w.econ, grades_all(w.econ), "投票已截止。")


def test_no_vote_once_the_round_is_closed(w, clock):
    through(w, "open", clock)
    voting_close(actor=w.office, appraisal_round=w.round)  # closed early by the office
    w.econ.refresh_from_db()
    _refused(w, w.users["member"], w.econ, grades_all(w.econ), "投票已截止。")
    through(w, "tallied", clock)
    _refused(w, w.users["member"], w.econ, grades_all(w.econ), "投票已截止。")


def test_no_vote_by_someone_not_eligible(w, clock):
    through(w, "open", clock)
    # a voter of another unit
    _refused(w, w.users["wang"], w.econ, grades_all(w.econ), "您不在经济学院分工会的投票人名单中。")
    # a user with no person, and one whose person is on no list
    _refused(w, w.office, w.econ, grades_all(w.econ), "您不在经济学院分工会的投票人名单中。")
    retiree = user_make(username="R0001", person=w.u.zhao)
    _refused(w, retiree, w.law, grades_all(w.law), "您不在法学院分工会的投票人名单中。")


def test_a_second_vote_is_refused_and_the_first_stands(w, clock):
    through(w, "open", clock)
    appraisal_vote(actor=w.users["member"], unit=w.econ, choices=grades_all(w.econ, "incompetent", "poor"))
    _refused(w, w.users["member"], w.econ, grades_all(w.econ), "您已投过票，选票一经投出不能更改。")
    assert list(BallotPending.objects.values_list("choices", flat=True)) == [grades_all(w.econ, "incompetent", "poor")]


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda w, c: c.pop(w.cadres["secretary"].item_key), "请对“孙书记（书记）”作出选择。"),
        (lambda w, c: c.pop("team"), "请对“领导班子”作出选择。"),
        (lambda w, c: c.update({w.cadres["dean"].item_key: "outstanding"}), "请对“钱院长（院长）”作出选择。"),
        (lambda w, c: c.update({w.cadres["dean"].item_key: "good"}), "请对“钱院长（院长）”作出选择。"),  # a team grade
        (lambda w, c: c.update({"team": "excellent"}), "请对“领导班子”作出选择。"),  # a cadre grade
        (lambda w, c: c.update({w.cadres["dean"].item_key: ""}), "请对“钱院长（院长）”作出选择。"),
        (lambda w, c: c.update({w.cadres["law_dean"].item_key: "excellent"}), "选票中有不属于本次投票的表决项。"),
        (lambda w, c: c.update({"extra": "excellent"}), "选票中有不属于本次投票的表决项。"),
    ],
)
def test_a_ballot_with_a_grade_missing_or_off_the_scale_is_refused(w, clock, change, message):
    through(w, "open", clock)
    choices = grades_all(w.econ)
    change(w, choices)
    _refused(w, w.users["member"], w.econ, choices, message)


def test_an_empty_ballot_is_refused(w, clock):
    through(w, "open", clock)
    _refused(w, w.users["member"], w.econ, {}, "请对“钱院长（院长）”作出选择。")
    _refused(w, w.users["member"], w.econ, None, "请对“钱院长（院长）”作出选择。")


def test_a_paper_round_takes_no_online_vote(w, clock):
    rules_make(w.u, mode=VotingMode.PAPER)
    through(w, "open", clock)
    _refused(w, w.users["member"], w.econ, grades_all(w.econ), "本次测评使用纸质选票，请在年会现场投票。")


# --- paper ballots handed out where the round also votes online ---------------------------------------


@pytest.fixture
def both(w, clock):
    rules_make(w.u, mode=VotingMode.BOTH)
    through(w, "open", clock)
    return w


def test_a_handout_marks_the_voter_so_they_cannot_vote_online(both):
    w = both
    handout = paper_handout(actor=w.users["li"], unit=w.econ, staff_no=" E0001 ")
    assert (handout.round_unit_id, handout.person_id, handout.category) == (w.econ.pk, w.u.zhang.pk, "staff")
    assert _voted(w.econ) == {"张伟"}
    assert BallotPending.objects.count() == 0
    _refused(w, w.users["member"], w.econ, grades_all(w.econ), "您已在年会现场领取纸质选票，不能再在网上投票。")


def test_no_handout_for_someone_who_voted_online(both):
    w = both
    appraisal_vote(actor=w.users["member"], unit=w.econ, choices=grades_all(w.econ))
    before = table_counts()
    with pytest.raises(ApplicationError, match="此人已经投过票。"):
        paper_handout(actor=w.users["li"], unit=w.econ, staff_no="E0001")
    with pytest.raises(ApplicationError, match="此人已经投过票。"):
        paper_handout(actor=w.office, unit=w.econ, staff_no="E0001")
    assert changed_tables(before, table_counts()) == {}
    assert PaperHandout.objects.count() == 0


def test_one_handout_per_voter(both):
    w = both
    paper_handout(actor=w.office, unit=w.econ, staff_no="E0001")
    before = table_counts()
    with pytest.raises(ApplicationError, match="此人已经投过票。"):
        paper_handout(actor=w.users["sub_union_officer"], unit=w.econ, staff_no="E0001")
    assert changed_tables(before, table_counts()) == {}


@pytest.mark.parametrize("staff_no", ["L0001", "Z9999", "", "R0001"])
def test_a_handout_only_to_the_units_voters(both, staff_no):
    w = both
    before = table_counts()
    with pytest.raises(ApplicationError, match="此工号不在本单位的投票人名单中。"):
        paper_handout(actor=w.users["li"], unit=w.econ, staff_no=staff_no)
    assert changed_tables(before, table_counts()) == {}


@pytest.mark.parametrize("who", ["member", "wang", "auditor", "zzb"])
def test_only_the_units_tellers_and_the_office_hand_out_ballots(both, who):
    w = both
    before = table_counts()
    with pytest.raises(PermissionDenied):
        paper_handout(actor=w.users[who], unit=w.econ, staff_no="E0001")
    assert changed_tables(before, table_counts()) == {}


def test_no_handout_outside_a_round_that_votes_both_ways(w, clock):
    through(w, "open", clock)
    before = table_counts()
    with pytest.raises(ApplicationError, match="只有网上与纸质并用的测评需要登记领票。"):
        paper_handout(actor=w.users["li"], unit=w.econ, staff_no="E0001")
    assert changed_tables(before, table_counts()) == {}


def test_no_handout_after_the_closing(both, clock):
    w = both
    system_actor()
    through(w, "closed", clock)
    before = table_counts()
    with pytest.raises(ApplicationError, match="投票已截止。"):
        paper_handout(actor=w.users["li"], unit=w.econ, staff_no="E0001")
    assert changed_tables(before, table_counts()) == {}
