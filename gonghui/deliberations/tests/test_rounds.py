"""Opinion rounds: opened by the office on the latest published version (once per version);
members give opinions online while the round is open, per article or in general; colleges
enter paper ones for their own staff; closing groups near-identical opinions per article;
the daily command closes rounds past their time and reminds once."""

import datetime

import pytest
from django.utils import timezone

from gonghui.accounts.system import system_actor
from gonghui.core.exceptions import ApplicationError, InvalidTransition, PermissionDenied, StepNotAllowed
from gonghui.deliberations.choices import DeliberationStatus, OpinionChannel, RoundAudience
from gonghui.deliberations.models import Opinion, OpinionGroup, OpinionRound
from gonghui.deliberations.services.rounds import (
    college_of,
    opinion_enter,
    opinion_give,
    opinion_regroup,
    rollup_send,
    round_close,
    round_open,
    rounds_due,
)
from gonghui.deliberations.tests.factories import (
    BASE_PAY,
    DRAFT_V2,
    article_id,
    deliberation_make,
    give,
    round_opened,
    through,
    version_drafted,
    version_published,
)
from gonghui.notifications.models import Notification
from tests.tables import changed_tables, table_counts

S = DeliberationStatus


def _local(at) -> str:
    return timezone.localtime(at).strftime("%Y-%m-%d %H:%M")


# --- opening ------------------------------------------------------------------------------------


def test_the_office_opens_a_round_on_the_latest_published_version(w):
    deliberation = deliberation_make(w)
    version = version_published(w, deliberation)
    version_drafted(w, deliberation, DRAFT_V2)  # a newer draft is not what is asked about
    now = timezone.now()
    opinion_round = round_opened(w, deliberation, audience=RoundAudience.DELEGATES, anonymous=True, online=False)
    deliberation.refresh_from_db()
    assert deliberation.status == S.OPEN
    assert (opinion_round.number, opinion_round.version, opinion_round.audience) == (1, version, "delegates")
    assert (opinion_round.anonymous, opinion_round.online, opinion_round.closed_at) == (True, False, None)
    assert str(opinion_round) == "第1轮意见征求"
    assert opinion_round.is_open() is True
    assert opinion_round.is_open(now + datetime.timedelta(days=7, minutes=1)) is False
    assert opinion_round.is_open(now - datetime.timedelta(hours=2)) is False
    event = deliberation.events.get(step="open_round")
    assert (event.from_state, event.to_state, event.message) == (S.DRAFTING, S.OPEN, "第1轮意见征求")
    assert event.parameters == {
        "round": opinion_round.pk,
        "opens_at": _local(opinion_round.opens_at),
        "closes_at": _local(opinion_round.closes_at),
    }


def test_opening_is_refused_without_a_published_version(w):
    deliberation = deliberation_make(w)
    version_drafted(w, deliberation)
    before = table_counts()
    with pytest.raises(ApplicationError, match="还没有发布的稿本：请先发布一稿，再征求意见。"):
        round_opened(w, deliberation)
    assert changed_tables(before, table_counts()) == {}
    deliberation.refresh_from_db()
    assert deliberation.status == S.DRAFTING


@pytest.mark.parametrize("until", ["open", "responded"])
def test_a_version_is_asked_about_once(w, until):
    world = through(w, until)
    before = table_counts()
    with pytest.raises(ApplicationError, match="第1稿已征求过意见：请根据答复起草并发布新稿后再开始新一轮。"):
        round_opened(w, world.deliberation)
    assert changed_tables(before, table_counts()) == {}
    assert OpinionRound.objects.count() == 1


def test_the_closing_time_must_follow_the_opening_and_lie_ahead(w):
    deliberation = deliberation_make(w)
    version_published(w, deliberation)
    now = timezone.now()
    before = table_counts()
    with pytest.raises(ApplicationError, match="截止时间应晚于开始时间。") as refused:
        round_opened(
            w, deliberation, opens_at=now + datetime.timedelta(days=2), closes_at=now + datetime.timedelta(days=1)
        )
    assert refused.value.extra == {"field": "closes_at"}
    with pytest.raises(ApplicationError, match="截止时间应晚于开始时间。"):
        round_opened(w, deliberation, opens_at=now, closes_at=now)
    with pytest.raises(ApplicationError, match="截止时间已过，请重新选择。"):
        round_opened(
            w, deliberation, opens_at=now - datetime.timedelta(days=3), closes_at=now - datetime.timedelta(minutes=1)
        )
    assert changed_tables(before, table_counts()) == {}
    deliberation.refresh_from_db()
    assert deliberation.status == S.DRAFTING


@pytest.mark.parametrize("who", ["hr", "zhou", "sub_union_officer", "member", "auditor"])
def test_only_the_office_opens_a_round(w, who):
    deliberation = deliberation_make(w)
    version_published(w, deliberation)
    before = table_counts()
    with pytest.raises(PermissionDenied):
        round_open(
            actor=w.users[who],
            deliberation=deliberation,
            opens_at=timezone.now(),
            closes_at=timezone.now() + datetime.timedelta(days=7),
        )
    assert changed_tables(before, table_counts()) == {}


# --- giving opinions online ----------------------------------------------------------------------


def test_members_give_opinions_per_article_or_in_general_through_their_college(w):
    world = through(w, "open")
    r = world.opinion_round
    zhang = give(w, r, "zhang", "  建议提高比例  ", 1)
    li = give(w, r, "li", "建议公开测算依据")  # econ's union group rolls up to econ
    sun = give(w, r, "sun", "赞同", 2)  # active staff, not a delegate
    assert (zhang.article, zhang.text, zhang.author, zhang.sub_union) == (
        r.version.articles.get(position=1),
        "建议提高比例",
        w.people["zhang"],
        w.u.econ,
    )
    assert (zhang.channel, zhang.entered_by, zhang.is_delegate, zhang.group) == (
        OpinionChannel.ONLINE,
        w.users["zhang"],
        True,
        None,
    )
    assert (li.article, li.sub_union, li.is_delegate) == (None, w.u.econ, True)
    assert (sun.sub_union, sun.is_delegate) == (w.u.law, False)
    assert college_of(w.u.econ_group) == w.u.econ and college_of(w.u.law) == w.u.law
    assert Opinion.objects.filter(round=r).count() == 3


def _refused(call, message, *, field=None):
    before = table_counts()
    with pytest.raises(ApplicationError, match=message) as refused:
        call()
    assert changed_tables(before, table_counts()) == {}
    if field is not None:
        assert refused.value.extra == {"field": field}
    return refused.value


def test_an_opinion_after_the_closing_time_is_refused_even_before_the_round_is_closed(w, clock):
    world = through(w, "open")
    r = world.opinion_round
    clock.move_to(r.closes_at)
    error = _refused(lambda: give(w, r, "zhang", "晚到的意见", 1), "截止", field="text")
    assert str(error.message) == f"本轮征求意见已于 {_local(r.closes_at)} 截止，不再接收意见。"
    assert Opinion.objects.count() == 0


def test_an_opinion_after_an_early_close_is_refused_with_the_actual_close(w, clock):
    world = through(w, "given")
    r = world.opinion_round
    round_close(actor=w.office, opinion_round=r)
    r.refresh_from_db()
    assert r.closed_at < r.closes_at
    error = _refused(lambda: give(w, r, "sun", "晚到的意见"), "截止")
    assert _local(r.closed_at) in str(error.message)
    _refused(
        lambda: opinion_enter(actor=w.users["chen"], opinion_round=r, sub_union=w.u.econ, text="纸质意见"),
        "截止",
    )
    assert Opinion.objects.count() == 6


def test_an_opinion_before_the_opening_is_refused(w):
    deliberation = deliberation_make(w)
    version_published(w, deliberation)
    opens = timezone.now() + datetime.timedelta(days=1)
    r = round_opened(w, deliberation, opens_at=opens, closes_at=opens + datetime.timedelta(days=7))
    error = _refused(lambda: give(w, r, "zhang", "提前的意见"), "开始，请届时再提", field="text")
    assert str(error.message) == f"本轮征求意见 {_local(opens)} 开始，请届时再提。"


def test_an_opinion_on_an_article_of_another_version_is_refused(w):
    world = through(w, "open")
    other = deliberation_make(w, topic="教职工年度考核实施办法")
    stranger = version_drafted(w, other).articles.get(position=1)
    error = _refused(
        lambda: opinion_give(
            actor=w.users["zhang"], opinion_round=world.opinion_round, text="意见", article_id=stranger.pk
        ),
        "不在",
        field="article",
    )
    assert str(error.message) == "所选条款不在第1稿中，请重新选择。"
    _refused(
        lambda: opinion_give(actor=w.users["zhang"], opinion_round=world.opinion_round, text="意见", article_id=999999),
        "所选条款不在第1稿中",
    )


def test_a_delegates_round_refuses_other_staff(w):
    world = through(w, "open", audience=RoundAudience.DELEGATES)
    r = world.opinion_round
    for who in ("sun", "chen"):
        _refused(
            lambda who=who: give(w, r, who, "意见"), "本轮只征求教代会代表的意见；您可以通过所在学院（分工会）反映。"
        )
    assert give(w, r, "wang", "代表的意见").is_delegate is True


def test_an_all_staff_round_asks_serving_staff_only(w):
    world = through(w, "open")
    _refused(lambda: give(w, world.opinion_round, "zhao", "退休人员的意见"), "本轮征求在职教职工的意见。")


def test_a_round_without_online_opinions_sends_members_to_their_college(w):
    deliberation = deliberation_make(w)
    version_published(w, deliberation)
    r = round_opened(w, deliberation, online=False)
    _refused(lambda: give(w, r, "zhang", "意见"), "本轮意见由各学院（分工会）收集，请交给所在学院。")
    # the college still enters it on paper
    entered = opinion_enter(
        actor=w.users["chen"], opinion_round=r, sub_union=w.u.econ, author=w.people["zhang"], text="意见"
    )
    assert entered.channel == OpinionChannel.PAPER


def test_an_opinion_needs_a_person_and_a_text_of_reasonable_length(w):
    world = through(w, "open")
    r = world.opinion_round
    before = table_counts()
    for who in ("union_office", "hr"):  # accounts of no member of staff give no opinion
        with pytest.raises(PermissionDenied):
            give(w, r, who, "意见")
    assert changed_tables(before, table_counts()) == {}
    _refused(lambda: give(w, r, "zhang", "   "), "请填写意见", field="text")
    _refused(lambda: give(w, r, "zhang", "字" * 2001), "意见不能超过 2000 字，请精简或分条提出。", field="text")
    assert len(give(w, r, "zhang", "字" * 2000).text) == 2000


# --- paper opinions entered by the college ----------------------------------------------------------


def test_a_college_officer_enters_paper_opinions_for_its_staff(w):
    world = through(w, "open")
    r = world.opinion_round
    wu = opinion_enter(
        actor=w.users["chen"],
        opinion_round=r,
        sub_union=w.u.econ,
        author=w.people["wu"],
        article_id=article_id(r, 3),
        text="课时费偏低",
    )
    assert (wu.author, wu.sub_union, wu.channel, wu.entered_by, wu.is_delegate) == (
        w.people["wu"],
        w.u.econ,
        OpinionChannel.PAPER,
        w.users["chen"],
        True,
    )
    assert wu.article.position == 3
    # a member of the college's union group, entered through the group: filed under the college
    li = opinion_enter(
        actor=w.users["chen"], opinion_round=r, sub_union=w.u.econ_group, author=w.people["li"], text="意见"
    )
    assert li.sub_union == w.u.econ
    # the college's collective opinion has no author
    collective = opinion_enter(actor=w.users["chen"], opinion_round=r, sub_union=w.u.econ, text="学院集体意见")
    assert (collective.author, collective.is_delegate, collective.sub_union) == (None, False, w.u.econ)
    # a non-delegate's paper opinion
    chen = opinion_enter(
        actor=w.users["chen"], opinion_round=r, sub_union=w.u.econ, author=w.people["chen"], text="意见"
    )
    assert chen.is_delegate is False
    # the office may enter for any college
    assert (
        opinion_enter(actor=w.office, opinion_round=r, sub_union=w.u.law, author=w.people["sun"], text="意见").sub_union
        == w.u.law
    )


def test_an_officer_enters_for_their_own_college_only(w):
    world = through(w, "open")
    before = table_counts()
    with pytest.raises(PermissionDenied):
        opinion_enter(
            actor=w.users["chen"],
            opinion_round=world.opinion_round,
            sub_union=w.u.law,
            author=w.people["wang"],
            text="意见",
        )
    for who in ("member", "hr", "zhou"):
        with pytest.raises(PermissionDenied):
            opinion_enter(actor=w.users[who], opinion_round=world.opinion_round, sub_union=w.u.econ, text="意见")
    assert changed_tables(before, table_counts()) == {}


def test_the_author_must_belong_to_the_college_and_be_asked(w):
    world = through(w, "open")
    r = world.opinion_round
    error = _refused(
        lambda: opinion_enter(
            actor=w.users["chen"], opinion_round=r, sub_union=w.u.econ, author=w.people["wang"], text="意见"
        ),
        "王芳不是经济学院分工会的教职工。",
        field="author",
    )
    assert "不是" in str(error.message)


def test_a_delegates_round_takes_paper_opinions_of_delegates_only(w):
    world = through(w, "open", audience=RoundAudience.DELEGATES)
    r = world.opinion_round
    _refused(
        lambda: opinion_enter(
            actor=w.users["chen"], opinion_round=r, sub_union=w.u.econ, author=w.people["chen"], text="意见"
        ),
        "本轮只征求教代会代表的意见",
        field="author",
    )
    _refused(
        lambda: opinion_enter(actor=w.users["chen"], opinion_round=r, sub_union=w.u.econ, text="学院集体意见"),
        "本轮只征求代表意见，请选择提出意见的代表。",
        field="author",
    )
    assert opinion_enter(
        actor=w.users["chen"], opinion_round=r, sub_union=w.u.econ, author=w.people["qian"], text="意见"
    ).is_delegate


# --- closing and grouping -----------------------------------------------------------------------


def _groups(opinion_round) -> set:
    return {
        (g.article.position if g.article else None, g.size, g.colleges, g.summary, g.status)
        for g in OpinionGroup.objects.filter(round=opinion_round).select_related("article")
    }


def test_closing_groups_near_identical_opinions_per_article(w):
    world = through(w, "given")
    r = world.opinion_round
    closed = round_close(actor=w.office, opinion_round=r)
    world.deliberation.refresh_from_db()
    assert world.deliberation.status == S.SUMMARISING
    assert closed.closed_at is not None and closed.closed_at <= timezone.now() and closed.ends_at == closed.closed_at
    assert _groups(r) == {
        (1, 3, 2, BASE_PAY, "pending"),  # zhang, li (econ) and wang (law): near-identical
        (1, 1, 1, "建议增加良好等次", "pending"),
        (3, 1, 1, "超工作量课时费每学时八十元偏低，建议提高到一百元", "pending"),
        (None, 1, 1, "建议方案出台前召开教职工座谈会", "pending"),
    }
    ops = {name: Opinion.objects.get(pk=o.pk) for name, o in world.opinions.items()}
    assert ops["zhang"].group_id == ops["li"].group_id == ops["wang"].group_id
    assert len({ops[n].group_id for n in ("zhang", "qian", "wu", "zhou")}) == 4
    assert sorted(OpinionGroup.objects.filter(round=r).values_list("number", flat=True)) == [1, 2, 3, 4]
    # articles in their order: 第一条's groups before 第三条's
    numbers = {g.summary: g.number for g in OpinionGroup.objects.filter(round=r)}
    assert numbers[BASE_PAY] < numbers["建议增加良好等次"] < numbers["超工作量课时费每学时八十元偏低，建议提高到一百元"]
    event = world.deliberation.events.get(step="close_round")
    assert event.parameters == {"round": r.pk, "opinions": 6}


def test_general_opinions_come_first_in_the_roll_up_on_every_database(w):
    world = through(w, "given")
    round_close(actor=w.office, opinion_round=world.opinion_round)
    first = OpinionGroup.objects.get(round=world.opinion_round, number=1)
    assert first.article is None  # as in article_choices and the college summary: 总体意见 first


def test_identical_texts_on_different_articles_or_in_general_are_separate_groups(w):
    world = through(w, "open")
    r = world.opinion_round
    give(w, r, "zhang", BASE_PAY, 1)
    give(w, r, "li", BASE_PAY, 2)
    give(w, r, "wang", BASE_PAY)
    give(w, r, "sun", BASE_PAY)
    round_close(actor=w.office, opinion_round=r)
    assert _groups(r) == {
        (1, 1, 1, BASE_PAY, "pending"),
        (2, 1, 1, BASE_PAY, "pending"),
        (None, 2, 1, BASE_PAY, "pending"),  # wang and sun, both of law
    }


def test_a_round_without_opinions_closes_with_no_groups(w):
    world = through(w, "open")
    round_close(actor=w.office, opinion_round=world.opinion_round)
    assert OpinionGroup.objects.count() == 0
    world.deliberation.refresh_from_db()
    assert world.deliberation.status == S.SUMMARISING


def test_closing_is_refused_for_others_and_for_a_round_closed_already(w):
    world = through(w, "given")
    r = world.opinion_round
    before = table_counts()
    for who in ("hr", "zhou", "chen"):
        with pytest.raises(StepNotAllowed):
            round_close(actor=w.users[who], opinion_round=r)
    assert changed_tables(before, table_counts()) == {}
    round_close(actor=w.office, opinion_round=r)
    before = table_counts()
    with pytest.raises(InvalidTransition):
        round_close(actor=w.office, opinion_round=r)
    assert changed_tables(before, table_counts()) == {}


def test_only_the_current_round_is_closed(w):
    world = through(w, "responded")
    version_published(w, world.deliberation, DRAFT_V2)
    second = round_opened(w, world.deliberation)
    assert second.number == 2
    before = table_counts()
    with pytest.raises(ApplicationError, match="只能截止当前一轮。"):
        round_close(actor=w.office, opinion_round=world.opinion_round)
    assert changed_tables(before, table_counts()) == {}


def test_the_roll_up_is_sent_after_closing(w):
    world = through(w, "given")
    before = table_counts()
    with pytest.raises(InvalidTransition):
        rollup_send(actor=w.office, opinion_round=world.opinion_round)
    assert changed_tables(before, table_counts()) == {}
    round_close(actor=w.office, opinion_round=world.opinion_round)
    with pytest.raises(StepNotAllowed):
        rollup_send(actor=w.users["hr"], opinion_round=world.opinion_round)
    sent = rollup_send(actor=w.office, opinion_round=world.opinion_round)
    world.deliberation.refresh_from_db()
    assert world.deliberation.status == S.AWAITING_RESPONSE
    assert sent.sent_at is not None
    assert world.deliberation.events.get(step="send").parameters == {"round": sent.pk, "groups": 4}


def test_the_office_moves_an_opinion_between_groups_of_the_same_article_before_sending(w):
    world = through(w, "closed")
    r = world.opinion_round
    qian = Opinion.objects.get(pk=world.opinions["qian"].pk)
    big = Opinion.objects.get(pk=world.opinions["zhang"].pk).group
    alone = qian.group
    opinion_regroup(actor=w.office, opinion=qian, group=big)
    assert not OpinionGroup.objects.filter(pk=alone.pk).exists()  # emptied: removed
    big.refresh_from_db()
    assert (big.size, big.colleges, big.summary) == (4, 2, BASE_PAY)
    # and out again, into a group of its own numbered after the last
    opinion_regroup(actor=w.office, opinion=qian, group=None)
    qian.refresh_from_db()
    assert qian.group.number == 5 and qian.group.size == 1
    big.refresh_from_db()
    assert big.size == 3
    # into another article's group: refused
    wu_group = Opinion.objects.get(pk=world.opinions["wu"].pk).group
    with pytest.raises(ApplicationError, match="只能归入同一轮、同一条款的意见组。"):
        opinion_regroup(actor=w.office, opinion=qian, group=wu_group)
    with pytest.raises(PermissionDenied):
        opinion_regroup(actor=w.users["hr"], opinion=qian, group=big)
    rollup_send(actor=w.office, opinion_round=r)
    before = table_counts()
    with pytest.raises(ApplicationError, match="汇总已送起草单位，不能再调整归并。"):
        opinion_regroup(actor=w.office, opinion=qian, group=big)
    assert changed_tables(before, table_counts()) == {}


# --- the daily command ----------------------------------------------------------------------------


def test_rounds_due_closes_rounds_past_their_time_and_reminds_once(w, clock):
    now = timezone.now()
    due = deliberation_make(w, topic="甲方案")
    version_published(w, due)
    due_round = round_opened(w, due, closes_at=now + datetime.timedelta(hours=2))
    give(w, due_round, "zhang", BASE_PAY, 1)
    give(w, due_round, "li", BASE_PAY + "。", 1)
    soon = deliberation_make(w, topic="乙方案")
    version_published(w, soon)
    soon_round = round_opened(w, soon, closes_at=now + datetime.timedelta(hours=20))
    later = deliberation_make(w, topic="丙方案")
    version_published(w, later)
    later_round = round_opened(w, later, closes_at=now + datetime.timedelta(days=7), audience=RoundAudience.DELEGATES)

    clock.move_to(now + datetime.timedelta(hours=3))
    assert rounds_due(actor=system_actor()) == {"closed": 1, "reminded": 1}
    due_round.refresh_from_db()
    due.refresh_from_db()
    assert due.status == S.SUMMARISING
    assert due_round.closed_at == due_round.closes_at  # closed at its closing time, not when the command ran
    assert due_round.groups.get().size == 2
    assert due.events.get(step="close_round").actor.username == "system"
    soon_round.refresh_from_db()
    assert soon_round.reminded_at is not None and soon_round.closed_at is None
    reminders = Notification.objects.filter(kind="deliberations.round_closing")
    # the staff asked (every active member of staff with an account) and the college officers
    assert set(reminders.values_list("recipient__username", flat=True)) == {
        "E0001",
        "E0002",
        "E0003",
        "E0004",
        "E0099",
        "L0001",
        "L0002",
        "L0009",
        "lawofficer",
    }
    assert set(reminders.values_list("title", flat=True)) == {
        f"“乙方案”征求意见将于 {_local(soon_round.closes_at)} 截止"
    }

    # again the same day: nothing more
    before = table_counts()
    assert rounds_due(actor=system_actor()) == {"closed": 0, "reminded": 0}
    assert changed_tables(before, table_counts()) == {}

    # six days and a half later: 乙 is closed, 丙 (delegates) is reminded
    clock.move_to(now + datetime.timedelta(days=6, hours=12))
    assert rounds_due(actor=system_actor()) == {"closed": 1, "reminded": 1}
    soon.refresh_from_db()
    assert soon.status == S.SUMMARISING
    later_round.refresh_from_db()
    assert later_round.reminded_at is not None
    delegates_told = Notification.objects.filter(kind="deliberations.round_closing", title__contains="丙方案")
    assert set(delegates_told.values_list("recipient__username", flat=True)) == {
        "E0001",
        "E0002",
        "E0003",
        "E0004",
        "L0001",
        "L0009",
        "E0099",
        "lawofficer",
    }


def test_a_union_group_officer_enters_for_their_groups_members_only(w):
    from gonghui.people.tests.factories import user_make

    group_officer = user_make(username="grouplead", roles=[("sub_union_officer", w.u.econ_group)])
    world = through(w, "open")
    # li is in the group: fine
    opinion_enter(
        actor=group_officer,
        opinion_round=world.opinion_round,
        sub_union=w.u.econ_group,
        author=w.people["li"],
        text="甲",
    )
    # zhang belongs to the college itself, outside the group officer's scope
    before = table_counts()
    with pytest.raises((PermissionDenied, ApplicationError)):
        opinion_enter(
            actor=group_officer,
            opinion_round=world.opinion_round,
            sub_union=w.u.econ_group,
            author=w.people["zhang"],
            text="乙",
        )
    assert changed_tables(before, table_counts()) == {}
