"""Practical projects (我为群众办实事) and bulletins (简报) in a real browser, the acceptance of
issue 18: 后勤处's contact person opens the canteen project his unit leads on his phone (390 px),
records a progress entry with a photo, sees it listed with its thumbnail and marks the project
done; the union office ticks it off (销号) with its results (1280 px); then the office starts a
bulletin series and an issue of 2021 whose section quotes `{{ projects.total }}`, previews the
live value, publishes it (the value is frozen: a project registered afterwards leaves the issue
as it was and shows as out of date to the office), and 张伟 reads it among the bulletins on
his phone.

The world is the test university (no demo data) and two projects of 2021's first batch made
through the services (gonghui/projects/tests/conftest.py), the clock at 2021-03-15 10:00.
Screenshots land in var/screenshots/projects/ (not committed)."""

import datetime
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from gonghui.attachments.tests.conftest import png_bytes
from gonghui.people.tests.factories import UniversityUnitFactory
from gonghui.projects.choices import BulletinStatus, ProjectStatus
from gonghui.projects.models import Bulletin, BulletinFigure, PracticalProject, ProgressEntry
from gonghui.projects.services.projects import batch_create
from gonghui.projects.tests.conftest import project_make
from tests.browser.helpers import BROWSER_ERRORS, DESKTOP, PHONE, no_horizontal_overflow, page_open, shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PROGRESS = "完成教工食堂二层后厨改造，新增两条自选餐线，午餐排队时间由二十分钟缩短到五分钟以内。"
RESULTS = "教工食堂改造完成并投入使用，新增自选餐线两条，午餐高峰排队时间缩短到五分钟以内。"
BODY = "今年以来，校工会聚焦教职工急难愁盼，共推进实事项目{{ projects.total }}项，已销号{{ projects.closed_off }}项。"


@pytest.fixture
def journey(clock, university, settings, tmp_path):
    """2021's first batch: the canteen project 后勤处 leads (the journey's) and one 资产处 leads
    (in the year's figures, not on 后勤处's list); both not started."""
    settings.MEDIA_ROOT = str(tmp_path)
    w = university
    w.assets = UniversityUnitFactory(code="ZC", name="资产处")
    w.batch = batch_create(actor=w.users["union_office"], year=2021, number=1)
    w.canteen = project_make(w, batch=w.batch)
    w.housing = project_make(w, title="改善青年教师周转房条件", lead_unit=w.assets, batch=w.batch)
    return w


def _check(page, name, *, phone=True):
    """No sideways scrolling, then a screenshot. On the phone the page is scrolled to its end
    first: the bottom tab bar is fixed and a full-page screenshot draws it where the screen is."""
    assert no_horizontal_overflow(page), f"{page.url} is wider than the device"
    if phone:
        page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    shot(page, f"projects/{name}")


def _message(page):
    return page.locator("article.message")


def _paragraph(page):
    return page.get_by_test_id("bulletin-paper").get_by_test_id("paragraph")


def test_the_lead_unit_reports_on_the_phone_the_office_ticks_off_and_publishes_a_bulletin(
    browser, live_server, journey, tmp_path
):
    w = journey
    canteen = w.canteen

    # --- 1. 后勤处's contact person, on his phone: a progress entry with a photo, then done ------
    phone = page_open(browser, PHONE, live_server)
    sign_in(phone, "unit")
    phone.get_by_test_id("workspace").get_by_role("link", name="实事项目", exact=True).click()
    phone.wait_for_url(re.compile(r"/projects/$"))
    rows = phone.get_by_test_id("project-row")
    expect(rows).to_have_count(1)  # 资产处's project is not his unit's
    expect(rows).to_contain_text("改造教工食堂")
    expect(rows).to_contain_text("未开始")
    _check(phone, "01-unit-list-390")
    rows.get_by_role("link", name=re.compile("改造教工食堂")).click()
    phone.wait_for_url(re.compile(rf"/projects/{canteen.pk}/$"))
    expect(phone.locator("#status")).to_have_text("未开始")
    expect(phone.get_by_test_id("project-facts")).to_contain_text("后勤处")
    expect(phone.get_by_test_id("close-off-form")).to_have_count(0)  # the office's only
    form = phone.get_by_test_id("progress-form")
    expect(form.get_by_label("日期")).to_have_value("2021-03-15")
    form.get_by_label("进展情况").fill(PROGRESS)
    form.get_by_label("本次使用经费（元）").fill("12800.50")
    picture = tmp_path / "食堂改造现场.png"
    picture.write_bytes(png_bytes())
    form.get_by_label("照片或文件").set_input_files(str(picture))
    _check(phone, "02-unit-progress-form-390")
    form.get_by_test_id("progress-save").click()
    phone.wait_for_url(re.compile(rf"/projects/{canteen.pk}/(#progress)?$"))
    expect(_message(phone)).to_have_text("进展已记录。")
    expect(phone.locator("#status")).to_have_text("推进中")  # the first entry starts the project
    entries = phone.get_by_test_id("entry")
    expect(entries).to_have_count(1)
    expect(entries).to_contain_text("2021-03-15")
    expect(entries).to_contain_text(PROGRESS)
    expect(entries).to_contain_text("12,800.50")
    thumb = entries.get_by_test_id("entry-files").locator("img.evidence-thumb")
    expect(thumb).to_have_count(1)
    expect(thumb).to_have_attribute("alt", "食堂改造现场.png")
    thumb.scroll_into_view_if_needed()  # loading="lazy"
    phone.wait_for_function(
        "img => img.complete && img.naturalWidth === 1 && img.naturalHeight === 1", arg=thumb.element_handle()
    )
    expect(phone.get_by_test_id("funds")).to_contain_text("12,800.50")
    _check(phone, "03-unit-progress-listed-390")
    phone.get_by_test_id("step-done").click()
    expect(_message(phone)).to_have_text("项目已完成，教职工可以评价满意度了。")
    expect(phone.locator("#status")).to_have_text("已完成")
    expect(phone.get_by_test_id("project-facts")).to_contain_text("2021-03-15")  # 完成时间
    expect(phone.get_by_test_id("close-off-form")).to_have_count(0)
    expect(phone.get_by_test_id("progress-form")).to_have_count(1)
    _check(phone, "04-unit-done-390")
    phone.context.close()

    canteen.refresh_from_db()
    entry = ProgressEntry.objects.get(project=canteen)
    assert (canteen.status, canteen.done_on) == (ProjectStatus.DONE, datetime.date(2021, 3, 15))
    assert (entry.created_by, str(entry.funds), entry.evidence.count()) == (
        w.users["handling_unit_officer"],
        "12800.50",
        1,
    )
    assert entry.evidence.get().content_type == "image/png"

    # --- 2. the union office, from its to-do, ticks it off (销号) with its results --------------
    desk = page_open(browser, DESKTOP, live_server)
    sign_in(desk, "office")
    todo = desk.get_by_test_id("todo-projects.to_close_off")
    expect(todo.get_by_test_id("todo-count")).to_have_text("1 项")
    todo.click()
    desk.wait_for_url(re.compile(r"/projects/\?status=done$"))
    rows = desk.get_by_test_id("project-row")
    expect(rows).to_have_count(1)  # the done one, waiting to be ticked off
    expect(rows).to_contain_text("已完成")
    _check(desk, "05-office-list-1280", phone=False)
    rows.get_by_role("link", name=re.compile("改造教工食堂")).click()
    desk.wait_for_url(re.compile(rf"/projects/{canteen.pk}/$"))
    close_off = desk.get_by_test_id("close-off-form")
    expect(close_off).to_be_visible()
    close_off.get_by_label("工作成效").fill(RESULTS)
    _check(desk, "06-office-close-off-form-1280", phone=False)
    close_off.get_by_test_id("close-off").click()
    expect(_message(desk)).to_have_text("项目已销号。")
    expect(desk.locator("#status")).to_have_text("已销号")
    expect(desk.get_by_test_id("results")).to_have_text(RESULTS)
    expect(desk.get_by_test_id("project-facts")).to_contain_text("销号日期")
    expect(desk.get_by_test_id("close-off-form")).to_have_count(0)
    expect(desk.get_by_test_id("progress-form")).to_have_count(0)  # no more entries once closed off
    expect(desk.get_by_test_id("event").first).to_contain_text("已销号")
    _check(desk, "07-office-closed-off-1280", phone=False)
    canteen.refresh_from_db()
    assert (canteen.status, canteen.results, canteen.closed_off_on) == (
        ProjectStatus.CLOSED_OFF, RESULTS, datetime.date(2021, 3, 15)
    )  # fmt: skip

    # --- 3. the office composes a bulletin of 2021 quoting the year's figures ------------------
    desk.goto(reverse("projects:bulletins"))
    expect(desk.get_by_test_id("bulletin")).to_have_count(0)
    expect(desk.get_by_test_id("new-bulletin")).to_have_count(0)  # no series yet
    desk.get_by_test_id("new-series").click()
    desk.wait_for_url(re.compile(r"/projects/bulletins/series/new/$"))
    desk.get_by_label("系列名称").fill("我为群众办实事")
    desk.get_by_label("编发单位").fill("校工会办公室")
    desk.get_by_test_id("save").click()
    desk.wait_for_url(re.compile(r"/projects/bulletins/new/\?series=\d+$"))
    expect(_message(desk)).to_have_text("简报系列已建立，可以新建一期简报了。")
    # the series' first issue, today's date and year filled in
    expect(desk.get_by_label("期号")).to_have_value("1")
    expect(desk.get_by_label("日期")).to_have_value("2021-03-15")
    expect(desk.get_by_label("数据年度")).to_have_value("2021")
    desk.get_by_label("标题", exact=True).fill("校工会：")
    desk.get_by_label("副标题").fill("深学细照学党史　携手同心办实事")
    desk.get_by_label("栏目").fill("【工会要闻】")
    _check(desk, "08-office-bulletin-form-1280", phone=False)
    desk.get_by_test_id("save").click()
    desk.wait_for_url(re.compile(r"/projects/bulletins/\d+/$"))
    expect(_message(desk)).to_have_text("简报已建立（草稿）。下一步：添加栏目。")
    bulletin = Bulletin.objects.get()
    assert (bulletin.issue_no, bulletin.figures_year, bulletin.status) == (1, 2021, BulletinStatus.DRAFT)
    expect(desk.locator("#status")).to_have_text("草稿")
    expect(desk.get_by_test_id("title-line")).to_have_text("我为群众办实事（一）——校工会：")
    expect(desk.get_by_test_id("no-sections")).to_be_visible()
    expect(desk.get_by_test_id("publish-blocked")).to_contain_text("简报还没有内容，请先添加栏目。")

    # the picker offers the year's project figures, with their live values
    picker = desk.get_by_test_id("figure-picker")
    total = picker.locator('[data-testid="figure"][data-key="projects.total"]')
    expect(total.get_by_test_id("figure-value")).to_have_text("2项")
    expect(total.get_by_test_id("figure-reference")).to_have_text("{{ projects.total }}")
    closed = picker.locator('[data-testid="figure"][data-key="projects.closed_off"]')
    expect(closed.get_by_test_id("figure-value")).to_have_text("1项")

    section = desk.get_by_test_id("section-form")
    section.get_by_label("小标题").fill("以人为本  关注民生")
    section.get_by_label("正文").fill(BODY)
    section.get_by_role("group", name="报道的项目").get_by_label(re.compile("改造教工食堂")).check()
    section.get_by_test_id("section-save").click()
    desk.wait_for_url(re.compile(rf"/projects/bulletins/{bulletin.pk}/(#section-\d+)?$"))
    expect(_message(desk)).to_have_text("栏目已保存。")

    # the preview: the live values, marked as a draft
    expect(desk.get_by_test_id("watermark")).to_be_visible()
    expect(desk.get_by_test_id("bulletin-paper")).to_contain_text("预览：数据为当前数值，发布时固定。")
    expect(desk.get_by_test_id("section-heading")).to_have_text("以人为本  关注民生")
    expect(_paragraph(desk)).to_have_text("今年以来，校工会聚焦教职工急难愁盼，共推进实事项目2项，已销号1项。")
    pdf = desk.request.get(reverse("projects:bulletin_pdf", args=[bulletin.pk]))
    assert (pdf.status, pdf.headers["content-type"]) == (200, "application/pdf")
    _check(desk, "09-office-bulletin-draft-1280", phone=False)

    # publish: the figures are frozen
    publish = desk.get_by_test_id("publish-button")
    publish.locator("summary").click()
    expect(publish.get_by_role("alertdialog")).to_contain_text("发布后所有人都能看到这期简报")
    publish.get_by_role("button", name="发布").click()
    expect(_message(desk)).to_have_text("简报已发布，引用的数据已按发布时的数值固定。")
    expect(desk.locator("#status")).to_have_text("已发布")
    expect(desk.get_by_test_id("watermark")).to_have_count(0)
    expect(desk.get_by_test_id("section-form")).to_have_count(0)
    frozen = desk.get_by_test_id("frozen-figure")
    expect(frozen).to_have_count(2)
    expect(frozen.get_by_test_id("published-value")).to_have_text(["2项", "1项"])
    expect(frozen.get_by_test_id("stale")).to_have_count(0)
    bulletin.refresh_from_db()
    assert bulletin.status == BulletinStatus.PUBLISHED
    figures = {f.key: (f.year, f.value) for f in BulletinFigure.objects.filter(bulletin=bulletin)}
    assert figures == {"projects.total": (2021, "2"), "projects.closed_off": (2021, "1")}

    # a third project of 2021 registered afterwards: the issue keeps its values
    project_make(w, title="增设教工之家母婴室", batch=w.batch)
    assert PracticalProject.objects.filter(batch__year=2021).count() == 3
    desk.reload()
    expect(_paragraph(desk)).to_have_text("今年以来，校工会聚焦教职工急难愁盼，共推进实事项目2项，已销号1项。")
    moved = frozen.filter(has=desk.get_by_test_id("stale"))
    expect(moved).to_have_count(1)
    expect(moved).to_have_attribute("data-key", "projects.total")
    expect(moved.get_by_test_id("published-value")).to_have_text("2项")
    expect(moved.get_by_test_id("live-value")).to_have_text("3项")
    _check(desk, "10-office-bulletin-published-1280", phone=False)
    desk.goto(reverse("projects:bulletins"))
    expect(desk.get_by_test_id("bulletin")).to_have_count(1)
    expect(desk.get_by_test_id("stale-count")).to_have_text("1 项数据已过时")
    _check(desk, "11-office-bulletins-1280", phone=False)
    desk.context.close()

    # --- 4. 张伟, from his portal, reads it among the bulletins on his phone ---------------------
    member = page_open(browser, PHONE, live_server)
    sign_in(member, "E0001")
    member.get_by_test_id("bulletins").first.click()
    member.wait_for_url(re.compile(r"/projects/bulletins/$"))
    cards = member.get_by_test_id("bulletin")
    expect(cards).to_have_count(1)
    expect(cards).to_contain_text("深学细照学党史　携手同心办实事")
    expect(cards).to_contain_text("校工会办公室 · 2021-03-15")
    expect(member.get_by_test_id("new-series")).to_have_count(0)
    expect(member.get_by_test_id("stale-count")).to_have_count(0)
    _check(member, "12-member-bulletins-390")
    cards.get_by_role("link", name="我为群众办实事（一）——校工会：").click()
    member.wait_for_url(re.compile(rf"/projects/bulletins/{bulletin.pk}/$"))
    expect(member.get_by_test_id("masthead")).to_be_visible()
    expect(member.get_by_test_id("publisher")).to_have_text("校工会办公室")
    expect(member.get_by_test_id("column")).to_have_text("【工会要闻】")
    expect(_paragraph(member)).to_have_text("今年以来，校工会聚焦教职工急难愁盼，共推进实事项目2项，已销号1项。")
    expect(member.get_by_test_id("frozen-figures")).to_have_count(0)
    expect(member.locator("#status")).to_have_count(0)
    _check(member, "13-member-bulletin-390")
    member.context.close()
    assert BROWSER_ERRORS == []
