"""Fee runs, the payroll deduction round trip with finance, and the fee ledger.

Money is a ledger: a fee line says what a member owes for a year and what became of it;
every movement (charge, deduction, receipt, refund, correction) is a new LedgerEntry and
nothing is edited. A line's balance, a member's balance and every total are sums of entries.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gonghui.accounts.access import Actor, permission_require
from gonghui.accounts.roles import Role
from gonghui.core.exceptions import ApplicationError, ImportFileError
from gonghui.core.history import AuditAction, audit_event_record, changes_of
from gonghui.core.imports import ImportKind, Upload, import_confirm, import_kind_register, import_start, preview_bytes
from gonghui.core.jobs import job_fail, job_finish, job_progress_set, job_start
from gonghui.core.models import ImportPreview, Job, JobStatus
from gonghui.core.service_kit import audit, required_text
from gonghui.core.tabular import ReadLimits, cell_text, table_read
from gonghui.core.workflow import transition, transition_bulk
from gonghui.mutual_aid.choices import (
    FeeChannel,
    FeeLineStatus,
    FeePeriod,
    LedgerKind,
)
from gonghui.mutual_aid.models import FeeLine, FeeRun, LedgerEntry, SchemeMembership
from gonghui.mutual_aid.selectors.fees import edition_adopted_for_year, fee_line_balance
from gonghui.mutual_aid.workflow import FeeLineWorkflow
from gonghui.people.choices import EmploymentStatus
from gonghui.people.models import Person

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
FEE_RUN_KIND = "mutual_aid.fee_run"
RESULT_KIND = "mutual_aid.deduction_result"
FEE_RUN_CHUNK = 100_000  # person ids per INSERT … SELECT pair: bounds each statement, reports progress
RESULT_LIMITS = ReadLimits(max_bytes=20 * 1024 * 1024)
LEDGER = "mutual_aid.add_ledgerentry"


# ---------------------------------------------------------------------------------------
# The fee run


def _member_condition(year: int) -> tuple[str, list]:
    """SQL (on schememembership m joined to person p) for "a member in fee year `year`":
    joined by the year's end, not ended before it began (an opt-out takes effect for the
    next fee year), and still active or retired staff."""
    ops = connection.ops
    return (
        "m.joined_on <= %s AND (m.ended_on IS NULL OR m.ended_on >= %s) AND p.employment_status IN (%s, %s)",
        [
            ops.adapt_datefield_value(datetime.date(year, 12, 31)),
            ops.adapt_datefield_value(datetime.date(year, 1, 1)),
            EmploymentStatus.ACTIVE.value,
            EmploymentStatus.RETIRED.value,
        ],
    )


def fee_run_members_count(*, year: int) -> int:
    condition, params = _member_condition(year)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM {SchemeMembership._meta.db_table} m "
            f"JOIN {Person._meta.db_table} p ON p.id = m.person_id WHERE {condition}",
            params,
        )
        return cursor.fetchone()[0]


def fee_run_execute(*, year: int, actor: Actor, job_id: int | None = None) -> dict:
    """Charge the year's fee to every member who has no fee line for `year` yet: one
    FeeLine (the edition's fee for active or retired staff; a monthly fee × 12) and its
    charge entry (negative). Running it again charges nobody twice: a line is unique per
    (year, person) and a charge unique per line, and only the missing ones are written.

    Set-based (INSERT … SELECT in chunks of person ids) so that a million members take
    seconds and little memory; one transaction. With `job_id`, progress goes to the job.
    Returns {"members", "new_lines", "already_charged", "total_amount", "run_id"}."""
    permission_require(actor, "mutual_aid.add_feerun")
    if job_id:
        job_start(job_id=job_id)
    try:
        with transaction.atomic():
            result = _fee_run_write(year=year, actor=actor, job_id=job_id)
    except ApplicationError as error:
        if job_id:
            job_fail(job_id=job_id, error=str(error.message))
        raise
    except Exception as error:
        if job_id:
            job_fail(job_id=job_id, error=_("会费批次失败，未写入任何数据：%(error)s") % {"error": error})
        raise
    if job_id:
        labels = {
            "members": _("会员"),
            "new_lines": _("新增会费明细"),
            "already_charged": _("此前已计费"),
            "total_amount": _("本年度应缴合计"),
        }
        job_finish(
            job_id=job_id,
            result={str(labels[k]): result[k] for k in labels},
            done=result["members"],
            total=result["members"],
        )
    return result


def _fee_run_write(*, year: int, actor: Actor, job_id: int | None) -> dict:
    edition = edition_adopted_for_year(year=year)
    if edition is None:
        raise ApplicationError(_("%(year)s 年度尚无已通过的管理办法，不能计费") % {"year": year})
    factor = 12 if edition.fee_period == FeePeriod.MONTH else 1
    fee_active = (edition.fee_active * factor).quantize(CENT)
    fee_retired = (edition.fee_retired * factor).quantize(CENT)
    run = FeeRun.objects.create(year=year, edition=edition, created_by=actor, job_id=job_id)

    ops = connection.ops
    now = ops.adapt_datetimefield_value(timezone.now())
    condition, condition_params = _member_condition(year)
    line_table, entry_table = FeeLine._meta.db_table, LedgerEntry._meta.db_table
    member_table, person_table = SchemeMembership._meta.db_table, Person._meta.db_table
    memo = _("%(year)s 年度会费") % {"year": year}

    insert_lines = (
        f"INSERT INTO {line_table} (created_at, updated_at, year, run_id, person_id, amount, channel, status, "
        f"failure_reason) "
        f"SELECT %s, %s, %s, %s, m.person_id, CASE WHEN p.employment_status = %s THEN %s ELSE %s END, "
        f"m.fee_channel, %s, '' "
        f"FROM {member_table} m JOIN {person_table} p ON p.id = m.person_id "
        f"WHERE m.person_id >= %s AND m.person_id < %s AND {condition} "
        f"ON CONFLICT DO NOTHING"
    )
    # The charges of the lines this run has just written (a line and its charge are written
    # in the same transaction, so no older line lacks one); the unique charge per line
    # backs this up. Selecting by run rather than by "no charge yet" keeps the statement
    # from scanning the ledger it is filling.
    insert_charges = (
        f"INSERT INTO {entry_table} (at, year, person_id, kind, amount, fee_line_id, application_id, memo, "
        f"created_by_id) "
        f"SELECT %s, f.year, f.person_id, %s, -f.amount, f.id, NULL, %s, %s "
        f"FROM {line_table} f "
        f"WHERE f.run_id = %s AND f.person_id >= %s AND f.person_id < %s "
        f"ON CONFLICT DO NOTHING"
    )
    # A person's existing line for the year is skipped by the unique (year, person) index:
    # ON CONFLICT DO NOTHING, an index probe per row (no anti-join over the table being filled).
    members = fee_run_members_count(year=year)
    new_lines = 0
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MIN(person_id), MAX(person_id) FROM {member_table}")
        low, high = cursor.fetchone()
        if low is not None:
            span = high - low + 1
            for start in range(low, high + 1, FEE_RUN_CHUNK):
                stop = start + FEE_RUN_CHUNK
                cursor.execute(
                    insert_lines,
                    [
                        now,
                        now,
                        year,
                        run.pk,
                        EmploymentStatus.RETIRED.value,
                        ops.adapt_decimalfield_value(fee_retired, 14, 2),
                        ops.adapt_decimalfield_value(fee_active, 14, 2),
                        FeeLineStatus.CHARGED.value,
                        start,
                        stop,
                        *condition_params,
                    ],
                )
                new_lines += max(cursor.rowcount, 0)
                cursor.execute(
                    insert_charges,
                    [
                        now,
                        LedgerKind.CHARGE.value,
                        memo,
                        actor.pk,
                        run.pk,
                        start,
                        stop,
                    ],
                )
                if job_id:
                    job_progress_set(job_id=job_id, done=min(stop - low, span), total=span)
    total = FeeLine.objects.filter(year=year).aggregate(total=Sum("amount"))["total"]
    result = {
        "members": members,
        "new_lines": new_lines,
        "already_charged": members - new_lines,
        "total_amount": str(Decimal(total or 0).quantize(CENT)),
        "run_id": run.pk,
    }
    audit(
        actor,
        run,
        AuditAction.LEDGER,
        _("%(year)s 年度会费批次：会员 %(members)s 人，新增 %(new)s 条")
        % {
            "year": year,
            "members": members,
            "new": new_lines,
        },
        changes=changes_of(**{k: v for k, v in result.items() if k != "run_id"}),
    )
    return result


def fee_run_job_run(*, job_id: int) -> dict | None:
    """Run a queued fee-run job once (the task calls this)."""
    job = Job.objects.select_related("created_by").filter(pk=job_id, kind=FEE_RUN_KIND).first()
    if job is None or job.status != JobStatus.QUEUED or job.created_by is None:
        return None
    try:
        return fee_run_execute(year=int(job.parameters["year"]), actor=job.created_by, job_id=job_id)
    except ApplicationError:
        return None


# ---------------------------------------------------------------------------------------
# Finance's result file: preview, then confirm


RESULT_HEADERS = {
    "staff_no": ("工号", "职工号", "人员编号"),
    "amount": ("扣款金额", "金额", "实扣金额"),
    "result": ("扣款结果", "结果", "状态"),
    "reason": ("失败原因", "原因", "备注"),
}
RESULT_REQUIRED = ("staff_no", "amount", "result")
SUCCESS_WORDS = {"成功", "已扣款", "扣款成功"}
FAILURE_WORDS = {"失败", "扣款失败", "未扣"}


def _parse_money(text: str) -> Decimal | None:
    try:
        value = Decimal(text.replace(",", "").replace("，", ""))
    except (InvalidOperation, AttributeError):
        return None
    if not value.is_finite():
        return None
    return value.quantize(CENT)


def fee_result_classify(*, year: int, data: bytes, filename: str) -> dict:
    """Read finance's result file and sort each row: deducted, failed, unchanged (already
    recorded) or invalid (with the row number and why). Reads only."""
    table = table_read(data=data, filename=filename, limits=RESULT_LIMITS)
    if not table:
        raise ImportFileError(_("文件是空的"))
    lookup = {spelling: key for key, spellings in RESULT_HEADERS.items() for spelling in spellings}
    columns = {}
    for index, header in enumerate(table[0]):
        key = lookup.get("".join(cell_text(header).replace("*", "").split()))
        if key and key not in columns:
            columns[key] = index
    missing = [RESULT_HEADERS[key][0] for key in RESULT_REQUIRED if key not in columns]
    if missing:
        raise ImportFileError(_("缺少列：%(columns)s") % {"columns": "、".join(missing)})

    def value(row, key):
        index = columns.get(key)
        return cell_text(row[index]) if index is not None and index < len(row) else ""

    rows = [(number, row) for number, row in enumerate(table[1:], start=2) if any(cell_text(v) for v in row)]
    staff_nos = {value(row, "staff_no") for _number, row in rows}
    lines = {
        line.person.staff_no: line
        for line in FeeLine.objects.filter(
            year=year, channel=FeeChannel.PAYROLL, person__staff_no__in=staff_nos
        ).select_related("person")
    }
    out: dict[str, Any] = {"deducted": [], "failed": [], "unchanged": [], "invalid": []}
    seen = set()
    for number, row in rows:
        staff_no, result, reason = value(row, "staff_no"), value(row, "result"), value(row, "reason")
        amount = _parse_money(value(row, "amount"))
        base = {"row": number, "staff_no": staff_no}

        def invalid(message, base=base):
            out["invalid"].append({**base, "error": message})

        if not staff_no:
            invalid(_("工号为空"))
            continue
        if staff_no in seen:
            invalid(_("工号 %(staff_no)s 在文件中重复") % {"staff_no": staff_no})
            continue
        seen.add(staff_no)
        line = lines.get(staff_no)
        if line is None:
            invalid(_("工号 %(staff_no)s 不在 %(year)s 年度代扣名单中") % {"staff_no": staff_no, "year": year})
            continue
        if result not in SUCCESS_WORDS and result not in FAILURE_WORDS:
            invalid(_("扣款结果“%(result)s”无法识别：应为“成功”或“失败”") % {"result": result})
            continue
        if amount is None:
            invalid(_("扣款金额“%(amount)s”不是金额") % {"amount": value(row, "amount")})
            continue
        if amount != line.amount:
            invalid(_("金额不符：应扣 %(expected)s，文件为 %(actual)s") % {"expected": line.amount, "actual": amount})
            continue
        entry = {**base, "line": line.pk, "name": line.person.name, "amount": str(line.amount)}
        if result in SUCCESS_WORDS:
            settled = line.status in (FeeLineStatus.DEDUCTED, FeeLineStatus.PAID_MANUALLY)
            out["unchanged" if settled else "deducted"].append(entry)
        else:
            reason = reason or _("未注明原因")
            same = line.status == FeeLineStatus.FAILED and line.failure_reason == reason[:200]
            settled = line.status in (FeeLineStatus.DEDUCTED, FeeLineStatus.PAID_MANUALLY)
            out["unchanged" if same or settled else "failed"].append({**entry, "reason": reason[:200]})
    out["counts"] = {key: len(out[key]) for key in ("deducted", "failed", "unchanged", "invalid")}
    out["amounts"] = {key: str(sum((Decimal(r["amount"]) for r in out[key]), ZERO)) for key in ("deducted", "failed")}
    return out


def _office_users():
    return get_user_model().objects.filter(role_assignments__role=Role.UNION_OFFICE, is_active=True).distinct()


@import_kind_register
class DeductionResultImport(ImportKind):
    """Finance's payroll deduction result for a year (target = the year): previewed as its
    own record, confirmed once. Deducted lines get a deduction entry (positive) and move to
    deducted; failed lines move to failed with the reason, and the union office is told.
    Rows whose line changed since the preview are left alone, so confirming or importing
    the same result again changes nothing."""

    name = RESULT_KIND
    title = gettext_lazy("扣款结果")  # type: ignore[assignment]  # translated when shown
    permission = LEDGER
    limits = RESULT_LIMITS

    def classify(self, preview: ImportPreview) -> dict:
        return fee_result_classify(
            year=int(preview.target), data=preview_bytes(preview), filename=preview.original_name
        )

    def apply(self, preview: ImportPreview, *, actor: Actor, progress: Callable[[int, int], None]) -> dict:
        year, rows = int(preview.target), preview.summary
        open_lines = FeeLine.objects.filter(status__in=[FeeLineStatus.CHARGED, FeeLineStatus.FAILED])
        reasons = {row["line"]: row["reason"] for row in rows["failed"]}
        deducted = list(
            open_lines.filter(pk__in=[row["line"] for row in rows["deducted"]]).select_related("person").order_by("pk")
        )
        failing = list(
            open_lines.filter(pk__in=reasons)
            .exclude(status=FeeLineStatus.FAILED)
            .select_related("person")
            .order_by("pk")
        )
        reworded = [
            line
            for line in open_lines.filter(pk__in=reasons, status=FeeLineStatus.FAILED)
            if line.failure_reason != reasons[line.pk]
        ]
        memo = _("%(year)s 年度会费工资代扣") % {"year": year}
        for line in failing + reworded:
            line.failure_reason = reasons[line.pk]
        FeeLine.objects.bulk_update(failing + reworded, ["failure_reason"], batch_size=2000)
        transition_bulk(
            FeeLineWorkflow,
            FeeLine.objects.filter(pk__in=[line.pk for line in failing]),
            to=FeeLineStatus.FAILED,
            actor=actor,
            message=memo,
        )
        moved = FeeLine.objects.filter(pk__in=[line.pk for line in deducted])
        transition_bulk(FeeLineWorkflow, moved, to=FeeLineStatus.DEDUCTED, actor=actor, message=memo)
        moved.update(failure_reason="")
        LedgerEntry.objects.bulk_create(
            (
                LedgerEntry(
                    year=line.year,
                    person_id=line.person_id,
                    kind=LedgerKind.DEDUCTION,
                    amount=line.amount,
                    fee_line=line,
                    memo=memo,
                    created_by=actor,
                )
                for line in deducted
            ),
            batch_size=2000,
        )
        failed = failing + reworded
        amount = sum((line.amount for line in deducted), ZERO)
        result = {"deducted": len(deducted), "deducted_amount": str(amount), "failed": len(failed)}
        audit_event_record(
            actor=actor,
            object_type="mutual_aid.feeresult",
            object_id=preview.pk,
            action=AuditAction.LEDGER,
            message=_("%(year)s 年度扣款结果入账：成功 %(ok)s 人 %(amount)s 元，失败 %(failed)s 人")
            % {"year": year, "ok": len(deducted), "amount": amount, "failed": len(failed)},
            changes=changes_of(**result),
        )
        if failed:
            from gonghui.notifications.services import notification_send

            notification_send(
                recipients=_office_users(),
                title=_("%(year)s 年度互助会会费有 %(count)s 人扣款失败") % {"year": year, "count": len(failed)},
                body="\n".join(
                    f"{line.person.staff_no} {line.person.name}：{line.failure_reason}"
                    for line in sorted(failed, key=lambda x: x.pk)[:50]
                ),
                url=reverse("mutual_aid:fee_year", args=[year]) + "?status=failed",
                kind="mutual_aid.fee_failed",
            )
        return result


def fee_result_preview(*, year: int, actor: Actor, data: bytes, filename: str) -> ImportPreview:
    """Classify finance's result file for `year`; the preview record is all that is written."""
    return import_start(RESULT_KIND, actor=actor, upload=Upload(data=data, filename=filename), target=str(year))


def fee_result_confirm(*, preview: ImportPreview, actor: Actor) -> dict:
    """Confirm a preview once: the results are written in one transaction."""
    return import_confirm(preview, actor=actor).result


# ---------------------------------------------------------------------------------------
# Receipts, refunds and corrections: new entries, never edits


def _money_positive(amount) -> Decimal:
    try:
        amount = Decimal(amount).quantize(CENT)
    except (InvalidOperation, TypeError):
        raise ApplicationError(_("金额无效")) from None
    if amount <= 0:
        raise ApplicationError(_("金额须大于零"))
    return amount


@transaction.atomic
def fee_receipt_record(*, fee_line: FeeLine, amount, actor: Actor, memo: str = "") -> LedgerEntry:
    """Record money paid by hand for a fee line (retirees whose pension is not paid through
    the university, or after a failed deduction). Once the line is settled it is marked
    paid manually."""
    permission_require(actor, LEDGER)
    amount = _money_positive(amount)
    line = FeeLine.objects.select_for_update().get(pk=fee_line.pk)
    outstanding = -fee_line_balance(fee_line=line)
    if outstanding <= 0:
        raise ApplicationError(_("该笔会费已结清"))
    if amount > outstanding:
        raise ApplicationError(
            _("收款 %(amount)s 元超过未缴金额 %(outstanding)s 元")
            % {
                "amount": amount,
                "outstanding": outstanding,
            }
        )
    entry = LedgerEntry.objects.create(
        year=line.year,
        person_id=line.person_id,
        kind=LedgerKind.RECEIPT,
        amount=amount,
        fee_line=line,
        memo=(memo or _("现场收款"))[:200],
        created_by=actor,
    )
    if amount == outstanding:
        transition(FeeLineWorkflow, line, to=FeeLineStatus.PAID_MANUALLY, actor=actor, values={"failure_reason": ""})
    audit(
        actor,
        entry,
        AuditAction.LEDGER,
        _("%(year)s 年度会费现场收款 %(amount)s 元") % {"year": line.year, "amount": amount},
        person_id=line.person_id,
    )
    return entry


@transaction.atomic
def fee_refund(*, fee_line: FeeLine, amount, actor: Actor, reason: str) -> LedgerEntry:
    """Pay back part or all of what was paid on a fee line (a negative entry)."""
    permission_require(actor, LEDGER)
    reason = required_text(reason, _("退费须填写原因"))
    amount = _money_positive(amount)
    line = FeeLine.objects.select_for_update().get(pk=fee_line.pk)
    paid = fee_line_balance(fee_line=line) + line.amount
    if amount > paid:
        raise ApplicationError(_("退费 %(amount)s 元超过已缴金额 %(paid)s 元") % {"amount": amount, "paid": paid})
    entry = LedgerEntry.objects.create(
        year=line.year,
        person_id=line.person_id,
        kind=LedgerKind.REFUND,
        amount=-amount,
        fee_line=line,
        memo=reason[:200],
        created_by=actor,
    )
    audit(
        actor,
        entry,
        AuditAction.LEDGER,
        _("%(year)s 年度会费退费 %(amount)s 元：%(reason)s")
        % {
            "year": line.year,
            "amount": amount,
            "reason": reason,
        },
        person_id=line.person_id,
    )
    return entry


@transaction.atomic
def ledger_correction(
    *, person, year: int, amount, actor: Actor, reason: str, fee_line: FeeLine | None = None
) -> LedgerEntry:
    """Correct a mistake with a new signed entry (never by editing one)."""
    permission_require(actor, LEDGER)
    reason = required_text(reason, _("更正须填写原因"))
    try:
        amount = Decimal(amount).quantize(CENT)
    except (InvalidOperation, TypeError):
        raise ApplicationError(_("金额无效")) from None
    if amount == 0:
        raise ApplicationError(_("更正金额不能为零"))
    if fee_line is not None and (fee_line.person_id != person.pk or fee_line.year != year):
        raise ApplicationError(_("会费明细与人员或年度不符"))
    entry = LedgerEntry.objects.create(
        year=year,
        person=person,
        kind=LedgerKind.CORRECTION,
        amount=amount,
        fee_line=fee_line,
        memo=reason[:200],
        created_by=actor,
    )
    audit(
        actor,
        entry,
        AuditAction.LEDGER,
        _("账目更正 %(amount)s 元：%(reason)s") % {"amount": amount, "reason": reason},
        person_id=person.pk,
    )
    return entry
