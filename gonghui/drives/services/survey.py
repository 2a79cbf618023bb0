"""The intent survey (意向摸底): answers from members or recorded by their sub-union
officer; reminders to the sub-unions behind."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.accounts.access import Actor, get_access, permission_require
from gonghui.accounts.models import User
from gonghui.accounts.roles import Role
from gonghui.core.exceptions import ApplicationError, PermissionDenied
from gonghui.core.history import AuditAction, changes_of
from gonghui.core.service_kit import audit
from gonghui.drives.choices import AnswerChannel, DrivePhase, Intent
from gonghui.drives.eligibility import person_problem
from gonghui.drives.models import IntentAnswer
from gonghui.notifications.services import notification_send
from gonghui.people.models import Person, SubUnion


def act_for_require(*, actor: Actor, person: Person, permission: str, refusal: str) -> None:
    """The person themselves; or a holder of `permission` who may see the person (the office:
    everyone; a sub-union officer: their sub-union's people). PermissionDenied(refusal) otherwise."""
    if getattr(actor, "person_id", None) == person.pk:
        return
    try:
        permission_require(actor, permission, person, action="view")
    except PermissionDenied:
        raise PermissionDenied(refusal) from None


@transaction.atomic
def intent_answer_record(
    *, drive, person, actor: Actor, intent: str, relatives_count: int = 0, on: datetime.date | None = None
) -> IntentAnswer:
    """Record (or change) a person's answer while the survey is open."""
    act_for_require(actor=actor, person=person, permission="drives.add_intentanswer", refusal=_("无权为此人填写意向"))
    on = on or timezone.localdate()
    if drive.phase != DrivePhase.SURVEY:
        raise ApplicationError(_("意向摸底未在进行中"))
    if drive.survey_until and on > drive.survey_until:
        raise ApplicationError(_("意向摸底已于 %(date)s 截止") % {"date": drive.survey_until.isoformat()})
    if intent not in Intent.values:
        raise ApplicationError(_("请选择参加意向"))
    problem = person_problem(drive, person)
    if problem:
        raise ApplicationError(problem)
    if relatives_count < 0 or relatives_count > 20:
        raise ApplicationError(_("家属人数应在 0 到 20 之间"))
    if relatives_count and not drive.rules.relatives_allowed:
        raise ApplicationError(_("本次活动家属不能参加"))
    if intent != Intent.YES:
        relatives_count = 0
    channel = AnswerChannel.SELF if get_access(actor).person_id == person.pk else AnswerChannel.OFFICER
    previous = IntentAnswer.objects.filter(drive=drive, person=person).first()
    answer, _created = IntentAnswer.objects.update_or_create(
        drive=drive,
        person=person,
        defaults={"intent": intent, "relatives_count": relatives_count, "channel": channel, "recorded_by": actor},
    )
    changes = {
        "intent": [previous.get_intent_display() if previous else None, answer.get_intent_display()],
        "relatives_count": [previous.relatives_count if previous else None, relatives_count],
    }
    audit(
        actor,
        answer,
        AuditAction.CREATED if previous is None else AuditAction.UPDATED,
        _("参保意向：%(intent)s") % {"intent": answer.get_intent_display()},
        person_id=person.pk,
        changes=changes,
    )
    return answer


@transaction.atomic
def survey_remind(*, drive, sub_union: SubUnion, actor: Actor) -> int:
    """Remind a sub-union behind: its officers, and its people still without an answer who
    have a sign-in. Returns the number of people notified."""
    permission_require(actor, "drives.remind_survey", drive)
    if drive.phase != DrivePhase.SURVEY:
        raise ApplicationError(_("意向摸底未在进行中"))
    from gonghui.drives.selectors.survey import pending_people

    scope = SubUnion.objects.with_descendants([sub_union.pk])
    officers = User.objects.filter(
        role_assignments__role=Role.SUB_UNION_OFFICER, role_assignments__sub_union_id__in=scope
    ).distinct()
    pending = User.objects.filter(person__in=pending_people(drive).filter(sub_union_id__in=scope))
    url = reverse("drives:portal_drive", args=[drive.pk])
    title = _("请填写参保意向：%(drive)s") % {"drive": drive.name}
    deadline = drive.survey_until.isoformat() if drive.survey_until else "—"
    sent = notification_send(
        recipients=list(pending),
        title=title,
        url=url,
        kind="drives.survey",
        body=_("意向摸底截止：%(date)s") % {"date": deadline},
    )
    sent += notification_send(
        recipients=list(officers),
        kind="drives.survey",
        url=reverse("drives:survey", args=[drive.pk]),
        title=_("%(sub_union)s尚有人员未填写参保意向：%(drive)s") % {"sub_union": sub_union.name, "drive": drive.name},
    )
    audit(
        actor,
        drive,
        AuditAction.UPDATED,
        _("催办意向摸底：%(sub_union)s") % {"sub_union": sub_union.name},
        changes=changes_of(**{"reminded_sub_union": sub_union.name, "notified": len(sent)}),
    )
    return len(sent)
