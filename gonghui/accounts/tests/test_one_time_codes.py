"""Activation and reset codes: issued in scope, stored as digests, used once, before expiry."""

import datetime
import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from gonghui.accounts.models import CodePurpose, OneTimeCode, User
from gonghui.accounts.services import (
    MAX_FAILED_ATTEMPTS,
    CodeRefused,
    activation_codes_issue,
    password_set_with_code,
)
from gonghui.core.models import AuditEvent

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "Chunfeng-2021!"


def issue_for_li(university):
    [issued] = activation_codes_issue(actor=university.users["sub_union_officer"], person_ids=[university.li.pk])
    return issued


def counts():
    return (User.objects.count(), OneTimeCode.objects.count(), AuditEvent.objects.count())


def test_an_officer_issues_a_code_for_an_unactivated_member_of_their_sub_union(university):
    before_users, before_codes, before_events = counts()
    issued = issue_for_li(university)
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}", issued.code)
    user = User.objects.get(person=university.li)
    assert (user.username, user.has_usable_password()) == ("E0002", False)
    record = OneTimeCode.objects.get(user=user)
    assert (record.purpose, record.channel, record.issued_by) == (
        "activation",
        "paper",
        university.users["sub_union_officer"],
    )
    assert issued.code.replace("-", "") not in record.digest
    assert counts() == (before_users + 1, before_codes + 1, before_events + 1)


def test_people_who_already_activated_get_no_code(university):
    before = counts()
    issued = activation_codes_issue(actor=university.users["sub_union_officer"], person_ids=[university.zhang.pk])
    assert issued == []
    assert counts() == before


@pytest.mark.parametrize("who", ["member", "welfare_committee"])
def test_people_without_the_permission_cannot_issue_codes(university, who):
    before = counts()
    with pytest.raises(PermissionDenied):
        activation_codes_issue(actor=university.users[who], person_ids=[university.li.pk])
    assert counts() == before


def test_a_person_outside_the_officers_scope_refuses_the_whole_batch(university):
    before = counts()
    with pytest.raises(PermissionDenied):
        activation_codes_issue(
            actor=university.users["sub_union_officer"], person_ids=[university.li.pk, university.wang.pk]
        )
    assert counts() == before
    assert not User.objects.filter(person=university.li).exists()


def test_the_member_activates_on_the_page_and_is_signed_in(university, client):
    issued = issue_for_li(university)
    response = client.post(
        reverse("accounts:activate"),
        {"username": "E0002", "code": issued.code.lower(), "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:home")
    user = User.objects.get(username="E0002")
    assert user.check_password(NEW_PASSWORD)
    assert OneTimeCode.objects.get(user=user).used_at is not None
    assert client.get(reverse("portal:home")).wsgi_request.user == user


def test_a_used_code_is_refused_and_the_password_stays(university):
    issued = issue_for_li(university)
    password_set_with_code(username="E0002", code=issued.code, purpose=CodePurpose.ACTIVATION, password=NEW_PASSWORD)
    with pytest.raises(CodeRefused) as refusal:
        password_set_with_code(
            username="E0002", code=issued.code, purpose=CodePurpose.ACTIVATION, password="Other-pass-99"
        )
    assert str(refusal.value.message) == "该验证码已使用过。如需再次设置密码，请重新获取验证码。"
    assert User.objects.get(username="E0002").check_password(NEW_PASSWORD)


def test_an_expired_code_is_refused(university, clock):
    issued = issue_for_li(university)
    clock.shift(datetime.timedelta(days=30, seconds=1))
    with pytest.raises(CodeRefused) as refusal:
        password_set_with_code(
            username="E0002", code=issued.code, purpose=CodePurpose.ACTIVATION, password=NEW_PASSWORD
        )
    assert str(refusal.value.message) == "该验证码已过期，请重新获取。"
    assert not User.objects.get(username="E0002").has_usable_password()


def test_wrong_codes_count_and_void_the_code_after_five(university, client):
    issued = issue_for_li(university)
    for attempt in range(1, MAX_FAILED_ATTEMPTS + 1):
        response = client.post(
            reverse("accounts:activate"),
            {"username": "E0002", "code": "AAAA-AAAA", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        )
        assert response.status_code == 400
        assert "工号或验证码不正确。" in response.content.decode()
        assert OneTimeCode.objects.get(user__username="E0002").failed_attempts == attempt
    assert OneTimeCode.objects.get(user__username="E0002").voided_at is not None
    with pytest.raises(CodeRefused):
        password_set_with_code(
            username="E0002", code=issued.code, purpose=CodePurpose.ACTIVATION, password=NEW_PASSWORD
        )
    assert not User.objects.get(username="E0002").has_usable_password()


def test_an_unknown_staff_number_gets_the_same_answer_as_a_wrong_code(university):
    before = counts()
    with pytest.raises(CodeRefused) as refusal:
        password_set_with_code(
            username="X9999", code="ABCD-EFGH", purpose=CodePurpose.ACTIVATION, password=NEW_PASSWORD
        )
    assert str(refusal.value.message) == "工号或验证码不正确。"
    assert counts() == before


def test_an_activation_code_does_not_reset_a_password(university):
    issued = issue_for_li(university)
    with pytest.raises(CodeRefused):
        password_set_with_code(username="E0002", code=issued.code, purpose=CodePurpose.RESET, password=NEW_PASSWORD)
    assert not User.objects.get(username="E0002").has_usable_password()


def test_a_weak_password_is_refused_and_the_code_stays_usable(university):
    issued = issue_for_li(university)
    with pytest.raises(CodeRefused):
        password_set_with_code(username="E0002", code=issued.code, purpose=CodePurpose.ACTIVATION, password="12345678")
    record = OneTimeCode.objects.get(user__username="E0002")
    assert (record.used_at, record.failed_attempts) == (None, 0)


def test_a_new_code_voids_the_earlier_one(university):
    first = issue_for_li(university)
    second = issue_for_li(university)
    with pytest.raises(CodeRefused):
        password_set_with_code(username="E0002", code=first.code, purpose=CodePurpose.ACTIVATION, password=NEW_PASSWORD)
    password_set_with_code(username="E0002", code=second.code, purpose=CodePurpose.ACTIVATION, password=NEW_PASSWORD)
    assert OneTimeCode.objects.filter(user__username="E0002", voided_at__isnull=False).count() == 1


def test_the_reset_page_answers_the_same_whether_or_not_the_account_exists(university, client):
    zhang = university.users["member"]
    zhang.email = "zhang@example.edu.cn"
    zhang.save()
    answers = []
    for username in ["E0001", "X9999"]:
        response = client.post(reverse("accounts:password_reset"), {"username": username}, follow=True)
        answers.append((response.status_code, response.redirect_chain, [str(m) for m in response.context["messages"]]))
    assert answers[0] == answers[1]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["zhang@example.edu.cn"]
    code = re.search(r"[A-Z2-9]{4}-[A-Z2-9]{4}", mail.outbox[0].subject).group(0)
    response = client.post(
        reverse("accounts:password_reset_confirm"),
        {"username": "E0001", "code": code, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    zhang.refresh_from_db()
    assert zhang.check_password(NEW_PASSWORD)


def test_the_officers_sheet_lists_only_their_unactivated_people(university, client):
    client.force_login(university.users["sub_union_officer"])
    response = client.get(reverse("accounts:activation_sheet"))
    assert response.status_code == 200
    assert [p.staff_no for p in response.context["page"]] == ["E0002"]
    assert response.context["activated_count"] == 2
    response = client.post(reverse("accounts:activation_sheet"), {"person": [university.li.pk]})
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="code-slip"') == 1


def test_the_union_office_sees_everyone_unactivated(university, client):
    client.force_login(university.users["union_office"])
    response = client.get(reverse("accounts:activation_sheet"))
    assert sorted(p.staff_no for p in response.context["page"]) == ["E0002", "L0001", "R0001"]


def test_members_cannot_open_the_sheet(university, client):
    client.force_login(university.users["member"])
    before = counts()
    assert client.get(reverse("accounts:activation_sheet")).status_code == 403
    assert client.post(reverse("accounts:activation_sheet"), {"person": [university.li.pk]}).status_code == 403
    assert counts() == before
