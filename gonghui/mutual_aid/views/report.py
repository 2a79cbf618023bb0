"""The society's yearly figures: tables, the core chart component (inline SVG, no JS) and
the .xlsx export; the same numbers as `manage.py mutual_aid_report`."""

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View

from gonghui.core.pages import PermissionPageMixin
from gonghui.core.views_kit import year_asked
from gonghui.mutual_aid.selectors.report import report_build, report_charts


class ReportView(PermissionPageMixin, View):
    permission_required = "mutual_aid.view_ledgerentry"

    def get(self, request):
        year = year_asked(request)
        report = report_build(user=request.user, year=year)
        if request.GET.get("export") == "xlsx":
            return report.xlsx_response(_("互助会%(year)s年度统计.xlsx") % {"year": year})
        figures = report.figures
        context = {
            "figures": figures,
            "year": year,
            "charts": report_charts(figures),
            "years": range(year - 3, year + 2),
        }
        return render(request, "mutual_aid/report/report.html", context)
