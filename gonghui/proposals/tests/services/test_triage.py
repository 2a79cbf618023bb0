"""Triage by the committee, the presidium on referred items, unit assignment and the
leader's sign-off (handover) with working-day deadlines."""

import datetime

import pytest
from django.db.models import F

from gonghui.core.exceptions import ApplicationError, PermissionDenied
from gonghui.notifications.models import Notification
from gonghui.proposals.choices import ProposalKind, ProposalStatus, ProposerRole
from gonghui.proposals.models import HandlingAssignment, HandoverSignOff, Proposal, ProposalProposer, TriageDecision
from gonghui.proposals.services.triage import (
    proposal_presidium_decide,
    proposal_triage,
    proposal_units_set,
    session_handover,
    session_publish,
)
from gonghui.proposals.tests.factories import draft, registered, rules_change, submitted

S = ProposalStatus


def test_registering_numbers_per_session(pw):
    a, b = submitted(pw, title="一"), submitted(pw, title="二")
    proposal_triage(proposal=b, actor=pw.users["proposals_committee"], outcome="registered")
    proposal_triage(proposal=a, actor=pw.users["proposals_committee"], outcome="registered")
    a.refresh_from_db()
    b.refresh_from_db()
    assert (b.number, a.number) == (1, 2)
    assert a.status == S.REGISTERED and a.registered_at is not None
    assert list(a.events.exclude(from_state=F("to_state")).values_list("to_state", flat=True)) == [
        "draft",
        "awaiting_co_signers",
        "submitted",
        "under_review",
        "registered",
    ]


def test_merging_makes_every_proposer_and_co_signer_a_joint_proposer(pw):
    # given: target by zhang (co-signed by li, wang); source by li, co-signed by zhang and chen
    target = registered(pw, title="关于延长食堂晚餐供应时间的建议")
    from gonghui.proposals.services.submission import co_signature_confirm, co_signers_invite, proposal_submit

    source = draft(pw, by="li", title="建议食堂晚餐延时供应")
    co_signers_invite(proposal=source, actor=pw.users["li"], delegates=[pw.delegates["zhang"], pw.delegates["chen"]])
    co_signature_confirm(proposal=source, actor=pw.users["member"])
    co_signature_confirm(proposal=source, actor=pw.users["chen"])
    proposal_submit(proposal=source, actor=pw.users["li"])
    # when
    proposal_triage(proposal=source, actor=pw.users["proposals_committee"], outcome="merged", merge_into=target)
    # then: li (source's proposer) and chen (its co-signer) join; zhang already proposes the target
    source.refresh_from_db()
    assert (source.status, source.merged_into_id) == (S.MERGED, target.pk)
    joint = ProposalProposer.objects.filter(proposal=target, role=ProposerRole.JOINT)
    assert sorted(joint.values_list("delegate__person__name", flat=True)) == ["李娜", "陈静"]
    assert set(joint.values_list("merged_from", flat=True)) == {source.pk}
    assert target.events.filter(step="merged_in").count() == 1
    # the source keeps its own proposers and history
    assert source.proposers.count() == 1
    assert TriageDecision.objects.get(proposal=source).merged_into == target


def test_merging_into_itself_is_refused(pw):
    proposal = submitted(pw)
    with pytest.raises(ApplicationError, match="不能并入自己"):
        proposal_triage(proposal=proposal, actor=pw.users["proposals_committee"], outcome="merged", merge_into=proposal)
    proposal.refresh_from_db()
    assert proposal.status == S.SUBMITTED
    assert TriageDecision.objects.count() == 0


def test_merging_into_a_merged_proposal_is_refused(pw):
    target, merged, third = registered(pw, title="甲"), submitted(pw, title="乙"), submitted(pw, title="丙")
    proposal_triage(proposal=merged, actor=pw.users["proposals_committee"], outcome="merged", merge_into=target)
    with pytest.raises(ApplicationError, match="已并入其他提案"):
        proposal_triage(proposal=third, actor=pw.users["proposals_committee"], outcome="merged", merge_into=merged)
    third.refresh_from_db()
    assert third.status == S.SUBMITTED
    assert ProposalProposer.objects.filter(proposal=merged).count() == 1
    assert sorted(TriageDecision.objects.values_list("outcome", flat=True)) == ["merged", "registered"]


@pytest.mark.parametrize("outcome", ["not_registered", "referred"])
def test_triage_without_a_required_reason_is_refused(pw, outcome):
    proposal = submitted(pw)
    with pytest.raises(ApplicationError, match="请填写理由"):
        proposal_triage(proposal=proposal, actor=pw.users["proposals_committee"], outcome=outcome, reason="  ")
    proposal.refresh_from_db()
    assert proposal.status == S.SUBMITTED
    assert TriageDecision.objects.count() == 0


def test_not_registered_sends_the_reason_to_the_proposer(pw, django_capture_on_commit_callbacks):
    proposal = submitted(pw)
    with django_capture_on_commit_callbacks(execute=True):
        proposal_triage(
            proposal=proposal,
            actor=pw.users["proposals_committee"],
            outcome="not_registered",
            reason="属于个人诉求，不属于提案范围",
        )
    note = Notification.objects.get(recipient=pw.users["member"], kind="proposals", title__contains="不予立案")
    assert note.body == "属于个人诉求，不属于提案范围"
    assert note.url == f"/proposals/{proposal.pk}/"


def test_converting_to_an_opinion(pw):
    proposal = submitted(pw)
    proposal_triage(proposal=proposal, actor=pw.users["proposals_committee"], outcome="opinion")
    proposal.refresh_from_db()
    assert (proposal.status, proposal.kind, proposal.number) == (S.OPINION, ProposalKind.OPINION, None)


def test_a_late_opinion_cannot_be_registered(pw):
    proposal = draft(pw)
    from gonghui.proposals.services.submission import proposal_submit

    proposal_submit(
        proposal=proposal,
        actor=pw.users["member"],
        now=pw.session.rules_in_force().solicitation_closes_at + datetime.timedelta(hours=1),
    )
    with pytest.raises(ApplicationError, match="不能立案"):
        proposal_triage(proposal=proposal, actor=pw.users["proposals_committee"], outcome="registered")
    proposal.refresh_from_db()
    assert (proposal.status, proposal.number) == (S.SUBMITTED, None)


def test_referred_to_the_presidium_which_decides(pw):
    proposal = submitted(pw)
    proposal_triage(proposal=proposal, actor=pw.users["proposals_committee"], outcome="referred", reason="委员意见分歧")
    # the committee cannot decide a referred item; a presidium member can
    with pytest.raises(PermissionDenied):
        proposal_presidium_decide(proposal=proposal, actor=pw.users["proposals_committee"], outcome="registered")
    proposal_presidium_decide(proposal=proposal, actor=pw.users["chen"], outcome="registered")
    proposal.refresh_from_db()
    assert (proposal.status, proposal.number) == (S.REGISTERED, 1)
    assert TriageDecision.objects.filter(proposal=proposal, by_presidium=True).count() == 1


def test_non_committee_cannot_triage(pw):
    proposal = submitted(pw)
    for user in ("member", "handling_unit_officer", "auditor", "li"):
        with pytest.raises(PermissionDenied):
            proposal_triage(proposal=proposal, actor=pw.users[user], outcome="registered")
    proposal.refresh_from_db()
    assert proposal.status == S.SUBMITTED


def test_handover_after_the_leaders_sign_off_sets_working_day_deadlines(pw, django_capture_on_commit_callbacks):
    # given a registered proposal with a lead unit and a co-unit
    rules_change(pw.session, reply_working_days=10)
    proposal = registered(pw)
    proposal_units_set(proposal=proposal, actor=pw.users["union_office"], lead_unit=pw.logistics, co_units=[pw.hr])
    # when the leader's sign-off is recorded on Tue 2021-09-28
    with django_capture_on_commit_callbacks(execute=True):
        signoff = session_handover(
            session=pw.session, actor=pw.users["union_office"], signed_on=datetime.date(2021, 9, 28)
        )
    # then: 10 working days across National Day → Mon 2021-10-18, rule stored with the date
    proposal.refresh_from_db()
    assert proposal.status == S.ASSIGNED and proposal.signed_off_at is not None
    rows = list(HandlingAssignment.objects.filter(proposal=proposal).order_by("role"))
    assert [(r.unit.code, r.role) for r in rows] == [("HR", "co"), ("HQ", "lead")]
    for row in rows:
        assert (row.deadline_from, row.deadline_working_days, row.deadline_calendar, row.deadline) == (
            datetime.date(2021, 9, 28),
            10,
            "chinesecalendar",
            datetime.date(2021, 10, 18),
        )
    assert signoff.leader == pw.leader and signoff.proposal_ids == [proposal.pk]
    assert Notification.objects.filter(kind="proposals.assigned").count() == 2


def test_handover_needs_a_lead_unit_and_the_office(pw):
    registered(pw)
    with pytest.raises(ApplicationError, match="没有已确定主办单位"):
        session_handover(session=pw.session, actor=pw.users["union_office"])
    with pytest.raises(PermissionDenied):
        session_handover(session=pw.session, actor=pw.users["proposals_committee"])
    assert HandoverSignOff.objects.count() == 0
    assert Proposal.objects.get().status == S.REGISTERED


def test_publishing_the_register(pw):
    registered(pw, title="甲")
    submitted(pw, title="乙")
    assert session_publish(session=pw.session, actor=pw.users["union_office"]) == 1
    assert session_publish(session=pw.session, actor=pw.users["union_office"]) == 0
    assert list(Proposal.objects.published().values_list("title", flat=True)) == ["甲"]
