"""People's section of the union's annual report: the members on the roster at the end of the
year, active and retired, and the sub-unions (from `selectors.year_end_figures`, three aggregate
queries whatever the number of people). A lower app: nothing here imports a module."""

from __future__ import annotations

from django.utils.translation import gettext as _

from gonghui.core.registry import AnnualFigure, AnnualSection
from gonghui.core.reports import Chart
from gonghui.people.selectors import year_end_figures


def people_annual_section(actor, year: int) -> AnnualSection | None:
    """The union's members and sub-unions on 31 December of `year`; None when it had no member
    that day."""
    figures = year_end_figures(user=actor, year=year)
    if not figures["total"]:
        return None
    active = AnnualFigure("people.members_active", _("在职会员"), figures["active"], _("人"))
    retired = AnnualFigure("people.members_retired", _("离退休会员"), figures["retired"], _("人"))
    return AnnualSection(
        key="people",
        title=_("会员与组织"),
        figures=(
            AnnualFigure("people.members_total", _("会员总数"), figures["total"], _("人")),
            active,
            retired,
            AnnualFigure("people.sub_unions", _("分工会"), figures["sub_unions"], _("个")),
        ),
        charts=(
            Chart.pie(
                _("%(year)s年底会员构成") % {"year": year},
                [(active.label, active.value), (retired.label, retired.value)],
            ),
        ),
    )
