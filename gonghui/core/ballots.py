"""The secret ballot store (DOMAIN §4.4), one for every module that votes: the congress's vote on
a draft (deliberations), the cadres' democratic appraisal (appraisals).

- `ballot_box_open`: the module names what is voted on, the questions with their options and
  the electorate (each voter with a category and a unit);
- `ballot_cast`: one voter's choices, final: the voter is marked as having voted and one
  ballot is stored with no link to them (a random key, no time, no sequence), in one
  transaction; a second ballot, a voter outside the electorate, a closed box, or a choice that
  is not an option is refused with nothing written;
- `ballot_voter_mark`: a voter who took part another way (a paper ballot at the meeting) may
  no longer vote online;
- `ballot_box_close`: no more ballots (the module decides who may close); every ballot of the
  box is written again in one random order;
- `ballot_tally`: the counts per item and option (and per category), only once closed;
  `ballot_tallies` counts many boxes at once (a round's units) with two grouped queries.

Access is the module's: it decides who opens, closes and sees a tally; this store keeps the
secret (threat model: docs/adr/0008-secret-ballots.md):

- no field, page, API, export, log line or admin view joins a ballot to a voter;
- a ballot has a random key, no time and no sequence;
- ballots are not written in the order people voted: a cast ballot waits in `BallotPending`
  until `BALLOT_BATCH` ballots of the box are cast (or the box closes), then the batch is
  written to `Ballot` in a random order and the pending rows are deleted, so neither the
  table's order nor its rows' transaction ids tell more than "one of this batch".

The box's lifecycle is a core workflow (open → closed).
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gonghui.core.exceptions import ApplicationError
from gonghui.core.models import Ballot, BallotBox, BallotBoxEvent, BallotBoxStatus, BallotPending, BallotVoter
from gonghui.core.workflow import SYSTEM, Step, Workflow, transition, workflow_register

if TYPE_CHECKING:
    from gonghui.accounts.models import User

# Ballots written out together, shuffled (settings.BALLOT_BATCH overrides): the fewer voters
# a box has, the more a small batch would tell; the last batch is written at closing.
BALLOT_BATCH = 10


@workflow_register
class BallotBoxWorkflow(Workflow):
    """A box is open, then closed for counting. The module that opened it checks who closes it
    (the step is taken with `check_actor=False`); the system closes boxes past their time."""

    name = "core.ballotbox"
    model = BallotBox
    event_model = BallotBoxEvent
    states = BallotBoxStatus
    initial = (BallotBoxStatus.OPEN,)
    person_field = None
    noun = gettext_lazy("无记名投票")
    path = (BallotBoxStatus.OPEN, BallotBoxStatus.CLOSED)
    tones = {"open": "action", "closed": "success"}
    steps = (
        Step.of(
            "close",
            BallotBoxStatus.OPEN,
            BallotBoxStatus.CLOSED,
            gettext_lazy("截止并计票"),
            relations={SYSTEM},
            stamps=("closed_at",),
        ),
    )


@dataclass(frozen=True)
class Voter:
    person_id: int
    category: str = ""
    unit_id: int | None = None


def _items_check(items: list[dict]) -> None:
    keys = [item.get("key") for item in items]
    if not items or len(keys) != len(set(keys)) or not all(keys):
        raise ApplicationError(_("表决项不能为空，且各项的代码不能重复。"))
    for item in items:
        codes = [option[0] for option in item.get("options", [])]
        if len(codes) < 2 or len(codes) != len(set(codes)):
            raise ApplicationError(_("每个表决项至少有两个不同的选项。"))


@transaction.atomic
def ballot_box_open(
    *,
    actor: User,
    kind: str,
    subject: str,
    title: str,
    items: list[dict],
    voters: Iterable[Voter],
    closes_at: datetime.datetime | None = None,
) -> BallotBox:
    """A new box for `subject` with its questions and electorate (refused while another box of
    the same subject is open)."""
    _items_check(items)
    if BallotBox.objects.select_for_update().filter(subject=subject, status=BallotBoxStatus.OPEN).exists():
        raise ApplicationError(_("这一事项已有正在进行的投票。"))
    box = BallotBox.objects.create(
        kind=kind, subject=subject, title=title[:200], items=items, closes_at=closes_at, opened_by=actor
    )
    BallotVoter.objects.bulk_create(
        BallotVoter(box=box, person_id=v.person_id, category=v.category, unit_id=v.unit_id)
        for v in {v.person_id: v for v in voters}.values()
    )
    BallotBoxWorkflow.record(box, "created", actor, parameters={"voters": box.voters.count()})
    return box


def _open_now(box: BallotBox) -> None:
    if box.status != BallotBoxStatus.OPEN or (box.closes_at and box.closes_at <= timezone.now()):
        raise ApplicationError(_("投票已截止。"))


@transaction.atomic
def ballot_cast(*, box: BallotBox, person_id: int, choices: dict) -> None:
    """`person_id`'s ballot: their choice for every item, final. Writes the voter's mark and an
    unlinked ballot together, or nothing."""
    box = BallotBox.objects.select_for_update().get(pk=box.pk)
    _open_now(box)
    voter = BallotVoter.objects.select_for_update().filter(box=box, person_id=person_id).first()
    if voter is None:
        raise ApplicationError(_("您不在本次投票的投票人名单中。"))
    if voter.voted:
        raise ApplicationError(_("您已投过票，选票一经投出不能更改。"))
    clean = {}
    for item in box.items:
        chosen = (choices or {}).get(item["key"])
        if chosen not in {option[0] for option in item["options"]}:
            raise ApplicationError(
                _("请对“%(item)s”作出选择。") % {"item": item["label"]}, extra={"field": item["key"]}
            )
        clean[item["key"]] = chosen
    if set(choices or {}) - set(clean):
        raise ApplicationError(_("选票中有不属于本次投票的表决项。"))
    BallotVoter.objects.filter(pk=voter.pk).update(voted=True)
    BallotPending.objects.create(box=box, category=voter.category, unit_id=voter.unit_id, choices=clean)
    if BallotPending.objects.filter(box=box).count() >= _batch():
        _pending_write(box)


def _batch() -> int:
    from django.conf import settings

    return max(1, int(getattr(settings, "BALLOT_BATCH", BALLOT_BATCH)))


def _pending_write(box: BallotBox) -> int:
    """Write the box's pending ballots as ballots in a random order (new random keys), and
    delete them from the waiting table; the caller holds the box's lock."""
    import secrets

    pending = list(BallotPending.objects.filter(box=box).values_list("category", "unit_id", "choices"))
    order = list(range(len(pending)))
    secrets.SystemRandom().shuffle(order)
    Ballot.objects.bulk_create(
        Ballot(box=box, category=pending[i][0], unit_id=pending[i][1], choices=pending[i][2]) for i in order
    )
    BallotPending.objects.filter(box=box).delete()
    return len(pending)


@transaction.atomic
def ballot_voter_mark(*, box: BallotBox, person_id: int) -> None:
    """`person_id` took part another way (a paper ballot handed out at the meeting): marked as
    having voted, so they cannot also vote online; refused if they already did, or may not."""
    box = BallotBox.objects.select_for_update().get(pk=box.pk)
    _open_now(box)
    voter = BallotVoter.objects.select_for_update().filter(box=box, person_id=person_id).first()
    if voter is None:
        raise ApplicationError(_("此人不在本次投票的投票人名单中。"))
    if voter.voted:
        raise ApplicationError(_("此人已经投过票。"))
    BallotVoter.objects.filter(pk=voter.pk).update(voted=True)


def _box_reshuffle(box: BallotBox) -> None:
    """Write every ballot of the box again, in one random order with new keys: once closed, the
    box's rows share one writing transaction and one shuffled physical order, so not even the
    batch a ballot was written in (its `xmin`, its place in the table) is left to read."""
    import secrets

    rows = list(Ballot.objects.filter(box=box).values_list("category", "unit_id", "choices"))
    secrets.SystemRandom().shuffle(rows)
    Ballot.objects.filter(box=box).delete()
    Ballot.objects.bulk_create(Ballot(box=box, category=c, unit_id=u, choices=ch) for c, u, ch in rows)


@transaction.atomic
def ballot_box_close(*, actor: User, box: BallotBox) -> BallotBox:
    """No more ballots: the last batch is written, the whole box is written again in one random
    order, and the box may be counted."""
    box = BallotBox.objects.select_for_update().get(pk=box.pk)
    _pending_write(box)
    _box_reshuffle(box)
    return transition(
        BallotBoxWorkflow,
        box,
        to=BallotBoxStatus.CLOSED,
        actor=actor,
        check_actor=False,
        parameters={"ballots": box.ballots.count(), "voters": box.voters.count()},
    )


@dataclass(frozen=True)
class Tally:
    voters: int
    voted: int
    counts: dict[str, dict[str, int]]  # item key -> option code -> ballots
    by_category: dict[str, dict[str, dict[str, int]]]  # category -> item -> option -> ballots
    voted_by_category: dict[str, int] = field(default_factory=dict)  # category -> voters who voted


def ballot_tally(box: BallotBox) -> Tally:
    """The counts of a closed box (refused while it is open: no partial results)."""
    return ballot_tallies([box])[box.pk]


def _ballot_rows(ids: list[int]) -> dict[int, list[tuple[str, str, str, int]]]:
    """Each box's ballots counted by the database: {box id: [(category, item, option, n)]}, one
    grouped statement per 500 boxes."""
    counted: dict[int, list[tuple[str, str, str, int]]] = {pk: [] for pk in ids}
    # each ballot's choices as (item, option) rows: jsonb_each_text on PostgreSQL, json_each on SQLite
    each = "jsonb_each_text" if connection.vendor == "postgresql" else "json_each"
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT b.box_id, b.category, kv.key, kv.value, COUNT(*) FROM {Ballot._meta.db_table} b, "
                f"{each}(b.choices) kv WHERE b.box_id IN ({', '.join(['%s'] * len(chunk))}) "
                "GROUP BY b.box_id, b.category, kv.key, kv.value",
                chunk,
            )
            for box_id, category, key, option, n in cursor.fetchall():
                counted[box_id].append((category, key, option, n))
    return counted


def _closed(boxes: Iterable[BallotBox]) -> list[BallotBox]:
    boxes = list(boxes)
    if any(box.status != BallotBoxStatus.CLOSED for box in boxes):
        raise ApplicationError(_("投票截止后才能计票。"))
    return boxes


def ballot_counts(boxes: Iterable[BallotBox]) -> dict[int, dict[str, dict[str, int]]]:
    """The ballots' counts of closed boxes, {box id: {item: {option: n}}}, without the
    electorate (`ballot_tallies` adds it): what a figure of ballots cast needs, however large
    the electorate."""
    boxes = _closed(boxes)
    counted = _ballot_rows([box.pk for box in boxes])
    out = {}
    for box in boxes:
        counts: dict[str, Counter] = {item["key"]: Counter() for item in box.items}
        for _category, key, option, n in counted[box.pk]:
            counts.setdefault(key, Counter())[option] += n
        out[box.pk] = {item["key"]: {o[0]: counts[item["key"]][o[0]] for o in item["options"]} for item in box.items}
    return out


def ballot_tallies(boxes: Iterable[BallotBox]) -> dict[int, Tally]:
    """The counts of closed boxes ({box id: Tally}), all refused if one is open. Counted by the
    database, grouped over every box at once: one statement for the ballots (per box, category,
    item and option) and one for the electorate (per box, category and voted), whatever the
    number of boxes or ballots (a round of 100 units is two queries, not a pass over each
    ballot of each box)."""
    boxes = _closed(boxes)
    ids = [box.pk for box in boxes]
    counted = _ballot_rows(ids)
    electorate: dict[int, list[tuple[str, bool, int]]] = {pk: [] for pk in ids}
    for start in range(0, len(ids), 500):
        voters = (
            BallotVoter.objects.filter(box_id__in=ids[start : start + 500])
            .values_list("box_id", "category", "voted")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for box_id, category, voted, n in voters:
            electorate[box_id].append((category, voted, n))
    tallies = {}
    for box in boxes:
        counts: dict[str, Counter] = {item["key"]: Counter() for item in box.items}
        by_category: dict[str, dict[str, Counter]] = {}
        for category, key, option, n in counted[box.pk]:
            counts.setdefault(key, Counter())[option] += n
            by_category.setdefault(category, {}).setdefault(key, Counter())[option] += n
        voted_by_category: Counter = Counter()
        for category, voted, n in electorate[box.pk]:
            if voted:
                voted_by_category[category] += n
        tallies[box.pk] = Tally(
            voters=sum(n for _category, _voted, n in electorate[box.pk]),
            voted=sum(voted_by_category.values()),
            counts={
                key: {option[0]: counts[key][option[0]] for option in item["options"]}
                for key, item in ((i["key"], i) for i in box.items)
            },
            by_category={c: {k: dict(v) for k, v in items.items()} for c, items in by_category.items()},
            voted_by_category=dict(voted_by_category),
        )
    return tallies


def has_voted(box: BallotBox, person_id: int | None) -> bool:
    return person_id is not None and box.voters.filter(person_id=person_id, voted=True).exists()


def is_voter(box: BallotBox, person_id: int | None) -> bool:
    return person_id is not None and box.voters.filter(person_id=person_id).exists()
