"""Results: publishing gives the rank prizes per group and the best-part single awards; the
office confers coach and organisation awards and may withdraw one during the publicity; the
results are released after the publicity period, with numbered certificates."""

import datetime
import re
from decimal import Decimal
from fractions import Fraction

import pytest
from django.utils import timezone

from gonghui.competitions.choices import AwardKind, CompetitionStatus, EntryStatus
from gonghui.competitions.models import Award, Certificate, Entry
from gonghui.competitions.selectors.results import competition_results, entry_breakdown
from gonghui.competitions.services import results as result_services
from gonghui.competitions.tests.factories import advance, aware, refresh, through, two_groups
from gonghui.core.exceptions import ApplicationError, InvalidTransition
from gonghui.core.models import AuditEvent
from tests.tables import changed_tables, table_counts


def awards(competition) -> list[tuple[str, str, str]]:
    return sorted(Award.objects.filter(competition=competition).values_list("recipient", "label", "kind"))


def unchanged(call, exception=ApplicationError):
    before = table_counts()
    with pytest.raises(exception) as raised:
        call()
    assert changed_tables(before, table_counts()) == {}
    return raised.value


def test_publishing_gives_the_rank_prizes_per_group_and_the_best_part_awards(w, clock):
    competition = two_groups(w, clock, "publicity")
    assert competition.status == CompetitionStatus.PUBLICITY
    assert {n: (e.final_score, e.rank) for n, e in w.entries.items()} == {
        "zhao": (Decimal("92.88"), 1),
        "zhou": (Decimal("91.17"), 2),
        "qian": (Decimal("83.75"), 3),
        "sun": (Decimal("78.00"), 4),
        "wu": (Decimal("95.00"), 1),
    }
    assert awards(competition) == [
        ("吴五", "最佳教案奖", AwardKind.SPECIAL),
        ("吴五", "最佳现场展示奖", AwardKind.SPECIAL),
        ("吴五", "自然科学类A组一等奖", AwardKind.RANK),
        ("周四", "人文科学类A组二等奖", AwardKind.RANK),
        ("赵一", "人文科学类A组一等奖", AwardKind.RANK),
        ("赵一", "最佳教案奖", AwardKind.SPECIAL),
        ("赵一", "最佳现场展示奖", AwardKind.SPECIAL),
        ("钱二", "人文科学类A组三等奖", AwardKind.RANK),
    ]
    rank_awards = Award.objects.filter(competition=competition, kind=AwardKind.RANK)
    assert sorted(rank_awards.values_list("entry__person__name", "code", "group__code")) == [
        ("吴五", "first", "science-a"),
        ("周四", "second", "humanities-a"),
        ("赵一", "first", "humanities-a"),
        ("钱二", "third", "humanities-a"),
    ]
    assert {n: e.status for n, e in w.entries.items()} == {
        "zhao": EntryStatus.PLACED,
        "zhou": EntryStatus.PLACED,
        "qian": EntryStatus.PLACED,
        "sun": EntryStatus.NOT_PLACED,
        "wu": EntryStatus.PLACED,
    }
    assert Award.objects.filter(competition=competition, recorded=True).count() == 0
    assert Certificate.objects.count() == 0
    # the results read the same from the sheets
    groups = competition_results(competition)
    assert [(g.group.code, [(r.key.person.name, r.rank, r.prize) for r in g.ranked]) for g in groups] == [
        (
            "humanities-a",
            [("赵一", 1, "first"), ("周四", 2, "second"), ("钱二", 3, "third"), ("孙三", 4, None)],
        ),
        ("science-a", [("吴五", 1, "first")]),
    ]


def test_an_entry_breakdown_shows_raw_kept_and_dropped_scores(w, clock):
    through(w, clock, "closed")
    zhou = entry_breakdown(w.entries["zhou"])
    design = zhou.parts["design"]
    assert (design.raw, design.kept, design.dropped) == (
        [Decimal("16"), Decimal("17"), Decimal("17.5"), Decimal("18"), Decimal("20")],
        [Decimal("17"), Decimal("17.5"), Decimal("18")],
        [Decimal("16"), Decimal("20")],
    )
    assert (design.mean, zhou.parts["classroom"].mean, zhou.parts["reflection"].mean) == (
        Fraction(35, 2),
        Fraction(208, 3),
        Fraction(13, 3),
    )
    assert (zhou.exact, zhou.final) == (Fraction(547, 6), Decimal("91.17"))
    zhao = entry_breakdown(w.entries["zhao"])  # four judges: nothing dropped
    assert [zhao.parts[c].dropped for c in ("design", "classroom", "reflection")] == [[], [], []]
    assert zhao.final == Decimal("92.88")


def test_the_office_confers_coach_and_organisation_awards(w, clock):
    competition = through(w, clock, "publicity")
    office = w.office
    coach = result_services.award_confer(
        actor=office, competition=competition, code="coach", coach_staff_no=" L0900 ", reason="指导赵一获一等奖"
    )
    assert (coach.kind, coach.label, coach.person.name, coach.recipient, coach.entry_id, coach.reason) == (
        AwardKind.COACH,
        "优秀指导教师奖",
        "郑师",
        "郑师",
        None,
        "指导赵一获一等奖",
    )
    organisation = result_services.award_confer(
        actor=office, competition=competition, code="organisation", college=w.u.econ
    )
    assert (organisation.kind, organisation.college_id, organisation.recipient) == (
        AwardKind.ORGANISATION,
        w.u.econ.pk,
        "经济学院分工会",
    )
    assert list(
        AuditEvent.objects.filter(object_type="competitions.competition", object_id=str(competition.pk))
        .filter(message__startswith="评定奖项")
        .order_by("id")
        .values_list("message", flat=True)
    ) == ["评定奖项：郑师 优秀指导教师奖", "评定奖项：经济学院分工会 优秀组织奖"]


WRONG_AWARDS = [
    ({"code": "coach", "coach_staff_no": "E0001"}, "张伟不是本届参赛教师的指导教师。", {"field": "coach_staff_no"}),
    ({"code": "coach", "coach_staff_no": ""}, "请填写指导教师的工号。", {"field": "coach_staff_no"}),
    ({"code": "coach", "coach_staff_no": "L0900"}, "郑师已获此奖。", {}),
    ({"code": "organisation"}, "请选择获奖单位。", {"field": "college"}),
    ({"code": "organisation", "college": "econ"}, "经济学院分工会已获此奖。", {}),
    ({"code": "first", "entry": "qian"}, "本届比赛方案中没有这个奖项。", {"field": "code"}),
    (
        {"code": "best-plan", "entry": "qian"},
        "“最佳教案奖”按单项得分最高者评定，公示时已自动评出，不能手工评定。",
        {"field": "code"},
    ),
]


def test_a_wrong_award_is_refused(w, clock):
    competition = through(w, clock, "publicity")
    result_services.award_confer(actor=w.office, competition=competition, code="coach", coach_staff_no="L0900")
    result_services.award_confer(actor=w.office, competition=competition, code="organisation", college=w.u.econ)
    for case, message, extra in WRONG_AWARDS:
        kwargs = dict(case)
        if "entry" in kwargs:
            kwargs["entry"] = w.entries[kwargs["entry"]]
        if kwargs.get("college") == "econ":
            kwargs["college"] = w.u.econ
        error = unchanged(
            lambda kwargs=kwargs: result_services.award_confer(actor=w.office, competition=competition, **kwargs)
        )
        assert (error.message, error.extra) == (message, extra), case
    assert Award.objects.filter(competition=competition).count() == 7


def test_awards_are_conferred_only_between_the_scoring_and_the_release(w, clock):
    competition = through(w, clock, "scored")

    def confer():
        result_services.award_confer(actor=w.office, competition=competition, code="coach", coach_staff_no="L0900")

    assert unchanged(confer).message == "评分结束后、结果发布前才能评定奖项。"
    advance(w, clock, "scored", "closed")
    confer()  # scored: fine
    assert Award.objects.filter(kind=AwardKind.COACH).count() == 1


def test_an_award_is_withdrawn_during_the_publicity_with_a_reason(w, clock):
    competition = through(w, clock, "publicity")
    third = Award.objects.get(competition=competition, entry=w.entries["qian"])
    error = unchanged(lambda: result_services.award_withdraw(actor=w.office, award=third, reason=" "))
    assert (error.message, error.extra) == ("请填写撤销理由。", {"field": "reason"})
    result_services.award_withdraw(actor=w.office, award=third, reason="公示期间收到异议，经核实取消")
    assert not Award.objects.filter(pk=third.pk).exists()
    row = AuditEvent.objects.filter(object_type="competitions.competition", action="deleted").get()
    assert row.message == "撤销奖项：钱二 人文科学类A组三等奖（公示期间收到异议，经核实取消）"
    assert Award.objects.filter(competition=competition).count() == 4
    # its only rank prize withdrawn, 钱二 is no longer placed (and cannot be recommended)
    entry = Entry.objects.get(pk=w.entries["qian"].pk)
    event = entry.events.order_by("id").last()
    assert (entry.status, event.step, event.message) == (
        EntryStatus.NOT_PLACED,
        "unplace",
        "公示期间收到异议，经核实取消",
    )


def test_the_release_waits_for_the_end_of_the_publicity(w, clock):
    competition = through(w, clock, "publicity")
    # five days, the first one included: 03-26 to 03-30
    assert competition.publicity_until == datetime.date(2021, 3, 30)

    def release():
        return result_services.results_release(actor=w.office, competition=w.competition)

    clock.move_to(aware(datetime.datetime(2021, 3, 30, 23, 59)))
    error = unchanged(release, InvalidTransition)
    assert error.message == "公示期至 2021-03-30，期满后才能发布结果。"
    assert refresh(w).status == CompetitionStatus.PUBLICITY
    clock.move_to(aware(datetime.datetime(2021, 3, 31, 0, 1)))
    release()
    competition = refresh(w)
    assert competition.status == CompetitionStatus.RELEASED
    assert timezone.localdate(competition.released_at) == datetime.date(2021, 3, 31)
    assert {c.issued_on for c in Certificate.objects.all()} == {datetime.date(2021, 3, 31)}
    # released: awards are final
    award = Award.objects.filter(competition=competition).first()
    error = unchanged(lambda: result_services.award_withdraw(actor=w.office, award=award, reason="x"))
    assert error.message == "结果发布后不能再撤销奖项。"
    error = unchanged(
        lambda: result_services.award_confer(
            actor=w.office, competition=competition, code="coach", coach_staff_no="L0900"
        )
    )
    assert error.message == "评分结束后、结果发布前才能评定奖项。"


def test_certificates_are_numbered_in_order_with_unique_tokens(w, clock):
    competition = two_groups(w, clock, "publicity")
    result_services.award_confer(actor=w.office, competition=competition, code="coach", coach_staff_no="L0900")
    result_services.award_confer(actor=w.office, competition=competition, code="organisation", college=w.u.econ)
    advance(w, clock, "publicity", "released")
    certificates = list(Certificate.objects.select_related("award").order_by("serial"))
    assert [(c.serial, c.award.recipient, c.award.label) for c in certificates] == [
        ("QJS-2021-U03-0001", "郑师", "优秀指导教师奖"),
        ("QJS-2021-U03-0002", "经济学院分工会", "优秀组织奖"),
        ("QJS-2021-U03-0003", "赵一", "人文科学类A组一等奖"),
        ("QJS-2021-U03-0004", "周四", "人文科学类A组二等奖"),
        ("QJS-2021-U03-0005", "钱二", "人文科学类A组三等奖"),
        ("QJS-2021-U03-0006", "吴五", "自然科学类A组一等奖"),
        ("QJS-2021-U03-0007", "赵一", "最佳教案奖"),
        ("QJS-2021-U03-0008", "赵一", "最佳现场展示奖"),
        ("QJS-2021-U03-0009", "吴五", "最佳教案奖"),
        ("QJS-2021-U03-0010", "吴五", "最佳现场展示奖"),
    ]
    assert {c.issued_on for c in certificates} == {datetime.date(2021, 4, 20)}
    tokens = [c.token for c in certificates]
    assert len(set(tokens)) == 10
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{32}", t) for t in tokens)
    assert Entry.objects.get(pk=w.entries["sun"].pk).status == EntryStatus.NOT_PLACED


def test_publishing_and_closing_are_the_office_s(w, clock):
    competition = through(w, clock, "scored")
    for name in ("judge1", "sub_union_officer"):
        error = unchanged(
            lambda name=name: result_services.scoring_close(actor=w.users[name], competition=competition),
            InvalidTransition,
        )
        assert error.message == "您无权进行此操作。"
    assert refresh(w).status == CompetitionStatus.SCORING
