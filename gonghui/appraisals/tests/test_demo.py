"""The demo appraisals (after the people demo, at a tenth of the size): the 2021 round across
eight colleges, run through the services at its dates to the organisation department's release,
two colleges under quorum, one cadre flagged, 经济学院's paper ballots agreed by its two
tellers; 经济学院's 2020 round for year on year; a second run changes nothing."""

import datetime
from decimal import Decimal

import pytest

from gonghui.accounts.models import User
from gonghui.appraisals.choices import BallotKind, RoundStatus, VotingMode
from gonghui.appraisals.demo import ROUND_2020, ROUND_2021, appraisals_demo_build
from gonghui.appraisals.models import (
    AppraisalResult,
    AppraisalRound,
    AppraisalRules,
    Cadre,
    EligibleVoter,
    PaperBallot,
    PaperCount,
    PaperHandout,
    Teller,
    UnitTurnout,
)
from gonghui.core.editions import EditionStatus
from gonghui.core.models import Ballot, BallotPending, BallotVoter
from tests.tables import changed_tables, table_counts

BEIJING = datetime.timezone(datetime.timedelta(hours=8))

# sub-union, eligible, staff (the quorum's base), needed, staff who took part, online, paper, spoilt, quorum met
TURNOUT_2021 = [
    ("ECON", 19, 12, 8, 10, 13, 3, 1, True),
    ("LAW", 20, 14, 10, 11, 16, 0, 0, True),
    ("STAT", 8, 3, 2, 3, 7, 0, 0, True),
    ("LIT", 20, 14, 10, 8, 13, 0, 0, False),
    ("FL", 13, 8, 6, 6, 10, 0, 0, True),
    ("MATH", 10, 5, 4, 5, 9, 0, 0, True),
    ("CS", 20, 14, 10, 9, 14, 0, 0, False),
    ("MGMT", 15, 8, 6, 7, 13, 0, 0, True),
]


def _at(*parts):
    return datetime.datetime(*parts, tzinfo=BEIJING)


@pytest.mark.django_db
def test_the_2021_round_is_released_with_two_colleges_under_quorum_and_one_cadre_flagged():
    from gonghui.appraisals.selectors.results import cadre_history
    from gonghui.people.demo import demo_university_build

    demo_university_build(scale=0.1)
    assert appraisals_demo_build() == (
        "2020 (经济学院): 4 cadres, 17 online and 0 paper ballots, 0 under quorum, 0 flagged; "
        "2021 (8 colleges): 23 cadres, 95 online and 3 paper ballots, 2 under quorum, 1 flagged"
    )

    # the rules, adopted by the organisation department
    rules = AppraisalRules.objects.get(year=2021)
    assert (rules.status, rules.adopted_on, rules.resolution, rules.mode) == (
        EditionStatus.ADOPTED,
        datetime.date(2021, 11, 30),
        "党委组织部〔2021〕45号",
        VotingMode.BOTH,
    )
    assert rules.events.get(to_state=EditionStatus.ADOPTED).actor.username == "zzb"
    assert [(c.code, c.weight, c.counts_for_quorum) for c in rules.categories.all()] == [
        ("leader", 30, False),
        ("cadre", 30, False),
        ("staff", 40, True),
    ]

    # the round, each step at its date
    appraisal_round = AppraisalRound.objects.get(title=ROUND_2021)
    assert (appraisal_round.year, appraisal_round.status, appraisal_round.rules_id) == (
        2021,
        RoundStatus.RELEASED,
        rules.pk,
    )
    assert (appraisal_round.opens_at, appraisal_round.closes_at) == (_at(2021, 12, 20, 9), _at(2021, 12, 24, 18))
    assert [
        appraisal_round.reports_published_at,
        appraisal_round.voting_opened_at,
        appraisal_round.voting_closed_at,
        appraisal_round.tallied_at,
        appraisal_round.released_at,
    ] == [
        _at(2021, 12, 10, 9),
        _at(2021, 12, 20, 9),
        _at(2021, 12, 24, 18),
        _at(2021, 12, 27, 10),
        _at(2021, 12, 28, 15),
    ]
    assert appraisal_round.events.get(to_state=RoundStatus.RELEASED).actor.username == "zzb"

    # eight colleges, their cadres with their reports, three leaders and two tellers in each
    units = list(appraisal_round.units.select_related("sub_union").order_by("pk"))
    assert [u.sub_union.code for u in units] == [row[0] for row in TURNOUT_2021]
    assert [u.meeting_on.day for u in units] == [20, 20, 21, 21, 22, 22, 23, 23]
    assert [u.cadres.count() for u in units] == [4, 3, 2, 3, 2, 2, 3, 4]
    assert list(units[0].cadres.values_list("post", flat=True)) == ["院长", "党委书记", "副院长", "党委副书记"]
    cadres = Cadre.objects.filter(round_unit__round=appraisal_round)
    assert cadres.count() == 23 and not cadres.filter(report_text="").exists()
    assert units[0].cadres.get(post="院长").report_text.startswith("本人任经济学院院长")
    for unit in units:
        assert unit.voters.filter(category="leader").count() == 3
        assert unit.tellers.count() == 2
    assert EligibleVoter.objects.filter(round_unit__round=appraisal_round).count() == 125

    # turnout: 文学院 and 计算机学院 under quorum, their results not final
    turnouts = {t.round_unit.sub_union.code: t for t in UnitTurnout.objects.filter(round_unit__round=appraisal_round)}
    assert [
        (
            code,
            turnouts[code].eligible,
            turnouts[code].quorum_base,
            turnouts[code].quorum_needed,
            turnouts[code].quorum_counted,
            turnouts[code].online,
            turnouts[code].paper,
            turnouts[code].spoilt,
            turnouts[code].quorum_met,
        )
        for code, *_rest in TURNOUT_2021
    ] == TURNOUT_2021
    results = AppraisalResult.objects.filter(round_unit__round=appraisal_round)
    assert results.count() == 23 + 8
    assert set(results.filter(final=False).values_list("round_unit__sub_union__code", flat=True)) == {"LIT", "CS"}

    # exactly one cadre flagged: 经济学院's 副院长, for an admonition talk (优秀+称职 below 2/3)
    (flagged,) = results.exclude(flags=[])
    assert (flagged.kind, flagged.cadre.person.name, flagged.cadre.post, flagged.round_unit.sub_union.code) == (
        BallotKind.CADRE,
        "赵燕",
        "副院长",
        "ECON",
    )
    assert (flagged.flags, flagged.final, flagged.score) == (["admonition"], True, Decimal("67.78"))
    assert Decimal(flagged.shares["excellent"]) + Decimal(flagged.shares["competent"]) == Decimal("0.4777")

    # 95 online ballots in core's store, all written out; 经济学院's 3 paper ballots (1 spoilt)
    # entered by each of its two tellers (the union officer 100002 one of them) and agreed
    boxes = [u.box_id for u in units]
    assert Ballot.objects.filter(box_id__in=boxes).count() == 95
    assert not BallotPending.objects.filter(box_id__in=boxes).exists()
    assert BallotVoter.objects.filter(box_id__in=boxes, voted=True).count() == 95 + 3
    (count,) = PaperCount.objects.filter(round_unit__round=appraisal_round)
    assert (count.round_unit.sub_union.code, count.category, count.ballots, count.spoilt) == ("ECON", "staff", 3, 1)
    assert count.agreed_at == _at(2021, 12, 20, 18)
    assert PaperBallot.objects.filter(round_unit__round=appraisal_round).count() == 2 * 3
    assert PaperHandout.objects.filter(round_unit__round=appraisal_round).count() == 3
    assert Teller.objects.filter(round_unit=units[0], person__staff_no="100002").exists()

    # the demo member (经济学院) was a voter and voted online, in both years
    member = EligibleVoter.objects.get(round_unit=units[0], person__staff_no="100001")
    assert member.category == "staff"
    assert BallotVoter.objects.get(box_id=units[0].box_id, person__staff_no="100001").voted
    assert not PaperHandout.objects.filter(person__staff_no="100001").exists()

    # 2020: 经济学院 alone, online, released; the flagged cadre's sheet shows both years
    earlier = AppraisalRound.objects.get(title=ROUND_2020)
    assert (earlier.year, earlier.status, earlier.rules.mode, earlier.rules.resolution) == (
        2020,
        RoundStatus.RELEASED,
        VotingMode.ONLINE,
        "党委组织部〔2020〕38号",
    )
    (econ_2020,) = earlier.units.all()
    assert list(econ_2020.cadres.values_list("person_id", "post")) == list(
        units[0].cadres.values_list("person_id", "post")
    )
    assert not AppraisalResult.objects.filter(round_unit=econ_2020).exclude(flags=[]).exists()
    assert BallotVoter.objects.get(box_id=econ_2020.box_id, person__staff_no="100001").voted
    history = cadre_history(user=User.objects.get(username="zzb"), person_id=flagged.cadre.person_id)
    assert [(line.year, line.flags) for line in history] == [(2021, ["诫勉谈话"]), (2020, [])]

    before = table_counts()
    assert appraisals_demo_build() == ""
    assert changed_tables(before, table_counts()) == {}
    assert AppraisalRound.objects.count() == 2
