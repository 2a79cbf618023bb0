"""Import HR's staff roster from the command line: the same checks and writes as the page.

    python manage.py import_roster 名册.xlsx [--dry-run] [--format json]

Exit status: 0 when every row was valid, 1 when some rows were invalid (they are listed;
without --dry-run the valid rows are still written), 2 when the file cannot be read.
The actor is the system actor (系统 in every history).
"""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from gonghui.accounts.system import system_actor
from gonghui.core.exceptions import ImportFileError
from gonghui.people.roster.services import roster_import_file, roster_summary


class Command(BaseCommand):
    help = _("导入人事名册（.xlsx 或 .csv），按工号新增或更新人员")

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help=_("只检查并报告，不写入"))
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, file, dry_run, format, **options):
        try:
            c, result = roster_import_file(path=file, actor=system_actor(), dry_run=dry_run)
        except FileNotFoundError:
            raise CommandError(_("找不到文件：%(file)s") % {"file": file}, returncode=2) from None
        except ImportFileError as error:
            if format == "json":
                self.stdout.write(json.dumps({"error": str(error.message), **error.extra}, ensure_ascii=False))
            raise CommandError(str(error.message), returncode=2) from None
        summary = roster_summary(c, limit=None)
        report = {
            "dry_run": dry_run,
            "total_rows": summary["total_rows"],
            **summary["counts"],
            "invalid_rows": [
                {"row": r["row"], "staff_no": r["staff_no"], "reason": r["reason"]} for r in summary["invalid_rows"]
            ],
            "unknown_units": summary["unknown_units"],
            "new_categories": summary["new_categories"],
        }
        if result is not None:
            report["transferred"] = result["transferred"]
            report["memberships_ended"] = result["memberships_ended"]
        if format == "json":
            self.stdout.write(json.dumps(report, ensure_ascii=False))
        else:
            counts = summary["counts"]
            self.stdout.write(
                _("共 %(total)d 行：新增 %(new)d，变更 %(changed)d，未变 %(unchanged)d，无效 %(invalid)d")
                % {"total": summary["total_rows"], **counts}
            )
            for row in report["invalid_rows"]:
                self.stdout.write(
                    _("第 %(row)d 行（工号 %(staff_no)s）：%(reason)s")
                    % {"row": row["row"], "staff_no": row["staff_no"] or "—", "reason": row["reason"]}
                )
            self.stdout.write(_("仅检查，未写入。") if dry_run else _("已写入有效行。"))
        if report["invalid"]:
            raise CommandError(_("有 %(n)d 行无效") % {"n": report["invalid"]}, returncode=1)
