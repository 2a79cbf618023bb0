"""Reads: participation per plan and sub-union, the yearly figures, a member's cover.

Every number the report page, its .xlsx, `manage.py insurance_report` and the portal print
comes from here, so they agree by construction. "Insured" means enrolled, on the roster,
accepted, or ended during the term (covered for part of it); rejected lines are not insured.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.core.editions import EditionStatus
from gonghui.core.money import money
from gonghui.core.reports import Chart, Report, RowsBuilder, rate
from gonghui.core.text import sort_key
from gonghui.insurance.benefits import cover_day, waiting_row
from gonghui.insurance.choices import ClaimStatus
from gonghui.insurance.models import OptOut, PlanClaim, PlanEdition, PlanEnrollment, PremiumAdjustment
from gonghui.insurance.services.enrollment import eligible_people
from gonghui.insurance.workflow import INSURED
from gonghui.people.choices import Gender
from gonghui.people.models import SubUnion

ZERO = Decimal("0.00")


def sub_union_roots() -> dict[int, SubUnion]:
    """Each sub-union's top-level sub-union (a union group counts with its college)."""
    nodes = {s.pk: s for s in SubUnion.objects.all()}
    roots = {}
    for pk, node in nodes.items():
        top = node
        while top.parent_id and top.parent_id in nodes:
            top = nodes[top.parent_id]
        roots[pk] = top
    return roots


def editions_for_year(*, user, year: int):
    return (
        PlanEdition.objects.restrict(user)
        .filter(status=EditionStatus.ADOPTED, start_date__year=year)
        .select_related("plan")
        .order_by("plan__sort_order", "plan__code", "start_date")
    )


def report_years(*, user) -> list[int]:
    """The years in which an adopted edition starts (the report's years with figures)."""
    editions = PlanEdition.objects.restrict(user).filter(status=EditionStatus.ADOPTED)
    return [day.year for day in editions.dates("start_date", "year")]


def participation(*, user, edition: PlanEdition) -> dict:
    """Eligible on the start date, opted out, insured, and the rate against the edition's
    minimum, per top-level sub-union and in total."""
    roots = sub_union_roots()
    eligible = eligible_people(edition)
    rows: dict = defaultdict(lambda: {"eligible": 0, "opted_out": 0, "enrolled": 0, "premium": ZERO})
    visible_sub_unions = set(roots)
    from gonghui.people.models import Person

    visible = Person.objects.restrict(user).values("pk")
    for sub_union_id, n in eligible.filter(pk__in=visible).values_list("sub_union_id").annotate(n=Count("pk")):
        rows[roots[sub_union_id].pk]["eligible"] += n
    opted = OptOut.objects.filter(edition=edition, person__in=eligible.filter(pk__in=visible))
    for sub_union_id, n in opted.values_list("person__sub_union_id").annotate(n=Count("pk")):
        rows[roots[sub_union_id].pk]["opted_out"] += n
    insured = PlanEnrollment.objects.restrict(user).filter(edition=edition, status__in=INSURED)
    for sub_union_id, n, premium in insured.values_list("sub_union_id").annotate(n=Count("pk"), p=Sum("premium")):
        rows[roots[sub_union_id].pk]["enrolled"] += n
        rows[roots[sub_union_id].pk]["premium"] += premium or ZERO
    adjustments = PremiumAdjustment.objects.filter(enrollment__in=insured)
    for sub_union_id, amount in adjustments.values_list("enrollment__sub_union_id").annotate(a=Sum("amount")):
        rows[roots[sub_union_id].pk]["premium"] += amount or ZERO
    minimum = edition.min_participation_rate
    out = []
    for root_id, row in rows.items():
        if root_id not in visible_sub_unions:
            continue
        share = rate(row["enrolled"], row["eligible"])
        out.append(
            {
                "sub_union": roots[root_id].name,
                "sub_union_id": root_id,
                **row,
                "rate": share,
                "warning": share is not None and share < minimum,
            }
        )
    out.sort(key=lambda r: roots[r["sub_union_id"]].sort_key or r["sub_union"])
    total = {
        k: sum((r[k] for r in out), ZERO if k == "premium" else 0)
        for k in ("eligible", "opted_out", "enrolled", "premium")
    }
    total["rate"] = rate(total["enrolled"], total["eligible"])
    total["warning"] = total["rate"] is not None and total["rate"] < minimum
    return {"edition": edition, "rows": out, "total": total, "minimum": minimum}


def edition_figures(*, user, edition: PlanEdition) -> dict:
    insured = PlanEnrollment.objects.restrict(user).filter(edition=edition, status__in=INSURED)
    roots = sub_union_roots()
    by_sub_union: dict[str, int] = defaultdict(int)
    for sub_union_id, n in insured.values_list("sub_union_id").annotate(n=Count("pk")):
        by_sub_union[roots[sub_union_id].name] += n
    by_gender = {str(label): 0 for _value, label in Gender.choices}
    for gender, n in insured.values_list("person__gender").annotate(n=Count("pk")):
        by_gender[str(Gender(gender).label)] += n
    totals = insured.aggregate(n=Count("pk"), shares=Sum("shares"), premium=Sum("premium"), member=Sum("member_share"))
    adjustments = PremiumAdjustment.objects.filter(enrollment__in=insured).aggregate(a=Sum("amount"))["a"] or ZERO
    premium = money((totals["premium"] or ZERO) + adjustments)
    claims = PlanClaim.objects.restrict(user).filter(edition=edition).exclude(status=ClaimStatus.WITHDRAWN)
    claim_totals = claims.aggregate(
        n=Count("pk"),
        paid_n=Count("pk", filter=Q(status=ClaimStatus.PAID)),
        paid=Sum("paid_amount", filter=Q(status=ClaimStatus.PAID)),
    )
    paid = money(claim_totals["paid"])
    return {
        "edition_id": edition.pk,
        "plan": edition.plan.name,
        "plan_code": edition.plan.code,
        "start_date": edition.start_date.isoformat(),
        "end_date": edition.end_date.isoformat(),
        "price_per_share": money(edition.price_per_share),
        "insured": totals["n"],
        "shares": totals["shares"] or 0,
        "premium": premium,
        "member_share": money(totals["member"]),
        "by_sub_union": dict(sorted(by_sub_union.items(), key=lambda item: (sort_key(item[0]), item[0]))),
        "by_gender": by_gender,
        "claims": claim_totals["n"],
        "claims_paid": claim_totals["paid_n"],
        "paid": paid,
        "loss_ratio": rate(paid, premium),
    }


def _plan_rows(rows: RowsBuilder, plan: dict) -> None:
    rows.section(plan["plan"])
    for key, label in (
        ("start_date", _("保障起始日")),
        ("end_date", _("保障截止日")),
        ("price_per_share", _("每份保费（元）")),
        ("insured", _("参保人数")),
        ("shares", _("份数")),
        ("premium", _("保费（元）")),
        ("member_share", _("个人负担（元）")),
        ("claims", _("理赔件数")),
        ("claims_paid", _("已赔付件数")),
        ("paid", _("赔付（元）")),
        ("loss_ratio", _("赔付率")),
    ):
        rows.add(label, plan[key])
    for name, n in plan["by_sub_union"].items():
        rows.add(_("参保人数：%(sub_union)s") % {"sub_union": name}, n)
    for name, n in plan["by_gender"].items():
        rows.add(_("参保人数：%(gender)s") % {"gender": name}, n)


def insurance_report(*, user, year: int) -> Report:
    """The year's figures per adopted edition starting in `year`, and in total: what the
    report page, its .xlsx and `manage.py insurance_report` print."""
    plans = [edition_figures(user=user, edition=e) for e in editions_for_year(user=user, year=year)]
    premium = money(sum((p["premium"] for p in plans), ZERO))
    paid = money(sum((p["paid"] for p in plans), ZERO))
    total = {
        "insured": sum(p["insured"] for p in plans),
        "premium": premium,
        "claims": sum(p["claims"] for p in plans),
        "claims_paid": sum(p["claims_paid"] for p in plans),
        "paid": paid,
        "loss_ratio": rate(paid, premium),
    }
    rows = RowsBuilder()
    for plan in plans:
        _plan_rows(rows, plan)
    rows.section(_("合计"))
    for key, label in (
        ("insured", _("参保人数")),
        ("premium", _("保费（元）")),
        ("claims", _("理赔件数")),
        ("claims_paid", _("已赔付件数")),
        ("paid", _("赔付（元）")),
        ("loss_ratio", _("赔付率")),
    ):
        rows.add(label, total[key])
    return Report(
        title=_("职工互助保障%(year)s年度统计") % {"year": year},
        figures={"year": year, "plans": plans, "total": total},
        rows=rows.rows,
        headers=(_("计划"), _("项目"), _("数值")),
        charts=report_charts(plans),
    )


def year_totals(*, user, year: int) -> dict:
    """The year's headline figures — per adopted edition starting in `year` its insured, premium
    (adjustments included), claims paid and their sum; the people insured in any of them,
    counted once; the totals — each as `insurance_report` computes it, in five grouped queries
    whatever the number of editions and people. The annual report, bulletins and the workbench
    quote these; the report page adds the breakdowns by sub-union and gender."""
    editions = list(editions_for_year(user=user, year=year))
    ids = [edition.pk for edition in editions]
    insured = PlanEnrollment.objects.restrict(user).filter(edition__in=ids, status__in=INSURED).order_by()
    enrolled = {
        row["edition_id"]: row for row in insured.values("edition_id").annotate(n=Count("pk"), premium=Sum("premium"))
    }
    adjusted = dict(
        PremiumAdjustment.objects.filter(enrollment__in=insured)
        .order_by()
        .values_list("enrollment__edition_id")
        .annotate(amount=Sum("amount"))
    )
    paid_claims = PlanClaim.objects.restrict(user).filter(edition__in=ids, status=ClaimStatus.PAID).order_by()
    claimed = {
        row["edition_id"]: row
        for row in paid_claims.values("edition_id").annotate(n=Count("pk"), paid=Sum("paid_amount"))
    }
    plans = []
    for edition in editions:
        row, claims = enrolled.get(edition.pk, {}), claimed.get(edition.pk, {})
        plans.append(
            {
                "edition_id": edition.pk,
                "plan": edition.plan.name,
                "plan_code": edition.plan.code,
                "insured": row.get("n", 0),
                "premium": money((row.get("premium") or ZERO) + (adjusted.get(edition.pk) or ZERO)),
                "claims_paid": claims.get("n", 0),
                "paid": money(claims.get("paid")),
            }
        )
    premium = money(sum((p["premium"] for p in plans), ZERO))
    paid = money(sum((p["paid"] for p in plans), ZERO))
    total = {
        "insured": sum(p["insured"] for p in plans),
        "people": insured.aggregate(n=Count("person", distinct=True))["n"] if ids else 0,
        "premium": premium,
        "claims_paid": sum(p["claims_paid"] for p in plans),
        "paid": paid,
        "loss_ratio": rate(paid, premium),
    }
    return {"year": year, "plans": plans, "total": total}


def plan_chart_key(plan: dict) -> str:
    return f"plan-{plan['plan_code']}"


def report_charts(plans: list[dict]) -> dict[str, Chart]:
    """The report's charts (`Report.charts`): insured per plan, premium beside paid, the loss
    ratio, and each plan by sub-union (`plan_chart_key`)."""
    return {
        "insured": Chart.bars(_("参保人数"), [(p["plan"], p["insured"]) for p in plans]),
        "money": Chart.grouped(
            _("保费与赔付（元）"),
            [(p["plan"], p["premium"], p["paid"]) for p in plans],
            names=[_("保费"), _("赔付")],
            value_format="yuan",
        ),
        "loss_ratio": Chart.bars(_("赔付率"), [(p["plan"], p["loss_ratio"]) for p in plans], value_format="percent"),
        **{
            plan_chart_key(p): Chart.bars(_("%(plan)s：按分工会") % {"plan": p["plan"]}, p["by_sub_union"].items())
            for p in plans
        },
    }


def waiting_until(enrollment: PlanEnrollment) -> datetime.date | None:
    """The first day of full benefit, if the schedule has a waiting period."""
    schedule = sorted(enrollment.edition.waiting_schedule or [], key=lambda r: int(r["from_day"]))
    full = [r for r in schedule if Decimal(str(r.get("share", "1"))) >= 1 and r.get("max_per_share") in (None, "")]
    if not schedule or not full:
        return None
    day = int(full[0]["from_day"])
    if day <= 1:
        return None
    return enrollment.starts_on + datetime.timedelta(days=day - 1)


def person_cover(*, person, year: int, today: datetime.date | None = None) -> list[dict]:
    """ "My cover this year": the person's insured enrollments under editions starting in
    `year` — plan, shares, premium, period, status and waiting status on `today`."""
    today = today or timezone.localdate()
    insured = PlanEnrollment.objects.filter(person=person, status__in=INSURED)
    enrollments = (
        insured.filter(edition__status=EditionStatus.ADOPTED, edition__start_date__year=year)
        .select_related("edition__plan")
        .prefetch_related("adjustments")
        .order_by("edition__plan__sort_order", "edition__plan__code")
    )
    # cover carried on without a gap from the plan's previous term waives the waiting period
    ended = set(insured.values_list("edition__plan_id", "ends_on"))
    out = []
    for enrollment in enrollments:
        premium = enrollment.premium + sum((a.amount for a in enrollment.adjustments.all()), ZERO)
        continuous = (enrollment.edition.plan_id, enrollment.starts_on - datetime.timedelta(days=1)) in ended
        until = None if continuous else waiting_until(enrollment)
        day = cover_day(starts_on=enrollment.starts_on, event_date=today)
        if today < enrollment.starts_on or today > enrollment.ends_on:
            waiting = "outside"
        elif until and today < until:
            waiting = "waiting"
        else:
            waiting = "full"
        out.append(
            {
                "enrollment": enrollment,
                "plan": enrollment.edition.plan.name,
                "plan_code": enrollment.edition.plan.code,
                "shares": enrollment.shares,
                "premium": premium,
                "member_share": enrollment.member_share,
                "starts_on": enrollment.starts_on,
                "ends_on": enrollment.ends_on,
                "status": enrollment.get_status_display(),
                "waiting": waiting,
                "waiting_until": until,
                "waiting_share": waiting_row(enrollment.edition.waiting_schedule, day).get("share", "1"),
            }
        )
    return out


def claim_list(*, user, status: str = ""):
    """The claims `user` may see (the office: all; a sub-union officer: their people's), one
    `status` only when it is one (anything else is ignored)."""
    qs = PlanClaim.objects.restrict(user).select_related("person", "edition__plan")
    if status in ClaimStatus.values:
        qs = qs.filter(status=status)
    return qs


def my_claims(*, user, status: str = ""):
    """The member's own claims, one `status` only when it is one (anything else is ignored)."""
    person_id = getattr(user, "person_id", None)
    if not person_id:
        return PlanClaim.objects.none()
    qs = PlanClaim.objects.filter(person_id=person_id)
    if status in ClaimStatus.values:
        qs = qs.filter(status=status)
    return qs.select_related("edition__plan").order_by("-reported_on", "-id")
