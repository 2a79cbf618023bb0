"""The cadre appraisal's section of the union's annual report: turnout only (the rounds of the
year, who could vote and who took part, from `selectors.results.year_turnout`). Never a result:
no score, no grade, no cadre; those are the organisation department's alone."""

from __future__ import annotations

from django.utils.translation import gettext as _

from gonghui.appraisals.selectors.results import year_turnout
from gonghui.core.registry import AnnualFigure, AnnualSection
from gonghui.core.reports import Chart


def appraisals_annual_section(actor, year: int) -> AnnualSection | None:
    """None when there is no round of `year` (or the actor does not read every round's turnout)."""
    t = year_turnout(user=actor, year=year)
    if t is None or not t["rounds"]:
        return None
    people, times = _("人"), _("人次")
    online = AnnualFigure("appraisals.ballots_online", _("网上投票"), t["online"], times)
    paper = AnnualFigure("appraisals.ballots_paper", _("纸质选票"), t["paper"], times)
    figures = [
        AnnualFigure("appraisals.rounds", _("干部民主测评"), t["rounds"], _("次")),
        AnnualFigure("appraisals.rounds_counted", _("已计票的测评"), t["counted"], _("次")),
        AnnualFigure("appraisals.units", _("参评单位"), t["units"], _("个")),
        AnnualFigure("appraisals.eligible", _("应参评"), t["eligible"], people),
        AnnualFigure("appraisals.ballots_cast", _("实参评"), t["took_part"], times),
        online,
        paper,
    ]
    if t["rate"] is not None:  # no turnout before a round is counted
        figures.append(AnnualFigure("appraisals.turnout", _("参评率"), t["rate"]))
    charts: tuple[Chart, ...] = ()
    if t["took_part"]:
        charts = (Chart.pie(_("参评方式"), [(online.label, online.value), (paper.label, paper.value)]),)
    return AnnualSection(key="appraisals", title=_("干部民主测评"), figures=tuple(figures), charts=charts)
