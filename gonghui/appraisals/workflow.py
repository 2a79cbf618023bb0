"""The appraisal's workflows (DOMAIN §3.6): every status change goes through core's `transition`.

- AppraisalRoundWorkflow: draft → reports_published → voting_open → voting_closed → tallied →
  released. The union office ("office") runs the round; the system actor opens and closes it
  at its times; only the organisation department ("organisation") releases the results.
- AppraisalRulesWorkflow: the year's rules, a core rule edition.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gonghui.accounts.access import get_access
from gonghui.appraisals.choices import RoundStatus as S
from gonghui.appraisals.models import (
    AppraisalRound,
    AppraisalRoundEvent,
    AppraisalRules,
    AppraisalRulesEvent,
    reads_results,
)
from gonghui.core.editions import edition_workflow
from gonghui.core.workflow import SYSTEM, Attempt, Step, Workflow, workflow_register

OFFICE, ORGANISATION = "office", "organisation"


def round_relations(appraisal_round: AppraisalRound, actor) -> set[str]:
    access = get_access(actor)
    relations = set()
    if access.writes_everything:
        relations.add(OFFICE)
    if reads_results(access):
        relations.add(ORGANISATION)
    return relations


def _ready_to_publish(attempt: Attempt) -> str | None:
    from gonghui.appraisals.selectors.rounds import round_setup_problems

    problems = round_setup_problems(attempt.obj)
    return "；".join(problems) if problems else None


def _reports_out_long_enough(attempt: Attempt) -> str | None:
    appraisal_round = attempt.obj
    days = appraisal_round.rules.report_days
    published = appraisal_round.reports_published_at
    now = timezone.now()
    if now < appraisal_round.opens_at:
        return _("投票开始时间（%(at)s）未到。") % {
            "at": timezone.localtime(appraisal_round.opens_at).strftime("%Y-%m-%d %H:%M")
        }
    if published is None or published + datetime.timedelta(days=days) > now:
        return _("述职报告须在投票前 %(days)s 天公开：现在还不能开始投票。") % {"days": days}
    return None


def _not_before_closing_time(attempt: Attempt) -> str | None:
    if attempt.actor is not None and SYSTEM in AppraisalRoundWorkflow.actor_relations(attempt.obj, attempt.actor):
        if timezone.now() < attempt.obj.closes_at:
            return _("投票截止时间未到。")
    return None


def _paper_counted(attempt: Attempt) -> str | None:
    from gonghui.appraisals.selectors.paper import paper_uncounted

    waiting = paper_uncounted(attempt.obj)
    if waiting:
        return _("以下单位的纸质选票两位计票人尚未核对一致：%(units)s。") % {"units": "、".join(waiting)}
    return None


def _step(name, sources, target, label, relations, **kwargs) -> Step:
    return Step.of(name, sources, target, label, relations=set(relations), **kwargs)


@workflow_register
class AppraisalRoundWorkflow(Workflow):
    name = "appraisals.round"
    model = AppraisalRound
    event_model = AppraisalRoundEvent
    states = S
    initial = (S.DRAFT,)
    person_field = None
    noun = gettext_lazy("干部民主测评")
    path = (S.DRAFT, S.REPORTS_PUBLISHED, S.VOTING_OPEN, S.VOTING_CLOSED, S.TALLIED, S.RELEASED)
    tones = {
        "reports_published": "info",
        "voting_open": "action",
        "voting_closed": "waiting",
        "tallied": "info",
        "released": "success",
    }
    relation_labels = {OFFICE: gettext_lazy("校工会"), ORGANISATION: gettext_lazy("党委组织部")}
    steps = (
        _step(
            "publish_reports",
            S.DRAFT,
            S.REPORTS_PUBLISHED,
            gettext_lazy("公开述职报告"),
            {OFFICE},
            guards=(_ready_to_publish,),
            stamps=("reports_published_at",),
        ),
        _step(
            "open_voting",
            S.REPORTS_PUBLISHED,
            S.VOTING_OPEN,
            gettext_lazy("开始投票"),
            {OFFICE, SYSTEM},
            guards=(_reports_out_long_enough,),
            stamps=("voting_opened_at",),
        ),
        _step(
            "close_voting",
            S.VOTING_OPEN,
            S.VOTING_CLOSED,
            gettext_lazy("截止投票"),
            {OFFICE, SYSTEM},
            guards=(_not_before_closing_time,),
            stamps=("voting_closed_at",),
        ),
        _step(
            "tally",
            S.VOTING_CLOSED,
            S.TALLIED,
            gettext_lazy("计票"),
            {OFFICE, SYSTEM},
            guards=(_paper_counted,),
            stamps=("tallied_at",),
        ),
        _step("release", S.TALLIED, S.RELEASED, gettext_lazy("启封结果"), {ORGANISATION}, stamps=("released_at",)),
    )

    @classmethod
    def relations(cls, obj, actor) -> set[str]:
        return round_relations(obj, actor)


AppraisalRulesWorkflow = edition_workflow(
    AppraisalRules, AppraisalRulesEvent, permission="appraisals.adopt_appraisalrules"
)
