"""The competition office's pages, through the test client: who gets each page (200 / 403 /
404), what it shows (exactly), and that a refused POST shows the service's message and writes
nothing."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gonghui.competitions.choices import AwardKind, CompetitionStatus, EntryStatus, Level
from gonghui.competitions.models import Award, Competition, CompetitionRules, Entry, Judge
from gonghui.competitions.services import competitions as competition_services
from gonghui.competitions.services.judging import sheet_amend
from gonghui.competitions.tests.factories import RULES_TEXT, beijing_edition, refresh, through
from gonghui.competitions.tests.office_helpers import beijing_recommended, preparing
from gonghui.core.models import AuditAction, AuditEvent
from tests.tables import changed_tables, table_counts


def _as(client, user):
    client.force_login(user)
    return client


def _text(response) -> str:
    return response.content.decode()


def _status(w) -> str:
    return refresh(w).status


def _rules_post(**changes) -> dict:
    data = {
        "level": "university",
        "year": "2023",
        "name": "2023年青年教师教学基本功比赛方案",
        "born_on_or_after": "1983-01-01",
        "member_required": "on",
        "eligible_posts": ["full_time"],
        "past_winner_rule": "any_prize",
        "quota_per": "20",
        "quota_bonus": "1",
        "lesson_plans_required": "4",
        "lesson_minutes": "45",
        "trim_highest": "1",
        "trim_lowest": "1",
        "trim_min_scores": "5",
        "places": "2",
        "rounding": "half_up",
        "tie_break": "classroom, design",
        "judges_per_group": "7",
        "groups": RULES_TEXT.groups,
        "parts": RULES_TEXT.parts,
        "prizes": "first 一等奖 20%\nsecond 二等奖 30%\nthird 三等奖 50%",
        "specials": RULES_TEXT.specials,
        "adopted_on": "2023-01-10",
        "resolution": "校工会〔2023〕2号",
    }
    data.update(changes)
    return data


def _edition_post(**changes) -> dict:
    data = {
        "level": "university",
        "number": "4",
        "year": "2021",
        "title": "2021年青年教师教学基本功比赛（补赛）",
        "organiser": "校工会",
        "college": "",
        "nominations_close": "2021-05-10T18:00",
        "materials_due": "2021-05-20T18:00",
        "held_on": "2021-06-01",
        "publicity_days": "7",
        "entered": "on",
        "participants_recorded": "",
        "feeds_into": "",
        "note": "",
    }
    data.update(changes)
    return data


# --- the list ---------------------------------------------------------------------------------


def test_the_office_lists_the_editions_by_level_and_year_with_its_buttons(client, w):
    beijing_edition(w)
    Competition.objects.create(
        level=Level.BEIJING, year=2019, number=11, title="第十一届北京高校青年教师教学基本功比赛", entered=False
    )
    response = _as(client, w.office).get(reverse("competitions:list"))
    assert response.status_code == 200
    page = _text(response)
    assert page.count('data-testid="edition"') == 3
    assert page.index('data-testid="level-university"') < page.index('data-testid="level-beijing"')
    assert 'data-testid="new-edition"' in page and 'data-testid="rules-link"' in page
    university = page[page.index('data-testid="level-university"') : page.index('data-testid="level-beijing"')]
    assert "第三届青年教师教学基本功比赛" in university and "第 3 届" in university
    assert 'data-testid="entry-count">0 人<' in university
    beijing = page[page.index('data-testid="level-beijing"') :]
    assert beijing.index("2021年") < beijing.index("2019年")
    assert 'data-testid="entered">未参赛<' in beijing
    filtered = _text(client.get(reverse("competitions:list"), {"level": "beijing"}))
    assert filtered.count('data-testid="edition"') == 2
    assert _text(client.get(reverse("competitions:list"), {"status": "nominating"})).count('data-testid="edition"') == 0
    partial = _text(client.get(reverse("competitions:list"), {"level": "university"}, HTTP_HX_REQUEST="true"))
    assert "<html" not in partial and partial.count('data-testid="edition"') == 1


def test_the_list_counts_entries_and_asks_the_database_the_same_for_more_editions(client, w, clock):
    through(w, clock, "nominated")
    client = _as(client, w.office)
    with CaptureQueriesContext(connection) as few:
        page = _text(client.get(reverse("competitions:list")))
    assert 'data-testid="entry-count">3 人<' in page
    for number in range(1, 8):
        Competition.objects.create(level=Level.BEIJING, year=2000 + 2 * number, number=number, title=f"第{number}届")
    with CaptureQueriesContext(connection) as many:
        page = _text(client.get(reverse("competitions:list")))
    assert page.count('data-testid="edition"') == 8
    assert len(many) == len(few)
    with CaptureQueriesContext(connection) as measured:
        client.get(reverse("competitions:list"))
    assert len(measured) <= 12


def test_a_college_officer_sees_announced_editions_only_and_no_office_button(client, w):
    officer = w.users["sub_union_officer"]
    page = _text(_as(client, officer).get(reverse("competitions:list")))
    assert page.count('data-testid="edition"') == 0 and 'data-testid="empty-state"' in page
    assert 'data-testid="new-edition"' not in page and 'data-testid="rules-link"' in page
    competition_services.competition_step(actor=w.office, competition=w.competition, step="open_nominations")
    assert _text(client.get(reverse("competitions:list"))).count('data-testid="edition"') == 1


@pytest.mark.parametrize("role", ["member", "welfare_committee"])
def test_the_list_is_not_for_members(client, w, role):
    assert _as(client, w.users[role]).get(reverse("competitions:list")).status_code == 403
    client.logout()
    response = client.get(reverse("competitions:list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- the rules --------------------------------------------------------------------------------


def test_the_rules_page_shows_the_rules_in_words_and_the_office_a_form_filled_from_them(client, w):
    response = _as(client, w.office).get(reverse("competitions:rules"), {"level": "university", "year": "2021"})
    assert response.status_code == 200
    page = _text(response)
    assert page.count('data-testid="rules-in-force"') == 1
    assert (
        'data-testid="rules-eligibility">1981年1月1日 及以后出生；在会的工会会员；岗位：专任教师、实验教学人员；'
        "已获同级比赛一等奖者不再参赛<" in page
    )
    assert 'data-testid="rules-quota">每单位名额 = 本单位青年教师人数 ÷ 3（取整）+ 1<' in page
    assert "须交教案 5 份（每份 50 分钟）及课件；赛前抽签决定讲授其中哪一份。" in page
    assert (
        'data-testid="rules-trim">每个评分项目有 5 个及以上评分时，去掉 1 个最高分和 1 个最低分后取平均；'
        "少于 5 个时取全部评分的平均。<" in page
    )
    assert "总分保留 2 位小数（四舍五入），只在最后舍入一次。" in page
    assert 'data-testid="rules-tie-break">总分相同时，依次比较课堂教学、教学设计的得分；仍相同则名次并列。<' in page
    assert 'data-testid="rules-groups">人文科学类A组、自然科学类A组<' in page
    assert page.count('data-testid="rules-part"') == 3
    assert (
        '<td>课堂教学 <code>classroom</code></td><td>75</td><td>75</td><td class="wrap">讲授准确清晰，组织有序</td>'
        in page
    )
    assert "<li>一等奖：每组 1 名</li>" in page
    assert "<li>最佳教案奖（单项奖）：各组“教学设计”平均分最高者（同分均获奖）</li>" in page
    assert "<li>优秀指导教师奖（指导教师奖）：授予参赛教师的指导教师，由比赛办公室评定</li>" in page
    assert "<li>优秀组织奖（组织奖）：授予单位，由比赛办公室评定</li>" in page
    form = response.context["form"]
    assert (form.initial["groups"], form.initial["parts"], form.initial["prizes"], form.initial["specials"]) == (
        RULES_TEXT.groups,
        RULES_TEXT.parts,
        RULES_TEXT.prizes,
        RULES_TEXT.specials,
    )
    assert form.initial["name"] == "2021年青年教师教学基本功比赛方案"
    assert (form.initial["quota_per"], form.initial["tie_break"]) == (3, "classroom design")
    assert 'data-testid="rules-form"' in page


def test_a_year_without_rules_starts_from_the_level_s_latest_rules(client, w):
    response = _as(client, w.office).get(reverse("competitions:rules"), {"level": "university", "year": "2023"})
    form = response.context["form"]
    assert form.initial["year"] == 2023
    assert form.initial["name"] == "2023年校级青年教师教学基本功比赛方案"
    assert form.initial["born_on_or_after"] == datetime.date(1983, 1, 1)
    assert form.initial["quota_per"] == 3 and form.initial["groups"] == RULES_TEXT.groups


@pytest.mark.parametrize("role", ["sub_union_officer", "auditor"])
def test_readers_of_the_rules_get_no_form_and_may_not_adopt(client, w, role):
    response = _as(client, w.users[role]).get(reverse("competitions:rules"))
    assert response.status_code == 200
    assert 'data-testid="rules-form"' not in _text(response)
    assert client.post(reverse("competitions:rules_adopt"), _rules_post()).status_code == 403
    assert CompetitionRules.objects.count() == 1


def test_the_rules_are_not_for_members(client, w):
    assert _as(client, w.users["member"]).get(reverse("competitions:rules")).status_code == 403
    assert client.post(reverse("competitions:rules_adopt"), _rules_post()).status_code == 403
    assert CompetitionRules.objects.count() == 1


def test_adopting_rules_from_the_form(client, w):
    response = _as(client, w.office).post(reverse("competitions:rules_adopt"), _rules_post())
    edition = CompetitionRules.objects.get(year=2023)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('competitions:rules')}#edition-{edition.pk}"
    assert edition.status == "adopted" and edition.resolution == "校工会〔2023〕2号"
    assert (edition.level, edition.born_on_or_after, edition.eligible_posts, edition.past_winner_rule) == (
        "university",
        datetime.date(1983, 1, 1),
        ["full_time"],
        "any_prize",
    )
    assert (edition.quota_per, edition.quota_bonus, edition.lesson_plans_required, edition.lesson_minutes) == (
        20,
        1,
        4,
        45,
    )
    assert edition.tie_break == ["classroom", "design"]
    assert list(edition.prizes.values_list("label", "count", "share")) == [
        ("一等奖", None, 20),
        ("二等奖", None, 30),
        ("三等奖", None, 50),
    ]
    assert list(edition.parts.values_list("code", "weight", "full_marks")) == [
        ("design", 20, 20),
        ("classroom", 75, 75),
        ("reflection", 5, 5),
    ]
    page = _text(client.get(reverse("competitions:rules")))
    assert page.count('data-testid="rules-in-force"') == 2
    assert "<li>一等奖：每组参赛人数的 20%（四舍五入）</li>" in page
    assert w.rules.status == CompetitionRules.objects.get(pk=w.rules.pk).status == "adopted"


def test_new_rules_for_the_same_level_and_year_supersede_the_ones_in_force(client, w):
    response = _as(client, w.office).post(reverse("competitions:rules_adopt"), _rules_post(year="2021"))
    assert response.status_code == 302, response.context["form"].errors
    statuses = CompetitionRules.objects.filter(level="university", year=2021).order_by("id")
    assert list(statuses.values_list("status", flat=True)) == ["superseded", "adopted"]
    page = _text(client.get(reverse("competitions:rules")))
    assert 'data-testid="rules-past"' in page and "以往方案（1）" in page
    # the edition under way keeps its rules
    assert refresh(w).rules_id == w.rules.pk


def test_a_line_the_form_cannot_read_is_refused_with_its_number_and_nothing_is_written(client, w):
    before = table_counts()
    response = _as(client, w.office).post(
        reverse("competitions:rules_adopt"), _rules_post(prizes="first 一等奖 20%\n二等奖")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["prizes"] == ["第 2 行“二等奖”看不懂，应写成：first 一等奖 20%"]
    assert changed_tables(before, table_counts()) == {}


def test_rules_whose_weights_do_not_add_up_are_refused_and_nothing_is_written(client, w):
    parts = "design 教学设计 20 20\nclassroom 课堂教学 70 75\nreflection 教学反思 5 5"
    before = table_counts()
    response = _as(client, w.office).post(reverse("competitions:rules_adopt"), _rules_post(parts=parts))
    assert response.status_code == 200
    assert "评分项目的权重合计须为 100。" in _text(response)
    assert changed_tables(before, table_counts()) == {}


# --- a new edition ----------------------------------------------------------------------------


def test_the_office_creates_an_edition_under_the_level_s_rules(client, w):
    page = _text(_as(client, w.office).get(reverse("competitions:create")))
    assert 'data-testid="rules-for-year"' in page and "按2021年比赛方案：2021年青年教师教学基本功比赛方案。" in page
    response = client.post(reverse("competitions:create"), _edition_post())
    created = Competition.objects.get(number=4)
    assert response.status_code == 302 and response["Location"] == reverse("competitions:detail", args=[created.pk])
    assert (created.level, created.year, created.rules_id, created.publicity_days, created.status) == (
        "university",
        2021,
        w.rules.pk,
        7,
        "draft",
    )
    assert created.held_on == datetime.date(2021, 6, 1)
    assert AuditEvent.objects.filter(object_id=str(created.pk), action=AuditAction.CREATED).count() == 1


def test_a_beijing_edition_older_than_the_system_keeps_its_participants(client, w):
    response = _as(client, w.office).post(
        reverse("competitions:create"),
        _edition_post(
            level="beijing",
            number="8",
            year="2013",
            title="第八届北京高校青年教师教学基本功比赛",
            participants_recorded="52",
            nominations_close="",
            materials_due="",
        ),
    )
    assert response.status_code == 302
    edition = Competition.objects.get(level="beijing", number=8)
    assert (edition.rules_id, edition.entered, edition.participants_recorded) == (None, True, 52)
    page = _text(client.get(reverse("competitions:detail", args=[edition.pk])))
    assert 'data-testid="entered">是，52 人（档案记载）<' in page
    assert 'data-testid="step-record"' in page and 'data-testid="step-open_nominations"' not in page


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"level": "college", "number": "1"}, "2021年院级比赛方案尚未通过：请先通过比赛方案。"),
        ({"number": "3"}, "这一级别已有第 3 届比赛。"),
        ({"materials_due": "2021-05-01T18:00"}, "材料截止时间不能早于推荐截止时间。"),
    ],
)
def test_a_refused_edition_shows_why_and_writes_nothing(client, w, changes, message):
    before = table_counts()
    response = _as(client, w.office).post(reverse("competitions:create"), _edition_post(**changes))
    assert response.status_code == 200
    assert message in _text(response)
    assert changed_tables(before, table_counts()) == {}


@pytest.mark.parametrize("role", ["sub_union_officer", "auditor", "member"])
def test_only_the_office_creates_editions(client, w, role):
    assert _as(client, w.users[role]).get(reverse("competitions:create")).status_code == 403
    assert client.post(reverse("competitions:create"), _edition_post()).status_code == 403
    assert Competition.objects.count() == 1


# --- an edition's page ------------------------------------------------------------------------


def test_the_office_s_page_of_a_draft_edition(client, w):
    response = _as(client, w.office).get(reverse("competitions:detail", args=[w.competition.pk]))
    assert response.status_code == 200
    page = _text(response)
    assert 'data-testid="step-bar"' in page
    assert 'data-testid="step-open_nominations"' in page
    assert 'data-testid="nominations-close">2021年3月20日 18:00<' in page
    assert 'data-testid="materials-due">2021年3月25日 18:00<' in page
    assert 'data-testid="held-on">2021年4月10日<' in page
    assert 'data-testid="publicity">5 天<' in page
    assert 'data-testid="edition-parts">教学设计 20 / 课堂教学 75 / 教学反思 5<' in page
    seats = [(s.college.name, s.young_teachers, s.seats, s.used, s.left) for s in response.context["seats"]]
    assert seats == [("法学院分工会", 2, 1, 0, 1), ("经济学院分工会", 4, 2, 0, 2)]
    assert page.count('data-testid="seat-row"') == 2
    assert page.count('data-testid="group-without-judges"') == 2
    assert 'data-testid="judge-add"' in page and 'data-testid="history-link"' in page
    assert 'data-testid="results-link"' not in page and 'data-testid="draw"' not in page


def test_an_edition_s_entries_as_the_draw_and_the_scores_left_them(client, w, clock):
    through(w, clock, "released")
    page = _text(_as(client, w.office).get(reverse("competitions:detail", args=[w.competition.pk])))
    assert page.count('data-testid="entry-row"') == 3
    assert page.count('data-testid="entry-materials">齐全<') == 3
    assert 'data-testid="entry-score">92.88<' in page
    assert 'data-testid="entry-awards">人文科学类A组一等奖、最佳教案奖、最佳现场展示奖<' in page
    assert 'data-testid="notice-link"' in page and 'data-testid="results-link"' in page


def test_a_college_officer_reads_an_announced_edition_with_their_college_s_seats_and_entries(client, w, clock):
    officer = w.users["sub_union_officer"]
    assert _as(client, officer).get(reverse("competitions:detail", args=[w.competition.pk])).status_code == 404
    through(w, clock, "nominated")
    response = client.get(reverse("competitions:detail", args=[w.competition.pk]))
    assert response.status_code == 200
    page = _text(response)
    assert [(s.college.name, s.used, s.left) for s in response.context["seats"]] == [("经济学院分工会", 2, 0)]
    assert page.count('data-testid="entry-row"') == 2 and "周四" not in page
    assert 'data-testid="nominate-link"' in page
    assert reverse("competitions:entry", args=[w.entries["zhao"].pk]) in page
    for testid in ("edition-steps", "judges", "history-link", "judge-add", "link"):
        assert f'data-testid="{testid}"' not in page


def test_an_auditor_reads_the_whole_edition_and_takes_no_step(client, w, clock):
    through(w, clock, "drawn")
    page = _text(_as(client, w.users["auditor"]).get(reverse("competitions:detail", args=[w.competition.pk])))
    assert page.count('data-testid="entry-row"') == 3 and page.count('data-testid="judge"') == 5
    for testid in ("edition-steps", "judge-remove", "judge-add", "link", "nominate-link"):
        assert f'data-testid="{testid}"' not in page
    assert 'data-testid="history-link"' in page


@pytest.mark.parametrize("role", ["member", "welfare_committee"])
def test_an_edition_s_page_is_not_for_members(client, w, clock, role):
    through(w, clock, "nominated")
    assert _as(client, w.users[role]).get(reverse("competitions:detail", args=[w.competition.pk])).status_code == 403


# --- steps ------------------------------------------------------------------------------------


def test_the_office_opens_the_nominations(client, w):
    response = _as(client, w.office).post(
        reverse("competitions:step", args=[w.competition.pk, "open_nominations"]), follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("competitions:detail", args=[w.competition.pk])
    assert "推荐报名已开始，各学院分工会可以推荐参赛教师。" in _text(response)
    assert _status(w) == CompetitionStatus.NOMINATING
    assert w.competition.events.filter(step="open_nominations").count() == 1


def test_a_guard_s_refusal_is_shown_and_nothing_changes(client, w, clock):
    through(w, clock, "publicity")
    page = _text(_as(client, w.office).get(reverse("competitions:detail", args=[w.competition.pk])))
    assert 'data-testid="step-blocked-release">暂不能“发布结果”：公示期至 2021-03-30，期满后才能发布结果。<' in page
    before = table_counts()
    response = client.post(reverse("competitions:step", args=[w.competition.pk, "release"]), follow=True)
    assert "公示期至 2021-03-30，期满后才能发布结果。" in _text(response)
    assert changed_tables(before, table_counts()) == {}
    assert _status(w) == CompetitionStatus.PUBLICITY


def test_closing_the_scoring_with_sheets_missing_is_refused(client, w, clock):
    through(w, clock, "scoring")
    before = table_counts()
    response = _as(client, w.office).post(
        reverse("competitions:step", args=[w.competition.pk, "close_scoring"]), follow=True
    )
    assert "还有 13 张评分表未提交（judge1 → " in _text(response)
    assert changed_tables(before, table_counts()) == {}


def test_the_office_closes_the_scoring_publishes_and_releases(client, w, clock):
    through(w, clock, "scored")
    client = _as(client, w.office)
    client.post(reverse("competitions:step", args=[w.competition.pk, "close_scoring"]))
    assert _status(w) == CompetitionStatus.SCORED
    assert dict(Entry.objects.values_list("person__name", "final_score")) == {
        "赵一": Decimal("92.880"),
        "钱二": Decimal("83.750"),
        "周四": Decimal("91.170"),
    }
    client.post(reverse("competitions:step", args=[w.competition.pk, "publish"]))
    assert _status(w) == CompetitionStatus.PUBLICITY
    assert Award.objects.filter(competition=w.competition).count() == 5
    clock.move_to(datetime.datetime(2021, 4, 20, 9, 0, tzinfo=datetime.UTC))
    client.force_login(w.office)
    response = client.post(reverse("competitions:step", args=[w.competition.pk, "release"]), follow=True)
    assert "结果已发布，证书已颁发。" in _text(response)
    assert _status(w) == CompetitionStatus.RELEASED


@pytest.mark.parametrize("role", ["auditor", "sub_union_officer", "member"])
def test_a_step_is_not_there_for_anyone_but_the_office(client, w, clock, role):
    through(w, clock, "uploaded")
    before = table_counts()
    response = _as(client, w.users[role]).post(
        reverse("competitions:step", args=[w.competition.pk, "close_nominations"])
    )
    assert response.status_code == 404
    assert changed_tables(before, table_counts()) == {}


def test_the_draw_is_its_own_form_not_a_step(client, w, clock):
    through(w, clock, "uploaded")
    preparing(w, clock)
    assert _as(client, w.office).post(reverse("competitions:step", args=[w.competition.pk, "draw"])).status_code == 404
    assert (
        _as(client, w.office).post(reverse("competitions:step", args=[w.competition.pk, "nonsense"])).status_code == 404
    )


# --- the draw ---------------------------------------------------------------------------------


def test_the_office_draws_with_an_announced_seed_and_everyone_can_check_it(client, w, clock):
    through(w, clock, "uploaded")
    preparing(w, clock)
    client = _as(client, w.office)
    page = _text(client.get(reverse("competitions:detail", args=[w.competition.pk])))
    assert 'data-testid="step-draw"' in page
    response = client.post(reverse("competitions:draw", args=[w.competition.pk]), {"seed": "qjs-2021_A"}, follow=True)
    page = _text(response)
    assert "抽签完成。抽签种子：qjs-2021_A（已公布在本页，任何人都可以据此重新抽签核对）。" in page
    competition = refresh(w)
    assert (competition.status, competition.seed) == (CompetitionStatus.DRAWN, "qjs-2021_A")
    assert sorted(Entry.objects.values_list("appearance", flat=True)) == [1, 2, 3]
    assert 'data-testid="draw-seed">qjs-2021_A<' in page
    assert 'data-testid="draw-verified"><span class="text-success">' in page
    assert 'random.Random("种子:组别代码")' in page and "randint(1, 5)" in page
    assert 'rng = random.Random("qjs-2021_A:humanities-a")' in page
    assert "order = [&quot;E1001&quot;, &quot;E1002&quot;, &quot;L1001&quot;]" in page
    # the officer sees the seed, not the other colleges' staff numbers
    officer_page = _text(
        _as(client, w.users["sub_union_officer"]).get(reverse("competitions:detail", args=[w.competition.pk]))
    )
    assert 'data-testid="draw-seed">qjs-2021_A<' in officer_page and 'data-testid="draw-replay"' not in officer_page


def test_a_seed_the_draw_cannot_take_is_refused_and_nothing_is_drawn(client, w, clock):
    through(w, clock, "uploaded")
    preparing(w, clock)
    before = table_counts()
    response = _as(client, w.office).post(
        reverse("competitions:draw", args=[w.competition.pk]), {"seed": "qjs 2021"}, follow=True
    )
    assert "抽签种子只能由字母、数字、“-”和“_”组成，最长 64 位。" in _text(response)
    assert changed_tables(before, table_counts()) == {}
    assert _status(w) == CompetitionStatus.PREPARING


def test_the_draw_before_the_materials_deadline_is_refused(client, w, clock):
    through(w, clock, "uploaded")
    competition_services.competition_step(actor=w.office, competition=w.competition, step="close_nominations")
    before = table_counts()
    response = _as(client, w.office).post(reverse("competitions:draw", args=[w.competition.pk]), {}, follow=True)
    assert "材料截止时间（2021-03-25 18:00）未到，不能抽签。" in _text(response)
    assert changed_tables(before, table_counts()) == {}


@pytest.mark.parametrize("role", ["auditor", "sub_union_officer", "member"])
def test_the_draw_is_the_office_s(client, w, clock, role):
    through(w, clock, "uploaded")
    preparing(w, clock)
    response = _as(client, w.users[role]).post(reverse("competitions:draw", args=[w.competition.pk]), {"seed": "x"})
    assert response.status_code == 404
    assert _status(w) == CompetitionStatus.PREPARING


# --- judges -----------------------------------------------------------------------------------


def test_the_office_adds_and_removes_judges(client, w, clock):
    through(w, clock, "uploaded")
    group = w.groups["humanities-a"]
    client = _as(client, w.office)
    response = client.post(
        reverse("competitions:judge_add", args=[w.competition.pk]),
        {"group": group.pk, "login": "judge1", "is_chief": "on"},
        follow=True,
    )
    assert "已添加评委：judge1。" in _text(response)
    judge = Judge.objects.get(competition=w.competition)
    assert (judge.group_id, judge.is_chief, judge.college_id) == (group.pk, True, None)
    client.post(reverse("competitions:judge_add", args=[w.competition.pk]), {"group": group.pk, "login": "E0099"})
    chen = Judge.objects.get(competition=w.competition, user=w.users["sub_union_officer"])
    assert (chen.name, chen.college_id) == ("陈静", w.u.econ.pk)
    response = client.post(reverse("competitions:judge_remove", args=[chen.pk]), follow=True)
    assert "已移除评委：陈静。" in _text(response)
    assert list(Judge.objects.filter(competition=w.competition).values_list("name", flat=True)) == ["judge1"]


@pytest.mark.parametrize(
    "data, message",
    [
        ({"login": "nobody"}, "找不到工号或用户名“nobody”。"),
        ({"login": "judge1"}, "judge1已是该组评委。"),
        ({"login": "judge3", "group": ""}, "请选择评委所在的组别。"),
    ],
)
def test_a_refused_judge_shows_why_and_writes_nothing(client, w, clock, data, message):
    through(w, clock, "drawn")
    data = {"group": w.groups["humanities-a"].pk, **data}
    before = table_counts()
    response = _as(client, w.office).post(reverse("competitions:judge_add", args=[w.competition.pk]), data, follow=True)
    assert message in _text(response)
    assert changed_tables(before, table_counts()) == {}


def test_judges_are_fixed_once_the_scoring_opens(client, w, clock):
    through(w, clock, "scoring")
    client = _as(client, w.office)
    page = _text(client.get(reverse("competitions:detail", args=[w.competition.pk])))
    assert 'data-testid="judge-add"' not in page and 'data-testid="judge-remove"' not in page
    before = table_counts()
    response = client.post(reverse("competitions:judge_remove", args=[w.judges["judge2"].pk]), follow=True)
    assert "评分开始后不能再调整评委。" in _text(response)
    response = client.post(
        reverse("competitions:judge_add", args=[w.competition.pk]),
        {"group": w.groups["science-a"].pk, "login": "judge2"},
        follow=True,
    )
    assert "评分开始后不能再调整评委。" in _text(response)
    assert changed_tables(before, table_counts()) == {}


def test_the_judges_panel_names_each_judge_s_conflicts(client, w, clock):
    through(w, clock, "drawn")
    response = _as(client, w.office).get(reverse("competitions:detail", args=[w.competition.pk]))
    page = _text(response)
    econ = sorted((w.entries["zhao"], w.entries["qian"]), key=lambda e: e.appearance)
    why = "评委不能为本单位（经济学院分工会）的参赛教师评分。"
    expected = "；".join(f"{e.person.name}（{why}）" for e in econ)
    assert f'data-testid="judge-conflicts">回避：{expected}<' in page
    assert page.count('data-testid="judge-conflicts"') == 1
    assert page.count('data-testid="judge"') == 5 and page.count('data-testid="judge-remove"') == 5


@pytest.mark.parametrize("role", ["auditor", "sub_union_officer", "member"])
def test_judges_are_the_office_s_to_set(client, w, clock, role):
    through(w, clock, "drawn")
    client = _as(client, w.users[role])
    before = table_counts()
    add = client.post(
        reverse("competitions:judge_add", args=[w.competition.pk]),
        {"group": w.groups["humanities-a"].pk, "login": "judge1"},
    )
    remove = client.post(reverse("competitions:judge_remove", args=[w.judges["judge2"].pk]))
    assert (add.status_code, remove.status_code) == (404, 404)
    assert changed_tables(before, table_counts()) == {}


# --- the next level -----------------------------------------------------------------------------


def test_the_office_links_the_next_level_and_recommends_its_winners(client, w, clock):
    through(w, clock, "released")
    beijing = beijing_edition(w)
    client = _as(client, w.office)
    client.post(reverse("competitions:link", args=[w.competition.pk]), {"feeds_into": ""})
    assert refresh(w).feeds_into_id is None
    response = client.post(
        reverse("competitions:link", args=[w.competition.pk]), {"feeds_into": beijing.pk}, follow=True
    )
    assert "获奖教师将推荐参加：第十二届北京高校青年教师教学基本功比赛。" in _text(response)
    assert refresh(w).feeds_into_id == beijing.pk
    page = _text(client.get(reverse("competitions:detail", args=[w.competition.pk])))
    assert 'data-testid="recommend"' in page
    response = client.post(
        reverse("competitions:recommend", args=[w.competition.pk]),
        {"entries": [w.entries["zhao"].pk, w.entries["zhou"].pk]},
        follow=True,
    )
    assert "已推荐 2 人参加第十二届北京高校青年教师教学基本功比赛。" in _text(response)
    assert sorted(Entry.objects.filter(competition=beijing).values_list("person__name", flat=True)) == ["周四", "赵一"]
    assert Entry.objects.get(pk=w.entries["zhao"].pk).status == EntryStatus.RECOMMENDED


def test_a_link_to_a_lower_level_is_refused(client, w, clock):
    through(w, clock, "released")
    beijing = beijing_edition(w)
    before = table_counts()
    response = _as(client, w.office).post(
        reverse("competitions:link", args=[beijing.pk]), {"feeds_into": w.competition.pk}, follow=True
    )
    assert "推荐至：" in _text(response) and "选择一个有效的选项" in _text(response)
    assert changed_tables(before, table_counts()) == {}


def test_winners_are_recommended_only_once_the_results_are_final(client, w, clock):
    through(w, clock, "publicity")
    beijing_edition(w)
    before = table_counts()
    response = _as(client, w.office).post(
        reverse("competitions:recommend", args=[w.competition.pk]), {"entries": [w.entries["zhao"].pk]}, follow=True
    )
    assert "结果发布后才能推荐参加上一级比赛。" in _text(response)
    assert changed_tables(before, table_counts()) == {}


# --- history ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["union_office", "auditor"])
def test_the_history_for_the_office_and_auditors(client, w, clock, role):
    through(w, clock, "drawn")
    response = _as(client, w.users[role]).get(reverse("competitions:history", args=[w.competition.pk]))
    assert response.status_code == 200
    what = [entry.what for entry in response.context["page"]]
    assert what[0] == "新建比赛：第三届青年教师教学基本功比赛"
    assert what[1:3] == ["推荐报名", "评委：judge1（人文科学类A组）"]
    assert what[-2:] == ["备赛", "已抽签"]
    assert _text(response).count('data-testid="history-entry"') == len(what) == 9


@pytest.mark.parametrize("role", ["sub_union_officer", "member"])
def test_the_history_is_not_there_for_others(client, w, clock, role):
    through(w, clock, "nominated")
    response = _as(client, w.users[role]).get(reverse("competitions:history", args=[w.competition.pk]))
    assert response.status_code == 404


# --- results ----------------------------------------------------------------------------------


def _dropped(page: str) -> list[str]:
    marker = '<del data-testid="dropped">'
    out, at = [], page.find(marker)
    while at >= 0:
        end = page.index("</del>", at)
        out.append(page[at + len(marker) : end])
        at = page.find(marker, end)
    return out


def test_the_results_show_every_judge_s_score_the_dropped_ones_and_the_finals(client, w, clock):
    through(w, clock, "closed")
    response = _as(client, w.office).get(reverse("competitions:results", args=[w.competition.pk]))
    assert response.status_code == 200
    page = _text(response)
    (table,) = response.context["tables"]
    assert [(r.entry.person.name, r.result.rank, r.result.final, r.prize) for r in table.ranked] == [
        ("赵一", 1, Decimal("92.88"), "一等奖"),
        ("周四", 2, Decimal("91.17"), "二等奖"),
        ("钱二", 3, Decimal("83.75"), "三等奖"),
    ]
    assert page.count('data-testid="ranking-row"') == 3
    # 周四 has five scores a part: the highest and the lowest are dropped; the others four: none
    assert _dropped(page) == ["judge3 16.00", "陈静 20.00", "judge3 67.00", "陈静 75.00", "judge1 4.00", "陈静 5.00"]
    zhou = table.ranked[1].scores
    assert [(line.label, line.mean, line.weighted) for line in zhou.parts] == [
        ("教学设计", Decimal("17.50"), Decimal("17.50")),
        ("课堂教学", Decimal("69.33"), Decimal("69.33")),
        ("教学反思", Decimal("4.33"), Decimal("4.33")),
    ]
    zhao = table.ranked[0].scores
    assert [s.judge for s in zhao.parts[0].scores] == ["judge1", "judge2", "judge3", "judge4"]
    assert zhao.parts[0].mean == Decimal("18.13") and zhao.sheets == 4
    assert '<strong data-testid="final">92.88</strong>' in page
    assert 'data-testid="provisional"' not in page
    assert 'data-testid="step-publish"' in page and 'data-testid="award-confer"' in page
    # the single awards of a part's best score are the publicity's to give, not the form's
    assert response.context["confer_form"].fields["code"].choices == [
        ("coach", "优秀指导教师奖"),
        ("organisation", "优秀组织奖"),
    ]


def test_during_the_scoring_the_results_are_provisional(client, w, clock):
    through(w, clock, "scored")
    page = _text(_as(client, w.office).get(reverse("competitions:results", args=[w.competition.pk])))
    assert 'data-testid="provisional"' in page
    assert page.count('data-testid="ranking-row"') == 3 and 'data-testid="award-confer"' not in page


def test_before_the_scoring_there_are_no_results(client, w, clock):
    through(w, clock, "drawn")
    client = _as(client, w.office)
    page = _text(client.get(reverse("competitions:results", args=[w.competition.pk])))
    assert 'data-testid="empty-state"' in page and 'data-testid="results-xlsx"' not in page
    assert client.get(reverse("competitions:results", args=[w.competition.pk]), {"format": "xlsx"}).status_code == 404


def test_the_results_workbook(client, w, clock):
    through(w, clock, "closed")
    response = _as(client, w.office).get(reverse("competitions:results", args=[w.competition.pk]), {"format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:7] == ("组别", "名次", "工号", "姓名", "推荐单位", "参赛课程", "出场顺序")
    assert rows[0][7:11] == ("教学设计评分", "教学设计去掉的评分", "教学设计平均分", "教学设计加权得分")
    assert rows[0][-3:] == ("总分", "名次奖", "说明")
    assert len(rows) == 4
    zhou = rows[2]
    assert zhou[:6] == ("人文科学类A组", 2, "L1001", "周四", "法学院分工会", "民法总论")
    assert zhou[7:11] == (
        "judge1 17.00、judge2 18.00、judge3 16.00、judge4 17.50、陈静 20.00",
        "16.00、20.00",
        17.5,
        17.5,
    )
    assert zhou[-3:] == (91.17, "二等奖", None)
    assert AuditEvent.objects.filter(action=AuditAction.EXPORTED, object_id=str(w.competition.pk)).count() == 1


def test_the_chief_judge_s_amendments_are_listed(client, w, clock):
    through(w, clock, "closed")
    sheet = w.judges["judge2"].sheets.get(entry=w.entries["zhou"])
    sheet_amend(
        actor=w.users["judge1"], sheet=sheet, part=w.parts["design"], score="16.5", reason="录入错误，按纸质评分表更正"
    )
    page = _text(_as(client, w.office).get(reverse("competitions:results", args=[w.competition.pk])))
    assert page.count('data-testid="amendment"') == 1
    assert "judge2对周四的“教学设计”评分：18.00 → 16.50" in page
    assert "理由：录入错误，按纸质评分表更正（judge1，" in page


def test_an_auditor_reads_the_results_without_the_office_s_forms(client, w, clock):
    through(w, clock, "publicity")
    page = _text(_as(client, w.users["auditor"]).get(reverse("competitions:results", args=[w.competition.pk])))
    assert page.count('data-testid="ranking-row"') == 3 and page.count('data-testid="award"') == 5
    assert 'data-testid="award-confer"' not in page and 'data-testid="withdraw-' not in page


@pytest.mark.parametrize("role", ["sub_union_officer", "member"])
def test_the_results_and_sheets_are_not_there_for_others(client, w, clock, role):
    through(w, clock, "closed")
    client = _as(client, w.users[role])
    assert client.get(reverse("competitions:results", args=[w.competition.pk])).status_code == 404
    assert client.get(reverse("competitions:results", args=[w.competition.pk]), {"format": "xlsx"}).status_code == 404
    assert client.get(reverse("competitions:sheets", args=[w.competition.pk])).status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORTED).exists()


def test_the_sheets_progress_names_the_missing_sheets(client, w, clock):
    through(w, clock, "scoring")
    response = _as(client, w.office).get(reverse("competitions:sheets", args=[w.competition.pk]))
    page = _text(response)
    assert "还有 13 张评分表未提交：" in page
    assert (
        page.count('data-testid="sheet-missing"') == 13 and '<li data-testid="sheet-missing">陈静 → 周四</li>' in page
    )
    assert page.count('data-testid="cell-conflict"') == 2 and page.count('data-testid="cell-missing"') == 13
    (group,) = response.context["groups"]
    assert [(p.judge.name, p.submitted, p.owed) for p in group.judges] == [
        ("judge1", 0, 3),
        ("judge2", 0, 3),
        ("judge3", 0, 3),
        ("judge4", 0, 3),
        ("陈静", 0, 1),
    ]


def test_once_every_sheet_is_in_the_progress_says_so(client, w, clock):
    through(w, clock, "scored")
    page = _text(_as(client, w.users["auditor"]).get(reverse("competitions:sheets", args=[w.competition.pk])))
    assert 'data-testid="sheets-complete"' in page and page.count('data-testid="cell-submitted"') == 13


# --- awards -----------------------------------------------------------------------------------


def test_the_office_confers_a_coach_and_an_organisation_award_during_the_publicity(client, w, clock):
    through(w, clock, "publicity")
    client = _as(client, w.office)
    page = _text(client.get(reverse("competitions:results", args=[w.competition.pk])))
    assert page.count('data-testid="award"') == 5
    url = reverse("competitions:award_confer", args=[w.competition.pk])
    response = client.post(url, {"code": "coach", "coach_staff_no": "L0900"}, follow=True)
    assert response.redirect_chain[-1][0] == f"{reverse('competitions:results', args=[w.competition.pk])}#awards"
    assert "已评定：郑师 优秀指导教师奖。" in _text(response)
    response = client.post(url, {"code": "organisation", "college": w.u.econ.pk, "reason": "组织有力"}, follow=True)
    assert "已评定：经济学院分工会 优秀组织奖。" in _text(response)
    assert sorted(
        Award.objects.filter(competition=w.competition, kind__in=[AwardKind.COACH, AwardKind.ORGANISATION]).values_list(
            "recipient", "label", "recorded"
        )
    ) == [("经济学院分工会", "优秀组织奖", False), ("郑师", "优秀指导教师奖", False)]


@pytest.mark.parametrize(
    "data, message",
    [
        ({"code": "coach", "coach_staff_no": "E1002"}, "钱二不是本届参赛教师的指导教师。"),
        ({"code": "coach"}, "请填写指导教师的工号。"),
        ({"code": "organisation"}, "请选择获奖单位。"),
        ({"code": "best-plan"}, "“最佳教案奖”按单项得分最高者评定，公示时已自动评出，不能手工评定。"),
    ],
)
def test_a_refused_award_shows_why_and_writes_nothing(client, w, clock, data, message):
    through(w, clock, "publicity")
    before = table_counts()
    response = _as(client, w.office).post(
        reverse("competitions:award_confer", args=[w.competition.pk]), data, follow=True
    )
    assert message in _text(response)
    assert changed_tables(before, table_counts()) == {}


def test_the_office_withdraws_an_award_with_its_reason(client, w, clock):
    through(w, clock, "publicity")
    award = Award.objects.get(competition=w.competition, code="best-plan")
    client = _as(client, w.office)
    before = table_counts()
    response = client.post(reverse("competitions:award_withdraw", args=[award.pk]), {"reason": ""}, follow=True)
    assert "撤销理由：该字段是必填项。" in _text(response)
    assert changed_tables(before, table_counts()) == {}
    response = client.post(
        reverse("competitions:award_withdraw", args=[award.pk]), {"reason": "异议成立：教案评分有误"}, follow=True
    )
    assert "已撤销：赵一 最佳教案奖。" in _text(response)
    assert not Award.objects.filter(pk=award.pk).exists()
    assert AuditEvent.objects.filter(
        action=AuditAction.DELETED, message="撤销奖项：赵一 最佳教案奖（异议成立：教案评分有误）"
    ).exists()


def test_after_the_release_no_award_is_withdrawn_or_conferred(client, w, clock):
    through(w, clock, "released")
    award = Award.objects.get(competition=w.competition, code="best-plan")
    client = _as(client, w.office)
    before = table_counts()
    response = client.post(
        reverse("competitions:award_withdraw", args=[award.pk]), {"reason": "迟到的异议"}, follow=True
    )
    assert "结果发布后不能再撤销奖项。" in _text(response)
    response = client.post(
        reverse("competitions:award_confer", args=[w.competition.pk]),
        {"code": "coach", "coach_staff_no": "L0900"},
        follow=True,
    )
    assert "评分结束后、结果发布前才能评定奖项。" in _text(response)
    assert changed_tables(before, table_counts()) == {}


@pytest.mark.parametrize("role", ["auditor", "sub_union_officer", "member"])
def test_awards_are_the_office_s(client, w, clock, role):
    through(w, clock, "publicity")
    award = Award.objects.get(competition=w.competition, code="best-plan")
    client = _as(client, w.users[role])
    before = table_counts()
    confer = client.post(
        reverse("competitions:award_confer", args=[w.competition.pk]), {"code": "coach", "coach_staff_no": "L0900"}
    )
    withdraw = client.post(reverse("competitions:award_withdraw", args=[award.pk]), {"reason": "x"})
    assert (confer.status_code, withdraw.status_code) == (404, 404)
    assert changed_tables(before, table_counts()) == {}


# --- the award notice -------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["union_office", "member"])
def test_the_award_notice_during_the_publicity(client, w, clock, role):
    through(w, clock, "publicity")
    response = _as(client, w.users[role]).get(reverse("competitions:notice", args=[w.competition.pk]))
    assert response.status_code == 200
    page = _text(response)
    assert "第三届青年教师教学基本功比赛获奖名单公示" in page
    assert "公示期：2021年3月26日 至 2021年3月30日。" in page
    assert [s.title for s in response.context["sections"]] == ["人文科学类A组", "单项奖"]
    assert [(a.recipient, a.label) for s in response.context["sections"] for a in s.awards] == [
        ("赵一", "人文科学类A组一等奖"),
        ("周四", "人文科学类A组二等奖"),
        ("钱二", "人文科学类A组三等奖"),
        ("赵一", "最佳教案奖"),
        ("赵一", "最佳现场展示奖"),
    ]
    assert page.count('data-testid="notice-award"') == 5
    # the draw's seed is shown to everyone who reads the notice, so anyone can re-run the draw
    seed = refresh(w).seed
    assert seed
    assert f"抽签种子为 <code>{seed}</code>：用同一种子即可重新抽签核对" in page


def test_the_notice_once_released_and_not_before_the_publicity(client, w, clock):
    through(w, clock, "closed")
    client = _as(client, w.users["member"])
    assert client.get(reverse("competitions:notice", args=[w.competition.pk])).status_code == 404
    clock.move_to(datetime.datetime(2021, 3, 26, 12, 0, tzinfo=datetime.UTC))
    from gonghui.competitions.services.results import results_publish, results_release

    results_publish(actor=w.office, competition=w.competition)
    clock.move_to(datetime.datetime(2021, 4, 20, 2, 0, tzinfo=datetime.UTC))
    results_release(actor=w.office, competition=refresh(w))
    client.force_login(w.users["member"])
    page = _text(client.get(reverse("competitions:notice", args=[w.competition.pk])))
    assert "第三届青年教师教学基本功比赛获奖名单<" in page
    assert 'data-testid="released">本届比赛结果已于 2021年4月20日 发布，获奖名单如下。<' in page


# --- results of an edition the university does not run ---------------------------------------------


def test_the_office_records_the_beijing_results_and_confirms_them(client, w, clock):
    through(w, clock, "released")
    beijing = beijing_recommended(w)
    zhao = Entry.objects.get(competition=beijing, person=w.people["zhao"])
    zhou = Entry.objects.get(competition=beijing, person=w.people["zhou"])
    client = _as(client, w.office)
    page = _text(client.get(reverse("competitions:record", args=[beijing.pk])))
    assert page.count('data-testid="record-entry"') == 2
    assert "由第三届青年教师教学基本功比赛推荐" in page and "指导教师 郑师" in page
    assert page.count('data-testid="record-form"') == 2
    url = reverse("competitions:record_result", args=[beijing.pk])
    response = client.post(url, {"entry": zhao.pk, "code": "first"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("competitions:record", args=[beijing.pk])
    assert "已录入：赵一 人文科学类A组一等奖。" in _text(response)
    client.post(url, {"entry": zhao.pk, "code": "best-plan"})
    client.post(url, {"entry": zhao.pk, "code": "best-show"})
    client.post(url, {"entry": zhou.pk, "code": "second"})
    confer = reverse("competitions:award_confer", args=[beijing.pk])
    response = client.post(
        confer,
        {"code": "coach", "coach_staff_no": "L0900", "next": reverse("competitions:record", args=[beijing.pk])},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("competitions:record", args=[beijing.pk])
    client.post(confer, {"code": "organisation", "recipient": "中国人民大学"})
    assert sorted(Award.objects.filter(competition=beijing).values_list("recipient", "label", "recorded")) == [
        ("中国人民大学", "优秀组织奖", True),
        ("周四", "人文科学类A组二等奖", True),
        ("赵一", "人文科学类A组一等奖", True),
        ("赵一", "最佳教案奖", True),
        ("赵一", "最佳现场展示奖", True),
        ("郑师", "优秀指导教师奖", True),
    ]
    response = client.post(reverse("competitions:step", args=[beijing.pk, "record"]), follow=True)
    assert "本届结果已确认。" in _text(response)
    beijing.refresh_from_db()
    assert beijing.status == CompetitionStatus.RECORDED
    assert set(Entry.objects.filter(competition=beijing).values_list("status", flat=True)) == {EntryStatus.PLACED}
    page = _text(client.get(reverse("competitions:record", args=[beijing.pk])))
    assert 'data-testid="record-form"' not in page and page.count('data-testid="recorded-award"') == 4
    notice = _text(_as(client, w.users["member"]).get(reverse("competitions:notice", args=[beijing.pk])))
    assert notice.count('data-testid="notice-award"') == 6 and 'data-testid="recorded"' in notice


@pytest.mark.parametrize(
    "first, second, message",
    [
        (("zhao", "first"), ("zhao", "second"), "赵一的名次奖已录入。"),
        (("zhao", "best-plan"), ("zhao", "best-plan"), "赵一已获此奖。"),
    ],
)
def test_a_result_entered_twice_is_refused(client, w, clock, first, second, message):
    through(w, clock, "released")
    beijing = beijing_recommended(w)
    entry = Entry.objects.get(competition=beijing, person=w.people[first[0]])
    client = _as(client, w.office)
    url = reverse("competitions:record_result", args=[beijing.pk])
    client.post(url, {"entry": entry.pk, "code": first[1]})
    before = table_counts()
    response = client.post(url, {"entry": entry.pk, "code": second[1]}, follow=True)
    assert message in _text(response)
    assert changed_tables(before, table_counts()) == {}


def test_confirmed_results_are_not_entered_again(client, w, clock):
    through(w, clock, "released")
    beijing = beijing_recommended(w)
    entry = Entry.objects.get(competition=beijing, person=w.people["zhao"])
    client = _as(client, w.office)
    client.post(reverse("competitions:step", args=[beijing.pk, "record"]))
    before = table_counts()
    response = client.post(
        reverse("competitions:record_result", args=[beijing.pk]), {"entry": entry.pk, "code": "first"}, follow=True
    )
    assert "本届结果已确认，不能再录入。" in _text(response)
    assert changed_tables(before, table_counts()) == {}


def test_an_edition_the_university_runs_has_no_results_entry(client, w, clock):
    through(w, clock, "released")
    client = _as(client, w.office)
    assert client.get(reverse("competitions:record", args=[w.competition.pk])).status_code == 404
    before = table_counts()
    response = client.post(
        reverse("competitions:record_result", args=[w.competition.pk]),
        {"entry": w.entries["zhao"].pk, "code": "first"},
        follow=True,
    )
    assert "我校举办的比赛由评分产生结果，不能直接录入。" in _text(response)
    assert changed_tables(before, table_counts()) == {}


@pytest.mark.parametrize("role", ["auditor", "sub_union_officer", "member"])
def test_the_results_entry_is_the_office_s(client, w, clock, role):
    through(w, clock, "released")
    beijing = beijing_recommended(w)
    entry = Entry.objects.get(competition=beijing, person=w.people["zhao"])
    client = _as(client, w.users[role])
    assert client.get(reverse("competitions:record", args=[beijing.pk])).status_code == 404
    before = table_counts()
    response = client.post(
        reverse("competitions:record_result", args=[beijing.pk]), {"entry": entry.pk, "code": "first"}
    )
    assert response.status_code == 404
    assert changed_tables(before, table_counts()) == {}


def test_a_beijing_edition_before_the_system_has_no_rules_to_record_by(client, w):
    edition = Competition.objects.create(
        level=Level.BEIJING, year=2013, number=8, title="第八届北京高校青年教师教学基本功比赛", participants_recorded=52
    )
    page = _text(_as(client, w.office).get(reverse("competitions:record", args=[edition.pk])))
    assert 'data-testid="no-rules"' in page and 'data-testid="record-confer"' not in page
