"""Staff congress proposals in a real browser at 390 px: a delegate writes a proposal,
sees a similar earlier one while typing, invites two co-signers who confirm in person,
and submits; a handling-unit officer replies, records the leader's sign-off and releases.

Screenshots land in var/screenshots/ (not committed)."""

import re

import pytest
from playwright.sync_api import expect

from gonghui.proposals.models import Proposal
from gonghui.proposals.selectors.proposals import similar_index_forget
from gonghui.proposals.services.similar_index import similar_index_build
from gonghui.proposals.tests.factories import assigned, congress_world, submitted
from tests.browser.helpers import PHONE, no_horizontal_overflow, page_open, shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def pw(university, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    similar_index_forget()
    return congress_world(university)


def test_delegate_submits_with_co_signers_on_a_phone(browser, live_server, pw):
    earlier = submitted(pw, by="li", title="关于延长食堂晚餐供应时间的建议")
    similar_index_build()  # the task worker's build, once the proposal is in
    page = page_open(browser, PHONE, live_server)
    sign_in(page, "E0001")
    page.goto("/proposals/")
    shot(page, "proposal-home-390")
    page.get_by_role("button", name="写提案").click()
    page.get_by_label("案由（标题）").fill("建议食堂晚餐延时供应")
    expect(page.locator("#similar")).to_contain_text(earlier.title)
    shot(page, "proposal-similar-390")
    page.get_by_label("类别").select_option(label="后勤保障")
    page.get_by_label("理由").fill("晚上上课的老师下课后食堂已经关门。")
    page.get_by_label("办法和建议").fill("晚餐供应延长至20点。")
    page.get_by_label("本提案只涉及一件事（一事一案）").check()
    assert no_horizontal_overflow(page)
    page.get_by_role("button", name="保存草稿").click()
    page.wait_for_url(re.compile(r"/proposals/\d+/$"))
    proposal = Proposal.objects.get(title="建议食堂晚餐延时供应")

    page.get_by_label("王芳（法学院代表团）").check()
    page.get_by_label("陈静（经济学院代表团）").check()
    page.get_by_role("button", name="发送附议邀请").click()
    page.get_by_role("button", name="提交提案").click()
    expect(page.locator("article.message.error")).to_contain_text("附议人不足：需要至少 2 名代表确认附议，目前 0 名")
    shot(page, "proposal-too-few-390")
    page.context.close()

    for username in ("L0001", "E0099"):
        co = page_open(browser, PHONE, live_server)
        sign_in(co, username)
        co.goto(f"/proposals/{proposal.pk}/")
        co.get_by_role("button", name="确认附议").click()
        expect(co.locator("article.message")).to_contain_text("已确认附议")
        shot(co, f"proposal-co-sign-{username}-390")
        co.context.close()

    page = page_open(browser, PHONE, live_server)
    sign_in(page, "E0001")
    page.goto(f"/proposals/{proposal.pk}/")
    expect(page.locator("#co-signers")).to_contain_text("已确认 2 / 需要 2")
    page.get_by_role("button", name="提交提案").click()
    expect(page.locator("#status")).to_have_text("已提交")
    assert no_horizontal_overflow(page)
    shot(page, "proposal-submitted-390")
    page.context.close()
    proposal.refresh_from_db()
    assert proposal.status == "submitted"
    assert proposal.co_signatures.filter(confirmed_at__isnull=False).count() == 2


def test_unit_officer_replies_on_a_phone(browser, live_server, pw):
    proposal = assigned(pw, title="关于增设校内充电桩的提案")
    page = page_open(browser, PHONE, live_server)
    sign_in(page, "unit")
    page.goto("/proposals/unit/")
    shot(page, "proposal-unit-board-390")
    page.get_by_role("link", name=re.compile("增设校内充电桩")).click()
    page.get_by_label("答复类别").select_option("planned")
    page.get_by_label("答复内容").fill("已列入明年校园建设计划，在东区停车场增设充电桩20个。")
    page.get_by_label("计划完成日期").fill("2027-06-30")
    page.get_by_role("button", name="保存答复").click()
    expect(page.locator("article.message")).to_contain_text("答复已保存")
    page.get_by_placeholder("审签的分管校领导").fill("刘校长")
    page.get_by_role("button", name="登记审签").click()
    page.get_by_role("button", name="发布答复").click()
    expect(page.locator("#status")).to_have_text("已答复")
    assert no_horizontal_overflow(page)
    shot(page, "proposal-replied-390")
    page.context.close()
    proposal.refresh_from_db()
    assert proposal.status == "replied"
    assert proposal.replies.get().category == "planned"
