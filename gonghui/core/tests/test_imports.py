"""The import kit: read within limits → classify → preview (its own expiring record) →
confirm once → result; and the workflow every preview goes through."""

import datetime
import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from openpyxl import Workbook

from gonghui.accounts.system import system_actor
from gonghui.core.exceptions import ImportFileError, InvalidTransition
from gonghui.core.history import AuditAction
from gonghui.core.imports import (
    Upload,
    import_confirm,
    import_discard,
    import_start,
    imports_expire,
)
from gonghui.core.models import AuditEvent, ImportPreview, ImportPreviewEvent, ImportStatus
from gonghui.core.tabular import ReadLimits, table_read
from gonghui.core.tests.kinds import NamesImport  # noqa: F401  (registers core_tests.names)


def _csv(*rows: str) -> Upload:
    return Upload(data="\n".join(rows).encode("utf-8"), filename="names.csv")


def _xlsx(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def office(university, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return university.users["union_office"]


def test_preview_writes_only_the_preview_and_confirm_applies_once(office):
    preview = import_start("core_tests.names", actor=office, upload=_csv("工号,姓名", "E1,张伟", ",无工号", "E2,李娜"))
    assert preview.summary["counts"] == {"valid": 2, "invalid": 1}
    assert preview.summary["invalid"] == [3]
    assert AuditEvent.objects.filter(action=AuditAction.IMPORTED).count() == 0
    assert default_storage.exists(preview.file)

    confirmed = import_confirm(preview, actor=office)

    assert confirmed.status == ImportStatus.CONFIRMED and confirmed.result == {"imported": 2}
    assert confirmed.confirmed_by == office and confirmed.confirmed_at is not None
    assert sorted(AuditEvent.objects.filter(object_type="test").values_list("object_id", flat=True)) == ["张伟", "李娜"]
    assert not default_storage.exists(preview.file)
    # one event for the confirmation, from pending to confirmed
    assert list(ImportPreviewEvent.objects.values_list("from_state", "to_state", "step")) == [
        ("pending", "confirmed", "confirm")
    ]
    with pytest.raises(InvalidTransition, match="不会重复导入"):
        import_confirm(preview, actor=office)
    assert AuditEvent.objects.filter(object_type="test").count() == 2


def test_a_file_over_a_limit_is_refused_and_nothing_is_kept(office):
    too_many = _csv("工号,姓名", *[f"E{i},某{i}" for i in range(6)])
    with pytest.raises(ImportFileError, match="超过 5 行"):
        import_start("core_tests.names", actor=office, upload=too_many)
    with pytest.raises(ImportFileError, match="超过 3 列"):
        import_start("core_tests.names", actor=office, upload=_csv("工号,姓名,甲,乙", "E1,张伟,1,2"))
    with pytest.raises(ImportFileError, match="超过 20 个字符"):
        import_start("core_tests.names", actor=office, upload=_csv("工号,姓名", "E1," + "长" * 21))
    with pytest.raises(ImportFileError, match="不支持的文件类型"):
        import_start("core_tests.names", actor=office, upload=Upload(data=b"x", filename="a.xls"))
    with pytest.raises(ImportFileError, match="缺少列：姓名"):
        import_start("core_tests.names", actor=office, upload=_csv("工号", "E1"))
    assert ImportPreview.objects.count() == 0
    assert default_storage.listdir("imports")[1] == []


def test_an_xlsx_that_unpacks_too_far_is_refused_before_it_is_parsed():
    from gonghui.core.tests.hostile import workbook

    data = workbook(b'<row r="1"><c r="A1" t="inlineStr"><is><t>' + b" " * 3_000_000 + b"</t></is></c></row>")
    with pytest.raises(ImportFileError, match="解压后过大"):
        table_read(data=data, filename="a.xlsx", limits=ReadLimits(max_unpacked_bytes=1_000_000))


def test_a_zip_without_a_workbook_is_not_an_xlsx():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<" + b" " * 3_000_000 + b">")
    with pytest.raises(ImportFileError, match="不是有效的 Excel"):
        table_read(data=out.getvalue(), filename="a.xlsx")


def test_xlsx_cells_are_read_as_text():
    data = _xlsx([["工号", "姓名", "金额"], [1001, "张伟", 120.0], [None, None, None], ["1002", " 李娜 ", 60.5]])
    assert table_read(data=data, filename="a.xlsx") == [
        ["工号", "姓名", "金额"],
        ["1001", "张伟", "120"],
        [],
        ["1002", "李娜", "60.5"],
    ]


def test_only_the_kinds_importers_may_start_or_confirm(office, university):
    member = university.users["member"]
    with pytest.raises(PermissionDenied):
        import_start("core_tests.names", actor=member, upload=_csv("工号,姓名", "E1,张伟"))
    preview = import_start("core_tests.names", actor=office, upload=_csv("工号,姓名", "E1,张伟"))
    with pytest.raises(PermissionDenied):
        import_confirm(preview, actor=university.users["auditor"])
    preview.refresh_from_db()
    assert preview.status == ImportStatus.PENDING and AuditEvent.objects.filter(object_type="test").count() == 0


def test_nothing_valid_cannot_be_confirmed(office):
    preview = import_start("core_tests.names", actor=office, upload=_csv("工号,姓名", ",张伟"))
    with pytest.raises(Exception, match="没有可以导入的有效行"):
        import_confirm(preview, actor=office)
    preview.refresh_from_db()
    assert preview.status == ImportStatus.PENDING


def test_stale_previews_expire_in_bulk_and_cannot_be_confirmed(office, clock):
    kept = import_start("core_tests.names", actor=office, upload=_csv("工号,姓名", "E1,张伟"))
    stale = import_start("core_tests.names", actor=office, upload=_csv("工号,姓名", "E2,李娜"))
    discarded = import_start("core_tests.names", actor=office, upload=_csv("工号,姓名", "E3,王芳"))
    import_discard(discarded, actor=office)
    ImportPreview.objects.filter(pk=kept.pk).update(expires_at=kept.expires_at + datetime.timedelta(days=5))
    clock.move_to(stale.expires_at + datetime.timedelta(minutes=1))
    with pytest.raises(InvalidTransition, match="已过期"):
        import_confirm(stale, actor=office)

    assert imports_expire(actor=system_actor()) == 1

    statuses = dict(ImportPreview.objects.values_list("pk", "status"))
    assert statuses == {kept.pk: "pending", stale.pk: "expired", discarded.pk: "discarded"}
    assert not default_storage.exists(stale.file) and default_storage.exists(kept.file)
    expired_event = ImportPreviewEvent.objects.get(subject=stale)
    assert (expired_event.from_state, expired_event.to_state, expired_event.step) == ("pending", "expired", "expire")
    audit = AuditEvent.objects.get(object_type="core.importpreview", object_id=str(stale.pk))
    assert audit.changes == {"status": ["待确认", "已过期"]} and audit.actor.username == "system"
    assert imports_expire(actor=system_actor()) == 0  # a second run moves nothing
