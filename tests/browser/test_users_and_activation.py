"""Users and roles, and the officers' activation slips, in a real browser at 390 and 1280 px.

The slips are cards (one per person: name, staff number, code, expiry, how to activate): one
column on a phone, several on a desktop, two columns on A4 when printed, without the site's bar."""

import re

import pytest
from playwright.sync_api import expect

from gonghui.accounts.models import RoleAssignment
from gonghui.people.tests.factories import person_make
from tests.browser.helpers import DESKTOP, PHONE, SCREENSHOTS, no_horizontal_overflow, page_open, shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEVICES = {"desktop-1280": DESKTOP, "phone-390": PHONE}
NEWCOMERS = ["周敏", "吴刚", "郑丽", "冯军", "陈晨", "褚红", "卫东"]


def _columns(page, selector: str) -> int:
    """How many grid columns the element lays out."""
    return page.evaluate(
        f"getComputedStyle(document.querySelector('{selector}')).gridTemplateColumns.split(' ').length"
    )


@pytest.mark.parametrize("device_name", sorted(DEVICES))
def test_the_office_gives_a_role_on_the_users_page(browser, live_server, university, device_name):
    page = page_open(browser, DEVICES[device_name], live_server)
    sign_in(page, "office")
    page.get_by_role("link", name="用户与角色").click()
    page.wait_for_url(re.compile(r"/accounts/users/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("用户与角色")
    expect(page.get_by_test_id("result-count")).to_have_text("共 10 个账号")
    page.get_by_role("searchbox").fill("张伟")
    expect(page.get_by_test_id("result-count")).to_have_text("共 1 个账号")
    assert no_horizontal_overflow(page)
    shot(page, f"users-list-{device_name}")

    # the search box's htmx requests settle before the row is followed (a late swap would
    # replace the link under the click)
    page.wait_for_load_state("networkidle")
    page.get_by_role("link", name="E0001").click()
    page.wait_for_url(re.compile(r"/accounts/users/\d+/$"))
    page.get_by_test_id("grant").locator("summary").click()
    page.locator("#id_role").select_option(label="分工会干部")
    page.locator("#id_sub_union").select_option(label="经济学院第一工会小组")
    page.get_by_role("button", name="授予", exact=True).click()
    expect(page.locator(".message.success")).to_have_text("已授予角色：分工会干部（经济学院第一工会小组）")
    expect(page.get_by_test_id("roles")).to_contain_text("分工会干部（经济学院第一工会小组）")
    expect(page.get_by_test_id("history")).to_contain_text("授予角色：分工会干部（经济学院第一工会小组）")
    assert no_horizontal_overflow(page)
    shot(page, f"user-detail-{device_name}")

    # an unscoped role with a scope: refused, with the reason, and nothing written
    before = RoleAssignment.objects.count()
    page.get_by_test_id("grant").locator("summary").click()
    page.locator("#id_role").select_option(label="审计")
    page.locator("#id_sub_union").select_option(label="经济学院分工会")
    page.get_by_role("button", name="授予", exact=True).click()
    expect(page.locator(".message.error")).to_have_text("“审计”是全校范围的角色，不能指定分工会或承办单位。")
    assert RoleAssignment.objects.count() == before
    page.context.close()


@pytest.mark.parametrize("device_name", sorted(DEVICES))
def test_an_officer_prints_activation_slips(browser, live_server, university, clock, device_name):
    for n, name in enumerate(NEWCOMERS):
        person_make(staff_no=f"E01{n:02d}", name=name, sub_union=university.econ)
    page = page_open(browser, DEVICES[device_name], live_server)
    sign_in(page, "E0099")
    page.goto("/accounts/activation/")
    expect(page.get_by_test_id("activation-counts")).to_contain_text("未开通 8 人，已开通 2 人")
    assert "王芳" not in page.content()  # law's
    assert no_horizontal_overflow(page)
    shot(page, f"activation-sheet-{device_name}")

    page.get_by_label("全选本页").check()
    page.get_by_role("button", name="为所选人员发放验证码").click()
    slips = page.get_by_test_id("code-slip")
    expect(slips).to_have_count(8)
    first = slips.filter(has_text="李娜")
    expect(first).to_have_count(1)
    expect(first).to_contain_text("E0002")
    expect(first.get_by_test_id("slip-code")).to_have_text(re.compile(r"^[A-Z2-9]{4}-[A-Z2-9]{4}$"))
    expect(first.get_by_test_id("slip-expiry")).to_have_text("2021年4月14日")
    expect(first).to_contain_text(f"{live_server.url}/accounts/activate/")
    assert no_horizontal_overflow(page)
    columns = _columns(page, ".code-slips")
    assert columns == 1 if device_name.startswith("phone") else columns >= 3
    shot(page, f"activation-slips-{device_name}")

    page.emulate_media(media="print")
    assert _columns(page, ".code-slips") == 2
    expect(page.locator("header.topbar")).to_be_hidden()
    expect(page.get_by_test_id("print")).to_be_hidden()
    if device_name.startswith("desktop"):
        pdf = page.pdf(path=str(SCREENSHOTS / "activation-slips-a4.pdf"), format="A4", print_background=True)
        assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1  # the 8 slips fit on one A4 sheet
        page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
        shot(page, "activation-slips-print-a4")
    page.context.close()
