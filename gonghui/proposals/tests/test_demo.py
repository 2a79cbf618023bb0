"""The demo congress: 80 submissions in the second session, every path present, idempotent."""

from collections import Counter

import pytest

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
    assert Proposal.objects.count() == 81
