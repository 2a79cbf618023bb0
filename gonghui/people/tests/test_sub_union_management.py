"""The union office manages sub-unions: create, edit kind and parent, rename with history,
merge with a preview; refusals write nothing; only the office may."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from gonghui.accounts.access import forget_access, get_access
from gonghui.accounts.models import RoleAssignment
from gonghui.accounts.roles import Role
from gonghui.core.exceptions import ApplicationError
from gonghui.core.models import AuditEvent
from gonghui.people.choices import MembershipStatus, SubUnionKind
from gonghui.people.models import MembershipEvent, Person, SubUnion, UnionMembership
from gonghui.people.sub_union_services import (
    sub_union_code_suggest,
    sub_union_create,
    sub_union_merge,
    sub_union_merge_plan,
    sub_union_rename,
    sub_union_update,
)
from gonghui.people.tests.factories import person_make, user_make
from gonghui.people.tests.test_roster_import import new_row, roster_import_file, xlsx
from tests.tables import changed_tables, table_counts

TODAY = datetime.date(2021, 3, 15)  # the clock fixture's day


@pytest.fixture
def office(university):
    return university.users["union_office"]


def _events(sub_union):
    return list(AuditEvent.objects.filter(object_type="people.subunion", object_id=str(sub_union.pk)).order_by("pk"))


def _refused(call, message):
    """`call()` is refused with `message` and no table changes."""
    before = table_counts()
    with pytest.raises(ApplicationError) as caught:
        call()
    assert str(caught.value.message) == message
    assert changed_tables(before, table_counts()) == {}


# --- create -------------------------------------------------------------------------------------


def test_create_with_a_code_from_the_name(university, office):
    sub_union = sub_union_create(actor=office, name="保卫处分工会", kind=SubUnionKind.OFFICE)
    assert (sub_union.code, sub_union.kind, sub_union.parent, sub_union.union) == (
        "BWCFGH",
        "office",
        None,
        university.econ.union,
    )
    assert sub_union.name_pinyin == "baoweichufengonghui"
    [event] = _events(sub_union)
    assert (event.action, event.actor, event.message) == ("created", office, "新建分工会")
    assert event.changes == {"code": [None, "BWCFGH"], "name": [None, "保卫处分工会"], "kind": [None, "机关分工会"]}


def test_suggested_codes_skip_taken_ones(university, office):
    sub_union_create(actor=office, name="保卫处分工会", kind=SubUnionKind.OFFICE)
    assert sub_union_code_suggest("保卫处分工会") == "BWCFGH2"
    assert sub_union_code_suggest("") == "SU"


def test_create_a_group_with_a_typed_code(university, office):
    group = sub_union_create(
        actor=office, name="法学院第一工会小组", code="LAW-G1", kind=SubUnionKind.GROUP, parent=university.law
    )
    assert (group.code, group.parent, group.kind) == ("LAW-G1", university.law, "group")
    assert _events(group)[0].changes["parent"] == [None, "法学院分工会"]


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"name": "保卫处分工会", "code": "econ"}, "代码 econ 已被分工会“经济学院分工会”使用"),
        ({"name": "保卫处分工会", "code": "保卫"}, "代码只能包含字母、数字、连字符和下划线，最多 32 个字符"),
        ({"name": "经济学院分工会"}, "名称“经济学院分工会”已被分工会“经济学院分工会”使用（名称或别名）"),
        ({"name": " 法学院 分工会 "}, "名称“法学院 分工会”已被分工会“法学院分工会”使用（名称或别名）"),
        ({"name": "  "}, "请填写名称"),
        ({"name": "新小组", "kind": "group"}, "工会小组必须有上级分工会"),
        ({"name": "新小组", "kind": "group", "parent": "econ_group"}, "工会小组不能作为上级"),
        ({"name": "新分工会", "kind": "nonsense"}, "未知的分工会类型“nonsense”"),
    ],
)
def test_bad_input_to_create_writes_nothing(university, office, fields, message):
    fields = {"kind": SubUnionKind.OFFICE, **fields}
    if "parent" in fields:
        fields["parent"] = getattr(university, fields["parent"])
    _refused(lambda: sub_union_create(actor=office, **fields), message)


def test_a_name_that_is_another_sub_unions_alias_is_refused(university, office):
    SubUnion.objects.filter(pk=university.econ.pk).update(aliases=["经济学院"])
    _refused(
        lambda: sub_union_create(actor=office, name="经济学院", kind=SubUnionKind.COLLEGE),
        "名称“经济学院”已被分工会“经济学院分工会”使用（名称或别名）",
    )


@pytest.mark.parametrize("role", ["sub_union_officer", "auditor", "member", "welfare_committee"])
def test_only_the_office_creates(university, role):
    before = table_counts()
    with pytest.raises(PermissionDenied):
        sub_union_create(actor=university.users[role], name="保卫处分工会", kind=SubUnionKind.OFFICE)
    assert changed_tables(before, table_counts()) == {}


def test_administrator_creates_too(university):
    assert sub_union_create(actor=university.users["administrator"], name="保卫处分工会", kind="office").pk


# --- edit kind and parent -------------------------------------------------------------------


def test_edit_kind_and_parent(university, office):
    law = sub_union_update(actor=office, sub_union=university.law, kind=SubUnionKind.OFFICE, parent=university.econ)
    law.refresh_from_db()
    assert (law.kind, law.parent) == ("office", university.econ)
    [event] = _events(law)
    assert (event.action, event.message) == ("updated", "修改类型或上级")
    assert event.changes == {"kind": ["学院分工会", "机关分工会"], "parent": [None, "经济学院分工会"]}


def test_edit_without_a_change_records_nothing(university, office):
    before = table_counts()
    sub_union_update(actor=office, sub_union=university.law, kind=SubUnionKind.COLLEGE, parent=None)
    assert changed_tables(before, table_counts()) == {}


def test_edit_refusals_write_nothing(university, office):
    u = university
    office_su = sub_union_create(actor=office, name="机关分工会", kind=SubUnionKind.OFFICE, parent=u.econ)
    cycle = "上级不能是本分工会或它的下级（会形成循环）"
    _refused(lambda: sub_union_update(actor=office, sub_union=u.econ, kind="college", parent=office_su), cycle)
    _refused(lambda: sub_union_update(actor=office, sub_union=u.econ, kind="college", parent=u.econ), cycle)
    _refused(
        lambda: sub_union_update(actor=office, sub_union=u.econ, kind="group", parent=u.law),
        "该分工会下还有工会小组，不能改为工会小组",
    )
    _refused(
        lambda: sub_union_update(actor=office, sub_union=u.econ_group, kind="group", parent=None),
        "工会小组必须有上级分工会",
    )
    _refused(
        lambda: sub_union_update(actor=office, sub_union=u.law, kind="college", parent=u.econ_group),
        "工会小组不能作为上级",
    )


def test_a_parent_from_another_union_is_refused(university, office):
    from gonghui.people.tests.factories import SubUnionFactory, UnionFactory

    other = SubUnionFactory(union=UnionFactory(name="另一工会"), code="OTHER", name="另一分工会")
    _refused(
        lambda: sub_union_update(actor=office, sub_union=university.law, kind="college", parent=other),
        "上级分工会不属于本校工会",
    )


def test_the_officer_may_not_edit_their_own_sub_union(university):
    before = table_counts()
    with pytest.raises(PermissionDenied):
        sub_union_update(
            actor=university.users["sub_union_officer"], sub_union=university.econ, kind="office", parent=None
        )
    assert changed_tables(before, table_counts()) == {}


# --- rename ------------------------------------------------------------------------------------


def test_rename_keeps_the_old_name_as_an_alias(clock, university, office):
    SubUnion.objects.filter(pk=university.econ.pk).update(aliases=["经济学院", "经济与管理学院分工会"])
    econ = sub_union_rename(actor=office, sub_union=university.econ, name="经济与管理学院分工会")
    econ.refresh_from_db()
    assert econ.name == "经济与管理学院分工会"
    assert econ.name_pinyin == "jingjiyuguanlixueyuanfengonghui"
    # the new name leaves the aliases, the old one joins them
    assert econ.aliases == ["经济学院", "经济学院分工会"]
    [event] = _events(econ)
    assert (event.action, event.actor, event.message, event.at.date()) == ("updated", office, "更名", TODAY)
    assert event.changes == {
        "name": ["经济学院分工会", "经济与管理学院分工会"],
        "aliases": ["经济学院、经济与管理学院分工会", "经济学院、经济学院分工会"],
    }


def test_the_roster_still_matches_the_old_name(university, office, tmp_path):
    sub_union_rename(actor=office, sub_union=university.econ, name="经济与管理学院分工会")
    roster_import_file(path=xlsx(tmp_path / "r.xlsx", [new_row("N0001", unit="经济学院分工会")]))
    assert Person.objects.get(staff_no="N0001").sub_union == university.econ


def test_rename_refusals_write_nothing(university, office):
    _refused(
        lambda: sub_union_rename(actor=office, sub_union=university.econ, name="法学院分工会"),
        "名称“法学院分工会”已被分工会“法学院分工会”使用（名称或别名）",
    )
    _refused(
        lambda: sub_union_rename(actor=office, sub_union=university.econ, name="经济学院分工会"),
        "新名称与当前名称相同",
    )
    _refused(lambda: sub_union_rename(actor=office, sub_union=university.econ, name=""), "请填写名称")


# --- merge ---------------------------------------------------------------------------------------


def test_merge_preview_counts_what_moves(clock, university, office):
    u = university
    SubUnion.objects.filter(pk=u.econ.pk).update(aliases=["经济学院"])
    applicant = person_make(staff_no="E0100", name="周新", sub_union=u.econ, member=False)
    UnionMembership.objects.create(
        person=applicant, sub_union=u.econ, member_no="ME0100", joined_on=TODAY, status=MembershipStatus.APPLIED
    )
    UnionMembership.objects.create(
        person=u.wang,
        sub_union=u.econ,
        member_no="OLD",
        joined_on=datetime.date(2001, 1, 1),
        ended_on=datetime.date(2005, 1, 1),
        status=MembershipStatus.TRANSFERRED,
    )
    u.econ.refresh_from_db()
    plan = sub_union_merge_plan(actor=office, source=u.econ, target=u.law)
    assert (plan.people, plan.memberships, plan.applications, plan.roles) == (3, 2, 1, 1)
    assert plan.groups == ["经济学院第一工会小组"]
    assert plan.aliases == ["经济学院分工会", "经济学院"]
    assert plan.kept == [("已结束的会籍", 1)]


def test_merge_moves_people_memberships_groups_roles_and_names(clock, university, office):
    u = university
    officer = u.users["sub_union_officer"]
    assert get_access(officer).sub_union_ids == {u.econ.pk, u.econ_group.pk}
    before = {"memberships": UnionMembership.objects.count(), "steps": MembershipEvent.objects.count()}
    old = UnionMembership.objects.get(person=u.zhang)

    plan = sub_union_merge(actor=office, source=u.econ, target=u.law)

    assert (plan.people, plan.memberships, plan.applications, plan.roles) == (2, 2, 0, 1)
    # people (zhang and the officer) now in law; li stays in the group, which moves under law
    assert sorted(Person.objects.filter(sub_union=u.law).values_list("staff_no", flat=True)) == [
        "E0001",
        "E0099",
        "L0001",
    ]
    assert Person.objects.filter(sub_union=u.econ).count() == 0
    u.econ_group.refresh_from_db()
    assert u.econ_group.parent == u.law
    # each active membership transferred: closed today, a new one at law with the same number
    old.refresh_from_db()
    assert (old.status, old.ended_on, old.sub_union) == ("transferred", TODAY, u.econ)
    new = UnionMembership.objects.current().get(person=u.zhang)
    assert (new.sub_union, new.member_no, new.joined_on, new.status) == (u.law, "ME0001", TODAY, "active")
    assert UnionMembership.objects.count() == before["memberships"] + 2
    assert MembershipEvent.objects.count() == before["steps"] + 2
    step = MembershipEvent.objects.get(subject=old)
    assert (step.step, step.from_state, step.to_state, step.parameters) == (
        "transfer",
        "active",
        "transferred",
        {"on": "2021-03-15"},
    )
    # roles scoped to econ now scoped to law
    assert list(RoleAssignment.objects.filter(user=officer).values_list("role", "sub_union")) == [
        (Role.SUB_UNION_OFFICER, u.law.pk)
    ]
    forget_access(officer)
    assert get_access(officer).sub_union_ids == {u.law.pk, u.econ_group.pk}
    # names: econ's name is law's alias; econ kept, marked merged
    u.law.refresh_from_db()
    u.econ.refresh_from_db()
    assert u.law.aliases == ["经济学院分工会"]
    assert (u.econ.merged_into, u.econ.ended_on, u.econ.name) == (u.law, TODAY, "经济学院分工会")
    assert list(SubUnion.objects.current().order_by("code").values_list("code", flat=True)) == [
        "ECON-G1",
        "LAW",
        "RET",
    ]
    # audit: on both sub-unions, the group, each person, each membership, the officer
    summary = "人员 2 人，转会 2 条，入会申请 0 条，工会小组 1 个，角色 1 个"
    assert [(e.message, e.changes) for e in _events(u.econ)] == [
        (f"并入“法学院分工会”：{summary}", {"merged_into": [None, "法学院分工会"], "ended_on": [None, "2021-03-15"]})
    ]
    assert [(e.message, e.changes) for e in _events(u.law)] == [
        (f"“经济学院分工会”并入本分工会：{summary}", {"aliases": ["", "经济学院分工会"]})
    ]
    assert [e.changes for e in _events(u.econ_group)] == [{"parent": ["经济学院分工会", "法学院分工会"]}]
    zhang_events = AuditEvent.objects.filter(person_id=u.zhang.pk).order_by("pk")
    assert [(e.action, e.object_type) for e in zhang_events] == [
        ("status_changed", "people.unionmembership"),
        ("membership", "people.unionmembership"),
        ("updated", "people.person"),
    ]
    assert AuditEvent.objects.filter(action="role_changed", object_id=str(officer.pk)).count() == 1


def test_after_a_merge_the_roster_matches_the_old_name_to_the_target(university, office, tmp_path):
    sub_union_merge(actor=office, source=university.econ, target=university.law)
    roster_import_file(path=xlsx(tmp_path / "r.xlsx", [new_row("N0001", unit="经济学院分工会")]))
    assert Person.objects.get(staff_no="N0001").sub_union == university.law


def test_a_role_already_held_at_the_target_is_dropped(university, office):
    officer = university.users["sub_union_officer"]
    RoleAssignment.objects.create(user=officer, role=Role.SUB_UNION_OFFICER, sub_union=university.law)
    plan = sub_union_merge(actor=office, source=university.econ, target=university.law)
    assert plan.roles == 1
    assert list(RoleAssignment.objects.filter(user=officer).values_list("sub_union", flat=True)) == [university.law.pk]


def test_merge_a_group_into_its_parent(university, office):
    u = university
    sub_union_merge(actor=office, source=u.econ_group, target=u.econ)
    assert Person.objects.get(pk=u.li.pk).sub_union == u.econ
    u.econ_group.refresh_from_db()
    assert u.econ_group.merged_into == u.econ


def test_merge_refusals_write_nothing(university, office):
    u = university
    _refused(lambda: sub_union_merge(actor=office, source=u.econ, target=u.econ), "不能把分工会并入它自己")
    _refused(lambda: sub_union_merge(actor=office, source=u.econ, target=u.econ_group), "不能并入本分工会的下级")
    sub_union_merge(actor=office, source=u.retirees, target=u.law)
    u.retirees.refresh_from_db()
    _refused(
        lambda: sub_union_merge(actor=office, source=u.econ, target=u.retirees),
        "“离退休工作处分工会”已并入“法学院分工会”，不能再并入其他分工会",
    )
    _refused(
        lambda: sub_union_merge(actor=office, source=u.retirees, target=u.econ),
        "“离退休工作处分工会”已并入“法学院分工会”",
    )
    _refused(
        lambda: sub_union_rename(actor=office, sub_union=u.retirees, name="离退休分工会"),
        "“离退休工作处分工会”已并入“法学院分工会”，不能再修改",
    )
    _refused(
        lambda: sub_union_create(actor=office, name="新小组", kind="group", parent=u.retirees),
        "“离退休工作处分工会”已合并，不能作为上级",
    )


def test_a_sub_union_with_groups_is_not_merged_into_a_group(university, office):
    other_group = sub_union_create(actor=office, name="法学院小组", kind="group", parent=university.law)
    _refused(
        lambda: sub_union_merge(actor=office, source=university.econ, target=other_group),
        "“经济学院分工会”下有工会小组，不能并入工会小组",
    )


@pytest.mark.parametrize("role", ["sub_union_officer", "auditor"])
def test_only_the_office_merges(university, role):
    before = table_counts()
    with pytest.raises(PermissionDenied):
        sub_union_merge(actor=university.users[role], source=university.econ_group, target=university.econ)
    assert changed_tables(before, table_counts()) == {}


# --- pages --------------------------------------------------------------------------------------


def test_list_shows_kinds_parents_members_and_office_buttons(client, university, office):
    client.force_login(office)
    html = client.get(reverse("people:subunion_list")).content.decode()
    assert reverse("people:subunion_create") in html
    assert reverse("people:subunion_merge", args=[university.law.pk]) in html
    row = html.split('data-testid="subunion-ECON"')[1].split("</tr>")[0]
    # econ: zhang and the officer, both members, both active
    assert "学院分工会" in row and "<td>2</td><td>2</td><td>0</td>" in row
    group = html.split('data-testid="subunion-ECON-G1"')[1].split("</tr>")[0]
    assert "工会小组" in group and "经济学院分工会" in group and "<td>1</td><td>1</td><td>0</td>" in group


def test_list_hides_merged_sub_unions_unless_asked(client, university, office):
    sub_union_merge(actor=office, source=university.retirees, target=university.law)
    client.force_login(office)
    html = client.get(reverse("people:subunion_list")).content.decode()
    assert 'data-testid="subunion-RET"' not in html
    html = client.get(reverse("people:subunion_list"), {"merged": "1"}).content.decode()
    assert 'data-testid="subunion-RET"' in html and "已并入法学院分工会" in html


def test_officer_sees_their_own_without_buttons(client, university):
    client.force_login(university.users["sub_union_officer"])
    html = client.get(reverse("people:subunion_list")).content.decode()
    assert 'data-testid="subunion-ECON"' in html and 'data-testid="subunion-ECON-G1"' in html
    assert 'data-testid="subunion-LAW"' not in html and 'data-testid="subunion-RET"' not in html
    assert reverse("people:subunion_create") not in html
    assert reverse("people:subunion_edit", args=[university.econ.pk]) not in html
    detail = client.get(reverse("people:subunion_detail", args=[university.econ.pk])).content.decode()
    assert 'data-testid="subunion-actions"' not in detail


def test_create_page(client, university, office):
    client.force_login(office)
    assert client.get(reverse("people:subunion_create")).status_code == 200
    response = client.post(
        reverse("people:subunion_create"),
        {"name": "经济学院第二工会小组", "kind": "group", "parent": university.econ.pk},
    )
    group = SubUnion.objects.get(name="经济学院第二工会小组")
    assert response.status_code == 302 and response["Location"] == reverse("people:subunion_detail", args=[group.pk])
    assert (group.parent, group.code) == (university.econ, "JJXYDEGHXZ")


def test_create_page_shows_refusals_and_writes_nothing(client, university, office):
    client.force_login(office)
    before = table_counts()
    response = client.post(reverse("people:subunion_create"), {"name": "经济学院分工会", "kind": "college"})
    assert response.status_code == 400
    assert "名称“经济学院分工会”已被分工会“经济学院分工会”使用（名称或别名）" in response.content.decode()
    response = client.post(reverse("people:subunion_create"), {"name": "小组", "kind": "group"})
    assert response.status_code == 400 and "工会小组必须有上级分工会" in response.content.decode()
    assert changed_tables(before, table_counts()) == {}


def test_rename_page_and_the_history_on_the_sub_unions_page(clock, client, university, office):
    client.force_login(office)
    url = reverse("people:subunion_rename", args=[university.econ.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"name": "经济与管理学院分工会"})
    assert response.status_code == 302
    html = client.get(reverse("people:subunion_detail", args=[university.econ.pk])).content.decode()
    history = html.split('data-testid="history"')[1]
    assert "2021年3月15日" in history and "office" in history and "更名" in history
    assert "<del>经济学院分工会</del> → <ins>经济与管理学院分工会</ins>" in history
    assert "别名</strong>：经济学院分工会" in html


def test_edit_page_refuses_a_cycle(client, university, office):
    office_su = sub_union_create(actor=office, name="机关分工会", kind="office", parent=university.econ)
    client.force_login(office)
    url = reverse("people:subunion_edit", args=[university.econ.pk])
    assert client.get(url).status_code == 200
    before = table_counts()
    # the form offers neither the sub-union nor anything below it as a parent
    response = client.post(url, {"kind": "college", "parent": office_su.pk})
    assert response.status_code == 400
    assert changed_tables(before, table_counts()) == {}


def test_merge_pages_preview_then_confirm(clock, client, university, office):
    client.force_login(office)
    url = reverse("people:subunion_merge", args=[university.econ.pk])
    assert client.get(url).status_code == 200
    before = table_counts()
    preview = client.get(url, {"into": university.law.pk})
    html = preview.content.decode()
    assert preview.status_code == 200 and 'data-testid="merge-preview"' in html
    assert "人员 2 人改属“法学院分工会”" in html and "在会会员 2 人办理转会" in html
    assert "工会小组 1 个改到新上级下：经济学院第一工会小组" in html
    assert changed_tables(before, table_counts()) == {}  # the preview writes nothing
    response = client.post(url, {"into": university.law.pk})
    assert response.status_code == 302 and response["Location"] == reverse(
        "people:subunion_detail", args=[university.law.pk]
    )
    university.econ.refresh_from_db()
    assert university.econ.merged_into == university.law
    # the merged sub-union's page stays readable, with its history
    html = client.get(reverse("people:subunion_detail", args=[university.econ.pk])).content.decode()
    assert 'data-testid="merged"' in html and "2021年3月15日" in html and 'data-testid="subunion-actions"' not in html


def test_merge_into_itself_on_the_page(client, university, office):
    client.force_login(office)
    url = reverse("people:subunion_merge", args=[university.econ.pk])
    before = table_counts()
    # not offered, so the form refuses it
    assert client.post(url, {"into": university.econ.pk}).status_code == 400
    assert client.get(url, {"into": university.econ_group.pk}).status_code == 400
    assert "不能并入本分工会的下级" in client.get(url, {"into": university.econ_group.pk}).content.decode()
    assert changed_tables(before, table_counts()) == {}


@pytest.mark.parametrize("role", ["sub_union_officer", "auditor", "member"])
@pytest.mark.parametrize(
    "name, data",
    [
        ("people:subunion_edit", {"kind": "office", "parent": ""}),
        ("people:subunion_rename", {"name": "经济与管理学院分工会"}),
        ("people:subunion_merge", {"into": "LAW"}),
    ],
)
def test_non_office_users_are_refused_and_nothing_changes(client, university, role, name, data):
    if data.get("into"):
        data = {"into": university.law.pk}
    client.force_login(university.users[role])
    before = table_counts()
    response = client.post(reverse(name, args=[university.econ.pk]), data)
    assert response.status_code == 403
    assert changed_tables(before, table_counts()) == {}


def test_a_user_without_a_role_cannot_create(client, university):
    client.force_login(user_make(username="nobody"))
    before = table_counts()
    assert client.post(reverse("people:subunion_create"), {"name": "X", "kind": "office"}).status_code == 403
    assert changed_tables(before, table_counts()) == {}


def test_the_api_lists_merged_sub_unions_only_when_asked(client, university, office):
    sub_union_merge(actor=office, source=university.retirees, target=university.law)
    client.force_login(office)
    codes = [row["code"] for row in client.get("/api/sub-unions/").json()["results"]]
    assert sorted(codes) == ["ECON", "ECON-G1", "LAW"]
    rows = client.get("/api/sub-unions/", {"merged": "1"}).json()["results"]
    assert sorted(row["code"] for row in rows) == ["ECON", "ECON-G1", "LAW", "RET"]
    university.retirees.refresh_from_db()
    detail = client.get(f"/api/sub-unions/{university.retirees.pk}/").json()
    assert (detail["merged_into"], detail["ended_on"]) == (university.law.pk, university.retirees.ended_on.isoformat())
