"""The drives' part of the union's annual report for a year (and the figures a bulletin may
quote): enrolment in the drives of the year — those whose cover starts in it — summed over
them (active staff, retirees, relatives, in all) and the survey's "yes" answers, from
`selectors.figures.year_enrolment`. A drive has no stable code, so there are no per-drive
figures. None when no drive belongs to the year."""

from __future__ import annotations

from django.utils.translation import gettext as _

from gonghui.core.registry import AnnualFigure, AnnualSection
from gonghui.core.reports import Chart
from gonghui.drives.selectors.figures import year_enrolment


def drives_annual_section(actor, year: int) -> AnnualSection | None:
    figures = year_enrolment(user=actor, year=year)
    if figures is None:
        return None
    enrolled = figures["enrolled"]
    return AnnualSection(
        key="drives",
        title=_("参保活动"),
        figures=(
            AnnualFigure("drives.drive_count", _("参保活动"), figures["drives"], "项"),
            AnnualFigure("drives.intent_yes", _("意向参加"), figures["intent_yes"], "人"),
            AnnualFigure("drives.enrolled_active", _("在职教职工参保"), enrolled["active"], "人"),
            AnnualFigure("drives.enrolled_retired", _("离退休人员参保"), enrolled["retired"], "人"),
            AnnualFigure("drives.enrolled_relatives", _("家属参保"), enrolled["relatives"], "人"),
            AnnualFigure("drives.enrolled_total", _("参保合计"), enrolled["total"], "人"),
        ),
        charts=(
            Chart.pie(
                _("参保人员构成"),
                [
                    (_("在职"), enrolled["active"]),
                    (_("离退休"), enrolled["retired"]),
                    (_("家属"), enrolled["relatives"]),
                ],
            ),
            Chart.bars(
                _("意向与参保"),
                [(_("意向参加"), figures["intent_yes"]), (_("参保职工"), enrolled["staff"])],
                name=_("人数"),
            ),
        ),
    )
