"""Policy notes, consultations and visits: each through its service, each refusal with its
message and nothing written. The clock is the root conftest's (2021-03-15 10:00)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from gonghui.admissions.choices import ConsultationChannel, PolicyNoteStatus, SchoolKind, Stage, VisitStatus
from gonghui.admissions.models import (
    Consultation,
    PolicyNote,
    PolicyNoteEvent,
    School,
    SchoolVisit,
    SchoolVisitEvent,
    VisitSignup,
)
from gonghui.admissions.services import advice
from gonghui.core.exceptions import ApplicationError, InvalidTransition, StepNotAllowed
from gonghui.core.models import AuditEvent
from gonghui.notifications.models import Notification
from gonghui.people.tests.factories import user_make

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2021, 3, 15)
DAY = datetime.timedelta(days=1)


@pytest.fixture
def w(clock, university):
    ruxue = university.users["admissions_officer"]
    school = School.objects.create(code="FX", name="示范附小", kind=SchoolKind.PRIMARY, district="海淀区")
    return university, ruxue, school


def _note(office, **overrides):
    fields = {
        "year": 2021,
        "district": "海淀区",
        "title": "2021年海淀区义务教育入学政策要点",
        "body": "适龄儿童须于5月10日前完成信息采集。",
    }
    return advice.policy_note_create(actor=office, **{**fields, **overrides})


# --- policy notes -----------------------------------------------------------------------------


def test_a_note_is_drafted_changed_published_and_withdrawn(w):
    u, ruxue, _school = w
    office = u.users["union_office"]
    note = _note(office, source_url=" https://www.bjhd.gov.cn/ ")
    assert (note.status, note.source_url, note.created_by) == (
        PolicyNoteStatus.DRAFT,
        "https://www.bjhd.gov.cn/",
        office,
    )
    note = advice.policy_note_update(actor=office, note=note, title="2021年海淀区入学政策解读")
    assert PolicyNote.objects.get(pk=note.pk).title == "2021年海淀区入学政策解读"
    # members do not read a draft
    assert not PolicyNote.objects.restrict(u.users["member"]).exists()
    advice.policy_note_publish(actor=office, note=note)
    note.refresh_from_db()
    assert note.status == PolicyNoteStatus.PUBLISHED and note.published_at is not None
    assert list(PolicyNote.objects.restrict(u.users["member"])) == [note]
    # published: no longer changed in place
    with pytest.raises(ApplicationError, match="只有草稿可以修改"):
        advice.policy_note_update(actor=office, note=note, title="改")
    with pytest.raises(InvalidTransition, match="须填写说明"):
        advice.policy_note_withdraw(actor=office, note=note, reason=" ")
    advice.policy_note_withdraw(actor=ruxue, note=note, reason="区教委发布了新政策")
    note.refresh_from_db()
    assert note.status == PolicyNoteStatus.WITHDRAWN
    steps = list(PolicyNoteEvent.objects.filter(subject=note).order_by("pk").values_list("step", "to_state"))
    assert steps == [("created", "draft"), ("publish", "published"), ("withdraw", "withdrawn")]
    assert AuditEvent.objects.filter(object_type="admissions.policynote", object_id=note.pk).count() == 4


def test_note_refusals_write_nothing(w):
    u, _ruxue, _school = w
    office = u.users["union_office"]
    with pytest.raises(PermissionDenied):
        _note(u.users["member"])
    with pytest.raises(ApplicationError, match="请填写政策所属的区"):
        _note(office, district=" ")
    with pytest.raises(ApplicationError, match="请填写标题"):
        _note(office, title="")
    assert PolicyNote.objects.count() == 0
    note = _note(office)
    with pytest.raises(ApplicationError, match="不能修改这些字段：status"):
        advice.policy_note_update(actor=office, note=note, status="published")
    with pytest.raises(PermissionDenied):
        advice.policy_note_update(actor=u.users["sub_union_officer"], note=note, title="改")
    with pytest.raises(StepNotAllowed):
        advice.policy_note_publish(actor=u.users["auditor"], note=note)
    note.refresh_from_db()
    assert (note.status, note.title) == (PolicyNoteStatus.DRAFT, "2021年海淀区义务教育入学政策要点")


# --- consultations ----------------------------------------------------------------------------


def test_the_admissions_officer_logs_advice(w):
    u, ruxue, _school = w
    logged = advice.consultation_log(
        actor=ruxue,
        person=u.zhang,
        asked_on=TODAY - DAY,
        channel=ConsultationChannel.PHONE,
        question="孩子2015年9月出生，今年能上小学吗？",
        answer="按8月31日划线，2015年9月1日后出生的明年入学。",
        stage=Stage.PRIMARY,
        district=" 海淀区 ",
    )
    assert (logged.advised_by, logged.district, logged.stage) == (ruxue, "海淀区", Stage.PRIMARY)
    # who asked reads the answer; no other member, not the plain office
    assert list(Consultation.objects.restrict(u.users["member"])) == [logged]
    assert not Consultation.objects.restrict(u.users["union_office"]).exists()
    anonymous = advice.consultation_log(
        actor=ruxue,
        asked_on=TODAY,
        channel=ConsultationChannel.ONLINE,
        question="租房能入学吗？",
        answer="看各区政策。",
    )
    assert anonymous.person is None
    assert AuditEvent.objects.filter(object_type="admissions.consultation", person_id=u.zhang.pk).count() == 1


def test_consultation_refusals(w):
    u, ruxue, _school = w
    base = {"asked_on": TODAY, "channel": ConsultationChannel.PHONE, "question": "问", "answer": "答"}
    with pytest.raises(PermissionDenied):  # the plain office does not log what members asked
        advice.consultation_log(actor=u.users["union_office"], **base)
    with pytest.raises(ApplicationError, match="请选择咨询方式"):
        advice.consultation_log(actor=ruxue, **{**base, "channel": "letter"})
    with pytest.raises(ApplicationError, match="请填写答复内容"):
        advice.consultation_log(actor=ruxue, **{**base, "answer": " "})
    with pytest.raises(ApplicationError, match="不能晚于今天"):
        advice.consultation_log(actor=ruxue, **{**base, "asked_on": TODAY + DAY})
    assert Consultation.objects.count() == 0


# --- visits ------------------------------------------------------------------------------------


def _visit(office, school, capacity=2, **kwargs):
    return advice.visit_create(
        actor=office,
        school=school,
        visit_on=kwargs.pop("visit_on", TODAY + 10 * DAY),
        capacity=capacity,
        signup_until=kwargs.pop("signup_until", TODAY + 5 * DAY),
        meeting_point="东门",
        **kwargs,
    )


def test_a_visit_with_sign_ups_held_and_attendance(w, clock):
    u, _ruxue, school = w
    office = u.users["union_office"]
    visit = _visit(office, school)
    li = user_make(username="E0002", person=u.li)
    first = advice.visit_signup(actor=u.users["member"], visit=visit)
    second = advice.visit_signup(actor=li, visit=visit)
    assert (first.person, second.person) == (u.zhang, u.li)
    # twice, full
    with pytest.raises(ApplicationError, match="您已报名本次参观"):
        advice.visit_signup(actor=u.users["member"], visit=visit)
    wang = user_make(username="L0001", person=u.wang)
    with pytest.raises(ApplicationError, match="2 个名额已满"):
        advice.visit_signup(actor=wang, visit=visit)
    # a place freed is taken again
    advice.visit_cancel_signup(actor=li, visit=visit)
    advice.visit_signup(actor=wang, visit=visit)
    assert set(VisitSignup.objects.filter(visit=visit).values_list("person__name", flat=True)) == {"张伟", "王芳"}
    # not before the day
    with pytest.raises(InvalidTransition, match="还没到"):
        advice.visit_hold(actor=office, visit=visit)
    with pytest.raises(ApplicationError, match="参观举行后才能记录"):
        advice.visit_attendance_record(actor=office, visit=visit, attended_ids=[first.pk])
    clock.move_to(datetime.datetime(2021, 3, 25, 17, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8))))
    advice.visit_hold(actor=office, visit=visit)
    came = advice.visit_attendance_record(actor=office, visit=visit, attended_ids=[first.pk])
    assert came == 1
    assert dict(VisitSignup.objects.filter(visit=visit).values_list("person__name", "attended")) == {
        "张伟": True,
        "王芳": False,
    }
    with pytest.raises(ApplicationError, match="有 1 人不在本次参观的报名名单中"):
        advice.visit_attendance_record(actor=office, visit=visit, attended_ids=[first.pk, 999999])
    with pytest.raises(PermissionDenied):
        advice.visit_attendance_record(actor=u.users["member"], visit=visit, attended_ids=[])
    steps = list(SchoolVisitEvent.objects.filter(subject=visit).order_by("pk").values_list("step", flat=True))
    assert steps == ["created", "signed_up", "signed_up", "signup_cancelled", "signed_up", "hold", "attendance"]
    assert VisitSignup.objects.get(pk=first.pk).attended is True


def test_sign_up_refusals(w, clock):
    u, _ruxue, school = w
    office = u.users["union_office"]
    member = u.users["member"]
    with pytest.raises(ApplicationError, match="报名截止须在今天与参观日期之间"):
        _visit(office, school, signup_until=TODAY + 20 * DAY)
    with pytest.raises(ApplicationError, match="名额至少为 1"):
        _visit(office, school, capacity=0)
    with pytest.raises(PermissionDenied):
        _visit(member, school)
    assert SchoolVisit.objects.count() == 0
    visit = _visit(office, school)
    with pytest.raises(PermissionDenied, match="只有教职工本人"):
        advice.visit_signup(actor=office, visit=visit)  # an account with no person
    with pytest.raises(ApplicationError, match="您没有报名本次参观"):
        advice.visit_cancel_signup(actor=member, visit=visit)
    clock.move_to(datetime.datetime(2021, 3, 21, 9, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8))))
    with pytest.raises(ApplicationError, match="报名已于 2021年3月20日 截止"):
        advice.visit_signup(actor=member, visit=visit)
    wang = user_make(username="L0001", person=u.wang)
    other = advice.visit_create(
        actor=office, school=school, visit_on=TODAY + 20 * DAY, capacity=5, signup_until=TODAY + 15 * DAY
    )
    advice.visit_signup(actor=member, visit=other)
    with pytest.raises(InvalidTransition, match="须填写说明"):
        advice.visit_cancel(actor=office, visit=other, reason="")
    advice.visit_cancel(actor=office, visit=other, reason="学校临时安排考试")
    other.refresh_from_db()
    assert other.status == VisitStatus.CANCELLED
    # who signed up is told, with the reason
    told = Notification.objects.get(recipient=member, kind="admissions.visit")
    assert (told.title, told.body) == ("2021年4月4日参观示范附小已取消", "学校临时安排考试")
    with pytest.raises(ApplicationError, match="本次参观已取消，不能报名"):
        advice.visit_signup(actor=wang, visit=other)
    assert VisitSignup.objects.count() == 1
