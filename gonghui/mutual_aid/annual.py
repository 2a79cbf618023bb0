"""The mutual-aid society's part of the union's annual report (and the figures a bulletin may
quote): members, the fees payroll deducted, the subsidies paid and the fund, for one report
year, read from the society's yearly report (`selectors.report.year_headline`, the part of
`report_figures` these figures need), so the annual report, the report page and
`manage.py mutual_aid_report` print the same numbers.

Report year Y follows the report: members and fees of Y; the subsidies on the costs of Y − 1,
decided and paid during Y (the bulletin of 2021: "fees deducted for 1,383 active staff; the
committee reviewed the 2020 list; 50,202.51 yuan paid to active staff, 352,551.88 to
retirees"). Active vs retired is the person's status in Y (see the report's docstring).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from gonghui.core.registry import AnnualFigure, AnnualSection
from gonghui.core.reports import Chart, rate
from gonghui.mutual_aid.choices import FeeLineStatus
from gonghui.mutual_aid.selectors.report import report_year_exists, year_headline

KEY = "mutual_aid"


def mutual_aid_annual_section(actor, year: int) -> AnnualSection | None:
    """The society's figures of `year` as `actor` (the system actor) may read them, or None
    when the society has nothing in that year: no adopted edition of the year, no fee run
    and no subsidy paid on the previous year's costs."""
    if not report_year_exists(user=actor, year=year):
        return None
    figures = year_headline(user=actor, year=year)
    members, paid = figures["members"], figures["paid"]
    deducted = figures["fees_by_group"]["active"][FeeLineStatus.DEDUCTED]

    def count(name, label, value, unit=None):
        return AnnualFigure(f"{KEY}.{name}", label, value, unit=unit or _("人"))

    def yuan(name, label, value):
        return AnnualFigure(f"{KEY}.{name}", label, value, unit=_("元"), money=True)

    figures_ = (
        count("members_active", _("互助会在职会员"), members["active"]),
        count("members_retired", _("互助会离退休会员"), members["retired"]),
        count("fees_deducted_members", _("在职教职工互助金工资代扣"), deducted["count"]),
        yuan("fees_deducted_sum", _("在职教职工互助金代扣金额"), deducted["sum"]),
        yuan("subsidies_paid_active", _("为在职教职工发放补助"), paid["active"]),
        yuan("subsidies_paid_retired", _("为离退休人员发放补助"), paid["retired"]),
        yuan("subsidies_paid_total", _("发放互助补助合计"), paid["total"]),
        count("subsidies_paid_count", _("发放互助补助"), figures["paid_count"]["total"], _("人次")),
        AnnualFigure(
            f"{KEY}.subsidies_retired_share",
            _("离退休人员所占补助比例"),
            rate(paid["retired"], paid["total"]),  # a Ratio (0.875 is 87.5 %): no unit to add
        ),
        yuan("fund_balance", _("互助金年末累计结余"), figures["fund_end"]["balance"]),
    )
    groups = (_("在职"), _("离退休"))
    charts = [
        Chart.bars(
            _("%(year)s年互助会会员（人）") % {"year": year},
            zip(groups, (members["active"], members["retired"]), strict=True),
        )
    ]
    if paid["total"]:  # a year with nothing paid has no share to draw
        charts.insert(
            0,
            Chart.pie(
                _("%(year)s年发放互助补助（元）") % {"year": year},
                zip(groups, (paid["active"], paid["retired"]), strict=True),
                value_format="yuan",
            ),
        )
    return AnnualSection(key=KEY, title=_("医疗互助会"), figures=figures_, charts=tuple(charts))
