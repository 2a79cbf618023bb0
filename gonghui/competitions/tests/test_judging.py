"""Judging: conflicts of interest, the scale, drafts saved as typed (the same scores twice change
nothing), one submission per sheet, closing only with every sheet in, and the chief judge's
amendments with their reason. Every refusal writes nothing."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from gonghui.competitions.choices import CompetitionStatus, EntryStatus, SheetStatus
from gonghui.competitions.models import Entry, PartScore, ScoreAmendment, ScoreSheet, ScoreSheetEvent
from gonghui.competitions.selectors.judging import judge_queue, judgeships, sheets_missing
from gonghui.competitions.services import competitions as competition_services
from gonghui.competitions.services import judging as judging_services
from gonghui.competitions.services import results as result_services
from gonghui.competitions.services.draw import draw_run
from gonghui.competitions.tests.factories import (
    EXPECTED_FINAL,
    SCORES,
    SEED,
    advance,
    aware,
    refresh,
    rules_make,
    through,
)
from gonghui.core.exceptions import ApplicationError, InvalidTransition, StepNotAllowed
from gonghui.core.models import AuditEvent
from tests.tables import changed_tables, table_counts

FULL = {"design": "18", "classroom": "70", "reflection": "4.5"}


def save(w, judge: str, entry: str, scores: dict, actor=None):
    return judging_services.sheet_save(
        actor=actor or w.judges[judge].user, judge=w.judges[judge], entry=w.entries[entry], scores=scores
    )


def submit(w, judge: str, entry: str, scores: dict, actor=None):
    return judging_services.sheet_submit(
        actor=actor or w.judges[judge].user, judge=w.judges[judge], entry=w.entries[entry], scores=scores
    )


def unchanged(call, exception=ApplicationError):
    """The refusal of `call`, having checked that nothing was written."""
    before = table_counts()
    with pytest.raises(exception) as raised:
        call()
    assert changed_tables(before, table_counts()) == {}
    return raised.value


def scores_of(sheet: ScoreSheet) -> dict[str, Decimal]:
    return dict(PartScore.objects.filter(sheet=sheet).values_list("part__code", "score"))


@pytest.fixture
def panel(w, clock):
    """Scoring open, with two more on the panel before it opened: the coach 郑师 (law, coach of
    赵一) and the contestant 周四 himself; judge4 also judges the science group."""
    through(w, clock, "drawn")
    for name, login in (("coach", "L0900"), ("zhou", "L1001")):
        w.judges[name] = judging_services.judge_add(
            actor=w.office, competition=w.competition, group=w.groups["humanities-a"], login=login
        )
    w.judges["science"] = judging_services.judge_add(
        actor=w.office, competition=w.competition, group=w.groups["science-a"], login="judge4"
    )
    advance(w, clock, "drawn", "scoring")
    return w


# --- conflicts -------------------------------------------------------------------------------


CONFLICTS = [
    ("chen", "zhao", "评委不能为本单位（经济学院分工会）的参赛教师评分。"),
    ("coach", "zhao", "评委不能为自己指导的参赛教师评分。"),
    ("coach", "zhou", "评委不能为本单位（法学院分工会）的参赛教师评分。"),
    ("zhou", "zhou", "评委不能为自己评分。"),
]


def test_a_judge_with_a_conflict_cannot_score(panel):
    """Own college, a contestant one coached, oneself: refused with nothing written."""
    w = panel
    for judge, entry, message in CONFLICTS:
        for call in (save, submit):
            error = unchanged(lambda call=call, judge=judge, entry=entry: call(w, judge, entry, FULL))
            assert error.message == message, (judge, entry, call.__name__)
        assert ScoreSheet.objects.filter(judge=w.judges[judge], entry=w.entries[entry]).count() == 0
    assert ScoreSheet.objects.count() == 0


def test_the_queue_shows_each_conflict_and_the_free_pairs_can_be_scored(panel):
    w = panel
    rows = judge_queue(w.judges["coach"])
    assert [(r.entry.person.name, r.conflict, r.sheet) for r in rows] == [
        ("钱二", "", None),
        ("赵一", "评委不能为自己指导的参赛教师评分。", None),
        ("周四", "评委不能为本单位（法学院分工会）的参赛教师评分。", None),
    ]
    sheet = submit(w, "coach", "qian", FULL)
    assert sheet.status == SheetStatus.SUBMITTED
    assert [r.sheet for r in judge_queue(w.judges["coach"])] == [sheet, None, None]
    # the conflicted pairs owe no sheet: 7 judges' 21 pairs, less 陈静's two, 郑师's two, 周四's own
    missing = sheets_missing(w.competition)
    assert len(missing) == 21 - 5 - 1
    assert "郑师 → 赵一" not in missing
    assert "郑师 → 钱二" not in missing


def test_a_judge_scores_only_their_own_group_and_their_own_sheet(panel):
    w = panel
    error = unchanged(lambda: save(w, "science", "zhao", FULL), PermissionDenied)
    assert str(error) == "该参赛教师不在您评分的组别。"
    error = unchanged(lambda: save(w, "judge1", "zhao", FULL, actor=w.users["judge2"]), PermissionDenied)
    assert str(error) == "只能填写自己的评分表。"
    error = unchanged(lambda: save(w, "judge1", "zhao", FULL, actor=w.office), PermissionDenied)
    assert str(error) == "只能填写自己的评分表。"


def test_judgeships_list_the_panels_of_editions_drawn_or_scoring(panel):
    w = panel
    assert {(j.group.code, j.is_chief) for j in judgeships(w.users["judge4"])} == {
        ("humanities-a", False),
        ("science-a", False),
    }
    assert [j.pk for j in judgeships(w.users["judge1"])] == [w.judges["judge1"].pk]
    assert judgeships(w.users["member"]) == []


# --- the scale -------------------------------------------------------------------------------


OFF_SCALE = [
    ({"design": "21"}, "“教学设计”的分数须在 0 到 20 之间。", "design"),
    ({"design": "20.01"}, "“教学设计”的分数须在 0 到 20 之间。", "design"),
    ({"classroom": "-0.5"}, "“课堂教学”的分数须在 0 到 75 之间。", "classroom"),
    ({"design": "NaN"}, "“教学设计”的分数须在 0 到 20 之间。", "design"),
    ({"design": "Infinity"}, "“教学设计”的分数须在 0 到 20 之间。", "design"),
    ({"design": "18.125"}, "“教学设计”的分数最多两位小数。", "design"),
    ({"design": "abc"}, "“教学设计”的分数“abc”不是数字。", "design"),
    ({"design": "18", "reflection": "4,5"}, "“教学反思”的分数“4,5”不是数字。", "reflection"),
    ({"design": "18", "classroom": "76"}, "“课堂教学”的分数须在 0 到 75 之间。", "classroom"),
]


def test_a_score_off_the_scale_is_refused_and_nothing_is_saved(w, clock):
    through(w, clock, "scoring")
    for scores, message, field in OFF_SCALE:
        error = unchanged(lambda scores=scores: save(w, "judge1", "zhao", scores))
        assert (error.message, error.extra) == (message, {"field": field}), scores
    assert ScoreSheet.objects.count() == 0


def test_an_unknown_part_is_refused(w, clock):
    through(w, clock, "scoring")
    error = unchanged(lambda: save(w, "judge1", "zhao", {"design": "18", "voice": "5"}))
    assert error.message == "没有评分项目“voice”。"


def test_the_ends_of_the_scale_and_two_places_are_fine(w, clock):
    through(w, clock, "scoring")
    sheet = submit(w, "judge1", "zhao", {"design": "0", "classroom": "75", "reflection": " 4.50 "})
    assert scores_of(sheet) == {"design": Decimal("0"), "classroom": Decimal("75"), "reflection": Decimal("4.5")}


def test_no_scoring_outside_the_scoring(w, clock):
    through(w, clock, "drawn")
    assert unchanged(lambda: save(w, "judge1", "zhao", FULL)).message == "现在不是评分时间。"


# --- drafts and submission -------------------------------------------------------------------


def test_saving_the_same_scores_again_changes_nothing(w, clock):
    through(w, clock, "scoring")
    sheet = save(w, "judge1", "zhao", {"design": "18"})
    sheet = save(w, "judge1", "zhao", {"classroom": "70", "design": ""})  # an empty field keeps the score
    assert scores_of(sheet) == {"design": Decimal("18"), "classroom": Decimal("70")}
    rows = list(PartScore.objects.filter(sheet=sheet).order_by("pk").values_list("pk", "part__code", "score"))
    before = table_counts()
    again = save(w, "judge1", "zhao", {"design": "18", "classroom": "70"})
    assert again.pk == sheet.pk
    assert changed_tables(before, table_counts()) == {}
    assert list(PartScore.objects.filter(sheet=sheet).order_by("pk").values_list("pk", "part__code", "score")) == rows
    # a changed draft score changes the same row
    save(w, "judge1", "zhao", {"design": "18.5"})
    assert list(PartScore.objects.filter(sheet=sheet).order_by("pk").values_list("pk", "score")) == [
        (rows[0][0], Decimal("18.5")),
        (rows[1][0], Decimal("70")),
    ]
    assert (ScoreSheet.objects.count(), ScoreSheet.objects.get().status) == (1, SheetStatus.DRAFT)
    assert ScoreSheetEvent.objects.count() == 0


def test_a_submission_needs_every_part(w, clock):
    through(w, clock, "scoring")
    error = unchanged(lambda: submit(w, "judge1", "zhao", {"design": "18"}))
    assert error.message == "还有评分项目未打分：课堂教学、教学反思。"
    assert ScoreSheet.objects.count() == 0
    sheet = save(w, "judge1", "zhao", {"design": "18", "classroom": "70"})
    error = unchanged(lambda: submit(w, "judge1", "zhao", {"classroom": "71"}))
    assert error.message == "还有评分项目未打分：教学反思。"
    assert scores_of(sheet) == {"design": Decimal("18"), "classroom": Decimal("70")}  # the draft as it was
    sheet = submit(w, "judge1", "zhao", {"reflection": "4"})
    assert (sheet.status, sheet.submitted_at is not None) == (SheetStatus.SUBMITTED, True)
    event = sheet.events.get()
    assert (event.from_state, event.to_state, event.step, event.actor_id) == (
        "draft",
        "submitted",
        "submit",
        w.users["judge1"].pk,
    )


def test_a_sheet_is_submitted_once(w, clock):
    through(w, clock, "scoring")
    submit(w, "judge2", "qian", FULL)
    message = "评分表已提交，不能再改；如需更正，请评委会主任改分并说明理由。"
    assert unchanged(lambda: submit(w, "judge2", "qian", FULL)).message == message
    assert unchanged(lambda: save(w, "judge2", "qian", {"design": "19"})).message == message
    assert ScoreSheet.objects.filter(judge=w.judges["judge2"]).count() == 1
    assert scores_of(ScoreSheet.objects.get(judge=w.judges["judge2"]))["design"] == Decimal("18")


# --- closing ---------------------------------------------------------------------------------


def test_the_scoring_closes_only_with_every_sheet_in(w, clock):
    competition = through(w, clock, "scoring")

    def close():
        return result_services.scoring_close(actor=w.office, competition=competition)

    # 5 judges × 3 contestants, less 陈静's two of economics; in the order of the panel and of appearance
    error = unchanged(close, InvalidTransition)
    assert error.message == "还有 13 张评分表未提交（judge1 → 钱二、judge1 → 赵一、judge1 → 周四 等），不能结束评分。"
    for name, by_judge in SCORES.items():
        for judge, (design, classroom, reflection) in by_judge.items():
            scores = {"design": design, "classroom": classroom, "reflection": reflection}
            if (judge, name) == ("chen", "zhou"):
                save(w, judge, name, scores)  # a draft does not count
            else:
                submit(w, judge, name, scores)
    error = unchanged(close, InvalidTransition)
    assert error.message == "还有 1 张评分表未提交（陈静 → 周四 等），不能结束评分。"
    assert refresh(w).status == CompetitionStatus.SCORING
    assert set(Entry.objects.values_list("final_score", "rank", "status")) == {(None, None, EntryStatus.DRAWN)}

    submit(w, "chen", "zhou", {})
    close()
    assert refresh(w).status == CompetitionStatus.SCORED
    finals = {name: Entry.objects.get(pk=e.pk).final_score for name, e in w.entries.items()}
    assert finals == EXPECTED_FINAL
    assert dict(Entry.objects.values_list("person__name", "rank")) == {"赵一": 1, "周四": 2, "钱二": 3}
    assert set(Entry.objects.values_list("status", flat=True)) == {EntryStatus.SCORED}


# --- amendments ------------------------------------------------------------------------------


def sheet_of(w, judge: str, entry: str) -> ScoreSheet:
    return ScoreSheet.objects.get(judge=w.judges[judge], entry=w.entries[entry])


def amend(w, judge: str, entry: str, part: str, score, reason="核对原始评分表，录入有误", actor=None):
    return judging_services.sheet_amend(
        actor=actor or w.users["judge1"],
        sheet=sheet_of(w, judge, entry),
        part=w.parts[part],
        score=score,
        reason=reason,
    )


def test_the_chief_judge_amends_with_a_reason_and_the_results_follow(w, clock):
    through(w, clock, "closed")
    sheet = sheet_of(w, "judge2", "zhao")
    audit_before = AuditEvent.objects.filter(object_type="competitions.scoresheet", object_id=str(sheet.pk)).count()
    amendment = amend(w, "judge2", "zhao", "classroom", "64")
    assert (amendment.before, amendment.after, amendment.reason, amendment.amended_by_id) == (
        Decimal("72"),
        Decimal("64"),
        "核对原始评分表，录入有误",
        w.users["judge1"].pk,
    )
    assert scores_of(sheet)["classroom"] == Decimal("64")
    event = sheet.events.order_by("id").last()
    assert (event.from_state, event.to_state, event.step, event.message, event.actor_id) == (
        "submitted",
        "submitted",
        "amend",
        "核对原始评分表，录入有误",
        w.users["judge1"].pk,
    )
    assert event.parameters == {"part": "classroom", "before": "72.00", "after": "64"}
    assert sheet.events.count() == 2
    assert (
        AuditEvent.objects.filter(object_type="competitions.scoresheet", object_id=str(sheet.pk)).count()
        == audit_before + 1
    )
    # 赵一's classroom: (70 + 64 + 68 + 71) / 4 = 68.25, so 18.125 + 68.25 + 4.5 = 90.875 → 90.88
    assert dict(Entry.objects.values_list("person__name", "final_score")) == {
        "赵一": Decimal("90.88"),
        "周四": Decimal("91.17"),
        "钱二": Decimal("83.75"),
    }
    assert dict(Entry.objects.values_list("person__name", "rank")) == {"周四": 1, "赵一": 2, "钱二": 3}


def test_an_amendment_while_scoring_counts_when_the_scoring_closes(w, clock):
    through(w, clock, "scored")
    amend(w, "judge3", "qian", "design", "15.5", reason="评委本人申请更正")
    assert Entry.objects.get(pk=w.entries["qian"].pk).final_score is None
    assert ScoreAmendment.objects.count() == 1
    advance(w, clock, "scored", "closed")
    # 钱二's design: (16 + 17 + 15.5 + 16.5) / 4 = 16.25, so 16.25 + 63.75 + 3.875 = 83.875 → 83.88
    assert w.entries["qian"].final_score == Decimal("83.88")


AMENDMENT_REFUSALS = [
    ("judge2", {}, StepNotAllowed, "您无权进行此操作。"),  # the sheet's own judge
    ("judge3", {}, StepNotAllowed, "您无权进行此操作。"),
    ("union_office", {}, StepNotAllowed, "您无权进行此操作。"),
    ("judge1", {"reason": "  "}, InvalidTransition, "此操作须填写说明。"),
    ("judge1", {"score": "72"}, ApplicationError, "分数没有变化。"),
    ("judge1", {"score": "76"}, ApplicationError, "“课堂教学”的分数须在 0 到 75 之间。"),
    ("judge1", {"score": "70.005"}, ApplicationError, "“课堂教学”的分数最多两位小数。"),
]


def test_an_amendment_is_refused_with_nothing_written(w, clock):
    through(w, clock, "closed")
    for actor, changes, exception, message in AMENDMENT_REFUSALS:
        kwargs = {"score": "64", "reason": "核对原始评分表，录入有误", **changes}
        error = unchanged(
            lambda actor=actor, kwargs=kwargs: amend(w, "judge2", "zhao", "classroom", actor=w.users[actor], **kwargs),
            exception,
        )
        assert (type(error), error.message) == (exception, message), (actor, changes)
    assert scores_of(sheet_of(w, "judge2", "zhao"))["classroom"] == Decimal("72")
    assert Entry.objects.get(pk=w.entries["zhao"].pk).final_score == Decimal("92.88")
    assert ScoreAmendment.objects.count() == 0


def test_a_part_of_other_rules_cannot_be_amended(w, clock):
    through(w, clock, "closed")
    other = rules_make(w.u, year=2022).parts.get(code="classroom")
    error = unchanged(
        lambda: judging_services.sheet_amend(
            actor=w.users["judge1"], sheet=sheet_of(w, "judge2", "zhao"), part=other, score="64", reason="x"
        )
    )
    assert (error.message, error.extra) == ("没有这个评分项目。", {"field": "part"})


def test_no_amendment_once_the_results_are_published(w, clock):
    through(w, clock, "publicity")
    error = unchanged(lambda: amend(w, "judge2", "zhao", "classroom", "64"))
    assert error.message == "获奖名单公示后不能再改分。"
    assert ScoreAmendment.objects.count() == 0


def test_a_judge_is_added_once_per_group_and_only_before_the_scoring(w, clock):
    through(w, clock, "drawn")
    error = unchanged(
        lambda: judging_services.judge_add(
            actor=w.office, competition=w.competition, group=w.groups["humanities-a"], login="judge2"
        )
    )
    assert error.message == "judge2已是该组评委。"
    error = unchanged(
        lambda: judging_services.judge_add(
            actor=w.office, competition=w.competition, group=w.groups["humanities-a"], login="E1003"
        )
    )
    assert (error.message, error.extra) == ("工号 E1003 的教师还没有账号，请先为其开通账号。", {"field": "login"})
    error = unchanged(
        lambda: judging_services.judge_add(
            actor=w.office, competition=w.competition, group=w.groups["humanities-a"], login="nobody"
        )
    )
    assert error.message == "找不到工号或用户名“nobody”。"
    advance(w, clock, "drawn", "scoring")
    error = unchanged(
        lambda: judging_services.judge_add(
            actor=w.office, competition=w.competition, group=w.groups["science-a"], login="judge2"
        )
    )
    assert error.message == "评分开始后不能再调整评委。"
    assert unchanged(lambda: judging_services.judge_remove(actor=w.office, judge=w.judges["judge2"])).message == (
        "评分开始后不能再调整评委。"
    )


def test_scoring_does_not_open_without_a_free_judge(w, clock):
    through(w, clock, "uploaded")
    clock.move_to(aware(datetime.datetime(2021, 3, 26, 9, 0)))
    competition_services.competition_step(actor=w.office, competition=w.competition, step="close_nominations")
    draw_run(actor=w.office, competition=w.competition, seed=SEED)  # 钱二, 赵一, 周四

    def open_scoring():
        competition_services.competition_step(actor=w.office, competition=w.competition, step="open_scoring")

    assert unchanged(open_scoring, InvalidTransition).message == "“人文科学类A组”还没有评委。"
    judging_services.judge_add(actor=w.office, competition=w.competition, group=w.groups["humanities-a"], login="E0099")
    assert unchanged(open_scoring, InvalidTransition).message == (
        "没有可以为钱二评分的评委（均须回避）。；没有可以为赵一评分的评委（均须回避）。"
    )
