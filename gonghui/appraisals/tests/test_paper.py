"""Paper ballots (services/paper.py): each of a unit's two tellers enters every paper on their
own; a category's papers count once both tallies agree to the vote, and a disagreement lists the
differences and writes nothing; spoilt papers are counted apart."""

import pytest

from gonghui.appraisals.choices import VotingMode
from gonghui.appraisals.models import PaperBallot, PaperCount
from gonghui.appraisals.selectors.paper import paper_progress, paper_uncounted
from gonghui.appraisals.services.paper import (
    paper_ballot_enter,
    paper_ballot_remove,
    paper_count_agree,
    teller_tallies,
)
from gonghui.appraisals.services.voting import paper_handout
from gonghui.appraisals.tests.factories import grades_all, rules_make, through
from gonghui.core.exceptions import ApplicationError, PermissionDenied
from gonghui.core.models import AuditEvent
from tests.tables import changed_tables, table_counts


@pytest.fixture
def paper(w, clock):
    """The world voting on paper only, voting open; econ's tellers are 李娜 and 陈静."""
    rules_make(w.u, mode=VotingMode.PAPER)
    through(w, "open", clock)
    w.li, w.chen = w.users["li"], w.users["sub_union_officer"]
    return w


def _enter(w, teller, papers, unit=None, category="staff"):
    """`papers`: a list of (dean, secretary, team) grades, or None for a spoilt paper."""
    unit = unit or w.econ
    for paper in papers:
        if paper is None:
            paper_ballot_enter(actor=teller, unit=unit, category=category, spoilt=True, choices={})
        else:
            dean, secretary, team = paper
            choices = {w.cadres["dean"].item_key: dean, w.cadres["secretary"].item_key: secretary, "team": team}
            paper_ballot_enter(actor=teller, unit=unit, category=category, spoilt=False, choices=choices)


PAPERS = [
    ("excellent", "competent", "good"),
    ("excellent", "basic", "fair"),
    ("competent", "competent", "good"),
    None,
]


def test_a_teller_enters_a_paper_with_no_time_and_no_voter(paper):
    w = paper
    entry = paper_ballot_enter(
        actor=w.li,
        unit=w.econ,
        category="leader",
        spoilt=False,
        choices={**grades_all(w.econ, "basic", "average"), "ignored": "x"},
    )
    stored = PaperBallot.objects.get(pk=entry.pk)
    assert (stored.round_unit_id, stored.teller_id, stored.category, stored.spoilt, stored.choices) == (
        w.econ.pk,
        w.u.li.pk,
        "leader",
        False,
        grades_all(w.econ, "basic", "average"),  # only the ballot's items are kept
    )


def test_a_spoilt_paper_keeps_no_grades(paper):
    w = paper
    entry = paper_ballot_enter(actor=w.li, unit=w.econ, category="staff", spoilt=True, choices=grades_all(w.econ))
    assert (entry.spoilt, PaperBallot.objects.get(pk=entry.pk).choices) == (True, {})


@pytest.mark.parametrize("who", ["office", "member", "wang", "zzb", "auditor"])
def test_only_the_units_tellers_enter_its_papers(paper, who):
    w = paper
    actor = w.office if who == "office" else w.users[who]
    before = table_counts()
    with pytest.raises(PermissionDenied):
        paper_ballot_enter(actor=actor, unit=w.econ, category="staff", spoilt=False, choices=grades_all(w.econ))
    assert changed_tables(before, table_counts()) == {}


@pytest.mark.parametrize(
    "category, choices, message",
    [
        ("staff", "no secretary", "“孙书记（书记）”没有选择等次：选票不完整的，请作为废票录入。"),
        ("staff", "no team", "“领导班子”没有选择等次：选票不完整的，请作为废票录入。"),
        ("staff", "off the scale", "“钱院长（院长）”没有选择等次：选票不完整的，请作为废票录入。"),
        ("students", "full", "请选择选票的类别。"),
        ("", "full", "请选择选票的类别。"),
    ],
)
def test_an_incomplete_paper_is_refused_unless_entered_as_spoilt(paper, category, choices, message):
    w = paper
    full = grades_all(w.econ)
    ballot = {
        "full": full,
        "no secretary": {k: v for k, v in full.items() if k != w.cadres["secretary"].item_key},
        "no team": {k: v for k, v in full.items() if k != "team"},
        "off the scale": {**full, w.cadres["dean"].item_key: "good"},
    }[choices]
    before = table_counts()
    with pytest.raises(ApplicationError) as refused:
        paper_ballot_enter(actor=w.li, unit=w.econ, category=category, spoilt=False, choices=ballot)
    assert str(refused.value.message) == message
    assert changed_tables(before, table_counts()) == {}


def test_no_paper_outside_a_paper_round_or_before_the_voting(w, clock):
    through(w, "published")
    before = table_counts()
    with pytest.raises(ApplicationError, match="本次测评只在网上投票，没有纸质选票。"):
        paper_ballot_enter(actor=w.users["li"], unit=w.econ, category="staff", spoilt=True, choices={})
    assert changed_tables(before, table_counts()) == {}


def test_no_paper_entered_before_the_voting_opens_or_after_the_count(w, clock):
    rules_make(w.u, mode=VotingMode.PAPER)
    through(w, "published")
    before = table_counts()
    with pytest.raises(ApplicationError, match="投票开始后、计票前才能录入纸质选票。"):
        paper_ballot_enter(actor=w.users["li"], unit=w.econ, category="staff", spoilt=True, choices={})
    assert changed_tables(before, table_counts()) == {}


def test_the_tellers_agree_and_the_category_counts(paper):
    w = paper
    _enter(w, w.li, PAPERS)
    _enter(w, w.chen, list(reversed(PAPERS)))  # in another order: the tallies still agree
    before = table_counts()
    count = paper_count_agree(actor=w.chen, unit=w.econ, category="staff")
    assert changed_tables(before, table_counts()) == {
        "appraisals.papercount": (0, 1),
        "core.auditevent": (
            before["core.auditevent"],
            before["core.auditevent"] + 1,
        ),
    }
    dean, secretary = w.cadres["dean"].item_key, w.cadres["secretary"].item_key
    stored = PaperCount.objects.get()
    assert (stored.pk, stored.round_unit_id, stored.category, stored.ballots, stored.spoilt, stored.tellers) == (
        count.pk,
        w.econ.pk,
        "staff",
        4,
        1,
        "李娜、陈静",
    )
    assert stored.counts == {
        dean: {"excellent": 2, "competent": 1},
        secretary: {"competent": 2, "basic": 1},
        "team": {"good": 2, "fair": 1},
    }
    assert (stored.agreed_by_id, stored.agreed_at is not None) == (w.chen.pk, True)
    assert AuditEvent.objects.order_by("-pk").first().message == "经济学院分工会纸质选票核对一致：4 张，其中废票 1 张"
    progress = {p.category: p for p in paper_progress(w.econ)}
    assert progress["staff"].by_teller == {w.u.li.pk: 4, w.u.officer_person.pk: 4}
    assert progress["staff"].agreed.pk == count.pk
    assert (progress["leader"].by_teller, progress["leader"].agreed) == ({}, None)


def test_the_office_may_confirm_the_agreement_too(paper):
    w = paper
    _enter(w, w.li, PAPERS[:1])
    _enter(w, w.chen, PAPERS[:1])
    assert paper_count_agree(actor=w.office, unit=w.econ, category="staff").ballots == 1


def test_tallies_that_differ_list_the_differences_and_nothing_is_written(paper):
    w = paper
    _enter(w, w.li, PAPERS)
    _enter(
        w, w.chen, [("excellent", "competent", "good"), ("excellent", "basic", "fair"), ("basic", "competent", "good")]
    )
    before = table_counts()
    with pytest.raises(ApplicationError) as refused:
        paper_count_agree(actor=w.li, unit=w.econ, category="staff")
    differences = [
        "选票张数：李娜 计 4 张，陈静 计 3 张",
        "废票：李娜 计 1 张，陈静 计 0 张",
        "钱院长（院长）“称职”：李娜 计 1 票，陈静 计 0 票",
        "钱院长（院长）“基本称职”：李娜 计 0 票，陈静 计 1 票",
    ]
    assert refused.value.extra == {"differences": differences}
    assert str(refused.value.message) == "两位计票人的计票不一致，请重新清点后更正：" + "；".join(differences)
    assert changed_tables(before, table_counts()) == {}
    tallies = teller_tallies(w.econ, "staff")
    assert [(t.teller_name, t.ballots, t.spoilt) for t in tallies] == [("李娜", 4, 1), ("陈静", 3, 0)]


def test_a_teller_takes_back_a_slip_then_the_tallies_agree(paper):
    w = paper
    _enter(w, w.li, PAPERS)
    _enter(w, w.chen, PAPERS[:3])
    wrong = paper_ballot_enter(actor=w.chen, unit=w.econ, category="staff", spoilt=False, choices=grades_all(w.econ))
    with pytest.raises(PermissionDenied):
        paper_ballot_remove(actor=w.li, ballot=wrong)  # only one's own entries
    with pytest.raises(ApplicationError, match="两位计票人的计票不一致"):
        paper_count_agree(actor=w.li, unit=w.econ, category="staff")
    paper_ballot_remove(actor=w.chen, ballot=wrong)
    assert not PaperBallot.objects.filter(pk=wrong.pk).exists()
    _enter(w, w.chen, [None])
    assert paper_count_agree(actor=w.li, unit=w.econ, category="staff").ballots == 4


def test_both_tellers_must_have_entered(paper):
    w = paper
    _enter(w, w.li, PAPERS[:1])
    before = table_counts()
    with pytest.raises(ApplicationError, match="两位计票人都录入后才能核对。"):
        paper_count_agree(actor=w.li, unit=w.econ, category="staff")
    with pytest.raises(ApplicationError, match="两位计票人都录入后才能核对。"):
        paper_count_agree(actor=w.li, unit=w.econ, category="cadre")
    assert changed_tables(before, table_counts()) == {}


def test_a_teller_of_another_unit_cannot_agree(paper):
    w = paper
    _enter(w, w.li, PAPERS[:1])
    _enter(w, w.chen, PAPERS[:1])
    with pytest.raises(PermissionDenied):
        paper_count_agree(actor=w.users["wang"], unit=w.econ, category="staff")
    with pytest.raises(PermissionDenied):
        paper_count_agree(actor=w.users["member"], unit=w.econ, category="staff")
    assert PaperCount.objects.count() == 0


def test_more_papers_than_voters_are_refused(paper):
    w = paper
    _enter(w, w.li, PAPERS[:2], category="leader")  # one leader votes in econ
    _enter(w, w.chen, PAPERS[:2], category="leader")
    before = table_counts()
    with pytest.raises(ApplicationError) as refused:
        paper_count_agree(actor=w.li, unit=w.econ, category="leader")
    assert str(refused.value.message) == "收回 2 张选票，多于可投票的 1 人：请重新清点。"
    assert changed_tables(before, table_counts()) == {}


def test_where_the_round_also_votes_online_no_more_papers_than_handouts(w, clock):
    rules_make(w.u, mode=VotingMode.BOTH)
    through(w, "open", clock)
    li, chen = w.users["li"], w.users["sub_union_officer"]
    paper_handout(actor=li, unit=w.econ, staff_no="E0001")
    _enter(w, li, PAPERS[:2])
    _enter(w, chen, PAPERS[:2])
    before = table_counts()
    with pytest.raises(ApplicationError) as refused:
        paper_count_agree(actor=li, unit=w.econ, category="staff")
    assert str(refused.value.message) == "收回 2 张选票，多于可投票的 1 人：请重新清点。"
    assert changed_tables(before, table_counts()) == {}
    paper_handout(actor=li, unit=w.econ, staff_no="E0002")
    assert paper_count_agree(actor=li, unit=w.econ, category="staff").ballots == 2


def test_once_agreed_a_category_takes_no_more_entries_or_removals(paper):
    w = paper
    _enter(w, w.li, PAPERS)
    _enter(w, w.chen, PAPERS)
    paper_count_agree(actor=w.li, unit=w.econ, category="staff")
    mine = PaperBallot.objects.filter(teller=w.u.li).first()
    before = table_counts()
    message = "这一类别的纸质选票已核对一致，不能再录入或修改。"
    with pytest.raises(ApplicationError, match=message):
        _enter(w, w.li, [None])
    with pytest.raises(ApplicationError, match=message):
        paper_ballot_remove(actor=w.li, ballot=mine)
    with pytest.raises(ApplicationError, match=message):
        paper_count_agree(actor=w.chen, unit=w.econ, category="staff")
    assert changed_tables(before, table_counts()) == {}
    # the other categories are still open for entry
    _enter(w, w.li, [None], category="cadre")
    assert PaperBallot.objects.filter(category="cadre").count() == 1


def test_the_round_waits_for_every_units_paper_count(paper):
    w = paper
    assert paper_uncounted(w.round) == ["法学院分工会", "经济学院分工会"]
    _enter(w, w.li, PAPERS)
    _enter(w, w.chen, PAPERS)
    paper_count_agree(actor=w.li, unit=w.econ, category="staff")
    assert paper_uncounted(w.round) == ["法学院分工会"]
    _enter(w, w.li, [None], category="cadre")  # entered, not agreed
    assert paper_uncounted(w.round) == ["法学院分工会", "经济学院分工会"]
