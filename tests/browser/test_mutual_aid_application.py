"""A member applies for a mutual-aid subsidy on a 390 px phone: cost item with the live
working, photos of the documents (a PNG made here), submit, and the status on their page."""

import datetime
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from gonghui.mutual_aid.models import SchemeMembership, SubsidyApplication
from gonghui.mutual_aid.tests.applications.factories import PNG_BYTES, edition_make
from tests.browser.helpers import PHONE, no_horizontal_overflow, page_open, shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_member_applies_with_a_photo_on_a_phone(clock, browser, live_server, university, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    today = datetime.date.today()
    edition = edition_make(today.year - 1)
    SchemeMembership.objects.create(
        person=university.zhang, joined_on=datetime.date(2015, 3, 1), eligible_from=datetime.date(2015, 3, 1)
    )
    photo = tmp_path / "invoice.png"
    photo.write_bytes(PNG_BYTES)

    page = page_open(browser, PHONE, live_server)
    sign_in(page, "E0001")
    page.get_by_role("link", name=re.compile("申请.*补助")).click()
    page.get_by_label("住院", exact=True).check()
    page.get_by_role("button", name="开始填写").click()
    page.wait_for_url(re.compile(r"/edit/$"))

    form = page.get_by_test_id("cost-item-form")
    form.get_by_label("就诊日期").fill(f"{edition.year}-05-10")
    form.get_by_label("医院").fill("市第一人民医院")
    form.get_by_label("票据号").fill("B-001")
    form.get_by_label("总费用").fill("20000")
    form.get_by_label("统筹/公费支付").fill("12000")
    form.get_by_label("二次报销").fill("1000")
    form.get_by_label("个人自付").fill("7000")
    # the working updates as she types: (7000 − 1000) × 0.5
    expect(page.get_by_test_id("subsidy")).to_have_text("3,000.00 元")
    shot(page, "mutual-aid-apply-working-390")
    form.get_by_role("button", name="保存这笔费用").click()
    expect(page.get_by_test_id("cost-items")).to_contain_text("B-001")

    page.get_by_test_id("details-form").locator("select").select_option(label="恶性肿瘤")
    page.get_by_test_id("details-form").get_by_role("button", name="保存").click()
    for name in ["住院发票", "出院小结"]:
        page.get_by_label(f"上传{name}").set_input_files(str(photo))
        page.get_by_label(f"上传{name}").locator("xpath=ancestor::form").get_by_role(
            "button", name="上传", exact=True
        ).click()
        expect(page.get_by_text(f"已上传：{name}")).to_be_visible()
    assert no_horizontal_overflow(page)
    shot(page, "mutual-aid-apply-editor-390")

    page.get_by_test_id("submit").click()
    page.wait_for_url(re.compile(r"/my/applications/\d+/$"))
    expect(page.get_by_test_id("status")).to_have_text("已提交")
    expect(page.get_by_test_id("timeline")).to_contain_text("已提交")
    shot(page, "mutual-aid-apply-submitted-390")

    application = SubsidyApplication.objects.get()
    assert application.status == "submitted"
    assert application.computed_subsidy == Decimal("3000.00")
    assert application.documents.count() == 2
    assert set(application.documents.values_list("attachment__content_type", flat=True)) == {"image/png"}

    # withdrawing asks first (components/confirm_dialog.html, no script): opening the question changes nothing
    withdraw = page.get_by_test_id("withdraw")
    withdraw.get_by_text("撤回申请").click()
    expect(withdraw.get_by_role("alertdialog")).to_contain_text("确定撤回此申请？")
    expect(page.get_by_test_id("status")).to_have_text("已提交")
    application.refresh_from_db()
    assert application.status == "submitted"
    withdraw.get_by_role("button", name="确定撤回").click()
    expect(page.get_by_test_id("status")).to_have_text("已撤回")
    application.refresh_from_db()
    assert application.status == "withdrawn"
    page.context.close()
