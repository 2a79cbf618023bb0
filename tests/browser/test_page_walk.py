"""Every page for every role, at 390 px (a phone) and 1280 px (a desk), in chromium; the
member's pages also at 200 % zoom on that phone (195 CSS pixels), as retirees read them.

The pages are the GET routes of tests/test_route_access.py that the role may open (its ROUTES
table names them all, with the objects they show), so a new page joins the walk by being
routed. Each page fails the walk on:
- an error status, a console error or an uncaught exception;
- horizontal scrolling;
- an image or web font that did not load;
- text left untranslated: an English word or a raw code (e.g. `basically_passed`) on a Chinese page;
- a serious or critical violation found by axe-core (vendored in tests/browser/vendor/), on the
  phone for every role and at the desk for the union office.

Downloads (.xlsx, .pdf) and htmx fragments are not documents: only their status is checked.
With GONGHUI_GALLERY=1 (`./dev screenshots`) the walk also saves each page's screenshot for
the reviewers' gallery (tests/browser/gallery.py).
"""

import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Error as PlaywrightError

from gonghui.accounts.models import User
from tests.browser import gallery
from tests.browser.helpers import BROWSER_ERRORS, DESKTOP, PHONE, page_open
from tests.test_route_access import ROLES, ROUTES, _is_api, world  # noqa: F401  (world is a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
# A retiree reading at 200 % zoom on a 390 px phone sees a page 195 CSS pixels wide.
PHONE_AT_200_PERCENT = {**PHONE, "viewport": {"width": 195, "height": 422}, "device_scale_factor": 4}
WIDTHS = {"390": PHONE, "1280": DESKTOP, "195": PHONE_AT_200_PERCENT}
# every role at both widths (the administrator holds the union office's grants and opens the same
# pages: walked once, as the office); the member's pages also at 200 % zoom
WALKED_ROLES = [role for role in ROLES if role != "administrator"]
# the roles that read a few pages of one module (committees, a handling unit) at the phone's width
# only: their desk layout is the union office's, walked at 1280
PHONE_ONLY = {"welfare_committee", "proposals_committee", "handling_unit_officer"}
CASES = [
    (role, width) for role in WALKED_ROLES for width in ("390", "1280") if width == "390" or role not in PHONE_ONLY
] + [("member", "195")]
# axe-core reads the markup and the styles, the same at both widths: it runs on the phone for
# every role, and at the desk for the union office, whose desk pages show the most (the top bar).
AXE_AT_DESK = {"union_office"}
# Routes that are not pages people read: the API's machine-readable schema and its
# third-party reference viewer (test_page_scripts.py checks that one renders).
NOT_PAGES = {"api-schema", "api-docs", "healthz", "favicon", "robots", "accounts:logout"}

# Words in Latin letters that Chinese users read every day, or names: not untranslated text.
# Capitals alone are acronyms and codes (PDF, GBK, a sub-union's ECON), never a sentence.
ALLOWED_WORDS = {
    "Excel",
    "xlsx",
    "pdf",
    "docx",
    "Word",
    "ECharts",
    "gonghui",
    "English",
    "Authorization",
    "Token",
    "Bearer",
}
ENGLISH_WORD = re.compile(r"(?<![A-Za-z0-9_.@/-])[A-Za-z]*[a-z][A-Za-z]*(?![A-Za-z0-9_@/-])")
RAW_CODE = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")

# The visible text of the page, leaving out what is not language: code samples, fields'
# values, and elements marked translate="no" (usernames, staff numbers, file names).
VISIBLE_TEXT = """
() => {
  const skip = "script, style, noscript, code, kbd, samp, pre, textarea, [translate=no], [hidden], [aria-hidden=true]";
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {
    acceptNode(node) {
      const parent = node.parentElement;
      if (!parent || parent.closest(skip)) return NodeFilter.FILTER_REJECT;
      if (!parent.checkVisibility({ visibilityProperty: true })) return NodeFilter.FILTER_REJECT;
      return NodeFilter.FILTER_ACCEPT;
    },
  });
  const parts = [];
  while (walker.nextNode()) parts.push(walker.currentNode.nodeValue);
  for (const el of document.querySelectorAll("[placeholder], [title], [aria-label], img[alt]")) {
    if (el.closest(skip)) continue;
    for (const attr of ["placeholder", "title", "aria-label", "alt"]) {
      if (el.getAttribute(attr)) parts.push(el.getAttribute(attr));
    }
  }
  return parts.join("\\n");
}
"""
BROKEN_MEDIA = """
async () => {
  await document.fonts.ready;
  const images = [...document.images].filter((img) => img.complete && img.naturalWidth === 0).map((img) => img.src);
  const fonts = [...document.fonts].filter((font) => font.status === "error").map((font) => font.family);
  return [...images, ...fonts];
}
"""
AXE_RUN = """
async () => {
  const result = await axe.run(document, { resultTypes: ["violations"] });
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.impact} ${v.id}: ${v.nodes.length}× e.g. ${v.nodes[0].target.join(" ")} — ${v.nodes[0].failureSummary.replace(/\\s+/g, " ")}`);
}
"""
IS_DOCUMENT = "() => !!document.querySelector('head > title') && !!document.querySelector('main')"


def pages_for(role: str, w) -> list[tuple[str, str]]:
    pages = []
    for name, rule in sorted(ROUTES.items()):
        if rule.method != "GET" or _is_api(name) or name in NOT_PAGES:
            continue
        if rule.public or role in rule.allowed:
            pages.append((name, reverse(name, args=rule.args(w))))
    return pages


def untranslated(text: str, data_words: set[str]) -> list[str]:
    """English words and raw codes in `text`; `data_words` are the data's own (usernames are
    identifiers people type, not text to translate)."""
    allowed = ALLOWED_WORDS | data_words
    words = {word for word in ENGLISH_WORD.findall(text) if len(word) >= 3 and word not in allowed}
    return sorted(words | set(RAW_CODE.findall(text)))


def signed_in_page(browser, live_server, user, device):
    """The journeys' page (tests/browser/helpers.py: console errors and CSP violations
    recorded), signed in as `user` by session cookie, with axe-core in every document."""
    client = Client()
    client.force_login(user)
    page = page_open(browser, device, live_server)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    # An init script runs whatever the page's Content-Security-Policy (a script tag would not).
    page.context.add_init_script(AXE)
    return page


# Elements reaching past the device's width: mobile chromium widens the layout to fit them
# (so window.innerWidth grows with the page), hence the comparison with the device's own width.
WIDER_THAN = """
(width) => {
  if (document.documentElement.scrollWidth <= width) return [];
  const clipped = (el) => {
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      if (["auto", "scroll", "hidden", "clip"].includes(getComputedStyle(up).overflowX)) return true;
    }
    return false;
  };
  const wide = [...document.body.querySelectorAll("*")].filter((el) =>
    el.getBoundingClientRect().right > width + 1 && getComputedStyle(el).position !== "fixed" && !clipped(el));
  const innermost = wide.filter((el) => !wide.some((other) => other !== el && el.contains(other)));
  return innermost.slice(0, 3).map((el) => el.tagName.toLowerCase() + (typeof el.className === "string" && el.className.trim() ? "." + el.className.trim().split(/\\s+/).join(".") : "") + " " + Math.round(el.getBoundingClientRect().right) + "px");
}
"""


def check_page(page, url: str, data_words: set[str], width: int, axe: bool = True) -> tuple[list[str], bool]:
    """What is wrong with the page at `url`, and whether it was a document (not a download
    or an htmx fragment)."""
    BROWSER_ERRORS.clear()
    try:
        response = page.goto(url, wait_until="load")
    except PlaywrightError as error:
        if "Download is starting" in str(error):
            return [], False
        raise
    problems = []
    if response is None or response.status >= 400:
        problems.append(f"status {response.status if response else 'none'}")
    if response is not None and "text/html" not in (response.headers.get("content-type") or ""):
        return problems, False
    if not page.evaluate(IS_DOCUMENT):
        return problems + [f"browser: {e}" for e in BROWSER_ERRORS], False
    wide = page.evaluate(WIDER_THAN, width)
    if wide:
        problems.append(f"scrolls sideways past {width} px: {', '.join(wide)}")
    problems += [f"did not load: {item}" for item in page.evaluate(BROKEN_MEDIA)]
    words = untranslated(page.evaluate(VISIBLE_TEXT), data_words)
    if words:
        problems.append(f"untranslated: {', '.join(words[:12])}")
    if axe:
        problems += page.evaluate(AXE_RUN)
    problems += [f"browser: {e}" for e in BROWSER_ERRORS]
    return problems, True


@pytest.mark.parametrize("role,width", CASES)
def test_every_page_reads_well(browser, live_server, world, role, width):  # noqa: F811
    page = signed_in_page(browser, live_server, world.users[role], WIDTHS[width])
    world.qjs.any_stage = True  # one test walks every page: the competition's at one stage
    failures, documents = [], 0
    usernames = set(User.objects.values_list("username", flat=True))
    for name, url in pages_for(role, world):
        axe = width != "1280" or role in AXE_AT_DESK
        problems, is_document = check_page(page, url, usernames, int(width), axe=axe)
        documents += is_document
        if problems:
            failures.append(f"{name} {url}\n    " + "\n    ".join(problems))
        if is_document and os.environ.get("GONGHUI_GALLERY"):
            gallery.record(page, role=role, width=width, name=name, url=url)
    page.context.close()
    BROWSER_ERRORS.clear()  # reported per page above
    assert documents > 0, f"{role} opened no page at all"
    if failures:
        pytest.fail(f"{role} at {width} px, {len(failures)} pages:\n" + "\n".join(failures), pytrace=False)
