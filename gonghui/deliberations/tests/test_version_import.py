"""A version imported from the drafting unit's .docx through core's import kit: the preview
lists the articles found, confirming creates the draft version once; a document without
recognisable articles, a file that is not a .docx and a hostile one are refused with nothing
written."""

import os

import pytest

from gonghui.core.exceptions import ApplicationError, ImportFileError, InvalidTransition, PermissionDenied
from gonghui.core.imports import Upload, import_confirm
from gonghui.core.models import ImportPreview, ImportStatus
from gonghui.deliberations.choices import VersionStatus
from gonghui.deliberations.models import Article, DraftVersion
from gonghui.deliberations.services.versions import DOCX_KIND, version_import_start
from gonghui.deliberations.tests.docx_files import docx_bytes, with_entity, with_zeros
from gonghui.deliberations.tests.factories import DRAFT_V1, deliberation_make, version_drafted
from tests.tables import changed_tables, table_counts

PLAN = [line for line in DRAFT_V1.splitlines() if line]


def _upload(data: bytes, filename: str = "绩效工资改革方案.docx") -> Upload:
    return Upload(data=data, filename=filename)


def _kept_files(settings) -> list[str]:
    folder = os.path.join(settings.MEDIA_ROOT, "imports")
    return sorted(os.listdir(folder)) if os.path.isdir(folder) else []


def test_the_preview_lists_the_articles_and_writes_only_itself(w, settings):
    deliberation = deliberation_make(w)
    before = table_counts()
    preview = version_import_start(
        actor=w.users["hr"], deliberation=deliberation, upload=_upload(docx_bytes(PLAN)), change_note=" 第一稿 "
    )
    assert changed_tables(before, table_counts()) == {"core.importpreview": (0, 1)}
    assert (preview.kind, preview.status, preview.target) == (DOCX_KIND, ImportStatus.PENDING, str(deliberation.pk))
    assert preview.parameters == {"change_note": "第一稿"}
    summary = preview.summary
    assert summary["title"] == "教职工绩效工资改革方案（征求意见稿）"
    assert summary["preamble"] == "为建立体现岗位职责和工作业绩的收入分配机制，结合学校实际，制定本方案。"
    assert [(a["label"], a["chapter"]) for a in summary["articles"]] == [
        ("第一条", "第一章 总则"),
        ("第二条", "第一章 总则"),
        ("第三条", "第二章 奖励性绩效工资"),
        ("第四条", "第二章 奖励性绩效工资"),
    ]
    assert summary["articles"][2]["text"] == "超工作量部分按每学时八十元计发。"
    assert (summary["paragraphs"], summary["total_rows"]) == (len(PLAN), 4)
    assert summary["first_paragraphs"] == PLAN[:12]
    assert len(_kept_files(settings)) == 1


def test_confirming_creates_the_draft_version_once(w, settings):
    deliberation = deliberation_make(w)
    preview = version_import_start(
        actor=w.users["hr"], deliberation=deliberation, upload=_upload(docx_bytes(PLAN)), change_note="第一稿"
    )
    confirmed = import_confirm(preview, actor=w.users["hr"])
    version = DraftVersion.objects.get(deliberation=deliberation)
    assert confirmed.status == ImportStatus.CONFIRMED
    assert confirmed.result == {"version": version.pk, "articles": 4, "total": 4}
    assert (version.number, version.status, version.title) == (
        1,
        VersionStatus.DRAFT,
        "教职工绩效工资改革方案（征求意见稿）",
    )
    assert (version.source_name, version.change_note, version.created_by) == (
        "绩效工资改革方案.docx",
        "第一稿",
        w.users["hr"],
    )
    assert list(version.articles.values_list("position", "label")) == [
        (1, "第一条"),
        (2, "第二条"),
        (3, "第三条"),
        (4, "第四条"),
    ]
    assert _kept_files(settings) == []  # the file is deleted once applied
    # a second confirmation is refused and writes nothing
    before = table_counts()
    with pytest.raises(InvalidTransition, match="不会重复导入"):
        import_confirm(preview, actor=w.users["hr"])
    assert changed_tables(before, table_counts()) == {}


def test_articles_in_a_table_are_read_too(w):
    deliberation = deliberation_make(w)
    data = docx_bytes(["考核办法"], table=[["第一条 甲"], ["第二条 乙"]])
    preview = version_import_start(actor=w.office, deliberation=deliberation, upload=_upload(data))
    assert [(a["label"], a["text"]) for a in preview.summary["articles"]] == [("第一条", "甲"), ("第二条", "乙")]


def test_a_document_without_articles_previews_its_paragraphs_and_cannot_be_confirmed(w):
    deliberation = deliberation_make(w)
    paragraphs = ["关于绩效工资改革的说明", "一、基础性绩效工资", "二、奖励性绩效工资"]
    preview = version_import_start(
        actor=w.users["hr"], deliberation=deliberation, upload=_upload(docx_bytes(paragraphs))
    )
    assert preview.summary["articles"] == []
    assert (preview.summary["paragraphs"], preview.summary["total_rows"]) == (3, 0)
    assert preview.summary["first_paragraphs"] == paragraphs
    before = table_counts()
    with pytest.raises(ApplicationError, match="没有识别出条款：每条应以“第一条”“第二条”……开头") as refused:
        import_confirm(preview, actor=w.users["hr"])
    assert "直接粘贴文本" in str(refused.value.message)
    assert changed_tables(before, table_counts()) == {}
    preview.refresh_from_db()
    assert preview.status == ImportStatus.PENDING
    assert DraftVersion.objects.count() == 0


def test_confirming_while_an_unpublished_version_exists_writes_nothing(w):
    deliberation = deliberation_make(w)
    version_drafted(w, deliberation)
    preview = version_import_start(actor=w.users["hr"], deliberation=deliberation, upload=_upload(docx_bytes(PLAN)))
    before = table_counts()
    with pytest.raises(ApplicationError, match="第1稿尚未发布：请先修改并发布它"):
        import_confirm(preview, actor=w.users["hr"])
    assert changed_tables(before, table_counts()) == {}
    preview.refresh_from_db()
    assert preview.status == ImportStatus.PENDING


@pytest.mark.parametrize(
    "data, filename, message",
    [
        (b"not a word file", "方案.docx", "它不是有效的 Word 文档（.docx）"),
        (docx_bytes(PLAN), "方案.doc", "不支持的文件类型“doc”：请上传 .docx 文件"),
        (docx_bytes(PLAN), "方案", "不支持的文件类型“无扩展名”"),
        (with_entity(docx_bytes(PLAN)), "方案.docx", "DOCTYPE/ENTITY"),
    ],
    ids=["not-docx", "doc", "no-extension", "entity"],
)
def test_a_file_that_cannot_be_read_is_refused_with_nothing_kept(w, settings, data, filename, message):
    deliberation = deliberation_make(w)
    before = table_counts()
    with pytest.raises(ImportFileError, match=message):
        version_import_start(actor=w.users["hr"], deliberation=deliberation, upload=_upload(data, filename))
    assert changed_tables(before, table_counts()) == {}
    assert _kept_files(settings) == []


def test_a_zip_bomb_is_refused_at_the_sites_limits(w, settings):
    settings.IMPORT_LIMITS = {"max_unpacked_bytes": 2 * 1024 * 1024}
    deliberation = deliberation_make(w)
    data = with_zeros(docx_bytes(PLAN), megabytes=3)
    before = table_counts()
    with pytest.raises(ImportFileError, match=r"文件解压后过大（超过 2 MB）"):
        version_import_start(actor=w.users["hr"], deliberation=deliberation, upload=_upload(data))
    assert changed_tables(before, table_counts()) == {}
    assert _kept_files(settings) == []


@pytest.mark.parametrize("who", ["member", "handling_unit_officer", "sub_union_officer"])
def test_only_the_drafting_unit_and_the_office_import(w, settings, who):
    deliberation = deliberation_make(w)
    before = table_counts()
    with pytest.raises(PermissionDenied):
        version_import_start(actor=w.users[who], deliberation=deliberation, upload=_upload(docx_bytes(PLAN)))
    assert changed_tables(before, table_counts()) == {}
    assert _kept_files(settings) == []


def test_the_importer_must_hold_the_permission_to_confirm(w):
    deliberation = deliberation_make(w)
    preview = version_import_start(actor=w.users["hr"], deliberation=deliberation, upload=_upload(docx_bytes(PLAN)))
    before = table_counts()
    with pytest.raises(PermissionDenied):
        import_confirm(preview, actor=w.users["member"])
    assert changed_tables(before, table_counts()) == {}
    assert ImportPreview.objects.get(pk=preview.pk).status == ImportStatus.PENDING
    assert Article.objects.count() == 0


def test_another_units_officer_cannot_confirm_the_drafting_units_preview(w):
    # the logistics officer holds the import's permission, but is no officer of the drafting unit
    deliberation = deliberation_make(w)
    preview = version_import_start(actor=w.users["hr"], deliberation=deliberation, upload=_upload(docx_bytes(PLAN)))
    before = table_counts()
    with pytest.raises(PermissionDenied):
        import_confirm(preview, actor=w.users["handling_unit_officer"])
    assert changed_tables(before, table_counts()) == {}
    assert ImportPreview.objects.get(pk=preview.pk).status == ImportStatus.PENDING
