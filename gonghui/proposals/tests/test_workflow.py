"""Every allowed and every forbidden transition of TRANSITIONS, through proposal_transition,
with the right actor, a wrong actor, and nothing written on refusal."""

import itertools

import pytest

from gonghui.core.exceptions import InvalidTransition, PermissionDenied
from gonghui.core.models import AuditEvent
from gonghui.proposals.choices import AssignmentRole, ProposalStatus, ProposerRole
from gonghui.proposals.models import HandlingAssignment, Proposal, ProposalEvent, ProposalProposer
from gonghui.proposals.services.workflow import proposal_transition
from gonghui.proposals.workflow import ACTORS, TRANSITIONS

S = ProposalStatus
ALLOWED = sorted((source, target) for source, targets in TRANSITIONS.items() for target in targets)
FORBIDDEN = sorted((s, t) for s, t in itertools.product(S.values, S.values) if t not in TRANSITIONS[s])

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


def test_the_table_covers_every_status_and_names_who_takes_each_step():
    assert set(TRANSITIONS) == set(S.values)
    assert set(ACTORS) == set(ALLOWED)
    assert len(ALLOWED) == 25
    assert len(FORBIDDEN) == 16 * 16 - 25


@pytest.mark.parametrize("source, target", ALLOWED)
def test_allowed_transition(pw, source, target):
    # given
    proposal = _proposal_in(pw, source)
    role = sorted(ACTORS[(source, target)])[0]
    # when
    proposal_transition(proposal=proposal, to_status=target, actor=pw.users[RIGHT_ACTOR[role]], message="测试")
    # then
    proposal.refresh_from_db()
    assert proposal.status == target
    event = ProposalEvent.objects.get(proposal=proposal)
    assert (event.from_status, event.to_status, event.message) == (source, target, "测试")
    assert AuditEvent.objects.filter(object_type="proposals.proposal", object_id=str(proposal.pk)).count() == 1


@pytest.mark.parametrize("source, target", ALLOWED)
def test_allowed_transition_by_the_wrong_actor_is_refused(pw, source, target):
    proposal = _proposal_in(pw, source)
    roles = ACTORS[(source, target)]
    wrong = next(WRONG_ACTOR[r] for r in sorted(roles))
    with pytest.raises(PermissionDenied):
        proposal_transition(proposal=proposal, to_status=target, actor=pw.users[wrong])
    proposal.refresh_from_db()
    assert proposal.status == source
    assert ProposalEvent.objects.filter(proposal=proposal).count() == 0
    assert AuditEvent.objects.count() == 0


@pytest.mark.parametrize("source, target", FORBIDDEN)
def test_forbidden_transition(pw, source, target):
    proposal = _proposal_in(pw, source)
    with pytest.raises(InvalidTransition, match="不能改为"):
        proposal_transition(proposal=proposal, to_status=target, actor=pw.users["union_office"])
    proposal.refresh_from_db()
    assert proposal.status == source
    assert ProposalEvent.objects.filter(proposal=proposal).count() == 0
    assert AuditEvent.objects.count() == 0
