"""person_create, person_update, person_status_change, person_id_number_reveal, child_add/remove."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from gonghui.core.crypto import keyed_digest
from gonghui.core.exceptions import ApplicationError, InvalidTransition
from gonghui.core.models import AuditAction, AuditEvent
from gonghui.people.choices import CoverageType, EmploymentStatus, Gender, MembershipStatus
from gonghui.people.models import Child, Person, UnionMembership
from gonghui.people.services import (
    child_add,
    child_remove,
    person_create,
    person_id_number_reveal,
    person_status_change,
    person_update,
)
from gonghui.people.tests.factories import valid_id_number

BIRTH = datetime.date(1990, 4, 12)


def _fields(university, **overrides):
    values = {
        "staff_no": "N0001",
        "name": "刘洋",
        "gender": Gender.MALE,
        "birth_date": BIRTH,
        "phone": "13911112222",
        "coverage_type": CoverageType.INSURANCE,
        "sub_union": university.law,
    }
    values.update(overrides)
    return values


def _state():
    return (Person.objects.count(), AuditEvent.objects.count(), UnionMembership.objects.count())


# --- person_create ---------------------------------------------------------------------


def test_create_stores_the_number_encrypted_and_masked_and_records_one_event(university):
    office = university.users["union_office"]
    number = valid_id_number(birth_date=BIRTH, gender=Gender.MALE, sequence=321)
    # when
    person = person_create(actor=office, id_number=number, **_fields(university))
    # then
    person.refresh_from_db()
    assert person.id_number_clear() == number
    assert number not in person.id_number_encrypted
    assert person.id_number_digest == keyed_digest(number)
    assert person.id_number_masked == number[:6] + "********" + number[-4:]
    assert person.name_pinyin == "liuyang"
    events = list(AuditEvent.objects.filter(person_id=person.pk))
    assert [e.action for e in events] == [AuditAction.CREATED]
    assert events[0].actor == office
    assert events[0].changes["staff_no"] == [None, "N0001"]
    assert events[0].changes["sub_union"] == [None, "法学院分工会"]
    assert events[0].changes["id_number_masked"] == [None, person.id_number_masked]
    assert not person.memberships.exists()


def test_create_with_join_date_opens_the_membership(university):
    office = university.users["union_office"]
    number = valid_id_number(birth_date=BIRTH, gender=Gender.MALE, sequence=322)
    person = person_create(
        actor=office,
        id_number=number,
        joined_on=datetime.date(2015, 9, 1),
        member_no="H2015001",
        **_fields(university),
    )
    membership = person.memberships.get()
    assert (membership.status, membership.member_no, membership.sub_union, membership.joined_on) == (
        MembershipStatus.ACTIVE,
        "H2015001",
        university.law,
        datetime.date(2015, 9, 1),
    )
    assert list(AuditEvent.objects.filter(person_id=person.pk).order_by("id").values_list("action", flat=True)) == [
        AuditAction.CREATED,
        AuditAction.MEMBERSHIP,
    ]


@pytest.mark.parametrize(
    "make_number, fields, message",
    [
        (lambda n: n[:-1] + ("0" if n[-1] != "0" else "1"), {}, "身份证号校验位错误"),
        (lambda n: n, {"gender": Gender.FEMALE}, "身份证号中的性别与填写的性别不一致"),
        (lambda n: n, {"birth_date": datetime.date(1990, 4, 13)}, "身份证号中的出生日期与填写的出生日期不一致"),
        (lambda n: n[:10], {}, "身份证号应为18位（当前10位）"),
    ],
    ids=["checksum", "gender", "birth-date", "length"],
)
def test_create_with_a_wrong_id_number_is_refused(university, make_number, fields, message):
    office = university.users["union_office"]
    number = make_number(valid_id_number(birth_date=BIRTH, gender=Gender.MALE, sequence=323))
    before = _state()
    with pytest.raises(ApplicationError) as caught:
        person_create(actor=office, id_number=number, **_fields(university, **fields))
    assert caught.value.message == message
    assert caught.value.extra["field"] == "id_number"
    assert _state() == before


def test_create_with_an_id_number_of_another_staff_number_is_refused(university):
    office = university.users["union_office"]
    taken = university.wang.id_number_clear()
    before = _state()
    with pytest.raises(ApplicationError) as caught:
        person_create(
            actor=office,
            id_number=taken,
            **_fields(university, gender=Gender.FEMALE, birth_date=university.wang.birth_date),
        )
    assert caught.value.message == "该身份证号已属于工号 L0001"
    assert _state() == before


def test_create_with_a_taken_staff_number_is_refused(university):
    office = university.users["union_office"]
    number = valid_id_number(birth_date=BIRTH, gender=Gender.MALE, sequence=324)
    before = _state()
    with pytest.raises(ApplicationError) as caught:
        person_create(actor=office, id_number=number, **_fields(university, staff_no="E0001"))
    assert caught.value.message == "工号 E0001 已存在"
    assert caught.value.extra["field"] == "staff_no"
    assert _state() == before


@pytest.mark.parametrize("role", ["member", "sub_union_officer", "auditor", "welfare_committee"])
def test_only_office_and_administrator_may_create(university, role):
    number = valid_id_number(birth_date=BIRTH, gender=Gender.MALE, sequence=325)
    before = _state()
    with pytest.raises(PermissionDenied):
        person_create(actor=university.users[role], id_number=number, **_fields(university))
    assert _state() == before


# --- person_update ---------------------------------------------------------------------


def test_update_records_one_event_with_exact_before_and_after(university):
    office = university.users["union_office"]
    zhang = university.zhang
    # when
    person_update(actor=office, person=zhang, phone="13700001111", coverage_type=CoverageType.PUBLIC, name="张伟")
    # then
    event = AuditEvent.objects.get(person_id=zhang.pk)
    assert event.action == AuditAction.UPDATED
    assert event.actor == office
    assert (event.object_type, event.object_id) == ("people.person", str(zhang.pk))
    assert event.changes == {"phone": ["13800000000", "13700001111"], "coverage_type": ["医保", "公费医疗"]}
    zhang.refresh_from_db()
    assert (zhang.phone, zhang.coverage_type) == ("13700001111", CoverageType.PUBLIC)


def test_update_without_a_change_records_nothing(university):
    office = university.users["union_office"]
    zhang = university.zhang
    person_update(actor=office, person=zhang, phone=zhang.phone, id_number=zhang.id_number_clear())
    assert AuditEvent.objects.count() == 0


def test_update_with_a_new_id_number_keeps_it_encrypted_and_logs_the_masked_values(university):
    office = university.users["union_office"]
    zhang = university.zhang
    old_masked = zhang.id_number_masked
    number = valid_id_number(birth_date=zhang.birth_date, gender=zhang.gender, sequence=555)
    person_update(actor=office, person=zhang, id_number=number)
    zhang.refresh_from_db()
    assert zhang.id_number_clear() == number
    assert zhang.id_number_digest == keyed_digest(number)
    event = AuditEvent.objects.get(person_id=zhang.pk)
    assert event.changes == {"id_number_masked": [old_masked, zhang.id_number_masked]}
    assert number not in str(event.changes)


def test_update_of_birth_date_disagreeing_with_the_number_on_file_is_refused(university):
    office = university.users["union_office"]
    zhang = university.zhang
    with pytest.raises(ApplicationError) as caught:
        person_update(actor=office, person=zhang, birth_date=datetime.date(1981, 1, 1))
    assert caught.value.message == "身份证号中的出生日期与填写的出生日期不一致"
    zhang.refresh_from_db()
    assert zhang.birth_date == datetime.date(1980, 5, 17)
    assert AuditEvent.objects.count() == 0


def test_update_of_a_members_sub_union_is_refused_outside_a_transfer(university):
    office = university.users["union_office"]
    zhang = university.zhang
    with pytest.raises(ApplicationError) as caught:
        person_update(actor=office, person=zhang, sub_union=university.law)
    assert caught.value.message == "在会会员请通过转会变更分工会"
    zhang.refresh_from_db()
    assert zhang.sub_union == university.econ
    assert AuditEvent.objects.count() == 0


def test_update_cannot_change_the_status_directly(university):
    office = university.users["union_office"]
    with pytest.raises(ApplicationError) as caught:
        person_update(actor=office, person=university.zhang, employment_status=EmploymentStatus.LEFT)
    assert caught.value.message == "这些字段不能直接修改：employment_status"
    university.zhang.refresh_from_db()
    assert university.zhang.employment_status == EmploymentStatus.ACTIVE
    assert AuditEvent.objects.count() == 0


@pytest.mark.parametrize("role", ["member", "sub_union_officer", "auditor"])
def test_member_officer_and_auditor_cannot_change_anyone(university, role):
    user = university.users[role]
    for person in (university.zhang, university.li, university.officer_person):
        with pytest.raises(PermissionDenied):
            person_update(actor=user, person=person, phone="13000000000")
        with pytest.raises(PermissionDenied):
            person_status_change(
                actor=user, person=person, status=EmploymentStatus.LEFT, on=datetime.date(2024, 1, 1), reason="调往他校"
            )
        with pytest.raises(PermissionDenied):
            child_add(
                actor=user, parent=person, name="张小明", gender=Gender.MALE, birth_date=datetime.date(2012, 1, 1)
            )
    assert set(Person.objects.values_list("phone", flat=True)) == {"13800000000"}
    assert set(Person.objects.values_list("employment_status", flat=True)) == {
        EmploymentStatus.ACTIVE,
        EmploymentStatus.RETIRED,
    }
    assert Child.objects.count() == 0
    assert AuditEvent.objects.count() == 0


# --- person_status_change --------------------------------------------------------------


def test_leaving_ends_the_membership_on_the_date_with_the_reason(university):
    office = university.users["union_office"]
    zhang = university.zhang
    on = datetime.date(2024, 7, 31)
    # when
    person_status_change(actor=office, person=zhang, status=EmploymentStatus.LEFT, on=on, reason="调往清华大学")
    # then
    zhang.refresh_from_db()
    assert (zhang.employment_status, zhang.status_changed_on, zhang.status_reason) == (
        EmploymentStatus.LEFT,
        on,
        "调往清华大学",
    )
    membership = zhang.memberships.get()
    assert (membership.status, membership.ended_on, membership.reason) == (MembershipStatus.ENDED, on, "调往清华大学")
    status_event, membership_event = AuditEvent.objects.filter(person_id=zhang.pk).order_by("id")
    assert status_event.action == AuditAction.STATUS_CHANGED
    assert status_event.message == "调往清华大学"
    assert status_event.changes == {
        "employment_status": ["在职", "调离"],
        "status_changed_on": [None, "2024-07-31"],
        "status_reason": ["", "调往清华大学"],
    }
    assert membership_event.action == AuditAction.STATUS_CHANGED
    assert membership_event.changes == {
        "status": ["在会", "终止"],
        "ended_on": [None, "2024-07-31"],
        "reason": ["", "调往清华大学"],
    }
    # one workflow event each: the person's "leave" step, the membership's "end" step
    assert list(zhang.events.values_list("from_state", "to_state", "step", "message")) == [
        ("active", "left", "leave", "调往清华大学")
    ]
    assert list(membership.events.values_list("from_state", "to_state", "step", "message")) == [
        ("active", "ended", "end", "调往清华大学")
    ]


def test_retiring_keeps_the_membership(university):
    office = university.users["union_office"]
    zhang = university.zhang
    person_status_change(
        actor=office, person=zhang, status=EmploymentStatus.RETIRED, on=datetime.date(2040, 5, 31), reason="退休"
    )
    zhang.refresh_from_db()
    assert zhang.employment_status == EmploymentStatus.RETIRED
    assert zhang.memberships.get().status == MembershipStatus.ACTIVE
    assert AuditEvent.objects.filter(person_id=zhang.pk).count() == 1
    assert list(zhang.events.values_list("step", flat=True)) == ["retire"]
    assert not zhang.memberships.get().events.exists()


def test_death_ends_the_membership_and_is_final(university):
    office = university.users["union_office"]
    zhao = university.zhao
    person_status_change(
        actor=office, person=zhao, status=EmploymentStatus.DECEASED, on=datetime.date(2024, 2, 3), reason="病故"
    )
    assert zhao.memberships.get().status == MembershipStatus.ENDED
    events = AuditEvent.objects.count()
    for status in (EmploymentStatus.ACTIVE, EmploymentStatus.RETIRED, EmploymentStatus.LEFT):
        with pytest.raises(InvalidTransition) as caught:
            person_status_change(actor=office, person=zhao, status=status, on=datetime.date(2024, 3, 1), reason="更正")
        assert caught.value.message == "已去世人员的状态不能再变更"
    assert list(zhao.events.values_list("from_state", "to_state", "step")) == [("retired", "deceased", "die")]
    zhao.refresh_from_db()
    assert (zhao.employment_status, zhao.status_changed_on, zhao.status_reason) == (
        EmploymentStatus.DECEASED,
        datetime.date(2024, 2, 3),
        "病故",
    )
    assert AuditEvent.objects.count() == events


def test_a_retiree_cannot_be_recorded_as_left(university):
    office = university.users["union_office"]
    with pytest.raises(InvalidTransition) as caught:
        person_status_change(
            actor=office,
            person=university.zhao,
            status=EmploymentStatus.LEFT,
            on=datetime.date(2024, 1, 1),
            reason="迁居",
        )
    assert caught.value.message == "人员状态不能从“离退休”变更为“调离”"
    university.zhao.refresh_from_db()
    assert university.zhao.employment_status == EmploymentStatus.RETIRED
    assert AuditEvent.objects.count() == 0
    assert not university.zhao.events.exists()


def test_status_change_needs_a_reason(university):
    office = university.users["union_office"]
    zhang = university.zhang
    with pytest.raises(ApplicationError) as caught:
        person_status_change(
            actor=office, person=zhang, status=EmploymentStatus.LEFT, on=datetime.date(2024, 1, 1), reason="  "
        )
    assert caught.value.message == "请填写状态变更原因"
    zhang.refresh_from_db()
    assert zhang.employment_status == EmploymentStatus.ACTIVE
    assert zhang.memberships.get().status == MembershipStatus.ACTIVE
    assert AuditEvent.objects.count() == 0


# --- person_id_number_reveal -----------------------------------------------------------


def test_reveal_returns_the_clear_number_and_logs_it(university):
    office = university.users["union_office"]
    number = person_id_number_reveal(actor=office, person=university.wang)
    assert number == university.wang.id_number_clear()
    assert len(number) == 18
    event = AuditEvent.objects.get()
    assert (event.action, event.actor, event.person_id) == (AuditAction.ID_REVEALED, office, university.wang.pk)


@pytest.mark.parametrize("role", ["sub_union_officer", "member", "auditor"])
def test_reveal_is_refused_without_the_permission_and_logs_nothing(university, role):
    with pytest.raises(PermissionDenied):
        person_id_number_reveal(actor=university.users[role], person=university.zhang)
    assert AuditEvent.objects.count() == 0


# --- children --------------------------------------------------------------------------


def test_child_add_and_remove_are_recorded_on_the_parents_page(university):
    office = university.users["union_office"]
    zhang = university.zhang
    child = child_add(
        actor=office, parent=zhang, name="张小明", gender=Gender.MALE, birth_date=datetime.date(2014, 6, 1)
    )
    assert list(zhang.children.values_list("name", flat=True)) == ["张小明"]
    child_pk = child.pk
    child_remove(actor=office, child=child)
    assert Child.objects.count() == 0
    added, removed = AuditEvent.objects.filter(person_id=zhang.pk).order_by("id")
    assert (added.action, added.object_type) == (AuditAction.CREATED, "people.child")
    assert added.changes == {"name": [None, "张小明"], "gender": [None, "男"], "birth_date": [None, "2014-06-01"]}
    assert (removed.action, removed.object_id) == (AuditAction.DELETED, str(child_pk))
    assert removed.changes == {"name": ["张小明", None], "gender": ["男", None], "birth_date": ["2014-06-01", None]}


def test_child_born_before_the_parent_is_refused(university):
    office = university.users["union_office"]
    with pytest.raises(ApplicationError) as caught:
        child_add(
            actor=office,
            parent=university.zhang,
            name="张小明",
            gender=Gender.MALE,
            birth_date=datetime.date(1970, 1, 1),
        )
    assert caught.value.message == "子女的出生日期应晚于家长的出生日期"
    assert Child.objects.count() == 0
    assert AuditEvent.objects.count() == 0
