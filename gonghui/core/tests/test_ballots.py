"""The secret ballot store: who voted is kept apart from what was voted; a ballot is final, one
per voter, only from the electorate, only while the box is open; no result before closing."""

import json
import uuid

import pytest

from gonghui.core.ballots import Voter, ballot_box_close, ballot_box_open, ballot_cast, ballot_tally, has_voted
from gonghui.core.exceptions import ApplicationError
from gonghui.core.models import Ballot, BallotBox, BallotBoxEvent, BallotPending, BallotVoter
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


def test_a_waiting_ballot_is_not_linked_to_its_voter_either():
    fields = {f.name for f in BallotPending._meta.get_fields()}
    assert fields == {"key", "box", "category", "unit", "choices"}


def test_casting_marks_the_voter_and_keeps_an_unlinked_ballot_for_its_batch(box, university):
    u = university
    ballot_cast(box=box, person_id=u.zhang.pk, choices={"dean": "excellent", "team": "good"})
    assert has_voted(box, u.zhang.pk) is True
    assert has_voted(box, u.li.pk) is False
    assert list(BallotVoter.objects.filter(box=box, voted=True).values_list("person_id", flat=True)) == [u.zhang.pk]
    assert Ballot.objects.count() == 0  # waits for its batch (10 by default) or the closing
    waiting = BallotPending.objects.get(box=box)
    assert (waiting.category, waiting.unit_id, waiting.choices) == (
        "staff",
        u.econ.pk,
        {"dean": "excellent", "team": "good"},
    )


def _physical_order() -> list[dict]:
    """The ballots as the table stores them (what a dump prints): PostgreSQL's tuple order,
    SQLite's rowid."""
    from django.db import connection

    column = "ctid" if connection.vendor == "postgresql" else "rowid"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT choices FROM core_ballot ORDER BY {column}")
        return [json.loads(row[0]) if isinstance(row[0], str) else row[0] for row in cursor.fetchall()]


def test_ballots_are_written_in_shuffled_batches_not_in_the_order_cast(university, settings):
    """30 voters each cast a ballot no one else casts; with batches of 10 the table holds each
    batch as a random permutation of its ballots: the chance that all three batches keep the
    order cast is (1/10!)^3."""
    from gonghui.core.ballots import ballot_box_close
    from gonghui.people.tests.factories import person_make

    settings.BALLOT_BATCH = 10
    people = [person_make(staff_no=f"V{i:03d}", name=f"投票人{i}", sub_union=university.econ) for i in range(30)]
    items = [{"key": f"q{k}", "label": f"问题{k}", "options": [["y", "是"], ["n", "否"]]} for k in range(5)]
    box = ballot_box_open(
        actor=university.users["union_office"],
        kind="test",
        subject="test:order",
        title="顺序",
        items=items,
        voters=[Voter(person_id=p.pk) for p in people],
    )
    cast = []
    for i, person in enumerate(people):
        choices = {f"q{k}": "y" if (i >> k) & 1 else "n" for k in range(5)}  # 30 different ballots
        ballot_cast(box=box, person_id=person.pk, choices=choices)
        cast.append(choices)
        written = Ballot.objects.filter(box=box).count()
        assert (written, BallotPending.objects.filter(box=box).count()) == ((i + 1) // 10 * 10, (i + 1) % 10)
    stored = _physical_order()
    assert stored != cast
    for start in (0, 10, 20):  # each batch holds exactly the ballots cast in it
        assert sorted(map(str, stored[start : start + 10])) == sorted(map(str, cast[start : start + 10]))
    ballot_box_close(actor=university.users["union_office"], box=box)
    assert BallotPending.objects.count() == 0


def test_closing_writes_the_last_batch(box, university):
    u = university
    ballot_cast(box=box, person_id=u.zhang.pk, choices={"dean": "excellent", "team": "good"})
    ballot_cast(box=box, person_id=u.wang.pk, choices={"dean": "unfit", "team": "fair"})
    assert (Ballot.objects.count(), BallotPending.objects.count()) == (0, 2)
    closed = ballot_box_close(actor=u.users["union_office"], box=box)
    assert (Ballot.objects.count(), BallotPending.objects.count()) == (2, 0)
    assert ballot_tally(closed).counts["dean"] == {"excellent": 1, "competent": 0, "unfit": 1}


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
    assert list(BallotPending.objects.values_list("choices", flat=True)) == [{"dean": "unfit", "team": "fair"}]


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


@pytest.mark.django_db(transaction=True)
def test_two_ballots_of_one_voter_at_the_same_instant_count_once(university):
    """Two threads, each with its own connection, cast the same voter's ballot at once (a double
    tap, two devices): exactly one is kept. PostgreSQL only: SQLite serialises writers."""
    import threading

    from django.db import connection, connections

    if connection.vendor == "sqlite":
        pytest.skip("needs a database with concurrent writers (runs on PostgreSQL in CI)")
    box = ballot_box_open(
        actor=university.users["union_office"],
        kind="test",
        subject="test:twice",
        title="两次",
        items=ITEMS,
        voters=[Voter(person_id=university.zhang.pk), Voter(person_id=university.li.pk)],
    )
    barrier = threading.Barrier(2)
    outcomes = []

    def cast(dean):
        try:
            barrier.wait(timeout=10)
            ballot_cast(box=box, person_id=university.zhang.pk, choices={"dean": dean, "team": "good"})
            outcomes.append("cast")
        except ApplicationError as refused:
            outcomes.append(str(refused.message))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=cast, args=(dean,)) for dean in ("excellent", "unfit")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["cast", "您已投过票，选票一经投出不能更改。"]
    assert BallotPending.objects.filter(box=box).count() + Ballot.objects.filter(box=box).count() == 1
    assert BallotVoter.objects.filter(box=box, voted=True).count() == 1


# --- a voter who took part another way ---------------------------------------------------------


def test_a_voter_marked_as_having_taken_part_cannot_vote_online(box, university):
    from gonghui.core.ballots import ballot_voter_mark

    u = university
    before = table_counts()
    ballot_voter_mark(box=box, person_id=u.li.pk)
    assert changed_tables(before, table_counts()) == {}  # a mark, no ballot
    assert (has_voted(box, u.li.pk), has_voted(box, u.zhang.pk)) == (True, False)
    assert (Ballot.objects.count(), BallotPending.objects.count()) == (0, 0)
    with pytest.raises(ApplicationError, match="您已投过票，选票一经投出不能更改。"):
        ballot_cast(box=box, person_id=u.li.pk, choices={"dean": "excellent", "team": "good"})
    assert changed_tables(before, table_counts()) == {}


@pytest.mark.parametrize(
    "who, setup, message",
    [
        ("li", "marked", "此人已经投过票。"),
        ("zhang", "voted", "此人已经投过票。"),
        ("zhao", "", "此人不在本次投票的投票人名单中。"),
        ("li", "closed", "投票已截止。"),
        ("li", "past", "投票已截止。"),
    ],
)
def test_a_mark_is_refused_with_nothing_written(box, university, who, setup, message):
    from django.utils import timezone

    from gonghui.core.ballots import ballot_voter_mark

    u = university
    if setup == "marked":
        ballot_voter_mark(box=box, person_id=u.li.pk)
    elif setup == "voted":
        ballot_cast(box=box, person_id=u.zhang.pk, choices={"dean": "excellent", "team": "good"})
    elif setup == "closed":
        box = ballot_box_close(actor=u.users["union_office"], box=box)
    elif setup == "past":
        BallotBox.objects.filter(pk=box.pk).update(closes_at=timezone.now())
    voted = set(BallotVoter.objects.filter(voted=True).values_list("pk", flat=True))
    before = table_counts()
    with pytest.raises(ApplicationError) as refused:
        ballot_voter_mark(box=box, person_id=getattr(u, who).pk)
    assert str(refused.value.message) == message
    assert changed_tables(before, table_counts()) == {}
    assert set(BallotVoter.objects.filter(voted=True).values_list("pk", flat=True)) == voted


# --- closing writes the whole box again in one random order --------------------------------------


def _xmins(box) -> set[int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT xmin::text FROM core_ballot WHERE box_id = %s", [box.pk])
        return {int(row[0]) for row in cursor.fetchall()}


def test_closing_writes_every_ballot_again_in_one_random_order_with_new_keys(university, settings):
    """30 ballots, each different, cast in three shuffled batches of 10. Closing writes them all
    again: new keys, the same ballots, and an order drawn over the whole box — not three shuffled
    batches kept in place. The chance that a fresh shuffle of 30 leaves every ballot within its
    batch's ten places is (10!)³/30! ≈ 1.8·10⁻¹³."""
    from django.db import connection

    from gonghui.people.tests.factories import person_make

    settings.BALLOT_BATCH = 10
    people = [person_make(staff_no=f"W{i:03d}", name=f"投票人{i}", sub_union=university.econ) for i in range(30)]
    items = [{"key": f"q{k}", "label": f"问题{k}", "options": [["y", "是"], ["n", "否"]]} for k in range(5)]
    office = university.users["union_office"]
    box = ballot_box_open(
        actor=office,
        kind="test",
        subject="test:reshuffle",
        title="重排",
        items=items,
        voters=[Voter(person_id=p.pk) for p in people],
    )
    cast = []
    for i, person in enumerate(people):
        choices = {f"q{k}": "y" if (i >> k) & 1 else "n" for k in range(5)}
        ballot_cast(box=box, person_id=person.pk, choices=choices)
        cast.append(choices)
    keys_before = set(Ballot.objects.filter(box=box).values_list("key", flat=True))
    if connection.vendor == "postgresql":
        assert len(_xmins(box)) == 3  # one writing transaction per batch
    ballot_box_close(actor=office, box=box)
    keys_after = set(Ballot.objects.filter(box=box).values_list("key", flat=True))
    assert len(keys_before) == len(keys_after) == 30 and keys_before.isdisjoint(keys_after)
    stored = _physical_order()
    assert sorted(map(str, stored)) == sorted(map(str, cast))  # the same ballots
    batch_of = {str(choices): i // 10 for i, choices in enumerate(cast)}
    assert [batch_of[str(choices)] for choices in stored] != [i // 10 for i in range(30)]
    if connection.vendor == "postgresql":
        assert len(_xmins(box)) == 1  # one writing transaction for the whole box
    tally = ballot_tally(BallotBox.objects.get(pk=box.pk))
    assert tally.counts == {
        f"q{k}": {"y": sum(c[f"q{k}"] == "y" for c in cast), "n": sum(c[f"q{k}"] == "n" for c in cast)}
        for k in range(5)
    }
    assert tally.counts["q4"] == {"y": 14, "n": 16}  # 16…29
