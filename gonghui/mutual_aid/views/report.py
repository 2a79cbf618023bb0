"""The society's yearly figures: tables, the report's charts (core chart component, ECharts)
and the .xlsx export; the same numbers as `manage.py mutual_aid_report`."""

from django.utils.translation import gettext_lazy

from gonghui.core.views_kit import YearlyReportPage
from gonghui.mutual_aid.selectors.report import report_build, report_years


class ReportView(YearlyReportPage):
    permission_required = "mutual_aid.view_ledgerentry"
    template_name = "mutual_aid/report/report.html"
    export_filename = gettext_lazy("互助会%(year)s年度统计.xlsx")

    def build(self, user, year):
        return report_build(user=user, year=year)

    def data_years(self, user):
        return report_years(user=user)

    def get_context(self, report):
        return {"figures": report.figures, "charts": report.charts}
