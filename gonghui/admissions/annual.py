"""Staff children's admission's section of the union's annual report: the demand of the year's
campaign and what came of it, in the definitions of `selectors.demand` (the figures of the
year's admissions report, counted by its grouped queries). Figures only: no child, no name."""

from __future__ import annotations

from django.utils.translation import gettext as _

from gonghui.admissions.choices import Stage
from gonghui.admissions.models import Campaign
from gonghui.admissions.selectors.demand import demand_by_year
from gonghui.core.registry import AnnualFigure, AnnualSection
from gonghui.core.reports import Chart


def admissions_annual_section(actor, year: int) -> AnnualSection | None:
    """None when there is no campaign for `year` (that `actor` may see)."""
    if not Campaign.objects.restrict(actor).filter(year=year).exists():
        return None
    table = demand_by_year(years=[year])
    total = table.total(year=year)
    nursery = table.total(year=year, stage=Stage.NURSERY)
    children = _("人")
    placed = AnnualFigure("admissions.placed", _("录取"), total.placed, children)
    not_placed = AnnualFigure("admissions.not_placed", _("未录取"), total.not_placed, children)
    self_arranged = AnnualFigure("admissions.self_arranged", _("视为自行解决"), total.self_arranged, children)
    demand = AnnualFigure("admissions.survey_needs", _("需要学位的子女"), total.demand, children)
    requests = AnnualFigure("admissions.requests", _("提交申请"), total.requests, children)
    unmet = AnnualFigure("admissions.unmet", _("未满足需求"), total.unmet, children)
    return AnnualSection(
        key="admissions",
        title=_("子女入托入学"),
        figures=(
            demand,
            AnnualFigure("admissions.places", _("学位"), total.places or 0, _("个")),
            requests,
            placed,
            not_placed,
            self_arranged,
            unmet,
            AnnualFigure("admissions.unmet_nursery", _("入托入园未满足需求"), nursery.unmet, children),
        ),
        charts=(
            Chart.bars(
                _("%(year)s年需求、申请与录取") % {"year": year},
                [(figure.label, figure.value) for figure in (demand, requests, placed, unmet)],
                name=_("人数"),
            ),
            Chart.pie(_("申请结果"), [(figure.label, figure.value) for figure in (placed, not_placed, self_arranged)]),
        ),
    )
