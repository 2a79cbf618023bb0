import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from gonghui.core.excel import xlsx_bytes
from gonghui.core.models import AuditEvent, ImportPreview, Job
from gonghui.mutual_aid.models import FeeLine, LedgerEntry, SchemeMembership
from gonghui.mutual_aid.services.fees import fee_run_execute
from gonghui.mutual_aid.services.membership import scheme_membership_enroll

D = datetime.date


@pytest.fixture
def charged(university, edition, office):
    u = university
    for person in (u.zhang, u.li, u.wang):
        scheme_membership_enroll(person=person, actor=office, on=D(2024, 3, 5))
    scheme_membership_enroll(person=u.zhao, actor=office, on=D(2024, 3, 5), channel="manual")
    fee_run_execute(year=2024, actor=office)
    return u


def _state():
    return (
        SchemeMembership.objects.count(),
        FeeLine.objects.count(),
        LedgerEntry.objects.count(),
        list(FeeLine.objects.order_by("pk").values_list("status", flat=True)),
        AuditEvent.objects.count(),
    )


def test_fee_run_page_runs_the_job(client, university, edition, office, django_capture_on_commit_callbacks):
    scheme_membership_enroll(person=university.zhang, actor=office, on=D(2024, 3, 5))
    client.force_login(office)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("mutual_aid:fee_run_start"), {"year": "2024"})
    job = Job.objects.get(kind="mutual_aid.fee_run")
    assert response.status_code == 302 and response["Location"] == reverse("core:job_detail", args=[job.pk])
    assert job.status == "succeeded" and job.result["新增会费明细"] == 1
    assert FeeLine.objects.get().amount == Decimal("120.00")
    html = client.get(reverse("mutual_aid:fee_year", args=[2024])).content.decode()
    assert 'data-testid="count-charged">1<' in html and 'data-testid="ledger-balance">-120.00<' in html


def test_deduction_file_page(client, charged, office):
    client.force_login(office)
    before = AuditEvent.objects.count()
    response = client.get(reverse("mutual_aid:fee_deduction_file", args=[2024]))
    assert response["Cache-Control"] == "private, no-store"
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [list(r) for r in sheet.iter_rows(values_only=True)] == [
        ["工号", "姓名", "单位", "扣款项目", "扣款金额", "年度"],
        ["E0001", "张伟", "经济学院分工会", "医疗互助会会费", 120, 2024],
        ["E0002", "李娜", "经济学院第一工会小组", "医疗互助会会费", 120, 2024],
        ["L0001", "王芳", "法学院分工会", "医疗互助会会费", 120, 2024],
    ]
    amount = sheet["E2"]
    assert (amount.data_type, amount.number_format) == ("n", "0.00")  # a number, shown as 120.00
    # the file lists people: who downloaded it is in the audit trail
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.latest("id")
    assert (event.actor, event.action, event.object_type, event.object_id, event.message) == (
        office,
        "exported",
        "mutual_aid.feeline",
        "list",
        "下载 2024 年度会费代扣文件（year=2024）",
    )


def test_members_export_is_audited_and_names_stay_text(client, charged, office):
    from gonghui.people.models import Person

    Person.objects.filter(pk=charged.zhang.pk).update(name="@张\x0b伟")  # stored before input was cleaned
    client.force_login(office)
    before = AuditEvent.objects.count()
    response = client.get(reverse("mutual_aid:fee_members"), {"year": 2024, "export": "xlsx"})
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    sheet = load_workbook(io.BytesIO(response.content)).active
    zhang = next(row for row in sheet.iter_rows(min_row=2) if row[0].value == "E0001")
    assert (zhang[1].value, zhang[1].data_type) == ("'@张伟", "s")
    assert (zhang[6].value, zhang[6].data_type) == (datetime.datetime(2024, 3, 5), "d")  # 入会日期
    assert (zhang[9].value, zhang[9].data_type) == (120, "n")  # the year's fee
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.latest("id")
    assert (event.actor, event.action, event.object_type, event.object_id, event.message) == (
        office,
        "exported",
        "mutual_aid.schememembership",
        "list",
        "导出互助会会员名单（year=2024&export=xlsx）",
    )


def test_result_upload_preview_confirm_pages(client, charged, office):
    client.force_login(office)
    data = xlsx_bytes(
        headers=["工号", "扣款金额", "扣款结果", "失败原因"],
        rows=[["E0001", "120", "成功", ""], ["E0002", "120", "失败", "已离职"], ["Z1", "1", "成功", ""]],
    )
    response = client.post(
        reverse("mutual_aid:fee_result_upload", args=[2024]), {"file": SimpleUploadedFile("结果.xlsx", data)}
    )
    preview = ImportPreview.objects.get(kind="mutual_aid.deduction_result")
    assert response["Location"] == reverse("mutual_aid:fee_result_preview", args=[preview.pk])
    html = client.get(response["Location"]).content.decode()
    assert 'data-testid="count-deducted">1' in html and 'data-testid="count-invalid">1<' in html
    assert "Z1" in html and "已离职" in html
    assert LedgerEntry.objects.exclude(kind="charge").count() == 0
    client.post(reverse("mutual_aid:fee_result_confirm", args=[preview.pk]))
    client.post(reverse("mutual_aid:fee_result_confirm", args=[preview.pk]))  # twice: nothing more
    assert list(LedgerEntry.objects.exclude(kind="charge").values_list("person__staff_no", "amount")) == [
        ("E0001", Decimal("120.00"))
    ]
    assert FeeLine.objects.get(person=charged.li).status == "failed"


def test_receipt_page(client, charged, office):
    client.force_login(office)
    line = FeeLine.objects.get(person=charged.zhao)
    response = client.post(reverse("mutual_aid:fee_receipt", args=[line.pk]), {"amount": "60.00", "memo": "现金"})
    assert response.status_code == 302
    line.refresh_from_db()
    assert line.status == "paid_manually"
    html = client.get(reverse("mutual_aid:fee_ledger", args=[charged.zhao.pk])).content.decode()
    assert 'data-testid="balance">0.00<' in html
    response = client.post(reverse("mutual_aid:fee_receipt", args=[line.pk]), {"amount": "1.00"})
    assert response.status_code == 400 and "已结清" in response.content.decode()
    assert LedgerEntry.objects.filter(person=charged.zhao).count() == 2


def test_member_sees_only_their_own_ledger(client, charged):
    client.force_login(charged.users["member"])
    html = client.get(reverse("mutual_aid:fee_my")).content.decode()
    assert 'data-testid="membership-status">在册<' in html and 'data-testid="balance">-120.00<' in html
    assert "2024" in html
    assert client.get(reverse("mutual_aid:fee_ledger", args=[charged.wang.pk])).status_code == 403
    assert client.get(reverse("mutual_aid:fee_members")).status_code == 403


def test_member_joins_from_the_portal(clock, client, university, office, monkeypatch):
    from gonghui.mutual_aid.tests.fees.conftest import edition_make

    today = datetime.date.today()
    edition_make(year=today.year, join_window_start=today.replace(day=1), join_window_end=today)
    client.force_login(university.users["member"])
    html = client.get(reverse("mutual_aid:fee_join")).content.decode()
    assert "加入医疗互助会" in html and 'data-testid="fee">120.00' in html
    assert client.post(reverse("mutual_aid:fee_join"), {"channel": "payroll"}).status_code == 400  # not confirmed
    assert SchemeMembership.objects.count() == 0
    response = client.post(reverse("mutual_aid:fee_join"), {"channel": "payroll", "confirm": "on"})
    assert response["Location"] == reverse("mutual_aid:fee_my")
    m = SchemeMembership.objects.get()
    assert (m.person, m.joined_on, m.eligible_from, m.enrolled_by) == (
        university.zhang,
        today,
        today,
        university.users["member"],
    )


def test_sub_union_officer_sees_and_enrolls_only_their_people(client, charged, office):
    officer = charged.users["sub_union_officer"]
    client.force_login(officer)
    html = client.get(reverse("mutual_aid:fee_members"), {"year": 2024}).content.decode()
    assert "E0001" in html and "E0002" in html and "L0001" not in html and "R0001" not in html
    response = client.get(reverse("mutual_aid:fee_members"), {"year": 2024, "export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    # by sub-union in natural order, then pinyin: the group (经济学院第一工会小组, 李娜) before 经济学院分工会
    assert [r[0] for r in rows[1:]] == ["E0002", "E0001"]
    before = _state()
    response = client.post(
        reverse("mutual_aid:fee_enroll"), {"staff_no": "L0001", "joined_on": "2024-03-06", "channel": "payroll"}
    )
    assert response.status_code == 400 and _state() == before
    response = client.post(
        reverse("mutual_aid:fee_enroll"), {"staff_no": "E0099", "joined_on": "2024-03-06", "channel": "payroll"}
    )
    assert response.status_code == 302
    assert SchemeMembership.objects.get(person=charged.officer_person).enrolled_by == officer


def test_opt_out_page_requires_reason(client, charged, office):
    client.force_login(office)
    m = SchemeMembership.objects.get(person=charged.zhang)
    response = client.post(reverse("mutual_aid:fee_opt_out", args=[m.pk]), {"reason": "", "on": "2024-06-01"})
    assert response.status_code == 400
    m.refresh_from_db()
    assert m.status == "active"
    client.post(reverse("mutual_aid:fee_opt_out", args=[m.pk]), {"reason": "调离", "on": "2024-06-01"})
    m.refresh_from_db()
    assert (m.status, m.ended_on, m.end_reason) == ("opted_out", D(2024, 6, 1), "调离")


def test_auditor_reads_but_every_post_is_refused(client, charged, office):
    auditor = charged.users["auditor"]
    client.force_login(auditor)
    for url in (
        reverse("mutual_aid:fee_members"),
        reverse("mutual_aid:fee_runs"),
        reverse("mutual_aid:fee_year", args=[2024]),
        reverse("mutual_aid:fee_ledger", args=[charged.zhang.pk]),
    ):
        assert client.get(url).status_code == 200, url
    line = FeeLine.objects.get(person=charged.zhao)
    m = SchemeMembership.objects.get(person=charged.zhang)
    preview_job = ImportPreview.objects.create(
        kind="mutual_aid.deduction_result",
        created_by=office,
        expires_at=timezone.now() + datetime.timedelta(days=1),
        file="imports/x.xlsx",
        original_name="x.xlsx",
        sha256="0" * 64,
        size=1,
        target="2024",
        summary={
            "deducted": [{"line": FeeLine.objects.get(person=charged.zhang).pk}],
            "failed": [],
            "unchanged": [],
            "invalid": [],
            "counts": {},
        },
    )
    before = _state()
    posts = [
        (reverse("mutual_aid:fee_run_start"), {"year": "2024"}),
        (reverse("mutual_aid:fee_enroll"), {"staff_no": "E0099", "joined_on": "2024-03-06", "channel": "payroll"}),
        (reverse("mutual_aid:fee_opt_out", args=[m.pk]), {"reason": "x", "on": "2024-06-01"}),
        (reverse("mutual_aid:fee_receipt", args=[line.pk]), {"amount": "60"}),
        (reverse("mutual_aid:fee_refund", args=[line.pk]), {"amount": "1", "reason": "x"}),
        (reverse("mutual_aid:fee_lapse", args=[2024]), {}),
        (reverse("mutual_aid:fee_result_upload", args=[2024]), {}),
        (reverse("mutual_aid:fee_result_confirm", args=[preview_job.pk]), {}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
    assert client.get(reverse("mutual_aid:fee_deduction_file", args=[2024])).status_code == 403
    assert _state() == before
    preview_job.refresh_from_db()
    assert preview_job.status == "pending"


def test_a_large_result_file_is_read_by_the_worker_not_in_the_request(
    client, charged, office, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_READ_INLINE_MAX_BYTES = 10
    client.force_login(office)
    data = xlsx_bytes(headers=["工号", "扣款金额", "扣款结果", "失败原因"], rows=[["E0001", "120", "成功", ""]])
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(
            reverse("mutual_aid:fee_result_upload", args=[2024]), {"file": SimpleUploadedFile("结果.xlsx", data)}
        )
    preview = ImportPreview.objects.get(kind="mutual_aid.deduction_result")
    assert (preview.status, preview.summary) == ("reading", {})
    html = client.get(response["Location"]).content.decode()
    assert 'data-testid="import-reading"' in html and 'data-testid="count-deducted"' not in html
    for callback in callbacks:
        callback()
    html = client.get(response["Location"]).content.decode()
    assert 'data-testid="count-deducted">1' in html
    assert LedgerEntry.objects.exclude(kind="charge").count() == 0
