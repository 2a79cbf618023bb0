"""批量入会: a file of staff numbers, pasted numbers, a sub-union or a filter → preview → confirm
once. Exact counts of each outcome; a re-run enrols nobody; a refused batch changes nothing."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from gonghui.core.bulk import staff_numbers_upload
from gonghui.core.excel import xlsx_bytes
from gonghui.core.exceptions import ApplicationError, PermissionDenied
from gonghui.core.models import AuditEvent, ImportPreview, ImportStatus, Job
from gonghui.mutual_aid.models import SchemeMembership, SchemeMembershipEvent
from gonghui.mutual_aid.services.enrolment_batch import (
    enrolment_batch_confirm,
    enrolment_batch_start,
    scheme_membership_enroll_bulk,
)
from gonghui.mutual_aid.services.membership import scheme_membership_enroll, scheme_membership_opt_out
from gonghui.mutual_aid.tests.fees.conftest import edition_make
from gonghui.people.choices import EmploymentStatus
from gonghui.people.models import Person
from gonghui.people.tests.factories import person_make
from tests.tables import changed_tables, table_counts

D = datetime.date
ON = D(2024, 3, 15)
MEMBERSHIP = "mutual_aid.schememembership"


def _start(actor, *, source="file", upload=None, text="", data=None, channel="payroll", on=ON):
    return enrolment_batch_start(
        actor=actor, joined_on=on, channel=channel, source=source, upload=upload, text=text, data=data
    )


def _confirm(preview, actor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        enrolment_batch_confirm(preview=preview, actor=actor)
    preview.refresh_from_db()
    return preview


@pytest.fixture
def world(university, office):
    """The 2024 edition for active staff only; zhang a member already; wang opted out (may join again)."""
    edition_make(eligible_statuses=[EmploymentStatus.ACTIVE])
    scheme_membership_enroll(person=university.zhang, actor=office, on=D(2024, 3, 1))
    wang = scheme_membership_enroll(person=university.wang, actor=office, on=D(2024, 3, 1))
    scheme_membership_opt_out(membership=wang, actor=office, reason="调离", on=D(2024, 3, 10))
    return university


def test_file_preview_sorts_every_row_and_writes_only_the_preview(world, office):
    before = table_counts()
    upload = staff_numbers_upload(["E0001", "E0002", "L0001", "R0001", "X9999", "E0002", "E0099"], name="名单")
    preview = _start(office, upload=upload)
    counts = preview.summary["counts"]
    assert counts == {"ready": 3, "skipped": 1, "ineligible": 1, "unknown": 1, "invalid": 1}
    rows = preview.summary["rows"]
    assert [r["staff_no"] for r in rows["ready"]] == ["E0002", "L0001", "E0099"]
    assert rows["ready"][1]["reason"] == "重新入会"
    assert rows["skipped"] == [
        {"row": 2, "staff_no": "E0001", "reason": "已是互助会会员", "name": "张伟", "sub_union": "经济学院分工会"}
    ]
    assert rows["ineligible"][0]["staff_no"] == "R0001" and "人员状态" in rows["ineligible"][0]["reason"]
    assert rows["unknown"] == [{"row": 6, "staff_no": "X9999", "reason": "找不到该工号，或不在您的管理范围内"}]
    assert rows["invalid"][0]["row"] == 7 and "第 3 行" in rows["invalid"][0]["reason"]
    assert set(changed_tables(before, table_counts())) == {"core.importpreview"}


def test_confirm_enrols_the_eligible_in_one_go_and_a_rerun_enrols_nobody(
    world, office, django_capture_on_commit_callbacks
):
    upload = staff_numbers_upload(["E0001", "E0002", "L0001", "R0001", "X9999"], name="名单")
    preview = _confirm(_start(office, upload=upload), office, django_capture_on_commit_callbacks)
    assert preview.status == ImportStatus.CONFIRMED
    assert preview.job.status == "succeeded"
    assert preview.result["enrolled"] == 2 and preview.result["rejoined"] == 1
    assert preview.result["counts"] == {"ready": 2, "skipped": 1, "ineligible": 1, "unknown": 1, "invalid": 0}
    active = SchemeMembership.objects.filter(status="active")
    assert sorted(active.values_list("person__staff_no", flat=True)) == ["E0001", "E0002", "L0001"]
    li = SchemeMembership.objects.get(person=world.li)
    assert (li.joined_on, li.eligible_from, li.back_pay_due, li.fee_channel, li.enrolled_by) == (
        ON,
        ON,
        Decimal("0.00"),
        "payroll",
        office,
    )
    # the same audit row as the one-person path; wang's re-join is a workflow step
    li_audit = AuditEvent.objects.get(object_type=MEMBERSHIP, person_id=world.li.pk)
    assert li_audit.message == "加入医疗互助会" and li_audit.actor == office
    one_by_one = AuditEvent.objects.get(object_type=MEMBERSHIP, person_id=world.zhang.pk)
    assert li_audit.action == one_by_one.action
    assert li_audit.changes["status"] == one_by_one.changes["status"] == [None, "在册"]
    assert li_audit.changes.keys() == one_by_one.changes.keys()
    assert SchemeMembershipEvent.objects.filter(subject__person=world.wang, step="rejoin").count() == 1

    # the same file again: everyone is skipped, nothing can be confirmed, nothing is written
    upload = staff_numbers_upload(["E0001", "E0002", "L0001", "R0001", "X9999"], name="名单")
    again = _start(office, upload=upload)
    assert again.summary["counts"] == {"ready": 0, "skipped": 3, "ineligible": 1, "unknown": 1, "invalid": 0}
    before = table_counts()
    with pytest.raises(ApplicationError, match="没有可以办理"):
        enrolment_batch_confirm(preview=again, actor=office)
    assert changed_tables(before, table_counts()) == {}


def test_two_previews_of_one_file_confirmed_in_turn_enrol_once(world, office, django_capture_on_commit_callbacks):
    first = _start(office, upload=staff_numbers_upload(["E0002", "E0099"], name="a"))
    second = _start(office, upload=staff_numbers_upload(["E0002", "E0099"], name="b"))
    _confirm(first, office, django_capture_on_commit_callbacks)
    memberships, audits = SchemeMembership.objects.count(), AuditEvent.objects.filter(object_type=MEMBERSHIP).count()
    second = _confirm(second, office, django_capture_on_commit_callbacks)
    assert second.result["enrolled"] == 0 and second.result["counts"]["skipped"] == 2
    assert SchemeMembership.objects.count() == memberships
    assert AuditEvent.objects.filter(object_type=MEMBERSHIP).count() == audits


def test_confirming_twice_is_refused(world, office, django_capture_on_commit_callbacks):
    preview = _confirm(
        _start(office, upload=staff_numbers_upload(["E0002"], name="a")), office, django_capture_on_commit_callbacks
    )
    before = table_counts()
    with pytest.raises(ApplicationError):
        enrolment_batch_confirm(preview=preview, actor=office)
    assert changed_tables(before, table_counts()) == {}
    assert Job.objects.filter(pk=preview.job_id).count() == 1


def test_pasted_numbers(world, office):
    preview = _start(office, source="paste", text="工号\nE0002, L0001、X1\n\nE0099 ")
    assert preview.summary["counts"] == {"ready": 3, "skipped": 0, "ineligible": 0, "unknown": 1, "invalid": 0}


def test_xlsx_file_with_other_columns(world, office):
    from gonghui.core.imports import Upload

    data = xlsx_bytes(headers=["姓名", "职工号"], rows=[["李娜", "E0002"], ["张伟", "E0001"]])
    preview = _start(office, upload=Upload(data=data, filename="名单.xlsx"))
    assert preview.summary["counts"]["ready"] == 1 and preview.summary["counts"]["skipped"] == 1


def test_file_without_staff_number_column_is_refused_and_nothing_kept(world, office):
    from gonghui.core.imports import Upload

    before = table_counts()
    with pytest.raises(ApplicationError, match="工号"):
        _start(office, upload=Upload(data="姓名\n李娜\n".encode(), filename="名单.csv"))
    assert changed_tables(before, table_counts()) == {}


def test_sub_union_includes_its_groups(world, office):
    preview = _start(office, source="sub_union", data={"sub_union": world.econ})
    # econ: zhang (member), li (in the group), the officer 陈静
    assert preview.summary["counts"] == {"ready": 2, "skipped": 1, "ineligible": 0, "unknown": 0, "invalid": 0}
    assert preview.original_name == "经济学院分工会.csv"


def test_filter_by_status(world, office):
    person_make(staff_no="R0002", name="孙丽", sub_union=world.retirees, employment_status=EmploymentStatus.RETIRED)
    filters = {"employment_status": EmploymentStatus.RETIRED, "sub_union": "", "coverage_type": ""}
    preview = _start(office, source="filter", data={"filters": filters})
    assert preview.summary["counts"] == {"ready": 0, "skipped": 0, "ineligible": 2, "unknown": 0, "invalid": 0}


def test_manual_channel_lists_active_staff_as_ineligible(university, office):
    edition_make()
    upload = staff_numbers_upload(["E0002", "R0001"], name="a")
    preview = _start(office, upload=upload, channel="manual")
    assert preview.summary["counts"] == {"ready": 1, "skipped": 0, "ineligible": 1, "unknown": 0, "invalid": 0}
    assert "现场缴纳" in preview.summary["rows"]["ineligible"][0]["reason"]


def test_no_adopted_edition_is_refused_before_reading(university, office):
    edition_make(status="draft")
    before = table_counts()
    with pytest.raises(ApplicationError, match="尚无已通过"):
        _start(office, upload=staff_numbers_upload(["E0002"], name="a"))
    assert changed_tables(before, table_counts()) == {}


# --- scope -----------------------------------------------------------------------------


def test_officer_sees_other_sub_unions_as_unknown_and_enrols_only_their_own(world, django_capture_on_commit_callbacks):
    officer = world.users["sub_union_officer"]
    upload = staff_numbers_upload(["E0002", "L0001", "E0099"], name="a")
    preview = _start(officer, upload=upload)
    assert preview.summary["counts"] == {"ready": 2, "skipped": 0, "ineligible": 0, "unknown": 1, "invalid": 0}
    assert preview.summary["rows"]["unknown"][0]["staff_no"] == "L0001"
    _confirm(preview, officer, django_capture_on_commit_callbacks)
    assert SchemeMembership.objects.get(person=world.wang).status == "opted_out"
    assert SchemeMembership.objects.get(person=world.li).status == "active"


def test_officer_may_not_choose_another_sub_union(world):
    before = table_counts()
    with pytest.raises(PermissionDenied):
        _start(world.users["sub_union_officer"], source="sub_union", data={"sub_union": world.law})
    assert changed_tables(before, table_counts()) == {}


@pytest.mark.parametrize("role", ["member", "auditor", "welfare_committee"])
def test_denied_user_changes_nothing(world, role):
    before = table_counts()
    with pytest.raises(PermissionDenied):
        _start(world.users[role], upload=staff_numbers_upload(["E0002"], name="a"))
    with pytest.raises(PermissionDenied):
        scheme_membership_enroll_bulk(people=[world.li], actor=world.users[role], on=ON)
    assert changed_tables(before, table_counts()) == {}


def test_bulk_service_refuses_a_batch_with_anyone_out_of_scope(world):
    before = table_counts()
    with pytest.raises(PermissionDenied):
        scheme_membership_enroll_bulk(people=[world.li, world.wang], actor=world.users["sub_union_officer"], on=ON)
    assert changed_tables(before, table_counts()) == {}


def test_another_users_preview_is_not_shown_or_confirmed_by_page(world, office, client):
    preview = _start(office, upload=staff_numbers_upload(["E0002"], name="a"))
    client.force_login(world.users["sub_union_officer"])
    assert client.get(reverse("mutual_aid:enrol_batch_preview", args=[preview.pk])).status_code == 404
    before = table_counts()
    assert client.post(reverse("mutual_aid:enrol_batch_confirm", args=[preview.pk])).status_code == 404
    assert changed_tables(before, table_counts()) == {}


# --- pages -------------------------------------------------------------------------------


def test_pages_upload_preview_confirm(world, office, client, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(office)
    assert client.get(reverse("mutual_aid:enrol_batch")).status_code == 200
    response = client.post(
        reverse("mutual_aid:enrol_batch"),
        {
            "joined_on": "2024-03-15",
            "channel": "payroll",
            "source": "file",
            "file": SimpleUploadedFile("名单.csv", "工号\nE0002\nX1\n".encode()),
        },
    )
    preview = ImportPreview.objects.get(kind="mutual_aid.enrolment_batch")
    assert response.status_code == 302 and response["Location"] == reverse(
        "mutual_aid:enrol_batch_preview", args=[preview.pk]
    )
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="count-ready">1<' in page and 'data-testid="count-unknown">1<' in page and "X1" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("mutual_aid:enrol_batch_confirm", args=[preview.pk]))
    preview.refresh_from_db()
    assert response["Location"] == reverse("core:job_detail", args=[preview.job_id])
    assert SchemeMembership.objects.filter(person=world.li, status="active").count() == 1


def test_page_form_errors_write_nothing(world, office, client):
    client.force_login(office)
    before = table_counts()
    response = client.post(
        reverse("mutual_aid:enrol_batch"), {"joined_on": "2024-03-15", "channel": "payroll", "source": "paste"}
    )
    assert response.status_code == 400
    response = client.post(
        reverse("mutual_aid:enrol_batch"),
        {"joined_on": "2024-03-15", "channel": "payroll", "source": "paste", "text": "X1 X2"},
    )
    assert response.status_code == 302  # unknown numbers are listed in the preview
    preview = ImportPreview.objects.get()
    assert preview.summary["counts"]["unknown"] == 2
    assert set(changed_tables(before, table_counts())) == {"core.importpreview"}
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="confirm"' not in page


# --- size ----------------------------------------------------------------------------------


def test_three_thousand_people_enrol_in_a_few_statements(university, office, django_assert_max_num_queries):
    edition_make()
    Person.objects.bulk_create(
        [
            Person(
                staff_no=f"B{i:05d}",
                name=f"人员{i}",
                name_pinyin=f"renyuan{i}",
                gender="M",
                birth_date=D(1980, 1, 1),
                sub_union=university.law,
                employment_status=EmploymentStatus.ACTIVE,
            )
            for i in range(3000)
        ]
    )
    people = list(Person.objects.filter(staff_no__startswith="B").select_related("sub_union"))
    with django_assert_max_num_queries(100):
        result = scheme_membership_enroll_bulk(people=people, actor=office, on=ON)
    assert result == {"enrolled": 3000, "rejoined": 0, "already_members": 0, "ineligible": 0}
    assert SchemeMembership.objects.count() == 3000
    assert AuditEvent.objects.filter(object_type=MEMBERSHIP, message="加入医疗互助会").count() == 3000
    again = scheme_membership_enroll_bulk(people=people, actor=office, on=ON)
    assert again == {"enrolled": 0, "rejoined": 0, "already_members": 3000, "ineligible": 0}
    assert SchemeMembership.objects.count() == 3000


def test_page_refuses_a_file_by_its_name_before_reading_it(world, office, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(office)
    before = table_counts()
    response = client.post(
        reverse("mutual_aid:enrol_batch"),
        {
            "joined_on": "2024-03-15",
            "channel": "payroll",
            "source": "file",
            "file": SimpleUploadedFile("名单.txt", b"E0002"),
        },
    )
    assert response.status_code == 400 and "不支持的文件类型" in response.content.decode()
    assert changed_tables(before, table_counts()) == {}
