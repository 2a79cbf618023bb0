"""Candidates and pairs: a college names its new teachers and possible mentors, proposes
pairs by hand (every hard rule checked, every refusal explained), signs the agreement with
its scan, writes the development plan; a pair may end early or change its mentor, which keeps
the time the mentee has accumulated."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.accounts.access import get_access
from gonghui.accounts.roles import Role
from gonghui.attachments.services import attachment_store
from gonghui.core.exceptions import ApplicationError
from gonghui.core.history import AuditAction
from gonghui.core.service_kit import audit, create_or_refuse
from gonghui.core.workflow import transition
from gonghui.mentorship.choices import AGREEMENT_PURPOSE, CohortStatus, PairSource, PairStatus, Side
from gonghui.mentorship.models import Candidate, Cohort, Pair
from gonghui.mentorship.selectors.eligibility import mentee_checks, mentor_checks
from gonghui.mentorship.workflow import COLLEGE, OFFICE, PairWorkflow
from gonghui.people.models import Person

# A cohort takes candidates and proposals while it is being matched, and proposals (a late
# hire, a mentor change) while it runs.
PROPOSING = (CohortStatus.MATCHING, CohortStatus.RUNNING)


def _may_act_for(actor, person: Person) -> None:
    """The office acts for anyone; a college's officer for their college's teachers."""
    access = get_access(actor)
    if access.writes_everything:
        return
    if Role.SUB_UNION_OFFICER in access.roles and person.sub_union_id in access.sub_union_ids:
        return
    raise PermissionDenied(_("只能为本单位的教师办理。"))


def _open(cohort: Cohort, states=PROPOSING) -> None:
    if cohort.status not in states:
        raise ApplicationError(
            _("%(cohort)s当前为“%(status)s”，不能办理。")
            % {"cohort": cohort.name, "status": cohort.get_status_display()}
        )


@transaction.atomic
def candidate_add(*, actor, cohort: Cohort, person: Person, side: str) -> Candidate:
    """Name a teacher for the cohort's matching, on one side; refused with every reason the
    rules give (a new teacher over the age, a mentor below the title …)."""
    _may_act_for(actor, person)
    _open(cohort, (CohortStatus.MATCHING,))
    if side not in Side.values:
        raise ApplicationError(_("请选择身份。"), extra={"field": "side"})
    checks = mentor_checks if side == Side.MENTOR else mentee_checks
    (check,) = checks(cohort, [person])
    # A mentor at their limit may still be named (they may take someone after a change).
    reasons = [r for r in check.reasons if side == Side.MENTEE or check.places or "上限" not in r]
    if reasons:
        raise ApplicationError(
            _("%(name)s不能作为%(side)s：%(reasons)s")
            % {"name": person.name, "side": Side(side).label, "reasons": "".join(reasons)},
            extra={"reasons": reasons},
        )
    refusal = ApplicationError(_("%(name)s已在本期名单中。") % {"name": person.name})
    if Candidate.objects.filter(cohort=cohort, person=person, side=side).exists():
        raise refusal
    candidate = create_or_refuse(
        Candidate, refusal, cohort=cohort, person=person, side=side, college_id=person.sub_union_id, added_by=actor
    )
    audit(
        actor,
        candidate,
        AuditAction.CREATED,
        _("%(name)s报名%(cohort)s（%(side)s）")
        % {"name": person.name, "cohort": cohort.name, "side": Side(side).label},
        person_id=person.pk,
    )
    return candidate


@transaction.atomic
def candidate_remove(*, actor, candidate: Candidate) -> None:
    _may_act_for(actor, candidate.person)
    _open(candidate.cohort, (CohortStatus.MATCHING,))
    audit(
        actor,
        candidate,
        AuditAction.DELETED,
        _("%(name)s退出%(cohort)s的名单") % {"name": candidate.person.name, "cohort": candidate.cohort.name},
        person_id=candidate.person_id,
    )
    candidate.delete()


@transaction.atomic
def candidate_rank(*, actor, candidate: Candidate, ranking: list[int]) -> Candidate:
    """双向选择: a candidate (or their college for them) ranks the other side's candidates."""
    access = get_access(actor)
    if access.person_id != candidate.person_id:
        _may_act_for(actor, candidate.person)
    _open(candidate.cohort, (CohortStatus.MATCHING,))
    other = Side.MENTOR if candidate.side == Side.MENTEE else Side.MENTEE
    allowed = set(Candidate.objects.filter(cohort=candidate.cohort, side=other).values_list("person_id", flat=True))
    ranking = list(dict.fromkeys(int(x) for x in ranking))
    unknown = [x for x in ranking if x not in allowed or x == candidate.person_id]
    if unknown:
        raise ApplicationError(_("志愿中有不在本期名单中的教师。"), extra={"field": "ranking"})
    if not ranking:
        raise ApplicationError(_("请至少填报一个志愿。"), extra={"field": "ranking"})
    candidate.ranking = ranking
    candidate.ranked_at = timezone.now()
    candidate.save(update_fields=["ranking", "ranked_at", "updated_at"])
    audit(
        actor,
        candidate,
        AuditAction.UPDATED,
        _("填报志愿：%(count)s 个") % {"count": len(ranking)},
        person_id=candidate.person_id,
    )
    return candidate


def pair_problems(cohort: Cohort, mentor: Person, mentee: Person, *, ignore_pair: Pair | None = None) -> list[str]:
    """Every hard rule the pair would break."""
    problems = []
    if mentor.pk == mentee.pk:
        return [_("指导教师和青年教师不能是同一人。")]
    (mentor_check,) = mentor_checks(cohort, [mentor])
    if ignore_pair is not None and ignore_pair.mentor_id == mentor.pk:
        mentor_check.reasons = [r for r in mentor_check.reasons if "上限" not in r]
    problems += [_("指导教师%(name)s：%(reason)s") % {"name": mentor.name, "reason": r} for r in mentor_check.reasons]
    (mentee_check,) = mentee_checks(cohort, [mentee])
    if ignore_pair is not None:
        mentee_check.reasons = [r for r in mentee_check.reasons if r != _("本期已有结对。")]
    problems += [_("青年教师%(name)s：%(reason)s") % {"name": mentee.name, "reason": r} for r in mentee_check.reasons]
    if cohort.rules.same_discipline:
        a = getattr(mentor_check.profile, "discipline", "")
        b = getattr(mentee_check.profile, "discipline", "")
        if not a or a != b:
            problems.append(
                _("学科不同：指导教师为%(a)s，青年教师为%(b)s。") % {"a": a or _("未填"), "b": b or _("未填")}
            )
    return problems


def _refuse_pair(problems: list[str]) -> ApplicationError:
    return ApplicationError(_("不能结对：%(problems)s") % {"problems": "".join(problems)}, extra={"reasons": problems})


def _pair_create(
    *, actor, cohort: Cohort, mentor: Person, mentee: Person, source: str, reasons: list[str], **fields
) -> Pair:
    refusal = ApplicationError(_("%(name)s本期已有结对。") % {"name": mentee.name})
    pair = create_or_refuse(
        Pair,
        refusal,
        cohort=cohort,
        mentor=mentor,
        mentee=mentee,
        college_id=mentee.sub_union_id,
        source=source,
        reasons=reasons,
        proposed_by=actor,
        **fields,
    )
    audit(
        actor,
        pair,
        AuditAction.CREATED,
        _("推荐结对：%(mentor)s 指导 %(mentee)s（%(source)s）")
        % {"mentor": mentor.name, "mentee": mentee.name, "source": PairSource(source).label},
        person_id=mentee.pk,
    )
    return pair


@transaction.atomic
def pair_propose(
    *,
    actor,
    cohort: Cohort,
    mentor: Person,
    mentee: Person,
    reasons: list[str] | None = None,
    source: str = PairSource.COLLEGE,
) -> Pair:
    """A pair proposed by the college (or the office), under every hard rule of the cohort."""
    _may_act_for(actor, mentee)
    cohort = Cohort.objects.select_for_update().select_related("rules").get(pk=cohort.pk)
    _open(cohort)
    # Serialise proposals for the same mentor, so two at once cannot both take their last place.
    Person.objects.select_for_update().filter(pk=mentor.pk).first()
    problems = pair_problems(cohort, mentor, mentee)
    if problems:
        raise _refuse_pair(problems)
    return _pair_create(
        actor=actor, cohort=cohort, mentor=mentor, mentee=mentee, source=source, reasons=list(reasons or [])
    )


@transaction.atomic
def pair_withdraw(*, actor, pair: Pair, reason: str) -> Pair:
    return transition(PairWorkflow, pair, step="withdraw", actor=actor, message=reason)


@transaction.atomic
def pair_agree(*, actor, pair: Pair, signed_on: datetime.date, uploaded_file=None, plan: str | None = None) -> Pair:
    """The agreement is signed: its date and scan. In a running cohort the pair starts at once."""
    attachment = pair.agreement
    if uploaded_file is not None:
        if not PairWorkflow.actor_relations(pair, actor) & {OFFICE, COLLEGE}:
            raise PermissionDenied
        if pair.status != PairStatus.PROPOSED:
            raise ApplicationError(_("协议已签订。"))
        attachment = attachment_store(
            uploaded_file=uploaded_file, uploaded_by=actor, owner_person=pair.mentee, purpose=AGREEMENT_PURPOSE
        )
    values: dict = {"agreement_signed_on": signed_on, "agreement": attachment}
    if plan is not None:
        values["plan"] = plan.strip()
    pair = transition(PairWorkflow, pair, step="agree", actor=actor, values=values)
    if pair.cohort.status == CohortStatus.RUNNING:
        pair = transition(
            PairWorkflow,
            pair,
            step="activate",
            actor=actor,
            check_actor=False,
            values={"started_on": max(signed_on, pair.cohort.starts_on)},
        )
    return pair


@transaction.atomic
def pair_plan_save(*, actor, pair: Pair, plan: str) -> Pair:
    """The individual development plan (个人发展计划), written by the pair or their college."""
    relations = PairWorkflow.actor_relations(pair, actor)
    if not relations:
        raise PermissionDenied
    if pair.status not in (PairStatus.PROPOSED, PairStatus.AGREED, PairStatus.ACTIVE):
        raise ApplicationError(_("结对已结束，不能再修改发展计划。"))
    before = pair.plan
    pair.plan = (plan or "").strip()
    pair.save(update_fields=["plan", "updated_at"])
    audit(
        actor,
        pair,
        AuditAction.UPDATED,
        _("修改个人发展计划"),
        person_id=pair.mentee_id,
        changes={"plan": [before, pair.plan]},
    )
    return pair


def pair_days(pair: Pair, on: datetime.date) -> int:
    """The days the mentee has been mentored in this pair up to `on`, with those carried."""
    if pair.started_on is None:
        return pair.carried_days
    end = min(on, pair.ended_on or on)
    return pair.carried_days + max((end - pair.started_on).days, 0)


@transaction.atomic
def pair_end_early(*, actor, pair: Pair, reason: str, on: datetime.date | None = None) -> Pair:
    on = on or timezone.localdate()
    return transition(PairWorkflow, pair, step="end_early", actor=actor, message=reason, values={"ended_on": on})


@transaction.atomic
def pair_change_mentor(*, actor, pair: Pair, mentor: Person, reason: str, on: datetime.date | None = None) -> Pair:
    """A new mentor for an active pair: this pair ends early; the new one starts the same day,
    carrying the mentee's accumulated days, and its duties count with the old pair's."""
    on = on or timezone.localdate()
    pair = Pair.objects.select_for_update().select_related("cohort__rules", "mentee").get(pk=pair.pk)
    if pair.status != PairStatus.ACTIVE:
        raise ApplicationError(_("只有培养中的结对可以更换指导教师。"))
    if mentor.pk == pair.mentor_id:
        raise ApplicationError(_("新指导教师与原指导教师相同。"), extra={"field": "mentor"})
    problems = pair_problems(pair.cohort, mentor, pair.mentee, ignore_pair=pair)
    if problems:
        raise _refuse_pair(problems)
    carried = pair_days(pair, on)
    reason = (reason or "").strip()
    ended = transition(
        PairWorkflow,
        pair,
        step="end_early",
        actor=actor,
        message=_("更换指导教师：%(reason)s") % {"reason": reason} if reason else "",
        values={"ended_on": on},
    )
    successor = _pair_create(
        actor=actor,
        cohort=pair.cohort,
        mentor=mentor,
        mentee=pair.mentee,
        source=PairSource.CHANGE,
        reasons=[_("更换指导教师（原指导教师：%(name)s）") % {"name": ended.mentor.name}],
        previous=ended,
        carried_days=carried,
        plan=ended.plan,
    )
    return successor
