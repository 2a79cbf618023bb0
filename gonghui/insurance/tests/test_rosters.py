"""Roster export in the insurer's template and the acceptance file import."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from gonghui.core.exceptions import ApplicationError, ImportFileError
from gonghui.core.imports import import_confirm
from gonghui.core.models import AuditAction, AuditEvent, ImportPreview
from gonghui.insurance.choices import EnrollmentStatus, RosterLineResult
from gonghui.insurance.models import PlanEnrollment, RosterExport, RosterLine
from gonghui.insurance.services.enrollment import enrollment_add, enrollment_run
from gonghui.insurance.services.rosters import roster_export_create, roster_xlsx
from gonghui.insurance.tests.helpers import acceptance_file, acceptance_start, read_xlsx
from gonghui.people.tests.factories import person_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def roster(university, office, editions_2021):
    enrollment_run(actor=office, edition=editions_2021["NGTJ"])
    return roster_export_create(actor=office, edition=editions_2021["NGTJ"])


def test_roster_in_the_insurers_template_with_clear_ids_logged(university, office, roster):
    assert RosterLine.objects.filter(roster=roster).count() == 3
    assert set(PlanEnrollment.objects.values_list("status", flat=True)) == {EnrollmentStatus.ON_ROSTER}
    before = AuditEvent.objects.filter(action=AuditAction.EXPORTED_CLEAR).count()
    data = roster_xlsx(actor=office, roster=roster)
    sheet, rows = read_xlsx(data)
    assert rows[0][:7] == ["序号", "姓名", "性别", "身份证号", "出生日期", "份数", "保费"]
    li = next(r for r in rows[1:] if r[1] == "李娜")
    assert li[3] == university.li.id_number_clear() and len(li[3]) == 18
    assert (li[2], li[4], li[5], li[6]) == ("女", datetime.datetime(1985, 3, 2), 1, 25)  # a date, numbers
    assert sheet.cell(row=rows.index(li) + 1, column=4).number_format == "@"
    assert [r[0] for r in rows[1:]] == [1, 2, 3]
    events = AuditEvent.objects.filter(action=AuditAction.EXPORTED_CLEAR)
    assert events.count() == before + 1
    assert events.first().object_id == str(roster.pk)
    # the second download is logged too
    roster_xlsx(actor=office, roster=roster)
    assert AuditEvent.objects.filter(action=AuditAction.EXPORTED_CLEAR).count() == before + 2


def test_next_version_lists_only_the_people_added_since(university, office, editions_2021, roster):
    with pytest.raises(ApplicationError, match="没有待报送"):
        roster_export_create(actor=office, edition=editions_2021["NGTJ"])
    newcomer = person_make(
        staff_no="W1", name="新女工", gender="F", birth_date=datetime.date(1990, 1, 1), sub_union=university.law
    )
    enrollment_add(actor=office, edition=editions_2021["NGTJ"], person=newcomer, on=datetime.date(2021, 10, 8))
    second = roster_export_create(actor=office, edition=editions_2021["NGTJ"])
    assert second.version == 2
    assert list(second.lines.values_list("enrollment__person__staff_no", flat=True)) == ["W1"]


@pytest.mark.parametrize("role", ["member", "sub_union_officer", "auditor"])
def test_only_the_office_exports_rosters(university, editions_2021, roster, role):
    before = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        roster_xlsx(actor=university.users[role], roster=roster)
    with pytest.raises(PermissionDenied):
        roster_export_create(actor=university.users[role], edition=editions_2021["NGTJ"])
    assert AuditEvent.objects.count() == before
    assert RosterExport.objects.count() == 1


def test_acceptance_with_two_rejections_preview_then_confirm(university, office, roster):
    u = university
    stranger = "110105199001011234"
    data = acceptance_file(
        [
            (1, "李娜", u.li.id_number_clear(), "承保", ""),
            (2, "王芳", u.wang.id_number_clear(), "拒保", "年龄不符"),
            (3, "陈静", u.officer_person.id_number_clear(), "不予承保", "既往病史"),
            (4, "无名", stranger, "承保", ""),
        ]
    )
    preview = acceptance_start(office, roster, data)
    assert preview.summary["counts"] == {"accepted": 1, "rejected": 2, "unmatched": 1, "invalid": 0}
    assert preview.summary["unmatched"][0]["row"] == 5
    assert preview.summary["unmatched"][0]["reason"] == "本名单中没有此身份证号"
    assert stranger not in str(preview.summary)  # only masked numbers are kept
    # nothing written before confirmation
    assert set(RosterLine.objects.values_list("result", flat=True)) == {RosterLineResult.PENDING}
    outcome = import_confirm(preview, actor=office).result
    assert outcome == {"accepted": 1, "rejected": 2, "unmatched": 1, "invalid": 0, "corrected": 0}
    statuses = dict(PlanEnrollment.objects.values_list("person__staff_no", "status"))
    assert statuses == {"E0002": "accepted", "L0001": "rejected", "E0099": "rejected"}
    assert PlanEnrollment.objects.get(person=u.wang).rejection_reason == "年龄不符"
    assert RosterLine.objects.get(enrollment__person=u.officer_person).reason == "既往病史"
    # confirming twice writes nothing more
    with pytest.raises(ApplicationError, match="已确认"):
        import_confirm(preview, actor=office)
    assert dict(PlanEnrollment.objects.values_list("person__staff_no", "status")) == statuses


def test_duplicated_ids_and_bad_lines_are_invalid(university, office, roster):
    u = university
    data = acceptance_file(
        [
            (1, "李娜", u.li.id_number_clear(), "承保", ""),
            (2, "李娜", u.li.id_number_clear(), "拒保", "重复"),
            (3, "王芳", u.wang.id_number_clear(), "拒保", ""),
            (4, "陈静", u.officer_person.id_number_clear(), "待定", ""),
        ]
    )
    preview = acceptance_start(office, roster, data)
    reasons = [(r["row"], r["reason"]) for r in preview.summary["invalid"]]
    assert reasons == [
        (2, "身份证号在文件中重复出现"),
        (3, "身份证号在文件中重复出现"),
        (4, "拒保须注明原因"),
        (5, "无法识别的结果：待定"),
    ]
    assert preview.summary["counts"] == {"accepted": 0, "rejected": 0, "unmatched": 0, "invalid": 4}
    import_confirm(preview, actor=office)
    assert set(PlanEnrollment.objects.values_list("status", flat=True)) == {EnrollmentStatus.ON_ROSTER}


def test_unreadable_files_are_refused(university, office, roster):
    with pytest.raises(ImportFileError, match=".xlsx"):
        acceptance_start(office, roster, b"x", filename="a.pdf")
    with pytest.raises(ImportFileError, match="缺少列"):
        acceptance_start(office, roster, acceptance_file([], headers=("姓名",)), filename="a.xlsx")
    assert ImportPreview.objects.count() == 0


def _answer(roster, university, office, rows):
    u = university
    people = {"li": u.li, "wang": u.wang, "chen": u.officer_person}
    data = acceptance_file(
        [(n, people[k].name, people[k].id_number_clear(), w, r) for n, (k, w, r) in enumerate(rows, 1)]
    )
    return import_confirm(acceptance_start(office, roster, data), actor=office)


def test_filing_and_answers_are_workflow_steps_in_bulk(university, office, roster):
    from gonghui.insurance.models import PlanEnrollmentEvent

    filed = PlanEnrollmentEvent.objects.filter(step="file")
    assert sorted(filed.values_list("subject__person__staff_no", "from_state", "to_state")) == [
        ("E0002", "enrolled", "on_roster"),
        ("E0099", "enrolled", "on_roster"),
        ("L0001", "enrolled", "on_roster"),
    ]
    assert set(filed.values_list("message", flat=True)) == {"女工特疾 参保名单第 1 版"}
    audit = AuditEvent.objects.filter(object_type="insurance.planenrollment", action=AuditAction.STATUS_CHANGED)
    assert list(audit.values_list("changes", flat=True)) == [{"status": ["已参保", "已报送"]}] * 3

    _answer(
        roster, university, office, [("li", "承保", ""), ("wang", "拒保", "年龄不符"), ("chen", "拒保", "年龄不符")]
    )

    answered = PlanEnrollmentEvent.objects.exclude(step="file").order_by("subject__person__staff_no")
    assert list(answered.values_list("subject__person__staff_no", "step", "to_state", "message")) == [
        ("E0002", "accept", "accepted", ""),
        ("E0099", "reject", "rejected", "年龄不符"),
        ("L0001", "reject", "rejected", "年龄不符"),
    ]


def test_a_corrected_answer_is_a_declared_step_with_its_reason(university, office, roster):
    from gonghui.insurance.models import PlanEnrollmentEvent

    _answer(roster, university, office, [("li", "承保", ""), ("wang", "拒保", "年龄不符"), ("chen", "承保", "")])
    # the insurer sends the file again: li now rejected, wang now accepted, chen unchanged
    outcome = _answer(
        roster, university, office, [("li", "拒保", "既往病史"), ("wang", "承保", ""), ("chen", "承保", "")]
    ).result
    assert outcome == {"accepted": 2, "rejected": 1, "unmatched": 0, "invalid": 0, "corrected": 2}
    statuses = dict(PlanEnrollment.objects.values_list("person__staff_no", "status"))
    assert statuses == {"E0002": "rejected", "L0001": "accepted", "E0099": "accepted"}
    reasons = dict(PlanEnrollment.objects.values_list("person__staff_no", "rejection_reason"))
    assert reasons == {"E0002": "既往病史", "L0001": "", "E0099": ""}
    corrections = PlanEnrollmentEvent.objects.filter(step__startswith="correct").order_by("subject__person__staff_no")
    assert list(corrections.values_list("subject__person__staff_no", "step", "from_state", "to_state", "message")) == [
        ("E0002", "correct_reject", "accepted", "rejected", "更正承保结果：既往病史"),
        ("L0001", "correct_accept", "rejected", "accepted", "更正承保结果：承保"),
    ]
    # chen, accepted twice, has one answer only
    assert PlanEnrollmentEvent.objects.filter(subject__person=university.officer_person).count() == 2


def test_a_correction_without_its_reason_is_refused_and_changes_nothing(university, office, roster):
    from gonghui.core.exceptions import InvalidTransition
    from gonghui.core.workflow import transition
    from gonghui.insurance.models import PlanEnrollmentEvent
    from gonghui.insurance.workflow import EnrollmentWorkflow

    _answer(roster, university, office, [("li", "承保", ""), ("wang", "拒保", "年龄不符"), ("chen", "承保", "")])
    li = PlanEnrollment.objects.get(person=university.li)
    events, audit = PlanEnrollmentEvent.objects.count(), AuditEvent.objects.count()
    with pytest.raises(InvalidTransition, match="须填写说明"):
        transition(EnrollmentWorkflow, li, to=EnrollmentStatus.REJECTED, actor=office)
    with pytest.raises(InvalidTransition, match="不能改为“已报送”"):
        transition(EnrollmentWorkflow, li, to=EnrollmentStatus.ON_ROSTER, actor=office, message="撤回")
    li.refresh_from_db()
    assert li.status == EnrollmentStatus.ACCEPTED
    assert (PlanEnrollmentEvent.objects.count(), AuditEvent.objects.count()) == (events, audit)


def test_only_importers_confirm_and_an_ended_cover_keeps_its_state(university, office, roster):
    from gonghui.insurance.services.enrollment import enrollment_end

    preview = acceptance_start(
        office, roster, acceptance_file([(1, "李娜", university.li.id_number_clear(), "承保", "")])
    )
    with pytest.raises(PermissionDenied):
        import_confirm(preview, actor=university.users["sub_union_officer"])
    preview.refresh_from_db()
    assert preview.status == "pending"
    li = PlanEnrollment.objects.get(person=university.li)
    enrollment_end(actor=office, enrollment=li, on=datetime.date(2021, 8, 31), reason="调离")
    assert import_confirm(preview, actor=office).result["accepted"] == 1
    li.refresh_from_db()
    line = RosterLine.objects.get(enrollment=li)
    assert (li.status, line.result) == (EnrollmentStatus.ENDED, RosterLineResult.ACCEPTED)
