"""The competition office's pages (比赛办公室, the union office): the editions by level and year,
the rules of each level and year (and their adoption), a new edition, an edition's page with
its course, seats, entries, judges and draw, the office's buttons on it, and its history.
Views are thin: forms check fields, services decide, selectors read.

Who gets what: the editions' readers (the office, a college's officer, auditors) list them
and open an announced edition (a college's officer sees their own college's seats and entries;
a draft is the office's); the office runs it; the office and auditors read its inside (judges,
history, scores). An office button or page for anyone else is a 404 ("not there")."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from gonghui.accounts.access import get_access
from gonghui.competitions import forms
from gonghui.competitions.choices import (
    HOSTED_LEVELS,
    LEVEL_ORDER,
    AwardKind,
    CompetitionStatus,
    EntryStatus,
    Level,
    PastWinnerRule,
    Rounding,
    SpecialBasis,
    TeachingPost,
)
from gonghui.competitions.models import Competition, CompetitionRules, Judge
from gonghui.competitions.selectors import competitions as selectors
from gonghui.competitions.selectors.entries import college_seats, entry_list
from gonghui.competitions.selectors.judging import assignments
from gonghui.competitions.services import competitions as competition_services
from gonghui.competitions.services import results as result_services
from gonghui.competitions.services.draw import DRAW_ALGORITHM, draw_run, draw_verify
from gonghui.competitions.services.entries import entries_recommend
from gonghui.competitions.services.judging import JUDGES_SET_BEFORE, judge_add, judge_remove
from gonghui.competitions.services.rules import RulesSettings, RulesText, rules_adopt, rules_in_force, rules_text
from gonghui.competitions.workflow import CompetitionWorkflow
from gonghui.core.editions import EditionStatus
from gonghui.core.exceptions import ApplicationError
from gonghui.core.pages import PermissionPageMixin, paginate, render_page_or_partial
from gonghui.core.views_kit import RecordAction, filters_checked, form_service_post, list_query, next_or
from gonghui.core.workflow import Attempt

MANAGE = "competitions.manage_competition"
VIEW = "competitions.view_competition"

# --- who -----------------------------------------------------------------------------------------


def competition_or_404(user, pk) -> Competition:
    competition = selectors.competition_get(user=user, pk=pk)
    if competition is None:
        raise Http404
    return competition


def is_office(user) -> bool:
    """The competition office (the union office) or the administrator: runs the editions."""
    return user.has_perm(MANAGE) and get_access(user).writes_everything


def is_insider(user) -> bool:
    """Reads an edition's inside (judges, scores, history): the office and auditors."""
    return user.has_perm(VIEW) and get_access(user).sees_everything("view")


def office_require(user) -> None:
    """An office page or button: to anyone else, even one who reads the edition, it is not there."""
    if not is_office(user):
        raise Http404


def insider_require(user) -> None:
    if not is_insider(user):
        raise Http404


def higher_editions(user, competition: Competition | None = None):
    """Editions one may recommend winners to: above the college level (and above this one's)."""
    rows = Competition.objects.restrict(user).exclude(level=Level.COLLEGE)
    if competition is not None:
        above = [level for level in Level.values if LEVEL_ORDER[Level(level)] > LEVEL_ORDER[Level(competition.level)]]
        rows = rows.filter(level__in=above).exclude(pk=competition.pk)
    return rows.order_by("-year", "level", "-pk")


# --- the list ------------------------------------------------------------------------------------


class ListView(PermissionPageMixin, View):
    """The editions by level and year (`?level=`, `?status=`), with the office's buttons."""

    permission_required = VIEW

    def get(self, request):
        filters = filters_checked(request, forms.CompetitionFilterForm)
        rows = list(selectors.competition_list(user=request.user, filters=filters))
        return render_page_or_partial(
            request,
            "competitions/office/list.html",
            "competitions/office/partials/list_editions.html",
            {
                "levels": selectors.editions_by_level(rows),
                "count": len(rows),
                "filter_form": forms.CompetitionFilterForm(request.GET),
                "can_create": is_office(request.user) and request.user.has_perm("competitions.add_competition"),
                "can_rules": request.user.has_perm("competitions.view_competitionrules"),
            },
        )


# --- the rules -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RulesLine:
    """An edition of the rules as the rules page shows it, in words."""

    edition: CompetitionRules
    groups: list
    parts: list
    prizes: list[tuple[str, str]]  # (label, how many)
    specials: list[tuple[str, str, str]]  # (label, kind, how decided)
    eligibility: list[str]
    quota: str
    lessons: str
    trim: str
    weighting: str
    rounding: str
    tie_break: str


def _date(value: datetime.date) -> str:
    return formats.date_format(value)


def rules_line(edition: CompetitionRules) -> RulesLine:
    parts = list(edition.parts.all())
    labels = {p.code: p.label for p in parts}
    prizes = []
    for prize in edition.prizes.all():
        if prize.count is not None:
            how = _("每组 %(n)s 名") % {"n": prize.count}
        else:
            how = _("每组参赛人数的 %(share)s%%（四舍五入）") % {"share": prize.share}
        prizes.append((prize.label, how))
    specials = []
    for special in edition.specials.all():
        if special.basis == SpecialBasis.BEST_PART:
            how = _("各组“%(part)s”平均分最高者（同分均获奖）") % {
                "part": labels.get(special.part_code, special.part_code)
            }
        elif special.kind == AwardKind.COACH:
            how = _("授予参赛教师的指导教师，由比赛办公室评定")
        elif special.kind == AwardKind.ORGANISATION:
            how = _("授予单位，由比赛办公室评定")
        else:
            how = _("由比赛办公室评定")
        specials.append((special.label, str(AwardKind(special.kind).label), how))
    eligibility = []
    if edition.born_on_or_after:
        eligibility.append(_("%(date)s 及以后出生") % {"date": _date(edition.born_on_or_after)})
    if edition.member_required:
        eligibility.append(_("在会的工会会员"))
    if edition.eligible_posts:
        posts = "、".join(str(TeachingPost(p).label) for p in edition.eligible_posts if p in TeachingPost.values)
        eligibility.append(_("岗位：%(posts)s") % {"posts": posts})
    if edition.past_winner_rule != PastWinnerRule.NONE:
        eligibility.append(str(PastWinnerRule(edition.past_winner_rule).label))
    if edition.quota_per:
        quota = _("每单位名额 = 本单位青年教师人数 ÷ %(per)s（取整）+ %(bonus)s") % {
            "per": edition.quota_per,
            "bonus": edition.quota_bonus,
        }
    else:
        quota = _("不限名额")
    lessons = ""
    if edition.level in HOSTED_LEVELS and edition.lesson_plans_required:
        lessons = _("须交教案 %(n)s 份（每份 %(minutes)s 分钟）及课件；赛前抽签决定讲授其中哪一份。") % {
            "n": edition.lesson_plans_required,
            "minutes": edition.lesson_minutes,
        }
    if edition.trim_highest or edition.trim_lowest:
        trim = _(
            "每个评分项目有 %(min)s 个及以上评分时，去掉 %(high)s 个最高分和 %(low)s 个最低分后取平均；"
            "少于 %(min)s 个时取全部评分的平均。"
        ) % {"min": edition.trim_min_scores, "high": edition.trim_highest, "low": edition.trim_lowest}
    else:
        trim = _("每个评分项目取全部评分的平均。")
    tie = [labels.get(code, code) for code in edition.tie_break or []]
    if tie:
        tie_break = _("总分相同时，依次比较%(parts)s的得分；仍相同则名次并列。") % {"parts": "、".join(tie)}
    else:
        tie_break = _("总分相同则名次并列。")
    return RulesLine(
        edition=edition,
        groups=list(edition.groups.all()),
        parts=parts,
        prizes=prizes,
        specials=specials,
        eligibility=eligibility,
        quota=quota,
        lessons=lessons,
        trim=trim,
        weighting=_("各项平均分 ÷ 该项满分 × 该项权重，相加为总分（满分 100 分）。"),
        rounding=_("总分保留 %(places)s 位小数（%(how)s），只在最后舍入一次。")
        % {"places": edition.places, "how": Rounding(edition.rounding).label},
        tie_break=tie_break,
    )


def _asked(request) -> tuple[str, int]:
    level = request.GET.get("level") or Level.UNIVERSITY
    if level not in Level.values:
        level = Level.UNIVERSITY
    try:
        year = int(request.GET.get("year") or 0)
    except ValueError:
        year = 0
    return level, year if 2000 <= year <= 2100 else timezone.localdate().year


def rules_form_initial(level: str, year: int, editions: list[CompetitionRules]) -> dict:
    """The form starts from the level's rules in force for the year, else the level's latest
    adopted ones, else the examples of DOMAIN §3.7."""
    source = rules_in_force(level, year) or next(
        (e for e in editions if e.status == EditionStatus.ADOPTED and e.level == level), None
    )
    text = rules_text(source)
    defaults = RulesSettings(level=level, year=year, name="")
    values = source if source is not None else defaults
    name = source.name if source is not None and source.year == year else ""
    return {
        "level": level,
        "year": year,
        "name": name
        or _("%(year)s年%(level)s青年教师教学基本功比赛方案") % {"year": year, "level": Level(level).label},
        "born_on_or_after": values.born_on_or_after
        if source is not None and source.year == year
        else datetime.date(year - 40, 1, 1),
        "member_required": values.member_required,
        "eligible_posts": list(values.eligible_posts),
        "past_winner_rule": values.past_winner_rule,
        "quota_per": values.quota_per,
        "quota_bonus": values.quota_bonus,
        "lesson_plans_required": values.lesson_plans_required,
        "lesson_minutes": values.lesson_minutes,
        "trim_highest": values.trim_highest,
        "trim_lowest": values.trim_lowest,
        "trim_min_scores": values.trim_min_scores,
        "places": values.places,
        "rounding": values.rounding,
        "tie_break": " ".join(values.tie_break or ()),
        "judges_per_group": values.judges_per_group,
        "groups": text.groups,
        "parts": text.parts,
        "prizes": text.prizes,
        "specials": text.specials,
        "adopted_on": timezone.localdate(),
    }


@dataclass
class LevelRules:
    label: str
    lines: list[RulesLine]


def _by_level(lines: list[RulesLine]) -> list[LevelRules]:
    out = []
    for level in Level:
        mine = [line for line in lines if line.edition.level == level]
        if mine:
            out.append(LevelRules(str(level.label), mine))
    return out


def rules_page(request, form=None, status: int = 200):
    editions = list(
        CompetitionRules.objects.restrict(request.user)
        .prefetch_related("groups", "parts", "prizes", "specials")
        .order_by("-year", "-id")
    )
    can_adopt = request.user.has_perm("competitions.adopt_competitionrules") and request.user.has_perm(
        "competitions.add_competitionrules"
    )
    if form is None and can_adopt:
        form = forms.RulesForm(initial=rules_form_initial(*_asked(request), editions))
    lines = [rules_line(e) for e in editions]
    return render(
        request,
        "competitions/office/rules.html",
        {
            "in_force": _by_level([line for line in lines if line.edition.status == EditionStatus.ADOPTED]),
            "past": [line for line in lines if line.edition.status != EditionStatus.ADOPTED],
            "form": form if can_adopt else None,
        },
        status=status,
    )


class RulesView(PermissionPageMixin, View):
    """The rules in force for each level and year and the editions they replaced; the office
    adopts a new edition here."""

    permission_required = "competitions.view_competitionrules"

    def get(self, request):
        return rules_page(request)


class RulesAdoptView(PermissionPageMixin, View):
    permission_required = (
        "competitions.view_competitionrules",
        "competitions.add_competitionrules",
        "competitions.adopt_competitionrules",
    )

    def post(self, request):
        form = forms.RulesForm(request.POST)

        def adopt(data):
            settings = RulesSettings(
                level=data["level"],
                year=data["year"],
                name=data["name"],
                born_on_or_after=data["born_on_or_after"],
                member_required=data["member_required"],
                eligible_posts=tuple(data["eligible_posts"]),
                past_winner_rule=data["past_winner_rule"],
                quota_per=data["quota_per"],
                quota_bonus=data["quota_bonus"],
                lesson_plans_required=data["lesson_plans_required"],
                lesson_minutes=data["lesson_minutes"],
                trim_highest=data["trim_highest"],
                trim_lowest=data["trim_lowest"],
                trim_min_scores=data["trim_min_scores"],
                places=data["places"],
                rounding=data["rounding"],
                tie_break=data["tie_break"],
                judges_per_group=data["judges_per_group"],
            )
            text = RulesText(
                groups=data["groups"], parts=data["parts"], prizes=data["prizes"], specials=data["specials"]
            )
            return rules_adopt(
                actor=request.user,
                settings=settings,
                text=text,
                adopted_on=data["adopted_on"],
                resolution=data["resolution"],
            )

        done = form_service_post(
            request,
            form,
            adopt,
            success=_("比赛方案已通过；同级同年的原方案已被取代，已开始的比赛仍按原方案进行。"),
            then=lambda edition: redirect(f"{reverse('competitions:rules')}#edition-{edition.pk}"),
        )
        return done or rules_page(request, form)


# --- a new edition -------------------------------------------------------------------------------


class CreateView(PermissionPageMixin, View):
    permission_required = ("competitions.add_competition", MANAGE)

    def _render(self, request, form):
        level = form.data.get("level") if form.is_bound else form.initial.get("level")
        year = form.data.get("year") if form.is_bound else form.initial.get("year")
        try:
            rules = rules_in_force(str(level), int(year)) if level in Level.values else None
        except (TypeError, ValueError):
            rules = None
        return render(
            request,
            "competitions/office/create.html",
            {"form": form, "rules": rules, "level": level, "year": year, "hosted": level in HOSTED_LEVELS},
        )

    def get(self, request):
        level, year = _asked(request)
        form = forms.CompetitionForm(
            editions=higher_editions(request.user),
            initial={
                "level": level,
                "year": year,
                "title": _("%(year)s年青年教师教学基本功比赛") % {"year": year},
                "organiser": _("校工会") if level == Level.UNIVERSITY else "",
                "publicity_days": 5,
                "entered": True,
            },
        )
        return self._render(request, form)

    def post(self, request):
        form = forms.CompetitionForm(request.POST, editions=higher_editions(request.user))
        done = form_service_post(
            request,
            form,
            lambda data: competition_services.competition_create(actor=request.user, **data),
            success=_("比赛已创建。下一步：设置评委，到时开始推荐报名。"),
            then=lambda competition: redirect("competitions:detail", competition.pk),
        )
        return done or self._render(request, form)


# --- an edition's page ---------------------------------------------------------------------------

STEP_QUESTIONS = {
    "open_nominations": gettext_lazy("开始后各学院分工会即可推荐参赛教师，到推荐截止时间系统自动截止。确定开始吗？"),
    "close_nominations": gettext_lazy("截止后各学院不能再推荐参赛教师（材料仍可在材料截止前上传）。确定截止吗？"),
    "open_scoring": gettext_lazy("开始后评委即可在手机上评分，评委名单不能再改。确定开始吗？"),
    "close_scoring": gettext_lazy("结束后按比赛方案计算每位参赛教师的最终得分和名次。确定结束评分吗？"),
    "publish": gettext_lazy("将按比赛方案评定名次奖和单项奖，并开始公示获奖名单。确定公示吗？"),
    "release": gettext_lazy("发布后结果为最终结果，并为每个奖项颁发证书；参赛教师可查看自己的得分。确定发布吗？"),
    "record": gettext_lazy("确认后本届结果不能再改：获奖的参赛教师记为获奖，其余记为未获奖。确定确认吗？"),
}


@dataclass(frozen=True)
class StepButton:
    name: str
    label: str
    question: str
    problem: str  # why it cannot be taken now ("" when it can)


def step_buttons(competition: Competition, user) -> list[StepButton]:
    """The steps `user` may take from the edition's status, each with what stops it now (the
    workflow's guards), so the page says why rather than hiding the button. An edition the
    university runs has no "record"; one it does not run only that."""
    buttons = []
    for step in CompetitionWorkflow.steps:
        if competition.status not in step.sources or (step.name == "record") is competition.hosted:
            continue
        if not CompetitionWorkflow.actor_may(step, competition, user):
            continue
        attempt = Attempt(obj=competition, actor=user, step=step, message="", values={}, parameters={})
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


@dataclass
class JudgeLine:
    judge: Judge
    conflicts: list[tuple[str, str]]  # (contestant, why)


@dataclass
class PanelLine:
    group: object  # a CompetitionGroup, or None for the chief judges outside the groups
    judges: list[JudgeLine]


def panels(competition: Competition) -> list[PanelLine]:
    """The judges by group (chief judges first), each with the contestants they must not score."""
    conflicts: dict[int, list[tuple[str, str]]] = {}
    for pair in assignments(competition):
        if pair.conflict:
            conflicts.setdefault(pair.judge.pk, []).append((pair.entry.person.name, pair.conflict))
    judges = Judge.objects.filter(competition=competition).select_related("group", "college", "user")
    lines: dict[object, PanelLine] = {}
    for judge in judges:
        line = lines.setdefault(judge.group_id, PanelLine(judge.group, []))
        line.judges.append(JudgeLine(judge, conflicts.get(judge.pk, [])))
    groups = list(competition.rules.groups.all()) if competition.rules else []
    ordered = [lines[None]] if None in lines else []
    for group in groups:
        ordered.append(lines.get(group.pk) or PanelLine(group, []))
    return ordered


@dataclass(frozen=True)
class DrawGroup:
    group: str
    code: str
    staff_numbers: list[str]

    @property
    def literal(self) -> str:
        """The staff numbers as a Python list, to paste into the re-run."""
        return "[" + ", ".join(f'"{n}"' for n in self.staff_numbers) + "]"


def draw_groups(entries) -> list[DrawGroup]:
    """Each group's drawn contestants by staff number, as the draw took them (for re-running it)."""
    by_group: dict[str, DrawGroup] = {}
    for entry in entries:
        if entry.appearance is None:
            continue
        group = by_group.setdefault(entry.group.code, DrawGroup(str(entry.group), entry.group.code, []))
        group.staff_numbers.append(entry.person.staff_no)
    for group in by_group.values():
        group.staff_numbers.sort()
    return list(by_group.values())


def officer_college_ids(user) -> set[int] | None:
    """A college's officer's colleges (None: every college, for those who see everything)."""
    access = get_access(user)
    if access.sees_everything("view"):
        return None
    return set(access.sub_union_ids)


class DetailView(PermissionPageMixin, View):
    permission_required = VIEW

    def get(self, request, pk):
        competition = competition_or_404(request.user, pk)
        user = request.user
        office = is_office(user)
        insider = is_insider(user)
        entries = list(entry_list(user, competition))
        status = competition.status
        hosted = competition.hosted
        context = {
            "competition": competition,
            "rules": rules_line(competition.rules) if competition.rules else None,
            "is_office": office,
            "insider": insider,
            "hosted": hosted,
            "entries": entries,
            "seats": college_seats(competition, college_ids=officer_college_ids(user)) if hosted else [],
            "steps": step_buttons(competition, user) if office else [],
            "panels": panels(competition) if insider and hosted else [],
            "judges_open": office and hosted and status in JUDGES_SET_BEFORE,
            "draw_verified": draw_verify(competition) if competition.seed else None,
            "draw_algorithm": DRAW_ALGORITHM,
            "draw_groups": draw_groups(entries) if insider and competition.seed else [],
            "lessons": competition.rules.lesson_plans_required if competition.rules else 1,
            "places": competition.rules.places if competition.rules else 2,
            "has_results": hosted
            and status
            in (
                CompetitionStatus.SCORING,
                CompetitionStatus.SCORED,
                CompetitionStatus.PUBLICITY,
                CompetitionStatus.RELEASED,
            ),
            "has_notice": status
            in (CompetitionStatus.PUBLICITY, CompetitionStatus.RELEASED, CompetitionStatus.RECORDED),
            "scoring": status == CompetitionStatus.SCORING,
        }
        if office:
            placed = competition.entries.filter(status=EntryStatus.PLACED).select_related("person", "college", "group")
            context.update(
                judge_form=forms.JudgeAddForm(groups=competition.rules.groups.all() if competition.rules else None)
                if context["judges_open"]
                else None,
                draw_form=forms.DrawForm() if status == CompetitionStatus.PREPARING else None,
                link_form=forms.LinkForm(
                    editions=higher_editions(user, competition), initial={"feeds_into": competition.feeds_into_id}
                ),
                recommend_form=forms.RecommendForm(entries=placed)
                if competition.feeds_into_id
                and status in (CompetitionStatus.RELEASED, CompetitionStatus.RECORDED)
                and placed.exists()
                else None,
            )
        return render(request, "competitions/office/detail.html", context)


STEP_SERVICES = {
    "open_nominations": gettext_lazy("推荐报名已开始，各学院分工会可以推荐参赛教师。"),
    "close_nominations": gettext_lazy("推荐报名已截止。"),
    "open_scoring": gettext_lazy("评分已开始，评委可以在手机上评分。"),
    "close_scoring": gettext_lazy("评分已结束，最终得分和名次已计算。"),
    "publish": gettext_lazy("获奖名单已开始公示。"),
    "release": gettext_lazy("结果已发布，证书已颁发。"),
    "record": gettext_lazy("本届结果已确认。"),
}


def _step_run(step: str, *, actor, competition: Competition) -> None:
    if step == "close_scoring":
        result_services.scoring_close(actor=actor, competition=competition)
    elif step == "publish":
        result_services.results_publish(actor=actor, competition=competition)
    elif step == "release":
        result_services.results_release(actor=actor, competition=competition)
    elif step == "record":
        result_services.results_confirm(actor=actor, competition=competition)
    else:
        competition_services.competition_step(actor=actor, competition=competition, step=step)


class StepView(LoginRequiredMixin, View):
    """A step of the edition's course. A step that is not this user's to take is not there
    (404); a refusal by the step's rules (a guard, the wrong state) is a message on the
    edition's page and changes nothing."""

    def post(self, request, pk, step):
        competition = competition_or_404(request.user, pk)
        declared = next((s for s in CompetitionWorkflow.steps if s.name == step), None)
        if (
            step not in STEP_SERVICES
            or declared is None
            or not CompetitionWorkflow.actor_may(declared, competition, request.user)
        ):
            raise Http404
        try:
            _step_run(step, actor=request.user, competition=competition)
        except ApplicationError as error:  # InvalidTransition among them
            messages.error(request, str(error.message))
        else:
            messages.success(request, str(STEP_SERVICES[step]))
        return redirect(next_or(request, reverse("competitions:detail", args=[competition.pk])))


# --- the office's buttons and small forms ----------------------------------------------------------


class OfficeAction(RecordAction):
    """A button or small form of the office on an edition's pages: `act` runs one service and
    returns the success message; a form's error or a refusal is an error message on the page it
    came from (`next`, else `back`), and nothing is written. Not the office's: not there."""

    def target(self, request, pk):
        competition = competition_or_404(request.user, pk)
        office_require(request.user)
        return competition

    def back(self, obj) -> str:
        return reverse("competitions:detail", args=[obj.pk])


class DrawView(OfficeAction):
    """The draw, with the seed announced beforehand or a new random one."""

    form_class = forms.DrawForm

    def act(self, request, obj, data):
        competition = draw_run(actor=request.user, competition=obj, seed=data["seed"])
        return _("抽签完成。抽签种子：%(seed)s（已公布在本页，任何人都可以据此重新抽签核对）。") % {
            "seed": competition.seed
        }


class JudgeAddView(OfficeAction):
    form_class = forms.JudgeAddForm

    def form_kwargs(self, obj) -> dict:
        return {"groups": obj.rules.groups.all() if obj.rules else None}

    def act(self, request, obj, data):
        judge = judge_add(
            actor=request.user, competition=obj, group=data["group"], login=data["login"], is_chief=data["is_chief"]
        )
        return _("已添加评委：%(name)s。") % {"name": judge.name}


class JudgeRemoveView(OfficeAction):
    def target(self, request, pk):
        judge = Judge.objects.select_related("competition").filter(pk=pk).first()
        if judge is None or selectors.competition_get(user=request.user, pk=judge.competition_id) is None:
            raise Http404
        office_require(request.user)
        return judge

    def back(self, obj) -> str:
        return f"{reverse('competitions:detail', args=[obj.competition_id])}#judges"

    def act(self, request, obj, data):
        name = obj.name
        judge_remove(actor=request.user, judge=obj)
        return _("已移除评委：%(name)s。") % {"name": name}


class LinkView(OfficeAction):
    form_class = forms.LinkForm

    def form_kwargs(self, obj) -> dict:
        return {"editions": higher_editions(self.request.user, obj)}

    def act(self, request, obj, data):
        competition = competition_services.competition_link(
            actor=request.user, competition=obj, feeds_into=data["feeds_into"]
        )
        if competition.feeds_into is None:
            return _("已取消推荐至上一级比赛。")
        return _("获奖教师将推荐参加：%(edition)s。") % {"edition": competition.feeds_into}


class RecommendView(OfficeAction):
    form_class = forms.RecommendForm

    def form_kwargs(self, obj) -> dict:
        return {"entries": obj.entries.filter(status=EntryStatus.PLACED).select_related("person", "college", "group")}

    def act(self, request, obj, data):
        created = entries_recommend(actor=request.user, competition=obj, entries=list(data["entries"]))
        return _("已推荐 %(n)s 人参加%(edition)s。") % {"n": len(created), "edition": obj.feeds_into}


# --- history -------------------------------------------------------------------------------------


class HistoryView(LoginRequiredMixin, View):
    """Every step of the edition and every change by the office, in time order (the office and
    auditors)."""

    def get(self, request, pk):
        competition = competition_or_404(request.user, pk)
        insider_require(request.user)
        entries = selectors.competition_course(competition)
        return render(
            request,
            "competitions/office/history.html",
            {
                "competition": competition,
                "page": paginate(request, entries, per_page=100),
                "query": list_query(request),
            },
        )
