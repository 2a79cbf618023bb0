"""Joining and leaving the mutual-aid society (互助会会籍).

Eligibility, the join window, back-pay and the waiting period come from the adopted
edition of the join year. A membership carries over year to year until the member opts
out (effective from the next fee year) or it lapses for an unpaid year.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.accounts.access import Actor, get_access, permission_require
from gonghui.core.exceptions import ApplicationError, PermissionDenied
from gonghui.core.history import AuditAction, snapshot
from gonghui.core.service_kit import audit, required_text
from gonghui.core.workflow import transition, transition_bulk
from gonghui.mutual_aid.choices import FeeChannel, FeeLineStatus, FeePeriod, SchemeMembershipStatus
from gonghui.mutual_aid.models import FeeLine, LedgerEntry, SchemeMembership
from gonghui.mutual_aid.selectors.fees import edition_adopted_for_year
from gonghui.mutual_aid.workflow import MembershipWorkflow
from gonghui.people.choices import EmploymentStatus
from gonghui.people.models import Person

ZERO = Decimal("0.00")
_FIELDS = ["joined_on", "eligible_from", "back_pay_due", "fee_channel", "status", "ended_on", "end_reason"]


def yearly_fee(*, edition, person) -> Decimal:
    """The year's fee for `person` under `edition` (a monthly fee × 12)."""
    fee = edition.fee_retired if person.employment_status == EmploymentStatus.RETIRED else edition.fee_active
    return fee * 12 if edition.fee_period == FeePeriod.MONTH else fee


def join_terms(*, edition, person, on: datetime.date) -> tuple[datetime.date, Decimal]:
    """(eligible_from, back_pay_due) for a join on `on`.

    In the window: covered at once, nothing to back-pay. Outside it: the waiting period
    applies, and a join after the window's end owes the fees missed since the window
    opened — for a yearly fee the year's fee, for a monthly fee one month's fee per full
    month since the window's start. The back-pay is the part of the year's fee line that
    covers the time before the join: it is collected through that line, not charged twice."""
    if edition.join_window_start <= on <= edition.join_window_end:
        return on, ZERO
    eligible_from = on + relativedelta(months=edition.waiting_months)
    if not edition.late_join_back_pay or on < edition.join_window_start:
        return eligible_from, ZERO
    fee = edition.fee_retired if person.employment_status == EmploymentStatus.RETIRED else edition.fee_active
    if edition.fee_period == FeePeriod.YEAR:
        return eligible_from, fee
    delta = relativedelta(on, edition.join_window_start)
    months = delta.years * 12 + delta.months
    return eligible_from, (fee * months).quantize(Decimal("0.01"))


def _check_may_enroll(*, actor: Actor, person) -> None:
    access = get_access(actor)
    if access.person_id and access.person_id == person.pk:
        return  # members join themselves from the portal
    if (
        actor.has_perm("mutual_aid.add_schememembership")
        and Person.objects.restrict(actor, "view").filter(pk=person.pk).exists()
    ):
        return
    raise PermissionDenied(_("无权为该人员办理入会"))


def eligibility_problem(*, edition, person, category_ids: set | None = None) -> str:
    """Why `person` may not join under `edition`, or "" if they may. `category_ids`: the
    edition's eligible categories, when the caller has read them once for many people."""
    if person.employment_status not in (edition.eligible_statuses or []):
        return _("%(name)s 的人员状态（%(status)s）不在本年度管理办法的参加范围内") % {
            "name": person.name,
            "status": person.get_employment_status_display(),
        }
    if category_ids is None:
        category_ids = set(edition.eligible_categories.values_list("pk", flat=True))
    if category_ids and person.employment_category_id not in category_ids:
        return _("%(name)s 的人员类别不在本年度管理办法的参加范围内") % {"name": person.name}
    return ""


def channel_problem(*, person, channel: str) -> str:
    """Why `person` may not pay through `channel`, or "" if they may."""
    if channel == FeeChannel.MANUAL and person.employment_status != EmploymentStatus.RETIRED:
        return _("在职人员的会费由工资代扣，只有退休金不经学校发放的离退休人员可现场缴纳")
    return ""


@transaction.atomic
def scheme_membership_enroll(
    *, person: Person, actor: Actor, on: datetime.date, channel: str | None = None
) -> SchemeMembership:
    """Enroll `person` on `on` (the member themselves, or the office / their sub-union
    officer). `channel`: payroll by default; "manual" for retirees whose pension is not
    paid through the university."""
    _check_may_enroll(actor=actor, person=person)
    edition = edition_adopted_for_year(year=on.year)
    if edition is None:
        raise ApplicationError(_("%(year)s 年度尚无已通过的管理办法，暂不能入会") % {"year": on.year})
    problem = eligibility_problem(edition=edition, person=person)
    if problem:
        raise ApplicationError(problem)
    channel = channel or FeeChannel.PAYROLL
    if channel not in FeeChannel.values:
        raise ApplicationError(_("缴费渠道无效"))
    problem = channel_problem(person=person, channel=channel)
    if problem:
        raise ApplicationError(problem)
    eligible_from, back_pay = join_terms(edition=edition, person=person, on=on)

    membership = SchemeMembership.objects.select_for_update().filter(person=person).first()
    if membership and membership.status == SchemeMembershipStatus.ACTIVE:
        raise ApplicationError(_("%(name)s 已是互助会会员") % {"name": person.name})
    values = {
        "joined_on": on,
        "eligible_from": eligible_from,
        "back_pay_due": back_pay,
        "fee_channel": channel,
        "ended_on": None,
        "end_reason": "",
        "enrolled_by": actor,
    }
    if membership is not None:  # a former member joins again
        return transition(MembershipWorkflow, membership, to=SchemeMembershipStatus.ACTIVE, actor=actor, values=values)
    membership = SchemeMembership.objects.create(person=person, status=SchemeMembershipStatus.ACTIVE, **values)
    audit(
        actor,
        membership,
        AuditAction.MEMBERSHIP,
        _("加入医疗互助会"),
        person_id=person.pk,
        changes={k: [None, v] for k, v in snapshot(membership, _FIELDS).items()},
    )
    return membership


@transaction.atomic
def scheme_membership_opt_out(
    *, membership: SchemeMembership, actor: Actor, reason: str, on: datetime.date | None = None
) -> SchemeMembership:
    """Leave the society. Takes effect for the next fee year: the current year's fee line
    stands and the member stays covered until the year's end."""
    reason = required_text(reason, _("退出须填写原因"))
    return transition(
        MembershipWorkflow,
        membership,
        to=SchemeMembershipStatus.OPTED_OUT,
        actor=actor,
        message=_("退出医疗互助会：%(reason)s") % {"reason": reason},
        values={"ended_on": on or timezone.localdate(), "end_reason": reason[:200]},
    )


@transaction.atomic
def scheme_membership_lapse_unpaid(*, year: int, actor: Actor) -> int:
    """Lapse every active membership whose fee line for `year` is still unpaid (its entries
    sum below zero), in one bulk step. The lapse is dated the year's last day, so the next
    year's fee run no longer charges them. Returns how many lapsed."""
    permission_require(actor, "mutual_aid.change_schememembership")
    unpaid_people = (
        LedgerEntry.objects.filter(
            fee_line__year=year, fee_line__status__in=[FeeLineStatus.CHARGED, FeeLineStatus.FAILED]
        )
        .values("fee_line__person_id")
        .annotate(total=Sum("amount"))
        .filter(total__lt=0)
        .values("fee_line__person_id")
    )
    lapsing = list(
        SchemeMembership.objects.filter(status=SchemeMembershipStatus.ACTIVE, person_id__in=unpaid_people).values_list(
            "pk", flat=True
        )
    )
    reason = _("%(year)s 年度会费未缴") % {"year": year}
    rows = SchemeMembership.objects.filter(pk__in=lapsing)
    moved = transition_bulk(MembershipWorkflow, rows, to=SchemeMembershipStatus.LAPSED, actor=actor, message=reason)
    rows.update(ended_on=datetime.date(year, 12, 31), end_reason=reason)
    return moved.moved


def fee_line_for(*, person, year: int) -> FeeLine | None:
    return FeeLine.objects.filter(person=person, year=year).first()
