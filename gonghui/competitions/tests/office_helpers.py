"""More of the competition world for the office's pages (on top of `factories`): an edition
waiting for its draw, and the Beijing edition the 2021 school round recommends two winners to."""

from __future__ import annotations

import datetime

from gonghui.competitions.choices import CompetitionStatus, Level
from gonghui.competitions.models import Competition
from gonghui.competitions.services import competitions as competition_services
from gonghui.competitions.services.entries import entries_recommend
from gonghui.competitions.tests.factories import aware, beijing_edition


def preparing(w, clock) -> Competition:
    """After `through(w, clock, "uploaded")`: nominations closed and the materials' deadline
    past (2021-03-26 09:00), so the draw may run."""
    competition = w.competition
    competition.refresh_from_db()
    if competition.status == CompetitionStatus.NOMINATING:
        competition_services.competition_step(actor=w.office, competition=competition, step="close_nominations")
        clock.move_to(aware(datetime.datetime(2021, 3, 26, 9, 0)))
    competition.refresh_from_db()
    return competition


def beijing_recommended(w) -> Competition:
    """After `through(w, clock, "released")`: the Beijing 2021 edition of `factories` (第十二届,
    a draft under the Beijing rules: groups, prizes and conferred single awards, no parts),
    the school round feeding into it, and 赵一 (first prize) and 周四 (second prize) recommended
    to it. Built once."""
    existing = Competition.objects.filter(level=Level.BEIJING, number=12).first()
    if existing is not None:
        return existing
    beijing = beijing_edition(w)
    entries_recommend(actor=w.office, competition=w.competition, entries=[w.entries["zhao"], w.entries["zhou"]])
    for entry in w.entries.values():
        entry.refresh_from_db()
    return beijing
