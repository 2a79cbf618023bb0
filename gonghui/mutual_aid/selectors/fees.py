"""Reads for membership, fee runs and the ledger. Each takes the acting user where the
answer depends on who asks, and returns a scoped queryset."""

from decimal import Decimal

from django.db.models import Count, OuterRef, Q, Subquery, Sum

from gonghui.core.selector_kit import filters_apply
from gonghui.mutual_aid.choices import EditionStatus, FeeChannel, FeeLineStatus
from gonghui.mutual_aid.models import FeeLine, LedgerEntry, SchemeEdition, SchemeMembership

ZERO = Decimal("0.00")


def edition_adopted_for_year(*, year: int) -> SchemeEdition | None:
    """The adopted edition of `year` (at most one, by constraint)."""
    return SchemeEdition.objects.filter(year=year, status=EditionStatus.ADOPTED).first()


def membership_list(*, user, year: int | None = None, filters: dict | None = None):
    """Scheme memberships `user` may see, with the person and, for `year`, that year's fee
    line status and amount (annotated `line_status`, `line_amount`)."""
    filters = filters or {}
    qs = (
        SchemeMembership.objects.restrict(user, "view")
        .select_related("person", "person__sub_union")
        .order_by("person__sub_union__sort_key", "person__name_pinyin", "person__staff_no")
    )
    if year:
        lines = FeeLine.objects.filter(year=year, person_id=OuterRef("person_id"))
        qs = qs.annotate(
            line_status=Subquery(lines.values("status")[:1]), line_amount=Subquery(lines.values("amount")[:1])
        )
    if filters.get("sub_union"):
        from gonghui.people.models import SubUnion

        qs = qs.filter(person__sub_union_id__in=SubUnion.objects.with_descendants([filters["sub_union"]]))
    qs = filters_apply(qs, filters, {"status": "status", "channel": "fee_channel"})
    if filters.get("q"):
        text = filters["q"].strip()
        qs = qs.filter(Q(person__name__contains=text) | Q(person__staff_no=text))
    return qs


def membership_of(*, person) -> SchemeMembership | None:
    return SchemeMembership.objects.filter(person=person).first()


def fee_line_list(*, user, year: int | None = None):
    qs = FeeLine.objects.restrict(user, "view").select_related("person", "person__sub_union")
    if year:
        qs = qs.filter(year=year)
    return qs.order_by("-year", "person__staff_no")


def fee_year_summary(*, year: int) -> dict:
    """Lines of the year by status: {status: {"count", "amount"}}, plus the ledger's sums by kind."""
    rows = FeeLine.objects.filter(year=year).values("status").annotate(count=Count("id"), amount=Sum("amount"))
    by_status: dict[str, dict] = {
        status: {"label": label, "count": 0, "amount": ZERO} for status, label in FeeLineStatus.choices
    }
    for row in rows:
        by_status[row["status"]]["count"] = row["count"]
        by_status[row["status"]]["amount"] = _money(row["amount"])
    ledger = {
        row["kind"]: _money(row["total"])
        for row in LedgerEntry.objects.filter(year=year, fee_line__isnull=False)
        .values("kind")
        .annotate(total=Sum("amount"))
    }
    return {
        "by_status": by_status,
        "lines": sum(v["count"] for v in by_status.values()),
        "amount": sum((v["amount"] for v in by_status.values()), ZERO),
        "ledger": ledger,
        "balance": sum(ledger.values(), ZERO),
    }


def fee_years() -> list[int]:
    return list(FeeLine.objects.order_by("-year").values_list("year", flat=True).distinct())


def deduction_rows(*, year: int):
    """The payroll deduction file's rows for finance: payroll-channel lines still to be
    deducted, as (工号, 姓名, 单位, 扣款项目, 扣款金额, 年度)."""
    from django.utils.translation import gettext as _

    item = _("医疗互助会会费")
    qs = (
        FeeLine.objects.filter(year=year, channel=FeeChannel.PAYROLL, status=FeeLineStatus.CHARGED)
        .order_by("person__staff_no")
        .values_list("person__staff_no", "person__name", "person__sub_union__name", "amount", "year")
    )
    for staff_no, name, unit, amount, line_year in qs.iterator(chunk_size=2000):
        yield [staff_no, name, unit, item, _money(amount), line_year]


def ledger_entries(*, user, person, year: int | None = None):
    qs = LedgerEntry.objects.restrict(user, "view").filter(person=person).select_related("created_by")
    if year:
        qs = qs.filter(year=year)
    return qs.order_by("at", "id")


def person_balance(*, person, year: int | None = None) -> Decimal:
    """The sum of the person's ledger entries (negative: owes)."""
    qs = LedgerEntry.objects.filter(person=person)
    if year:
        qs = qs.filter(year=year)
    return _money(qs.aggregate(total=Sum("amount"))["total"])


def fee_line_balance(*, fee_line) -> Decimal:
    return _money(fee_line.entries.aggregate(total=Sum("amount"))["total"])


def person_fee_lines(*, person):
    """A person's fee lines by year with each line's balance (`balance`)."""
    lines = list(FeeLine.objects.filter(person=person).order_by("-year"))
    sums = dict(
        LedgerEntry.objects.filter(fee_line__in=lines)
        .values("fee_line")
        .annotate(total=Sum("amount"))
        .values_list("fee_line", "total")
    )
    for line in lines:
        line.balance = _money(sums.get(line.pk))  # type: ignore[attr-defined]
    return lines


def _money(value) -> Decimal:
    if value is None:
        return ZERO
    return Decimal(value).quantize(Decimal("0.01"))
