"""Browser fixtures: one chromium per module, password sign-in only (no CAS button)."""

import os

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls the fixtures make
# here are still synchronous and safe (pytest-django's documented set-up for Playwright).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.browser.helpers import BROWSER_ERRORS, CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS  # noqa: E402


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
    # Cookies that last as long as the browser: a test on a pinned clock (the `clock` fixture)
    # would otherwise set expiry dates that the real browser already sees as past.
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    settings.CSRF_COOKIE_AGE = None


@pytest.fixture(autouse=True)
def _no_browser_errors():
    """Fail a journey whose pages logged a console error or threw: a script or style refused by
    the Content-Security-Policy shows up here, as does a broken script."""
    BROWSER_ERRORS.clear()
    yield
    errors = list(BROWSER_ERRORS)
    BROWSER_ERRORS.clear()
    assert errors == [], "the browser reported errors:\n" + "\n".join(errors)
