"""Reading spreadsheets from outside (.xlsx or .csv, UTF-8 or GB18030), within limits.

Every import reads its file here (the roster, deduction results, insurer acceptance, drive
provider results and any later kind of the import kit). A file from outside may be hostile:
a few hundred KB of .xlsx can unpack to gigabytes, a row can claim a cell at XFD1048576
(a reader that builds the sheet as a grid would allocate 17 billion cells), a part can carry
a DOCTYPE with entities. So, before anything parses an .xlsx, `xlsx_inspect` streams every
member of the zip once and measures it while decompressing (the zip header's declared sizes
are not trusted):

- the file's size, the unpacked size of the whole zip and of each member, the number of
  members;
- in every XML part: no DOCTYPE or ENTITY declaration (external entities, billion laughs),
  no nesting deeper than `max_xml_depth`;
- the shared-string table: its unpacked size and its number of entries;
- the first worksheet: rows, cells per row (a row that never closes), cells in all, and every
  cell reference within `max_rows` × `max_columns`; and where its formulas are (python-calamine
  gives a formula's cached value; an import that refuses formulas needs to know).

Only then python-calamine (Rust) reads the sheet, bounded by what was measured. CSV is read by
the standard library with the same row, column and cell limits. A file over any limit, or one
that cannot be read, is refused with `ImportFileError` and a translated reason.

The limits are settings (`IMPORT_LIMITS`, defaults in `DEFAULT_LIMITS`); a kind narrows them
with `ReadLimits(max_rows=..., ...)`: fields it leaves out take the setting when the file is read.
"""

from __future__ import annotations

import codecs
import csv
import functools
import io
import os
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import repeat
from operator import add

from django.conf import settings
from django.utils.translation import gettext as _

from gonghui.core.exceptions import ImportFileError
from gonghui.core.text import clean_text

# The defaults; settings.IMPORT_LIMITS overrides any of them for the whole site.
DEFAULT_LIMITS: dict[str, int] = {
    "max_bytes": 20 * 1024 * 1024,  # the file as uploaded
    "max_unpacked_bytes": 200 * 1024 * 1024,  # an .xlsx's members together, as decompressed
    "max_member_bytes": 150 * 1024 * 1024,  # one member, as decompressed
    "max_members": 1_000,  # members in the zip
    "max_shared_strings": 1_000_000,  # entries of the shared-string table
    "max_shared_strings_bytes": 64 * 1024 * 1024,  # xl/sharedStrings.xml, decompressed
    "max_rows": 200_000,  # data rows (the header row does not count)
    "max_columns": 64,  # cells per row, and the last column a cell may name
    "max_cells": 4_000_000,  # cells in the sheet, and in the grid from its first to its last cell
    "max_cell_chars": 1_000,  # characters in one cell (a CSV field)
    "max_xml_depth": 64,  # elements opened one inside another
}


@dataclass(frozen=True)
class ReadLimits:
    """What a file may be. A field left at None takes settings.IMPORT_LIMITS (or the
    default) when the file is read."""

    extensions: tuple[str, ...] = ("xlsx", "csv")
    max_bytes: int | None = None
    max_unpacked_bytes: int | None = None
    max_member_bytes: int | None = None
    max_members: int | None = None
    max_shared_strings: int | None = None
    max_shared_strings_bytes: int | None = None
    max_rows: int | None = None
    max_columns: int | None = None
    max_cells: int | None = None
    max_cell_chars: int | None = None
    max_xml_depth: int | None = None

    def resolved(self) -> Limits:
        configured = {**DEFAULT_LIMITS, **getattr(settings, "IMPORT_LIMITS", {})}
        values = {
            key: getattr(self, key) if getattr(self, key) is not None else int(configured[key])
            for key in DEFAULT_LIMITS
        }
        return Limits(extensions=self.extensions, **values)


@dataclass(frozen=True)
class Limits:
    """ReadLimits with every value known (ReadLimits.resolved())."""

    extensions: tuple[str, ...]
    max_bytes: int
    max_unpacked_bytes: int
    max_member_bytes: int
    max_members: int
    max_shared_strings: int
    max_shared_strings_bytes: int
    max_rows: int
    max_columns: int
    max_cells: int
    max_cell_chars: int
    max_xml_depth: int


def _mb(size: int) -> str:
    return f"{size / 1048576:.0f}"


def _too_many_rows(limits: Limits) -> ImportFileError:
    return ImportFileError(_("文件超过 %(limit)s 行，请拆分后再上传") % {"limit": limits.max_rows})


def _too_many_columns(row: int | None, limits: Limits) -> ImportFileError:
    if row is None:
        return ImportFileError(_("文件超过 %(limit)s 列") % {"limit": limits.max_columns})
    return ImportFileError(_("第 %(row)s 行超过 %(limit)s 列") % {"row": row, "limit": limits.max_columns})


def not_xlsx() -> ImportFileError:
    return ImportFileError(_("文件不是有效的 Excel (.xlsx) 文件，可能只是改了扩展名"))


def cell_text(value) -> str:
    """A cell as text: None → "", 12.0 → "12" (Excel stores integers as floats), without
    control characters (core/text.py)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean_text(str(value)).strip()


# --- .xlsx: measured before it is parsed ------------------------------------------------

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
WORKSHEET_REL = f"{REL_NS}/worksheet"
OFFICE_DOCUMENT_REL = f"{REL_NS}/officeDocument"
SHARED_STRINGS_REL = f"{REL_NS}/sharedStrings"

CHUNK = 1 << 20
_DECLARATION = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_WHITESPACE = bytes.maketrans(b"\t\n\r", b"   ")  # attributes are then separated by " " only
_FORMULA = re.compile(rb"<f[\s>/]")
_CELL_OPEN = re.compile(rb"<c [^>]*>|<c>")
_REF = re.compile(rb' r="([A-Z]*)([0-9]*)"')
_THREE_LETTERS = re.compile(rb' r="[A-Z]{3}')
_TWO_LETTERS = re.compile(rb' r="([A-Z]{2})[0-9]')
_LATE_LETTER = re.compile(rb' r="([N-Z])[0-9]')
_ROW_REF = re.compile(rb'<row (?:[^>]*? )?r="([0-9]+)"')
_ATTRIBUTE = re.compile(rb' (t|si)="([^"]*)"')


def _deep(depth: int) -> re.Pattern:
    # `depth` start tags one inside another (text between them allowed, no end tag, no
    # empty element): what a legitimate spreadsheet part never has (Excel nests ~8 deep).
    start = rb"<[A-Za-z_][^<>]*+(?<!/)>[^<]*+"
    return re.compile(start + rb"(?:%s){%d}" % (start, depth - 1))  # a literal "<" first: fast


@dataclass
class XlsxFacts:
    """What the inspection learnt: the first worksheet's name and its formulas."""

    sheet_name: str
    formulas: dict[tuple[int, int], str]  # (row number, column number) → "=…"


class _Budget:
    """Decompressed bytes counted as they come, against the whole-zip and per-member limits."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.total = 0

    def chunks(
        self, archive: zipfile.ZipFile, info: zipfile.ZipInfo, member_limit: int | None = None, refusal: str = ""
    ):
        limit = min(self.limits.max_member_bytes, member_limit or self.limits.max_member_bytes)
        seen = 0
        with archive.open(info) as source:
            while chunk := source.read(CHUNK):
                seen += len(chunk)
                self.total += len(chunk)
                if self.total > self.limits.max_unpacked_bytes:
                    raise ImportFileError(
                        _("文件解压后过大（超过 %(limit)s MB），请检查文件或拆分后再上传")
                        % {"limit": _mb(self.limits.max_unpacked_bytes)}
                    )
                if seen > limit:
                    if refusal:
                        raise ImportFileError(refusal)
                    raise ImportFileError(
                        _("文件解压后过大（“%(part)s”超过 %(limit)s MB），请检查文件或拆分后再上传")
                        % {"part": info.filename[:80], "limit": _mb(limit)}
                    )
                yield chunk


def _xml_pieces(chunks, limits: Limits) -> Iterator[bytes]:
    """The decompressed text cut after a ">" (so no tag is split between two pieces), each
    checked for declarations and deep nesting."""
    deep = _deep(limits.max_xml_depth)
    carry = b""
    for chunk in chunks:
        buffer = carry + chunk
        cut = buffer.rfind(b">") + 1
        if cut == 0 and len(buffer) < 4 * CHUNK:
            carry = buffer
            continue
        piece, carry = (buffer[:cut], buffer[cut:]) if cut else (buffer, b"")
        _check_xml(piece, deep)
        yield piece
    if carry:
        _check_xml(carry, deep)
        yield carry


def _check_xml(piece: bytes, deep: re.Pattern) -> None:
    if b"<!" in piece and _DECLARATION.search(piece):
        raise ImportFileError(_("文件含有不允许的 XML 声明（DOCTYPE/ENTITY），请用 Excel 另存为 .xlsx 后再上传"))
    if deep.search(piece):
        raise ImportFileError(_("文件的 XML 结构嵌套过深，无法读取"))


def _read_small(archive: zipfile.ZipFile, name: str, budget: _Budget, limits: Limits) -> bytes | None:
    """A small XML part (workbook, relationships), checked; None when it is missing."""
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    return b"".join(_xml_pieces(budget.chunks(archive, info, member_limit=4 * CHUNK), limits))


def _xml_tree(data: bytes | None):
    """Parse a part already checked to carry no DOCTYPE (so no entity can be declared)."""
    from xml.etree import ElementTree

    if data is None:
        raise not_xlsx()
    try:
        return ElementTree.fromstring(data)
    except ElementTree.ParseError:
        raise not_xlsx() from None


def _rels_name(part: str) -> str:
    import posixpath

    folder, base = posixpath.split(part)
    return posixpath.join(folder, "_rels", base + ".rels")


def _rels(data: bytes | None, part: str) -> dict[str, tuple[str, str]]:
    import posixpath

    folder = posixpath.dirname(part)
    result = {}
    for rel in _xml_tree(data).iter(f"{{{PKG_REL_NS}}}Relationship"):
        target = rel.get("Target", "")
        if rel.get("TargetMode") == "External":
            continue
        name = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        result[rel.get("Id", "")] = (rel.get("Type", ""), name)
    return result


def _parts(archive: zipfile.ZipFile, budget: _Budget, limits: Limits) -> tuple[str, str, str | None]:
    """(the first worksheet's name, its part, the shared-string part) from the workbook."""
    package = _rels(_read_small(archive, "_rels/.rels", budget, limits), "")
    workbook_part = next((name for kind, name in package.values() if kind == OFFICE_DOCUMENT_REL), None)
    if workbook_part is None:
        raise not_xlsx()
    workbook = _xml_tree(_read_small(archive, workbook_part, budget, limits))
    rels = _rels(_read_small(archive, _rels_name(workbook_part), budget, limits), workbook_part)
    strings = next((name for kind, name in rels.values() if kind == SHARED_STRINGS_REL), None)
    for sheet in workbook.iter(f"{{{MAIN_NS}}}sheet"):
        kind, name = rels.get(sheet.get(f"{{{REL_NS}}}id", ""), ("", ""))
        if kind == WORKSHEET_REL:  # chart sheets are skipped, as openpyxl's worksheets[0]
            if name not in archive.NameToInfo:
                raise not_xlsx()
            return sheet.get("name", ""), name, strings
    raise not_xlsx()


@functools.cache
def _cell_rows(digits: int) -> re.Pattern:
    """The row numbers of cell references with at least `digits` digits."""
    return re.compile(rb' r="[A-Z]{1,3}([0-9]{%d,})"' % max(1, digits))


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


class _SheetScan:
    """Counts rows and cells of the worksheet's XML pieces, checks cell references and
    collects formulas, without building anything per cell."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.rows = 0
        self.cells = 0
        self.row_cells = 0  # cells in the row still open
        self.max_row = 0  # the largest row number a reference names
        self.max_column = 0  # the largest column number a reference names
        self.widest = 0  # the most cells in one row
        self.formulas: dict[tuple[int, int], str] = {}
        self.shared: dict[bytes, tuple[str, str]] = {}  # si → (formula, its cell)
        self.tail = b""

    def feed(self, piece: bytes) -> None:
        limits = self.limits
        piece = piece.translate(_WHITESPACE)
        # One part per row (the first continues the row still open); counted by map(), so
        # no Python code runs per row or per cell.
        parts = piece.split(b"<row")
        cells = list(map(add, map(bytes.count, parts, repeat(b"<c ")), map(bytes.count, parts, repeat(b"<c>"))))
        new_rows = len(parts) - 1 - piece.count(b"<rowBreaks")
        first = self.row_cells + cells[0]
        widest = max(first, max(cells[1:], default=0))
        if widest > limits.max_columns:
            over = (
                0
                if first > limits.max_columns
                else next(i for i, n in enumerate(cells) if i and n > limits.max_columns)
            )
            raise _too_many_columns(self.rows + over or None, limits)
        self.rows += new_rows
        if self.rows > limits.max_rows + 1:  # the header row does not count
            raise _too_many_rows(limits)
        self.row_cells = cells[-1] if len(parts) > 1 else first
        self.widest = max(self.widest, widest)
        self.cells += sum(cells)
        if self.cells > limits.max_cells:
            raise ImportFileError(
                _("文件的单元格超过 %(limit)s 个，请拆分后再上传") % {"limit": f"{limits.max_cells:,}"}
            )
        if _THREE_LETTERS.search(piece) and limits.max_columns < 26 * 27:
            raise _too_many_columns(None, limits)
        for letters in _TWO_LETTERS.findall(piece):
            self.max_column = max(self.max_column, _column_number(letters))
        late = _LATE_LETTER.findall(piece)  # columns N to Z (A to M add at most 13 to the grid)
        if late:
            self.max_column = max(self.max_column, max(late)[0] - 64)
        if self.max_column > limits.max_columns:
            raise _too_many_columns(None, limits)
        # The row numbers rows name, and those cells name when they have more digits than the
        # rows of this piece (or as many, at the limit's length): no object per ordinary cell.
        numbers = _ROW_REF.findall(piece)
        longest = max(map(len, numbers), default=0)
        limit_digits = len(str(limits.max_rows + 1))
        digits = longest if longest >= limit_digits else longest + 1
        numbers += _cell_rows(digits).findall(piece)
        if numbers:
            longest = max(map(len, numbers))
            if longest > limit_digits:
                raise _too_many_rows(limits)
            top = max(number for number in numbers if len(number) == longest)
            self.max_row = max(self.max_row, int(top))
            if self.max_row > limits.max_rows + 1:
                raise _too_many_rows(limits)
        if b"<f" in piece:
            self._formulas(self.tail + piece, len(self.tail))
        self.tail = piece[-4096:]

    def finish(self) -> None:
        """A reader builds the sheet as a grid from its first to its last cell: two cells far
        apart are a grid of millions of empty ones."""
        rows = max(self.rows, self.max_row)
        columns = max(self.widest, self.max_column)
        if rows * columns > self.limits.max_cells:
            raise ImportFileError(
                _("文件的单元格范围过大（%(rows)s 行 × %(columns)s 列），请删除空行空列或拆分后再上传")
                % {"rows": rows, "columns": columns}
            )

    def _formulas(self, text: bytes, start: int) -> None:
        for match in _FORMULA.finditer(text, start):
            opened = list(_CELL_OPEN.finditer(text, max(0, match.start() - 4096), match.start()))
            ref = _REF.search(opened[-1].group(0)) if opened else None
            if ref is None or not ref.group(1) or not ref.group(2):
                continue  # a cell without its reference keeps its cached value
            letters, digits = ref.group(1).decode(), ref.group(2).decode()
            tag_end = text.find(b">", match.start())
            tag = text[match.start() : tag_end + 1]
            attributes = dict(_ATTRIBUTE.findall(tag))
            body = ""
            if not tag.endswith(b"/>"):
                close = text.find(b"</f>", tag_end)
                body = text[tag_end + 1 : close].decode("utf-8", "replace") if close > 0 else ""
            formula = "=" + _unescape(body)
            if attributes.get(b"t") == b"shared" and b"si" in attributes:
                index = attributes[b"si"]
                if body:
                    self.shared[index] = (formula, letters + digits)
                elif index in self.shared:
                    formula = _translate(*self.shared[index], letters + digits)
            self.formulas[(int(digits), _column_number(letters.encode()))] = formula


def _unescape(text: str) -> str:
    import html

    return html.unescape(text) if "&" in text else text


def _translate(formula: str, origin: str, destination: str) -> str:
    from openpyxl.formula.translate import Translator

    try:
        return Translator(formula, origin).translate_formula(destination)
    except Exception:  # a formula the translator cannot follow is still a formula
        return formula


def xlsx_inspect(data: bytes, limits: ReadLimits | Limits | None = None) -> XlsxFacts:
    """Measure an .xlsx as it decompresses (see the module's docstring); ImportFileError when
    it is over a limit or not a workbook."""
    limits = _resolved(limits)
    if not data.startswith(b"PK\x03\x04"):
        raise not_xlsx()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise not_xlsx() from None
    try:
        with archive:
            infos = archive.infolist()
            if len(infos) > limits.max_members:
                raise ImportFileError(_("文件包含的部件过多（超过 %(limit)s 个）") % {"limit": limits.max_members})
            budget = _Budget(limits)
            sheet_name, sheet_part, strings_part = _parts(archive, budget, limits)
            facts = XlsxFacts(sheet_name=sheet_name, formulas={})
            for info in infos:
                name = info.filename
                xml = name.endswith((".xml", ".rels", ".vml")) or name == sheet_part
                if name == sheet_part:
                    scan = _SheetScan(limits)
                    for piece in _xml_pieces(budget.chunks(archive, info), limits):
                        scan.feed(piece)
                    scan.finish()
                    facts.formulas = scan.formulas
                elif name == strings_part:
                    entries = 0
                    chunks = budget.chunks(
                        archive,
                        info,
                        member_limit=limits.max_shared_strings_bytes,
                        refusal=_("文件中的文字条目过多，请拆分后再上传"),
                    )
                    for piece in _xml_pieces(chunks, limits):
                        entries += piece.count(b"<si>") + piece.count(b"<si ")
                        if entries > limits.max_shared_strings:
                            raise ImportFileError(_("文件中的文字条目过多，请拆分后再上传"))
                elif xml:
                    for _piece in _xml_pieces(budget.chunks(archive, info), limits):
                        pass
                else:
                    for _chunk in budget.chunks(archive, info):
                        pass
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError):
        # a CRC that does not match (declared sizes that lie), an encrypted or odd member
        raise not_xlsx() from None
    return facts


def _resolved(limits: ReadLimits | Limits | None) -> Limits:
    if isinstance(limits, Limits):
        return limits
    return (limits or ReadLimits()).resolved()


def xlsx_rows(data: bytes, limits: ReadLimits | Limits | None = None) -> Iterator[tuple[int, list]]:
    """The first worksheet's rows, numbered as in Excel, as python-calamine reads them (numbers,
    dates, booleans, text; empty cells ""), formula cells as "=…" text; measured first."""
    limits = _resolved(limits)
    facts = xlsx_inspect(data, limits)
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = book.get_sheet_by_name(facts.sheet_name)
        start = sheet.start
        rows = sheet.iter_rows()
    except (CalamineError, ValueError, OSError, IndexError, KeyError):
        raise not_xlsx() from None
    if start is None:
        return
    first_row, first_column = start
    formulas: dict[int, list[tuple[int, str]]] = {}
    for (row, column), formula in facts.formulas.items():
        formulas.setdefault(row, []).append((column, formula))
    pad = [""] * first_column
    for index, cells in enumerate(rows):
        number = first_row + index + 1
        if first_column:
            cells = pad + cells
        for column, formula in formulas.get(number, ()):
            if column > len(cells):
                cells.extend([""] * (column - len(cells)))
            cells[column - 1] = formula
        yield number, cells


# --- .csv ----------------------------------------------------------------------------


def _encoding(data: bytes) -> str:
    """UTF-8 (with or without BOM) when the file decodes as such, else GB18030."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for start in range(0, len(data), CHUNK):
            decoder.decode(data[start : start + CHUNK])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return "gb18030"
    return "utf-8-sig"


def csv_rows(data: bytes, limits: ReadLimits | Limits | None = None) -> Iterator[tuple[int, list]]:
    """A CSV's rows, numbered from 1 (comma or, when the first line has tabs and no comma, tab
    separated); a field longer than the standard library's field limit is refused."""
    limits = _resolved(limits)
    if data.startswith(b"PK\x03\x04") or b"\x00" in data[:4096]:
        raise ImportFileError(_("文件不是有效的 CSV 文本文件"))
    text = io.TextIOWrapper(io.BytesIO(data), encoding=_encoding(data), errors="strict", newline="")
    number = 0
    try:
        first_line = text.readline(64 * 1024)
        text.seek(0)
        delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
        for number, row in enumerate(csv.reader(text, delimiter=delimiter), start=1):
            yield number, row
    except UnicodeDecodeError:
        raise ImportFileError(_("无法识别文件编码：请另存为 UTF-8 或 GB18030 编码的 CSV")) from None
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            raise ImportFileError(
                _("第 %(row)s 行有单元格超过 %(limit)s 个字符")
                % {"row": number + 1, "limit": min(limits.max_cell_chars, csv.field_size_limit())}
            ) from None
        raise ImportFileError(_("文件不是有效的 CSV 文本文件")) from None


# --- one reader for every import --------------------------------------------------------


def extension_of(filename: str) -> str:
    return os.path.splitext(filename or "")[1].lower().lstrip(".")


def size_check(*, size: int, limits: ReadLimits | Limits) -> None:
    limits = _resolved(limits)
    if size == 0:
        raise ImportFileError(_("文件是空的"))
    if size > limits.max_bytes:
        raise ImportFileError(
            _("文件过大（%(size).1f MB），上限为 %(limit).0f MB")
            % {"size": size / 1048576, "limit": limits.max_bytes / 1048576}
        )


def sheet_rows(*, data: bytes, ext: str, limits: ReadLimits | Limits | None = None) -> Iterator[tuple[int, list]]:
    """Every row of the file (the first worksheet of an .xlsx), numbered as the user sees
    them, raw values, within the limits: rows, cells per row (trailing empty cells are not
    counted) and the length of each cell."""
    limits = _resolved(limits)
    size_check(size=len(data), limits=limits)
    if ext == "xlsx":
        rows = xlsx_rows(data, limits)
    elif ext == "csv":
        rows = csv_rows(data, limits)
    else:
        raise ImportFileError(_("不支持的文件类型“%(ext)s”：请上传 .xlsx 或 .csv 文件") % {"ext": ext or _("无扩展名")})
    seen = 0
    for number, cells in rows:
        seen += 1
        if seen > limits.max_rows + 1:  # the header row does not count
            raise _too_many_rows(limits)
        width = len(cells)
        while width and (cells[width - 1] is None or cells[width - 1] == ""):
            width -= 1
        if width > limits.max_columns:
            raise _too_many_columns(number, limits)
        for cell in cells:
            if type(cell) is str and len(cell) > limits.max_cell_chars:
                raise ImportFileError(
                    _("第 %(row)s 行有单元格超过 %(limit)s 个字符") % {"row": number, "limit": limits.max_cell_chars}
                )
        yield number, cells


def table_read(*, data: bytes, filename: str, limits: ReadLimits | None = None) -> list[list[str]]:
    """The first sheet's rows as text (or the CSV's), within `limits`, from row 1 (rows
    before the first one with data are empty lists); ImportFileError with a translated
    reason otherwise."""
    resolved = _resolved(limits)
    ext = extension_of(filename)
    if ext not in resolved.extensions:
        raise ImportFileError(_("请上传 .xlsx 或 .csv 文件"))
    table: list[list[str]] = []
    for number, cells in sheet_rows(data=data, ext=ext, limits=resolved):
        while len(table) < number - 1:
            table.append([])
        row = [cell_text(value) for value in cells]
        while row and not row[-1]:
            row.pop()
        table.append(row)
    return table


@dataclass
class Table:
    """A read file with its header: find a column by any of its accepted spellings."""

    header: list[str]
    rows: list[tuple[int, list[str]]]  # (spreadsheet row number, cells)

    @classmethod
    def of(cls, table: list[list[str]]) -> Table:
        numbered = [(number, row) for number, row in enumerate(table, start=1) if any(row)]
        if not numbered:
            raise ImportFileError(_("文件是空的"))
        header = [_normalise(h) for h in numbered[0][1]]
        return cls(header=header, rows=numbered[1:])

    def columns(self, spellings: dict[str, tuple[str, ...]], required: tuple[str, ...] = ()) -> dict[str, int]:
        """key → column index for every key whose header is present; ImportFileError naming
        the required columns that are missing."""
        found = {}
        for key, names in spellings.items():
            for name in names:
                if _normalise(name) in self.header:
                    found[key] = self.header.index(_normalise(name))
                    break
        missing = [spellings[key][0] for key in required if key not in found]
        if missing:
            raise ImportFileError(_("缺少列：%(columns)s") % {"columns": "、".join(missing)})
        return found


def _normalise(value: str) -> str:
    text = str(value or "").strip().replace("*", "").replace("＊", "")
    return "".join(text.split()).replace("（", "(").replace("）", ")")


__all__ = [
    "DEFAULT_LIMITS",
    "Limits",
    "ReadLimits",
    "Table",
    "XlsxFacts",
    "cell_text",
    "csv_rows",
    "extension_of",
    "not_xlsx",
    "sheet_rows",
    "size_check",
    "table_read",
    "xlsx_inspect",
    "xlsx_rows",
]
