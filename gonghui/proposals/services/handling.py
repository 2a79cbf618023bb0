"""Handling by units: contacts with the proposer, co-units' input, the lead unit's one
reply (signed off by the leader in charge, released before the lock), reopening by the
committee, ratings and re-handling rounds, follow-up milestones, reminders."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.accounts.access import Actor, get_access
from gonghui.accounts.roles import Role
from gonghui.congress.selectors import rules_by_session, session_rules
from gonghui.core.exceptions import ApplicationError, PermissionDenied
from gonghui.core.service_kit import required_text
from gonghui.core.workdays import working_days_add
from gonghui.core.workflow import transition
from gonghui.proposals.choices import (
    REPLYABLE,
    AssignmentRole,
    ProposalEventStep,
    ProposalKind,
    ProposalStatus,
    ReplyCategory,
)
from gonghui.proposals.models import (
    ContactLog,
    HandlingAssignment,
    Milestone,
    Proposal,
    ProposalReply,
    SatisfactionRating,
)
from gonghui.proposals.workflow import COMMITTEE, ProposalWorkflow, relation_require, unit_officers

S = ProposalStatus
E = ProposalEventStep


def _today() -> datetime.date:
    return timezone.localdate()


def _unit_assignment(proposal: Proposal, actor: Actor, *, lead_only: bool) -> HandlingAssignment:
    """The assignment `actor` acts for: their unit's (lead, or any if not lead_only); the
    union office acts for the lead unit."""
    access = get_access(actor)
    qs = proposal.assignments.select_related("unit")
    if access.writes_everything:
        row = qs.filter(role=AssignmentRole.LEAD).first()
    elif Role.HANDLING_UNIT_OFFICER in access.roles:
        qs = qs.filter(unit_id__in=access.unit_ids)
        if lead_only:
            qs = qs.filter(role=AssignmentRole.LEAD)
        row = qs.first()
    else:
        row = None
    if row is None:
        raise PermissionDenied(_("只有主办单位可以进行此操作。") if lead_only else _("这份提案没有交给您的单位办理。"))
    return row


def _lead(proposal: Proposal) -> HandlingAssignment:
    return proposal.assignments.get(role=AssignmentRole.LEAD)


def _refuse_if_locked(proposal: Proposal, today: datetime.date) -> None:
    lead = _lead(proposal)
    if lead.locked_on(today):
        raise ApplicationError(
            _("答复期限（%(deadline)s）已过，答复已锁定；如需补充答复，请提案工作委员会重新开放。")
            % {"deadline": lead.deadline.isoformat() if lead.deadline else ""}
        )


def _start_handling(proposal: Proposal, actor: Actor) -> None:
    """The first act of any assigned unit (a co-unit's input too) starts the handling: the
    caller has checked the actor is one of the proposal's units, so the step's own actor
    check (the lead unit) is not repeated."""
    if proposal.status == S.ASSIGNED:
        transition(ProposalWorkflow, proposal, to=S.IN_HANDLING, actor=actor, check_actor=False)


@transaction.atomic
def contact_record(
    *, proposal: Proposal, actor: Actor, contacted_on: datetime.date, method: str, summary: str
) -> ContactLog:
    """A handling unit records a contact with the proposer (any assigned unit may)."""
    assignment = _unit_assignment(proposal, actor, lead_only=False)
    if proposal.status not in REPLYABLE | {S.REPLIED, S.FOLLOW_UP}:
        raise ApplicationError(_("提案尚未交办或已办结。"))
    summary = required_text(summary, _("请填写沟通内容。"))
    if contacted_on > _today():
        raise ApplicationError(_("沟通日期不能晚于今天。"))
    row = ContactLog.objects.create(
        proposal=proposal,
        unit=assignment.unit,
        contacted_on=contacted_on,
        method=method,
        summary=summary,
        recorded_by=actor,
    )
    _start_handling(proposal, actor)
    ProposalWorkflow.record(
        proposal,
        E.CONTACT,
        actor,
        message=summary,
        parameters={"unit": assignment.unit.name, "on": contacted_on.isoformat(), "method": method},
    )
    return row


@transaction.atomic
def co_input_record(*, proposal: Proposal, actor: Actor, text: str) -> HandlingAssignment:
    """A co-unit gives its input to the lead unit."""
    assignment = _unit_assignment(proposal, actor, lead_only=False)
    if assignment.role != AssignmentRole.CO and not get_access(actor).writes_everything:
        raise ApplicationError(_("协办意见由协办单位填写。"))
    if proposal.status not in REPLYABLE:
        raise ApplicationError(_("提案不在办理中。"))
    text = required_text(text, _("请填写协办意见。"))
    assignment.co_input = text
    assignment.co_input_at = timezone.now()
    assignment.save(update_fields=["co_input", "co_input_at"])
    _start_handling(proposal, actor)
    ProposalWorkflow.record(proposal, E.CO_INPUT, actor, message=text, parameters={"unit": assignment.unit.name})
    return assignment


@transaction.atomic
def reply_draft(
    *,
    proposal: Proposal,
    actor: Actor,
    category: str,
    body: str,
    target_date: datetime.date | None = None,
    reasons: str = "",
    today: datetime.date | None = None,
) -> ProposalReply:
    """The lead unit writes (or rewrites) its one reply for the current round. Rewriting a
    signed-off reply clears the sign-off. Refused after the lock."""
    assignment = _unit_assignment(proposal, actor, lead_only=True)
    today = today or _today()
    if proposal.status not in REPLYABLE:
        raise ApplicationError(_("提案当前状态为“%(status)s”，不能答复。") % {"status": proposal.get_status_display()})
    _refuse_if_locked(proposal, today)
    body, reasons = (body or "").strip(), (reasons or "").strip()
    if category not in ReplyCategory.values:
        raise ApplicationError(_("请选择答复类别。"))
    if not body:
        raise ApplicationError(_("请填写答复内容。"))
    if category == ReplyCategory.PLANNED and target_date is None:
        raise ApplicationError(_("“正在解决或列入计划”的答复须写明计划完成日期。"))
    if category == ReplyCategory.CANNOT and not reasons:
        raise ApplicationError(_("“暂不能解决”的答复须说明原因。"))
    if proposal.kind == ProposalKind.OPINION and not proposal.contacts.exists():
        raise ApplicationError(_("答复意见建议前，须至少与提案人沟通一次并记录。"))
    existing = proposal.replies.filter(round=proposal.round).first()
    if existing is not None and existing.released_at:
        raise ApplicationError(_("本轮答复已发布，不能修改。"))
    reply, _made = ProposalReply.objects.update_or_create(
        proposal=proposal,
        round=proposal.round,
        defaults={
            "unit": assignment.unit,
            "category": category,
            "body": body,
            "target_date": target_date,
            "reasons": reasons,
            "written_by": actor,
            "written_at": timezone.now(),
            "leader_name": "",
            "signed_off_at": None,
        },
    )
    _start_handling(proposal, actor)
    ProposalWorkflow.record(
        proposal, E.REPLY_DRAFTED, actor, parameters={"round": proposal.round, "category": category}
    )
    return reply


def _current_reply(proposal: Proposal) -> ProposalReply:
    reply = proposal.replies.filter(round=proposal.round).first()
    if reply is None:
        raise ApplicationError(_("还没有起草本轮答复。"))
    return reply


@transaction.atomic
def reply_sign_off(*, proposal: Proposal, actor: Actor, leader_name: str) -> ProposalReply:
    """Record that the leader in charge signed the reply off (审签)."""
    _unit_assignment(proposal, actor, lead_only=True)
    reply = _current_reply(proposal)
    if reply.released_at:
        raise ApplicationError(_("本轮答复已发布。"))
    reply.leader_name = required_text(leader_name, _("请填写审签的分管校领导。"))
    reply.signed_off_at = timezone.now()
    reply.save(update_fields=["leader_name", "signed_off_at"])
    ProposalWorkflow.record(
        proposal, E.SIGNED_OFF, actor, parameters={"leader": reply.leader_name, "round": reply.round}
    )
    return reply


@transaction.atomic
def reply_release(*, proposal: Proposal, actor: Actor, today: datetime.date | None = None) -> ProposalReply:
    """Release the signed-off reply to the proposers (and to the public page if the
    proposal is published). Refused after the lock, or without the leader's sign-off."""
    _unit_assignment(proposal, actor, lead_only=True)
    today = today or _today()
    reply = _current_reply(proposal)
    if reply.signed_off_at is None:
        raise ApplicationError(_("答复须经分管校领导审签后才能发布。"))
    _refuse_if_locked(proposal, today)
    lead = _lead(proposal)
    reply.released_at = timezone.now()
    reply.on_time = lead.deadline is not None and today <= lead.deadline
    reply.save(update_fields=["released_at", "on_time"])
    transition(
        ProposalWorkflow,
        proposal,
        to=S.REPLIED,
        actor=actor,
        message=_("答复：%(category)s") % {"category": reply.get_category_display()},
        parameters={
            "round": reply.round,
            "on_time": reply.on_time,
            "co_signers_rate": session_rules(proposal.session).co_signers_rate,
        },
    )
    return reply


@transaction.atomic
def reply_reopen(*, proposal: Proposal, actor: Actor, until: datetime.date, reason: str) -> HandlingAssignment:
    """The committee reopens a locked reply until a given day."""
    relation_require(proposal, actor, COMMITTEE, _("只有提案工作委员会可以重新开放答复。"))
    reason = required_text(reason, _("请填写重新开放的理由。"))
    if proposal.status not in REPLYABLE:
        raise ApplicationError(_("提案不在办理中。"))
    if until < _today():
        raise ApplicationError(_("重新开放的截止日期不能早于今天。"))
    lead = _lead(proposal)
    lead.reopened_until = until
    lead.save(update_fields=["reopened_until"])
    ProposalWorkflow.record(proposal, E.REOPENED, actor, message=reason, parameters={"until": until.isoformat()})
    return lead


def _rater_delegate(proposal: Proposal, actor: Actor):
    """(delegate, is_proposer) of `actor` on this proposal, or refuse."""
    person = getattr(actor, "person", None)
    if person is None:
        raise PermissionDenied(_("只有提案人可以评价答复。"))
    proposer = proposal.proposers.filter(delegate__person=person).select_related("delegate").first()
    if proposer:
        return proposer.delegate, True
    if session_rules(proposal.session).co_signers_rate:
        co = proposal.co_signatures.filter(delegate__person=person, confirmed_at__isnull=False).first()
        if co:
            return co.delegate, False
    raise PermissionDenied(_("只有提案人可以评价答复。"))


@transaction.atomic
def rating_submit(*, proposal: Proposal, actor: Actor, level: str, comment: str = "") -> SatisfactionRating:
    """A proposer (or co-signer, if the session says so) rates the released reply.

    A proposer's rating that does not accept the reply (不满意) sends the proposal back for
    re-handling: round + 1, a new deadline, and after the session's number of rounds the
    leadership is told. When every proposer accepted, the proposal closes — or stays in
    follow-up if the reply was "in progress or planned"."""
    delegate, is_proposer = _rater_delegate(proposal, actor)
    rules = session_rules(proposal.session)
    if proposal.status != S.REPLIED:
        raise ApplicationError(_("提案当前没有待评价的答复。"))
    scale = rules.scale_level(level)
    if scale is None:
        raise ApplicationError(_("请选择评价等级。"))
    reply = proposal.replies.get(round=proposal.round)
    if reply.ratings.filter(rater=delegate).exists():
        raise ApplicationError(_("您已评价过本轮答复。"))
    if not scale["accepts"] and is_proposer and not (comment or "").strip():
        raise ApplicationError(_("不满意时请写明意见，便于承办单位重新办理。"))
    rating = SatisfactionRating.objects.create(
        reply=reply,
        proposal=proposal,
        round=reply.round,
        rater=delegate,
        level=level,
        accepts=bool(scale["accepts"]),
        comment=(comment or "").strip(),
    )
    ProposalWorkflow.record(
        proposal,
        E.RATED,
        actor,
        message=rating.comment,
        parameters={"level": scale["label"], "round": reply.round, "proposer": is_proposer},
    )
    if not is_proposer:
        return rating
    if not rating.accepts:
        _rehandle(proposal, actor, rating, rules)
        return rating
    proposer_ids = set(proposal.proposers.values_list("delegate_id", flat=True))
    accepted = set(reply.ratings.filter(accepts=True, rater_id__in=proposer_ids).values_list("rater_id", flat=True))
    if accepted >= proposer_ids:
        target = S.FOLLOW_UP if reply.category == ReplyCategory.PLANNED else S.CLOSED
        transition(
            ProposalWorkflow,
            proposal,
            to=target,
            actor=actor,
            message=_("提案人评价：%(level)s") % {"level": scale["label"]},
        )
    return rating


def _rehandle(proposal: Proposal, actor: Actor, rating: SatisfactionRating, rules) -> None:
    """A proposer's 不满意: the next round with a new deadline; after the session's number
    of rounds the leadership is told (once). The lead unit and the office hear of it from
    the step's effects."""
    rehandled = proposal.round
    escalate = rehandled >= rules.rounds_before_escalation and proposal.escalated_at is None
    values: dict = {"round": proposal.round + 1}
    if escalate:
        values["escalated_at"] = timezone.now()
    transition(
        ProposalWorkflow,
        proposal,
        to=S.REHANDLING,
        actor=actor,
        message=rating.comment,
        parameters={"round": values["round"], "escalated": escalate, "rounds": rehandled},
        values=values,
    )
    today = _today()
    deadline, calendar = working_days_add(today, rules.reply_working_days)
    proposal.assignments.update(
        deadline_from=today,
        deadline=deadline,
        deadline_calendar=calendar,
        deadline_working_days=rules.reply_working_days,
        reminded_on=None,
        reopened_until=None,
    )
    if escalate:
        ProposalWorkflow.record(proposal, E.ESCALATED, actor, parameters={"rounds": rehandled})


@transaction.atomic
def milestone_add(*, proposal: Proposal, actor: Actor, title: str, due_on=None) -> Milestone:
    _unit_assignment(proposal, actor, lead_only=True)
    if proposal.status not in (S.FOLLOW_UP, S.REPLIED, S.IN_HANDLING, S.REHANDLING, S.ASSIGNED):
        raise ApplicationError(_("提案不在办理或跟踪中。"))
    title = required_text(title, _("请填写节点名称。"))
    milestone = Milestone.objects.create(proposal=proposal, title=title, due_on=due_on, updated_by=actor)
    ProposalWorkflow.record(proposal, E.PROGRESS, actor, message=_("新增节点：%(title)s") % {"title": milestone.title})
    return milestone


@transaction.atomic
def progress_update(
    *, proposal: Proposal, actor: Actor, progress: int, note: str = "", milestone=None, done_on=None
) -> Proposal:
    """The lead unit updates a proposal in follow-up: overall progress, a milestone done."""
    _unit_assignment(proposal, actor, lead_only=True)
    if proposal.status not in (S.FOLLOW_UP, S.REPLIED):
        raise ApplicationError(_("只有持续跟踪中的提案需要更新进展。"))
    if not 0 <= int(progress) <= 100:
        raise ApplicationError(_("进度应在 0 到 100 之间。"))
    proposal.progress = int(progress)
    proposal.save(update_fields=["progress", "updated_at"])
    if milestone is not None:
        if milestone.proposal_id != proposal.pk:
            raise ApplicationError(_("节点不属于这份提案。"))
        milestone.done_on = done_on or _today()
        milestone.note = (note or "").strip()
        milestone.updated_by = actor
        milestone.save()
    ProposalWorkflow.record(proposal, E.PROGRESS, actor, message=note, parameters={"progress": proposal.progress})
    return proposal


@transaction.atomic
def follow_up_close(*, proposal: Proposal, actor: Actor, note: str = "") -> Proposal:
    """The committee closes a followed-up proposal once it is done."""
    return transition(ProposalWorkflow, proposal, to=S.CLOSED, actor=actor, message=note)


def reminders_send(*, today: datetime.date | None = None) -> int:
    """Remind lead units of replies due within the session's reminder lead time (working
    days), once per deadline. Returns how many proposals were reminded."""
    from gonghui.notifications.services import notification_send

    today = today or _today()
    count = 0
    rows = list(
        HandlingAssignment.objects.filter(
            role=AssignmentRole.LEAD, proposal__status__in=REPLYABLE, deadline__gte=today, reminded_on__isnull=True
        ).select_related("proposal", "unit", "handler")
    )
    rules = rules_by_session({row.proposal.session_id for row in rows})
    for row in rows:
        if row.proposal.session_id not in rules or row.deadline is None:
            continue
        remind_from, _cal = working_days_add(today, rules[row.proposal.session_id].reminder_working_days)
        if row.deadline > remind_from:
            continue
        with transaction.atomic():
            recipients = unit_officers([row.unit_id])
            if row.handler_id and row.handler not in recipients:
                recipients.append(row.handler)
            notification_send(
                recipients=recipients,
                title=_("提案“%(title)s”将于 %(deadline)s 到期，请按时答复")
                % {"title": row.proposal.title[:30], "deadline": row.deadline.isoformat()},
                url="/proposals/%d/" % row.proposal_id,
                kind="proposals.reminder",
            )
            HandlingAssignment.objects.filter(pk=row.pk).update(reminded_on=today)
            count += 1
    return count
