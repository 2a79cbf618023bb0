"""The year's admission work (子女入学年度工作): the campaigns, a campaign's page (its course
and the office's steps, the survey board per sub-union), the survey lines (摸底) the
admissions officer and the sub-unions' officers answer for parents, and the reminders.

Who gets what: the campaigns' readers (the office, the sub-unions' officers, auditors) list
them and open one; the office runs it; children's rows (the survey lines) only for the
admissions officer and a sub-union's officer (their own people), through the scoped
querysets."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from gonghui.admissions import forms
from gonghui.admissions.choices import CampaignStatus, Need, RequestStatus
from gonghui.admissions.models import AdmissionRules, Campaign, SurveyLine
from gonghui.admissions.selectors.survey import SURVEY_BOARD_COLUMNS, survey_board, survey_board_totals, survey_lines
from gonghui.admissions.services import campaigns as campaign_services
from gonghui.admissions.services import survey as survey_services
from gonghui.admissions.views.common import (
    Action,
    campaign_or_404,
    is_admissions,
    is_office,
    is_sub_union_officer,
    sees_child_rows,
)
from gonghui.admissions.workflow import CampaignWorkflow
from gonghui.core.editions import EditionStatus
from gonghui.core.exceptions import PermissionDenied
from gonghui.core.pages import PermissionPageMixin, paginate
from gonghui.core.views_kit import form_service_post, list_query
from gonghui.core.workflow import Attempt

VIEW = "admissions.view_campaign"


def board_context(campaign: Campaign, user) -> dict:
    rows = survey_board(campaign=campaign, user=user)
    return {"board": rows, "board_columns": SURVEY_BOARD_COLUMNS, "totals": survey_board_totals(rows) if rows else {}}


class ListView(PermissionPageMixin, View):
    """The campaigns, newest first, with their numbers of requests."""

    permission_required = VIEW

    def get(self, request):
        campaigns = list(
            Campaign.objects.restrict(request.user)
            .select_related("rules")
            .annotate(request_count=Count("requests", filter=~Q(requests__status=RequestStatus.WITHDRAWN)))
            .order_by("-year")
        )
        if not sees_child_rows(request.user):
            for campaign in campaigns:
                campaign.request_count = None  # the plain office sees figures on the report, not here
        return render(
            request,
            "admissions/office/list.html",
            {
                "campaigns": campaigns,
                "can_create": is_office(request.user) and request.user.has_perm("admissions.add_campaign"),
                "can_rules": request.user.has_perm("admissions.view_admissionrules"),
                "can_schools": request.user.has_perm("admissions.view_school"),
            },
        )


def adopted_rules():
    return AdmissionRules.objects.filter(status=EditionStatus.ADOPTED).order_by("-year")


class CreateView(PermissionPageMixin, View):
    permission_required = ("admissions.add_campaign", "admissions.manage_campaign")

    def _page(self, request, form, status=200):
        return render(
            request,
            "admissions/office/create.html",
            {"form": form, "has_rules": adopted_rules().exists()},
            status=status,
        )

    def get(self, request):
        latest = Campaign.objects.order_by("-year").first()
        rules = adopted_rules().first()
        year = (latest.year + 1) if latest else timezone.localdate().year
        return self._page(request, forms.CampaignForm(rules=adopted_rules(), initial={"year": year, "rules": rules}))

    def post(self, request):
        form = forms.CampaignForm(request.POST, rules=adopted_rules())
        done = form_service_post(
            request,
            form,
            lambda data: campaign_services.campaign_create(
                actor=request.user, year=data["year"], rules=data["rules"], name=data["name"]
            ),
            success=_("年度工作已创建。下一步：在年度工作页面“开始需求摸底”。"),
            then=lambda campaign: redirect("admissions:campaign", campaign.pk),
        )
        return done or self._page(request, form, status=400)


STEP_QUESTIONS = {
    "open_survey": gettext_lazy(
        "开始后将为本年度到入学年龄的子女生成摸底名单，家长可在门户填报，分工会可代为填报。确定开始吗？"
    ),
    "open_requests": gettext_lazy("开始后家长可以为本年度入学的子女提交入学申请。确定开始受理吗？"),
    "refer": gettext_lazy("分工会已审核的申请将全部报送学校，此后不再受理申请。确定报送吗？"),
    "close": gettext_lazy("结束后本年度不能再办理。确定结束吗？"),
}
STEP_DONE = {
    "open_survey": gettext_lazy("已开始需求摸底：摸底名单已生成 %(n)s 人。"),
    "open_requests": gettext_lazy("已开始受理入学申请。"),
    "refer": gettext_lazy("已将审核通过的申请报送学校。"),
    "close": gettext_lazy("本年度工作已结束。"),
}


@dataclass(frozen=True)
class StepButton:
    name: str
    label: str
    question: str
    problem: str


def step_buttons(campaign: Campaign, user) -> list[StepButton]:
    """The office's steps from the campaign's status, each with what stops it now."""
    buttons = []
    for step in CampaignWorkflow.steps:
        if campaign.status not in step.sources or not CampaignWorkflow.actor_may(step, campaign, user):
            continue
        attempt = Attempt(obj=campaign, actor=user, step=step, message="", values={}, parameters={})
        problems = [problem for guard in step.guards if (problem := guard(attempt))]
        buttons.append(StepButton(step.name, str(step.label), str(STEP_QUESTIONS[step.name]), "；".join(problems)))
    return buttons


class DetailView(PermissionPageMixin, View):
    """A campaign: its course and the office's steps, its rules in short, the survey board
    per sub-union and the way to the survey lines and the requests."""

    permission_required = VIEW

    def get(self, request, pk):
        campaign = campaign_or_404(request.user, pk)
        user = request.user
        office = is_office(user)
        context = {
            "campaign": campaign,
            "rules": campaign.rules,
            "steps": step_buttons(campaign, user) if office else [],
            "is_office": office,
            "child_rows": sees_child_rows(user),
            "may_import": is_admissions(user) and campaign.status == CampaignStatus.REFERRED,
            **board_context(campaign, user),
            "remind_template": "admissions/office/_survey_remind.html"
            if office and campaign.status == CampaignStatus.SURVEY
            else "",
        }
        return render(request, "admissions/office/detail.html", context)


class StepView(Action):
    """A step of the campaign's course: not the user's is a 404; a guard's refusal a message."""

    model = Campaign
    office_only = True

    def back(self, obj) -> str:
        return reverse("admissions:campaign", args=[obj.pk])

    def post(self, request, pk, step=""):
        self.step = step
        return super().post(request, pk)

    def act(self, request, obj, data):
        step = self.step
        declared = next((s for s in CampaignWorkflow.steps if s.name == step), None)
        if declared is None or not CampaignWorkflow.actor_may(declared, obj, request.user):
            raise PermissionDenied
        if step == "open_survey":
            campaign_services.campaign_open_survey(actor=request.user, campaign=obj)
            count = SurveyLine.objects.filter(campaign=obj).count()
            return str(STEP_DONE[step]) % {"n": count}
        service = {
            "open_requests": campaign_services.campaign_open_requests,
            "refer": campaign_services.campaign_refer,
            "close": campaign_services.campaign_close,
        }[step]
        service(actor=request.user, campaign=obj)
        return str(STEP_DONE[step])


# --- the survey (摸底) -------------------------------------------------------------------------


class SurveyView(PermissionPageMixin, View):
    """The survey's lines a user may answer for: the admissions officer every child, a
    sub-union's officer their own people's (`?pending=1`: not answered yet); each line with
    its answer form while the survey is open."""

    permission_required = "admissions.view_surveyline"

    def get(self, request, pk):
        campaign = campaign_or_404(request.user, pk)
        if not sees_child_rows(request.user):
            raise Http404
        pending = request.GET.get("pending") == "1"
        rows = survey_lines(campaign=campaign, user=request.user, pending=pending)
        page = paginate(request, rows, per_page=50)
        open_ = campaign.status == CampaignStatus.SURVEY
        may_answer = open_ and request.user.has_perm("admissions.change_surveyline")
        for line in page:
            line.form = forms.SurveyAnswerForm(stage=line.stage, initial=_line_initial(line), prefix=f"l{line.pk}")
        return render(
            request,
            "admissions/office/survey.html",
            {
                "campaign": campaign,
                "page": page,
                "pending": pending,
                "query": list_query(request),
                "may_answer": may_answer,
                "scoped": not is_admissions(request.user),
                "officer": is_sub_union_officer(request.user),
                **board_context(campaign, request.user),
            },
        )


def _line_initial(line: SurveyLine) -> dict:
    return {
        "need": line.need,
        "school": line.school_id,
        "alternative": line.alternative_id,
        "hukou_district": line.hukou_district,
        "housing": line.housing,
        "note": line.note,
    }


class SurveyAnswerView(Action):
    """An answer for a parent's child (the officer's or the admissions officer's form on the
    survey page, or the parent's on the portal); the service checks who may."""

    model = SurveyLine
    form_class = forms.SurveyAnswerForm

    def target(self, request, pk):
        return get_object_or_404(SurveyLine.objects.restrict(request.user).select_related("campaign", "child"), pk=pk)

    def form_kwargs(self, obj) -> dict:
        # the survey page holds a form per line, each with its own prefix
        return {"stage": obj.stage, "prefix": self.request.POST.get("prefix") or None}

    def back(self, obj) -> str:
        if obj.parent_id == getattr(self.request.user, "person_id", None):
            return reverse("admissions:mine")
        return f"{reverse('admissions:survey', args=[obj.campaign_id])}#line-{obj.pk}"

    def act(self, request, obj, data):
        survey_services.survey_answer(
            actor=request.user,
            line=obj,
            need=data["need"],
            school=data["school"],
            alternative=data["alternative"],
            hukou_district=data["hukou_district"],
            housing=data["housing"],
            note=data["note"],
        )
        return _("已记录%(child)s的摸底：%(need)s。") % {"child": obj.child.name, "need": Need(data["need"]).label}


class SurveyRemindView(Action):
    """The office reminds a sub-union's parents who have not answered."""

    model = Campaign
    office_only = True
    form_class = forms.RemindForm

    def back(self, obj) -> str:
        return reverse("admissions:campaign", args=[obj.pk])

    def act(self, request, obj, data):
        count = survey_services.survey_remind(actor=request.user, campaign=obj, sub_union=data["sub_union"])
        return _("已提醒%(sub_union)s %(n)s 位家长。") % {"sub_union": data["sub_union"].name, "n": count}
