"""A member registers herself and her spouse for the inclusive health insurance drive and books
a slot at the service point, on a 390 px phone."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from gonghui.drives.models import DriveRegistration, SlotBooking, TimeSlot
from gonghui.drives.tests.factories import drive_make, point_make
from gonghui.people.tests.factories import valid_id_number
from tests.browser.helpers import PHONE, no_horizontal_overflow, page_open, shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_member_registers_self_and_spouse_and_books_a_slot_on_a_phone(clock, browser, live_server, university):
    today = datetime.date.today()
    drive = drive_make(
        registration_from=today - datetime.timedelta(days=3),
        registration_until=today + datetime.timedelta(days=10),
        policy_start=today + datetime.timedelta(days=30),
    )
    _point, slot = point_make(drive, capacity=1, day=today + datetime.timedelta(days=5), sub_union=university.retirees)
    spouse_birth = datetime.date(1982, 4, 3)
    spouse_id = valid_id_number(birth_date=spouse_birth, gender="F", sequence=321)

    page = page_open(browser, PHONE, live_server)
    sign_in(page, "E0001")
    page.get_by_role("link", name="报名").first.click()
    page.wait_for_url(re.compile(rf"/drives/{drive.pk}/$"))
    shot(page, "drives-portal-drive-390")

    page.get_by_role("button", name="本人报名").click()
    form = page.get_by_test_id("register-form")
    form.get_by_label("手机号").fill("13811112222")
    form.get_by_label("参保方式").select_option("individual")
    form.get_by_label("我同意将以上信息提供给承办机构").check()
    assert no_horizontal_overflow(page)
    shot(page, "drives-register-self-390")
    form.get_by_role("button", name="提交报名").click()
    page.wait_for_url(re.compile(rf"/drives/{drive.pk}/$"))
    expect(page.get_by_test_id("registrations")).to_contain_text("张伟")

    page.get_by_role("button", name="为家属报名").click()
    form = page.get_by_test_id("register-form")
    form.get_by_label("报名对象").select_option("spouse")
    form.get_by_label("姓名").fill("刘敏")
    form.get_by_label("身份证号").fill(spouse_id)
    form.get_by_label("性别").select_option("F")
    form.get_by_label("出生日期").fill(spouse_birth.isoformat())
    form.get_by_label("医疗类别").select_option("insurance")
    form.get_by_label("手机号").fill("13900000001")
    # forgetting consent is refused with a clear message and nothing written
    form.get_by_role("button", name="提交报名").click()
    expect(page.get_by_test_id("form-errors")).to_contain_text("请确认同意将报名信息提供给承办机构")
    assert DriveRegistration.objects.count() == 1
    page.get_by_test_id("register-form").get_by_label("我同意将以上信息提供给承办机构").check()
    page.get_by_test_id("register-form").get_by_role("button", name="提交报名").click()
    page.wait_for_url(re.compile(rf"/drives/{drive.pk}/$"))
    expect(page.get_by_test_id("registration")).to_have_count(2)
    expect(page.get_by_test_id("registrations")).to_contain_text("刘敏")

    page.get_by_test_id("booking").get_by_label("选择时段").select_option(str(slot.pk))
    page.get_by_test_id("booking").get_by_role("button", name="预约").click()
    expect(page.get_by_test_id("my-booking")).to_contain_text("已预约")
    assert no_horizontal_overflow(page)
    shot(page, "drives-portal-booked-390")

    assert sorted(DriveRegistration.objects.values_list("relationship", "status")) == [
        ("self", "registered"),
        ("spouse", "registered"),
    ]
    assert DriveRegistration.objects.get(relationship="spouse").id_number_clear() == spouse_id
    assert SlotBooking.objects.get().person == university.zhang
    assert TimeSlot.objects.get(pk=slot.pk).booked == 1
    page.context.close()
