"""The tellers' paper-ballot page: each of a unit's two tellers enters every paper, the form comes
back clean with the same category, a slip is taken back, the two tallies are checked (agreeing:
the counts; differing: the differences, and nothing counted); where the meeting also votes
online, voters sign in for a paper ballot. Only the unit's tellers work here (the office reads)."""

import re

import pytest
from django.urls import reverse

from gonghui.appraisals.choices import VotingMode
from gonghui.appraisals.models import PaperBallot, PaperCount, PaperHandout
from gonghui.appraisals.tests.factories import appraisal_world, through
from gonghui.core.models import BallotVoter
from tests.tables import changed_tables, table_counts


@pytest.fixture
def pw(clock, university, settings, tmp_path):
    """The appraisal world voting on paper only, its voting open."""
    settings.MEDIA_ROOT = str(tmp_path)
    world = appraisal_world(university, mode=VotingMode.PAPER)
    through(world, "open", clock)
    return world


def paper_url(unit, category=""):
    url = reverse("appraisals:paper", args=[unit.pk])
    return f"{url}?category={category}" if category else url


def _as(client, user):
    client.force_login(user)
    return client


def _text(response) -> str:
    return response.content.decode()


def _paper(w, dean="excellent", secretary="competent", team="good") -> dict:
    return {w.cadres["dean"].item_key: dean, w.cadres["secretary"].item_key: secretary, "team": team}


def _enter(client, w, ballot: dict | None, category="staff", **headers):
    """One paper as one teller reads it (None: spoilt)."""
    data = {"category": category, "action": "spoilt" if ballot is None else "enter", **(ballot or {})}
    return client.post(paper_url(w.econ), data, **headers)


PAPERS = [_paper, lambda w: _paper(w, "competent", "basic", "fair"), None]


def _enter_all(client, w, user, papers):
    _as(client, user)
    for paper in papers:
        response = _enter(client, w, paper(w) if paper else None)
        assert response.status_code == 302


def test_a_teller_enters_papers_and_the_form_comes_back_clean_with_the_category(client, pw):
    w = pw
    li = _as(client, w.users["li"])
    page = _text(li.get(paper_url(w.econ)))
    assert 'data-testid="paper-form"' in page
    assert '<input type="hidden" name="category" value="staff">' in page  # the most voters' category
    response = _enter(li, w, _paper(w))
    assert response.status_code == 302 and response["Location"] == paper_url(w.econ, "staff")
    page = _text(li.get(response["Location"]))
    assert "已录入第 1 张教职工票。" in page
    assert page.count(" checked") == 0 and '<input type="hidden" name="category" value="staff">' in page
    # with htmx the working part comes back alone, the form empty, the category kept
    response = _enter(li, w, None, HTTP_HX_REQUEST="true")
    part = _text(response)
    assert response.status_code == 200 and "<html" not in part and part.startswith('<div id="paper-work"')
    assert "已录入第 2 张教职工票（废票）。" in part
    assert part.count(" checked") == 0 and '<input type="hidden" name="category" value="staff">' in part
    assert part.count('data-testid="paper-remove"') == 4  # the two just entered, and in the full list
    leader = _enter(li, w, _paper(w), category="leader", HTTP_HX_REQUEST="true")
    assert "已录入第 1 张校领导票。" in _text(leader)
    assert list(PaperBallot.objects.filter(teller=w.u.li).values_list("category", "spoilt").order_by("category")) == [
        ("leader", False),
        ("staff", False),
        ("staff", True),
    ]
    progress = li.get(paper_url(w.econ, "staff")).context["progress"]
    assert {row["code"]: row["counts"] for row in progress} == {"leader": [1, 0], "cadre": [0, 0], "staff": [2, 0]}


def test_a_paper_with_a_grade_missing_is_refused_and_the_choices_stay(client, pw):
    w = pw
    li = _as(client, w.users["li"])
    paper = _paper(w)
    del paper["team"]
    before = table_counts()
    response = _enter(li, w, paper)
    assert response.status_code == 200
    assert response.context["error"] == "“领导班子”没有选择等次：选票不完整的，请作为废票录入。"
    page = _text(response)
    assert f'name="{w.cadres["dean"].item_key}" value="excellent" checked' in page
    assert page.count("ballot-item-missing") == 1
    assert changed_tables(before, table_counts()) == {}


def test_two_agreeing_tellers_make_the_count(client, pw):
    w = pw
    _enter_all(client, w, w.users["li"], PAPERS)
    _enter_all(client, w, w.users["sub_union_officer"], PAPERS)  # 陈静
    response = _as(client, w.users["li"]).post(
        reverse("appraisals:paper_agree", args=[w.econ.pk]), {"category": "staff"}
    )
    assert response.status_code == 302 and response["Location"] == paper_url(w.econ, "staff")
    count = PaperCount.objects.get()
    assert (count.round_unit_id, count.category, count.ballots, count.spoilt) == (w.econ.pk, "staff", 3, 1)
    assert count.counts == {
        w.cadres["dean"].item_key: {"excellent": 1, "competent": 1},
        w.cadres["secretary"].item_key: {"competent": 1, "basic": 1},
        "team": {"good": 1, "fair": 1},
    }
    assert count.tellers == "李娜、陈静"
    page = _text(client.get(response["Location"]))
    assert "教职工票核对一致：3 张，其中废票 1 张，已计入结果。" in page
    assert "一致：3 张，废票 1 张" in page
    # the category is closed: no more entering, no taking back
    assert 'data-testid="paper-form"' not in page and "教职工票已核对一致并计入结果，不能再录入或修改。" in page
    before = table_counts()
    response = _enter(client, w, _paper(w))
    assert response.context["error"] == "这一类别的纸质选票已核对一致，不能再录入或修改。"
    entry = PaperBallot.objects.filter(teller=w.u.li).first()
    client.post(reverse("appraisals:paper_remove", args=[entry.key]))
    assert changed_tables(before, table_counts()) == {}


def test_disagreeing_tellers_see_the_differences_and_nothing_counts(client, pw):
    w = pw
    _enter_all(client, w, w.users["li"], PAPERS)
    _enter_all(client, w, w.users["sub_union_officer"], [_paper, lambda w: _paper(w, "basic", "basic", "fair")])
    before = table_counts()
    response = _as(client, w.users["sub_union_officer"]).post(
        reverse("appraisals:paper_agree", args=[w.econ.pk]), {"category": "staff"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert response.context["differences"] == [
        "选票张数：李娜 计 3 张，陈静 计 2 张",
        "废票：李娜 计 1 张，陈静 计 0 张",
        "钱院长（院长）“称职”：李娜 计 1 票，陈静 计 0 票",
        "钱院长（院长）“基本称职”：李娜 计 0 票，陈静 计 1 票",
    ]
    items = re.findall(r"<li>(.*?)</li>", _text(response).split('data-testid="differences"')[1].split("</ul>")[0])
    assert items == [
        "选票张数：李娜 计 3 张，陈静 计 2 张",
        "废票：李娜 计 1 张，陈静 计 0 张",
        "钱院长（院长）“称职”：李娜 计 1 票，陈静 计 0 票",
        "钱院长（院长）“基本称职”：李娜 计 0 票，陈静 计 1 票",
    ]
    assert changed_tables(before, table_counts()) == {}
    assert PaperCount.objects.count() == 0
    # without htmx: the whole page, with the same list
    response = client.post(reverse("appraisals:paper_agree", args=[w.econ.pk]), {"category": "staff"})
    assert response.status_code == 200 and "<html" in _text(response)
    assert _text(response).count("李娜 计") == 4


def test_a_teller_takes_back_their_own_entry_and_not_the_other_s(client, pw):
    w = pw
    _enter_all(client, w, w.users["li"], [_paper])
    entry = PaperBallot.objects.get(teller=w.u.li)
    remove = reverse("appraisals:paper_remove", args=[entry.key])
    before = table_counts()
    for who in ("sub_union_officer", "member", "wang", "union_office"):  # the other teller, and others
        assert _as(client, w.users[who]).post(remove).status_code == 404
    assert changed_tables(before, table_counts()) == {}
    response = _as(client, w.users["li"]).post(remove)
    assert response.status_code == 302 and response["Location"] == paper_url(w.econ, "staff")
    assert "已撤回一张。" in _text(client.get(response["Location"]))
    assert PaperBallot.objects.count() == 0


def test_only_the_unit_s_tellers_work_on_its_papers_and_the_office_reads(client, pw):
    w = pw
    _enter_all(client, w, w.users["li"], [_paper])
    before = table_counts()
    for who in ("member", "wang", "zheng", "leader", "auditor", "zzb", "welfare_committee"):
        client.force_login(w.users[who])
        assert client.get(paper_url(w.econ)).status_code == 404
        assert _enter(client, w, _paper(w)).status_code == 404
        assert (
            client.post(reverse("appraisals:paper_agree", args=[w.econ.pk]), {"category": "staff"}).status_code == 404
        )
        assert (
            client.post(reverse("appraisals:paper_handout", args=[w.econ.pk]), {"staff_no": "E0001"}).status_code == 404
        )
    office = _as(client, w.office)
    response = office.get(paper_url(w.econ))
    page = _text(response)
    assert response.status_code == 200 and 'data-testid="progress"' in page
    assert 'data-testid="paper-form"' not in page and 'data-testid="paper-agree"' not in page
    assert {row["code"]: row["counts"] for row in response.context["progress"]}["staff"] == [1, 0]
    assert _enter(office, w, _paper(w)).status_code == 404
    assert office.post(reverse("appraisals:paper_agree", args=[w.econ.pk]), {"category": "staff"}).status_code == 404
    assert changed_tables(before, table_counts()) == {}
    client.logout()
    assert client.get(paper_url(w.econ)).status_code == 302


def test_a_round_voting_online_only_has_no_paper_to_enter(client, w, clock):
    through(w, "open", clock)
    response = _as(client, w.users["li"]).get(paper_url(w.econ))
    assert response.status_code == 200
    assert "本次测评只在网上投票，没有纸质选票。" in _text(response)
    assert 'data-testid="paper-form"' not in _text(response)


def test_before_voting_opens_the_tellers_wait_and_after_the_tally_they_read(
    client, clock, university, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path)
    w = appraisal_world(university, mode=VotingMode.PAPER)
    through(w, "published", clock)
    li = _as(client, w.users["li"])
    page = _text(li.get(paper_url(w.econ)))
    assert "投票开始（3月20日 09:00）后才能录入纸质选票。" in page and 'data-testid="paper-form"' not in page
    before = table_counts()
    response = _enter(li, w, _paper(w))
    assert response.context["error"] == "投票开始后、计票前才能录入纸质选票。"
    assert changed_tables(before, table_counts()) == {}
    through(w, "closed", clock)  # the tellers finish after the voting closes
    assert 'data-testid="paper-form"' in _text(li.get(paper_url(w.econ)))


@pytest.fixture
def both(clock, university, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    world = appraisal_world(university, mode=VotingMode.BOTH)
    through(world, "open", clock)
    return world


def test_a_voter_signs_in_for_a_paper_ballot_and_cannot_vote_online(client, both):
    w = both
    handout = reverse("appraisals:paper_handout", args=[w.econ.pk])
    li = _as(client, w.users["li"])
    page = _text(li.get(paper_url(w.econ)))
    assert 'data-testid="handout"' in page and "已登记 0 人" in page
    response = li.post(handout, {"staff_no": " E0001 ", "category": "staff"})
    assert response.status_code == 302 and response["Location"] == paper_url(w.econ, "staff")
    assert "已登记：张伟（教职工）领取纸质选票，此后不能再网上投票。" in _text(client.get(response["Location"]))
    assert list(PaperHandout.objects.values_list("person_id", "category")) == [(w.u.zhang.pk, "staff")]
    assert BallotVoter.objects.get(box_id=w.econ.box_id, person=w.u.zhang).voted is True
    before = table_counts()
    for staff_no, refusal in (
        ("E0001", "此人已经投过票。"),
        ("L0001", "此工号不在本单位的投票人名单中。"),  # a law voter
        ("", "此工号不在本单位的投票人名单中。"),
    ):
        response = li.post(handout, {"staff_no": staff_no, "category": "staff"})
        assert refusal in _text(client.get(response["Location"]))
    assert changed_tables(before, table_counts()) == {}
    member = _as(client, w.users["member"])
    vote = reverse("appraisals:vote", args=[w.econ.pk])
    page = _text(member.get(vote))
    assert 'data-state="paper"' in page and "您已领取纸质选票" in page and 'data-testid="ballot-form"' not in page
    ballot = {w.cadres["dean"].item_key: "excellent", w.cadres["secretary"].item_key: "excellent", "team": "good"}
    response = member.post(vote, {**ballot, "action": "cast"})
    assert response.context["error"] == "您已在年会现场领取纸质选票，不能再在网上投票。"
    assert changed_tables(before, table_counts()) == {}


def test_in_an_online_only_round_no_one_signs_in_for_paper(client, w, clock):
    through(w, "open", clock)
    li = _as(client, w.users["li"])
    assert 'data-testid="handout"' not in _text(li.get(paper_url(w.econ)))
    before = table_counts()
    response = li.post(reverse("appraisals:paper_handout", args=[w.econ.pk]), {"staff_no": "E0001"})
    assert "只有网上与纸质并用的测评需要登记领票。" in _text(client.get(response["Location"]))
    assert changed_tables(before, table_counts()) == {}
