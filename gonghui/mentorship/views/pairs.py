"""The pairs' pages: the list with its filters and export, a college's hand proposal, the
duties waiting for the college, and a pair's page — its course, the agreement and plan, the
duties against the requirements of each cycle year, the assessment, the stipends and the
history, with the buttons of whoever may press them.

Who sees a pair: its mentor and mentee, its college's officer, the office and auditors
(`Pair.objects.restrict`); anyone else gets a 404. The buttons are the workflow's: a step the
user may not take is not there (404), a refusal is the service's message."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views import View

from gonghui.core.exceptions import ApplicationError
from gonghui.core.pages import PermissionPageMixin
from gonghui.core.views_kit import FilteredListPage, ListExport, filters_checked, form_service_post
from gonghui.core.workflow import Attempt
from gonghui.mentorship import forms
from gonghui.mentorship.choices import (
    LOGGING_PAIR_STATUSES,
    CohortStatus,
    DutyStatus,
    PairStatus,
    Side,
)
from gonghui.mentorship.models import Candidate, Cohort, DutyLog, Pair, StipendEntry
from gonghui.mentorship.selectors.board import current_year
from gonghui.mentorship.selectors.counters import chain_ids, pair_counters
from gonghui.mentorship.selectors.lists import side_people
from gonghui.mentorship.services import assessments as assessment_services
from gonghui.mentorship.services import duties as duty_services
from gonghui.mentorship.services import pairs as pair_services
from gonghui.mentorship.views.office import CohortAction, cohort_or_404, is_office, may_propose
from gonghui.mentorship.workflow import COLLEGE, OFFICE, PairWorkflow
from gonghui.people.models import Person

EXTENDING = (PairStatus.BASICALLY_PASSED, PairStatus.EXTENDED)

# --- the list --------------------------------------------------------------------------------


def _date(value) -> str | datetime.date:
    return value or ""


class ListView(FilteredListPage):
    """Every pair the user may see, by cohort, college and status, and its .xlsx."""

    permission_required = "mentorship.view_pair"
    templates = ("mentorship/pairs/list.html", "mentorship/pairs/partials/table.html")
    export = ListExport(
        "mentorship.pair",
        gettext_lazy("拜师结对名单.xlsx"),
        columns=[
            (gettext_lazy("期次"), lambda p: p.cohort.name),
            (gettext_lazy("单位"), lambda p: p.college.name),
            (gettext_lazy("青年教师工号"), lambda p: p.mentee.staff_no),
            (pgettext_lazy("mentorship", "青年教师"), lambda p: p.mentee.name),
            (gettext_lazy("指导教师工号"), lambda p: p.mentor.staff_no),
            (pgettext_lazy("mentorship", "指导教师"), lambda p: p.mentor.name),
            (gettext_lazy("状态"), lambda p: p.get_status_display()),
            (gettext_lazy("来源"), lambda p: p.get_source_display()),
            (gettext_lazy("协议签订日期"), lambda p: _date(p.agreement_signed_on)),
            (gettext_lazy("开始日期"), lambda p: _date(p.started_on)),
            (gettext_lazy("结束日期"), lambda p: _date(p.ended_on)),
        ],
    )

    def _cohorts(self, request):
        return list(Cohort.objects.restrict(request.user).order_by("-number"))

    def rows(self, request):
        form_class = self._form_class(request)
        filters = filters_checked(request, form_class)
        rows = Pair.objects.restrict(request.user).select_related("cohort", "mentor", "mentee", "college")
        if filters.get("cohort"):
            rows = rows.filter(cohort_id=filters["cohort"])
        if filters.get("college"):
            rows = rows.filter(college=filters["college"])
        if filters.get("status"):
            rows = rows.filter(status=filters["status"])
        return rows.order_by("-cohort__number", "college__code", "mentee__staff_no", "pk")

    def _form_class(self, request):
        cohorts = self._cohorts(request)

        class Bound(forms.PairFilterForm):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, cohorts=cohorts, **kwargs)

        return Bound

    def extra_context(self, request):
        return {"filter_form": self._form_class(request)(request.GET), "count": None}


# --- a college's hand proposal ---------------------------------------------------------------


def proposable(user, cohort: Cohort):
    """The mentees the user may propose (the cohort's, in their scope, without a pair) and
    the cohort's mentors (any college's)."""
    paired = Pair.objects.filter(cohort=cohort, status__in=PairStatus.values).exclude(
        status__in=(PairStatus.WITHDRAWN, PairStatus.ENDED_EARLY)
    )
    mentees = (
        Person.objects.restrict(user)
        .filter(pk__in=Candidate.objects.filter(cohort=cohort, side=Side.MENTEE).values("person_id"))
        .exclude(pk__in=paired.values("mentee_id"))
        .select_related("sub_union")
        .order_by("sub_union__code", "staff_no")
    )
    return mentees, side_people(cohort, Side.MENTOR)


class ProposeView(PermissionPageMixin, View):
    """A college (or the office) proposes a pair by hand; every hard rule is checked and each
    refusal is the service's message."""

    permission_required = "mentorship.add_pair"

    def _page(self, request, cohort, form):
        return render(
            request,
            "mentorship/pairs/propose.html",
            {"cohort": cohort, "form": form, "open": may_propose(request.user, cohort)},
        )

    def get(self, request, pk):
        cohort = cohort_or_404(request.user, pk)
        mentees, mentors = proposable(request.user, cohort)
        return self._page(request, cohort, forms.ProposeForm(mentees=mentees, mentors=mentors))

    def post(self, request, pk):
        cohort = cohort_or_404(request.user, pk)
        mentees, mentors = proposable(request.user, cohort)
        form = forms.ProposeForm(request.POST, mentees=mentees, mentors=mentors)
        done = form_service_post(
            request,
            form,
            lambda data: pair_services.pair_propose(
                actor=request.user,
                cohort=cohort,
                mentor=data["mentor"],
                mentee=data["mentee"],
                reasons=[data["reason"]] if data.get("reason") else [],
            ),
            success=_("已推荐结对。下一步：签订拜师协议，上传扫描件。"),
            then=lambda pair: redirect("mentorship:pair", pair.pk),
        )
        return done or self._page(request, cohort, form)


# --- the duties waiting for the college ------------------------------------------------------


class DutiesView(PermissionPageMixin, View):
    """The duties logged in a cohort and waiting for the college (a college's officer: their
    college's), to confirm one by one or together, or to return with a reason."""

    permission_required = "mentorship.view_dutylog"

    def get(self, request, pk):
        cohort = cohort_or_404(request.user, pk)
        duties = (
            DutyLog.objects.restrict(request.user)
            .filter(pair__cohort=cohort)
            .select_related("pair__mentor", "pair__mentee", "pair__college", "logged_by", "photo")
        )
        waiting = list(duties.filter(status=DutyStatus.LOGGED).order_by("pair__college__code", "held_on", "pk"))
        handled = list(duties.exclude(status=DutyStatus.LOGGED).order_by("-updated_at", "-pk")[:20])
        return render(
            request,
            "mentorship/pairs/duties.html",
            {
                "cohort": cohort,
                "waiting": waiting,
                "handled": handled,
                "may_confirm": request.user.has_perm("mentorship.change_dutylog"),
            },
        )


class DutyAction(CohortAction):
    """A button on one duty (the college or the office)."""

    office_only = False

    def target(self, request, pk):
        duty = DutyLog.objects.restrict(request.user).select_related("pair").filter(pk=pk).first()
        if duty is None or not request.user.has_perm("mentorship.change_dutylog"):
            raise Http404
        return duty

    def back(self, obj) -> str:
        return reverse("mentorship:duties", args=[obj.pair.cohort_id])


class DutyConfirmView(DutyAction):
    def act(self, request, obj, data):
        duty_services.duty_confirm(actor=request.user, duty=obj)
        return _("已确认：%(duty)s。") % {"duty": obj}


class DutyReturnView(DutyAction):
    form_class = forms.DutyReturnForm

    def act(self, request, obj, data):
        duty_services.duty_return(actor=request.user, duty=obj, reason=data["reason"])
        return _("已退回：%(duty)s。记录人会收到通知。") % {"duty": obj}


class DutiesConfirmView(CohortAction):
    """Confirm the chosen duties of a cohort together, all or none."""

    office_only = False

    def target(self, request, pk):
        cohort = cohort_or_404(request.user, pk)
        if not request.user.has_perm("mentorship.change_dutylog"):
            raise Http404
        return cohort

    def back(self, obj) -> str:
        return reverse("mentorship:duties", args=[obj.pk])

    def act(self, request, obj, data):
        ids = [int(x) for x in request.POST.getlist("duties") if str(x).isdigit()]
        duties = DutyLog.objects.restrict(request.user).filter(pair__cohort=obj, pk__in=ids, status=DutyStatus.LOGGED)
        if not ids or not duties.exists():
            raise ApplicationError(_("请先勾选要确认的履职记录。"))
        moved = duty_services.duties_confirm(actor=request.user, duties=duties)
        return _("已确认 %(n)s 条履职记录。") % {"n": moved}


# --- a pair's page ---------------------------------------------------------------------------


def pair_or_404(user, pk) -> Pair:
    pair = (
        Pair.objects.restrict(user)
        .select_related("cohort__rules", "mentor__sub_union", "mentee__sub_union", "college", "agreement", "previous")
        .filter(pk=pk)
        .first()
    )
    if pair is None:
        raise Http404
    return pair


@dataclass
class Forms:
    agree: object = None
    plan: object = None
    opinion: object = None
    assess: object = None
    reassess: object = None
    not_assessed: bool = False
    end: bool = False
    change: object = None
    withdraw: bool = False


def _assess_blocked(pair: Pair, user) -> str:
    """Why the grade cannot be given yet (the workflow's guard: the cycle, or the extension)."""
    name = "pass" if pair.status == PairStatus.ACTIVE else "pass_after_extension"
    step = PairWorkflow.step_named(pair.status, name)
    if step is None:
        return ""
    attempt = Attempt(obj=pair, actor=user, step=step, message="", values={}, parameters={})
    return "；".join(p for guard in step.guards if (p := guard(attempt)))


def pair_forms(pair: Pair, user) -> Forms:
    relations = PairWorkflow.actor_relations(pair, user)
    acts = bool(relations & {OFFICE, COLLEGE})
    office = OFFICE in relations and is_office(user)
    status, cohort = pair.status, pair.cohort
    made = Forms()
    if acts and status == PairStatus.PROPOSED:
        made.agree = forms.AgreeForm(initial={"signed_on": timezone.localdate(), "plan": pair.plan})
        made.withdraw = True
    if relations and status in (PairStatus.PROPOSED, PairStatus.AGREED, PairStatus.ACTIVE):
        made.plan = forms.PlanForm(initial={"plan": pair.plan})
    assessing = (status == PairStatus.ACTIVE and cohort.status == CohortStatus.ASSESSING) or status in EXTENDING
    if acts and assessing:
        stage = pair.assessments.filter(stage="extension" if status in EXTENDING else "cycle").first()
        if stage is None or not stage.grade_code:
            made.opinion = forms.OpinionForm(initial={"opinion": stage.college_opinion if stage else ""})
    if office and status == PairStatus.ACTIVE and cohort.status == CohortStatus.ASSESSING:
        made.assess = forms.AssessForm(grades=cohort.rules.grades.all())
        made.not_assessed = True
    if office and status in EXTENDING:
        made.reassess = forms.ReassessForm()
    if acts and status in (PairStatus.AGREED, PairStatus.ACTIVE):
        made.end = True
    if acts and status == PairStatus.ACTIVE:
        made.change = forms.ChangeMentorForm(mentors=side_people(cohort, Side.MENTOR, exclude=pair.mentor_id))
    return made


class PairView(LoginRequiredMixin, View):
    """A pair: its course, who and why, the agreement and plan, the duties against the
    requirements of each cycle year, the assessment, the stipends and the history."""

    def get(self, request, pk):
        user = request.user
        pair = pair_or_404(user, pk)
        relations = PairWorkflow.actor_relations(pair, user)
        years = pair_counters(pair)
        now = current_year(pair.cohort)
        chain = chain_ids(pair)
        duties = list(
            DutyLog.objects.filter(pair_id__in=chain).select_related("logged_by", "photo").order_by("-held_on", "-pk")
        )
        stipends = list(StipendEntry.objects.restrict(user).filter(pair=pair).order_by("at", "pk"))
        events = list(pair.events.select_related("actor__person").order_by("at", "pk"))
        return render(
            request,
            "mentorship/pairs/pair.html",
            {
                "pair": pair,
                "relations": relations,
                "years": years,
                "year_now": now[0] if now else None,
                "duties": duties,
                "may_log": relations & {"mentor", "mentee"} and pair.status in LOGGING_PAIR_STATUSES,
                "may_confirm": bool(relations & {OFFICE, COLLEGE}) and user.has_perm("mentorship.change_dutylog"),
                "assessments": list(pair.assessments.order_by("stage")),
                "stipends": stipends,
                "events": events,
                "forms": pair_forms(pair, user),
                "assess_blocked": _assess_blocked(pair, user),
                "following": list(Pair.objects.restrict(user).filter(previous=pair)),
            },
        )


class PairAction(CohortAction):
    """A button on a pair: the services check the step is the user's (else 404)."""

    office_only = False

    def target(self, request, pk):
        return pair_or_404(request.user, pk)

    def back(self, obj) -> str:
        return reverse("mentorship:pair", args=[obj.pk])


class AgreeView(PairAction):
    form_class = forms.AgreeForm

    def act(self, request, obj, data):
        pair_services.pair_agree(
            actor=request.user, pair=obj, signed_on=data["signed_on"], uploaded_file=data["scan"], plan=data["plan"]
        )
        return _("拜师协议已签订，扫描件已上传。")


class PlanView(PairAction):
    form_class = forms.PlanForm

    def act(self, request, obj, data):
        pair_services.pair_plan_save(actor=request.user, pair=obj, plan=data["plan"])
        return _("个人发展计划已保存。")


class OpinionView(PairAction):
    form_class = forms.OpinionForm

    def act(self, request, obj, data):
        assessment_services.assessment_opinion(actor=request.user, pair=obj, opinion=data["opinion"])
        return _("学院考核意见已保存。")


class AssessView(PairAction):
    def act(self, request, obj, data):
        form = forms.AssessForm(request.POST, grades=obj.cohort.rules.grades.all())
        if not form.is_valid():
            raise ApplicationError(_("请选择考核等次。"))
        pair = assessment_services.pair_assess(
            actor=request.user, pair=obj, grade_code=form.cleaned_data["grade"], message=form.cleaned_data["message"]
        )
        return _("考核结果：%(status)s。") % {"status": pair.get_status_display()}


class ReassessView(PairAction):
    form_class = forms.ReassessForm

    def act(self, request, obj, data):
        pair = assessment_services.pair_reassess(
            actor=request.user, pair=obj, passed=data["passed"], message=data["message"]
        )
        return _("延期考核结果：%(status)s。") % {"status": pair.get_status_display()}


class NotAssessedView(PairAction):
    form_class = forms.ReasonForm

    def act(self, request, obj, data):
        assessment_services.pair_not_assessed(actor=request.user, pair=obj, reason=data["reason"])
        return _("已记为不予考核。")


class EndView(PairAction):
    form_class = forms.ReasonForm

    def act(self, request, obj, data):
        pair_services.pair_end_early(actor=request.user, pair=obj, reason=data["reason"])
        return _("结对已提前结束。")


class ChangeMentorView(PairAction):
    def act(self, request, obj, data):
        _mentees, mentors = proposable(request.user, obj.cohort)
        form = forms.ChangeMentorForm(request.POST, mentors=mentors.exclude(pk=obj.mentor_id))
        if not form.is_valid():
            raise ApplicationError(" ".join(str(e[0]) for e in form.errors.values()))
        successor = pair_services.pair_change_mentor(
            actor=request.user, pair=obj, mentor=form.cleaned_data["mentor"], reason=form.cleaned_data["reason"]
        )
        self.successor = successor
        return _("已更换指导教师为%(name)s；培养时间和履职记录连续计算。") % {"name": successor.mentor.name}

    def post(self, request, pk, **kwargs):
        self.successor = None
        response = super().post(request, pk, **kwargs)
        if self.successor is not None:
            return redirect("mentorship:pair", self.successor.pk)
        return response


class WithdrawView(PairAction):
    form_class = forms.ReasonForm

    def act(self, request, obj, data):
        pair_services.pair_withdraw(actor=request.user, pair=obj, reason=data["reason"])
        return _("推荐已撤回。")
