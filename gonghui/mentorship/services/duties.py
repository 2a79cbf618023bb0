"""Duties (履职): the mentee or the mentor logs each demonstration lesson, observed lesson
or meeting from a phone (date, course, hours, a note or a photo); the college confirms it or
returns it with a reason. A duty outside the cycle, in the future, or logged twice is refused."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.accounts.access import get_access
from gonghui.attachments.services import attachment_store
from gonghui.core.exceptions import ApplicationError
from gonghui.core.history import AuditAction
from gonghui.core.service_kit import audit, create_or_refuse, required_text
from gonghui.core.workflow import transition, transition_bulk
from gonghui.mentorship.choices import DUTY_PHOTO_PURPOSE, LOGGING_PAIR_STATUSES, DutyKind, DutyStatus
from gonghui.mentorship.models import DutyLog, Pair
from gonghui.mentorship.workflow import DutyLogWorkflow

MAX_HOURS = Decimal("12")


def _date(value: datetime.date) -> str:
    return _("%(y)s年%(m)s月%(d)s日") % {"y": value.year, "m": value.month, "d": value.day}


def duty_window(pair: Pair) -> tuple[datetime.date, datetime.date]:
    """The days a duty of this pair may fall on: from its start (or the cohort's) to the end
    of the cycle, or of the extension."""
    start = pair.started_on or pair.cohort.starts_on
    end = pair.extended_until or pair.cohort.ends_on
    if pair.ended_on:
        end = min(end, pair.ended_on)
    return start, end


@transaction.atomic
def duty_log(
    *,
    actor,
    pair: Pair,
    kind: str,
    held_on: datetime.date,
    course: str,
    hours,
    note: str = "",
    photo=None,
) -> DutyLog:
    """Log one duty of the pair, by its mentor or its mentee."""
    access = get_access(actor)
    pair = Pair.objects.select_for_update().select_related("cohort").get(pk=pair.pk)
    if access.person_id not in (pair.mentor_id, pair.mentee_id):
        raise PermissionDenied(_("只有师徒本人可以记录履职。"))
    if pair.status not in LOGGING_PAIR_STATUSES:
        raise ApplicationError(_("结对当前为“%(status)s”，不能记录履职。") % {"status": pair.get_status_display()})
    if kind not in DutyKind.values:
        raise ApplicationError(_("请选择类别。"), extra={"field": "kind"})
    course = required_text(course, _("请填写课程或主题。"), field="course")
    try:
        hours = Decimal(str(hours)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        raise ApplicationError(_("学时应为数字，例如 2 或 1.5。"), extra={"field": "hours"}) from None
    if not Decimal("0.5") <= hours <= MAX_HOURS:
        raise ApplicationError(_("学时应在 0.5 到 12 之间。"), extra={"field": "hours"})
    start, end = duty_window(pair)
    if held_on > timezone.localdate():
        raise ApplicationError(_("日期不能晚于今天。"), extra={"field": "held_on"})
    if not start <= held_on <= end:
        raise ApplicationError(
            _("日期须在培养期内（%(start)s 至 %(end)s）。") % {"start": _date(start), "end": _date(end)},
            extra={"field": "held_on"},
        )
    twice = ApplicationError(
        _("%(date)s的%(kind)s“%(course)s”已经记录过了。")
        % {"date": _date(held_on), "kind": DutyKind(kind).label, "course": course},
        extra={"field": "course"},
    )
    if (
        DutyLog.objects.filter(pair=pair, kind=kind, held_on=held_on, course=course)
        .exclude(status=DutyStatus.RETURNED)
        .exists()
    ):
        raise twice
    attachment = None
    if photo is not None:
        attachment = attachment_store(
            uploaded_file=photo, uploaded_by=actor, owner_person=pair.mentee, purpose=DUTY_PHOTO_PURPOSE
        )
    duty = create_or_refuse(
        DutyLog,
        twice,
        pair=pair,
        kind=kind,
        held_on=held_on,
        course=course,
        hours=hours,
        note=(note or "").strip(),
        photo=attachment,
        logged_by_id=access.person_id,
    )
    audit(
        actor,
        duty,
        AuditAction.CREATED,
        _("记录%(kind)s：%(date)s %(course)s（%(hours)s 学时）")
        % {"kind": DutyKind(kind).label, "date": held_on.isoformat(), "course": course, "hours": hours},
        person_id=pair.mentee_id,
    )
    return duty


@transaction.atomic
def duty_confirm(*, actor, duty: DutyLog) -> DutyLog:
    return transition(DutyLogWorkflow, duty, step="confirm", actor=actor)


@transaction.atomic
def duty_return(*, actor, duty: DutyLog, reason: str) -> DutyLog:
    return transition(DutyLogWorkflow, duty, step="return", actor=actor, message=reason)


@transaction.atomic
def duties_confirm(*, actor, duties) -> int:
    """Confirm many logged duties at once (the college's list), all or none."""
    return transition_bulk(DutyLogWorkflow, duties, to=DutyStatus.CONFIRMED, actor=actor).moved
