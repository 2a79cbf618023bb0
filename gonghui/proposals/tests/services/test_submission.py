"""Submission: delegates only, co-signers confirmed in person, the required number,
collective submission, the solicitation window, withdrawal."""

import datetime

import pytest

from gonghui.core.exceptions import ApplicationError, InvalidTransition, PermissionDenied
from gonghui.notifications.models import Notification
from gonghui.proposals.choices import ProposalKind, ProposalStatus
from gonghui.proposals.models import CoSignature, Proposal
from gonghui.proposals.services.submission import (
    co_signature_confirm,
    co_signature_withdraw,
    co_signers_invite,
    proposal_draft_update,
    proposal_return_to_draft,
    proposal_submit,
    proposal_withdraw,
)
from gonghui.proposals.tests.factories import draft, rules_change, submitted

S = ProposalStatus


def test_a_delegate_submits_with_two_confirmed_co_signers(pw):
    # given a draft and two invited delegates
    proposal = draft(pw)
    co_signers_invite(proposal=proposal, actor=pw.users["member"], delegates=[pw.delegates["li"], pw.delegates["wang"]])
    assert proposal.status == S.AWAITING_CO_SIGNERS
    assert Notification.objects.filter(kind="proposals.co_sign").count() == 2
    # when both confirm in person and the proposer submits
    co_signature_confirm(proposal=proposal, actor=pw.users["li"])
    co_signature_confirm(proposal=proposal, actor=pw.users["wang"])
    proposal_submit(proposal=proposal, actor=pw.users["member"])
    # then
    proposal.refresh_from_db()
    assert proposal.status == S.SUBMITTED
    assert proposal.kind == ProposalKind.PROPOSAL
    assert proposal.submitted_at is not None
    assert CoSignature.objects.filter(proposal=proposal, confirmed_at__isnull=False).count() == 2
    assert list(proposal.events.values_list("step", flat=True)) == [
        "created",
        "invite",
        "co_signer_invited",
        "co_signed",
        "co_signed",
        "submit",
    ]


def test_a_non_delegate_cannot_start_a_proposal(pw):
    with pytest.raises(PermissionDenied, match="只有本届教代会代表可以提出提案"):
        draft(pw, by="zhao")
    assert Proposal.objects.count() == 0


def test_an_office_user_without_a_person_cannot_propose(pw):
    with pytest.raises(PermissionDenied):
        draft(pw, by="union_office")
    assert Proposal.objects.count() == 0


def test_a_non_delegate_cannot_co_sign(pw):
    proposal = draft(pw)
    co_signers_invite(proposal=proposal, actor=pw.users["member"], delegates=[pw.delegates["li"]])
    with pytest.raises(PermissionDenied, match="只有本届教代会代表可以附议提案"):
        co_signature_confirm(proposal=proposal, actor=pw.users["zhao"])
    assert CoSignature.objects.filter(confirmed_at__isnull=False).count() == 0


def test_a_proposer_cannot_co_sign_their_own_proposal(pw):
    proposal = draft(pw)
    with pytest.raises(ApplicationError, match="提案人不能附议自己的提案"):
        co_signature_confirm(proposal=proposal, actor=pw.users["member"])
    with pytest.raises(ApplicationError, match="提案人不能附议自己的提案"):
        co_signers_invite(proposal=proposal, actor=pw.users["member"], delegates=[pw.delegates["zhang"]])
    assert CoSignature.objects.count() == 0
    assert proposal.status == S.DRAFT


def test_an_uninvited_delegate_cannot_co_sign(pw):
    proposal = draft(pw)
    with pytest.raises(ApplicationError, match="没有邀请您附议"):
        co_signature_confirm(proposal=proposal, actor=pw.users["li"])
    assert CoSignature.objects.count() == 0


def test_submitting_with_too_few_co_signers_is_refused(pw):
    proposal = draft(pw)
    co_signers_invite(proposal=proposal, actor=pw.users["member"], delegates=[pw.delegates["li"], pw.delegates["wang"]])
    co_signature_confirm(proposal=proposal, actor=pw.users["li"])  # wang has not confirmed
    with pytest.raises(ApplicationError, match="附议人不足：需要至少 2 名代表确认附议，目前 1 名") as refused:
        proposal_submit(proposal=proposal, actor=pw.users["member"])
    assert refused.value.extra == {"need": 2, "have": 1}
    proposal.refresh_from_db()
    assert proposal.status == S.AWAITING_CO_SIGNERS
    assert proposal.submitted_at is None
    assert CoSignature.objects.filter(proposal=proposal).count() == 2


def test_the_required_number_is_the_sessions(pw):
    rules_change(pw.session, min_co_signers=1)
    proposal = draft(pw)
    co_signers_invite(proposal=proposal, actor=pw.users["member"], delegates=[pw.delegates["li"]])
    co_signature_confirm(proposal=proposal, actor=pw.users["li"])
    proposal_submit(proposal=proposal, actor=pw.users["member"])
    assert proposal.status == S.SUBMITTED


def test_a_co_signature_cannot_be_withdrawn_after_submission(pw):
    proposal = submitted(pw)
    with pytest.raises(ApplicationError, match="提案提交后不能撤回附议"):
        co_signature_withdraw(proposal=proposal, actor=pw.users["li"])
    assert CoSignature.objects.filter(proposal=proposal, confirmed_at__isnull=False).count() == 2


def test_a_co_signature_can_be_withdrawn_before_submission(pw):
    proposal = draft(pw)
    co_signers_invite(proposal=proposal, actor=pw.users["member"], delegates=[pw.delegates["li"]])
    co_signature_confirm(proposal=proposal, actor=pw.users["li"])
    co_signature_withdraw(proposal=proposal, actor=pw.users["li"])
    assert CoSignature.objects.count() == 0
    assert proposal.events.filter(step="co_sign_withdrawn").count() == 1


def test_one_matter_must_be_confirmed(pw):
    proposal = draft(pw)
    proposal_draft_update(proposal=proposal, actor=pw.users["member"], one_matter=False)
    rules_change(pw.session, min_co_signers=0)
    with pytest.raises(ApplicationError, match="一事一案"):
        proposal_submit(proposal=proposal, actor=pw.users["member"])
    assert Proposal.objects.get().status == S.DRAFT


def test_missing_text_is_refused_with_the_fields_named(pw):
    proposal = draft(pw, grounds="", suggestions="")
    with pytest.raises(ApplicationError, match="请填写：理由、办法和建议"):
        proposal_submit(proposal=proposal, actor=pw.users["member"])
    assert Proposal.objects.get().status == S.DRAFT


def test_a_delegation_submits_collectively_without_co_signers(pw):
    proposal = draft(pw, by="li", delegation=pw.econ_delegation)
    proposal_submit(proposal=proposal, actor=pw.users["li"])
    assert proposal.status == S.SUBMITTED
    assert proposal.delegation == pw.econ_delegation


def test_only_the_head_submits_for_a_delegation(pw):
    with pytest.raises(PermissionDenied, match="代表团团长"):
        draft(pw, by="member", delegation=pw.econ_delegation)
    assert Proposal.objects.count() == 0


def test_after_the_deadline_it_becomes_an_opinion(pw):
    proposal = draft(pw)
    late = pw.session.rules_in_force().solicitation_closes_at + datetime.timedelta(minutes=1)
    proposal_submit(proposal=proposal, actor=pw.users["member"], now=late)
    proposal.refresh_from_db()
    assert (proposal.status, proposal.kind) == (S.SUBMITTED, ProposalKind.OPINION)
    assert "作为意见建议处理" in proposal.events.last().message


def test_before_the_window_opens_it_is_refused(pw):
    proposal = draft(pw)
    early = pw.session.rules_in_force().solicitation_opens_at - datetime.timedelta(minutes=1)
    with pytest.raises(ApplicationError, match="尚未开始"):
        proposal_submit(proposal=proposal, actor=pw.users["member"], now=early)
    assert Proposal.objects.get().status == S.DRAFT


def test_only_drafts_are_edited_and_going_back_clears_confirmations(pw):
    proposal = draft(pw)
    co_signers_invite(proposal=proposal, actor=pw.users["member"], delegates=[pw.delegates["li"]])
    co_signature_confirm(proposal=proposal, actor=pw.users["li"])
    with pytest.raises(ApplicationError, match="只有草稿可以修改"):
        proposal_draft_update(proposal=proposal, actor=pw.users["member"], title="新标题")
    proposal_return_to_draft(proposal=proposal, actor=pw.users["member"])
    assert CoSignature.objects.get().confirmed_at is None
    proposal_draft_update(proposal=proposal, actor=pw.users["member"], title="新标题")
    assert Proposal.objects.get().title == "新标题"


def test_someone_else_cannot_edit_or_submit(pw):
    proposal = draft(pw)
    with pytest.raises(PermissionDenied):
        proposal_draft_update(proposal=proposal, actor=pw.users["li"], title="改")
    with pytest.raises(PermissionDenied):
        proposal_submit(proposal=proposal, actor=pw.users["li"])
    assert Proposal.objects.get().title == "关于延长食堂晚餐供应时间的建议"


def test_withdrawn_by_the_proposer_before_triage_only(pw):
    proposal = submitted(pw)
    proposal_withdraw(proposal=proposal, actor=pw.users["member"], reason="已另行反映")
    assert proposal.status == S.WITHDRAWN
    other = submitted(pw, title="另一件")
    from gonghui.proposals.services.triage import proposal_triage

    proposal_triage(proposal=other, actor=pw.users["proposals_committee"], outcome="registered")
    with pytest.raises(InvalidTransition):
        proposal_withdraw(proposal=other, actor=pw.users["member"])
    other.refresh_from_db()
    assert other.status == S.REGISTERED
