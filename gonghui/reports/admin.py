"""The log of the annual report's downloads, read-only for administrators (who downloaded which
year's report, in which format, when)."""

from django.contrib import admin

from gonghui.core.admin_kit import ReadOnlyAdmin
from gonghui.reports.models import AnnualReportExport


@admin.register(AnnualReportExport)
class AnnualReportExportAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "year", "format", "created_by"]
    list_filter = ["year", "format"]
    date_hierarchy = "created_at"
