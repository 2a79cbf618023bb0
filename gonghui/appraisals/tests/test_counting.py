"""The count of a closed round (services/counting.py), end to end through the real services:
online ballots and agreed paper counts combined per category, spoilt papers in the turnout and
not in the grades, the quorum over the staff only, a unit under quorum not final."""

from decimal import Decimal

import pytest

from gonghui.appraisals.choices import BallotKind, VotingMode
from gonghui.appraisals.models import AppraisalResult, UnitTurnout
from gonghui.appraisals.services.paper import paper_ballot_enter, paper_count_agree
from gonghui.appraisals.services.voting import appraisal_vote, paper_handout
from gonghui.appraisals.tests.factories import grades_all, rules_make, through
from gonghui.people.tests.factories import user_make


def _users(w) -> dict:
    """A user for every voter of the world who has none yet."""
    users = {"张伟": w.users["member"], "李娜": w.users["li"], "陈静": w.users["sub_union_officer"]}
    users.update(
        {"吴校长": w.users["leader"], "钱院长": w.users["dean"], "王芳": w.users["wang"], "郑红": w.users["zheng"]}
    )
    for person in [w.secretary, w.law_dean, *w.econ_staff, *w.law_staff]:
        users[person.name] = user_make(username=person.staff_no, person=person)
    return users


def _turnout(unit) -> dict:
    t = UnitTurnout.objects.get(round_unit=unit)
    return {
        "eligible": t.eligible,
        "quorum_base": t.quorum_base,
        "quorum_needed": t.quorum_needed,
        "quorum_counted": t.quorum_counted,
        "online": t.online,
        "paper": t.paper,
        "spoilt": t.spoilt,
        "by_category": t.by_category,
        "quorum_met": t.quorum_met,
    }


def _result(cadre=None, unit=None) -> AppraisalResult:
    if cadre is not None:
        return AppraisalResult.objects.get(cadre=cadre)
    return AppraisalResult.objects.get(round_unit=unit, kind=BallotKind.TEAM)


@pytest.fixture
def counted(w, clock):
    """Econ and law voting online and on paper:

    - econ online: 张伟 (staff) 优秀 for all and 好; 钱院长 (cadre) 称职 and 较好; 吴校长
      (leader) 钱院长 不称职, 孙书记 称职, 较好;
    - econ paper (staff, handed to 李娜, 陈静, 经济0): two 基本称职 / 称职 / 一般 and one spoilt,
      entered by both tellers and agreed;
    - law online: 王芳 (staff) 优秀 / 好 only — under its quorum of 2 of 3 staff."""
    rules_make(w.u, mode=VotingMode.BOTH)
    through(w, "open", clock)
    users = _users(w)
    dean, secretary, law_dean = (w.cadres[k].item_key for k in ("dean", "secretary", "law_dean"))
    appraisal_vote(actor=users["张伟"], unit=w.econ, choices=grades_all(w.econ, "excellent", "good"))
    appraisal_vote(actor=users["钱院长"], unit=w.econ, choices=grades_all(w.econ, "competent", "fair"))
    appraisal_vote(
        actor=users["吴校长"], unit=w.econ, choices={dean: "incompetent", secretary: "competent", "team": "fair"}
    )
    for staff_no in ("E0002", "E0099", "E0200"):
        paper_handout(actor=users["李娜"], unit=w.econ, staff_no=staff_no)
    papers = [{dean: "basic", secretary: "competent", "team": "average"}] * 2
    for teller in (users["李娜"], users["陈静"]):
        for choices in papers:
            paper_ballot_enter(actor=teller, unit=w.econ, category="staff", spoilt=False, choices=choices)
        paper_ballot_enter(actor=teller, unit=w.econ, category="staff", spoilt=True, choices={})
    paper_count_agree(actor=users["陈静"], unit=w.econ, category="staff")
    appraisal_vote(actor=users["王芳"], unit=w.law, choices={law_dean: "excellent", "team": "good"})
    through(w, "tallied", clock)
    return w


def test_turnout_per_unit(counted):
    w = counted
    assert _turnout(w.econ) == {
        "eligible": 8,
        "quorum_base": 5,
        "quorum_needed": 4,  # ceil(5 × 2/3)
        "quorum_counted": 4,  # 张伟 online, 3 papers (the spoilt one too)
        "online": 3,
        "paper": 3,
        "spoilt": 1,
        "by_category": {
            "leader": {"eligible": 1, "online": 1, "paper": 0},
            "cadre": {"eligible": 2, "online": 1, "paper": 0},
            "staff": {"eligible": 5, "online": 1, "paper": 3},
        },
        "quorum_met": True,
    }
    assert _turnout(w.law) == {
        "eligible": 5,
        "quorum_base": 3,
        "quorum_needed": 2,
        "quorum_counted": 1,
        "online": 1,
        "paper": 0,
        "spoilt": 0,
        "by_category": {
            "leader": {"eligible": 1, "online": 0, "paper": 0},
            "cadre": {"eligible": 1, "online": 0, "paper": 0},
            "staff": {"eligible": 3, "online": 1, "paper": 0},
        },
        "quorum_met": False,
    }
    assert UnitTurnout.objects.get(round_unit=w.econ).took_part == 6


def test_online_and_paper_combine_per_category_and_spoilt_papers_count_for_no_grade(counted):
    w = counted
    dean = _result(w.cadres["dean"])
    assert (dean.round_unit_id, dean.kind, dean.final) == (w.econ.pk, BallotKind.CADRE, True)
    assert dean.counts == {
        "staff": {"excellent": 1, "basic": 2},
        "cadre": {"competent": 1},
        "leader": {"incompetent": 1},
    }
    assert dean.valid == {"staff": 3, "cadre": 1, "leader": 1}
    # staff 40 · (1/3 优秀, 2/3 基本称职), cadres 30 · 称职, leaders 30 · 不称职
    assert dean.shares == {"excellent": "0.1333", "competent": "0.3000", "basic": "0.2667", "incompetent": "0.3000"}
    assert dean.score == Decimal("53.33")  # 13.33 + 24 + 16
    assert dean.flags == ["admonition"]  # 13/30 < 2/3; 不称职 0.3 is not above 1/3


def test_the_secretary_and_the_team(counted):
    w = counted
    secretary = _result(w.cadres["secretary"])
    assert secretary.counts == {
        "staff": {"excellent": 1, "competent": 2},
        "cadre": {"competent": 1},
        "leader": {"competent": 1},
    }
    # 优秀 40/3 %, 称职 40·2/3 + 30 + 30 %
    assert secretary.shares == {
        "excellent": "0.1333",
        "competent": "0.8667",
        "basic": "0.0000",
        "incompetent": "0.0000",
    }
    assert (secretary.score, secretary.flags, secretary.final) == (Decimal("82.67"), [], True)
    team = _result(unit=w.econ)
    assert (team.cadre_id, team.kind) == (None, BallotKind.TEAM)
    assert team.counts == {"staff": {"good": 1, "average": 2}, "cadre": {"fair": 1}, "leader": {"fair": 1}}
    assert team.shares == {"good": "0.1333", "fair": "0.6000", "average": "0.2667", "poor": "0.0000"}
    assert (team.score, team.flags) == (Decimal("77.33"), [])


def test_a_unit_under_its_quorum_has_no_final_result(counted):
    w = counted
    results = AppraisalResult.objects.filter(round_unit=w.law)
    assert [(r.kind, r.final) for r in results.order_by("kind")] == [("cadre", False), ("team", False)]
    law_dean = _result(w.cadres["law_dean"])
    assert (law_dean.counts, law_dean.valid, law_dean.shares["excellent"], law_dean.score) == (
        {"staff": {"excellent": 1}},
        {"staff": 1},
        "1.0000",
        Decimal("100.00"),
    )
    assert all(r.final for r in AppraisalResult.objects.filter(round_unit=w.econ))
    assert AppraisalResult.objects.count() == 5


def test_only_the_staff_count_for_the_quorum(w, clock):
    """Econ: 3 of 5 staff, both cadres and the leader vote — 6 of 8, but 3 staff < 4."""
    through(w, "open", clock)
    users = _users(w)
    for name in ("张伟", "李娜", "陈静", "钱院长", "孙书记", "吴校长"):
        appraisal_vote(actor=users[name], unit=w.econ, choices=grades_all(w.econ, "competent", "good"))
    appraisal_vote(actor=users["王芳"], unit=w.law, choices=grades_all(w.law))
    appraisal_vote(actor=users["郑红"], unit=w.law, choices=grades_all(w.law))
    through(w, "tallied", clock)
    econ = _turnout(w.econ)
    assert (econ["online"], econ["paper"], econ["quorum_counted"], econ["quorum_needed"], econ["quorum_met"]) == (
        6,
        0,
        3,
        4,
        False,
    )
    assert [r.final for r in AppraisalResult.objects.filter(round_unit=w.econ)] == [False, False, False]
    law = _turnout(w.law)
    assert (law["quorum_counted"], law["quorum_needed"], law["quorum_met"]) == (2, 2, True)  # exactly 2 of 3
    assert [r.final for r in AppraisalResult.objects.filter(round_unit=w.law)] == [True, True]


def test_a_unit_where_no_one_voted(w, clock):
    through(w, "tallied", clock)
    assert _turnout(w.law)["quorum_counted"] == 0 and _turnout(w.law)["quorum_met"] is False
    law_dean = _result(w.cadres["law_dean"])
    assert (law_dean.counts, law_dean.valid, law_dean.score, law_dean.flags, law_dean.final) == (
        {},
        {},
        Decimal("0.00"),
        [],
        False,
    )


def test_a_paper_round_counts_the_agreed_papers(w, clock):
    rules_make(w.u, mode=VotingMode.PAPER)
    through(w, "open", clock)
    users = _users(w)
    dean, secretary, law_dean = (w.cadres[k].item_key for k in ("dean", "secretary", "law_dean"))
    econ_paper = {dean: "incompetent", secretary: "incompetent", "team": "poor"}
    for teller in (users["李娜"], users["陈静"]):
        for _ in range(4):
            paper_ballot_enter(actor=teller, unit=w.econ, category="staff", spoilt=False, choices=econ_paper)
        paper_ballot_enter(actor=teller, unit=w.econ, category="leader", spoilt=True, choices={})
    for teller in (users["王芳"], users["郑红"]):
        paper_ballot_enter(actor=teller, unit=w.law, category="cadre", spoilt=False, choices=grades_all(w.law))
    paper_count_agree(actor=users["李娜"], unit=w.econ, category="staff")
    paper_count_agree(actor=users["李娜"], unit=w.econ, category="leader")
    paper_count_agree(actor=users["王芳"], unit=w.law, category="cadre")
    through(w, "tallied", clock)
    assert _turnout(w.econ) == {
        "eligible": 8,
        "quorum_base": 5,
        "quorum_needed": 4,
        "quorum_counted": 4,
        "online": 0,
        "paper": 5,
        "spoilt": 1,
        "by_category": {
            "leader": {"eligible": 1, "online": 0, "paper": 1},
            "cadre": {"eligible": 2, "online": 0, "paper": 0},
            "staff": {"eligible": 5, "online": 0, "paper": 4},
        },
        "quorum_met": True,
    }
    dean_result = _result(w.cadres["dean"])
    assert (dean_result.counts, dean_result.valid) == ({"staff": {"incompetent": 4}}, {"staff": 4})
    assert (dean_result.shares["incompetent"], dean_result.score, dean_result.flags, dean_result.final) == (
        "1.0000",
        Decimal("0.00"),
        ["admonition", "removal"],
        True,
    )
    assert _turnout(w.law)["quorum_counted"] == 0  # a cadre's paper does not count for the quorum
