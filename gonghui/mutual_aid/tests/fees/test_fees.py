import datetime
import io
from decimal import Decimal

import pytest
from django.db.models import Sum

from gonghui.core.excel import xlsx_bytes
from gonghui.core.exceptions import ApplicationError, ImportFileError, PermissionDenied
from gonghui.mutual_aid.models import FeeLine, FeeLineEvent, FeeRun, LedgerEntry
from gonghui.mutual_aid.selectors.fees import deduction_rows, fee_year_summary, person_balance
from gonghui.mutual_aid.services.fees import (
    fee_receipt_record,
    fee_refund,
    fee_result_classify,
    fee_result_confirm,
    fee_result_preview,
    fee_run_execute,
    ledger_correction,
)
from gonghui.mutual_aid.services.membership import scheme_membership_enroll
from gonghui.mutual_aid.tests.fees.conftest import edition_make
from gonghui.notifications.models import Notification

D = datetime.date


@pytest.fixture
def members(university, edition, office):
    """zhang, li, wang (active, payroll), zhao (retired, manual)."""
    u = university
    for person in (u.zhang, u.li, u.wang):
        scheme_membership_enroll(person=person, actor=office, on=D(2024, 3, 5))
    scheme_membership_enroll(person=u.zhao, actor=office, on=D(2024, 3, 5), channel="manual")
    return u


def _charges(year=2024):
    return LedgerEntry.objects.filter(year=year, kind="charge")


def test_fee_run_exact_counts_and_sums(members, office):
    result = fee_run_execute(year=2024, actor=office)
    assert result | {"run_id": 0} == {
        "members": 4,
        "new_lines": 4,
        "already_charged": 0,
        "total_amount": "420.00",
        "run_id": 0,
    }
    amounts = dict(FeeLine.objects.values_list("person__staff_no", "amount"))
    assert amounts == {
        "E0001": Decimal("120.00"),
        "E0002": Decimal("120.00"),
        "L0001": Decimal("120.00"),
        "R0001": Decimal("60.00"),
    }
    assert dict(FeeLine.objects.values_list("person__staff_no", "channel"))["R0001"] == "manual"
    assert _charges().count() == 4
    assert _charges().aggregate(s=Sum("amount"))["s"] == Decimal("-420.00")
    for line in FeeLine.objects.all():
        assert [(e.kind, e.amount) for e in line.entries.all()] == [("charge", -line.amount)]


def test_fee_run_is_idempotent(members, office):
    fee_run_execute(year=2024, actor=office)
    second = fee_run_execute(year=2024, actor=office)
    assert (second["members"], second["new_lines"], second["already_charged"], second["total_amount"]) == (
        4,
        0,
        4,
        "420.00",
    )
    assert FeeLine.objects.count() == 4 and _charges().count() == 4
    assert _charges().aggregate(s=Sum("amount"))["s"] == Decimal("-420.00")
    assert FeeRun.objects.count() == 2


def test_fee_run_adds_only_late_joiners(members, office):
    fee_run_execute(year=2024, actor=office)
    scheme_membership_enroll(person=members.officer_person, actor=office, on=D(2024, 7, 1))
    result = fee_run_execute(year=2024, actor=office)
    assert (result["new_lines"], result["already_charged"], result["total_amount"]) == (1, 4, "540.00")


def test_monthly_fee_is_twelve_months(university, office):
    edition_make(fee_period="month", fee_active=Decimal("10.50"), fee_retired=Decimal("3.33"))
    scheme_membership_enroll(person=university.zhang, actor=office, on=D(2024, 3, 5))
    scheme_membership_enroll(person=university.zhao, actor=office, on=D(2024, 3, 5))
    fee_run_execute(year=2024, actor=office)
    assert dict(FeeLine.objects.values_list("person__staff_no", "amount")) == {
        "E0001": Decimal("126.00"),
        "R0001": Decimal("39.96"),
    }


def test_fee_run_without_edition_or_permission_writes_nothing(members, office):
    with pytest.raises(ApplicationError):
        fee_run_execute(year=2030, actor=office)
    with pytest.raises(PermissionDenied):
        fee_run_execute(year=2024, actor=members.users["auditor"])
    assert (FeeRun.objects.count(), FeeLine.objects.count(), LedgerEntry.objects.count()) == (0, 0, 0)


def test_command_prints_counts(members):
    from django.core.management import call_command

    out = io.StringIO()
    call_command("mutual_aid_fee_run", "--year", "2024", stdout=out)
    assert out.getvalue().splitlines() == ["members: 4", "new lines: 4", "already charged: 0", "total amount: 420.00"]
    out = io.StringIO()
    call_command("mutual_aid_fee_run", "--year", "2024", stdout=out)
    assert out.getvalue().splitlines()[1:3] == ["new lines: 0", "already charged: 4"]


def test_fee_run_job_progress(members, office):
    from gonghui.core.jobs import job_create
    from gonghui.mutual_aid.tasks import fee_run_run

    job = job_create(kind="mutual_aid.fee_run", title="2024", created_by=office, parameters={"year": 2024})
    fee_run_run.call(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == "succeeded" and job.progress_done == 4 and job.result["新增会费明细"] == 4
    assert FeeLine.objects.get(person=members.zhang).run.job_id == job.pk


def test_deduction_file_contents(members, office):
    fee_run_execute(year=2024, actor=office)
    rows = list(deduction_rows(year=2024))
    assert rows == [
        ["E0001", "张伟", "经济学院分工会", "医疗互助会会费", Decimal("120.00"), 2024],
        ["E0002", "李娜", "经济学院第一工会小组", "医疗互助会会费", Decimal("120.00"), 2024],
        ["L0001", "王芳", "法学院分工会", "医疗互助会会费", Decimal("120.00"), 2024],
    ]


def _result_file(rows, headers=("扣款结果", "工号", "失败原因", "扣款金额")):
    return xlsx_bytes(headers=list(headers), rows=rows)


def _file_rows():
    # headers in another order than the deduction file's
    return [
        ["成功", "E0001", "", "120.00"],
        ["失败", "E0002", "账户余额不足", "120"],
        ["成功", "X9999", "", "120.00"],  # unknown staff number
        ["成功", "L0001", "", "100.00"],  # amount mismatch
        ["也许", "R0001", "", "60"],  # not a payroll line: unknown
    ]


def test_result_classification(members, office):
    fee_run_execute(year=2024, actor=office)
    out = fee_result_classify(year=2024, data=_result_file(_file_rows()), filename="结果.xlsx")
    assert out["counts"] == {"deducted": 1, "failed": 1, "unchanged": 0, "invalid": 3}
    assert [r["staff_no"] for r in out["deducted"]] == ["E0001"]
    assert [(r["staff_no"], r["reason"]) for r in out["failed"]] == [("E0002", "账户余额不足")]
    assert [(r["row"], r["staff_no"]) for r in out["invalid"]] == [(4, "X9999"), (5, "L0001"), (6, "R0001")]
    assert "金额不符" in out["invalid"][1]["error"]
    assert out["amounts"] == {"deducted": "120.00", "failed": "120.00"}


def test_result_csv_in_gbk(members, office):
    fee_run_execute(year=2024, actor=office)
    data = "工号,扣款金额,扣款结果,失败原因\nE0001,120.00,成功,\n".encode("gb18030")
    assert fee_result_classify(year=2024, data=data, filename="r.csv")["counts"]["deducted"] == 1
    with pytest.raises(ImportFileError, match="扣款结果"):
        fee_result_classify(year=2024, data="工号,扣款金额\nE0001,1\n".encode(), filename="r.csv")
    with pytest.raises(ImportFileError):
        fee_result_classify(year=2024, data=b"x", filename="r.pdf")


def test_result_confirm_writes_entries_tells_office_and_reimport_changes_nothing(members, office):
    fee_run_execute(year=2024, actor=office)
    preview = fee_result_preview(year=2024, actor=office, data=_result_file(_file_rows()), filename="结果.xlsx")
    assert LedgerEntry.objects.exclude(kind="charge").count() == 0  # preview writes no money
    result = fee_result_confirm(preview=preview, actor=office)
    assert result == {"deducted": 1, "deducted_amount": "120.00", "failed": 1}
    zhang, li = FeeLine.objects.get(person=members.zhang), FeeLine.objects.get(person=members.li)
    assert (zhang.status, li.status, li.failure_reason) == ("deducted", "failed", "账户余额不足")
    assert list(LedgerEntry.objects.exclude(kind="charge").values_list("person__staff_no", "kind", "amount")) == [
        ("E0001", "deduction", Decimal("120.00"))
    ]
    # each line moved by its workflow step (in bulk), the preview confirmed once
    assert list(
        FeeLineEvent.objects.order_by("subject__person__staff_no").values_list(
            "subject__person__staff_no", "from_state", "to_state", "step"
        )
    ) == [("E0001", "charged", "deducted", "deduct"), ("E0002", "charged", "failed", "fail")]
    preview.refresh_from_db()
    assert (preview.status, preview.result) == ("confirmed", result)
    notes = Notification.objects.filter(recipient=office)
    assert [n.title for n in notes] == ["2024 年度互助会会费有 1 人扣款失败"]
    assert "E0002 李娜：账户余额不足" in notes[0].body
    # confirming the same preview again is refused; importing the same file again changes nothing
    with pytest.raises(ApplicationError):
        fee_result_confirm(preview=preview, actor=office)
    again = fee_result_preview(year=2024, actor=office, data=_result_file(_file_rows()), filename="结果.xlsx")
    assert again.summary["counts"] == {"deducted": 0, "failed": 0, "unchanged": 2, "invalid": 3}
    assert fee_result_confirm(preview=again, actor=office) == {"deducted": 0, "deducted_amount": "0.00", "failed": 0}
    assert LedgerEntry.objects.count() == 5 and Notification.objects.filter(recipient=office).count() == 1
    assert person_balance(person=members.zhang, year=2024) == Decimal("0.00")
    assert person_balance(person=members.li, year=2024) == Decimal("-120.00")
    # a second deduction settles the failed line
    second = fee_result_preview(
        year=2024, actor=office, data=_result_file([["成功", "E0002", "", "120"]]), filename="第二次.xlsx"
    )
    assert fee_result_confirm(preview=second, actor=office)["deducted"] == 1
    assert person_balance(person=members.li, year=2024) == Decimal("0.00")


def test_auditor_cannot_import_results(members, office):
    fee_run_execute(year=2024, actor=office)
    preview = fee_result_preview(year=2024, actor=office, data=_result_file(_file_rows()), filename="结果.xlsx")
    with pytest.raises(PermissionDenied):
        fee_result_confirm(preview=preview, actor=members.users["auditor"])
    assert LedgerEntry.objects.exclude(kind="charge").count() == 0
    assert FeeLine.objects.filter(status="charged").count() == 4


def test_receipts_refunds_corrections_are_new_entries(members, office):
    fee_run_execute(year=2024, actor=office)
    line = FeeLine.objects.get(person=members.zhao)
    with pytest.raises(ApplicationError):
        fee_receipt_record(fee_line=line, amount="60.01", actor=office)
    with pytest.raises(ApplicationError):
        fee_receipt_record(fee_line=line, amount="-1", actor=office)
    fee_receipt_record(fee_line=line, amount="20", actor=office, memo="第一次")
    line.refresh_from_db()
    assert line.status == "charged"
    fee_receipt_record(fee_line=line, amount="40.00", actor=office)
    line.refresh_from_db()
    assert line.status == "paid_manually"
    with pytest.raises(ApplicationError, match="已结清"):
        fee_receipt_record(fee_line=line, amount="1", actor=office)
    with pytest.raises(ApplicationError, match="原因"):
        fee_refund(fee_line=line, amount="10", actor=office, reason="")
    with pytest.raises(ApplicationError):
        fee_refund(fee_line=line, amount="60.01", actor=office, reason="多收")
    fee_refund(fee_line=line, amount="15.50", actor=office, reason="退出退费")
    ledger_correction(person=members.zhao, year=2024, amount="-0.50", actor=office, reason="更正尾差", fee_line=line)
    with pytest.raises(ApplicationError):
        ledger_correction(person=members.zhao, year=2024, amount="1", actor=office, reason="")
    entries = list(LedgerEntry.objects.filter(person=members.zhao).values_list("kind", "amount"))
    assert entries == [
        ("charge", Decimal("-60.00")),
        ("receipt", Decimal("20.00")),
        ("receipt", Decimal("40.00")),
        ("refund", Decimal("-15.50")),
        ("correction", Decimal("-0.50")),
    ]
    assert person_balance(person=members.zhao) == Decimal("-16.00") == sum(a for _k, a in entries)
    with pytest.raises(PermissionDenied):
        fee_receipt_record(fee_line=line, amount="1", actor=members.users["auditor"])
    assert LedgerEntry.objects.filter(person=members.zhao).count() == 5


def test_every_total_is_the_sum_of_its_entries(members, office):
    fee_run_execute(year=2024, actor=office)
    preview = fee_result_preview(year=2024, actor=office, data=_result_file(_file_rows()), filename="结果.xlsx")
    fee_result_confirm(preview=preview, actor=office)
    fee_receipt_record(fee_line=FeeLine.objects.get(person=members.zhao), amount="60", actor=office)
    summary = fee_year_summary(year=2024)
    assert summary["lines"] == 4 and summary["amount"] == Decimal("420.00")
    assert summary["by_status"]["deducted"]["count"] == 1 and summary["by_status"]["failed"]["count"] == 1
    assert summary["by_status"]["paid_manually"]["amount"] == Decimal("60.00")
    assert summary["ledger"] == {
        "charge": Decimal("-420.00"),
        "deduction": Decimal("120.00"),
        "receipt": Decimal("60.00"),
    }
    assert summary["balance"] == Decimal("-240.00") == LedgerEntry.objects.aggregate(s=Sum("amount"))["s"]
    assert (
        sum(person_balance(person=p) for p in (members.zhang, members.li, members.wang, members.zhao))
        == summary["balance"]
    )
