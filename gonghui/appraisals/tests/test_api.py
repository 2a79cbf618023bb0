"""The appraisal API: rounds and their units as each caller may see them, the turnout for those
who read it, the results for the organisation department only (once released), a voter's own
units, and the ballot a voter casts (final; refused with a message and nothing written outside
the window, by someone not eligible, a second time, or with a grade missing or off the scale).

The ballots and the expected figures: tests/results_scenario.py."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from gonghui.appraisals.tests.factories import CLOSES, aware, grades_all, through
from gonghui.appraisals.tests.results_scenario import (
    DEAN_SHARES,
    ECON_TEAM_SHARES,
    LAW_DEAN_SHARES,
    LAW_TEAM_SHARES,
    SECRETARY_SHARES,
    econ_ballot,
    released,
)
from gonghui.core.models import Ballot, BallotPending, BallotVoter
from gonghui.people.tests.factories import user_make

LEAKS = ("0.8000", "0.6000", "0.4286", "94.00", "34.00", "88.57", "admonition", "removal")


def url(name: str, *args) -> str:
    return reverse(f"api-appraisal-{name}", args=args)


@pytest.fixture
def done(w, clock):
    return released(w, clock)


# --- rounds -------------------------------------------------------------------------------------


def test_rounds_as_each_caller_sees_them(client, w, clock):
    through(w, "open", clock)
    client.force_login(w.users["zzb"])
    data = client.get(url("round-list")).json()
    assert data["count"] == 1
    row = data["results"][0]
    assert (row["id"], row["year"], row["title"], row["status"], row["mode"], row["units"]) == (
        w.round.pk,
        2021,
        "2021年度中层干部民主测评",
        "voting_open",
        "online",
        2,
    )
    detail = client.get(url("round-detail", w.round.pk)).json()
    assert [(u["id"], u["unit"]) for u in detail["units"]] == [
        (w.law.pk, "法学院分工会"),
        (w.econ.pk, "经济学院分工会"),
    ]
    assert detail["scales"]["cadre"] == [
        {"code": "excellent", "label": "优秀"},
        {"code": "competent", "label": "称职"},
        {"code": "basic", "label": "基本称职"},
        {"code": "incompetent", "label": "不称职"},
    ]
    assert [g["code"] for g in detail["scales"]["team"]] == ["good", "fair", "average", "poor"]
    # a voter of the economics school: that unit only, with its ballot's items
    client.force_login(w.users["member"])
    assert client.get(url("round-list")).json()["count"] == 1
    detail = client.get(url("round-detail", w.round.pk)).json()
    assert [(u["id"], u["unit"]) for u in detail["units"]] == [(w.econ.pk, "经济学院分工会")]
    assert detail["units"][0]["cadres"] == [
        {"id": w.cadres["dean"].pk, "key": f"c{w.cadres['dean'].pk}", "name": "钱院长", "post": "院长"},
        {"id": w.cadres["secretary"].pk, "key": f"c{w.cadres['secretary'].pk}", "name": "孙书记", "post": "书记"},
    ]
    # someone with no part in the round: nothing
    client.force_login(w.users["welfare_committee"])
    assert client.get(url("round-list")).json()["count"] == 0
    assert client.get(url("round-detail", w.round.pk)).status_code == 404
    client.logout()
    assert client.get(url("round-list")).status_code == 401


# --- turnout ------------------------------------------------------------------------------------


def test_turnout_for_its_readers(client, done):
    w = done
    econ = {
        "unit": "经济学院分工会",
        "unit_id": w.econ.pk,
        "eligible": 8,
        "quorum_base": 5,
        "quorum_needed": 4,
        "quorum_counted": 4,
        "took_part": 6,
        "online": 6,
        "paper": 0,
        "spoilt": 0,
        "rate": "0.8000",
        "quorum_met": True,
    }
    law = {
        "unit": "法学院分工会",
        "unit_id": w.law.pk,
        "eligible": 5,
        "quorum_base": 3,
        "quorum_needed": 2,
        "quorum_counted": 1,
        "took_part": 2,
        "online": 2,
        "paper": 0,
        "spoilt": 0,
        "rate": "0.3333",
        "quorum_met": False,
    }
    for name in ("union_office", "auditor", "administrator", "zzb"):
        client.force_login(w.users[name])
        response = client.get(url("turnout", w.round.pk))
        assert response.status_code == 200, name
        data = response.json()
        assert sorted(data["units"], key=lambda u: u["unit"]) == [law, econ], name
        assert (data["eligible"], data["took_part"], data["units_under_quorum"], data["counted"]) == (13, 8, 1, True)
        assert "results" not in data
    # a college's officer: their college only
    client.force_login(w.users["sub_union_officer"])
    data = client.get(url("turnout", w.round.pk)).json()
    assert data["units"] == [econ] and (data["eligible"], data["took_part"]) == (8, 6)
    # voters, cadres and outsiders: not there
    for name in ("member", "leader", "dean", "wang", "welfare_committee"):
        client.force_login(w.users[name])
        assert client.get(url("turnout", w.round.pk)).status_code == 404, name


# --- results ------------------------------------------------------------------------------------


def test_results_for_the_organisation_department(client, done):
    w = done
    client.force_login(w.users["zzb"])
    response = client.get(url("results", w.round.pk))
    assert response.status_code == 200
    data = response.json()
    got = {(r["unit"], r["name"]): (r["shares"], r["score"], r["flags"], r["final"]) for r in data["results"]}
    assert got == {
        ("经济学院分工会", "钱院长"): (DEAN_SHARES, "94.00", [], True),
        ("经济学院分工会", "孙书记"): (SECRETARY_SHARES, "34.00", ["admonition", "removal"], True),
        ("经济学院分工会", "领导班子"): (ECON_TEAM_SHARES, "94.00", [], True),
        ("法学院分工会", "周院长"): (LAW_DEAN_SHARES, "88.57", [], False),
        ("法学院分工会", "领导班子"): (LAW_TEAM_SHARES, "88.57", [], False),
    }
    secretary = next(r for r in data["results"] if r["name"] == "孙书记")
    assert secretary["counts"] == {
        "staff": {"excellent": 1, "incompetent": 3},
        "cadre": {"competent": 1},
        "leader": {"incompetent": 1},
    }
    assert secretary["valid"] == {"staff": 4, "cadre": 1, "leader": 1}
    assert secretary["flag_labels"] == ["诫勉谈话", "考虑调整"]
    assert (data["flagged"], data["units_under_quorum"]) == (1, 1)


def test_results_for_nobody_else(client, done, university):
    w = done
    superuser = user_make(username="root")
    superuser.is_superuser = True
    superuser.save()
    callers = {
        name: w.users[name]
        for name in (
            "union_office",
            "auditor",
            "administrator",
            "member",
            "sub_union_officer",
            "dean",
            "welfare_committee",
        )
    }
    callers["superuser"] = superuser
    for name, user in callers.items():
        client.force_login(user)
        response = client.get(url("results", w.round.pk))
        assert response.status_code == 403, name
        for leak in LEAKS:
            assert leak not in response.content.decode(), (name, leak)
    # the organisation department asking for a round that does not exist
    client.force_login(w.users["zzb"])
    response = client.get(url("results", w.round.pk + 100))
    assert response.status_code == 404 and response.json() == {"message": "未找到。", "extra": {}}


def test_results_are_sealed_until_released(client, w, clock):
    released(w, clock, stage="tallied")
    client.force_login(w.users["zzb"])
    response = client.get(url("results", w.round.pk))
    assert response.status_code == 403
    assert response.json() == {"message": "测评结果尚未启封。", "extra": {}}


# --- a voter's own units ------------------------------------------------------------------------


def test_my_ballots(client, w, clock):
    through(w, "open", clock)
    client.force_login(w.users["leader"])
    rows = client.get(url("mine")).json()
    assert sorted((r["unit"], r["unit_name"], r["round_title"], r["voted"]) for r in rows) == sorted(
        [
            (w.econ.pk, "经济学院分工会", "2021年度中层干部民主测评", False),
            (w.law.pk, "法学院分工会", "2021年度中层干部民主测评", False),
        ]
    )
    assert {(r["opens_at"], r["closes_at"], r["status"], r["paper_only"]) for r in rows} == {
        ("2021-03-20T01:00:00Z", "2021-03-20T10:00:00Z", "voting_open", False)  # 09:00 to 18:00 in Beijing
    }
    assert (
        client.post(
            url("ballot", w.econ.pk), {"choices": grades_all(w.econ)}, content_type="application/json"
        ).status_code
        == 201
    )
    rows = client.get(url("mine")).json()
    assert {r["unit"]: r["voted"] for r in rows} == {w.econ.pk: True, w.law.pk: False}
    client.force_login(w.users["zzb"])
    assert client.get(url("mine")).json() == []


# --- casting a ballot ---------------------------------------------------------------------------


def _written(w) -> tuple[int, int, int]:
    """Ballots written or waiting in the economics box, and its voters marked as having voted."""
    box = w.econ.box_id
    return (
        Ballot.objects.filter(box_id=box).count(),
        BallotPending.objects.filter(box_id=box).count(),
        BallotVoter.objects.filter(box_id=box, voted=True).count(),
    )


def _cast(client, unit, choices):
    return client.post(url("ballot", unit.pk), {"choices": choices}, content_type="application/json")


def test_a_ballot_is_cast_once(client, w, clock):
    through(w, "open", clock)
    client.force_login(w.users["member"])
    ballot = econ_ballot(w, "excellent", "competent", "good")
    response = _cast(client, w.econ, ballot)
    assert response.status_code == 201 and response.json() == {"cast": True}
    assert _written(w) == (0, 1, 1)
    pending = BallotPending.objects.get(box_id=w.econ.box_id)
    assert (pending.category, pending.choices) == ("staff", ballot)
    # a second ballot: refused, still one
    response = _cast(client, w.econ, econ_ballot(w, "incompetent", "incompetent", "poor"))
    assert response.status_code == 400
    assert response.json() == {"message": "您已投过票，选票一经投出不能更改。", "extra": {}}
    assert _written(w) == (0, 1, 1)
    assert BallotPending.objects.get(box_id=w.econ.box_id).choices == ballot
    # reading the endpoint is not a thing
    assert client.get(url("ballot", w.econ.pk)).status_code == 405


def test_a_ballot_with_a_grade_missing_or_off_the_scale(client, w, clock):
    through(w, "open", clock)
    client.force_login(w.users["member"])
    missing = {w.cadres["dean"].item_key: "excellent", "team": "good"}
    response = _cast(client, w.econ, missing)
    assert response.status_code == 400
    assert response.json() == {
        "message": "请对“孙书记（书记）”作出选择。",
        "extra": {"field": w.cadres["secretary"].item_key},
    }
    response = _cast(client, w.econ, econ_ballot(w, "excellent", "outstanding", "good"))
    assert response.status_code == 400 and response.json()["message"] == "请对“孙书记（书记）”作出选择。"
    response = _cast(client, w.econ, {**econ_ballot(w, "excellent", "excellent", "good"), "c999999": "excellent"})
    assert response.status_code == 400 and response.json()["message"] == "选票中有不属于本次投票的表决项。"
    for body in ({"choices": "excellent"}, {}, ["excellent"]):
        response = client.post(url("ballot", w.econ.pk), body, content_type="application/json")
        assert response.status_code == 400 and response.json()["message"] == "提交的数据有误", body
    assert _written(w) == (0, 0, 0)


def test_a_ballot_outside_the_window(client, w, clock):
    through(w, "published", clock)
    client.force_login(w.users["member"])
    response = _cast(client, w.econ, grades_all(w.econ))
    assert response.status_code == 400 and response.json()["message"] == "投票尚未开始。"
    through(w, "open", clock)
    clock.move_to(aware(CLOSES) + datetime.timedelta(seconds=5))  # past its time, not yet closed
    response = _cast(client, w.econ, grades_all(w.econ))
    assert response.status_code == 400 and response.json()["message"] == "投票已截止。"
    assert _written(w) == (0, 0, 0)
    through(w, "closed", clock)
    response = _cast(client, w.econ, grades_all(w.econ))
    assert response.status_code == 400 and response.json()["message"] == "投票已截止。"
    assert _written(w) == (0, 0, 0)


def test_a_ballot_by_someone_not_eligible(client, w, clock, university):
    through(w, "open", clock)
    # a law voter sees the round, but is not on the economics list: that ballot is not there for her
    client.force_login(w.users["wang"])
    assert _cast(client, w.econ, grades_all(w.econ)).status_code == 404
    # nor for the office, which sees the round and has no vote
    client.force_login(w.users["union_office"])
    assert _cast(client, w.econ, grades_all(w.econ)).status_code == 404
    assert BallotVoter.objects.filter(box=w.econ.box, voted=True).count() == 0
    # someone outside the round: the unit is not there
    client.force_login(user_make(username="R0001", person=university.zhao))
    assert _cast(client, w.econ, grades_all(w.econ)).status_code == 404
    client.logout()
    assert _cast(client, w.econ, grades_all(w.econ)).status_code == 401
    assert _written(w) == (0, 0, 0)


def test_casting_takes_few_queries(client, w, clock, django_assert_max_num_queries):
    """What the load test hits: the session and the caller's roles (3), the unit with its round,
    rules and box (1), the voter list (1), then the ballot store's own work (7, savepoints
    included)."""
    through(w, "open", clock)
    client.force_login(w.users["member"])
    ballot = grades_all(w.econ)
    with django_assert_max_num_queries(12):
        assert _cast(client, w.econ, ballot).status_code == 201
