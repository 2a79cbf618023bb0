"""What the browser journeys share: Debian's chromium, the two device sizes, sign-in and
screenshots (var/screenshots/, not committed, for a human to look at)."""

import re
from pathlib import Path

from django.conf import settings

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
PASSWORD = "pass-1234!"  # user_make's default
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}


def page_open(browser, device, live_server):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", **device)
    context.set_default_timeout(15_000)
    return context.new_page()


def sign_in(page, username, screenshot=""):
    page.goto("/accounts/login/")
    if screenshot:
        shot(page, screenshot)
    page.get_by_label("工号 / 用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/$"))


def shot(page, name):
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def no_horizontal_overflow(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
