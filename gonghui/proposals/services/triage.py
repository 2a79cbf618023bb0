"""Triage by the proposals committee (立案, 并案, 转为意见建议, 不予立案, 提交主席团),
the presidium's decision on referred items, unit assignment, the leader in charge's
sign-off of the register and assignments (handover), publication and awards."""

import datetime

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.accounts.access import get_access
from gonghui.accounts.roles import Role
from gonghui.congress.models import CongressSession
from gonghui.core.exceptions import ApplicationError, InvalidTransition, PermissionDenied
from gonghui.core.workdays import working_days_add
from gonghui.proposals.choices import (
    AssignmentRole,
    AwardKind,
    ProposalEventType,
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
from gonghui.proposals.services.workflow import (
    notify_proposers,
    proposal_actor_roles,
    proposal_event_record,
    proposal_transition,
    proposal_url,
)

S = ProposalStatus
OUTCOME_STATUS = {
    TriageOutcome.REGISTERED: S.REGISTERED,
    TriageOutcome.MERGED: S.MERGED,
    TriageOutcome.OPINION: S.OPINION,
    TriageOutcome.NOT_REGISTERED: S.NOT_REGISTERED,
    TriageOutcome.REFERRED: S.REFERRED,
}
REASON_REQUIRED = {TriageOutcome.NOT_REGISTERED, TriageOutcome.REFERRED}


def _require(proposal, actor, role, message):
    if role not in proposal_actor_roles(proposal=proposal, user=actor):
        raise PermissionDenied(message)


@transaction.atomic
def proposal_review_start(*, proposal: Proposal, actor) -> Proposal:
    return proposal_transition(proposal=proposal, to_status=S.UNDER_REVIEW, actor=actor, notify=False)


def _next_number(session) -> int:
    CongressSession.objects.select_for_update().filter(pk=session.pk).first()
    return (Proposal.objects.filter(session=session).aggregate(n=Max("number"))["n"] or 0) + 1


@transaction.atomic
def proposal_triage(
    *,
    proposal: Proposal,
    actor,
    outcome: str,
    reason: str = "",
    merge_into: Proposal | None = None,
) -> Proposal:
    """The committee decides on a submitted proposal (taking it under review first).

    Registered proposals get the session's next number. Merging moves every proposer and
    confirmed co-signer of this proposal to the target as joint proposers. Not registering
    and referring to the presidium need a reason; the reason is sent to the proposers.
    """
    _require(proposal, actor, "committee", _("只有提案工作委员会可以审查提案。"))
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


def _check_merge_target(proposal, target):
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


def _decide(*, proposal, actor, outcome, reason, merge_into, by_presidium):
    to_status = OUTCOME_STATUS[outcome]
    update = {}
    if outcome == TriageOutcome.REGISTERED:
        update["number"] = _next_number(proposal.session)
    if outcome == TriageOutcome.OPINION:
        update["kind"] = ProposalKind.OPINION
    if outcome == TriageOutcome.MERGED:
        update["merged_into"] = merge_into
    if outcome in (TriageOutcome.NOT_REGISTERED, TriageOutcome.OPINION, TriageOutcome.REFERRED) and reason:
        update["decision_reason"] = reason
    message = reason
    if outcome == TriageOutcome.REGISTERED:
        message = _("立案，编号第 %(n)s 号") % {"n": update["number"]}
    elif outcome == TriageOutcome.MERGED:
        message = _("并入提案“%(title)s”") % {"title": merge_into.title}
    proposal_transition(
        proposal=proposal,
        to_status=to_status,
        actor=actor,
        message=message,
        parameters={"outcome": outcome, "by_presidium": by_presidium},
    )
    for name, value in update.items():
        setattr(proposal, name, value)
    if update:
        proposal.save(update_fields=[*update, "updated_at"])
    TriageDecision.objects.create(
        proposal=proposal,
        outcome=outcome,
        reason=reason,
        by_presidium=by_presidium,
        decided_by=actor,
        merged_into=merge_into,
    )
    if outcome == TriageOutcome.MERGED:
        _merge_people(source=proposal, target=merge_into, actor=actor)
    return proposal


def _merge_people(*, source, target, actor):
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
    proposal_event_record(
        proposal=target,
        type=ProposalEventType.MERGED_IN,
        actor=actor,
        message=_("并入“%(title)s”") % {"title": source.title},
        parameters={"from": source.pk, "joint_proposers": added},
    )


@transaction.atomic
def proposal_presidium_decide(*, proposal: Proposal, actor, outcome: str, reason: str = "") -> Proposal:
    """The presidium decides on a referred proposal: register, opinion or not register."""
    _require(proposal, actor, "presidium", _("只有主席团可以对提交主席团的提案作出决定。"))
    reason = (reason or "").strip()
    if outcome not in (TriageOutcome.REGISTERED, TriageOutcome.OPINION, TriageOutcome.NOT_REGISTERED):
        raise ApplicationError(_("主席团只能决定立案、转为意见建议或不予立案。"))
    if proposal.status != S.REFERRED:
        raise InvalidTransition(_("这份提案没有提交主席团。"))
    if outcome == TriageOutcome.NOT_REGISTERED and not reason:
        raise ApplicationError(_("请填写理由：不予立案须说明理由，理由将告知提案人。"))
    return _decide(proposal=proposal, actor=actor, outcome=outcome, reason=reason, merge_into=None, by_presidium=True)


@transaction.atomic
def proposal_units_set(*, proposal: Proposal, actor, lead_unit, co_units=(), handler=None) -> list[HandlingAssignment]:
    """The union office proposes the lead unit and co-units (before the leader's sign-off)."""
    _require(proposal, actor, "office", _("只有校工会可以确定承办单位。"))
    if proposal.status not in (S.REGISTERED, S.OPINION):
        raise ApplicationError(_("只有已立案或转为意见建议、尚未交办的提案可以确定承办单位。"))
    co_units = [u for u in co_units if u.pk != lead_unit.pk]
    proposal.assignments.all().delete()
    rows = [
        HandlingAssignment.objects.create(proposal=proposal, unit=lead_unit, role=AssignmentRole.LEAD, handler=handler)
    ]
    rows += [HandlingAssignment.objects.create(proposal=proposal, unit=u, role=AssignmentRole.CO) for u in co_units]
    proposal_event_record(
        proposal=proposal,
        type=ProposalEventType.ASSIGNED,
        actor=actor,
        parameters={"lead": lead_unit.name, "co": [u.name for u in co_units]},
    )
    return rows


def unit_officers(unit_ids) -> list:
    from gonghui.accounts.models import User

    return list(
        User.objects.filter(
            is_active=True,
            role_assignments__role=Role.HANDLING_UNIT_OFFICER,
            role_assignments__university_unit_id__in=unit_ids,
        ).distinct()
    )


@transaction.atomic
def session_handover(
    *,
    session,
    actor,
    signed_on: datetime.date | None = None,
    leader=None,
    note: str = "",
    proposals=None,
) -> HandoverSignOff:
    """Record the leader in charge's sign-off of the register and unit assignments and hand
    the proposals over: each gets its deadline (the session's reply working days, counted
    from the sign-off day in Chinese working days) and the units are told."""
    access = get_access(actor)
    if not access.writes_everything:
        raise PermissionDenied(_("只有校工会可以登记分管校领导审签并交办。"))
    leader = leader or session.leader_in_charge
    if leader is None:
        raise ApplicationError(_("请先指定本次会议的分管校领导。"))
    signed_on = signed_on or timezone.localdate()
    qs = Proposal.objects.filter(session=session, status__in=[S.REGISTERED, S.OPINION])
    if proposals is not None:
        qs = qs.filter(pk__in=[p.pk for p in proposals])
    ready = list(qs.filter(assignments__role=AssignmentRole.LEAD).distinct().order_by("number", "pk"))
    if not ready:
        raise ApplicationError(_("没有已确定主办单位、待交办的提案。"))
    deadline, calendar = working_days_add(signed_on, session.reply_working_days)
    signoff = HandoverSignOff.objects.create(
        session=session,
        leader=leader,
        recorded_by=actor,
        signed_on=signed_on,
        proposal_ids=[p.pk for p in ready],
        note=note,
    )
    now = timezone.now()
    unit_ids = set()
    for proposal in ready:
        proposal.assignments.update(
            deadline_from=signed_on,
            deadline_working_days=session.reply_working_days,
            deadline_calendar=calendar,
            deadline=deadline,
        )
        unit_ids |= set(proposal.assignments.values_list("unit_id", flat=True))
        proposal_transition(
            proposal=proposal,
            to_status=S.ASSIGNED,
            actor=actor,
            message=_("分管校领导 %(leader)s 审签，交办；答复期限 %(deadline)s")
            % {"leader": leader.name, "deadline": deadline.isoformat()},
        )
        Proposal.objects.filter(pk=proposal.pk).update(signed_off_at=now)
        proposal_event_record(
            proposal=proposal,
            type=ProposalEventType.SIGNED_OFF,
            actor=actor,
            parameters={
                "leader": leader.name,
                "signed_on": signed_on.isoformat(),
                "deadline": deadline.isoformat(),
                "calendar": calendar,
            },
        )
    from gonghui.notifications.services import notification_send

    notification_send(
        recipients=unit_officers(unit_ids),
        title=_("收到交办的教代会提案，答复期限 %(deadline)s") % {"deadline": deadline.isoformat()},
        url="/proposals/unit/",
        kind="proposals.assigned",
    )
    return signoff


@transaction.atomic
def session_publish(*, session, actor) -> int:
    """Publish (公示) the register: registered and later proposals of the session not yet
    public. Released replies of published proposals are public with them."""
    if not get_access(actor).writes_everything:
        raise PermissionDenied(_("只有校工会可以公示提案。"))
    from gonghui.proposals.workflow import REGISTERED_OR_LATER

    qs = Proposal.objects.filter(
        session=session, status__in=REGISTERED_OR_LATER, kind=ProposalKind.PROPOSAL, published_at__isnull=True
    )
    ids = list(qs.values_list("pk", flat=True))
    now = timezone.now()
    Proposal.objects.filter(pk__in=ids).update(published_at=now)
    for pk in ids:
        proposal_event_record(proposal=Proposal(pk=pk), type=ProposalEventType.PUBLISHED, actor=actor)
    return len(ids)


@transaction.atomic
def award_name(*, session, actor, kind: str, proposal=None, unit=None) -> Award:
    """The committee names a best proposal or a best handling unit of the session."""
    access = get_access(actor)
    if not (access.writes_everything or Role.PROPOSALS_COMMITTEE in access.roles):
        raise PermissionDenied(_("只有提案工作委员会可以评选优秀提案和承办单位。"))
    if kind == AwardKind.BEST_PROPOSAL:
        if proposal is None or proposal.session_id != session.pk or proposal.number is None:
            raise ApplicationError(_("只能评选本次会议已立案的提案。"))
        award, _made = Award.objects.get_or_create(
            session=session, kind=kind, proposal=proposal, defaults={"named_by": actor}
        )
        proposal_event_record(proposal=proposal, type=ProposalEventType.AWARDED, actor=actor)
        return award
    if kind == AwardKind.BEST_UNIT and unit is not None:
        award, _made = Award.objects.get_or_create(session=session, kind=kind, unit=unit, defaults={"named_by": actor})
        return award
    raise ApplicationError(_("请选择提案或承办单位。"))


__all__ = ["proposal_url", "notify_proposers"]
