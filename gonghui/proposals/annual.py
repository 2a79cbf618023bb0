"""Congress proposals' section of the union's annual report: the proposals of the sessions
opening in the year, as the handling report counts them (`selectors.report.year_figures`)."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from gonghui.core.registry import AnnualFigure, AnnualSection
from gonghui.core.reports import Chart
from gonghui.proposals.selectors.report import year_figures

_CODE = re.compile(r"[a-z][a-z0-9_]*")


def proposals_annual_section(actor, year: int) -> AnnualSection | None:
    """None when no proposal of a session opening in `year` reached the proposals committee."""
    f = year_figures(user=actor, year=year)
    counts = f["counts"]
    if not (counts["received"] or counts["withdrawn"]):
        return None
    piece, times = _("件"), _("人次")
    submitted = AnnualFigure("proposals.submitted", _("收到提案"), counts["received"], piece)
    registered = AnnualFigure("proposals.registered", _("立案"), counts["registered"], piece)
    answered = AnnualFigure("proposals.answered", _("已答复"), f["replied"], piece)
    # each level of the sessions' satisfaction scale (满意, 基本满意, 不满意 by default), named
    # by its code where the code can be part of a key
    levels = [
        AnnualFigure(f"proposals.level_{level['code']}", level["label"], level["count"], times)
        for level in f["satisfaction"]
        if _CODE.fullmatch(level["code"])
    ]
    figures = [
        submitted,
        registered,
        AnnualFigure("proposals.opinions", _("转为意见建议"), counts["opinions"], piece),
        AnnualFigure("proposals.not_registered", _("不予立案"), counts["not_registered"], piece),
        AnnualFigure("proposals.merged", _("并案"), counts["merged"], piece),
        answered,
        AnnualFigure("proposals.answered_on_time", _("按期答复"), f["on_time"], piece),
        AnnualFigure("proposals.ratings", _("提案人评价"), f["ratings"], times),
        AnnualFigure("proposals.satisfied", _("满意（认可答复）"), f["accepting"], times),
        AnnualFigure("proposals.not_satisfied", _("不满意（不认可答复）"), f["not_accepting"], times),
    ]
    if f["satisfaction_rate"] is not None:  # a share of no rating is no figure
        figures.append(AnnualFigure("proposals.satisfaction_rate", _("满意率"), f["satisfaction_rate"]))
    figures += levels
    charts = [
        Chart.bars(
            _("%(year)s年提案收到、立案与答复") % {"year": year},
            [(figure.label, figure.value) for figure in (submitted, registered, answered)],
            name=_("件数"),
        )
    ]
    if f["ratings"]:
        charts.append(Chart.pie(_("提案人评价"), [(level["label"], level["count"]) for level in f["satisfaction"]]))
    return AnnualSection(key="proposals", title=_("教代会提案"), figures=tuple(figures), charts=tuple(charts))
