"""Admission's workflows (DOMAIN §3.9): every status change goes through core's `transition`.

- CampaignWorkflow: draft → survey (摸底) → requests (受理申请) → referred (the schools
  decide) → closed.
- AdmissionRequestWorkflow: draft → submitted (the documents complete) → checked (the
  sub-union has checked every document) → referred (the office sends it to the school) →
  placed / not placed (the school's answer). A request submitted after the deadline becomes
  self_arranged (视为自行解决); the sub-union or the office can return a submitted request to
  the parent, and the parent can withdraw one before the school decides.
- PolicyNoteWorkflow: draft → published → withdrawn (and published again).
- SchoolVisitWorkflow: open (sign-up) → held / cancelled.
- AdmissionRulesWorkflow: the year's rules, a core rule edition.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gonghui.accounts.access import get_access
from gonghui.accounts.roles import Role
from gonghui.admissions.choices import CampaignStatus as C
from gonghui.admissions.choices import PolicyNoteStatus as N
from gonghui.admissions.choices import RequestStatus as R
from gonghui.admissions.choices import VisitStatus as V
from gonghui.admissions.models import (
    AdmissionRequest,
    AdmissionRequestEvent,
    AdmissionRules,
    AdmissionRulesEvent,
    Campaign,
    CampaignEvent,
    PolicyNote,
    PolicyNoteEvent,
    SchoolVisit,
    SchoolVisitEvent,
    sees_children,
)
from gonghui.core.editions import EditionStatus, edition_workflow
from gonghui.core.workflow import SYSTEM, Attempt, Step, Workflow, workflow_register

OFFICE, ADMISSIONS, SUB_UNION, PARENT = "office", "admissions", "sub_union", "parent"

by_office = Step.by("admissions.manage_campaign")


def _date(value) -> str:
    return _("%(y)s年%(m)s月%(d)s日") % {"y": value.year, "m": value.month, "d": value.day}


def _rules_adopted(attempt: Attempt) -> str | None:
    if attempt.obj.rules.status == EditionStatus.DRAFT:
        return _("本年度的子女入学工作规则尚未通过，不能开始。")
    return None


def _nothing_unchecked(attempt: Attempt) -> str | None:
    waiting = attempt.obj.requests.filter(status__in=(R.SUBMITTED, R.CHECKED)).count()
    if waiting:
        return _("还有 %(count)s 份申请未审核或未报送学校。") % {"count": waiting}
    return None


def _nothing_unanswered(attempt: Attempt) -> str | None:
    waiting = attempt.obj.requests.filter(status=R.REFERRED).count()
    if waiting:
        return _("还有 %(count)s 份申请没有学校答复。") % {"count": waiting}
    return None


@workflow_register
class CampaignWorkflow(Workflow):
    name = "admissions.campaign"
    model = Campaign
    event_model = CampaignEvent
    states = C
    initial = (C.DRAFT,)
    person_field = None
    noun = gettext_lazy("子女入学年度工作")
    path = (C.DRAFT, C.SURVEY, C.REQUESTS, C.REFERRED, C.CLOSED)
    tones = {"survey": "action", "requests": "action", "referred": "waiting", "closed": "success"}
    relation_labels = {OFFICE: gettext_lazy("校工会")}
    steps = (
        by_office("open_survey", C.DRAFT, C.SURVEY, gettext_lazy("开始需求摸底"), guards=(_rules_adopted,)),
        by_office(
            "open_requests", (C.DRAFT, C.SURVEY), C.REQUESTS, gettext_lazy("开始受理申请"), guards=(_rules_adopted,)
        ),
        by_office("refer", C.REQUESTS, C.REFERRED, gettext_lazy("报送学校"), guards=(_nothing_unchecked,)),
        by_office("close", C.REFERRED, C.CLOSED, gettext_lazy("结束本年度"), guards=(_nothing_unanswered,)),
    )


def request_relations(request: AdmissionRequest, actor) -> set[str]:
    access = get_access(actor)
    relations = set()
    if sees_children(access):
        relations.add(ADMISSIONS)
    if access.person_id and access.person_id == request.parent_id:
        relations.add(PARENT)
    if Role.SUB_UNION_OFFICER in access.roles and request.parent.sub_union_id in access.sub_union_ids:
        relations.add(SUB_UNION)
    return relations


def _documents_complete(attempt: Attempt) -> str | None:
    from gonghui.admissions.selectors.requests import documents_missing

    missing = documents_missing(attempt.obj)
    if missing:
        return _("还缺以下材料，请上传后再提交：%(list)s。") % {"list": "、".join(missing)}
    return None


def _before_deadline(attempt: Attempt) -> str | None:
    deadline = attempt.obj.campaign.rules.requests_deadline
    if timezone.localdate() > deadline:
        return _("申请已于 %(date)s 截止。") % {"date": _date(deadline)}
    return None


def _after_deadline(attempt: Attempt) -> str | None:
    deadline = attempt.obj.campaign.rules.requests_deadline
    if timezone.localdate() <= deadline:
        return _("申请截止日 %(date)s 之前不能视为自行解决。") % {"date": _date(deadline)}
    return None


def _accepting(attempt: Attempt) -> str | None:
    if attempt.obj.campaign.status != C.REQUESTS:
        return _("本年度不在受理申请阶段。")
    return None


def _documents_checked(attempt: Attempt) -> str | None:
    unchecked = attempt.obj.documents.filter(checked=False).count()
    if unchecked:
        return _("还有 %(count)s 份材料未核对。") % {"count": unchecked}
    return None


@workflow_register
class AdmissionRequestWorkflow(Workflow):
    name = "admissions.request"
    model = AdmissionRequest
    event_model = AdmissionRequestEvent
    states = R
    initial = (R.DRAFT,)
    person_field = "parent_id"
    noun = gettext_lazy("入学申请")
    path = (R.DRAFT, R.SUBMITTED, R.CHECKED, R.REFERRED, R.PLACED)
    tones = {
        "submitted": "action",
        "checked": "info",
        "referred": "waiting",
        "placed": "success",
        "not_placed": "danger",
        "self_arranged": "neutral",
        "withdrawn": "neutral",
    }
    relation_labels = {
        PARENT: gettext_lazy("教职工"),
        SUB_UNION: gettext_lazy("分工会"),
        ADMISSIONS: gettext_lazy("校工会子女入学专员"),
    }
    steps = (
        Step.of(
            "submit",
            R.DRAFT,
            R.SUBMITTED,
            gettext_lazy("提交申请"),
            relations={PARENT, SUB_UNION, ADMISSIONS},
            guards=(_accepting, _before_deadline, _documents_complete),
            stamps=("submitted_at",),
        ),
        Step.of(
            "arrange_self",
            R.DRAFT,
            R.SELF_ARRANGED,
            gettext_lazy("视为自行解决"),
            relations={PARENT, SUB_UNION, ADMISSIONS, SYSTEM},
            guards=(_after_deadline,),
        ),
        Step.of(
            "return",
            (R.SUBMITTED, R.CHECKED),
            R.DRAFT,
            gettext_lazy("退回修改"),
            relations={SUB_UNION, ADMISSIONS},
            message_required=True,
        ),
        Step.of(
            "check",
            R.SUBMITTED,
            R.CHECKED,
            gettext_lazy("审核通过"),
            relations={SUB_UNION, ADMISSIONS},
            guards=(_documents_checked,),
            stamps=("checked_at",),
        ),
        Step.of(
            "refer",
            R.CHECKED,
            R.REFERRED,
            gettext_lazy("报送学校"),
            relations={ADMISSIONS},
            stamps=("referred_at",),
        ),
        Step.of("place", R.REFERRED, R.PLACED, gettext_lazy("已录取"), relations={ADMISSIONS}, stamps=("answered_at",)),
        Step.of(
            "not_place",
            R.REFERRED,
            R.NOT_PLACED,
            gettext_lazy("未录取"),
            relations={ADMISSIONS},
            stamps=("answered_at",),
        ),
        Step.of(
            "withdraw",
            (R.DRAFT, R.SUBMITTED, R.CHECKED),
            R.WITHDRAWN,
            gettext_lazy("撤回申请"),
            relations={PARENT, ADMISSIONS},
        ),
    )

    @classmethod
    def relations(cls, obj, actor) -> set[str]:
        return request_relations(obj, actor)

    @classmethod
    def effects(cls, obj, event, actor) -> None:
        from gonghui.admissions.services.notices import request_step_notify

        request_step_notify(obj, event)


@workflow_register
class PolicyNoteWorkflow(Workflow):
    name = "admissions.policy_note"
    model = PolicyNote
    event_model = PolicyNoteEvent
    states = N
    initial = (N.DRAFT,)
    person_field = None
    noun = gettext_lazy("政策解读")
    path = (N.DRAFT, N.PUBLISHED)
    tones = {"published": "success", "withdrawn": "neutral"}
    steps = (
        Step.of(
            "publish",
            (N.DRAFT, N.WITHDRAWN),
            N.PUBLISHED,
            gettext_lazy("发布"),
            permission="admissions.change_policynote",
            stamps=("published_at",),
        ),
        Step.of(
            "withdraw",
            N.PUBLISHED,
            N.WITHDRAWN,
            gettext_lazy("撤下"),
            permission="admissions.change_policynote",
            message_required=True,
        ),
    )


def _visit_day_come(attempt: Attempt) -> str | None:
    if timezone.localdate() < attempt.obj.visit_on:
        return _("参观日期 %(date)s 还没到。") % {"date": _date(attempt.obj.visit_on)}
    return None


@workflow_register
class SchoolVisitWorkflow(Workflow):
    name = "admissions.visit"
    model = SchoolVisit
    event_model = SchoolVisitEvent
    states = V
    initial = (V.OPEN,)
    person_field = None
    noun = gettext_lazy("参观学校")
    path = (V.OPEN, V.HELD)
    tones = {"open": "action", "held": "success", "cancelled": "neutral"}
    steps = (
        Step.of(
            "hold",
            V.OPEN,
            V.HELD,
            gettext_lazy("记录已举行"),
            permission="admissions.change_schoolvisit",
            guards=(_visit_day_come,),
        ),
        Step.of(
            "cancel",
            V.OPEN,
            V.CANCELLED,
            gettext_lazy("取消参观"),
            permission="admissions.change_schoolvisit",
            message_required=True,
        ),
    )


AdmissionRulesWorkflow = edition_workflow(
    AdmissionRules, AdmissionRulesEvent, permission="admissions.adopt_admissionrules"
)
