"""What waits in draft deliberations: rounds past their time and roll-ups to send (the office),
groups to answer (the drafting unit), open rounds to collect (college officers); the member's
card of open rounds and answered opinions."""

from gonghui.deliberations.services.rounds import round_close
from gonghui.deliberations.tests.factories import through
from gonghui.deliberations.workbench import deliberations_cards, deliberations_todos


def _counts(user) -> dict[str, int]:
    return {q.key: q.count for q in deliberations_todos(user)}


def test_the_queues_follow_the_deliberation(w, clock):
    world = through(w, "given")
    assert _counts(w.office) == {"deliberations.round_due": 0, "deliberations.to_send": 0}
    assert _counts(w.users["chen"]) == {"deliberations.collect": 1}
    assert _counts(w.users["hr"]) == {"deliberations.to_answer": 0}
    assert _counts(w.users["zhang"]) == {}
    clock.move_to(world.opinion_round.closes_at)
    assert _counts(w.office)["deliberations.round_due"] == 1
    assert _counts(w.users["chen"]) == {"deliberations.collect": 0}
    round_close(actor=w.office, opinion_round=world.opinion_round)
    assert _counts(w.office) == {"deliberations.round_due": 0, "deliberations.to_send": 1}


def test_the_drafting_unit_counts_its_groups_to_answer(w):
    through(w, "sent")
    assert _counts(w.users["hr"]) == {"deliberations.to_answer": 4}
    assert _counts(w.users["handling_unit_officer"]) == {"deliberations.to_answer": 0}
    assert _counts(w.office) == {"deliberations.round_due": 0, "deliberations.to_send": 0}


def test_the_members_card(w):
    assert deliberations_cards(w.users["zhang"]) == []
    assert deliberations_cards(w.office) == []  # no person
    through(w, "given")
    (card,) = deliberations_cards(w.users["sun"])
    assert card.lines == ("征求意见：教职工绩效工资改革方案，03-22 截止",) and card.badge == 1
    assert card.action == "查看并提意见"


def test_a_retired_member_is_not_invited_to_a_round_that_refuses_them(w):
    through(w, "given")
    assert deliberations_cards(w.users["zhao"]) == []


def test_answered_opinions_show_on_the_authors_card(w):
    through(w, "responded")
    (card,) = deliberations_cards(w.users["zhang"])
    assert card.lines == ("您的 1 条意见已有答复",) and card.badge == 0
    assert deliberations_cards(w.users["sun"]) == []
