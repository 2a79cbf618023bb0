"""Mentorship pairing (拜师结对) in a real browser, the acceptance of issue 16: the new teacher
赵青 logs an observed lesson (听课) on her phone (390 px); economics' college officer confirms it
on the duties page; the union office (1280 px) sees the counter move on the cohort's board and
on the pair's page. Then every mentorship page of the office is read at both widths (no
sideways scrolling, nothing left untranslated, no console error).

The cohort is that of gonghui/mentorship/tests/factories.py (第八期 running since the ceremony
on 2021-03-12). Screenshots land in var/screenshots/mentorship/ (not committed)."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from gonghui.accounts.models import User
from gonghui.mentorship.choices import DutyKind, DutyStatus
from gonghui.mentorship.models import DutyLog
from gonghui.mentorship.tests.factories import mentorship_world, through
from tests.browser.helpers import BROWSER_ERRORS, DESKTOP, PHONE, no_horizontal_overflow, page_open, shot, sign_in
from tests.browser.test_page_walk import check_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def journey(clock, university, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return through(mentorship_world(university), "running")


def _check(page, name, *, phone=True):
    assert no_horizontal_overflow(page), f"{page.url} is wider than the device"
    if phone:
        page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    shot(page, f"mentorship/{name}")


def _message(page):
    return page.locator("article.message")


def test_a_mentee_logs_a_lesson_on_the_phone_the_college_confirms_and_the_office_sees_it(browser, live_server, journey):
    w = journey
    pair = w.pairs["赵青"]
    cohort = w.cohort

    # --- 1. 赵青 logs an observed lesson on her phone -------------------------------------
    phone = page_open(browser, PHONE, live_server)
    sign_in(phone, "E2001")
    phone.get_by_test_id("mentorship").first.click()
    phone.wait_for_url(re.compile(r"/mentorship/mine/$"))
    card = phone.get_by_test_id("my-pair")
    expect(card).to_have_count(1)
    expect(card.locator("h2")).to_have_text("我是青年教师 · 孙教授")
    expect(phone.get_by_test_id("counter-observation-value")).to_have_text("0 / 8")
    _check(phone, "01-mine-390")
    card.get_by_test_id("log-link").click()
    phone.wait_for_url(re.compile(rf"/mentorship/mine/pairs/{pair.pk}/log/$"))
    expect(phone.locator("h1")).to_have_text("记录履职")
    phone.locator("label.form-selectgroup-item").filter(has_text="听课").click()
    phone.get_by_label("日期").fill("2021-03-15")
    phone.get_by_label("学时").fill("2")
    phone.get_by_label("课程或主题").fill("宏观经济学")
    phone.get_by_label("记录").fill("第三章 货币政策")
    _check(phone, "02-log-form-390")
    phone.get_by_test_id("log-submit").click()
    phone.wait_for_url(re.compile(r"/mentorship/mine/$"))
    expect(_message(phone)).to_contain_text("已记录，等待学院确认。")
    expect(phone.get_by_test_id("counter-observation-value")).to_have_text("0 / 8 （待确认 1）")
    expect(phone.get_by_test_id("my-duty")).to_have_count(1)
    _check(phone, "03-mine-logged-390")
    duty = DutyLog.objects.get()
    assert (duty.kind, duty.course, duty.status, duty.logged_by) == (
        DutyKind.OBSERVATION, "宏观经济学", DutyStatus.LOGGED, w.zhao
    )  # fmt: skip
    phone.context.close()

    # --- 2. the economics officer confirms it -----------------------------------------------
    officer = page_open(browser, PHONE, live_server)
    sign_in(officer, "E0099")
    officer.goto(reverse("mentorship:detail", args=[cohort.pk]))
    officer.get_by_test_id("duties-link").click()
    officer.wait_for_url(re.compile(rf"/mentorship/{cohort.pk}/duties/$"))
    rows = officer.get_by_test_id("duty")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("宏观经济学")
    _check(officer, "04-duties-officer-390")
    rows.get_by_test_id("duty-confirm").click()
    expect(_message(officer)).to_contain_text("已确认：2021-03-15 听课 宏观经济学。")
    expect(officer.get_by_test_id("duty")).to_have_count(0)
    _check(officer, "05-duties-confirmed-390")
    duty.refresh_from_db()
    assert duty.status == DutyStatus.CONFIRMED
    officer.context.close()

    # --- 3. the office sees the counter move ------------------------------------------------
    desk = page_open(browser, DESKTOP, live_server)
    sign_in(desk, "office")
    desk.goto(reverse("mentorship:detail", args=[cohort.pk]))
    econ = desk.locator('[data-testid="board-row"][data-college="ECON"]')
    expect(econ.get_by_test_id("board-observation")).to_have_text("1 / 16")
    expect(econ.get_by_test_id("board-active")).to_have_text("2")
    _check(desk, "06-cohort-board-1280", phone=False)
    desk.get_by_role("link", name="赵青").click()
    desk.wait_for_url(re.compile(rf"/mentorship/pairs/{pair.pk}/$"))
    expect(desk.get_by_test_id("year-1-observation")).to_have_text("1 / 8")
    expect(desk.get_by_test_id("duty")).to_contain_text("已确认")
    _check(desk, "07-pair-1280", phone=False)
    desk.context.close()
    assert BROWSER_ERRORS == []


def test_every_mentorship_page_reads_well_at_both_widths(browser, live_server, journey):
    """The office's and the participants' mentorship pages at 390 and 1280 px (screenshots in
    var/screenshots/mentorship/pages/)."""
    w = journey
    pair = w.pairs["赵青"]
    from gonghui.mentorship.services import duties

    duties.duty_log(
        actor=w.users["mentee"],
        pair=pair,
        kind=DutyKind.OBSERVATION,
        held_on=pair.started_on,
        course="宏观经济学",
        hours=2,
    )
    office_pages = [
        ("list", reverse("mentorship:list")),
        ("create", reverse("mentorship:create")),
        ("rules", reverse("mentorship:rules")),
        ("rules-detail", reverse("mentorship:rules_detail", args=[w.rules.pk])),
        ("detail", reverse("mentorship:detail", args=[w.cohort.pk])),
        ("matching", reverse("mentorship:matching", args=[w.cohort.pk])),
        ("stipends", reverse("mentorship:stipends", args=[w.cohort.pk])),
        ("propose", reverse("mentorship:propose", args=[w.cohort.pk])),
        ("duties", reverse("mentorship:duties", args=[w.cohort.pk])),
        ("pairs", reverse("mentorship:pairs")),
        ("pair", reverse("mentorship:pair", args=[pair.pk])),
    ]
    mentee_pages = [
        ("mine", reverse("mentorship:mine")),
        ("log", reverse("mentorship:duty_log", args=[pair.pk])),
    ]
    usernames = set(User.objects.values_list("username", flat=True))
    failures = []
    for who, pages in (
        ("office", office_pages),
        ("E2001", mentee_pages),
        ("E0099", office_pages[:1] + office_pages[4:5]),
    ):
        for width, device in (("390", PHONE), ("1280", DESKTOP)):
            page = page_open(browser, device, live_server)
            sign_in(page, who)
            for name, url in pages:
                problems, _document = check_page(page, url, usernames, int(width), axe=False)
                if problems:
                    failures.append(f"{who} {name} {width}: {problems}")
                shot(page, f"mentorship/pages/{who}-{name}-{width}")
            page.context.close()
    BROWSER_ERRORS.clear()
    assert failures == [], "\n".join(failures)
