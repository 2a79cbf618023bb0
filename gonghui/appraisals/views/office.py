"""The union office's pages of the cadre appraisal: the rounds a user may see, the year's rules
(and their adoption), a new round, a round's page with its units and the steps each role may
take now, its history and turnout, a unit's setup (cadres, voters, tellers) and a cadre's
report. Views are thin: forms check fields, services decide, selectors read.

Who gets what: every signed-in user the rounds they may see (a member those they take part in);
the office (and the administrator) runs a round; auditors and the organisation department read
its inside (history, turnout), a college's officer their college's turnout. A round, unit or
cadre the user cannot see, or an office page for anyone but the office, is a 404."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from gonghui.accounts.access import get_access
from gonghui.accounts.roles import Role
from gonghui.appraisals import forms
from gonghui.appraisals.choices import BallotKind, Comparison, RoundStatus
from gonghui.appraisals.models import AppraisalRound, AppraisalRules, Cadre, RoundUnit
from gonghui.appraisals.selectors import rounds as selectors
from gonghui.appraisals.selectors.results import turnout_report, turnout_rows
from gonghui.appraisals.services import rounds as services
from gonghui.appraisals.services.rules import RulesText, rules_adopt, rules_in_force, rules_text
from gonghui.appraisals.workflow import OFFICE, ORGANISATION, AppraisalRoundWorkflow, round_relations
from gonghui.attachments.services import AttachmentRefused
from gonghui.core.editions import EditionStatus
from gonghui.core.exceptions import ApplicationError, PermissionDenied
from gonghui.core.history import export_record
from gonghui.core.models import AuditAction, AuditEvent
from gonghui.core.pages import MemberPageMixin, PermissionPageMixin, paginate, render_page_or_partial
from gonghui.core.views_kit import RecordAction, filters_checked, form_refusal, form_service_post, list_query
from gonghui.core.workflow import Attempt

MANAGE = "appraisals.manage_appraisalround"


# --- who -------------------------------------------------------------------------------------


def round_or_404(user, pk) -> AppraisalRound:
    appraisal_round = selectors.round_get(user=user, pk=pk)
    if appraisal_round is None:
        raise Http404
    return appraisal_round


def is_office(user, appraisal_round: AppraisalRound) -> bool:
    """The union office (or the administrator): runs the round."""
    return OFFICE in round_relations(appraisal_round, user) and user.has_perm(MANAGE)


def office_require(user, appraisal_round: AppraisalRound) -> None:
    """An office page or button: to anyone else, even one who reads the round, it is not there."""
    if not is_office(user, appraisal_round):
        raise Http404


def reads_turnout(user, appraisal_round: AppraisalRound) -> bool:
    """The office, auditors, the administrator, the organisation department; a college's
    officer (their own college's rows). Not a voter."""
    access = get_access(user)
    if selectors.round_is_insider(user, appraisal_round):
        return True
    return Role.SUB_UNION_OFFICER in access.roles and bool(access.sub_union_ids)


def unit_for_office(user, pk) -> RoundUnit:
    unit = selectors.unit_get(user=user, pk=pk)
    if unit is None:
        raise Http404
    office_require(user, unit.round)
    return unit


def cadre_for_office(user, pk) -> Cadre:
    cadre = (
        Cadre.objects.restrict(user)
        .select_related("round_unit__round__rules", "round_unit__sub_union", "person", "report_file")
        .filter(pk=pk)
        .first()
    )
    if cadre is None:
        raise Http404
    office_require(user, cadre.round_unit.round)
    return cadre


def category_choices(appraisal_round: AppraisalRound) -> list[tuple[str, str]]:
    return [(c.code, f"{c.name}（{c.weight}）") for c in appraisal_round.rules.categories.all()]


def category_names(appraisal_round: AppraisalRound) -> dict[str, str]:
    return {c.code: c.name for c in appraisal_round.rules.categories.all()}


def _initial_category(categories, *hints: str) -> str:
    codes = [code for code, _label in categories]
    for hint in hints:
        if hint in codes:
            return hint
    return codes[-1] if codes else ""


# --- the list ----------------------------------------------------------------------------------


class ListView(MemberPageMixin, View):
    """The rounds the user may see (`?status=` from the workbench), and above them a member's
    own units to read and vote in."""

    def get(self, request):
        filters = filters_checked(request, forms.StatusFilterForm)
        rows = selectors.round_list(user=request.user)
        if filters.get("status"):
            rows = rows.filter(status=filters["status"])
        return render_page_or_partial(
            request,
            "appraisals/list.html",
            "appraisals/partials/office_list.html",
            {
                "page": paginate(request, rows, per_page=20),
                "query": list_query(request),
                "filter_form": forms.StatusFilterForm(request.GET),
                "can_create": request.user.has_perm(MANAGE) and get_access(request.user).writes_everything,
                "can_rules": request.user.has_perm("appraisals.view_appraisalrules"),
                "ballots": selectors.my_ballots(user=request.user),
            },
        )


# --- the year's rules ----------------------------------------------------------------------------


@dataclass(frozen=True)
class FlagLine:
    label: str
    kind: str
    grades: str
    comparison: str
    fraction: str


@dataclass(frozen=True)
class EditionLine:
    """An edition as the rules page shows it."""

    edition: AppraisalRules
    categories: list
    cadre_grades: list
    team_grades: list
    flags: list[FlagLine]
    quorum_categories: str


def edition_line(edition: AppraisalRules) -> EditionLine:
    categories = list(edition.categories.all())
    flags = []
    for flag in edition.flags.all():
        labels = {g.code: g.label for g in edition.scale(flag.kind)}
        flags.append(
            FlagLine(
                label=flag.label,
                kind=BallotKind(flag.kind).label,
                grades="+".join(labels.get(code, code) for code in flag.grades),
                comparison=Comparison(flag.comparison).label,
                fraction=f"{flag.numerator}/{flag.denominator}",
            )
        )
    return EditionLine(
        edition=edition,
        categories=categories,
        cadre_grades=edition.scale(BallotKind.CADRE),
        team_grades=edition.scale(BallotKind.TEAM) if edition.team_ballot else [],
        flags=flags,
        quorum_categories="、".join(c.name for c in categories if c.counts_for_quorum),
    )


def _year_asked(request) -> int:
    try:
        year = int(request.GET.get("year") or 0)
    except ValueError:
        year = 0
    return year if 2000 <= year <= 2100 else timezone.localdate().year


def rules_form_initial(year: int, editions: list[AppraisalRules]) -> dict:
    """The form starts from the year's rules in force, else the latest adopted ones, else the
    example rules of DOMAIN §3.6."""
    source = rules_in_force(year) or next((e for e in editions if e.status == EditionStatus.ADOPTED), None)
    text = rules_text(source)
    initial = {
        "year": year,
        "mode": source.mode if source else "online",
        "quorum_numerator": source.quorum_numerator if source else 2,
        "quorum_denominator": source.quorum_denominator if source else 3,
        "report_days": source.report_days if source else 3,
        "team_ballot": source.team_ballot if source else True,
        "categories": text.categories,
        "cadre_grades": text.cadre_grades,
        "team_grades": text.team_grades,
        "flags": text.flags,
        "adopted_on": timezone.localdate(),
    }
    return initial


def rules_page(request, form=None, status: int = 200):
    editions = list(
        AppraisalRules.objects.restrict(request.user)
        .prefetch_related("categories", "grades", "flags")
        .order_by("-year", "-id")
    )
    can_adopt = request.user.has_perm("appraisals.adopt_appraisalrules")
    if form is None and can_adopt:
        form = forms.RulesForm(initial=rules_form_initial(_year_asked(request), editions))
    return render(
        request,
        "appraisals/rules.html",
        {
            "in_force": [edition_line(e) for e in editions if e.status == EditionStatus.ADOPTED],
            "past": [edition_line(e) for e in editions if e.status != EditionStatus.ADOPTED],
            "form": form if can_adopt else None,
            "can_adopt": can_adopt,
        },
        status=status,
    )


class RulesView(PermissionPageMixin, View):
    """The rules in force for each year and the editions they replaced; holders of the adopt
    permission (the office, the organisation department) adopt a new edition here."""

    permission_required = "appraisals.view_appraisalrules"

    def get(self, request):
        return rules_page(request)


class RulesAdoptView(PermissionPageMixin, View):
    permission_required = ("appraisals.view_appraisalrules", "appraisals.adopt_appraisalrules")

    def post(self, request):
        form = forms.RulesForm(request.POST)
        done = form_service_post(
            request,
            form,
            lambda data: rules_adopt(
                actor=request.user,
                year=data["year"],
                name=data["name"],
                quorum_numerator=data["quorum_numerator"],
                quorum_denominator=data["quorum_denominator"],
                report_days=data["report_days"],
                mode=data["mode"],
                team_ballot=data["team_ballot"],
                text=RulesText(
                    categories=data["categories"],
                    cadre_grades=data["cadre_grades"],
                    team_grades=data["team_grades"],
                    flags=data["flags"],
                ),
                adopted_on=data["adopted_on"],
                resolution=data["resolution"],
            ),
            success=_("测评办法已通过；同一年度此前的版本已被取代，已在进行的测评仍按原办法。"),
            then=lambda edition: redirect(f"{reverse('appraisals:rules')}#edition-{edition.pk}"),
        )
        return done or rules_page(request, form)


# --- a new round ---------------------------------------------------------------------------------


class RoundCreateView(PermissionPageMixin, View):
    permission_required = MANAGE

    def _render(self, request, form):
        year = form.data.get("year") if form.is_bound else form.initial.get("year")
        try:
            rules = rules_in_force(int(year))
        except (TypeError, ValueError):
            rules = None
        return render(request, "appraisals/round_form.html", {"form": form, "rules": rules, "year": year})

    def get(self, request):
        year = timezone.localdate().year
        start = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0) + datetime.timedelta(days=7)
        form = forms.RoundForm(
            initial={
                "year": year,
                "title": _("%(year)s年度中层干部民主测评") % {"year": year},
                "opens_at": start,
                "closes_at": start + datetime.timedelta(hours=9),
            }
        )
        return self._render(request, form)

    def post(self, request):
        form = forms.RoundForm(request.POST)
        done = form_service_post(
            request,
            form,
            lambda data: services.round_create(actor=request.user, **data),
            success=_("测评已创建。下一步：添加参评单位，再为每个单位添加被测评干部、投票人和述职报告。"),
            then=lambda appraisal_round: redirect("appraisals:detail", appraisal_round.pk),
        )
        return done or self._render(request, form)


# --- a round's page ------------------------------------------------------------------------------

STEP_QUESTIONS = {
    "publish_reports": gettext_lazy("公开后投票人即可阅读述职报告，参评单位、干部和投票人不能再改。确定公开吗？"),
    "open_voting": gettext_lazy("开始后投票人可在手机上投票（到开始时间系统也会自动开始）。确定开始吗？"),
    "close_voting": gettext_lazy("截止后不再接收网上投票（到截止时间系统也会自动截止）。确定截止吗？"),
    "tally": gettext_lazy("计票后统计各单位参评情况和每位干部的结果，结果只有党委组织部能看到。确定计票吗？"),
    "release": gettext_lazy("启封后党委组织部可查看、导出全部测评结果。确定启封吗？"),
}


@dataclass(frozen=True)
class StepButton:
    name: str
    label: str
    question: str
    problem: str  # why it cannot be taken now ("" when it can)


def step_buttons(appraisal_round: AppraisalRound, user) -> list[StepButton]:
    """The steps `user` may take from the round's status, each with what stops it now (the
    workflow's guards), so the page says why rather than hiding the button."""
    buttons = []
    for step in AppraisalRoundWorkflow.steps:
        if appraisal_round.status not in step.sources:
            continue
        if not AppraisalRoundWorkflow.actor_may(step, appraisal_round, user):
            continue
        attempt = Attempt(obj=appraisal_round, actor=user, step=step, message="", values={}, parameters={})
        problems = [problem for guard in step.guards if (problem := guard(attempt))]
        buttons.append(
            StepButton(
                name=step.name,
                label=str(step.label),
                question=str(STEP_QUESTIONS.get(step.name, "")),
                problem="；".join(problems),
            )
        )
    return buttons


@dataclass(frozen=True)
class UnitLine:
    unit: RoundUnit
    voters: list[tuple[str, int]]  # (category name, voters) in the rules' order
    tellers: list[str]
    is_teller: bool


def unit_lines(user, appraisal_round: AppraisalRound) -> list[UnitLine]:
    categories = list(appraisal_round.rules.categories.all())
    person_id = get_access(user).person_id
    lines = []
    # in the sub-unions' order (an aggregated queryset drops the model's ordering)
    units = selectors.unit_list(user=user, appraisal_round=appraisal_round).order_by(
        "sub_union__sort_key", "sub_union__code"
    )
    for unit in units.select_related("turnout").prefetch_related("tellers__person"):
        counts = selectors.voters_by_category(unit)
        tellers = list(unit.tellers.all())
        lines.append(
            UnitLine(
                unit=unit,
                voters=[(c.name, counts.get(c.code, 0)) for c in categories],
                tellers=[t.person.name for t in tellers],
                is_teller=person_id is not None and any(t.person_id == person_id for t in tellers),
            )
        )
    return lines


class RoundDetailView(MemberPageMixin, View):
    def get(self, request, pk):
        appraisal_round = round_or_404(request.user, pk)
        user = request.user
        relations = round_relations(appraisal_round, user)
        office = is_office(user, appraisal_round)
        insider = selectors.round_is_insider(user, appraisal_round)
        turnout_reader = reads_turnout(user, appraisal_round)
        draft = appraisal_round.status == RoundStatus.DRAFT
        units = unit_lines(user, appraisal_round)
        categories = category_choices(appraisal_round)
        context = {
            "round": appraisal_round,
            "rules": edition_line(appraisal_round.rules),
            "units": units,
            "is_office": office,
            "insider": insider,
            "turnout_reader": turnout_reader,
            "is_organisation": ORGANISATION in relations,
            "steps": step_buttons(appraisal_round, user) if relations else [],
            "problems": selectors.round_setup_problems(appraisal_round) if draft and insider else [],
            "editable": office and draft,
            "unit_form": forms.UnitAddForm(sub_unions=forms.sub_unions_to_add(user, appraisal_round))
            if office and draft
            else None,
            "voters_form": forms.VotersAddForm(
                categories=categories,
                units=[line.unit for line in units],
                initial={"category": _initial_category(categories, "leader")},
            )
            if office and draft and units
            else None,
            "turnout": turnout_rows(user=user, appraisal_round=appraisal_round)
            if turnout_reader and appraisal_round.tallied_at
            else [],
            "ballots": selectors.my_ballots(user=user, rounds=AppraisalRound.objects.filter(pk=appraisal_round.pk)),
            "paper_open": appraisal_round.paper
            and appraisal_round.status in (RoundStatus.VOTING_OPEN, RoundStatus.VOTING_CLOSED),
        }
        return render(request, "appraisals/detail.html", context)


STEP_SERVICES = {
    "publish_reports": (services.reports_publish, gettext_lazy("述职报告已公开，投票人现在可以阅读。")),
    "open_voting": (services.voting_open, gettext_lazy("投票已开始，投票人可以在手机上投票。")),
    "close_voting": (services.voting_close, gettext_lazy("投票已截止。纸质选票核对一致后即可计票。")),
    "tally": (services.round_tally, gettext_lazy("计票完成。各单位参评情况见下，结果待党委组织部启封。")),
    "release": (services.results_release, gettext_lazy("结果已启封。")),
}


class RoundStepView(LoginRequiredMixin, View):
    """A step of the round's course (publish the reports, open, close, count, release). A step
    that is not this user's to take (the release, for the union office) is not there (404); a
    refusal by the step's rules (a guard, the wrong state) is a message on the round's page and
    changes nothing."""

    def post(self, request, pk, step):
        appraisal_round = round_or_404(request.user, pk)
        declared = next((s for s in AppraisalRoundWorkflow.steps if s.name == step), None)
        if (
            step not in STEP_SERVICES
            or declared is None
            or not declared.relations & AppraisalRoundWorkflow.actor_relations(appraisal_round, request.user)
        ):
            raise Http404
        service, done = STEP_SERVICES[step]
        try:
            service(actor=request.user, appraisal_round=appraisal_round)
        except ApplicationError as error:  # InvalidTransition and StepNotAllowed among them
            messages.error(request, str(error.message))
        else:
            messages.success(request, str(done))
        return redirect("appraisals:detail", appraisal_round.pk)


# --- history and turnout ------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime.datetime
    what: str
    detail: str
    actor: str


EVENT_LABELS = {"created": gettext_lazy("创建")}


def round_history(appraisal_round: AppraisalRound) -> list[HistoryEntry]:
    """The round's steps (its workflow events) and its setup changes (audit rows), in time
    order; each step's own audit row repeats its event and is left out."""
    entries = [
        HistoryEntry(
            at=e.at,
            what=str(EVENT_LABELS[e.step]) if e.step in EVENT_LABELS else e.to_label if e.is_state_change else e.step,
            detail=e.message,
            actor=str(e.actor) if e.actor else "",
        )
        for e in appraisal_round.events.select_related("actor")
    ]
    audits = (
        AuditEvent.objects.filter(object_type=AppraisalRound._meta.label_lower, object_id=str(appraisal_round.pk))
        .exclude(action=AuditAction.STATUS_CHANGED)
        .select_related("actor")
        .order_by("at", "id")
    )
    entries += [
        HistoryEntry(
            at=a.at, what=a.message or a.get_action_display(), detail="", actor=str(a.actor) if a.actor else ""
        )
        for a in audits
    ]
    entries.sort(key=lambda entry: entry.at)  # stable: the same moment keeps each list's order
    return entries


class HistoryView(MemberPageMixin, View):
    def get(self, request, pk):
        appraisal_round = round_or_404(request.user, pk)
        if not selectors.round_is_insider(request.user, appraisal_round):
            raise Http404
        entries = round_history(appraisal_round)
        return render(
            request,
            "appraisals/history.html",
            {"round": appraisal_round, "page": paginate(request, entries, per_page=100), "query": list_query(request)},
        )


@dataclass(frozen=True)
class TurnoutLine:
    turnout: object
    unit: str
    rate: object
    by_category: list[tuple[str, int, int, int]]  # (category, eligible, online, paper)


class TurnoutView(MemberPageMixin, View):
    """Turnout per unit against the quorum, counted at the tally; `?format=xlsx` downloads it."""

    def get(self, request, pk):
        appraisal_round = round_or_404(request.user, pk)
        if not reads_turnout(request.user, appraisal_round):
            raise Http404
        report = turnout_report(user=request.user, appraisal_round=appraisal_round)
        if request.GET.get("format") == "xlsx":
            export_record(
                request.user,
                what=_("导出干部民主测评参评情况"),
                object_type="appraisals.appraisalround",
                query=f"round={appraisal_round.pk}&format=xlsx",
            )
            return report.xlsx_response(f"{appraisal_round.title[:40]}-参评情况.xlsx")
        categories = list(appraisal_round.rules.categories.all())
        rows = turnout_rows(user=request.user, appraisal_round=appraisal_round)
        lines = [
            TurnoutLine(
                turnout=t,
                unit=t.round_unit.sub_union.name,
                rate=figures["rate"],
                by_category=[
                    (
                        c.name,
                        t.by_category.get(c.code, {}).get("eligible", 0),
                        t.by_category.get(c.code, {}).get("online", 0),
                        t.by_category.get(c.code, {}).get("paper", 0),
                    )
                    for c in categories
                ],
            )
            for t, figures in zip(rows, report.figures["units"], strict=True)
        ]
        return render(
            request,
            "appraisals/turnout.html",
            {
                "round": appraisal_round,
                "report": report,
                "figures": report.figures,
                "lines": lines,
                "counted": appraisal_round.tallied_at is not None,
                "categories": categories,
                "quorum_categories": "、".join(c.name for c in categories if c.counts_for_quorum),
            },
        )


# --- the office's buttons and small forms ---------------------------------------------------------


class OfficeAction(RecordAction):
    """A button or small form of the office on a round's or a unit's page: `act` runs one
    service and returns the success message; a refusal is shown as an error on the page it
    came from, and nothing is written."""

    def act(self, request, obj, data: dict) -> str:
        raise NotImplementedError


class RoundOfficeAction(OfficeAction):
    def target(self, request, pk):
        appraisal_round = round_or_404(request.user, pk)
        office_require(request.user, appraisal_round)
        return appraisal_round

    def back(self, obj) -> str:
        return reverse("appraisals:detail", args=[obj.pk])


class UnitOfficeAction(OfficeAction):
    def target(self, request, pk):
        return unit_for_office(request.user, pk)

    def back(self, obj) -> str:
        return reverse("appraisals:unit_setup", args=[obj.pk])


class UnitAddView(RoundOfficeAction):
    form_class = forms.UnitAddForm

    def form_kwargs(self, obj) -> dict:
        return {"sub_unions": forms.sub_unions_to_add(self.request.user, obj)}

    def act(self, request, obj, data):
        unit = services.unit_add(
            actor=request.user, appraisal_round=obj, sub_union=data["sub_union"], meeting_on=data["meeting_on"]
        )
        return _("已添加%(unit)s。请为它添加被测评干部和投票人。") % {"unit": unit.sub_union.name}


class VotersAddView(RoundOfficeAction):
    """Voters by staff number for several units at once (the university's leaders in every college)."""

    form_class = forms.VotersAddForm

    def form_kwargs(self, obj) -> dict:
        units = selectors.unit_list(user=self.request.user, appraisal_round=obj)
        return {"categories": category_choices(obj), "units": units}

    def act(self, request, obj, data):
        units = list(
            selectors.unit_list(user=request.user, appraisal_round=obj)
            .filter(pk__in=[int(pk) for pk in data["units"]])
            .select_related("round__rules")
        )
        added = services.voters_add(
            actor=request.user, units=units, staff_numbers=data["staff_numbers"], category=data["category"]
        )
        return _("已添加投票人 %(n)s 人次（已在单位名单中的人不重复添加）。") % {"n": added}


class UnitSetupView(MemberPageMixin, View):
    """A unit's cadres and their reports, its voters per category and its tellers."""

    def get(self, request, pk):
        unit = unit_for_office(request.user, pk)
        appraisal_round = unit.round
        categories = category_choices(appraisal_round)
        names = category_names(appraisal_round)
        counts = selectors.voters_by_category(unit)
        tellers = list(unit.tellers.select_related("person"))
        draft = appraisal_round.status == RoundStatus.DRAFT
        return render(
            request,
            "appraisals/unit_setup.html",
            {
                "unit": unit,
                "round": appraisal_round,
                "cadres": selectors.cadres_of(unit).select_related("report_file"),
                "voters": [(names.get(code, code), counts.get(code, 0)) for code in names]
                + [(code, n) for code, n in counts.items() if code not in names],
                "voters_total": sum(counts.values()),
                "tellers": tellers,
                "editable": draft,
                "tellers_editable": appraisal_round.status
                in (RoundStatus.DRAFT, RoundStatus.REPORTS_PUBLISHED, RoundStatus.VOTING_OPEN),
                "cadre_form": forms.CadreAddForm(),
                "fill_form": forms.VotersFillForm(
                    categories=categories,
                    initial={
                        "staff_category": _initial_category(categories, "staff"),
                        "cadre_category": _initial_category(categories, "cadre"),
                    },
                ),
                "tellers_form": forms.TellersForm(
                    initial={
                        "first": tellers[0].person.staff_no if tellers else "",
                        "second": tellers[1].person.staff_no if len(tellers) > 1 else "",
                    }
                ),
            },
        )


class UnitRemoveView(UnitOfficeAction):
    def back(self, obj) -> str:
        return reverse("appraisals:detail", args=[obj.round_id])

    def act(self, request, obj, data):
        name = obj.sub_union.name
        services.unit_remove(actor=request.user, unit=obj)
        return _("已移除%(unit)s。") % {"unit": name}

    def post(self, request, pk):
        unit = self.target(request, pk)
        try:
            done = self.act(request, unit, {})
        except ApplicationError as error:
            messages.error(request, str(error.message))
            return redirect("appraisals:unit_setup", unit.pk)
        messages.success(request, done)
        return redirect("appraisals:detail", unit.round_id)


class CadreAddView(UnitOfficeAction):
    form_class = forms.CadreAddForm

    def act(self, request, obj, data):
        cadre = services.cadre_add(actor=request.user, unit=obj, staff_no=data["staff_no"], post=data["post"])
        return _("已添加%(cadre)s。请上传或填写其述职报告。") % {"cadre": cadre}


class VotersFillView(UnitOfficeAction):
    form_class = forms.VotersFillForm

    def form_kwargs(self, obj) -> dict:
        return {"categories": category_choices(obj.round)}

    def act(self, request, obj, data):
        added = services.voters_fill(
            actor=request.user,
            unit=obj,
            staff_category=data["staff_category"],
            cadre_category=data["cadre_category"],
        )
        if not added:
            return _("花名册中没有新的投票人，名单未变。")
        return _("已从花名册添加投票人 %(n)s 人。") % {"n": added}


class TellersView(UnitOfficeAction):
    form_class = forms.TellersForm

    def act(self, request, obj, data):
        tellers = services.tellers_set(actor=request.user, unit=obj, staff_numbers=[data["first"], data["second"]])
        names = "、".join(t.person.name for t in tellers)
        return _("计票人：%(names)s。") % {"names": names}


class CadreRemoveView(OfficeAction):
    def target(self, request, pk):
        return cadre_for_office(request.user, pk)

    def back(self, obj) -> str:
        return reverse("appraisals:unit_setup", args=[obj.round_unit_id])

    def act(self, request, obj, data):
        name = str(obj)
        services.cadre_remove(actor=request.user, cadre=obj)
        return _("已移除%(cadre)s。") % {"cadre": name}


def _report_refused(form, error: ApplicationError) -> None:
    """A refused file (type, size, quota) goes on the file field, other refusals as the service says."""
    if isinstance(error, AttachmentRefused) and not error.extra.get("field"):
        form.add_error("report_file", str(error.message))
    else:
        form_refusal(form, error)


class CadreReportView(MemberPageMixin, View):
    """A cadre's report (述职报告): text, a PDF, or both, until the reports are published."""

    def _render(self, request, cadre, form):
        return render(
            request,
            "appraisals/cadre_report_form.html",
            {
                "cadre": cadre,
                "unit": cadre.round_unit,
                "round": cadre.round_unit.round,
                "form": form,
                "editable": cadre.round_unit.round.status == RoundStatus.DRAFT,
            },
        )

    def get(self, request, pk):
        cadre = cadre_for_office(request.user, pk)
        return self._render(request, cadre, forms.CadreReportForm(initial={"text": cadre.report_text}))

    def post(self, request, pk):
        cadre = cadre_for_office(request.user, pk)
        form = forms.CadreReportForm(request.POST, request.FILES)
        try:
            done = form_service_post(
                request,
                form,
                lambda data: services.cadre_report_set(
                    actor=request.user, cadre=cadre, text=data["text"], report_file=data["report_file"]
                ),
                success=_("已保存%(cadre)s的述职报告。") % {"cadre": cadre},
                then=lambda saved: redirect("appraisals:unit_setup", saved.round_unit_id),
                refused=_report_refused,
            )
        except PermissionDenied:
            raise Http404 from None
        return done or self._render(request, cadre, form)
