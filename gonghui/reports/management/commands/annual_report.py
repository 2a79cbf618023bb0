"""python manage.py annual_report --year Y [--format json|text|xlsx|pdf] [--output FILE]

The union's annual report of year Y, as the system actor: every module's section of the year
(its figures, from the modules' registered sections), as JSON
({"year": Y, "sections": {section: {figure: value}}}, money as exact text), as text lines
(section, figure, value), or written to FILE as .xlsx or PDF."""

from __future__ import annotations

from django.core.management.base import CommandError

from gonghui.core.reports import Report, ReportCommand
from gonghui.reports.selectors import AnnualReport, annual_report_build, annual_report_pdf


class Command(ReportCommand):
    help = "Print or write the union's annual report of a year (every module's figures)."
    formats = ("json", "text", "xlsx", "pdf")

    def add_report_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="the report year")

    def build_report(self, *, actor, **options) -> Report:
        year = options["year"]
        if not 1900 <= year <= 9999:
            raise CommandError(f"not a year: {year}")
        return annual_report_build(user=actor, year=year)

    def write_other(self, report: Report, format: str) -> bytes:
        if format == "pdf" and isinstance(report, AnnualReport):
            return annual_report_pdf(report)
        return super().write_other(report, format)
