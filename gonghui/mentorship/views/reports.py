"""The office's report pages: a cohort's report (`?year=` the year it started, with every
year a cohort started to pick from; charts; `?export=xlsx`) and the history of every cohort
(`?until=` a year; `?export=xlsx`). The same figures as `manage.py mentorship_report`, read
through the scoped querysets (a college's officer sees their college's pairs)."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from gonghui.core.pages import PermissionPageMixin
from gonghui.core.reports import Report
from gonghui.core.views_kit import YearlyReportPage
from gonghui.mentorship.choices import DutyKind, PairSource, PairStatus
from gonghui.mentorship.selectors.history import FROM_ARCHIVE, cohort_history, history_report
from gonghui.mentorship.selectors.report import cohort_of_year, cohort_report, report_cohort_years


class CohortReportView(YearlyReportPage):
    """The cohort that started in the year picked: its pairs, duties by college, grades and
    stipends, with their charts."""

    permission_required = "mentorship.view_cohort"
    template_name = "mentorship/reports/cohort.html"
    export_filename = gettext_lazy("拜师结对%(year)s年期次统计.xlsx")

    def build(self, user, year):
        cohort = cohort_of_year(user=user, year=year)
        if cohort is None:
            return Report(title=_("%(year)s年没有拜师结对期次") % {"year": year}, figures={})
        return cohort_report(user=user, cohort=cohort)

    def data_years(self, user):
        return report_cohort_years(user=user)

    def get_context(self, report):
        figures = report.figures
        if not figures:
            return {"report": report, "figures": figures, "charts": {}}
        summary, duties = figures["summary"], figures["duties"]
        kinds = [(kind, DutyKind(kind).label, n) for kind, n in duties["requirements"].items() if n]
        colleges = [
            {
                "college": row["college"],
                "pairs": row["pairs"],
                "cells": [
                    cell for year in row["years"] for cell in (*(year["met"][k] for k, _l, _n in kinds), year["all"])
                ],
                "confirmed": [row["confirmed"][k] for k, _l, _n in kinds],
            }
            for row in duties["by_college"]
        ]
        return {
            "report": report,
            "figures": figures,
            "charts": report.charts,
            "statuses": [(PairStatus(s).label, n) for s, n in summary["by_status"].items() if n],
            "sources": [(PairSource(s).label, n) for s, n in summary["by_source"].items() if n],
            "kinds": kinds,
            "cycle_years": duties["years"],
            "colleges": colleges,
            "confirmed": [(label, duties["confirmed"][k], duties["pending"][k]) for k, label, _n in kinds],
        }


class HistoryView(PermissionPageMixin, View):
    """Every cohort, from the archive's to the one running, with the totals; `?until=2021`
    for the cohorts that started by then."""

    permission_required = "mentorship.view_cohort"

    def get(self, request):
        try:
            until = int(request.GET.get("until") or 0) or None
        except ValueError:
            until = None
        if until is not None and not 1900 <= until <= 9999:
            until = None
        report = history_report(user=request.user, until_year=until)
        if request.GET.get("export") == "xlsx":
            name = _("拜师结对历届（至%(year)s年）.xlsx") % {"year": until} if until else _("拜师结对历届.xlsx")
            return report.xlsx_response(name)
        history = cohort_history(user=request.user)
        years = sorted({line.year for line in history.lines})
        query = f"?until={until}&export=xlsx" if until else "?export=xlsx"
        return render(
            request,
            "mentorship/reports/history.html",
            {
                "report": report,
                "figures": report.figures,
                "lines": [
                    {**line, "outcome_labels": [(PairStatus(s).label, n) for s, n in line["outcomes"].items()]}
                    for line in report.figures["lines"]
                ],
                "charts": report.charts,
                "until": until,
                "years": years,
                "export_url": query,
                "from_archive": FROM_ARCHIVE,
            },
        )
