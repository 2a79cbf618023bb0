"""Mentors' stipends (导师津贴): what an assessment's grade earns, paid through a payroll
list for finance in its template, as the mutual-aid module pays subsidies. Paying a batch
writes one ledger entry per assessment (never edited; a correction is a reversal entry), so
paying twice pays nothing twice."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from gonghui.accounts.access import permission_require
from gonghui.core.excel import xlsx_bytes
from gonghui.core.exceptions import ApplicationError
from gonghui.core.history import AuditAction
from gonghui.core.service_kit import audit, required_text
from gonghui.core.workflow import transition
from gonghui.mentorship.choices import StipendBatchStatus, StipendKind
from gonghui.mentorship.models import Assessment, Cohort, StipendBatch, StipendEntry
from gonghui.mentorship.workflow import StipendBatchWorkflow

ZERO = Decimal("0.00")


def stipends_due(cohort: Cohort):
    """Assessments of the cohort whose grade earns a stipend not yet paid nor listed."""
    return (
        Assessment.objects.filter(pair__cohort=cohort, stipend__gt=0)
        .exclude(entries__kind=StipendKind.PAYMENT)
        .exclude(stipend_batches__status=StipendBatchStatus.PREPARED)
        .select_related("pair__mentor", "pair__mentor__sub_union", "pair__mentee")
        .order_by("pair__mentor__sub_union__code", "pair__mentor__staff_no", "pk")
    )


@transaction.atomic
def stipend_batch_create(*, actor, cohort: Cohort, assessments: list[Assessment] | None = None) -> StipendBatch:
    """A payroll list of the cohort's stipends due (or of the assessments named). A named
    assessment whose grade earns nothing, or already paid or listed, refuses the list."""
    permission_require(actor, "mentorship.add_stipendbatch")
    due = list(stipends_due(cohort).select_for_update(of=("self",)))
    if assessments is not None:
        due_ids = {a.pk for a in due}
        for assessment in assessments:
            if assessment.pair.cohort_id != cohort.pk:
                raise ApplicationError(_("所选考核不属于本期。"))
            if assessment.stipend <= 0:
                raise ApplicationError(
                    _("%(name)s的考核等次“%(grade)s”没有津贴。")
                    % {"name": assessment.pair.mentee.name, "grade": assessment.grade_label or _("未考核")}
                )
            if assessment.pk not in due_ids:
                raise ApplicationError(
                    _("%(name)s的津贴已发放或已列入待发放名单。") % {"name": assessment.pair.mentee.name}
                )
        wanted = {a.pk for a in assessments}
        due = [a for a in due if a.pk in wanted]
    if not due:
        raise ApplicationError(_("%(cohort)s没有待发放的导师津贴。") % {"cohort": cohort.name})
    batch = StipendBatch.objects.create(cohort=cohort, created_by=actor)
    batch.assessments.set(due)
    total = sum((a.stipend for a in due), ZERO)
    audit(
        actor,
        batch,
        AuditAction.CREATED,
        _("生成导师津贴发放名单：%(count)s 人次，合计 %(total)s 元") % {"count": len(due), "total": total},
    )
    return batch


def stipend_batch_assessments(batch: StipendBatch):
    return batch.assessments.select_related("pair__mentor", "pair__mentor__sub_union", "pair__mentee").order_by(
        "pair__mentor__sub_union__code", "pair__mentor__staff_no", "pk"
    )


PAYROLL_HEADERS = ["序号", "工号", "姓名", "单位", "京卡号", "发放金额", "项目", "备注"]


def stipend_batch_rows(batch: StipendBatch) -> list[list]:
    """Finance's payment list: the mentor, the amount, what it is for. No ID numbers."""
    rows = []
    for index, a in enumerate(stipend_batch_assessments(batch), start=1):
        mentor = a.pair.mentor
        rows.append(
            [
                index,
                mentor.staff_no,
                mentor.name,
                mentor.sub_union.name,
                mentor.jingka_no,
                a.stipend,
                _("%(cohort)s导师津贴") % {"cohort": batch.cohort.name},
                _("指导%(mentee)s，%(stage)s%(grade)s")
                % {"mentee": a.pair.mentee.name, "stage": a.get_stage_display(), "grade": a.grade_label},
            ]
        )
    return rows


def stipend_batch_xlsx(batch: StipendBatch) -> bytes:
    return xlsx_bytes(
        headers=[_(h) for h in PAYROLL_HEADERS],
        rows=stipend_batch_rows(batch),
        sheet_title=_("导师津贴发放表"),
        text_columns={1, 4},
    )


@transaction.atomic
def stipend_batch_mark_paid(*, actor, batch: StipendBatch, paid_on: datetime.date) -> StipendBatch:
    """Finance has paid: one payment entry per assessment, then the batch → paid."""
    permission_require(actor, "mentorship.pay_stipend")
    batch = StipendBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != StipendBatchStatus.PREPARED:
        raise ApplicationError(_("该批次已标记为已发放。"))
    assessments = list(stipend_batch_assessments(batch))
    memo = _("导师津贴发放批次 %(batch)s") % {"batch": batch.pk}
    StipendEntry.objects.bulk_create(
        StipendEntry(
            pair=a.pair,
            person=a.pair.mentor,
            assessment=a,
            batch=batch,
            kind=StipendKind.PAYMENT,
            amount=a.stipend,
            memo=memo,
            created_by=actor,
        )
        for a in assessments
    )
    total = sum((a.stipend for a in assessments), ZERO)
    return transition(
        StipendBatchWorkflow,
        batch,
        to=StipendBatchStatus.PAID,
        actor=actor,
        message=_("导师津贴发放：%(count)s 人次，合计 %(total)s 元，发放日期 %(date)s")
        % {"count": len(assessments), "total": total, "date": paid_on.isoformat()},
        values={"paid_on": paid_on},
    )


@transaction.atomic
def stipend_reverse(*, actor, entry: StipendEntry, reason: str) -> StipendEntry:
    """A payment made in error is reversed by a negative entry beside it (never edited)."""
    permission_require(actor, "mentorship.pay_stipend")
    reason = required_text(reason, _("请填写冲销原因。"), field="reason")
    if entry.kind != StipendKind.PAYMENT:
        raise ApplicationError(_("只能冲销发放记录。"))
    if StipendEntry.objects.filter(Q(kind=StipendKind.REVERSAL) & Q(assessment=entry.assessment)).exists():
        raise ApplicationError(_("该笔津贴已经冲销。"))
    reversal = StipendEntry.objects.create(
        pair=entry.pair,
        person=entry.person,
        assessment=entry.assessment,
        batch=entry.batch,
        kind=StipendKind.REVERSAL,
        amount=-entry.amount,
        memo=reason,
        created_by=actor,
    )
    audit(
        actor,
        reversal,
        AuditAction.CREATED,
        _("冲销导师津贴 %(amount)s 元：%(reason)s") % {"amount": entry.amount, "reason": reason},
        person_id=entry.person_id,
    )
    return reversal
