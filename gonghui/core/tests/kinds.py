"""An import kind for core's own tests: a file of 工号 and 姓名."""

from gonghui.core.history import AuditAction
from gonghui.core.imports import ImportKind, import_kind_register, preview_bytes
from gonghui.core.models import AuditEvent
from gonghui.core.tabular import ReadLimits, Table, table_read


@import_kind_register
class NamesImport(ImportKind):
    """A test kind: a file of 工号 and 姓名; applying it writes one audit row per name."""

    name = "core_tests.names"
    title = "名单"
    permission = "people.import_roster"
    limits = ReadLimits(max_bytes=50_000, max_rows=5, max_columns=3, max_cell_chars=20)

    def classify(self, preview):
        table = Table.of(table_read(data=preview_bytes(preview), filename=preview.original_name, limits=self.limits))
        columns = table.columns({"staff_no": ("工号",), "name": ("姓名",)}, required=("staff_no", "name"))
        valid = [row[columns["name"]] for _number, row in table.rows if row[columns["staff_no"]]]
        invalid = [number for number, row in table.rows if not row[columns["staff_no"]]]
        return {"valid": valid, "invalid": invalid, "counts": {"valid": len(valid), "invalid": len(invalid)}}

    def confirmable(self, preview):
        return "" if preview.summary["valid"] else "没有可以导入的有效行"

    def apply(self, preview, *, actor, progress):
        for name in preview.summary["valid"]:
            AuditEvent.objects.create(action=AuditAction.IMPORTED, object_type="test", object_id=name, actor=actor)
        return {"imported": len(preview.summary["valid"])}


@import_kind_register
class SheetImport(ImportKind):
    """A test kind at core's default limits (settings.IMPORT_LIMITS): counts the rows."""

    name = "core_tests.sheet"
    title = "表格"
    permission = "people.import_roster"

    def classify(self, preview):
        table = table_read(data=preview_bytes(preview), filename=preview.original_name, limits=self.limits)
        return {"rows": len(table)}

    def apply(self, preview, *, actor, progress):
        AuditEvent.objects.create(action=AuditAction.IMPORTED, object_type="test", object_id="sheet", actor=actor)
        return {"rows": preview.summary["rows"]}
