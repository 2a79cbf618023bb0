"""The society's yearly figures: one function the page, the .xlsx export and the
`mutual_aid_report` command all print.

Report year Y (the scheme year, as in the union's bulletin: "2021: fees deducted for 1,383
active staff; the committee reviewed the 2020 list; 50,202.51 yuan paid to active staff"):
- members enrolled in Y and fees for Y;
- applications, approved and paid subsidies on the costs of Y − 1 (taken, decided and paid
  during Y; an application is computed under the edition of its cost year);
- fund balance = fees in for Y (ledger: deductions + receipts + refunds) − subsidies paid on
  the costs of Y − 1 (ledger: subsidy_payment). Charges are what members owe, not money in.
Active vs retired follows the person's employment status: retired, or everyone else.
Amounts are Decimal (rounded once, to the cent); `report_build` puts them in a core
`Report` (figures and rows) with its charts.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from gonghui.core.money import money
from gonghui.core.reports import Chart, Report, RowsBuilder
from gonghui.mutual_aid.choices import ApplicationStatus, FeeLineStatus, LedgerKind
from gonghui.mutual_aid.models import FeeLine, LedgerEntry, SchemeMembership, SubsidyApplication
from gonghui.people.choices import EmploymentStatus

ZERO = Decimal("0.00")
GRANTED = [
    ApplicationStatus.APPROVED,
    ApplicationStatus.ADJUSTED,
    ApplicationStatus.ON_NOTICE,
    ApplicationStatus.ON_HOLD,
    ApplicationStatus.PAYABLE,
    ApplicationStatus.PAID,
    ApplicationStatus.CLOSED,
]
FEES_IN = [LedgerKind.DEDUCTION, LedgerKind.RECEIPT, LedgerKind.REFUND]
GROUPS = ("active", "retired")


def _group(employment_status: str) -> str:
    return "retired" if employment_status == EmploymentStatus.RETIRED else "active"


_cents = money


def _visible(model, user):
    """What `user` may see (the system actor of the command sees everything)."""
    return model.objects.restrict(user)


def report_years(*, user) -> list[int]:
    """The report years with figures: fee years, and the year after each cost year whose
    subsidies were paid (report year Y shows the subsidies of cost year Y-1)."""
    fee_years = _visible(FeeLine, user).order_by().values_list("year", flat=True).distinct()
    paid = _visible(LedgerEntry, user).filter(kind=LedgerKind.SUBSIDY_PAYMENT).order_by().values_list("year", flat=True)
    return sorted({*fee_years, *(year + 1 for year in paid.distinct())})


def report_figures(*, user, year: int) -> dict:
    cost_year = year - 1
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)

    members = {group: 0 for group in GROUPS}
    enrolled = (
        _visible(SchemeMembership, user)
        .filter(joined_on__lte=end)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=start))
    )
    for row in enrolled.values("person__employment_status").annotate(n=Count("id")):
        members[_group(row["person__employment_status"])] += row["n"]
    members["total"] = sum(members[g] for g in GROUPS)

    fees = {status: {"count": 0, "sum": ZERO} for status in FeeLineStatus.values}
    for row in _visible(FeeLine, user).filter(year=year).values("status").annotate(n=Count("id"), s=Sum("amount")):
        fees[row["status"]] = {"count": row["n"], "sum": _cents(row["s"])}

    applications = _visible(SubsidyApplication, user).filter(cost_year=cost_year)
    by_status = {status: 0 for status in ApplicationStatus.values}
    for row in applications.values("status").annotate(n=Count("id")):
        by_status[row["status"]] = row["n"]

    granted = applications.filter(status__in=GRANTED, approved_amount__isnull=False)
    approved = {group: {"count": 0, "sum": ZERO} for group in GROUPS}
    for row in granted.values("person__employment_status").annotate(n=Count("id"), s=Sum("approved_amount")):
        bucket = approved[_group(row["person__employment_status"])]
        bucket["count"] += row["n"]
        bucket["sum"] = _cents(bucket["sum"] + row["s"])
    approved["count"] = sum(approved[g]["count"] for g in GROUPS)
    approved["sum"] = _cents(sum((approved[g]["sum"] for g in GROUPS), ZERO))
    by_disease = {}
    for row in granted.values("disease_category__name").annotate(n=Count("id"), s=Sum("approved_amount")):
        name = row["disease_category__name"] or _("未分病种")
        bucket = by_disease.setdefault(name, {"name": name, "count": 0, "sum": ZERO})
        bucket["count"] += row["n"]
        bucket["sum"] = _cents(bucket["sum"] + row["s"])
    approved["by_disease"] = sorted(by_disease.values(), key=lambda b: (-b["sum"], b["name"]))

    ledger = _visible(LedgerEntry, user)
    paid = {group: ZERO for group in GROUPS}
    payments = ledger.filter(year=cost_year, kind=LedgerKind.SUBSIDY_PAYMENT)
    for row in payments.values("person__employment_status").annotate(s=Sum("amount")):
        group = _group(row["person__employment_status"])
        paid[group] = _cents(paid[group] - row["s"])
    paid["total"] = _cents(paid["active"] + paid["retired"])

    fees_in = _cents(ledger.filter(year=year, kind__in=FEES_IN).aggregate(s=Sum("amount"))["s"])
    fund = {"fees_in": fees_in, "subsidies_paid": paid["total"], "balance": _cents(fees_in - paid["total"])}

    return {
        "year": year,
        "cost_year": cost_year,
        "members": members,
        "fees": fees,
        "applications_by_status": by_status,
        "approved": approved,
        "paid": paid,
        "fund": fund,
    }


def figures_rows(figures: dict) -> list[tuple[str, str, object]]:
    """(section, item, value) rows: the page's tables, the .xlsx export and the text output."""
    rows = RowsBuilder()
    m = figures["members"]
    rows.section(_("会员")).add(_("在职"), m["active"]).add(_("离退休"), m["retired"]).add(_("合计"), m["total"])
    rows.section(_("会费"))
    for status, label in FeeLineStatus.choices:
        rows.add(_("%(status)s（笔数）") % {"status": label}, figures["fees"][status]["count"])
        rows.add(_("%(status)s（金额）") % {"status": label}, figures["fees"][status]["sum"])
    rows.section(_("补助申请"))
    for status, label in ApplicationStatus.choices:
        rows.add(str(label), figures["applications_by_status"][status])
    a = figures["approved"]
    rows.section(_("核定补助"))
    rows.add(_("在职（人次）"), a["active"]["count"]).add(_("在职（金额）"), a["active"]["sum"])
    rows.add(_("离退休（人次）"), a["retired"]["count"]).add(_("离退休（金额）"), a["retired"]["sum"])
    rows.add(_("合计（人次）"), a["count"]).add(_("合计（金额）"), a["sum"])
    rows.section(_("按病种"))
    for bucket in a["by_disease"]:
        rows.add(_("%(name)s（人次）") % {"name": bucket["name"]}, bucket["count"])
        rows.add(_("%(name)s（金额）") % {"name": bucket["name"]}, bucket["sum"])
    p, f = figures["paid"], figures["fund"]
    rows.section(_("已发放补助")).add(_("在职"), p["active"]).add(_("离退休"), p["retired"]).add(_("合计"), p["total"])
    rows.section(_("基金")).add(_("会费收入"), f["fees_in"]).add(_("补助支出"), f["subsidies_paid"])
    rows.add(_("结余"), f["balance"])
    return rows.rows


def report_build(*, user, year: int) -> Report:
    """The year's figures as a core Report (what the page, its .xlsx and the command print)."""
    figures = report_figures(user=user, year=year)
    return Report(
        title=_("互助会%(year)s年度统计") % {"year": year},
        figures=figures,
        rows=figures_rows(figures),
        charts=report_charts(figures),
    )


def report_charts(figures: dict) -> dict[str, Chart]:
    """The report's charts (`Report.charts`): members and subsidies paid, active beside retired,
    subsidies by disease, applications by status."""
    groups = (_("在职"), _("离退休"))
    statuses = [
        (label, figures["applications_by_status"][value])
        for value, label in ApplicationStatus.choices
        if figures["applications_by_status"][value]
    ]
    return {
        "members": Chart.pie(
            _("会员"), zip(groups, (figures["members"]["active"], figures["members"]["retired"]), strict=True)
        ),
        "paid": Chart.bars(
            _("已发放补助（元）"),
            zip(groups, (figures["paid"]["active"], figures["paid"]["retired"]), strict=True),
            value_format="yuan",
        ),
        "diseases": Chart.bars(
            _("核定补助：按病种（元）"),
            [(b["name"], b["sum"]) for b in figures["approved"]["by_disease"]],
            value_format="yuan",
        ),
        "statuses": Chart.bars(_("补助申请"), statuses),
    }
