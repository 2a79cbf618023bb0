"""Import HR's / the teacher development centre's list of teacher profiles from the command
line, through the same import kind as the page (services.profiles.TeacherProfileImport).

    python manage.py import_teacher_profiles 教师档案.xlsx [--dry-run] [--format json]

Exit status: 0 when every row was valid, 1 when some rows were invalid (they are listed;
without --dry-run the valid rows are still written), 2 when the file cannot be read.
The actor is the system actor (系统 in every history).
"""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from gonghui.accounts.system import system_actor
from gonghui.core.exceptions import ApplicationError
from gonghui.mentorship.services.profiles import profiles_import_file

LISTED_ROWS = 50


class Command(BaseCommand):
    help = _("导入教师档案（.xlsx 或 .csv）：按工号新增或更新职称、学科、研究方向、校区、入职与教学起始日期")

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help=_("只检查并报告，不写入"))
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, file, dry_run, format, **options):
        try:
            summary, result = profiles_import_file(path=file, actor=system_actor(), dry_run=dry_run)
        except FileNotFoundError as error:
            raise CommandError(_("找不到文件：%(file)s") % {"file": error.filename}, returncode=2) from None
        except ApplicationError as error:
            if format == "json":
                self.stdout.write(json.dumps({"error": str(error.message)}, ensure_ascii=False))
            raise CommandError(str(error.message), returncode=2) from None
        counts = summary["counts"]
        if format == "json":
            report = {
                "dry_run": dry_run,
                "total_rows": summary["total_rows"],
                **counts,
                "invalid_rows": summary["invalid"],
                "written": {key: value for key, value in (result or {}).items() if key != "labels"},
            }
            self.stdout.write(json.dumps(report, ensure_ascii=False))
        else:
            self.stdout.write(
                _("共 %(total)d 行：新增 %(new)d，变更 %(changed)d，未变 %(unchanged)d，无效 %(invalid)d")
                % {"total": summary["total_rows"], **counts}
            )
            for row in summary["invalid"][:LISTED_ROWS]:
                self.stdout.write(
                    _("第 %(row)d 行（工号 %(staff_no)s）：%(reason)s")
                    % {"row": row["row"], "staff_no": row["staff_no"] or "—", "reason": row["reason"]}
                )
            if counts["invalid"] > LISTED_ROWS:
                self.stdout.write(_("……另有 %(n)d 行无效未列出") % {"n": counts["invalid"] - LISTED_ROWS})
            self.stdout.write(_("仅检查，未写入。") if dry_run else _("已写入有效行。"))
        if counts["invalid"]:
            raise CommandError(_("有 %(n)d 行无效") % {"n": counts["invalid"]}, returncode=1)
