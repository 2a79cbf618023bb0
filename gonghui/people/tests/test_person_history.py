"""The person's page reads their history right: every change a people service records —
transfer, lapse, joining and confirmation, retirement, a child, the roster import — shows as
"label: before → after" with the field's label and the values as people read them."""

import datetime
import re

import pytest
from django.urls import reverse
from openpyxl import Workbook

from gonghui.core.history import audit_event_build
from gonghui.people.choices import EmploymentStatus, Gender, MembershipStatus
from gonghui.people.roster.services import roster_import_file
from gonghui.people.services import (
    child_add,
    membership_confirm,
    membership_end,
    membership_join,
    membership_transfer,
    person_status_change,
)


def _history(html: str) -> list[tuple[str, list[tuple[str, str, str]]]]:
    """(operation cell, [(label, before, after) …]) for each row of the history table."""
    table = html[html.index('data-testid="history"') :]
    body = table[table.index("<tbody>") : table.index("</tbody>")]
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        cells = re.findall(r"<td>(.*?)</td>", row, re.S)
        changes = re.findall(r"<div>([^<]*): <del>([^<]*)</del> → <ins>([^<]*)</ins></div>", cells[3])
        assert cells[3].count("<div>") == len(changes), cells[3]  # every change is one before → after
        rows.append((cells[2], sorted(changes)))  # PostgreSQL's jsonb keeps no key order
    return rows


def _roster(path, zhang, *, status: str):
    book = Workbook()
    book.active.append(["工号", "姓名", "性别", "身份证号", "所在单位", "人员状态"])
    book.active.append([zhang.staff_no, zhang.name, "男", zhang.id_number_clear(), "法学院分工会", status])
    book.save(path)
    return str(path)


def test_the_history_shows_each_change_as_before_and_after(university, client, clock, tmp_path):
    office = university.users["union_office"]
    zhang = university.zhang
    # transferred, lapsed, joined again (an application) and confirmed, retired, a child,
    # then HR's roster reports him deceased
    membership_transfer(
        actor=office, person=zhang, to_sub_union=university.law, on=datetime.date(2021, 1, 4), reason="调入法学院"
    )
    at_law = zhang.memberships.get(status=MembershipStatus.ACTIVE)
    membership_end(
        actor=office,
        membership=at_law,
        on=datetime.date(2021, 2, 1),
        reason="欠缴会费",
        status=MembershipStatus.LAPSED,
    )
    applied = membership_join(actor=office, person=zhang, joined_on=datetime.date(2021, 3, 1), confirmed=False)
    membership_confirm(actor=office, membership=applied)
    person_status_change(
        actor=office, person=zhang, status=EmploymentStatus.RETIRED, on=datetime.date(2021, 3, 10), reason="到龄退休"
    )
    child_add(actor=office, parent=zhang, name="张小明", gender=Gender.MALE, birth_date=datetime.date(2014, 6, 1))
    _c, result = roster_import_file(path=_roster(tmp_path / "r.xlsx", zhang, status="去世"), actor=office)
    assert (result["changed"], result["memberships_ended"]) == (1, 1)

    client.force_login(office)
    html = client.get(reverse("people:person_detail", args=[zhang.pk])).content.decode()

    assert _history(html) == [
        (operation, sorted(changes))
        for operation, changes in reversed(
            [
                (
                    "状态变更 · 转出：调入法学院",
                    [("会籍状态", "在会", "已转出"), ("结束日期", "—", "2021-01-04"), ("原因", "—", "调入法学院")],
                ),
                ("会籍变动 · 转入", [("分工会", "经济学院分工会", "法学院分工会"), ("会籍状态", "—", "在会")]),
                ("修改", [("分工会", "经济学院分工会", "法学院分工会")]),
                (
                    "状态变更 · 欠缴会费",
                    [("会籍状态", "在会", "中止"), ("结束日期", "—", "2021-02-01"), ("原因", "—", "欠缴会费")],
                ),
                (
                    "会籍变动 · 入会",
                    [
                        ("会籍状态", "—", "申请中"),
                        ("分工会", "—", "法学院分工会"),
                        ("会员号", "—", "E0001"),
                        ("入会日期", "—", "2021-03-01"),
                    ],
                ),
                ("状态变更 · 确认入会", [("会籍状态", "申请中", "在会")]),
                (
                    "状态变更 · 到龄退休",
                    [
                        ("人员状态", "在职", "离退休"),
                        ("状态变更日期", "—", "2021-03-10"),
                        ("状态变更原因", "—", "到龄退休"),
                    ],
                ),
                (
                    "创建 · 添加子女",
                    [("姓名", "—", "张小明"), ("性别", "—", "男"), ("出生日期", "—", "2014-06-01")],
                ),
                (
                    "修改 · 名册导入",
                    [
                        ("人员状态", "离退休", "去世"),
                        ("状态变更日期", "2021-03-10", "2021-03-15"),
                        ("状态变更原因", "到龄退休", "名册导入"),
                    ],
                ),
                (
                    "状态变更 · 名册导入：人员状态变为去世",
                    [
                        ("会籍状态", "在会", "终止"),
                        ("结束日期", "—", "2021-03-15"),
                        ("原因", "—", "名册导入：人员状态变为去世"),
                    ],
                ),
            ]
        )
    ]
    # and the workflows' own records of the same steps
    assert list(zhang.events.values_list("from_state", "to_state", "step")) == [
        ("active", "retired", "retire"),
        ("retired", "deceased", "die"),
    ]
    steps = [
        (m.sub_union.code, list(m.events.values_list("step", flat=True)))
        for m in zhang.memberships.order_by("id").select_related("sub_union")
    ]
    assert steps == [("ECON", ["transfer"]), ("LAW", ["lapse"]), ("LAW", ["confirm", "end"])]


def test_a_bare_value_never_reaches_the_history(university):
    """One value is not a before/after pair: "本人" would read as "本 → 人"."""
    with pytest.raises(ValueError, match="must be \\[before, after\\]"):
        audit_event_build(
            actor=None, obj=university.zhang, action="updated", person_id=university.zhang.pk, changes={"x": "本人"}
        )
