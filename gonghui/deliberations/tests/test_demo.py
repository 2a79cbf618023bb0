"""The demo deliberations (after the people and proposals demos, at a tenth of the size): the
2021 performance-pay reform through three versions and two rounds to its adoption, every
opinion answered; a plan open for opinions now; a second run changes nothing."""

import pytest

from gonghui.deliberations.choices import AnswerStatus, DeliberationStatus, RoundAudience, VersionStatus
from gonghui.deliberations.demo import TOPIC_2021, TOPIC_AWAITING, TOPIC_NOW, deliberations_demo_build
from gonghui.deliberations.models import Deliberation, Opinion, OpinionGroup, Vote
from tests.tables import changed_tables, table_counts


@pytest.mark.django_db
def test_the_2021_reform_is_adopted_after_two_rounds_and_a_rerun_changes_nothing():
    from gonghui.people.demo import demo_university_build
    from gonghui.proposals.demo import proposals_demo_build

    demo_university_build(scale=0.1)
    proposals_demo_build()
    assert deliberations_demo_build() == (
        "352 opinions in 2 rounds, adopted; one roll-up awaiting 人事处's replies; one plan open for opinions now"
    )

    reform = Deliberation.objects.get(topic=TOPIC_2021)
    assert reform.status == DeliberationStatus.ADOPTED
    assert reform.decided_at is not None and reform.decided_at.year == 2021
    assert list(reform.versions.order_by("number").values_list("number", "status")) == [
        (1, VersionStatus.PUBLISHED),
        (2, VersionStatus.PUBLISHED),
        (3, VersionStatus.PUBLISHED),
    ]
    assert [v.articles.count() for v in reform.versions.order_by("number")] == [12, 12, 13]
    rounds = list(reform.rounds.order_by("number"))
    assert [(r.number, r.version.number, r.audience, r.anonymous) for r in rounds] == [
        (1, 1, RoundAudience.ALL_STAFF, True),
        (2, 2, RoundAudience.DELEGATES, False),
    ]
    assert all(r.closed_at and r.sent_at and r.answered_at for r in rounds)
    assert [r.closed_at < r.sent_at < r.answered_at for r in rounds] == [True, True]
    assert [Opinion.objects.filter(round=r).count() for r in rounds] == [241, 111]
    # every opinion is in a group, and every group is answered
    assert not Opinion.objects.filter(round__deliberation=reform, group__isnull=True).exists()
    groups = OpinionGroup.objects.filter(round__deliberation=reform)
    assert groups.count() == 36
    assert not groups.filter(status=AnswerStatus.PENDING).exists()
    assert not groups.exclude(status=AnswerStatus.ADOPTED).filter(reason="").exists()  # a reason unless adopted
    vote = Vote.objects.get(deliberation=reform)
    assert (vote.adopted, vote.version.number, vote.method, vote.held_on.isoformat()) == (
        True,
        3,
        "show_of_hands",
        "2021-06-25",
    )
    assert vote.present >= vote.rules.quorum_for(vote.delegates)
    assert vote.votes_for >= vote.rules.majority_for(delegates=vote.delegates, present=vote.present)
    # the demo member (a delegate too) gave their own opinion in each round
    mine = Opinion.objects.filter(round__deliberation=reform, author__staff_no="100001")
    assert mine.filter(round=rounds[0], text="超工作量课时费每学时八十元偏低，建议提高到一百元").exists()
    assert mine.filter(round=rounds[1], text="建议学校每年向教代会报告绩效工资总量和分配情况").exists()

    awaiting = Deliberation.objects.get(topic=TOPIC_AWAITING)
    assert awaiting.status == DeliberationStatus.AWAITING_RESPONSE
    (waiting_round,) = awaiting.rounds.all()
    assert (waiting_round.opinions.count(), waiting_round.sent_at is not None) == (12, True)
    assert set(waiting_round.groups.values_list("status", flat=True)) == {AnswerStatus.PENDING}

    now = Deliberation.objects.get(topic=TOPIC_NOW)
    assert now.status == DeliberationStatus.OPEN
    assert now.rounds.get().is_open()

    before = table_counts()
    assert deliberations_demo_build() == ""
    assert changed_tables(before, table_counts()) == {}
    assert Deliberation.objects.count() == 3
