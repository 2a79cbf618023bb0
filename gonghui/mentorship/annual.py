"""Mentorship pairing's part of the union's annual report for a year (and the figures a bulletin
may quote), from the history across cohorts (`selectors.history.cohort_history`, up to the
year): the cohorts started up to the year and their pairs (the bulletin's "共组织了七届，300多对");
the pairs of the cohort started in the year, if one did; and the outcomes of the cohorts whose
cycle ends in the year, if one of them ran in the system (the archive records no outcomes).
None when no cohort has started by the year."""

from __future__ import annotations

from django.utils.translation import gettext as _

from gonghui.core.registry import AnnualFigure, AnnualSection
from gonghui.core.reports import Chart
from gonghui.mentorship.choices import PairStatus
from gonghui.mentorship.selectors.history import FROM_PAIRS, cohort_history

# The outcomes of a cohort's pairs the annual figures name (`mentorship.<status>`).
OUTCOMES = (
    PairStatus.PASSED,
    PairStatus.BASICALLY_PASSED,
    PairStatus.EXTENDED,
    PairStatus.FAILED,
    PairStatus.NOT_ASSESSED,
    PairStatus.ENDED_EARLY,
)


def mentorship_annual_section(actor, year: int) -> AnnualSection | None:
    history = cohort_history(user=actor, until_year=year)
    if not history.cohorts:
        return None
    figures = [
        AnnualFigure("mentorship.cohorts_total", _("已组织拜师结对"), history.cohorts, "期"),
        AnnualFigure("mentorship.pairs_total", _("历届结对"), history.pairs, "对"),
    ]
    started = [line for line in history.lines if line.year == year]
    if started:
        pairs = sum(line.pairs for line in started)
        figures.append(AnnualFigure("mentorship.cohort_pairs", _("本年新一期结对"), pairs, "对"))
    charts = [Chart.bars(_("历届结对数"), [(line.label, line.pairs) for line in history.lines], name=_("结对数"))]
    ending = [line for line in history.lines if line.cohort.ends_on.year == year and line.source == FROM_PAIRS]
    if ending:
        outcomes = {status: sum(line.outcomes.get(status, 0) for line in ending) for status in OUTCOMES}
        figures.append(
            AnnualFigure("mentorship.ending_pairs", _("本年期满结对"), sum(line.pairs for line in ending), "对")
        )
        figures += [
            AnnualFigure(f"mentorship.{status}", str(status.label), count, "对") for status, count in outcomes.items()
        ]
        charts.append(
            Chart.pie(
                _("本年期满结对考核结果"),
                [(status.label, count) for status, count in outcomes.items() if count],
            )
        )
    return AnnualSection(key="mentorship", title=_("青年教师拜师结对"), figures=tuple(figures), charts=tuple(charts))
