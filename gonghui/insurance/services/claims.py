"""Claims (出险理赔) with the union as go-between (DOMAIN §3.2).

The office registers a claim from a member's report, or the member starts it on the phone;
documents follow the edition's checklist; the office checks completeness, submits to the
insurer's office and mirrors its decision (returned for documents, paid with the amount,
refused with the reason). The member is told at each step. Flags never block: inside the
waiting period, past the claim deadline, not enrolled on the event date, paid ≠ expected.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.accounts.access import Actor, permission_require
from gonghui.core.editions import EditionStatus
from gonghui.core.exceptions import ApplicationError
from gonghui.core.history import AuditAction, changes_of
from gonghui.core.money import money
from gonghui.core.service_kit import audit, required_text
from gonghui.core.workflow import transition
from gonghui.insurance.benefits import cover_day, expected_benefit, is_waiting
from gonghui.insurance.choices import BenefitKind, ClaimChannel, ClaimFlag, ClaimStatus, EnrollmentStatus
from gonghui.insurance.models import ClaimDocument, Plan, PlanClaim, PlanEnrollment
from gonghui.insurance.workflow import CLAIM_EDITABLE, FORWARD, INSURED, ClaimWorkflow

CLAIM_PURPOSE = "insurance_claim"


def _act_for(actor: Actor, claim_or_person_id: int, obj=None, permission: str = FORWARD) -> None:
    """The claimant acts for themselves; anyone else needs the office's permission (in scope)."""
    if getattr(actor, "person_id", None) != claim_or_person_id:
        permission_require(actor, permission, obj)


def enrollment_for_claim(*, person, plan: Plan, event_date: datetime.date) -> PlanEnrollment | None:
    """The person's cover under `plan` for an event: the one in force on the date, else the
    nearest earlier one (to be flagged), else None."""
    enrollments = list(
        PlanEnrollment.objects.filter(
            person=person, edition__plan=plan, status__in=INSURED, edition__status=EditionStatus.ADOPTED
        )
        .select_related("edition__plan")
        .order_by("-starts_on")
    )
    for enrollment in enrollments:
        if enrollment.starts_on <= event_date <= enrollment.ends_on:
            return enrollment
    earlier = [e for e in enrollments if e.starts_on <= event_date]
    candidates = earlier or enrollments
    return candidates[0] if candidates else None


def _benefit(edition, code: str) -> dict:
    for item in edition.benefits:
        if item["code"] == code:
            return item
    raise ApplicationError(
        _("%(plan)s 没有给付项目 %(code)s") % {"plan": edition.plan.name, "code": code}, extra={"field": "benefit_code"}
    )


def _continuous(enrollment: PlanEnrollment) -> bool:
    """Cover carried on without a gap from the plan's previous term: no new waiting period."""
    return PlanEnrollment.objects.filter(
        person_id=enrollment.person_id,
        edition__plan_id=enrollment.edition.plan_id,
        status__in=INSURED,
        ends_on=enrollment.starts_on - datetime.timedelta(days=1),
    ).exists()


def claim_assess(claim: PlanClaim, *, paying: bool = False) -> None:
    """Compute the expected benefit and the flags (in memory; the caller saves). `paying`:
    the claim is about to be paid with its `paid_amount`, so that amount is checked too."""
    enrollment, edition = claim.enrollment, claim.edition
    benefit = _benefit(edition, claim.benefit_code)
    already = PlanClaim.objects.filter(
        enrollment=enrollment, benefit_code=claim.benefit_code, status=ClaimStatus.PAID
    ).exclude(pk=claim.pk).aggregate(s=Sum("paid_amount"))["s"] or Decimal("0")
    day = cover_day(starts_on=enrollment.starts_on, event_date=claim.event_date)
    continuous = _continuous(enrollment)
    claim.expected_benefit, claim.expected_working = expected_benefit(
        benefit=benefit,
        shares=enrollment.shares,
        schedule=edition.waiting_schedule,
        day=day,
        admission=claim.admission_date,
        discharge=claim.discharge_date,
        already_paid=already,
        waived_waiting=continuous,
    )
    flags = []
    if not continuous and is_waiting(edition.waiting_schedule, day):
        flags.append(ClaimFlag.WAITING.value)
    deadline_from = claim.discharge_date or claim.event_date
    if claim.reported_on > deadline_from + datetime.timedelta(days=edition.claim_deadline_days):
        flags.append(ClaimFlag.LATE.value)
    if (
        not enrollment.starts_on <= claim.event_date <= enrollment.ends_on
        or enrollment.status == EnrollmentStatus.REJECTED
    ):
        flags.append(ClaimFlag.NOT_ENROLLED.value)
    if (
        (paying or claim.status == ClaimStatus.PAID)
        and claim.paid_amount is not None
        and claim.paid_amount != claim.expected_benefit
    ):
        flags.append(ClaimFlag.PAID_DIFFERS.value)
    claim.flags = flags


def _locked(claim: PlanClaim) -> PlanClaim:
    return (
        PlanClaim.objects.select_for_update()
        .select_related("edition__plan", "enrollment__edition", "person")
        .get(pk=claim.pk)
    )


def _step(claim: PlanClaim, to: str, *, actor: Actor, message: str, parameters=None, values=None) -> PlanClaim:
    """One step of the claim's workflow (the table, who may, the guards: ClaimWorkflow)."""
    return transition(
        ClaimWorkflow,
        claim,
        to=to,
        actor=actor,
        message=message,
        parameters=parameters or {},
        values=values or {},
    )


@transaction.atomic
def claim_report(
    *,
    actor: Actor,
    person,
    plan: Plan,
    benefit_code: str,
    diagnosis: str,
    event_date: datetime.date | None = None,
    admission_date: datetime.date | None = None,
    discharge_date: datetime.date | None = None,
    payout_account: str = "",
    reported_on: datetime.date | None = None,
) -> PlanClaim:
    """Register a claim: the office for anyone, a member for themselves (channel "member")."""
    _act_for(actor, person.pk, person, permission="insurance.add_planclaim")
    channel = ClaimChannel.OFFICE if actor.has_perm("insurance.add_planclaim") else ClaimChannel.MEMBER
    today = timezone.localdate()
    reported_on = reported_on or today
    event_date = event_date or admission_date
    if not (diagnosis or "").strip():
        raise ApplicationError(_("请填写诊断"), extra={"field": "diagnosis"})
    if event_date is None:
        raise ApplicationError(_("请填写出险日期"), extra={"field": "event_date"})
    if event_date > today:
        raise ApplicationError(_("出险日期不能晚于今天"), extra={"field": "event_date"})
    if admission_date and discharge_date and discharge_date < admission_date:
        raise ApplicationError(_("出院日期不能早于入院日期"), extra={"field": "discharge_date"})
    enrollment = enrollment_for_claim(person=person, plan=plan, event_date=event_date)
    if enrollment is None:
        raise ApplicationError(
            _("%(name)s 未参加%(plan)s，不能登记理赔") % {"name": person.name, "plan": plan.name},
            extra={"field": "plan"},
        )
    edition = enrollment.edition
    benefit = _benefit(edition, benefit_code)
    if benefit["kind"] == BenefitKind.DAILY and not (admission_date and discharge_date):
        raise ApplicationError(_("住院津贴须填写入院和出院日期"), extra={"field": "admission_date"})
    claim = PlanClaim(
        person=person,
        edition=edition,
        enrollment=enrollment,
        channel=channel,
        benefit_code=benefit_code,
        diagnosis=diagnosis.strip(),
        event_date=event_date,
        admission_date=admission_date,
        discharge_date=discharge_date,
        reported_on=reported_on,
        payout_account=(payout_account or person.jingka_no),
        reported_by=actor,
    )
    claim_assess(claim)
    claim.save()
    assessed = {"flags": claim.flags, "expected": str(claim.expected_benefit)}
    event = ClaimWorkflow.record(
        claim,
        "created",
        actor,
        message=_("登记理赔（%(channel)s）") % {"channel": claim.get_channel_display()},
        parameters=assessed,
    )
    audit(
        actor,
        claim,
        AuditAction.CREATED,
        _("登记%(plan)s理赔") % {"plan": edition.plan.name},
        person_id=person.pk,
        changes=changes_of(**assessed),
    )
    transaction.on_commit(lambda: ClaimWorkflow.effects(claim, event, actor))
    return claim


@transaction.atomic
def claim_document_add(*, actor: Actor, claim: PlanClaim, name: str, uploaded_file) -> ClaimDocument:
    """Upload one checklist document (the office, or the member for their own claim)."""
    from gonghui.attachments.services import attachment_store

    claim = _locked(claim)
    _act_for(actor, claim.person_id, claim)
    if claim.status not in CLAIM_EDITABLE:
        raise ApplicationError(_("理赔处于“%(state)s”状态，不能再上传材料") % {"state": claim.get_status_display()})
    if name not in claim.edition.required_documents:
        raise ApplicationError(_("“%(name)s”不在本计划的理赔材料清单中") % {"name": name}, extra={"field": "name"})
    attachment = attachment_store(
        uploaded_file=uploaded_file, uploaded_by=actor, owner_person=claim.person, purpose=CLAIM_PURPOSE
    )
    document = ClaimDocument.objects.create(claim=claim, name=name, attachment=attachment)
    ClaimWorkflow.record(
        claim,
        "document",
        actor,
        message=_("上传材料：%(name)s") % {"name": name},
        parameters={"document": name, "attachment": str(attachment.pk)},
    )
    return document


@transaction.atomic
def claim_check(*, actor: Actor, claim: PlanClaim) -> PlanClaim:
    """The office checks the checklist: complete → ready, else documents pending (member told what)."""
    permission_require(actor, FORWARD, claim)
    claim = _locked(claim)
    missing = claim.missing_documents()
    if not missing:
        return _step(claim, ClaimStatus.READY, actor=actor, message=_("材料齐全"))
    if claim.status == ClaimStatus.DOCUMENTS_PENDING:
        raise ApplicationError(_("仍缺材料：%(docs)s") % {"docs": "、".join(missing)}, extra={"missing": missing})
    return _step(
        claim,
        ClaimStatus.DOCUMENTS_PENDING,
        actor=actor,
        message=_("缺少材料：%(docs)s") % {"docs": "、".join(missing)},
        parameters={"missing": missing},
    )


@transaction.atomic
def claim_submit(*, actor: Actor, claim: PlanClaim, submitted_on: datetime.date) -> PlanClaim:
    """Hand the claim to the insurer's office (ready, or returned and now complete)."""
    permission_require(actor, FORWARD, claim)
    claim = _locked(claim)
    missing = claim.missing_documents()
    if missing:
        raise ApplicationError(
            _("材料不全，不能递交：%(docs)s") % {"docs": "、".join(missing)}, extra={"missing": missing}
        )
    if submitted_on > timezone.localdate() or submitted_on < claim.reported_on:
        raise ApplicationError(_("递交日期须在报案日期与今天之间"), extra={"field": "submitted_on"})
    return _step(
        claim,
        ClaimStatus.SUBMITTED,
        actor=actor,
        message=_("%(date)s 递交保险互助会") % {"date": submitted_on.isoformat()},
        parameters={"submitted_on": submitted_on.isoformat()},
        values={"submitted_on": submitted_on},
    )


def _insurer_decision(
    actor: Actor, claim: PlanClaim, to: str, *, reason: str, on: datetime.date, missing: str, message: str
) -> PlanClaim:
    """Mirror an answer of the insurer that comes with its reason (documents asked for,
    refused); a refusal is a decision, so it is dated."""
    permission_require(actor, FORWARD, claim)
    reason = required_text(reason, missing, field="reason")
    decided = {"decided_on": on} if to == ClaimStatus.REFUSED else {}
    return _step(
        _locked(claim),
        to,
        actor=actor,
        message=message % {"reason": reason},
        parameters={"on": on.isoformat()},
        values={"decision_note": reason, **decided},
    )


@transaction.atomic
def claim_return(*, actor: Actor, claim: PlanClaim, reason: str, on: datetime.date) -> PlanClaim:
    """The insurer asked for documents."""
    return _insurer_decision(
        actor,
        claim,
        ClaimStatus.RETURNED,
        reason=reason,
        on=on,
        missing=_("请填写需补充的材料"),
        message=_("保险互助会要求补充材料：%(reason)s"),
    )


def _amount(value) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        raise ApplicationError(_("赔付金额无效"), extra={"field": "paid_amount"}) from None
    if not amount.is_finite() or amount <= 0 or amount != amount.quantize(Decimal("0.01")):
        raise ApplicationError(_("赔付金额须为正数，最多两位小数"), extra={"field": "paid_amount"})
    return money(amount)


@transaction.atomic
def claim_pay(*, actor: Actor, claim: PlanClaim, amount, paid_on: datetime.date, payout_account: str = "") -> PlanClaim:
    """The insurer paid: amount, date and the account it went to; paid ≠ expected is flagged."""
    permission_require(actor, FORWARD, claim)
    paid = _amount(amount)
    claim = _locked(claim)
    account = (payout_account or claim.payout_account or "").strip()
    if not account:
        raise ApplicationError(_("请填写收款账户"), extra={"field": "payout_account"})
    if claim.submitted_on and paid_on < claim.submitted_on:
        raise ApplicationError(_("赔付日期不能早于递交日期"), extra={"field": "paid_on"})
    decided = {"paid_amount": paid, "decided_on": paid_on, "payout_account": account}
    for name, value in decided.items():
        setattr(claim, name, value)
    claim_assess(claim, paying=True)
    return _step(
        claim,
        ClaimStatus.PAID,
        actor=actor,
        message=_("已赔付 %(amount)s 元（测算 %(expected)s 元）")
        % {"amount": paid, "expected": claim.expected_benefit},
        parameters={"paid_amount": str(paid), "paid_on": paid_on.isoformat()},
        values={**decided, "flags": claim.flags},
    )


@transaction.atomic
def claim_refuse(*, actor: Actor, claim: PlanClaim, reason: str, on: datetime.date) -> PlanClaim:
    """The insurer refused, with its reason."""
    return _insurer_decision(
        actor,
        claim,
        ClaimStatus.REFUSED,
        reason=reason,
        on=on,
        missing=_("请填写拒赔原因"),
        message=_("保险互助会拒赔：%(reason)s"),
    )


@transaction.atomic
def claim_withdraw(*, actor: Actor, claim: PlanClaim) -> PlanClaim:
    """The member (or the office for them) withdraws a claim not yet submitted."""
    return _step(_locked(claim), ClaimStatus.WITHDRAWN, actor=actor, message=_("撤回理赔"))
