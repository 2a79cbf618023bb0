"""A member's group-insurance journey on a 390 px phone: the portal card, "my cover this year",
starting a hospitalisation claim, uploading a checklist document."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import PHONE, no_horizontal_overflow, page_open, shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _password_sign_in_only(settings, tmp_path):
    settings.CAS_SERVER_URL = ""
    settings.MEDIA_ROOT = str(tmp_path)


def test_member_starts_a_claim_on_a_phone(clock, browser, live_server, university, tmp_path):
    from gonghui.insurance.presets import editions_create
    from gonghui.insurance.services.enrollment import enrollment_run

    today = datetime.date.today()
    year = today.year
    office = university.users["union_office"]
    for edition in editions_create(actor=office, year=year):
        enrollment_run(actor=office, edition=edition)
    page = page_open(browser, PHONE, live_server)
    sign_in(page, "E0001")
    expect(page.get_by_text("职工互助保障", exact=True)).to_be_visible()
    shot(page, "insurance-portal-390")
    page.get_by_role("link", name="我的保障与理赔").click()
    page.wait_for_url(re.compile(r"/insurance/my/$"))
    expect(page.get_by_test_id("cover-ZYJT")).to_contain_text("住院津贴")
    expect(page.get_by_test_id("cover-ZDJB")).to_contain_text("1 份，保费 50.00 元")
    assert page.get_by_test_id("cover-NGTJ").count() == 0
    assert no_horizontal_overflow(page)
    shot(page, "insurance-my-cover-390")

    page.get_by_test_id("claim-start").click()
    page.get_by_label("保障计划").select_option(label="住院津贴")
    page.get_by_label("给付项目").select_option(label="住院津贴：住院津贴")
    page.get_by_label("诊断").fill("肺炎")
    admission = today - datetime.timedelta(days=12)
    page.get_by_label("入院日期").fill(admission.isoformat())
    page.get_by_label("出院日期").fill((admission + datetime.timedelta(days=10)).isoformat())
    assert no_horizontal_overflow(page)
    shot(page, "insurance-claim-form-390")
    page.get_by_test_id("claim-submit").click()
    page.wait_for_url(re.compile(r"/insurance/my/claims/\d+/$"))
    expect(page.get_by_test_id("claim-status")).to_have_text("已报案")
    pdf = tmp_path / "诊断证明.pdf"
    pdf.write_bytes(PDF_BYTES)
    page.get_by_label("材料", exact=True).select_option("诊断证明")
    page.get_by_label("文件").set_input_files(str(pdf))
    page.get_by_test_id("document-upload").click()
    expect(page.get_by_role("link", name="诊断证明.pdf")).to_be_visible()
    assert no_horizontal_overflow(page)
    shot(page, "insurance-claim-390")
