"""Teacher profiles: HR's list through core's import kit (classify, apply, re-import, headers,
formulas and numbers, the worker for a large file, the command), `profile_save` and its
refusals, and the pages (list with search and filters, edit, upload → preview → confirm)."""

from __future__ import annotations

import datetime
import io
import json

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from gonghui.core.exceptions import ApplicationError, ImportFileError
from gonghui.core.imports import Upload, import_confirm, import_start
from gonghui.core.models import AuditAction, AuditEvent, ImportPreview, ImportStatus
from gonghui.mentorship.choices import TitleRank
from gonghui.mentorship.models import TeacherProfile
from gonghui.mentorship.services.profiles import PROFILE_KIND, profile_save
from gonghui.people.tests.factories import person_make

d = datetime.date
HEADER = ["工号", "职称", "职称级别", "学科", "研究方向", "校区", "入职日期", "从事教学工作起始日期"]


def workbook(rows, header=HEADER) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def start(w, data: bytes, name: str = "教师档案.xlsx") -> ImportPreview:
    return import_start(PROFILE_KIND, actor=w.office, upload=Upload(data=data, filename=name))


def profile_values(staff_no: str) -> tuple:
    p = TeacherProfile.objects.get(person__staff_no=staff_no)
    return (p.title, p.title_rank, p.discipline, p.research_field, p.campus, p.hired_on, p.teaching_since)


def counts() -> tuple[int, int]:
    return TeacherProfile.objects.count(), AuditEvent.objects.count()


# The file of the classification tests: two new (张伟, 王芳), one unchanged (孙教授), one changed
# (吴讲师 promoted), seven invalid.
ROWS = [
    ["E0001", "讲师", "", "经济学", "金融", "海淀", d(2015, 7, 1), "2015/9/1"],
    ["L0001", "副教授", "", "法学", "刑法", "海淀", "2008年7月1日", "2008-09-01"],
    ["E1101", "教授", "正高级", "经济学", "宏观经济", "海淀", d(2000, 7, 1), d(2000, 9, 1)],
    ["E1103", "副教授", "", "", "", "", "", ""],
    ["X9999", "讲师", "", "", "", "", "", ""],
    ["E0002", "讲师", "", "", "", "", "2020-13-01", ""],
    ["E0099", "教授", "特级", "", "", "", "", ""],
    ["E2001", "实验师", "", "", "", "", "", ""],
    ["", "讲师", "", "", "", "", "", ""],
    ["E2002", "讲师", "", "", "", "", "", ""],
    ["E2002", "副教授", "", "", "", "", "", ""],
]
INVALID = [
    {"row": 6, "staff_no": "X9999", "name": "", "sub_union": "", "reason": "工号 X9999 不在名册中"},
    {
        "row": 7,
        "staff_no": "E0002",
        "name": "李娜",
        "sub_union": "经济学院第一工会小组",
        "reason": "入职日期“2020-13-01”不是日期，请写作 2020-07-01",
    },
    {
        "row": 8,
        "staff_no": "E0099",
        "name": "陈静",
        "sub_union": "经济学院分工会",
        "reason": "职称级别“特级”无法识别，应为正高级、副高级、中级、初级或无",
    },
    {
        "row": 9,
        "staff_no": "E2001",
        "name": "赵青",
        "sub_union": "经济学院分工会",
        "reason": "无法由职称“实验师”确定职称级别，请填写职称级别",
    },
    {"row": 10, "staff_no": "", "name": "", "sub_union": "", "reason": "工号为空"},
    {
        "row": 11,
        "staff_no": "E2002",
        "name": "钱青",
        "sub_union": "经济学院分工会",
        "reason": "工号 E2002 在文件中出现多次（第 11、12 行）",
    },
    {
        "row": 12,
        "staff_no": "E2002",
        "name": "钱青",
        "sub_union": "经济学院分工会",
        "reason": "工号 E2002 在文件中出现多次（第 11、12 行）",
    },
]


# --- classify ----------------------------------------------------------------------------------


def test_classify_sorts_every_row_with_exact_counts_and_reasons_and_writes_nothing(w):
    before = counts()
    preview = start(w, workbook(ROWS))
    summary = preview.summary
    assert summary["counts"] == {"new": 2, "changed": 1, "unchanged": 1, "invalid": 7}
    assert summary["total_rows"] == 11
    assert summary["invalid"] == INVALID
    assert [(r["row"], r["staff_no"], r["name"], r["reason"]) for r in summary["new"]] == [
        (2, "E0001", "张伟", "讲师（中级） · 经济学 · 金融 · 海淀 · 2015-07-01 入职 · 2015-09-01 起从事教学"),
        (3, "L0001", "王芳", "副教授（副高级） · 法学 · 刑法 · 海淀 · 2008-07-01 入职 · 2008-09-01 起从事教学"),
    ]
    assert [(r["row"], r["staff_no"], r["reason"]) for r in summary["changed"]] == [
        (5, "E1103", "职称 讲师 → 副教授；职称级别 中级 → 副高级")
    ]
    assert preview.status == ImportStatus.PENDING
    assert counts() == before


def test_missing_staff_number_column_is_refused_and_nothing_is_kept(w):
    before = counts()
    with pytest.raises(ImportFileError, match="缺少列：工号"):
        start(w, workbook([["讲师", "经济学"]], header=["职称", "学科"]))
    assert ImportPreview.objects.count() == 0 and counts() == before


def test_header_only_file_is_refused(w):
    with pytest.raises(ImportFileError, match="文件中没有数据行"):
        start(w, workbook([]))


# --- apply ----------------------------------------------------------------------------------------


def test_confirm_writes_exactly_the_new_and_changed_profiles_with_audit_rows(w):
    preview = start(w, workbook(ROWS))
    sun_updated = TeacherProfile.objects.get(person=w.sun).updated_at
    profiles_before, audit_before = counts()

    preview = import_confirm(preview, actor=w.office)

    assert preview.status == ImportStatus.CONFIRMED
    assert {k: v for k, v in preview.result.items() if k != "labels"} == {
        "new": 2,
        "changed": 1,
        "unchanged": 1,
        "unknown": 0,
    }
    assert TeacherProfile.objects.count() == profiles_before + 2
    assert profile_values("E0001") == ("讲师", "intermediate", "经济学", "金融", "海淀", d(2015, 7, 1), d(2015, 9, 1))
    assert profile_values("L0001") == ("副教授", "associate", "法学", "刑法", "海淀", d(2008, 7, 1), d(2008, 9, 1))
    # the empty cells kept 吴讲师's other values
    assert profile_values("E1103") == ("副教授", "associate", "经济学", "金融", "海淀", d(2012, 7, 1), d(2012, 9, 1))
    assert TeacherProfile.objects.get(person=w.sun).updated_at == sun_updated
    assert TeacherProfile.objects.get(person__staff_no="E1103").updated_by == w.office
    # the invalid rows wrote nothing
    assert not TeacherProfile.objects.filter(person__staff_no__in=["E0002", "E0099"]).exists()
    assert profile_values("E2001")[0] == "讲师" and profile_values("E2002")[0] == "讲师"

    events = AuditEvent.objects.filter(object_type="mentorship.teacherprofile").order_by("pk")
    assert AuditEvent.objects.count() == audit_before + 4 + 1  # four profile rows … and the preview's step
    created = events.filter(action=AuditAction.CREATED)
    assert sorted(created.values_list("person_id", flat=True)) == sorted([w.university.zhang.pk, w.university.wang.pk])
    zhang = created.get(person_id=w.university.zhang.pk)
    assert zhang.changes["title"] == [None, "讲师"] and zhang.changes["title_rank"] == [None, "中级"]
    assert zhang.object_id == str(TeacherProfile.objects.get(person__staff_no="E0001").pk)
    updated = events.get(action=AuditAction.UPDATED)
    assert (updated.person_id, updated.changes) == (
        w.wu.pk,
        {"title": ["讲师", "副教授"], "title_rank": ["中级", "副高级"]},
    )
    summary_row = events.get(action=AuditAction.IMPORTED)
    assert summary_row.message == "导入教师档案（教师档案.xlsx）：新增 2，变更 1，未变 1"
    assert {e.actor for e in events} == {w.office}


def test_reimporting_the_same_file_is_unchanged_and_cannot_be_confirmed(w):
    data = workbook(ROWS)
    import_confirm(start(w, data), actor=w.office)
    before = counts()

    again = start(w, data)

    assert again.summary["counts"] == {"new": 0, "changed": 0, "unchanged": 4, "invalid": 7}
    assert again.summary["new"] == [] and again.summary["changed"] == []
    with pytest.raises(ApplicationError, match="文件中没有新增或变更的教师档案"):
        import_confirm(again, actor=w.office)
    again.refresh_from_db()
    assert again.status == ImportStatus.PENDING
    assert counts() == before


def test_confirm_applies_against_the_database_as_it_is_then(w):
    preview = start(w, workbook([["E0001", "讲师", "", "经济学", "", "", "", ""]]))
    profile_save(actor=w.office, person=w.university.zhang, title="讲师", discipline="经济学")
    before = counts()
    preview = import_confirm(preview, actor=w.office)
    assert {k: v for k, v in preview.result.items() if k != "labels"} == {
        "new": 0,
        "changed": 0,
        "unchanged": 1,
        "unknown": 0,
    }
    assert counts() == (before[0], before[1] + 2)  # the import's own row and the preview's step


def test_headers_in_another_order_other_spellings_and_a_teaching_year(w):
    header = ["校区", "教龄起始年份", "所属学科", "职工号", "专业技术职务"]
    rows = [
        ["通州", 2010, "经济学", "E0001", "助教"],
        ["海淀", "2000", "经济学", "E1101", "教授"],  # 2000-09-01 stored: in that year, kept
        ["通州", "2007", "经济学", "E1102", "副教授"],  # 2008-09-01 stored: 2007-01-01
        ["海淀", "二〇一〇", "经济学", "E1103", "讲师"],
    ]
    preview = start(w, workbook(rows, header=header))
    assert preview.summary["columns"] == ["工号", "职称", "学科", "校区", "教龄起始年份"]
    assert preview.summary["counts"] == {"new": 1, "changed": 1, "unchanged": 1, "invalid": 1}
    assert preview.summary["invalid"][0]["reason"] == "教龄起始年份“二〇一〇”不是年份，请写作 2008"
    import_confirm(preview, actor=w.office)
    assert profile_values("E0001") == ("助教", "junior", "经济学", "", "通州", None, d(2010, 1, 1))
    assert profile_values("E1101")[6] == d(2000, 9, 1)
    assert profile_values("E1102")[6] == d(2007, 1, 1)


def test_staff_numbers_typed_as_numbers_match_and_formulas_are_refused(w):
    person_make(staff_no="20190001", name="冯新", sub_union=w.econ)
    person_make(staff_no="20190002", name="陈新", sub_union=w.econ)
    rows = [
        [20190001, "讲师", "", "经济学", "", "", "", ""],  # an Excel number: the staff number it shows
        [20190002, "=B2", "", "经济学", "", "", "", ""],
        ["=A2", "讲师", "", "", "", "", "", ""],
    ]
    preview = start(w, workbook(rows))
    assert preview.summary["counts"] == {"new": 1, "changed": 0, "unchanged": 0, "invalid": 2}
    assert [(r["row"], r["staff_no"], r["reason"]) for r in preview.summary["invalid"]] == [
        (3, "20190002", "单元格含公式（职称），请粘贴为数值后再导入"),
        (4, "", "单元格含公式（工号），请粘贴为数值后再导入"),
    ]
    assert preview.summary["new"][0]["staff_no"] == "20190001"


def test_csv_with_dates_as_text_and_explicit_ranks(w):
    text = "工号,职称,职称级别,入职日期\nE0001,教授（二级）,,2020/7/1\nL0001,讲师,副高级,2020年7月1日\nE0002,,无,20200701\n"
    preview = start(w, text.encode("gb18030"), name="档案.csv")
    assert preview.summary["counts"] == {"new": 3, "changed": 0, "unchanged": 0, "invalid": 0}
    import_confirm(preview, actor=w.office)
    assert profile_values("E0001")[:2] + profile_values("E0001")[5:6] == ("教授（二级）", "senior", d(2020, 7, 1))
    assert profile_values("L0001")[:2] + profile_values("L0001")[5:6] == ("讲师", "associate", d(2020, 7, 1))
    assert profile_values("E0002")[:2] + profile_values("E0002")[5:6] == ("", "none", d(2020, 7, 1))


def test_a_large_file_is_read_by_the_worker(w, settings, django_capture_on_commit_callbacks):
    settings.IMPORT_READ_INLINE_MAX_BYTES = 100
    with django_capture_on_commit_callbacks(execute=True):
        preview = start(w, workbook(ROWS))
    assert preview.status == ImportStatus.READING and preview.read_job is not None
    preview.refresh_from_db()
    assert preview.status == ImportStatus.PENDING
    assert preview.summary["counts"] == {"new": 2, "changed": 1, "unchanged": 1, "invalid": 7}


def test_only_the_office_imports(w):
    upload = Upload(data=workbook(ROWS), filename="a.xlsx")
    for role in ("sub_union_officer", "auditor", "member"):
        with pytest.raises(PermissionDenied):
            import_start(PROFILE_KIND, actor=w.users[role], upload=upload)
    assert ImportPreview.objects.count() == 0


# --- the command ----------------------------------------------------------------------------------


def test_command_imports_through_the_same_kind(w, tmp_path):
    path = tmp_path / "档案.xlsx"
    path.write_bytes(workbook(ROWS[:4]))
    out = io.StringIO()
    call_command("import_teacher_profiles", str(path), "--format", "json", stdout=out)
    report = json.loads(out.getvalue())
    assert (report["new"], report["changed"], report["unchanged"], report["invalid"]) == (2, 1, 1, 0)
    assert report["written"] == {"new": 2, "changed": 1, "unchanged": 1, "unknown": 0}
    assert profile_values("L0001")[0] == "副教授"
    assert TeacherProfile.objects.get(person__staff_no="L0001").updated_by.username == "system"


def test_command_dry_run_writes_nothing_and_invalid_rows_exit_1(w, tmp_path):
    path = tmp_path / "档案.xlsx"
    path.write_bytes(workbook(ROWS))
    before = counts()
    out = io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("import_teacher_profiles", str(path), "--dry-run", stdout=out)
    assert raised.value.returncode == 1
    text = out.getvalue()
    assert "共 11 行：新增 2，变更 1，未变 1，无效 7" in text
    assert "第 6 行（工号 X9999）：工号 X9999 不在名册中" in text and "仅检查，未写入。" in text
    assert counts() == before


def test_command_refuses_an_unreadable_file_with_exit_2(w, tmp_path):
    path = tmp_path / "档案.pdf"
    path.write_bytes(b"%PDF-1.4")
    with pytest.raises(CommandError) as raised:
        call_command("import_teacher_profiles", str(path), stdout=io.StringIO())
    assert raised.value.returncode == 2 and "不支持的文件类型" in str(raised.value)


# --- profile_save ---------------------------------------------------------------------------------


def test_officer_creates_a_profile_for_their_college_with_an_audit_row(w):
    zhang = w.university.zhang
    profile = profile_save(actor=w.officer, person=zhang, title="副研究员", discipline="经济学", hired_on=d(2018, 7, 1))
    assert (profile.title, profile.title_rank, profile.hired_on, profile.updated_by) == (
        "副研究员",
        TitleRank.ASSOCIATE,
        d(2018, 7, 1),
        w.officer,
    )
    event = AuditEvent.objects.get(object_type="mentorship.teacherprofile", object_id=str(profile.pk))
    assert (event.action, event.person_id, event.actor) == (AuditAction.CREATED, zhang.pk, w.officer)
    assert event.changes["title_rank"] == [None, "副高级"] and event.changes["hired_on"] == [None, "2018-07-01"]


def test_office_changes_a_profile_and_the_audit_row_names_what_changed(w):
    profile_save(
        actor=w.office, person=w.wu, title="副教授", title_rank="", discipline="经济学", research_field="金融",
        campus="海淀", hired_on=d(2012, 7, 1), teaching_since=d(2012, 9, 1),
    )  # fmt: skip
    event = AuditEvent.objects.get(object_type="mentorship.teacherprofile", action=AuditAction.UPDATED)
    assert event.changes == {"title": ["讲师", "副教授"], "title_rank": ["中级", "副高级"]}
    assert profile_values("E1103")[:2] == ("副教授", "associate")


def test_saving_the_same_values_writes_nothing(w):
    before = counts()
    profile_save(
        actor=w.office, person=w.sun, title="教授", title_rank="senior", discipline="经济学",
        research_field="宏观经济", campus="海淀", hired_on=d(2000, 7, 1), teaching_since=d(2000, 9, 1),
    )  # fmt: skip
    assert counts() == before


@pytest.mark.parametrize("role", ["sub_union_officer", "auditor", "member"])
def test_refused_outside_scope_or_without_permission_writes_nothing(w, role):
    # the econ officer and law's 郑教授 (a profile) and 王芳 (none); the others anyone's
    before = counts()
    stored = profile_values("L1101")
    for person in (w.zheng, w.university.wang):
        with pytest.raises(PermissionDenied):
            profile_save(actor=w.users[role], person=person, title="讲师")
    assert counts() == before and profile_values("L1101") == stored


def test_a_title_without_a_known_rank_is_refused(w):
    before = counts()
    with pytest.raises(ApplicationError) as raised:
        profile_save(actor=w.office, person=w.university.zhang, title="实验师")
    assert raised.value.message == "无法由职称“实验师”确定职称级别，请选择职称级别。"
    assert raised.value.extra == {"field": "title_rank"}
    with pytest.raises(ApplicationError, match="职称级别“top”无法识别。"):
        profile_save(actor=w.office, person=w.university.zhang, title="教授", title_rank="top")
    assert counts() == before


# --- pages ----------------------------------------------------------------------------------------


def listed(response) -> list[str]:
    html = response.content.decode()
    return [part.split('"')[0] for part in html.split('data-testid="profile-row" data-staff-no="')[1:]]


ECON = ["E0001", "E0002", "E0099", "E1101", "E1102", "E1103", "E2001", "E2002", "E2003"]


def test_office_lists_everyone_active_with_search_and_filters(w, client):
    client.force_login(w.office)
    url = reverse("mentorship:profiles")
    everyone = listed(client.get(url))
    assert sorted(everyone) == sorted([*ECON, "L0001", "L1101", "L2001", "L2002"])  # not the retired R0001
    assert sorted(listed(client.get(url, {"q": "孙"}))) == ["E1101", "L2001"]
    assert listed(client.get(url, {"q": "E1102"})) == ["E1102"]
    assert sorted(listed(client.get(url, {"title_rank": "senior"}))) == ["E1101", "L1101"]
    assert sorted(listed(client.get(url, {"discipline": "法学"}))) == ["L1101", "L2001", "L2002"]
    assert sorted(listed(client.get(url, {"profile": "missing"}))) == ["E0001", "E0002", "E0099", "L0001"]
    assert len(listed(client.get(url, {"profile": "present"}))) == 9
    ignored = client.get(url, {"title_rank": "bogus"})
    assert len(listed(ignored)) == 13 and "已忽略无效的筛选条件：职称级别" in ignored.content.decode()


def test_officer_lists_only_their_college_and_edits_only_its_people(w, client):
    client.force_login(w.officer)
    assert sorted(listed(client.get(reverse("mentorship:profiles")))) == ECON
    assert client.get(reverse("mentorship:profile_edit", args=[w.zheng.pk])).status_code == 404
    before = counts()
    response = client.post(reverse("mentorship:profile_edit", args=[w.zheng.pk]), {"title": "讲师"})
    assert response.status_code == 404 and counts() == before

    page = client.get(reverse("mentorship:profile_edit", args=[w.university.zhang.pk]))
    assert page.status_code == 200 and "建立教师档案" in page.content.decode()
    response = client.post(
        reverse("mentorship:profile_edit", args=[w.university.zhang.pk]),
        {"title": "讲师", "title_rank": "", "discipline": "经济学", "hired_on": "2016-07-01"},
    )
    assert response.status_code == 302
    assert profile_values("E0001") == ("讲师", "intermediate", "经济学", "", "", d(2016, 7, 1), None)


def test_edit_form_shows_a_refusal_on_its_field_and_writes_nothing(w, client):
    client.force_login(w.office)
    before = counts()
    response = client.post(reverse("mentorship:profile_edit", args=[w.university.zhang.pk]), {"title": "实验师"})
    assert response.status_code == 400
    assert "无法由职称“实验师”确定职称级别，请选择职称级别。" in response.content.decode()
    assert counts() == before


def test_list_queries_do_not_grow_with_the_rows(w, client):
    client.force_login(w.office)
    url = reverse("mentorship:profiles")
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for n in range(30):
        person = person_make(staff_no=f"E3{n:03d}", name="新教师", sub_union=w.econ)
        if n % 2:
            TeacherProfile.objects.create(person=person, title="讲师", title_rank=TitleRank.INTERMEDIATE)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(listed(response)) == 43
    assert len(many) == len(few)


def test_export_has_the_import_columns_and_is_logged(w, client):
    client.force_login(w.office)
    response = client.get(reverse("mentorship:profiles"), {"q": "E1101", "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == [
        "工号",
        "姓名",
        "分工会",
        "职称",
        "职称级别",
        "学科",
        "研究方向",
        "校区",
        "入职日期",
        "从事教学工作起始日期",
    ]
    assert rows[1][:8] == ["E1101", "孙教授", "经济学院分工会", "教授", "正高级", "经济学", "宏观经济", "海淀"]
    assert AuditEvent.objects.filter(action=AuditAction.EXPORTED, object_type="mentorship.teacherprofile").count() == 1


def test_import_pages_upload_preview_confirm_once(w, client):
    client.force_login(w.office)
    template = client.get(reverse("mentorship:profile_template"))
    header = [cell.value for cell in next(load_workbook(io.BytesIO(template.content)).active.iter_rows())]
    assert header == HEADER
    assert client.get(reverse("mentorship:profile_import")).status_code == 200

    upload = SimpleUploadedFile("教师档案.xlsx", workbook(ROWS))
    response = client.post(reverse("mentorship:profile_import"), {"file": upload})
    preview = ImportPreview.objects.get(kind=PROFILE_KIND)
    assert response.url == reverse("mentorship:profile_preview", args=[preview.pk])
    html = client.get(response.url).content.decode()
    assert 'data-testid="count-new">2<' in html and 'data-testid="count-invalid">7<' in html
    assert "职称级别“特级”无法识别，应为正高级、副高级、中级、初级或无" in html

    before = counts()
    response = client.post(reverse("mentorship:profile_confirm", args=[preview.pk]), follow=True)
    assert "已导入教师档案：新增 2，变更 1。" in response.content.decode()
    assert TeacherProfile.objects.count() == before[0] + 2
    after = counts()
    response = client.post(reverse("mentorship:profile_confirm", args=[preview.pk]), follow=True)
    assert "不会重复导入" in response.content.decode()
    assert counts() == after


def test_upload_of_a_wrong_file_shows_why_and_keeps_nothing(w, client):
    client.force_login(w.office)
    upload = SimpleUploadedFile("档案.pdf", b"%PDF-1.4")
    response = client.post(reverse("mentorship:profile_import"), {"file": upload})
    assert response.status_code == 400
    assert "不支持的文件类型“pdf”：请上传 .xlsx 或 .csv 文件" in response.content.decode()
    assert ImportPreview.objects.count() == 0


def test_preview_without_changes_cannot_be_confirmed_from_the_page(w, client):
    client.force_login(w.office)
    preview = start(w, workbook([ROWS[2]]))
    html = client.get(reverse("mentorship:profile_preview", args=[preview.pk])).content.decode()
    assert 'disabled aria-disabled="true"' in html and "文件中没有新增或变更的教师档案" in html
    before = counts()
    client.post(reverse("mentorship:profile_confirm", args=[preview.pk]))
    preview.refresh_from_db()
    assert preview.status == ImportStatus.PENDING and counts() == before
