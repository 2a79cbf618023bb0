"""The society's yearly figures: one function the page, the .xlsx export and the
`mutual_aid_report` command all print.

Report year Y (the scheme year, as in the union's bulletin: "2021: fees deducted for 1,383
active staff; the committee reviewed the 2020 list; 50,202.51 yuan paid to active staff"):
- members enrolled in Y and fees for Y;
- applications, approved and paid subsidies on the costs of Y − 1 (taken, decided and paid
  during Y; an application is computed under the edition of its cost year);
- fund balance = fees in for Y (ledger: deductions + receipts + refunds) − subsidies paid on
  the costs of Y − 1 (ledger: subsidy_payment). Charges are what members owe, not money in.
  The balance at the year's end (`fund_end`) adds up the same entries over every year to Y.
Active vs retired is the person's employment status when Y began (on 31 December of Y − 1,
`people.eligibility.status_on_condition`): retired if they had retired by then, active
otherwise (staff who retired during Y or later were working when the year's fees were
deducted and the previous year's costs were incurred). "Fees deducted for N active staff"
(the bulletin's figure, `fees_by_group`) counts the fee lines of Y that payroll deducted
(status deducted; paid by hand or failed not counted) of people active in Y: one line a
member a year, so lines are people.
Amounts are Decimal (rounded once, to the cent); `report_build` puts them in a core
`Report` (figures and rows) with its charts.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Case, CharField, Count, Q, Sum, Value, When
from django.utils.translation import gettext as _

from gonghui.core.money import money
from gonghui.core.reports import Chart, Report, RowsBuilder
from gonghui.mutual_aid.choices import ApplicationStatus, EditionStatus, FeeLineStatus, LedgerKind
from gonghui.mutual_aid.models import FeeLine, LedgerEntry, SchemeEdition, SchemeMembership, SubsidyApplication
from gonghui.people.choices import EmploymentStatus
from gonghui.people.eligibility import status_on_condition

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


def _by_group(queryset, year: int):
    """`queryset` (of rows with a `person`) with its group of Y annotated as `group`, ready
    for `.values("group").annotate(...)`: one aggregate query, whatever the size."""
    retired = status_on_condition([EmploymentStatus.RETIRED], datetime.date(year - 1, 12, 31), prefix="person__")
    group = Case(When(retired, then=Value("retired")), default=Value("active"), output_field=CharField())
    return queryset.annotate(group=group).order_by()


def _per_group(queryset, year: int, fields: tuple[str, ...], **aggregates) -> list[dict]:
    """`_by_group(queryset).values("group", *fields).annotate(**aggregates)` — the rows per
    group and `fields`, with additive aggregates (counts, sums, distinct counts of something
    that is one person's) — without joining every row to its person: the rows per `fields`
    alone, and those of the retired among the people not active today (an active person was
    active then: `status_on_condition` keeps a person active today in the active group). Active
    is the difference. At a million members the join is a third the size."""
    not_active = _by_group(queryset.exclude(person__employment_status=EmploymentStatus.ACTIVE), year)
    not_active = not_active.filter(group="retired")
    if fields:
        totals = list(queryset.order_by().values(*fields).annotate(**aggregates))
        parts = list(not_active.values(*fields).annotate(**aggregates))
    else:  # one row: an aggregate (values() without fields would group by every column)
        totals, parts = [queryset.order_by().aggregate(**aggregates)], [not_active.aggregate(**aggregates)]
    retired = {tuple(row[f] for f in fields): row for row in parts}
    rows = []
    for total in totals:
        key = tuple(total[f] for f in fields)
        part = retired.get(key)
        if part is not None:
            rows.append({"group": "retired", **part, **{name: part[name] or 0 for name in aggregates}})
        active = {name: (total[name] or 0) - ((part[name] or 0) if part else 0) for name in aggregates}
        if any(active.values()) or part is None:
            rows.append({"group": "active", **{f: total[f] for f in fields}, **active})
    return rows


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


def report_year_exists(*, user, year: int) -> bool:
    """Whether the society has anything in report year `year`: an adopted (or since
    superseded) edition of the year, fee lines of the year (a fee run that charged anyone), or
    subsidies paid on the costs of the year before (three existence checks)."""
    editions = SchemeEdition.objects.restrict(user).filter(
        year=year, status__in=[EditionStatus.ADOPTED, EditionStatus.SUPERSEDED]
    )
    return (
        editions.exists()
        or _visible(FeeLine, user).filter(year=year).exists()
        or _visible(LedgerEntry, user).filter(year=year - 1, kind=LedgerKind.SUBSIDY_PAYMENT).exists()
    )


def _members(user, year: int) -> dict:
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    members = {group: 0 for group in GROUPS}
    enrolled = (
        _visible(SchemeMembership, user)
        .filter(joined_on__lte=end)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=start))
    )
    for row in _per_group(enrolled, year, (), n=Count("id")):
        members[row["group"]] += row["n"]
    members["total"] = sum(members[g] for g in GROUPS)
    return members


def _fees(user, year: int) -> tuple[dict, dict]:
    """The fee lines of `year`, per status, and per group and status."""
    fees = {status: {"count": 0, "sum": ZERO} for status in FeeLineStatus.values}
    by_group = {group: {status: {"count": 0, "sum": ZERO} for status in FeeLineStatus.values} for group in GROUPS}
    lines = _visible(FeeLine, user).filter(year=year)
    for row in _per_group(lines, year, ("status",), n=Count("id"), s=Sum("amount")):
        by_group[row["group"]][row["status"]] = {"count": row["n"], "sum": _cents(row["s"])}
        bucket = fees[row["status"]]
        fees[row["status"]] = {"count": bucket["count"] + row["n"], "sum": _cents(bucket["sum"] + row["s"])}
    return fees, by_group


def _paid(user, year: int) -> tuple[dict, dict]:
    """The subsidies paid on the costs of `year` − 1, per group: the sums, and the applications."""
    paid = {group: ZERO for group in GROUPS}
    paid_count = {group: 0 for group in GROUPS}
    payments = _visible(LedgerEntry, user).filter(year=year - 1, kind=LedgerKind.SUBSIDY_PAYMENT)
    for row in _per_group(payments, year, (), s=Sum("amount"), n=Count("application", distinct=True)):
        paid[row["group"]] = _cents(paid[row["group"]] - row["s"])
        paid_count[row["group"]] += row["n"]
    paid["total"] = _cents(paid["active"] + paid["retired"])
    paid_count["total"] = paid_count["active"] + paid_count["retired"]
    return paid, paid_count


def _fund_end(user, year: int) -> dict:
    """To the year's end: every year's fees in, and the subsidies paid on the costs of every
    earlier year (report year Y pays those of Y − 1)."""
    totals = (
        _visible(LedgerEntry, user)
        .filter(year__lte=year)
        .aggregate(
            fees_in=Sum("amount", filter=Q(kind__in=FEES_IN)),
            paid=Sum("amount", filter=Q(kind=LedgerKind.SUBSIDY_PAYMENT, year__lte=year - 1)),
        )
    )
    fees_in_end, paid_end = _cents(totals["fees_in"]), _cents(-(totals["paid"] or 0))
    return {"fees_in": fees_in_end, "subsidies_paid": paid_end, "balance": _cents(fees_in_end - paid_end)}


def year_headline(*, user, year: int) -> dict:
    """The figures of report year `year` that the annual report and bulletins quote — members,
    the fee lines by group, the subsidies paid by group, the fund at the year's end — computed
    as `report_figures` does, without the applications' and the year's fund figures (four
    grouped queries)."""
    fees, by_group = _fees(user, year)
    paid, paid_count = _paid(user, year)
    return {
        "year": year,
        "members": _members(user, year),
        "fees": fees,
        "fees_by_group": by_group,
        "paid": paid,
        "paid_count": paid_count,
        "fund_end": _fund_end(user, year),
    }


def report_figures(*, user, year: int) -> dict:
    cost_year = year - 1
    figures = year_headline(user=user, year=year)

    applications = _visible(SubsidyApplication, user).filter(cost_year=cost_year)
    by_status = {status: 0 for status in ApplicationStatus.values}
    for row in applications.values("status").annotate(n=Count("id")):
        by_status[row["status"]] = row["n"]

    granted = applications.filter(status__in=GRANTED, approved_amount__isnull=False)
    approved: dict[str, Any] = {group: {"count": 0, "sum": ZERO} for group in GROUPS}
    for row in _by_group(granted, year).values("group").annotate(n=Count("id"), s=Sum("approved_amount")):
        bucket = approved[row["group"]]
        bucket["count"] += row["n"]
        bucket["sum"] = _cents(bucket["sum"] + row["s"])
    approved["count"] = sum(approved[g]["count"] for g in GROUPS)
    approved["sum"] = _cents(sum((approved[g]["sum"] for g in GROUPS), ZERO))
    by_disease: dict[str, dict[str, Any]] = {}
    for row in granted.values("disease_category__name").annotate(n=Count("id"), s=Sum("approved_amount")):
        name = row["disease_category__name"] or _("未分病种")
        bucket = by_disease.setdefault(name, {"name": name, "count": 0, "sum": ZERO})
        bucket["count"] += row["n"]
        bucket["sum"] = _cents(bucket["sum"] + row["s"])
    approved["by_disease"] = sorted(by_disease.values(), key=lambda b: (-b["sum"], b["name"]))

    fees_in = _cents(_visible(LedgerEntry, user).filter(year=year, kind__in=FEES_IN).aggregate(s=Sum("amount"))["s"])
    paid_total = figures["paid"]["total"]
    fund = {"fees_in": fees_in, "subsidies_paid": paid_total, "balance": _cents(fees_in - paid_total)}

    return {
        "year": year,
        "cost_year": cost_year,
        "members": figures["members"],
        "fees": figures["fees"],
        "fees_by_group": figures["fees_by_group"],
        "applications_by_status": by_status,
        "approved": approved,
        "paid": figures["paid"],
        "paid_count": figures["paid_count"],
        "fund": fund,
        "fund_end": figures["fund_end"],
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
    deducted = {group: figures["fees_by_group"][group][FeeLineStatus.DEDUCTED] for group in GROUPS}
    rows.add(_("在职教职工工资代扣（人）"), deducted["active"]["count"])
    rows.add(_("在职教职工工资代扣（金额）"), deducted["active"]["sum"])
    rows.add(_("离退休人员代扣（人）"), deducted["retired"]["count"])
    rows.add(_("离退休人员代扣（金额）"), deducted["retired"]["sum"])
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
    p, n, f = figures["paid"], figures["paid_count"], figures["fund"]
    rows.section(_("已发放补助")).add(_("在职"), p["active"]).add(_("离退休"), p["retired"]).add(_("合计"), p["total"])
    rows.add(_("在职（人次）"), n["active"]).add(_("离退休（人次）"), n["retired"]).add(_("合计（人次）"), n["total"])
    rows.section(_("基金")).add(_("会费收入"), f["fees_in"]).add(_("补助支出"), f["subsidies_paid"])
    rows.add(_("结余"), f["balance"]).add(_("年末累计结余"), figures["fund_end"]["balance"])
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
        (str(label), figures["applications_by_status"][value])
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
