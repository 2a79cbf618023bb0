"""Claims (出险理赔) with the union as go-between (DOMAIN §3.2).

The office registers a claim from a member's report, or the member starts it on the phone;
documents follow the edition's checklist; the office checks completeness, submits to the
insurer's office and mirrors its decision (returned for documents, paid with the amount,
refused with the reason). The member is told at each step. Flags never block: inside the
waiting period, past the claim deadline, not enrolled on the event date, paid ≠ expected.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.accounts.access import get_access
from gonghui.core.exceptions import ApplicationError, InvalidTransition, PermissionDenied
from gonghui.core.history import AuditAction, audit_event_record, changes_of
from gonghui.insurance.benefits import cover_day, expected_benefit, is_waiting, money
from gonghui.insurance.choices import BenefitKind, ClaimChannel, ClaimFlag, ClaimStatus, EditionStatus, EnrollmentStatus
from gonghui.insurance.models import ClaimDocument, ClaimEvent, Plan, PlanClaim, PlanEnrollment
from gonghui.insurance.workflow import CLAIM_TRANSITIONS, INSURED

EDITABLE = {ClaimStatus.REPORTED, ClaimStatus.DOCUMENTS_PENDING, ClaimStatus.READY, ClaimStatus.RETURNED}
CLAIM_PURPOSE = "insurance_claim"


def _is_office(actor) -> bool:
    return actor is not None and actor.has_perm("insurance.forward_planclaim")


def _require_office(actor) -> None:
    if not _is_office(actor):
        raise PermissionDenied


def _may_act_for(actor, person) -> bool:
    access = get_access(actor)
    return _is_office(actor) or (access.person_id is not None and access.person_id == person.pk)


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
    return (earlier or enrollments or [None])[0]


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


def claim_assess(claim: PlanClaim) -> None:
    """Compute the expected benefit and the flags (in memory; the caller saves)."""
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
        claim.status == ClaimStatus.PAID
        and claim.paid_amount is not None
        and claim.paid_amount != claim.expected_benefit
    ):
        flags.append(ClaimFlag.PAID_DIFFERS.value)
    claim.flags = flags


def missing_documents(claim: PlanClaim) -> list[str]:
    have = set(claim.documents.values_list("name", flat=True))
    return [name for name in claim.edition.required_documents if name not in have]


def _notify(claim: PlanClaim, title: str, body: str = "") -> None:
    from gonghui.accounts.models import User
    from gonghui.notifications.services import notification_send

    notification_send(
        recipients=User.objects.filter(person_id=claim.person_id, is_active=True),
        title=title,
        body=body,
        url=reverse("insurance:my_claim_detail", args=[claim.pk]),
        kind="insurance.claim",
    )


def _transition(
    *, claim: PlanClaim, to: str, actor, note: str = "", parameters: dict | None = None, fields: tuple = ()
) -> PlanClaim:
    if to not in CLAIM_TRANSITIONS[claim.status]:
        raise InvalidTransition(
            _("理赔处于“%(state)s”状态，不能改为“%(to)s”")
            % {"state": claim.get_status_display(), "to": ClaimStatus(to).label},
            extra={"status": claim.status},
        )
    before = claim.status
    claim.status = to
    claim.save(update_fields=["status", "flags", "updated_at", *fields])
    ClaimEvent.objects.create(
        claim=claim,
        actor=actor if actor and actor.is_authenticated else None,
        from_status=before,
        to_status=to,
        note=note,
        parameters=parameters or {},
    )
    audit_event_record(
        actor=actor,
        obj=claim,
        action=AuditAction.STATUS_CHANGED,
        person_id=claim.person_id,
        message=note or ClaimStatus(to).label,
        changes={
            "status": [str(ClaimStatus(before).label), str(ClaimStatus(to).label)],
            **changes_of(**(parameters or {})),
        },
    )
    _notify(
        claim,
        _("您的%(plan)s理赔：%(status)s") % {"plan": claim.edition.plan.name, "status": ClaimStatus(to).label},
        note,
    )
    return claim


def _locked(claim: PlanClaim) -> PlanClaim:
    return (
        PlanClaim.objects.select_for_update()
        .select_related("edition__plan", "enrollment__edition", "person")
        .get(pk=claim.pk)
    )


@transaction.atomic
def claim_report(
    *,
    actor,
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
    if not _may_act_for(actor, person):
        raise PermissionDenied
    channel = ClaimChannel.OFFICE if _is_office(actor) else ClaimChannel.MEMBER
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
    ClaimEvent.objects.create(
        claim=claim,
        actor=actor,
        from_status="",
        to_status=ClaimStatus.REPORTED,
        note=_("登记理赔（%(channel)s）") % {"channel": claim.get_channel_display()},
        parameters={"flags": claim.flags, "expected": str(claim.expected_benefit)},
    )
    audit_event_record(
        actor=actor,
        obj=claim,
        action=AuditAction.CREATED,
        person_id=person.pk,
        message=_("登记%(plan)s理赔") % {"plan": edition.plan.name},
        changes=changes_of(**{"flags": claim.flags, "expected": str(claim.expected_benefit)}),
    )
    _notify(
        claim,
        _("您的%(plan)s理赔已登记") % {"plan": edition.plan.name},
        _("需提交的材料：%(docs)s") % {"docs": "、".join(edition.required_documents) or "—"},
    )
    return claim


@transaction.atomic
def claim_document_add(*, actor, claim: PlanClaim, name: str, uploaded_file) -> ClaimDocument:
    """Upload one checklist document (the office, or the member for their own claim)."""
    from gonghui.attachments.services import attachment_store

    claim = _locked(claim)
    if not _may_act_for(actor, claim.person):
        raise PermissionDenied
    if claim.status not in EDITABLE:
        raise ApplicationError(_("理赔处于“%(state)s”状态，不能再上传材料") % {"state": claim.get_status_display()})
    if name not in claim.edition.required_documents:
        raise ApplicationError(_("“%(name)s”不在本计划的理赔材料清单中") % {"name": name}, extra={"field": "name"})
    attachment = attachment_store(
        uploaded_file=uploaded_file, uploaded_by=actor, owner_person=claim.person, purpose=CLAIM_PURPOSE
    )
    document = ClaimDocument.objects.create(claim=claim, name=name, attachment=attachment)
    ClaimEvent.objects.create(
        claim=claim,
        actor=actor,
        from_status=claim.status,
        to_status=claim.status,
        note=_("上传材料：%(name)s") % {"name": name},
    )
    return document


@transaction.atomic
def claim_check(*, actor, claim: PlanClaim) -> PlanClaim:
    """The office checks the checklist: complete → ready, else documents pending (member told what)."""
    _require_office(actor)
    claim = _locked(claim)
    missing = missing_documents(claim)
    if missing:
        if claim.status == ClaimStatus.DOCUMENTS_PENDING:
            raise ApplicationError(_("仍缺材料：%(docs)s") % {"docs": "、".join(missing)}, extra={"missing": missing})
        return _transition(
            claim=claim,
            to=ClaimStatus.DOCUMENTS_PENDING,
            actor=actor,
            note=_("缺少材料：%(docs)s") % {"docs": "、".join(missing)},
            parameters={"missing": missing},
        )
    return _transition(claim=claim, to=ClaimStatus.READY, actor=actor, note=_("材料齐全"))


@transaction.atomic
def claim_submit(*, actor, claim: PlanClaim, submitted_on: datetime.date) -> PlanClaim:
    """Hand the claim to the insurer's office (ready, or returned and now complete)."""
    _require_office(actor)
    claim = _locked(claim)
    missing = missing_documents(claim)
    if missing:
        raise ApplicationError(
            _("材料不全，不能递交：%(docs)s") % {"docs": "、".join(missing)}, extra={"missing": missing}
        )
    if submitted_on > timezone.localdate() or submitted_on < claim.reported_on:
        raise ApplicationError(_("递交日期须在报案日期与今天之间"), extra={"field": "submitted_on"})
    claim.submitted_on = submitted_on
    return _transition(
        claim=claim,
        to=ClaimStatus.SUBMITTED,
        actor=actor,
        note=_("%(date)s 递交保险互助会") % {"date": submitted_on.isoformat()},
        parameters={"submitted_on": submitted_on.isoformat()},
        fields=("submitted_on",),
    )


@transaction.atomic
def claim_return(*, actor, claim: PlanClaim, reason: str, on: datetime.date) -> PlanClaim:
    """The insurer asked for documents."""
    _require_office(actor)
    if not (reason or "").strip():
        raise ApplicationError(_("请填写需补充的材料"), extra={"field": "reason"})
    claim = _locked(claim)
    claim.decision_note = reason.strip()
    return _transition(
        claim=claim,
        to=ClaimStatus.RETURNED,
        actor=actor,
        note=_("保险互助会要求补充材料：%(reason)s") % {"reason": reason.strip()},
        parameters={"on": on.isoformat()},
        fields=("decision_note",),
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
def claim_pay(*, actor, claim: PlanClaim, amount, paid_on: datetime.date, payout_account: str = "") -> PlanClaim:
    """The insurer paid: amount, date and the account it went to; paid ≠ expected is flagged."""
    _require_office(actor)
    amount = _amount(amount)
    claim = _locked(claim)
    account = (payout_account or claim.payout_account or "").strip()
    if not account:
        raise ApplicationError(_("请填写收款账户"), extra={"field": "payout_account"})
    if claim.submitted_on and paid_on < claim.submitted_on:
        raise ApplicationError(_("赔付日期不能早于递交日期"), extra={"field": "paid_on"})
    if claim.status != ClaimStatus.SUBMITTED:
        raise InvalidTransition(_("理赔处于“%(state)s”状态，不能登记赔付") % {"state": claim.get_status_display()})
    claim.paid_amount, claim.decided_on, claim.payout_account = amount, paid_on, account
    claim.status = ClaimStatus.PAID  # for the flag
    claim_assess(claim)
    claim.status = ClaimStatus.SUBMITTED
    return _transition(
        claim=claim,
        to=ClaimStatus.PAID,
        actor=actor,
        note=_("已赔付 %(amount)s 元（测算 %(expected)s 元）") % {"amount": amount, "expected": claim.expected_benefit},
        parameters={"paid_amount": str(amount), "paid_on": paid_on.isoformat()},
        fields=("paid_amount", "decided_on", "payout_account"),
    )


@transaction.atomic
def claim_refuse(*, actor, claim: PlanClaim, reason: str, on: datetime.date) -> PlanClaim:
    _require_office(actor)
    if not (reason or "").strip():
        raise ApplicationError(_("请填写拒赔原因"), extra={"field": "reason"})
    claim = _locked(claim)
    claim.decision_note, claim.decided_on = reason.strip(), on
    return _transition(
        claim=claim,
        to=ClaimStatus.REFUSED,
        actor=actor,
        note=_("保险互助会拒赔：%(reason)s") % {"reason": reason.strip()},
        parameters={"on": on.isoformat()},
        fields=("decision_note", "decided_on"),
    )


@transaction.atomic
def claim_withdraw(*, actor, claim: PlanClaim) -> PlanClaim:
    """The member (or the office for them) withdraws a claim not yet submitted."""
    claim = _locked(claim)
    if not _may_act_for(actor, claim.person):
        raise PermissionDenied
    return _transition(claim=claim, to=ClaimStatus.WITHDRAWN, actor=actor, note=_("撤回理赔"))
