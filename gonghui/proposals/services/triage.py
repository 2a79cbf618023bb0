"""Triage by the proposals committee (立案, 并案, 转为意见建议, 不予立案, 提交主席团),
the presidium's decision on referred items, unit assignment, the leader in charge's
sign-off of the register and assignments (handover), publication and awards."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.accounts.access import Actor, permission_require
from gonghui.congress.models import CongressSession
from gonghui.congress.selectors import session_rules
from gonghui.core.exceptions import ApplicationError, InvalidTransition
from gonghui.core.workdays import working_days_add
from gonghui.core.workflow import transition, transition_bulk
from gonghui.proposals.choices import (
    REGISTERED_OR_LATER,
    AssignmentRole,
    AwardKind,
    ProposalEventStep,
    ProposalKind,
    ProposalStatus,
    ProposerRole,
    TriageOutcome,
)
from gonghui.proposals.models import (
    Award,
    HandlingAssignment,
    HandoverSignOff,
    Proposal,
    ProposalProposer,
    TriageDecision,
)
from gonghui.proposals.workflow import COMMITTEE, OFFICE, PRESIDIUM, ProposalWorkflow, relation_require

S = ProposalStatus
E = ProposalEventStep
OUTCOME_STATUS: dict[str, str] = {
    TriageOutcome.REGISTERED: S.REGISTERED,
    TriageOutcome.MERGED: S.MERGED,
    TriageOutcome.OPINION: S.OPINION,
    TriageOutcome.NOT_REGISTERED: S.NOT_REGISTERED,
    TriageOutcome.REFERRED: S.REFERRED,
}
REASON_REQUIRED = {TriageOutcome.NOT_REGISTERED, TriageOutcome.REFERRED}


@transaction.atomic
def proposal_review_start(*, proposal: Proposal, actor: Actor) -> Proposal:
    return transition(ProposalWorkflow, proposal, to=S.UNDER_REVIEW, actor=actor)


def _next_number(session: CongressSession) -> int:
    CongressSession.objects.select_for_update().filter(pk=session.pk).first()
    return (Proposal.objects.filter(session=session).aggregate(n=Max("number"))["n"] or 0) + 1


@transaction.atomic
def proposal_triage(
    *,
    proposal: Proposal,
    actor: Actor,
    outcome: str,
    reason: str = "",
    merge_into: Proposal | None = None,
) -> Proposal:
    """The committee decides on a submitted proposal (taking it under review first).

    Registered proposals get the session's next number. Merging moves every proposer and
    confirmed co-signer of this proposal to the target as joint proposers. Not registering
    and referring to the presidium need a reason; the reason is sent to the proposers.
    """
    relation_require(proposal, actor, COMMITTEE, _("只有提案工作委员会可以审查提案。"))
    reason = (reason or "").strip()
    if outcome not in OUTCOME_STATUS:
        raise ApplicationError(_("未知的审查结论。"))
    if outcome in REASON_REQUIRED and not reason:
        raise ApplicationError(_("请填写理由：不予立案或提交主席团须说明理由，理由将告知提案人。"))
    if outcome == TriageOutcome.MERGED:
        _check_merge_target(proposal, merge_into)
    if outcome == TriageOutcome.REGISTERED and proposal.kind == ProposalKind.OPINION:
        raise ApplicationError(_("逾期提交的意见建议不能立案，请转为意见建议处理。"))
    if proposal.status == S.SUBMITTED:
        proposal_review_start(proposal=proposal, actor=actor)
    return _decide(
        proposal=proposal, actor=actor, outcome=outcome, reason=reason, merge_into=merge_into, by_presidium=False
    )


def _check_merge_target(proposal: Proposal, target: Proposal | None) -> None:
    if target is None:
        raise ApplicationError(_("请选择并入的提案。"))
    if target.pk == proposal.pk:
        raise ApplicationError(_("提案不能并入自己。"))
    if target.status == S.MERGED or target.merged_into_id:
        raise ApplicationError(_("目标提案已并入其他提案，不能再并入。"))
    if target.session_id != proposal.session_id:
        raise ApplicationError(_("只能并入同一次会议的提案。"))
    if target.status not in (S.SUBMITTED, S.UNDER_REVIEW, S.REFERRED, S.REGISTERED):
        raise ApplicationError(
            _("目标提案当前状态为“%(status)s”，不能并入。") % {"status": target.get_status_display()}
        )


def _decide(
    *,
    proposal: Proposal,
    actor: Actor,
    outcome: str,
    reason: str,
    merge_into: Proposal | None,
    by_presidium: bool,
) -> Proposal:
    values: dict = {}
    message = reason
    if outcome == TriageOutcome.REGISTERED:
        values["number"] = _next_number(proposal.session)
        message = _("立案，编号第 %(n)s 号") % {"n": values["number"]}
    if outcome == TriageOutcome.OPINION:
        values["kind"] = ProposalKind.OPINION
    if outcome == TriageOutcome.MERGED and merge_into is not None:
        values["merged_into"] = merge_into
        message = _("并入提案“%(title)s”") % {"title": merge_into.title}
    if outcome in (TriageOutcome.NOT_REGISTERED, TriageOutcome.OPINION, TriageOutcome.REFERRED) and reason:
        values["decision_reason"] = reason
    transition(
        ProposalWorkflow,
        proposal,
        to=OUTCOME_STATUS[outcome],
        actor=actor,
        message=message,
        parameters={"outcome": outcome, "by_presidium": by_presidium},
        values=values,
    )
    TriageDecision.objects.create(
        proposal=proposal,
        outcome=outcome,
        reason=reason,
        by_presidium=by_presidium,
        decided_by=actor,
        merged_into=merge_into,
    )
    if merge_into is not None:
        _merge_people(source=proposal, target=merge_into, actor=actor)
    return proposal


def _merge_people(*, source: Proposal, target: Proposal, actor: Actor) -> None:
    """Every proposer and confirmed co-signer of `source` becomes a joint proposer of
    `target` (unless already a proposer there). History stays on both proposals."""
    have = set(target.proposers.values_list("delegate_id", flat=True))
    delegates = list(source.proposers.values_list("delegate_id", flat=True))
    delegates += list(source.co_signatures.filter(confirmed_at__isnull=False).values_list("delegate_id", flat=True))
    added = []
    for delegate_id in delegates:
        if delegate_id in have:
            continue
        have.add(delegate_id)
        ProposalProposer.objects.create(
            proposal=target, delegate_id=delegate_id, role=ProposerRole.JOINT, merged_from=source
        )
        added.append(delegate_id)
    ProposalWorkflow.record(
        target,
        E.MERGED_IN,
        actor,
        message=_("并入“%(title)s”") % {"title": source.title},
        parameters={"from": source.pk, "joint_proposers": added},
    )


@transaction.atomic
def proposal_presidium_decide(*, proposal: Proposal, actor: Actor, outcome: str, reason: str = "") -> Proposal:
    """The presidium decides on a referred proposal: register, opinion or not register."""
    relation_require(proposal, actor, PRESIDIUM, _("只有主席团可以对提交主席团的提案作出决定。"))
    reason = (reason or "").strip()
    if outcome not in (TriageOutcome.REGISTERED, TriageOutcome.OPINION, TriageOutcome.NOT_REGISTERED):
        raise ApplicationError(_("主席团只能决定立案、转为意见建议或不予立案。"))
    if proposal.status != S.REFERRED:
        raise InvalidTransition(_("这份提案没有提交主席团。"))
    if outcome == TriageOutcome.NOT_REGISTERED and not reason:
        raise ApplicationError(_("请填写理由：不予立案须说明理由，理由将告知提案人。"))
    return _decide(proposal=proposal, actor=actor, outcome=outcome, reason=reason, merge_into=None, by_presidium=True)


@transaction.atomic
def proposal_units_set(
    *, proposal: Proposal, actor: Actor, lead_unit, co_units=(), handler=None
) -> list[HandlingAssignment]:
    """The union office proposes the lead unit and co-units (before the leader's sign-off)."""
    relation_require(proposal, actor, OFFICE, _("只有校工会可以确定承办单位。"))
    if proposal.status not in (S.REGISTERED, S.OPINION):
        raise ApplicationError(_("只有已立案或转为意见建议、尚未交办的提案可以确定承办单位。"))
    co_units = [u for u in co_units if u.pk != lead_unit.pk]
    proposal.assignments.all().delete()
    rows = [
        HandlingAssignment.objects.create(proposal=proposal, unit=lead_unit, role=AssignmentRole.LEAD, handler=handler)
    ]
    rows += [HandlingAssignment.objects.create(proposal=proposal, unit=u, role=AssignmentRole.CO) for u in co_units]
    ProposalWorkflow.record(
        proposal, E.ASSIGNED, actor, parameters={"lead": lead_unit.name, "co": [u.name for u in co_units]}
    )
    return rows


@transaction.atomic
def session_handover(
    *,
    session: CongressSession,
    actor: Actor,
    signed_on: datetime.date | None = None,
    leader=None,
    note: str = "",
    proposals=None,
) -> HandoverSignOff:
    """Record the leader in charge's sign-off of the register and unit assignments and hand
    the proposals over, all at once: each gets its deadline (the session's reply working
    days, counted from the sign-off day in Chinese working days); the proposers and the
    units are told."""
    permission_require(actor, "proposals.assign_proposal")
    rules = session_rules(session)
    leader = leader or rules.leader_in_charge
    if leader is None:
        raise ApplicationError(_("请先指定本次会议的分管校领导。"))
    signed_on = signed_on or timezone.localdate()
    qs = Proposal.objects.filter(session=session, status__in=[S.REGISTERED, S.OPINION])
    if proposals is not None:
        qs = qs.filter(pk__in=[p.pk for p in proposals])
    ready = list(
        qs.filter(assignments__role=AssignmentRole.LEAD)
        .distinct()
        .order_by("number", "pk")
        .values_list("pk", flat=True)
    )
    if not ready:
        raise ApplicationError(_("没有已确定主办单位、待交办的提案。"))
    deadline, calendar = working_days_add(signed_on, rules.reply_working_days)
    signoff = HandoverSignOff.objects.create(
        session=session, leader=leader, recorded_by=actor, signed_on=signed_on, proposal_ids=ready, note=note
    )
    HandlingAssignment.objects.filter(proposal_id__in=ready).update(
        deadline_from=signed_on,
        deadline_working_days=rules.reply_working_days,
        deadline_calendar=calendar,
        deadline=deadline,
    )
    transition_bulk(
        ProposalWorkflow,
        Proposal.objects.filter(pk__in=ready),
        to=S.ASSIGNED,
        actor=actor,
        message=_("分管校领导 %(leader)s 审签，交办；答复期限 %(deadline)s")
        % {"leader": leader.name, "deadline": deadline.isoformat()},
        parameters={
            "leader": leader.name,
            "signed_on": signed_on.isoformat(),
            "deadline": deadline.isoformat(),
            "calendar": calendar,
        },
    )
    return signoff


@transaction.atomic
def session_publish(*, session: CongressSession, actor: Actor) -> int:
    """Publish (公示) the register: registered and later proposals of the session not yet
    public. Released replies of published proposals are public with them."""
    permission_require(actor, "proposals.publish_proposal")
    qs = Proposal.objects.filter(
        session=session, status__in=REGISTERED_OR_LATER, kind=ProposalKind.PROPOSAL, published_at__isnull=True
    )
    published = list(qs.select_for_update())
    Proposal.objects.filter(pk__in=[p.pk for p in published]).update(published_at=timezone.now())
    for proposal in published:
        ProposalWorkflow.record(proposal, E.PUBLISHED, actor)
    return len(published)


@transaction.atomic
def award_name(*, session: CongressSession, actor: Actor, kind: str, proposal=None, unit=None) -> Award:
    """The committee names a best proposal or a best handling unit of the session."""
    permission_require(actor, "proposals.award_proposal")
    if kind == AwardKind.BEST_PROPOSAL:
        if proposal is None or proposal.session_id != session.pk or proposal.number is None:
            raise ApplicationError(_("只能评选本次会议已立案的提案。"))
        award, _made = Award.objects.get_or_create(
            session=session, kind=kind, proposal=proposal, defaults={"named_by": actor}
        )
        ProposalWorkflow.record(proposal, E.AWARDED, actor)
        return award
    if kind == AwardKind.BEST_UNIT and unit is not None:
        award, _made = Award.objects.get_or_create(session=session, kind=kind, unit=unit, defaults={"named_by": actor})
        return award
    raise ApplicationError(_("请选择提案或承办单位。"))
