"""The year's appraisal rules (services/rules.py): written as lines, adopted at once as a core
rule edition that supersedes the year's edition in force, immutable once adopted, and exchanged
as a rules document (rules_export / rules_import)."""

import datetime
import io
import json

import pytest
from django.core.management import call_command

from gonghui.appraisals.choices import BallotKind, Comparison, VotingMode
from gonghui.appraisals.models import AppraisalRules, AppraisalRulesEvent, FlagRule, Grade, VoterCategory
from gonghui.appraisals.services.rules import RulesText, rules_in_force, rules_parse, rules_text
from gonghui.appraisals.tests.factories import rules_make
from gonghui.core.editions import EditionLocked, EditionStatus, edition_compare
from gonghui.core.exceptions import ApplicationError, InvalidTransition, PermissionDenied
from tests.tables import changed_tables, table_counts

DEFAULTS = rules_text(None)


def _text(**lines) -> RulesText:
    values = {
        "categories": DEFAULTS.categories,
        "cadre_grades": DEFAULTS.cadre_grades,
        "team_grades": DEFAULTS.team_grades,
        "flags": DEFAULTS.flags,
    }
    values.update(lines)
    return RulesText(**values)


def test_the_example_lines_read_as_categories_grades_and_flags():
    categories, grades, flags = rules_parse(DEFAULTS, team_ballot=True)
    assert categories == [
        {"code": "leader", "name": "校领导", "weight": 30, "counts_for_quorum": False, "position": 0},
        {"code": "cadre", "name": "中层干部", "weight": 30, "counts_for_quorum": False, "position": 1},
        {"code": "staff", "name": "教职工", "weight": 40, "counts_for_quorum": True, "position": 2},
    ]
    assert grades == [
        {"kind": "cadre", "code": "excellent", "label": "优秀", "score": 100, "position": 0},
        {"kind": "cadre", "code": "competent", "label": "称职", "score": 80, "position": 1},
        {"kind": "cadre", "code": "basic", "label": "基本称职", "score": 60, "position": 2},
        {"kind": "cadre", "code": "incompetent", "label": "不称职", "score": 0, "position": 3},
        {"kind": "team", "code": "good", "label": "好", "score": 100, "position": 0},
        {"kind": "team", "code": "fair", "label": "较好", "score": 80, "position": 1},
        {"kind": "team", "code": "average", "label": "一般", "score": 60, "position": 2},
        {"kind": "team", "code": "poor", "label": "差", "score": 0, "position": 3},
    ]
    assert flags == [
        {
            "kind": "cadre",
            "code": "admonition",
            "label": "诫勉谈话",
            "grades": ["excellent", "competent"],
            "comparison": "below",
            "numerator": 2,
            "denominator": 3,
        },
        {
            "kind": "cadre",
            "code": "removal",
            "label": "考虑调整",
            "grades": ["incompetent"],
            "comparison": "above",
            "numerator": 1,
            "denominator": 3,
        },
    ]


def test_blank_lines_spaces_quorum_in_english_and_a_team_flag_read_too():
    text = _text(
        categories="\n  leader 校领导 30  \n\nstaff 教职工 70 quorum\n",
        flags="team weak 班子较弱 average+poor > 1/2",
    )
    categories, grades, flags = rules_parse(text, team_ballot=True)
    assert [(c["code"], c["weight"], c["counts_for_quorum"], c["position"]) for c in categories] == [
        ("leader", 30, False, 0),
        ("staff", 70, True, 1),
    ]
    assert len(grades) == 8
    assert flags == [
        {
            "kind": "team",
            "code": "weak",
            "label": "班子较弱",
            "grades": ["average", "poor"],
            "comparison": "above",
            "numerator": 1,
            "denominator": 2,
        }
    ]


def test_without_a_team_ballot_the_team_lines_are_not_read():
    _categories, grades, _flags = rules_parse(_text(team_grades="this is not a grade"), team_ballot=False)
    assert {g["kind"] for g in grades} == {"cadre"}


@pytest.mark.parametrize(
    "field, lines, message",
    [
        ("categories", "leader 校领导 30\nstaff 教职工\ncadre 中层干部 30", "第 2 行“staff 教职工”看不懂"),
        ("categories", "Leader 校领导 30", "第 1 行“Leader 校领导 30”看不懂"),
        ("categories", "leader 校领导 1000", "第 1 行“leader 校领导 1000”看不懂"),
        ("categories", "leader 校领导 30\n\nstaff 教职工 40 必须", "第 3 行“staff 教职工 40 必须”看不懂"),
        ("cadre_grades", "excellent 优秀 100\ncompetent 称职 八十", "第 2 行“competent 称职 八十”看不懂"),
        ("team_grades", "good 好 100\nfair 较好", "第 2 行“fair 较好”看不懂"),
        (
            "flags",
            "admonition 诫勉谈话 excellent+competent < 2/3\nremoval 考虑调整 > 1/3",
            "第 2 行“removal 考虑调整 > 1/3”看不懂",
        ),
        ("flags", "admonition 诫勉谈话 excellent = 2/3", "第 1 行“admonition 诫勉谈话 excellent = 2/3”看不懂"),
        ("flags", "admonition 诫勉谈话 excellent < 0.66", "第 1 行“admonition 诫勉谈话 excellent < 0.66”看不懂"),
    ],
)
def test_a_line_that_does_not_read_is_refused_with_its_number_and_nothing_written(w, field, lines, message):
    before = table_counts()
    with pytest.raises(ApplicationError) as refused:
        rules_make(w.u, text=_text(**{field: lines}))
    assert str(refused.value.message).startswith(message + "，应写成：")
    assert refused.value.extra == {"field": field}
    assert changed_tables(before, table_counts()) == {}
    assert rules_in_force(2021).pk == w.rules.pk


@pytest.mark.parametrize(
    "field, lines, message",
    [
        ("categories", "staff 教职工 40 参评\nstaff 全体教职工 60", "代码不能重复。"),
        ("flags", "low 偏低 excellent < 1/2\nlow 很低 excellent < 1/3", "代码不能重复。"),
        ("cadre_grades", "excellent 优秀 100\nexcellent 称职 80", "同一量表中的等次代码不能重复。"),
        ("team_grades", "good 好 100\ngood 较好 80", "同一量表中的等次代码不能重复。"),
    ],
)
def test_a_code_used_twice_is_refused_and_nothing_written(w, field, lines, message):
    before = table_counts()
    with pytest.raises(ApplicationError) as refused:
        rules_make(w.u, text=_text(**{field: lines}))
    assert (str(refused.value.message), refused.value.extra) == (message, {"field": field})
    assert changed_tables(before, table_counts()) == {}


def test_the_same_grade_code_in_both_scales_is_fine():
    _categories, grades, _flags = rules_parse(
        _text(cadre_grades="good 好 100\nbad 差 0", team_grades="good 好 100\nbad 差 0", flags=""), team_ballot=True
    )
    assert [(g["kind"], g["code"]) for g in grades] == [
        ("cadre", "good"),
        ("cadre", "bad"),
        ("team", "good"),
        ("team", "bad"),
    ]


def test_adopting_writes_the_edition_and_its_parts(w):
    rules = w.rules
    assert (rules.status, rules.year, rules.name, rules.adopted_on, rules.resolution) == (
        EditionStatus.ADOPTED,
        2021,
        "2021年度中层干部民主测评办法",
        datetime.date(2021, 1, 10),
        "党委组织部〔2021〕1号",
    )
    assert (rules.quorum_numerator, rules.quorum_denominator, rules.report_days, rules.mode, rules.team_ballot) == (
        2,
        3,
        3,
        VotingMode.ONLINE,
        True,
    )
    assert list(rules.categories.values_list("code", "weight", "counts_for_quorum")) == [
        ("leader", 30, False),
        ("cadre", 30, False),
        ("staff", 40, True),
    ]
    assert [g.code for g in rules.scale(BallotKind.CADRE)] == ["excellent", "competent", "basic", "incompetent"]
    assert [g.code for g in rules.scale(BallotKind.TEAM)] == ["good", "fair", "average", "poor"]
    assert list(rules.flags.values_list("code", "grades", "comparison", "numerator", "denominator")) == [
        ("admonition", ["excellent", "competent"], Comparison.BELOW, 2, 3),
        ("removal", ["incompetent"], Comparison.ABOVE, 1, 3),
    ]
    assert list(AppraisalRulesEvent.objects.filter(subject=rules).values_list("from_state", "to_state")) == [
        ("draft", "adopted")
    ]
    assert rules_text(rules) == DEFAULTS  # the form shows the rules as they were written


def test_a_new_edition_supersedes_the_years_edition_in_force_only(w):
    other_year = rules_make(w.u, year=2022)
    revised = rules_make(w.u, text=_text(categories="leader 校领导 20\ncadre 中层干部 20\nstaff 教职工 60 参评"))
    old = AppraisalRules.objects.get(pk=w.rules.pk)
    assert old.status == EditionStatus.SUPERSEDED
    assert (revised.status, revised.based_on_id) == (EditionStatus.ADOPTED, old.pk)
    assert rules_in_force(2021).pk == revised.pk
    assert rules_in_force(2022).pk == other_year.pk
    assert AppraisalRules.objects.get(pk=other_year.pk).status == EditionStatus.ADOPTED
    assert list(AppraisalRulesEvent.objects.filter(subject=old).values_list("to_state", flat=True)) == [
        "adopted",
        "superseded",
    ]
    # the superseded edition keeps its own weights
    assert list(old.categories.values_list("weight", flat=True)) == [30, 30, 40]
    assert list(revised.categories.values_list("weight", flat=True)) == [20, 20, 60]


def test_an_adopted_edition_and_its_parts_never_change(w):
    rules = AppraisalRules.objects.get(pk=w.rules.pk)
    before = (table_counts(), list(VoterCategory.objects.values()), list(Grade.objects.values()))
    rules.quorum_numerator = 1
    with pytest.raises(EditionLocked):
        rules.save()
    with pytest.raises(EditionLocked):
        rules.delete()
    category = rules.categories.get(code="staff")
    category.weight = 100
    with pytest.raises(EditionLocked):
        category.save()
    with pytest.raises(EditionLocked):
        rules.grades.get(kind="cadre", code="incompetent").delete()
    flag = rules.flags.get(code="admonition")
    flag.numerator = 1
    with pytest.raises(EditionLocked):
        flag.save()
    with pytest.raises(EditionLocked):
        VoterCategory(edition=rules, code="guest", name="来宾", weight=10).save()
    assert (table_counts(), list(VoterCategory.objects.values()), list(Grade.objects.values())) == before
    assert AppraisalRules.objects.get(pk=rules.pk).quorum_numerator == 2


def test_a_superseded_edition_is_locked_too(w):
    rules_make(w.u)
    old = AppraisalRules.objects.get(pk=w.rules.pk)
    old.name = "改名"
    with pytest.raises(EditionLocked):
        old.save()
    assert AppraisalRules.objects.get(pk=old.pk).name == "2021年度中层干部民主测评办法"


def _draft(u, *, team_ballot=True, categories=(("staff", 40, True),), grades=None, flags=()) -> AppraisalRules:
    draft = AppraisalRules.objects.create(year=2023, name="草案", team_ballot=team_ballot)
    for position, (code, weight, quorum) in enumerate(categories):
        VoterCategory.objects.create(
            edition=draft, code=code, name=code, weight=weight, counts_for_quorum=quorum, position=position
        )
    scales = grades if grades is not None else {"cadre": ["excellent", "competent"], "team": ["good", "poor"]}
    for kind, codes in scales.items():
        for position, code in enumerate(codes):
            Grade.objects.create(
                edition=draft, kind=kind, code=code, label=code, score=100 - position, position=position
            )
    for kind, code, grade_codes in flags:
        FlagRule.objects.create(
            edition=draft,
            kind=kind,
            code=code,
            label=code,
            grades=grade_codes,
            comparison=Comparison.BELOW,
            numerator=2,
            denominator=3,
        )
    return draft


def test_a_well_formed_draft_has_no_adoption_problems(university):
    draft = _draft(university, flags=[("cadre", "low", ["excellent", "competent"]), ("team", "weak", ["good"])])
    assert draft.adoption_problems() == []


@pytest.mark.parametrize(
    "shape, problems",
    [
        ({"categories": [("staff", 40, False), ("leader", 60, False)]}, ["至少要有一个类别计入参评比例（如教职工）。"]),
        (
            {"categories": [("staff", 0, True)]},
            ["至少要有一个权重大于 0 的投票人类别。"],
        ),
        (
            {"categories": []},
            ["至少要有一个权重大于 0 的投票人类别。", "至少要有一个类别计入参评比例（如教职工）。"],
        ),
        ({"flags": [("cadre", "low", ["excellent", "great"])]}, ["提示规则“low”引用了不存在的等次。"]),
        ({"flags": [("cadre", "low", ["good"])]}, ["提示规则“low”引用了不存在的等次。"]),  # a team grade
        ({"flags": [("cadre", "low", [])]}, ["提示规则“low”引用了不存在的等次。"]),
        ({"grades": {"cadre": ["excellent", "competent"]}}, ["“领导班子”的等次至少要有两个。"]),
        ({"grades": {"cadre": ["excellent"], "team": ["good", "poor"]}}, ["“干部个人”的等次至少要有两个。"]),
    ],
)
def test_adoption_problems(university, shape, problems):
    assert _draft(university, **shape).adoption_problems() == problems


def test_no_team_scale_is_needed_without_a_team_ballot(university):
    assert _draft(university, team_ballot=False, grades={"cadre": ["excellent", "competent"]}).adoption_problems() == []


@pytest.mark.parametrize(
    "team_ballot, lines, message",
    [
        (True, {"categories": "leader 校领导 30\nstaff 教职工 70"}, "至少要有一个类别计入参评比例（如教职工）。"),
        (True, {"flags": "admonition 诫勉谈话 excellent+outstanding < 2/3"}, "提示规则“诫勉谈话”引用了不存在的等次。"),
        (True, {"team_grades": ""}, "“领导班子”的等次至少要有两个。"),
        (True, {"flags": "removal 考虑调整 incompetent > 4/3"}, "提示规则“考虑调整”的比例须为不大于 1 的分数。"),
    ],
)
def test_rules_with_an_adoption_problem_are_not_adopted_and_nothing_is_written(w, team_ballot, lines, message):
    before = table_counts()
    with pytest.raises(InvalidTransition) as refused:
        rules_make(w.u, team_ballot=team_ballot, text=_text(**lines))
    assert str(refused.value.message) == message
    assert changed_tables(before, table_counts()) == {}
    assert AppraisalRules.objects.get(pk=w.rules.pk).status == EditionStatus.ADOPTED


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"mode": "email"}, "请选择投票方式。"),
        ({"quorum_numerator": 4, "quorum_denominator": 3}, "参评比例须为不大于 1 的分数，如 2/3。"),
        ({"quorum_numerator": 0}, "参评比例须为不大于 1 的分数，如 2/3。"),
        ({"resolution": " "}, "请填写通过依据（如教代会决议）。"),
        ({"adopted_on": None}, "请填写通过日期。"),
    ],
)
def test_bad_settings_are_refused_and_nothing_is_written(w, fields, message):
    before = table_counts()
    with pytest.raises(ApplicationError) as refused:
        rules_make(w.u, **fields)
    assert str(refused.value.message) == message
    assert changed_tables(before, table_counts()) == {}


@pytest.mark.parametrize("who", ["member", "auditor", "sub_union_officer"])
def test_only_the_office_or_the_organisation_department_adopts(w, who):
    before = table_counts()
    with pytest.raises(PermissionDenied):
        _adopt_as(w, w.users[who])
    assert changed_tables(before, table_counts()) == {}
    assert rules_in_force(2021).pk == w.rules.pk


def _adopt_as(w, actor):
    from gonghui.appraisals.services.rules import rules_adopt

    return rules_adopt(
        actor=actor,
        year=2021,
        name="",
        quorum_numerator=2,
        quorum_denominator=3,
        report_days=3,
        mode=VotingMode.ONLINE,
        team_ballot=True,
        text=DEFAULTS,
        adopted_on=datetime.date(2021, 2, 1),
        resolution="决议",
    )


def test_the_organisation_department_adopts_too(w):
    adopted = _adopt_as(w, w.users["zzb"])
    assert (adopted.status, rules_in_force(2021).pk) == (EditionStatus.ADOPTED, adopted.pk)


def test_rules_export_and_import_round_trip(w, tmp_path):
    out = io.StringIO()
    call_command("rules_export", module="appraisals", year=2021, stdout=out)
    document = json.loads(out.getvalue())
    assert (document["kind"], document["module"], document["status"]) == (
        "appraisals.appraisalrules",
        "appraisals",
        "adopted",
    )
    assert (document["adopted_on"], document["resolution"]) == ("2021-01-10", "党委组织部〔2021〕1号")
    rules = document["rules"]
    assert (rules["year"], rules["quorum_numerator"], rules["quorum_denominator"], rules["mode"]) == (
        2021,
        2,
        3,
        "online",
    )
    assert [(c["code"], c["weight"], c["counts_for_quorum"]) for c in rules["categories"]] == [
        ("leader", 30, False),
        ("cadre", 30, False),
        ("staff", 40, True),
    ]
    assert len(rules["grades"]) == 8
    assert rules["flags"][0]["grades"] == ["excellent", "competent"]

    path = tmp_path / "rules.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    call_command("rules_import", str(path), stdout=io.StringIO())
    imported = AppraisalRules.objects.get(year=2021, status=EditionStatus.DRAFT)
    rows = edition_compare(AppraisalRules.objects.get(pk=w.rules.pk), imported)
    assert len(rows) == 7 + 3 * 5 + 8 * 5 + 2 * 7
    assert [row.label for row in rows if row.differs] == []
    assert imported.adoption_problems() == []

    # imported with --adopt it supersedes the year's edition in force
    call_command("rules_import", str(path), "--adopt", stdout=io.StringIO())
    assert AppraisalRules.objects.get(pk=w.rules.pk).status == EditionStatus.SUPERSEDED
    assert rules_in_force(2021).pk not in (w.rules.pk, imported.pk)
