"""The drafting unit's answers: every group of opinions gets 采纳, 部分采纳 or 不采纳 (with a
reason unless adopted); once all are answered, the answers are published to the staff, and
the next version may be published."""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gonghui.core.exceptions import ApplicationError
from gonghui.core.imports import ImportKind, import_kind_register
from gonghui.core.tabular import ReadLimits
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


# --- answers from the roll-up workbook, through the import kit -----------------------------------

ANSWERS_KIND = "deliberations.answers_xlsx"


def _in_both_languages(text: str) -> tuple[str, ...]:
    """`text` as the workbook may spell it: the export is written in the reader's language."""
    from django.utils import translation

    spellings = []
    for language in ("zh-hans", "en"):
        with translation.override(language):
            spellings.append(str(_(text)))
    return tuple(dict.fromkeys(spellings))


def _columns() -> dict[str, tuple[str, ...]]:
    return {
        "number": _in_both_languages("序号"),
        "decision": _in_both_languages("答复"),
        "reason": _in_both_languages("理由"),
    }


def _decisions() -> dict[str, str]:
    """Answer labels (in either language) → answer; a pending one means "not answered here"."""
    from django.utils import translation

    found = {}
    for language in ("zh-hans", "en"):
        with translation.override(language):
            found.update({str(label): value for value, label in AnswerStatus.choices})
    return found


ANSWER_LIMITS = ReadLimits(extensions=("xlsx",), max_rows=20_000, max_columns=16, max_cell_chars=5_000)


def answers_read(preview) -> tuple[list[dict], list[dict]]:
    """The workbook's answers for the preview's round: (changes, problems). A row left 待答复 or
    blank, or with the answer the group already has, changes nothing."""
    from gonghui.core.imports import preview_bytes
    from gonghui.core.tabular import Table, table_read

    opinion_round = OpinionRound.objects.get(pk=int(preview.target))
    table = Table.of(table_read(data=preview_bytes(preview), filename=preview.original_name, limits=ANSWER_LIMITS))
    columns = table.columns(_columns(), required=("number", "decision", "reason"))
    decisions = _decisions()
    groups = {g.number: g for g in opinion_round.groups.all()}
    changes, problems, seen = [], [], set()
    for row, cells in table.rows:

        def cell(key, cells=cells):
            index = columns[key]
            return cells[index].strip() if index < len(cells) else ""

        number, label, reason = cell("number"), cell("decision"), cell("reason")
        group = groups.get(int(number)) if number.isdigit() else None
        if group is None:
            problems.append({"row": row, "reason": _("没有序号为“%(n)s”的意见组") % {"n": number}})
            continue
        if group.number in seen:
            problems.append({"row": row, "reason": _("意见组 %(n)s 出现了两次") % {"n": group.number}})
            continue
        seen.add(group.number)
        decision = decisions.get(label, "") if label else AnswerStatus.PENDING
        if decision == AnswerStatus.PENDING:
            continue
        if not decision:
            problems.append(
                {
                    "row": row,
                    "reason": _("答复“%(label)s”应为：%(choices)s")
                    % {"label": label[:20], "choices": "、".join(str(c[1]) for c in AnswerStatus.choices[1:])},
                }
            )
            continue
        if decision != AnswerStatus.ADOPTED and not reason:
            problems.append({"row": row, "reason": _("部分采纳或不采纳的意见须说明理由。")})
            continue
        if (group.status, group.reason) == (decision, reason):
            continue
        changes.append(
            {
                "row": row,
                "group": group.pk,
                "number": group.number,
                "decision": decision,
                "label": str(AnswerStatus(decision).label),
                "reason": reason,
            }
        )
    return changes, problems


@import_kind_register
class AnswersImport(ImportKind):
    """The drafting unit's answers typed into the roll-up workbook (答复, 理由 of the 意见汇总
    sheet): the preview lists the answers it would record and the rows it cannot read;
    confirming records them all through the answer workflow, or none."""

    name = ANSWERS_KIND
    title = cast(str, gettext_lazy("导入答复（Excel）"))
    permission = "deliberations.answer_deliberation"
    limits = ANSWER_LIMITS

    def classify(self, preview) -> dict:
        changes, problems = answers_read(preview)
        return {"changes": changes, "problems": problems, "total_rows": len(changes)}

    def confirmable(self, preview) -> str:
        if preview.summary.get("problems"):
            return _("有无法读取的行，整个文件不会导入：请改正后重新上传。")
        if not preview.summary.get("changes"):
            return _("文件中没有新的答复。")
        return ""

    def apply(self, preview, *, actor, progress: Callable[[int, int], None]) -> dict:
        changes, problems = answers_read(preview)
        if problems:  # the groups changed since the preview
            raise ApplicationError(_("有无法读取的行，整个文件不会导入：请改正后重新上传。"))
        groups = OpinionGroup.objects.in_bulk([change["group"] for change in changes])
        for change in changes:
            group_answer(
                actor=actor, group=groups[change["group"]], decision=change["decision"], reason=change["reason"]
            )
        return {"answered": len(changes), "total": len(changes)}


def answers_import_start(*, actor, opinion_round: OpinionRound, upload):
    """Keep and read a filled-in roll-up workbook for `opinion_round` (the drafting unit's
    officers and the office, while the answers are open)."""
    from gonghui.core.exceptions import PermissionDenied
    from gonghui.core.imports import import_start
    from gonghui.deliberations.models import Deliberation
    from gonghui.deliberations.workflow import OFFICE, UNIT, deliberation_relations

    deliberation = Deliberation.objects.get(pk=opinion_round.deliberation_id)
    if not deliberation_relations(deliberation, actor) & {OFFICE, UNIT}:
        raise PermissionDenied
    if deliberation.status != DeliberationStatus.AWAITING_RESPONSE:
        raise ApplicationError(_("答复已发布或尚未送达起草单位，不能再修改答复。"))
    return import_start(ANSWERS_KIND, actor=actor, upload=upload, target=str(opinion_round.pk))
