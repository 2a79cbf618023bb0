"""Writes to people and organisation. Each service is atomic, checks the actor's
permission and scope, enforces the rules of DOMAIN.md §3.0 and records an audit event.
Status changes of people and memberships go through their workflows (people.workflow)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.accounts.access import Actor, permission_require
from gonghui.core.crypto import decrypt_text, encrypt_text, keyed_digest, mask_id_number
from gonghui.core.exceptions import ApplicationError, InvalidTransition
from gonghui.core.history import AuditAction, audit_event_record, changes_between, snapshot
from gonghui.core.service_kit import audit
from gonghui.core.workflow import transition
from gonghui.people.choices import EmploymentStatus, MembershipStatus
from gonghui.people.idnumbers import IdNumberError, id_number_check
from gonghui.people.models import Child, Person, SubUnion, UnionMembership
from gonghui.people.pinyin import name_initials, name_pinyin
from gonghui.people.workflow import MembershipWorkflow, PersonWorkflow

PERSON_AUDITED_FIELDS = [
    "staff_no",
    "name",
    "gender",
    "birth_date",
    "id_number_masked",
    "phone",
    "employment_category",
    "employment_status",
    "status_changed_on",
    "status_reason",
    "coverage_type",
    "sub_union",
    "jingka_no",
]
CHILD_AUDITED_FIELDS = ["name", "gender", "birth_date"]

# Fields that change only through their own service: the status (person_status_change,
# which also ends the membership) and the derived or encrypted values.
_PERSON_DERIVED_FIELDS = {
    "name_pinyin",
    "name_initials",
    "id_number_encrypted",
    "id_number_digest",
    "id_number_masked",
}
_PERSON_UPDATE_FORBIDDEN = _PERSON_DERIVED_FIELDS | {"employment_status", "status_changed_on", "status_reason"}

# Statuses that end the union membership on the date of the change.
STATUS_ENDS_MEMBERSHIP = {EmploymentStatus.LEFT, EmploymentStatus.DECEASED}


def person_fill_derived(person: Person, *, id_number: str | None = None) -> None:
    """Set pinyin and, when given, the encrypted, digested and masked ID number."""
    person.name_pinyin = name_pinyin(person.name)
    person.name_initials = name_initials(person.name)
    if id_number is not None:
        person.id_number_encrypted = encrypt_text(id_number)
        person.id_number_digest = keyed_digest(id_number)
        person.id_number_masked = mask_id_number(id_number)


def _check_id_number(*, id_number: str, gender: str, birth_date: datetime.date, exclude_pk=None) -> str:
    """The normalised number; refused if malformed, not matching birth date and gender, or
    already someone else's."""
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


def _check_staff_no(*, staff_no: str, exclude_pk=None) -> None:
    if Person.objects.filter(staff_no=staff_no).exclude(pk=exclude_pk).exists():
        raise ApplicationError(_("工号 %(staff_no)s 已存在") % {"staff_no": staff_no}, extra={"field": "staff_no"})


def _clean(instance, *, exclude=()) -> None:
    """Model validation, reported in the one error vocabulary."""
    try:
        instance.full_clean(exclude=list(exclude))
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise ApplicationError(
            messages[0], extra={"field": None if field == "__all__" else field, "errors": error.message_dict}
        ) from None


def _locked(person: Person) -> Person:
    return Person.objects.select_for_update().get(pk=person.pk)


@transaction.atomic
def person_create(
    *, actor: Actor, id_number: str, member_no: str = "", joined_on: datetime.date | None = None, **fields
) -> Person:
    """A new person; with `joined_on`, also their union membership (member number defaults
    to the staff number)."""
    permission_require(actor, "people.add_person", fields.get("sub_union"))
    forbidden = _PERSON_DERIVED_FIELDS & fields.keys()
    if forbidden:
        raise ApplicationError(_("这些字段不能直接设置：%(fields)s") % {"fields": ", ".join(sorted(forbidden))})
    person = Person(**fields)
    if member_no and not joined_on:
        raise ApplicationError(_("填写会员号时请同时填写入会日期"), extra={"field": "joined_on"})
    _check_staff_no(staff_no=person.staff_no)
    _clean(person, exclude=["id_number_encrypted", "id_number_digest", "id_number_masked"])
    number = _check_id_number(id_number=id_number, gender=person.gender, birth_date=person.birth_date)
    person_fill_derived(person, id_number=number)
    person.save()
    audit(
        actor,
        person,
        AuditAction.CREATED,
        person_id=person.pk,
        changes=changes_between({}, snapshot(person, PERSON_AUDITED_FIELDS)),
    )
    if joined_on:
        membership_join(actor=actor, person=person, joined_on=joined_on, member_no=member_no)
    return person


@transaction.atomic
def person_update(*, actor: Actor, person: Person, id_number: str | None = None, **fields) -> Person:
    """Change a person's fields; the audit event keeps each changed field before and after.

    An empty `id_number` leaves the number unchanged. The status changes only through
    `person_status_change`, the sub-union of a member only through `membership_transfer`."""
    permission_require(actor, "people.change_person", person)
    forbidden = _PERSON_UPDATE_FORBIDDEN & fields.keys()
    if forbidden:
        raise ApplicationError(_("这些字段不能直接修改：%(fields)s") % {"fields": ", ".join(sorted(forbidden))})
    person = _locked(person)
    if fields.get("sub_union") is not None:
        permission_require(actor, "people.change_person", fields["sub_union"])
    before = snapshot(person, PERSON_AUDITED_FIELDS)
    before_digest, before_sub_union_id = person.id_number_digest, person.sub_union_id
    for name, value in fields.items():
        setattr(person, name, value)
    if person.sub_union_id != before_sub_union_id:
        current = person.memberships.current().first()
        if current is not None and current.sub_union_id != person.sub_union_id:
            raise ApplicationError(_("在会会员请通过转会变更分工会"), extra={"field": "sub_union"})
    if "staff_no" in fields:
        _check_staff_no(staff_no=person.staff_no, exclude_pk=person.pk)
    _clean(person, exclude=["id_number_encrypted", "id_number_digest", "id_number_masked"])
    number = None
    if id_number:
        number = _check_id_number(
            id_number=id_number, gender=person.gender, birth_date=person.birth_date, exclude_pk=person.pk
        )
    elif person.id_number_encrypted and ("gender" in fields or "birth_date" in fields):
        # The number on file must still agree with the new birth date and gender.
        try:
            id_number_check(
                decrypt_text(person.id_number_encrypted), gender=person.gender, birth_date=person.birth_date
            )
        except IdNumberError as error:
            raise ApplicationError(str(error), extra={"field": "id_number"}) from None
    person_fill_derived(person, id_number=number)
    changes = changes_between(before, snapshot(person, PERSON_AUDITED_FIELDS))
    if number is not None and person.id_number_digest != before_digest and "id_number_masked" not in changes:
        # A new number with the same region code and last four digits: still a change.
        changes["id_number_masked"] = [before["id_number_masked"], person.id_number_masked]
    if changes:
        person.save()
        audit(actor, person, AuditAction.UPDATED, person_id=person.pk, changes=changes)
    return person


@transaction.atomic
def person_status_change(
    *, actor: Actor, person: Person, status: str, on: datetime.date | None, reason: str = ""
) -> Person:
    """Retire, record leaving or death, with the date and a reason (PersonWorkflow). Leaving
    and death end the union membership on that date; death is final."""
    permission_require(actor, "people.change_person", person)
    if status not in EmploymentStatus.values:
        raise ApplicationError(_("未知的人员状态"), extra={"field": "status"})
    person = _locked(person)
    if person.employment_status == EmploymentStatus.DECEASED:
        raise InvalidTransition(_("已去世人员的状态不能再变更"))
    if not PersonWorkflow.can_follow(person.employment_status, status):
        raise InvalidTransition(
            _("人员状态不能从“%(before)s”变更为“%(after)s”")
            % {"before": person.get_employment_status_display(), "after": EmploymentStatus(status).label}
        )
    if on is None:
        raise ApplicationError(_("请填写状态变更日期"), extra={"field": "on"})
    reason = _reason(reason, _("请填写状态变更原因"), Person, "status_reason")
    transition(
        PersonWorkflow,
        person,
        to=status,
        actor=actor,
        message=reason,
        parameters={"on": on.isoformat()},  # the effective date (eligibility.status_on reads it)
        values={"status_changed_on": on, "status_reason": reason},
    )
    if status in STATUS_ENDS_MEMBERSHIP:
        current = person.memberships.current().first()
        if current is not None:
            membership_end(actor=actor, membership=current, on=on, reason=reason, status=MembershipStatus.ENDED)
    return person


def _reason(text: str | None, missing: str, model, field: str, required: bool = True) -> str:
    """The stripped reason; refused when required and empty, or too long for `field`."""
    text = (text or "").strip()
    if required and not text:
        raise ApplicationError(missing, extra={"field": "reason"})
    limit = model._meta.get_field(field).max_length
    if len(text) > limit:
        raise ApplicationError(_("原因不能超过 %(limit)d 个字符") % {"limit": limit}, extra={"field": "reason"})
    return text


def _membership_event(*, actor: Actor, membership: UnionMembership, message: str, changes: dict):
    audit(actor, membership, AuditAction.MEMBERSHIP, message, person_id=membership.person_id, changes=changes)


def _locked_membership(membership: UnionMembership) -> UnionMembership:
    return UnionMembership.objects.select_for_update().select_related("person", "sub_union").get(pk=membership.pk)


@transaction.atomic
def membership_join(
    *, actor: Actor, person: Person, joined_on: datetime.date, member_no: str = "", confirmed: bool = True
) -> UnionMembership:
    """Open a membership in the person's sub-union; the member number defaults to the
    staff number. `confirmed=False` records an application the office confirms later."""
    permission_require(actor, "people.change_unionmembership", person)
    person = _locked(person)
    if person.employment_status in STATUS_ENDS_MEMBERSHIP:
        raise InvalidTransition(
            _("%(name)s 的人员状态为“%(status)s”，不能入会")
            % {"name": person.name, "status": person.get_employment_status_display()}
        )
    if person.memberships.current().exists():
        raise InvalidTransition(_("%(name)s 已是在会会员") % {"name": person.name})
    if joined_on is None:
        raise ApplicationError(_("请填写入会日期"), extra={"field": "joined_on"})
    member_no = (member_no or "").strip() or person.staff_no
    if UnionMembership.objects.filter(member_no=member_no).exclude(person=person).exists():
        raise ApplicationError(
            _("会员号 %(member_no)s 已被他人使用") % {"member_no": member_no}, extra={"field": "member_no"}
        )
    membership = UnionMembership.objects.create(
        person=person,
        sub_union=person.sub_union,
        member_no=member_no,
        joined_on=joined_on,
        status=MembershipStatus.ACTIVE if confirmed else MembershipStatus.APPLIED,
    )
    _membership_event(
        actor=actor,
        membership=membership,
        message=_("入会"),
        changes={
            "status": [None, membership.get_status_display()],
            "sub_union": [None, str(person.sub_union)],
            "member_no": [None, member_no],
            "joined_on": [None, joined_on.isoformat()],
        },
    )
    return membership


@transaction.atomic
def membership_confirm(*, actor: Actor, membership: UnionMembership) -> UnionMembership:
    """The union office confirms an application checked by the sub-union."""
    permission_require(actor, "people.change_unionmembership", membership)
    membership = _locked_membership(membership)
    if membership.status != MembershipStatus.APPLIED:
        raise InvalidTransition(_("只有申请中的会籍可以确认"))
    return transition(MembershipWorkflow, membership, to=MembershipStatus.ACTIVE, actor=actor)


@transaction.atomic
def membership_transfer(
    *, actor: Actor, person: Person, to_sub_union: SubUnion, on: datetime.date | None, reason: str = ""
) -> UnionMembership:
    """Close the current membership as transferred (MembershipWorkflow) and open one at the
    target with the same member number; the person moves with it. Both rows stay as history."""
    permission_require(actor, "people.change_unionmembership", person)
    permission_require(actor, "people.change_unionmembership", to_sub_union)
    person = _locked(person)
    current = person.memberships.current().select_for_update().select_related("sub_union").first()
    if current is None or current.status != MembershipStatus.ACTIVE:
        raise InvalidTransition(_("只有在会会员可以转会"))
    if current.sub_union_id == to_sub_union.pk:
        raise InvalidTransition(_("转入分工会与当前分工会相同"), extra={"field": "to_sub_union"})
    if on is None or on < current.joined_on:
        raise ApplicationError(_("转会日期不能早于本段会籍的入会日期"), extra={"field": "on"})
    reason = _reason(reason, "", UnionMembership, "reason", required=False)
    from_sub_union = current.sub_union
    transition(
        MembershipWorkflow,
        current,
        to=MembershipStatus.TRANSFERRED,
        actor=actor,
        message=_("转出：%(reason)s") % {"reason": reason} if reason else _("转出"),
        parameters={"on": on.isoformat()},
        values={"ended_on": on, "reason": reason},
    )
    new = UnionMembership.objects.create(
        person=person,
        sub_union=to_sub_union,
        member_no=current.member_no,
        joined_on=on,
        status=MembershipStatus.ACTIVE,
    )
    _membership_event(
        actor=actor,
        membership=new,
        message=_("转入"),
        changes={"sub_union": [str(from_sub_union), str(to_sub_union)], "status": [None, new.get_status_display()]},
    )
    person_update(actor=actor, person=person, sub_union=to_sub_union)
    return new


@transaction.atomic
def membership_end(
    *,
    actor: Actor,
    membership: UnionMembership,
    on: datetime.date | None,
    reason: str,
    status: str = MembershipStatus.ENDED,
) -> UnionMembership:
    """Lapse or end a membership on a date (MembershipWorkflow). A reason is required."""
    permission_require(actor, "people.change_unionmembership", membership)
    if status not in (MembershipStatus.LAPSED, MembershipStatus.ENDED):
        raise InvalidTransition(_("会籍只能中止或终止"), extra={"field": "status"})
    reason = _reason(reason, _("请填写原因"), UnionMembership, "reason")
    membership = _locked_membership(membership)
    if not MembershipWorkflow.can_follow(membership.status, status):
        raise InvalidTransition(_("该会籍已结束"))
    if on is None or on < membership.joined_on:
        raise ApplicationError(_("结束日期不能早于入会日期"), extra={"field": "on"})
    return transition(
        MembershipWorkflow,
        membership,
        to=status,
        actor=actor,
        message=reason,
        parameters={"on": on.isoformat()},
        values={"ended_on": on, "reason": reason},
    )


@transaction.atomic
def child_add(*, actor: Actor, parent: Person, name: str, gender: str, birth_date: datetime.date) -> Child:
    """Record a member of staff's child; the event is shown on the parent's page."""
    permission_require(actor, "people.change_person", parent)
    if birth_date is not None and birth_date > timezone.localdate():
        raise ApplicationError(_("出生日期不能晚于今天"), extra={"field": "birth_date"})
    if birth_date is not None and birth_date <= parent.birth_date:
        raise ApplicationError(_("子女的出生日期应晚于家长的出生日期"), extra={"field": "birth_date"})
    child = Child(parent=parent, name=(name or "").strip(), gender=gender, birth_date=birth_date)
    _clean(child)
    child.save()
    audit(
        actor,
        child,
        AuditAction.CREATED,
        _("添加子女"),
        person_id=parent.pk,
        changes=changes_between({}, snapshot(child, CHILD_AUDITED_FIELDS)),
    )
    return child


@transaction.atomic
def child_remove(*, actor: Actor, child: Child) -> None:
    """Delete a child's record; the event keeps what it held."""
    permission_require(actor, "people.change_person", child.parent)
    before = snapshot(child, CHILD_AUDITED_FIELDS)
    object_id, parent_id = child.pk, child.parent_id
    child.delete()
    audit_event_record(
        actor=actor,
        object_type="people.child",
        object_id=object_id,
        action=AuditAction.DELETED,
        person_id=parent_id,
        message=_("删除子女"),
        changes={k: [v, None] for k, v in before.items()},
    )


def person_id_number_reveal(*, actor: Actor, person: Person) -> str:
    """The clear ID number, for roles that need it; every reveal is logged."""
    permission_require(actor, "people.reveal_id_number", person, action="view")
    audit(actor, person, AuditAction.ID_REVEALED, person_id=person.pk)
    return person.id_number_clear()
