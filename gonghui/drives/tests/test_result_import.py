"""The provider's result as a core import: a preview (counts, and every line that matches
nobody) before anything is written, confirmed once; a file with such lines cannot be confirmed."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gonghui.core.exceptions import ApplicationError, InvalidTransition
from gonghui.core.imports import Upload
from gonghui.core.models import AuditEvent, ImportPreview, ImportStatus
from gonghui.drives.choices import RegistrationChannel, RegistrationStatus
from gonghui.drives.models import DriveRegistration, ProviderResultImport, RegistrationEvent
from gonghui.drives.services.registrations import registration_create
from gonghui.drives.services.results import result_confirm, result_preview_start
from gonghui.drives.services.roster import roster_export_create
from gonghui.drives.tests.factories import TODAY, drive_make, relative_data, result_file


@pytest.fixture
def sent(university):
    drive = drive_make()
    office = university.users["union_office"]
    for person in (university.zhang, university.li):
        registration_create(
            drive=drive, person=person, actor=office, channel=RegistrationChannel.GROUP, consent=True, on=TODAY
        )
    roster_export_create(drive=drive, actor=office)
    return drive, office


def _written():
    return (
        AuditEvent.objects.count(),
        RegistrationEvent.objects.count(),
        ProviderResultImport.objects.count(),
        sorted(DriveRegistration.objects.values_list("status", "policy_no")),
    )


def _upload(content):
    return Upload(data=content, filename="结果.xlsx")


def test_the_preview_counts_and_writes_nothing_then_confirms_once(university, sent):
    drive, office = sent
    zhang, li = university.zhang, university.li
    content = result_file(
        [
            (zhang.name, zhang.id_number_clear(), "参保成功", "P-001", ""),
            (li.name, li.id_number_clear(), "未通过", "", "证件信息有误"),
        ]
    )
    before = _written()
    preview = result_preview_start(drive=drive, actor=office, upload=_upload(content))
    assert preview.summary == {
        "counts": {"enrolled": 1, "paid": 0, "rejected": 1, "unchanged": 0},
        "problems": [],
        "total_rows": 2,
    }
    assert _written() == before

    result = result_confirm(preview=preview, actor=office)
    assert result.counts == {"enrolled": 1, "paid": 0, "rejected": 1, "unchanged": 0}
    assert (result.preview_id, result.file_name, result.imported_by) == (preview.pk, "结果.xlsx", office)
    preview.refresh_from_db()
    assert preview.status == ImportStatus.CONFIRMED and preview.result == {"result": result.pk, "counts": result.counts}
    assert sorted(DriveRegistration.objects.values_list("status", "policy_no", "reject_reason")) == [
        ("enrolled", "P-001", ""),
        ("rejected", "", "证件信息有误"),
    ]
    after = _written()
    with pytest.raises(InvalidTransition, match="不会重复导入"):
        result_confirm(preview=preview, actor=office)
    assert _written() == after


def test_lines_matching_nobody_are_shown_and_the_file_cannot_be_confirmed(university, sent):
    drive, office = sent
    zhang = university.zhang
    stranger = relative_data(name="路人甲", sequence=777)
    content = result_file(
        [
            (zhang.name, zhang.id_number_clear(), "参保成功", "P-001", ""),
            (stranger["name"], stranger["id_number"], "参保成功", "P-999", ""),
        ]
    )
    before = _written()
    preview = result_preview_start(drive=drive, actor=office, upload=_upload(content))
    assert preview.summary["counts"] == {"enrolled": 1, "paid": 0, "rejected": 0, "unchanged": 0}
    assert preview.summary["problems"] == [{"row": 3, "name": "路人甲", "reason": "与报送名单中的任何人都不匹配"}]
    with pytest.raises(ApplicationError, match="结果文件有 1 行无法导入，未做任何修改"):
        result_confirm(preview=preview, actor=office)
    preview.refresh_from_db()
    assert preview.status == ImportStatus.PENDING and _written() == before


def test_a_file_is_checked_again_when_confirmed(university, sent):
    """Two previews made while zhang is on the roster; once the first (paid) is confirmed, the
    second (rejected) no longer fits and is refused whole at confirmation, nothing applied."""
    drive, office = sent
    zhang = university.zhang
    paid, rejected = (
        result_preview_start(
            drive=drive, actor=office, upload=_upload(result_file([(zhang.name, zhang.id_number_clear(), *line)]))
        )
        for line in (("已缴费", "P-001", ""), ("未通过", "", "迟交"))
    )
    assert paid.summary["problems"] == rejected.summary["problems"] == []
    result_confirm(preview=paid, actor=office)
    before = _written()
    with pytest.raises(ApplicationError) as info:
        result_confirm(preview=rejected, actor=office)
    assert info.value.extra["problems"] == [
        {"row": 2, "name": zhang.name, "reason": "报名状态为“已缴费”，不能变为“未通过”"}
    ]
    rejected.refresh_from_db()
    assert rejected.status == ImportStatus.PENDING and _written() == before


def test_only_the_office_previews_and_confirms(university, sent):
    drive, office = sent
    zhang = university.zhang
    content = result_file([(zhang.name, zhang.id_number_clear(), "参保成功", "P-001", "")])
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        result_preview_start(drive=drive, actor=university.users["auditor"], upload=_upload(content))
    preview = result_preview_start(drive=drive, actor=office, upload=_upload(content))
    before = _written()
    with pytest.raises(PermissionDenied):
        result_confirm(preview=preview, actor=university.users["sub_union_officer"])
    assert _written() == before and ImportPreview.objects.get().status == ImportStatus.PENDING


def test_the_pages_upload_preview_and_confirm(university, sent, client):
    drive, office = sent
    zhang, li = university.zhang, university.li
    client.force_login(office)
    bad = result_file(
        [
            (zhang.name, zhang.id_number_clear(), "参保成功", "P-001", ""),
            ("李四", li.id_number_clear(), "参保成功", "P-2", ""),
        ]
    )
    response = client.post(
        reverse("drives:result_upload", args=[drive.pk]), {"file": SimpleUploadedFile("结果.xlsx", bad)}
    )
    preview = ImportPreview.objects.get()
    assert response["Location"] == reverse("drives:result_preview", args=[preview.pk])
    page = client.get(response["Location"]).content.decode()
    assert f"第 3 行 李四：姓名与报送名单不一致（名单中为 {li.name}）" in page
    assert 'data-testid="result-confirm"' not in page
    assert DriveRegistration.objects.filter(status=RegistrationStatus.ON_ROSTER).count() == 2

    good = result_file([(zhang.name, zhang.id_number_clear(), "参保成功", "P-001", "")])
    response = client.post(
        reverse("drives:result_upload", args=[drive.pk]), {"file": SimpleUploadedFile("结果2.xlsx", good)}
    )
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="result-confirm"' in page and "无法导入" in page
    preview = ImportPreview.objects.filter(original_name="结果2.xlsx").get()
    response = client.post(reverse("drives:result_confirm", args=[preview.pk]))
    assert response["Location"] == reverse("drives:roster", args=[drive.pk])
    assert DriveRegistration.objects.get(person=zhang).status == RegistrationStatus.ENROLLED
    roster_page = client.get(response["Location"]).content.decode()
    assert "结果2.xlsx" in roster_page and "参保 1，缴费 0，未通过 0，无变化 0" in roster_page


def test_a_large_result_file_is_read_by_the_worker_not_in_the_request(
    university, sent, client, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_READ_INLINE_MAX_BYTES = 10
    drive, office = sent
    zhang = university.zhang
    client.force_login(office)
    content = result_file([(zhang.name, zhang.id_number_clear(), "参保成功", "P-001", "")])
    before = _written()
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(
            reverse("drives:result_upload", args=[drive.pk]), {"file": SimpleUploadedFile("结果.xlsx", content)}
        )
    preview = ImportPreview.objects.get()
    assert (preview.status, preview.summary) == (ImportStatus.READING, {})
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="import-reading"' in page and 'data-testid="result-confirm"' not in page
    for callback in callbacks:
        callback()
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="result-confirm"' in page
    # only the preview's own audited step (reading → pending, by the system) was written
    assert _written()[1:] == before[1:] and _written()[0] == before[0] + 1
    assert AuditEvent.objects.order_by("-pk").first().object_type == "core.importpreview"
