"""Draft deliberation (专题审议) in a real browser, following one teacher's opinion end to end:
孙丽 (a member of staff, not a delegate) gives an opinion on 第二条 from her phone (390 px);
the union office closes the round and sends the roll-up (1280 px); 人事处, the drafting unit,
answers her group 部分采纳 (refused first without a reason, in place through htmx), publishes
the answers, drafts and publishes the second version; back on her phone she reads the answer
and follows it to the second version's diff, where 第二条's change lists her opinion.

Screenshots land in var/screenshots/deliberations/ (not committed)."""

import re

import pytest
from playwright.sync_api import expect

from gonghui.deliberations.choices import AnswerStatus, DeliberationStatus, VersionStatus
from gonghui.deliberations.models import Opinion, OpinionGroup
from gonghui.deliberations.tests.factories import (
    BASE_PAY,
    DRAFT_V1,
    TOPIC,
    deliberation_make,
    deliberation_world,
    give,
    round_opened,
    version_published,
)
from tests.browser.helpers import DESKTOP, PHONE, no_horizontal_overflow, page_open, shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEACHER = "L0002"  # 孙丽, 法学院: active staff, not a delegate
OPINION = "建议写明向教学一线和青年教师倾斜，“优绩优酬”的表述过于笼统。"
REASON = "已增加向教学一线和青年教师倾斜的表述；“优绩优酬”的具体办法在实施细则中规定。"
CHANGE_NOTE = "根据第1轮意见修改第二条。"
# 第二条 changed as her opinion asked; every other article as in DRAFT_V1.
ARTICLE_2_V1 = "绩效工资分配坚持按劳分配、优绩优酬。"
ARTICLE_2_V2 = "绩效工资分配坚持按劳分配，向教学一线和青年教师倾斜。"
DRAFT_V2 = DRAFT_V1.replace("（征求意见稿）", "（第二次征求意见稿）").replace(ARTICLE_2_V1, ARTICLE_2_V2)


@pytest.fixture
def journey(clock, university, settings, tmp_path):
    """Version 1 published by the office, a round open to all staff online, and one other
    opinion (张伟, 经济学院, on 第一条) so the roll-up holds two groups."""
    settings.MEDIA_ROOT = str(tmp_path)
    w = deliberation_world(university)
    deliberation = deliberation_make(w)
    version = version_published(w, deliberation)
    opinion_round = round_opened(w, deliberation)
    give(w, opinion_round, "zhang", BASE_PAY, 1)
    assert ARTICLE_2_V1 in DRAFT_V1 and DRAFT_V2 != DRAFT_V1
    return w, deliberation, version, opinion_round


def _phone_check(page, name):
    """No page-level horizontal scrolling on the phone, then a screenshot. The tab bar is
    fixed to the bottom of the screen and a full-page screenshot draws it where the screen
    is, over the page: scrolled to the end first, it covers nothing."""
    assert no_horizontal_overflow(page), f"{page.url} is wider than the phone"
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    shot(page, name)


def _group_head(number, label, status):
    """A roll-up group's first line: its number, article, size (one opinion) and answer."""
    return re.compile(rf"^\s*{number}\.\s+{label}\s+1 条\s+{status}\s*$")


def _message(page):
    return page.locator("article.message")


def test_one_teachers_opinion_from_the_phone_to_the_next_versions_diff(browser, live_server, journey):
    w, deliberation, version, opinion_round = journey
    article_2 = version.articles.get(position=2)

    # --- 1. the teacher, on her phone, gives an opinion on 第二条 -----------------------------
    phone = page_open(browser, PHONE, live_server)
    sign_in(phone, TEACHER)
    _phone_check(phone, "deliberations/01-portal-390")
    phone.get_by_test_id("deliberations").first.click()
    phone.wait_for_url(re.compile(r"/deliberations/$"))
    expect(phone.get_by_test_id("deliberation")).to_have_count(1)
    _phone_check(phone, "deliberations/02-list-390")
    phone.get_by_role("link", name=TOPIC, exact=True).click()
    phone.wait_for_url(re.compile(rf"/deliberations/{deliberation.pk}/$"))
    expect(phone.locator("#status")).to_have_text("征求意见中")
    expect(phone.get_by_test_id("current-round").locator("#round-title")).to_have_text("第1轮意见征求（第1稿）")
    expect(phone.locator("#my-opinions")).to_have_count(0)
    _phone_check(phone, "deliberations/03-detail-open-390")
    phone.get_by_test_id("give-opinion").click()
    phone.wait_for_url(re.compile(rf"/deliberations/versions/{version.pk}/$"))
    articles = phone.get_by_test_id("article")
    expect(articles).to_have_count(4)
    expect(phone.get_by_test_id("opinion-toggle")).to_have_count(4)
    second = phone.locator(f"#article-{article_2.pk}")
    expect(second).to_contain_text(f"第二条　{ARTICLE_2_V1}")
    _phone_check(phone, "deliberations/04-version-390")
    second.get_by_test_id("opinion-toggle").click()
    box = second.get_by_label("对第二条的意见")
    expect(box).to_be_visible()
    box.fill(OPINION)
    _phone_check(phone, "deliberations/05-opinion-typed-390")
    second.get_by_role("button", name="提交意见").click()
    phone.wait_for_url(re.compile(rf"/deliberations/versions/{version.pk}/#article-{article_2.pk}$"))
    expect(_message(phone)).to_have_text("意见已提交，可在“我的意见”中查看答复。")
    expect(phone.get_by_test_id("my-article-opinion")).to_have_count(1)
    expect(second.get_by_test_id("my-article-opinion")).to_have_text(f"我的意见：{OPINION}")
    _phone_check(phone, "deliberations/06-opinion-given-390")
    opinion = Opinion.objects.get(author__staff_no=TEACHER)
    assert (opinion.article_id, opinion.text, opinion.round_id) == (article_2.pk, OPINION, opinion_round.pk)

    phone.get_by_role("navigation", name="位置").get_by_role("link", name=TOPIC[:24]).click()
    phone.wait_for_url(re.compile(rf"/deliberations/{deliberation.pk}/$"))
    expect(phone.locator("#mine-title")).to_have_text("我的意见")
    mine = phone.locator("#my-opinions").get_by_test_id("my-opinion")
    expect(mine).to_have_count(1)
    expect(mine).to_contain_text("第1轮意见征求 · 第二条")
    expect(mine.locator("p.pre-wrap")).to_have_text(OPINION)
    expect(mine).to_contain_text("待起草单位答复")
    expect(mine.get_by_test_id("my-opinion-answer")).to_have_count(0)
    _phone_check(phone, "deliberations/07-detail-mine-pending-390")
    phone.context.close()

    # --- 2. the union office closes the round and sends the roll-up --------------------------
    office = page_open(browser, DESKTOP, live_server)
    sign_in(office, "office")
    office.goto(f"/deliberations/{deliberation.pk}/")
    expect(office.get_by_test_id("round-opinions")).to_have_text("2 条（来自 2 个学院）")
    close = office.get_by_test_id("close-round")
    close.locator("summary").click()
    shot(office, "deliberations/08-office-close-1280")
    close.get_by_role("button", name="确定截止").click()
    expect(_message(office)).to_have_text("已截止，共 2 条意见，已归并为 2 组。")
    expect(office.locator("#status")).to_have_text("汇总意见中")
    office.get_by_test_id("send-rollup").click()
    expect(_message(office)).to_have_text("意见汇总已送起草单位。")
    expect(office.locator("#status")).to_have_text("待起草单位答复")
    shot(office, "deliberations/09-office-sent-1280")
    office.context.close()
    groups = {g.article.position: g for g in OpinionGroup.objects.filter(round=opinion_round)}
    assert sorted(groups) == [1, 2]
    hers = groups[2]
    assert (hers.number, hers.size, hers.status) == (2, 1, AnswerStatus.PENDING)

    # --- 3. the drafting unit answers on the roll-up and publishes the answers ---------------
    unit = page_open(browser, DESKTOP, live_server)
    sign_in(unit, "hr")
    unit.goto("/deliberations/")
    unit.get_by_role("link", name=TOPIC, exact=True).click()
    unit.get_by_test_id("answer-link").click()
    unit.wait_for_url(re.compile(rf"/deliberations/rounds/{opinion_round.pk}/rollup/\?status=pending$"))
    expect(unit.get_by_test_id("rollup-counts")).to_have_text(
        "2 个学院共 2 条意见，归并为 2 组。 采纳 0，部分采纳 0，不采纳 0，待答复 2。"
    )
    expect(unit.get_by_test_id("group")).to_have_count(2)
    row = unit.locator(f"#group-{hers.pk}")
    expect(row.locator("p").first).to_have_text(_group_head(2, "第二条", "待答复"))
    expect(row.locator("p.pre-wrap").first).to_have_text(OPINION)
    expect(row.locator("details summary")).to_have_text("意见明细（法学院分工会）")
    shot(unit, "deliberations/10-rollup-pending-1280")

    # 部分采纳 without a reason: refused, in place, and the group still waits
    row.get_by_label("部分采纳").check()
    row.get_by_role("button", name="答复", exact=True).click()
    expect(row.get_by_role("alert")).to_have_text("部分采纳或不采纳的意见须说明理由。")
    expect(row.get_by_role("alert")).to_contain_text("须说明理由")
    expect(row.locator("p").first).to_have_text(_group_head(2, "第二条", "待答复"))
    expect(row.get_by_role("button", name="答复", exact=True)).to_be_visible()
    hers.refresh_from_db()
    assert (hers.status, hers.reason) == (AnswerStatus.PENDING, "")
    shot(unit, "deliberations/11-rollup-refused-1280")

    # the refused form keeps the decision chosen; then with a reason
    expect(row.get_by_label("部分采纳")).to_be_checked()
    expect(unit.get_by_test_id("publish-answers")).to_have_count(0)
    row.get_by_label("理由").fill(REASON)
    row.get_by_role("button", name="答复", exact=True).click()
    expect(row.get_by_role("alert")).to_have_count(0)
    expect(row.locator("p").first).to_have_text(_group_head(2, "第二条", "部分采纳"))
    expect(row.locator("p.small").first).to_have_text(f"理由：{REASON}")
    expect(row.get_by_role("button", name="修改答复")).to_be_visible()
    # the other group (张伟's, on 第一条) is adopted
    other = unit.locator(f"#group-{groups[1].pk}")
    other.get_by_label("采纳", exact=True).check()
    other.get_by_role("button", name="答复", exact=True).click()
    expect(other.get_by_role("button", name="修改答复")).to_be_visible()
    expect(other.locator("p").first).to_have_text(_group_head(1, "第一条", "采纳"))
    expect(unit.get_by_test_id("rollup-counts")).to_have_text(
        "2 个学院共 2 条意见，归并为 2 组。 采纳 1，部分采纳 1，不采纳 0，待答复 0。"
    )
    expect(unit.get_by_test_id("answers-left")).to_have_count(0)
    shot(unit, "deliberations/12-rollup-answered-1280")
    hers.refresh_from_db()
    assert (hers.status, hers.reason) == (AnswerStatus.PARTLY, REASON)

    publish = unit.get_by_test_id("publish-answers")
    publish.locator("summary").click()
    expect(publish.get_by_role("alertdialog")).to_contain_text(
        "发布后答复向代表和意见提出人公开，不能再修改。确定发布吗？"
    )
    shot(unit, "deliberations/13-publish-answers-1280")
    publish.get_by_role("button", name="确定发布").click()
    unit.wait_for_url(re.compile(rf"/deliberations/{deliberation.pk}/$"))
    expect(_message(unit)).to_have_text("答复已公布，已通知意见提出人和代表。")
    expect(unit.locator("#status")).to_have_text("已答复")
    answers = unit.get_by_test_id("answer-table").locator("tbody tr")
    expect(answers).to_have_count(2)
    expect(answers.nth(1)).to_contain_text(REASON)

    # --- 4. the drafting unit drafts version 2 (第二条 changed) and publishes it ------------
    unit.get_by_test_id("new-version").click()
    unit.wait_for_url(re.compile(rf"/deliberations/{deliberation.pk}/versions/new/$"))
    form = unit.get_by_test_id("version-text-form")
    form.get_by_label("正文").fill(DRAFT_V2)
    form.get_by_label("修改说明").fill(CHANGE_NOTE)
    shot(unit, "deliberations/14-draft-v2-1280")
    form.get_by_role("button", name="保存为草稿").click()
    unit.wait_for_url(re.compile(r"/deliberations/versions/\d+/$"))
    expect(_message(unit)).to_have_text("稿本已保存为草稿。请核对条款后发布。")
    expect(unit.get_by_test_id("article")).to_have_count(4)
    v2 = deliberation.versions.get(number=2)
    assert v2.status == VersionStatus.DRAFT
    assert list(v2.articles.order_by("position").values_list("label", "text")) == [
        (a.label, ARTICLE_2_V2 if a.position == 2 else a.text) for a in version.articles.order_by("position")
    ]
    publish = unit.get_by_test_id("publish-version")
    publish.locator("summary").click()
    publish.get_by_role("button", name="确定发布").click()
    expect(_message(unit)).to_have_text("第2稿已发布。")
    shot(unit, "deliberations/15-v2-published-1280")
    unit.context.close()
    v2.refresh_from_db()
    deliberation.refresh_from_db()
    assert (v2.status, deliberation.status) == (VersionStatus.PUBLISHED, DeliberationStatus.DRAFTING)

    # --- 5. the teacher, on her phone, reads the answer and follows it to the diff -----------
    phone = page_open(browser, PHONE, live_server)
    sign_in(phone, TEACHER)
    phone.goto("/deliberations/")
    phone.get_by_role("link", name=TOPIC, exact=True).click()
    phone.wait_for_url(re.compile(rf"/deliberations/{deliberation.pk}/$"))
    mine = phone.locator("#my-opinions").get_by_test_id("my-opinion")
    expect(mine).to_have_count(1)
    expect(mine.get_by_test_id("my-opinion-answer")).to_have_text(f"起草单位答复：部分采纳 {REASON}")
    expect(mine).not_to_contain_text("待起草单位答复")
    link = mine.get_by_test_id("my-opinion-diff")
    expect(link).to_have_text("看第2稿中的修改")
    _phone_check(phone, "deliberations/16-detail-answered-390")
    link.click()
    phone.wait_for_url(re.compile(rf"/deliberations/versions/{v2.pk}/diff/#article-{article_2.pk}$"))
    expect(phone.locator("h1")).to_have_text("第2稿与第1稿对比")
    expect(phone.get_by_text("共 1 处修改。")).to_be_visible()
    expect(phone.locator(".alert-info")).to_have_text(f"修改说明：{CHANGE_NOTE}")
    rows = phone.get_by_test_id("diff-row")
    expect(rows).to_have_count(1)
    changed = phone.locator(f"#article-{article_2.pk}")
    expect(changed).to_have_attribute("data-kind", "changed")
    expect(changed.locator("p").first).to_have_text(re.compile(r"^\s*第二条\s+修改\s*$"))
    expect(changed.locator(".diff-text")).to_have_text("绩效工资分配坚持按劳分配、优绩优酬，向教学一线和青年教师倾斜。")
    expect(changed.locator(".diff-text del")).to_have_text(["、优绩优酬"])
    expect(changed.locator(".diff-text ins")).to_have_text(["，向教学一线和青年教师倾斜"])
    causes = changed.locator(".diff-causes li")
    expect(changed.locator(".diff-causes")).to_contain_text("相关意见")
    expect(causes).to_have_count(1)
    expect(causes).to_have_text(f"部分采纳 {OPINION}")
    expect(changed).to_be_in_viewport()
    _phone_check(phone, "deliberations/17-diff-390")
    phone.context.close()
