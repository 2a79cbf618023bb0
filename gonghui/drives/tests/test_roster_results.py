"""Roster versions (what was sent, when, by whom; clear ID numbers logged) and the
provider's result per line; a file with lines matching nobody is refused whole."""

import io

import pytest
from openpyxl import load_workbook

from gonghui.core.exceptions import ApplicationError
from gonghui.core.models import AuditAction, AuditEvent
from gonghui.drives.choices import RegistrationChannel, RegistrationStatus
from gonghui.drives.models import DriveRegistration, ProviderResultImport, ProviderResultLine, RosterExport
from gonghui.drives.services.registrations import registration_create
from gonghui.drives.services.results import result_import
from gonghui.drives.services.roster import (
    ROSTER_HEADERS,
    roster_content,
    roster_download_record,
    roster_export_create,
)
from gonghui.drives.tests.factories import TODAY, drive_make, relative_data, result_file


@pytest.fixture
def setup(university):
    drive = drive_make()
    office = university.users["union_office"]
    regs = [
        registration_create(
            drive=drive, person=p, actor=office, channel=RegistrationChannel.GROUP, consent=True, on=TODAY
        )
        for p in (university.zhang, university.li, university.zhao)
    ]
    spouse = registration_create(
        drive=drive,
        person=university.zhang,
        actor=office,
        consent=True,
        on=TODAY,
        channel=RegistrationChannel.INDIVIDUAL,
        **relative_data(),
    )
    return drive, office, regs, spouse


def test_roster_versions_keep_what_was_sent(university, setup):
    drive, office, regs, spouse = setup
    first = roster_export_create(drive=drive, actor=office)
    assert (first.version, first.line_count, first.new_count, first.created_by) == (1, 4, 4, office)
    assert set(DriveRegistration.objects.values_list("status", flat=True)) == {RegistrationStatus.ON_ROSTER}
    sheet = load_workbook(io.BytesIO(roster_content(first))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == ROSTER_HEADERS
    assert len(rows) == 5
    id_numbers = {row[3] for row in rows[1:]}
    assert university.zhang.id_number_clear() in id_numbers and spouse.id_number_clear() in id_numbers
    assert bytes(first.content_encrypted).find(university.zhang.id_number_clear().encode()) == -1  # encrypted at rest
    event = AuditEvent.objects.get(object_type="drives.rosterexport", object_id=str(first.pk))
    assert event.action == AuditAction.EXPORTED_CLEAR and event.actor == office

    late = registration_create(
        drive=drive,
        person=university.wang,
        actor=office,
        consent=True,
        on=TODAY,
        channel=RegistrationChannel.INDIVIDUAL,
    )
    second = roster_export_create(drive=drive, actor=office)
    assert (second.version, second.line_count, second.new_count) == (2, 5, 1)
    late.refresh_from_db()
    assert late.first_roster == second and regs[0].__class__.objects.get(pk=regs[0].pk).first_roster == first
    assert RosterExport.objects.filter(drive=drive).count() == 2
    # downloading again is logged too
    roster_download_record(roster=first, actor=office)
    assert AuditEvent.objects.filter(object_type="drives.rosterexport", action=AuditAction.EXPORTED_CLEAR).count() == 3


def test_result_lines_applied(university, setup):
    drive, office, (zhang, li, zhao), spouse = setup
    roster_export_create(drive=drive, actor=office)
    content = result_file(
        [
            (zhang.name, zhang.id_number_clear(), "参保成功", "P-001", ""),
            (li.name, li.id_number_clear(), "已缴费", "P-002", ""),
            (zhao.name, zhao.id_number_clear(), "未通过", "", "既往症不符"),
            (spouse.name, spouse.id_number_clear(), "参保成功", "P-004", ""),
        ]
    )
    result = result_import(drive=drive, actor=office, content=content, file_name="结果.xlsx")
    assert result.counts == {"enrolled": 2, "paid": 1, "rejected": 1, "unchanged": 0}
    statuses = dict(DriveRegistration.objects.values_list("pk", "status"))
    assert statuses == {zhang.pk: "enrolled", li.pk: "paid", zhao.pk: "rejected", spouse.pk: "enrolled"}
    zhao.refresh_from_db()
    assert zhao.reject_reason == "既往症不符"
    assert DriveRegistration.objects.get(pk=li.pk).policy_no == "P-002"
    assert ProviderResultLine.objects.count() == 4
    # the same file again changes nothing
    again = result_import(drive=drive, actor=office, content=content, file_name="结果.xlsx")
    assert again.counts == {"enrolled": 0, "paid": 0, "rejected": 0, "unchanged": 4}
    assert dict(DriveRegistration.objects.values_list("pk", "status")) == statuses
    # paid later
    later = result_file([(zhang.name, zhang.id_number_clear(), "已缴费", "", "")])
    assert result_import(drive=drive, actor=office, content=later, file_name="缴费.xlsx").counts["paid"] == 1
    assert DriveRegistration.objects.get(pk=zhang.pk).status == "paid"


def test_result_lines_matching_nobody_refuse_the_whole_file(university, setup):
    drive, office, (zhang, li, zhao), spouse = setup
    roster_export_create(drive=drive, actor=office)
    stranger = relative_data(name="路人甲", sequence=777)
    content = result_file(
        [
            (zhang.name, zhang.id_number_clear(), "参保成功", "P-001", ""),
            (stranger["name"], stranger["id_number"], "参保成功", "P-999", ""),
            ("李四", li.id_number_clear(), "参保成功", "P-002", ""),
            (zhao.name, zhao.id_number_clear(), "未通过", "", ""),
        ]
    )
    before = (
        AuditEvent.objects.count(),
        ProviderResultImport.objects.count(),
        ProviderResultLine.objects.count(),
        sorted(DriveRegistration.objects.values_list("status", flat=True)),
    )
    with pytest.raises(ApplicationError) as info:
        result_import(drive=drive, actor=office, content=content, file_name="结果.xlsx")
    assert info.value.message == "结果文件有 3 行无法导入，未做任何修改"
    assert info.value.extra["problems"] == [
        {"row": 3, "name": "路人甲", "reason": "与报送名单中的任何人都不匹配"},
        {"row": 4, "name": "李四", "reason": f"姓名与报送名单不一致（名单中为 {li.name}）"},
        {"row": 5, "name": zhao.name, "reason": "未通过须注明原因"},
    ]
    after = (
        AuditEvent.objects.count(),
        ProviderResultImport.objects.count(),
        ProviderResultLine.objects.count(),
        sorted(DriveRegistration.objects.values_list("status", flat=True)),
    )
    assert after == before


def test_result_for_a_registration_not_yet_sent_matches_nobody(university, setup):
    drive, office, (zhang, *_), _spouse = setup
    content = result_file([(zhang.name, zhang.id_number_clear(), "参保成功", "P-001", "")])
    with pytest.raises(ApplicationError) as info:
        result_import(drive=drive, actor=office, content=content, file_name="结果.xlsx")
    assert info.value.extra["problems"][0]["reason"] == "与报送名单中的任何人都不匹配"
    assert ProviderResultImport.objects.count() == 0
