"""Who sees what (the scoped querysets): delegates see published versions, never drafts; staff
not asked see nothing; college officers see their college's opinions; the drafting unit sees
opinions once the roll-up is sent, without their authors when the round is anonymous; the
answers reach readers once they are published."""

import pytest

from gonghui.accounts.access import get_access
from gonghui.deliberations.choices import RoundAudience
from gonghui.deliberations.models import Article, Deliberation, DraftVersion, Opinion, OpinionGroup, OpinionRound
from gonghui.deliberations.tests.factories import (
    DRAFT_V2,
    deliberation_make,
    through,
    version_drafted,
    version_published,
)


def _seen(model, user, action="view") -> set:
    return set(model.objects.restrict(user, action).values_list("pk", flat=True))


def _ids(*objects) -> set:
    return {o.pk for o in objects}


def test_nothing_is_seen_by_readers_before_a_version_is_published(w):
    deliberation = deliberation_make(w)
    draft = version_drafted(w, deliberation)
    for who in ("zhang", "sun", "chen", "handling_unit_officer"):
        assert _seen(Deliberation, w.users[who]) == set()
        assert _seen(DraftVersion, w.users[who]) == set()
    # its insiders see the draft: the drafting unit and the session's presidium; the office all
    for who in ("hr", "zhou", "union_office", "auditor"):
        assert _seen(Deliberation, w.users[who]) == {deliberation.pk}
        assert _seen(DraftVersion, w.users[who]) == {draft.pk}


def test_a_delegate_sees_the_published_versions_not_the_drafts(w):
    world = through(w, "responded", audience=RoundAudience.DELEGATES)
    draft = version_drafted(w, world.deliberation, DRAFT_V2)
    zhang = w.users["zhang"]
    assert _seen(Deliberation, zhang) == {world.deliberation.pk}
    assert _seen(DraftVersion, zhang) == {world.version.pk}
    assert _seen(Article, zhang) == set(world.version.articles.values_list("pk", flat=True))
    assert _seen(OpinionRound, zhang) == {world.opinion_round.pk}
    # insiders see the new draft too
    for who in ("hr", "zhou", "union_office"):
        assert _seen(DraftVersion, w.users[who]) == _ids(world.version, draft)
    # acting is for insiders only: a reader acts on nothing
    assert _seen(Deliberation, zhang, "change") == set()
    assert _seen(DraftVersion, zhang, "change") == set()
    assert _seen(DraftVersion, w.users["hr"], "change") == _ids(world.version, draft)


def test_staff_not_asked_see_nothing(w):
    # a delegates' round: sun (active staff, no delegate) is not asked
    world = through(w, "responded", audience=RoundAudience.DELEGATES)
    for who in ("sun", "zhao", "handling_unit_officer"):
        user = w.users[who]
        assert _seen(Deliberation, user) == set()
        assert _seen(DraftVersion, user) == set()
        assert _seen(Article, user) == set()
        assert _seen(OpinionRound, user) == set()
        assert _seen(OpinionGroup, user) == set()
    # a published version without any round: delegates see it, other staff do not
    other = deliberation_make(w, topic="乙方案")
    version_published(w, other)
    assert _seen(Deliberation, w.users["sun"]) == set()
    assert _seen(Deliberation, w.users["wang"]) == {world.deliberation.pk, other.pk}


def test_a_round_open_to_all_staff_shows_the_deliberation_to_every_member(w):
    world = through(w, "open")
    assert _seen(Deliberation, w.users["sun"]) == {world.deliberation.pk}
    assert _seen(DraftVersion, w.users["sun"]) == {world.version.pk}
    assert _seen(Deliberation, w.users["handling_unit_officer"]) == set()  # no person, no unit of its own


def test_a_college_officer_sees_published_deliberations_and_their_colleges_opinions_only(w):
    world = through(w, "given")
    ops = world.opinions
    assert _seen(Deliberation, w.users["chen"]) == {world.deliberation.pk}
    assert _seen(Opinion, w.users["chen"]) == _ids(ops["zhang"], ops["li"], ops["qian"], ops["wu"])  # econ
    assert _seen(Opinion, w.users["law_officer"]) == _ids(ops["wang"], ops["zhou"])  # law
    # a member their own; the presidium, the office and the auditor every one
    assert _seen(Opinion, w.users["zhang"]) == _ids(ops["zhang"])
    assert _seen(Opinion, w.users["sun"]) == set()
    everyone = _ids(*ops.values())
    for who in ("zhou", "union_office", "auditor"):
        assert _seen(Opinion, w.users[who]) == everyone
    # opinions are never acted on through the scope
    assert _seen(Opinion, w.users["chen"], "change") == set()


@pytest.mark.parametrize("until, seen", [("given", False), ("closed", False), ("sent", True), ("responded", True)])
def test_the_drafting_unit_sees_opinions_once_the_roll_up_is_sent(w, until, seen):
    world = through(w, until)
    expected = _ids(*world.opinions.values()) if seen else set()
    assert _seen(Opinion, w.users["hr"]) == expected
    assert _seen(Opinion, w.users["handling_unit_officer"]) == set()  # another unit: never


def test_authors_are_hidden_from_the_drafting_unit_in_an_anonymous_round(w):
    world = through(w, "sent", anonymous=True)
    opinions = {name: Opinion.objects.get(pk=o.pk) for name, o in world.opinions.items()}
    hr = get_access(w.users["hr"])
    assert {name: o.author_shown_to(hr) for name, o in opinions.items()} == dict.fromkeys(opinions, False)
    for who in ("union_office", "auditor", "zhou"):  # the office, readers of everything, the presidium
        access = get_access(w.users[who])
        assert all(o.author_shown_to(access) for o in opinions.values()), who
    chen = get_access(w.users["chen"])  # the college sees its own
    assert {name: o.author_shown_to(chen) for name, o in opinions.items()} == {
        "zhang": True,
        "li": True,
        "qian": True,
        "wu": True,
        "wang": False,
        "zhou": False,
    }
    zhang = get_access(w.users["zhang"])  # the author sees themself
    assert [name for name, o in opinions.items() if o.author_shown_to(zhang)] == ["zhang"]


def test_authors_are_shown_to_the_drafting_unit_when_the_round_is_not_anonymous(w):
    world = through(w, "sent")
    hr = get_access(w.users["hr"])
    assert all(Opinion.objects.get(pk=o.pk).author_shown_to(hr) for o in world.opinions.values())


@pytest.mark.parametrize("until", ["closed", "sent", "answered"])
def test_readers_see_the_groups_only_once_the_answers_are_published(w, until):
    world = through(w, until)
    groups = set(world.opinion_round.groups.values_list("pk", flat=True))
    assert len(groups) == 4
    for who in ("zhang", "wang", "chen", "sun"):
        assert _seen(OpinionGroup, w.users[who]) == set(), who
    for who in ("zhou", "union_office", "auditor"):
        assert _seen(OpinionGroup, w.users[who]) == groups, who
    # the drafting unit once the roll-up is sent (as its opinions); another unit never
    assert _seen(OpinionGroup, w.users["hr"]) == (set() if until == "closed" else groups)
    assert _seen(OpinionGroup, w.users["handling_unit_officer"]) == set()


def test_published_answers_reach_every_reader(w):
    world = through(w, "responded")
    groups = set(world.opinion_round.groups.values_list("pk", flat=True))
    for who in ("zhang", "wang", "chen", "sun"):
        assert _seen(OpinionGroup, w.users[who]) == groups, who
    # reading is not answering
    assert _seen(OpinionGroup, w.users["zhang"], "change") == set()
    assert _seen(OpinionGroup, w.users["hr"], "change") == groups
    assert _seen(OpinionGroup, w.users["handling_unit_officer"]) == set()
