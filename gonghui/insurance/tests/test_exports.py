"""The enrollments export and the roster for the insurer: names that look like formulas stay
text, a control character in old data stops neither, premiums and dates stay typed, and the
enrollments export is audited and never cached."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from gonghui.core.models import AuditAction, AuditEvent
from gonghui.insurance.services.enrollment import enrollment_run
from gonghui.insurance.services.rosters import roster_export_create, roster_xlsx
from gonghui.people.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def female_plan(university, office, editions_2021):
    # names stored before input was cleaned: a formula, and one with a vertical tab
    Person.objects.filter(pk=university.li.pk).update(name="=1+2")
    Person.objects.filter(pk=university.wang.pk).update(name="王\x0b芳")
    edition = editions_2021["NGTJ"]
    enrollment_run(actor=office, edition=edition)
    return edition


def test_insurer_roster_writes_names_as_text_and_numbers_as_numbers(university, office, female_plan):
    roster = roster_export_create(actor=office, edition=female_plan)
    sheet = load_workbook(io.BytesIO(roster_xlsx(actor=office, roster=roster))).active
    rows = {row[7].value: row for row in sheet.iter_rows(min_row=2)}  # by 工号
    li, wang = rows[university.li.staff_no], rows[university.wang.staff_no]
    assert (li[1].value, li[1].data_type) == ("'=1+2", "s")
    assert (wang[1].value, wang[1].data_type) == ("王芳", "s")
    assert (li[4].value, li[4].data_type) == (datetime.datetime(1985, 3, 2), "d")  # 出生日期
    assert (li[5].value, li[5].data_type) == (1, "n")  # 份数
    assert (li[6].value, li[6].data_type, li[6].number_format) == (25, "n", "0.00")  # 保费
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_enrollments_export_is_safe_audited_and_not_cached(client, university, office, female_plan):
    client.force_login(office)
    before = AuditEvent.objects.count()
    response = client.get(reverse("insurance:enrollment_list", args=[female_plan.pk]), {"export": "xlsx"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    assert rows[university.li.staff_no][1].value == "'=1+2"
    assert rows[university.wang.staff_no][1].value == "王芳"
    premium = rows[university.li.staff_no][6]
    assert (premium.value, premium.data_type) == (Decimal("25"), "n")
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.latest("id")
    assert (event.actor, event.action, event.object_type, event.object_id, event.message) == (
        office,
        AuditAction.EXPORTED,
        "insurance.planedition",
        str(female_plan.pk),
        "导出参保人员名单（export=xlsx）",
    )
