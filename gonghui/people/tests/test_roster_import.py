"""Roster import: every bad input writes nothing; preview counts; upsert, audit, transfer; confirm once."""

import datetime
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.test import override_settings
from django.urls import reverse
from openpyxl import Workbook

from gonghui.accounts.system import system_actor
from gonghui.core.exceptions import ApplicationError, ImportFileError
from gonghui.core.imports import Upload, import_start
from gonghui.core.models import AuditAction, AuditEvent, ImportPreview, ImportPreviewEvent, ImportStatus, Job, JobStatus
from gonghui.people.choices import EmploymentStatus, Gender, MembershipStatus
from gonghui.people.idnumbers import id_number_compose
from gonghui.people.models import EmploymentCategory, Person, SubUnion, UnionMembership
from gonghui.people.roster import services
from gonghui.people.roster.services import roster_classify, roster_import_units_map, roster_summary

HEADER = ["工号", "姓名", "性别", "身份证号", "所在单位", "人员类别", "人员状态", "手机号", "医疗类别"]


def idn(year=1990, month=1, day=1, seq=11, gender=Gender.MALE):
    return id_number_compose(region="110108", birth_date=datetime.date(year, month, day), sequence=seq, gender=gender)


def xlsx(path, rows, header=HEADER):
    wb = Workbook()
    ws = wb.active
    if header is not None:
        ws.append(header)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return str(path)


def roster_import_file(*, path, dry_run=False):
    """The command's path, as the system actor."""
    return services.roster_import_file(path=path, actor=system_actor(), dry_run=dry_run)


def counts():
    return Person.objects.count(), UnionMembership.objects.count(), AuditEvent.objects.count()


def classify(path, ext="xlsx"):
    with open(path, "rb") as stream:
        return roster_classify(stream, ext=ext)


def new_row(staff_no="N0001", name="孙悦", gender="女", unit="经济学院分工会", **extra):
    number = extra.pop("id_number", None) or idn(
        seq=int(staff_no[-3:]) * 2, gender=Gender.FEMALE if gender == "女" else Gender.MALE
    )
    return [staff_no, name, gender, number, unit, "事业编制", "在职", "13900000000", "医保"]


# --- bad input: a clear message and nothing written --------------------------------------


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("roster.pdf", b"%PDF-1.4", "不支持的文件类型"),
        ("roster.txt", "工号,姓名".encode(), "不支持的文件类型"),
        ("roster.xlsx", "工号,姓名\nA1,张三".encode(), "不是有效的 Excel"),
        ("roster.xlsx", b"PK\x03\x04garbage-not-a-zip" * 10, "不是有效的 Excel"),
        ("roster.xlsx", b"", "文件是空的"),
        ("roster.csv", b"", "文件是空的"),
    ],
)
def test_unreadable_files_write_nothing(university, tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    before = counts()
    with pytest.raises(ImportFileError) as caught:
        roster_import_file(path=str(path))
    assert message in str(caught.value.message)
    assert counts() == before


def test_zip_that_is_not_a_workbook(university, tmp_path):
    path = tmp_path / "roster.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "not a workbook")
    before = counts()
    with pytest.raises(ImportFileError, match="不是有效的 Excel"):
        roster_import_file(path=str(path))
    assert counts() == before


def test_header_only_file(university, tmp_path):
    path = xlsx(tmp_path / "r.xlsx", [])
    before = counts()
    with pytest.raises(ImportFileError, match="只有表头"):
        roster_import_file(path=path)
    assert counts() == before


def test_missing_required_columns_are_named(university, tmp_path):
    path = xlsx(tmp_path / "r.xlsx", [["N1", "孙悦", "医保"]], header=["工号", "姓名", "医疗类别"])
    before = counts()
    with pytest.raises(ImportFileError) as caught:
        roster_import_file(path=path)
    assert str(caught.value.message) == "缺少必需的列：性别、身份证号、所在单位"
    assert counts() == before


def test_too_big_file_refused_before_parsing(university, tmp_path):
    path = tmp_path / "big.xlsx"
    with open(path, "wb") as f:  # 50 MB, sparse: it would not even open as a workbook
        f.truncate(50 * 1024 * 1024)
    before = counts()
    with pytest.raises(ImportFileError, match="文件过大（50.0 MB），上限为 40 MB"):
        roster_import_file(path=str(path))
    assert counts() == before


@pytest.mark.parametrize(
    "row, reason",
    [
        (["N0001", "孙悦", "女", idn(seq=12, gender=Gender.FEMALE)[:-1] + "0", "经济学院分工会"], "身份证号校验位错误"),
        (
            ["N0001", "孙悦", "男", idn(seq=12, gender=Gender.FEMALE), "经济学院分工会"],
            "身份证号中的性别与填写的性别不一致",
        ),
        (["N0001", "孙悦", "女", 110108199001010121, "经济学院分工会"], "身份证号被 Excel 存成了数字，请设为文本格式"),
        (["N0001", "孙悦", "女", "1.10108E+17", "经济学院分工会"], "身份证号被 Excel 存成了数字，请设为文本格式"),
        (
            ["N0001", '=CONCAT("孙","悦")', "女", idn(seq=12, gender=Gender.FEMALE), "经济学院分工会"],
            "单元格含公式（姓名）",
        ),
        (["N0001", "孙悦", "女", idn(seq=12, gender=Gender.FEMALE), "火星学院"], "未知的所在单位“火星学院”"),
        (
            ["N0001", "孙悦", "女", idn(seq=12, gender=Gender.FEMALE), "经济学院分工会", "1990-13-45"],
            "出生日期“1990-13-45”无法识别",
        ),
        (
            ["N0001", "孙悦", "女", idn(seq=12, gender=Gender.FEMALE), "经济学院分工会", "1991-01-01"],
            "身份证号中的出生日期与填写的出生日期不一致",
        ),
    ],
)
def test_invalid_rows_are_reported_and_not_written(university, tmp_path, row, reason):
    header = ["工号", "姓名", "性别", "身份证号", "所在单位", "出生日期"]
    path = xlsx(tmp_path / "r.xlsx", [row], header=header)
    before = counts()
    c, result = roster_import_file(path=path)
    assert c.counts == {"new": 0, "changed": 0, "unchanged": 0, "invalid": 1}
    assert c.invalid[0].row == 2
    assert reason in c.invalid[0].reason
    assert counts()[:2] == before[:2]
    # only the import's own summary event, no person events
    assert AuditEvent.objects.count() == before[2] + 1
    assert AuditEvent.objects.exclude(action=AuditAction.IMPORTED).count() == before[2]


def test_dates_typed_as_text_are_accepted(university, tmp_path):
    header = ["工号", "姓名", "性别", "身份证号", "所在单位", "出生日期"]
    born = datetime.date(1980, 5, 17)
    rows = [
        [
            f"D{i}",
            "孙悦",
            "女",
            id_number_compose(region="110108", birth_date=born, sequence=i * 2, gender="F"),
            "经济学院分工会",
            text,
        ]
        for i, text in enumerate(
            ["1980-05-17", "1980/5/17", "19800517", "1980年5月17日", datetime.date(1980, 5, 17)], 1
        )
    ]
    c = classify(xlsx(tmp_path / "r.xlsx", rows, header=header))
    assert c.counts == {"new": 5, "changed": 0, "unchanged": 0, "invalid": 0}
    assert {r.birth_date for r in c.new} == {born}


def test_duplicate_staff_numbers_mark_both_rows(university, tmp_path):
    rows = [new_row("N0001"), new_row("N0002"), new_row("N0001", name="孙悦悦", id_number=idn(seq=31, gender="F"))]
    path = xlsx(tmp_path / "r.xlsx", rows)
    before = counts()
    c = classify(path)
    assert c.counts == {"new": 1, "changed": 0, "unchanged": 0, "invalid": 2}
    assert [(i.row, i.reason) for i in c.invalid] == [
        (2, "工号 N0001 在文件中重复（第 2、4 行）"),
        (4, "工号 N0001 在文件中重复（第 2、4 行）"),
    ]
    assert counts() == before


def test_id_number_of_another_staff_number(university, tmp_path):
    clear = university.zhang.id_number_clear()
    path = xlsx(tmp_path / "r.xlsx", [["N0009", "张伟", "男", clear, "经济学院分工会"]], header=HEADER[:5])
    before = counts()
    c, _result = roster_import_file(path=path, dry_run=True)
    assert c.counts["invalid"] == 1
    assert c.invalid[0].reason == "该身份证号已属于工号 E0001"
    assert counts() == before


# --- classification, upsert, audit, transfer ---------------------------------------------


def _zhang_row(university, **changes):
    z = university.zhang
    row = {
        "staff_no": z.staff_no,
        "name": z.name,
        "gender": "男",
        "id": z.id_number_clear(),
        "unit": "经济学院分工会",
        "category": "事业编制",
        "status": "在职",
        "phone": z.phone,
        "coverage": "医保",
    }
    row.update(changes)
    return [
        row["staff_no"],
        row["name"],
        row["gender"],
        row["id"],
        row["unit"],
        row["category"],
        row["status"],
        row["phone"],
        row["coverage"],
    ]


def test_preview_classification_exact_counts_and_nothing_written(university, tmp_path):
    rows = [
        _zhang_row(university),  # unchanged
        _zhang_row(
            university,
            staff_no="E0002",
            name="李娜",
            gender="女",
            id=university.li.id_number_clear(),
            unit="ECON-G1",
            phone="13911112222",
        ),  # changed phone (unit matched by code)
        new_row("N0001"),
        new_row("N0002", unit=" 法学院 分工会 "),
        ["N0003", "", "女", idn(seq=13, gender="F"), "经济学院分工会", "", "", "", ""],  # invalid: no name
    ]
    path = xlsx(tmp_path / "r.xlsx", rows)
    before = counts()
    c = classify(path)
    assert c.counts == {"new": 2, "changed": 1, "unchanged": 1, "invalid": 1}
    summary = roster_summary(c)
    assert summary["changed_rows"] == [
        {"row": 3, "staff_no": "E0002", "name": "李娜", "changes": [["手机号", "13800000000", "13911112222"]]}
    ]
    assert summary["invalid_rows"] == [{"row": 6, "staff_no": "N0003", "reason": "姓名为空"}]
    assert counts() == before


def test_summary_per_unit_and_per_reason(university, tmp_path):
    """The command's closing summary is the selector's: outcomes per unit, like reasons together."""
    rows = [
        new_row("N0001"),
        new_row("N0002", unit="火星学院"),
        new_row("N0003", unit="金星处"),
        new_row("N0004", gender="男", id_number=idn(seq=8, gender=Gender.FEMALE)),
        new_row("N0005", unit="火星学院", gender="男", id_number=idn(seq=10, gender=Gender.FEMALE)),
    ]
    summary = roster_summary(classify(xlsx(tmp_path / "r.xlsx", rows)))
    assert summary["by_unit"] == [
        ["火星学院", {"invalid": 2}],
        ["经济学院分工会", {"new": 1, "invalid": 1}],
        ["金星处", {"invalid": 1}],
    ]
    assert summary["by_reason"] == [["未知的所在单位“…”", 3], ["身份证号中的性别与填写的性别不一致", 2]]
    assert services.reason_kind("工号 X1 在文件中重复（第 2、5 行）") == "工号 X… 在文件中重复（第 … 行）"


def test_upsert_writes_changes_with_audit_and_new_memberships(university, tmp_path):
    rows = [
        _zhang_row(university, phone="13700000000", status="退休", coverage="公费医疗"),
        new_row("N0001"),
        _zhang_row(
            university,
            staff_no="L0001",
            name="王芳",
            gender="女",
            id=university.wang.id_number_clear(),
            unit="法学院分工会",
        ),  # unchanged
    ]
    path = xlsx(tmp_path / "r.xlsx", rows)
    persons, memberships, events = counts()
    c, result = roster_import_file(path=path)
    assert result == {"new": 1, "changed": 1, "unchanged": 1, "invalid": 0, "transferred": 0, "memberships_ended": 0}
    assert Person.objects.count() == persons + 1
    zhang = Person.objects.get(staff_no="E0001")
    assert (zhang.phone, zhang.employment_status, zhang.coverage_type) == (
        "13700000000",
        EmploymentStatus.RETIRED,
        "public",
    )
    assert zhang.status_changed_on is not None
    event = AuditEvent.objects.get(person_id=zhang.pk, action=AuditAction.UPDATED)
    assert event.actor.username == "system"
    assert event.changes["phone"] == ["13800000000", "13700000000"]
    assert event.changes["employment_status"] == ["在职", "离退休"]
    assert event.changes["coverage_type"] == ["医保", "公费医疗"]
    new = Person.objects.get(staff_no="N0001")
    assert (new.name_pinyin, new.name_initials, new.birth_date) == ("sunyue", "sy", datetime.date(1990, 1, 1))
    assert new.id_number_clear() == rows[1][3]
    assert new.employment_category.name == "事业编制"
    membership = new.memberships.get()
    assert (membership.member_no, membership.status, membership.sub_union_id) == (
        "N0001",
        MembershipStatus.ACTIVE,
        university.econ.pk,
    )
    assert AuditEvent.objects.filter(person_id=new.pk, action=AuditAction.CREATED).count() == 1
    assert UnionMembership.objects.count() == memberships + 1
    # one UPDATED, one CREATED, one IMPORTED summary
    assert AuditEvent.objects.count() == events + 3
    # the status change is the workflow's "retire" step, as the system actor
    assert list(zhang.events.values_list("from_state", "to_state", "step", "message", "actor__username")) == [
        ("active", "retired", "retire", "名册导入", "system")
    ]


def test_sub_union_change_transfers_membership(university, tmp_path):
    path = xlsx(tmp_path / "r.xlsx", [_zhang_row(university, unit="法学院分工会")])
    c, result = roster_import_file(path=path)
    assert result["transferred"] == 1
    zhang = Person.objects.get(pk=university.zhang.pk)
    assert zhang.sub_union_id == university.law.pk
    rows = list(zhang.memberships.order_by("id").values_list("sub_union_id", "status", "member_no"))
    assert rows == [(university.econ.pk, "transferred", "ME0001"), (university.law.pk, "active", "ME0001")]
    assert AuditEvent.objects.filter(person_id=zhang.pk, action=AuditAction.MEMBERSHIP).get().changes == {
        "sub_union": ["经济学院分工会", "法学院分工会"]
    }


def test_unknown_category_created_on_write(university, tmp_path):
    row = new_row("N0001")
    row[5] = "博士后"
    c, _result = roster_import_file(path=xlsx(tmp_path / "r.xlsx", [row]))
    assert c.new_categories == {"博士后"}
    assert Person.objects.get(staff_no="N0001").employment_category == EmploymentCategory.objects.get(name="博士后")


def test_csv_gb18030_and_utf8_bom(university, tmp_path):
    lines = [",".join(HEADER), ",".join(new_row("N0001")), ",".join(new_row("N0002", name="周杰"))]
    text = "\r\n".join(lines) + "\r\n"
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes(text.encode("gb18030"))
    bom = tmp_path / "bom.csv"
    bom.write_bytes(text.encode("utf-8-sig"))
    for path in (gbk, bom):
        c = classify(path, ext="csv")
        assert c.counts == {"new": 2, "changed": 0, "unchanged": 0, "invalid": 0}
        assert [r.name for r in c.new] == ["孙悦", "周杰"]


def test_reimport_is_unchanged(university, tmp_path):
    path = xlsx(tmp_path / "r.xlsx", [new_row("N0001"), new_row("N0002")])
    roster_import_file(path=path)
    before = counts()
    c, result = roster_import_file(path=path)
    assert result["unchanged"] == 2 and result["new"] == 0 and result["changed"] == 0
    assert counts()[:2] == before[:2]


# --- pages: upload, preview, map units, confirm once -------------------------------------


def _upload(client, path):
    with open(path, "rb") as f:
        return client.post(reverse("people:roster_import"), {"file": f})


def test_page_flow_preview_map_confirm_once(university, tmp_path, client, django_capture_on_commit_callbacks):
    office = university.users["union_office"]
    client.force_login(office)
    rows = [new_row("N0001"), new_row("N0002", unit="经管学院"), _zhang_row(university, phone="13700000000")]
    path = xlsx(tmp_path / "roster.xlsx", rows)
    before = counts()
    response = _upload(client, path)
    assert response.status_code == 302
    preview = ImportPreview.objects.get(kind="people.roster")
    assert response.url == reverse("people:roster_preview", args=[preview.pk])
    assert preview.summary["counts"] == {"new": 1, "changed": 1, "unchanged": 0, "invalid": 1}
    assert default_storage.exists(preview.file)
    assert preview.file.startswith("imports/") and preview.original_name == "roster.xlsx"
    assert counts() == before and Job.objects.count() == 0

    page = client.get(response.url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "未知的所在单位“经管学院”" in html and "手机号: <del>13800000000</del> → <ins>13700000000</ins>" in html

    # map 经管学院 to the economics sub-union: saved as an alias, preview recomputed
    client.post(reverse("people:roster_map_units", args=[preview.pk]), {"unit-0": str(university.econ.pk)})
    preview.refresh_from_db()
    assert SubUnion.objects.get(pk=university.econ.pk).aliases == ["经管学院"]
    assert preview.summary["counts"] == {"new": 2, "changed": 1, "unchanged": 0, "invalid": 0}

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("people:roster_confirm", args=[preview.pk]))
    job = Job.objects.get(kind="import:people.roster")
    preview.refresh_from_db()
    assert (preview.status, preview.job, preview.confirmed_by) == (ImportStatus.CONFIRMED, job, office)
    assert response.url == reverse("core:job_detail", args=[job.pk])
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert job.result["新增"] == 2 and job.result["变更"] == 1
    assert Person.objects.count() == before[0] + 2
    assert AuditEvent.objects.filter(action=AuditAction.CREATED, person_id__isnull=False, actor=office).count() == 2
    after = counts()

    # confirming again imports nothing and leads to the same job
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(reverse("people:roster_confirm", args=[preview.pk]))
    assert again.url == reverse("core:job_detail", args=[job.pk])
    assert Job.objects.count() == 1
    assert counts() == after
    assert client.get(reverse("core:job_detail", args=[job.pk])).status_code == 200


def test_map_unit_to_new_sub_union(university, tmp_path):
    office = university.users["union_office"]
    path = xlsx(tmp_path / "r.xlsx", [new_row("N0001", unit="艺术学院分工会")])
    with open(path, "rb") as f:
        preview = import_start("people.roster", actor=office, upload=Upload(data=f.read(), filename="r.xlsx"))
    assert preview.summary["unknown_units"] == [{"name": "艺术学院分工会", "rows": 1, "kind": "college"}]
    preview = roster_import_units_map(actor=office, preview=preview, mapping={"艺术学院分工会": "new"})
    assert SubUnion.objects.filter(name="艺术学院分工会").count() == 1
    assert preview.summary["counts"]["new"] == 1 and preview.summary["counts"]["invalid"] == 0


def test_upload_bad_file_shows_message_and_writes_nothing(university, tmp_path, client):
    client.force_login(university.users["union_office"])
    path = tmp_path / "roster.pdf"
    path.write_bytes(b"%PDF-1.4")
    before = counts()
    response = _upload(client, path)
    assert response.status_code == 400
    assert "不支持的文件类型“pdf”：请上传 .xlsx 或 .csv 文件" in response.content.decode()
    assert counts() == before
    assert Job.objects.count() == 0 and ImportPreview.objects.count() == 0


@override_settings(ROSTER_IMPORT_MAX_BYTES=1000)
def test_upload_too_big_refused(university, tmp_path, client):
    client.force_login(university.users["union_office"])
    path = xlsx(tmp_path / "r.xlsx", [new_row("N0001")])
    before = counts()
    response = _upload(client, path)
    assert response.status_code == 400
    assert "文件过大（0.0 MB），上限为 0 MB" in response.content.decode()
    assert counts() == before and Job.objects.count() == 0 and ImportPreview.objects.count() == 0


def test_confirm_disabled_without_valid_rows(university, tmp_path, client):
    client.force_login(university.users["union_office"])
    path = xlsx(tmp_path / "r.xlsx", [["N1", "", "女", "x", "经济学院分工会"]], header=HEADER[:5])
    response = _upload(client, path)
    page = client.get(response.url).content.decode()
    assert 'disabled aria-disabled="true"' in page
    preview = ImportPreview.objects.get(kind="people.roster")
    before = counts()
    response = client.post(reverse("people:roster_confirm", args=[preview.pk]))
    assert response.url == reverse("people:roster_preview", args=[preview.pk])
    assert Job.objects.count() == 0
    preview.refresh_from_db()
    assert preview.status == ImportStatus.PENDING
    assert counts() == before


@pytest.mark.parametrize(
    "role, status",
    [
        ("union_office", 200),
        ("administrator", 200),
        ("auditor", 403),
        ("sub_union_officer", 403),
        ("member", 403),
    ],
)
def test_import_page_permission(university, client, role, status):
    client.force_login(university.users[role])
    assert client.get(reverse("people:roster_import")).status_code == status


def test_import_page_anonymous_redirects(client, db):
    response = client.get(reverse("people:roster_import"))
    assert response.status_code == 302 and "login" in response.url


# --- core's reader (python-calamine, formulas found by the inspection) agrees with openpyxl ---


def _rewrite_parts(path, changes):
    """Rewrite parts of an .xlsx: changes maps a part name to a function str → str."""
    with zipfile.ZipFile(path) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    for name, change in changes.items():
        parts[name] = change(parts.get(name, b"").decode()).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return str(path)


def _as_text(numbered):
    """(row number, cells as the roster reads them: validation's cell_text) of non-empty rows."""
    from gonghui.people.roster.validation import cell_text

    rows = []
    for number, row in numbered:
        values = [cell_text(value) for value in row]
        while values and not values[-1]:
            values.pop()
        if values:
            rows.append((number, tuple(values)))
    return rows


def _openpyxl_rows(path):
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=False)
    rows = _as_text(enumerate(wb.worksheets[0].iter_rows(values_only=True), start=1))
    wb.close()
    return rows


def _fast_rows(path):
    from gonghui.core.tabular import sheet_rows
    from gonghui.people.roster.reading import roster_limits

    with open(path, "rb") as stream:
        return _as_text(sheet_rows(data=stream.read(), ext="xlsx", limits=roster_limits()))


def _tricky_workbook(path):
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER + ["出生日期"])
    ws.append(
        [
            "A&B<1>",
            "孙悦",
            "女",
            idn(seq=12, gender=Gender.FEMALE),
            "经济学院分工会",
            None,
            None,
            13900000000,
            True,
            datetime.date(1990, 1, 1),
        ]
    )
    ws.append(
        [
            "A2",
            '=CONCAT("孙","悦")',
            "女",
            110108199001010121,
            "法学院分工会",
            1.5,
            "在职",
            "=B3",
            False,
            datetime.datetime(1990, 1, 1, 8, 30),
        ]
    )
    ws["D6"] = "gap before"
    ws["K6"] = "far right"
    ws.append([" spaced ", "x"])
    wb.save(path)
    return str(path)


def test_calamine_reader_matches_openpyxl_on_inline_strings(tmp_path):
    path = _tricky_workbook(tmp_path / "r.xlsx")
    assert _fast_rows(path) == _openpyxl_rows(path)
    assert _fast_rows(path)[2][1][1] == '=CONCAT("孙","悦")'


@pytest.mark.parametrize("rich", [False, True])
def test_calamine_reader_matches_openpyxl_on_excel_style_markup(tmp_path, rich):
    """As Excel saves: a shared-string table (plain, read by one regular expression, or with
    one entry in rich text with a phonetic guide, read by lxml), a shared formula, whitespace
    between cells (that row goes through lxml), date styles."""
    import re

    path = _tricky_workbook(tmp_path / "r.xlsx")
    table = {}

    def shared(match):
        return f'<c r="{match.group(1)}" t="s"><v>{table.setdefault(match.group(2), len(table))}</v></c>'

    def sheet(text):
        text = re.sub(r'<c r="([A-Z]+\d+)" t="inlineStr"><is><t>(.*?)</t></is></c>', shared, text)
        text = text.replace('<c r="H3"><f>B3</f>', '<c r="H3"><f t="shared" ref="H3:H7" si="0">B3</f>')
        return re.sub(r'(<c r="B7" t="s"><v>\d+</v></c>)', r'\1\n  <c r="H7"><f t="shared" si="0"/></c>', text)

    def strings(_text):
        entries = "".join(f"<si><t>{t}</t></si>" for t in table)
        entries = (
            entries
            if not rich
            else entries.replace(
                "<si><t>&#23385;&#24742;</t></si>",
                '<si><r><t>&#23385;</t></r><r><t>&#24742;</t></r><rPh sb="0" eb="1"><t>sun</t></rPh></si>',
            )
        )
        return (
            '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
            f'2006/main" count="{len(table)}" uniqueCount="{len(table)}">{entries}</sst>'
        )

    _rewrite_parts(path, {"xl/worksheets/sheet1.xml": sheet})
    _rewrite_parts(
        path,
        {
            "xl/sharedStrings.xml": strings,
            "[Content_Types].xml": lambda text: text.replace(
                "</Types>",
                (
                    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
                    'officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
                ),
            ),
            "xl/_rels/workbook.xml.rels": lambda text: text.replace(
                "</Relationships>",
                (
                    '<Relationship Id="rIdSST" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                    'sharedStrings" Target="sharedStrings.xml"/></Relationships>'
                ),
            ),
        },
    )
    with zipfile.ZipFile(path) as z:
        assert '<f t="shared" si="0"/>' in z.read("xl/worksheets/sheet1.xml").decode()
        assert ("<rPh " in z.read("xl/sharedStrings.xml").decode()) == rich
    rows = _fast_rows(path)
    assert rows == _openpyxl_rows(path)
    assert rows[1][1][1] == "孙悦"
    assert rows[2][1][7] == "=B3"
    assert rows[4] == (7, ("spaced", "x", "", "", "", "", "", "=B7"))


def test_formula_and_excel_number_id_found_without_openpyxl(university, tmp_path, monkeypatch):
    def unused(*args, **kwargs):
        raise AssertionError("python-calamine should have read this file")

    monkeypatch.setattr("openpyxl.load_workbook", unused)
    path = xlsx(
        tmp_path / "r.xlsx",
        [
            ["N0001", '=CONCAT("孙","悦")', "女", idn(seq=12, gender=Gender.FEMALE), "经济学院分工会"],
            ["N0002", "李明", "女", 110108199001010121, "经济学院分工会"],
            new_row("N0003"),
        ],
    )
    c = classify(path)
    assert c.counts == {"new": 1, "changed": 0, "unchanged": 0, "invalid": 2}
    assert [(i.row, i.reason) for i in c.invalid] == [
        (2, "单元格含公式（姓名），请粘贴为数值后再导入"),
        (3, "身份证号被 Excel 存成了数字，请设为文本格式"),
    ]


def test_pinyin_pair_equals_the_people_helpers():
    from gonghui.people.pinyin import name_initials, name_pinyin
    from gonghui.people.roster.services import _pinyin

    for name in ["张伟", "单于", "重庆", "欧阳修", "曾国藩", "乐嘉", "朴槿惠", "区", "John 张", "张-伟", "Ω"]:
        assert _pinyin(name) == (name_pinyin(name), name_initials(name))


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda n: n[:-2], "身份证号应为18位（当前16位）"),
        (lambda n: n[:5] + "A" + n[6:], "身份证号格式错误"),
        (lambda n: n[:-1] + ("0" if n[-1] != "0" else "1"), "身份证号校验位错误"),
    ],
)
def test_id_number_check_messages(change, message):
    from gonghui.people.idnumbers import IdNumberError, id_number_check

    with pytest.raises(IdNumberError) as caught:
        id_number_check(change(idn(seq=12, gender=Gender.FEMALE)))
    assert str(caught.value) == message


def test_id_number_check_birth_date_gender_and_normalising():
    from stdnum.cn import ric

    from gonghui.people.idnumbers import IdNumberError, id_number_check

    number = idn(1990, 2, 3, seq=12, gender=Gender.FEMALE)
    assert id_number_check(f" {number.lower()} ", gender=Gender.FEMALE, birth_date=datetime.date(1990, 2, 3)) == number
    with pytest.raises(IdNumberError, match="出生日期与填写的出生日期不一致"):
        id_number_check(number, birth_date=datetime.date(1990, 2, 4))
    with pytest.raises(IdNumberError, match="性别与填写的性别不一致"):
        id_number_check(number, gender=Gender.MALE)
    impossible = "11010819900230012"  # 30 February, with a correct check digit
    with pytest.raises(IdNumberError, match="身份证号格式错误"):
        id_number_check(impossible + ric.calc_check_digit(impossible + "0"))


# --- status changes go by the workflows' tables and leave their events --------------------


def test_a_status_the_workflow_cannot_reach_is_an_invalid_row(university, tmp_path):
    """HR's file says the retiree 赵强 is active again: statuses only move forward."""
    zhao = university.zhao
    row = [zhao.staff_no, zhao.name, "男", zhao.id_number_clear(), "离退休工作处分工会", "", "在职", zhao.phone, "医保"]
    path = xlsx(tmp_path / "r.xlsx", [row, new_row("N0001")])
    before = counts()
    c, result = roster_import_file(path=path)
    assert [(i.row, i.staff_no, i.reason) for i in c.invalid] == [(2, "R0001", "人员状态不能从“离退休”变更为“在职”")]
    assert result == {"new": 1, "changed": 0, "unchanged": 0, "invalid": 1, "transferred": 0, "memberships_ended": 0}
    zhao.refresh_from_db()
    assert zhao.employment_status == EmploymentStatus.RETIRED and not zhao.events.exists()
    assert counts()[:2] == (before[0] + 1, before[1] + 1)


def test_leaving_by_roster_writes_the_steps_as_transition_would(university, tmp_path, clock):
    zhang = university.zhang
    membership = zhang.memberships.get()
    path = xlsx(tmp_path / "r.xlsx", [_zhang_row(university, status="调离")])
    events = AuditEvent.objects.count()
    c, result = roster_import_file(path=path)
    assert (result["changed"], result["memberships_ended"], result["transferred"]) == (1, 1, 0)
    zhang.refresh_from_db()
    assert (zhang.employment_status, zhang.status_changed_on, zhang.status_reason) == (
        EmploymentStatus.LEFT,
        datetime.date(2021, 3, 15),
        "名册导入",
    )
    assert list(zhang.events.values_list("from_state", "to_state", "step", "message", "actor__username")) == [
        ("active", "left", "leave", "名册导入", "system")
    ]
    membership.refresh_from_db()
    reason = "名册导入：人员状态变为调离"
    assert (membership.status, membership.ended_on, membership.reason) == (
        MembershipStatus.ENDED,
        datetime.date(2021, 3, 15),
        reason,
    )
    assert list(membership.events.values_list("from_state", "to_state", "step", "message", "actor__username")) == [
        ("active", "ended", "end", reason, "system")
    ]
    ended = AuditEvent.objects.get(object_type="people.unionmembership", object_id=str(membership.pk))
    assert (ended.action, ended.person_id, ended.message, ended.actor.username) == (
        AuditAction.STATUS_CHANGED,
        zhang.pk,
        reason,
        "system",
    )
    assert ended.changes == {"status": ["在会", "终止"], "ended_on": [None, "2021-03-15"], "reason": ["", reason]}
    updated = AuditEvent.objects.get(person_id=zhang.pk, action=AuditAction.UPDATED)
    assert updated.changes == {
        "employment_status": ["在职", "调离"],
        "status_changed_on": ["", "2021-03-15"],
        "status_reason": ["", "名册导入"],
    }
    # the person's update, the membership's end, the import's summary
    assert AuditEvent.objects.count() == events + 3


def test_a_transfer_by_roster_closes_the_row_with_its_event(university, tmp_path, clock):
    zhang = university.zhang
    old = zhang.memberships.get()
    roster_import_file(path=xlsx(tmp_path / "r.xlsx", [_zhang_row(university, unit="法学院分工会")]))
    old.refresh_from_db()
    reason = "名册导入：所在单位变更"
    assert (old.status, old.ended_on, old.reason) == (MembershipStatus.TRANSFERRED, datetime.date(2021, 3, 15), reason)
    assert list(old.events.values_list("from_state", "to_state", "step", "message")) == [
        ("active", "transferred", "transfer", reason)
    ]
    closed = AuditEvent.objects.get(object_type="people.unionmembership", object_id=str(old.pk))
    assert (closed.action, closed.changes) == (
        AuditAction.STATUS_CHANGED,
        {"status": ["在会", "已转出"], "ended_on": [None, "2021-03-15"], "reason": ["", reason]},
    )
    new = zhang.memberships.get(status=MembershipStatus.ACTIVE)
    assert (new.sub_union, new.member_no, new.joined_on) == (university.law, "ME0001", datetime.date(2021, 3, 15))
    assert not new.events.exists() and not zhang.events.exists()


# --- the kind's limits -----------------------------------------------------------------------


@override_settings(ROSTER_IMPORT_MAX_BYTES=12345)
def test_the_kinds_size_limit_is_the_setting():
    from gonghui.core.imports import import_kind

    limits = import_kind("people.roster").limits
    assert (limits.max_bytes, limits.extensions) == (12345, ("xlsx", "csv"))


def test_a_file_over_the_row_or_unpacked_limit_is_refused(university, tmp_path):
    from gonghui.core.tabular import ReadLimits

    path = xlsx(tmp_path / "r.xlsx", [new_row("N0001"), new_row("N0002"), new_row("N0003")])
    with open(path, "rb") as stream, pytest.raises(ImportFileError, match="文件超过 2 行，请拆分后再上传"):
        roster_classify(stream, ext="xlsx", limits=ReadLimits(max_rows=2))
    with open(path, "rb") as stream, pytest.raises(ImportFileError, match="文件解压后过大"):
        roster_classify(stream, ext="xlsx", limits=ReadLimits(max_unpacked_bytes=1000))
    with open(path, "rb") as stream:
        assert roster_classify(stream, ext="xlsx", limits=ReadLimits(max_rows=3)).counts["new"] == 3


def test_an_expired_preview_cannot_be_confirmed(university, tmp_path, client, clock):
    office = university.users["union_office"]
    client.force_login(office)
    response = _upload(client, xlsx(tmp_path / "r.xlsx", [new_row("N0001")]))
    preview = ImportPreview.objects.get(kind="people.roster")
    clock.move_to(preview.expires_at + datetime.timedelta(minutes=1))
    page = client.get(response.url).content.decode()
    assert "该预览已过期，请重新上传文件。" in page and 'data-testid="roster-confirm"' not in page
    before = counts()
    response = client.post(reverse("people:roster_confirm", args=[preview.pk]), follow=True)
    assert "该导入预览已过期，请重新上传文件。" in response.content.decode()
    assert counts() == before and Job.objects.count() == 0
    preview.refresh_from_db()
    assert preview.status == ImportStatus.PENDING


def test_units_cannot_be_mapped_once_confirmed(university, tmp_path, django_capture_on_commit_callbacks):
    from gonghui.core.imports import import_confirm

    office = university.users["union_office"]
    path = xlsx(tmp_path / "r.xlsx", [new_row("N0001"), new_row("N0002", unit="艺术学院分工会")])
    with open(path, "rb") as f:
        preview = import_start("people.roster", actor=office, upload=Upload(data=f.read(), filename="r.xlsx"))
    with django_capture_on_commit_callbacks(execute=True):
        preview = import_confirm(preview, actor=office)
    sub_unions = SubUnion.objects.count()
    with pytest.raises(ApplicationError, match="该导入预览的状态为“已确认”，不能再修改"):
        roster_import_units_map(actor=office, preview=preview, mapping={"艺术学院分工会": "new"})
    assert SubUnion.objects.count() == sub_unions
    assert list(Person.objects.filter(staff_no__in=["N0001", "N0002"]).values_list("staff_no", flat=True)) == ["N0001"]


# --- large files are read by the worker; a failure is readable and leaves no file -----------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")

    def stored() -> list[str]:
        return default_storage.listdir("imports")[1] if default_storage.exists("imports") else []

    return stored


def written():
    """What an import writes, leaving out the preview's own audited steps."""
    return counts()[:2] + (AuditEvent.objects.exclude(object_type="core.importpreview").count(),)


def _csv_upload(client, content: bytes, name="roster.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(reverse("people:roster_import"), {"file": SimpleUploadedFile(name, content)})


def test_a_large_roster_is_read_by_the_worker_not_in_the_request(
    university, tmp_path, client, settings, media, django_capture_on_commit_callbacks
):
    settings.IMPORT_READ_INLINE_MAX_BYTES = 100
    office = university.users["union_office"]
    client.force_login(office)
    before = written()
    with django_capture_on_commit_callbacks() as callbacks:
        response = _upload(client, xlsx(tmp_path / "r.xlsx", [new_row("N0001")]))
    preview = ImportPreview.objects.get(kind="people.roster")
    assert response["Location"] == reverse("people:roster_preview", args=[preview.pk])
    assert (preview.status, preview.summary, preview.read_job.status) == (ImportStatus.READING, {}, JobStatus.QUEUED)
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="import-reading"' in page and 'data-testid="roster-confirm"' not in page
    response = client.post(reverse("people:roster_confirm", args=[preview.pk]), follow=True)
    assert "文件还在读取中，请稍候再试。" in response.content.decode()
    assert written() == before and Job.objects.exclude(pk=preview.read_job_id).count() == 0

    for callback in callbacks:  # the worker reads it
        callback()
    preview.refresh_from_db()
    assert preview.status == ImportStatus.PENDING and preview.summary["counts"]["new"] == 1
    assert preview.read_job.status == JobStatus.SUCCEEDED
    poll = client.get(
        reverse("people:roster_preview", args=[preview.pk]), HTTP_HX_REQUEST="true", HTTP_HX_TARGET="import-reading"
    )
    assert poll["HX-Refresh"] == "true"
    page = client.get(reverse("people:roster_preview", args=[preview.pk])).content.decode()
    assert 'data-testid="roster-confirm"' in page and written() == before and len(media()) == 1


def test_a_roster_the_worker_refuses_shows_its_reason_and_is_deleted(
    university, client, settings, media, django_capture_on_commit_callbacks
):
    settings.IMPORT_READ_INLINE_MAX_BYTES = 100
    office = university.users["union_office"]
    client.force_login(office)
    before = written()
    content = ",".join(HEADER).encode() + b"\nN0001," + b"x" * 131_073 + b"\n"
    with django_capture_on_commit_callbacks(execute=True):
        response = _csv_upload(client, content)
    preview = ImportPreview.objects.get(kind="people.roster")
    assert preview.status == ImportStatus.FAILED
    assert preview.error == "第 2 行有单元格超过 32767 个字符"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert 'data-testid="import-failed"' in page.content.decode() and preview.error in page.content.decode()
    job_page = client.get(reverse("core:job_detail", args=[preview.read_job_id]))
    assert job_page.status_code == 200 and preview.error in job_page.content.decode()
    assert media() == [] and written() == before
    response = client.post(reverse("people:roster_confirm", args=[preview.pk]), follow=True)
    assert "该文件未能读取" in response.content.decode() and written() == before
    assert client.get(reverse("people:roster_import")).status_code == 200


def test_a_csv_field_over_the_csv_limit_read_in_the_request_is_a_message_not_a_500(university, client, media):
    client.force_login(university.users["union_office"])
    before = written()
    response = _csv_upload(client, ",".join(HEADER).encode() + b"\nN0001," + b"x" * 131_073 + b"\n")
    assert response.status_code == 400
    assert "第 2 行有单元格超过 32767 个字符" in response.content.decode()
    assert ImportPreview.objects.count() == 0 and media() == [] and written() == before


def test_a_reader_that_fails_unexpectedly_is_a_message_and_leaves_no_file(
    university, tmp_path, client, media, monkeypatch
):
    from gonghui.people.roster.kind import RosterImport

    def broken(self, preview):
        raise ValueError("a bug in a reader")

    monkeypatch.setattr(RosterImport, "classify", broken)
    client.force_login(university.users["union_office"])
    before = written()
    response = _upload(client, xlsx(tmp_path / "r.xlsx", [new_row("N0001")]))
    assert response.status_code == 400
    assert "无法读取该文件（ValueError），未写入任何数据。" in response.content.decode()
    assert ImportPreview.objects.count() == 0 and media() == [] and written() == before


def test_an_import_that_fails_in_the_worker_is_readable_and_its_file_removed(
    university, tmp_path, client, media, monkeypatch, django_capture_on_commit_callbacks
):
    from gonghui.core.imports import import_confirm
    from gonghui.people.roster import kind

    def broken(*args, **kwargs):
        raise ValueError("disk full")

    office = university.users["union_office"]
    client.force_login(office)
    _upload(client, xlsx(tmp_path / "r.xlsx", [new_row("N0001")]))
    preview = ImportPreview.objects.get(kind="people.roster")
    monkeypatch.setattr(kind, "roster_write", broken)
    before = written()
    with django_capture_on_commit_callbacks(execute=True):
        import_confirm(preview, actor=office)
    preview.refresh_from_db()
    assert preview.job.status == JobStatus.FAILED
    assert preview.job.error == preview.error == "导入失败，未写入任何数据：disk full"
    assert written() == before and media() == []
    for url in (reverse("core:job_detail", args=[preview.job_id]), reverse("people:roster_preview", args=[preview.pk])):
        page = client.get(url)
        assert page.status_code == 200, url
    assert (
        "导入失败，未写入任何数据：disk full"
        in client.get(reverse("core:job_detail", args=[preview.job_id])).content.decode()
    )


def test_mapping_units_of_a_large_roster_reads_it_again_in_the_worker(
    university, tmp_path, client, settings, media, django_capture_on_commit_callbacks
):
    settings.IMPORT_READ_INLINE_MAX_BYTES = 100
    office = university.users["union_office"]
    client.force_login(office)
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, xlsx(tmp_path / "r.xlsx", [new_row("N0001"), new_row("N0002", unit="经管学院")]))
    preview = ImportPreview.objects.get(kind="people.roster")
    assert preview.summary["counts"] == {"new": 1, "changed": 0, "unchanged": 0, "invalid": 1}
    with django_capture_on_commit_callbacks() as callbacks:
        client.post(reverse("people:roster_map_units", args=[preview.pk]), {"unit-0": str(university.econ.pk)})
    preview.refresh_from_db()
    assert preview.status == ImportStatus.READING and SubUnion.objects.get(pk=university.econ.pk).aliases == [
        "经管学院"
    ]
    assert (
        'data-testid="import-reading"'
        in client.get(reverse("people:roster_preview", args=[preview.pk])).content.decode()
    )
    for callback in callbacks:
        callback()
    preview.refresh_from_db()
    assert preview.status == ImportStatus.PENDING
    assert preview.summary["counts"] == {"new": 2, "changed": 0, "unchanged": 0, "invalid": 0}
    steps = list(ImportPreviewEvent.objects.filter(subject=preview).order_by("pk").values_list("step", flat=True))
    assert steps == ["read", "reread", "read"]
