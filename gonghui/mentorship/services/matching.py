"""The office's matching of a cohort: computed over the cohort's candidates without a pair
(an optimal assignment, or the stable matching of 双向选择), shown with each pair's reasons
and each unmatched teacher's why, edited, then confirmed (the pairs are proposed, all in one
transaction) or discarded. Nobody eligible is a report, not an error."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from gonghui.accounts.access import permission_require
from gonghui.core.exceptions import ApplicationError
from gonghui.core.history import AuditAction
from gonghui.core.service_kit import audit
from gonghui.core.workflow import transition
from gonghui.mentorship import matching
from gonghui.mentorship.choices import CohortStatus, MatchingStatus, MatchMethod, PairSource, Side
from gonghui.mentorship.models import Candidate, Cohort, MatchingRun, Pair
from gonghui.mentorship.selectors.eligibility import mentee_checks, mentor_checks
from gonghui.mentorship.services.pairs import _pair_create, pair_problems
from gonghui.mentorship.workflow import MatchingRunWorkflow
from gonghui.people.models import Person


def _teacher(check, college: str, ranking: list[int]) -> matching.Teacher:
    profile = check.profile
    return matching.Teacher(
        person_id=check.person.pk,
        name=check.person.name,
        college_id=check.person.sub_union_id,
        college=college,
        discipline=getattr(profile, "discipline", "") or "",
        research_field=getattr(profile, "research_field", "") or "",
        campus=getattr(profile, "campus", "") or "",
        load=check.load,
        places=check.places,
        ranking=tuple(ranking),
    )


def matching_inputs(cohort: Cohort):
    """The candidates as the matching sees them, and those the rules leave out, with why."""
    candidates = list(
        Candidate.objects.filter(cohort=cohort)
        .select_related("person", "person__sub_union")
        .order_by("side", "person__staff_no")
    )
    rankings = {(c.person_id, c.side): c.ranking for c in candidates}
    mentee_people = [c.person for c in candidates if c.side == Side.MENTEE]
    mentor_people = [c.person for c in candidates if c.side == Side.MENTOR]
    mentees, mentors, excluded = [], [], []
    for check in mentee_checks(cohort, mentee_people):
        if check.eligible:
            mentees.append(_teacher(check, check.person.sub_union.name, rankings[(check.person.pk, Side.MENTEE)]))
        elif check.reasons != [_("本期已有结对。")]:
            excluded.append(matching.Unmatched(check.person.pk, Side.MENTEE, tuple(check.reasons)))
    for check in mentor_checks(cohort, mentor_people):
        if check.eligible:
            mentors.append(_teacher(check, check.person.sub_union.name, rankings[(check.person.pk, Side.MENTOR)]))
        else:
            excluded.append(matching.Unmatched(check.person.pk, Side.MENTOR, tuple(check.reasons)))
    return mentees, mentors, excluded


def _row(pair: matching.MatchedPair) -> dict:
    return {"mentee": pair.mentee_id, "mentor": pair.mentor_id, "cost": pair.cost, "reasons": list(pair.reasons)}


def _unmatched_row(row: matching.Unmatched) -> dict:
    return {"person": row.person_id, "side": row.side, "reasons": list(row.reasons)}


@transaction.atomic
def matching_run(*, actor, cohort: Cohort, method: str) -> MatchingRun:
    """Compute a matching for the cohort's unpaired candidates and keep it as a proposal."""
    permission_require(actor, "mentorship.manage_cohort")
    if method not in MatchMethod.values:
        raise ApplicationError(_("请选择匹配方式。"), extra={"field": "method"})
    cohort = Cohort.objects.select_related("rules").get(pk=cohort.pk)
    if cohort.status != CohortStatus.MATCHING:
        raise ApplicationError(_("只有“结对中”的期次可以计算匹配。"))
    rules = cohort.rules
    mentees, mentors, excluded = matching_inputs(cohort)
    if method == MatchMethod.ASSIGNMENT:
        weights = matching.Weights(
            discipline=rules.weight_discipline,
            college=rules.weight_college,
            research_field=rules.weight_field,
            campus=rules.weight_campus,
            load=rules.weight_load,
        )
        result = matching.assignment(mentees, mentors, weights, same_discipline=rules.same_discipline)
    else:
        result = matching.stable(mentees, mentors, same_discipline=rules.same_discipline)
    run = MatchingRun.objects.create(
        cohort=cohort,
        method=method,
        proposal=[_row(p) for p in result.pairs],
        unmatched=[_unmatched_row(u) for u in (*excluded, *result.unmatched)],
        summary={
            "mentees": len(mentees),
            "mentors": len(mentors),
            "excluded": len(excluded),
            "pairs": len(result.pairs),
            "total_cost": result.total_cost,
        },
        created_by=actor,
    )
    audit(
        actor,
        run,
        AuditAction.CREATED,
        _("计算%(method)s：%(pairs)s 对，未匹配青年教师 %(left)s 人")
        % {
            "method": MatchMethod(method).label,
            "pairs": len(result.pairs),
            "left": sum(1 for u in run.unmatched if u["side"] == Side.MENTEE),
        },
    )
    return run


def _proposed(run: MatchingRun) -> MatchingRun:
    run = MatchingRun.objects.select_for_update().select_related("cohort__rules").get(pk=run.pk)
    if run.status != MatchingStatus.PROPOSED:
        raise ApplicationError(_("匹配方案已是“%(status)s”，不能再修改。") % {"status": run.get_status_display()})
    return run


@transaction.atomic
def matching_edit(*, actor, run: MatchingRun, mentee_id: int, mentor_id: int | None) -> MatchingRun:
    """Give a new teacher of the proposal another mentor (checked by the hard rules and the
    mentor's places in the proposal), or take them out of it (`mentor_id` None)."""
    permission_require(actor, "mentorship.manage_cohort")
    run = _proposed(run)
    proposal = [row for row in run.proposal if row["mentee"] != mentee_id]
    in_proposal = len(proposal) != len(run.proposal)
    candidates = set(
        Candidate.objects.filter(cohort=run.cohort, person_id=mentee_id, side=Side.MENTEE).values_list(
            "person_id", flat=True
        )
    )
    if not in_proposal and mentee_id not in candidates:
        raise ApplicationError(_("该青年教师不在本期名单中。"), extra={"field": "mentee"})
    unmatched = [row for row in run.unmatched if not (row["person"] == mentee_id and row["side"] == Side.MENTEE)]
    mentee = Person.objects.get(pk=mentee_id)
    if mentor_id is None:
        unmatched.append({"person": mentee_id, "side": Side.MENTEE, "reasons": [_("校工会调整：移出匹配方案")]})
        message = _("将%(mentee)s移出匹配方案") % {"mentee": mentee.name}
    else:
        if not Candidate.objects.filter(cohort=run.cohort, person_id=mentor_id, side=Side.MENTOR).exists():
            raise ApplicationError(_("该指导教师不在本期名单中。"), extra={"field": "mentor"})
        mentor = Person.objects.get(pk=mentor_id)
        problems = pair_problems(run.cohort, mentor, mentee)
        (check,) = mentor_checks(run.cohort, [mentor])
        taken = sum(1 for row in proposal if row["mentor"] == mentor_id)
        if taken >= check.places:
            problems.append(
                _("指导教师%(name)s在本方案中已带 %(taken)s 人，没有名额。") % {"name": mentor.name, "taken": taken}
            )
        if problems:
            raise ApplicationError(
                _("不能结对：%(problems)s") % {"problems": "".join(problems)}, extra={"reasons": problems}
            )
        proposal.append({"mentee": mentee_id, "mentor": mentor_id, "cost": None, "reasons": [_("校工会调整")]})
        unmatched = [row for row in unmatched if not (row["person"] == mentor_id and row["side"] == Side.MENTOR)]
        message = _("为%(mentee)s改配指导教师%(mentor)s") % {"mentee": mentee.name, "mentor": mentor.name}
    proposal.sort(key=lambda row: (row["mentee"], row["mentor"]))
    run.proposal, run.unmatched = proposal, unmatched
    run.summary = {**run.summary, "pairs": len(proposal), "edited": True}
    run.save(update_fields=["proposal", "unmatched", "summary", "updated_at"])
    MatchingRunWorkflow.record(run, "edit", actor, message=message)
    audit(actor, run, AuditAction.UPDATED, message)
    return run


@transaction.atomic
def matching_confirm(*, actor, run: MatchingRun) -> list[Pair]:
    """Propose every pair of the proposal, all or none: a pair that now breaks a rule (someone
    was paired by hand since) refuses the whole confirmation, naming it."""
    run = _proposed(run)
    cohort = Cohort.objects.select_for_update().select_related("rules").get(pk=run.cohort_id)
    if cohort.status != CohortStatus.MATCHING:
        raise ApplicationError(_("只有“结对中”的期次可以确认匹配。"))
    if not run.proposal:
        raise ApplicationError(_("匹配方案中没有结对，无需确认。"))
    people = Person.objects.in_bulk([row["mentee"] for row in run.proposal] + [row["mentor"] for row in run.proposal])
    source = PairSource.ASSIGNMENT if run.method == MatchMethod.ASSIGNMENT else PairSource.STABLE
    pairs = []
    for row in run.proposal:
        mentor, mentee = people[row["mentor"]], people[row["mentee"]]
        problems = pair_problems(cohort, mentor, mentee)
        if problems:
            raise ApplicationError(
                _("%(mentor)s — %(mentee)s 不能结对：%(problems)s")
                % {"mentor": mentor.name, "mentee": mentee.name, "problems": "".join(problems)},
                extra={"reasons": problems},
            )
        pairs.append(
            _pair_create(
                actor=actor, cohort=cohort, mentor=mentor, mentee=mentee, source=source, reasons=list(row["reasons"])
            )
        )
    transition(
        MatchingRunWorkflow,
        run,
        step="confirm",
        actor=actor,
        message=_("确认匹配方案：推荐 %(count)s 对") % {"count": len(pairs)},
    )
    return pairs


@transaction.atomic
def matching_discard(*, actor, run: MatchingRun) -> MatchingRun:
    return transition(MatchingRunWorkflow, run, step="discard", actor=actor)
