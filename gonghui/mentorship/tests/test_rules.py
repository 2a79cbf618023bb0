"""The rules of a cohort (拜师结对实施办法): adopted with their grades, refused with the exact
line or check that is wrong, with nothing written."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from gonghui.core.editions import EditionStatus
from gonghui.core.exceptions import ApplicationError, InvalidTransition
from gonghui.mentorship.choices import Outcome
from gonghui.mentorship.models import GradeRule, MentorshipRules, MentorshipRulesEvent
from gonghui.mentorship.services.rules import (
    DEFAULT_GRADES,
    RulesSettings,
    grades_parse,
    grades_text,
    rules_adopt,
    rules_in_force,
)
from gonghui.mentorship.tests.factories import nothing_written

pytestmark = pytest.mark.django_db

ADOPTED_ON = datetime.date(2023, 1, 10)


def _adopt(w, *, year=2023, grades=DEFAULT_GRADES, actor=None, **settings):
    return rules_adopt(
        actor=actor or w.office,
        settings=RulesSettings(year=year, name=settings.pop("name", f"{year}年青年教师拜师结对实施办法"), **settings),
        grades=grades,
        adopted_on=ADOPTED_ON,
        resolution="校工会〔2023〕1号",
    )


def _grades(edition):
    return [
        (g.code, g.label, g.outcome, g.stipend, g.stipend_after_extension, g.position) for g in edition.grades.all()
    ]


def test_adopt_with_the_default_grades(w):
    edition = _adopt(w)

    assert edition.status == EditionStatus.ADOPTED
    assert (edition.year, edition.name, edition.adopted_on, edition.resolution) == (
        2023,
        "2023年青年教师拜师结对实施办法",
        ADOPTED_ON,
        "校工会〔2023〕1号",
    )
    assert _grades(edition) == [
        ("passed", "合格", Outcome.PASSED, Decimal("1200.00"), Decimal("0.00"), 0),
        ("basic", "基本合格", Outcome.BASICALLY_PASSED, Decimal("600.00"), Decimal("600.00"), 1),
        ("failed", "不合格", Outcome.FAILED, Decimal("0.00"), Decimal("0.00"), 2),
    ]
    assert edition.term_ends == ["01-15", "07-05"]
    assert edition.requirements() == {"demonstration": 4, "observation": 8, "meeting": 0}
    assert edition.adoption_problems() == []
    assert grades_text(edition) == (
        "passed 合格 passed 1200.00\nbasic 基本合格 basically_passed 600.00 600.00\nfailed 不合格 failed 0.00"
    )
    assert grades_text(None) == DEFAULT_GRADES
    assert rules_in_force(2023) == edition
    # the 2021 rules of the world are not touched by another year's adoption
    w.rules.refresh_from_db()
    assert w.rules.status == EditionStatus.ADOPTED
    assert MentorshipRulesEvent.objects.filter(subject=edition).values_list("from_state", "to_state").get() == (
        EditionStatus.DRAFT,
        EditionStatus.ADOPTED,
    )


def test_a_new_edition_of_the_same_year_supersedes_the_one_in_force(w):
    edition = _adopt(w, year=2021, name="2021年办法（修订）", mentor_max_mentees=2)

    w.rules.refresh_from_db()
    assert w.rules.status == EditionStatus.SUPERSEDED
    assert rules_in_force(2021) == edition
    assert edition.mentor_max_mentees == 2
    # the cohort under way keeps the rules it started under
    w.cohort.refresh_from_db()
    assert w.cohort.rules_id == w.rules.pk
    assert MentorshipRules.objects.filter(year=2021).count() == 2


def test_grades_parse_reads_amounts_and_positions():
    assert grades_parse("\n  good 优秀 passed 1500.5 \n\nok 合格 passed 1000\n") == [
        {
            "code": "good",
            "label": "优秀",
            "outcome": "passed",
            "stipend": Decimal("1500.50"),
            "stipend_after_extension": Decimal("0.00"),
            "position": 0,
        },
        {
            "code": "ok",
            "label": "合格",
            "outcome": "passed",
            "stipend": Decimal("1000.00"),
            "stipend_after_extension": Decimal("0.00"),
            "position": 1,
        },
    ]


@pytest.mark.parametrize(
    "grades, message",
    [
        (
            "passed 合格 passed 1200\nbasic 基本合格 maybe 600",
            "第 2 行“basic 基本合格 maybe 600”看不懂，应写成：basic 基本合格 basically_passed 600 600",
        ),
        (
            "passed 合格 passed 1200\n\nfailed 不合格 failed 一百",
            "第 3 行“failed 不合格 failed 一百”看不懂，应写成：basic 基本合格 basically_passed 600 600",
        ),
        (
            "Passed 合格 passed 1200",
            "第 1 行“Passed 合格 passed 1200”看不懂，应写成：basic 基本合格 basically_passed 600 600",
        ),
        ("passed 合格 passed 1200\npassed 优秀 passed 1500", "代码不能重复。"),
    ],
)
def test_a_bad_grades_text_is_refused_with_its_line(w, grades, message):
    with nothing_written(), pytest.raises(ApplicationError) as refused:
        _adopt(w, grades=grades)
    assert refused.value.message == message
    assert refused.value.extra == {"field": "grades"}


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"name": "  "}, "请填写办法名称。"),
        ({"mentor_min_rank": "professor"}, "请选择指导教师最低职称。"),
        ({"mentor_max_mentees": 0}, "每位指导教师至少带 1 人。"),
    ],
)
def test_bad_settings_are_refused(w, changes, message):
    with nothing_written(), pytest.raises(ApplicationError) as refused:
        _adopt(w, **changes)
    assert refused.value.message == message


def test_only_the_office_adopts(w):
    with nothing_written(), pytest.raises(PermissionDenied):
        _adopt(w, actor=w.officer)


def test_adoption_refused_by_the_rules_own_checks(w):
    """The grades parse, but the edition fails its checks: refused, nothing written."""
    with nothing_written(), pytest.raises(InvalidTransition) as refused:
        _adopt(w, grades="basic 基本合格 basically_passed 600 600\nfailed 不合格 failed 100 50", term_ends=("13-40",))
    assert refused.value.message == (
        "须有一个“合格”的考核等次。；等次“不合格”不延期考核，不能有延期后发放的津贴。；"
        "学期结束日“13-40”应写成 月-日，例如 01-15。"
    )


def _draft(**fields):
    return MentorshipRules.objects.create(year=2030, name="草稿", **fields)


def _grade(edition, code, label, outcome, stipend="0", after="0"):
    return GradeRule.objects.create(
        edition=edition,
        code=code,
        label=label,
        outcome=outcome,
        stipend=Decimal(stipend),
        stipend_after_extension=Decimal(after),
    )


def test_adoption_problems_each(w):
    edition = _draft(term_ends=["01-15", "13-40", "02-29", "7/5"])
    assert edition.adoption_problems() == [
        "至少要有一个考核等次。",
        "须有一个“合格”的考核等次。",
        "学期结束日“13-40”应写成 月-日，例如 01-15。",
        "学期结束日“7/5”应写成 月-日，例如 01-15。",
    ]

    _grade(edition, "basic", "基本合格", Outcome.BASICALLY_PASSED, "600", "600")
    assert edition.adoption_problems() == [
        "须有一个“合格”的考核等次。",
        "学期结束日“13-40”应写成 月-日，例如 01-15。",
        "学期结束日“7/5”应写成 月-日，例如 01-15。",
    ]

    _grade(edition, "passed", "合格", Outcome.PASSED, "1200", "300")
    edition.term_ends = ["01-15", "07-05"]
    assert edition.adoption_problems() == ["等次“合格”不延期考核，不能有延期后发放的津贴。"]

    edition.extension_months = 0
    edition.cycle_months = 0
    assert edition.adoption_problems() == [
        "等次“基本合格”须延期考核：请填写延期考核期。",
        "等次“合格”不延期考核，不能有延期后发放的津贴。",
        "培养期须大于 0 个月。",
    ]
