"""What waits in staff children's admission (子女入托入学).

- The admissions officer (子女入学专员): requests the sub-unions checked that wait to be
  referred to the school, and referred ones that wait for the school's answer (by campaign).
- A sub-union's officer: their people's submitted requests to check, and their people's
  children not yet answered in an open survey (by campaign).
- A parent: a draft request (new or returned) to finish and submit, and a child of theirs
  in an open survey not answered yet.

A parent with a child in the current campaign has a portal card: each such child with this
year's stage and where the survey or the request stands."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.accounts.access import get_access
from gonghui.accounts.roles import Role
from gonghui.admissions.choices import CampaignStatus, RequestStatus
from gonghui.admissions.models import AdmissionRequest, Campaign, SurveyLine, sees_children
from gonghui.core.registry import ServiceCard, TodoQueue
from gonghui.core.text import name_mask
from gonghui.core.workbench import queue_count, queues_grouped

SURVEY_OPEN = (CampaignStatus.SURVEY,)


def _requests_url(campaign_id: int, **filters) -> str:
    return f"{reverse('admissions:requests', args=[campaign_id])}?{urlencode(filters)}"


def _admissions_queues(user, today: datetime.date) -> list[TodoQueue]:
    role = str(Role.ADMISSIONS_OFFICER.label)
    rows = AdmissionRequest.objects.restrict(user)
    queues = queues_grouped(
        rows.filter(status=RequestStatus.CHECKED),
        group=("campaign_id", "campaign__name"),
        make=lambda v: {
            "key": f"admissions.to_refer.{v['campaign_id']}",
            "title": _("%(campaign)s：分工会已审核，待报送学校") % {"campaign": v["campaign__name"]},
            "url": _requests_url(v["campaign_id"], status=RequestStatus.CHECKED),
        },
        role=role,
        oldest="checked_at",
        today=today,
    )
    queues += queues_grouped(
        rows.filter(status=RequestStatus.REFERRED),
        group=("campaign_id", "campaign__name"),
        make=lambda v: {
            "key": f"admissions.to_answer.{v['campaign_id']}",
            "title": _("%(campaign)s：已报送学校，待登记学校答复") % {"campaign": v["campaign__name"]},
            "url": _requests_url(v["campaign_id"], status=RequestStatus.REFERRED),
        },
        role=role,
        oldest="referred_at",
        today=today,
    )
    return queues


def _officer_queues(user, sub_union_ids, today: datetime.date) -> list[TodoQueue]:
    role = str(Role.SUB_UNION_OFFICER.label)
    queues = queues_grouped(
        AdmissionRequest.objects.restrict(user).filter(
            status=RequestStatus.SUBMITTED, parent__sub_union_id__in=sub_union_ids
        ),
        group=("campaign_id", "campaign__name"),
        make=lambda v: {
            "key": f"admissions.to_check.{v['campaign_id']}",
            "title": _("%(campaign)s：本单位入学申请待审核") % {"campaign": v["campaign__name"]},
            "url": _requests_url(v["campaign_id"], status=RequestStatus.SUBMITTED),
        },
        role=role,
        oldest="submitted_at",
        today=today,
    )
    queues += queues_grouped(
        SurveyLine.objects.restrict(user).filter(
            campaign__status__in=SURVEY_OPEN, need="", parent__sub_union_id__in=sub_union_ids
        ),
        group=("campaign_id", "campaign__name"),
        make=lambda v: {
            "key": f"admissions.survey_pending.{v['campaign_id']}",
            "title": _("%(campaign)s：本单位需求摸底未填报") % {"campaign": v["campaign__name"]},
            "url": f"{reverse('admissions:survey', args=[v['campaign_id']])}?pending=1",
        },
        role=role,
        oldest="created_at",
        today=today,
    )
    return queues


def _member_queues(user, person_id: int, today: datetime.date) -> list[TodoQueue]:
    role = str(Role.MEMBER.label)
    queues = [
        queue_count(
            AdmissionRequest.objects.filter(
                parent_id=person_id, status=RequestStatus.DRAFT, campaign__status=CampaignStatus.REQUESTS
            ),
            key="admissions.own_draft",
            title=_("子女入学申请待提交（上传材料后提交）"),
            url=reverse("admissions:mine"),
            role=role,
            oldest="created_at",
            deadline="campaign__rules__requests_deadline",
            today=today,
        ),
        queue_count(
            SurveyLine.objects.filter(parent_id=person_id, need="", campaign__status__in=SURVEY_OPEN),
            key="admissions.own_survey",
            title=_("子女入学需求摸底待填报"),
            url=reverse("admissions:mine"),
            role=role,
            oldest="created_at",
            deadline="campaign__rules__survey_closes",
            today=today,
        ),
    ]
    return [q for q in queues if q.count]


def admissions_todos(user, *, today: datetime.date | None = None) -> list[TodoQueue]:
    today = today or timezone.localdate()
    access = get_access(user)
    queues: list[TodoQueue] = []
    if sees_children(access) and user.has_perm("admissions.refer_admissionrequest"):
        queues += _admissions_queues(user, today)
    if (
        Role.SUB_UNION_OFFICER in access.roles
        and access.sub_union_ids
        and user.has_perm("admissions.check_admissionrequest")
    ):
        queues += _officer_queues(user, list(access.sub_union_ids), today)
    if access.person_id:
        queues += _member_queues(user, access.person_id, today)
    return [q for q in queues if q.count]


def admissions_cards(user) -> list[ServiceCard]:
    """A card per child of the member's in the current campaign (surveyed or with a request)."""
    person_id = getattr(user, "person_id", None)
    if not person_id:
        return []
    campaign = Campaign.objects.restrict(user).exclude(status=CampaignStatus.CLOSED).order_by("-year").first()
    if campaign is None:
        return []
    lines = list(SurveyLine.objects.filter(campaign=campaign, parent_id=person_id).select_related("child"))
    requests = {
        r.child_id: r
        for r in AdmissionRequest.objects.filter(campaign=campaign, parent_id=person_id)
        .exclude(status=RequestStatus.WITHDRAWN)
        .select_related("school")
    }
    children = {line.child_id: line.child for line in lines}
    for own in requests.values():
        children.setdefault(own.child_id, own.child)
    if not children:
        return []
    texts = []
    waiting = 0
    for child_id, child in children.items():
        line = next((x for x in lines if x.child_id == child_id), None)
        asked = requests.get(child_id)
        if asked is not None:
            stage = asked.get_stage_display()
            state = _("%(school)s · %(status)s") % {
                "school": asked.school.name,
                "status": asked.get_status_display(),
            }
            waiting += asked.status == RequestStatus.DRAFT
        elif line is not None and line.need:
            stage = line.get_stage_display()
            state = _("摸底已填报：%(need)s") % {"need": line.get_need_display()}
        else:
            stage = line.get_stage_display() if line is not None else ""
            state = _("摸底未填报")
            waiting += campaign.status in SURVEY_OPEN
        texts.append(f"{name_mask(child.name)} · {stage} · {state}")
    return [
        ServiceCard(
            title=campaign.name,
            lines=tuple(texts),
            url=reverse("admissions:mine"),
            action=_("子女入学"),
            icon="building",
            badge=waiting,
        )
    ]
