"""Writes to people and organisation. Each service is atomic and records an audit event."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from gonghui.core.crypto import encrypt_text, keyed_digest, mask_id_number
from gonghui.core.exceptions import ApplicationError, InvalidTransition
from gonghui.core.history import AuditAction, audit_event_record, changes_between, snapshot
from gonghui.people.choices import EmploymentStatus, MembershipStatus
from gonghui.people.idnumbers import IdNumberError, id_number_check
from gonghui.people.models import Person, SubUnion, UnionMembership
from gonghui.people.pinyin import name_initials, name_pinyin

PERSON_AUDITED_FIELDS = [
    "staff_no", "name", "gender", "birth_date", "id_number_masked", "phone", "employment_category",
    "employment_status", "status_changed_on", "status_reason", "coverage_type", "sub_union", "jingka_no",
]


def person_fill_derived(person: Person, *, id_number: str | None = None) -> None:
    """Set pinyin and, when given, the encrypted, digested and masked ID number."""
    person.name_pinyin = name_pinyin(person.name)
    person.name_initials = name_initials(person.name)
    if id_number is not None:
        person.id_number_encrypted = encrypt_text(id_number)
        person.id_number_digest = keyed_digest(id_number)
        person.id_number_masked = mask_id_number(id_number)


def _check_id_number(*, id_number: str, gender: str, birth_date: datetime.date, exclude_pk=None) -> str:
    try:
        number = id_number_check(id_number, gender=gender, birth_date=birth_date)
    except IdNumberError as error:
        raise ApplicationError(str(error), extra={"field": "id_number"}) from None
    clash = Person.objects.filter(id_number_digest=keyed_digest(number)).exclude(pk=exclude_pk).first()
    if clash:
        raise ApplicationError(
            _("该身份证号已属于工号 %(staff_no)s") % {"staff_no": clash.staff_no}, extra={"field": "id_number"}
        )
    return number


def _require(user, perm: str, person: Person | None = None):
    if not user.has_perm(perm):
        raise PermissionDenied
    if person is not None and not Person.objects.restrict(user, "change").filter(pk=person.pk).exists():
        raise PermissionDenied


@transaction.atomic
def person_create(*, actor, id_number: str, member_no: str = "", joined_on: datetime.date | None = None, **fields) -> Person:
    _require(actor, "people.add_person")
    person = Person(**fields)
    number = _check_id_number(id_number=id_number, gender=person.gender, birth_date=person.birth_date)
    person_fill_derived(person, id_number=number)
    person.full_clean(exclude=["id_number_encrypted"])
    person.save()
    audit_event_record(
        actor=actor, obj=person, action=AuditAction.CREATED, person_id=person.pk,
        changes=changes_between({}, snapshot(person, PERSON_AUDITED_FIELDS)),
    )
    if joined_on:
        membership_join(actor=actor, person=person, joined_on=joined_on, member_no=member_no)
    return person


@transaction.atomic
def person_update(*, actor, person: Person, id_number: str | None = None, **fields) -> Person:
    """Change a person's fields; the audit event keeps each changed field before and after."""
    _require(actor, "people.change_person", person)
    person = Person.objects.select_for_update().get(pk=person.pk)
    before = snapshot(person, PERSON_AUDITED_FIELDS)
    for name, value in fields.items():
        setattr(person, name, value)
    number = None
    if id_number:
        number = _check_id_number(
            id_number=id_number, gender=person.gender, birth_date=person.birth_date, exclude_pk=person.pk
        )
    person_fill_derived(person, id_number=number)
    person.full_clean(exclude=["id_number_encrypted"])
    after = snapshot(person, PERSON_AUDITED_FIELDS)
    changes = changes_between(before, after)
    if number and not changes.get("id_number_masked") and person.id_number_digest:
        changes["id_number_masked"] = [before["id_number_masked"], after["id_number_masked"]]
    if changes:
        person.save()
        audit_event_record(actor=actor, obj=person, action=AuditAction.UPDATED, person_id=person.pk, changes=changes)
    return person


@transaction.atomic
def person_status_change(*, actor, person: Person, status: str, on: datetime.date, reason: str = "") -> Person:
    """Retire, record leaving or death. Leaving and death end the union membership."""
    if status not in EmploymentStatus.values:
        raise ApplicationError(_("未知的人员状态"))
    if status in (EmploymentStatus.LEFT, EmploymentStatus.DECEASED) and not reason.strip():
        raise ApplicationError(_("请填写状态变更原因"))
    if person.employment_status == EmploymentStatus.DECEASED:
        raise InvalidTransition(_("已去世人员的状态不能再变更"))
    person = person_update(
        actor=actor, person=person, employment_status=status, status_changed_on=on, status_reason=reason
    )
    if status in (EmploymentStatus.LEFT, EmploymentStatus.DECEASED):
        current = person.memberships.current().first()
        if current:
            membership_end(actor=actor, membership=current, on=on, reason=reason, status=MembershipStatus.ENDED)
    return person


def _membership_event(*, actor, membership: UnionMembership, message: str, changes: dict):
    audit_event_record(
        actor=actor, obj=membership, action=AuditAction.MEMBERSHIP, person_id=membership.person_id,
        message=message, changes=changes,
    )


@transaction.atomic
def membership_join(
    *, actor, person: Person, joined_on: datetime.date, member_no: str = "", confirmed: bool = True
) -> UnionMembership:
    _require(actor, "people.change_unionmembership", person)
    if person.memberships.current().exists():
        raise InvalidTransition(_("%(name)s 已是在会会员") % {"name": person.name})
    membership = UnionMembership.objects.create(
        person=person, sub_union=person.sub_union, member_no=member_no or person.staff_no, joined_on=joined_on,
        status=MembershipStatus.ACTIVE if confirmed else MembershipStatus.APPLIED,
    )
    _membership_event(
        actor=actor, membership=membership, message=_("入会"),
        changes={"status": [None, membership.get_status_display()], "sub_union": [None, str(person.sub_union)]},
    )
    return membership


@transaction.atomic
def membership_confirm(*, actor, membership: UnionMembership) -> UnionMembership:
    _require(actor, "people.change_unionmembership", membership.person)
    if membership.status != MembershipStatus.APPLIED:
        raise InvalidTransition(_("只有申请中的会籍可以确认"))
    membership.status = MembershipStatus.ACTIVE
    membership.save(update_fields=["status", "updated_at"])
    _membership_event(
        actor=actor, membership=membership, message=_("确认入会"),
        changes={"status": [MembershipStatus.APPLIED.label, MembershipStatus.ACTIVE.label]},
    )
    return membership


@transaction.atomic
def membership_transfer(
    *, actor, person: Person, to_sub_union: SubUnion, on: datetime.date, reason: str = ""
) -> UnionMembership:
    """Close the current membership as transferred and open one at the target; the person
    moves with it. Both rows stay as history."""
    _require(actor, "people.change_unionmembership", person)
    current = person.memberships.current().select_for_update().first()
    if current is None or current.status != MembershipStatus.ACTIVE:
        raise InvalidTransition(_("只有在会会员可以转会"))
    if current.sub_union_id == to_sub_union.pk:
        raise InvalidTransition(_("转入分工会与当前分工会相同"))
    current.status = MembershipStatus.TRANSFERRED
    current.ended_on = on
    current.reason = reason
    current.save(update_fields=["status", "ended_on", "reason", "updated_at"])
    new = UnionMembership.objects.create(
        person=person, sub_union=to_sub_union, member_no=current.member_no, joined_on=on,
        status=MembershipStatus.ACTIVE, reason=reason,
    )
    _membership_event(
        actor=actor, membership=new, message=_("转会"),
        changes={"sub_union": [str(current.sub_union), str(to_sub_union)]},
    )
    person_update(actor=actor, person=person, sub_union=to_sub_union)
    return new


@transaction.atomic
def membership_end(
    *, actor, membership: UnionMembership, on: datetime.date, reason: str, status: str = MembershipStatus.ENDED
) -> UnionMembership:
    """Lapse or end a membership. A reason is required."""
    _require(actor, "people.change_unionmembership", membership.person)
    if status not in (MembershipStatus.LAPSED, MembershipStatus.ENDED):
        raise InvalidTransition(_("会籍只能中止或终止"))
    if not (reason or "").strip():
        raise ApplicationError(_("请填写原因"), extra={"field": "reason"})
    if membership.status not in (MembershipStatus.ACTIVE, MembershipStatus.APPLIED):
        raise InvalidTransition(_("该会籍已结束"))
    before = membership.get_status_display()
    membership.status = status
    membership.ended_on = on
    membership.reason = reason
    membership.save(update_fields=["status", "ended_on", "reason", "updated_at"])
    _membership_event(
        actor=actor, membership=membership, message=reason,
        changes={"status": [before, membership.get_status_display()]},
    )
    return membership


def person_id_number_reveal(*, actor, person: Person) -> str:
    """The clear ID number, for roles that need it; every reveal is logged."""
    _require(actor, "people.reveal_id_number")
    if not Person.objects.restrict(actor, "view").filter(pk=person.pk).exists():
        raise PermissionDenied
    audit_event_record(actor=actor, obj=person, action=AuditAction.ID_REVEALED, person_id=person.pk)
    return person.id_number_clear()
