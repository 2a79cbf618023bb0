"""The competition's workflows (DOMAIN §3.7): every status change goes through core's
`transition`.

- CompetitionWorkflow: an edition the university runs goes draft → nominating → preparing →
  drawn → scoring → scored → publicity → released; one it does not run (Beijing, national)
  goes draft → recorded once its results are entered.
- EntryWorkflow: nominated → submitted (materials complete) → drawn → scored → placed /
  not_placed → recommended (to the next level); withdrawn before the draw.
- ScoreSheetWorkflow: draft → submitted by the judge. A submitted sheet stays submitted: the
  chief judge's amendment (with its reason) is an event of the sheet, not a change of state.
- CompetitionRulesWorkflow: the edition's rules, a core rule edition.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gonghui.accounts.access import get_access
from gonghui.competitions.choices import CompetitionStatus as C
from gonghui.competitions.choices import EntryStatus as E
from gonghui.competitions.choices import SheetStatus as S
from gonghui.competitions.models import (
    Competition,
    CompetitionEvent,
    CompetitionRules,
    CompetitionRulesEvent,
    Entry,
    EntryEvent,
    Judge,
    ScoreSheet,
    ScoreSheetEvent,
)
from gonghui.core.editions import EditionStatus, edition_workflow
from gonghui.core.workflow import SYSTEM, Attempt, Step, Workflow, workflow_register

OFFICE, CONTESTANT, COLLEGE, JUDGE, CHIEF = "office", "contestant", "college", "judge", "chief"

by_office = Step.by("competitions.manage_competition")


def _rules_adopted(attempt: Attempt) -> str | None:
    rules = attempt.obj.rules
    if rules is None or rules.status == EditionStatus.DRAFT:
        return _("比赛方案尚未通过，不能开始推荐报名。")
    if attempt.obj.nominations_close is None or attempt.obj.materials_due is None:
        return _("请先填写推荐截止和材料截止时间。")
    return None


def _hosted(attempt: Attempt) -> str | None:
    if not attempt.obj.hosted:
        return _("本级比赛不由我校举办：请录入比赛结果。")
    return None


def _not_hosted(attempt: Attempt) -> str | None:
    if attempt.obj.hosted:
        return _("我校举办的比赛须经评分、公示后发布结果，不能直接录入。")
    return None


def _materials_closed(attempt: Attempt) -> str | None:
    from gonghui.competitions.selectors.entries import entries_without_materials

    competition = attempt.obj
    if competition.materials_due and timezone.now() < competition.materials_due:
        return _("材料截止时间（%(at)s）未到，不能抽签。") % {
            "at": timezone.localtime(competition.materials_due).strftime("%Y-%m-%d %H:%M")
        }
    missing = entries_without_materials(competition)
    if missing:
        return _("以下参赛教师的材料不全，请补齐或办理退赛后再抽签：%(names)s。") % {"names": "、".join(missing)}
    return None


def _judges_ready(attempt: Attempt) -> str | None:
    from gonghui.competitions.selectors.judging import judging_problems

    problems = judging_problems(attempt.obj)
    return "；".join(problems) if problems else None


def _sheets_in(attempt: Attempt) -> str | None:
    from gonghui.competitions.selectors.judging import sheets_missing

    missing = sheets_missing(attempt.obj)
    if missing:
        return _("还有 %(count)s 张评分表未提交（%(first)s 等），不能结束评分。") % {
            "count": len(missing),
            "first": "、".join(missing[:3]),
        }
    return None


def _publicity_over(attempt: Attempt) -> str | None:
    until = attempt.obj.publicity_until
    if until is not None and timezone.localdate() <= until:
        return _("公示期至 %(until)s，期满后才能发布结果。") % {"until": until.isoformat()}
    return None


def competition_relations(competition: Competition, actor) -> set[str]:
    return {OFFICE} if get_access(actor).writes_everything else set()


@workflow_register
class CompetitionWorkflow(Workflow):
    name = "competitions.competition"
    model = Competition
    event_model = CompetitionEvent
    states = C
    initial = (C.DRAFT,)
    person_field = None
    noun = gettext_lazy("比赛")
    path = (C.DRAFT, C.NOMINATING, C.PREPARING, C.DRAWN, C.SCORING, C.SCORED, C.PUBLICITY, C.RELEASED)
    tones = {
        "nominating": "action",
        "preparing": "info",
        "drawn": "info",
        "scoring": "action",
        "scored": "waiting",
        "publicity": "waiting",
        "released": "success",
        "recorded": "success",
    }
    relation_labels = {OFFICE: gettext_lazy("比赛办公室（校工会）")}
    steps = (
        by_office(
            "open_nominations",
            C.DRAFT,
            C.NOMINATING,
            gettext_lazy("开始推荐报名"),
            guards=(_hosted, _rules_adopted),
            stamps=("nominations_opened_at",),
        ),
        Step.of(
            "close_nominations",
            C.NOMINATING,
            C.PREPARING,
            gettext_lazy("截止推荐"),
            permission="competitions.manage_competition",
            relations={SYSTEM},
        ),
        by_office(
            "draw", C.PREPARING, C.DRAWN, gettext_lazy("抽签"), guards=(_materials_closed,), stamps=("drawn_at",)
        ),
        by_office(
            "open_scoring",
            C.DRAWN,
            C.SCORING,
            gettext_lazy("开始评分"),
            guards=(_judges_ready,),
            stamps=("scoring_opened_at",),
        ),
        by_office(
            "close_scoring", C.SCORING, C.SCORED, gettext_lazy("结束评分"), guards=(_sheets_in,), stamps=("scored_at",)
        ),
        by_office(
            "publish",
            C.SCORED,
            C.PUBLICITY,
            gettext_lazy("公示获奖名单"),
            stamps=("publicity_started_at",),
        ),
        by_office(
            "release",
            C.PUBLICITY,
            C.RELEASED,
            gettext_lazy("发布结果"),
            guards=(_publicity_over,),
            stamps=("released_at",),
        ),
        by_office("record", C.DRAFT, C.RECORDED, gettext_lazy("确认录入结果"), guards=(_not_hosted,)),
    )

    @classmethod
    def relations(cls, obj, actor) -> set[str]:
        return competition_relations(obj, actor)


def entry_relations(entry: Entry, actor) -> set[str]:
    access = get_access(actor)
    relations = set()
    if access.writes_everything:
        relations.add(OFFICE)
    if access.person_id and access.person_id == entry.person_id:
        relations.add(CONTESTANT)
    if access.sub_union_ids and entry.college_id in access.sub_union_ids:
        relations.add(COLLEGE)
    return relations


@workflow_register
class EntryWorkflow(Workflow):
    name = "competitions.entry"
    model = Entry
    event_model = EntryEvent
    states = E
    initial = (E.NOMINATED,)
    person_field = "person_id"
    noun = gettext_lazy("参赛报名")
    person_relation = CONTESTANT
    path = (E.NOMINATED, E.SUBMITTED, E.DRAWN, E.SCORED, E.PLACED)
    tones = {
        "submitted": "info",
        "drawn": "info",
        "scored": "waiting",
        "placed": "success",
        "recommended": "success",
        "not_placed": "neutral",
        "withdrawn": "neutral",
    }
    relation_labels = {
        OFFICE: gettext_lazy("比赛办公室（校工会）"),
        CONTESTANT: gettext_lazy("参赛教师"),
        COLLEGE: gettext_lazy("推荐单位"),
    }
    steps = (
        Step.of(
            "materials_complete",
            E.NOMINATED,
            E.SUBMITTED,
            gettext_lazy("材料齐全"),
            relations={OFFICE, CONTESTANT, COLLEGE, SYSTEM},
        ),
        Step.of(
            "withdraw",
            (E.NOMINATED, E.SUBMITTED),
            E.WITHDRAWN,
            gettext_lazy("退赛"),
            relations={OFFICE, CONTESTANT, COLLEGE},
            message_required=True,
        ),
        Step.of("draw", E.SUBMITTED, E.DRAWN, gettext_lazy("抽签"), relations={OFFICE}),
        Step.of("score", E.DRAWN, E.SCORED, gettext_lazy("评分完成"), relations={OFFICE}),
        Step.of("place", (E.SCORED, E.NOMINATED), E.PLACED, gettext_lazy("获奖"), relations={OFFICE}),
        Step.of("not_place", (E.SCORED, E.NOMINATED), E.NOT_PLACED, gettext_lazy("未获奖"), relations={OFFICE}),
        Step.of(
            "unplace",
            E.PLACED,
            E.NOT_PLACED,
            gettext_lazy("撤销获奖"),
            relations={OFFICE},
            message_required=True,
        ),
        Step.of("recommend", E.PLACED, E.RECOMMENDED, gettext_lazy("推荐参加上一级比赛"), relations={OFFICE}),
    )

    @classmethod
    def relations(cls, obj, actor) -> set[str]:
        return entry_relations(obj, actor)


def sheet_relations(sheet: ScoreSheet, actor) -> set[str]:
    relations: set[str] = set()
    user_id = getattr(actor, "pk", None)
    if user_id is None:
        return relations
    if sheet.judge.user_id == user_id:
        relations.add(JUDGE)
    if Judge.objects.filter(competition_id=sheet.entry.competition_id, user_id=user_id, is_chief=True).exists():
        relations.add(CHIEF)
    return relations


@workflow_register
class ScoreSheetWorkflow(Workflow):
    name = "competitions.sheet"
    model = ScoreSheet
    event_model = ScoreSheetEvent
    states = S
    initial = (S.DRAFT,)
    person_field = None
    noun = gettext_lazy("评分表")
    path = (S.DRAFT, S.SUBMITTED)
    tones = {"submitted": "success"}
    relation_labels = {JUDGE: gettext_lazy("评委"), CHIEF: gettext_lazy("评委会主任")}
    steps = (
        Step.of("submit", S.DRAFT, S.SUBMITTED, gettext_lazy("提交评分"), relations={JUDGE}, stamps=("submitted_at",)),
    )

    @classmethod
    def relations(cls, obj, actor) -> set[str]:
        return sheet_relations(obj, actor)


CompetitionRulesWorkflow = edition_workflow(
    CompetitionRules, CompetitionRulesEvent, permission="competitions.adopt_competitionrules"
)
