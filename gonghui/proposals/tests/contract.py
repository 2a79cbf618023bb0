"""The proposals' cases for the cross-module workflow contract test: a proposal in the step's
source state (a proposer, a lead unit), an actor standing in the step's relation to it and
the keyword arguments `transition` needs."""

from __future__ import annotations

from collections.abc import Callable

from gonghui.proposals.choices import AssignmentRole, ProposerRole
from gonghui.proposals.models import HandlingAssignment, Proposal, ProposalProposer

# who stands in each relation in the congress world (chen sits on the presidium)
ACTORS = {
    "proposer": "member",
    "committee": "proposals_committee",
    "presidium": "chen",
    "office": "union_office",
    "unit": "handling_unit_officer",
}


def _congress(world):
    from gonghui.proposals.tests.factories import congress_world

    if not hasattr(world, "congress_world"):
        world.congress_world = congress_world(world)
    return world.congress_world


def _proposal(world, step, source):
    pw = _congress(world)
    proposal = Proposal.objects.create(session=pw.session, title="契约测试提案", status=source)
    ProposalProposer.objects.create(proposal=proposal, delegate=pw.delegates["zhang"], role=ProposerRole.ORIGINAL)
    HandlingAssignment.objects.create(proposal=proposal, unit=pw.logistics, role=AssignmentRole.LEAD)
    (relation,) = step.relations
    return proposal, pw.users[ACTORS[relation]], {"message": "契约测试"}


CONTRACT: dict[str, Callable] = {"proposals.proposal": _proposal}

__all__ = ["CONTRACT"]
