"""The drafting unit's answers: every group of opinions gets 采纳, 部分采纳 or 不采纳 (with a
reason unless adopted); once all are answered, the answers are published to the staff, and
the next version may be published."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.core.exceptions import ApplicationError
from gonghui.core.workflow import transition
from gonghui.deliberations.choices import AnswerStatus
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
    return transition(
        OpinionGroupWorkflow,
        group,
        step=step,
        actor=actor,
        message=reason,
        values={"reason": reason, "answered_by": actor},
    )


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
