"""Users and roles in the product's pages: accounts opened, stopped and restarted; roles given
and taken back under the scope rule (`role_grant` / `role_revoke`), every change audited, every
refusal translated and writing nothing; officers see their own sub-union's accounts."""

import datetime
import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from gonghui.accounts.models import OneTimeCode, RoleAssignment, User
from gonghui.accounts.roles import Role
from gonghui.accounts.selectors import user_list
from gonghui.accounts.services import (
    account_activation_code_issue,
    account_active_set,
    account_for_person,
    member_account_create,
    office_account_create,
    role_grant,
    role_revoke,
    roles_grantable,
)
from gonghui.core.exceptions import ApplicationError
from gonghui.core.models import AuditEvent
from gonghui.people.choices import EmploymentStatus
from gonghui.people.tests.factories import person_make, user_make
from tests.tables import changed_tables, table_counts

pytestmark = pytest.mark.django_db


def counts():
    return (
        User.objects.count(),
        RoleAssignment.objects.count(),
        AuditEvent.objects.count(),
        OneTimeCode.objects.count(),
    )


def refused(call, message: str):
    """`call()` is refused with exactly `message`, and no table changes."""
    before = table_counts()
    with pytest.raises(ApplicationError) as refusal:
        call()
    assert str(refusal.value.message) == message
    assert changed_tables(before, table_counts()) == {}


@pytest.fixture
def u(university):
    return university


def office(u):
    return u.users["union_office"]


def officer(u):
    return u.users["sub_union_officer"]


def wang_account(u):
    return account_for_person(u.wang)


# --- who may give which role, over which scope ------------------------------------------


def test_the_office_gives_a_sub_union_officer_role_over_any_sub_union_audited(u):
    account = wang_account(u)
    before = counts()
    assignment = role_grant(actor=office(u), user=account, role=Role.SUB_UNION_OFFICER, sub_union=u.law)
    assert (assignment.user, assignment.role, assignment.sub_union, assignment.granted_by) == (
        account,
        "sub_union_officer",
        u.law,
        office(u),
    )
    assert counts() == (before[0], before[1] + 1, before[2] + 1, before[3])
    event = AuditEvent.objects.latest("id")
    assert (event.action, event.object_type, event.object_id, event.person_id, event.actor) == (
        "role_changed",
        "accounts.user",
        str(account.pk),
        u.wang.pk,
        office(u),
    )
    assert event.message == "授予角色：分工会干部（法学院分工会）"


def test_the_office_may_not_give_administrator(u):
    refused(
        lambda: role_grant(actor=office(u), user=u.users["member"], role=Role.ADMINISTRATOR),
        "校工会工作人员不能授予或收回“系统管理员”角色，请联系系统管理员。",
    )


@pytest.mark.parametrize("giver", ["administrator", "office"])
def test_nobody_gives_the_system_role(u, giver):
    actor = u.users["administrator"] if giver == "administrator" else office(u)
    refused(
        lambda: role_grant(actor=actor, user=u.users["member"], role=Role.SYSTEM),
        "“系统”角色只属于系统账号，不能授予或收回。",
    )
    assert Role.SYSTEM not in roles_grantable(u.users["administrator"])


def test_the_administrator_gives_the_administrator_role(u):
    assignment = role_grant(actor=u.users["administrator"], user=office(u), role=Role.ADMINISTRATOR)
    assert assignment.label == "系统管理员（全校）"
    assert office(u).has_perm("accounts.manage_roles")


def test_an_officer_gives_the_officer_role_over_a_group_of_their_sub_union(u):
    zhang = u.users["member"]
    assignment = role_grant(actor=officer(u), user=zhang, role=Role.SUB_UNION_OFFICER, sub_union=u.econ_group)
    assert (assignment.role, assignment.sub_union, assignment.granted_by) == (
        "sub_union_officer",
        u.econ_group,
        officer(u),
    )
    assert AuditEvent.objects.filter(object_id=str(zhang.pk), action="role_changed").count() == 1


def test_an_officer_gives_the_member_role_to_their_people(u):
    assignment = role_grant(actor=officer(u), user=u.users["member"], role=Role.MEMBER)
    assert assignment.label == "会员（全校）"


def test_an_officer_may_not_give_a_role_over_another_sub_union(u):
    refused(
        lambda: role_grant(actor=officer(u), user=u.users["member"], role=Role.SUB_UNION_OFFICER, sub_union=u.law),
        "只能在本分工会及其工会小组范围内授予或收回角色：法学院分工会 不在您的范围内。",
    )


def test_an_officer_may_not_give_a_role_to_someone_of_another_sub_union(u):
    account = wang_account(u)
    refused(
        lambda: role_grant(actor=officer(u), user=account, role=Role.SUB_UNION_OFFICER, sub_union=u.econ),
        "只能为本分工会及其工会小组的人员授予或收回角色。",
    )
    refused(
        lambda: role_grant(actor=officer(u), user=account, role=Role.MEMBER),
        "只能为本分工会及其工会小组的人员授予或收回角色。",
    )


@pytest.mark.parametrize("role", [Role.UNION_OFFICE, Role.AUDITOR, Role.ADMINISTRATOR, Role.WELFARE_COMMITTEE])
def test_an_officer_gives_no_other_role(u, role):
    refused(
        lambda: role_grant(actor=officer(u), user=u.users["member"], role=role),
        "分工会干部只能授予或收回“分工会干部”和“会员”角色。",
    )


def test_a_scoped_role_needs_its_scope_and_an_unscoped_role_takes_none(u):
    zhang = u.users["member"]
    refused(
        lambda: role_grant(actor=office(u), user=zhang, role=Role.SUB_UNION_OFFICER),
        "“分工会干部”需要指定一个分工会。",
    )
    refused(
        lambda: role_grant(actor=office(u), user=zhang, role=Role.SUB_UNION_OFFICER, university_unit=u.logistics),
        "“分工会干部”需要指定一个分工会。",
    )
    refused(
        lambda: role_grant(actor=office(u), user=zhang, role=Role.HANDLING_UNIT_OFFICER, sub_union=u.econ),
        "“承办单位联系人”需要指定一个承办单位。",
    )
    refused(
        lambda: role_grant(actor=office(u), user=zhang, role=Role.AUDITOR, sub_union=u.econ),
        "“审计”是全校范围的角色，不能指定分工会或承办单位。",
    )
    refused(lambda: role_grant(actor=office(u), user=zhang, role="chairman"), "未知的角色。")


def test_the_same_role_twice_is_refused(u):
    role_grant(actor=office(u), user=u.users["member"], role=Role.SUB_UNION_OFFICER, sub_union=u.econ)
    refused(
        lambda: role_grant(actor=office(u), user=u.users["member"], role=Role.SUB_UNION_OFFICER, sub_union=u.econ),
        "该账号已有角色 分工会干部（经济学院分工会）。",
    )


@pytest.mark.parametrize("who", ["member", "auditor", "welfare_committee", "handling_unit_officer"])
def test_people_without_the_permission_give_and_take_back_nothing(u, who):
    assignment = officer(u).role_assignments.get()
    before = table_counts()
    with pytest.raises(PermissionDenied):
        role_grant(actor=u.users[who], user=u.users["member"], role=Role.MEMBER)
    with pytest.raises(PermissionDenied):
        role_revoke(actor=u.users[who], assignment=assignment)
    assert changed_tables(before, table_counts()) == {}


def test_the_roles_each_giver_may_give(u):
    assert roles_grantable(u.users["administrator"]) == [
        "member",
        "sub_union_officer",
        "union_office",
        "welfare_committee",
        "proposals_committee",
        "handling_unit_officer",
        "organisation_department",
        "admissions_officer",
        "auditor",
        "administrator",
    ]
    assert roles_grantable(office(u)) == [
        "member",
        "sub_union_officer",
        "union_office",
        "welfare_committee",
        "proposals_committee",
        "handling_unit_officer",
        "auditor",
    ]
    assert roles_grantable(officer(u)) == ["member", "sub_union_officer"]
    assert roles_grantable(u.users["auditor"]) == []


def test_a_stopped_account_gets_no_role(u):
    account_active_set(actor=office(u), user=u.users["member"], active=False)
    refused(
        lambda: role_grant(actor=office(u), user=u.users["member"], role=Role.MEMBER),
        "该账号已停用，请先启用再授予角色。",
    )


def test_the_system_account_is_left_alone(u):
    from gonghui.accounts.system import system_actor

    system = system_actor()
    refused(
        lambda: role_grant(actor=u.users["administrator"], user=system, role=Role.AUDITOR),
        "系统账号供命令和定时任务使用，不能在页面上更改。",
    )
    refused(
        lambda: role_revoke(actor=u.users["administrator"], assignment=system.role_assignments.get()),
        "系统账号供命令和定时任务使用，不能在页面上更改。",
    )


# --- taking roles back -------------------------------------------------------------------


def test_the_office_takes_a_role_back_audited(u):
    assignment = officer(u).role_assignments.get()
    before = counts()
    role_revoke(actor=office(u), assignment=assignment)
    assert counts() == (before[0], before[1] - 1, before[2] + 1, before[3])
    assert AuditEvent.objects.latest("id").message == "收回角色：分工会干部（经济学院分工会）"
    assert not User.objects.get(pk=officer(u).pk).has_perm("accounts.issue_codes")


def test_an_officer_takes_back_a_role_in_their_sub_union_but_not_elsewhere(u):
    zhang = u.users["member"]
    mine = role_grant(actor=office(u), user=zhang, role=Role.SUB_UNION_OFFICER, sub_union=u.econ_group)
    theirs = role_grant(actor=office(u), user=wang_account(u), role=Role.SUB_UNION_OFFICER, sub_union=u.law)
    office_role = office(u).role_assignments.get()
    refused(
        lambda: role_revoke(actor=officer(u), assignment=theirs),
        "只能在本分工会及其工会小组范围内授予或收回角色：法学院分工会 不在您的范围内。",
    )
    refused(
        lambda: role_revoke(actor=officer(u), assignment=office_role),
        "分工会干部只能授予或收回“分工会干部”和“会员”角色。",
    )
    role_revoke(actor=officer(u), assignment=mine)
    assert not RoleAssignment.objects.filter(pk=mine.pk).exists()


def test_the_office_may_not_take_the_administrator_role_back(u):
    assignment = u.users["administrator"].role_assignments.get()
    refused(
        lambda: role_revoke(actor=office(u), assignment=assignment),
        "校工会工作人员不能授予或收回“系统管理员”角色，请联系系统管理员。",
    )


def test_the_last_administrator_keeps_the_role(u):
    admin = u.users["administrator"]
    refused(
        lambda: role_revoke(actor=admin, assignment=admin.role_assignments.get()),
        "这是最后一个启用的系统管理员，不能收回其角色。",
    )
    role_grant(actor=admin, user=office(u), role=Role.ADMINISTRATOR)
    role_revoke(actor=admin, assignment=admin.role_assignments.get())
    assert list(RoleAssignment.objects.filter(role="administrator").values_list("user__username", flat=True)) == [
        "office"
    ]


# --- accounts opened, stopped, restarted --------------------------------------------------


def test_the_office_opens_a_members_account_by_staff_number(u):
    before = counts()
    account = member_account_create(actor=office(u), staff_no=" E0002 ")
    assert (account.username, account.person, account.first_name, account.has_usable_password()) == (
        "E0002",
        u.li,
        "李娜",
        False,
    )
    assert counts() == (before[0] + 1, before[1], before[2] + 1, before[3])
    event = AuditEvent.objects.latest("id")
    assert (event.action, event.message, event.person_id) == ("created", "开通人员账号", u.li.pk)


def test_opening_a_members_account_refuses_bad_staff_numbers(u):
    gone = person_make(staff_no="E0777", name="孙亮", sub_union=u.econ, employment_status=EmploymentStatus.DECEASED)
    refused(lambda: member_account_create(actor=office(u), staff_no="X9999"), "工号 X9999 不在人员名单中。")
    refused(lambda: member_account_create(actor=office(u), staff_no=""), "请填写工号。")
    refused(lambda: member_account_create(actor=office(u), staff_no="E0001"), "张伟 已有账号（E0001）。")
    refused(
        lambda: member_account_create(actor=office(u), staff_no=gone.staff_no),
        "孙亮 的人员状态为“去世”，不能开通账号。",
    )
    user_make(username="l0001")  # someone took wang's staff number as a username
    refused(lambda: member_account_create(actor=office(u), staff_no="L0001"), "用户名 L0001 已被其他账号占用。")


def test_an_office_account_for_someone_not_on_the_roster(u):
    before = counts()
    account = office_account_create(actor=office(u), username="liu.office", name="刘洋")
    assert (account.username, account.first_name, account.person, account.has_usable_password()) == (
        "liu.office",
        "刘洋",
        None,
        False,
    )
    assert counts() == (before[0] + 1, before[1], before[2] + 1, before[3])
    issued = account_activation_code_issue(actor=office(u), user=account)
    assert (issued.person, issued.user, issued.expires_at.date() > datetime.date(2000, 1, 1)) == (None, account, True)
    assert OneTimeCode.objects.filter(user=account, purpose="activation", channel="paper").count() == 1


def test_office_account_refusals(u):
    refused(lambda: office_account_create(actor=office(u), username="Office", name="重名"), "用户名 Office 已被占用。")
    refused(
        lambda: office_account_create(actor=office(u), username="E0002", name="李娜"),
        "E0002 是人员名单中的工号：请按工号为该人员开通账号。",
    )
    refused(
        lambda: office_account_create(actor=office(u), username="liu yang", name="刘洋"),
        "用户名只能包含字母、数字和 @ . + - _。",
    )
    refused(lambda: office_account_create(actor=office(u), username="liu", name=" "), "请填写姓名。")


@pytest.mark.parametrize("who", ["sub_union_officer", "auditor", "member"])
def test_only_the_office_opens_and_stops_accounts(u, who):
    before = table_counts()
    with pytest.raises(PermissionDenied):
        member_account_create(actor=u.users[who], staff_no="E0002")
    with pytest.raises(PermissionDenied):
        office_account_create(actor=u.users[who], username="liu", name="刘洋")
    with pytest.raises(PermissionDenied):
        account_active_set(actor=u.users[who], user=u.users["welfare_committee"], active=False)
    assert changed_tables(before, table_counts()) == {}


def signs_in(client) -> bool:
    """zhang's password on the sign-in page takes him to the portal."""
    response = client.post(reverse("accounts:login"), {"username": "E0001", "password": "pass-1234!"})
    return response.status_code == 302 and response["Location"] == reverse("portal:home")


def test_a_stopped_account_cannot_sign_in_and_its_codes_are_void(u, client):
    li = member_account_create(actor=office(u), staff_no="E0002")
    account_activation_code_issue(actor=office(u), user=li)
    zhang = u.users["member"]
    account_active_set(actor=office(u), user=zhang, active=False)
    account_active_set(actor=office(u), user=li, active=False)
    zhang.refresh_from_db()
    assert zhang.is_active is False
    assert OneTimeCode.objects.get(user=li).voided_at is not None
    assert signs_in(client) is False
    event = AuditEvent.objects.filter(object_id=str(zhang.pk), action="status_changed").get()
    assert (event.message, event.changes) == ("停用账号", {"is_active": ["启用", "停用"]})
    account_active_set(actor=office(u), user=zhang, active=True)
    assert signs_in(client) is True


def test_stopping_refusals(u):
    refused(lambda: account_active_set(actor=office(u), user=office(u), active=False), "不能停用自己的账号。")
    refused(
        lambda: account_active_set(actor=office(u), user=u.users["administrator"], active=False),
        "只有系统管理员能停用系统管理员的账号。",
    )
    refused(lambda: account_active_set(actor=office(u), user=u.users["member"], active=True), "该账号已是启用状态。")
    second_admin = user_make(username="admin2", roles=[Role.ADMINISTRATOR])
    account_active_set(actor=u.users["administrator"], user=second_admin, active=False)
    superuser = User.objects.create_superuser(username="root", password="pass-1234!")
    refused(
        lambda: account_active_set(actor=superuser, user=u.users["administrator"], active=False),
        "这是最后一个启用的系统管理员账号，不能停用。",
    )


def test_a_code_for_an_account_that_already_has_a_password_is_refused(u):
    refused(
        lambda: account_activation_code_issue(actor=office(u), user=u.users["member"]),
        "该账号已开通，无需验证码；忘记密码可在登录页重设。",
    )
    with pytest.raises(PermissionDenied):
        account_activation_code_issue(actor=officer(u), user=wang_account(u))


# --- the users' list ----------------------------------------------------------------------


def usernames(actor, **filters):
    return list(user_list(user=actor, filters=filters).values_list("username", flat=True))


def test_the_office_sees_every_account_and_filters_them(u):
    wang = wang_account(u)
    role_grant(actor=office(u), user=wang, role=Role.SUB_UNION_OFFICER, sub_union=u.law)
    every = [
        "E0001",
        "E0099",
        "L0001",
        "admin",
        "auditor",
        "office",
        "org-dept",
        "proposals",
        "ruxue",
        "unit",
        "welfare",
    ]
    assert usernames(office(u)) == every
    assert usernames(u.users["auditor"]) == every
    assert usernames(office(u), q="张伟") == ["E0001"]
    assert usernames(office(u), q="E0099") == ["E0099"]
    assert usernames(office(u), role="sub_union_officer") == ["E0099", "L0001"]
    assert usernames(office(u), role="member") == ["E0001", "E0099", "L0001"]
    assert usernames(office(u), role="union_office") == ["office"]
    assert usernames(office(u), state="waiting") == ["L0001"]
    assert usernames(office(u), sub_union=str(u.law.pk)) == ["L0001"]
    assert usernames(office(u), sub_union=str(u.econ.pk)) == ["E0001", "E0099"]
    account_active_set(actor=office(u), user=u.users["welfare_committee"], active=False)
    assert usernames(office(u), state="inactive") == ["welfare"]
    assert len(usernames(office(u), state="activated")) == 9


def test_an_officer_sees_exactly_their_sub_unions_accounts(u):
    wang_account(u)
    li = member_account_create(actor=office(u), staff_no="E0002")  # in econ's group
    assert usernames(officer(u)) == ["E0001", "E0002", "E0099"]
    assert li.username in usernames(officer(u), state="waiting")


def test_the_list_page_for_the_office_and_an_officer(u, client, django_assert_max_num_queries):
    client.force_login(office(u))
    for n in range(30):
        user_make(username=f"extra{n:02d}", roles=[(Role.SUB_UNION_OFFICER, u.law), Role.AUDITOR])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("accounts:user_list"))
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 40
    page = response.content.decode()
    assert "分工会干部（法学院分工会）" in page and "审计（全校）" in page
    client.force_login(officer(u))
    response = client.get(reverse("accounts:user_list"), {"q": "陈静"})
    assert [account.username for account in response.context["page"]] == ["E0099"]
    assert "分工会干部（经济学院分工会）" in response.content.decode()


def test_the_list_exports_what_it_shows_and_logs_it(u, client):
    client.force_login(office(u))
    response = client.get(reverse("accounts:user_list"), {"role": "union_office", "export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    event = AuditEvent.objects.latest("id")
    assert (event.action, event.object_type, event.message) == (
        "exported",
        "accounts.user",
        "导出用户名单.xlsx（role=union_office&export=xlsx）",
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header, *rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert header == ["用户名", "姓名", "工号", "分工会", "角色", "状态", "最近登录"]
    signed_in = timezone.localtime(User.objects.get(username="office").last_login).strftime("%Y-%m-%d %H:%M")
    assert rows == [["office", None, None, None, "校工会工作人员（全校）", "已开通", signed_in]]


# --- the pages ----------------------------------------------------------------------------


def test_giving_and_taking_back_on_the_account_page_shows_in_its_history(u, client):
    client.force_login(office(u))
    zhang = u.users["member"]
    detail = reverse("accounts:user_detail", args=[zhang.pk])
    response = client.post(
        reverse("accounts:role_grant", args=[zhang.pk]), {"role": "sub_union_officer", "sub_union": u.econ.pk}
    )
    assert response.status_code == 302 and response["Location"] == detail
    assignment = zhang.role_assignments.get()
    client.post(reverse("accounts:role_revoke", args=[assignment.pk]))
    page = client.get(detail).content.decode()
    assert "授予角色：分工会干部（经济学院分工会）" in page
    assert "收回角色：分工会干部（经济学院分工会）" in page
    assert RoleAssignment.objects.filter(user=zhang).count() == 0


def test_a_refused_grant_on_the_page_says_why_and_writes_nothing(u, client):
    client.force_login(officer(u))
    zhang = u.users["member"]
    before = table_counts()
    response = client.post(
        reverse("accounts:role_grant", args=[zhang.pk]),
        {"role": "sub_union_officer", "sub_union": u.law.pk},
        follow=True,
    )
    assert [str(m) for m in response.context["messages"]] == [
        "只能在本分工会及其工会小组范围内授予或收回角色：法学院分工会 不在您的范围内。"
    ]
    assert changed_tables(before, table_counts()) == {}
    response = client.post(reverse("accounts:role_grant", args=[zhang.pk]), {"role": "union_office"}, follow=True)
    assert [str(m) for m in response.context["messages"]] == ["分工会干部只能授予或收回“分工会干部”和“会员”角色。"]
    assert changed_tables(before, table_counts()) == {}


def test_the_account_page_offers_the_officer_only_their_roles_and_scopes(u, client):
    client.force_login(officer(u))
    response = client.get(reverse("accounts:user_detail", args=[u.users["member"].pk]))
    form = response.context["grant_form"]
    assert [value for value, _label in form.fields["role"].choices] == ["member", "sub_union_officer"]
    assert sorted(s.code for s in form.fields["sub_union"].queryset) == ["ECON", "ECON-G1"]
    assert "university_unit" not in form.fields
    assert client.get(reverse("accounts:user_detail", args=[u.users["union_office"].pk])).status_code == 404


def test_opening_an_account_on_the_page_then_issuing_its_code(u, client, clock):
    client.force_login(office(u))
    response = client.post(reverse("accounts:user_create"), {"kind": "member", "staff_no": "E0002"})
    li = User.objects.get(username="E0002")
    assert response.status_code == 302 and response["Location"] == reverse("accounts:user_detail", args=[li.pk])
    response = client.post(reverse("accounts:user_code", args=[li.pk]))
    page = response.content.decode()
    assert page.count('data-testid="code-slip"') == 1
    assert "李娜" in page and "E0002" in page and "2021年4月14日" in page
    assert "http://testserver/accounts/activate/" in page


def test_opening_an_account_on_the_page_refuses_with_the_reason(u, client):
    client.force_login(office(u))
    before = table_counts()
    response = client.post(reverse("accounts:user_create"), {"kind": "member", "staff_no": "X9999"})
    assert response.status_code == 400
    assert response.context["form"].errors == {"staff_no": ["工号 X9999 不在人员名单中。"]}
    response = client.post(reverse("accounts:user_create"), {"kind": "office", "username": "", "name": "刘洋"})
    assert response.context["form"].errors == {"username": ["请填写用户名。"]}
    assert changed_tables(before, table_counts()) == {}


# --- officers see who has not activated ---------------------------------------------------


def test_the_activation_sheet_leaves_out_people_who_left_and_stopped_accounts(u, client, clock):
    person_make(staff_no="E0500", name="周敏", sub_union=u.econ, employment_status=EmploymentStatus.LEFT)
    stopped = person_make(staff_no="E0600", name="吴刚", sub_union=u.econ_group)
    account_active_set(actor=office(u), user=account_for_person(stopped), active=False)
    waiting = person_make(staff_no="E0700", name="郑丽", sub_union=u.econ_group)
    client.force_login(officer(u))
    response = client.get(reverse("accounts:activation_sheet"))
    assert [p.staff_no for p in response.context["page"]] == ["E0002", "E0700"]
    response = client.get(reverse("accounts:activation_sheet"), {"sub_union": u.econ_group.pk})
    assert [p.staff_no for p in response.context["page"]] == ["E0002", "E0700"]
    response = client.post(reverse("accounts:activation_sheet"), {"person": [u.li.pk, waiting.pk, stopped.pk]})
    page = response.content.decode()
    assert page.count('data-testid="code-slip"') == 2
    assert "2021年4月14日" in page
    assert OneTimeCode.objects.filter(user__person=stopped).count() == 0
