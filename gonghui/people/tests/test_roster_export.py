"""The people export is a roster the import reads back: its columns, header names and order;
export → re-import unchanged; masked ID numbers keep the stored ones; ID numbers in clear only
for the roles that may reveal them, each such export logged."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from gonghui.accounts.system import system_actor
from gonghui.core.models import AuditAction, AuditEvent
from gonghui.people.choices import CoverageType, EmploymentStatus, Gender, MembershipStatus, SubUnionKind
from gonghui.people.models import Person, SubUnion, UnionMembership
from gonghui.people.roster import services
from gonghui.people.roster.export import roster_export_clear, unit_names
from gonghui.people.roster.reading import HEADERS, ROSTER_COLUMNS, roster_template_xlsx
from gonghui.people.tests.factories import EmploymentCategoryFactory, SubUnionFactory, person_make

HEADER_ROW = [
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


def _sheet(data: bytes):
    return load_workbook(io.BytesIO(data)).active


def _rows(data: bytes) -> list[list]:
    return [list(row) for row in _sheet(data).iter_rows(values_only=True)]


def _save(tmp_path, data: bytes, name="export.xlsx") -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def _classify(path: str):
    with open(path, "rb") as stream:
        return services.roster_classify(stream, ext="xlsx")


def _cell_set(data: bytes, staff_no: str, header: str, value, tmp_path, name="edited.xlsx") -> str:
    """The workbook with one cell changed, as someone editing it in Excel would."""
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook.active
    column = [c.value for c in sheet[1]].index(header) + 1
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == staff_no:
            row[column - 1].value = value
    path = tmp_path / name
    workbook.save(path)
    return str(path)


@pytest.fixture
def roster(university):
    """The university's people and more, varied: both genders, every status, categories and
    coverage or none, a group, two groups of the same name, join dates of their own. Birth
    dates differ from the fixture's, so that no two made-up ID numbers can coincide."""
    contract = EmploymentCategoryFactory(name="合同制")
    first_a = SubUnionFactory(
        code="LAW-G1", name="第一工会小组", kind=SubUnionKind.GROUP, parent=university.law, union=university.econ.union
    )
    first_b = SubUnionFactory(
        code="RET-G1", name="第一工会小组", kind=SubUnionKind.GROUP, parent=university.retirees, union=first_a.union
    )
    people = {
        "contract": person_make(
            staff_no="C0001",
            name="孙悦",
            gender=Gender.FEMALE,
            birth_date=datetime.date(1992, 2, 29),
            sub_union=first_a,
            employment_category=contract,
            coverage_type=CoverageType.PUBLIC,
            jingka_no="0012345678",
            phone="",
        ),
        "no_category": person_make(
            staff_no="C0002",
            name="周杰",
            birth_date=datetime.date(1962, 10, 1),
            sub_union=first_b,
            employment_category=None,
            coverage_type="",
            employment_status=EmploymentStatus.RETIRED,
        ),
        "left": person_make(
            staff_no="C0003",
            name="吴敏",
            birth_date=datetime.date(1970, 1, 1),
            employment_status=EmploymentStatus.LEFT,
            member=False,
        ),
        "deceased": person_make(
            staff_no="C0004",
            name="郑华",
            gender=Gender.FEMALE,
            birth_date=datetime.date(1945, 8, 15),
            sub_union=university.retirees,
            employment_status=EmploymentStatus.DECEASED,
            member=False,
        ),
    }
    UnionMembership.objects.filter(person=people["contract"]).update(joined_on=datetime.date(2015, 7, 1))
    # an ended spell before the current one: the export gives the current one's date
    UnionMembership.objects.create(
        person=people["no_category"],
        sub_union=university.econ,
        member_no="OLD",
        joined_on=datetime.date(1980, 1, 1),
        ended_on=datetime.date(2000, 1, 1),
        status=MembershipStatus.TRANSFERRED,
    )
    return people


def _office_export(client, university, **filters) -> bytes:
    client.force_login(university.users["union_office"])
    response = client.get(reverse("people:person_list"), {**filters, "export": "xlsx"})
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


# --- the columns: the import's, in its order, one definition ------------------------------


def test_template_and_export_have_the_imports_columns_in_its_order(client, university):
    assert [HEADERS[key][0] for key in ROSTER_COLUMNS] == HEADER_ROW
    assert _rows(roster_template_xlsx())[0] == HEADER_ROW
    assert _rows(_office_export(client, university))[0] == HEADER_ROW


def test_a_persons_row_in_the_masked_export(client, university, roster):
    before = AuditEvent.objects.count()
    data = _office_export(client, university, q="孙悦")
    sheet = _sheet(data)
    assert [c.value for c in sheet[2]] == [
        "C0001",
        "孙悦",
        "女",
        roster["contract"].id_number_masked,
        "第一工会小组",
        "合同制",
        "在职",
        None,
        "公费医疗",
        datetime.datetime(1992, 2, 29),
        "0012345678",
        datetime.datetime(2015, 7, 1),
    ]
    assert sheet.max_row == 2
    # dates are date cells; digit columns text, whatever they hold
    assert [sheet.cell(2, n).is_date for n in (10, 12)] == [True, True]
    assert [sheet.cell(2, n).number_format for n in (1, 4, 8, 11)] == ["@", "@", "@", "@"]
    assert roster["contract"].id_number_clear() not in data.decode("latin-1")
    # the list's export is logged, as every list export is
    event = AuditEvent.objects.get(pk__gt=0, action=AuditAction.EXPORTED, object_type="people.person")
    assert (AuditEvent.objects.count(), event.message) == (
        before + 1,
        "导出人员名单.xlsx（q=%E5%AD%99%E6%82%A6&export=xlsx）",
    )


def test_statuses_genders_coverage_and_join_dates_are_the_imports_words(client, university, roster):
    rows = {row[0]: row for row in _rows(_office_export(client, university))[1:]}
    assert sorted(rows) == ["C0001", "C0002", "C0003", "C0004", "E0001", "E0002", "E0099", "L0001", "R0001"]
    picked = {n: (rows[n][2], rows[n][5], rows[n][6], rows[n][8], rows[n][11]) for n in ("C0002", "C0003", "C0004")}
    assert picked == {
        "C0002": ("男", None, "离退休", None, datetime.datetime(2010, 9, 1)),
        "C0003": ("男", "事业编制", "调离", "医保", None),  # no membership: no join date
        "C0004": ("女", "事业编制", "去世", "医保", None),
    }


def test_export_follows_the_filters_and_the_users_scope(client, university, roster):
    staff = [row[0] for row in _rows(_office_export(client, university, sub_union=university.law.pk))[1:]]
    assert staff == ["C0001", "L0001"]  # law and its group (ordered by pinyin: sunyue, wangfang)
    client.force_login(university.users["sub_union_officer"])
    response = client.get(reverse("people:person_list"), {"export": "xlsx"})
    assert sorted(row[0] for row in _rows(response.content)[1:]) == ["E0001", "E0002", "E0099"]


def test_unit_names_are_what_the_import_maps_back(university, roster):
    """Two groups named alike: the second is written as its code, which the import matches."""
    law_group, retirees_group = SubUnion.objects.get(code="LAW-G1"), SubUnion.objects.get(code="RET-G1")
    names = unit_names()
    first = min(law_group, retirees_group, key=lambda su: su.pk)
    second = max(law_group, retirees_group, key=lambda su: su.pk)
    assert (names[first.pk], names[second.pk]) == ("第一工会小组", second.code)
    assert names[university.econ_group.pk] == "经济学院第一工会小组"


# --- round trip ------------------------------------------------------------------------------


def test_clear_export_reimported_unchanged_then_one_edited_cell_is_one_change(university, roster, tmp_path):
    data, count = roster_export_clear(actor=university.users["union_office"], filters={})
    assert count == 9
    before = (Person.objects.count(), UnionMembership.objects.count(), AuditEvent.objects.count())
    c = _classify(_save(tmp_path, data))
    assert [(i.staff_no, i.reason) for i in c.invalid] == []
    assert c.counts == {"new": 0, "changed": 0, "unchanged": 9, "invalid": 0}

    c = _classify(_cell_set(data, "E0002", "手机号", "13911112222", tmp_path))
    assert c.counts == {"new": 0, "changed": 1, "unchanged": 8, "invalid": 0}
    (row, _existing, changes) = c.changed[0]
    assert (row.staff_no, changes) == ("E0002", {"phone": ["13800000000", "13911112222"]})
    # classifying wrote nothing but the export's own log row, before it
    assert (Person.objects.count(), UnionMembership.objects.count(), AuditEvent.objects.count()) == before


def test_masked_export_reimported_unchanged(client, university, roster, tmp_path):
    data = _office_export(client, university)
    c = _classify(_save(tmp_path, data))
    assert c.counts == {"new": 0, "changed": 0, "unchanged": 9, "invalid": 0}


def test_masked_export_edited_and_imported_keeps_the_stored_id_numbers(client, university, roster, tmp_path):
    data = _office_export(client, university)
    stored = {p.staff_no: (p.id_number_encrypted, p.id_number_digest, p.id_number_masked) for p in Person.objects.all()}
    path = _cell_set(data, "L0001", "手机号", "13700000000", tmp_path)

    c, result = services.roster_import_file(path=path, actor=system_actor())

    assert (result["new"], result["changed"], result["unchanged"], result["invalid"]) == (0, 1, 8, 0)
    after = {p.staff_no: (p.id_number_encrypted, p.id_number_digest, p.id_number_masked) for p in Person.objects.all()}
    assert after == stored
    wang = Person.objects.get(staff_no="L0001")
    assert (wang.phone, wang.id_number_clear()) == ("13700000000", university.wang.id_number_clear())
    assert AuditEvent.objects.get(action=AuditAction.UPDATED, person_id=wang.pk).changes == {
        "phone": ["13800000000", "13700000000"]
    }


@pytest.mark.parametrize(
    "staff_no, header, value, reason",
    [
        # a masked number cannot create anyone
        ("E0001", "工号", "N0001", "身份证号“{masked}”是脱敏的：新增人员须填写完整的身份证号"),
        # nor stand for another number than the stored one
        (
            "E0001",
            "身份证号",
            "110105********0010",
            "身份证号“110105********0010”是脱敏的，且与已存的不一致：请填写完整的身份证号",
        ),
        # nor let the birth date move away from the stored number's
        (
            "E0001",
            "出生日期",
            datetime.date(1981, 5, 17),
            "身份证号是脱敏的，出生日期不能改为与已存的不同：请填写完整的身份证号",
        ),
        # its gender digit is still checked
        ("E0001", "性别", "女", "身份证号中的性别与填写的性别不一致"),
    ],
)
def test_a_masked_number_that_does_not_keep_the_stored_one_is_invalid(
    client, university, tmp_path, staff_no, header, value, reason
):
    data = _office_export(client, university)
    path = _cell_set(data, staff_no, header, value, tmp_path)
    before = (Person.objects.count(), AuditEvent.objects.count())
    c = _classify(path)
    assert c.counts == {"new": 0, "changed": 0, "unchanged": 4, "invalid": 1}
    assert [i.reason for i in c.invalid] == [reason.format(masked=university.zhang.id_number_masked)]
    assert (Person.objects.count(), AuditEvent.objects.count()) == before


def test_a_masked_number_without_birth_date_column_keeps_the_stored_birth_date(university, tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["工号", "姓名", "性别", "身份证号", "所在单位"])
    workbook.active.append(["E0002", "李娜", "女", university.li.id_number_masked.lower(), "经济学院第一工会小组"])
    path = tmp_path / "masked.xlsx"
    workbook.save(path)
    c = _classify(str(path))
    assert c.counts == {"new": 0, "changed": 0, "unchanged": 1, "invalid": 0}


# --- ID numbers in clear: the reveal's permission, logged -----------------------------------


def _clear_url():
    return reverse("people:person_export_clear")


def test_clear_export_page_says_how_many_and_what_is_logged(client, university, roster):
    client.force_login(university.users["union_office"])
    before = AuditEvent.objects.count()
    response = client.get(_clear_url(), {"sub_union": university.econ.pk})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="export-count">3<' in html  # zhang, li (the group), chen
    assert f'name="sub_union" value="{university.econ.pk}"' in html
    assert AuditEvent.objects.count() == before  # showing the page reveals and logs nothing


def test_clear_export_without_confirming_writes_nothing(client, university):
    client.force_login(university.users["union_office"])
    before = AuditEvent.objects.count()
    response = client.post(_clear_url(), {"sub_union": university.econ.pk})
    assert response.status_code == 400
    assert university.zhang.id_number_clear() not in response.content.decode()
    assert AuditEvent.objects.count() == before


def test_clear_export_is_the_filtered_list_in_clear_and_logged(client, university, roster):
    office = university.users["union_office"]
    client.force_login(office)
    before = AuditEvent.objects.count()
    response = client.post(
        _clear_url(), {"sub_union": university.econ.pk, "employment_status": "active", "confirm": "on"}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    rows = _rows(response.content)
    assert rows[0] == HEADER_ROW
    assert [(row[0], row[3]) for row in rows[1:]] == [
        ("E0099", university.officer_person.id_number_clear()),  # chenjing
        ("E0002", university.li.id_number_clear()),  # lina
        ("E0001", university.zhang.id_number_clear()),  # zhangwei
    ]
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.latest("pk")
    assert (event.actor_id, event.action, event.object_type, event.object_id) == (
        office.pk,
        AuditAction.EXPORTED_CLEAR,
        "people.person",
        "list",
    )
    assert event.message == "导出人员名单（含明文身份证号）：3 人；筛选：分工会：经济学院分工会；人员状态：在职"
    assert event.changes == {"rows": [None, 3], "filters": [None, "分工会：经济学院分工会；人员状态：在职"]}


def test_clear_export_by_id_number_never_logs_it_in_clear(client, university):
    client.force_login(university.users["union_office"])
    number = university.wang.id_number_clear()
    response = client.post(_clear_url(), {"id_number": number, "confirm": "on"})
    assert [row[0] for row in _rows(response.content)[1:]] == ["L0001"]
    event = AuditEvent.objects.latest("pk")
    assert number not in event.message and number not in str(event.changes)
    assert event.message == f"导出人员名单（含明文身份证号）：1 人；筛选：身份证号：{university.wang.id_number_masked}"


@pytest.mark.parametrize("role", ["sub_union_officer", "auditor", "welfare_committee", "member"])
def test_clear_export_is_refused_to_roles_that_may_not_reveal(client, university, role):
    client.force_login(university.users[role])
    before = AuditEvent.objects.count()
    response = client.post(_clear_url(), {"confirm": "on"})
    assert response.status_code == 403
    assert university.zhang.id_number_clear() not in response.content.decode()
    assert AuditEvent.objects.count() == before


def test_the_service_refuses_without_the_reveal_permission(university):
    from django.core.exceptions import PermissionDenied

    before = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        roster_export_clear(actor=university.users["auditor"], filters={})
    assert AuditEvent.objects.count() == before


def test_list_offers_the_clear_export_only_to_roles_that_may_reveal(client, university):
    client.force_login(university.users["union_office"])
    assert _clear_url() in client.get(reverse("people:person_list")).content.decode()
    client.force_login(university.users["auditor"])
    assert _clear_url() not in client.get(reverse("people:person_list")).content.decode()


def test_clear_export_takes_no_id_number_from_the_url(client, university):
    """A 身份证号 in the URL is ignored (URLs end up in access logs): the confirm page counts everyone."""
    client.force_login(university.users["union_office"])
    response = client.get(_clear_url(), {"id_number": university.wang.id_number_clear()})
    assert response.context["count"] == 5
    assert response.context["described"] == ""
    assert ("id_number", university.wang.id_number_clear()) not in response.context["hidden"]
