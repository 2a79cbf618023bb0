"""Paying approved subsidies: the payment list for finance, marking it paid, closing.

Ledger: both subsidy entries are written when a batch is marked paid (one place): a
`subsidy` entry (+approved amount: the union's liability, recognised once the notice is
over and finance pays) and a `subsidy_payment` entry (−approved amount). Nothing is written
at decision time, so an objection upheld during the notice needs no reversing entry.
Entries carry year = the application's cost year.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from gonghui.accounts.access import Actor, permission_require
from gonghui.core.excel import xlsx_bytes
from gonghui.core.exceptions import ApplicationError
from gonghui.core.history import AuditAction
from gonghui.core.service_kit import audit
from gonghui.core.workflow import transition, transition_bulk
from gonghui.mutual_aid.choices import ApplicationStatus as S
from gonghui.mutual_aid.choices import LedgerKind, PaymentBatchStatus
from gonghui.mutual_aid.models import LedgerEntry, PaymentBatch, SubsidyApplication
from gonghui.mutual_aid.workflow import ApplicationWorkflow, PaymentBatchWorkflow

ZERO = Decimal("0.00")


def payable_applications(*, year: int):
    """Payable applications of a cost year not yet in a payment batch."""
    return (
        SubsidyApplication.objects.filter(cost_year=year, status=S.PAYABLE, payment_batches__isnull=True)
        .select_related("person", "person__sub_union")
        .order_by("person__sub_union__code", "person__staff_no", "id")
    )


@transaction.atomic
def payment_batch_create(*, year: int, actor: Actor) -> PaymentBatch:
    """A payment list of every payable application of the cost year not in a batch yet."""
    permission_require(actor, "mutual_aid.add_paymentbatch")
    applications = list(payable_applications(year=year).select_for_update(of=("self",)))
    if not applications:
        raise ApplicationError(_("%(year)s年度没有待发放的补助。") % {"year": year})
    batch = PaymentBatch.objects.create(year=year, created_by=actor)
    batch.applications.set(applications)
    total = sum((a.approved_amount or ZERO for a in applications), ZERO)
    audit(
        actor,
        batch,
        AuditAction.CREATED,
        _("生成%(year)s年度补助发放名单：%(count)s 人，合计 %(total)s 元")
        % {"year": year, "count": len(applications), "total": total},
    )
    return batch


def payment_batch_applications(batch: PaymentBatch):
    return batch.applications.select_related("person", "person__sub_union").order_by(
        "person__sub_union__code", "person__staff_no", "id"
    )


PAYMENT_HEADERS = ["序号", "工号", "姓名", "单位", "京卡号", "补助金额", "年度"]


def payment_batch_rows(batch: PaymentBatch) -> list[list]:
    """The rows of the finance payment list: no ID numbers, no diagnoses."""
    return [
        [
            index,
            a.person.staff_no,
            a.person.name,
            a.person.sub_union.name,
            a.person.jingka_no,
            a.approved_amount,
            batch.year,
        ]
        for index, a in enumerate(payment_batch_applications(batch), start=1)
    ]


def payment_batch_xlsx(batch: PaymentBatch) -> bytes:
    """工号 and 京卡号 are text cells (Excel keeps long digit strings whole); amounts are
    numbers shown with two decimals."""
    return xlsx_bytes(
        headers=[_(h) for h in PAYMENT_HEADERS],
        rows=payment_batch_rows(batch),
        sheet_title=_("补助发放名单"),
        text_columns={1, 4},
    )


@transaction.atomic
def payment_batch_mark_paid(*, batch: PaymentBatch, paid_on: datetime.date, actor: Actor) -> PaymentBatch:
    """Finance has paid: the batch's applications → paid (one bulk step), each with its
    subsidy (+) and subsidy_payment (−) ledger entries for the approved amount."""
    permission_require(actor, "mutual_aid.pay_subsidyapplication")
    batch = PaymentBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != PaymentBatchStatus.PREPARED:
        raise ApplicationError(_("该批次已标记为已发放。"))
    applications = list(payment_batch_applications(batch))
    transition_bulk(
        ApplicationWorkflow,
        batch.applications.all(),
        to=S.PAID,
        actor=actor,
        message=_("补助已于 %(date)s 发放（发放批次 %(batch)s）。") % {"date": paid_on, "batch": batch.pk},
        parameters={"batch": batch.pk},
    )
    memo = _("发放批次 %(batch)s") % {"batch": batch.pk}
    LedgerEntry.objects.bulk_create(
        LedgerEntry(
            year=application.cost_year,
            person_id=application.person_id,
            kind=kind,
            amount=sign * (application.approved_amount or ZERO),
            application=application,
            memo=memo,
            created_by=actor,
        )
        for application in applications
        for kind, sign in ((LedgerKind.SUBSIDY, 1), (LedgerKind.SUBSIDY_PAYMENT, -1))
    )
    total = sum((a.approved_amount or ZERO for a in applications), ZERO)
    return transition(
        PaymentBatchWorkflow,
        batch,
        to=PaymentBatchStatus.PAID,
        actor=actor,
        message=_("补助发放：%(count)s 人，合计 %(total)s 元，发放日期 %(date)s")
        % {"count": len(applications), "total": total, "date": paid_on},
        values={"paid_on": paid_on},
    )


@transaction.atomic
def payment_batch_close(*, batch: PaymentBatch, today: datetime.date, actor: Actor) -> int:
    """After the edition's query period (查询期) from the payment date, the batch's paid
    applications are closed (one bulk step). Returns how many were closed."""
    if batch.status != PaymentBatchStatus.PAID or batch.paid_on is None:
        raise ApplicationError(_("该批次尚未发放。"))
    paid_on = batch.paid_on
    due = [
        application.pk
        for application in payment_batch_applications(batch).filter(status=S.PAID).select_related("edition")
        if today >= paid_on + datetime.timedelta(days=application.edition.query_days)
    ]
    return transition_bulk(
        ApplicationWorkflow,
        SubsidyApplication.objects.filter(pk__in=due),
        to=S.CLOSED,
        actor=actor,
        message=_("查询期满，办结。"),
        parameters={"batch": batch.pk},
    ).moved


def payment_batches_close_due(*, today: datetime.date, actor: Actor) -> int:
    """The daily run: close paid applications whose query period is over."""
    closed = 0
    batches = PaymentBatch.objects.filter(status=PaymentBatchStatus.PAID, applications__status=S.PAID).distinct()
    for batch in batches.order_by("id"):
        closed += payment_batch_close(batch=batch, today=today, actor=actor)
    return closed
