"""The deliberation's workflows (DOMAIN §3.5): every status change goes through core's
`transition` with one of these tables.

- DeliberationWorkflow: drafting → open_for_opinions → summarising → awaiting_response →
  responded → drafting (the next version) or voting → adopted / rejected.
- DraftVersionWorkflow: a version is drafted, then published (and never changes again).
- OpinionGroupWorkflow: the drafting unit's answer to a group of opinions.
- VoteRulesWorkflow: the session's vote rules, a core rule edition.

Who takes a step is a relation to the deliberation: "office" (the union office, the
congress's working body), "presidium" (a member of the session's presidium) and "unit"
(an officer of the drafting unit).
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gonghui.accounts.access import get_access
from gonghui.accounts.roles import Role
from gonghui.core.editions import edition_workflow
from gonghui.core.workflow import SYSTEM, Attempt, Step, Workflow, workflow_register
from gonghui.deliberations.choices import AnswerStatus as A
from gonghui.deliberations.choices import DeliberationStatus as S
from gonghui.deliberations.choices import VersionStatus
from gonghui.deliberations.models import (
    Deliberation,
    DeliberationEvent,
    DraftVersion,
    DraftVersionEvent,
    OpinionGroup,
    OpinionGroupEvent,
    VoteRules,
    VoteRulesEvent,
)

OFFICE, PRESIDIUM, UNIT = "office", "presidium", "unit"


def deliberation_relations(deliberation: Deliberation, actor) -> set[str]:
    from gonghui.congress.selectors import is_presidium_member

    access = get_access(actor)
    relations = set()
    if access.writes_everything:
        relations |= {OFFICE, PRESIDIUM, UNIT}
    if access.person_id and is_presidium_member(person_id=access.person_id, session=deliberation.session):
        relations.add(PRESIDIUM)
    if Role.HANDLING_UNIT_OFFICER in access.roles and deliberation.drafting_unit_id in access.unit_ids:
        relations.add(UNIT)
    return relations


def unanswered_count(deliberation: Deliberation) -> int:
    return OpinionGroup.objects.filter(round__deliberation=deliberation, status=A.PENDING).count()


def _has_published_version(attempt: Attempt) -> str | None:
    if not attempt.obj.versions.filter(status=VersionStatus.PUBLISHED).exists():
        return _("还没有发布的稿本：请先发布一稿。")
    return None


def _every_opinion_answered(attempt: Attempt) -> str | None:
    pending = unanswered_count(attempt.obj)
    if pending:
        return _("还有 %(n)s 条（组）意见未答复：每条意见都须答复后才能继续。") % {"n": pending}
    return None


def _step(name, sources, target, label, relations, **kwargs) -> Step:
    return Step.of(name, sources, target, label, relations=set(relations), **kwargs)


@workflow_register
class DeliberationWorkflow(Workflow):
    name = "deliberations.deliberation"
    model = Deliberation
    event_model = DeliberationEvent
    states = S
    initial = (S.DRAFTING,)
    person_field = None
    noun = gettext_lazy("专题审议")
    path = (S.DRAFTING, S.OPEN, S.SUMMARISING, S.AWAITING_RESPONSE, S.RESPONDED, S.VOTING, S.ADOPTED)
    tones = {
        "open_for_opinions": "action",
        "summarising": "info",
        "awaiting_response": "waiting",
        "responded": "success",
        "voting": "info",
        "adopted": "success",
    }
    relation_labels = {
        OFFICE: gettext_lazy("校工会"),
        PRESIDIUM: gettext_lazy("大会主席团"),
        UNIT: gettext_lazy("起草单位"),
    }
    steps = (
        _step(
            "open_round",
            S.DRAFTING,
            S.OPEN,
            gettext_lazy("发布征求意见"),
            {OFFICE},
            guards=(_has_published_version,),
        ),
        _step("close_round", S.OPEN, S.SUMMARISING, gettext_lazy("截止收集意见"), {OFFICE, SYSTEM}),
        _step("send", S.SUMMARISING, S.AWAITING_RESPONSE, gettext_lazy("汇总送起草单位"), {OFFICE}),
        _step(
            "respond",
            S.AWAITING_RESPONSE,
            S.RESPONDED,
            gettext_lazy("发布答复"),
            {UNIT, OFFICE},
            guards=(_every_opinion_answered,),
        ),
        _step("revise", S.RESPONDED, S.DRAFTING, gettext_lazy("起草新稿"), {OFFICE, UNIT}),
        _step(
            "put_to_vote",
            (S.DRAFTING, S.RESPONDED),
            S.VOTING,
            gettext_lazy("提交大会表决"),
            {OFFICE, PRESIDIUM},
            guards=(_has_published_version, _every_opinion_answered),
        ),
        _step("adopt", S.VOTING, S.ADOPTED, gettext_lazy("表决通过"), {OFFICE, PRESIDIUM}, stamps=("decided_at",)),
        _step("reject", S.VOTING, S.REJECTED, gettext_lazy("表决未通过"), {OFFICE, PRESIDIUM}, stamps=("decided_at",)),
        _step("redraft", S.REJECTED, S.DRAFTING, gettext_lazy("修改后重新起草"), {OFFICE, UNIT}),
    )

    @classmethod
    def relations(cls, obj, actor) -> set[str]:
        return deliberation_relations(obj, actor)

    @classmethod
    def effects(cls, obj, event, actor) -> None:
        from gonghui.deliberations.services import notices

        notices.deliberation_step_tell(obj, event, actor)


def _version_has_articles(attempt: Attempt) -> str | None:
    if not attempt.obj.articles.exists():
        return _("这一稿没有条款，不能发布。")
    return None


def _previous_round_answered(attempt: Attempt) -> str | None:
    deliberation = attempt.obj.deliberation
    pending = unanswered_count(deliberation)
    if pending:
        return _("上一轮还有 %(n)s 条（组）意见未答复，不能发布新稿。") % {"n": pending}
    if deliberation.status not in (S.DRAFTING, S.RESPONDED, S.REJECTED):
        return _("专题审议当前为“%(status)s”：本轮意见答复发布后才能发布新稿。") % {
            "status": deliberation.get_status_display()
        }
    return None


@workflow_register
class DraftVersionWorkflow(Workflow):
    name = "deliberations.draftversion"
    model = DraftVersion
    event_model = DraftVersionEvent
    states = VersionStatus
    initial = (VersionStatus.DRAFT,)
    person_field = None
    noun = gettext_lazy("稿本")
    path = (VersionStatus.DRAFT, VersionStatus.PUBLISHED)
    tones = {"published": "success"}
    relation_labels = {OFFICE: gettext_lazy("校工会"), UNIT: gettext_lazy("起草单位")}
    steps = (
        _step(
            "publish",
            VersionStatus.DRAFT,
            VersionStatus.PUBLISHED,
            gettext_lazy("发布"),
            {OFFICE, UNIT},
            guards=(_version_has_articles, _previous_round_answered),
            stamps=("published_at",),
        ),
    )

    @classmethod
    def relations(cls, obj, actor) -> set[str]:
        return deliberation_relations(obj.deliberation, actor) & {OFFICE, UNIT}


def _while_awaiting(attempt: Attempt) -> str | None:
    deliberation = attempt.obj.round.deliberation
    if deliberation.status != S.AWAITING_RESPONSE:
        return _("答复已发布或尚未送达起草单位（当前：%(status)s），不能再修改答复。") % {
            "status": deliberation.get_status_display()
        }
    return None


def _reason_unless_adopted(attempt: Attempt) -> str | None:
    if not attempt.message:
        return _("部分采纳或不采纳的意见须说明理由。")
    return None


def _answer_sources(target: str) -> tuple[str, ...]:
    """Any other answer may become `target` until the answers are published (keeping the same
    answer with another reason is not a change of state: services/answers.py)."""
    return tuple(state for state in (A.PENDING, A.ADOPTED, A.PARTLY, A.NOT_ADOPTED) if state != target)


@workflow_register
class OpinionGroupWorkflow(Workflow):
    name = "deliberations.opiniongroup"
    model = OpinionGroup
    event_model = OpinionGroupEvent
    states = A
    initial = (A.PENDING,)
    person_field = None
    noun = gettext_lazy("意见")
    path = (A.PENDING, A.ADOPTED)
    tones = {"adopted": "success", "partly_adopted": "info", "not_adopted": "neutral"}
    relation_labels = {UNIT: gettext_lazy("起草单位"), OFFICE: gettext_lazy("校工会")}
    steps = (
        _step(
            "adopt",
            _answer_sources(A.ADOPTED),
            A.ADOPTED,
            gettext_lazy("采纳"),
            {UNIT, OFFICE},
            guards=(_while_awaiting,),
            stamps=("answered_at",),
        ),
        _step(
            "adopt_partly",
            _answer_sources(A.PARTLY),
            A.PARTLY,
            gettext_lazy("部分采纳"),
            {UNIT, OFFICE},
            guards=(_while_awaiting, _reason_unless_adopted),
            stamps=("answered_at",),
        ),
        _step(
            "not_adopt",
            _answer_sources(A.NOT_ADOPTED),
            A.NOT_ADOPTED,
            gettext_lazy("不采纳"),
            {UNIT, OFFICE},
            guards=(_while_awaiting, _reason_unless_adopted),
            stamps=("answered_at",),
        ),
    )

    @classmethod
    def relations(cls, obj, actor) -> set[str]:
        return deliberation_relations(obj.round.deliberation, actor) & {OFFICE, UNIT}


VoteRulesWorkflow = edition_workflow(VoteRules, VoteRulesEvent, permission="deliberations.change_voterules")
