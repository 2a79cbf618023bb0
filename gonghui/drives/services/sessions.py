"""Information sessions (宣讲会): created by the office, signed up for by members (a place
is taken with one conditional UPDATE), attendance recorded afterwards."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from gonghui.accounts.access import Actor, get_access, permission_require
from gonghui.core.exceptions import ApplicationError, PermissionDenied
from gonghui.core.history import AuditAction
from gonghui.core.service_kit import audit, create_or_refuse
from gonghui.drives.choices import DrivePhase
from gonghui.drives.models import InfoSession, SessionSignup


@transaction.atomic
def info_session_create(*, drive, actor: Actor, title: str, starts_at, place: str, capacity: int) -> InfoSession:
    permission_require(actor, "drives.change_drive", drive)
    if capacity < 1:
        raise ApplicationError(_("名额至少为 1"))
    session = InfoSession.objects.create(drive=drive, title=title, starts_at=starts_at, place=place, capacity=capacity)
    audit(actor, session, AuditAction.CREATED, _("新增宣讲会：%(title)s") % {"title": title})
    return session


@transaction.atomic
def session_signup(*, session: InfoSession, person, actor: Actor) -> SessionSignup:
    """Sign `person` up (themselves, or the office for them). Refused when the session is
    full, past, already signed up, or the drive is past its sessions."""
    access = get_access(actor)
    if access.person_id != person.pk and not access.writes_everything:
        raise PermissionDenied(_("只能为本人报名"))
    if session.drive.phase in (DrivePhase.PREPARATION, DrivePhase.DONE):
        raise ApplicationError(_("本次活动当前不接受宣讲会报名"))
    if SessionSignup.objects.filter(session=session, person=person).exists():
        raise ApplicationError(_("已报名该宣讲会"))
    taken = InfoSession.objects.filter(pk=session.pk, signed_up__lt=F("capacity")).update(signed_up=F("signed_up") + 1)
    if not taken:
        raise ApplicationError(_("该宣讲会名额已满"))
    signup = create_or_refuse(SessionSignup, ApplicationError(_("已报名该宣讲会")), session=session, person=person)
    audit(actor, signup, AuditAction.CREATED, _("报名宣讲会：%(session)s") % {"session": session}, person_id=person.pk)
    return signup


@transaction.atomic
def session_attendance_record(*, session: InfoSession, actor: Actor, attended_person_ids) -> int:
    """Mark who came (everyone else signed up: did not). Returns the number present."""
    permission_require(actor, "drives.change_drive", session.drive)
    ids = set(int(pk) for pk in attended_person_ids)
    signups = SessionSignup.objects.filter(session=session)
    before = signups.filter(attended=True).count()
    signups.filter(person_id__in=ids).update(attended=True)
    signups.exclude(person_id__in=ids).update(attended=False)
    present = signups.filter(attended=True).count()
    audit(actor, session, AuditAction.UPDATED, _("记录宣讲会出席"), changes={"attended": [before, present]})
    return present
