"""Reads: participation per plan and sub-union, the yearly figures, a member's cover.

Every number the report page, its .xlsx, `manage.py insurance_report` and the portal print
comes from here, so they agree by construction. "Insured" means enrolled, on the roster,
accepted, or ended during the term (covered for part of it); rejected lines are not insured.
"""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from gonghui.insurance.benefits import cover_day, waiting_row
from gonghui.insurance.choices import ClaimStatus, EditionStatus
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


def _rate(enrolled: int, eligible: int) -> Decimal | None:
    if not eligible:
        return None
    return (Decimal(enrolled) / Decimal(eligible)).quantize(Decimal("0.0001"))


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
        rate = _rate(row["enrolled"], row["eligible"])
        out.append(
            {
                "sub_union": roots[root_id].name,
                "sub_union_id": root_id,
                **row,
                "rate": rate,
                "warning": rate is not None and rate < minimum,
            }
        )
    out.sort(key=lambda r: roots[r["sub_union_id"]].name_pinyin or r["sub_union"])
    total = {
        k: sum((r[k] for r in out), ZERO if k == "premium" else 0)
        for k in ("eligible", "opted_out", "enrolled", "premium")
    }
    total["rate"] = _rate(total["enrolled"], total["eligible"])
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
    premium = (totals["premium"] or ZERO) + adjustments
    claims = PlanClaim.objects.restrict(user).filter(edition=edition).exclude(status=ClaimStatus.WITHDRAWN)
    claim_totals = claims.aggregate(
        n=Count("pk"),
        paid_n=Count("pk", filter=Q(status=ClaimStatus.PAID)),
        paid=Sum("paid_amount", filter=Q(status=ClaimStatus.PAID)),
    )
    paid = claim_totals["paid"] or ZERO
    loss_ratio = (paid / premium).quantize(Decimal("0.0001")) if premium else None
    return {
        "edition_id": edition.pk,
        "plan": edition.plan.name,
        "plan_code": edition.plan.code,
        "start_date": edition.start_date.isoformat(),
        "end_date": edition.end_date.isoformat(),
        "price_per_share": f"{edition.price_per_share:.2f}",
        "insured": totals["n"],
        "shares": totals["shares"] or 0,
        "premium": f"{premium:.2f}",
        "member_share": f"{(totals['member'] or ZERO):.2f}",
        "by_sub_union": dict(sorted(by_sub_union.items())),
        "by_gender": by_gender,
        "claims": claim_totals["n"],
        "claims_paid": claim_totals["paid_n"],
        "paid": f"{paid:.2f}",
        "loss_ratio": f"{loss_ratio:.4f}" if loss_ratio is not None else None,
    }


def report_figures(*, user, year: int) -> dict:
    """The year's figures per adopted edition starting in `year`, and in total."""
    plans = [edition_figures(user=user, edition=e) for e in editions_for_year(user=user, year=year)]
    premium = sum((Decimal(p["premium"]) for p in plans), ZERO)
    paid = sum((Decimal(p["paid"]) for p in plans), ZERO)
    return {
        "year": year,
        "plans": plans,
        "total": {
            "insured": sum(p["insured"] for p in plans),
            "premium": f"{premium:.2f}",
            "claims": sum(p["claims"] for p in plans),
            "claims_paid": sum(p["claims_paid"] for p in plans),
            "paid": f"{paid:.2f}",
            "loss_ratio": f"{(paid / premium).quantize(Decimal('0.0001')):.4f}" if premium else None,
        },
    }


def figures_rows(figures: dict):
    """(plan, item, value) rows for the .xlsx export."""
    for plan in figures["plans"]:
        for key in (
            "start_date",
            "end_date",
            "price_per_share",
            "insured",
            "shares",
            "premium",
            "member_share",
            "claims",
            "claims_paid",
            "paid",
            "loss_ratio",
        ):
            yield plan["plan"], key, plan[key]
        for name, n in plan["by_sub_union"].items():
            yield plan["plan"], f"sub_union:{name}", n
        for name, n in plan["by_gender"].items():
            yield plan["plan"], f"gender:{name}", n
    for key, value in figures["total"].items():
        yield "total", key, value


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
    from gonghui.insurance.services.claims import _continuous

    today = today or timezone.localdate()
    enrollments = (
        PlanEnrollment.objects.filter(
            person=person, status__in=INSURED, edition__status=EditionStatus.ADOPTED, edition__start_date__year=year
        )
        .select_related("edition__plan")
        .order_by("edition__plan__sort_order", "edition__plan__code")
    )
    out = []
    for enrollment in enrollments:
        premium = enrollment.premium + sum((a.amount for a in enrollment.adjustments.all()), ZERO)
        until = None if _continuous(enrollment) else waiting_until(enrollment)
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


def my_claims(*, user):
    person_id = getattr(user, "person_id", None)
    if not person_id:
        return PlanClaim.objects.none()
    return PlanClaim.objects.filter(person_id=person_id).select_related("edition__plan").order_by("-reported_on", "-id")
