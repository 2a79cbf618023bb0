"""The young teachers' teaching competition (青教赛) in a real browser, the acceptance of issue 15:
judge1, the chief judge of 人文科学类A组, scores 周四 on his phone (390 px) — from the card on
his home page to the panel, the sheet with its criteria, the scores saved as he types, a
correction made while the connection is down (未同步, then saved when it is back), the review
and the submission; the union office (1280 px) closes the scoring, publishes the award list
and, the publicity period over, releases the results on the edition's page; 赵一 reads his
own scores on his phone, downloads his certificate, and its QR code's verification page opens
for someone not signed in.

The edition and the other judges' sheets are those of gonghui/competitions/tests/factories.py
(SCORES; judge1's sheet of 周四 is the one scored here). Screenshots land in
var/screenshots/competitions/ (not committed)."""

import datetime
import json
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from gonghui.competitions.choices import CompetitionStatus, SheetStatus
from gonghui.competitions.models import Award, Certificate, PartScore, ScoreSheet
from gonghui.competitions.tests.factories import (
    EXPECTED_FINAL,
    SCORES,
    aware,
    competition_world,
    sheets_submit,
    through,
)
from tests.browser.helpers import BROWSER_ERRORS, DESKTOP, PHONE, no_horizontal_overflow, page_open, shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "第三届青年教师教学基本功比赛"
CARD = f"{TITLE} · 人文科学类A组"
# judge1's scores of 周四 (factories.SCORES): typed with the classroom score wrong (67), which
# he corrects to 69 while the connection is down.
TYPED = {"design": "17", "classroom": "67", "reflection": "4"}
CORRECTED = "69"
# What the browser logs when a save is attempted with the connection down: the point of the
# offline step, not a fault of the page.
OFFLINE_FETCH = re.compile(r"^console: Failed to load resource: net::ERR_INTERNET_DISCONNECTED")


@pytest.fixture
def journey(clock, university, settings, tmp_path):
    """The factories' edition being scored (2021-03-26 09:00, the clock ticking on: time-machine
    moves the live server's clock too, it runs in this process), every sheet submitted through
    the services but judge1's of 周四."""
    settings.MEDIA_ROOT = str(tmp_path)
    w = competition_world(university)
    through(w, clock, "scoring")
    for name, by_judge in SCORES.items():
        sheets_submit(
            w.entries[name],
            {w.judges[judge]: scores for judge, scores in by_judge.items() if (name, judge) != ("zhou", "judge1")},
        )
    return w


def _check(page, name, *, phone=True):
    """No page-level horizontal scrolling, then a screenshot (on the phone scrolled to the end
    first, so that the fixed tab bar covers nothing)."""
    assert no_horizontal_overflow(page), f"{page.url} is wider than the device"
    if phone:
        page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    shot(page, f"competitions/{name}")


def _message(page):
    return page.locator("article.message")


def _unsent(page, judge, entry) -> dict:
    """The scores the sheet's script keeps in the browser until the server has saved them."""
    return json.loads(page.evaluate(f"localStorage.getItem('gonghui:scoresheet:{judge.pk}-{entry.pk}') || '{{}}'"))


def _saved(sheet) -> dict[str, Decimal]:
    return dict(PartScore.objects.filter(sheet=sheet).values_list("part__code", "score"))


def test_a_judge_scores_on_the_phone_the_office_releases_and_the_winner_gets_the_certificate(
    browser, live_server, journey, clock
):
    w = journey
    judge = w.judges["judge1"]
    zhou = w.entries["zhou"]
    competition = w.competition
    assert ScoreSheet.objects.filter(entry__competition=competition, status=SheetStatus.SUBMITTED).count() == 12
    assert not ScoreSheet.objects.filter(judge=judge, entry=zhou).exists()

    # --- 1. judge1 scores 周四 on his phone --------------------------------------------------
    phone = page_open(browser, PHONE, live_server)
    sign_in(phone, "judge1")
    card = phone.locator("article.service-card").filter(has_text=CARD)
    expect(card).to_have_count(1)
    expect(card).to_contain_text("待评分 1 人，已提交 2 人")
    _check(phone, "01-judge-portal-390")
    card.get_by_role("link", name="评分").click()
    phone.wait_for_url(re.compile(rf"/competitions/judging/{judge.pk}/$"))
    expect(phone.locator("h1")).to_have_text("人文科学类A组")
    expect(phone.get_by_test_id("counts")).to_have_text("待评分 1 人，已提交 2 人，回避 0 人")
    rows = phone.get_by_test_id("queue-row")
    expect(rows).to_have_count(3)
    expect(rows.filter(has_text="周四")).to_have_attribute("data-state", "todo")
    expect(rows.filter(has_text="赵一")).to_have_attribute("data-state", "submitted")
    expect(rows.filter(has_text="钱二")).to_have_attribute("data-state", "submitted")
    _check(phone, "02-judge-queue-390")

    rows.filter(has_text="周四").get_by_role("link", name="周四").click()
    phone.wait_for_url(re.compile(rf"/competitions/judging/{judge.pk}/entries/{zhou.pk}/$"))
    expect(phone.locator("h1")).to_have_text("周四")
    expect(phone.get_by_test_id("lesson-drawn")).to_contain_text(f"教案 {zhou.lesson_drawn}")
    parts = phone.get_by_test_id("part")
    expect(parts).to_have_count(3)
    expect(parts.locator("legend")).to_have_text(["教学设计 满分 20", "课堂教学 满分 75", "教学反思 满分 5"])
    expect(phone.get_by_test_id("criteria")).to_have_text(
        ["教学目标明确，内容安排合理", "讲授准确清晰，组织有序", "思路清晰，联系实际"]
    )
    _check(phone, "03-sheet-empty-390")

    # each score is saved as it is typed (and again as the field is left: the script's "change"),
    # the last field left before anything else happens: on the tests' SQLite two saves at once
    # would lock the database
    state = phone.get_by_test_id("sync-state")
    for code, value in TYPED.items():
        phone.locator(f"#score-{code}").fill(value)
    phone.locator("#score-reflection").blur()
    expect(state).to_have_attribute("data-state", "saved")
    expect(state).to_have_text(re.compile(r"^已保存：\d\d:\d\d:\d\d$"))
    sheet = ScoreSheet.objects.get(judge=judge, entry=zhou)
    assert sheet.status == SheetStatus.DRAFT
    assert _saved(sheet) == {"design": Decimal("17"), "classroom": Decimal("67"), "reflection": Decimal("4")}
    _check(phone, "04-sheet-saved-390")

    # the connection drops: the correction waits in the browser, nothing reaches the server
    phone.context.set_offline(True)
    phone.locator("#score-classroom").fill(CORRECTED)
    expect(state).to_have_attribute("data-state", "offline")
    expect(state).to_have_text("未同步（离线）")
    phone.locator("#score-classroom").blur()
    phone.wait_for_timeout(1000)  # past the autosave's pause: it has tried and failed
    expect(state).to_have_attribute("data-state", "offline")
    assert _saved(sheet)["classroom"] == Decimal("67")
    assert _unsent(phone, judge, zhou) == {"classroom": CORRECTED}
    _check(phone, "05-sheet-offline-390")
    phone.context.set_offline(False)
    expect(state).to_have_attribute("data-state", "saved")
    assert _saved(sheet) == {"design": Decimal("17"), "classroom": Decimal("69"), "reflection": Decimal("4")}
    assert _unsent(phone, judge, zhou) == {}
    # what the browser logged of the saves tried offline, and nothing else, is dropped
    BROWSER_ERRORS[:] = [error for error in BROWSER_ERRORS if not OFFLINE_FETCH.match(error)]

    phone.get_by_test_id("review-button").click()
    review = phone.get_by_test_id("review").locator("li")
    expect(review).to_have_count(3)
    expect(review.locator(".ballot-review-grade")).to_have_text(["17", "69", "4"])
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.DRAFT  # the review submits nothing
    _check(phone, "06-sheet-review-390")
    phone.get_by_test_id("submit-button").click()
    phone.wait_for_url(re.compile(rf"/competitions/judging/{judge.pk}/$"))
    expect(_message(phone)).to_have_text("已提交周四的评分表。")
    expect(rows.filter(has_text="周四")).to_have_attribute("data-state", "submitted")
    expect(phone.get_by_test_id("counts")).to_have_text("待评分 0 人，已提交 3 人，回避 0 人")
    _check(phone, "07-judge-queue-done-390")
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.SUBMITTED
    assert _saved(sheet) == {"design": Decimal("17"), "classroom": Decimal("69"), "reflection": Decimal("4")}
    assert ScoreSheet.objects.filter(entry__competition=competition, status=SheetStatus.SUBMITTED).count() == 13
    assert ScoreSheet.objects.filter(entry__competition=competition).count() == 13

    # a submitted sheet is read-only
    rows.filter(has_text="周四").get_by_role("link", name="周四").click()
    expect(phone.get_by_test_id("submitted")).to_contain_text("提交后不能再改")
    expect(phone.get_by_test_id("sheet-form")).to_have_count(0)
    expect(phone.get_by_test_id("scores").locator(".ballot-review-grade")).to_have_text(["17", "69", "4"])
    _check(phone, "08-sheet-submitted-390")
    phone.context.close()

    # --- 2. the office closes the scoring, publishes, and releases after the publicity ---------
    office = page_open(browser, DESKTOP, live_server)
    sign_in(office, "office")
    office.get_by_test_id("todo-competitions.scoring_complete").click()
    office.wait_for_url(re.compile(rf"/competitions/{competition.pk}/$"))
    expect(office.locator("#status")).to_have_text("评分中")
    close = office.get_by_test_id("step-close_scoring")
    close.locator("summary").click()
    expect(close.get_by_role("alertdialog")).to_contain_text("结束后按比赛方案计算每位参赛教师的最终得分和名次。")
    _check(office, "09-office-scoring-1280", phone=False)
    close.get_by_role("button", name="结束评分").click()
    expect(_message(office)).to_have_text("评分已结束，最终得分和名次已计算。")
    expect(office.locator("#status")).to_have_text("评分完成")
    scores = office.get_by_test_id("entry-row")
    expect(scores.filter(has_text="赵一").get_by_test_id("entry-score")).to_have_text("92.88")
    expect(scores.filter(has_text="周四").get_by_test_id("entry-score")).to_have_text("91.17")
    expect(scores.filter(has_text="钱二").get_by_test_id("entry-score")).to_have_text("83.75")

    publish = office.get_by_test_id("step-publish")
    publish.locator("summary").click()
    publish.get_by_role("button", name="公示获奖名单").click()
    expect(_message(office)).to_have_text("获奖名单已开始公示。")
    expect(office.locator("#status")).to_have_text("公示中")
    expect(office.get_by_test_id("publicity")).to_have_text("2021年3月26日 至 2021年3月30日")
    expect(office.get_by_test_id("step-release-disabled")).to_be_disabled()
    expect(office.get_by_test_id("step-blocked-release")).to_contain_text("公示期至 2021-03-30，期满后才能发布结果。")
    _check(office, "10-office-publicity-1280", phone=False)
    office.get_by_test_id("notice-link").click()
    office.wait_for_url(re.compile(rf"/competitions/{competition.pk}/notice/$"))
    expect(office.get_by_test_id("notice-award")).to_have_count(5)
    _check(office, "11-office-notice-1280", phone=False)
    assert Certificate.objects.filter(award__competition=competition).count() == 0

    # the publicity period over (the day after its last day)
    clock.move_to(aware(datetime.datetime(2021, 3, 31, 9, 0)))
    office.goto("/")
    office.get_by_test_id("todo-competitions.publicity_over").click()
    office.wait_for_url(re.compile(rf"/competitions/{competition.pk}/$"))
    release = office.get_by_test_id("step-release")
    release.locator("summary").click()
    release.get_by_role("button", name="发布结果").click()
    expect(_message(office)).to_have_text("结果已发布，证书已颁发。")
    expect(office.locator("#status")).to_have_text("结果已发布")
    expect(office.get_by_test_id("edition-steps")).to_have_count(0)
    _check(office, "12-office-released-1280", phone=False)
    office.get_by_test_id("results-link").click()
    office.wait_for_url(re.compile(rf"/competitions/{competition.pk}/results/$"))
    ranking = office.get_by_test_id("ranking-row")
    expect(ranking).to_have_count(3)
    expect(ranking.get_by_test_id("final")).to_have_text(["92.88", "91.17", "83.75"])
    expect(ranking.get_by_test_id("prize")).to_have_text(["一等奖", "二等奖", "三等奖"])
    _check(office, "13-office-results-1280", phone=False)
    office.set_viewport_size(PHONE["viewport"])
    _check(office, "14-office-results-390")
    office.get_by_role("link", name=TITLE).first.click()
    office.wait_for_url(re.compile(rf"/competitions/{competition.pk}/$"))
    _check(office, "15-office-released-390")
    competition.refresh_from_db()
    assert competition.status == CompetitionStatus.RELEASED
    assert Certificate.objects.filter(award__competition=competition).count() == 5
    for entry in w.entries.values():
        entry.refresh_from_db()
    assert {name: entry.final_score for name, entry in w.entries.items()} == EXPECTED_FINAL
    assert {name: entry.rank for name, entry in w.entries.items()} == {"zhao": 1, "zhou": 2, "qian": 3}
    office.context.close()

    # --- 3. 赵一 reads his own scores and downloads his certificate ----------------------------
    phone = page_open(browser, PHONE, live_server)
    sign_in(phone, "E1001")
    mine = phone.locator("article.service-card").filter(has_text=TITLE)
    expect(mine).to_contain_text("比赛结果已发布：可查看本人成绩和获奖证书。")
    _check(phone, "16-contestant-portal-390")
    mine.get_by_role("link", name="查看成绩").click()
    phone.wait_for_url(re.compile(r"/competitions/mine/$"))
    entry = phone.get_by_test_id("my-entry")
    expect(entry).to_have_count(1)
    expect(entry.get_by_test_id("final")).to_have_text("92.88")
    expect(entry.get_by_test_id("rank")).to_have_text("第 1 名（共 3 人）")
    expect(entry.get_by_test_id("awards")).to_have_text("人文科学类A组一等奖、最佳教案奖、最佳现场展示奖")
    expect(entry.get_by_test_id("part-row").locator("td")).to_have_text(
        [
            "18.13（评分较少，未去分）",
            "18.13",
            "70.25（评分较少，未去分）",
            "70.25",
            "4.50（评分较少，未去分）",
            "4.50",
        ]
    )
    judges = entry.get_by_test_id("judge-row")
    expect(judges).to_have_count(4)  # 陈静 stood aside (economics)
    for n, scores in enumerate(SCORES["zhao"].values()):  # judge1 to judge4, as they submitted
        expect(judges.nth(n).locator("td")).to_have_text(list(scores))
    html = phone.content()
    for other in ("周四", "钱二", "91.17", "83.75", "judge1", "judge2"):
        assert other not in html, other
    _check(phone, "17-mine-390")

    certificates = phone.get_by_test_id("certificate")
    expect(certificates).to_have_count(3)
    first = certificates.filter(has_text="人文科学类A组一等奖")
    award = Award.objects.get(competition=competition, entry=w.entries["zhao"], code="first")
    certificate = Certificate.objects.get(award=award)
    expect(first).to_contain_text(f"证书编号 {certificate.serial}")
    with phone.expect_download() as download_info:
        first.get_by_test_id("certificate-pdf").click()
    download = download_info.value
    assert download.suggested_filename == f"{certificate.serial}.pdf"
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    phone.set_viewport_size(DESKTOP["viewport"])
    _check(phone, "18-mine-1280", phone=False)
    phone.context.close()

    # --- 4. the QR code's page (the address it carries, on the site the PDF came from), for
    # anyone: a browser that never signed in -------------------------------------------------
    public = page_open(browser, PHONE, live_server)
    response = public.goto(f"{live_server.url}/competitions/verify/{certificate.token}/")
    assert response is not None and response.status == 200
    assert public.url == f"{live_server.url}/competitions/verify/{certificate.token}/"  # no sign-in asked
    expect(public.get_by_test_id("verified")).to_contain_text("证书有效")
    expect(public.get_by_test_id("serial")).to_have_text(certificate.serial)
    expect(public.get_by_test_id("recipient")).to_have_text("赵一")
    expect(public.get_by_test_id("award")).to_have_text("人文科学类A组一等奖")
    expect(public.get_by_test_id("edition")).to_have_text(TITLE)
    _check(public, "19-verify-390")
    public.set_viewport_size(DESKTOP["viewport"])
    _check(public, "20-verify-1280", phone=False)
    public.context.close()
