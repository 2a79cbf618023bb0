"""Back-office write pages for people, memberships and children: forms post to the
services, refusals show on the form, and nothing is written when refused."""

import datetime
import re

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from gonghui.core.models import AuditAction, AuditEvent
from gonghui.people.choices import CoverageType, EmploymentStatus, Gender, MembershipStatus
from gonghui.people.models import Child, Person, UnionMembership
from gonghui.people.tests.factories import user_make, valid_id_number

BIRTH = datetime.date(1991, 2, 3)


def _bad_checksum(number):
    return number[:-1] + ("1" if number[-1] == "0" else "0")


def _create_data(university, **overrides):
    data = {
        "staff_no": "N0200",
        "name": "孙丽",
        "gender": Gender.FEMALE,
        "birth_date": "1991-02-03",
        "id_number": valid_id_number(birth_date=BIRTH, gender=Gender.FEMALE, sequence=700),
        "phone": "13612345678",
        "employment_category": "",
        "employment_status": EmploymentStatus.ACTIVE,
        "coverage_type": CoverageType.PUBLIC,
        "sub_union": university.law.pk,
        "jingka_no": "",
        "joined_on": "",
        "member_no": "",
    }
    data.update(overrides)
    return data


def _edit_data(person, **overrides):
    data = {
        "staff_no": person.staff_no,
        "name": person.name,
        "gender": person.gender,
        "birth_date": person.birth_date.isoformat(),
        "id_number": "",
        "phone": person.phone,
        "employment_category": person.employment_category_id or "",
        "coverage_type": person.coverage_type,
        "sub_union": person.sub_union_id,
        "jingka_no": person.jingka_no,
    }
    data.update(overrides)
    return data


def _counts():
    return (Person.objects.count(), UnionMembership.objects.count(), Child.objects.count(), AuditEvent.objects.count())


@pytest.fixture
def office_client(client, university):
    client.force_login(university.users["union_office"])
    return client


# --- create ----------------------------------------------------------------------------


def test_create_page_creates_the_person_and_membership(office_client, university):
    response = office_client.get(reverse("people:person_create"))
    assert response.status_code == 200
    data = _create_data(university, joined_on="2016-09-01", member_no="H160001")
    response = office_client.post(reverse("people:person_create"), data)
    person = Person.objects.get(staff_no="N0200")
    assert response.status_code == 302
    assert response["Location"] == reverse("people:person_detail", args=[person.pk])
    assert (person.name, person.sub_union, person.coverage_type) == ("孙丽", university.law, CoverageType.PUBLIC)
    assert person.id_number_clear() == data["id_number"]
    assert list(person.memberships.values_list("member_no", "status")) == [("H160001", MembershipStatus.ACTIVE)]
    assert list(AuditEvent.objects.filter(person_id=person.pk).order_by("id").values_list("action", flat=True)) == [
        AuditAction.CREATED,
        AuditAction.MEMBERSHIP,
    ]


@pytest.mark.parametrize(
    "overrides, message",
    [
        (
            {"id_number": valid_id_number(birth_date=BIRTH, gender=Gender.MALE, sequence=701)},
            "身份证号中的性别与填写的性别不一致",
        ),
        ({"birth_date": "1991-02-04"}, "身份证号中的出生日期与填写的出生日期不一致"),
        (
            {"id_number": _bad_checksum(valid_id_number(birth_date=BIRTH, gender=Gender.FEMALE, sequence=703))},
            "身份证号校验位错误",
        ),
        ({"staff_no": "E0001"}, "工号 E0001 已存在"),
        ({"member_no": "H1"}, "填写会员号时请同时填写入会日期"),
        ({"name": ""}, "该字段是必填项。"),
        ({"birth_date": "1991-13-40"}, "输入一个有效的日期。"),
    ],
)
def test_create_page_shows_validation_messages_and_writes_nothing(office_client, university, overrides, message):
    before = _counts()
    response = office_client.post(reverse("people:person_create"), _create_data(university, **overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert _counts() == before


def test_create_page_reports_a_duplicate_id_number(office_client, university):
    wang = university.wang
    before = _counts()
    data = _create_data(
        university, gender=wang.gender, birth_date=wang.birth_date.isoformat(), id_number=wang.id_number_clear().lower()
    )
    response = office_client.post(reverse("people:person_create"), data)
    assert response.status_code == 400
    assert "该身份证号已属于工号 L0001" in response.content.decode()
    assert _counts() == before


# --- edit ------------------------------------------------------------------------------


def test_edit_page_never_shows_the_clear_id_number(office_client, university):
    zhang = university.zhang
    html = office_client.get(reverse("people:person_edit", args=[zhang.pk])).content.decode()
    clear = zhang.id_number_clear()
    assert clear not in html
    assert clear[6:14] not in html  # not even the birth-date digits
    assert zhang.id_number_masked in html  # as the placeholder
    assert 'value="E0001"' in html
    # after a refused post either
    response = office_client.post(
        reverse("people:person_edit", args=[zhang.pk]), _edit_data(zhang, birth_date="1980-05-18")
    )
    assert response.status_code == 400
    assert clear not in response.content.decode()


def test_edit_with_an_empty_id_number_keeps_it(office_client, university):
    zhang = university.zhang
    digest = zhang.id_number_digest
    response = office_client.post(
        reverse("people:person_edit", args=[zhang.pk]), _edit_data(zhang, phone="13599998888")
    )
    assert response.status_code == 302
    zhang.refresh_from_db()
    assert (zhang.phone, zhang.id_number_digest) == ("13599998888", digest)
    event = AuditEvent.objects.get()
    assert event.changes == {"phone": ["13800000000", "13599998888"]}


def test_edit_with_a_new_id_number_replaces_it(office_client, university):
    zhang = university.zhang
    number = valid_id_number(birth_date=zhang.birth_date, gender=zhang.gender, sequence=702)
    response = office_client.post(reverse("people:person_edit", args=[zhang.pk]), _edit_data(zhang, id_number=number))
    assert response.status_code == 302
    zhang.refresh_from_db()
    assert zhang.id_number_clear() == number


def test_edit_refused_by_the_service_changes_nothing(office_client, university):
    zhang = university.zhang
    response = office_client.post(
        reverse("people:person_edit", args=[zhang.pk]),
        _edit_data(zhang, birth_date="1980-05-18", phone="13000000000"),
    )
    assert response.status_code == 400
    assert "身份证号中的出生日期与填写的出生日期不一致" in response.content.decode()
    zhang.refresh_from_db()
    assert (zhang.birth_date, zhang.phone) == (datetime.date(1980, 5, 17), "13800000000")
    assert AuditEvent.objects.count() == 0


def test_edit_cannot_move_a_member_to_another_sub_union(office_client, university):
    zhang = university.zhang
    response = office_client.post(
        reverse("people:person_edit", args=[zhang.pk]), _edit_data(zhang, sub_union=university.law.pk)
    )
    # the field is disabled for members: the posted value is ignored
    assert response.status_code == 302
    zhang.refresh_from_db()
    assert zhang.sub_union == university.econ
    assert AuditEvent.objects.count() == 0


# --- status ----------------------------------------------------------------------------


def test_status_page_records_leaving_and_ends_the_membership(office_client, university):
    zhang = university.zhang
    response = office_client.post(
        reverse("people:person_status", args=[zhang.pk]),
        {"status": EmploymentStatus.LEFT, "on": "2024-08-31", "reason": "调往外校"},
    )
    assert response.status_code == 302
    zhang.refresh_from_db()
    assert zhang.employment_status == EmploymentStatus.LEFT
    assert list(zhang.memberships.values_list("status", "ended_on", "reason")) == [
        (MembershipStatus.ENDED, datetime.date(2024, 8, 31), "调往外校")
    ]


def test_status_page_requires_a_reason(office_client, university):
    zhang = university.zhang
    before = _counts()
    response = office_client.post(
        reverse("people:person_status", args=[zhang.pk]), {"status": EmploymentStatus.LEFT, "on": "2024-08-31"}
    )
    assert response.status_code == 400
    assert "该字段是必填项。" in response.content.decode()
    zhang.refresh_from_db()
    assert zhang.employment_status == EmploymentStatus.ACTIVE
    assert _counts() == before


def test_status_page_shows_a_refused_transition(office_client, university):
    zhao = university.zhao
    response = office_client.post(
        reverse("people:person_status", args=[zhao.pk]),
        {"status": EmploymentStatus.LEFT, "on": "2024-08-31", "reason": "迁居"},
    )
    assert response.status_code == 400
    assert "人员状态不能从“离退休”变更为“调离”" in response.content.decode()
    zhao.refresh_from_db()
    assert zhao.employment_status == EmploymentStatus.RETIRED
    assert AuditEvent.objects.count() == 0


# --- membership ------------------------------------------------------------------------


def test_transfer_page(office_client, university):
    zhang = university.zhang
    url = reverse("people:membership_transfer", args=[zhang.pk])
    assert office_client.get(url).status_code == 200
    response = office_client.post(url, {"to_sub_union": university.econ.pk, "on": "2024-03-01", "reason": ""})
    assert response.status_code == 400
    assert "转入分工会与当前分工会相同" in response.content.decode()
    assert zhang.memberships.count() == 1
    response = office_client.post(url, {"to_sub_union": university.law.pk, "on": "2024-03-01", "reason": "调动"})
    assert response.status_code == 302
    assert list(zhang.memberships.order_by("id").values_list("sub_union__code", "status")) == [
        ("ECON", MembershipStatus.TRANSFERRED),
        ("LAW", MembershipStatus.ACTIVE),
    ]


def test_end_page_requires_a_reason_then_lapses(office_client, university):
    wang = university.wang
    url = reverse("people:membership_end", args=[wang.pk])
    assert office_client.get(url).status_code == 200
    before = _counts()
    response = office_client.post(url, {"status": MembershipStatus.LAPSED, "on": "2024-06-30", "reason": ""})
    assert response.status_code == 400
    assert "该字段是必填项。" in response.content.decode()
    assert _counts() == before
    response = office_client.post(url, {"status": MembershipStatus.LAPSED, "on": "2024-06-30", "reason": "欠缴会费"})
    assert response.status_code == 302
    assert list(wang.memberships.values_list("status", "reason")) == [(MembershipStatus.LAPSED, "欠缴会费")]
    # nothing left to end
    response = office_client.post(url, {"status": MembershipStatus.ENDED, "on": "2024-07-30", "reason": "退会"})
    assert response.status_code == 400
    assert "该人员没有在会会籍" in response.content.decode()


def test_join_page(office_client, university):
    zhang = university.zhang
    response = office_client.post(reverse("people:membership_join", args=[zhang.pk]), {"joined_on": "2024-01-01"})
    assert response.status_code == 400
    assert "张伟 已是在会会员" in response.content.decode()
    assert zhang.memberships.count() == 1
    UnionMembership.objects.filter(person=university.wang).update(status=MembershipStatus.ENDED)
    response = office_client.post(
        reverse("people:membership_join", args=[university.wang.pk]),
        {"joined_on": "2024-01-01", "member_no": "", "confirmed": ""},
    )
    assert response.status_code == 302
    assert university.wang.memberships.current().get().status == MembershipStatus.APPLIED


# --- children --------------------------------------------------------------------------


def test_child_add_and_delete_pages(office_client, university):
    zhang = university.zhang
    response = office_client.post(
        reverse("people:child_add", args=[zhang.pk]),
        {"name": "张小雨", "gender": Gender.FEMALE, "birth_date": "2015-10-01"},
    )
    assert response.status_code == 302
    child = zhang.children.get()
    assert office_client.get(reverse("people:child_delete", args=[child.pk])).status_code == 200
    response = office_client.post(reverse("people:child_delete", args=[child.pk]))
    assert response.status_code == 302
    assert Child.objects.count() == 0
    assert list(AuditEvent.objects.filter(person_id=zhang.pk).order_by("id").values_list("action", flat=True)) == [
        AuditAction.CREATED,
        AuditAction.DELETED,
    ]


# --- access ----------------------------------------------------------------------------


def _write_urls(university):
    child = Child.objects.create(
        parent=university.zhang, name="张小明", gender=Gender.MALE, birth_date=datetime.date(2012, 1, 1)
    )
    pk = university.zhang.pk
    return [
        (reverse("people:person_create"), _create_data(university)),
        (reverse("people:person_edit", args=[pk]), _edit_data(university.zhang, phone="13000000000")),
        (reverse("people:person_status", args=[pk]), {"status": "left", "on": "2024-01-01", "reason": "x"}),
        (reverse("people:membership_join", args=[pk]), {"joined_on": "2024-01-01"}),
        (reverse("people:membership_transfer", args=[pk]), {"to_sub_union": university.law.pk, "on": "2024-01-01"}),
        (reverse("people:membership_end", args=[pk]), {"status": "ended", "on": "2024-01-01", "reason": "x"}),
        (reverse("people:child_add", args=[pk]), {"name": "张三", "gender": "M", "birth_date": "2010-01-01"}),
        (reverse("people:child_delete", args=[child.pk]), {}),
    ]


@pytest.mark.parametrize("role", ["sub_union_officer", "auditor", "member"])
def test_read_only_roles_get_403_on_every_write_page(client, university, role):
    urls = _write_urls(university)
    client.force_login(university.users[role])
    before = _counts()
    for url, data in urls:
        assert client.get(url).status_code == 403, url
        assert client.post(url, data).status_code == 403, url
    assert _counts() == before
    university.zhang.refresh_from_db()
    assert (university.zhang.phone, university.zhang.employment_status) == ("13800000000", EmploymentStatus.ACTIVE)


def test_out_of_scope_person_is_404(client, university):
    # given: a user granted the change permissions directly, but with no role and so no scope
    user = user_make(username="nobody")
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="people",
            codename__in=["add_person", "change_person", "change_unionmembership"],
        )
    )
    urls = _write_urls(university)[1:]  # every page about an existing person
    client.force_login(user)
    before = _counts()
    for url, data in urls:
        assert client.get(url).status_code == 404, url
        assert client.post(url, data).status_code == 404, url
    assert _counts() == before


def test_unknown_person_is_404(office_client):
    assert office_client.get(reverse("people:person_edit", args=[999999])).status_code == 404


# --- the person's page -----------------------------------------------------------------


def test_person_page_shows_actions_to_the_office_only(client, university):
    zhang = university.zhang
    url = reverse("people:person_detail", args=[zhang.pk])
    client.force_login(university.users["union_office"])
    html = client.get(url).content.decode()
    for name in ("person_edit", "person_status", "membership_transfer", "membership_end", "child_add"):
        assert reverse(f"people:{name}", args=[zhang.pk]) in html, name
    assert reverse("people:membership_join", args=[zhang.pk]) not in html  # already a member
    for role in ("sub_union_officer", "auditor"):
        client.force_login(university.users[role])
        html = client.get(url).content.decode()
        assert reverse("people:person_edit", args=[zhang.pk]) not in html
        assert reverse("people:membership_transfer", args=[zhang.pk]) not in html
        assert reverse("people:child_add", args=[zhang.pk]) not in html


def test_person_page_history_shows_field_labels(office_client, university):
    zhang = university.zhang
    office_client.post(
        reverse("people:membership_transfer", args=[zhang.pk]),
        {"to_sub_union": university.law.pk, "on": "2024-03-01", "reason": "调动"},
    )
    office_client.post(
        reverse("people:person_edit", args=[zhang.pk]), _edit_data(Person.objects.get(pk=zhang.pk), phone="13511112222")
    )
    html = office_client.get(reverse("people:person_detail", args=[zhang.pk])).content.decode()
    history = html[html.index('data-testid="history"') :]
    assert "分工会: <del>经济学院分工会</del> → <ins>法学院分工会</ins>" in history
    assert "手机号: <del>13800000000</del> → <ins>13511112222</ins>" in history
    assert "会籍状态: <del>在会</del> → <ins>已转出</ins>" in history
    assert "sub_union" not in history and "phone" not in history


def test_office_confirms_an_applied_membership(client, university):
    from gonghui.core.models import AuditEvent
    from gonghui.people.choices import MembershipStatus

    membership = university.wang.memberships.get()
    membership.status = MembershipStatus.APPLIED
    membership.save()
    events_before = AuditEvent.objects.count()
    client.force_login(university.users["union_office"])
    response = client.post(f"/people/{university.wang.pk}/membership/confirm/")
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.ACTIVE
    assert AuditEvent.objects.count() == events_before + 1


def test_sub_union_officer_cannot_confirm_a_membership(client, university):
    from gonghui.people.choices import MembershipStatus

    membership = university.zhang.memberships.get()
    membership.status = MembershipStatus.APPLIED
    membership.save()
    client.force_login(university.users["sub_union_officer"])
    response = client.post(f"/people/{university.zhang.pk}/membership/confirm/")
    assert response.status_code == 403
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.APPLIED


def test_people_list_filters_offer_all_instead_of_dashes(client, university):
    client.force_login(university.users["union_office"])
    html = client.get("/people/").content.decode()
    assert "---------" not in html
    for label in ["全部分工会", "全部人员状态", "全部人员类别", "全部医疗类别", "全部性别"]:
        assert f">{label}</option>" in html, label


def test_people_list_filters_offer_all_once(client, university):
    """Each filter lists its "all" option once, then its choices (issue 12: 全部 appeared twice)."""
    client.force_login(university.users["union_office"])
    html = client.get("/people/").content.decode()
    options = {
        name: re.findall(
            r"<option[^>]*>([^<]*)</option>", re.search(rf'<select name="{name}".*?</select>', html, re.S)[0]
        )
        for name in ("employment_status", "coverage_type", "gender", "sub_union")
    }
    assert options["employment_status"] == ["全部人员状态", "在职", "离退休", "调离", "去世"]
    assert options["coverage_type"] == ["全部医疗类别", "公费医疗", "医保"]
    assert options["gender"] == ["全部性别", "男", "女"]
    # Sub-unions in natural pinyin order, a college's 第一工会小组 by its name.
    assert options["sub_union"] == [
        "全部分工会",
        "法学院分工会",
        "经济学院第一工会小组",
        "经济学院分工会",
        "离退休工作处分工会",
    ]
