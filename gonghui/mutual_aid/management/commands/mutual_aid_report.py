"""python manage.py mutual_aid_report --year 2021 --format json: the figures page's numbers."""

import json

from django.core.management.base import BaseCommand

from gonghui.mutual_aid.selectors.report import figures_json, figures_rows, report_figures


class Command(BaseCommand):
    help = "Print the mutual-aid society's figures for a year (the same numbers as the report page)."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--format", choices=["json", "text"], default="json")

    def handle(self, *args, year, format, **options):
        figures = report_figures(user=None, year=year)
        if format == "json":
            self.stdout.write(json.dumps(figures_json(figures), ensure_ascii=False, indent=2))
        else:
            for section, item, value in figures_rows(figures):
                self.stdout.write(f"{section}\t{item}\t{value}")
