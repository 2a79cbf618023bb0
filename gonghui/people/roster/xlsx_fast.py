"""A streaming reader for the plain .xlsx files HR exports: the first worksheet's cell
values, read with lxml straight from the sheet XML and the shared-string table.

It returns the same values as openpyxl's read-only `iter_rows(values_only=True)` with
`data_only=False` (formula cells as "=…" text, shared formulas translated, date-styled
numbers as datetimes, booleans, errors as their "#…" text), several times faster because
no cell objects are built. `open_rows` returns None for anything it does not recognise
(strict OOXML, a chart sheet first, missing parts): the caller then falls back to openpyxl.
"""

import html
import io
import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator

from lxml import etree

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
WORKSHEET_REL = f"{REL_NS}/worksheet"
OFFICE_DOCUMENT_REL = f"{REL_NS}/officeDocument"
SHARED_STRINGS_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"

ROW = f"{{{MAIN_NS}}}row"
CELL = f"{{{MAIN_NS}}}c"
VALUE = f"{{{MAIN_NS}}}v"
FORMULA = f"{{{MAIN_NS}}}f"
INLINE = f"{{{MAIN_NS}}}is"
TEXT = f"{{{MAIN_NS}}}t"
RUN = f"{{{MAIN_NS}}}r"
SI = f"{{{MAIN_NS}}}si"
DIGITS = "0123456789"

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)


class Unsupported(Exception):
    """The workbook is not the plain kind this reader handles; use openpyxl."""


def _xml(archive: zipfile.ZipFile, name: str):
    return etree.fromstring(archive.read(name), _PARSER)


def _rels(archive: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """Relationship id → (type, absolute part name) for a part."""
    folder, base = posixpath.split(part)
    rels_name = posixpath.join(folder, "_rels", base + ".rels")
    result = {}
    for rel in _xml(archive, rels_name).iter(f"{{{PKG_REL_NS}}}Relationship"):
        target = rel.get("Target", "")
        if rel.get("TargetMode") == "External":
            continue
        name = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        result[rel.get("Id")] = (rel.get("Type", ""), name)
    return result


def _text_of(node) -> str:
    """openpyxl's Text.content: the plain <t> and the runs' <t>, without phonetic runs."""
    parts = []
    for child in node:
        if child.tag == TEXT:
            if child.text:
                parts.append(child.text)
        elif child.tag == RUN:
            t = child.find(TEXT)
            if t is not None and t.text:
                parts.append(t.text)
    return "".join(parts)


# Excel's and openpyxl's plain shared strings: <si><t>text</t></si>, nothing else.
_SIMPLE_SI = re.compile(r'<si><t(?: xml:space="preserve")?>([^<]*)</t></si>')


def _simple_shared_strings(data: bytes) -> list[str] | None:
    """The table by one regular expression when every entry is plain text (no rich-text
    runs, no phonetic guides, no prefixes); None otherwise."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    declaration = data[:100].split(b"?>", 1)[0].lower() if data.startswith(b"<?xml") else b""
    if b"encoding" in declaration and b"utf-8" not in declaration or b"\r" in data:
        return None
    text = data.decode("utf-8")
    strings = _SIMPLE_SI.findall(text)
    if len(strings) != text.count("<si"):
        return None
    if "&" in text:
        strings = [html.unescape(s) if "&" in s else s for s in strings]
    if "x005F_" in text:
        strings = [s.replace("x005F_", "") for s in strings]
    return strings


def _shared_strings(archive: zipfile.ZipFile, name: str | None) -> list[str]:
    if name is None:
        return []
    simple = _simple_shared_strings(archive.read(name))
    if simple is not None:
        return simple
    strings = []
    with archive.open(name) as source:
        for _event, node in etree.iterparse(source, events=("end",), tag=SI, resolve_entities=False, huge_tree=True):
            strings.append(_text_of(node).replace("x005F_", ""))
            node.clear()
            while node.getprevious() is not None:
                del node.getparent()[0]
    return strings


def _date_styles(archive: zipfile.ZipFile) -> tuple[set, set]:
    """Style indexes that make a number a date (or a duration), exactly as openpyxl decides."""
    try:
        source = archive.read("xl/styles.xml")
    except KeyError:
        return set(), set()
    from openpyxl.styles.stylesheet import Stylesheet
    from openpyxl.xml.functions import fromstring

    stylesheet = Stylesheet.from_tree(fromstring(source))
    return set(stylesheet.date_formats), set(stylesheet.timedelta_formats)


def _column_index(letters: str, cache: dict = {}) -> int:  # noqa: B006 (a deliberate module cache)
    index = cache.get(letters)
    if index is None:
        index = 0
        for letter in letters:
            index = index * 26 + (ord(letter.upper()) - 64)
        cache[letters] = index
    return index


def open_rows(stream) -> tuple[Iterator[tuple[int, tuple]], object] | None:
    """(numbered rows of the first worksheet, close function), or None to use openpyxl.

    Raises zipfile.BadZipFile for a file that is not a zip archive at all."""
    archive = zipfile.ZipFile(stream)
    try:
        try:
            types = _xml(archive, "[Content_Types].xml")
            workbook_part = None
            for rel_type, name in _rels(archive, "").values():
                if rel_type == OFFICE_DOCUMENT_REL:
                    workbook_part = name
            if workbook_part is None:
                raise Unsupported
            workbook = _xml(archive, workbook_part)
            if workbook.tag != f"{{{MAIN_NS}}}workbook":
                raise Unsupported  # strict OOXML or something else
            rels = _rels(archive, workbook_part)
            sheet_name = None
            for sheet in workbook.iter(f"{{{MAIN_NS}}}sheet"):
                rel_type, name = rels.get(sheet.get(f"{{{REL_NS}}}id"), ("", ""))
                if rel_type == WORKSHEET_REL:  # openpyxl's worksheets[0]: chart sheets are skipped
                    sheet_name = name
                    break
            if sheet_name is None or sheet_name not in archive.NameToInfo:
                raise Unsupported
            properties = workbook.find(f"{{{MAIN_NS}}}workbookPr")
            date1904 = properties is not None and properties.get("date1904", "").lower() in ("1", "true")
            strings_part = None
            for override in types.iter(f"{{{CT_NS}}}Override"):
                if override.get("ContentType") == SHARED_STRINGS_CT:
                    strings_part = override.get("PartName", "").lstrip("/")
            shared = _shared_strings(archive, strings_part)
            date_styles, duration_styles = _date_styles(archive)
        except (Unsupported, KeyError, ValueError, AttributeError, TypeError, etree.LxmlError):
            archive.close()
            return None
    except BaseException:
        archive.close()
        raise
    sheet = _Sheet(archive, sheet_name, shared, date_styles, duration_styles, date1904)

    def close():
        sheet.close()
        archive.close()

    return sheet.rows(), close


# The plain row and cell markup Excel and openpyxl write, matched by regular expressions;
# a row with anything else (formulas, rich text, unusual attributes) is parsed by lxml.
_ROOT = re.compile(r"<worksheet\b([^>]*)>")
_XMLNS = re.compile(r'\sxmlns(?::\w+)?="[^"]*"')
_DEFAULT_NS = re.compile(r'\sxmlns="([^"]*)"')
_ROW = re.compile(r"<row\b([^>]*?)(?:/>|>(.*?)</row>)", re.S)
_ROW_NUMBER = re.compile(r'\sr="([0-9.]+)"')
_CELL = (
    r'<c r="([A-Z]{1,3})[0-9]+"(?: s="([0-9]+)")?(?: t="([a-zA-Z]+)")?'
    r'(?:/>|>(?:<v>([^<]*)</v>|<is><t(?: xml:space="preserve")?>([^<]*)</t></is>)?</c>)'
)
_CELLS = re.compile(_CELL)
_PLAIN_ROW = re.compile(f"(?:{_CELL})*")


class _Sheet:
    def __init__(self, archive, name, shared, date_styles, duration_styles, date1904):
        from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900

        self.archive = archive
        self.name = name
        self.shared = shared
        self.date_styles = date_styles
        self.duration_styles = duration_styles
        self.epoch = CALENDAR_MAC_1904 if date1904 else CALENDAR_WINDOWS_1900
        self.shared_formulas = {}
        self.sources = []
        self.namespaces = ""

    def close(self):
        for source in self.sources:
            source.close()

    def _open(self):
        source = self.archive.open(self.name)
        self.sources.append(source)
        return source

    def rows(self) -> Iterator[tuple[int, tuple]]:
        try:
            text = io.TextIOWrapper(self._open(), encoding="utf-8-sig", errors="strict")
            head = text.read(1 << 16)
            root = _ROOT.search(head)
            declaration = head[:100].split("?>", 1)[0].lower() if head.startswith("<?xml") else ""
            namespace = _DEFAULT_NS.search(root.group(1)) if root is not None else None
            utf8 = "encoding" not in declaration or "utf-8" in declaration
            if utf8 and namespace is not None and namespace.group(1) == MAIN_NS:
                self.namespaces = "".join(_XMLNS.findall(root.group(1)))
                yield from self._regex_rows(text, head)
            else:
                yield from self._lxml_rows(self._open())
        except (etree.LxmlError, zipfile.BadZipFile, zlib.error, IndexError, TypeError, UnicodeDecodeError) as error:
            raise ValueError(str(error)) from error

    def _regex_rows(self, text, buffer: str) -> Iterator[tuple[int, tuple]]:
        number = 0
        finished = False
        while not finished:
            block = text.read(1 << 20)
            if block:
                buffer += block
                cut = buffer.rfind("</row>")
                if cut < 0:
                    continue
                cut += len("</row>")
                ready, buffer = buffer[:cut], buffer[cut:]
            else:
                ready, buffer, finished = buffer, "", True
            for match in _ROW.finditer(ready):
                attributes, body = match.groups()
                found = _ROW_NUMBER.search(attributes)
                number = (
                    (int(float(found.group(1))) if "." in found.group(1) else int(found.group(1)))
                    if found
                    else number + 1
                )
                if not body:
                    yield number, ()
                elif "\r" not in body and _PLAIN_ROW.fullmatch(body):
                    yield number, self._plain_cells(body)
                else:
                    element = etree.fromstring(f"<row{self.namespaces}>{body}</row>", _PARSER)
                    yield number, self._element_cells(element)

    def _plain_cells(self, body: str) -> tuple:
        cells: list = []
        shared = self.shared
        for letters, style, kind, text, inline in _CELLS.findall(body):
            column = _column_index(letters)
            if kind == "s":
                value = shared[int(text)] if text else None
            elif kind == "inlineStr":
                value = html.unescape(inline) if "&" in inline else inline
            else:
                value = self._value(kind or "n", text, style) if text else None
            if column > len(cells):
                cells.extend([None] * (column - len(cells)))
            cells[column - 1] = value
        return tuple(cells)

    def _value(self, kind: str, text: str, style: str):
        """A <v> value that is not a shared string, as openpyxl converts it."""
        from openpyxl.utils.datetime import from_excel, from_ISO8601

        if kind == "n":
            value = float(text) if ("." in text or "E" in text or "e" in text) else int(text)
            if style and int(style) in self.date_styles:
                try:
                    return from_excel(value, self.epoch, timedelta=int(style) in self.duration_styles)
                except (OverflowError, ValueError):
                    return "#VALUE!"
            return value
        if kind == "s":
            return self.shared[int(text)]
        if kind == "b":
            return bool(int(text))
        if kind == "d":
            return from_ISO8601(text)
        text = html.unescape(text) if "&" in text else text
        return text  # "str" (a formula's cached text) and "e" (an error such as #N/A)

    def _lxml_rows(self, source) -> Iterator[tuple[int, tuple]]:
        number = 0
        for _event, row in etree.iterparse(source, events=("end",), tag=ROW, resolve_entities=False, huge_tree=True):
            r = row.get("r")
            number = (int(float(r)) if "." in r else int(r)) if r else number + 1
            cells = self._element_cells(row)
            row.clear()
            while row.getprevious() is not None:
                del row.getparent()[0]
            yield number, cells

    def _element_cells(self, row) -> tuple:
        from openpyxl.formula.translate import Translator

        cells: list = []
        column = 0
        for cell in row:
            if cell.tag != CELL:
                continue
            ref = cell.get("r")
            column = _column_index(ref.rstrip(DIGITS)) if ref else column + 1
            kind = cell.get("t", "n")
            text = formula = inline = None
            for child in cell:
                tag = child.tag
                if tag == VALUE:
                    text = child.text
                elif tag == FORMULA:
                    formula = child
                elif tag == INLINE:
                    inline = child
            if formula is not None:  # data_only=False: the formula, not its cached value
                value = "=" + (formula.text or "")
                if formula.get("t") == "shared":
                    index = formula.get("si")
                    if index in self.shared_formulas:
                        value = self.shared_formulas[index].translate_formula(ref)
                    elif value != "=":
                        self.shared_formulas[index] = Translator(value, ref)
            elif kind == "inlineStr":
                value = _text_of(inline) if inline is not None else None
            elif not text:
                value = None
            elif kind in ("str", "e"):
                value = text  # lxml has already decoded entities
            else:
                value = self._value(kind, text, cell.get("s"))
            if column > len(cells):
                cells.extend([None] * (column - len(cells)))
            cells[column - 1] = value
        return tuple(cells)
