"""An edition from nomination to release, through the services."""

from gonghui.competitions.choices import AwardKind, CompetitionStatus, EntryStatus
from gonghui.competitions.models import Award, Certificate, ScoreSheet
from gonghui.competitions.services.draw import draw_verify
from gonghui.competitions.tests.factories import EXPECTED_FINAL, through


def test_an_edition_runs_from_nomination_to_certificates(w, clock):
    competition = through(w, clock, "released")
    assert competition.status == CompetitionStatus.RELEASED
    assert ScoreSheet.objects.filter(entry__competition=competition).count() == 13
    finals = {name: entry.final_score for name, entry in w.entries.items()}
    assert finals == EXPECTED_FINAL
    ranks = {name: entry.rank for name, entry in w.entries.items()}
    assert ranks == {"zhao": 1, "zhou": 2, "qian": 3}
    awards = sorted(Award.objects.filter(competition=competition).values_list("recipient", "label", "kind"))
    assert awards == [
        ("周四", "人文科学类A组二等奖", AwardKind.RANK),
        ("赵一", "人文科学类A组一等奖", AwardKind.RANK),
        ("赵一", "最佳教案奖", AwardKind.SPECIAL),
        ("赵一", "最佳现场展示奖", AwardKind.SPECIAL),
        ("钱二", "人文科学类A组三等奖", AwardKind.RANK),
    ]
    assert {e.status for e in w.entries.values()} == {EntryStatus.PLACED}
    assert Certificate.objects.filter(award__competition=competition).count() == 5
    assert draw_verify(competition)
