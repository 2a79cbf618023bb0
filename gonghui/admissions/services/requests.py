"""Requests for a place at an affiliated or co-built school (DOMAIN §3.9).

A parent (or their sub-union's officer, or the admissions officer) drafts a request for a
child whose stage, by the 31 August cut-off, matches the school; uploads the documents the
year's rules list for the family's housing; and submits it before the deadline, when the
priority batch is taken from the staff category. After the deadline a submission is taken
as 视为自行解决 (the family arranges it) and the parent is told: not an error. The sub-union
checks every document and the request; the admissions officer refers it to the school and
records the school's answer (by hand here, or from the school's list: services.answers).

Every refusal says why and writes nothing; every change of status goes through the
workflow (`AdmissionRequestWorkflow`)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.admissions.choices import (
    KIND_STAGE,
    LIVE_REQUEST_STATUSES,
    REQUEST_DOCUMENT_PURPOSE,
    AnswerSource,
    CampaignStatus,
    Housing,
    Relation,
    RequestStatus,
    SchoolKind,
    Stage,
)
from gonghui.admissions.models import (
    AdmissionRequest,
    AdmissionRules,
    Campaign,
    ChildRecord,
    PriorityBatch,
    RequestDocument,
    School,
)
from gonghui.admissions.selectors.children import child_label
from gonghui.admissions.selectors.requests import documents_missing, documents_offered
from gonghui.admissions.services.children import children_act_require, record_values_check
from gonghui.admissions.stages import kind_check
from gonghui.admissions.workflow import ADMISSIONS, PARENT, SUB_UNION, AdmissionRequestWorkflow, request_relations
from gonghui.attachments.services import attachment_store
from gonghui.core.exceptions import ApplicationError
from gonghui.core.history import AuditAction, changes_between, changes_of, snapshot
from gonghui.core.service_kit import audit
from gonghui.core.workflow import transition
from gonghui.people.models import Child

EDITABLE_FIELDS = ["school", "alternative", "hukou_district", "housing", "relation", "note"]
# A document may be (re)uploaded while the request is a draft or waits for its check.
UPLOADING = (RequestStatus.DRAFT, RequestStatus.SUBMITTED)


def _relations_require(actor, request: AdmissionRequest, allowed=frozenset({PARENT, SUB_UNION, ADMISSIONS})) -> set:
    relations = request_relations(request, actor)
    if not relations & set(allowed):
        raise PermissionDenied(_("您无权办理这份入学申请。"))
    return relations


def _school_name(school: School) -> str:
    return f"{school.name}（{school.get_kind_display()}）"


def stage_refusal(child: Child, school: School, year: int, rules: AdmissionRules) -> str:
    """Why the child may not go to `school` in `year` by the 31 August cut-off ("" when it
    may): the message names the stage the school admits, the year the child enters it, and
    the stage the child is at in `year`, if any."""
    check = kind_check(child.birth_date, school.kind, year, rules.ages())
    if check.admissible:
        return ""
    stage = Stage(KIND_STAGE[SchoolKind(school.kind)]).label
    message = _(
        "%(child)s（%(born)s 出生）按 8 月 31 日计算，应于 %(entry)s 年%(stage)s，不能申请 %(year)s 年入%(school)s。"
    ) % {
        "child": child_label(child),
        "born": child.birth_date.isoformat(),
        "entry": check.entry_year,
        "stage": stage,
        "year": year,
        "school": _school_name(school),
    }
    if check.stage and check.stage != KIND_STAGE[SchoolKind(school.kind)]:
        message += _("%(year)s 年该子女的学段为%(stage)s。") % {"year": year, "stage": Stage(check.stage).label}
    elif not check.stage:
        message += _("%(year)s 年该子女不到入学、入托的年份。") % {"year": year}
    return message


def _schools_check(
    *, child: Child, school: School, alternative: School | None, campaign: Campaign
) -> tuple[School, School | None]:
    rules = campaign.rules
    if not school.takes_requests:
        raise ApplicationError(
            _("%(school)s不是附属学校或共建学校，不受理入学申请。") % {"school": school.name}, extra={"field": "school"}
        )
    if not school.active:
        raise ApplicationError(_("%(school)s已停用。") % {"school": school.name}, extra={"field": "school"})
    problem = stage_refusal(child, school, campaign.year, rules)
    if problem:
        raise ApplicationError(problem, extra={"field": "school"})
    if alternative is not None:
        if not rules.alternative_allowed:
            raise ApplicationError(_("本年度的规则不设备选学校。"), extra={"field": "alternative"})
        if alternative.pk == school.pk:
            raise ApplicationError(_("备选学校不能与意向学校相同。"), extra={"field": "alternative"})
        if KIND_STAGE[SchoolKind(alternative.kind)] != KIND_STAGE[SchoolKind(school.kind)] or not alternative.active:
            raise ApplicationError(
                _("备选学校%(school)s不招收%(stage)s的子女。")
                % {"school": alternative.name, "stage": Stage(KIND_STAGE[SchoolKind(school.kind)]).label},
                extra={"field": "alternative"},
            )
    return school, alternative


def _facts_check(*, hukou_district: str, housing: str, relation: str) -> str:
    hukou_district = (hukou_district or "").strip()
    if not hukou_district:
        raise ApplicationError(_("请填写户口所在区。"), extra={"field": "hukou_district"})
    if housing not in Housing.values:
        raise ApplicationError(_("请选择住房情况。"), extra={"field": "housing"})
    record_values_check(relation=relation, housing=housing)
    return hukou_district


def _duplicate(campaign: Campaign, child: Child, exclude_pk=None) -> AdmissionRequest | None:
    live = AdmissionRequest.objects.filter(campaign=campaign, child=child, status__in=LIVE_REQUEST_STATUSES)
    if exclude_pk:
        live = live.exclude(pk=exclude_pk)
    return live.first()


def _duplicate_refusal(campaign: Campaign, child: Child, existing: AdmissionRequest | None) -> ApplicationError:
    if existing is not None:
        return ApplicationError(
            _("%(child)s在 %(year)s 年已有入学申请（编号 %(number)s，%(status)s），不能重复申请。")
            % {
                "child": child_label(child),
                "year": campaign.year,
                "number": existing.number,
                "status": existing.get_status_display(),
            },
            extra={"request": existing.pk},
        )
    return ApplicationError(
        _("%(child)s在 %(year)s 年已有入学申请，不能重复申请。") % {"child": child_label(child), "year": campaign.year}
    )


def _next_number(campaign: Campaign) -> str:
    """The campaign's next number, YYYY-0001 on: the caller holds the campaign's row lock."""
    prefix = f"{campaign.year}-"
    last = (
        AdmissionRequest.objects.filter(campaign=campaign, number__startswith=prefix)
        .aggregate(last=Max("number"))
        .get("last")
    )
    seq = int(last[len(prefix) :]) + 1 if last else 1
    return f"{prefix}{seq:04d}"


@transaction.atomic
def request_create(
    *,
    actor,
    campaign: Campaign,
    child: Child,
    school: School,
    alternative: School | None = None,
    hukou_district: str,
    housing: str,
    relation: str | None = None,
    note: str = "",
) -> AdmissionRequest:
    """A draft request for `child` to `school` in the campaign's year. Refused, nothing
    written: an actor who is not the parent, their sub-union's officer or the admissions
    officer (PermissionDenied); the campaign not taking requests; a school that is not
    affiliated or co-built; a child whose stage by the cut-off does not match the school (the
    message names the stage and the year the child enters it); a second live request for the
    same child and year (also when two arrive at once: the database's constraint)."""
    children_act_require(actor, child.parent)
    campaign = Campaign.objects.select_for_update(of=("self",)).select_related("rules").get(pk=campaign.pk)
    if campaign.status != CampaignStatus.REQUESTS:
        raise ApplicationError(
            _("%(campaign)s当前为“%(status)s”，不受理入学申请。")
            % {"campaign": campaign.name, "status": campaign.get_status_display()}
        )
    if relation is None:
        record = ChildRecord.objects.filter(child=child).first()
        relation = record.relation if record is not None else Relation.CHILD
    hukou_district = _facts_check(hukou_district=hukou_district, housing=housing, relation=relation)
    existing = _duplicate(campaign, child)
    if existing is not None:
        raise _duplicate_refusal(campaign, child, existing)
    school, alternative = _schools_check(child=child, school=school, alternative=alternative, campaign=campaign)
    values = {
        "campaign": campaign,
        "number": _next_number(campaign),
        "child": child,
        "parent_id": child.parent_id,
        "relation": relation,
        "stage": KIND_STAGE[SchoolKind(school.kind)],
        "school": school,
        "alternative": alternative,
        "hukou_district": hukou_district,
        "housing": housing,
        "note": (note or "").strip(),
        "created_by": actor,
    }
    try:
        with transaction.atomic():
            request = AdmissionRequest.objects.create(**values)
    except IntegrityError:
        # A twin request for the same child got in first (the partial unique constraint).
        raise _duplicate_refusal(campaign, child, None) from None
    AdmissionRequestWorkflow.record(request, "created", actor)
    audit(
        actor,
        request,
        AuditAction.CREATED,
        _("入学申请 %(number)s：%(child)s 申请%(school)s")
        % {
            "number": request.number,
            "child": child_label(child),
            "school": school.name,
        },
        person_id=request.parent_id,
        changes=changes_of(
            number=request.number,
            school=school.name,
            alternative=alternative.name if alternative else None,
            stage=request.get_stage_display(),
        ),
    )
    return request


_UNSET = object()


@transaction.atomic
def request_update(
    *,
    actor,
    request: AdmissionRequest,
    school: School | None = None,
    alternative=_UNSET,
    hukou_district: str | None = None,
    housing: str | None = None,
    relation: str | None = None,
    note: str | None = None,
) -> AdmissionRequest:
    """Change a draft (only what is given; `alternative=None` removes the alternative). The
    stage is checked again for a new school."""
    _relations_require(actor, request)
    request = (
        AdmissionRequest.objects.select_for_update(of=("self",))
        .select_related("campaign__rules", "child", "school", "alternative")
        .get(pk=request.pk)
    )
    if request.status != RequestStatus.DRAFT:
        raise ApplicationError(
            _("入学申请已%(status)s，不能修改。") % {"status": request.get_status_display()},
            extra={"status": request.status},
        )
    new_school = school or request.school
    new_alternative = request.alternative if alternative is _UNSET else alternative
    new_housing = request.housing if housing is None else housing
    new_relation = request.relation if relation is None else relation
    district = _facts_check(
        hukou_district=request.hukou_district if hukou_district is None else hukou_district,
        housing=new_housing,
        relation=new_relation,
    )
    _schools_check(child=request.child, school=new_school, alternative=new_alternative, campaign=request.campaign)
    before = snapshot(request, EDITABLE_FIELDS)
    request.school = new_school
    request.alternative = new_alternative
    request.stage = KIND_STAGE[SchoolKind(new_school.kind)]
    request.hukou_district = district
    request.housing = new_housing
    request.relation = new_relation
    if note is not None:
        request.note = note.strip()
    request.save()
    changes = changes_between(before, snapshot(request, EDITABLE_FIELDS))
    if changes:
        audit(
            actor,
            request,
            AuditAction.UPDATED,
            _("修改入学申请 %(number)s") % {"number": request.number},
            person_id=request.parent_id,
            changes=changes,
        )
    return request


@transaction.atomic
def document_upload(*, actor, request: AdmissionRequest, code: str, uploaded_file) -> RequestDocument:
    """Upload one of the request's documents (through attachments: the purpose's types and
    the uploader's quota hold). A new upload of the same document replaces the file on the
    request (the old file stays in attachments) and must be checked again."""
    _relations_require(actor, request)
    request = (
        AdmissionRequest.objects.select_for_update(of=("self",)).select_related("campaign__rules").get(pk=request.pk)
    )
    if request.status not in UPLOADING:
        raise ApplicationError(
            _("入学申请已%(status)s，不能再上传材料。") % {"status": request.get_status_display()},
            extra={"status": request.status},
        )
    rule = next((r for r in documents_offered(request) if r.code == code), None)
    if rule is None:
        raise ApplicationError(_("本年度的规则中没有这项材料。"), extra={"field": "code"})
    attachment = attachment_store(
        uploaded_file=uploaded_file, uploaded_by=actor, owner_person=None, purpose=REQUEST_DOCUMENT_PURPOSE
    )
    document = RequestDocument.objects.select_for_update().filter(request=request, code=code).first()
    replaced = document is not None
    if document is None:
        document = RequestDocument(request=request, code=code)
    document.label = rule.label
    document.attachment = attachment
    document.checked = False
    document.checked_by = None
    document.checked_at = None
    document.uploaded_by = actor
    document.save()
    message = (_("重新上传材料：%(label)s") if replaced else _("上传材料：%(label)s")) % {"label": rule.label}
    AdmissionRequestWorkflow.record(request, "document", actor, message=message, parameters={"document": rule.label})
    audit(
        actor,
        document,
        AuditAction.UPDATED if replaced else AuditAction.CREATED,
        message,
        person_id=request.parent_id,
        changes={"attachment": [None, attachment.original_name]},
    )
    return document


@transaction.atomic
def document_check(*, actor, document: RequestDocument, checked: bool = True) -> RequestDocument:
    """The sub-union (or the admissions officer) checks a document off, or unchecks it,
    while the request waits for its check."""
    request = document.request
    _relations_require(actor, request, allowed={SUB_UNION, ADMISSIONS})
    request = AdmissionRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != RequestStatus.SUBMITTED:
        raise ApplicationError(
            _("只有已提交、待审核的申请可以核对材料（当前：%(status)s）。") % {"status": request.get_status_display()},
            extra={"status": request.status},
        )
    document = RequestDocument.objects.select_for_update().get(pk=document.pk)
    if document.checked == bool(checked):
        return document
    document.checked = bool(checked)
    document.checked_by = actor if checked else None
    document.checked_at = timezone.now() if checked else None
    document.save(update_fields=["checked", "checked_by", "checked_at", "updated_at"])
    audit(
        actor,
        document,
        AuditAction.UPDATED,
        (_("核对材料：%(label)s") if checked else _("取消核对材料：%(label)s")) % {"label": document.label},
        person_id=request.parent_id,
        changes={"checked": [not checked, bool(checked)]},
    )
    return document


def batch_for(rules: AdmissionRules, *, relation: str, category: str) -> PriorityBatch | None:
    """The first of the rules' priority batches that admits the relation and the category."""
    return next((b for b in rules.batches.all() if b.admits(relation=relation, category=category)), None)


@transaction.atomic
def request_submit(*, actor, request: AdmissionRequest) -> AdmissionRequest:
    """Submit a draft. After the rules' deadline it is taken as 视为自行解决 (self-arranged)
    and the parent is told — not an error. Before it: refused, nothing written, when a
    required document is missing (the message lists them) or the parent's staff category is
    in none of the year's priority batches (the message names the category); otherwise the
    category and the batch are taken now."""
    _relations_require(actor, request)
    request = (
        AdmissionRequest.objects.select_for_update(of=("self",))
        .select_related("campaign__rules", "parent__employment_category", "child")
        .get(pk=request.pk)
    )
    rules = request.campaign.rules
    if request.status == RequestStatus.DRAFT and timezone.localdate() > rules.requests_deadline:
        return transition(
            AdmissionRequestWorkflow,
            request,
            step="arrange_self",
            actor=actor,
            message=_("%(date)s 申请截止后提交，视为自行解决。") % {"date": rules.requests_deadline.isoformat()},
            values={"late": True},
        )
    if request.status == RequestStatus.DRAFT and request.campaign.status == CampaignStatus.REQUESTS:
        missing = documents_missing(request)
        if missing:
            raise ApplicationError(
                _("还缺以下材料，请上传后再提交：%(list)s。") % {"list": "、".join(missing)},
                extra={"missing": missing},
            )
    employment = request.parent.employment_category
    category = employment.name if employment is not None else ""
    batch = batch_for(rules, relation=request.relation, category=category)
    if batch is None and request.status == RequestStatus.DRAFT:
        if category:
            message = _("人员类别“%(category)s”不在本年度的优先批次中，不能提交（%(relation)s）。") % {
                "category": category,
                "relation": Relation(request.relation).label,
            }
        else:
            message = _("教职工的人员类别未登记，不在本年度的优先批次中，不能提交。请先与人事处核实人员类别。")
        raise ApplicationError(message, extra={"category": category})
    values = {
        "employment_category": category,
        "batch_position": batch.position if batch else None,
        "batch_label": batch.label if batch else "",
    }
    return transition(AdmissionRequestWorkflow, request, step="submit", actor=actor, values=values)


@transaction.atomic
def request_return(*, actor, request: AdmissionRequest, reason: str) -> AdmissionRequest:
    """Back to the parent to put right, with the reason (the sub-union or the office)."""
    return transition(AdmissionRequestWorkflow, request, step="return", actor=actor, message=reason)


@transaction.atomic
def request_check(*, actor, request: AdmissionRequest, message: str = "") -> AdmissionRequest:
    """The sub-union's sign-off, once every document is checked."""
    return transition(AdmissionRequestWorkflow, request, step="check", actor=actor, message=message)


@transaction.atomic
def request_refer(*, actor, request: AdmissionRequest, message: str = "") -> AdmissionRequest:
    """The admissions officer sends one checked request to the school."""
    return transition(AdmissionRequestWorkflow, request, step="refer", actor=actor, message=message)


@transaction.atomic
def request_answer(
    *,
    actor,
    request: AdmissionRequest,
    placed: bool,
    note: str = "",
    source: str = AnswerSource.MANUAL,
    school: School | None = None,
) -> AdmissionRequest:
    """The school's answer: placed (at the intended school, or at the alternative when
    `school` says so) or not placed."""
    if source not in AnswerSource.values:
        raise ApplicationError(_("请选择答复来源。"), extra={"field": "source"})
    note = (note or "").strip()
    values: dict = {"answer_source": source, "answer_note": note[:200]}
    if placed:
        chosen = school or request.school
        if chosen.pk not in (request.school_id, request.alternative_id):
            raise ApplicationError(_("录取学校须为申请的意向学校或备选学校。"), extra={"field": "school"})
        values["placed_school"] = chosen
    else:
        values["placed_school"] = None
    return transition(
        AdmissionRequestWorkflow,
        request,
        step="place" if placed else "not_place",
        actor=actor,
        message=note,
        values=values,
    )


@transaction.atomic
def request_withdraw(*, actor, request: AdmissionRequest, reason: str = "") -> AdmissionRequest:
    """The parent (or the admissions officer) withdraws a request before it goes to the school;
    the child may then be put forward again."""
    return transition(AdmissionRequestWorkflow, request, step="withdraw", actor=actor, message=reason)
