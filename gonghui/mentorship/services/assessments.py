"""Assessment at the end of the cycle (期满考核): the college writes its opinion; the office
decides the grade by the cohort's rules. A grade that extends (基本合格 / 延期考核) is assessed
again after the extension (e.g. 6 months): passed or failed. Refused before the cycle (or the
extension) ends."""

from __future__ import annotations

import datetime

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.core.exceptions import ApplicationError
from gonghui.core.history import AuditAction
from gonghui.core.service_kit import audit, required_text
from gonghui.core.workflow import transition
from gonghui.mentorship.choices import EXTENDING_OUTCOMES, AssessmentStage, Outcome, PairStatus
from gonghui.mentorship.models import Assessment, GradeRule, Pair
from gonghui.mentorship.workflow import COLLEGE, OFFICE, PairWorkflow, cycle_not_over

# The pair step each outcome of the end-of-cycle assessment takes.
CYCLE_STEPS = {
    Outcome.PASSED: "pass",
    Outcome.BASICALLY_PASSED: "pass_basically",
    Outcome.EXTENDED: "extend",
    Outcome.FAILED: "fail",
}
ZERO = GradeRule._meta.get_field("stipend").to_python("0.00")


def _stage_of(pair: Pair) -> str:
    return (
        AssessmentStage.EXTENSION
        if pair.status in (PairStatus.BASICALLY_PASSED, PairStatus.EXTENDED)
        else AssessmentStage.CYCLE
    )


@transaction.atomic
def assessment_opinion(*, actor, pair: Pair, opinion: str) -> Assessment:
    """The college's opinion on the pair (学院意见), before the office grades it."""
    pair = Pair.objects.select_for_update().select_related("cohort").get(pk=pair.pk)
    if not PairWorkflow.actor_relations(pair, actor) & {OFFICE, COLLEGE}:
        raise PermissionDenied
    if pair.status not in (PairStatus.ACTIVE, PairStatus.BASICALLY_PASSED, PairStatus.EXTENDED):
        raise ApplicationError(_("结对当前为“%(status)s”，不能填写考核意见。") % {"status": pair.get_status_display()})
    stage = _stage_of(pair)
    not_yet = cycle_not_over(pair.cohort) if stage == AssessmentStage.CYCLE else None
    if not_yet:
        raise ApplicationError(not_yet)
    opinion = required_text(opinion, _("请填写学院意见。"), field="opinion")
    assessment, _created = Assessment.objects.get_or_create(pair=pair, stage=stage)
    if assessment.grade_code:
        raise ApplicationError(_("已经考核，不能再修改学院意见。"))
    before = assessment.college_opinion
    assessment.college_opinion = opinion
    assessment.opinion_by = actor
    assessment.save(update_fields=["college_opinion", "opinion_by", "updated_at"])
    audit(
        actor,
        assessment,
        AuditAction.UPDATED,
        _("学院考核意见（%(stage)s）") % {"stage": AssessmentStage(stage).label},
        person_id=pair.mentee_id,
        changes={"college_opinion": [before, opinion]},
    )
    return assessment


@transaction.atomic
def pair_assess(*, actor, pair: Pair, grade_code: str, on: datetime.date | None = None, message: str = "") -> Pair:
    """The end-of-cycle grade. 基本合格 and 延期考核 set the extension's end (the rules' months
    from the cycle's end); the stipend the grade earns is recorded on the assessment."""
    on = on or timezone.localdate()
    pair = Pair.objects.select_for_update().select_related("cohort__rules").get(pk=pair.pk)
    rules = pair.cohort.rules
    grade = next((g for g in rules.grades.all() if g.code == grade_code), None)
    if grade is None:
        raise ApplicationError(_("请选择考核等次。"), extra={"field": "grade"})
    if pair.status in (PairStatus.BASICALLY_PASSED, PairStatus.EXTENDED):
        raise ApplicationError(_("本结对已期满考核，等待延期考核。"))
    values: dict = {}
    if grade.outcome in EXTENDING_OUTCOMES:
        values["extended_until"] = pair.cohort.ends_on + relativedelta(months=rules.extension_months)
    stipend = grade.stipend
    message = (message or "").strip() or _("考核等次：%(grade)s") % {"grade": grade.label}
    pair = transition(
        PairWorkflow, pair, step=CYCLE_STEPS[Outcome(grade.outcome)], actor=actor, message=message, values=values
    )
    assessment, _created = Assessment.objects.get_or_create(pair=pair, stage=AssessmentStage.CYCLE)
    assessment.grade_code, assessment.grade_label, assessment.outcome = grade.code, grade.label, grade.outcome
    assessment.stipend, assessment.assessed_on, assessment.assessed_by = stipend, on, actor
    assessment.save()
    audit(
        actor,
        assessment,
        AuditAction.UPDATED,
        _("期满考核：%(grade)s，津贴 %(stipend)s 元") % {"grade": grade.label, "stipend": stipend},
        person_id=pair.mentee_id,
    )
    return pair


@transaction.atomic
def pair_reassess(*, actor, pair: Pair, passed: bool, on: datetime.date | None = None, message: str = "") -> Pair:
    """The assessment after the extension: passed (the rest of the stipend is earned) or failed."""
    on = on or timezone.localdate()
    pair = Pair.objects.select_for_update().select_related("cohort__rules").get(pk=pair.pk)
    cycle = Assessment.objects.filter(pair=pair, stage=AssessmentStage.CYCLE).first()
    rules = pair.cohort.rules
    grade = next((g for g in rules.grades.all() if cycle and g.code == cycle.grade_code), None)
    stipend = grade.stipend_after_extension if (grade and passed) else ZERO
    step = "pass_after_extension" if passed else "fail_after_extension"
    label = _("延期考核合格") if passed else _("延期考核不合格")
    pair = transition(PairWorkflow, pair, step=step, actor=actor, message=(message or "").strip() or label)
    assessment, _created = Assessment.objects.get_or_create(pair=pair, stage=AssessmentStage.EXTENSION)
    assessment.grade_code = "passed" if passed else "failed"
    assessment.grade_label = str(Outcome.PASSED.label if passed else Outcome.FAILED.label)
    assessment.outcome = Outcome.PASSED if passed else Outcome.FAILED
    assessment.stipend, assessment.assessed_on, assessment.assessed_by = stipend, on, actor
    assessment.save()
    audit(
        actor,
        assessment,
        AuditAction.UPDATED,
        _("%(label)s，补发津贴 %(stipend)s 元") % {"label": label, "stipend": stipend},
        person_id=pair.mentee_id,
    )
    return pair


@transaction.atomic
def pair_not_assessed(*, actor, pair: Pair, reason: str) -> Pair:
    return transition(PairWorkflow, pair, step="not_assess", actor=actor, message=reason)
