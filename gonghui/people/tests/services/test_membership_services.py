"""membership_join, membership_confirm, membership_transfer, membership_end."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from gonghui.core.exceptions import ApplicationError, InvalidTransition
from gonghui.core.models import AuditAction, AuditEvent
from gonghui.people.choices import EmploymentStatus, MembershipStatus
from gonghui.people.models import UnionMembership
from gonghui.people.services import (
    membership_confirm,
    membership_end,
    membership_join,
    membership_transfer,
    person_status_change,
)
from gonghui.people.tests.factories import person_make


def _steps(membership):
    """The membership's workflow events."""
    return list(membership.events.values_list("from_state", "to_state", "step", "message", "actor__username"))


def _rows(person):
    return list(
        person.memberships.order_by("id").values_list(
            "sub_union__code", "member_no", "status", "joined_on", "ended_on", "reason"
        )
    )


@pytest.fixture
def office(university):
    return university.users["union_office"]


@pytest.fixture
def newcomer(university):
    return person_make(staff_no="L0100", name="周杰", sub_union=university.law, member=False)


# --- join and confirm ------------------------------------------------------------------


def test_join_opens_an_active_membership_with_the_staff_number(office, newcomer):
    membership = membership_join(actor=office, person=newcomer, joined_on=datetime.date(2023, 9, 1))
    assert _rows(newcomer) == [("LAW", "L0100", MembershipStatus.ACTIVE, datetime.date(2023, 9, 1), None, "")]
    event = AuditEvent.objects.get()
    assert (event.action, event.object_type, event.object_id, event.person_id, event.message) == (
        AuditAction.MEMBERSHIP,
        "people.unionmembership",
        str(membership.pk),
        newcomer.pk,
        "入会",
    )
    assert event.changes == {
        "status": [None, "在会"],
        "sub_union": [None, "法学院分工会"],
        "member_no": [None, "L0100"],
        "joined_on": [None, "2023-09-01"],
    }


def test_join_twice_is_refused(office, university):
    zhang = university.zhang
    before = _rows(zhang)
    with pytest.raises(InvalidTransition) as caught:
        membership_join(actor=office, person=zhang, joined_on=datetime.date(2023, 9, 1))
    assert caught.value.message == "张伟 已是在会会员"
    assert _rows(zhang) == before
    assert AuditEvent.objects.count() == 0


def test_join_with_a_member_number_of_someone_else_is_refused(office, newcomer, university):
    with pytest.raises(ApplicationError) as caught:
        membership_join(
            actor=office,
            person=newcomer,
            joined_on=datetime.date(2023, 9, 1),
            member_no=f"M{university.zhang.staff_no}",
        )
    assert caught.value.message == "会员号 ME0001 已被他人使用"
    assert _rows(newcomer) == []
    assert AuditEvent.objects.count() == 0


def test_a_person_who_left_cannot_join(office, university):
    zhang = university.zhang
    person_status_change(
        actor=office, person=zhang, status=EmploymentStatus.LEFT, on=datetime.date(2024, 1, 31), reason="调离"
    )
    before, events = _rows(zhang), AuditEvent.objects.count()
    with pytest.raises(InvalidTransition) as caught:
        membership_join(actor=office, person=zhang, joined_on=datetime.date(2024, 3, 1))
    assert caught.value.message == "张伟 的人员状态为“调离”，不能入会"
    assert _rows(zhang) == before
    assert AuditEvent.objects.count() == events


def test_confirm_makes_an_application_active(office, newcomer):
    applied = membership_join(actor=office, person=newcomer, joined_on=datetime.date(2023, 9, 1), confirmed=False)
    assert applied.status == MembershipStatus.APPLIED
    membership_confirm(actor=office, membership=applied)
    applied.refresh_from_db()
    assert applied.status == MembershipStatus.ACTIVE
    confirm_event = AuditEvent.objects.order_by("id").last()
    assert (confirm_event.message, confirm_event.changes) == ("确认入会", {"status": ["申请中", "在会"]})
    assert confirm_event.action == AuditAction.STATUS_CHANGED
    assert AuditEvent.objects.count() == 2
    assert _steps(applied) == [("applied", "active", "confirm", "", "office")]
    # confirming again is refused
    with pytest.raises(InvalidTransition) as caught:
        membership_confirm(actor=office, membership=applied)
    assert caught.value.message == "只有申请中的会籍可以确认"
    assert AuditEvent.objects.count() == 2
    assert len(_steps(applied)) == 1


# --- transfer --------------------------------------------------------------------------


def test_transfer_keeps_history_and_moves_the_person(office, university):
    zhang = university.zhang
    on = datetime.date(2024, 3, 1)
    # when
    new = membership_transfer(actor=office, person=zhang, to_sub_union=university.law, on=on, reason="调入法学院")
    # then
    assert _rows(zhang) == [
        ("ECON", "ME0001", MembershipStatus.TRANSFERRED, datetime.date(2010, 9, 1), on, "调入法学院"),
        ("LAW", "ME0001", MembershipStatus.ACTIVE, on, None, ""),
    ]
    assert new.status == MembershipStatus.ACTIVE
    zhang.refresh_from_db()
    assert zhang.sub_union == university.law
    closed, opened, moved = AuditEvent.objects.filter(person_id=zhang.pk).order_by("id")
    assert (closed.action, closed.message, closed.changes) == (
        AuditAction.STATUS_CHANGED,
        "转出：调入法学院",
        {"status": ["在会", "已转出"], "ended_on": [None, "2024-03-01"], "reason": ["", "调入法学院"]},
    )
    old = UnionMembership.objects.get(person=zhang, status=MembershipStatus.TRANSFERRED)
    assert _steps(old) == [("active", "transferred", "transfer", "转出：调入法学院", "office")]
    assert _steps(new) == []
    assert (opened.action, opened.object_id, opened.changes) == (
        AuditAction.MEMBERSHIP,
        str(new.pk),
        {"sub_union": ["经济学院分工会", "法学院分工会"], "status": [None, "在会"]},
    )
    assert (moved.action, moved.changes) == (
        AuditAction.UPDATED,
        {"sub_union": ["经济学院分工会", "法学院分工会"]},
    )


def test_transfer_to_the_same_sub_union_is_refused(office, university):
    zhang = university.zhang
    before = _rows(zhang)
    with pytest.raises(InvalidTransition) as caught:
        membership_transfer(actor=office, person=zhang, to_sub_union=university.econ, on=datetime.date(2024, 3, 1))
    assert caught.value.message == "转入分工会与当前分工会相同"
    assert _rows(zhang) == before
    zhang.refresh_from_db()
    assert zhang.sub_union == university.econ
    assert AuditEvent.objects.count() == 0


def test_transfer_of_a_non_member_is_refused(office, newcomer, university):
    with pytest.raises(InvalidTransition) as caught:
        membership_transfer(actor=office, person=newcomer, to_sub_union=university.econ, on=datetime.date(2024, 3, 1))
    assert caught.value.message == "只有在会会员可以转会"
    assert _rows(newcomer) == []
    newcomer.refresh_from_db()
    assert newcomer.sub_union == university.law
    assert AuditEvent.objects.count() == 0


def test_transfer_dated_before_joining_is_refused(office, university):
    zhang = university.zhang
    before = _rows(zhang)
    with pytest.raises(ApplicationError) as caught:
        membership_transfer(actor=office, person=zhang, to_sub_union=university.law, on=datetime.date(2009, 1, 1))
    assert caught.value.message == "转会日期不能早于本段会籍的入会日期"
    assert _rows(zhang) == before
    assert AuditEvent.objects.count() == 0


@pytest.mark.parametrize("role", ["member", "sub_union_officer", "auditor"])
def test_only_the_office_may_transfer(university, role):
    zhang = university.zhang
    before = _rows(zhang)
    with pytest.raises(PermissionDenied):
        membership_transfer(
            actor=university.users[role], person=zhang, to_sub_union=university.law, on=datetime.date(2024, 3, 1)
        )
    assert _rows(zhang) == before
    assert AuditEvent.objects.count() == 0


# --- end / lapse -----------------------------------------------------------------------


@pytest.mark.parametrize("reason", ["", "   "])
def test_end_requires_a_reason(office, university, reason):
    membership = university.wang.memberships.get()
    with pytest.raises(ApplicationError) as caught:
        membership_end(actor=office, membership=membership, on=datetime.date(2024, 6, 30), reason=reason)
    assert caught.value.message == "请填写原因"
    membership.refresh_from_db()
    assert (membership.status, membership.ended_on, membership.reason) == (MembershipStatus.ACTIVE, None, "")
    assert AuditEvent.objects.count() == 0


@pytest.mark.parametrize("status, label", [(MembershipStatus.LAPSED, "中止"), (MembershipStatus.ENDED, "终止")])
def test_lapse_or_end_with_a_reason(office, university, status, label):
    membership = university.wang.memberships.get()
    membership_end(
        actor=office, membership=membership, on=datetime.date(2024, 6, 30), reason="连续欠缴会费", status=status
    )
    membership.refresh_from_db()
    assert (membership.status, membership.ended_on, membership.reason) == (
        status,
        datetime.date(2024, 6, 30),
        "连续欠缴会费",
    )
    event = AuditEvent.objects.get()
    assert (event.action, event.message, event.changes) == (
        AuditAction.STATUS_CHANGED,
        "连续欠缴会费",
        {"status": ["在会", label], "ended_on": [None, "2024-06-30"], "reason": ["", "连续欠缴会费"]},
    )
    step = "lapse" if status == MembershipStatus.LAPSED else "end"
    assert _steps(membership) == [("active", status, step, "连续欠缴会费", "office")]
    assert not UnionMembership.objects.current().filter(person=university.wang).exists()


def test_end_of_an_ended_membership_is_refused(office, university):
    membership = university.wang.memberships.get()
    membership_end(actor=office, membership=membership, on=datetime.date(2024, 6, 30), reason="退会")
    with pytest.raises(InvalidTransition) as caught:
        membership_end(actor=office, membership=membership, on=datetime.date(2024, 7, 30), reason="再次")
    assert caught.value.message == "该会籍已结束"
    membership.refresh_from_db()
    assert (membership.ended_on, membership.reason) == (datetime.date(2024, 6, 30), "退会")
    assert AuditEvent.objects.count() == 1
    assert len(_steps(membership)) == 1


def test_end_with_another_status_is_refused(office, university):
    membership = university.wang.memberships.get()
    with pytest.raises(InvalidTransition):
        membership_end(
            actor=office,
            membership=membership,
            on=datetime.date(2024, 6, 30),
            reason="x",
            status=MembershipStatus.TRANSFERRED,
        )
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.ACTIVE
    assert AuditEvent.objects.count() == 0
