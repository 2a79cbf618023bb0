"""The annual report's downloads: each .xlsx or PDF handed out is logged (`AnnualReportExport`:
year, format, who, when), after the reader's permission is checked and the file is made; a
refused request writes nothing."""

from __future__ import annotations

from django.db import transaction

from gonghui.accounts.access import permission_require
from gonghui.reports.models import AnnualReportExport, ExportFormat
from gonghui.reports.selectors import ANNUAL_REPORT_PERMISSION, AnnualReport, annual_report_build, annual_report_pdf


def annual_report_export_record(*, actor, year: int, format: str) -> AnnualReportExport:
    """The log row of one download of year `year`'s report in `format` by `actor`."""
    permission_require(actor, ANNUAL_REPORT_PERMISSION)
    return AnnualReportExport.objects.create(year=year, format=ExportFormat(format), created_by=actor)


def annual_report_file(*, user, year: int, format: str) -> tuple[AnnualReport, bytes]:
    """Year `year`'s report for `user` as a file (`format`: xlsx or pdf), its download logged."""
    format = ExportFormat(format)
    report = annual_report_build(user=user, year=year)
    data = report.xlsx() if format == ExportFormat.XLSX else annual_report_pdf(report)
    with transaction.atomic():
        annual_report_export_record(actor=user, year=year, format=format)
    return report, data
