"""The demo congress: 80 submissions in the second session, every path present, idempotent; the
2019 archive with the kindergarten proposal."""

from collections import Counter

import pytest
from django.utils import timezone

from gonghui.proposals.models import Proposal


@pytest.mark.django_db
def test_demo_session_has_80_submissions_through_every_path():
    from gonghui.people.demo import demo_university_build
    from gonghui.proposals.demo import proposals_demo_build

    demo_university_build(scale=0.1)
    result = proposals_demo_build()
    assert result.created is True
    assert result.counts == {"delegates": 88, "submissions": 80, "registered": 50}
    second = Proposal.objects.filter(session__number=2)
    assert Counter(second.values_list("status", flat=True)) == {
        "closed": 28,
        "replied": 14,
        "follow_up": 11,
        "merged": 8,
        "assigned": 7,
        "not_registered": 5,
        "rehandling": 5,
        "withdrawn": 2,
    }
    assert second.filter(kind="opinion").count() == 15
    assert second.filter(published_at__isnull=False).count() == 50
    # the third session is open: the demo member's draft awaits two co-signers
    assert Proposal.objects.get(session__number=3).status == "awaiting_co_signers"
    assert proposals_demo_build().created is False
    assert Proposal.objects.count() == 82
    _the_2019_archive()


def _the_2019_archive():
    """第五届's April 2019 session holds the kindergarten proposal, handled as it happened (built
    with the demo above: one build for both)."""
    from gonghui.proposals.demo import KINDERGARTEN_TITLE

    proposal = Proposal.objects.select_related("session__term").get(session__opens_on__year=2019)
    session = proposal.session
    assert (session.term.number, session.term.starts_on.isoformat(), session.term.ends_on.isoformat()) == (
        5,
        "2014-11-01",
        "2019-10-31",
    )
    assert (session.number, session.opens_on.isoformat()) == (5, "2019-04-18")
    assert session.term.delegates.count() == 88
    assert (proposal.title, proposal.number, proposal.status, proposal.progress) == (
        KINDERGARTEN_TITLE,
        1,
        "closed",
        100,
    )
    assert proposal.co_signatures.filter(confirmed_at__isnull=False).count() == 3
    assert proposal.published_at.date().isoformat() == "2019-05-08"
    assert proposal.assignments.get().unit.code == "HQ"
    reply = proposal.replies.get()
    assert (reply.category, reply.target_date.isoformat(), reply.on_time) == ("planned", "2020-09-01", True)
    assert "2020年9月开园" in reply.body
    assert list(reply.ratings.values_list("level", flat=True)) == ["satisfied"]
    assert [(m.title, m.done_on.isoformat()) for m in proposal.milestones.order_by("due_on")] == [
        ("与朝阳区教委签订共建协议", "2019-09-16"),
        ("共建幼儿园开园", "2020-09-01"),
    ]
    # every step is in its history, at its date, in order
    events = [timezone.localtime(at) for at in proposal.events.order_by("pk").values_list("at", flat=True)]
    assert events == sorted(events)
    assert (events[0].date().isoformat(), events[-1].date().isoformat()) == ("2019-03-12", "2020-09-15")
    assert timezone.localtime(proposal.closed_at).date().isoformat() == "2020-09-15"
