"""Versions: drafted from pasted text, edited while a draft, numbered in turn; published, a
version and its articles never change; publishing needs articles and every opinion of the
previous round answered."""

import pytest
from django.db.models import ProtectedError

from gonghui.core.exceptions import ApplicationError, InvalidTransition, PermissionDenied
from gonghui.deliberations.articles import draft_parse, text_paragraphs
from gonghui.deliberations.choices import DeliberationStatus, VersionStatus
from gonghui.deliberations.models import Article, DeliberationEvent, DraftVersion, VersionLocked
from gonghui.deliberations.services.versions import (
    deliberation_create,
    version_from_text,
    version_publish,
    version_update,
)
from gonghui.deliberations.tests.factories import (
    DRAFT_V1,
    DRAFT_V2,
    deliberation_make,
    through,
    version_drafted,
    version_published,
)
from tests.tables import changed_tables, table_counts

S = DeliberationStatus


def test_the_office_sets_up_a_deliberation_others_may_not(w):
    deliberation = deliberation_make(w)
    assert (deliberation.status, deliberation.topic, deliberation.drafting_unit) == (
        S.DRAFTING,
        "教职工绩效工资改革方案",
        w.hr,
    )
    assert list(deliberation.events.values_list("step", flat=True)) == ["created"]
    before = table_counts()
    for who in ("hr", "member", "sub_union_officer"):
        with pytest.raises(PermissionDenied):
            deliberation_create(actor=w.users[who], session=w.session, topic="另一个议题", drafting_unit=w.hr)
    with pytest.raises(ApplicationError, match="请填写议题"):
        deliberation_create(actor=w.office, session=w.session, topic="  ", drafting_unit=w.hr)
    assert changed_tables(before, table_counts()) == {}


def test_a_version_from_pasted_text(w):
    deliberation = deliberation_make(w)
    version = version_from_text(actor=w.users["hr"], deliberation=deliberation, text=DRAFT_V1, change_note=" 初稿 ")
    assert (version.number, version.status, version.published_at) == (1, VersionStatus.DRAFT, None)
    assert version.title == "教职工绩效工资改革方案（征求意见稿）"
    assert version.preamble == "为建立体现岗位职责和工作业绩的收入分配机制，结合学校实际，制定本方案。"
    assert (version.change_note, version.source_name, version.created_by) == ("初稿", "", w.users["hr"])
    assert list(version.articles.values_list("position", "label", "chapter")) == [
        (1, "第一条", "第一章 总则"),
        (2, "第二条", "第一章 总则"),
        (3, "第三条", "第二章 奖励性绩效工资"),
        (4, "第四条", "第二章 奖励性绩效工资"),
    ]
    assert str(version) == "第1稿"
    assert list(version.events.values_list("step", "parameters")) == [("created", {"articles": 4})]
    assert list(deliberation.events.values_list("step", flat=True)) == ["created", "version_drafted"]


def test_a_given_title_wins_over_the_parsed_one_and_the_topic_is_the_last_resort(w):
    deliberation = deliberation_make(w)
    version = version_from_text(actor=w.users["hr"], deliberation=deliberation, text=DRAFT_V1, title="自定标题")
    assert version.title == "自定标题"
    other = deliberation_make(w, topic="教职工年度考核实施办法")
    version = version_from_text(actor=w.users["hr"], deliberation=other, text="第一条 甲")
    assert version.title == "教职工年度考核实施办法"


def test_text_without_articles_is_refused(w):
    deliberation = deliberation_make(w)
    before = table_counts()
    with pytest.raises(ApplicationError, match="没有识别出条款") as refused:
        version_from_text(actor=w.users["hr"], deliberation=deliberation, text="方案说明\n一、总则\n二、附则")
    assert refused.value.extra == {"field": "text"}
    assert changed_tables(before, table_counts()) == {}


def test_only_the_drafting_unit_and_the_office_draft(w):
    deliberation = deliberation_make(w)
    before = table_counts()
    for who in ("handling_unit_officer", "member", "sub_union_officer", "zhou", "auditor"):
        with pytest.raises(PermissionDenied):
            version_from_text(actor=w.users[who], deliberation=deliberation, text=DRAFT_V1)
    assert changed_tables(before, table_counts()) == {}
    assert version_from_text(actor=w.office, deliberation=deliberation, text=DRAFT_V1).number == 1


def test_a_draft_is_replaced_whole_by_an_update(w):
    deliberation = deliberation_make(w)
    version = version_drafted(w, deliberation)
    first_ids = set(version.articles.values_list("pk", flat=True))
    updated = version_update(
        actor=w.users["hr"], version=version, draft=draft_parse(text_paragraphs(DRAFT_V2)), change_note="改第二条"
    )
    assert updated.pk == version.pk and updated.number == 1
    assert (updated.title, updated.change_note) == ("教职工绩效工资改革方案（第二次征求意见稿）", "改第二条")
    texts = list(updated.articles.values_list("label", "text"))
    assert texts[1] == ("第二条", "绩效工资分配坚持按劳分配、优绩优酬，向青年教师倾斜。")
    assert len(texts) == 4
    assert first_ids.isdisjoint(updated.articles.values_list("pk", flat=True))
    assert list(updated.events.values_list("step", flat=True)) == ["created", "edited"]


def test_an_update_without_articles_is_refused_and_keeps_the_draft(w):
    deliberation = deliberation_make(w)
    version = version_drafted(w, deliberation)
    before = table_counts()
    with pytest.raises(ApplicationError, match="没有识别出条款"):
        version_update(actor=w.users["hr"], version=version, draft=draft_parse(["只有标题"]))
    assert changed_tables(before, table_counts()) == {}
    assert version.articles.count() == 4


def test_a_published_version_and_its_articles_never_change(w):
    deliberation = deliberation_make(w)
    version = version_published(w, deliberation)
    assert (version.status, version.published_at is not None) == (VersionStatus.PUBLISHED, True)
    article = version.articles.get(position=1)
    before = table_counts()
    with pytest.raises(VersionLocked, match="第1稿已发布，不能修改；请起草新的版本。"):
        version_update(actor=w.users["hr"], version=version, draft=draft_parse(text_paragraphs(DRAFT_V2)))
    fresh = DraftVersion.objects.get(pk=version.pk)
    fresh.title = "改过的标题"
    with pytest.raises(VersionLocked):
        fresh.save()
    with pytest.raises(VersionLocked):
        fresh.save(update_fields=["title"])
    with pytest.raises(VersionLocked):
        fresh.delete()
    article.text = "改过的条文"
    with pytest.raises(VersionLocked):
        article.save()
    with pytest.raises(VersionLocked):
        article.delete()
    with pytest.raises(VersionLocked):
        Article(version=version, position=9, label="第九条", text="新增").save()
    assert changed_tables(before, table_counts()) == {}
    assert DraftVersion.objects.get(pk=version.pk).title == "教职工绩效工资改革方案（征求意见稿）"
    assert Article.objects.get(pk=article.pk).text.startswith("绩效工资分为")
    # the lifecycle's own fields may still be written
    fresh = DraftVersion.objects.get(pk=version.pk)
    fresh.save(update_fields=["status", "updated_at"])


def test_a_drafts_articles_may_be_edited(w):
    deliberation = deliberation_make(w)
    version = version_drafted(w, deliberation)
    article = version.articles.get(position=1)
    article.text = "改过的条文"
    article.save()
    assert Article.objects.get(pk=article.pk).text == "改过的条文"


def test_a_draft_keeps_its_history_and_is_edited_not_deleted(w):
    """A draft version is corrected (version_update), never deleted: its history protects it."""
    deliberation = deliberation_make(w)
    version = version_drafted(w, deliberation)
    before = table_counts()
    with pytest.raises(ProtectedError):
        version.delete()
    assert changed_tables(before, table_counts()) == {}


def test_publishing_needs_articles(w):
    deliberation = deliberation_make(w)
    version = version_drafted(w, deliberation)
    version.articles.all().delete()
    before = table_counts()
    with pytest.raises(InvalidTransition, match="这一稿没有条款，不能发布。"):
        version_publish(actor=w.office, version=version)
    assert changed_tables(before, table_counts()) == {}
    version.refresh_from_db()
    assert version.status == VersionStatus.DRAFT


def test_only_the_drafting_unit_and_the_office_publish(w):
    deliberation = deliberation_make(w)
    version = version_drafted(w, deliberation)
    before = table_counts()
    for who in ("handling_unit_officer", "zhou", "member"):
        with pytest.raises(PermissionDenied):
            version_publish(actor=w.users[who], version=version)
    assert changed_tables(before, table_counts()) == {}
    assert version_publish(actor=w.users["hr"], version=version).status == VersionStatus.PUBLISHED
    deliberation.refresh_from_db()
    assert deliberation.status == S.DRAFTING
    assert list(deliberation.events.values_list("step", flat=True)) == [
        "created",
        "version_drafted",
        "version_published",
    ]


@pytest.mark.parametrize("until", ["closed", "sent", "answered"])
def test_publishing_is_refused_while_an_opinion_of_the_previous_round_is_unanswered(w, until):
    world = through(w, until)
    if until == "answered":  # all answered but one
        group = world.opinion_round.groups.order_by("number").last()
        type(group).objects.filter(pk=group.pk).update(status="pending")
    next_version = version_drafted(w, world.deliberation, DRAFT_V2)
    pending = world.opinion_round.groups.filter(status="pending").count()
    assert pending == (1 if until == "answered" else 4)
    before = table_counts()
    with pytest.raises(InvalidTransition, match="未答复") as refused:
        version_publish(actor=w.office, version=next_version)
    assert str(refused.value.message) == f"上一轮还有 {pending} 条（组）意见未答复，不能发布新稿。"
    assert changed_tables(before, table_counts()) == {}
    next_version.refresh_from_db()
    assert next_version.status == VersionStatus.DRAFT


def test_publishing_is_refused_while_a_round_is_open_or_answers_are_unpublished(w):
    world = through(w, "open")
    next_version = version_drafted(w, world.deliberation, DRAFT_V2)
    with pytest.raises(InvalidTransition, match="专题审议当前为“征求意见中”：本轮意见答复发布后才能发布新稿。"):
        version_publish(actor=w.office, version=next_version)
    assert next_version.status == VersionStatus.DRAFT


def test_after_the_answers_the_next_version_is_numbered_2_and_reopens_drafting(w):
    world = through(w, "responded")
    assert world.deliberation.status == S.RESPONDED
    second = version_drafted(w, world.deliberation, DRAFT_V2)
    assert second.number == 2
    version_publish(actor=w.users["hr"], version=second)
    world.deliberation.refresh_from_db()
    assert world.deliberation.status == S.DRAFTING
    assert world.deliberation.latest_version() == second
    assert world.deliberation.latest_version(published=False) == second
    revise = DeliberationEvent.objects.get(subject=world.deliberation, step="revise")
    assert (revise.from_state, revise.to_state, revise.parameters) == (S.RESPONDED, S.DRAFTING, {"version": second.pk})


def test_a_new_version_waits_for_the_unpublished_one_and_stops_at_the_vote(w):
    deliberation = deliberation_make(w)
    first = version_drafted(w, deliberation)
    before = table_counts()
    with pytest.raises(ApplicationError, match="第1稿尚未发布：请先修改并发布它，再起草新稿。") as refused:
        version_drafted(w, deliberation, DRAFT_V2)
    assert refused.value.extra == {"version": first.pk}
    assert changed_tables(before, table_counts()) == {}
    version_publish(actor=w.office, version=first)
    # the latest published version is the one below a newer draft
    second = version_drafted(w, deliberation, DRAFT_V2)
    assert (second.number, deliberation.latest_version(), deliberation.latest_version(published=False)) == (
        2,
        first,
        second,
    )
    second.events.all().delete()
    second.delete()
    type(deliberation).objects.filter(pk=deliberation.pk).update(status=S.VOTING)
    before = table_counts()
    with pytest.raises(ApplicationError, match="已提交表决，不能再起草新稿。"):
        version_drafted(w, deliberation, DRAFT_V2)
    assert changed_tables(before, table_counts()) == {}
