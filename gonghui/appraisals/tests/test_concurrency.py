"""Concurrency on PostgreSQL: submissions at the same instant, each thread on its own connection
(a double tap, two devices, a meeting voting at once, two tellers confirming together). SQLite
serialises writers, so these run on PostgreSQL only (skipped on SQLite, as in
gonghui/core/tests/test_ballots.py):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gh_tests .venv/bin/python -m pytest \\
        gonghui/appraisals/tests/test_concurrency.py -q
"""

from __future__ import annotations

import pytest

from gonghui.appraisals.choices import VotingMode
from gonghui.appraisals.models import PaperCount, PaperHandout
from gonghui.appraisals.services import rounds as round_services
from gonghui.appraisals.services.paper import paper_ballot_enter, paper_count_agree
from gonghui.appraisals.services.voting import appraisal_vote, paper_handout
from gonghui.appraisals.tests.factories import grades_all, rules_make, through
from gonghui.core.models import Ballot, BallotPending, BallotVoter
from gonghui.people.tests.factories import person_make, user_make
from tests.concurrency import at_once, postgresql_only  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("postgresql_only")]


def _ballots(unit) -> int:
    return Ballot.objects.filter(box=unit.box).count() + BallotPending.objects.filter(box=unit.box).count()


def test_one_voter_twice_at_the_same_instant_keeps_one_ballot(w, clock):
    through(w, "open", clock)
    member = w.users["member"]
    outcomes = at_once(
        lambda: appraisal_vote(actor=member, unit=w.econ, choices=grades_all(w.econ, "excellent", "good")),
        lambda: appraisal_vote(actor=member, unit=w.econ, choices=grades_all(w.econ, "incompetent", "poor")),
    )
    assert sorted(outcomes) == ["ok", "您已投过票，选票一经投出不能更改。"]
    assert _ballots(w.econ) == 1
    assert list(BallotVoter.objects.filter(box=w.econ.box, voted=True).values_list("person_id", flat=True)) == [
        w.u.zhang.pk
    ]


def test_twenty_voters_of_a_unitat_once(w, clock, settings):
    settings.BALLOT_BATCH = 10
    crowd = []
    for i in range(20):
        person = person_make(staff_no=f"E06{i:02d}", name=f"同时{i:02d}", sub_union=w.u.econ)
        crowd.append(user_make(username=person.staff_no, person=person))
    round_services.voters_fill(actor=w.office, unit=w.econ, staff_category="staff", cadre_category="cadre")
    through(w, "open", clock)
    grades = ("excellent", "competent", "basic", "incompetent")
    outcomes = at_once(
        *(
            (lambda user=user, i=i: appraisal_vote(actor=user, unit=w.econ, choices=grades_all(w.econ, grades[i % 4])))
            for i, user in enumerate(crowd)
        )
    )
    assert outcomes == ["ok"] * 20
    assert (Ballot.objects.filter(box=w.econ.box).count(), BallotPending.objects.filter(box=w.econ.box).count()) == (
        20,
        0,
    )  # two full batches of 10
    voted = set(BallotVoter.objects.filter(box=w.econ.box, voted=True).values_list("person_id", flat=True))
    assert voted == {user.person_id for user in crowd}
    through(w, "closed", clock)
    tally = Ballot.objects.filter(box=w.econ.box).values_list("choices", flat=True)
    dean = w.cadres["dean"].item_key
    assert sorted(c[dean] for c in tally) == sorted(grades[i % 4] for i in range(20))


def test_a_paper_handout_and_an_online_vote_of_one_personat_once(w, clock):
    rules_make(w.u, mode=VotingMode.BOTH)
    through(w, "open", clock)
    outcomes = at_once(
        lambda: appraisal_vote(actor=w.users["member"], unit=w.econ, choices=grades_all(w.econ)),
        lambda: paper_handout(actor=w.users["li"], unit=w.econ, staff_no="E0001"),
    )
    # whichever came second is refused: the vote (by the handout's mark, or the handout itself
    # once committed), or the handout (by the vote's mark)
    refusals = (
        "您已投过票，选票一经投出不能更改。",
        "您已在年会现场领取纸质选票，不能再在网上投票。",
        "此人已经投过票。",
    )
    assert outcomes.count("ok") == 1
    assert [o for o in outcomes if o != "ok"][0] in refusals
    assert _ballots(w.econ) + PaperHandout.objects.filter(round_unit=w.econ).count() == 1
    assert BallotVoter.objects.filter(box=w.econ.box, voted=True).count() == 1


def test_two_tellers_agreeing_at_once_make_one_count(w, clock):
    rules_make(w.u, mode=VotingMode.PAPER)
    through(w, "open", clock)
    li, chen = w.users["li"], w.users["sub_union_officer"]
    for teller in (li, chen):
        for grade in ("excellent", "basic"):
            paper_ballot_enter(
                actor=teller, unit=w.econ, category="staff", spoilt=False, choices=grades_all(w.econ, grade)
            )
    outcomes = at_once(
        lambda: paper_count_agree(actor=li, unit=w.econ, category="staff"),
        lambda: paper_count_agree(actor=chen, unit=w.econ, category="staff"),
    )
    assert sorted(outcomes) == ["ok", "这一类别的纸质选票已核对一致，不能再录入或修改。"]
    count = PaperCount.objects.get()
    assert (count.round_unit_id, count.category, count.ballots, count.spoilt) == (w.econ.pk, "staff", 2, 0)
