"""A drive's figures (the report page's numbers):
`manage.py drive_report --drive ID [--format json|text|xlsx] [--output FILE]`."""

from django.core.management.base import CommandError

from gonghui.core.reports import Report, ReportCommand
from gonghui.drives.models import Drive
from gonghui.drives.selectors.figures import drive_report


class Command(ReportCommand):
    help = "Print a drive's live counts and final figures."

    def add_report_arguments(self, parser) -> None:
        parser.add_argument("--drive", type=int, required=True, help="drive id")

    def build_report(self, *, actor, drive: int, **options) -> Report:
        item = Drive.objects.restrict(actor, "view").select_related("rules").filter(pk=drive).first()
        if item is None:
            raise CommandError(f"no drive with id {drive}")
        return drive_report(item)
