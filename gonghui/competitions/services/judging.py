"""Judging: the office names each group's judges (and the chief judge); a judge scores their
group's contestants part by part on their own sheet, saved as they type (a dropped connection
loses nothing: the page keeps unsent scores and sends them again), and submits it; a
submitted sheet changes only by the chief judge, with the reason recorded."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from gonghui.accounts.access import permission_require
from gonghui.competitions.choices import CompetitionStatus, SheetStatus
from gonghui.competitions.models import (
    Competition,
    CompetitionGroup,
    Entry,
    Judge,
    PartScore,
    ScoreAmendment,
    ScoreSheet,
    ScoringPart,
)
from gonghui.competitions.selectors.entries import college_id_of
from gonghui.competitions.selectors.judging import JUDGED, conflict
from gonghui.competitions.workflow import CHIEF, ScoreSheetWorkflow
from gonghui.core.exceptions import ApplicationError, InvalidTransition, PermissionDenied, StepNotAllowed
from gonghui.core.models import AuditAction
from gonghui.core.service_kit import audit
from gonghui.core.workflow import transition
from gonghui.people.models import Person, SubUnion

MANAGE = "competitions.manage_competition"
JUDGES_SET_BEFORE = (
    CompetitionStatus.DRAFT,
    CompetitionStatus.NOMINATING,
    CompetitionStatus.PREPARING,
    CompetitionStatus.DRAWN,
)


def _user_for(login: str):
    """A judge's account by staff number (a teacher of the university) or user name (an
    outside expert the office gave an account)."""
    login = (login or "").strip()
    users = get_user_model().objects
    user = (
        users.filter(person__staff_no=login).select_related("person").first()
        or users.filter(username=login).select_related("person").first()
    )
    if user is None:
        if Person.objects.filter(staff_no=login).exists():
            raise ApplicationError(
                _("工号 %(login)s 的教师还没有账号，请先为其开通账号。") % {"login": login}, extra={"field": "login"}
            )
        raise ApplicationError(_("找不到工号或用户名“%(login)s”。") % {"login": login}, extra={"field": "login"})
    return user


@transaction.atomic
def judge_add(
    *, actor, competition: Competition, group: CompetitionGroup | None, login: str, is_chief: bool = False
) -> Judge:
    """Put someone on a group's panel (or make them the chief judge, with or without a group).
    Their own college is taken from the roster: they score no contestant of it."""
    permission_require(actor, MANAGE, competition)
    if competition.status not in JUDGES_SET_BEFORE:
        raise ApplicationError(_("评分开始后不能再调整评委。"))
    if group is not None and (competition.rules is None or group.edition_id != competition.rules_id):
        raise ApplicationError(_("请选择本届比赛的组别。"), extra={"field": "group"})
    if group is None and not is_chief:
        raise ApplicationError(_("请选择评委所在的组别。"), extra={"field": "group"})
    user = _user_for(login)
    college = None
    person = getattr(user, "person", None)
    if person is not None:
        parents = dict(SubUnion.objects.values_list("pk", "parent_id"))
        college = SubUnion.objects.get(pk=college_id_of(person.sub_union_id, parents))
    try:
        with transaction.atomic():
            judge = Judge.objects.create(
                competition=competition,
                group=group,
                user=user,
                name=person.name if person is not None else (user.get_full_name() or user.username),
                college=college,
                is_chief=is_chief,
            )
    except IntegrityError:
        raise ApplicationError(
            _("%(name)s已是该组评委。") % {"name": person.name if person else user.username}
        ) from None
    audit(
        actor,
        competition,
        AuditAction.UPDATED,
        _("评委：%(name)s（%(group)s）") % {"name": judge.name, "group": group or _("评委会主任")},
    )
    return judge


@transaction.atomic
def judge_remove(*, actor, judge: Judge) -> None:
    permission_require(actor, MANAGE, judge.competition)
    if judge.competition.status not in JUDGES_SET_BEFORE:
        raise ApplicationError(_("评分开始后不能再调整评委。"))
    if judge.sheets.exists():
        raise ApplicationError(_("该评委已有评分表，不能移除。"))
    audit(actor, judge.competition, AuditAction.UPDATED, _("移除评委：%(name)s") % {"name": judge.name})
    judge.delete()


def _score_value(raw, part: ScoringPart) -> Decimal:
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        raise ApplicationError(
            _("“%(part)s”的分数“%(raw)s”不是数字。") % {"part": part.label, "raw": raw}, extra={"field": part.code}
        ) from None
    if not value.is_finite() or value < 0 or value > part.full_marks:
        raise ApplicationError(
            _("“%(part)s”的分数须在 0 到 %(max)s 之间。") % {"part": part.label, "max": part.full_marks},
            extra={"field": part.code},
        )
    if value != value.quantize(Decimal("0.01")):
        raise ApplicationError(_("“%(part)s”的分数最多两位小数。") % {"part": part.label}, extra={"field": part.code})
    return value


def _judge_of(actor, judge: Judge) -> None:
    if judge.user_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("只能填写自己的评分表。"))


def _sheet_for(judge: Judge, entry: Entry) -> ScoreSheet:
    """The judge's sheet of the entry, locked; created (a draft) on the first score."""
    if entry.competition_id != judge.competition_id or entry.group_id != judge.group_id:
        raise PermissionDenied(_("该参赛教师不在您评分的组别。"))
    reason = conflict(judge, entry)
    if reason:
        raise ApplicationError(reason)
    sheet, _created = ScoreSheet.objects.select_for_update().get_or_create(entry=entry, judge=judge)
    return sheet


@transaction.atomic
def sheet_save(*, actor, judge: Judge, entry: Entry, scores: dict[str, object]) -> ScoreSheet:
    """Save a judge's scores as they are typed (some parts or all); the same scores sent again
    change nothing. Refused outside the scoring, for a conflicted pair, off the scale, or
    once the sheet is submitted."""
    _judge_of(actor, judge)
    competition = Competition.objects.select_for_update().get(pk=judge.competition_id)
    if competition.status != CompetitionStatus.SCORING:
        raise ApplicationError(_("现在不是评分时间。"))
    entry = Entry.objects.select_related("college", "competition").get(pk=entry.pk)
    if entry.status not in JUDGED:
        raise ApplicationError(_("该参赛教师不参加评分。"))
    sheet = _sheet_for(judge, entry)
    if sheet.status != SheetStatus.DRAFT:
        raise ApplicationError(_("评分表已提交，不能再改；如需更正，请评委会主任改分并说明理由。"))
    parts = {p.code: p for p in competition.rules.parts.all()}
    unknown = set(scores) - set(parts)
    if unknown:
        raise ApplicationError(_("没有评分项目“%(code)s”。") % {"code": sorted(unknown)[0]})
    values = {code: _score_value(raw, parts[code]) for code, raw in scores.items() if str(raw).strip() != ""}
    for code, value in values.items():
        PartScore.objects.update_or_create(sheet=sheet, part=parts[code], defaults={"score": value})
    sheet.save(update_fields=["updated_at"])
    return sheet


@transaction.atomic
def sheet_submit(*, actor, judge: Judge, entry: Entry, scores: dict[str, object]) -> ScoreSheet:
    """Save and submit: every part must be scored. A second submission is refused."""
    sheet = sheet_save(actor=actor, judge=judge, entry=entry, scores=scores)
    parts = list(judge.competition.rules.parts.all())
    scored = set(PartScore.objects.filter(sheet=sheet).values_list("part_id", flat=True))
    missing = [p.label for p in parts if p.pk not in scored]
    if missing:
        raise ApplicationError(_("还有评分项目未打分：%(parts)s。") % {"parts": "、".join(missing)})
    return transition(ScoreSheetWorkflow, sheet, step="submit", actor=actor)


@transaction.atomic
def sheet_amend(*, actor, sheet: ScoreSheet, part: ScoringPart, score, reason: str) -> ScoreAmendment:
    """The chief judge changes a submitted score, with the reason recorded (before and after
    are kept; the sheet's event names who and why). While the results are not yet
    published; after the scoring has closed the results are computed again."""
    competition = Competition.objects.select_for_update().get(pk=sheet.entry.competition_id)
    if competition.status not in (CompetitionStatus.SCORING, CompetitionStatus.SCORED):
        raise ApplicationError(_("获奖名单公示后不能再改分。"))
    if CHIEF not in ScoreSheetWorkflow.actor_relations(sheet, actor):
        raise StepNotAllowed(_("您无权进行此操作。"))
    if part.edition_id != competition.rules_id:
        raise ApplicationError(_("没有这个评分项目。"), extra={"field": "part"})
    value = _score_value(score, part)
    current = PartScore.objects.select_for_update().filter(sheet=sheet, part=part).first()
    if current is None:
        raise ApplicationError(_("这张评分表没有“%(part)s”的分数。") % {"part": part.label})
    if current.score == value:
        raise ApplicationError(_("分数没有变化。"), extra={"field": "score"})
    reason = (reason or "").strip()
    if not reason:
        raise InvalidTransition(_("此操作须填写说明。"), extra={"field": "message"})
    ScoreSheetWorkflow.record(
        sheet,
        "amend",
        actor,
        message=reason,
        parameters={"part": part.code, "before": str(current.score), "after": str(value)},
    )
    audit(
        actor,
        sheet,
        AuditAction.UPDATED,
        _("改分：%(part)s %(before)s → %(after)s（%(reason)s）")
        % {"part": part.label, "before": current.score, "after": value, "reason": reason},
        changes={str(part.label): [str(current.score), str(value)]},
    )
    amendment = ScoreAmendment.objects.create(
        sheet=sheet, part=part, before=current.score, after=value, reason=reason.strip(), amended_by=actor
    )
    current.score = value
    current.save(update_fields=["score"])
    if competition.status == CompetitionStatus.SCORED:
        from gonghui.competitions.services.results import results_write

        results_write(competition)
    return amendment
