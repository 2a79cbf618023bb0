"""The site's scripts under the Content-Security-Policy (script-src 'self', no inline script or
style): each behaviour of static/js/gonghui.js in a real browser, htmx without eval, and the API
docs. The autouse fixture in conftest.py fails any test whose pages logged a CSP violation."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import BROWSER_ERRORS, DESKTOP, PASSWORD, page_open, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_api_docs_render_under_their_policy(browser, live_server, university):
    page = page_open(browser, DESKTOP, live_server)
    sign_in(page, "office")
    page.goto("/api/docs/")
    # the schema is generated on the first request: slow on a busy machine
    expect(page.get_by_role("heading", name=re.compile("gonghui API"))).to_be_visible(timeout=60_000)
    page.wait_for_load_state("networkidle")
    # Redoc's side menu always asks for its maker's logo from a CDN: the policy refuses it (no
    # request leaves the campus), and that is the one message this page may log.
    logo = [error for error in BROWSER_ERRORS if "https://cdn.redoc.ly/redoc/logo-mini.svg" in error]
    assert logo
    BROWSER_ERRORS[:] = [error for error in BROWSER_ERRORS if error not in logo]
    page.context.close()


def test_a_code_in_the_link_fills_the_activation_form(browser, live_server, university):
    page = page_open(browser, DESKTOP, live_server)
    page.goto("/accounts/activate/#code=ABCD-EFGH")
    expect(page.get_by_label("验证码")).to_have_value("ABCD-EFGH")
    page.context.close()


def test_a_status_choice_submits_the_filter(browser, live_server, university):
    page = page_open(browser, DESKTOP, live_server)
    sign_in(page, "office")
    page.goto("/insurance/claims/")
    page.locator("select[name=status]").select_option(index=1)
    page.wait_for_url(re.compile(r"/insurance/claims/\?status=\w+$"))
    page.context.close()


def test_the_error_page_goes_back(browser, live_server, university):
    page = page_open(browser, DESKTOP, live_server)
    page.goto("/accounts/login/")
    page.goto("/no-such-page/")
    expect(page.get_by_role("heading", level=1)).to_have_text("页面不存在")
    page.get_by_role("link", name="返回上一页").click()
    page.wait_for_url(re.compile(r"/accounts/login/$"))
    page.context.close()


def test_the_admin_works_under_the_site_policy(browser, live_server, university):
    from gonghui.accounts.models import User

    User.objects.create_superuser(username="root", password=PASSWORD)
    page = page_open(browser, DESKTOP, live_server)
    page.goto("/admin/")
    page.get_by_label("用户名").fill("root")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/admin/$"))
    page.goto("/admin/people/subunion/")
    page.get_by_role("link", name="经济学院分工会", exact=True).click()
    page.wait_for_url(re.compile(r"/admin/people/subunion/\d+/change/$"))
    expect(page.locator("#subunion_form")).to_be_visible()
    page.wait_for_load_state("networkidle")
    page.context.close()
