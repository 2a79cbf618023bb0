"""python manage.py mutual_aid_report --year 2021 [--format json|text|xlsx]: the figures
page's numbers, as the system actor."""

from gonghui.core.reports import ReportCommand
from gonghui.mutual_aid.selectors.report import report_build


class Command(ReportCommand):
    help = "Print the mutual-aid society's figures for a year (the same numbers as the report page)."

    def add_report_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)

    def build_report(self, *, actor, year, **options):
        return report_build(user=actor, year=year)
