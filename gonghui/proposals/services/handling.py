"""Handling by units: contacts with the proposer, co-units' input, the lead unit's one
reply (signed off by the leader in charge, released before the lock), reopening by the
committee, ratings and re-handling rounds, follow-up milestones, reminders."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.accounts.access import get_access
from gonghui.accounts.roles import Role
from gonghui.core.exceptions import ApplicationError, PermissionDenied
from gonghui.core.workdays import working_days_add
from gonghui.proposals.choices import (
    AssignmentRole,
    ProposalEventType,
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
from gonghui.proposals.services.workflow import (
    notify_proposers,
    proposal_actor_roles,
    proposal_event_record,
    proposal_transition,
)
from gonghui.proposals.workflow import REPLYABLE

S = ProposalStatus


def _today():
    return timezone.localdate()


def _unit_assignment(proposal, actor, *, lead_only: bool) -> HandlingAssignment:
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


def _lead(proposal) -> HandlingAssignment:
    return proposal.assignments.get(role=AssignmentRole.LEAD)


def _refuse_if_locked(proposal, today):
    lead = _lead(proposal)
    if lead.locked_on(today):
        raise ApplicationError(
            _("答复期限（%(deadline)s）已过，答复已锁定；如需补充答复，请提案工作委员会重新开放。")
            % {"deadline": lead.deadline.isoformat()}
        )


def _start_handling(proposal, actor):
    if proposal.status == S.ASSIGNED:
        proposal_transition(proposal=proposal, to_status=S.IN_HANDLING, actor=actor, notify=False, check_actor=False)


@transaction.atomic
def contact_record(*, proposal: Proposal, actor, contacted_on: datetime.date, method: str, summary: str) -> ContactLog:
    """A handling unit records a contact with the proposer (any assigned unit may)."""
    assignment = _unit_assignment(proposal, actor, lead_only=False)
    if proposal.status not in REPLYABLE | {S.REPLIED, S.FOLLOW_UP}:
        raise ApplicationError(_("提案尚未交办或已办结。"))
    if not (summary or "").strip():
        raise ApplicationError(_("请填写沟通内容。"))
    if contacted_on > _today():
        raise ApplicationError(_("沟通日期不能晚于今天。"))
    row = ContactLog.objects.create(
        proposal=proposal,
        unit=assignment.unit,
        contacted_on=contacted_on,
        method=method,
        summary=summary.strip(),
        recorded_by=actor,
    )
    _start_handling(proposal, actor)
    proposal_event_record(
        proposal=proposal,
        type=ProposalEventType.CONTACT,
        actor=actor,
        message=summary.strip(),
        parameters={"unit": assignment.unit.name, "on": contacted_on.isoformat(), "method": method},
    )
    return row


@transaction.atomic
def co_input_record(*, proposal: Proposal, actor, text: str) -> HandlingAssignment:
    """A co-unit gives its input to the lead unit."""
    assignment = _unit_assignment(proposal, actor, lead_only=False)
    if assignment.role != AssignmentRole.CO and not get_access(actor).writes_everything:
        raise ApplicationError(_("协办意见由协办单位填写。"))
    if proposal.status not in REPLYABLE:
        raise ApplicationError(_("提案不在办理中。"))
    if not (text or "").strip():
        raise ApplicationError(_("请填写协办意见。"))
    assignment.co_input = text.strip()
    assignment.co_input_at = timezone.now()
    assignment.save(update_fields=["co_input", "co_input_at"])
    _start_handling(proposal, actor)
    proposal_event_record(
        proposal=proposal,
        type=ProposalEventType.CO_INPUT,
        actor=actor,
        message=text.strip(),
        parameters={"unit": assignment.unit.name},
    )
    return assignment


@transaction.atomic
def reply_draft(
    *,
    proposal: Proposal,
    actor,
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
    proposal_event_record(
        proposal=proposal,
        type=ProposalEventType.REPLY_DRAFTED,
        actor=actor,
        parameters={"round": proposal.round, "category": category},
    )
    return reply


def _current_reply(proposal) -> ProposalReply:
    reply = proposal.replies.filter(round=proposal.round).first()
    if reply is None:
        raise ApplicationError(_("还没有起草本轮答复。"))
    return reply


@transaction.atomic
def reply_sign_off(*, proposal: Proposal, actor, leader_name: str) -> ProposalReply:
    """Record that the leader in charge signed the reply off (审签)."""
    _unit_assignment(proposal, actor, lead_only=True)
    reply = _current_reply(proposal)
    if reply.released_at:
        raise ApplicationError(_("本轮答复已发布。"))
    if not (leader_name or "").strip():
        raise ApplicationError(_("请填写审签的分管校领导。"))
    reply.leader_name = leader_name.strip()
    reply.signed_off_at = timezone.now()
    reply.save(update_fields=["leader_name", "signed_off_at"])
    proposal_event_record(
        proposal=proposal,
        type=ProposalEventType.SIGNED_OFF,
        actor=actor,
        parameters={"leader": reply.leader_name, "round": reply.round},
    )
    return reply


@transaction.atomic
def reply_release(*, proposal: Proposal, actor, today: datetime.date | None = None) -> ProposalReply:
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
    proposal_transition(
        proposal=proposal,
        to_status=S.REPLIED,
        actor=actor,
        message=_("答复：%(category)s") % {"category": reply.get_category_display()},
    )
    proposal_event_record(
        proposal=proposal,
        type=ProposalEventType.REPLY_RELEASED,
        actor=actor,
        parameters={"round": reply.round, "on_time": reply.on_time},
    )
    if proposal.session.co_signers_rate:
        notify_proposers(
            proposal=proposal,
            actor=actor,
            include_co_signers=True,
            title=_("提案“%(title)s”已答复，请评价") % {"title": proposal.title[:40]},
        )
    return reply


@transaction.atomic
def reply_reopen(*, proposal: Proposal, actor, until: datetime.date, reason: str) -> HandlingAssignment:
    """The committee reopens a locked reply until a given day."""
    if "committee" not in proposal_actor_roles(proposal=proposal, user=actor):
        raise PermissionDenied(_("只有提案工作委员会可以重新开放答复。"))
    if not (reason or "").strip():
        raise ApplicationError(_("请填写重新开放的理由。"))
    if proposal.status not in REPLYABLE:
        raise ApplicationError(_("提案不在办理中。"))
    if until < _today():
        raise ApplicationError(_("重新开放的截止日期不能早于今天。"))
    lead = _lead(proposal)
    lead.reopened_until = until
    lead.save(update_fields=["reopened_until"])
    proposal_event_record(
        proposal=proposal,
        type=ProposalEventType.REOPENED,
        actor=actor,
        message=reason.strip(),
        parameters={"until": until.isoformat()},
    )
    return lead


def _rater_delegate(proposal, actor):
    """(delegate, is_proposer) of `actor` on this proposal, or refuse."""
    person = getattr(actor, "person", None)
    if person is None:
        raise PermissionDenied(_("只有提案人可以评价答复。"))
    proposer = proposal.proposers.filter(delegate__person=person).select_related("delegate").first()
    if proposer:
        return proposer.delegate, True
    if proposal.session.co_signers_rate:
        co = proposal.co_signatures.filter(delegate__person=person, confirmed_at__isnull=False).first()
        if co:
            return co.delegate, False
    raise PermissionDenied(_("只有提案人可以评价答复。"))


@transaction.atomic
def rating_submit(*, proposal: Proposal, actor, level: str, comment: str = "") -> SatisfactionRating:
    """A proposer (or co-signer, if the session says so) rates the released reply.

    A proposer's rating that does not accept the reply (不满意) sends the proposal back for
    re-handling: round + 1, a new deadline, and after the session's number of rounds the
    leadership is told. When every proposer accepted, the proposal closes — or stays in
    follow-up if the reply was "in progress or planned"."""
    delegate, is_proposer = _rater_delegate(proposal, actor)
    session = proposal.session
    if proposal.status != S.REPLIED:
        raise ApplicationError(_("提案当前没有待评价的答复。"))
    scale = session.scale_level(level)
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
    proposal_event_record(
        proposal=proposal,
        type=ProposalEventType.RATED,
        actor=actor,
        message=rating.comment,
        parameters={"level": scale["label"], "round": reply.round, "proposer": is_proposer},
    )
    if not is_proposer:
        return rating
    if not rating.accepts:
        _rehandle(proposal, actor, rating)
        return rating
    proposer_ids = set(proposal.proposers.values_list("delegate_id", flat=True))
    accepted = set(reply.ratings.filter(accepts=True, rater_id__in=proposer_ids).values_list("rater_id", flat=True))
    if accepted >= proposer_ids:
        target = S.FOLLOW_UP if reply.category == ReplyCategory.PLANNED else S.CLOSED
        proposal_transition(
            proposal=proposal,
            to_status=target,
            actor=actor,
            check_actor=False,
            notify=False,
            message=_("提案人评价：%(level)s") % {"level": scale["label"]},
        )
    return rating


def _rehandle(proposal, actor, rating):
    session = proposal.session
    proposal_transition(
        proposal=proposal, to_status=S.REHANDLING, actor=actor, check_actor=False, notify=False, message=rating.comment
    )
    proposal.round += 1
    today = _today()
    lead = _lead(proposal)
    deadline, calendar = working_days_add(today, session.reply_working_days)
    proposal.assignments.update(
        deadline_from=today,
        deadline=deadline,
        deadline_calendar=calendar,
        deadline_working_days=session.reply_working_days,
        reminded_on=None,
        reopened_until=None,
    )
    rehandled = proposal.round - 1
    fields = ["round", "updated_at"]
    if rehandled >= session.rounds_before_escalation and proposal.escalated_at is None:
        proposal.escalated_at = timezone.now()
        fields.append("escalated_at")
        proposal_event_record(
            proposal=proposal, type=ProposalEventType.ESCALATED, actor=actor, parameters={"rounds": rehandled}
        )
        _notify_leadership(proposal, rehandled)
    proposal.save(update_fields=fields)
    from gonghui.notifications.services import notification_send
    from gonghui.proposals.services.triage import unit_officers

    notification_send(
        recipients=unit_officers([lead.unit_id]),
        title=_("提案“%(title)s”提案人不满意，请重新办理（第 %(round)s 轮）")
        % {"title": proposal.title[:30], "round": proposal.round},
        body=rating.comment,
        url="/proposals/%d/" % proposal.pk,
        kind="proposals.rehandling",
    )


def _notify_leadership(proposal, rounds):
    from gonghui.accounts.models import User
    from gonghui.notifications.services import notification_send

    office = User.objects.filter(is_active=True, role_assignments__role=Role.UNION_OFFICE).distinct()
    notification_send(
        recipients=list(office),
        title=_("提案“%(title)s”已重新办理 %(n)s 轮仍不满意，请报分管校领导协调")
        % {"title": proposal.title[:30], "n": rounds},
        url="/proposals/%d/" % proposal.pk,
        kind="proposals.escalated",
    )


@transaction.atomic
def milestone_add(*, proposal: Proposal, actor, title: str, due_on=None) -> Milestone:
    _unit_assignment(proposal, actor, lead_only=True)
    if proposal.status not in (S.FOLLOW_UP, S.REPLIED, S.IN_HANDLING, S.REHANDLING, S.ASSIGNED):
        raise ApplicationError(_("提案不在办理或跟踪中。"))
    if not (title or "").strip():
        raise ApplicationError(_("请填写节点名称。"))
    milestone = Milestone.objects.create(proposal=proposal, title=title.strip(), due_on=due_on, updated_by=actor)
    proposal_event_record(
        proposal=proposal,
        type=ProposalEventType.PROGRESS,
        actor=actor,
        message=_("新增节点：%(title)s") % {"title": milestone.title},
    )
    return milestone


@transaction.atomic
def progress_update(
    *, proposal: Proposal, actor, progress: int, note: str = "", milestone=None, done_on=None
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
    proposal_event_record(
        proposal=proposal,
        type=ProposalEventType.PROGRESS,
        actor=actor,
        message=note,
        parameters={"progress": proposal.progress},
    )
    return proposal


@transaction.atomic
def follow_up_close(*, proposal: Proposal, actor, note: str = "") -> Proposal:
    """The committee closes a followed-up proposal once it is done."""
    return proposal_transition(proposal=proposal, to_status=S.CLOSED, actor=actor, message=note)


def reminders_send(*, today: datetime.date | None = None) -> int:
    """Remind lead units of replies due within the session's reminder lead time (working
    days), once per deadline. Returns how many proposals were reminded."""
    from gonghui.notifications.services import notification_send
    from gonghui.proposals.services.triage import unit_officers

    today = today or _today()
    count = 0
    rows = HandlingAssignment.objects.filter(
        role=AssignmentRole.LEAD, proposal__status__in=REPLYABLE, deadline__gte=today, reminded_on__isnull=True
    ).select_related("proposal__session", "unit", "handler")
    for row in rows:
        lead_days = row.proposal.session.reminder_working_days
        remind_from, _cal = working_days_add(today, lead_days)
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
