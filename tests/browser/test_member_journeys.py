"""Member and officer journeys in a real browser: Debian's chromium driven by Playwright
against pytest-django's live server, on a 390 px phone and on a 1280 px desktop.

Screenshots land in var/screenshots/ (not committed) for a human to look at."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import DESKTOP, PHONE, no_horizontal_overflow, page_open, shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _listed_names(page):
    return sorted(page.locator("#person-table tbody tr td:first-child a").all_inner_texts())


def test_member_sees_portal_and_masked_profile_on_a_phone(browser, live_server, university):
    page = page_open(browser, PHONE, live_server)

    sign_in(page, "E0001", screenshot="login-390")

    expect(page.get_by_role("heading", level=1)).to_have_text("张伟（会员）您好")
    expect(page.get_by_text("我的会籍", exact=True)).to_be_visible()
    assert no_horizontal_overflow(page)
    shot(page, "member-home-390")

    page.get_by_role("link", name="我的资料").click()
    page.wait_for_url(re.compile(r"/me/$"))
    masked = university.zhang.id_number_masked
    assert re.fullmatch(r"110105\*{8}\d{3}[\dX]", masked)
    expect(page.get_by_test_id("id-number")).to_have_text(masked)
    expect(page.get_by_test_id("profile")).to_contain_text("E0001")
    html = page.content()
    assert university.zhang.id_number_clear() not in html
    assert university.zhang.id_number_clear()[6:14] not in html  # not even the birth-date digits
    assert no_horizontal_overflow(page)
    shot(page, "member-profile-390")
    page.context.close()


@pytest.mark.parametrize("device_name", ["desktop-1280", "phone-390"])
def test_officer_sees_only_their_sub_union_and_finds_by_initials(browser, live_server, university, device_name):
    page = page_open(browser, DESKTOP if device_name.startswith("desktop") else PHONE, live_server)
    sign_in(page, "E0099")

    page.get_by_role("link", name="人员", exact=True).first.click()
    page.wait_for_url(re.compile(r"/people/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("人员名单")

    # econ and its group: 张伟, 陈静 (econ) and 李娜 (econ group); not law's 王芳 nor the retirees' 赵强
    assert _listed_names(page) == sorted(["张伟", "李娜", "陈静"])
    expect(page.get_by_test_id("result-count")).to_have_text("共 3 人")
    assert "王芳" not in page.content()
    assert no_horizontal_overflow(page)
    shot(page, f"officer-people-{device_name}")

    page.get_by_role("searchbox").fill("zw")
    expect(page.get_by_test_id("result-count")).to_have_text("共 1 人")
    assert _listed_names(page) == ["张伟"]
    assert "q=zw" in page.url
    shot(page, f"officer-search-zw-{device_name}")
    page.context.close()


def test_union_office_people_list_is_usable_on_a_phone(browser, live_server, university):
    page = page_open(browser, PHONE, live_server)
    sign_in(page, "office")

    page.goto("/people/")
    expect(page.get_by_test_id("result-count")).to_have_text("共 5 人")
    assert _listed_names(page) == sorted(["张伟", "李娜", "王芳", "赵强", "陈静"])

    # the wide table scrolls inside its wrapper; the page itself does not scroll sideways
    assert no_horizontal_overflow(page)
    wrap = page.locator(".table-wrap")
    overflow_x = wrap.evaluate("el => getComputedStyle(el).overflowX")
    assert overflow_x == "auto"
    assert wrap.evaluate("el => el.scrollWidth > el.clientWidth")
    assert wrap.evaluate("el => el.getBoundingClientRect().right") <= 390
    shot(page, "office-people-390")

    page.get_by_role("link", name="王芳").click()
    page.wait_for_url(re.compile(r"/people/\d+/"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("王芳")
    assert no_horizontal_overflow(page)
    shot(page, "office-person-detail-390")

    page.goto("/people/sub-unions/")
    expect(page.get_by_role("link", name="经济学院分工会")).to_be_visible()
    assert no_horizontal_overflow(page)
    shot(page, "office-subunions-390")
    page.get_by_role("link", name="经济学院分工会").click()
    page.wait_for_url(re.compile(r"/people/sub-unions/\d+/"))
    assert no_horizontal_overflow(page)
    shot(page, "office-subunion-detail-390")
    page.context.close()
