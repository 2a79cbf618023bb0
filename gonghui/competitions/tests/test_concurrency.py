"""Concurrency on PostgreSQL: two requests at the same instant, each thread on its own connection
(two officers nominating for a college's last seat, a judge's two devices, two uploads of one
lesson plan). SQLite serialises writers, so these run on PostgreSQL only (skipped on SQLite,
as in gonghui/appraisals/tests/test_concurrency.py):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gh_tests .venv/bin/python -m pytest \\
        gonghui/competitions/tests/test_concurrency.py -q
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from gonghui.competitions.choices import MaterialKind, SheetStatus
from gonghui.competitions.models import Entry, EntryMaterial, PartScore, ScoreSheet, ScoreSheetEvent
from gonghui.competitions.services import competitions as competition_services
from gonghui.competitions.services import entries as entry_services
from gonghui.competitions.services import judging as judging_services
from gonghui.competitions.tests.factories import pdf, through
from tests.concurrency import at_once, postgresql_only  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("postgresql_only")]


# Each test truncates every table afterwards (seconds on PostgreSQL): a few races per test.


def test_nominations_and_uploads_at_the_same_instant(w):
    competition_services.competition_step(actor=w.office, competition=w.competition, step="open_nominations")
    group = w.groups["humanities-a"]

    def nominate(staff_no):
        return lambda: entry_services.entry_nominate(
            actor=w.office, competition=w.competition, staff_no=staff_no, group=group
        )

    # two nominations for law's one seat: one entry
    outcomes = at_once(nominate("L1001"), nominate("L1002"))
    assert outcomes.count("ok") == 1
    refusal = next(o for o in outcomes if o != "ok")
    assert refusal in (
        "周四不能报名：法学院分工会的名额（1 个）已满。",
        "吴五不能报名：法学院分工会的名额（1 个）已满。",
    )
    assert Entry.objects.filter(competition=w.competition, college=w.u.law).count() == 1

    # one teacher nominated twice at once: entered once
    assert sorted(at_once(nominate("E1001"), nominate("E1001"))) == ["ok", "赵一不能报名：已报名本届比赛。"]
    zhao = Entry.objects.get(competition=w.competition, person__staff_no="E1001")

    # two uploads of one lesson plan at once: two versions
    def upload():
        entry_services.material_upload(
            actor=w.office, entry=zhao, kind=MaterialKind.LESSON_PLAN, number=2, uploaded_file=pdf()
        )

    assert at_once(upload, upload) == ["ok", "ok"]
    assert sorted(EntryMaterial.objects.filter(entry=zhao).values_list("number", "version")) == [(2, 1), (2, 2)]


def test_a_judge_s_two_devices_at_the_same_instant(w, clock):
    through(w, clock, "scoring")

    # the first autosaves of a sheet from two devices: one sheet with both scores
    judge, entry = w.judges["judge3"], w.entries["qian"]

    def save(scores):
        return lambda: judging_services.sheet_save(actor=judge.user, judge=judge, entry=entry, scores=scores)

    assert at_once(save({"design": "16"}), save({"classroom": "60"})) == ["ok", "ok"]
    sheet = ScoreSheet.objects.get(judge=judge, entry=entry)
    assert dict(PartScore.objects.filter(sheet=sheet).values_list("part__code", "score")) == {
        "design": Decimal("16"),
        "classroom": Decimal("60"),
    }

    # a submission from two devices: submitted once
    judge, entry = w.judges["judge2"], w.entries["zhou"]

    def submit(classroom):
        return lambda: judging_services.sheet_submit(
            actor=judge.user,
            judge=judge,
            entry=entry,
            scores={"design": "18", "classroom": classroom, "reflection": "4"},
        )

    outcomes = at_once(submit("70"), submit("71"))
    assert sorted(outcomes) == ["ok", "评分表已提交，不能再改；如需更正，请评委会主任改分并说明理由。"]
    sheet = ScoreSheet.objects.get(judge=judge, entry=entry)
    assert sheet.status == SheetStatus.SUBMITTED
    assert ScoreSheetEvent.objects.filter(subject=sheet, step="submit").count() == 1
    assert PartScore.objects.filter(sheet=sheet).count() == 3
    assert PartScore.objects.get(sheet=sheet, part__code="classroom").score in (Decimal("70"), Decimal("71"))
