"""An edition the university does not run (Beijing): its scheme adopted to record results by,
the school round's winners recommended to it, their results entered as recorded and confirmed;
and what an edition at each level may be."""

import datetime

import pytest

from gonghui.competitions.choices import AwardKind, CompetitionStatus, EntryStatus, Level, SpecialBasis
from gonghui.competitions.models import Award, Competition, Entry
from gonghui.competitions.services import competitions as competition_services
from gonghui.competitions.services import entries as entry_services
from gonghui.competitions.services import results as result_services
from gonghui.competitions.tests.factories import aware, beijing_edition, rules_make, through, two_groups
from gonghui.core.exceptions import ApplicationError, InvalidTransition
from tests.tables import changed_tables, table_counts


def unchanged(call, exception=ApplicationError):
    before = table_counts()
    with pytest.raises(exception) as raised:
        call()
    assert changed_tables(before, table_counts()) == {}
    return raised.value


def recommended(w, clock):
    """The school round released, Beijing's edition created, the three winners recommended."""
    through(w, clock, "released")
    beijing = beijing_edition(w)
    school = [w.entries[name] for name in ("zhao", "zhou", "qian")]
    created = entry_services.entries_recommend(actor=w.office, competition=w.competition, entries=school)
    w.beijing = beijing
    w.bj = {name: entry for name, entry in zip(("zhao", "zhou", "qian"), created, strict=True)}
    return beijing


def test_the_beijing_edition_has_its_own_scheme(w):
    beijing = beijing_edition(w)
    assert (beijing.level, beijing.number, beijing.status, beijing.hosted, beijing.entered) == (
        Level.BEIJING,
        12,
        CompetitionStatus.DRAFT,
        False,
        True,
    )
    rules = beijing.rules
    assert (rules.level, rules.year) == (Level.BEIJING, 2021)
    assert [str(g) for g in rules.groups.all()] == ["人文科学类A组", "自然科学类A组"]
    assert list(rules.prizes.values_list("label", flat=True)) == ["一等奖", "二等奖", "三等奖"]
    assert list(rules.specials.values_list("label", "kind", "basis")) == [
        ("最佳教案奖", AwardKind.SPECIAL, SpecialBasis.CONFERRED),
        ("最佳现场展示奖", AwardKind.SPECIAL, SpecialBasis.CONFERRED),
        ("优秀指导教师奖", AwardKind.COACH, SpecialBasis.CONFERRED),
        ("优秀组织奖", AwardKind.ORGANISATION, SpecialBasis.CONFERRED),
    ]
    assert rules.parts.count() == 0  # nothing is scored here
    w.competition.refresh_from_db()
    assert w.competition.feeds_into_id == beijing.pk
    error = unchanged(
        lambda: competition_services.competition_step(actor=w.office, competition=beijing, step="open_nominations"),
        InvalidTransition,
    )
    assert error.message == "本级比赛不由我校举办：请录入比赛结果。"


def test_the_winners_are_recommended_and_their_results_recorded(w, clock):
    beijing = recommended(w, clock)
    bj = w.bj
    assert [
        (e.person.name, e.college_id, e.group.code, e.group.edition_id, e.recommended_from_id, e.status)
        for e in bj.values()
    ] == [
        ("赵一", w.u.econ.pk, "humanities-a", beijing.rules_id, w.entries["zhao"].pk, EntryStatus.NOMINATED),
        ("周四", w.u.law.pk, "humanities-a", beijing.rules_id, w.entries["zhou"].pk, EntryStatus.NOMINATED),
        ("钱二", w.u.econ.pk, "humanities-a", beijing.rules_id, w.entries["qian"].pk, EntryStatus.NOMINATED),
    ]
    assert bj["zhao"].coach.name == "郑师"
    for name in ("zhao", "zhou", "qian"):
        school = Entry.objects.get(pk=w.entries[name].pk)
        assert school.status == EntryStatus.RECOMMENDED
        event = school.events.order_by("id").last()
        assert (event.step, event.message) == ("recommend", "第十二届北京高校青年教师教学基本功比赛")

    office = w.office
    result_services.result_record(actor=office, competition=beijing, entry=bj["zhao"], code="first")
    result_services.result_record(actor=office, competition=beijing, entry=bj["zhou"], code="second")
    result_services.result_record(actor=office, competition=beijing, entry=bj["qian"], code="second")
    result_services.result_record(actor=office, competition=beijing, entry=bj["zhao"], code="best-plan")
    result_services.award_confer(actor=office, competition=beijing, code="best-show", entry=bj["zhao"])
    result_services.award_confer(actor=office, competition=beijing, code="coach", coach_staff_no="L0900")
    result_services.award_confer(actor=office, competition=beijing, code="organisation", recipient="示范大学")
    assert sorted(Award.objects.filter(competition=beijing).values_list("recipient", "label", "kind", "recorded")) == [
        ("周四", "人文科学类A组二等奖", AwardKind.RANK, True),
        ("示范大学", "优秀组织奖", AwardKind.ORGANISATION, True),
        ("赵一", "人文科学类A组一等奖", AwardKind.RANK, True),
        ("赵一", "最佳教案奖", AwardKind.SPECIAL, True),
        ("赵一", "最佳现场展示奖", AwardKind.SPECIAL, True),
        ("郑师", "优秀指导教师奖", AwardKind.COACH, True),
        ("钱二", "人文科学类A组二等奖", AwardKind.RANK, True),
    ]
    result_services.results_confirm(actor=office, competition=beijing)
    beijing.refresh_from_db()
    assert beijing.status == CompetitionStatus.RECORDED
    assert {e.person.name: e.status for e in beijing.entries.all()} == {
        "赵一": EntryStatus.PLACED,
        "周四": EntryStatus.PLACED,
        "钱二": EntryStatus.PLACED,
    }
    # confirmed: nothing more is entered, nothing withdrawn
    message = "本届结果已确认，不能再录入。"
    assert (
        unchanged(
            lambda: result_services.result_record(actor=office, competition=beijing, entry=bj["zhou"], code="best-show")
        ).message
        == message
    )
    assert (
        unchanged(
            lambda: result_services.award_confer(actor=office, competition=beijing, code="organisation", recipient="x")
        ).message
        == message
    )
    award = Award.objects.filter(competition=beijing).first()
    assert (
        unchanged(lambda: result_services.award_withdraw(actor=office, award=award, reason="录入错误")).message
        == message
    )


def test_an_entry_without_a_recorded_award_is_not_placed(w, clock):
    beijing = recommended(w, clock)
    result_services.result_record(actor=w.office, competition=beijing, entry=w.bj["zhao"], code="first")
    result_services.results_confirm(actor=w.office, competition=beijing)
    assert {e.person.name: e.status for e in beijing.entries.all()} == {
        "赵一": EntryStatus.PLACED,
        "周四": EntryStatus.NOT_PLACED,
        "钱二": EntryStatus.NOT_PLACED,
    }


def test_a_wrong_record_is_refused(w, clock):
    beijing = recommended(w, clock)
    office, bj = w.office, w.bj
    result_services.result_record(actor=office, competition=beijing, entry=bj["zhao"], code="first")
    cases = [
        (beijing, bj["zhao"], "second", "赵一的名次奖已录入。"),
        (beijing, w.entries["zhou"], "first", "请选择本届的参赛教师。"),
        (beijing, bj["zhou"], "honour", "本届比赛方案中没有这个奖项。"),
        (w.competition, w.entries["zhou"], "first", "我校举办的比赛由评分产生结果，不能直接录入。"),
    ]
    for competition, entry, code, message in cases:
        error = unchanged(
            lambda c=competition, e=entry, code=code: result_services.result_record(
                actor=office, competition=c, entry=e, code=code
            )
        )
        assert error.message == message
    # a withdrawn recorded award can be entered again, before the confirmation
    award = Award.objects.get(competition=beijing, entry=bj["zhao"])
    result_services.award_withdraw(actor=office, award=award, reason="录入错误：应为二等奖")
    result_services.result_record(actor=office, competition=beijing, entry=bj["zhao"], code="second")
    assert list(Award.objects.filter(competition=beijing).values_list("label", flat=True)) == ["人文科学类A组二等奖"]


def test_a_hosted_edition_cannot_be_recorded(w):
    error = unchanged(
        lambda: result_services.results_confirm(actor=w.office, competition=w.competition), InvalidTransition
    )
    assert error.message == "我校举办的比赛须经评分、公示后发布结果，不能直接录入。"


def test_a_recommendation_is_refused_with_nothing_written(w, clock):
    through(w, clock, "publicity")

    def recommend(names, competition=None):
        return entry_services.entries_recommend(
            actor=w.office, competition=competition or w.competition, entries=[w.entries[n] for n in names]
        )

    assert unchanged(lambda: recommend(["zhao"])).message == "本届比赛没有设置推荐至哪一届上一级比赛。"
    beijing = beijing_edition(w)
    assert unchanged(lambda: recommend(["zhao"])).message == "结果发布后才能推荐参加上一级比赛。"
    clock.move_to(aware(datetime.datetime(2021, 4, 20, 9, 0)))
    result_services.results_release(actor=w.office, competition=w.competition)
    assert unchanged(lambda: recommend([])).message == "请选择要推荐的参赛教师。"
    recommend(["zhao"])
    assert unchanged(lambda: recommend(["zhou", "zhao"])).message == "赵一已在上一级比赛中。"
    assert beijing.entries.count() == 1
    assert (
        unchanged(lambda: entry_services.entries_recommend(actor=w.office, competition=beijing, entries=[])).message
        == "本届比赛没有设置推荐至哪一届上一级比赛。"
    )


def test_only_placed_entries_are_recommended(w, clock):
    two_groups(w, clock, "released")
    beijing = beijing_edition(w)
    sun = w.entries["sun"]
    assert sun.status == EntryStatus.NOT_PLACED
    error = unchanged(
        lambda: entry_services.entries_recommend(actor=w.office, competition=w.competition, entries=[sun])
    )
    assert error.message == "孙三未获奖，不能推荐。"
    assert beijing.entries.count() == 0


# --- editions at each level ------------------------------------------------------------------


def test_an_old_beijing_edition_is_kept_for_the_history_without_rules(w):
    old = competition_services.competition_create(
        actor=w.office,
        level=Level.BEIJING,
        year=2009,
        number=6,
        title="第六届北京高校青年教师教学基本功比赛",
        entered=False,
        note="我校未组织参赛",
    )
    assert (old.rules_id, old.entered, old.participants_recorded, old.note) == (None, False, None, "我校未组织参赛")
    counted = competition_services.competition_create(
        actor=w.office, level=Level.BEIJING, year=2011, number=7, title="第七届", participants_recorded=52
    )
    assert (counted.entered, counted.participants_recorded) == (True, 52)
    # an edition the university runs always counts as entered
    rules_make(w.u, year=2023)
    hosted = competition_services.competition_create(
        actor=w.office, level=Level.UNIVERSITY, year=2023, number=4, title="第四届", entered=False
    )
    assert hosted.entered is True


@pytest.mark.parametrize(
    "fields, message, field",
    [
        (
            {"level": Level.UNIVERSITY, "year": 2030, "number": 9},
            "2030年校级比赛方案尚未通过：请先通过比赛方案。",
            "year",
        ),
        ({"level": "city", "year": 2021}, "未知的级别。", "level"),
        ({"level": Level.UNIVERSITY, "year": 2021, "number": 3}, "这一级别已有第 3 届比赛。", "number"),
        ({"level": Level.UNIVERSITY, "year": 2021, "title": " "}, "请填写比赛名称。", "title"),
        (
            {
                "level": Level.UNIVERSITY,
                "year": 2021,
                "nominations_close": datetime.datetime(2021, 3, 20, 10, 0, tzinfo=datetime.UTC),
                "materials_due": datetime.datetime(2021, 3, 19, 10, 0, tzinfo=datetime.UTC),
            },
            "材料截止时间不能早于推荐截止时间。",
            "materials_due",
        ),
    ],
)
def test_a_wrong_edition_is_refused(w, fields, message, field):
    values = {"title": "一届比赛", **fields}
    error = unchanged(lambda: competition_services.competition_create(actor=w.office, **values))
    assert (error.message, error.extra) == (message, {"field": field})


def test_a_college_round_needs_its_college_and_feeds_upwards_only(w):
    rules_make(w.u, level=Level.COLLEGE)
    error = unchanged(
        lambda: competition_services.competition_create(
            actor=w.office, level=Level.COLLEGE, year=2021, number=1, title="经济学院第一届"
        )
    )
    assert (error.message, error.extra) == ("院级比赛须选择举办学院。", {"field": "college"})
    college_round = competition_services.competition_create(
        actor=w.office, level=Level.COLLEGE, year=2021, number=1, title="经济学院第一届", college=w.u.econ
    )
    # the same number at another college is another edition
    competition_services.competition_create(
        actor=w.office, level=Level.COLLEGE, year=2021, number=1, title="法学院第一届", college=w.u.law
    )
    competition_services.competition_link(actor=w.office, competition=college_round, feeds_into=w.competition)
    college_round.refresh_from_db()
    assert college_round.feeds_into_id == w.competition.pk
    error = unchanged(
        lambda: competition_services.competition_link(
            actor=w.office, competition=w.competition, feeds_into=college_round
        )
    )
    assert (error.message, error.extra) == ("只能推荐至更高一级的比赛。", {"field": "feeds_into"})
    assert Competition.objects.filter(level=Level.COLLEGE).count() == 2


def test_a_contestant_is_entered_from_the_record(w):
    """An edition older than the system: its contestant entered from the archive, with the
    college from the roster; a second entry of the same teacher, a hosted edition and another
    edition's group are refused with nothing written."""
    beijing = beijing_edition(w)
    group = beijing.rules.groups.get(code="humanities-a")
    entry = entry_services.entry_record(
        actor=w.office, competition=beijing, staff_no="L1002", group=group, course="刑法学", coach_staff_no="L0900"
    )
    assert (entry.person.name, entry.college, entry.group, entry.coach.name, entry.status, entry.recommended_from) == (
        "吴五",
        w.u.law,
        group,
        "郑师",
        EntryStatus.NOMINATED,
        None,
    )
    error = unchanged(
        lambda: entry_services.entry_record(actor=w.office, competition=beijing, staff_no="L1002", group=group)
    )
    assert (error.message, error.extra) == ("吴五已在本届比赛中。", {"field": "staff_no"})
    error = unchanged(
        lambda: entry_services.entry_record(
            actor=w.office, competition=w.competition, staff_no="L1001", group=w.groups["humanities-a"]
        )
    )
    assert error.message == "我校举办的比赛由评分产生结果，不能直接录入。"
    error = unchanged(
        lambda: entry_services.entry_record(
            actor=w.office, competition=beijing, staff_no="L1001", group=w.groups["humanities-a"]
        )
    )
    assert (error.message, error.extra) == ("请选择本届比赛的组别。", {"field": "group"})
    assert Entry.objects.filter(competition=beijing).count() == 1
