"""Staff children's admission (子女入托入学) in a real browser, the acceptance of issue 17: the
parent 张伟 answers the survey for 张小明 on his phone (390 px) and, once requests open, asks for
a place at 附属小学 with the documents and submits it; economics' sub-union officer checks the
documents off and checks the request (390 px); the admissions officer refers it to the school
(1280 px). Then the module's office pages are read at both widths (no sideways scrolling).

The world is that of gonghui/admissions/tests/conftest.py (the 2021 campaign on the 2021
rules). Screenshots land in var/screenshots/admissions/ (not committed)."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from gonghui.admissions.choices import Need, RequestStatus
from gonghui.admissions.models import AdmissionRequest, SurveyLine
from gonghui.admissions.services.campaigns import campaign_open_requests, campaign_open_survey
from gonghui.admissions.tests.conftest import PDF, admissions_world
from tests.browser.helpers import BROWSER_ERRORS, DESKTOP, PHONE, no_horizontal_overflow, page_open, shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def journey(clock, university, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    w = admissions_world(university)
    campaign_open_survey(actor=w.admissions, campaign=w.campaign)
    return w


def _check(page, name, *, phone=True):
    assert no_horizontal_overflow(page), f"{page.url} is wider than the device"
    if phone:
        page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    shot(page, f"admissions/{name}")


def _message(page):
    return page.locator("article.message")


def test_a_parent_answers_and_applies_on_the_phone_the_officer_checks_and_the_office_refers(
    browser, live_server, journey, tmp_path
):
    w = journey
    child = w.kids["xiaoming"]

    # --- 1. 张伟 answers the survey on his phone ------------------------------------------------
    phone = page_open(browser, PHONE, live_server)
    sign_in(phone, "E0001")
    phone.goto(reverse("admissions:mine"))
    cards = phone.get_by_test_id("my-child")
    expect(cards).to_have_count(2)
    mine = cards.filter(has_text="张小明")
    expect(mine.get_by_test_id("stages")).to_contain_text("幼升小：2021 年入学")
    _check(phone, "01-mine-390")
    mine.get_by_test_id("survey-link").click()
    phone.wait_for_url(re.compile(r"/admissions/mine/survey/\d+/$"))
    phone.get_by_label("需要", exact=True).check()
    phone.get_by_label("意向学校").select_option(label="附属小学（小学，海淀区）")
    phone.get_by_label("备选学校").select_option(label="附属第二小学（小学，海淀区）")
    phone.get_by_label("户口所在区").fill("海淀区")
    phone.get_by_label("住房情况").select_option(label="自有产权房")
    _check(phone, "02-survey-form-390")
    phone.get_by_test_id("survey-submit").click()
    phone.wait_for_url(re.compile(r"/admissions/mine/$"))
    expect(_message(phone)).to_contain_text("已记录张小明的摸底：需要。")
    expect(phone.get_by_test_id("survey-state").first).to_contain_text("需要 · 附属小学")
    line = SurveyLine.objects.get(child=child)
    assert (line.need, line.school, line.alternative, line.answered_by) == (
        Need.YES, w.schools["fx"], w.schools["fx2"], w.parent
    )  # fmt: skip

    # --- 2. requests open; he asks for a place, uploads the documents and submits ------------
    campaign_open_requests(actor=w.admissions, campaign=w.campaign)
    phone.goto(reverse("admissions:mine"))
    phone.get_by_test_id("request-new").click()
    phone.wait_for_url(re.compile(rf"/admissions/mine/children/{child.pk}/request/$"))
    expect(phone.get_by_label("意向学校")).to_have_value(str(w.schools["fx"].pk))
    expect(phone.get_by_label("住房情况")).to_have_value("owned")
    _check(phone, "03-request-form-390")
    phone.get_by_test_id("request-save").click()
    phone.wait_for_url(re.compile(r"/admissions/requests/\d+/"))
    expect(_message(phone)).to_contain_text("申请已保存为草稿。请上传材料后提交。")
    documents = phone.get_by_test_id("document")
    expect(documents).to_have_count(5)
    _check(phone, "04-request-draft-390")
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(PDF)
    for code in ("unit_form", "hukou", "birth_certificate", "vaccination", "deed"):
        phone.get_by_test_id(f"file-{code}").set_input_files(str(scan))
        phone.get_by_test_id(f"upload-{code}").click()
        expect(_message(phone)).to_contain_text("已上传：")
    expect(phone.get_by_test_id("document-file")).to_have_count(5)
    expect(phone.get_by_test_id("missing")).to_have_count(0)
    phone.get_by_test_id("submit").click()
    expect(_message(phone)).to_contain_text("申请已提交，等待分工会审核。")
    expect(phone.locator("#status")).to_have_text("已提交")
    _check(phone, "05-request-submitted-390")
    request = AdmissionRequest.objects.get()
    assert (request.status, request.documents.count()) == (RequestStatus.SUBMITTED, 5)
    phone.context.close()

    # --- 3. the economics officer checks the documents off and the request ----------------------
    officer = page_open(browser, PHONE, live_server)
    sign_in(officer, "E0099")
    officer.goto(reverse("admissions:requests", args=[w.campaign.pk]) + "?status=submitted")
    rows = officer.get_by_test_id("request-row")
    expect(rows).to_have_count(1)
    expect(rows.get_by_test_id("child")).to_have_text("张*明")
    _check(officer, "06-requests-officer-390")
    rows.get_by_role("link", name=request.number).click()
    officer.wait_for_url(re.compile(rf"/admissions/requests/{request.pk}/$"))
    for code in ("unit_form", "hukou", "birth_certificate", "vaccination", "deed"):
        officer.get_by_test_id(f"check-{code}").click()
        expect(_message(officer)).to_contain_text("已核对：")
    expect(officer.get_by_test_id("document-checked")).to_have_count(5)
    officer.get_by_test_id("check").click()
    expect(_message(officer)).to_contain_text("已审核通过，等待校工会报送学校。")
    expect(officer.locator("#status")).to_have_text("分工会已审核")
    _check(officer, "07-request-checked-390")
    officer.context.close()

    # --- 4. the admissions officer refers it to the school ------------------------------------
    desk = page_open(browser, DESKTOP, live_server)
    sign_in(desk, "admissions")
    desk.goto(reverse("admissions:campaign", args=[w.campaign.pk]))
    _check(desk, "08-campaign-1280", phone=False)
    desk.get_by_test_id("requests-link").click()
    desk.wait_for_url(re.compile(rf"/admissions/{w.campaign.pk}/requests/$"))
    desk.get_by_role("link", name=request.number).click()
    desk.get_by_test_id("refer").click()
    expect(_message(desk)).to_contain_text("已报送学校。")
    expect(desk.locator("#status")).to_have_text("已报送学校")
    # created, five uploads, submitted, checked, referred
    expect(desk.get_by_test_id("event")).to_have_count(request.events.count())
    expect(desk.get_by_test_id("event").last).to_contain_text("已报送学校")
    _check(desk, "09-request-referred-1280", phone=False)
    request.refresh_from_db()
    assert request.status == RequestStatus.REFERRED
    desk.context.close()
    assert BROWSER_ERRORS == []


def test_every_admissions_page_reads_well_at_both_widths(browser, live_server, journey):
    """The office's and the member's admissions pages at 390 and 1280 px (screenshots in
    var/screenshots/admissions/pages/)."""
    w = journey
    line = SurveyLine.objects.get(child=w.kids["xiaoming"])
    office_pages = [
        ("campaigns", reverse("admissions:campaigns")),
        ("campaign", reverse("admissions:campaign", args=[w.campaign.pk])),
        ("survey", reverse("admissions:survey", args=[w.campaign.pk])),
        ("requests", reverse("admissions:requests", args=[w.campaign.pk])),
        ("schools", reverse("admissions:schools")),
        ("rules", reverse("admissions:rules")),
        ("rules-detail", reverse("admissions:rules_detail", args=[w.rules.pk])),
        ("rules-new", reverse("admissions:rules_create")),
        ("notes", reverse("admissions:notes")),
        ("consultations", reverse("admissions:consultations")),
        ("visits", reverse("admissions:visits")),
        ("demand", reverse("admissions:demand") + "?year=2021"),
        ("report", reverse("admissions:report") + "?year=2021"),
    ]
    member_pages = [
        ("mine", reverse("admissions:mine")),
        ("mine-survey", reverse("admissions:mine_survey", args=[line.pk])),
        ("policy", reverse("admissions:policy")),
        ("visits-member", reverse("admissions:visits")),
    ]
    for device, width in ((PHONE, 390), (DESKTOP, 1280)):
        page = page_open(browser, device, live_server)
        sign_in(page, "admissions")
        for name, url in office_pages:
            response = page.goto(url)
            assert response is not None and response.status == 200, url
            _check(page, f"pages/{name}-{width}", phone=width == 390)
        page.context.close()
        page = page_open(browser, device, live_server)
        sign_in(page, "E0001")
        for name, url in member_pages:
            response = page.goto(url)
            assert response is not None and response.status == 200, url
            _check(page, f"pages/{name}-{width}", phone=width == 390)
        page.context.close()
    assert BROWSER_ERRORS == []
