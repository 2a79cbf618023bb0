"""Hostile spreadsheets, built in the test that uses them (nothing large is kept in the repo)."""

import io
import zipfile

MAIN = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    b'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    b"</Types>"
)
PACKAGE_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    b"</Relationships>"
)
WORKBOOK = (
    b'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="' + MAIN + b'" '
    b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    b'<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    b'<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
    b"</Relationships>"
)
SHEET_HEAD = b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="' + MAIN + b'"><sheetData>'
SHEET_TAIL = b"</sheetData></worksheet>"
STRINGS_HEAD = b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="' + MAIN + b'">'
HEADER_ROW = b'<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
STRINGS = STRINGS_HEAD + "<si><t>工号</t></si><si><t>姓名</t></si></sst>".encode()


def workbook(rows: bytes, *, strings: bytes = STRINGS, sheet: bytes | None = None, extra: dict | None = None) -> bytes:
    """A minimal .xlsx whose first sheet holds `rows` (the <row> elements), or `sheet` whole."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", PACKAGE_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet if sheet is not None else SHEET_HEAD + rows + SHEET_TAIL)
        archive.writestr("xl/sharedStrings.xml", strings)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return out.getvalue()


def zip_bomb(unpacked_mb: int = 160) -> bytes:
    """A workbook whose sheet is one cell of `unpacked_mb` MB of zeros: about 1/1000 of that
    compressed, written in 1 MB pieces so that building it costs no memory."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in (
            ("[Content_Types].xml", CONTENT_TYPES),
            ("_rels/.rels", PACKAGE_RELS),
            ("xl/workbook.xml", WORKBOOK),
            ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
            ("xl/sharedStrings.xml", STRINGS),
        ):
            archive.writestr(name, data)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(SHEET_HEAD + HEADER_ROW + b'<row r="2"><c r="A2"><v>')
            zeros = b"0" * (1 << 20)
            for _ in range(unpacked_mb):
                sheet.write(zeros)
            sheet.write(b"</v></c></row>" + SHEET_TAIL)
    return out.getvalue()


def lying_sizes(data: bytes) -> bytes:
    """The same zip with every member's declared uncompressed size set to 10 bytes."""
    import struct

    buffer = bytearray(data)
    position = 0
    while (position := buffer.find(b"PK\x03\x04", position)) >= 0:  # local headers
        struct.pack_into("<I", buffer, position + 22, 10)
        position += 4
    position = 0
    while (position := buffer.find(b"PK\x01\x02", position)) >= 0:  # central directory
        struct.pack_into("<I", buffer, position + 24, 10)
        position += 4
    return bytes(buffer)


BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">' % (n, b"".join(b"&lol%d;" % (n - 1) if n > 1 else b"&lol;" for _ in range(10)))
        for n in range(1, 10)
    )
    + b"]>"
)
EXTERNAL_ENTITY = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def with_doctype(doctype: bytes, entity: bytes) -> bytes:
    body = SHEET_HEAD.split(b"?>", 1)[1]
    row = b'<row r="2"><c r="A2" t="inlineStr"><is><t>' + entity + b"</t></is></c></row>"
    return workbook(b"", sheet=doctype + body + HEADER_ROW + row + SHEET_TAIL)


HOSTILE: dict[str, tuple] = {}  # filled below: name → (builder, expected message)


def _register(name, message):
    def decorate(builder):
        HOSTILE[name] = (builder, message)
        return builder

    return decorate


@_register("zip bomb", "“xl/worksheets/sheet1.xml”超过 150 MB")
def _bomb():
    return zip_bomb(160)


@_register("declared sizes that lie", "不是有效的 Excel")
def _lying():
    return lying_sizes(workbook(HEADER_ROW + b'<row r="2"><c r="A2"><v>' + b"1" * 50_000 + b"</v></c></row>"))


@_register("a row that never closes", "第 2 行超过 64 列")
def _never_closed():
    return workbook(b"", sheet=SHEET_HEAD + HEADER_ROW + b'<row r="2">' + b'<c t="s"><v>1</v></c>' * 100_000)


@_register("a huge shared-string table", "文件中的文字条目过多")
def _strings():
    return workbook(HEADER_ROW, strings=STRINGS_HEAD + b"<si><t>x</t></si>" * 1_000_001 + b"</sst>")


@_register("deep XML", "嵌套过深")
def _deep():
    return workbook(
        HEADER_ROW
        + b'<row r="2"><c r="A2" t="inlineStr"><is>'
        + b"<r>" * 10_000
        + b"</r>" * 10_000
        + b"</is></c></row>"
    )


@_register("billion laughs", "DOCTYPE")
def _laughs():
    return with_doctype(BILLION_LAUGHS, b"&lol9;")


@_register("an external entity", "DOCTYPE")
def _external():
    return with_doctype(EXTERNAL_ENTITY, b"&xxe;")


@_register("a cell at XFD1048576", "超过 64 列")
def _far_column():
    return workbook(HEADER_ROW + b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')


@_register("a cell at row 1,048,576", "文件超过 200000 行")
def _far_row():
    return workbook(HEADER_ROW + b'<row r="1048576"><c r="A1048576"><v>1</v></c></row>')


@_register("two cells far apart", "单元格范围过大（150000 行 × 64 列）")
def _grid():
    return workbook(HEADER_ROW + b'<row r="150000"><c r="BL150000"><v>1</v></c></row>')


@_register("a CSV field over 131,072 characters", "第 2 行有单元格超过 1000 个字符")
def _csv_field():
    return "工号,姓名\nE1,".encode() + b"x" * 131_073 + b"\n"


@_register("a CSV quote that never closes", "第 2 行有单元格超过 1000 个字符")
def _csv_quote():
    return '工号,姓名\nE1,"'.encode() + b"x" * 200_000
