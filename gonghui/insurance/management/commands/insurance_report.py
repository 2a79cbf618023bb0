"""Print the year's insurance figures: the same numbers as the report page and its .xlsx.

python manage.py insurance_report --year 2021 [--format json|text|xlsx] [--output FILE]
"""

from gonghui.core.reports import Report, ReportCommand
from gonghui.insurance.selectors.figures import insurance_report


class Command(ReportCommand):
    help = "Insured per plan (by sub-union, gender), premium, claims, paid sum and loss ratio for --year."

    def add_report_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)

    def build_report(self, *, actor, year: int, **options) -> Report:
        return insurance_report(user=actor, year=year)
