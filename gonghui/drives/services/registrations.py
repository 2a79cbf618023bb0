"""Registering staff and their relatives with the fields the provider needs, checked before
anything is written; withdrawing until the roster with the registration is sent (the
registration's workflow: gonghui.drives.workflow.RegistrationWorkflow)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.accounts.access import Actor
from gonghui.core.crypto import encrypt_text, keyed_digest, mask_id_number
from gonghui.core.exceptions import ApplicationError
from gonghui.core.history import AuditAction, changes_of
from gonghui.core.service_kit import audit, create_or_refuse
from gonghui.core.workflow import transition
from gonghui.drives.choices import DrivePhase, RegistrationChannel, RegistrationStatus, Relationship
from gonghui.drives.eligibility import channel_problem, person_problem, relative_problem
from gonghui.drives.models import DriveRegistration
from gonghui.drives.services.survey import act_for_require
from gonghui.drives.workflow import RegistrationWorkflow
from gonghui.people.eligibility import age_on
from gonghui.people.idnumbers import IdNumberError, id_number_check


class RegistrationRefused(ApplicationError):
    pass


def registration_window_problem(drive, on: datetime.date) -> str:
    if drive.phase != DrivePhase.REGISTRATION:
        if drive.phase in (DrivePhase.ROSTER, DrivePhase.ON_SITE, DrivePhase.DONE):
            return _("报名已截止")
        return _("报名尚未开始")
    if drive.registration_from and on < drive.registration_from:
        return _("报名将于 %(date)s 开始") % {"date": drive.registration_from.isoformat()}
    if drive.registration_until and on > drive.registration_until:
        return _("报名已于 %(date)s 截止") % {"date": drive.registration_until.isoformat()}
    return ""


@transaction.atomic
def registration_create(
    *,
    drive,
    person,
    actor: Actor,
    relationship: str = Relationship.SELF,
    channel: str,
    consent: bool,
    phone: str = "",
    name: str = "",
    id_number: str = "",
    gender: str = "",
    birth_date: datetime.date | None = None,
    coverage_type: str = "",
    on: datetime.date | None = None,
) -> DriveRegistration:
    """Register `person` (relationship self) or one of their relatives.

    Checked, in this order, and refused with a translated reason and nothing written: who
    may register for whom; the registration window (phase and deadline); consent to pass the
    data to the provider (PIPL Art. 23); the relative's relationship; the ID number (GB 11643
    checksum, agreement with birth date and gender); eligibility (status, category, coverage
    type, age on the policy start); the group-only rule; a live registration with the same
    ID number in this drive.
    """
    act_for_require(actor=actor, person=person, permission="drives.add_driveregistration", refusal=_("无权为此人报名"))
    on = on or timezone.localdate()
    problem = registration_window_problem(drive, on)
    if problem:
        raise RegistrationRefused(problem)
    if not consent:
        raise RegistrationRefused(_("请确认同意将报名信息提供给承办机构"))
    if channel not in RegistrationChannel.values:
        raise RegistrationRefused(_("请选择参保方式"))

    if relationship == Relationship.SELF:
        problem = person_problem(drive, person)
        if problem:
            raise RegistrationRefused(problem)
        number = person.id_number_clear()
        if not number:
            raise RegistrationRefused(_("人员档案中没有身份证号，请联系校工会补充"))
        name, gender, birth_date = person.name, person.gender, person.birth_date
        coverage_type = person.coverage_type
        phone = (phone or person.phone).strip()
        problem = channel_problem(drive, coverage_type=coverage_type, channel=channel)
        if problem:
            raise RegistrationRefused(problem)
    else:
        name = (name or "").strip()
        if not name or not gender or birth_date is None or not coverage_type:
            raise RegistrationRefused(_("请填写家属的姓名、性别、出生日期和医疗类别"))
        if channel != RegistrationChannel.INDIVIDUAL:
            channel = RegistrationChannel.INDIVIDUAL  # the group covers staff only
        problem = relative_problem(drive, relationship=relationship, birth_date=birth_date, coverage_type=coverage_type)
        if problem:
            raise RegistrationRefused(problem)
        try:
            number = id_number_check(id_number, gender=gender, birth_date=birth_date)
        except IdNumberError as error:
            raise RegistrationRefused(str(error)) from None
        phone = (phone or "").strip()
    if not phone:
        raise RegistrationRefused(_("请填写手机号"))

    digest = keyed_digest(number)
    duplicate = DriveRegistration.objects.live().filter(drive=drive, id_number_digest=digest).first()
    if duplicate is not None:
        raise RegistrationRefused(_("该身份证号已报名本次活动（%(name)s）") % {"name": duplicate.name})
    registration = create_or_refuse(
        DriveRegistration,
        # the same number registered at the same instant
        RegistrationRefused(_("该身份证号已报名本次活动（%(name)s）") % {"name": name}),
        drive=drive,
        person=person,
        relationship=relationship,
        name=name,
        id_number_encrypted=encrypt_text(number),
        id_number_digest=digest,
        id_number_masked=mask_id_number(number),
        phone=phone,
        gender=gender,
        birth_date=birth_date,
        coverage_type=coverage_type,
        channel=channel,
        age_at_start=age_on(birth_date, drive.rules.policy_start),
        consent_at=timezone.now(),
        consent_text=drive.rules.consent_text,
        registered_by=actor,
    )
    RegistrationWorkflow.record(registration, "created", actor)
    audit(
        actor,
        registration,
        AuditAction.CREATED,
        _("报名%(drive)s：%(name)s（%(relationship)s）")
        % {"drive": drive.name, "name": name, "relationship": registration.get_relationship_display()},
        person_id=person.pk,
        changes=changes_of(
            **{
                "relationship": registration.get_relationship_display(),
                "channel": registration.get_channel_display(),
                "consent_at": registration.consent_at.isoformat(),
            }
        ),
    )
    return registration


@transaction.atomic
def registration_withdraw(*, registration: DriveRegistration, actor: Actor) -> DriveRegistration:
    """Withdraw until the roster with this registration is sent to the provider: the
    registrant, or whoever may register them (their sub-union officer, the office)."""
    current = DriveRegistration.objects.filter(pk=registration.pk).values_list("status", flat=True).get()
    if current == RegistrationStatus.WITHDRAWN:
        raise RegistrationRefused(_("该报名已撤回"))
    if current != RegistrationStatus.REGISTERED:
        raise RegistrationRefused(_("名单已报送承办机构，不能再撤回"))
    return transition(
        RegistrationWorkflow,
        registration,
        to=RegistrationStatus.WITHDRAWN,
        actor=actor,
        message=_("撤回报名：%(name)s") % {"name": registration.name},
    )
