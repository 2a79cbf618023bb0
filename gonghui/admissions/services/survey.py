"""The year's demand survey (摸底): one line per child of active staff whose stage comes up in
the campaign's year, pre-filled when the survey opens; answered by the parent on the portal
or by their sub-union's officer (or the admissions officer); reminders to a sub-union behind."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.accounts.access import get_access
from gonghui.accounts.roles import Role
from gonghui.admissions.choices import KIND_STAGE, CampaignStatus, Housing, Need, SchoolKind, Stage
from gonghui.admissions.models import Campaign, ChildRecord, School, SurveyLine
from gonghui.admissions.selectors.children import child_label
from gonghui.admissions.services.children import children_act_require
from gonghui.admissions.services.notices import KIND_SURVEY, url_or_blank, users_of
from gonghui.admissions.stages import stages_in
from gonghui.core.exceptions import ApplicationError, PermissionDenied
from gonghui.core.history import AuditAction, changes_between, changes_of, snapshot
from gonghui.core.service_kit import audit
from gonghui.people.choices import EmploymentStatus
from gonghui.people.models import Child, SubUnion

ANSWER_FIELDS = ["need", "school", "alternative", "hukou_district", "housing", "note"]
# The oldest child a survey can concern: junior secondary at 12 (a year's slack for late rules).
_MAX_AGE_YEARS = 14


def survey_children(campaign: Campaign):
    """The children of active staff whose stage (nursery, primary, junior) comes up in the
    campaign's year, each with that stage: [(child, stage)]."""
    year = campaign.year
    ages = campaign.rules.ages()
    children = (
        Child.objects.filter(parent__employment_status=EmploymentStatus.ACTIVE)
        .filter(birth_date__year__gte=year - _MAX_AGE_YEARS, birth_date__year__lte=year - 1)
        .select_related("parent")
        .order_by("pk")
    )
    found = []
    for child in children:
        stages = stages_in(child.birth_date, year, ages)
        if stages:
            found.append((child, stages[0]))
    return found


@transaction.atomic
def survey_prefill(*, campaign: Campaign) -> int:
    """Pre-fill a line for every child whose stage comes up in the year (see
    `survey_children`), with the hukou district and housing on record. Idempotent: a child
    with a line keeps it; returns how many lines were added."""
    campaign = Campaign.objects.select_for_update(of=("self",)).select_related("rules").get(pk=campaign.pk)
    existing = set(SurveyLine.objects.filter(campaign=campaign).values_list("child_id", flat=True))
    wanted = [(child, stage) for child, stage in survey_children(campaign) if child.pk not in existing]
    records = {r.child_id: r for r in ChildRecord.objects.filter(child__in=[c.pk for c, _s in wanted])}
    lines = []
    for child, stage in wanted:
        record = records.get(child.pk)
        lines.append(
            SurveyLine(
                campaign=campaign,
                child=child,
                parent_id=child.parent_id,
                stage=stage,
                hukou_district=record.hukou_district if record else "",
                housing=record.housing if record else "",
            )
        )
    SurveyLine.objects.bulk_create(lines, batch_size=500, ignore_conflicts=True)
    return len(lines)


def _school_for_stage(school: School | None, stage: str, field: str) -> None:
    if school is None:
        return
    if not school.active:
        raise ApplicationError(_("%(school)s已停用。") % {"school": school.name}, extra={"field": field})
    if KIND_STAGE[SchoolKind(school.kind)] != stage:
        raise ApplicationError(
            _("%(school)s（%(kind)s）不招收%(stage)s的子女。")
            % {"school": school.name, "kind": school.get_kind_display(), "stage": Stage(stage).label},
            extra={"field": field},
        )


@transaction.atomic
def survey_answer(
    *,
    actor,
    line: SurveyLine,
    need: str,
    school: School | None = None,
    alternative: School | None = None,
    hukou_district: str = "",
    housing: str = "",
    note: str = "",
) -> SurveyLine:
    """The answer for one child: whether a place is needed, the intended school and an
    alternative (both must admit the child's stage; not the same school), the hukou district
    and housing. By the parent, their sub-union's officer or the admissions officer, while
    the survey is open; an answer may be changed until it closes."""
    children_act_require(actor, line.parent)
    line = SurveyLine.objects.select_for_update(of=("self",)).select_related("campaign__rules", "child").get(pk=line.pk)
    campaign = line.campaign
    if campaign.status != CampaignStatus.SURVEY:
        raise ApplicationError(
            _("%(campaign)s当前为“%(status)s”，不在需求摸底阶段。")
            % {"campaign": campaign.name, "status": campaign.get_status_display()}
        )
    if timezone.localdate() > campaign.rules.survey_closes:
        raise ApplicationError(_("需求摸底已于 %(date)s 截止。") % {"date": campaign.rules.survey_closes.isoformat()})
    if need not in Need.values:
        raise ApplicationError(_("请选择是否需要学位。"), extra={"field": "need"})
    if housing and housing not in Housing.values:
        raise ApplicationError(_("请选择住房情况。"), extra={"field": "housing"})
    if need == Need.NO:
        school = alternative = None
    if need == Need.YES and school is None:
        raise ApplicationError(_("需要学位时请选择意向学校。"), extra={"field": "school"})
    if alternative is not None:
        if school is None:
            raise ApplicationError(_("请先选择意向学校。"), extra={"field": "school"})
        if not campaign.rules.alternative_allowed:
            raise ApplicationError(_("本年度的规则不设备选学校。"), extra={"field": "alternative"})
        if alternative.pk == school.pk:
            raise ApplicationError(_("备选学校不能与意向学校相同。"), extra={"field": "alternative"})
    _school_for_stage(school, line.stage, "school")
    _school_for_stage(alternative, line.stage, "alternative")
    first = line.answered_at is None
    before = snapshot(line, ANSWER_FIELDS)
    line.need = need
    line.school = school
    line.alternative = alternative
    line.hukou_district = (hukou_district or "").strip()
    line.housing = housing or ""
    line.note = (note or "").strip()[:200]
    line.answered_at = timezone.now()
    line.answered_by = actor
    line.save()
    audit(
        actor,
        line,
        AuditAction.CREATED if first else AuditAction.UPDATED,
        _("需求摸底：%(child)s %(need)s") % {"child": child_label(line.child), "need": line.get_need_display()},
        person_id=line.parent_id,
        changes=changes_between(before, snapshot(line, ANSWER_FIELDS)),
    )
    return line


def _remind_require(actor, sub_union: SubUnion) -> None:
    """The office reminds any sub-union; a sub-union's officer their own."""
    access = get_access(actor)
    if actor is not None and actor.is_authenticated and actor.has_perm("admissions.manage_campaign"):
        return
    if Role.SUB_UNION_OFFICER in access.roles and sub_union.pk in access.sub_union_ids:
        return
    raise PermissionDenied(_("您无权催办该分工会。"))


@transaction.atomic
def survey_remind(*, actor, campaign: Campaign, sub_union: SubUnion) -> int:
    """Remind a sub-union behind: the parents (with a sign-in) whose children's lines are
    still unanswered, and the sub-union's officers. Returns how many people were notified."""
    from gonghui.accounts.models import User
    from gonghui.notifications.services import notification_send

    _remind_require(actor, sub_union)
    if campaign.status != CampaignStatus.SURVEY:
        raise ApplicationError(_("需求摸底未在进行中。"))
    scope = SubUnion.objects.with_descendants([sub_union.pk])
    parents = (
        SurveyLine.objects.filter(campaign=campaign, answered_at__isnull=True, parent__sub_union_id__in=scope)
        .values_list("parent_id", flat=True)
        .distinct()
    )
    closes = campaign.rules.survey_closes.isoformat()
    sent = notification_send(
        recipients=list(users_of(*parents)),
        title=_("请填写子女入托入学需求摸底：%(campaign)s") % {"campaign": campaign.name},
        body=_("需求摸底截止：%(date)s") % {"date": closes},
        url=url_or_blank("admissions:mine"),
        kind=KIND_SURVEY,
    )
    officers = User.objects.filter(
        Q(role_assignments__role=Role.SUB_UNION_OFFICER, role_assignments__sub_union_id__in=scope), is_active=True
    ).distinct()
    sent += notification_send(
        recipients=list(officers),
        title=_("%(sub_union)s尚有子女入学需求未填报：%(campaign)s")
        % {"sub_union": sub_union.name, "campaign": campaign.name},
        body=_("需求摸底截止：%(date)s") % {"date": closes},
        url=url_or_blank("admissions:survey", campaign.pk),
        kind=KIND_SURVEY,
    )
    audit(
        actor,
        campaign,
        AuditAction.UPDATED,
        _("催办需求摸底：%(sub_union)s") % {"sub_union": sub_union.name},
        changes=changes_of(reminded_sub_union=sub_union.name, notified=len(sent)),
    )
    return len(sent)
