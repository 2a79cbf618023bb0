"""The society's yearly figures: tables, inline SVG bar charts (drawn server-side, no JS)
and the .xlsx export; the same numbers as `manage.py mutual_aid_report`."""

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from gonghui.core.pages import PermissionPageMixin, export_list
from gonghui.mutual_aid.choices import ApplicationStatus
from gonghui.mutual_aid.selectors.report import bar_chart, figures_rows, report_figures


class ReportView(PermissionPageMixin, View):
    permission_required = "mutual_aid.view_ledgerentry"

    def get(self, request):
        try:
            year = int(request.GET.get("year") or timezone.localdate().year)
        except ValueError:
            year = timezone.localdate().year
        figures = report_figures(user=request.user, year=year)
        if request.GET.get("export") == "xlsx":
            return export_list(
                filename=_("互助会%(year)s年度统计.xlsx") % {"year": year},
                columns=[(_("类别"), lambda r: r[0]), (_("项目"), lambda r: r[1]), (_("数值"), lambda r: r[2])],
                rows=figures_rows(figures),
                sheet_title=str(year),
            )
        statuses = [
            (str(label), figures["applications_by_status"][value])
            for value, label in ApplicationStatus.choices
            if figures["applications_by_status"][value]
        ]
        charts = {
            "paid": bar_chart([(_("在职"), figures["paid"]["active"]), (_("离退休"), figures["paid"]["retired"])]),
            "members": bar_chart(
                [(_("在职"), figures["members"]["active"]), (_("离退休"), figures["members"]["retired"])]
            ),
            "statuses": bar_chart(statuses),
            "diseases": bar_chart([(b["name"], b["sum"]) for b in figures["approved"]["by_disease"]]),
        }
        context = {"figures": figures, "year": year, "charts": charts, "years": range(year - 3, year + 2)}
        return render(request, "mutual_aid/report/report.html", context)
