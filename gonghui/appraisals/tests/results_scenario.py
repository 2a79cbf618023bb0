"""The released round the results tests read (pages, API, report command), its ballots cast
through the real voting service:

economics (8 voters; quorum 4 of its 5 staff; 4 staff vote: met):
  staff 张伟      钱院长 优秀     孙书记 优秀     班子 好
  staff 李娜      钱院长 称职     孙书记 不称职   班子 较好
  staff 陈静      钱院长 优秀     孙书记 不称职   班子 好
  staff 经济0     钱院长 基本称职 孙书记 不称职   班子 一般
  cadre 钱院长    钱院长 优秀     孙书记 称职     班子 好
  leader 吴校长   钱院长 优秀     孙书记 不称职   班子 好
law (5 voters; quorum 2 of its 3 staff; 1 staff votes: under quorum):
  staff 王芳      周院长 称职     班子 较好
  leader 吴校长   周院长 优秀     班子 好

Weighted (leaders 30, cadres 30, staff 40; a category without ballots drops out):
  钱院长 优秀 80% 称职 10% 基本称职 10% → 94.00
  孙书记 优秀 10% 称职 30% 不称职 60% → 34.00, 诫勉谈话 and 考虑调整
  经济 班子 好 80% 较好 10% 一般 10% → 94.00
  周院长 优秀 3/7 称职 4/7 → 88.57, not final; 法学 班子 likewise.
"""

from __future__ import annotations

from gonghui.appraisals.services.voting import appraisal_vote
from gonghui.appraisals.tests.factories import through
from gonghui.people.tests.factories import user_make

DEAN_SHARES = {"excellent": "0.8000", "competent": "0.1000", "basic": "0.1000", "incompetent": "0.0000"}
SECRETARY_SHARES = {"excellent": "0.1000", "competent": "0.3000", "basic": "0.0000", "incompetent": "0.6000"}
ECON_TEAM_SHARES = {"good": "0.8000", "fair": "0.1000", "average": "0.1000", "poor": "0.0000"}
LAW_DEAN_SHARES = {"excellent": "0.4286", "competent": "0.5714", "basic": "0.0000", "incompetent": "0.0000"}
LAW_TEAM_SHARES = {"good": "0.4286", "fair": "0.5714", "average": "0.0000", "poor": "0.0000"}


def econ_ballot(w, dean: str, secretary: str, team: str) -> dict:
    return {w.cadres["dean"].item_key: dean, w.cadres["secretary"].item_key: secretary, "team": team}


def law_ballot(w, dean: str, team: str) -> dict:
    return {w.cadres["law_dean"].item_key: dean, "team": team}


def votes_cast(w) -> None:
    """The ballots above (the round must be open)."""
    w.users["econ0"] = user_make(username="E0200", person=w.econ_staff[0])
    econ = [
        ("member", ("excellent", "excellent", "good")),
        ("li", ("competent", "incompetent", "fair")),
        ("sub_union_officer", ("excellent", "incompetent", "good")),
        ("econ0", ("basic", "incompetent", "average")),
        ("dean", ("excellent", "competent", "good")),
        ("leader", ("excellent", "incompetent", "good")),
    ]
    for name, grades in econ:
        appraisal_vote(actor=w.users[name], unit=w.econ, choices=econ_ballot(w, *grades))
    for name, grades in (("wang", ("competent", "fair")), ("leader", ("excellent", "good"))):
        appraisal_vote(actor=w.users[name], unit=w.law, choices=law_ballot(w, *grades))


def released(w, clock, stage: str = "released"):
    """Voting opened, the ballots cast, then on to `stage` (default: released)."""
    through(w, "open", clock)
    votes_cast(w)
    through(w, stage, clock)
    return w
