"""The union's annual report (`/reports/annual/?year=Y`): every module's section of the year as
a card with its figures and charts, the same figures as `manage.py annual_report`; its .xlsx
(`?export=xlsx`, the report kit's export) and its PDF (`reports:annual_pdf`), each download
logged (`AnnualReportExport`)."""

from __future__ import annotations

from django.views import View

from gonghui.core.excel import XLSX_CONTENT_TYPE, file_response
from gonghui.core.pages import PermissionPageMixin
from gonghui.core.views_kit import YearlyReportPage, year_asked, years_to_pick
from gonghui.reports.models import ExportFormat
from gonghui.reports.selectors import ANNUAL_REPORT_PERMISSION, annual_report_build, annual_report_years
from gonghui.reports.services import annual_report_file

PDF_CONTENT_TYPE = "application/pdf"


def _year(request) -> int:
    """The year asked (`?year=`), else this year (the latest the page offers)."""
    asked = year_asked(request) if request.GET.get("year") else None
    return years_to_pick(annual_report_years(), asked)[0]


class AnnualReportView(YearlyReportPage):
    permission_required = ANNUAL_REPORT_PERMISSION
    template_name = "reports/annual.html"

    def build(self, user, year):
        return annual_report_build(user=user, year=year)

    def data_years(self, user):
        return annual_report_years()

    def get_context(self, report):
        return {
            "report": report,
            "sections": report.sections,
            "charts": report.charts,
            "pdf_query": f"?year={report.year}",
        }

    def get(self, request):
        if request.GET.get("export") == "xlsx":  # the kit's export, logged
            report, data = annual_report_file(user=request.user, year=_year(request), format=ExportFormat.XLSX)
            return file_response(data, filename=f"{report.title}.xlsx", content_type=XLSX_CONTENT_TYPE)
        return super().get(request)


class AnnualReportPdfView(PermissionPageMixin, View):
    """The year's report as an A4 PDF (`?year=`), logged."""

    permission_required = ANNUAL_REPORT_PERMISSION

    def get(self, request):
        report, data = annual_report_file(user=request.user, year=_year(request), format=ExportFormat.PDF)
        return file_response(data, filename=f"{report.title}.pdf", content_type=PDF_CONTENT_TYPE)
