"""The pages of those who run the cohorts (校工会, with HR and the teacher development centre)
and of the colleges' officers (分工会干部): the cohorts, the rules by year (and their
adoption), a new cohort, a cohort's page (its steps, its candidates, its board by college),
the office's matching, and the stipends with their payroll list and ledger. Views are thin:
forms check fields, services decide, selectors read.

Who gets what: the cohorts' readers (the office, a college's officer, auditors) list them and
open an announced cohort (a college's officer sees their own college's candidates, pairs and
board; a draft is the office's); the office runs it; the office and auditors read the matching
and the stipends. An office button for anyone else who sees the cohort is a 404."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from gonghui.accounts.access import get_access
from gonghui.core.editions import EditionStatus
from gonghui.core.excel import xlsx_file_response
from gonghui.core.exceptions import ApplicationError, PermissionDenied
from gonghui.core.history import export_record
from gonghui.core.pages import PermissionPageMixin, render_page_or_partial
from gonghui.core.views_kit import filters_checked, form_service_post, next_or
from gonghui.core.workflow import Attempt
from gonghui.mentorship import forms
from gonghui.mentorship.choices import (
    CohortStatus,
    MatchingStatus,
    MatchMethod,
    PairStatus,
    Side,
    StipendBatchStatus,
    StipendKind,
    TitleRank,
)
from gonghui.mentorship.models import (
    Candidate,
    Cohort,
    MatchingRun,
    MentorshipRules,
    Pair,
    StipendBatch,
    StipendEntry,
)
from gonghui.mentorship.selectors.board import cohort_board
from gonghui.mentorship.selectors.lists import side_people
from gonghui.mentorship.services import cohorts as cohort_services
from gonghui.mentorship.services import matching as matching_services
from gonghui.mentorship.services import pairs as pair_services
from gonghui.mentorship.services import stipends as stipend_services
from gonghui.mentorship.services.rules import RulesSettings, grades_text, rules_adopt
from gonghui.mentorship.workflow import CohortWorkflow
from gonghui.people.models import Person

VIEW = "mentorship.view_cohort"
MANAGE = "mentorship.manage_cohort"
ZERO = Decimal("0.00")

# --- who -------------------------------------------------------------------------------------


def cohort_or_404(user, pk) -> Cohort:
    cohort = Cohort.objects.restrict(user).select_related("rules").filter(pk=pk).first()
    if cohort is None:
        raise Http404
    return cohort


def is_office(user) -> bool:
    """The union office (or the administrator): runs the cohorts."""
    return user.has_perm(MANAGE) and get_access(user).writes_everything


def is_insider(user) -> bool:
    """Reads the whole of a cohort (matching, stipends): the office and auditors."""
    return user.has_perm(VIEW) and get_access(user).sees_everything("view")


def office_require(user) -> None:
    if not is_office(user):
        raise Http404


def college_scope(user) -> set[int] | None:
    """A college's officer's colleges (None: every college, for those who see everything)."""
    access = get_access(user)
    if access.sees_everything("view"):
        return None
    return set(access.sub_union_ids)


def may_propose(user, cohort: Cohort) -> bool:
    return user.has_perm("mentorship.add_pair") and cohort.status in pair_services.PROPOSING


def may_name_candidates(user, cohort: Cohort) -> bool:
    return user.has_perm("mentorship.add_candidate") and cohort.status == CohortStatus.MATCHING


class CohortAction(LoginRequiredMixin, View):
    """A button or small form on a cohort's pages: `act` runs one service and returns the
    success message; a form's error or a refusal is an error message on the page it came from
    (`next`, else `back`), and nothing is written. Not theirs to press: not there (404)."""

    form_class: type | None = None
    office_only = True

    def target(self, request, pk):
        cohort = cohort_or_404(request.user, pk)
        if self.office_only:
            office_require(request.user)
        return cohort

    def back(self, obj) -> str:
        return reverse("mentorship:detail", args=[obj.pk])

    def form_kwargs(self, obj) -> dict:
        return {}

    def act(self, request, obj, data: dict) -> str:
        raise NotImplementedError

    def post(self, request, pk, **kwargs):
        obj = self.target(request, pk)
        back = next_or(request, self.back(obj))
        data: dict = {}
        if self.form_class is not None:
            form = self.form_class(request.POST, request.FILES, **self.form_kwargs(obj))
            if not form.is_valid():
                for name, errors in form.errors.items():
                    label = form.fields[name].label if name in form.fields else ""
                    messages.error(request, f"{label}：{errors[0]}" if label else errors[0])
                return redirect(back)
            data = form.cleaned_data
        try:
            done = self.act(request, obj, data, **kwargs)
        except PermissionDenied:
            raise Http404 from None
        except ApplicationError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, done)
        return redirect(back)


# --- the cohorts -----------------------------------------------------------------------------


class ListView(PermissionPageMixin, View):
    """The cohorts, newest first (`?status=`), with their cycle and number of pairs."""

    permission_required = VIEW

    def get(self, request):
        filters = filters_checked(request, forms.CohortFilterForm)
        rows = (
            Cohort.objects.restrict(request.user)
            .annotate(pair_count=Count("pairs", filter=~Q(pairs__status=PairStatus.WITHDRAWN)))
            .order_by("-number")
        )
        if filters.get("status"):
            rows = rows.filter(status=filters["status"])
        cohorts = list(rows)
        return render_page_or_partial(
            request,
            "mentorship/office/list.html",
            "mentorship/office/partials/cohort_cards.html",
            {
                "cohorts": cohorts,
                "filter_form": forms.CohortFilterForm(request.GET),
                "can_create": is_office(request.user) and request.user.has_perm("mentorship.add_cohort"),
                "can_rules": request.user.has_perm("mentorship.view_mentorshiprules"),
                "can_profiles": request.user.has_perm("mentorship.view_teacherprofile"),
                "can_pairs": request.user.has_perm("mentorship.view_pair"),
            },
        )


class CreateView(PermissionPageMixin, View):
    permission_required = ("mentorship.add_cohort", MANAGE)

    def _rules(self):
        return MentorshipRules.objects.filter(status=EditionStatus.ADOPTED).order_by("-year")

    def _render(self, request, form):
        return render(request, "mentorship/office/create.html", {"form": form, "has_rules": self._rules().exists()})

    def get(self, request):
        latest = Cohort.objects.order_by("-number").first()
        rules = self._rules().first()
        form = forms.CohortForm(
            rules=self._rules(),
            initial={"number": (latest.number + 1) if latest else 1, "rules": rules.pk if rules else None},
        )
        return self._render(request, form)

    def post(self, request):
        form = forms.CohortForm(request.POST, rules=self._rules())
        done = form_service_post(
            request,
            form,
            lambda data: cohort_services.cohort_create(actor=request.user, **data),
            success=_("期次已创建。下一步：在期次页面“开始结对”，各学院即可报名教师、推荐师徒。"),
            then=lambda cohort: redirect("mentorship:detail", cohort.pk),
        )
        return done or self._render(request, form)


# --- the rules -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RulesLine:
    """An edition of the rules as the rules pages show it, in words."""

    edition: MentorshipRules
    mentor: str
    mentee: str
    duties: str
    weights: str
    term_ends: str
    grades: list


def rules_line(edition: MentorshipRules) -> RulesLine:
    mentor = _("%(rank)s及以上，教龄 %(years)s 年以上，每期最多带 %(n)s 人") % {
        "rank": TitleRank(edition.mentor_min_rank).label,
        "years": edition.mentor_min_teaching_years,
        "n": edition.mentor_max_mentees,
    }
    if edition.same_discipline:
        mentor += _("，须与青年教师同一学科")
    mentee = _("本期开始时不满 %(age)s 周岁") % {"age": edition.mentee_max_age}
    if edition.mentee_hired_within_years:
        mentee += _("，入职不超过 %(years)s 年") % {"years": edition.mentee_hired_within_years}
    duties = _("每年示范课 %(d)s 次、听课 %(o)s 次、指导交流 %(m)s 次；培养期 %(c)s 个月，延期考核期 %(e)s 个月") % {
        "d": edition.demonstrations_per_year,
        "o": edition.observations_per_year,
        "m": edition.meetings_per_year,
        "c": edition.cycle_months,
        "e": edition.extension_months,
    }
    weights = _("学科不同 %(d)s，学院不同 %(c)s，研究方向不同 %(f)s，校区不同 %(p)s，导师每已带 1 人 %(l)s") % {
        "d": edition.weight_discipline,
        "c": edition.weight_college,
        "f": edition.weight_field,
        "p": edition.weight_campus,
        "l": edition.weight_load,
    }
    term_ends = "、".join(edition.term_ends or []) or "—"
    if edition.term_ends:
        term_ends = _("%(ends)s（提前 %(days)s 天提醒未完成的师徒）") % {"ends": term_ends, "days": edition.remind_days}
    return RulesLine(edition, mentor, mentee, duties, weights, term_ends, list(edition.grades.all()))


def rules_form_initial(editions: list[MentorshipRules]) -> dict:
    """The form starts from the latest adopted rules, else from the examples of DOMAIN §3.8."""
    source = next((e for e in editions if e.status == EditionStatus.ADOPTED), None)
    year = timezone.localdate().year
    values = source if source is not None else RulesSettings(year=year, name="")
    initial = {
        name: getattr(values, name)
        for name in (
            "mentor_min_rank",
            "mentor_min_teaching_years",
            "same_discipline",
            "mentor_max_mentees",
            "mentee_max_age",
            "mentee_hired_within_years",
            "cycle_months",
            "demonstrations_per_year",
            "observations_per_year",
            "meetings_per_year",
            "remind_days",
            "extension_months",
            "weight_discipline",
            "weight_college",
            "weight_field",
            "weight_campus",
            "weight_load",
        )
    }
    initial.update(
        year=year,
        name=_("%(year)s年青年教师拜师结对实施办法") % {"year": year},
        term_ends=" ".join(values.term_ends or ()),
        grades=grades_text(source),
        adopted_on=timezone.localdate(),
    )
    return initial


def rules_page(request, form=None, status: int = 200):
    editions = list(MentorshipRules.objects.restrict(request.user).prefetch_related("grades").order_by("-year", "-id"))
    can_adopt = request.user.has_perm("mentorship.adopt_mentorshiprules") and request.user.has_perm(
        "mentorship.add_mentorshiprules"
    )
    if form is None and can_adopt:
        form = forms.RulesForm(initial=rules_form_initial(editions))
    lines = [rules_line(e) for e in editions]
    return render(
        request,
        "mentorship/office/rules.html",
        {
            "in_force": [line for line in lines if line.edition.status == EditionStatus.ADOPTED],
            "past": [line for line in lines if line.edition.status != EditionStatus.ADOPTED],
            "form": form if can_adopt else None,
        },
        status=status,
    )


class RulesView(PermissionPageMixin, View):
    """The rules in force for each year and those they replaced; the office adopts new ones here."""

    permission_required = "mentorship.view_mentorshiprules"

    def get(self, request):
        return rules_page(request)


class RulesAdoptView(PermissionPageMixin, View):
    permission_required = (
        "mentorship.view_mentorshiprules",
        "mentorship.add_mentorshiprules",
        "mentorship.adopt_mentorshiprules",
    )

    def post(self, request):
        form = forms.RulesForm(request.POST)

        def adopt(data):
            fields = {k: v for k, v in data.items() if k not in ("grades", "adopted_on", "resolution")}
            return rules_adopt(
                actor=request.user,
                settings=RulesSettings(**fields),
                grades=data["grades"],
                adopted_on=data["adopted_on"],
                resolution=data["resolution"],
            )

        done = form_service_post(
            request,
            form,
            adopt,
            success=_("实施办法已通过；同年度的原办法已被取代，已开始的期次仍按原办法进行。"),
            then=lambda edition: redirect("mentorship:rules_detail", edition.pk),
        )
        return done or rules_page(request, form)


class RulesDetailView(PermissionPageMixin, View):
    permission_required = "mentorship.view_mentorshiprules"

    def get(self, request, pk):
        edition = MentorshipRules.objects.restrict(request.user).prefetch_related("grades").filter(pk=pk).first()
        if edition is None:
            raise Http404
        cohorts = Cohort.objects.restrict(request.user).filter(rules=edition).order_by("-number")
        return render(
            request, "mentorship/office/rules_detail.html", {"e": rules_line(edition), "cohorts": list(cohorts)}
        )


# --- a cohort's page -------------------------------------------------------------------------

STEP_QUESTIONS = {
    "open_matching": gettext_lazy(
        "开始后各学院即可报名本单位的青年教师和指导教师、推荐师徒，校工会可以计算匹配。确定开始吗？"
    ),
    "start": gettext_lazy("拜师仪式后本期开始培养：已签协议的师徒进入培养期，开始记录履职。确定启动吗？"),
    "open_assessment": gettext_lazy("培养期已满：学院填写考核意见，校工会评定考核等次。确定开始考核吗？"),
    "close": gettext_lazy("结束后本期不能再办理。确定结束本期吗？"),
    "record": gettext_lazy("系统启用前的期次按档案记载的结对数录入后即结束。确定录入吗？"),
}
STEP_DONE = {
    "open_matching": gettext_lazy("本期已开始结对：各学院可以报名教师、推荐师徒。"),
    "start": gettext_lazy("本期已启动培养，已签协议的师徒开始培养。"),
    "open_assessment": gettext_lazy("本期已开始考核。"),
    "close": gettext_lazy("本期已结束。"),
    "record": gettext_lazy("本期已按档案录入。"),
}


@dataclass(frozen=True)
class StepButton:
    name: str
    label: str
    question: str
    problem: str  # why it cannot be taken now ("" when it can)


def step_buttons(cohort: Cohort, user) -> list[StepButton]:
    """The office's steps from the cohort's status, each with what stops it now (the guards):
    the page says why rather than hiding the button."""
    buttons = []
    for step in CohortWorkflow.steps:
        if cohort.status not in step.sources or not CohortWorkflow.actor_may(step, cohort, user):
            continue
        attempt = Attempt(obj=cohort, actor=user, step=step, message="", values={}, parameters={})
        problems = [problem for guard in step.guards if (problem := guard(attempt))]
        buttons.append(StepButton(step.name, str(step.label), str(STEP_QUESTIONS[step.name]), "；".join(problems)))
    return buttons


@dataclass
class SideList:
    side: str
    label: str
    candidates: list


def candidate_sides(user, cohort: Cohort) -> list[SideList]:
    rows = list(
        Candidate.objects.restrict(user)
        .filter(cohort=cohort)
        .select_related("person", "college")
        .order_by("college__code", "person__staff_no")
    )
    paired = set(
        Pair.objects.filter(cohort=cohort).exclude(status=PairStatus.WITHDRAWN).values_list("mentee_id", flat=True)
    )
    for row in rows:
        row.paired = row.side == Side.MENTEE and row.person_id in paired
    return [SideList(side, str(side.label), [c for c in rows if c.side == side]) for side in (Side.MENTEE, Side.MENTOR)]


class DetailView(PermissionPageMixin, View):
    """A cohort: its course and the office's steps, its facts, the board by college, the
    candidates by side (a college's officer: their college's) and the pairs."""

    permission_required = VIEW

    def get(self, request, pk):
        cohort = cohort_or_404(request.user, pk)
        user = request.user
        office = is_office(user)
        scope = college_scope(user)
        pairs = list(
            Pair.objects.restrict(user)
            .filter(cohort=cohort)
            .select_related("mentor", "mentee", "college")
            .order_by("college__code", "mentee__staff_no", "pk")
        )
        context = {
            "cohort": cohort,
            "rules": rules_line(cohort.rules),
            "is_office": office,
            "insider": is_insider(user),
            "steps": step_buttons(cohort, user) if office else [],
            "board": cohort_board(cohort, college_ids=scope),
            "sides": candidate_sides(user, cohort),
            "candidate_form": forms.CandidateAddForm() if may_name_candidates(user, cohort) else None,
            "may_remove": may_name_candidates(user, cohort),
            "may_propose": may_propose(user, cohort),
            "may_confirm": user.has_perm("mentorship.change_dutylog"),
            "pairs": pairs,
            "scoped": scope is not None,
        }
        return render(request, "mentorship/office/detail.html", context)


class StepView(CohortAction):
    """A step of the cohort's course. A step that is not this user's is not there (404); a
    refusal by the step's guards is a message on the cohort's page and changes nothing."""

    def act(self, request, obj, data, step=""):
        declared = next((s for s in CohortWorkflow.steps if s.name == step), None)
        if declared is None or step not in STEP_DONE or not CohortWorkflow.actor_may(declared, obj, request.user):
            raise PermissionDenied
        if step == "start":
            form = forms.CeremonyForm(request.POST)
            ceremony_on = form.cleaned_data["ceremony_on"] if form.is_valid() else None
            cohort_services.cohort_start(actor=request.user, cohort=obj, ceremony_on=ceremony_on)
        else:
            service = {
                "open_matching": cohort_services.cohort_open,
                "open_assessment": cohort_services.cohort_open_assessment,
                "close": cohort_services.cohort_close,
                "record": cohort_services.cohort_record,
            }[step]
            service(actor=request.user, cohort=obj)
        return str(STEP_DONE[step])


def person_find(user, who: str) -> Person:
    """The one person on the roster the user may act for, by staff number or by name."""
    who = (who or "").strip()
    found = list(Person.objects.restrict(user).filter(Q(staff_no=who) | Q(name=who)).select_related("sub_union")[:6])
    if not found:
        raise ApplicationError(_("在您可以办理的人员中没有找到“%(who)s”。") % {"who": who})
    if len(found) > 1:
        names = "、".join(f"{p.name}（{p.staff_no}，{p.sub_union.name}）" for p in found[:5])
        raise ApplicationError(_("有多位“%(who)s”：%(names)s。请输入工号。") % {"who": who, "names": names})
    return found[0]


class CandidateAddView(CohortAction):
    """Name a teacher for the cohort (office: anyone; a college's officer: their college's)."""

    form_class = forms.CandidateAddForm
    office_only = False

    def target(self, request, pk):
        cohort = cohort_or_404(request.user, pk)
        if not request.user.has_perm("mentorship.add_candidate"):
            raise Http404
        return cohort

    def back(self, obj) -> str:
        return f"{reverse('mentorship:detail', args=[obj.pk])}#candidates"

    def act(self, request, obj, data):
        person = person_find(request.user, data["who"])
        candidate = pair_services.candidate_add(actor=request.user, cohort=obj, person=person, side=data["side"])
        return _("已将%(name)s列入本期名单（%(side)s）。") % {"name": person.name, "side": candidate.get_side_display()}


class CandidateRemoveView(CohortAction):
    office_only = False

    def target(self, request, pk):
        candidate = (
            Candidate.objects.restrict(request.user)
            .select_related("cohort", "person")
            .filter(pk=pk, cohort__in=Cohort.objects.restrict(request.user))
            .first()
        )
        if candidate is None or not request.user.has_perm("mentorship.add_candidate"):
            raise Http404
        return candidate

    def back(self, obj) -> str:
        return f"{reverse('mentorship:detail', args=[obj.cohort_id])}#candidates"

    def act(self, request, obj, data):
        name = obj.person.name
        pair_services.candidate_remove(actor=request.user, candidate=obj)
        return _("已将%(name)s移出本期名单。") % {"name": name}


# --- the matching ----------------------------------------------------------------------------


@dataclass
class ProposalRow:
    mentee: Person
    mentor: Person
    cost: int | None
    reasons: list[str]


@dataclass
class UnmatchedRow:
    person: Person
    side: str
    reasons: list[str]
    is_mentee: bool


@dataclass
class RunView:
    run: MatchingRun
    rows: list[ProposalRow]
    unmatched: list[UnmatchedRow]
    nobody: str  # why nobody could be matched ("" when someone could)


def run_view(run: MatchingRun) -> RunView:
    ids = {row["mentee"] for row in run.proposal} | {row["mentor"] for row in run.proposal}
    ids |= {row["person"] for row in run.unmatched}
    people = Person.objects.select_related("sub_union").in_bulk(ids)
    rows = [ProposalRow(people[r["mentee"]], people[r["mentor"]], r["cost"], r["reasons"]) for r in run.proposal]
    rows.sort(key=lambda r: (r.mentee.sub_union.code, r.mentee.staff_no))
    unmatched = [
        UnmatchedRow(people[r["person"]], str(Side(r["side"]).label), r["reasons"], r["side"] == Side.MENTEE)
        for r in run.unmatched
    ]
    summary = run.summary or {}
    nobody = ""
    if not summary.get("mentees"):
        nobody = _("没有符合条件、尚未结对的青年教师：请先报名青年教师，或查看下方未匹配的原因。")
    elif not summary.get("mentors"):
        nobody = _("没有符合条件、还有名额的指导教师：请先报名指导教师，或查看下方未匹配的原因。")
    return RunView(run, rows, unmatched, nobody)


class MatchingView(PermissionPageMixin, View):
    """The office's matching of a cohort: run one (the method), the proposal with each pair's
    reasons and cost, those left unmatched with why; the office edits a row, confirms or
    discards. Auditors read it."""

    permission_required = "mentorship.view_matchingrun"

    def get(self, request, pk):
        cohort = cohort_or_404(request.user, pk)
        runs = list(MatchingRun.objects.restrict(request.user).filter(cohort=cohort).order_by("-created_at", "-pk"))
        current = next((r for r in runs if r.status == MatchingStatus.PROPOSED), None)
        office = is_office(request.user)
        mentors = []
        if current is not None and office:
            mentors = list(side_people(cohort, Side.MENTOR))
        return render(
            request,
            "mentorship/office/matching.html",
            {
                "cohort": cohort,
                "is_office": office,
                "current": run_view(current) if current else None,
                "past": [r for r in runs if r is not current],
                "run_form": forms.MatchingRunForm(initial={"method": MatchMethod.ASSIGNMENT})
                if office and cohort.status == CohortStatus.MATCHING
                else None,
                "mentors": mentors,
            },
        )


class MatchingRunView(CohortAction):
    form_class = forms.MatchingRunForm

    def back(self, obj) -> str:
        return reverse("mentorship:matching", args=[obj.pk])

    def act(self, request, obj, data):
        run = matching_services.matching_run(actor=request.user, cohort=obj, method=data["method"])
        left = sum(1 for u in run.unmatched if u["side"] == Side.MENTEE)
        return _("已计算%(method)s：%(pairs)s 对，未匹配青年教师 %(left)s 人。") % {
            "method": run.get_method_display(),
            "pairs": len(run.proposal),
            "left": left,
        }


class RunAction(CohortAction):
    """A button on a matching run (the office)."""

    def target(self, request, pk):
        run = MatchingRun.objects.restrict(request.user).select_related("cohort").filter(pk=pk).first()
        if run is None or not Cohort.objects.restrict(request.user).filter(pk=run.cohort_id).exists():
            raise Http404
        office_require(request.user)
        return run

    def back(self, obj) -> str:
        return reverse("mentorship:matching", args=[obj.cohort_id])


class MatchingEditView(RunAction):
    form_class = forms.MatchingEditForm

    def act(self, request, obj, data):
        mentor = data.get("mentor") or None
        matching_services.matching_edit(actor=request.user, run=obj, mentee_id=data["mentee"], mentor_id=mentor)
        return _("匹配方案已修改。")


class MatchingConfirmView(RunAction):
    def back(self, obj) -> str:
        return reverse("mentorship:detail", args=[obj.cohort_id])

    def act(self, request, obj, data):
        pairs = matching_services.matching_confirm(actor=request.user, run=obj)
        return _("匹配方案已确认，推荐 %(n)s 对师徒。下一步：签订拜师协议。") % {"n": len(pairs)}


class MatchingDiscardView(RunAction):
    def act(self, request, obj, data):
        matching_services.matching_discard(actor=request.user, run=obj)
        return _("匹配方案已放弃。")


# --- stipends --------------------------------------------------------------------------------


@dataclass
class BatchLine:
    batch: StipendBatch
    count: int
    total: Decimal


class StipendsView(PermissionPageMixin, View):
    """The cohort's stipends: those due (a payroll list is made of them), the payroll lists
    (downloaded for finance, marked paid with the date) and the ledger, with reversals."""

    permission_required = "mentorship.view_stipendbatch"

    def get(self, request, pk):
        cohort = cohort_or_404(request.user, pk)
        user = request.user
        batches = []
        for batch in StipendBatch.objects.restrict(user).filter(cohort=cohort).order_by("-created_at", "-pk"):
            assessments = list(batch.assessments.all())
            batches.append(BatchLine(batch, len(assessments), sum((a.stipend for a in assessments), ZERO)))
        due = list(stipend_services.stipends_due(cohort))
        entries = list(
            StipendEntry.objects.restrict(user)
            .filter(pair__cohort=cohort)
            .select_related("person", "pair__mentee", "assessment")
            .order_by("at", "pk")
        )
        reversed_ids = {e.assessment_id for e in entries if e.kind == StipendKind.REVERSAL}
        for entry in entries:
            entry.reversible = entry.kind == StipendKind.PAYMENT and entry.assessment_id not in reversed_ids
        return render(
            request,
            "mentorship/office/stipends.html",
            {
                "cohort": cohort,
                "due": due,
                "due_total": sum((a.stipend for a in due), ZERO),
                "batches": batches,
                "entries": entries,
                "ledger_total": sum((e.amount for e in entries), ZERO),
                "may_create": user.has_perm("mentorship.add_stipendbatch") and is_office(user),
                "may_pay": user.has_perm("mentorship.pay_stipend") and is_office(user),
                "pay_form": forms.PayForm(initial={"paid_on": timezone.localdate()}),
                "prepared": StipendBatchStatus.PREPARED,
            },
        )


class StipendBatchCreateView(CohortAction):
    def back(self, obj) -> str:
        return reverse("mentorship:stipends", args=[obj.pk])

    def act(self, request, obj, data):
        batch = stipend_services.stipend_batch_create(actor=request.user, cohort=obj)
        return _("已生成导师津贴发放名单（%(n)s 人次）。下载发放表交财务处，发放后标记已发放。") % {
            "n": batch.assessments.count()
        }


def batch_or_404(user, pk) -> StipendBatch:
    batch = StipendBatch.objects.restrict(user).select_related("cohort").filter(pk=pk).first()
    if batch is None:
        raise Http404
    return batch


class StipendBatchXlsxView(PermissionPageMixin, View):
    """Finance's payroll list of a batch (导师津贴发放表); who downloaded it is logged."""

    permission_required = "mentorship.view_stipendbatch"

    def get(self, request, pk):
        batch = batch_or_404(request.user, pk)
        export_record(request.user, what=_("导出导师津贴发放表"), obj=batch)
        filename = _("%(cohort)s导师津贴发放表-%(pk)s.xlsx") % {"cohort": batch.cohort.name, "pk": batch.pk}
        return xlsx_file_response(filename, stipend_services.stipend_batch_xlsx(batch))


class StipendBatchPayView(CohortAction):
    form_class = forms.PayForm

    def target(self, request, pk):
        batch = batch_or_404(request.user, pk)
        if not (is_office(request.user) and request.user.has_perm("mentorship.pay_stipend")):
            raise Http404
        return batch

    def back(self, obj) -> str:
        return reverse("mentorship:stipends", args=[obj.cohort_id])

    def act(self, request, obj, data):
        stipend_services.stipend_batch_mark_paid(actor=request.user, batch=obj, paid_on=data["paid_on"])
        return _("已标记为已发放，导师津贴已记账。")


class StipendReverseView(CohortAction):
    form_class = forms.ReasonForm

    def target(self, request, pk):
        entry = StipendEntry.objects.restrict(request.user).select_related("pair").filter(pk=pk).first()
        if entry is None or not (is_office(request.user) and request.user.has_perm("mentorship.pay_stipend")):
            raise Http404
        return entry

    def back(self, obj) -> str:
        return f"{reverse('mentorship:stipends', args=[obj.pair.cohort_id])}#ledger"

    def act(self, request, obj, data):
        reversal = stipend_services.stipend_reverse(actor=request.user, entry=obj, reason=data["reason"])
        return _("已冲销 %(amount)s 元。") % {"amount": -reversal.amount}
