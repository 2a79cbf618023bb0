"""The annual report page in a real browser, at a phone's width (390 px) and a desktop's: each
section a card with its figures, ECharts draws its charts under the Content-Security-Policy,
nothing wider than the screen, no console error. Screenshots go to var/screenshots/."""

from __future__ import annotations

import os

import pytest
from django.urls import reverse

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # as tests/browser/conftest.py

from playwright.sync_api import expect, sync_playwright  # noqa: E402

from tests.browser.helpers import (  # noqa: E402
    BROWSER_ERRORS,
    CHROMIUM,
    CHROMIUM_ARGS,
    DESKTOP,
    PHONE,
    SCREENSHOTS,
    no_horizontal_overflow,
    page_open,
    shot,
    sign_in,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def browser():
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium fonts-noto-cjk")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture(autouse=True)
def _password_sign_in_and_no_browser_errors(settings):
    settings.CAS_SERVER_URL = ""
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    settings.CSRF_COOKIE_AGE = None
    BROWSER_ERRORS.clear()
    yield
    errors = list(BROWSER_ERRORS)
    BROWSER_ERRORS.clear()
    assert errors == [], "the browser reported errors:\n" + "\n".join(errors)


@pytest.mark.parametrize(("device", "width"), [(PHONE, 390), (DESKTOP, 1280)])
def test_the_annual_report_on_a_phone_and_a_desktop(browser, live_server, university, sections, device, width):
    page = page_open(browser, device, live_server)
    sign_in(page, university.users["union_office"].username)
    page.goto(reverse("reports:annual") + "?year=2021")

    expect(page.get_by_role("heading", level=1)).to_have_text("示范大学工会 2021 年度工作报告")
    welfare = page.get_by_test_id("section-welfare")
    expect(welfare.get_by_role("heading", name="慰问帮扶")).to_be_visible()
    expect(welfare.get_by_test_id("figure-welfare.amount")).to_have_text("201,025.00 元")
    expect(page.get_by_test_id("figure-welfare.retired_share")).to_have_text("87.50%")
    expect(page.get_by_test_id("figure-culture.participants")).to_have_text("1,383 人")
    charts = page.locator("[data-chart]")
    expect(charts).to_have_count(2)
    for index, kind in enumerate(("pie", "bar")):
        chart = charts.nth(index)
        expect(chart).to_have_attribute("data-chart-drawn", kind)
        box = chart.locator("canvas").bounding_box()
        assert box is not None and box["width"] > 200 and box["height"] > 150
    expect(page.get_by_test_id("export-xlsx")).to_be_visible()
    expect(page.get_by_test_id("export-pdf")).to_be_visible()
    assert no_horizontal_overflow(page)
    shot(page, f"reports-annual-{width}")
    page.context.close()
