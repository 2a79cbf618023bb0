"""The Content-Security-Policy (issue 11, finding 8): every page carries it, and no template holds
what it would refuse — an inline script, an event handler attribute, htmx's hx-on, a style
attribute, a javascript: link. Behaviour lives in static/js/gonghui.js, looks in the stylesheets.

The browser journeys (tests/browser/) fail on any CSP violation the browser logs."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.charts import loads_echarts
from tests.test_route_access import ROLES, ROUTES, _prepare, world  # noqa: F401 (world is a fixture)

# Response headers and markup, the same on any database: run once, in the SQLite pass (see ./dev).
pytestmark = pytest.mark.once


@pytest.fixture
def university(university_of_module):
    """The conftest's university, built once for this module's cases: each case rolls back to it
    (conftest.py, `university_of_module`)."""
    return university_of_module


# The policy, directive by directive, as every page sends it.
EXPECTED_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
    "base-uri": ["'self'"],
    "object-src": ["'none'"],
}
# The one page with a looser policy (docs/deploy.md): Redoc's API docs inject their styles and
# run their search in a worker made from a blob.
API_DOCS_POLICY = {
    **EXPECTED_POLICY,
    "style-src": ["'self'", "'unsafe-inline'"],
    "worker-src": ["'self'", "blob:"],
}


def policy_of(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy", "")
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def _one_allowed_role(rule) -> str | None:
    """A role that may GET the route (None: anyone, signed out)."""
    if rule.public:
        return None
    return next(role for role in ROLES if role in rule.allowed)


PAGES = sorted(name for name, rule in ROUTES.items() if rule.method == "GET")


def test_there_are_pages_to_check():
    assert len(PAGES) > 100


@pytest.mark.parametrize("name", PAGES)
def test_every_page_carries_the_policy(client, world, name):  # noqa: F811 (world is the fixture)
    rule = ROUTES[name]
    role = _one_allowed_role(rule)
    url, _ = _prepare(name, rule, world)  # the world first: building it may move the clock on
    if role:
        client.force_login(world.users[role])

    response = client.get(url)

    assert response.status_code < 400, f"{name}: {response.status_code}"
    expected = API_DOCS_POLICY if name == "api-docs" else EXPECTED_POLICY
    assert policy_of(response) == expected, name
    header = response.headers["Content-Security-Policy"]
    assert "'unsafe-eval'" not in header
    assert "'unsafe-inline'" not in policy_of(response)["script-src"]
    if response.get("Content-Type", "").startswith("text/html"):
        html = response.content.decode()
        if name != "api-docs":
            assert _findings(name, html, rendered=True) == [], name
        # ECharts is loaded on the pages that chart, and only there
        assert loads_echarts(html) == ("data-chart=" in html), name


def test_echarts_is_not_loaded_where_nothing_is_drawn(client, university):
    client.force_login(university.users["union_office"])
    for url in (reverse("portal:home"), reverse("people:person_list")):
        html = client.get(url).content.decode()
        assert "echarts" not in html and "charts.js" not in html, url


def test_sign_in_refusals_and_error_pages_carry_the_policy(client, university):
    assert policy_of(client.get(reverse("accounts:login"))) == EXPECTED_POLICY
    assert policy_of(client.get("/no-such-page/")) == EXPECTED_POLICY  # 404
    client.force_login(university.users["member"])
    refused = client.get(reverse("people:person_list"))
    assert refused.status_code == 403
    assert policy_of(refused) == EXPECTED_POLICY


def test_the_api_sends_the_policy_too(client, university):
    client.force_login(university.users["union_office"])
    response = client.get(reverse("api-me"))
    assert response.status_code == 200
    assert policy_of(response) == EXPECTED_POLICY


# --- the templates hold nothing the policy refuses --------------------------------------------

ROOT = Path(settings.BASE_DIR)
# Rendered to PDF on the server by WeasyPrint, never sent to a browser: their <style> block is
# the PDF's stylesheet (style attributes are still refused, for one rule everywhere).
PDF_TEMPLATES = re.compile(r"_pdf\.html$")
REFUSED = [
    # a data block (Django's json_script: <script type="application/json">) is not executed
    (
        "inline <script>",
        re.compile(r"<script\b(?![^>]*\bsrc\s*=)(?![^>]*\btype\s*=\s*\"application/json\")[^>]*>", re.IGNORECASE),
    ),
    ("event handler attribute", re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)),
    ("hx-on", re.compile(r"\b(?:data-)?hx-on", re.IGNORECASE)),
    ("style attribute", re.compile(r"\sstyle\s*=", re.IGNORECASE)),
    ("javascript: URL", re.compile(r"javascript:", re.IGNORECASE)),
    # htmx evaluates these as JavaScript: refused with allowEval off
    ("hx-vars", re.compile(r"\b(?:data-)?hx-vars\b", re.IGNORECASE)),
    ("js: value", re.compile(r"""hx-(?:vals|headers)\s*=\s*["']\s*(?:js|javascript):""", re.IGNORECASE)),
]
STYLE_BLOCK = re.compile(r"<style\b", re.IGNORECASE)


def template_files() -> list[Path]:
    dirs = [ROOT / "templates", *sorted((ROOT / "gonghui").glob("*/templates"))]
    return sorted(path for folder in dirs for path in folder.rglob("*.html"))


def _findings(name: str, text: str, rendered: bool = False) -> list[str]:
    """What the policy would refuse in a template (or, `rendered`, in a page as sent: there the
    <style> check is left to the browser journeys, and only inline scripts and attributes count)."""
    found = []
    for what, pattern in REFUSED:
        for match in pattern.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            found.append(f"{name}:{line}: {what}: {match.group(0).strip()}")
    if not rendered and not PDF_TEMPLATES.search(name):
        for match in STYLE_BLOCK.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            found.append(f"{name}:{line}: inline <style> block")
    return found


def test_there_are_templates_to_scan():
    files = template_files()
    assert len(files) > 150
    assert ROOT / "templates" / "base.html" in files


def test_no_template_holds_inline_script_handlers_or_styles():
    findings = [
        finding
        for path in template_files()
        for finding in _findings(str(path.relative_to(ROOT)), path.read_text(encoding="utf-8"))
    ]
    assert findings == [], (
        "the Content-Security-Policy refuses these; move behaviour to static/js/gonghui.js (data- "
        "attributes) and looks to a stylesheet:\n" + "\n".join(findings)
    )


@pytest.mark.parametrize(
    "snippet, what",
    [
        ("<script>alert(1)</script>", "inline <script>"),
        ('<select onchange="this.form.submit()">', "event handler attribute"),
        ('<form hx-on::after-request="x()">', "hx-on"),
        ('<p style="color: red">', "style attribute"),
        ('<a href="javascript:history.back()">', "javascript: URL"),
        ("<style>p { color: red }</style>", "inline <style> block"),
    ],
)
def test_the_scan_finds_what_it_looks_for(snippet, what):
    findings = _findings("probe.html", snippet)
    assert len(findings) == 1 and what in findings[0], findings


def test_the_scan_passes_a_script_file_and_a_pdf_stylesheet():
    assert _findings("probe.html", '<script src="/static/js/gonghui.js" defer></script>') == []
    assert _findings("report_pdf.html", "<style>p { color: red }</style>") == []


def test_json_data_blocks_pass_and_inline_scripts_do_not():
    from django.utils.html import json_script

    block = str(json_script({"categories": ["离退休工作处分工会"], "data": [1]}, "chart-x"))
    assert block.startswith('<script id="chart-x" type="application/json">')
    assert _findings("page.html", block) == []
    assert _findings("page.html", "<script>alert(1)</script>") == ["page.html:1: inline <script>: <script>"]
    assert _findings("page.html", '<script type="module">x()</script>') != []
    assert _findings("page.html", '<script type="text/javascript" data-x="application/json">x()</script>') != []
