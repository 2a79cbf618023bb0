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
Amounts are Decimal; `figures_json` turns them into strings.
"""

import datetime
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

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


def _cents(value) -> Decimal:
    return (value or ZERO).quantize(Decimal("0.01"))


def _visible(model, user):
    """`user` None: the system itself (the management command)."""
    return model.objects.all() if user is None else model.objects.restrict(user)


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


def figures_json(figures):
    """The same numbers with every Decimal as a string (for JSON)."""
    if isinstance(figures, dict):
        return {key: figures_json(value) for key, value in figures.items()}
    if isinstance(figures, list):
        return [figures_json(value) for value in figures]
    if isinstance(figures, Decimal):
        return str(figures)
    return figures


def figures_rows(figures: dict) -> list[tuple[str, str, object]]:
    """(section, item, value) rows: the .xlsx export and the page's tables."""
    rows = []
    add = rows.append
    m = figures["members"]
    add((_("会员"), _("在职"), m["active"]))
    add((_("会员"), _("离退休"), m["retired"]))
    add((_("会员"), _("合计"), m["total"]))
    for status, label in FeeLineStatus.choices:
        add((_("会费"), _("%(status)s（笔数）") % {"status": label}, figures["fees"][status]["count"]))
        add((_("会费"), _("%(status)s（金额）") % {"status": label}, figures["fees"][status]["sum"]))
    for status, label in ApplicationStatus.choices:
        add((_("补助申请"), str(label), figures["applications_by_status"][status]))
    a = figures["approved"]
    add((_("核定补助"), _("在职（人次）"), a["active"]["count"]))
    add((_("核定补助"), _("在职（金额）"), a["active"]["sum"]))
    add((_("核定补助"), _("离退休（人次）"), a["retired"]["count"]))
    add((_("核定补助"), _("离退休（金额）"), a["retired"]["sum"]))
    add((_("核定补助"), _("合计（人次）"), a["count"]))
    add((_("核定补助"), _("合计（金额）"), a["sum"]))
    for bucket in a["by_disease"]:
        add((_("按病种"), _("%(name)s（人次）") % {"name": bucket["name"]}, bucket["count"]))
        add((_("按病种"), _("%(name)s（金额）") % {"name": bucket["name"]}, bucket["sum"]))
    p = figures["paid"]
    add((_("已发放补助"), _("在职"), p["active"]))
    add((_("已发放补助"), _("离退休"), p["retired"]))
    add((_("已发放补助"), _("合计"), p["total"]))
    f = figures["fund"]
    add((_("基金"), _("会费收入"), f["fees_in"]))
    add((_("基金"), _("补助支出"), f["subsidies_paid"]))
    add((_("基金"), _("结余"), f["balance"]))
    return rows


def bar_chart(bars: list[tuple[str, Decimal | int]], *, width: int = 320, bar_height: int = 22) -> dict:
    """Geometry for a horizontal inline-SVG bar chart drawn by the template (no JS)."""
    label_width, gap = 96, 6
    values = [Decimal(value) for _, value in bars]
    largest = max(values, default=Decimal(0)) or Decimal(1)
    room = width - label_width - 80
    items = []
    for index, (label, value) in enumerate(bars):
        length = int(room * Decimal(value) / largest) if value else 0
        y = index * (bar_height + gap)
        items.append(
            {
                "label": label,
                "value": value,
                "x": label_width,
                "y": y,
                "length": max(length, 0),
                "text_y": y + bar_height * 0.7,
                "value_x": label_width + max(length, 0) + 4,
            }
        )
    return {
        "width": width,
        "height": max(len(bars) * (bar_height + gap), bar_height),
        "bar_height": bar_height,
        "label_width": label_width,
        "items": items,
    }
