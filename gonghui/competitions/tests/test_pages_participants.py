"""The participants' pages: a college's nominations (its young teachers with every reason why
not, its seats, the refusals that write nothing), an entry's materials (versions kept, locked at
the deadline) and withdrawal, the judges' queue and score sheet (saved as typed, through the
autosave endpoint or the no-script form with its review, every refusal changing nothing), the
chief judge's amendment, the contestant's own scores after release (judges anonymised, the
dropped scores marked) and certificates (the PDF, the public verification page), and the
workbench's cards and to-dos."""

from __future__ import annotations

import datetime
import json
import re

import pytest
import segno
from django.urls import reverse

from gonghui.competitions.choices import EntryStatus, SheetStatus
from gonghui.competitions.models import (
    Certificate,
    Entry,
    EntryMaterial,
    PartScore,
    ScoreAmendment,
    ScoreSheet,
)
from gonghui.competitions.services import competitions as competition_services
from gonghui.competitions.tests.factories import SEED, aware, pdf, through
from gonghui.competitions.workbench import competitions_cards, competitions_todos
from gonghui.core.models import AuditAction, AuditEvent
from gonghui.people.tests.factories import person_make
from tests.tables import changed_tables, table_counts


def _as(client, user):
    client.force_login(user)
    return client


def _text(response) -> str:
    return response.content.decode()


def _open(w):
    competition_services.competition_step(actor=w.office, competition=w.competition, step="open_nominations")


def _between(html: str, testid: str) -> str:
    """The element marked data-testid=testid, up to its closing tag (a list, a table, a section)."""
    start = html.index(f'data-testid="{testid}"')
    tag = html.rfind("<", 0, start)
    name = re.match(r"<(\w+)", html[tag:]).group(1)  # type: ignore[union-attr]
    return html[tag : html.index(f"</{name}>", start) + len(name) + 3]


def _rows(html: str, testid: str) -> list[str]:
    """The text of each element marked data-testid=testid, tags removed, spaces squeezed."""
    found = []
    for match in re.finditer(rf'<(\w+)[^>]*data-testid="{testid}"[^>]*>', html):
        name = match.group(1)
        body = html[match.end() : html.index(f"</{name}>", match.end())]
        found.append(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)).strip())
    return found


def nominate_url(w):
    return reverse("competitions:nominate", args=[w.competition.pk])


def entry_url(entry):
    return reverse("competitions:entry", args=[entry.pk])


def sheet_url(judge, entry):
    return reverse("competitions:sheet", args=[judge.pk, entry.pk])


def save_url(judge, entry):
    return reverse("competitions:sheet_save", args=[judge.pk, entry.pk])


def _scores(sheet_judge, entry) -> dict[str, str]:
    return {
        code: str(score)
        for code, score in PartScore.objects.filter(sheet__judge=sheet_judge, sheet__entry=entry).values_list(
            "part__code", "score"
        )
    }


# --- nominations -------------------------------------------------------------------------------


def test_the_officer_sees_their_colleges_teachers_and_seats(client, w):
    u = w.u
    person_make(staff_no="E1004", name="冯六", birth_date=datetime.date(1992, 5, 1), sub_union=u.econ, member=False)
    _open(w)
    page = _text(_as(client, w.users["sub_union_officer"]).get(nominate_url(w)))
    # econ only: 赵一, 钱二, 孙三 and 李娜 are its young members (冯六 is no member), 4 // 3 + 1 = 2 seats
    assert _rows(page, "seats-row") == ["经济学院分工会 4 2 0 2"]
    # serving and born on or after 1981-01-01, in pinyin order; 张伟 (1980) and 陈静 (1975) are not listed
    teachers = re.findall(r'data-testid="teacher" data-staff-no="(\w+)"', page)
    assert teachers == ["E1004", "E0002", "E1002", "E1003", "E1001"]
    assert "共 5 人，其中 4 人符合报名条件。" in page
    assert _rows(page, "reasons") == ["不是在会的工会会员。"]
    assert page.count('data-testid="eligible"') == 4
    assert 'data-testid="nominate-form"' in page
    assert "王芳" not in page and "周四" not in page  # law's people are not hers


def test_the_office_picks_the_college(client, w):
    _open(w)
    office = _as(client, w.office)
    page = _text(office.get(nominate_url(w)))
    assert _rows(page, "seats-row") == ["法学院分工会 2 1 0 1", "经济学院分工会 4 2 0 2"]  # in pinyin order
    assert 'data-testid="pick-college"' in page and 'data-testid="teachers"' not in page
    page = _text(office.get(f"{nominate_url(w)}?college={w.u.law.pk}"))
    assert re.findall(r'data-testid="teacher" data-staff-no="(\w+)"', page) == ["L1002", "L1001"]  # 吴五, 周四
    # a college that is not one (a group, a word) is no choice
    page = _text(office.get(f"{nominate_url(w)}?college=abc"))
    assert 'data-testid="pick-college"' in page


def test_a_nomination_and_the_seats_it_takes(client, w):
    _open(w)
    officer = _as(client, w.users["sub_union_officer"])
    data = {"staff_no": "E1001", "group": w.groups["humanities-a"].pk, "teaching_post": "full_time"}
    response = officer.post(nominate_url(w), {**data, "course": "微观经济学", "coach_staff_no": "L0900"})
    econ = w.u.econ.pk
    assert response.status_code == 302 and response["Location"] == f"{nominate_url(w)}?college={econ}"
    entry = Entry.objects.get(competition=w.competition, person=w.people["zhao"])
    assert (entry.college_id, entry.group.code, entry.course, entry.coach_id) == (
        econ,
        "humanities-a",
        "微观经济学",
        w.people["coach"].pk,
    )
    page = _text(officer.get(response["Location"]))
    assert "已推荐赵一参赛（人文科学类A组）。" in page
    assert _rows(page, "seats-row") == ["经济学院分工会 4 2 1 1"]
    assert _rows(page, "entry-row") == ["赵一 经济学院分工会 · 人文科学类A组 · 微观经济学 已推荐"]
    assert _rows(page, "reasons") == ["已报名本届比赛。"]


def test_a_refused_nomination_gives_every_reason_and_writes_nothing(client, w):
    person_make(staff_no="E1005", name="老周", birth_date=datetime.date(1975, 5, 1), sub_union=w.u.econ, member=False)
    _open(w)
    officer = _as(client, w.users["sub_union_officer"])
    before = table_counts()
    data = {"staff_no": "E1005", "group": w.groups["humanities-a"].pk, "teaching_post": "administrative"}
    page = _text(officer.post(nominate_url(w), data))
    assert "老周不能报名，原因如下：" in page
    assert _rows(page, "refusal-reasons") == [
        "出生日期 1975-05-01 早于 1981-01-01（年龄超出）。 不是在会的工会会员。 岗位不符：本届限专任教师、实验教学人员。"
    ]
    assert _between(page, "refusal-reasons").count("<li>") == 3
    assert changed_tables(before, table_counts()) == {}


def test_over_the_quota_and_out_of_the_college_are_refused(client, w):
    _open(w)
    officer = _as(client, w.users["sub_union_officer"])
    group = w.groups["humanities-a"].pk
    for staff_no in ("E1001", "E1002"):
        assert (
            officer.post(nominate_url(w), {"staff_no": staff_no, "group": group, "teaching_post": "lab"}).status_code
            == 302
        )
    before = table_counts()
    page = _text(officer.post(nominate_url(w), {"staff_no": "E1003", "group": group, "teaching_post": "lab"}))
    assert _rows(page, "refusal-reasons") == ["经济学院分工会的名额（2 个）已满。"]
    assert _rows(page, "seats-row") == ["经济学院分工会 4 2 2 0"]
    page = _text(officer.post(nominate_url(w), {"staff_no": "L1001", "group": group, "teaching_post": "lab"}))
    assert "只能推荐本单位的教师。" in page
    assert changed_tables(before, table_counts()) == {}
    assert Entry.objects.filter(competition=w.competition).count() == 2


def test_nominations_closed_show_no_form(client, w, clock):
    officer = _as(client, w.users["sub_union_officer"])
    assert officer.get(nominate_url(w)).status_code == 404  # a draft edition is not announced yet
    _open(w)
    clock.move_to(aware(datetime.datetime(2021, 3, 20, 18, 1)))
    page = _text(officer.get(nominate_url(w)))
    assert "本届比赛现在不接受推荐报名。" in page and 'data-testid="nominate-form"' not in page
    before = table_counts()
    data = {"staff_no": "E1001", "group": w.groups["humanities-a"].pk, "teaching_post": "full_time"}
    page = _text(officer.post(nominate_url(w), data))
    assert "推荐报名已于 2021-03-20 18:00 截止。" in page
    assert changed_tables(before, table_counts()) == {}
    # the member has no nominating to do
    assert _as(client, w.users["member"]).get(nominate_url(w)).status_code == 403


# --- an entry ------------------------------------------------------------------------------------


def test_the_entry_lists_the_materials_with_their_versions(client, w, clock):
    through(w, clock, "uploaded")
    zhao = w.entries["zhao"]
    contestant = _as(client, w.users["zhao"])
    page = _text(contestant.get(entry_url(zhao)))
    assert "须交教案 5 份（每份 50 分钟）和课件；教学视频可选。" in page
    assert re.findall(r'data-testid="material" data-kind="(\w+)" data-number="(\d+)"', page) == [
        ("lesson_plan", "1"),
        ("lesson_plan", "2"),
        ("lesson_plan", "3"),
        ("lesson_plan", "4"),
        ("lesson_plan", "5"),
        ("slides", "1"),
        ("video", "1"),
    ]
    assert page.count('data-testid="upload-form"') == 7
    assert "材料已齐全；截止前仍可更换（保留各版本）。" in page
    assert 'data-testid="older"' not in page
    assert _rows(page, "coach") == ["郑师"]

    response = contestant.post(
        reverse("competitions:material_upload", args=[zhao.pk]),
        {"kind": "slides", "number": "1", "file": pdf("课件第二版.pdf")},
    )
    assert response.status_code == 302 and response["Location"] == entry_url(zhao)
    versions = list(EntryMaterial.objects.filter(entry=zhao, kind="slides").values_list("version", flat=True))
    assert sorted(versions) == [1, 2]
    page = _text(contestant.get(entry_url(zhao)))
    assert "已上传课件（第 2 版）。" in page
    slides = page[page.index('data-kind="slides"') : page.index('data-kind="video"')]
    assert "课件第二版.pdf" in _between(slides, "current") and "第 2 版" in _between(slides, "current")
    assert "早先的版本（1 个）" in slides and "课件.pdf" in _between(slides, "older")
    assert "未上传" in page[page.index('data-kind="video"') :]


def test_materials_lock_at_the_deadline(client, w, clock):
    through(w, clock, "uploaded")
    zhao = w.entries["zhao"]
    clock.move_to(aware(datetime.datetime(2021, 3, 25, 18, 1)))
    contestant = _as(client, w.users["zhao"])
    page = _text(contestant.get(entry_url(zhao)))
    assert _rows(page, "locked") == ["材料已截止，已锁定，不能再上传或更换。"]
    assert 'data-testid="upload-form"' not in page
    before = table_counts()
    response = contestant.post(
        reverse("competitions:material_upload", args=[zhao.pk]), {"kind": "slides", "number": "1", "file": pdf()}
    )
    assert response.status_code == 302
    assert "材料已于 2021-03-25 18:00 截止提交，不能再上传或更换。" in _text(contestant.get(entry_url(zhao)))
    assert changed_tables(before, table_counts()) == {}


def test_an_entry_withdraws_with_its_reason(client, w, clock):
    through(w, clock, "nominated")
    qian = w.entries["qian"]
    officer = _as(client, w.users["sub_union_officer"])
    page = _text(officer.get(entry_url(qian)))
    assert 'data-testid="withdraw"' in page and "尚缺：教案 1、教案 2、教案 3、教案 4、教案 5、课件" in page
    url = reverse("competitions:entry_withdraw", args=[qian.pk])
    before = table_counts()
    officer.post(url, {"reason": "  "})
    assert "请填写退赛理由。" in _text(officer.get(entry_url(qian)))
    assert changed_tables(before, table_counts()) == {}
    assert officer.post(url, {"reason": "本学期出国访学"}).status_code == 302
    qian.refresh_from_db()
    assert qian.status == EntryStatus.WITHDRAWN
    assert list(qian.events.values_list("step", "message")) == [("withdraw", "本学期出国访学")]
    page = _text(officer.get(entry_url(qian)))
    assert "钱二已退赛。" in page and 'data-testid="withdraw"' not in page and 'data-testid="upload-form"' not in page
    # no one else acts on it: the member (not hers) and law's 周四
    assert _as(client, w.users["member"]).post(url, {"reason": "x"}).status_code == 404
    assert _as(client, w.users["zhou"]).get(entry_url(qian)).status_code == 404


def test_after_the_draw_the_entry_shows_its_order_lesson_and_seed(client, w, clock):
    through(w, clock, "drawn")
    zhao = w.entries["zhao"]
    page = _text(_as(client, w.users["zhao"]).get(entry_url(zhao)))
    assert _rows(page, "appearance") == [f"第 {zhao.appearance} 位"]
    assert _rows(page, "lesson-drawn")[0].startswith(f"教案 {zhao.lesson_drawn}（")
    assert _rows(page, "seed") == [SEED]
    assert 'data-testid="upload-form"' not in page and 'data-testid="withdraw"' not in page
    # a judge of the group reads it, and acts on nothing
    page = _text(_as(client, w.users["judge2"]).get(entry_url(zhao)))
    assert _rows(page, "seed") == [SEED] and 'data-testid="upload-form"' not in page


# --- judging -------------------------------------------------------------------------------------


def test_the_judges_queue_marks_conflicts_and_does_not_open_them(client, w, clock):
    through(w, clock, "scoring")
    chen = w.judges["chen"]
    judge = _as(client, w.users["sub_union_officer"])
    home = _text(judge.get(reverse("competitions:judge_home")))
    assert _rows(home, "counts") == ["待评分 1 人，已提交 0 人，回避 2 人"]
    page = _text(judge.get(reverse("competitions:judge_queue", args=[chen.pk])))
    rows = re.findall(r'data-testid="queue-row" data-state="(\w+)"', page)
    assert sorted(rows) == ["conflict", "conflict", "todo"]
    assert page.count("评委不能为本单位（经济学院分工会）的参赛教师评分。") == 2
    assert sheet_url(chen, w.entries["zhou"]) in page
    assert sheet_url(chen, w.entries["zhao"]) not in page and sheet_url(chen, w.entries["qian"]) not in page
    before = table_counts()
    response = judge.get(sheet_url(chen, w.entries["zhao"]))
    assert response.status_code == 302 and response["Location"] == reverse("competitions:judge_queue", args=[chen.pk])
    refused = judge.post(save_url(chen, w.entries["zhao"]), {"design": "20"})
    assert refused.status_code == 400
    assert refused.json() == {"message": "评委不能为本单位（经济学院分工会）的参赛教师评分。", "field": ""}
    assert changed_tables(before, table_counts()) == {}
    # another judge's panel and sheets are not hers
    judge2 = w.judges["judge2"]
    assert judge.get(reverse("competitions:judge_queue", args=[judge2.pk])).status_code == 404
    assert judge.post(save_url(judge2, w.entries["zhou"]), {"design": "1"}).status_code == 404
    assert _as(client, w.office).get(sheet_url(judge2, w.entries["zhou"])).status_code == 404


def test_the_sheet_shows_each_part_with_its_criteria_and_the_lesson_drawn(client, w, clock):
    through(w, clock, "scoring")
    judge2, zhou = w.judges["judge2"], w.entries["zhou"]
    page = _text(_as(client, w.users["judge2"]).get(sheet_url(judge2, zhou)))
    assert _rows(page, "criteria") == ["教学目标明确，内容安排合理", "讲授准确清晰，组织有序", "思路清晰，联系实际"]
    assert re.findall(r'<legend class="ballot-item-name">(\S+) <span class="ballot-item-post">满分 (\d+)', page) == [
        ("教学设计", "20"),
        ("课堂教学", "75"),
        ("教学反思", "5"),
    ]
    assert page.count('inputmode="decimal"') == 3
    assert _rows(page, "lesson-drawn")[0].startswith(f"教案 {zhou.lesson_drawn}")
    assert f'data-save-url="{save_url(judge2, zhou)}"' in page and f'data-scoresheet="{judge2.pk}-{zhou.pk}"' in page
    assert '<script src="/static/js/scoresheet.js" defer></script>' in page


def test_autosave_saves_as_typed_and_refuses_with_the_reason(client, w, clock):
    through(w, clock, "scoring")
    judge2, zhou = w.judges["judge2"], w.entries["zhou"]
    judge = _as(client, w.users["judge2"])
    saved = judge.post(save_url(judge2, zhou), {"design": "18.5"})
    assert saved.status_code == 200
    assert saved.json()["status"] == "draft" and saved.json()["saved"] == {"design": "18.5"}
    again = judge.post(save_url(judge2, zhou), {"design": "18.5", "classroom": "70"})
    assert again.json()["saved"] == {"design": "18.5", "classroom": "70"}
    assert _scores(judge2, zhou) == {"design": "18.50", "classroom": "70.00"}
    before = table_counts()
    for data, message in (
        ({"design": "21"}, "“教学设计”的分数须在 0 到 20 之间。"),
        ({"reflection": "-1"}, "“教学反思”的分数须在 0 到 5 之间。"),
        ({"classroom": "70.125"}, "“课堂教学”的分数最多两位小数。"),
        ({"classroom": "七十"}, "“课堂教学”的分数“七十”不是数字。"),
        ({"design": "19", "classroom": "80"}, "“课堂教学”的分数须在 0 到 75 之间。"),
    ):
        refused = judge.post(save_url(judge2, zhou), data)
        assert refused.status_code == 400 and refused.json()["message"] == message, data
    assert refused.json()["field"] == "classroom"
    assert changed_tables(before, table_counts()) == {}
    assert _scores(judge2, zhou) == {"design": "18.50", "classroom": "70.00"}
    # the draft is on the sheet page, as typed
    page = _text(judge.get(sheet_url(judge2, zhou)))
    assert 'name="design" value="18.5"' in page and 'name="classroom" value="70"' in page
    assert 'name="reflection" value=""' in page


def test_without_script_the_form_saves_reviews_and_submits(client, w, clock):
    through(w, clock, "scoring")
    judge2, zhou = w.judges["judge2"], w.entries["zhou"]
    judge = _as(client, w.users["judge2"])
    url = sheet_url(judge2, zhou)
    response = judge.post(url, {"action": "save", "design": "17", "classroom": "", "reflection": "4.5"})
    assert response.status_code == 302 and response["Location"] == url
    assert _scores(judge2, zhou) == {"design": "17.00", "reflection": "4.50"}
    # the review asks for every part first (what was typed is saved meanwhile)
    page = _text(judge.post(url, {"action": "review", "design": "17.5", "classroom": "", "reflection": "4.5"}))
    assert _rows(page, "sheet-error") == ["还有评分项目未打分：课堂教学。"]
    assert _scores(judge2, zhou) == {"design": "17.50", "reflection": "4.50"}
    # a refused score: the form again, the score kept and marked, nothing saved
    before = table_counts()
    page = _text(judge.post(url, {"action": "review", "design": "17.5", "classroom": "76", "reflection": "4.5"}))
    assert _rows(page, "sheet-error") == ["未保存：请更正标出的分数。"]
    assert "“课堂教学”的分数须在 0 到 75 之间。" in page and 'name="classroom" value="76"' in page
    assert changed_tables(before, table_counts()) == {}
    review = judge.post(url, {"action": "review", "design": "17.5", "classroom": "69", "reflection": "4.5"})
    assert _rows(_text(review), "review") == ["教学设计 满分 20 17.5 课堂教学 满分 75 69 教学反思 满分 5 4.5"]
    assert ScoreSheet.objects.get(judge=judge2, entry=zhou).status == SheetStatus.DRAFT
    back = _text(judge.post(url, {"action": "edit", "design": "17.5", "classroom": "69", "reflection": "4.5"}))
    assert 'name="classroom" value="69"' in back and 'data-testid="sheet-form"' in back
    submitted = judge.post(url, {"action": "submit", "design": "17.5", "classroom": "69", "reflection": "4.5"})
    assert submitted.status_code == 302
    sheet = ScoreSheet.objects.get(judge=judge2, entry=zhou)
    assert sheet.status == SheetStatus.SUBMITTED and sheet.submitted_at is not None
    assert _scores(judge2, zhou) == {"design": "17.50", "classroom": "69.00", "reflection": "4.50"}
    page = _text(judge.get(url))
    assert 'data-testid="sheet-form"' not in page and f'data-scoresheet-done="{judge2.pk}-{zhou.pk}"' in page
    assert _rows(page, "scores") == ["教学设计 满分 20 17.5 课堂教学 满分 75 69 教学反思 满分 5 4.5"]
    # once submitted: nothing changes, by either way in
    before = table_counts()
    page = _text(judge.post(url, {"action": "submit", "design": "20", "classroom": "75", "reflection": "5"}))
    assert "评分表已提交，不能再改；如需更正，请评委会主任改分并说明理由。" in page
    refused = judge.post(save_url(judge2, zhou), {"design": "20"})
    assert refused.status_code == 400 and refused.json()["message"].startswith("评分表已提交，不能再改")
    assert changed_tables(before, table_counts()) == {}


def test_no_scoring_outside_the_scoring(client, w, clock):
    through(w, clock, "drawn")
    judge2, zhou = w.judges["judge2"], w.entries["zhou"]
    judge = _as(client, w.users["judge2"])
    page = _text(judge.get(sheet_url(judge2, zhou)))
    assert _rows(page, "not-scoring") == ["评分尚未开始：比赛办公室开始评分后即可打分。"]
    assert 'data-testid="sheet-form"' not in page
    before = table_counts()
    refused = judge.post(save_url(judge2, zhou), {"design": "18"})
    assert refused.status_code == 400 and refused.json()["message"] == "现在不是评分时间。"
    page = _text(judge.post(sheet_url(judge2, zhou), {"action": "save", "design": "18"}))
    assert "现在不是评分时间。" in page
    assert changed_tables(before, table_counts()) == {}


def test_the_chief_judge_amends_a_submitted_score_with_the_reason(client, w, clock):
    through(w, clock, "scored")
    competition, zhou = w.competition, w.entries["zhou"]
    url = reverse("competitions:amend", args=[competition.pk])
    # only the chief judge opens it
    assert _as(client, w.users["judge2"]).get(url).status_code == 404
    assert _as(client, w.office).get(url).status_code == 404
    chief = _as(client, w.users["judge1"])
    page = _text(chief.get(url))
    assert _between(page, "sheets").count("<tr>") == 14  # the heading and the 13 submitted sheets
    sheet = ScoreSheet.objects.get(judge=w.judges["judge2"], entry=zhou)
    design = w.parts["design"]
    before = table_counts()
    for data, message in (
        ({"score": "18", "reason": "核对"}, "分数没有变化。"),
        ({"score": "21", "reason": "核对"}, "“教学设计”的分数须在 0 到 20 之间。"),
        ({"score": "16.5", "reason": ""}, "该字段是必填项。"),
    ):
        page = _text(chief.post(url, {"sheet": sheet.pk, "part": design.pk, **data}))
        assert message in page, data
    assert changed_tables(before, table_counts()) == {}
    response = chief.post(
        url, {"sheet": sheet.pk, "part": design.pk, "score": "16.5", "reason": "录入错误，按纸质评分表更正"}
    )
    assert response.status_code == 302
    amendment = ScoreAmendment.objects.get()
    assert (str(amendment.before), str(amendment.after), amendment.reason) == (
        "18.00",
        "16.50",
        "录入错误，按纸质评分表更正",
    )
    assert _scores(w.judges["judge2"], zhou)["design"] == "16.50"
    page = _text(chief.get(url))
    assert "已将周四“教学设计”的分数由 18 改为 16.5。" in page
    assert _rows(page, "amendment")[0].startswith(
        "周四 · judge2 · 教学设计：18 → 16.5 理由：录入错误，按纸质评分表更正（judge1，"
    )


# --- the contestant's own page --------------------------------------------------------------------


def test_before_the_release_no_score_is_shown(client, w, clock):
    through(w, clock, "publicity")
    page = _text(_as(client, w.users["zhou"]).get(reverse("competitions:mine")))
    assert _rows(page, "awards-publicity") == ["获奖名单公示中，拟获： 人文科学类A组二等奖"]
    assert _rows(page, "scores-later") == ["公示期至 2021年3月30日；结果发布后可在这里查看您本人的各项得分和获奖证书。"]
    assert 'data-testid="raw"' not in page and "91.17" not in page and 'data-testid="certificates"' not in page


def test_after_the_release_the_contestant_reads_their_own_scores(client, w, clock):
    through(w, clock, "released")
    page = _text(_as(client, w.users["zhou"]).get(reverse("competitions:mine")))
    assert _rows(page, "final") == ["91.17"] and _rows(page, "rank") == ["第 2 名（共 3 人）"]
    assert _rows(page, "awards") == ["人文科学类A组二等奖"]
    assert _rows(page, "part-row") == [
        "教学设计 满分 20 · 权重 20 17.50 17.50",
        "课堂教学 满分 75 · 权重 75 69.33 69.33",
        "教学反思 满分 5 · 权重 5 4.33 4.33",
    ]
    # five judges, anonymised in the order they scored; the dropped highest and lowest struck out
    assert _rows(page, "judge-row") == [
        "评委1 17 69 4 （已去掉）",
        "评委2 18 70 4.5",
        "评委3 16 （已去掉） 67 （已去掉） 4",
        "评委4 17.5 69 4.5",
        "评委5 20 （已去掉） 75 （已去掉） 5 （已去掉）",
    ]
    assert page.count('data-testid="dropped"') == 6
    for name in ("judge1", "judge2", "陈静"):
        assert name not in page
    # only their own: nobody else's final score
    assert "92.88" not in page and "83.75" not in page
    assert _rows(page, "certificate") == [
        "人文科学类A组二等奖 第三届青年教师教学基本功比赛 · 证书编号 QJS-2021-U03-0002 下载证书"
    ]


def test_a_coach_sees_the_entries_they_coached_and_no_scores(client, w, clock):
    through(w, clock, "released")
    page = _text(_as(client, w.users["coach"]).get(reverse("competitions:mine")))
    assert _rows(page, "coached-entry") == [
        "赵一 第三届青年教师教学基本功比赛 · 人文科学类A组 · 人文科学类A组一等奖、最佳教案奖、最佳现场展示奖 获奖"
    ]
    assert 'data-testid="raw"' not in page and "92.88" not in page and 'data-testid="my-entry"' not in page


def test_someone_who_never_entered_gets_the_empty_page(client, w, clock):
    through(w, clock, "released")
    page = _text(_as(client, w.users["member"]).get(reverse("competitions:mine")))
    assert "您还没有参加过青年教师教学基本功比赛。" in page
    assert 'data-testid="my-entry"' not in page and 'data-testid="certificate"' not in page


# --- certificates ---------------------------------------------------------------------------------


def _certificate(w, name):
    return Certificate.objects.get(award__entry=w.entries[name], award__kind="rank")


def test_the_certificate_pdf_is_the_winners_and_logged(client, w, clock):
    through(w, clock, "released")
    certificate = _certificate(w, "zhao")
    url = reverse("competitions:certificate_pdf", args=[certificate.pk])
    response = _as(client, w.users["zhao"]).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response["Content-Disposition"] == "attachment; filename*=UTF-8''QJS-2021-U03-0001.pdf"
    event = AuditEvent.objects.filter(action=AuditAction.EXPORTED).get()
    assert (event.message, event.object_id) == ("下载获奖证书 QJS-2021-U03-0001", str(certificate.pk))
    # another contestant, the member: no such certificate for them
    before = table_counts()
    assert _as(client, w.users["zhou"]).get(url).status_code == 404
    assert _as(client, w.users["member"]).get(url).status_code == 404
    assert changed_tables(before, table_counts()) == {}
    # the coach's officer's college: econ's officer has zhao's, not zhou's
    officer = _as(client, w.users["sub_union_officer"])
    assert officer.get(url).status_code == 200
    other = reverse("competitions:certificate_pdf", args=[_certificate(w, "zhou").pk])
    assert officer.get(other).status_code == 404


@pytest.mark.parametrize("site", ["https://gonghui.example.edu.cn/", ""])
def test_the_certificate_says_what_it_certifies_with_its_qr_code(rf, w, clock, settings, site):
    from gonghui.competitions.views.certificates import certificate_html

    settings.SITE_URL = site
    through(w, clock, "released")
    certificate = _certificate(w, "zhao")
    html = certificate_html(rf.get("/"), certificate)
    base = site.rstrip("/") if site else "http://testserver"
    url = f"{base}/competitions/verify/{certificate.token}/"
    assert url in html
    assert segno.make(url, error="m").svg_data_uri(scale=4, border=2) in html
    text = re.sub(r"\s+", "", re.sub(r"<[^>]+>", "", html[html.index("<body>") :]))
    assert text.startswith(
        "荣誉证书赵一：在第三届青年教师教学基本功比赛中荣获人文科学类A组一等奖。特发此证，以资鼓励。"
    )
    assert "示范大学工会2021年4月20日" in text and "证书编号：QJS-2021-U03-0001" in text


def test_the_public_verification_page(client, w, clock):
    through(w, clock, "released")
    certificate = _certificate(w, "zhao")
    response = client.get(reverse("competitions:verify", args=[certificate.token]))  # signed out
    assert response.status_code == 200
    page = _text(response)
    assert _rows(page, "facts") == [
        "证书编号 QJS-2021-U03-0001 获奖者 赵一 奖项 人文科学类A组一等奖 比赛 第三届青年教师教学基本功比赛 颁发日期 2021年4月20日"
    ]
    assert "证书有效" in page and "此证书由示范大学工会颁发" in page
    for personal in ("E1001", "经济学院", "92.88", "郑师", "微观经济学"):
        assert personal not in page
    missing = client.get(reverse("competitions:verify", args=["no-such-token"]))
    assert missing.status_code == 404 and "未找到这张证书" in _text(missing)
    # the serial is not the token: no walking the serials
    assert client.get(reverse("competitions:verify", args=[certificate.serial])).status_code == 404


# --- the workbench --------------------------------------------------------------------------------


def _cards(user) -> list[tuple]:
    return [(c.title, c.lines, c.url, c.badge) for c in competitions_cards(user)]


def test_a_contestants_card_names_the_missing_materials(w, clock):
    through(w, clock, "nominated")
    assert _cards(w.users["zhao"]) == [
        (
            "第三届青年教师教学基本功比赛",
            ("参赛材料03-25 18:00截止，尚缺：教案 1、教案 2、教案 3、教案 4、教案 5、课件",),
            entry_url(w.entries["zhao"]),
            1,
        )
    ]
    assert _cards(w.users["member"]) == []


def test_a_contestants_card_says_the_results_are_out_for_a_month(w, clock):
    through(w, clock, "released")
    assert _cards(w.users["zhao"]) == [
        (
            "第三届青年教师教学基本功比赛",
            ("比赛结果已发布：可查看本人成绩和获奖证书。",),
            reverse("competitions:mine"),
            0,
        )
    ]
    clock.move_to(aware(datetime.datetime(2021, 5, 21, 9, 0)))
    assert _cards(w.users["zhao"]) == []


def test_a_judges_card_counts_the_sheets_left(w, clock):
    through(w, clock, "scoring")
    queue = reverse("competitions:judge_queue", args=[w.judges["judge2"].pk])
    title = "第三届青年教师教学基本功比赛 · 人文科学类A组"
    assert _cards(w.users["judge2"]) == [(title, ("待评分 3 人，已提交 0 人",), queue, 3)]
    chen = reverse("competitions:judge_queue", args=[w.judges["chen"].pk])
    assert _cards(w.users["sub_union_officer"]) == [(title, ("待评分 1 人，已提交 0 人",), chen, 1)]


def test_the_offices_todos(w, clock):
    def counts():
        return {q.key: q.count for q in competitions_todos(w.office)}

    assert competitions_todos(w.users["sub_union_officer"]) == []
    assert competitions_todos(w.users["auditor"]) == []
    assert counts() == {
        "competitions.nominations_due": 0,
        "competitions.scoring_complete": 0,
        "competitions.publicity_over": 0,
    }
    _open(w)
    clock.move_to(aware(datetime.datetime(2021, 3, 20, 18, 1)))
    assert counts()["competitions.nominations_due"] == 1


def test_the_offices_todos_after_the_scoring(w, clock):
    through(w, clock, "scored")
    queues = {q.key: q for q in competitions_todos(w.office)}
    assert queues["competitions.scoring_complete"].count == 1
    assert queues["competitions.scoring_complete"].url == reverse("competitions:detail", args=[w.competition.pk])
    # one sheet taken back to a draft: not complete any more
    ScoreSheet.objects.filter(judge=w.judges["judge2"], entry=w.entries["zhou"]).update(status=SheetStatus.DRAFT)
    assert {q.key: q.count for q in competitions_todos(w.office)}["competitions.scoring_complete"] == 0


def test_the_offices_todo_when_the_publicity_is_over(w, clock):
    through(w, clock, "publicity")
    assert {q.key: q.count for q in competitions_todos(w.office)}["competitions.publicity_over"] == 0
    clock.move_to(aware(datetime.datetime(2021, 4, 2, 9, 0)))
    assert {q.key: q.count for q in competitions_todos(w.office)}["competitions.publicity_over"] == 1


def test_the_judge_home_of_someone_on_no_panel(client, w):
    page = _text(_as(client, w.users["member"]).get(reverse("competitions:judge_home")))
    assert "您目前不是任何比赛的评委。" in page


def test_the_sheet_save_answers_json_for_the_script(client, w, clock):
    """The answer the script reads: the saved scores (as typed) and the time."""
    through(w, clock, "scoring")
    judge2, zhou = w.judges["judge2"], w.entries["zhou"]
    answer = json.loads(_text(_as(client, w.users["judge2"]).post(save_url(judge2, zhou), {"reflection": "4.50"})))
    assert set(answer) == {"status", "saved", "saved_at"} and answer["saved"] == {"reflection": "4.5"}
    assert re.fullmatch(r"\d\d:\d\d:\d\d", answer["saved_at"])


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_lists_make_the_same_number_of_queries_with_more_rows(client, w, clock):
    through(w, clock, "nominated")
    office = _as(client, w.office)
    nominate = f"{nominate_url(w)}?college={w.u.econ.pk}"
    mine = reverse("competitions:mine")
    office.get(nominate)  # warm up (sessions, content types)
    few = _queries(office, nominate)
    coach = _as(client, w.users["coach"])
    few_mine = _queries(coach, mine)
    for n in range(6):
        person = person_make(
            staff_no=f"E20{n:02d}", name=f"青年{n}", birth_date=datetime.date(1990, 1, 1), sub_union=w.u.econ
        )
        if n < 2:  # two more entries, one more coached by 郑师
            Entry.objects.create(
                competition=w.competition,
                person=person,
                college=w.u.econ,
                group=w.groups["science-a"],
                coach=w.people["coach"] if n == 0 else None,
                nominated_by=w.office,
            )
    assert _queries(_as(client, w.office), nominate) == few
    assert _queries(_as(client, w.users["coach"]), mine) == few_mine
