"""Core's .docx reader (gonghui.core.documents): the paragraphs of a real Word document, in
order with table cells, and refusals of what is not one or is hostile — before python-docx
parses anything."""

import io
import zipfile

import pytest

from gonghui.core.documents import MAX_PARAGRAPH_CHARS, docx_paragraphs
from gonghui.core.exceptions import ImportFileError
from gonghui.core.tabular import ReadLimits
from gonghui.core.tests.hostile import BILLION_LAUGHS, EXTERNAL_ENTITY, lying_sizes
from gonghui.deliberations.tests.docx_files import docx_bytes, member, rezip, with_entity, with_zeros

NOT_DOCX = "它不是有效的 Word 文档（.docx）"
DOCX = ReadLimits(extensions=("docx",))


def test_paragraphs_in_order_with_table_cells_line_breaks_and_blanks_left_out():
    data = docx_bytes(
        ["实施办法", "", "  第一条 甲  ", ["第二条 乙", "（一）丙"]],
        table=[["第三条 丁", ""], ["附表", "戊"]],
    )
    assert docx_paragraphs(data) == ["实施办法", "第一条 甲", "第二条 乙", "（一）丙", "第三条 丁", "附表", "戊"]


def test_a_document_without_text_reads_as_no_paragraphs():
    assert docx_paragraphs(docx_bytes([])) == []


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"just some text, not a zip",
        "第一条 纯文本改了扩展名".encode(),
        b"PK\x03\x04 a broken zip header and nothing after it",
    ],
    ids=["empty", "text", "chinese-text", "broken-zip"],
)
def test_what_is_not_a_zip_is_not_a_docx(data):
    with pytest.raises(ImportFileError, match=NOT_DOCX):
        docx_paragraphs(data, DOCX)


def test_a_zip_without_the_document_part_is_not_a_docx():
    # e.g. an .xlsx renamed .docx: a valid zip, no word/document.xml
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("xl/workbook.xml", b"<workbook/>")
    with pytest.raises(ImportFileError, match=NOT_DOCX):
        docx_paragraphs(out.getvalue(), DOCX)
    with pytest.raises(ImportFileError, match=NOT_DOCX):
        docx_paragraphs(rezip(docx_bytes(["第一条 甲"]), drop={"word/document.xml"}), DOCX)


def test_a_package_python_docx_cannot_open_is_not_a_docx():
    # the document part is there but the package has no content types: python-docx fails
    data = rezip(docx_bytes(["第一条 甲"]), drop={"[Content_Types].xml"})
    with pytest.raises(ImportFileError, match=NOT_DOCX):
        docx_paragraphs(data, DOCX)


def test_a_document_part_that_is_not_xml_is_not_a_docx():
    data = rezip(docx_bytes(["第一条 甲"]), replace={"word/document.xml": b"<w:document><w:body>"})
    with pytest.raises(ImportFileError, match=NOT_DOCX):
        docx_paragraphs(data, DOCX)


@pytest.mark.parametrize(
    "doctype",
    [
        b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY boom "boom">]>',
        BILLION_LAUGHS,
        EXTERNAL_ENTITY,
        b'<?xml version="1.0"?><!doctype w [<!entity boom "boom">]>',
    ],
    ids=["entity", "billion-laughs", "external-entity", "lower-case"],
)
def test_an_entity_declaration_is_refused_before_parsing(doctype):
    data = with_entity(docx_bytes(["第一条 甲"]), doctype)
    assert doctype in member(data, "word/document.xml")
    with pytest.raises(ImportFileError, match="DOCTYPE/ENTITY"):
        docx_paragraphs(data, DOCX)


def test_a_doctype_in_a_relationships_part_is_refused_too():
    data = docx_bytes(["第一条 甲"])
    rels = member(data, "_rels/.rels")
    head, rest = rels.split(b"?>", 1)
    data = rezip(data, replace={"_rels/.rels": head + b"?><!DOCTYPE Relationships>" + rest})
    with pytest.raises(ImportFileError, match="DOCTYPE/ENTITY"):
        docx_paragraphs(data, DOCX)


def test_the_entity_refusal_speaks_of_word_not_excel():
    with pytest.raises(ImportFileError) as refused:
        docx_paragraphs(with_entity(docx_bytes(["第一条 甲"])), DOCX)
    assert "xlsx" not in str(refused.value.message) and "Excel" not in str(refused.value.message)


def test_a_zip_bomb_is_refused_as_it_decompresses():
    data = with_zeros(docx_bytes(["第一条 甲"]), megabytes=3)
    assert len(data) < 64 * 1024  # 3 MB of zeros, a few KB on the wire
    limits = ReadLimits(extensions=("docx",), max_unpacked_bytes=2 * 1024 * 1024)
    with pytest.raises(ImportFileError, match=r"文件解压后过大（超过 2 MB）"):
        docx_paragraphs(data, limits)


def test_one_member_over_its_limit_is_named():
    data = with_zeros(docx_bytes(["第一条 甲"]), megabytes=3)
    limits = ReadLimits(extensions=("docx",), max_member_bytes=2 * 1024 * 1024)
    with pytest.raises(ImportFileError, match=r"“word/media/blob.bin”超过 2 MB"):
        docx_paragraphs(data, limits)


def test_members_lying_about_their_sizes_are_refused():
    # every member declares 10 bytes: what is read is measured, not what is declared
    data = lying_sizes(with_zeros(docx_bytes(["第一条 甲"]), megabytes=3))
    limits = ReadLimits(extensions=("docx",), max_unpacked_bytes=2 * 1024 * 1024)
    with pytest.raises(ImportFileError, match=NOT_DOCX):
        docx_paragraphs(data, limits)


def test_too_many_members_are_refused():
    data = docx_bytes(["第一条 甲"])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        count = len(archive.infolist())
    with pytest.raises(ImportFileError, match=rf"文件包含的部件过多（超过 {count - 1} 个）"):
        docx_paragraphs(data, ReadLimits(extensions=("docx",), max_members=count - 1))
    assert docx_paragraphs(data, ReadLimits(extensions=("docx",), max_members=count)) == ["第一条 甲"]


def test_deep_nesting_is_refused():
    data = docx_bytes(["第一条 甲"])
    deep = b"<a>" * 80 + b"</a>" * 80
    data = rezip(data, extra={"customXml/deep.xml": b'<?xml version="1.0"?>' + deep})
    with pytest.raises(ImportFileError, match="嵌套过深"):
        docx_paragraphs(data, DOCX)


def test_paragraphs_beyond_max_rows_are_refused():
    data = docx_bytes(["第一条 甲", "第二条 乙", "第三条 丙", "第四条 丁"])
    assert len(docx_paragraphs(data, ReadLimits(extensions=("docx",), max_rows=4))) == 4
    with pytest.raises(ImportFileError, match=r"文档段落过多（超过 3 段）"):
        docx_paragraphs(data, ReadLimits(extensions=("docx",), max_rows=3))


def test_a_paragraph_over_the_character_limit_is_refused():
    ok = "字" * MAX_PARAGRAPH_CHARS
    assert docx_paragraphs(docx_bytes([ok])) == [ok]
    with pytest.raises(ImportFileError, match=rf"文档中有一段超过 {MAX_PARAGRAPH_CHARS} 个字"):
        docx_paragraphs(docx_bytes([ok + "字"]))
