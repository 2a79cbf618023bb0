"""Roster units on a first import: the kind a new sub-union gets, the refusal before the
union exists, and memberships dated by the file's 入会日期."""

import datetime

import pytest
from django.urls import reverse

from gonghui.accounts.system import system_actor
from gonghui.core.exceptions import ApplicationError
from gonghui.core.imports import Upload, import_start
from gonghui.core.models import AuditEvent, ImportPreview
from gonghui.people.choices import SubUnionKind
from gonghui.people.models import Person, SubUnion, UnionMembership
from gonghui.people.roster.services import roster_import_units_map
from gonghui.people.roster.units import sub_union_kind_guess
from gonghui.people.tests.test_roster_import import HEADER, new_row, roster_import_file, xlsx


@pytest.mark.parametrize(
    "name, kind",
    [
        ("离退休工作处", SubUnionKind.RETIREES),
        ("离休干部党支部", SubUnionKind.RETIREES),
        ("经济学院", SubUnionKind.COLLEGE),
        ("中文系", SubUnionKind.COLLEGE),
        ("人事处", SubUnionKind.OFFICE),
        ("党委组织部", SubUnionKind.OFFICE),
        ("校长办公室", SubUnionKind.OFFICE),
        ("机关党委", SubUnionKind.OFFICE),
        ("图书馆", SubUnionKind.OFFICE),
        ("国学研究院", SubUnionKind.COLLEGE),
        ("附属中学", SubUnionKind.COLLEGE),
    ],
)
def test_kind_guessed_from_the_unit_name(name, kind):
    assert sub_union_kind_guess(name) == kind


def _preview(actor, path):
    with open(path, "rb") as f:
        return import_start("people.roster", actor=actor, upload=Upload(data=f.read(), filename="r.xlsx"))


def test_new_units_get_the_guessed_kind_or_the_chosen_one(university, tmp_path):
    office = university.users["union_office"]
    rows = [new_row("N0001", unit="离退休工作处"), new_row("N0002", unit="保卫处"), new_row("N0003", unit="艺术中心")]
    preview = _preview(office, xlsx(tmp_path / "r.xlsx", rows))
    assert [(u["name"], u["kind"]) for u in preview.summary["unknown_units"]] == [
        ("保卫处", "office"),
        ("离退休工作处", "retirees"),
        ("艺术中心", "office"),
    ]
    preview = roster_import_units_map(
        actor=office, preview=preview, mapping={"离退休工作处": "new", "保卫处": "new", "艺术中心": "new:college"}
    )
    kinds = dict(SubUnion.objects.filter(name__in=["离退休工作处", "保卫处", "艺术中心"]).values_list("name", "kind"))
    assert kinds == {"离退休工作处": "retirees", "保卫处": "office", "艺术中心": "college"}
    assert preview.summary["counts"]["new"] == 3 and preview.summary["counts"]["invalid"] == 0


def test_an_unknown_kind_is_refused_and_nothing_is_created(university, tmp_path):
    office = university.users["union_office"]
    preview = _preview(office, xlsx(tmp_path / "r.xlsx", [new_row("N0001", unit="保卫处")]))
    before = SubUnion.objects.count(), AuditEvent.objects.count()
    with pytest.raises(ApplicationError) as caught:
        roster_import_units_map(actor=office, preview=preview, mapping={"保卫处": "new:faculty"})
    assert caught.value.message == "未知的分工会类型“faculty”"
    assert (SubUnion.objects.count(), AuditEvent.objects.count()) == before


@pytest.mark.django_db
def test_a_new_unit_before_the_union_exists_is_refused_with_the_way_forward(tmp_path):
    """On an empty install this was an IntegrityError (HTTP 500)."""
    preview = _preview(system_actor(), xlsx(tmp_path / "r.xlsx", [new_row("N0001", unit="经济学院")]))
    with pytest.raises(ApplicationError) as caught:
        roster_import_units_map(actor=system_actor(), preview=preview, mapping={"经济学院": "new"})
    assert "union_setup" in caught.value.message and "首次设置" in caught.value.message
    assert SubUnion.objects.count() == 0
    assert ImportPreview.objects.get(pk=preview.pk).summary["counts"]["invalid"] == 1


def test_memberships_dated_by_the_join_date_column(university, tmp_path, clock):
    today = datetime.date.today()
    rows = [new_row("N0001") + ["2005-09-01"], new_row("N0002") + [""]]
    roster_import_file(path=xlsx(tmp_path / "r.xlsx", rows, header=[*HEADER, "入会日期"]))
    joined = dict(
        UnionMembership.objects.filter(person__staff_no__in=["N0001", "N0002"]).values_list(
            "person__staff_no", "joined_on"
        )
    )
    assert joined == {"N0001": datetime.date(2005, 9, 1), "N0002": today}


def test_an_unreadable_join_date_refuses_the_row(university, tmp_path):
    rows = [new_row("N0001") + ["去年九月"]]
    c, _result = roster_import_file(path=xlsx(tmp_path / "r.xlsx", rows, header=[*HEADER, "入会日期"]), dry_run=True)
    assert [r.reason for r in c.invalid] == ["入会日期“去年九月”无法识别，请写作 2005-09-01"]
    assert not Person.objects.filter(staff_no="N0001").exists()


def test_the_preview_says_which_join_date_is_used(university, tmp_path, client):
    office = university.users["union_office"]
    client.force_login(office)
    without = _preview(office, xlsx(tmp_path / "a.xlsx", [new_row("N0001")]))
    page = client.get(reverse("people:roster_preview", args=[without.pk])).content.decode()
    assert "文件没有“入会日期”列：新会员的入会日期将记为确认导入当天" in page
    with_column = _preview(
        office, xlsx(tmp_path / "b.xlsx", [new_row("N0002") + ["2010-01-01"]], header=[*HEADER, "入会日期"])
    )
    page = client.get(reverse("people:roster_preview", args=[with_column.pk])).content.decode()
    assert "新会员的入会日期取自文件的“入会日期”列" in page


def test_the_template_has_every_column_and_imports_once_filled(university, tmp_path, client):
    from openpyxl import load_workbook

    client.force_login(university.users["union_office"])
    response = client.get(reverse("people:roster_template"))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    path = tmp_path / "template.xlsx"
    path.write_bytes(response.content)
    book = load_workbook(path)
    sheet = book.active
    header = [cell.value for cell in sheet[1]]
    assert header == [
        "工号",
        "姓名",
        "性别",
        "身份证号",
        "所在单位",
        "人员类别",
        "人员状态",
        "手机号",
        "医疗类别",
        "出生日期",
        "京卡号",
        "入会日期",
    ]
    assert sheet.column_dimensions["D"].number_format == "@"
    row = dict(zip(HEADER, new_row("N0009"), strict=True))
    sheet.append([row.get(name, "") for name in header[:9]] + ["", "", "2001-09-01"])
    book.save(path)
    c, _result = roster_import_file(path=str(path))
    assert c.counts["new"] == 1 and c.counts["invalid"] == 0
    membership = UnionMembership.objects.get(person__staff_no="N0009")
    assert membership.joined_on == datetime.date(2001, 9, 1)


def test_the_template_is_for_the_office_only(university, client):
    client.force_login(university.users["member"])
    assert client.get(reverse("people:roster_template")).status_code == 403
