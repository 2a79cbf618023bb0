"""A member's own admission pages on the portal, phone first (子女入学): each child with the
stage computed by the 31 August cut-off and the years they enter each stage; this year's
survey answer (need, intended school and alternative, hukou district, housing); a request for
a child whose stage is this year's (then the documents and the submission on the request's
page), its status and the school's answer; the policy notes; the visits with sign-up; the
advice they were given."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from gonghui.accounts.access import get_access
from gonghui.admissions import forms
from gonghui.admissions.choices import LIVE_REQUEST_STATUSES, CampaignStatus, PolicyNoteStatus, VisitStatus
from gonghui.admissions.models import (
    Campaign,
    ChildRecord,
    Consultation,
    PolicyNote,
    SchoolVisit,
    SurveyLine,
    VisitSignup,
)
from gonghui.admissions.selectors.children import own_children_stages
from gonghui.admissions.selectors.requests import own_requests
from gonghui.admissions.services import requests as request_services
from gonghui.core.pages import MemberPageMixin
from gonghui.core.views_kit import form_service_post
from gonghui.people.models import Child


def current_campaign(user) -> Campaign | None:
    """The latest campaign the member sees (an open one; a draft is the office's)."""
    return Campaign.objects.restrict(user).select_related("rules").order_by("-year").first()


def _person_id(user) -> int | None:
    return get_access(user).person_id


class MineView(MemberPageMixin, View):
    def get(self, request):
        user = request.user
        person_id = _person_id(user)
        campaign = current_campaign(user)
        year = campaign.year if campaign else timezone.localdate().year
        children = own_children_stages(user, year) if person_id else []
        lines = {}
        requests = list(own_requests(user)) if person_id else []
        if campaign is not None and person_id:
            lines = {
                line.child_id: line
                for line in SurveyLine.objects.restrict(user)
                .filter(campaign=campaign, parent_id=person_id)
                .select_related("school", "alternative")
            }
        live = {r.child_id: r for r in requests if campaign and r.campaign_id == campaign.pk}
        survey_open = campaign is not None and campaign.status == CampaignStatus.SURVEY
        taking = campaign is not None and campaign.status == CampaignStatus.REQUESTS
        cards = []
        for entry in children:
            this_year = [s for s in entry.stages if campaign and s.year == campaign.year]
            line = lines.get(entry.child.pk)
            current = live.get(entry.child.pk)
            cards.append(
                {
                    "entry": entry,
                    "this_year": this_year,
                    "line": line,
                    "may_answer": survey_open and line is not None,
                    "request": current,
                    "may_request": taking
                    and bool(this_year)
                    and (current is None or current.status not in LIVE_REQUEST_STATUSES),
                }
            )
        notes = PolicyNote.objects.restrict(user).filter(status=PolicyNoteStatus.PUBLISHED).order_by("-year", "-id")
        today = timezone.localdate()
        visits = list(
            SchoolVisit.objects.restrict(user)
            .filter(status=VisitStatus.OPEN, visit_on__gte=today)
            .select_related("school")
            .order_by("visit_on")
        )
        mine = (
            set(VisitSignup.objects.filter(person_id=person_id).values_list("visit_id", flat=True))
            if person_id
            else set()
        )
        for v in visits:
            v.signed_up = v.pk in mine
            v.may_sign_up = bool(person_id) and today <= v.signup_until
        consultations = (
            list(Consultation.objects.restrict(user).filter(person_id=person_id).order_by("-asked_on")[:20])
            if person_id
            else []
        )
        return render(
            request,
            "admissions/portal/mine.html",
            {
                "campaign": campaign,
                "cards": cards,
                "requests": requests,
                "notes": list(notes[:5]),
                "visits": visits,
                "consultations": consultations,
            },
        )


def _stage_label(stage: str | None) -> str:
    from gonghui.admissions.choices import Stage

    return str(Stage(stage).label) if stage else ""


def own_line_or_404(user, pk) -> SurveyLine:
    person_id = _person_id(user)
    line = (
        SurveyLine.objects.restrict(user)
        .filter(pk=pk, parent_id=person_id)
        .select_related("campaign", "child", "school", "alternative")
        .first()
    )
    if line is None or person_id is None:
        raise Http404
    return line


class MineSurveyView(MemberPageMixin, View):
    """The survey's form for one of the member's children (posted to the survey answer)."""

    def get(self, request, pk):
        line = own_line_or_404(request.user, pk)
        if line.campaign.status != CampaignStatus.SURVEY:
            raise Http404
        record = ChildRecord.objects.filter(child_id=line.child_id).first()
        initial = {
            "need": line.need,
            "school": line.school_id,
            "alternative": line.alternative_id,
            "hukou_district": line.hukou_district or (record.hukou_district if record else ""),
            "housing": line.housing or (record.housing if record else ""),
            "note": line.note,
        }
        return render(
            request,
            "admissions/portal/survey.html",
            {"line": line, "form": forms.SurveyAnswerForm(stage=line.stage, initial=initial)},
        )


class RequestNewView(MemberPageMixin, View):
    """Start a request for one of the member's children whose stage is this campaign's."""

    def _child(self, request, pk) -> Child:
        person_id = _person_id(request.user)
        if person_id is None:
            raise Http404
        return get_object_or_404(Child.objects.filter(parent_id=person_id), pk=pk)

    def _campaign(self, request) -> Campaign:
        # the campaign taking requests, though next year's survey may already be open
        campaign = (
            Campaign.objects.restrict(request.user)
            .filter(status=CampaignStatus.REQUESTS)
            .select_related("rules")
            .order_by("-year")
            .first()
        )
        if campaign is None:
            raise Http404
        return campaign

    def _stage(self, child, campaign) -> str | None:
        from gonghui.admissions.stages import stage_in

        return stage_in(child.birth_date, campaign.year, campaign.rules.ages())

    def _page(self, request, child, campaign, form, status=200):
        return render(
            request,
            "admissions/portal/request_new.html",
            {
                "child": child,
                "campaign": campaign,
                "form": form,
                "stage_label": _stage_label(self._stage(child, campaign)),
            },
            status=status,
        )

    def _initial(self, request, child, campaign) -> dict:
        record = ChildRecord.objects.filter(child=child).first()
        line = SurveyLine.objects.restrict(request.user).filter(campaign=campaign, child=child).first()
        initial: dict = {}
        if record is not None:
            initial.update(relation=record.relation, hukou_district=record.hukou_district, housing=record.housing)
        if line is not None:
            initial.update(
                school=line.school_id,
                alternative=line.alternative_id,
                hukou_district=line.hukou_district or initial.get("hukou_district", ""),
                housing=line.housing or initial.get("housing", ""),
            )
        return initial

    def get(self, request, pk):
        child = self._child(request, pk)
        campaign = self._campaign(request)
        stage = self._stage(child, campaign)
        form = forms.RequestForm(stage=stage, initial=self._initial(request, child, campaign))
        return self._page(request, child, campaign, form)

    def post(self, request, pk):
        child = self._child(request, pk)
        campaign = self._campaign(request)
        # every affiliated and co-built school is offered to the service, which says which
        # stage the child is at when the school's is not theirs
        form = forms.RequestForm(request.POST, stage=None)
        done = form_service_post(
            request,
            form,
            lambda data: request_services.request_create(actor=request.user, campaign=campaign, child=child, **data),
            success=_("申请已保存为草稿。请上传材料后提交。"),
            then=lambda created: redirect(reverse("admissions:request", args=[created.pk]) + "#documents"),
        )
        return done or self._page(request, child, campaign, form, status=400)
