"""Cadre democratic appraisal (中层干部民主测评) in a real browser, the acceptance of issue 14:
张伟, a member of staff of 经济学院, votes on his phone (390 px) — the card on his home page,
his unit's cadres, a report, the ballot, refused on review with a grade missing, the review,
the cast, and nothing of his ballot on any page after; the other voters cast through the
service; the union office closes and counts on the round's page (1280 px) and reads the
turnout, never the results; the organisation department releases the results and reads them
(the flagged cadre, the weighted shares, the unit under quorum), one cadre's sheet and the
.xlsx, then the results again on a phone.

The ballots and figures are those of gonghui/appraisals/tests/results_scenario.py (张伟's
ballot there is the one he casts here). Screenshots land in var/screenshots/appraisals/ (not
committed)."""

import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from gonghui.appraisals.choices import RoundStatus
from gonghui.appraisals.services.voting import appraisal_vote
from gonghui.appraisals.tests.factories import appraisal_world, through
from gonghui.appraisals.tests.results_scenario import econ_ballot, law_ballot
from gonghui.core.models import Ballot, BallotPending, BallotVoter
from gonghui.people.tests.factories import user_make
from tests.browser.helpers import DESKTOP, PHONE, no_horizontal_overflow, page_open, shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MEMBER = "E0001"  # 张伟, staff of 经济学院
ORGANISATION = "org-dept"  # 党委组织部
TITLE = "2021年度中层干部民主测评"
CARD = f"{TITLE} · 经济学院分工会"
# The grades whose words appear nowhere else on the voter's pages (好 and 差 are too common).
DISTINCT_LABELS = ("优秀", "称职", "较好", "一般")
# The other voters' ballots (results_scenario.votes_cast without 张伟's, which he casts here).
ECON_OTHERS = (
    ("li", ("competent", "incompetent", "fair")),
    ("sub_union_officer", ("excellent", "incompetent", "good")),
    ("econ0", ("basic", "incompetent", "average")),
    ("dean", ("excellent", "competent", "good")),
    ("leader", ("excellent", "incompetent", "good")),
)
LAW_VOTERS = (("wang", ("competent", "fair")), ("leader", ("excellent", "good")))


@pytest.fixture
def journey(clock, university, settings, tmp_path):
    """The appraisal world, its reports out and its voting open (2021-03-20 09:01, the clock
    ticking on: time-machine moves the live server's clock too, it runs in this process)."""
    settings.MEDIA_ROOT = str(tmp_path)
    w = appraisal_world(university)
    through(w, "open", clock)
    w.users["econ0"] = user_make(username="E0200", person=w.econ_staff[0])
    return w


def _check(page, name, *, phone=True):
    """No page-level horizontal scrolling, then a screenshot. On the phone the tab bar is fixed
    to the bottom of the screen: scrolled to the end first, it covers nothing."""
    assert no_horizontal_overflow(page), f"{page.url} is wider than the device"
    if phone:
        page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    shot(page, name)


def _message(page):
    return page.locator("article.message")


def _cast(w) -> list[dict]:
    """What the economics box holds: its ballots, written or still pending (a batch of ten)."""
    box = w.econ.box_id
    return [
        *Ballot.objects.filter(box_id=box).values_list("choices", flat=True),
        *BallotPending.objects.filter(box_id=box).values_list("choices", flat=True),
    ]


def _cast_count(w) -> int:
    return len(_cast(w))


def _choose(page, cadre_key, label):
    page.locator(f"#item-{cadre_key}").get_by_text(label, exact=True).click()


def test_a_staff_member_votes_on_the_phone_and_the_organisation_department_reads_the_results(
    browser, live_server, journey, tmp_path
):
    w = journey
    dean, secretary = w.cadres["dean"], w.cadres["secretary"]
    unit_path = f"/appraisals/units/{w.econ.pk}/"
    vote_path = f"{unit_path}vote/"
    results_path = f"/appraisals/{w.round.pk}/results/"

    # --- 1. 张伟, on his phone, reads and votes ----------------------------------------------
    phone = page_open(browser, PHONE, live_server)
    sign_in(phone, MEMBER)
    card = phone.locator("article.service-card").filter(has_text=CARD)
    expect(card).to_have_count(1)
    expect(card).to_contain_text("投票中，03-20 18:00截止")
    _check(phone, "appraisals/01-portal-390")

    phone.goto("/appraisals/")
    mine = phone.get_by_test_id("my-ballot")
    expect(mine).to_have_count(1)
    expect(mine).to_contain_text("经济学院分工会")
    expect(mine).to_contain_text(TITLE)
    _check(phone, "appraisals/02-list-390")

    phone.goto("/")
    card.get_by_role("link", name="投票").click()
    phone.wait_for_url(re.compile(rf"{unit_path}$"))
    expect(phone.get_by_test_id("ballot-state")).to_have_attribute("data-state", "open")
    expect(phone.get_by_test_id("window")).to_have_text("3月20日 09:00 至 3月20日 18:00")
    cadres = phone.get_by_test_id("cadres").locator("li")
    expect(cadres).to_have_count(2)
    expect(cadres.nth(0)).to_contain_text("钱院长 院长")
    expect(cadres.nth(1)).to_contain_text("孙书记 书记")
    expect(phone.get_by_test_id("paper-link")).to_have_count(0)
    _check(phone, "appraisals/03-unit-390")

    cadres.nth(0).get_by_test_id("report-link").click()
    phone.wait_for_url(re.compile(rf"/appraisals/cadres/{dean.pk}/$"))
    expect(phone.locator("h1")).to_have_text("钱院长的述职报告")
    expect(phone.get_by_test_id("report")).to_have_text("钱院长2021年度述职报告")
    _check(phone, "appraisals/04-report-390")
    phone.get_by_role("link", name="返回被测评干部名单").click()
    phone.wait_for_url(re.compile(rf"{unit_path}$"))

    phone.get_by_test_id("vote-button").click()
    phone.wait_for_url(re.compile(rf"{vote_path}$"))
    items = phone.get_by_test_id("ballot-item")
    expect(items).to_have_count(3)
    expect(items.locator("legend")).to_have_text(["钱院长 院长", "孙书记 书记", "领导班子"])
    expect(phone.locator("input[type=radio]:checked")).to_have_count(0)
    _check(phone, "appraisals/05-ballot-390")

    # every grade but 孙书记's: the review refuses it, naming him, and keeps the others
    _choose(phone, dean.item_key, "优秀")
    _choose(phone, "team", "好")
    phone.get_by_test_id("review-button").click()
    expect(phone.get_by_test_id("ballot-error")).to_have_text(
        "还有 1 项没有选择等次：孙书记（书记）。每一项都选好后才能投出。"
    )
    expect(phone.locator(".ballot-item-missing")).to_have_count(1)
    expect(phone.locator(f"#item-{secretary.item_key}")).to_have_class(re.compile(r"ballot-item-missing"))
    expect(phone.locator(f"#item-{secretary.item_key} .ballot-item-error")).to_have_text("请选择一个等次")
    expect(phone.locator(f"#item-{dean.item_key} input[value=excellent]")).to_be_checked()
    expect(phone.locator("#item-team input[value=good]")).to_be_checked()
    expect(phone.get_by_test_id("cast-button")).to_have_count(0)
    assert _cast_count(w) == 0
    assert BallotVoter.objects.filter(box_id=w.econ.box_id, voted=True).count() == 0
    _check(phone, "appraisals/06-ballot-missing-390")

    _choose(phone, secretary.item_key, "优秀")
    phone.get_by_test_id("review-button").click()
    review = phone.get_by_test_id("review").locator("li")
    expect(review).to_have_count(3)
    expect(review.locator(".ballot-review-grade")).to_have_text(["优秀", "优秀", "好"])
    expect(review.nth(1)).to_contain_text("孙书记 书记")
    assert _cast_count(w) == 0  # the review writes nothing
    _check(phone, "appraisals/07-review-390")

    phone.get_by_test_id("cast-button").click()
    phone.wait_for_url(re.compile(rf"{unit_path}voted/$"))
    expect(phone.locator(".ballot-done-title")).to_have_text("您的选票已投出，谢谢参与。")
    voted_html = phone.content()
    _check(phone, "appraisals/08-voted-390")
    assert _cast(w) == [econ_ballot(w, "excellent", "excellent", "good")]
    assert list(BallotVoter.objects.filter(box_id=w.econ.box_id, voted=True).values_list("person_id", flat=True)) == [
        w.u.zhang.pk
    ]

    # back to the ballot: he has voted, and there is no form; nothing says what he chose
    phone.goto(vote_path)
    expect(phone.get_by_test_id("ballot-state")).to_have_attribute("data-state", "voted")
    expect(phone.get_by_test_id("voted")).to_have_text("您已投票")
    expect(phone.get_by_test_id("ballot-form")).to_have_count(0)
    vote_html = phone.content()
    _check(phone, "appraisals/09-vote-again-390")
    phone.goto(unit_path)
    expect(phone.get_by_test_id("ballot-state")).to_have_attribute("data-state", "voted")
    expect(phone.get_by_test_id("vote-button")).to_have_count(0)
    unit_html = phone.content()
    phone.goto("/")
    expect(card).to_contain_text("您已投票，谢谢")
    home_html = phone.content()
    for html in (voted_html, vote_html, unit_html, home_html):
        assert [label for label in DISTINCT_LABELS if label in html] == []
    phone.context.close()

    # --- 2. the others vote (the service); the office closes and counts -------------------------
    for who, grades in ECON_OTHERS:
        appraisal_vote(actor=w.users[who], unit=w.econ, choices=econ_ballot(w, *grades))
    for who, grades in LAW_VOTERS:
        appraisal_vote(actor=w.users[who], unit=w.law, choices=law_ballot(w, *grades))
    assert _cast_count(w) == 6

    office = page_open(browser, DESKTOP, live_server)
    sign_in(office, "office")
    office.goto(f"/appraisals/{w.round.pk}/")
    expect(office.locator("#status")).to_have_text("投票中")
    close = office.get_by_test_id("step-close_voting")
    close.locator("summary").click()
    _check(office, "appraisals/10-office-close-1280", phone=False)
    close.get_by_role("button", name="截止投票").click()
    expect(_message(office)).to_have_text("投票已截止。纸质选票核对一致后即可计票。")
    expect(office.locator("#status")).to_have_text("投票已截止")
    tally = office.get_by_test_id("step-tally")
    tally.locator("summary").click()
    tally.get_by_role("button", name="计票").click()
    expect(_message(office)).to_have_text("计票完成。各单位参评情况见下，结果待党委组织部启封。")
    expect(office.get_by_test_id("results-link")).to_have_count(0)
    summary = office.get_by_test_id("turnout-summary").locator("li")
    expect(summary).to_have_count(2)
    expect(summary.filter(has_text="经济学院分工会")).to_contain_text("6 / 8 人参评 达到参评比例")
    expect(summary.filter(has_text="法学院分工会")).to_contain_text("2 / 5 人参评 未达参评比例，结果无效")
    expect(office.get_by_test_id("under-quorum")).to_have_count(1)
    _check(office, "appraisals/11-office-tallied-1280", phone=False)
    w.round.refresh_from_db()
    assert w.round.status == RoundStatus.TALLIED

    office.get_by_test_id("turnout-link").click()
    office.wait_for_url(re.compile(rf"/appraisals/{w.round.pk}/turnout/$"))
    rows = office.get_by_test_id("turnout-row")
    expect(rows).to_have_count(2)
    econ_turnout, law_turnout = rows.filter(has_text="经济学院分工会"), rows.filter(has_text="法学院分工会")
    expect(econ_turnout.locator("td")).to_have_text(
        ["经济学院分工会", "达到参评比例", "80.00%", "4", "4", "5", "8", "6", "6", "0", "0"]
    )
    expect(law_turnout.locator("td")).to_have_text(
        ["法学院分工会", "未达参评比例，结果无效", "33.33%", "1", "2", "3", "5", "2", "2", "0", "0"]
    )
    expect(office.get_by_test_id("units-under-quorum")).to_have_text("1")
    turnout_html = office.content()
    for leak in ("94.00", "34.00", "88.57", "诫勉谈话", "考虑调整"):
        assert leak not in turnout_html, leak
    _check(office, "appraisals/12-office-turnout-1280", phone=False)
    # the results are not the office's: refused, and nothing of them shown
    response = office.goto(results_path)
    assert response.status == 403
    assert "34.00" not in office.content()
    office.context.close()

    # --- 3. the organisation department releases and reads the results -------------------------
    org = page_open(browser, DESKTOP, live_server)
    sign_in(org, ORGANISATION)
    todo = org.get_by_test_id("todo-appraisals.to_release")
    expect(todo.get_by_test_id("todo-count")).to_have_text("1 项")
    org.goto(results_path)
    expect(org.get_by_test_id("results-sealed")).to_contain_text("测评结果尚未启封")
    expect(org.get_by_test_id("results-exports")).to_have_count(0)
    expect(org.get_by_test_id("flag")).to_have_count(0)
    _check(org, "appraisals/13-results-sealed-1280", phone=False)
    release = org.get_by_test_id("release")
    release.locator("summary").click()
    expect(release.get_by_role("alertdialog")).to_contain_text("启封后结果即可查看、导出，且不能再封存。确定启封吗？")
    release.get_by_role("button", name="启封结果").click()
    org.wait_for_url(re.compile(rf"/appraisals/{w.round.pk}/$"))
    expect(_message(org)).to_have_text("结果已启封。")
    expect(org.locator("#status")).to_have_text("结果已启封")
    w.round.refresh_from_db()
    assert w.round.status == RoundStatus.RELEASED

    org.get_by_test_id("results-link").click()
    org.wait_for_url(re.compile(rf"{results_path}$"))
    expect(org.get_by_test_id("results-figures")).to_contain_text("8 / 13")
    turnout = org.get_by_test_id("turnout-row")
    expect(turnout).to_have_count(2)
    expect(turnout.filter(has_text="经济学院分工会").get_by_test_id("under-quorum-badge")).to_have_count(0)
    expect(turnout.filter(has_text="法学院分工会").get_by_test_id("under-quorum-badge")).to_have_text(
        "未达参评比例，结果不作为最终结果"
    )
    flagged = org.get_by_test_id("flagged").locator("li")
    expect(flagged).to_have_count(1)
    expect(flagged).to_contain_text("孙书记")
    expect(flagged.get_by_test_id("flag")).to_have_text(["诫勉谈话", "考虑调整"])
    ranking = org.get_by_test_id("ranking-row")
    expect(ranking).to_have_count(3)
    expect(ranking.nth(0)).to_contain_text("钱院长")
    expect(ranking.nth(0)).to_contain_text("94.00")
    expect(ranking.nth(2)).to_contain_text("周院长")
    expect(ranking.nth(2).get_by_test_id("not-final")).to_have_text("非最终结果")
    econ_rows = org.get_by_test_id("unit-results").filter(has_text="经济学院分工会").get_by_test_id("cadre-row")
    expect(econ_rows).to_have_count(2)
    expect(econ_rows.nth(0).locator("td")).to_have_text(["94.00", "—", "80.00%", "10.00%", "10.00%", "0.00%", "有效"])
    expect(econ_rows.nth(1).locator("td")).to_have_text(
        ["34.00", "诫勉谈话考虑调整", "10.00%", "30.00%", "0.00%", "60.00%", "有效"]
    )
    law = org.get_by_test_id("unit-results").filter(has_text="法学院分工会")
    expect(law.get_by_test_id("under-quorum")).to_have_text("未达参评比例，结果不作为最终结果。")
    expect(law.get_by_test_id("cadre-row").locator("td").nth(0)).to_have_text("88.57")
    _check(org, "appraisals/14-results-1280", phone=False)

    # the .xlsx
    with org.expect_download() as download_info:
        org.get_by_test_id("results-exports").get_by_role("link", name="下载 Excel").click()
    download = download_info.value
    assert download.suggested_filename == f"{TITLE}-测评结果.xlsx"
    path = tmp_path / "results.xlsx"
    download.save_as(path)
    workbook = load_workbook(path, read_only=True)
    texts = [str(cell) for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True) for cell in row]
    workbook.close()
    for name in ("钱院长", "孙书记", "周院长"):
        assert name in texts, name
    assert any("诫勉谈话" in text for text in texts)

    # one cadre's sheet: the flagged secretary
    flagged.get_by_role("link", name="孙书记").click()
    org.wait_for_url(re.compile(rf"/appraisals/cadres/{secretary.pk}/sheet/$"))
    expect(org.locator("h1")).to_have_text("孙书记（书记）")
    result = org.get_by_test_id("cadre-result")
    expect(result.get_by_test_id("score")).to_have_text("34.00")
    expect(result.get_by_test_id("shares")).to_have_text("优秀 10.00%，称职 30.00%，基本称职 0.00%，不称职 60.00%")
    expect(result.get_by_test_id("flag")).to_have_text(["诫勉谈话", "考虑调整"])
    expect(result.get_by_test_id("under-quorum")).to_have_count(0)
    expect(result.get_by_test_id("category-table").locator("tbody tr")).to_have_count(4)  # three categories, weighted
    expect(org.get_by_test_id("history-row")).to_have_count(1)
    _check(org, "appraisals/15-cadre-sheet-1280", phone=False)
    org.context.close()

    # --- 4. the results on the organisation department's phone ---------------------------------
    phone = page_open(browser, PHONE, live_server)
    sign_in(phone, ORGANISATION)
    phone.goto(results_path)
    expect(phone.get_by_test_id("flagged").get_by_test_id("flag")).to_have_text(["诫勉谈话", "考虑调整"])
    _check(phone, "appraisals/16-results-390")
    phone.goto(f"/appraisals/cadres/{secretary.pk}/sheet/")
    expect(phone.get_by_test_id("score")).to_have_text("34.00")
    _check(phone, "appraisals/17-cadre-sheet-390")
    phone.context.close()
