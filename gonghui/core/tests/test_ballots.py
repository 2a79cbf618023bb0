"""The secret ballot store: who voted is kept apart from what was voted; a ballot is final, one
per voter, only from the electorate, only while the box is open; no result before closing."""

import uuid

import pytest

from gonghui.core.ballots import Voter, ballot_box_close, ballot_box_open, ballot_cast, ballot_tally, has_voted
from gonghui.core.exceptions import ApplicationError
from gonghui.core.models import Ballot, BallotBox, BallotBoxEvent, BallotVoter
from tests.tables import changed_tables, table_counts

ITEMS = [
    {"key": "dean", "label": "院长", "options": [["excellent", "优秀"], ["competent", "称职"], ["unfit", "不称职"]]},
    {"key": "team", "label": "领导班子", "options": [["good", "好"], ["fair", "一般"]]},
]


@pytest.fixture
def box(university):
    u = university
    return ballot_box_open(
        actor=u.users["union_office"],
        kind="test.appraisal",
        subject="test.appraisal:1",
        title="经济学院2021年度测评",
        items=ITEMS,
        voters=[
            Voter(person_id=u.zhang.pk, category="staff", unit_id=u.econ.pk),
            Voter(person_id=u.li.pk, category="cadre", unit_id=u.econ.pk),
            Voter(person_id=u.wang.pk, category="staff", unit_id=u.law.pk),
        ],
    )


def test_a_ballot_is_not_linked_to_its_voter_by_any_field():
    fields = {f.name for f in Ballot._meta.get_fields()}
    assert fields == {"key", "box", "category", "unit", "choices"}
    assert Ballot._meta.pk.name == "key"
    assert isinstance(Ballot._meta.pk.default(), uuid.UUID)


def test_casting_marks_the_voter_and_stores_an_unlinked_ballot(box, university):
    u = university
    ballot_cast(box=box, person_id=u.zhang.pk, choices={"dean": "excellent", "team": "good"})
    assert has_voted(box, u.zhang.pk) is True
    assert has_voted(box, u.li.pk) is False
    assert list(BallotVoter.objects.filter(box=box, voted=True).values_list("person_id", flat=True)) == [u.zhang.pk]
    ballot = Ballot.objects.get(box=box)
    assert (ballot.category, ballot.unit_id, ballot.choices) == (
        "staff",
        u.econ.pk,
        {"dean": "excellent", "team": "good"},
    )


@pytest.mark.parametrize(
    "who, choices, message",
    [
        ("zhao", {"dean": "excellent", "team": "good"}, "您不在本次投票的投票人名单中。"),
        ("li", {"dean": "excellent"}, "请对“领导班子”作出选择。"),
        ("li", {"dean": "best", "team": "good"}, "请对“院长”作出选择。"),
        ("li", {"dean": "excellent", "team": "good", "extra": "x"}, "选票中有不属于本次投票的表决项。"),
    ],
)
def test_a_refused_ballot_writes_nothing(box, university, who, choices, message):
    before = table_counts()
    with pytest.raises(ApplicationError) as refused:
        ballot_cast(box=box, person_id=getattr(university, who).pk, choices=choices)
    assert str(refused.value.message) == message
    assert changed_tables(before, table_counts()) == {}
    assert BallotVoter.objects.filter(box=box, voted=True).count() == 0


def test_a_ballot_is_final(box, university):
    ballot_cast(box=box, person_id=university.li.pk, choices={"dean": "unfit", "team": "fair"})
    before = table_counts()
    with pytest.raises(ApplicationError, match="您已投过票，选票一经投出不能更改。"):
        ballot_cast(box=box, person_id=university.li.pk, choices={"dean": "excellent", "team": "good"})
    assert changed_tables(before, table_counts()) == {}
    assert list(Ballot.objects.values_list("choices", flat=True)) == [{"dean": "unfit", "team": "fair"}]


def test_no_tally_while_open_and_no_ballot_after_closing(box, university):
    u = university
    ballot_cast(box=box, person_id=u.zhang.pk, choices={"dean": "excellent", "team": "good"})
    ballot_cast(box=box, person_id=u.li.pk, choices={"dean": "competent", "team": "good"})
    with pytest.raises(ApplicationError, match="投票截止后才能计票。"):
        ballot_tally(box)
    closed = ballot_box_close(actor=u.users["union_office"], box=box)
    assert closed.status == "closed" and closed.closed_at is not None
    assert list(BallotBoxEvent.objects.filter(subject=box).values_list("step", "to_state")) == [
        ("created", "open"),
        ("close", "closed"),
    ]
    with pytest.raises(ApplicationError, match="投票已截止。"):
        ballot_cast(box=closed, person_id=u.wang.pk, choices={"dean": "unfit", "team": "fair"})
    tally = ballot_tally(closed)
    assert (tally.voters, tally.voted) == (3, 2)
    assert tally.counts == {"dean": {"excellent": 1, "competent": 1, "unfit": 0}, "team": {"good": 2, "fair": 0}}
    assert tally.by_category == {
        "staff": {"dean": {"excellent": 1}, "team": {"good": 1}},
        "cadre": {"dean": {"competent": 1}, "team": {"good": 1}},
    }


def test_one_open_box_per_subject_and_well_formed_items(box, university):
    office = university.users["union_office"]
    before = BallotBox.objects.count()
    with pytest.raises(ApplicationError, match="这一事项已有正在进行的投票。"):
        ballot_box_open(actor=office, kind="t", subject="test.appraisal:1", title="x", items=ITEMS, voters=[])
    with pytest.raises(ApplicationError, match="每个表决项至少有两个不同的选项。"):
        ballot_box_open(
            actor=office,
            kind="t",
            subject="s2",
            title="x",
            items=[{"key": "a", "label": "A", "options": [["y", "是"]]}],
            voters=[],
        )
    with pytest.raises(ApplicationError, match="表决项不能为空"):
        ballot_box_open(actor=office, kind="t", subject="s3", title="x", items=[], voters=[])
    assert BallotBox.objects.count() == before
