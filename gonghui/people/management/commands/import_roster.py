"""Import HR's staff roster from the command line: the same checks and writes as the page.

    python manage.py import_roster 名册.xlsx [--dry-run] [--create-units] [--unit-map FILE]
                                   [--errors-to FILE] [--format json]

Unknown 所在单位 are created as sub-unions (`--create-units`, the kind guessed from the name:
离退休 → retirees, 学院/系 → college, 机关/处/部 → office) or mapped by a file
(`--unit-map`, columns 所在单位, 分工会, 类型, 上级; an empty 分工会 creates the unit). The text
output ends with a summary per unit and per reason and lists at most 50 rows of each kind;
`--errors-to FILE` writes every invalid row.

Exit status: 0 when every row was valid, 1 when some rows were invalid (they are listed;
without --dry-run the valid rows are still written), 2 when a file cannot be read.
The actor is the system actor (系统 in every history).
"""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from gonghui.accounts.system import system_actor
from gonghui.core.excel import csv_writer
from gonghui.core.exceptions import ApplicationError, ImportFileError
from gonghui.people.roster.services import roster_import_file, roster_summary
from gonghui.people.roster.units import unit_map_read

LISTED_ROWS = 50


class Command(BaseCommand):
    help = _("导入人事名册（.xlsx 或 .csv），按工号新增或更新人员")

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help=_("只检查并报告，不写入"))
        parser.add_argument(
            "--create-units", action="store_true", help=_("把未知的所在单位新建为分工会（类型按名称推断）")
        )
        parser.add_argument("--unit-map", help=_("单位对应表（.xlsx 或 .csv：所在单位、分工会、类型、上级）"))
        parser.add_argument("--errors-to", help=_("把全部无效行写入此 CSV 文件"))
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def _fail(self, message: str, format: str, extra: dict | None = None):
        if format == "json":
            self.stdout.write(json.dumps({"error": message, **(extra or {})}, ensure_ascii=False))
        raise CommandError(message, returncode=2)

    def handle(self, *args, file, dry_run, create_units, unit_map, errors_to, format, **options):
        targets = {}
        try:
            if unit_map:
                with open(unit_map, "rb") as stream:
                    targets = unit_map_read(stream.read(), unit_map)
            c, result = roster_import_file(
                path=file, actor=system_actor(), dry_run=dry_run, unit_map=targets, create_units=create_units
            )
        except FileNotFoundError as error:
            raise CommandError(_("找不到文件：%(file)s") % {"file": error.filename}, returncode=2) from None
        except ImportFileError as error:
            self._fail(str(error.message), format, error.extra)
        except ApplicationError as error:
            self._fail(str(error.message), format)
        summary = roster_summary(c, limit=None)
        report = {
            "dry_run": dry_run,
            "total_rows": summary["total_rows"],
            **summary["counts"],
            "invalid_rows": [
                {"row": r["row"], "staff_no": r["staff_no"], "reason": r["reason"]} for r in summary["invalid_rows"]
            ],
            "changed_rows": summary["changed_rows"],
            "unknown_units": summary["unknown_units"],
            "units": [
                {
                    "unit": p.unit,
                    "action": p.action,
                    "rows": p.rows,
                    "sub_union": p.sub_union_name,
                    "kind": p.kind,
                    "kind_label": p.kind_label,
                    "parent": p.parent_name,
                }
                for p in c.unit_plan
            ],
            "by_unit": dict(summary["by_unit"]),
            "by_reason": dict(summary["by_reason"]),
            "new_categories": summary["new_categories"],
        }
        if result is not None:
            report["transferred"] = result["transferred"]
            report["memberships_ended"] = result["memberships_ended"]
        if errors_to:
            self._errors_write(errors_to, c)
        if format == "json":
            self.stdout.write(json.dumps(report, ensure_ascii=False))
        else:
            self._text_write(report, summary, dry_run=dry_run, errors_to=errors_to)
        if report["invalid"]:
            raise CommandError(_("有 %(n)d 行无效") % {"n": report["invalid"]}, returncode=1)

    def _errors_write(self, path: str, c) -> None:
        with open(path, "w", newline="", encoding="utf-8-sig") as out:
            writer = csv_writer(out)
            writer.writerow([_("行号"), _("工号"), _("所在单位"), _("原因")])
            for row in c.invalid:
                writer.writerow([row.row, row.staff_no, row.unit, row.reason])

    def _text_write(self, report: dict, summary: dict, *, dry_run: bool, errors_to: str | None) -> None:
        write = self.stdout.write
        counts = summary["counts"]
        write(
            _("共 %(total)d 行：新增 %(new)d，变更 %(changed)d，未变 %(unchanged)d，无效 %(invalid)d")
            % {"total": summary["total_rows"], **counts}
        )
        for unit in report["units"]:
            if unit["action"] == "create":
                line = (
                    _("将新建分工会“%(unit)s”（%(kind)s）") if dry_run else _("已新建分工会“%(unit)s”（%(kind)s）")
                ) % {
                    "unit": unit["unit"],
                    "kind": unit["kind_label"],
                }
                if unit["parent"]:
                    line += _("，上级：%(parent)s") % {"parent": unit["parent"]}
            elif unit["action"] == "alias":
                line = (
                    _("所在单位“%(unit)s”将对应到分工会“%(sub_union)s”")
                    if dry_run
                    else _("所在单位“%(unit)s”已对应到分工会“%(sub_union)s”")
                ) % unit
            else:
                line = _("未对应的所在单位“%(unit)s”（%(rows)d 行无效；用 --create-units 或 --unit-map 处理）") % unit
            write(line)
        self._listed(
            [
                _("第 %(row)d 行（工号 %(staff_no)s）：%(changes)s")
                % {
                    "row": r["row"],
                    "staff_no": r["staff_no"],
                    "changes": "；".join(
                        f"{label} {before or '—'} → {after or '—'}" for label, before, after in r["changes"]
                    ),
                }
                for r in report["changed_rows"]
            ],
            _("变更"),
        )
        self._listed(
            [
                _("第 %(row)d 行（工号 %(staff_no)s）：%(reason)s")
                % {"row": row["row"], "staff_no": row["staff_no"] or "—", "reason": row["reason"]}
                for row in report["invalid_rows"]
            ],
            _("无效"),
            hint="" if errors_to else _("（用 --errors-to FILE 写出全部）"),
        )
        write(_("按单位：") + _("新增 / 变更 / 未变 / 无效"))
        for unit, outcomes in report["by_unit"].items():
            write(
                f"  {unit}：{outcomes.get('new', 0)} / {outcomes.get('changed', 0)} / "
                f"{outcomes.get('unchanged', 0)} / {outcomes.get('invalid', 0)}"
            )
        if report["by_reason"]:
            write(_("按原因："))
            for reason, n in report["by_reason"].items():
                write(_("  %(reason)s：%(n)d 行") % {"reason": reason, "n": n})
        write(_("仅检查，未写入。") if dry_run else _("已写入有效行。"))

    def _listed(self, lines: list[str], kind: str, *, hint: str = "") -> None:
        for line in lines[:LISTED_ROWS]:
            self.stdout.write(line)
        if len(lines) > LISTED_ROWS:
            more = _("……另有 %(n)d 行%(kind)s未列出") % {"n": len(lines) - LISTED_ROWS, "kind": kind}
            self.stdout.write(more + hint)
