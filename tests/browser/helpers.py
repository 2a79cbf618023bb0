"""What the browser journeys share: Debian's chromium, the two device sizes, sign-in and
screenshots (var/screenshots/, not committed, for a human to look at)."""

import re
from pathlib import Path

from django.conf import settings
from playwright.sync_api import Error as PlaywrightError

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


# What the browser reported as wrong while the current test ran: console errors (a refused
# inline script or style under the Content-Security-Policy is one) and uncaught exceptions.
# The autouse fixture in conftest.py empties it before a test and fails the test if it is not
# empty after.
BROWSER_ERRORS: list[str] = []

# Every Content-Security-Policy violation, reported also through the console in case the browser
# does not log one itself (an init script runs before the page's own, whatever its policy).
_REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", function (event) {
  console.error("CSP violation: " + event.violatedDirective + " blocked " + (event.blockedURI || "inline")
    + " at " + event.sourceFile + ":" + event.lineNumber);
});
"""
# A page the test visits on purpose that answers 4xx (a refusal, a missing object) logs
# "Failed to load resource" for the document itself; that is what the test checks, not a fault.
_DELIBERATE_REFUSAL = re.compile(r"^Failed to load resource: the server responded with a status of 4\d\d")


def _console_error(message):
    if message.type != "error":
        return
    url = (message.location or {}).get("url", "")
    if _DELIBERATE_REFUSAL.match(message.text) and "/static/" not in url:
        return
    BROWSER_ERRORS.append(f"console: {message.text} ({url})")


def page_open(browser, device, live_server):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", **device)
    context.set_default_timeout(15_000)
    context.add_init_script(_REPORT_CSP_VIOLATIONS)
    page = context.new_page()
    watch_errors(page)
    return page


def watch_errors(page):
    """Record the page's console errors and uncaught exceptions in BROWSER_ERRORS (page_open
    does this; a test that opens a page of its own calls it)."""
    page.on("console", _console_error)
    page.on("pageerror", lambda error: BROWSER_ERRORS.append(f"exception: {error}"))


def sign_in(page, username, screenshot=""):
    page.goto("/accounts/login/")
    if screenshot:
        shot(page, screenshot)
    page.get_by_label("工号 / 用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/$"))


def shot(page, name):
    screenshot(page, SCREENSHOTS / f"{name}.png")


def screenshot(page, path):
    """A full-page screenshot for people to look at. Chromium now and then fails to capture one
    ("Unable to capture screenshot") with nothing wrong on the page: it is taken again."""
    for attempt in range(3):
        try:
            # caret="initial": Playwright would hide the caret with a style="" on every field,
            # which htmx then copies into what it swaps in, and the CSP refuses
            page.screenshot(path=str(path), full_page=True, caret="initial")
            return
        except PlaywrightError as error:
            if "Unable to capture screenshot" not in str(error) or attempt == 2:
                raise
            page.wait_for_timeout(500)


def no_horizontal_overflow(page):
    """The page is no wider than the device. Mobile chromium widens its layout viewport to fit
    a wide page (window.innerWidth grows with it), so the device's own width is the measure."""
    width = (page.viewport_size or {}).get("width") or page.evaluate("window.innerWidth")
    # Measured once the fonts are in and layout has settled: a date field just filled, or a
    # web font still loading, can leave a transient wider frame that no one would see.
    page.evaluate("document.fonts.ready.then(() => new Promise(r => requestAnimationFrame(() => r())))")
    for _ in range(10):
        if page.evaluate("document.documentElement.scrollWidth") <= width:
            return True
        page.wait_for_timeout(200)
    wide = page.evaluate(
        """(width) => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > width + 1)
            .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))""",
        width,
    )
    print("wider than the device:", wide)
    return False
