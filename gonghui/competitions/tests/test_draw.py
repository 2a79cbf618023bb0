"""The draw: reproducible from its seed, recorded (seed, order, lesson), verifiable, and refused
before the materials deadline, while materials are missing, or with a bad seed."""

import datetime
import re

import pytest

from gonghui.competitions.choices import CompetitionStatus, EntryStatus
from gonghui.competitions.models import Entry
from gonghui.competitions.services import competitions as competition_services
from gonghui.competitions.services import entries as entry_services
from gonghui.competitions.services.draw import DRAW_ALGORITHM, Drawn, draw_replay, draw_run, draw_verify
from gonghui.competitions.tests.factories import (
    SEED,
    aware,
    materials_complete,
    nominate,
    nominate_all,
    refresh,
    through,
    young_teachers_add,
)
from gonghui.core.exceptions import ApplicationError, InvalidTransition, StepNotAllowed
from tests.tables import changed_tables, table_counts

STAFF = ["E1001", "E1002", "L1001"]


def close_nominations(w, clock, day: int = 26):
    clock.move_to(aware(datetime.datetime(2021, 3, day, 9, 0)))
    competition_services.competition_step(actor=w.office, competition=w.competition, step="close_nominations")


def drawn(w) -> dict[str, tuple[int | None, int | None, str]]:
    return {
        name: (entry.appearance, entry.lesson_drawn, entry.status)
        for name, entry in ((n, Entry.objects.get(pk=e.pk)) for n, e in w.entries.items())
    }


def refused(w, seed=SEED, exception=InvalidTransition):
    before = table_counts()
    with pytest.raises(exception) as raised:
        draw_run(actor=w.office, competition=w.competition, seed=seed)
    assert changed_tables(before, table_counts()) == {}
    competition = refresh(w)
    assert (competition.status, competition.seed, competition.drawn_at) == (CompetitionStatus.PREPARING, "", None)
    return raised.value


def test_the_same_seed_gives_the_same_draw_and_another_seed_another():
    first = draw_replay(SEED, "humanities-a", STAFF, 5)
    assert first == [Drawn("E1002", 1, 5), Drawn("E1001", 2, 2), Drawn("L1001", 3, 3)]
    assert draw_replay(SEED, "humanities-a", list(reversed(STAFF)), 5) == first  # the order given does not count
    assert draw_replay("qjs2022", "humanities-a", STAFF, 5) == [
        Drawn("L1001", 1, 4),
        Drawn("E1001", 2, 3),
        Drawn("E1002", 3, 5),
    ]
    # each group draws with its own stream of the same seed
    assert draw_replay(SEED, "science-a", STAFF, 5) == [
        Drawn("E1001", 1, 1),
        Drawn("E1002", 2, 5),
        Drawn("L1001", 3, 1),
    ]
    assert [d.lesson for d in draw_replay(SEED, "humanities-a", STAFF, 1)] == [1, 1, 1]


def test_the_draw_is_recorded_and_verifiable(w, clock):
    young_teachers_add(w, w.u.econ, 2, "E40")  # economics: six young teachers, three seats
    competition = through(w, clock, "uploaded")
    sun = nominate(w, "sun", "E1003", group="science-a")
    materials_complete(w, sun)
    close_nominations(w, clock)
    draw_run(actor=w.office, competition=competition, seed=SEED)
    competition = refresh(w)
    assert (competition.status, competition.seed) == (CompetitionStatus.DRAWN, SEED)
    moved = aware(datetime.datetime(2021, 3, 26, 9, 0))
    assert moved <= competition.drawn_at < moved + datetime.timedelta(minutes=5)
    event = competition.events.get(step="draw")
    assert event.parameters == {"seed": SEED, "algorithm": DRAW_ALGORITHM}
    # each group from 1, the lessons as the seed gives them
    assert drawn(w) == {
        "qian": (1, 5, EntryStatus.DRAWN),
        "zhao": (2, 2, EntryStatus.DRAWN),
        "zhou": (3, 3, EntryStatus.DRAWN),
        "sun": (1, draw_replay(SEED, "science-a", ["E1003"], 5)[0].lesson, EntryStatus.DRAWN),
    }
    assert [e.step for e in Entry.objects.get(pk=sun.pk).events.order_by("id")] == ["materials_complete", "draw"]
    assert draw_verify(competition) is True


def test_a_seed_is_generated_when_none_is_given(w, clock):
    through(w, clock, "uploaded")
    close_nominations(w, clock)
    draw_run(actor=w.office, competition=w.competition, seed="  ")
    competition = refresh(w)
    assert re.fullmatch(r"[0-9a-f]{16}", competition.seed)
    rows = drawn(w)
    assert sorted(a for a, _lesson, _status in rows.values()) == [1, 2, 3]
    assert all(1 <= lesson <= 5 for _a, lesson, _status in rows.values())
    replayed = {d.staff_no: (d.appearance, d.lesson) for d in draw_replay(competition.seed, "humanities-a", STAFF, 5)}
    assert replayed == {e.person.staff_no: (e.appearance, e.lesson_drawn) for e in competition.entries.all()}
    assert draw_verify(competition) is True


def test_a_tampered_draw_does_not_verify(w, clock):
    competition = through(w, clock, "drawn")
    assert draw_verify(competition) is True
    zhao, qian = w.entries["zhao"], w.entries["qian"]
    Entry.objects.filter(pk=zhao.pk).update(appearance=1)
    Entry.objects.filter(pk=qian.pk).update(appearance=2)
    assert draw_verify(competition) is False
    Entry.objects.filter(pk=zhao.pk).update(appearance=2)
    Entry.objects.filter(pk=qian.pk).update(appearance=1)
    assert draw_verify(competition) is True
    Entry.objects.filter(pk=zhao.pk).update(lesson_drawn=3)
    assert draw_verify(competition) is False
    Entry.objects.filter(pk=zhao.pk).update(lesson_drawn=2)
    competition.seed = "qjs2022"
    assert draw_verify(competition) is False


def test_an_edition_not_drawn_does_not_verify(w):
    nominate_all(w)
    assert draw_verify(w.competition) is False


def test_no_draw_before_the_materials_deadline(w, clock):
    through(w, clock, "uploaded")
    close_nominations(w, clock, day=25)  # 2021-03-25 09:00, the deadline at 18:00
    error = refused(w)
    assert error.message == "材料截止时间（2021-03-25 18:00）未到，不能抽签。"
    assert {a for a, _l, _s in drawn(w).values()} == {None}


def test_no_draw_while_materials_are_missing_then_without_the_withdrawn(w, clock):
    entries = nominate_all(w)
    materials_complete(w, entries["zhao"])
    close_nominations(w, clock)
    error = refused(w)
    assert error.message == "以下参赛教师的材料不全，请补齐或办理退赛后再抽签：钱二、周四。"
    entry_services.entry_withdraw(actor=w.office, entry=entries["qian"], reason="材料未交齐")
    assert refused(w).message == "以下参赛教师的材料不全，请补齐或办理退赛后再抽签：周四。"
    entry_services.entry_withdraw(actor=w.office, entry=entries["zhou"], reason="材料未交齐")
    draw_run(actor=w.office, competition=w.competition, seed=SEED)
    assert drawn(w) == {
        "zhao": (1, draw_replay(SEED, "humanities-a", ["E1001"], 5)[0].lesson, EntryStatus.DRAWN),
        "qian": (None, None, EntryStatus.WITHDRAWN),
        "zhou": (None, None, EntryStatus.WITHDRAWN),
    }
    assert draw_verify(refresh(w)) is True


def test_a_bad_seed_is_refused(w, clock):
    through(w, clock, "uploaded")
    close_nominations(w, clock)
    for seed in ("qjs 2021", "种子2021", "qjs2021!", "x" * 65):
        error = refused(w, seed=seed, exception=ApplicationError)
        assert (error.message, error.extra) == (
            "抽签种子只能由字母、数字、“-”和“_”组成，最长 64 位。",
            {"field": "seed"},
        ), seed


def test_a_seed_of_64_letters_is_fine_and_the_draw_happens_once(w, clock):
    through(w, clock, "uploaded")
    close_nominations(w, clock)
    seed = "A-z_9" * 12 + "abcd"
    assert len(seed) == 64
    draw_run(actor=w.office, competition=w.competition, seed=seed)
    assert refresh(w).seed == seed
    before = table_counts()
    with pytest.raises(InvalidTransition) as raised:
        draw_run(actor=w.office, competition=w.competition, seed=SEED)
    assert raised.value.message == "比赛当前状态为“已抽签”，不能进行“抽签”。"
    assert changed_tables(before, table_counts()) == {}
    assert refresh(w).seed == seed


def test_only_the_office_draws(w, clock):
    through(w, clock, "uploaded")
    close_nominations(w, clock)
    before = table_counts()
    for name in ("sub_union_officer", "zhao", "judge1"):
        with pytest.raises(StepNotAllowed) as raised:
            draw_run(actor=w.users[name], competition=w.competition, seed=SEED)
        assert raised.value.message == "您无权进行此操作。"
    assert changed_tables(before, table_counts()) == {}
    assert refresh(w).status == CompetitionStatus.PREPARING
