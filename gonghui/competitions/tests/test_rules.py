"""The rules (比赛方案): the lines the office writes, the checks before adoption, supersession
of the level's rules for the year, and immutability once adopted."""

import dataclasses
import datetime

import pytest
from django.core.exceptions import PermissionDenied

from gonghui.competitions.choices import AwardKind, Level, SpecialBasis
from gonghui.competitions.models import (
    CompetitionGroup,
    CompetitionRules,
    CompetitionRulesEvent,
    PrizeTier,
    ScoringPart,
)
from gonghui.competitions.scoring import Method
from gonghui.competitions.services.rules import (
    RulesSettings,
    RulesText,
    rules_adopt,
    rules_in_force,
    rules_parse,
    rules_text,
)
from gonghui.competitions.tests.factories import RULES_TEXT, rules_make
from gonghui.core.editions import EditionLocked, EditionStatus, edition_adopt
from gonghui.core.exceptions import ApplicationError, InvalidTransition
from tests.tables import changed_tables, table_counts


def text_with(**lines) -> RulesText:
    return dataclasses.replace(RULES_TEXT, **lines)


# --- the lines -------------------------------------------------------------------------------


def test_the_lines_become_rows():
    rows = rules_parse(
        text_with(
            prizes="first 一等奖 20%\nsecond 二等奖 2", specials=RULES_TEXT.specials + "\nbest-idea 创新奖 conferred"
        )
    )
    assert rows["groups"] == [
        {"code": "humanities-a", "discipline": "人文科学类", "tier": "A组", "position": 0},
        {"code": "science-a", "discipline": "自然科学类", "tier": "A组", "position": 1},
    ]
    assert rows["parts"][1] == {
        "code": "classroom",
        "label": "课堂教学",
        "weight": 75,
        "full_marks": 75,
        "criteria": "讲授准确清晰，组织有序",
        "position": 1,
    }
    assert rows["prizes"] == [
        {"code": "first", "label": "一等奖", "count": None, "share": 20, "position": 0},
        {"code": "second", "label": "二等奖", "count": 2, "share": None, "position": 1},
    ]
    assert [(s["code"], s["kind"], s["basis"], s["part_code"]) for s in rows["specials"]] == [
        ("best-plan", AwardKind.SPECIAL, SpecialBasis.BEST_PART, "design"),
        ("best-show", AwardKind.SPECIAL, SpecialBasis.BEST_PART, "classroom"),
        ("coach", AwardKind.COACH, SpecialBasis.CONFERRED, ""),
        ("organisation", AwardKind.ORGANISATION, SpecialBasis.CONFERRED, ""),
        ("best-idea", AwardKind.SPECIAL, SpecialBasis.CONFERRED, ""),
    ]
    # a part without full marks is out of 100
    assert rules_parse(text_with(parts="design 教学设计 100"))["parts"][0]["full_marks"] == 100


@pytest.mark.parametrize(
    "lines, field, message",
    [
        (
            {"groups": "humanities-a 人文科学类 A组\nScience 自然科学类"},
            "groups",
            "第 2 行“Science 自然科学类”看不懂，应写成：humanities-a 人文科学类 A组",
        ),
        (
            {"parts": "design 教学设计 20 20\n\n   \nclassroom 课堂教学 seventy-five"},
            "parts",
            "第 4 行“classroom 课堂教学 seventy-five”看不懂，应写成：classroom 课堂教学 75 100 | 评分标准",
        ),
        (
            {"prizes": "first 一等奖 20%\nsecond 二等奖 thirty"},
            "prizes",
            "第 2 行“second 二等奖 thirty”看不懂，应写成：first 一等奖 20%",
        ),
        (
            {"specials": "best-plan 最佳教案奖 best design\n\ncoach 优秀指导教师奖 mentor"},
            "specials",
            "第 3 行“coach 优秀指导教师奖 mentor”看不懂，应写成：best-plan 最佳教案奖 best design",
        ),
        ({"groups": "humanities-a 人文科学类 A组\nhumanities-a 人文 B组"}, "groups", "代码不能重复。"),
        ({"parts": "design 教学设计 50\ndesign 设计 50"}, "parts", "代码不能重复。"),
        ({"specials": "first 最佳教案奖 best design"}, "specials", "名次奖与单项奖的代码不能相同。"),
    ],
)
def test_a_wrong_line_is_named(lines, field, message):
    with pytest.raises(ApplicationError) as refused:
        rules_parse(text_with(**lines))
    assert refused.value.message == message
    assert refused.value.extra == {"field": field}


def test_rules_text_gives_back_the_lines_and_the_examples_without_an_edition(university):
    edition = rules_make(university)
    assert rules_parse(rules_text(edition)) == rules_parse(RULES_TEXT)
    defaults = rules_parse(rules_text(None))
    assert [(p["code"], p["share"]) for p in defaults["prizes"]] == [("first", 20), ("second", 30), ("third", 50)]
    assert [(p["code"], p["weight"], p["full_marks"]) for p in defaults["parts"]] == [
        ("design", 20, 20),
        ("classroom", 75, 75),
        ("reflection", 5, 5),
    ]
    assert Method.of(edition) == Method(1, 1, 5, 2, "half_up", ("classroom", "design"))


# --- adoption --------------------------------------------------------------------------------


def test_adoption_writes_the_rows_and_one_adopted_edition(university):
    edition = rules_make(university)
    assert edition.status == EditionStatus.ADOPTED
    assert (edition.adopted_on, edition.resolution) == (datetime.date(2021, 1, 10), "校工会〔2021〕3号")
    assert [p.code for p in edition.parts.all()] == ["design", "classroom", "reflection"]
    assert [(p.code, p.count, p.share) for p in edition.prizes.all()] == [
        ("first", 1, None),
        ("second", 1, None),
        ("third", 1, None),
    ]
    assert edition.groups.count() == 2
    assert edition.specials.count() == 4
    assert list(edition.events.values_list("from_state", "to_state", "step")) == [("draft", "adopted", "adopt")]
    assert rules_in_force(Level.UNIVERSITY, 2021) == edition


@pytest.mark.parametrize(
    "lines, settings, message",
    [
        (
            {"parts": "design 教学设计 20 20\nclassroom 课堂教学 70 75\nreflection 教学反思 5 5"},
            {},
            "评分项目的权重合计须为 100。",
        ),
        ({}, {"tie_break": ("classroom", "speech")}, "同分比较顺序引用了不存在的评分项目。"),
        (
            {"specials": "best-voice 最佳声音奖 best voice\ncoach 优秀指导教师奖 coach"},
            {},
            "单项奖“最佳声音奖”引用了不存在的评分项目。",
        ),
        ({"prizes": "first 一等奖 50%\nsecond 二等奖 60%"}, {}, "各等奖的比例合计不能超过 100%。"),
        (
            {"parts": "design 教学设计 100 0", "specials": "best-plan 最佳教案奖 best design"},
            {"tie_break": ()},
            "评分项目“教学设计”的满分须大于 0。",
        ),
        ({"groups": ""}, {}, "至少要有一个组别。"),
        ({"parts": "", "specials": "coach 优秀指导教师奖 coach"}, {"tie_break": ()}, "至少要有一个评分项目。"),
        ({}, {"eligible_posts": ("full_time", "professor")}, "可参赛岗位中有未知的岗位。"),
        (
            {"parts": "design 教学设计 30 20\nclassroom 课堂教学 75 75", "specials": "best-x 最佳奖 best x"},
            {"tie_break": ("reflection",)},
            "评分项目的权重合计须为 100。；同分比较顺序引用了不存在的评分项目。；单项奖“最佳奖”引用了不存在的评分项目。",
        ),
    ],
    ids=[
        "weights-95",
        "tie-break-part",
        "special-part",
        "shares-110",
        "full-marks-0",
        "no-group",
        "no-part",
        "unknown-post",
        "three-at-once",
    ],
)
def test_adoption_is_refused_with_every_problem_and_nothing_written(university, lines, settings, message):
    before = table_counts()
    with pytest.raises(InvalidTransition) as refused:
        rules_make(university, text=text_with(**lines), **settings)
    assert refused.value.message == message
    assert changed_tables(before, table_counts()) == {}
    assert CompetitionRules.objects.count() == 0


@pytest.mark.parametrize(
    "settings, message, field",
    [
        (
            {"trim_min_scores": 2},
            "去掉最高分和最低分后至少要留一个评分：“至少几个评分”须大于去掉的个数之和。",
            "trim_min_scores",
        ),
        (
            {"trim_highest": 2, "trim_lowest": 2, "trim_min_scores": 4},
            "去掉最高分和最低分后至少要留一个评分：“至少几个评分”须大于去掉的个数之和。",
            "trim_min_scores",
        ),
        ({"places": 4}, "总分最多保留 3 位小数。", "places"),
        ({"level": "city"}, "未知的级别。", "level"),
        ({"name": "  "}, "请填写方案名称。", "name"),
    ],
)
def test_settings_are_refused_before_anything_is_written(university, settings, message, field):
    before = table_counts()
    with pytest.raises(ApplicationError) as refused:
        rules_make(university, **settings)
    assert refused.value.message == message
    assert refused.value.extra == {"field": field}
    assert changed_tables(before, table_counts()) == {}


def test_only_the_office_adopts_rules(university):
    before = table_counts()
    for name in ("sub_union_officer", "member", "auditor"):
        with pytest.raises(PermissionDenied):
            rules_adopt(
                actor=university.users[name],
                settings=RulesSettings(level=Level.UNIVERSITY, year=2021, name="方案"),
                text=RULES_TEXT,
                adopted_on=datetime.date(2021, 1, 10),
                resolution="校工会〔2021〕3号",
            )
    assert changed_tables(before, table_counts()) == {}


def _draft(prizes: list[tuple[str, int | None, int | None]]) -> CompetitionRules:
    """A draft written directly (the lines always give a count or a share, never both)."""
    edition = CompetitionRules.objects.create(level=Level.UNIVERSITY, year=2022, name="2022年方案", tie_break=[])
    CompetitionGroup.objects.create(edition=edition, code="all", discipline="综合")
    ScoringPart.objects.create(edition=edition, code="classroom", label="课堂教学", weight=100, full_marks=100)
    for position, (label, count, share) in enumerate(prizes):
        PrizeTier.objects.create(
            edition=edition, code=f"p{position}", label=label, count=count, share=share, position=position
        )
    return edition


def test_a_prize_needs_a_count_or_a_share_not_both(university):
    edition = _draft([("一等奖", None, None), ("二等奖", 2, 20), ("三等奖", 3, None)])
    before = table_counts()
    with pytest.raises(InvalidTransition) as refused:
        edition_adopt(
            actor=university.users["union_office"],
            edition=edition,
            adopted_on=datetime.date(2022, 1, 5),
            resolution="x",
        )
    assert refused.value.message == "“一等奖”须写名额或比例（二者取一）。；“二等奖”须写名额或比例（二者取一）。"
    assert changed_tables(before, table_counts()) == {}
    edition.refresh_from_db()
    assert edition.status == EditionStatus.DRAFT


def test_adopting_supersedes_the_rules_of_the_same_level_and_year(w):
    old = w.rules
    beijing = rules_make(w.u, level=Level.BEIJING)
    next_year = rules_make(w.u, year=2022)
    new = rules_make(w.u, name="2021年青年教师教学基本功比赛方案（修订）")
    old.refresh_from_db()
    beijing.refresh_from_db()
    next_year.refresh_from_db()
    assert (old.status, new.status, beijing.status, next_year.status) == (
        EditionStatus.SUPERSEDED,
        EditionStatus.ADOPTED,
        EditionStatus.ADOPTED,
        EditionStatus.ADOPTED,
    )
    assert rules_in_force(Level.UNIVERSITY, 2021) == new
    assert rules_in_force(Level.UNIVERSITY, 2022) == next_year
    event = CompetitionRulesEvent.objects.filter(subject=old).order_by("id").last()
    assert (event.from_state, event.to_state, event.step) == ("adopted", "superseded", "supersede")
    assert event.message == "被 2021 2021年青年教师教学基本功比赛方案（修订） 取代"
    assert event.parameters == {"by": new.pk}
    # the edition under way keeps the rules it was announced under
    w.competition.refresh_from_db()
    assert w.competition.rules_id == old.pk


def test_an_adopted_edition_and_its_parts_do_not_change(w):
    edition = w.rules
    before = table_counts()
    edition.name = "改过的方案"
    with pytest.raises(EditionLocked) as refused:
        edition.save()
    assert refused.value.message == "2021 改过的方案 已通过（已通过），不能修改；请另行起草修订稿。"
    part = edition.parts.get(code="design")
    part.weight = 30
    with pytest.raises(EditionLocked):
        part.save()
    with pytest.raises(EditionLocked):
        edition.prizes.get(code="third").delete()
    with pytest.raises(EditionLocked):
        PrizeTier.objects.create(edition=edition, code="fourth", label="优秀奖", count=5, position=3)
    with pytest.raises(EditionLocked):
        CompetitionRules.objects.get(pk=edition.pk).delete()
    assert changed_tables(before, table_counts()) == {}
    edition.refresh_from_db()
    assert edition.name == "2021年青年教师教学基本功比赛方案"
    assert list(edition.parts.values_list("weight", flat=True)) == [20, 75, 5]


def test_a_superseded_edition_does_not_change_either(w):
    rules_make(w.u)
    old = CompetitionRules.objects.get(pk=w.rules.pk)
    old.quota_per = 10
    with pytest.raises(EditionLocked) as refused:
        old.save()
    assert (
        refused.value.message
        == "2021 2021年青年教师教学基本功比赛方案 已通过（已被取代），不能修改；请另行起草修订稿。"
    )
    assert CompetitionRules.objects.get(pk=w.rules.pk).quota_per == 3
