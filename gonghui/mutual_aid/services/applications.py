"""Subsidy applications: drafts, cost items, documents, submission and the checks before
the welfare committee. Every status change goes through the core workflow
(gonghui.mutual_aid.workflow.ApplicationWorkflow): it checks who may take the step, writes
the timeline event and the audit row, and tells the applicant after commit.

Refusals raise ApplicationError with a translated message (and `extra["field"]` naming the
form field when there is one); each service is atomic, so a refusal saves nothing.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.accounts.access import Actor, get_access, permission_require
from gonghui.attachments.services import attachment_store
from gonghui.core.exceptions import ApplicationError, PermissionDenied
from gonghui.core.history import AuditAction
from gonghui.core.service_kit import audit, required_text
from gonghui.core.workflow import transition
from gonghui.mutual_aid.choices import ApplicationStatus as S
from gonghui.mutual_aid.choices import SubmitterRelation
from gonghui.mutual_aid.models import (
    ApplicationDocument,
    CostItem,
    RequiredDocument,
    SchemeMembership,
    SubsidyApplication,
)
from gonghui.mutual_aid.selectors.applications import (
    DEAD_STATUSES,
    EDITABLE_STATUSES,
    application_window_open,
    edition_for_cost_year,
    missing_documents,
    subsidy_preview,
)
from gonghui.mutual_aid.workflow import ApplicationWorkflow
from gonghui.people.models import Person

ZERO = Decimal("0.00")
TOLERANCE = Decimal("0.01")
DOCUMENT_PURPOSE = "mutual_aid.application"
COST_FIELDS = [
    "incurred_on",
    "hospital",
    "bill_no",
    "inpatient",
    "covered",
    "total",
    "paid_by_insurance",
    "second_reimbursement",
    "out_of_pocket",
]


# --- who may do what --------------------------------------------------------------------

APPLY = "mutual_aid.add_subsidyapplication"


def _may_apply_for(actor: Actor, person) -> bool:
    """The person themselves, or a holder of the apply permission who may see them (their
    sub-union's officer, the retirees' office, the union office)."""
    if get_access(actor).person_id == person.pk:
        return True
    return actor.has_perm(APPLY) and Person.objects.restrict(actor, "view").filter(pk=person.pk).exists()


def _require_editor(actor: Actor, application) -> None:
    if "applicant" not in ApplicationWorkflow.relations(application, actor):
        permission_require(actor, APPLY, application)


def _require_editable(application) -> None:
    if application.status not in EDITABLE_STATUSES:
        raise ApplicationError(_("申请已是“%(status)s”，不能再修改。") % {"status": application.get_status_display()})


def _lock(application) -> SubsidyApplication:
    return SubsidyApplication.objects.select_for_update().select_related("person", "edition").get(pk=application.pk)


# --- checks on costs and eligibility -------------------------------------------------------


def cost_item_problems(*, application, item) -> list[tuple[str, str]]:
    """[(field, message)] for one cost item: amounts, the out-of-pocket sum, the cost year,
    membership and waiting period on the date of the cost."""
    problems = []
    money = ["total", "paid_by_insurance", "second_reimbursement", "out_of_pocket"]
    for name in money:
        value = getattr(item, name)
        if value is None:
            problems.append((name, _("请填写金额")))
        elif value < 0:
            problems.append(
                (
                    name,
                    _("金额不能为负数：%(field)s %(value)s")
                    % {"field": getattr(CostItem._meta.get_field(name), "verbose_name", name), "value": value},
                )
            )
    if problems:
        return problems
    if item.out_of_pocket > item.total:
        problems.append(
            (
                "out_of_pocket",
                _("个人自付 %(oop)s 元超过总费用 %(total)s 元") % {"oop": item.out_of_pocket, "total": item.total},
            )
        )
    else:
        expected = item.total - item.paid_by_insurance - item.second_reimbursement
        if abs(item.out_of_pocket - expected) > TOLERANCE:
            problems.append(
                (
                    "out_of_pocket",
                    _(
                        "个人自付应为 总费用 %(total)s − 统筹/公费支付 %(insurance)s − 二次报销 %(second)s = %(expected)s 元，"
                        "填写的是 %(oop)s 元"
                    )
                    % {
                        "total": item.total,
                        "insurance": item.paid_by_insurance,
                        "second": item.second_reimbursement,
                        "expected": expected,
                        "oop": item.out_of_pocket,
                    },
                )
            )
    if item.incurred_on is None:
        problems.append(("incurred_on", _("请填写就诊日期")))
        return problems
    if item.incurred_on.year != application.cost_year:
        problems.append(
            (
                "incurred_on",
                _("就诊日期 %(date)s 不在 %(year)s 年度内：本申请只报销 %(year)s 年的费用")
                % {"date": item.incurred_on.isoformat(), "year": application.cost_year},
            )
        )
        return problems
    problem = _eligibility_problem(person=application.person, cost_year=application.cost_year, on=item.incurred_on)
    if problem:
        problems.append(("incurred_on", problem))
    return problems


def _eligibility_problem(*, person, cost_year: int, on: datetime.date | None = None) -> str:
    membership = SchemeMembership.objects.filter(person=person).first()
    year_start, year_end = datetime.date(cost_year, 1, 1), datetime.date(cost_year, 12, 31)
    if (
        membership is None
        or membership.joined_on > year_end
        or (membership.ended_on is not None and membership.ended_on < year_start)
    ):
        return _("%(name)s 在 %(year)s 年不是互助会会员，不能申请该年度的补助") % {
            "name": person.name,
            "year": cost_year,
        }
    if on is not None and membership.eligible_from > on:
        return _("%(date)s 的费用在等待期内：%(name)s 自 %(from)s 起才能享受补助") % {
            "date": on.isoformat(),
            "name": person.name,
            "from": membership.eligible_from.isoformat(),
        }
    return ""


def _raise_first(problems) -> None:
    if problems:
        field, message = problems[0]
        raise ApplicationError(message, extra={"field": field})


def _clean_cost_fields(fields: dict) -> dict:
    unknown = set(fields) - set(COST_FIELDS)
    if unknown:
        raise TypeError(f"unknown cost item fields: {sorted(unknown)}")
    data = dict(fields)
    for name in ["paid_by_insurance", "second_reimbursement"]:
        if data.get(name) is None:
            data[name] = ZERO
    data["hospital"] = (data.get("hospital") or "").strip()
    data["bill_no"] = (data.get("bill_no") or "").strip()
    return data


# --- drafts ----------------------------------------------------------------------------


@transaction.atomic
def application_create_draft(
    *,
    actor,
    person,
    kind: str,
    cost_year: int | None = None,
    submitter_relation: str | None = None,
    relative_name: str = "",
    relative_phone: str = "",
    today: datetime.date | None = None,
) -> SubsidyApplication:
    """A draft for `person`'s costs of `cost_year` (default: last year) under that year's
    adopted edition, while its application window is open. Someone other than the person
    applies as proxy; a relative may be recorded as the submitter (name and phone)."""
    if not _may_apply_for(actor, person):
        raise PermissionDenied(_("不能为此人申请补助"))
    today = today or timezone.localdate()
    cost_year = cost_year or today.year - 1
    edition = edition_for_cost_year(cost_year)
    if edition is None:
        raise ApplicationError(_("%(year)s 年度的互助会管理办法尚未通过，暂不能申请") % {"year": cost_year})
    if not application_window_open(edition, today):
        raise ApplicationError(
            _("%(year)s 年度费用的补助申请时间为 %(start)s 至 %(end)s，现在不在申请期内")
            % {
                "year": cost_year,
                "start": edition.application_window_start.isoformat(),
                "end": edition.application_window_end.isoformat(),
            }
        )
    problem = _eligibility_problem(person=person, cost_year=cost_year)
    if problem:
        raise ApplicationError(problem)
    if submitter_relation is None:
        submitter_relation = (
            SubmitterRelation.SELF if get_access(actor).person_id == person.pk else SubmitterRelation.PROXY
        )
    relative_name, relative_phone = (relative_name or "").strip(), (relative_phone or "").strip()
    if submitter_relation == SubmitterRelation.RELATIVE and not (relative_name and relative_phone):
        raise ApplicationError(_("亲属代办须填写亲属姓名和电话"), extra={"field": "relative_name"})
    if submitter_relation != SubmitterRelation.RELATIVE:
        relative_name = relative_phone = ""
    application = SubsidyApplication.objects.create(
        person=person,
        cost_year=cost_year,
        edition=edition,
        kind=kind,
        submitter_relation=submitter_relation,
        relative_name=relative_name,
        relative_phone=relative_phone,
        submitted_by=actor,
    )
    audit(
        actor,
        application,
        AuditAction.CREATED,
        _("新建补助申请（%(year)s年度，%(kind)s）") % {"year": cost_year, "kind": application.get_kind_display()},
        person_id=person.pk,
    )
    return application


@transaction.atomic
def application_details_update(*, actor, application, disease_category=None) -> SubsidyApplication:
    """The diagnosis category (from the edition's catalogue)."""
    _require_editor(actor, application)
    application = _lock(application)
    _require_editable(application)
    if disease_category is not None and disease_category.edition_id != application.edition_id:
        raise ApplicationError(_("病种不在本年度的病种目录中"), extra={"field": "disease_category"})
    application.disease_category = disease_category
    application.save(update_fields=["disease_category", "updated_at"])
    return application


@transaction.atomic
def cost_item_add(*, actor, application, **fields) -> CostItem:
    _require_editor(actor, application)
    application = _lock(application)
    _require_editable(application)
    item = CostItem(application=application, **_clean_cost_fields(fields))
    _raise_first(cost_item_problems(application=application, item=item))
    item.save()
    return item


@transaction.atomic
def cost_item_update(*, actor, item, **fields) -> CostItem:
    application = item.application
    _require_editor(actor, application)
    application = _lock(application)
    _require_editable(application)
    for name, value in _clean_cost_fields(fields).items():
        setattr(item, name, value)
    _raise_first(cost_item_problems(application=application, item=item))
    item.save()
    return item


@transaction.atomic
def cost_item_remove(*, actor, item) -> None:
    application = item.application
    _require_editor(actor, application)
    application = _lock(application)
    _require_editable(application)
    item.delete()


@transaction.atomic
def document_attach(*, actor, application, required_document: RequiredDocument, uploaded_file) -> ApplicationDocument:
    """Store a photo or PDF (attachment_store refuses other types and oversized files, with
    its own message) and link it to the application for `required_document`."""
    _require_editor(actor, application)
    application = _lock(application)
    _require_editable(application)
    if required_document.edition_id != application.edition_id or required_document.kind != application.kind:
        raise ApplicationError(_("该材料不属于本申请"))
    attachment = attachment_store(
        uploaded_file=uploaded_file, uploaded_by=actor, owner_person=application.person, purpose=DOCUMENT_PURPOSE
    )
    return ApplicationDocument.objects.create(
        application=application, required_document=required_document, attachment=attachment
    )


@transaction.atomic
def document_remove(*, actor, document: ApplicationDocument) -> None:
    """Unlinks the document; the stored file stays (attachments are kept for the record)."""
    application = document.application
    _require_editor(actor, application)
    application = _lock(application)
    _require_editable(application)
    document.delete()


# --- submission ----------------------------------------------------------------------------


def application_problems(*, application, today: datetime.date | None = None) -> list[tuple[str, str]]:
    """Everything that stops this application going forward, [(field, message)], first first."""
    today = today or timezone.localdate()
    edition = application.edition
    if not application_window_open(edition, today):
        return [
            (
                "",
                _("%(year)s 年度费用的补助申请时间为 %(start)s 至 %(end)s，现在不在申请期内")
                % {
                    "year": application.cost_year,
                    "start": edition.application_window_start.isoformat(),
                    "end": edition.application_window_end.isoformat(),
                },
            )
        ]
    problem = _eligibility_problem(person=application.person, cost_year=application.cost_year)
    if problem:
        return [("", problem)]
    items = list(application.cost_items.all())
    if not items:
        return [("", _("请至少填写一笔医疗费用"))]
    problems = []
    for item in items:
        for field, message in cost_item_problems(application=application, item=item):
            problems.append((field, _("票据 %(bill)s：%(message)s") % {"bill": item.bill_no, "message": message}))
    bills = [item.bill_no for item in items]
    for bill in sorted({b for b in bills if bills.count(b) > 1}):
        problems.append(("bill_no", _("票据号 %(bill)s 在本申请中填写了两次") % {"bill": bill}))
    taken = (
        CostItem.objects.filter(application__person_id=application.person_id, bill_no__in=bills)
        .exclude(application=application)
        .exclude(application__status__in=DEAD_STATUSES)
        .values_list("bill_no", "application__cost_year")
        .distinct()
    )
    for bill, year in sorted(taken):
        problems.append(
            (
                "bill_no",
                _("票据 %(bill)s 已在 %(year)s 年度的另一份申请中报销，不能重复申请") % {"bill": bill, "year": year},
            )
        )
    if edition.diseases.exists() and application.disease_category_id is None:
        problems.append(("disease_category", _("请选择病种")))
    missing = missing_documents(application)
    if missing:
        problems.append(("", _("还缺少材料：%(names)s") % {"names": "、".join(missing)}))
    return problems


@transaction.atomic
def application_submit(*, actor: Actor, application, today: datetime.date | None = None) -> SubsidyApplication:
    """Submit a draft, or resubmit a returned application: every check, then the subsidy is
    computed and stored with its working, and the status moves to submitted."""
    _require_editor(actor, application)
    application = _lock(application)
    _require_editable(application)
    _raise_first(application_problems(application=application, today=today))
    subsidy, working = subsidy_preview(application=application, items=application.cost_items.all())
    application.computed_subsidy = subsidy
    application.working = working
    application.save(update_fields=["computed_subsidy", "working", "updated_at"])
    return transition(
        ApplicationWorkflow,
        application,
        to=S.SUBMITTED,
        actor=actor,
        parameters={"computed_subsidy": str(subsidy)},
        values={"submitted_by": actor},
    )


def application_withdraw(*, actor: Actor, application) -> SubsidyApplication:
    """Only the applicant withdraws (a draft, a returned or a submitted application)."""
    return transition(ApplicationWorkflow, application, to=S.WITHDRAWN, actor=actor)


# --- checks before the committee ---------------------------------------------------------


def application_sub_union_check(*, actor: Actor, application, message: str = "") -> SubsidyApplication:
    """The applicant's sub-union (for retirees: the retirees' office) confirms the application."""
    return transition(ApplicationWorkflow, application, to=S.SUB_UNION_CHECKED, actor=actor, message=message)


def application_office_check(*, actor: Actor, application, message: str = "") -> SubsidyApplication:
    """The union office confirms the application is complete; it then goes before the committee."""
    permission_require(actor, "mutual_aid.office_check_subsidyapplication", application)
    return transition(ApplicationWorkflow, application, to=S.OFFICE_CHECKED, actor=actor, message=message)


def application_return(*, actor: Actor, application, message: str) -> SubsidyApplication:
    """Back to the applicant with a message saying what is missing; they are told and resubmit.
    The sub-union returns what it is checking; the office, anything before the committee."""
    message = required_text(message, _("退回申请须填写说明，告诉申请人需要补充什么。"), field="message")
    return transition(
        ApplicationWorkflow,
        application,
        to=S.RETURNED,
        actor=actor,
        message=message,
        values={"return_message": message},
    )
