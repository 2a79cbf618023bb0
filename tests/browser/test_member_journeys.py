"""Member and officer journeys in a real browser: Debian's chromium driven by Playwright
against pytest-django's live server, on a 390 px phone and on a 1280 px desktop.

Screenshots land in var/screenshots/ (not committed) for a human to look at."""

import os
import re
from pathlib import Path

import pytest
from django.conf import settings

# Playwright's sync API runs an event loop in this thread; the ORM calls the fixtures make
# here are still synchronous and safe (pytest-django's documented set-up for Playwright).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from playwright.sync_api import expect, sync_playwright  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--disable-quic", "--no-first-run",
]
PASSWORD = "pass-1234!"  # user_make's default
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def browser():
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"{CHROMIUM} is missing: the browser tests drive Debian's chromium. "
            "Run ./dev test (it installs it) or: apt-get install chromium fonts-noto-cjk"
        )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture(autouse=True)
def _password_sign_in_only(settings):
    settings.CAS_SERVER_URL = ""


def _page(browser, device, live_server):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", **device)
    context.set_default_timeout(15_000)
    return context.new_page()


def _sign_in(page, username, screenshot=""):
    page.goto("/accounts/login/")
    if screenshot:
        _shot(page, screenshot)
    page.get_by_label("工号 / 用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/$"))


def _shot(page, name):
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def _no_horizontal_overflow(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _listed_names(page):
    return sorted(page.locator("#person-table tbody tr td:first-child a").all_inner_texts())


def test_member_sees_portal_and_masked_profile_on_a_phone(browser, live_server, university):
    page = _page(browser, PHONE, live_server)

    _sign_in(page, "E0001", screenshot="login-390")

    expect(page.get_by_role("heading", level=1)).to_have_text("张伟，您好")
    expect(page.get_by_text("我的会籍", exact=True)).to_be_visible()
    assert _no_horizontal_overflow(page)
    _shot(page, "member-home-390")

    page.get_by_role("link", name="我的资料").click()
    page.wait_for_url(re.compile(r"/me/$"))
    masked = university.zhang.id_number_masked
    assert re.fullmatch(r"110105\*{8}\d{3}[\dX]", masked)
    expect(page.get_by_test_id("id-number")).to_have_text(masked)
    expect(page.get_by_test_id("profile")).to_contain_text("E0001")
    html = page.content()
    assert university.zhang.id_number_clear() not in html
    assert university.zhang.id_number_clear()[6:14] not in html  # not even the birth-date digits
    assert _no_horizontal_overflow(page)
    _shot(page, "member-profile-390")
    page.context.close()


@pytest.mark.parametrize("device_name", ["desktop-1280", "phone-390"])
def test_officer_sees_only_their_sub_union_and_finds_by_initials(browser, live_server, university, device_name):
    page = _page(browser, DESKTOP if device_name.startswith("desktop") else PHONE, live_server)
    _sign_in(page, "E0099")

    page.get_by_role("link", name="人员", exact=True).first.click()
    page.wait_for_url(re.compile(r"/people/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("人员名单")

    # econ and its group: 张伟, 陈静 (econ) and 李娜 (econ group); not law's 王芳 nor the retirees' 赵强
    assert _listed_names(page) == sorted(["张伟", "李娜", "陈静"])
    expect(page.get_by_test_id("result-count")).to_have_text("共 3 人")
    assert "王芳" not in page.content()
    assert _no_horizontal_overflow(page)
    _shot(page, f"officer-people-{device_name}")

    page.get_by_role("searchbox").fill("zw")
    expect(page.get_by_test_id("result-count")).to_have_text("共 1 人")
    assert _listed_names(page) == ["张伟"]
    assert "q=zw" in page.url
    _shot(page, f"officer-search-zw-{device_name}")
    page.context.close()


def test_union_office_people_list_is_usable_on_a_phone(browser, live_server, university):
    page = _page(browser, PHONE, live_server)
    _sign_in(page, "office")

    page.goto("/people/")
    expect(page.get_by_test_id("result-count")).to_have_text("共 5 人")
    assert _listed_names(page) == sorted(["张伟", "李娜", "王芳", "赵强", "陈静"])

    # the wide table scrolls inside its wrapper; the page itself does not scroll sideways
    assert _no_horizontal_overflow(page)
    wrap = page.locator(".table-wrap")
    overflow_x = wrap.evaluate("el => getComputedStyle(el).overflowX")
    assert overflow_x == "auto"
    assert wrap.evaluate("el => el.scrollWidth > el.clientWidth")
    assert wrap.evaluate("el => el.getBoundingClientRect().right") <= 390
    _shot(page, "office-people-390")

    page.get_by_role("link", name="王芳").click()
    page.wait_for_url(re.compile(r"/people/\d+/"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("王芳")
    assert _no_horizontal_overflow(page)
    _shot(page, "office-person-detail-390")

    page.goto("/people/sub-unions/")
    expect(page.get_by_role("link", name="经济学院分工会")).to_be_visible()
    assert _no_horizontal_overflow(page)
    _shot(page, "office-subunions-390")
    page.get_by_role("link", name="经济学院分工会").click()
    page.wait_for_url(re.compile(r"/people/sub-unions/\d+/"))
    assert _no_horizontal_overflow(page)
    _shot(page, "office-subunion-detail-390")
    page.context.close()
