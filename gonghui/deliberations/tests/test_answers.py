"""The drafting unit's answers: 采纳 without a reason, 部分采纳 and 不采纳 with one; answering
only once the roll-up is sent and until the answers are published; publishing needs every
group answered and moves the deliberation to responded."""

import pytest
from django.utils import timezone

from gonghui.core.exceptions import ApplicationError, InvalidTransition, StepNotAllowed
from gonghui.deliberations.choices import AnswerStatus, DeliberationStatus
from gonghui.deliberations.models import OpinionGroup
from gonghui.deliberations.services.answers import answers_publish, group_answer
from gonghui.deliberations.tests.factories import DRAFT_V2, round_opened, through, version_published
from tests.tables import changed_tables, table_counts

A = AnswerStatus
S = DeliberationStatus
REASON = "考核等次按学校年度考核办法执行。"


def _first(world) -> OpinionGroup:
    return world.opinion_round.groups.order_by("number").first()


def _refused(call, error_type, message):
    before = table_counts()
    with pytest.raises(error_type, match=message) as refused:
        call()
    assert changed_tables(before, table_counts()) == {}
    return refused.value


def test_an_adopted_answer_needs_no_reason(w):
    world = through(w, "sent")
    group = group_answer(actor=w.users["hr"], group=_first(world), decision=A.ADOPTED)
    assert (group.status, group.reason, group.answered_by) == (A.ADOPTED, "", w.users["hr"])
    assert group.answered_at is not None
    event = group.events.get()
    assert (event.step, event.from_state, event.to_state, event.actor) == ("adopt", A.PENDING, A.ADOPTED, w.users["hr"])


@pytest.mark.parametrize("decision", [A.PARTLY, A.NOT_ADOPTED])
def test_partly_or_not_adopted_needs_a_reason(w, decision):
    world = through(w, "sent")
    group = _first(world)
    for reason in ("", "   "):
        _refused(
            lambda reason=reason: group_answer(actor=w.users["hr"], group=group, decision=decision, reason=reason),
            InvalidTransition,
            "须说明理由",
        )
    group.refresh_from_db()
    assert (group.status, group.answered_at) == (A.PENDING, None)
    answered = group_answer(actor=w.users["hr"], group=group, decision=decision, reason=f"  {REASON}  ")
    assert (answered.status, answered.reason) == (decision, REASON)
    assert answered.events.get().message == REASON


def test_an_unknown_decision_is_refused(w):
    world = through(w, "sent")
    for decision in ("", "pending", "maybe"):
        error = _refused(
            lambda decision=decision: group_answer(actor=w.users["hr"], group=_first(world), decision=decision),
            ApplicationError,
            "请选择采纳、部分采纳或不采纳。",
        )
        assert error.extra == {"field": "decision"}


@pytest.mark.parametrize("until", ["closed", "responded"])
def test_answering_is_refused_before_the_roll_up_is_sent_and_after_publication(w, until):
    world = through(w, until)
    group = _first(world)
    status = group.status
    error = _refused(
        lambda: group_answer(actor=w.users["hr"], group=group, decision=A.NOT_ADOPTED, reason=REASON),
        InvalidTransition,
        "答复已发布或尚未送达起草单位",
    )
    shown = "汇总意见中" if until == "closed" else "已答复"
    assert f"（当前：{shown}）" in str(error.message)
    group.refresh_from_db()
    assert group.status == status


def test_only_the_drafting_unit_and_the_office_answer(w):
    world = through(w, "sent")
    group = _first(world)
    for who in ("handling_unit_officer", "zhou", "chen", "zhang"):
        _refused(
            lambda who=who: group_answer(actor=w.users[who], group=group, decision=A.ADOPTED),
            StepNotAllowed,
            "您无权进行此操作。",
        )
    assert group_answer(actor=w.office, group=group, decision=A.ADOPTED).answered_by == w.office


def test_an_answer_may_change_until_published(w):
    world = through(w, "sent")
    group = _first(world)
    group_answer(actor=w.users["hr"], group=group, decision=A.NOT_ADOPTED, reason=REASON)
    group = group_answer(actor=w.users["hr"], group=group, decision=A.ADOPTED)
    assert (group.status, group.reason) == (A.ADOPTED, "")
    group = group_answer(actor=w.users["hr"], group=group, decision=A.PARTLY, reason="部分吸收。")
    assert (group.status, group.reason) == (A.PARTLY, "部分吸收。")
    assert list(group.events.order_by("id").values_list("step", "from_state", "to_state")) == [
        ("not_adopt", A.PENDING, A.NOT_ADOPTED),
        ("adopt", A.NOT_ADOPTED, A.ADOPTED),
        ("adopt_partly", A.ADOPTED, A.PARTLY),
    ]


def test_publishing_is_refused_while_any_group_is_pending(w):
    world = through(w, "sent")
    groups = list(world.opinion_round.groups.order_by("number"))
    for group in groups[:-1]:
        group_answer(actor=w.users["hr"], group=group, decision=A.ADOPTED)
    error = _refused(
        lambda: answers_publish(actor=w.users["hr"], opinion_round=world.opinion_round),
        InvalidTransition,
        "未答复",
    )
    assert str(error.message) == "还有 1 条（组）意见未答复：每条意见都须答复后才能继续。"
    world.deliberation.refresh_from_db()
    world.opinion_round.refresh_from_db()
    assert (world.deliberation.status, world.opinion_round.answered_at) == (S.AWAITING_RESPONSE, None)


def test_publishing_the_answers_stamps_the_round_and_moves_to_responded(w):
    world = through(w, "answered", decision=A.PARTLY)
    assert set(world.opinion_round.groups.values_list("status", flat=True)) == {A.PARTLY}
    published = answers_publish(actor=w.users["hr"], opinion_round=world.opinion_round)
    assert published.answered_at is not None and published.answered_at <= timezone.now()
    world.deliberation.refresh_from_db()
    assert world.deliberation.status == S.RESPONDED
    event = world.deliberation.events.get(step="respond")
    assert (event.from_state, event.to_state, event.parameters, event.actor) == (
        S.AWAITING_RESPONSE,
        S.RESPONDED,
        {"round": published.pk},
        w.users["hr"],
    )
    # once is enough
    _refused(
        lambda: answers_publish(actor=w.users["hr"], opinion_round=world.opinion_round),
        InvalidTransition,
        "专题审议当前状态为“已答复”",
    )


def test_others_may_not_publish_the_answers(w):
    world = through(w, "answered")
    for who in ("handling_unit_officer", "zhou", "chen"):
        _refused(
            lambda who=who: answers_publish(actor=w.users[who], opinion_round=world.opinion_round),
            StepNotAllowed,
            "您无权进行此操作。",
        )
    world.opinion_round.refresh_from_db()
    assert world.opinion_round.answered_at is None


def test_only_the_current_rounds_answers_are_published(w):
    world = through(w, "responded")
    version_published(w, world.deliberation, DRAFT_V2)
    round_opened(w, world.deliberation)
    _refused(
        lambda: answers_publish(actor=w.users["hr"], opinion_round=world.opinion_round),
        ApplicationError,
        "只能发布当前一轮的答复。",
    )
