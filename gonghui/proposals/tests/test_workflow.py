"""The proposal's workflow, case by case from the domain's table (DOMAIN §3.4): each allowed
step with who takes it, the same step by someone else, every other pair of statuses, and
whom a step tells. Nothing is written on a refusal."""

import itertools

import pytest

from gonghui.core.exceptions import InvalidTransition, PermissionDenied
from gonghui.core.models import AuditEvent
from gonghui.core.workflow import transition
from gonghui.notifications.models import Notification
from gonghui.proposals.choices import AssignmentRole, ProposalStatus, ProposerRole
from gonghui.proposals.models import HandlingAssignment, Proposal, ProposalEvent, ProposalProposer
from gonghui.proposals.workflow import ProposalWorkflow

STATES = [
    "draft",
    "awaiting_co_signers",
    "submitted",
    "under_review",
    "referred",
    "registered",
    "merged",
    "opinion",
    "not_registered",
    "withdrawn",
    "assigned",
    "in_handling",
    "replied",
    "rehandling",
    "follow_up",
    "closed",
]

# (from, to, who may take the step, whether the proposers are told)
ALLOWED = [
    ("draft", "awaiting_co_signers", "proposer", False),
    ("draft", "submitted", "proposer", False),
    ("draft", "withdrawn", "proposer", False),
    ("awaiting_co_signers", "submitted", "proposer", False),
    ("awaiting_co_signers", "draft", "proposer", False),
    ("awaiting_co_signers", "withdrawn", "proposer", False),
    ("submitted", "withdrawn", "proposer", False),
    ("submitted", "under_review", "committee", False),
    ("under_review", "registered", "committee", True),
    ("under_review", "merged", "committee", True),
    ("under_review", "opinion", "committee", True),
    ("under_review", "not_registered", "committee", True),
    ("under_review", "referred", "committee", True),
    ("referred", "registered", "presidium", True),
    ("referred", "opinion", "presidium", True),
    ("referred", "not_registered", "presidium", True),
    ("registered", "assigned", "office", True),
    ("opinion", "assigned", "office", True),
    ("assigned", "in_handling", "unit", False),
    ("in_handling", "replied", "unit", True),
    ("rehandling", "replied", "unit", True),
    ("replied", "closed", "proposer", False),
    ("replied", "rehandling", "proposer", False),
    ("replied", "follow_up", "proposer", False),
    ("follow_up", "closed", "committee", True),
]
ALLOWED_PAIRS = {(source, target) for source, target, _who, _told in ALLOWED}
FORBIDDEN = sorted(pair for pair in itertools.product(STATES, STATES) if pair not in ALLOWED_PAIRS)

RIGHT_ACTOR = {
    "proposer": "member",
    "committee": "proposals_committee",
    "presidium": "chen",
    "office": "union_office",
    "unit": "handling_unit_officer",
}
WRONG_ACTOR = {
    "proposer": "proposals_committee",
    "committee": "member",
    "presidium": "proposals_committee",
    "office": "proposals_committee",
    "unit": "hr_officer",
}


def _proposal_in(pw, status):
    proposal = Proposal.objects.create(session=pw.session, title="测试提案", status=status)
    ProposalProposer.objects.create(proposal=proposal, delegate=pw.delegates["zhang"], role=ProposerRole.ORIGINAL)
    HandlingAssignment.objects.create(proposal=proposal, unit=pw.logistics, role=AssignmentRole.LEAD)
    return proposal


def test_the_table_is_the_domains():
    assert set(ProposalStatus.values) == set(STATES)
    declared = {
        (source, step.target, relation)
        for step in ProposalWorkflow.steps
        for source in step.sources
        for relation in step.relations
    }
    assert declared == {(source, target, who) for source, target, who, _told in ALLOWED}
    assert len(FORBIDDEN) == 16 * 16 - 25
    assert ProposalWorkflow.reachable() == set(STATES)


@pytest.mark.parametrize("source, target, who, told", ALLOWED)
def test_allowed_transition(pw, django_capture_on_commit_callbacks, source, target, who, told):
    # given
    proposal = _proposal_in(pw, source)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        transition(ProposalWorkflow, proposal, to=target, actor=pw.users[RIGHT_ACTOR[who]], message="测试")
    # then
    proposal.refresh_from_db()
    assert proposal.status == target
    event = ProposalEvent.objects.get(subject=proposal)
    assert (event.from_state, event.to_state, event.message) == (source, target, "测试")
    assert AuditEvent.objects.filter(object_type="proposals.proposal", object_id=str(proposal.pk)).count() == 1
    told_zhang = Notification.objects.filter(recipient=pw.users["member"], kind="proposals").count()
    assert told_zhang == (1 if told else 0)


@pytest.mark.parametrize("source, target, who, told", ALLOWED)
def test_allowed_transition_by_the_wrong_actor_is_refused(pw, source, target, who, told):
    proposal = _proposal_in(pw, source)
    with pytest.raises(PermissionDenied):
        transition(ProposalWorkflow, proposal, to=target, actor=pw.users[WRONG_ACTOR[who]], message="测试")
    proposal.refresh_from_db()
    assert proposal.status == source
    assert ProposalEvent.objects.filter(subject=proposal).count() == 0
    assert AuditEvent.objects.count() == 0


@pytest.mark.parametrize("source, target", FORBIDDEN)
def test_forbidden_transition(pw, source, target):
    proposal = _proposal_in(pw, source)
    with pytest.raises(InvalidTransition, match="不能改为"):
        transition(ProposalWorkflow, proposal, to=target, actor=pw.users["union_office"], message="测试")
    proposal.refresh_from_db()
    assert proposal.status == source
    assert ProposalEvent.objects.filter(subject=proposal).count() == 0
    assert AuditEvent.objects.count() == 0


@pytest.mark.parametrize(
    "source, target", [("under_review", "not_registered"), ("under_review", "referred"), ("replied", "rehandling")]
)
def test_a_step_that_needs_a_reason_is_refused_without_one(pw, source, target):
    proposal = _proposal_in(pw, source)
    actor = pw.users["member" if source == "replied" else "proposals_committee"]
    with pytest.raises(InvalidTransition, match="须填写说明"):
        transition(ProposalWorkflow, proposal, to=target, actor=actor, message=" ")
    proposal.refresh_from_db()
    assert proposal.status == source
    assert ProposalEvent.objects.count() == 0
