"""The draw (抽签): the order of appearance in each group and the lesson each contestant
teaches, from one seed that is shown to everyone and stored, so that anyone can run the same
draw again and get the same result (`draw_replay`).

The draw is Python's `random.Random` seeded with "<seed>:<group code>", shuffling the group's
contestants sorted by staff number, then drawing each one's lesson (1..n) in that order. The
algorithm is part of the record: changing it would change old draws, so it carries a version.
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from gonghui.competitions.choices import EntryStatus
from gonghui.competitions.models import Competition, Entry
from gonghui.competitions.workflow import CompetitionWorkflow, EntryWorkflow
from gonghui.core.exceptions import ApplicationError
from gonghui.core.workflow import transition

DRAW_ALGORITHM = "gonghui-draw/1"
_SEED_CHARS = set("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_")


@dataclass(frozen=True)
class Drawn:
    staff_no: str
    appearance: int
    lesson: int


def draw_replay(seed: str, group_code: str, staff_numbers: list[str], lessons: int) -> list[Drawn]:
    """The draw of one group: who appears in which order, and which lesson each teaches."""
    rng = random.Random(f"{seed}:{group_code}")
    order = sorted(staff_numbers)
    rng.shuffle(order)
    return [Drawn(staff_no, position, rng.randint(1, max(lessons, 1))) for position, staff_no in enumerate(order, 1)]


def seed_new() -> str:
    return secrets.token_hex(8)


def seed_check(seed: str) -> str:
    seed = (seed or "").strip()
    if not seed:
        return seed_new()
    if len(seed) > 64 or not set(seed) <= _SEED_CHARS:
        raise ApplicationError(_("抽签种子只能由字母、数字、“-”和“_”组成，最长 64 位。"), extra={"field": "seed"})
    return seed


@transaction.atomic
def draw_run(*, actor, competition: Competition, seed: str = "") -> Competition:
    """Draw the edition (the seed given, e.g. announced beforehand, or a new random one) and
    record it: every entry with complete materials gets its order and lesson."""
    seed = seed_check(seed)
    competition = transition(
        CompetitionWorkflow,
        competition,
        step="draw",
        actor=actor,
        values={"seed": seed},
        parameters={"seed": seed, "algorithm": DRAW_ALGORITHM},
    )
    lessons = competition.rules.lesson_plans_required if competition.rules else 1
    entries = list(
        Entry.objects.filter(competition=competition, status=EntryStatus.SUBMITTED).select_related("person", "group")
    )
    by_group: dict[str, list[Entry]] = {}
    for entry in entries:
        by_group.setdefault(entry.group.code, []).append(entry)
    for code, group_entries in by_group.items():
        by_staff_no = {e.person.staff_no: e for e in group_entries}
        for drawn in draw_replay(seed, code, list(by_staff_no), lessons):
            entry = by_staff_no[drawn.staff_no]
            transition(
                EntryWorkflow,
                entry,
                step="draw",
                actor=actor,
                values={"appearance": drawn.appearance, "lesson_drawn": drawn.lesson},
                check_actor=False,
            )
    return competition


def draw_verify(competition: Competition) -> bool:
    """Whether the stored order and lessons are what the stored seed gives."""
    lessons = competition.rules.lesson_plans_required if competition.rules else 1
    entries = list(competition.entries.exclude(appearance__isnull=True).select_related("person", "group"))
    by_group: dict[str, list[Entry]] = {}
    for entry in entries:
        by_group.setdefault(entry.group.code, []).append(entry)
    for code, group_entries in by_group.items():
        stored = {e.person.staff_no: (e.appearance, e.lesson_drawn) for e in group_entries}
        replayed = {
            d.staff_no: (d.appearance, d.lesson) for d in draw_replay(competition.seed, code, list(stored), lessons)
        }
        if stored != replayed:
            return False
    return bool(entries)
