"""The competition's report pages: the history of every edition (历届统计: per level, per
college, the later achievements) and one edition's report (统计报表), each with its charts and
`?export=xlsx`. The figures are those of `selectors/report.py` (the same as `manage.py
competition_report`), read through the scoped querysets: the editions' readers (the office, a
college's officer, auditors) open them, each seeing the rows they may see; an edition one may
not see is not there (404)."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View

from gonghui.competitions.choices import AwardKind, Level
from gonghui.competitions.selectors.history import AWARD_KINDS, FROM_ARCHIVE
from gonghui.competitions.selectors.report import edition_label, edition_report, history_report
from gonghui.competitions.views.office import VIEW, competition_or_404
from gonghui.core.pages import PermissionPageMixin
from gonghui.core.ui import Column

EXPORT = "?export=xlsx"


def _wants_xlsx(request) -> bool:
    return request.GET.get("export") == "xlsx"


class HistoryOverviewView(PermissionPageMixin, View):
    """Every edition by level with the totals (for Beijing: held, entered, teachers in all),
    each college's entries and prizes, and the past contestants who later coached or judged."""

    permission_required = VIEW

    def get(self, request):
        report = history_report(user=request.user)
        if _wants_xlsx(request):
            return report.xlsx_response(_("青教赛历届统计.xlsx"))
        return render(
            request,
            "competitions/office/history_overview.html",
            {
                "report": report,
                "figures": report.figures,
                "charts": report.charts,
                "export_url": EXPORT,
                "from_archive": FROM_ARCHIVE,
                "edition_columns": [
                    Column(_("届次")),
                    Column(_("年度")),
                    Column(_("我校参赛")),
                    Column(_("参赛人数")),
                    Column(_("获奖")),
                    Column(_("比赛")),
                ],
                "college_columns": [Column(_("单位")), Column(_("参赛（人次）")), Column(_("获奖（项）"))],
            },
        )


class ReportView(PermissionPageMixin, View):
    """One edition's report: the figures, each group's ranking, the award list, each
    college's entries and prizes, the Beijing history, and the charts."""

    permission_required = VIEW

    def get(self, request, pk):
        competition = competition_or_404(request.user, pk)
        report = edition_report(user=request.user, competition=competition)
        if _wants_xlsx(request):
            return report.xlsx_response(_("%(title)s统计报表.xlsx") % {"title": competition.title})
        figures = report.figures
        return render(
            request,
            "competitions/office/report.html",
            {
                "competition": competition,
                "report": report,
                "figures": figures,
                "charts": report.charts,
                "export_url": EXPORT,
                "from_archive": FROM_ARCHIVE,
                "level_label": Level(competition.level).label,
                "places": competition.rules.places if competition.rules else 2,
                "prize_kinds": [(AwardKind(kind).label, figures["prizes"][str(kind)]) for kind in AWARD_KINDS],
                "history_lines": [
                    {**line, "label": edition_label(line["number"], line["year"])}
                    for line in figures["history"]["editions"]
                ],
                "ranking_columns": [
                    Column(_("名次")),
                    Column(_("参赛教师")),
                    Column(_("最终得分")),
                    Column(_("推荐单位")),
                    Column(_("奖项")),
                    Column(_("课程")),
                    Column(_("出场")),
                ],
                "award_columns": [Column(_("奖项")), Column(_("获奖者")), Column(_("单位")), Column(_("证书编号"))],
                "college_columns": [Column(_("单位")), Column(_("参赛教师")), Column(_("获奖（项）"))],
                "history_columns": [Column(_("届次")), Column(_("我校参赛人数")), Column(_("获奖"))],
            },
        )
