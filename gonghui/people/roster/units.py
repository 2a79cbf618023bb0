"""Units named in HR's roster (所在单位) that no sub-union matches yet: what kind of
sub-union a new one most likely is, from its name, offered for the office to confirm."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from gonghui.core.exceptions import ImportFileError
from gonghui.core.tabular import ReadLimits, Table, cell_text, table_read
from gonghui.people.choices import SubUnionKind

# Checked in order: 离退休工作处 is the retirees' sub-union although it is also a 处.
_KIND_MARKERS: tuple[tuple[SubUnionKind, tuple[str, ...]], ...] = (
    (SubUnionKind.RETIREES, ("离退休", "离休", "退休")),
    (SubUnionKind.COLLEGE, ("学院", "学部", "研究院", "书院", "系")),
    (SubUnionKind.OFFICE, ("机关", "处", "部", "办公室", "办", "委员会", "中心", "馆", "室")),
)


def sub_union_kind_guess(unit_name: str) -> SubUnionKind:
    """The likely kind of a sub-union for `unit_name`; a college when nothing says otherwise."""
    for kind, markers in _KIND_MARKERS:
        if any(marker in unit_name for marker in markers):
            return kind
    return SubUnionKind.COLLEGE


# --- the command's unit map (--unit-map FILE): 所在单位 → sub-union, kind, parent ---------

UNIT_MAP_COLUMNS: dict[str, tuple[str, ...]] = {
    "unit": ("所在单位", "单位"),
    "sub_union": ("分工会", "对应分工会"),
    "kind": ("类型", "分工会类型"),
    "parent": ("上级", "上级分工会"),
}
UNIT_MAP_LIMITS = ReadLimits(max_bytes=1024 * 1024, max_rows=5_000, max_columns=16, max_cell_chars=200)


@dataclass(frozen=True)
class UnitTarget:
    """Where a roster unit goes: an existing sub-union (its name, code or alias), or, when
    `sub_union` is empty, a new sub-union named as the unit, of `kind` (guessed when empty)
    under `parent`."""

    sub_union: str = ""
    kind: str = ""
    parent: str = ""


def _kind_value(text: str) -> str:
    if not text:
        return ""
    for value, label in SubUnionKind.choices:
        if text in (value, str(label), str(label).removesuffix("分工会")):
            return value
    return "?"


def unit_map_read(data: bytes, filename: str) -> dict[str, UnitTarget]:
    """The unit map file's rows; ImportFileError naming the row of an unknown kind or a unit
    given twice."""
    table = Table.of(table_read(data=data, filename=filename, limits=UNIT_MAP_LIMITS))
    columns = table.columns(UNIT_MAP_COLUMNS, required=("unit",))
    targets: dict[str, UnitTarget] = {}

    def cell(cells: list[str], key: str) -> str:
        index = columns.get(key)
        return cell_text(cells[index]) if index is not None and index < len(cells) else ""

    for number, cells in table.rows:
        unit = cell(cells, "unit")
        if not unit:
            continue
        kind = _kind_value(cell(cells, "kind"))
        if kind == "?":
            kinds = "、".join(str(label) for label in SubUnionKind.labels)
            raise ImportFileError(
                _("单位对应表第 %(row)d 行：类型“%(kind)s”无法识别（%(kinds)s）")
                % {"row": number, "kind": cell(cells, "kind"), "kinds": kinds}
            )
        if unit in targets:
            raise ImportFileError(_("单位对应表第 %(row)d 行：单位“%(unit)s”重复") % {"row": number, "unit": unit})
        targets[unit] = UnitTarget(sub_union=cell(cells, "sub_union"), kind=kind, parent=cell(cells, "parent"))
    return targets
