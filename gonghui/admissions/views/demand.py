"""Demand to action (需求与学位): demand by stage, district, school and sub-union over the years
against the places the schools offer, with a chart; the year's shortages, each turned into
a congress proposal (prefilled in the proposals module) or linked to one, the link kept and
shown; and the year's report (demand and outcomes, the schools' answer rate) with its .xlsx.
Figures only, no child: the office and auditors read them."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from gonghui.admissions import forms
from gonghui.admissions.choices import Stage
from gonghui.admissions.models import ShortageAction
from gonghui.admissions.reports import admissions_report, report_years
from gonghui.admissions.selectors.demand import campaign_years, demand_by_year, history, linkable_proposals, shortages
from gonghui.admissions.services import shortages as shortage_services
from gonghui.core.exceptions import ApplicationError, PermissionDenied
from gonghui.core.pages import PermissionPageMixin
from gonghui.core.reports import Chart
from gonghui.core.views_kit import YearlyReportPage, form_errors_flash, year_asked, years_to_pick

VIEW = "admissions.view_shortageaction"


def _sessions(user=None):
    """The congress sessions; given `user`, only those they are a serving delegate of: a
    proposal is drafted by a delegate (the proposals module refuses anyone else)."""
    from gonghui.congress.models import CongressSession
    from gonghui.congress.selectors import delegate_for

    sessions = CongressSession.objects.select_related("term").order_by("-opens_on")
    if user is None:
        return sessions
    person = getattr(user, "person", None)
    if person is None:
        return []
    return [s for s in sessions[:20] if delegate_for(person=person, session=s) is not None]


def _proposals(user):
    return linkable_proposals(user)[:200]


def _key(year, stage, school_id, district) -> tuple:
    return (year, stage, school_id or None, district or "")


class DemandView(PermissionPageMixin, View):
    """`?year=` (the latest with figures by default)."""

    permission_required = VIEW

    def get(self, request):
        asked = year_asked(request) if request.GET.get("year") else None
        year, years = years_to_pick(campaign_years(), asked)
        table = demand_by_year()
        totals = history(table=table)
        by_stage = [f for f in table.by("year", "stage") if f.stage]
        chart = Chart.grouped(
            _("历年需求与学位"),
            [(str(f.year), f.demand, f.places or 0, f.placed, f.unmet) for f in totals],
            names=[_("需求"), _("学位"), _("录取"), _("未满足")],
            key="demand",
        )
        found = shortages(year, table=table)
        actions = {
            _key(a.year, a.stage, a.school_id, a.district): a
            for a in ShortageAction.objects.restrict(request.user).select_related("proposal", "school")
        }
        rows = []
        for s in found:
            key = _key(s.year, s.stage, s.school.pk if s.school else None, s.district)
            rows.append({"shortage": s, "action": actions.pop(key, None)})
        may_act = request.user.has_perm("admissions.add_shortageaction") and request.user.has_perm(
            "admissions.change_shortageaction"
        )
        return render(
            request,
            "admissions/demand/demand.html",
            {
                "year": year,
                "years": years,
                "totals": totals,
                "by_stage": by_stage,
                "by_school": table.by("year", "stage", "district", "school", year=year),
                "by_sub_union": table.by("year", "stage", "sub_union", year=year),
                "charts": {"demand": chart},
                "chart": chart,
                "shortages": rows,
                "other_actions": [a for a in actions.values() if a.year == year],
                "may_act": may_act,
                "sessions": list(_sessions(request.user)) if may_act else [],
                "proposals": list(_proposals(request.user)) if may_act else [],
            },
        )


def _shortage_from_post(request) -> ShortageAction:
    """The shortage the row's form names (its year, stage, school or district): the recorded
    one, or recorded now with the figures of the year's demand."""
    try:
        year = int(request.POST.get("year", ""))
    except ValueError:
        raise Http404 from None
    stage = request.POST.get("stage", "")
    school_id = request.POST.get("school") or None
    found = next(
        (
            s
            for s in shortages(year)
            if s.stage == stage and str(s.school.pk if s.school else "") == str(school_id or "")
        ),
        None,
    )
    if found is None:
        raise ApplicationError(_("这一年没有这样的学位缺口。"))
    existing = ShortageAction.objects.filter(
        year=year, stage=stage, school=found.school, district=found.district
    ).first()
    if existing is not None:
        return existing
    where = found.school.name if found.school else _("全校")
    return shortage_services.shortage_record(
        actor=request.user,
        year=year,
        stage=stage,
        school=found.school,
        district=found.district,
        demand=found.demand,
        places=found.places,
        title=_("%(year)s年%(where)s%(stage)s学位缺口") % {"year": year, "where": where, "stage": Stage(stage).label},
        summary=_("需求 %(demand)s 人，学位 %(places)s 个，缺口 %(gap)s 个。")
        % {"demand": found.demand, "places": found.places, "gap": found.shortfall},
    )


class _ShortagePost(PermissionPageMixin, View):
    """A button on a shortage row: its form is checked first, then the shortage is recorded
    (once) and acted on, all or nothing."""

    permission_required = ("admissions.add_shortageaction", "admissions.change_shortageaction")

    def form(self, request):
        raise NotImplementedError

    def act(self, request, shortage, data) -> str:
        raise NotImplementedError

    def post(self, request):
        back = f"{reverse('admissions:demand')}?year={request.POST.get('year', '')}#shortages"
        form = self.form(request)
        if not form.is_valid():
            form_errors_flash(request, form)
            return redirect(back)
        try:
            with transaction.atomic():
                shortage = _shortage_from_post(request)
                done = self.act(request, shortage, form.cleaned_data)
        except (PermissionDenied, ApplicationError) as error:
            messages.error(request, str(getattr(error, "message", error)))
        else:
            messages.success(request, done)
        return redirect(back)


class ShortageProposalView(_ShortagePost):
    """Turn a shortage into a congress proposal, drafted in the proposals module (the user's
    own draft: they must be a delegate of the session's term)."""

    def form(self, request):
        return forms.ShortageProposalForm(request.POST, sessions=_sessions())

    def act(self, request, shortage, data):
        proposal = shortage_services.shortage_proposal_draft(
            actor=request.user, shortage=shortage, session=data["session"]
        )
        return _("已起草提案“%(title)s”，请在提案页面修改、征集附议后提交。") % {"title": proposal.title}


class ShortageLinkView(_ShortagePost):
    """Link the shortage to an existing proposal."""

    def form(self, request):
        return forms.ShortageLinkForm(request.POST, proposals=_proposals(request.user))

    def act(self, request, shortage, data):
        from gonghui.proposals.models import Proposal

        proposal = Proposal.objects.filter(pk=data["proposal"]).first()
        if proposal is None:
            raise ApplicationError(_("没有找到该提案。"))
        shortage_services.shortage_proposal_link(actor=request.user, shortage=shortage, proposal=proposal)
        return _("已关联提案“%(title)s”。") % {"title": proposal.title}


class ReportView(YearlyReportPage):
    """The year's demand and outcomes, and the schools' answer rate (`?year=`, `?export=xlsx`):
    the figures of `manage.py admissions_report`."""

    permission_required = "admissions.view_campaign"
    template_name = "admissions/demand/report.html"
    export_filename = cast(str, gettext_lazy("子女入学%(year)s年统计.xlsx"))

    def build(self, user, year):
        return admissions_report(user=user, year=year)

    def data_years(self, user):
        return report_years()

    def get_context(self, report):
        figures = report.figures
        return {
            "report": report,
            "figures": figures,
            "charts": report.charts,
            "total": figures["demand"]["total"],
            "by_stage": [{**f, "label": Stage(f["stage"]).label} for f in figures["demand"]["by_stage"]],
            "rates": figures["answers"]["by_school"],
        }
