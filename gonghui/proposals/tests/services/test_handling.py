"""Handling: contacts, co-units' input, one reply signed off before release, the lock at
the deadline and reopening, ratings with re-handling rounds and escalation, follow-up,
reminders."""

import datetime

import pytest
from django.utils import timezone

from gonghui.core.exceptions import ApplicationError, PermissionDenied
from gonghui.notifications.models import Notification
from gonghui.proposals.choices import ProposalStatus
from gonghui.proposals.models import ContactLog, HandlingAssignment, ProposalReply, SatisfactionRating
from gonghui.proposals.services.handling import (
    co_input_record,
    contact_record,
    follow_up_close,
    milestone_add,
    progress_update,
    rating_submit,
    reminders_send,
    reply_draft,
    reply_release,
    reply_reopen,
    reply_sign_off,
)
from gonghui.proposals.services.triage import proposal_triage, proposal_units_set, session_handover
from gonghui.proposals.tests.factories import assigned, replied, rules_change, submitted

S = ProposalStatus
LONG_AGO = datetime.date(2021, 9, 28)  # deadline 10 working days later: 2021-10-18 (locked today)


def _unit(pw):
    return pw.users["handling_unit_officer"]


def test_the_lead_unit_replies_after_the_leaders_sign_off(pw):
    proposal = assigned(pw, co_units=[pw.hr])
    contact_record(
        proposal=proposal,
        actor=_unit(pw),
        contacted_on=timezone.localdate(),
        method="phone",
        summary="电话了解具体诉求",
    )
    co_input_record(proposal=proposal, actor=pw.users["hr_officer"], text="人事处同意配合调整排班")
    proposal.refresh_from_db()
    assert proposal.status == S.IN_HANDLING
    reply_draft(proposal=proposal, actor=_unit(pw), category="solved", body="自下月起晚餐延长至20点。")
    with pytest.raises(ApplicationError, match="审签后才能发布"):
        reply_release(proposal=proposal, actor=_unit(pw))
    reply_sign_off(proposal=proposal, actor=_unit(pw), leader_name="刘校长")
    reply = reply_release(proposal=proposal, actor=_unit(pw))
    proposal.refresh_from_db()
    assert proposal.status == S.REPLIED
    assert (reply.round, reply.on_time, reply.leader_name, reply.unit) == (1, True, "刘校长", pw.logistics)
    assert HandlingAssignment.objects.get(proposal=proposal, unit=pw.hr).co_input == "人事处同意配合调整排班"
    assert ContactLog.objects.filter(proposal=proposal).count() == 1


def test_a_co_unit_cannot_write_the_reply_and_other_units_see_nothing(pw):
    proposal = assigned(pw, co_units=[pw.hr])
    with pytest.raises(PermissionDenied, match="只有主办单位"):
        reply_draft(proposal=proposal, actor=pw.users["hr_officer"], category="solved", body="答复")
    assert ProposalReply.objects.count() == 0
    from gonghui.proposals.models import Proposal

    assert Proposal.objects.restrict(pw.users["hr_officer"]).count() == 1
    only_logistics = assigned(pw, title="只给后勤的")
    assert list(Proposal.objects.restrict(pw.users["hr_officer"])) == [proposal]
    assert set(Proposal.objects.restrict(_unit(pw))) == {proposal, only_logistics}


@pytest.mark.parametrize(
    "category, extra, message",
    [
        ("planned", {}, "计划完成日期"),
        ("cannot", {}, "说明原因"),
        ("solved", {"body": " "}, "请填写答复内容"),
    ],
)
def test_reply_categories_need_their_details(pw, category, extra, message):
    proposal = assigned(pw)
    kwargs = {"category": category, "body": "答复内容", **extra}
    with pytest.raises(ApplicationError, match=message):
        reply_draft(proposal=proposal, actor=_unit(pw), **kwargs)
    assert ProposalReply.objects.count() == 0


def test_a_reply_after_the_lock_is_refused_until_the_committee_reopens(pw):
    # given a proposal handed over on 2021-09-28: deadline 2021-10-18, long past
    rules_change(pw.session, reply_working_days=10)
    proposal = assigned(pw, signed_on=LONG_AGO)
    lead = HandlingAssignment.objects.get(proposal=proposal)
    assert lead.deadline == datetime.date(2021, 10, 18)
    # when / then
    with pytest.raises(ApplicationError, match="答复已锁定"):
        reply_draft(proposal=proposal, actor=_unit(pw), category="solved", body="答复")
    assert ProposalReply.objects.count() == 0
    proposal.refresh_from_db()
    assert proposal.status == S.ASSIGNED
    # the unit cannot reopen; the committee can
    with pytest.raises(PermissionDenied):
        reply_reopen(proposal=proposal, actor=_unit(pw), until=timezone.localdate(), reason="请求")
    reply_reopen(
        proposal=proposal,
        actor=pw.users["proposals_committee"],
        until=timezone.localdate() + datetime.timedelta(days=3),
        reason="单位说明了延误原因",
    )
    reply_draft(proposal=proposal, actor=_unit(pw), category="solved", body="答复")
    reply_sign_off(proposal=proposal, actor=_unit(pw), leader_name="刘校长")
    reply = reply_release(proposal=proposal, actor=_unit(pw))
    assert reply.on_time is False


def test_the_lock_is_checked_at_release_too(pw):
    rules_change(pw.session, reply_working_days=10)
    proposal = assigned(pw)
    reply_draft(proposal=proposal, actor=_unit(pw), category="solved", body="答复")
    reply_sign_off(proposal=proposal, actor=_unit(pw), leader_name="刘校长")
    later = HandlingAssignment.objects.get(proposal=proposal).deadline + datetime.timedelta(days=1)
    with pytest.raises(ApplicationError, match="答复已锁定"):
        reply_release(proposal=proposal, actor=_unit(pw), today=later)
    assert ProposalReply.objects.get().released_at is None


def test_an_opinion_reply_needs_a_contact_with_the_proposer(pw):
    proposal = submitted(pw)
    proposal_triage(proposal=proposal, actor=pw.users["proposals_committee"], outcome="opinion")
    proposal_units_set(proposal=proposal, actor=pw.users["union_office"], lead_unit=pw.logistics)
    session_handover(session=pw.session, actor=pw.users["union_office"])
    proposal.refresh_from_db()
    with pytest.raises(ApplicationError, match="至少与提案人沟通一次"):
        reply_draft(proposal=proposal, actor=_unit(pw), category="solved", body="答复")
    contact_record(
        proposal=proposal, actor=_unit(pw), contacted_on=timezone.localdate(), method="meeting", summary="当面沟通"
    )
    reply_draft(proposal=proposal, actor=_unit(pw), category="solved", body="答复")
    assert ProposalReply.objects.count() == 1


def test_rating_by_someone_who_is_not_a_proposer_is_refused(pw):
    proposal = replied(pw)
    for user in ("li", "zhao", "union_office", "handling_unit_officer"):
        with pytest.raises(PermissionDenied, match="只有提案人可以评价答复"):
            rating_submit(proposal=proposal, actor=pw.users[user], level="satisfied")
    assert SatisfactionRating.objects.count() == 0
    proposal.refresh_from_db()
    assert proposal.status == S.REPLIED


def test_co_signers_rate_when_the_session_says_so_without_moving_the_proposal(pw):
    rules_change(pw.session, co_signers_rate=True)
    proposal = replied(pw)
    rating_submit(proposal=proposal, actor=pw.users["li"], level="unsatisfied", comment="不够")
    proposal.refresh_from_db()
    assert proposal.status == S.REPLIED
    assert SatisfactionRating.objects.get().accepts is False


def test_satisfied_closes_and_planned_stays_in_follow_up(pw):
    solved = replied(pw, title="甲")
    rating_submit(proposal=solved, actor=pw.users["member"], level="satisfied", comment="感谢")
    solved.refresh_from_db()
    assert solved.status == S.CLOSED and solved.closed_at is not None
    planned = replied(pw, title="乙", category="planned", target_date=datetime.date(2027, 9, 1))
    rating_submit(proposal=planned, actor=pw.users["member"], level="basically")
    planned.refresh_from_db()
    assert planned.status == S.FOLLOW_UP
    milestone = milestone_add(proposal=planned, actor=_unit(pw), title="完成设计", due_on=datetime.date(2027, 3, 1))
    progress_update(proposal=planned, actor=_unit(pw), progress=40, note="设计完成", milestone=milestone)
    planned.refresh_from_db()
    assert planned.progress == 40
    milestone.refresh_from_db()
    assert milestone.done_on == timezone.localdate()
    with pytest.raises(PermissionDenied):
        follow_up_close(proposal=planned, actor=_unit(pw))
    follow_up_close(proposal=planned, actor=pw.users["proposals_committee"], note="已建成")
    assert planned.status == S.CLOSED


def test_unsatisfied_sends_it_back_counts_rounds_and_escalates(pw, django_capture_on_commit_callbacks):
    rules_change(pw.session, rounds_before_escalation=2)
    proposal = replied(pw)
    unit = _unit(pw)
    with pytest.raises(ApplicationError, match="请写明意见"):
        rating_submit(proposal=proposal, actor=pw.users["member"], level="unsatisfied")
    assert SatisfactionRating.objects.count() == 0
    for expected_round in (2, 3):
        with django_capture_on_commit_callbacks(execute=True):
            rating_submit(proposal=proposal, actor=pw.users["member"], level="unsatisfied", comment="没有解决")
        proposal.refresh_from_db()
        assert (proposal.status, proposal.round) == (S.REHANDLING, expected_round)
        lead = HandlingAssignment.objects.get(proposal=proposal)
        # 20 working days from Tue 2022-03-15: Sat 04-02 is worked, 04-03..05 (清明) are not
        assert (lead.deadline_from, lead.deadline) == (datetime.date(2022, 3, 15), datetime.date(2022, 4, 13))
        if expected_round == 2:
            assert proposal.escalated_at is None
            reply_draft(proposal=proposal, actor=unit, category="solved", body="再次答复")
            reply_sign_off(proposal=proposal, actor=unit, leader_name="刘校长")
            reply_release(proposal=proposal, actor=unit)
    assert proposal.escalated_at is not None
    assert proposal.events.filter(step="escalated").count() == 1
    assert Notification.objects.filter(kind="proposals.escalated", recipient=pw.users["union_office"]).count() == 1
    assert Notification.objects.filter(kind="proposals.rehandling").count() == 2
    assert list(ProposalReply.objects.order_by("round").values_list("round", flat=True)) == [1, 2]


def test_unknown_level_and_double_rating_are_refused(pw):
    proposal = replied(pw, title="甲")
    with pytest.raises(ApplicationError, match="请选择评价等级"):
        rating_submit(proposal=proposal, actor=pw.users["member"], level="great")
    rules_change(
        pw.session,
        satisfaction_scale=[
            {"code": "ok", "label": "认可", "accepts": True},
            {"code": "no", "label": "不认可", "accepts": False},
        ],
    )
    proposal.refresh_from_db()
    rating_submit(proposal=proposal, actor=pw.users["member"], level="ok")
    assert SatisfactionRating.objects.get().level == "ok"


def test_reminders_go_once_within_the_lead_time(pw):
    rules_change(pw.session, reply_working_days=2, reminder_working_days=3)
    assigned(pw)
    far = assigned(pw, title="远期")
    HandlingAssignment.objects.filter(proposal=far).update(deadline=timezone.localdate() + datetime.timedelta(days=60))
    assert reminders_send() == 1
    assert reminders_send() == 0
    assert Notification.objects.filter(kind="proposals.reminder", recipient=_unit(pw)).count() == 1
