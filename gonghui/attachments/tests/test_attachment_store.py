import hashlib
import io

import openpyxl
import pytest

from gonghui.attachments.models import Attachment
from gonghui.attachments.services import attachment_store
from gonghui.attachments.tests.conftest import DOCUMENT, PDF_BYTES, SPREADSHEET, png_bytes, stored_files, upload
from gonghui.core.exceptions import ApplicationError, PermissionDenied
from gonghui.core.models import AuditAction, AuditEvent


def xlsx_bytes() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active.append(["工号", "姓名"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_png_named_txt_is_stored_as_png(university, media):
    member = university.users["member"]
    content = png_bytes()
    # when
    attachment = attachment_store(
        uploaded_file=upload("发票.txt", content, "text/plain"),
        uploaded_by=member,
        owner_person=university.zhang,
        purpose=DOCUMENT,
    )
    # then
    attachment.refresh_from_db()
    assert attachment.content_type == "image/png"
    assert attachment.original_name == "发票.txt"
    assert attachment.size == len(content)
    assert attachment.sha256 == hashlib.sha256(content).hexdigest()
    assert (attachment.uploaded_by, attachment.owner_person, attachment.purpose) == (
        member,
        university.zhang,
        DOCUMENT,
    )
    year_month = attachment.uploaded_at.astimezone().strftime("%Y/%m")
    assert attachment.file.name == f"attachments/{year_month}/{attachment.pk}"
    assert stored_files(media) == [media / attachment.file.name]
    assert (media / attachment.file.name).read_bytes() == content
    event = AuditEvent.objects.get()
    assert (event.action, event.object_type, event.object_id, event.person_id, event.actor) == (
        AuditAction.CREATED,
        "attachments.attachment",
        str(attachment.pk),
        university.zhang.pk,
        member,
    )


def test_a_pdf_is_accepted(university, media):
    attachment = attachment_store(
        uploaded_file=upload("x.bin", PDF_BYTES), uploaded_by=university.users["member"], purpose=DOCUMENT
    )
    assert attachment.content_type == "application/pdf"
    assert Attachment.objects.count() == 1


def test_a_text_file_named_pdf_is_refused_and_nothing_is_stored(university, media):
    with pytest.raises(ApplicationError) as refused:
        attachment_store(
            uploaded_file=upload("诊断证明.pdf", "这不是 PDF".encode(), "application/pdf"),
            uploaded_by=university.users["member"],
            owner_person=university.zhang,
            purpose=DOCUMENT,
        )
    assert str(refused.value.message) == "文件类型不支持：只接受 PDF 和图片"
    assert Attachment.objects.count() == 0
    assert stored_files(media) == []
    assert AuditEvent.objects.count() == 0


def test_xlsx_only_where_the_purpose_accepts_it(university, media):
    office = university.users["union_office"]
    with pytest.raises(ApplicationError, match="只接受 PDF 和图片"):
        attachment_store(uploaded_file=upload("名册.xlsx", xlsx_bytes()), uploaded_by=office, purpose=DOCUMENT)
    assert Attachment.objects.count() == 0
    attachment = attachment_store(
        uploaded_file=upload("名册.xlsx", xlsx_bytes()), uploaded_by=office, purpose=SPREADSHEET
    )
    assert attachment.content_type == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    with pytest.raises(ApplicationError, match="只接受 PDF、图片和 Excel"):
        attachment_store(
            uploaded_file=upload("a.xlsx", b"PK\x03\x04 not really"), uploaded_by=office, purpose=SPREADSHEET
        )
    assert Attachment.objects.count() == 1
    assert len(stored_files(media)) == 1


class _HugeUpload:
    """Declares 21 MB; reading it would fail the test."""

    name = "big.pdf"
    size = 21 * 1024 * 1024

    def chunks(self, *args, **kwargs):
        raise AssertionError("the content must not be read")

    def seek(self, *args):
        raise AssertionError("the content must not be read")


def test_size_is_checked_before_reading(university, media):
    with pytest.raises(ApplicationError) as refused:
        attachment_store(uploaded_file=_HugeUpload(), uploaded_by=university.users["member"], purpose=DOCUMENT)
    assert str(refused.value.message) == "文件过大：最大 20 MB"
    assert Attachment.objects.count() == 0
    assert stored_files(media) == []


def test_size_limit_from_settings(university, media, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024 * 1024
    member = university.users["member"]
    exactly = png_bytes(padding=1024 * 1024 - len(png_bytes()))
    assert len(exactly) == 1024 * 1024
    attachment_store(uploaded_file=upload("ok.png", exactly), uploaded_by=member, purpose=DOCUMENT)
    with pytest.raises(ApplicationError) as refused:
        attachment_store(uploaded_file=upload("big.png", exactly + b"\x00"), uploaded_by=member, purpose=DOCUMENT)
    assert str(refused.value.message) == "文件过大：最大 1 MB"
    assert Attachment.objects.count() == 1
    assert len(stored_files(media)) == 1


def test_an_empty_file_is_refused(university, media):
    with pytest.raises(ApplicationError, match="文件为空"):
        attachment_store(uploaded_file=upload("a.png", b""), uploaded_by=university.users["member"], purpose=DOCUMENT)
    assert Attachment.objects.count() == 0


@pytest.mark.parametrize(
    "role, person, allowed",
    [
        ("member", "zhang", True),
        ("member", "li", False),
        ("sub_union_officer", "li", True),  # econ's union group
        ("sub_union_officer", "wang", False),  # law
        ("union_office", "wang", True),
        ("administrator", "zhao", True),
        ("auditor", "zhang", False),  # auditors change nothing
        ("welfare_committee", "zhang", False),
    ],
)
def test_who_may_upload_for_whom(university, media, role, person, allowed):
    def store():
        return attachment_store(
            uploaded_file=upload("a.png", png_bytes()),
            uploaded_by=university.users[role],
            owner_person=getattr(university, person),
            purpose=DOCUMENT,
        )

    if allowed:
        assert store().owner_person == getattr(university, person)
        assert Attachment.objects.count() == 1
    else:
        with pytest.raises(PermissionDenied):
            store()
        assert Attachment.objects.count() == 0
        assert stored_files(media) == []


def test_a_failed_row_save_removes_the_file(university, media, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("database down")

    monkeypatch.setattr("gonghui.attachments.services.audit_event_record", boom)
    with pytest.raises(RuntimeError):
        attachment_store(
            uploaded_file=upload("a.png", png_bytes()), uploaded_by=university.users["member"], purpose=DOCUMENT
        )
    assert Attachment.objects.count() == 0
    assert stored_files(media) == []


def test_the_original_name_loses_any_path(university, media):
    attachment = attachment_store(
        uploaded_file=upload("C:\\Users\\zhang\\体检报告.pdf", PDF_BYTES),
        uploaded_by=university.users["member"],
        purpose=DOCUMENT,
    )
    assert attachment.original_name == "体检报告.pdf"
