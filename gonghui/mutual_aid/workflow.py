"""The mutual-aid society's workflows (ADR 0005): which status may follow which, who may take
each step, and whom a step tells. Every status change of an application, a membership, a
fee line, a notice, a payment batch and an edition goes through gonghui.core.workflow."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gonghui.core.editions import edition_workflow
from gonghui.core.workflow import SYSTEM, Attempt, Step, Workflow, workflow_register
from gonghui.mutual_aid.choices import ApplicationStatus as S
from gonghui.mutual_aid.choices import (
    FeeLineStatus,
    NoticeStatus,
    PaymentBatchStatus,
    SchemeMembershipStatus,
)
from gonghui.mutual_aid.models import (
    ApplicationEvent,
    FeeLine,
    FeeLineEvent,
    NoticeObjection,
    PaymentBatch,
    PaymentBatchEvent,
    PublicNotice,
    PublicNoticeEvent,
    SchemeEdition,
    SchemeEditionEvent,
    SchemeMembership,
    SchemeMembershipEvent,
    SubsidyApplication,
)

CHECK = "mutual_aid.check_subsidyapplication"
OFFICE_CHECK = "mutual_aid.office_check_subsidyapplication"
DECIDE = "mutual_aid.decide_subsidyapplication"
NOTICE = "mutual_aid.add_publicnotice"
OBJECTION = "mutual_aid.add_noticeobjection"
PAY = "mutual_aid.pay_subsidyapplication"
_M, _F = SchemeMembershipStatus, FeeLineStatus


def _documents_complete(attempt: Attempt) -> str | None:
    from gonghui.mutual_aid.selectors.applications import missing_documents

    missing = missing_documents(attempt.obj)
    if missing:
        return _("材料不全，不能审核通过：缺少 %(names)s。请退回申请人补充。") % {"names": "、".join(missing)}
    return None


def _no_open_objection(attempt: Attempt) -> str | None:
    if NoticeObjection.objects.filter(application_id=attempt.obj.pk, resolved_at__isnull=True).exists():
        return _("该申请有未处理的异议，待福利委员会处理后才能发放。")
    return None


def _not_own_application(attempt: Attempt) -> str | None:
    """Nobody passes the sub-union check on their own application, unless the application's
    edition allows it (SchemeEdition.self_check_allowed, off by default)."""
    person_id = getattr(attempt.actor, "person_id", None)
    if person_id is None or person_id != attempt.obj.person_id or attempt.obj.edition.self_check_allowed:
        return None
    return _("不能审核本人的申请：请由本分工会其他干部或校工会审核。")


def _not_own_case(attempt: Attempt) -> str | None:
    """Past the sub-union, nobody checks, decides or pays their own application: the office
    and the welfare committee always leave it to a colleague (no edition relaxes this)."""
    person_id = getattr(attempt.actor, "person_id", None)
    if person_id is None or person_id != attempt.obj.person_id:
        return None
    return _("不能办理本人的申请：请由其他工作人员或委员办理。")


# A step of the welfare committee: it reads the applications before it (scope "view"), and no
# member decides their own application.
_committee = Step.by(DECIDE, scope_action="view", guards=(_not_own_case,))


@workflow_register
class ApplicationWorkflow(Workflow):
    name = "mutual_aid.application"
    model = SubsidyApplication
    event_model = ApplicationEvent
    states = S
    initial = (S.DRAFT,)
    noun = gettext_lazy("申请")
    person_relation = "applicant"
    path = (S.DRAFT, S.SUBMITTED, S.SUB_UNION_CHECKED, S.OFFICE_CHECKED, S.APPROVED, S.ON_NOTICE, S.PAYABLE, S.PAID)
    steps = (
        Step.of(
            "submit",
            (S.DRAFT, S.RETURNED),
            S.SUBMITTED,
            gettext_lazy("提交"),
            relations={"applicant"},
            permission="mutual_aid.add_subsidyapplication",
            stamps=("submitted_at",),
        ),
        Step.of(
            "withdraw", (S.DRAFT, S.RETURNED, S.SUBMITTED), S.WITHDRAWN, gettext_lazy("撤回"), relations={"applicant"}
        ),
        Step.of(
            "sub_union_check",
            S.SUBMITTED,
            S.SUB_UNION_CHECKED,
            gettext_lazy("分工会审核"),
            permission=CHECK,
            guards=(_not_own_application,),
        ),
        Step.of(
            "return", S.SUBMITTED, S.RETURNED, gettext_lazy("退回补充材料"), permission=CHECK, message_required=True
        ),
        Step.of(
            "office_check",
            S.SUB_UNION_CHECKED,
            S.OFFICE_CHECKED,
            gettext_lazy("校工会审核"),
            permission=OFFICE_CHECK,
            guards=(_documents_complete, _not_own_case),
        ),
        Step.of(
            "office_return",
            (S.SUB_UNION_CHECKED, S.OFFICE_CHECKED),
            S.RETURNED,
            gettext_lazy("退回补充材料"),
            permission=OFFICE_CHECK,
            message_required=True,
        ),
        _committee("approve", S.OFFICE_CHECKED, S.APPROVED, gettext_lazy("批准")),
        _committee("adjust", S.OFFICE_CHECKED, S.ADJUSTED, gettext_lazy("调整后批准"), message_required=True),
        _committee("reject", S.OFFICE_CHECKED, S.REJECTED, gettext_lazy("不予补助"), message_required=True),
        Step.of("post_notice", (S.APPROVED, S.ADJUSTED), S.ON_NOTICE, gettext_lazy("公示"), permission=NOTICE),
        Step.of("hold", S.ON_NOTICE, S.ON_HOLD, gettext_lazy("收到异议"), permission=OBJECTION, message_required=True),
        _committee("resume", S.ON_HOLD, S.ON_NOTICE, gettext_lazy("异议不成立"), message_required=True),
        _committee("uphold_objection", S.ON_HOLD, S.REJECTED, gettext_lazy("异议成立"), message_required=True),
        Step.of(
            "make_payable",
            S.ON_NOTICE,
            S.PAYABLE,
            gettext_lazy("公示期满"),
            permission=NOTICE,
            relations={SYSTEM},
            guards=(_no_open_objection,),
        ),
        Step.of("pay", S.PAYABLE, S.PAID, gettext_lazy("发放"), permission=PAY, guards=(_not_own_case,)),
        Step.of("close", S.PAID, S.CLOSED, gettext_lazy("查询期满办结"), permission=PAY, relations={SYSTEM}),
    )

    @classmethod
    def effects(cls, obj, event, actor) -> None:
        _applicants_tell([obj.pk], {obj.pk: event.message}, actor, status=event.to_state)

    @classmethod
    def effects_bulk(cls, events, step, actor) -> None:
        # one batch, one message for all
        message = events.values_list("message", flat=True).first() or ""
        _applicants_tell(events.values("subject_id"), {}, actor, status=step.target, default=message)


def _applicants_tell(ids, messages: dict, actor, *, status: str, default: str = "") -> None:
    """Tell each applicant (who has an account and did not take the step) where their
    application now stands; the step's message is the body."""
    from gonghui.notifications.services import notification_send

    applications = SubsidyApplication.objects.filter(pk__in=ids, person__user__is_active=True).select_related(
        "person__user"
    )
    for application in applications.order_by("pk"):
        user = application.person.user
        if actor is not None and user.pk == getattr(actor, "pk", None):
            continue  # the applicant did it themselves: no need to tell them
        notification_send(
            recipients=[user],
            title=_("您的互助会补助申请（%(year)s年度）：%(status)s")
            % {"year": application.cost_year, "status": S(status).label},
            body=messages.get(application.pk, default),
            url=reverse("mutual_aid:my_application_detail", args=[application.pk]),
            kind="mutual_aid.application",
        )


@workflow_register
class MembershipWorkflow(Workflow):
    """A membership carries over year to year until the member opts out (themselves, or the
    office / their sub-union officer for them) or it lapses for an unpaid year; a former
    member may join again."""

    name = "mutual_aid.membership"
    model = SchemeMembership
    event_model = SchemeMembershipEvent
    states = _M
    initial = (_M.ACTIVE,)
    noun = gettext_lazy("会籍")
    person_relation = "member"
    steps = (
        Step.of(
            "opt_out",
            _M.ACTIVE,
            _M.OPTED_OUT,
            gettext_lazy("退出"),
            relations={"member"},
            permission="mutual_aid.change_schememembership",
            message_required=True,
        ),
        Step.of(
            "lapse",
            _M.ACTIVE,
            _M.LAPSED,
            gettext_lazy("未缴费中止"),
            permission="mutual_aid.change_schememembership",
            relations={SYSTEM},
        ),
        Step.of(
            "rejoin",
            (_M.OPTED_OUT, _M.LAPSED),
            _M.ACTIVE,
            gettext_lazy("重新入会"),
            relations={"member"},
            permission="mutual_aid.add_schememembership",
            scope_action="view",
        ),
    )


_ledger = Step.by("mutual_aid.add_ledgerentry")


@workflow_register
class FeeLineWorkflow(Workflow):
    """A year's fee: charged, then deducted by payroll or failed (finance's result file);
    a failed or unpaid line is settled by a receipt (paid manually)."""

    name = "mutual_aid.fee_line"
    model = FeeLine
    event_model = FeeLineEvent
    states = _F
    initial = (_F.CHARGED,)
    noun = gettext_lazy("会费")
    steps = (
        _ledger("deduct", (_F.CHARGED, _F.FAILED), _F.DEDUCTED, gettext_lazy("工资代扣成功")),
        _ledger("fail", _F.CHARGED, _F.FAILED, gettext_lazy("工资代扣失败")),
        _ledger("pay_manually", (_F.CHARGED, _F.FAILED), _F.PAID_MANUALLY, gettext_lazy("现场缴纳")),
    )


@workflow_register
class NoticeWorkflow(Workflow):
    """A public notice ends once its period is over and nothing on it is on hold."""

    name = "mutual_aid.notice"
    model = PublicNotice
    event_model = PublicNoticeEvent
    states = NoticeStatus
    initial = (NoticeStatus.POSTED,)
    person_field = None
    noun = gettext_lazy("公示")
    steps = (
        Step.of(
            "end",
            NoticeStatus.POSTED,
            NoticeStatus.ENDED,
            gettext_lazy("公示结束"),
            permission=NOTICE,
            relations={SYSTEM},
        ),
    )


@workflow_register
class PaymentBatchWorkflow(Workflow):
    """A payment list is prepared, then marked paid once finance has paid it."""

    name = "mutual_aid.payment_batch"
    model = PaymentBatch
    event_model = PaymentBatchEvent
    states = PaymentBatchStatus
    initial = (PaymentBatchStatus.PREPARED,)
    person_field = None
    noun = gettext_lazy("发放批次")
    steps = (
        Step.of("pay", PaymentBatchStatus.PREPARED, PaymentBatchStatus.PAID, gettext_lazy("已发放"), permission=PAY),
    )


EditionWorkflow = edition_workflow(SchemeEdition, SchemeEditionEvent, permission="mutual_aid.adopt_schemeedition")
