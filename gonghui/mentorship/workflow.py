"""Mentorship's workflows (DOMAIN §3.8): every status change goes through core's `transition`.

- CohortWorkflow: draft → matching (candidates, proposals, matchings) → running (the
  ceremony; agreed pairs become active) → assessing (the cycle has ended) → closed (every pair
  has its final grade). A cohort older than the system goes draft → closed once recorded.
- PairWorkflow: proposed → agreed (agreement signed and its scan uploaded) → active (the
  cohort runs) → passed / basically_passed / extended / failed / not_assessed at the end of the
  cycle; basically_passed and extended → passed / failed after the extension. A pair may end
  early (the mentee left, or a mentor change, which starts another pair); a proposal may be
  withdrawn.
- DutyLogWorkflow: logged → confirmed, or returned with a reason, by the college.
- MatchingRunWorkflow: proposed → confirmed (the pairs are proposed) or discarded.
- StipendBatchWorkflow: prepared → paid (the ledger entries are written).
- MentorshipRulesWorkflow: the rules, a core rule edition.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from gonghui.accounts.access import get_access
from gonghui.accounts.roles import Role
from gonghui.core.editions import EditionStatus, edition_workflow
from gonghui.core.workflow import SYSTEM, Attempt, Step, Workflow, workflow_register
from gonghui.mentorship.choices import CohortStatus as C
from gonghui.mentorship.choices import DutyStatus as D
from gonghui.mentorship.choices import MatchingStatus as M
from gonghui.mentorship.choices import PairStatus as P
from gonghui.mentorship.choices import StipendBatchStatus as B
from gonghui.mentorship.models import (
    Cohort,
    CohortEvent,
    DutyLog,
    DutyLogEvent,
    MatchingRun,
    MatchingRunEvent,
    MentorshipRules,
    MentorshipRulesEvent,
    Pair,
    PairEvent,
    StipendBatch,
    StipendBatchEvent,
)

OFFICE, COLLEGE, MENTOR, MENTEE = "office", "college", "mentor", "mentee"

by_office = Step.by("mentorship.manage_cohort")

# The states a pair ends in: nothing more happens to it.
FINAL_PAIR_STATUSES = (P.PASSED, P.FAILED, P.NOT_ASSESSED, P.ENDED_EARLY, P.WITHDRAWN)


def _date(value) -> str:
    return _("%(y)s年%(m)s月%(d)s日") % {"y": value.year, "m": value.month, "d": value.day}


def _rules_adopted(attempt: Attempt) -> str | None:
    if attempt.obj.rules.status == EditionStatus.DRAFT:
        return _("本期的实施办法尚未通过，不能开始结对。")
    return None


def _has_agreed_pairs(attempt: Attempt) -> str | None:
    if not attempt.obj.pairs.filter(status=P.AGREED).exists():
        return _("还没有签订协议的师徒，不能启动培养。")
    return None


def cycle_not_over(cohort: Cohort) -> str | None:
    """Why nothing of the end-of-cycle assessment may happen yet, if so."""
    if timezone.localdate() < cohort.ends_on:
        return _("培养期至 %(date)s 结束，期满后才能考核。") % {"date": _date(cohort.ends_on)}
    return None


def _cycle_over(attempt: Attempt) -> str | None:
    return cycle_not_over(attempt.obj if isinstance(attempt.obj, Cohort) else attempt.obj.cohort)


def _all_pairs_final(attempt: Attempt) -> str | None:
    waiting = attempt.obj.pairs.exclude(status__in=FINAL_PAIR_STATUSES).count()
    if waiting:
        return _("还有 %(count)s 对师徒未完成考核，不能结束本期。") % {"count": waiting}
    return None


def _recorded(attempt: Attempt) -> str | None:
    cohort = attempt.obj
    if cohort.pairs_recorded is None:
        return _("请先填写档案记载的结对数。")
    if timezone.localdate() < cohort.ends_on:
        return _("培养期至 %(date)s 结束，期满后才能按档案录入。") % {"date": _date(cohort.ends_on)}
    return None


def _agreement_signed(attempt: Attempt) -> str | None:
    pair = attempt.obj
    signed_on = attempt.values.get("agreement_signed_on", pair.agreement_signed_on)
    agreement = attempt.values.get("agreement", pair.agreement)
    if signed_on is None:
        return _("请填写协议签订日期。")
    if agreement is None:
        return _("请上传签字的拜师协议扫描件。")
    if signed_on > timezone.localdate():
        return _("协议签订日期不能晚于今天。")
    return None


def _cohort_running(attempt: Attempt) -> str | None:
    if attempt.obj.cohort.status != C.RUNNING:
        return _("本期尚未启动培养。")
    return None


def _extension_over(attempt: Attempt) -> str | None:
    until = attempt.obj.extended_until
    if until is not None and timezone.localdate() < until:
        return _("延期考核期至 %(date)s，期满后才能再次考核。") % {"date": _date(until)}
    return None


def _office(actor) -> set[str]:
    return {OFFICE} if get_access(actor).writes_everything else set()


@workflow_register
class CohortWorkflow(Workflow):
    name = "mentorship.cohort"
    model = Cohort
    event_model = CohortEvent
    states = C
    initial = (C.DRAFT,)
    person_field = None
    noun = gettext_lazy("拜师结对期次")
    path = (C.DRAFT, C.MATCHING, C.RUNNING, C.ASSESSING, C.CLOSED)
    tones = {"matching": "action", "running": "info", "assessing": "waiting", "closed": "success"}
    relation_labels = {OFFICE: gettext_lazy("校工会")}
    steps = (
        by_office("open_matching", C.DRAFT, C.MATCHING, gettext_lazy("开始结对"), guards=(_rules_adopted,)),
        by_office("start", C.MATCHING, C.RUNNING, gettext_lazy("启动培养"), guards=(_has_agreed_pairs,)),
        Step.of(
            "open_assessment",
            C.RUNNING,
            C.ASSESSING,
            gettext_lazy("开始考核"),
            permission="mentorship.manage_cohort",
            relations={SYSTEM},
            guards=(_cycle_over,),
        ),
        by_office("close", C.ASSESSING, C.CLOSED, gettext_lazy("结束本期"), guards=(_all_pairs_final,)),
        by_office("record", C.DRAFT, C.CLOSED, gettext_lazy("按档案录入"), guards=(_recorded,)),
    )

    @classmethod
    def relations(cls, obj, actor) -> set[str]:
        return _office(actor)


def pair_relations(pair: Pair, actor) -> set[str]:
    access = get_access(actor)
    relations = _office(actor)
    if access.person_id:
        if access.person_id == pair.mentor_id:
            relations.add(MENTOR)
        if access.person_id == pair.mentee_id:
            relations.add(MENTEE)
    if Role.SUB_UNION_OFFICER in access.roles and pair.college_id in access.sub_union_ids:
        relations.add(COLLEGE)
    return relations


_assess = Step.by("mentorship.manage_cohort", guards=(_cycle_over,))
_reassess = Step.by("mentorship.manage_cohort", guards=(_extension_over,))


@workflow_register
class PairWorkflow(Workflow):
    name = "mentorship.pair"
    model = Pair
    event_model = PairEvent
    states = P
    initial = (P.PROPOSED,)
    person_field = "mentee_id"
    noun = gettext_lazy("师徒结对")
    path = (P.PROPOSED, P.AGREED, P.ACTIVE, P.PASSED)
    tones = {
        "agreed": "info",
        "active": "action",
        "passed": "success",
        "basically_passed": "waiting",
        "extended": "waiting",
        "failed": "danger",
        "not_assessed": "neutral",
        "ended_early": "neutral",
        "withdrawn": "neutral",
    }
    relation_labels = {
        OFFICE: gettext_lazy("校工会"),
        COLLEGE: gettext_lazy("学院分工会"),
        MENTOR: pgettext_lazy("mentorship", "指导教师"),
        MENTEE: pgettext_lazy("mentorship", "青年教师"),
    }
    steps = (
        Step.of(
            "withdraw",
            P.PROPOSED,
            P.WITHDRAWN,
            gettext_lazy("撤回推荐"),
            relations={OFFICE, COLLEGE},
            message_required=True,
        ),
        Step.of(
            "agree",
            P.PROPOSED,
            P.AGREED,
            gettext_lazy("签订协议"),
            relations={OFFICE, COLLEGE},
            guards=(_agreement_signed,),
            stamps=("agreed_at",),
        ),
        Step.of(
            "activate",
            P.AGREED,
            P.ACTIVE,
            gettext_lazy("开始培养"),
            relations={OFFICE, SYSTEM},
            guards=(_cohort_running,),
        ),
        _assess("pass", P.ACTIVE, P.PASSED, gettext_lazy("考核合格")),
        _assess("pass_basically", P.ACTIVE, P.BASICALLY_PASSED, gettext_lazy("考核基本合格")),
        _assess("extend", P.ACTIVE, P.EXTENDED, gettext_lazy("延期考核")),
        _assess("fail", P.ACTIVE, P.FAILED, gettext_lazy("考核不合格")),
        _assess("not_assess", P.ACTIVE, P.NOT_ASSESSED, gettext_lazy("不予考核"), message_required=True),
        _reassess("pass_after_extension", (P.BASICALLY_PASSED, P.EXTENDED), P.PASSED, gettext_lazy("延期考核合格")),
        _reassess("fail_after_extension", (P.BASICALLY_PASSED, P.EXTENDED), P.FAILED, gettext_lazy("延期考核不合格")),
        Step.of(
            "end_early",
            (P.AGREED, P.ACTIVE),
            P.ENDED_EARLY,
            gettext_lazy("提前结束"),
            relations={OFFICE, COLLEGE},
            message_required=True,
        ),
    )

    @classmethod
    def relations(cls, obj, actor) -> set[str]:
        return pair_relations(obj, actor)

    @classmethod
    def effects(cls, obj, event, actor) -> None:
        from gonghui.mentorship.services.notices import pair_step_notify

        pair_step_notify(obj, event)


def duty_relations(duty: DutyLog, actor) -> set[str]:
    access = get_access(actor)
    relations = _office(actor)
    if Role.SUB_UNION_OFFICER in access.roles and duty.pair.college_id in access.sub_union_ids:
        relations.add(COLLEGE)
    return relations


@workflow_register
class DutyLogWorkflow(Workflow):
    name = "mentorship.duty"
    model = DutyLog
    event_model = DutyLogEvent
    states = D
    initial = (D.LOGGED,)
    person_field = "logged_by_id"
    noun = gettext_lazy("履职记录")
    path = (D.LOGGED, D.CONFIRMED)
    tones = {"confirmed": "success", "returned": "danger"}
    relation_labels = {OFFICE: gettext_lazy("校工会"), COLLEGE: gettext_lazy("学院分工会")}
    steps = (
        Step.of(
            "confirm",
            D.LOGGED,
            D.CONFIRMED,
            gettext_lazy("确认"),
            relations={OFFICE, COLLEGE},
            stamps=("confirmed_at",),
        ),
        Step.of(
            "return",
            D.LOGGED,
            D.RETURNED,
            gettext_lazy("退回"),
            relations={OFFICE, COLLEGE},
            message_required=True,
        ),
    )

    @classmethod
    def relations(cls, obj, actor) -> set[str]:
        return duty_relations(obj, actor)

    @classmethod
    def effects(cls, obj, event, actor) -> None:
        from gonghui.mentorship.services.notices import duty_returned_notify

        if event.to_state == D.RETURNED:
            duty_returned_notify(obj, event)


@workflow_register
class MatchingRunWorkflow(Workflow):
    name = "mentorship.matching"
    model = MatchingRun
    event_model = MatchingRunEvent
    states = M
    initial = (M.PROPOSED,)
    person_field = None
    noun = gettext_lazy("匹配方案")
    path = (M.PROPOSED, M.CONFIRMED)
    tones = {"confirmed": "success", "discarded": "neutral"}
    relation_labels = {OFFICE: gettext_lazy("校工会")}
    steps = (
        by_office("confirm", M.PROPOSED, M.CONFIRMED, gettext_lazy("确认匹配方案")),
        by_office("discard", M.PROPOSED, M.DISCARDED, gettext_lazy("放弃匹配方案")),
    )


@workflow_register
class StipendBatchWorkflow(Workflow):
    name = "mentorship.stipend_batch"
    model = StipendBatch
    event_model = StipendBatchEvent
    states = B
    initial = (B.PREPARED,)
    person_field = None
    noun = gettext_lazy("津贴发放批次")
    path = (B.PREPARED, B.PAID)
    tones = {"paid": "success"}
    steps = (Step.of("pay", B.PREPARED, B.PAID, gettext_lazy("标记已发放"), permission="mentorship.pay_stipend"),)


MentorshipRulesWorkflow = edition_workflow(
    MentorshipRules, MentorshipRulesEvent, permission="mentorship.adopt_mentorshiprules"
)
