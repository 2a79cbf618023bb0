"""Print a drive's figures (the report page's numbers): `manage.py drive_report --drive ID --format json`."""

import json

from django.core.management.base import BaseCommand, CommandError

from gonghui.drives.models import Drive
from gonghui.drives.selectors.figures import drive_figures


class Command(BaseCommand):
    help = "Print a drive's live counts and final figures."

    def add_arguments(self, parser):
        parser.add_argument("--drive", type=int, required=True, help="drive id")
        parser.add_argument("--format", choices=["json", "text"], default="json")

    def handle(self, *args, drive: int, format: str, **options):
        item = Drive.objects.filter(pk=drive).first()
        if item is None:
            raise CommandError(f"no drive with id {drive}")
        figures = drive_figures(item)
        if format == "json":
            self.stdout.write(json.dumps(figures, ensure_ascii=False, indent=2))
            return
        r, e = figures["registered"], figures["enrolled"]
        self.stdout.write(
            f"{item.name}: registered {r['total']} (active {r['active']}, retired {r['retired']}, "
            f"relatives {r['relatives']}); enrolled {e['total']} (active {e['active']}, "
            f"retired {e['retired']}, relatives {e['relatives']}); premium {figures['premium']}"
        )
