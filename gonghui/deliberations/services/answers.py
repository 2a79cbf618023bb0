"""The drafting unit's answers: every group of opinions gets 采纳, 部分采纳 or 不采纳 (with a
reason unless adopted); once all are answered, the answers are published to the staff, and
the next version may be published."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.core.exceptions import ApplicationError
from gonghui.core.workflow import transition
from gonghui.deliberations.choices import AnswerStatus, DeliberationStatus
from gonghui.deliberations.models import OpinionGroup, OpinionRound
from gonghui.deliberations.workflow import DeliberationWorkflow, OpinionGroupWorkflow

STEP_OF = {
    AnswerStatus.ADOPTED: "adopt",
    AnswerStatus.PARTLY: "adopt_partly",
    AnswerStatus.NOT_ADOPTED: "not_adopt",
}


@transaction.atomic
def group_answer(*, actor, group: OpinionGroup, decision: str, reason: str = "") -> OpinionGroup:
    """Answer a group (again, until the answers are published)."""
    step = STEP_OF.get(decision)  # type: ignore[call-overload]
    if step is None:
        raise ApplicationError(_("请选择采纳、部分采纳或不采纳。"), extra={"field": "decision"})
    reason = (reason or "").strip()
    if group.status == decision:
        return _reason_change(actor=actor, group=group, reason=reason)
    return transition(
        OpinionGroupWorkflow,
        group,
        step=step,
        actor=actor,
        message=reason,
        values={"reason": reason, "answered_by": actor},
    )


def _reason_change(*, actor, group: OpinionGroup, reason: str) -> OpinionGroup:
    """The same answer with another reason: not a change of state, but the same checks (who,
    while the answers are open, a reason unless adopted) and an event and audit row."""
    from gonghui.core.exceptions import PermissionDenied
    from gonghui.core.history import AuditAction
    from gonghui.core.service_kit import audit
    from gonghui.deliberations.workflow import OFFICE, UNIT

    group = OpinionGroup.objects.select_for_update().select_related("round__deliberation").get(pk=group.pk)
    if not OpinionGroupWorkflow.actor_relations(group, actor) & {OFFICE, UNIT}:
        raise PermissionDenied
    if group.round.deliberation.status != DeliberationStatus.AWAITING_RESPONSE:
        raise ApplicationError(_("答复已发布或尚未送达起草单位，不能再修改答复。"))
    if group.status != AnswerStatus.ADOPTED and not reason:
        raise ApplicationError(_("部分采纳或不采纳的意见须说明理由。"))
    before = group.reason
    group.reason, group.answered_by, group.answered_at = reason, actor, timezone.now()
    group.save(update_fields=["reason", "answered_by", "answered_at", "updated_at"])
    OpinionGroupWorkflow.record(group, "reason_changed", actor, message=reason)
    audit(actor, group, AuditAction.UPDATED, _("修改答复理由"), changes={"reason": [before, reason]})
    return group


@transaction.atomic
def answers_publish(*, actor, opinion_round: OpinionRound) -> OpinionRound:
    """Publish the round's answers: refused while a group is unanswered."""
    opinion_round = OpinionRound.objects.select_for_update().get(pk=opinion_round.pk)
    if opinion_round.deliberation.current_round() != opinion_round:
        raise ApplicationError(_("只能发布当前一轮的答复。"))
    transition(
        DeliberationWorkflow,
        opinion_round.deliberation,
        step="respond",
        actor=actor,
        message=str(opinion_round),
        parameters={"round": opinion_round.pk},
    )
    opinion_round.answered_at = timezone.now()
    opinion_round.save(update_fields=["answered_at", "updated_at"])
    return opinion_round
