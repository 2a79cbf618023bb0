"""Print the year's insurance figures: the same numbers as the report page and its .xlsx."""

import json

from django.core.management.base import BaseCommand

from gonghui.accounts.system import system_actor
from gonghui.insurance.selectors.figures import figures_rows, report_figures


class Command(BaseCommand):
    help = "Insured per plan (by sub-union, gender), premium, claims, paid sum and loss ratio for --year."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--format", choices=["json", "text"], default="text")

    def handle(self, *args, year: int, format: str, **options):
        figures = report_figures(user=system_actor(), year=year)
        if format == "json":
            self.stdout.write(json.dumps(figures, ensure_ascii=False, indent=2))
            return
        for plan, item, value in figures_rows(figures):
            self.stdout.write(f"{plan}\t{item}\t{value}")
