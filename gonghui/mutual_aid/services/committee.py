"""The welfare committee's sitting, its decisions, and the public notice (公示) that follows.

Decisions belong to the welfare committee (permission mutual_aid.decide_subsidyapplication);
the union office records the sitting (date, place, members, minutes) and posts the notice.
Every status change goes through the core workflow (gonghui.mutual_aid.workflow): one
application by `transition`, a sitting's whole list (the notice, its end) by `transition_bulk`.

Pro-rata mode (以收定支, edition.pro_rata_mode): a decision records the claim
(Decision.amount); the sitting's "share out" then sets each approved application's
approved_amount to its share of the fund (calculator.pro_rata_distribute: the shares add up
to the fund exactly). After a share-out, approving more than the fund has left is refused.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.accounts.access import Actor, permission_require
from gonghui.accounts.models import User
from gonghui.accounts.roles import Role
from gonghui.core.exceptions import ApplicationError
from gonghui.core.history import AuditAction
from gonghui.core.service_kit import audit, required_text
from gonghui.core.workflow import transition, transition_bulk
from gonghui.mutual_aid.calculator import pro_rata_distribute, to_cents
from gonghui.mutual_aid.choices import ApplicationStatus as S
from gonghui.mutual_aid.choices import DecisionOutcome, EditionStatus, NoticeStatus
from gonghui.mutual_aid.models import (
    CommitteeSitting,
    Decision,
    NoticeObjection,
    PublicNotice,
    SchemeEdition,
    SubsidyApplication,
)
from gonghui.mutual_aid.workflow import ApplicationWorkflow, NoticeWorkflow

ZERO = Decimal("0.00")
DECIDE_PERMISSION = "mutual_aid.decide_subsidyapplication"
OUTCOME_STATUS: dict[str, str] = {
    DecisionOutcome.APPROVED: S.APPROVED,
    DecisionOutcome.ADJUSTED: S.ADJUSTED,
    DecisionOutcome.REJECTED: S.REJECTED,
}
# Statuses that count as "granted" (awaiting or past the notice).
GRANTED = [S.APPROVED, S.ADJUSTED, S.ON_NOTICE, S.ON_HOLD, S.PAYABLE, S.PAID, S.CLOSED]


def edition_for_year(year: int) -> SchemeEdition:
    editions = SchemeEdition.objects.filter(year=year, status__in=[EditionStatus.ADOPTED, EditionStatus.SUPERSEDED])
    edition = editions.order_by("status", "-adopted_on", "-id").first()  # "adopted" sorts before "superseded"
    if edition is None:
        raise ApplicationError(_("%(year)s年度尚无已通过的管理办法。") % {"year": year})
    return edition


def committee_members() -> QuerySet[User]:
    return User.objects.filter(role_assignments__role=Role.WELFARE_COMMITTEE, is_active=True).distinct()


def _money(value, *, field: str) -> Decimal:
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        raise ApplicationError(_("金额格式不正确。"), extra={"field": field}) from None
    if not amount.is_finite():
        raise ApplicationError(_("金额格式不正确。"), extra={"field": field})
    if amount < 0:
        raise ApplicationError(_("金额不能为负数。"), extra={"field": field})
    if amount != amount.quantize(Decimal("0.01")):
        raise ApplicationError(_("金额最多保留两位小数。"), extra={"field": field})
    return to_cents(amount)


# --- sittings ---------------------------------------------------------------------------


@transaction.atomic
def sitting_create(
    *, actor, year: int, held_on: datetime.date, place: str = "", members, fund_amount=None, minutes: str = ""
) -> CommitteeSitting:
    """The office records a sitting: its date, place and the committee members present.
    In pro-rata mode the sitting needs the fund it shares out."""
    permission_require(actor, "mutual_aid.add_committeesitting")
    edition = edition_for_year(year)
    members = list(members)
    if not members:
        raise ApplicationError(_("请选择出席会议的福利委员会委员。"), extra={"field": "members"})
    eligible = set(committee_members().values_list("pk", flat=True))
    outsiders = [str(m) for m in members if m.pk not in eligible]
    if outsiders:
        raise ApplicationError(
            _("以下人员不是福利委员会委员：%(names)s") % {"names": "、".join(outsiders)}, extra={"field": "members"}
        )
    if edition.pro_rata_mode:
        if fund_amount in (None, ""):
            raise ApplicationError(_("以收定支模式下须填写可分配资金。"), extra={"field": "fund_amount"})
        fund_amount = _money(fund_amount, field="fund_amount")
    else:
        fund_amount = None
    sitting = CommitteeSitting.objects.create(
        year=year, held_on=held_on, place=place.strip(), fund_amount=fund_amount, minutes=minutes, created_by=actor
    )
    sitting.members.set(members)
    audit(
        actor,
        sitting,
        AuditAction.CREATED,
        _("福利委员会会议 %(date)s，审议%(year)s年度补助申请") % {"date": held_on.isoformat(), "year": year},
        changes={"members": [None, [str(m) for m in members]], "fund_amount": [None, str(fund_amount or "")]},
    )
    return sitting


def sitting_edition(sitting: CommitteeSitting) -> SchemeEdition:
    return edition_for_year(sitting.year)


def _check_open(sitting: CommitteeSitting) -> None:
    if sitting.closed_at is not None:
        raise ApplicationError(_("会议已结束，不能再作出或修改评议结论。"))


def _shared_out(sitting: CommitteeSitting) -> bool:
    return sitting.decisions.filter(
        application__status__in=[S.APPROVED, S.ADJUSTED], application__approved_amount__isnull=False
    ).exists()


@transaction.atomic
def decision_record(
    *, sitting: CommitteeSitting, application: SubsidyApplication, outcome: str, actor, amount=None, reason: str = ""
) -> Decision:
    """The committee's decision on one application of the sitting's list.

    approve: the computed subsidy; adjust: a new amount, reason required; reject: reason
    required. Refusals raise ApplicationError and change nothing."""
    permission_require(actor, DECIDE_PERMISSION)
    sitting = CommitteeSitting.objects.select_for_update().get(pk=sitting.pk)
    _check_open(sitting)
    application = SubsidyApplication.objects.select_for_update().get(pk=application.pk)
    if application.cost_year != sitting.year:
        raise ApplicationError(_("该申请不属于本次会议审议的年度。"))
    if application.status != S.OFFICE_CHECKED or Decision.objects.filter(application=application).exists():
        raise ApplicationError(_("申请当前状态为“%(status)s”，不能评议。") % {"status": S(application.status).label})
    reason = (reason or "").strip()
    if outcome == DecisionOutcome.APPROVED:
        amount = application.computed_subsidy
    elif outcome == DecisionOutcome.ADJUSTED:
        if amount in (None, ""):
            raise ApplicationError(_("调整须填写核定金额。"), extra={"field": "amount"})
        amount = _money(amount, field="amount")
        if not reason:
            raise ApplicationError(_("调整金额须说明理由。"), extra={"field": "reason"})
    elif outcome == DecisionOutcome.REJECTED:
        if not reason:
            raise ApplicationError(_("不予补助须说明理由。"), extra={"field": "reason"})
        amount = ZERO
    else:
        raise ApplicationError(_("未知的评议结论。"))

    edition = application.edition
    approved_amount = amount if outcome != DecisionOutcome.REJECTED else None
    if edition.pro_rata_mode and outcome != DecisionOutcome.REJECTED:
        approved_amount = None  # set by the share-out
        if _shared_out(sitting):
            allotted = (
                sitting.decisions.filter(application__status__in=[S.APPROVED, S.ADJUSTED]).aggregate(
                    total=Sum("application__approved_amount")
                )["total"]
                or ZERO
            )
            left = (sitting.fund_amount or ZERO) - allotted
            if amount > left:
                raise ApplicationError(
                    _(
                        "以收定支模式下批准金额不能超过可分配资金：本次会议资金 %(fund)s 元已分配 %(allotted)s 元，"
                        "剩余 %(left)s 元，不足批准 %(amount)s 元。"
                    )
                    % {"fund": sitting.fund_amount, "allotted": allotted, "left": left, "amount": amount},
                    extra={"field": "amount"},
                )
            approved_amount = amount

    decision = Decision.objects.create(
        sitting=sitting, application=application, outcome=outcome, amount=amount, reason=reason, decided_by=actor
    )
    parameters = {
        "sitting": sitting.pk,
        "outcome": outcome,
        "amount": str(amount),
        "computed_subsidy": str(application.computed_subsidy),
    }
    if outcome == DecisionOutcome.APPROVED:
        message = _("福利委员会批准补助 %(amount)s 元。") % {"amount": amount}
    elif outcome == DecisionOutcome.ADJUSTED:
        message = _("福利委员会调整补助为 %(amount)s 元：%(reason)s") % {"amount": amount, "reason": reason}
    else:
        message = _("福利委员会不予补助：%(reason)s") % {"reason": reason}
    if edition.pro_rata_mode and outcome != DecisionOutcome.REJECTED and approved_amount is None:
        message += _("（以收定支，按比例分配后确定金额）")
    transition(
        ApplicationWorkflow,
        application,
        to=OUTCOME_STATUS[outcome],
        actor=actor,
        message=message,
        parameters=parameters,
        values={"approved_amount": approved_amount},
    )
    return decision


@transaction.atomic
def sitting_share_out(*, sitting: CommitteeSitting, actor) -> tuple[dict, Decimal]:
    """以收定支: share the sitting's fund over its approved claims. Each approved
    application's approved_amount becomes its share; the shares add up to the fund exactly
    (or each claim is paid in full when the fund covers them all). Returns (shares, ratio)."""
    permission_require(actor, DECIDE_PERMISSION)
    sitting = CommitteeSitting.objects.select_for_update().get(pk=sitting.pk)
    _check_open(sitting)
    edition = sitting_edition(sitting)
    if not edition.pro_rata_mode or sitting.fund_amount is None:
        raise ApplicationError(_("本年度管理办法不是以收定支模式，无需按比例分配。"))
    decisions = list(
        sitting.decisions.select_related("application")
        .select_for_update()
        .filter(application__status__in=[S.APPROVED, S.ADJUSTED])
        .order_by("application_id")
    )
    if not decisions:
        raise ApplicationError(_("本次会议还没有批准的申请。"))
    claims = {d.application_id: d.amount for d in decisions}
    shares, ratio = pro_rata_distribute(fund=sitting.fund_amount, claims=claims)
    for decision in decisions:
        application = decision.application
        before = application.approved_amount
        application.approved_amount = shares[application.pk]
        application.save(update_fields=["approved_amount", "updated_at"])
        audit(
            actor,
            application,
            AuditAction.UPDATED,
            _("以收定支按比例分配：申请 %(claim)s 元，分配 %(share)s 元")
            % {"claim": decision.amount, "share": shares[application.pk]},
            person_id=application.person_id,
            changes={"approved_amount": [str(before) if before is not None else None, str(shares[application.pk])]},
        )
    audit(
        actor,
        sitting,
        AuditAction.UPDATED,
        _("以收定支按比例分配：资金 %(fund)s 元，申请合计 %(total)s 元，比例 %(ratio)s")
        % {"fund": sitting.fund_amount, "total": sum(claims.values(), ZERO), "ratio": f"{ratio:.6f}"},
    )
    return shares, ratio


@transaction.atomic
def sitting_close(*, sitting: CommitteeSitting, actor, minutes: str = "") -> CommitteeSitting:
    """The office closes the sitting and records its minutes. In pro-rata mode the approved
    claims must have been shared out first."""
    permission_require(actor, "mutual_aid.add_committeesitting")
    sitting = CommitteeSitting.objects.select_for_update().get(pk=sitting.pk)
    _check_open(sitting)
    if sitting.decisions.filter(
        application__status__in=[S.APPROVED, S.ADJUSTED], application__approved_amount__isnull=True
    ).exists():
        raise ApplicationError(_("还有批准的申请未按比例分配金额，请先“按比例分配”。"))
    sitting.minutes = (minutes or sitting.minutes).strip()
    sitting.closed_at = timezone.now()
    sitting.save(update_fields=["minutes", "closed_at", "updated_at"])
    audit(actor, sitting, AuditAction.STATUS_CHANGED, _("会议结束"), changes={"minutes": [None, sitting.minutes]})
    return sitting


# --- the public notice ------------------------------------------------------------------


@transaction.atomic
def notice_post(*, sitting: CommitteeSitting, starts_on: datetime.date, actor) -> PublicNotice:
    """Post the sitting's approved list: ends_on = starts_on + the edition's notice days;
    each approved or adjusted application goes on notice."""
    permission_require(actor, "mutual_aid.add_publicnotice")
    sitting = CommitteeSitting.objects.select_for_update().get(pk=sitting.pk)
    if sitting.closed_at is None:
        raise ApplicationError(_("会议结束后才能发布公示。"))
    if PublicNotice.objects.filter(sitting=sitting).exists():
        raise ApplicationError(_("本次会议的公示已经发布。"))
    applications = list(
        SubsidyApplication.objects.filter(decision__sitting=sitting, status__in=[S.APPROVED, S.ADJUSTED]).order_by("id")
    )
    if not applications:
        raise ApplicationError(_("本次会议没有批准的申请，无需公示。"))
    edition = sitting_edition(sitting)
    notice = PublicNotice.objects.create(
        sitting=sitting,
        starts_on=starts_on,
        ends_on=starts_on + datetime.timedelta(days=edition.notice_days),
        posted_by=actor,
    )
    message = _("补助名单公示：%(start)s 至 %(end)s。") % {"start": notice.starts_on, "end": notice.ends_on}
    transition_bulk(
        ApplicationWorkflow,
        SubsidyApplication.objects.filter(pk__in=[a.pk for a in applications]),
        to=S.ON_NOTICE,
        actor=actor,
        message=message,
        parameters={"notice": notice.pk},
    )
    audit(actor, notice, AuditAction.CREATED, message)
    return notice


@transaction.atomic
def objection_record(
    *, notice: PublicNotice, application: SubsidyApplication, received_on: datetime.date, content: str, actor
) -> NoticeObjection:
    """The office records an objection received during the notice period: the application
    goes on hold until the committee resolves it."""
    permission_require(actor, "mutual_aid.add_noticeobjection")
    content = required_text(content, _("请填写异议内容。"), field="content")
    if not notice.starts_on <= received_on <= notice.ends_on:
        raise ApplicationError(
            _("异议须在公示期内（%(start)s 至 %(end)s）提出。") % {"start": notice.starts_on, "end": notice.ends_on},
            extra={"field": "received_on"},
        )
    if not SubsidyApplication.objects.filter(pk=application.pk, decision__sitting_id=notice.sitting_id).exists():
        raise ApplicationError(_("该申请不在本次公示名单中。"), extra={"field": "application"})
    objection = NoticeObjection.objects.create(
        notice=notice, application=application, received_on=received_on, content=content, recorded_by=actor
    )
    transition(
        ApplicationWorkflow,
        application,
        to=S.ON_HOLD,
        actor=actor,
        message=_("公示期间收到异议，暂缓发放，待福利委员会处理。"),
        parameters={"objection": objection.pk},
    )
    return objection


@transaction.atomic
def objection_resolve(*, objection: NoticeObjection, upheld: bool, resolution: str, actor) -> NoticeObjection:
    """The committee resolves an objection: dismissed → back on notice; upheld → rejected
    (the resolution is the reason)."""
    permission_require(actor, DECIDE_PERMISSION)
    objection = NoticeObjection.objects.select_for_update().get(pk=objection.pk)
    if objection.resolved_at is not None:
        raise ApplicationError(_("该异议已处理。"))
    resolution = required_text(resolution, _("请填写处理结果和理由。"), field="resolution")
    objection.resolution = resolution
    objection.resolved_at = timezone.now()
    objection.save(update_fields=["resolution", "resolved_at", "updated_at"])
    if upheld:
        target, message = S.REJECTED, _("异议成立，不予补助：%(reason)s") % {"reason": resolution}
    else:
        target, message = S.ON_NOTICE, _("异议不成立，恢复公示：%(reason)s") % {"reason": resolution}
    transition(
        ApplicationWorkflow,
        objection.application,
        to=target,
        actor=actor,
        message=message,
        parameters={"objection": objection.pk},
    )
    return objection


@transaction.atomic
def notice_end(*, notice: PublicNotice, today: datetime.date, actor: Actor) -> int:
    """After the notice period (from the day after ends_on), every application still on
    notice — i.e. with no open objection — becomes payable. Items on hold wait for the
    committee; the notice is marked ended once none is left on hold. Returns how many
    became payable. Running it again moves nobody twice."""
    notice = PublicNotice.objects.select_for_update().get(pk=notice.pk)
    if today <= notice.ends_on:
        raise ApplicationError(_("公示期至 %(end)s 结束，期满后才能转为待发放。") % {"end": notice.ends_on})
    listed = SubsidyApplication.objects.filter(decision__sitting_id=notice.sitting_id)
    moved = transition_bulk(
        ApplicationWorkflow,
        listed.filter(status=S.ON_NOTICE),
        to=S.PAYABLE,
        actor=actor,
        message=_("公示期满无异议，待发放。"),
        parameters={"notice": notice.pk},
    ).moved
    if notice.status != NoticeStatus.ENDED and not listed.filter(status=S.ON_HOLD).exists():
        transition(NoticeWorkflow, notice, to=NoticeStatus.ENDED, actor=actor)
    return moved


def notices_end_due(*, today: datetime.date, actor: Actor) -> int:
    """The daily run: end every posted notice whose period is over."""
    moved = 0
    for notice in PublicNotice.objects.filter(status=NoticeStatus.POSTED, ends_on__lt=today).order_by("id"):
        moved += notice_end(notice=notice, today=today, actor=actor)
    return moved
