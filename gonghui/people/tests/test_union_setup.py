"""First run on an empty install: the command and the page, each once only."""

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from gonghui.accounts.models import CodePurpose, RoleAssignment, User
from gonghui.accounts.services import password_set_with_code
from gonghui.core.models import AuditEvent
from gonghui.people.models import Union

pytestmark = pytest.mark.django_db
PASSWORD = "Gonghui-setup-2021"


def counts():
    return (Union.objects.count(), User.objects.count(), RoleAssignment.objects.count(), AuditEvent.objects.count())


def setup_command(**env):
    out = StringIO()
    call_command("union_setup", "--name", "示范大学工会", "--university", "示范大学", "--admin", "chief", stdout=out)
    return out.getvalue()


def test_the_command_creates_the_union_and_the_administrator_with_the_password_from_the_environment(monkeypatch):
    monkeypatch.setenv("GONGHUI_ADMIN_PASSWORD", PASSWORD)
    output = setup_command()
    union = Union.objects.get()
    assert (union.name, union.university) == ("示范大学工会", "示范大学")
    chief = User.objects.get(username="chief")
    assert chief.check_password(PASSWORD)
    assert sorted(chief.role_assignments.values_list("role", flat=True)) == ["administrator", "union_office"]
    assert "已创建 示范大学工会（示范大学），管理员 chief。" in output
    assert "#code=" not in output


def test_without_a_password_the_command_prints_a_one_time_link_once(monkeypatch, client):
    monkeypatch.delenv("GONGHUI_ADMIN_PASSWORD", raising=False)
    output = setup_command()
    link = re.search(r"http://127\.0\.0\.1:8000(/\S+)#code=([A-Z2-9]{4}-[A-Z2-9]{4})", output)
    assert link is not None
    assert link.group(1) == reverse("accounts:password_set") + "?purpose=setup&username=chief"
    assert not User.objects.get(username="chief").has_usable_password()
    assert client.get(link.group(1)).status_code == 200
    response = client.post(
        reverse("accounts:password_set"),
        {"username": "chief", "code": link.group(2), "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    assert User.objects.get(username="chief").check_password(PASSWORD)


def test_the_setup_code_only_sets_the_setup_password(monkeypatch):
    monkeypatch.delenv("GONGHUI_ADMIN_PASSWORD", raising=False)
    code = re.search(r"#code=(\S+)", setup_command()).group(1)
    from gonghui.accounts.services import CodeRefused

    with pytest.raises(CodeRefused):
        password_set_with_code(username="chief", code=code, purpose=CodePurpose.ACTIVATION, password=PASSWORD)


def test_running_it_twice_is_refused_and_changes_nothing(monkeypatch):
    monkeypatch.setenv("GONGHUI_ADMIN_PASSWORD", PASSWORD)
    setup_command()
    before = counts()
    with pytest.raises(CommandError, match="工会已完成首次设置，不能重复设置"):
        setup_command()
    assert counts() == before


def test_a_weak_password_is_refused_with_nothing_written(monkeypatch):
    monkeypatch.setenv("GONGHUI_ADMIN_PASSWORD", "12345678")
    before = counts()
    with pytest.raises(CommandError):
        setup_command()
    assert counts() == before


def test_the_setup_page_creates_the_union_signs_in_and_then_is_gone(client):
    assert client.get(reverse("union_setup")).status_code == 200
    response = client.post(
        reverse("union_setup"),
        {
            "name": "示范大学工会",
            "university": "示范大学",
            "admin_username": "chief",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("people:roster_import")
    assert client.get(reverse("people:roster_import")).status_code == 200
    assert Union.objects.count() == 1
    assert client.get(reverse("union_setup")).status_code == 404
    assert client.post(reverse("union_setup"), {"name": "x"}).status_code == 404
    assert Union.objects.count() == 1


def test_mismatched_passwords_on_the_page_write_nothing(client):
    before = counts()
    response = client.post(
        reverse("union_setup"),
        {
            "name": "示范大学工会",
            "university": "示范大学",
            "admin_username": "chief",
            "password1": PASSWORD,
            "password2": "other",
        },
    )
    assert response.status_code == 400
    assert "两次输入的密码不一致。" in response.content.decode()
    assert counts() == before


def test_the_sign_in_page_points_to_setup_only_while_there_is_no_union(client, monkeypatch):
    assert "开始首次设置" in client.get(reverse("accounts:login")).content.decode()
    monkeypatch.setenv("GONGHUI_ADMIN_PASSWORD", PASSWORD)
    setup_command()
    assert "开始首次设置" not in client.get(reverse("accounts:login")).content.decode()
