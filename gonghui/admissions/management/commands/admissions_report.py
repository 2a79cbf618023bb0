"""python manage.py admissions_report --year Y [--format json|text|xlsx] [--output FILE]

One year's staff children's admission figures, as the system actor: the survey, demand against
places by stage, school, district and sub-union, the requests' outcomes, the schools' answer
rate, the shortages, and every year's demand, places and unmet demand up to this one. Figures
only, no child. They are `gonghui.admissions.reports`'."""

from django.core.management.base import CommandError

from gonghui.admissions.reports import admissions_report, report_years
from gonghui.core.reports import Report, ReportCommand


class Command(ReportCommand):
    help = "Print or write a year's staff children's admission report (demand, places, outcomes, answer rate)."

    def add_report_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="the year children enter (入学年度)")

    def build_report(self, *, actor, **options) -> Report:
        year = options["year"]
        if year not in report_years():
            raise CommandError(f"no admissions campaign or adopted rules for {year}")
        return admissions_report(user=actor, year=year)
