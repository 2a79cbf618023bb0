"""The union office's pages of the appraisal, through the test client: who gets each page
(200 / 403 / 404), what it shows, and that a refused POST writes nothing."""

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gonghui.appraisals.choices import RoundStatus, VotingMode
from gonghui.appraisals.models import (
    AppraisalRound,
    AppraisalRules,
    Cadre,
    EligibleVoter,
    RoundUnit,
    Teller,
    UnitTurnout,
)
from gonghui.appraisals.services.rules import rules_text
from gonghui.appraisals.services.voting import appraisal_vote
from gonghui.appraisals.tests.factories import aware, grades_all, through
from gonghui.core.models import AuditEvent
from gonghui.people.tests.factories import person_make

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _as(client, user):
    client.force_login(user)
    return client


def _text(response) -> str:
    return response.content.decode()


def _status(w) -> str:
    w.round.refresh_from_db()
    return w.round.status


def _voters(unit) -> dict:
    return dict(EligibleVoter.objects.filter(round_unit=unit).values_list("person__staff_no", "category"))


def _rules_post(**changes) -> dict:
    text = rules_text(None)
    data = {
        "year": "2022",
        "name": "",
        "mode": VotingMode.BOTH,
        "quorum_numerator": "3",
        "quorum_denominator": "4",
        "report_days": "5",
        "team_ballot": "on",
        "categories": "leader 校领导 20\ncadre 中层干部 30\nstaff 教职工 50 参评",
        "cadre_grades": text.cadre_grades,
        "team_grades": text.team_grades,
        "flags": text.flags,
        "adopted_on": "2021-12-01",
        "resolution": "党委组织部〔2021〕9号",
    }
    data.update(changes)
    return data


def _round_post(**changes) -> dict:
    data = {
        "year": "2021",
        "title": "2021年度第二次测评",
        "opens_at": "2021-04-10T09:00",
        "closes_at": "2021-04-10T18:00",
    }
    data.update(changes)
    return data


# --- the list ---------------------------------------------------------------------------------


def test_the_office_lists_every_round_with_its_buttons_and_filters_by_status(client, w):
    response = _as(client, w.office).get(reverse("appraisals:list"))
    assert response.status_code == 200
    page = _text(response)
    assert page.count('data-testid="round"') == 1
    assert "2021年度中层干部民主测评" in page
    assert 'data-testid="new-round"' in page and 'data-testid="rules-link"' in page
    assert 'data-testid="unit-count">2 个<' in page
    assert _text(client.get(reverse("appraisals:list"), {"status": "draft"})).count('data-testid="round"') == 1
    assert _text(client.get(reverse("appraisals:list"), {"status": "tallied"})).count('data-testid="round"') == 0
    # the workbench's filter, answered as a partial for htmx
    partial = client.get(reverse("appraisals:list"), {"status": "draft"}, HTTP_HX_REQUEST="true")
    assert "<html" not in _text(partial) and _text(partial).count('data-testid="round"') == 1


def test_a_member_sees_a_round_once_its_reports_are_out_with_their_units_to_vote_in(client, w, clock):
    member = w.users["member"]  # 张伟, a member of staff of economics
    page = _text(_as(client, member).get(reverse("appraisals:list")))
    assert page.count('data-testid="round"') == 0
    assert 'data-testid="my-ballots"' not in page
    assert 'data-testid="new-round"' not in page and 'data-testid="rules-link"' not in page
    through(w, "published")
    page = _text(client.get(reverse("appraisals:list")))
    assert page.count('data-testid="round"') == 1
    assert page.count('data-testid="my-ballot"') == 1
    assert reverse("appraisals:unit", args=[w.econ.pk]) in page
    assert reverse("appraisals:unit", args=[w.law.pk]) not in page
    # the leader votes in both units
    page = _text(_as(client, w.users["leader"]).get(reverse("appraisals:list")))
    assert page.count('data-testid="my-ballot"') == 2


def test_someone_outside_every_round_gets_an_empty_list_and_a_visitor_the_sign_in_page(client, w):
    response = _as(client, w.users["welfare_committee"]).get(reverse("appraisals:list"))
    assert response.status_code == 200
    assert 'data-testid="empty-state"' in _text(response)
    client.logout()
    response = client.get(reverse("appraisals:list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- the rules --------------------------------------------------------------------------------


def test_the_rules_page_shows_the_edition_in_force_and_the_office_the_form_filled_from_it(client, w):
    response = _as(client, w.office).get(reverse("appraisals:rules"))
    assert response.status_code == 200
    page = _text(response)
    assert page.count('data-testid="rules-in-force"') == 1
    assert "2021年度中层干部民主测评办法" in page
    assert "教职工至少 2/3 参加" in page
    assert "干部个人：优秀+称职的加权比例低于 2/3 时，提示“诫勉谈话”" in page
    form = response.context["form"]
    assert form.initial["categories"] == "leader 校领导 30\ncadre 中层干部 30\nstaff 教职工 40 参评"
    assert form.initial["year"] == 2021
    assert 'data-testid="rules-form"' in page


@pytest.mark.parametrize("role", ["auditor", "zzb"])
def test_readers_of_the_rules(client, w, role):
    response = _as(client, w.users[role]).get(reverse("appraisals:rules"))
    assert response.status_code == 200
    assert ('data-testid="rules-form"' in _text(response)) is (role == "zzb")


@pytest.mark.parametrize("role", ["member", "sub_union_officer", "welfare_committee"])
def test_the_rules_are_not_for_members_or_officers(client, w, role):
    assert _as(client, w.users[role]).get(reverse("appraisals:rules")).status_code == 403
    assert client.post(reverse("appraisals:rules_adopt"), _rules_post()).status_code == 403
    assert AppraisalRules.objects.count() == 1


def test_an_auditor_may_not_adopt_rules(client, w):
    response = _as(client, w.users["auditor"]).post(reverse("appraisals:rules_adopt"), _rules_post())
    assert response.status_code == 403
    assert AppraisalRules.objects.count() == 1


def test_adopting_a_year_s_rules_from_the_form(client, w):
    response = _as(client, w.office).post(reverse("appraisals:rules_adopt"), _rules_post())
    edition = AppraisalRules.objects.get(year=2022)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('appraisals:rules')}#edition-{edition.pk}"
    assert edition.status == "adopted"
    assert edition.name == "2022年度中层干部民主测评办法"
    assert (edition.quorum_numerator, edition.quorum_denominator, edition.report_days, edition.mode) == (
        3,
        4,
        5,
        VotingMode.BOTH,
    )
    assert list(edition.categories.values_list("code", "name", "weight", "counts_for_quorum")) == [
        ("leader", "校领导", 20, False),
        ("cadre", "中层干部", 30, False),
        ("staff", "教职工", 50, True),
    ]
    assert list(edition.grades.filter(kind="cadre").values_list("label", "score")) == [
        ("优秀", 100),
        ("称职", 80),
        ("基本称职", 60),
        ("不称职", 0),
    ]
    assert sorted(edition.flags.values_list("code", flat=True)) == ["admonition", "removal"]
    assert edition.resolution == "党委组织部〔2021〕9号"
    # the year's earlier edition is untouched
    assert w.rules.status == AppraisalRules.objects.get(pk=w.rules.pk).status == "adopted"
    page = _text(client.get(reverse("appraisals:rules")))
    assert page.count('data-testid="rules-in-force"') == 2


def test_a_new_edition_of_the_same_year_supersedes_the_one_in_force(client, w):
    response = _as(client, w.users["zzb"]).post(reverse("appraisals:rules_adopt"), _rules_post(year="2021"))
    assert response.status_code == 302, response.context["form"].errors
    assert list(AppraisalRules.objects.filter(year=2021).values_list("status", flat=True).order_by("id")) == [
        "superseded",
        "adopted",
    ]
    page = _text(client.get(reverse("appraisals:rules")))
    assert page.count('data-testid="rules-in-force"') == 1
    assert 'data-testid="rules-past"' in page


def test_a_line_the_form_cannot_read_is_refused_with_its_number_and_nothing_is_written(client, w):
    data = _rules_post(categories="leader 校领导 20\n校领导没有代码 30\nstaff 教职工 50 参评")
    response = _as(client, w.office).post(reverse("appraisals:rules_adopt"), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["categories"] == ["第 2 行“校领导没有代码 30”看不懂，应写成：staff 教职工 40 参评"]
    assert "第 2 行“校领导没有代码 30”看不懂" in _text(response)
    assert AppraisalRules.objects.count() == 1
    # what was typed stays in the form
    assert "校领导没有代码 30" in _text(response)


def test_rules_the_edition_refuses_are_shown_above_the_form_and_nothing_is_written(client, w):
    # no category counts for the quorum
    data = _rules_post(categories="leader 校领导 20\nstaff 教职工 50")
    response = _as(client, w.office).post(reverse("appraisals:rules_adopt"), data)
    assert response.status_code == 200
    assert "至少要有一个类别计入参评比例（如教职工）。" in _text(response)
    assert AppraisalRules.objects.count() == 1
    # a flag that names no grade of the scale
    data = _rules_post(flags="admonition 诫勉谈话 excellent+great < 2/3")
    response = client.post(reverse("appraisals:rules_adopt"), data)
    assert "提示规则“诫勉谈话”引用了不存在的等次。" in _text(response)
    assert AppraisalRules.objects.count() == 1


# --- a new round ------------------------------------------------------------------------------


def test_the_office_creates_a_round_under_the_year_s_rules(client, w):
    response = _as(client, w.office).get(reverse("appraisals:create"))
    assert response.status_code == 200
    assert 'data-testid="rules-for-year"' in _text(response)
    response = client.post(reverse("appraisals:create"), _round_post())
    created = AppraisalRound.objects.get(title="2021年度第二次测评")
    assert response.status_code == 302 and response["Location"] == reverse("appraisals:detail", args=[created.pk])
    assert (created.year, created.rules_id, created.status) == (2021, w.rules.pk, RoundStatus.DRAFT)
    assert created.opens_at == aware(datetime.datetime(2021, 4, 10, 9, 0))


def test_a_round_for_a_year_without_rules_is_refused_with_a_clear_message(client, w):
    response = _as(client, w.office).post(reverse("appraisals:create"), _round_post(year="2023"))
    assert response.status_code == 200
    assert "2023年度的测评办法尚未通过：请先通过测评办法。" in _text(response)
    assert 'data-testid="rules-missing"' in _text(response)
    assert AppraisalRound.objects.count() == 1
    response = client.post(reverse("appraisals:create"), _round_post(closes_at="2021-04-10T08:00"))
    assert response.context["form"].errors["closes_at"] == ["投票截止时间须晚于开始时间。"]
    assert AppraisalRound.objects.count() == 1


@pytest.mark.parametrize("role", ["member", "sub_union_officer", "auditor", "zzb"])
def test_only_the_office_creates_rounds(client, w, role):
    assert _as(client, w.users[role]).get(reverse("appraisals:create")).status_code == 403
    assert client.post(reverse("appraisals:create"), _round_post()).status_code == 403
    assert AppraisalRound.objects.count() == 1


# --- a round's page ---------------------------------------------------------------------------


def test_the_office_s_page_of_a_draft_round(client, w):
    response = _as(client, w.office).get(reverse("appraisals:detail", args=[w.round.pk]))
    assert response.status_code == 200
    page = _text(response)
    assert page.count('data-testid="unit-row"') == 2
    # voters by category, in the rules' order: economics 1 leader, 2 cadres, 5 staff
    voters = [(line.unit.sub_union.name, line.voters) for line in response.context["units"]]
    assert sorted(voters) == [
        ("法学院分工会", [("校领导", 1), ("中层干部", 1), ("教职工", 3)]),
        ("经济学院分工会", [("校领导", 1), ("中层干部", 2), ("教职工", 5)]),
    ]
    assert "李娜、陈静" in page and "王芳、郑红" in page
    assert "校领导 30 : 中层干部 30 : 教职工 40" in page
    assert response.context["problems"] == []
    assert [s.name for s in response.context["steps"]] == ["publish_reports"]
    assert 'data-testid="step-publish_reports"' in page
    assert 'data-testid="unit-add"' in page and 'data-testid="voters-add"' in page
    assert page.count('data-testid="unit-setup-link"') == 2
    assert 'data-testid="history-link"' in page and 'data-testid="turnout-link"' in page
    assert 'data-testid="results-link"' not in page


def test_what_stops_the_reports_from_going_out_is_listed_and_the_button_held(client, w):
    Cadre.objects.filter(pk=w.cadres["law_dean"].pk).update(report_text="")
    response = _as(client, w.office).get(reverse("appraisals:detail", args=[w.round.pk]))
    assert response.context["problems"] == ["1 位干部还没有述职报告（周院长）"]
    page = _text(response)
    assert 'data-testid="setup-problems"' in page
    assert 'data-testid="step-publish_reports-disabled"' in page
    assert 'data-testid="step-publish_reports"' not in page


def test_a_member_reads_the_round_they_vote_in_without_its_inside(client, w):
    member = w.users["member"]
    assert _as(client, member).get(reverse("appraisals:detail", args=[w.round.pk])).status_code == 404
    through(w, "published")
    response = client.get(reverse("appraisals:detail", args=[w.round.pk]))
    assert response.status_code == 200
    page = _text(response)
    assert 'data-testid="my-ballots"' in page
    assert reverse("appraisals:unit", args=[w.econ.pk]) in page
    for hidden in ('data-testid="units"', 'data-testid="round-steps"', "history-link", "turnout-link", "unit-add"):
        assert hidden not in page


def test_a_college_officer_reads_their_college_s_units_only(client, w):
    through(w, "published")
    response = _as(client, w.users["sub_union_officer"]).get(reverse("appraisals:detail", args=[w.round.pk]))
    assert response.status_code == 200
    page = _text(response)
    assert [line.unit.pk for line in response.context["units"]] == [w.econ.pk]
    assert 'data-testid="turnout-link"' in page and 'data-testid="history-link"' not in page
    assert 'data-testid="round-steps"' not in page and 'data-testid="unit-setup-link"' not in page


@pytest.mark.parametrize("role", ["auditor", "zzb"])
def test_readers_of_the_whole_round_take_no_office_step(client, w, role):
    response = _as(client, w.users[role]).get(reverse("appraisals:detail", args=[w.round.pk]))
    assert response.status_code == 200
    page = _text(response)
    assert page.count('data-testid="unit-row"') == 2
    assert response.context["steps"] == []
    assert 'data-testid="unit-add"' not in page and 'data-testid="unit-setup-link"' not in page


@pytest.mark.parametrize("role", ["welfare_committee", "handling_unit_officer"])
def test_a_round_is_not_there_for_those_outside_it(client, w, role):
    through(w, "published")
    assert _as(client, w.users[role]).get(reverse("appraisals:detail", args=[w.round.pk])).status_code == 404
    assert client.get(reverse("appraisals:detail", args=[w.round.pk + 100])).status_code == 404


def test_the_organisation_department_releases_and_then_finds_the_results(client, w, clock):
    through(w, "tallied", clock)
    response = _as(client, w.users["zzb"]).get(reverse("appraisals:detail", args=[w.round.pk]))
    assert [s.name for s in response.context["steps"]] == ["release"]
    assert 'data-testid="results-link"' not in _text(response)
    response = client.post(reverse("appraisals:step", args=[w.round.pk, "release"]), follow=True)
    assert _status(w) == RoundStatus.RELEASED
    assert "结果已启封。" in _text(response)
    assert 'data-testid="results-link"' in _text(response)
    # the office sees no results link, released or not
    page = _text(_as(client, w.office).get(reverse("appraisals:detail", args=[w.round.pk])))
    assert 'data-testid="results-link"' not in page


# --- the steps --------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["union_office", "administrator"])
def test_the_office_publishes_the_reports(client, w, role):
    response = _as(client, w.users[role]).post(reverse("appraisals:step", args=[w.round.pk, "publish_reports"]))
    assert response.status_code == 302 and response["Location"] == reverse("appraisals:detail", args=[w.round.pk])
    assert _status(w) == RoundStatus.REPORTS_PUBLISHED


def test_a_guard_s_refusal_is_shown_on_the_page_and_nothing_changes(client, w):
    RoundUnit.objects.filter(pk=w.law.pk).update(meeting_on=None)
    EligibleVoter.objects.filter(round_unit=w.law).delete()
    events = w.round.events.count()
    response = _as(client, w.office).post(reverse("appraisals:step", args=[w.round.pk, "publish_reports"]), follow=True)
    assert "法学院分工会没有投票人" in _text(response)
    assert _status(w) == RoundStatus.DRAFT
    assert w.round.events.count() == events


def test_voting_cannot_open_before_its_time(client, w):
    through(w, "published")
    response = _as(client, w.office).post(reverse("appraisals:step", args=[w.round.pk, "open_voting"]), follow=True)
    assert "投票开始时间（2021-03-20 09:00）未到。" in _text(response)
    assert _status(w) == RoundStatus.REPORTS_PUBLISHED


def test_the_office_closes_and_counts(client, w, clock):
    through(w, "open", clock)
    _as(client, w.office).post(reverse("appraisals:step", args=[w.round.pk, "close_voting"]))
    assert _status(w) == RoundStatus.VOTING_CLOSED
    client.post(reverse("appraisals:step", args=[w.round.pk, "tally"]))
    assert _status(w) == RoundStatus.TALLIED
    assert UnitTurnout.objects.filter(round_unit__round=w.round).count() == 2


def test_the_office_may_not_release_and_the_department_may_not_count(client, w, clock):
    """A step that is not the user's to take is not there for them (404), at any state."""
    through(w, "closed", clock)
    response = _as(client, w.users["zzb"]).post(reverse("appraisals:step", args=[w.round.pk, "tally"]))
    assert response.status_code == 404
    assert _status(w) == RoundStatus.VOTING_CLOSED
    response = _as(client, w.office).post(reverse("appraisals:step", args=[w.round.pk, "release"]))
    assert response.status_code == 404
    through(w, "tallied")
    response = client.post(reverse("appraisals:step", args=[w.round.pk, "release"]))
    assert response.status_code == 404
    assert _status(w) == RoundStatus.TALLIED


def test_the_department_may_not_release_before_the_count(client, w, clock):
    through(w, "closed", clock)
    response = _as(client, w.users["zzb"]).post(reverse("appraisals:step", args=[w.round.pk, "release"]), follow=True)
    assert "投票截止并计票后才能启封结果。" in _text(response)
    assert _status(w) == RoundStatus.VOTING_CLOSED


@pytest.mark.parametrize("role", ["member", "sub_union_officer", "auditor"])
def test_a_step_by_someone_who_takes_none_is_not_there(client, w, role):
    through(w, "published")
    response = _as(client, w.users[role]).post(reverse("appraisals:step", args=[w.round.pk, "open_voting"]))
    assert response.status_code == 404
    assert _status(w) == RoundStatus.REPORTS_PUBLISHED


def test_an_unknown_step_is_not_there(client, w):
    response = _as(client, w.office).post(reverse("appraisals:step", args=[w.round.pk, "delete"]))
    assert response.status_code == 404
    assert _status(w) == RoundStatus.DRAFT


# --- history ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["union_office", "auditor", "administrator", "zzb"])
def test_the_history_for_those_who_read_the_whole_round(client, w, role):
    through(w, "published")
    response = _as(client, w.users[role]).get(reverse("appraisals:history", args=[w.round.pk]))
    assert response.status_code == 200
    whats = [(e.what, e.detail) for e in response.context["page"]]
    assert whats[0] == ("创建", "")
    assert ("添加参评单位：经济学院分工会", "") in whats
    assert whats.index(("添加参评单位：经济学院分工会", "")) < whats.index(("添加参评单位：法学院分工会", ""))
    assert ("添加被测评干部：钱院长（院长）", "") in whats
    assert whats[-1][0] == "述职报告已公开"
    # each step once: its audit row is not repeated
    assert [w for w, _d in whats].count("述职报告已公开") == 1


@pytest.mark.parametrize("role", ["member", "sub_union_officer", "welfare_committee"])
def test_the_history_is_not_there_for_others(client, w, role):
    through(w, "published")
    assert _as(client, w.users[role]).get(reverse("appraisals:history", args=[w.round.pk])).status_code == 404


# --- turnout ----------------------------------------------------------------------------------


def _vote(w, clock):
    """Economics: 3 of its 5 staff vote (under its quorum of 4), with a cadre and the leader;
    law: 2 of its 3 staff (its quorum of 2) and the leader."""
    through(w, "open", clock)
    for who, unit in (
        ("member", w.econ),
        ("li", w.econ),
        ("sub_union_officer", w.econ),
        ("dean", w.econ),
        ("leader", w.econ),
        ("wang", w.law),
        ("zheng", w.law),
        ("leader", w.law),
    ):
        appraisal_vote(actor=w.users[who], unit=unit, choices=grades_all(unit))
    through(w, "tallied", clock)


def test_before_the_count_the_turnout_page_says_when_it_is_counted(client, w):
    response = _as(client, w.office).get(reverse("appraisals:turnout", args=[w.round.pk]))
    assert response.status_code == 200
    assert 'data-testid="not-counted"' in _text(response)
    assert 'data-testid="turnout-table"' not in _text(response)


def test_the_turnout_per_unit_against_the_quorum(client, w, clock):
    _vote(w, clock)
    response = _as(client, w.office).get(reverse("appraisals:turnout", args=[w.round.pk]))
    assert response.status_code == 200
    page = _text(response)
    rows = {
        line.unit: (t.eligible, t.took_part, t.quorum_base, t.quorum_needed, t.quorum_counted, t.quorum_met)
        for line in response.context["lines"]
        for t in [line.turnout]
    }
    assert rows == {"经济学院分工会": (8, 5, 5, 4, 3, False), "法学院分工会": (5, 3, 3, 2, 2, True)}
    assert page.count('data-testid="under-quorum"') == 1
    assert "未达参评比例，结果无效" in page
    econ = next(line for line in response.context["lines"] if line.unit == "经济学院分工会")
    assert econ.by_category == [("校领导", 1, 1, 0), ("中层干部", 2, 1, 0), ("教职工", 5, 3, 0)]
    assert 'data-testid="chart"' in page
    assert 'data-testid="units-under-quorum">1<' in page


def test_the_turnout_workbook(client, w, clock):
    _vote(w, clock)
    response = _as(client, w.users["auditor"]).get(reverse("appraisals:turnout", args=[w.round.pk]), {"format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    sheet = openpyxl.load_workbook(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    ).active
    rows = [tuple(cell.value for cell in row) for row in sheet.iter_rows()]
    assert rows[0] == ("单位", "项目", "数值")
    econ = [row[1:] for row in rows if row[0] == "经济学院分工会"]
    assert econ == [
        ("应参评", 8),
        ("实参评", 5),
        ("网上投票", 5),
        ("纸质选票", 0),
        ("其中废票", 0),
        ("参评比例基数", 5),
        ("至少参评", 4),
        ("计入参评比例的实参评", 3),
        ("达到参评比例", "否（结果无效）"),
    ]
    assert [row[1:] for row in rows if row[0] == "法学院分工会"][-1] == ("达到参评比例", "是")
    assert len(rows) == 1 + 2 * 9
    assert AuditEvent.objects.filter(object_type="appraisals.appraisalround", action="exported").count() == 1


def test_a_college_officer_reads_their_own_college_s_turnout(client, w, clock):
    _vote(w, clock)
    response = _as(client, w.users["sub_union_officer"]).get(reverse("appraisals:turnout", args=[w.round.pk]))
    assert response.status_code == 200
    assert [line.unit for line in response.context["lines"]] == ["经济学院分工会"]
    workbook = client.get(reverse("appraisals:turnout", args=[w.round.pk]), {"format": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(workbook.content)).active
    assert {row[0].value for row in sheet.iter_rows(min_row=2)} == {"经济学院分工会"}


@pytest.mark.parametrize("role", ["member", "welfare_committee"])
def test_the_turnout_is_not_there_for_voters_and_others(client, w, clock, role):
    _vote(w, clock)
    response = _as(client, w.users[role]).get(reverse("appraisals:turnout", args=[w.round.pk]))
    assert response.status_code == 404
    assert client.get(reverse("appraisals:turnout", args=[w.round.pk]), {"format": "xlsx"}).status_code == 404


def test_the_round_s_page_shows_the_turnout_once_counted(client, w, clock):
    _vote(w, clock)
    page = _text(_as(client, w.office).get(reverse("appraisals:detail", args=[w.round.pk])))
    assert 'data-testid="turnout-summary"' in page
    assert "5 / 8 人参评" in page and "3 / 5 人参评" in page
    # and each unit's row links to its line of the turnout
    assert f'href="{reverse("appraisals:turnout", args=[w.round.pk])}#unit-{w.econ.pk}">5 / 8</a>' in page
    assert page.count('data-testid="under-quorum"') == 1


# --- a unit's setup ---------------------------------------------------------------------------


def test_the_office_sets_up_a_unit(client, w):
    response = _as(client, w.office).get(reverse("appraisals:unit_setup", args=[w.econ.pk]))
    assert response.status_code == 200
    page = _text(response)
    assert [c.person.name for c in response.context["cadres"]] == ["钱院长", "孙书记"]
    assert response.context["voters"] == [("校领导", 1), ("中层干部", 2), ("教职工", 5)]
    assert response.context["voters_total"] == 8
    for form in ("cadre-add", "voters-fill", "tellers-form", "unit-remove"):
        assert f'data-testid="{form}"' in page
    assert response.context["tellers_form"].initial == {"first": "E0002", "second": "E0099"}


@pytest.mark.parametrize("role", ["auditor", "zzb", "sub_union_officer", "member", "welfare_committee"])
def test_a_unit_s_setup_is_the_office_s_alone(client, w, role):
    through(w, "published")
    assert _as(client, w.users[role]).get(reverse("appraisals:unit_setup", args=[w.econ.pk])).status_code == 404


def test_once_the_reports_are_out_the_setup_is_read_only_but_the_tellers_may_change(client, w):
    through(w, "published")
    page = _text(_as(client, w.office).get(reverse("appraisals:unit_setup", args=[w.econ.pk])))
    assert 'data-testid="locked"' in page
    for form in ("cadre-add", "voters-fill", "unit-remove", "cadre-remove"):
        assert f'data-testid="{form}"' not in page
    assert 'data-testid="tellers-form"' in page


def test_adding_a_unit(client, w, university):
    adm = w.leader.sub_union
    response = _as(client, w.office).post(
        reverse("appraisals:unit_add", args=[w.round.pk]),
        {"sub_union": adm.pk, "meeting_on": "2021-03-19"},
        follow=True,
    )
    assert "已添加机关分工会。" in _text(response)
    unit = RoundUnit.objects.get(round=w.round, sub_union=adm)
    assert unit.meeting_on == datetime.date(2021, 3, 19)
    # a unit already in the round is not offered, and refused
    response = client.post(
        reverse("appraisals:unit_add", args=[w.round.pk]), {"sub_union": university.econ.pk}, follow=True
    )
    assert "单位（分工会）：" in _text(response)
    assert RoundUnit.objects.filter(round=w.round).count() == 3
    # a union group is not a unit
    client.post(reverse("appraisals:unit_add", args=[w.round.pk]), {"sub_union": university.econ_group.pk})
    assert RoundUnit.objects.filter(round=w.round).count() == 3


def test_after_publishing_no_unit_is_added_or_removed(client, w, university):
    through(w, "published")
    response = _as(client, w.office).post(
        reverse("appraisals:unit_add", args=[w.round.pk]), {"sub_union": university.retirees.pk}, follow=True
    )
    assert "述职报告公开后，参评单位、干部和投票人不能再改。" in _text(response)
    response = client.post(reverse("appraisals:unit_remove", args=[w.law.pk]), follow=True)
    assert "述职报告公开后，参评单位、干部和投票人不能再改。" in _text(response)
    assert RoundUnit.objects.filter(round=w.round).count() == 2


@pytest.mark.parametrize("role", ["auditor", "zzb", "sub_union_officer"])
def test_office_buttons_are_not_there_for_others(client, w, university, role):
    _as(client, w.users[role])
    counts = (RoundUnit.objects.count(), Cadre.objects.count(), EligibleVoter.objects.count(), Teller.objects.count())
    posts = [
        ("appraisals:unit_add", w.round.pk, {"sub_union": university.retirees.pk}),
        ("appraisals:voters_add", w.round.pk, {"staff_numbers": "E0001", "category": "leader", "units": [w.law.pk]}),
        ("appraisals:unit_remove", w.law.pk, {}),
        ("appraisals:cadre_add", w.econ.pk, {"staff_no": "E0001", "post": "副院长"}),
        ("appraisals:voters_fill", w.econ.pk, {"staff_category": "staff", "cadre_category": "cadre"}),
        ("appraisals:tellers", w.econ.pk, {"first": "E0001", "second": "E0002"}),
        ("appraisals:cadre_remove", w.cadres["dean"].pk, {}),
        ("appraisals:cadre_report", w.cadres["dean"].pk, {"text": "改写"}),
    ]
    for name, pk, data in posts:
        assert client.post(reverse(name, args=[pk]), data).status_code == 404, name
    assert client.get(reverse("appraisals:cadre_report", args=[w.cadres["dean"].pk])).status_code == 404
    assert (
        RoundUnit.objects.count(),
        Cadre.objects.count(),
        EligibleVoter.objects.count(),
        Teller.objects.count(),
    ) == counts
    assert Cadre.objects.get(pk=w.cadres["dean"].pk).report_text == "钱院长2021年度述职报告"


def test_removing_a_unit(client, w):
    response = _as(client, w.office).post(reverse("appraisals:unit_remove", args=[w.law.pk]))
    assert response["Location"] == reverse("appraisals:detail", args=[w.round.pk])
    assert list(RoundUnit.objects.filter(round=w.round)) == [w.econ]


def test_voters_for_several_units_at_once(client, w):
    data = {"staff_numbers": "E0001, L0001\nX0001", "category": "leader", "units": [w.econ.pk, w.law.pk]}
    response = _as(client, w.office).post(reverse("appraisals:voters_add", args=[w.round.pk]), data, follow=True)
    # 张伟 joins law, 王芳 economics; everyone keeps their category where they already vote
    assert "已添加投票人 2 人次" in _text(response)
    assert _voters(w.econ)["E0001"] == "staff" and _voters(w.econ)["L0001"] == "leader"
    assert _voters(w.law)["E0001"] == "leader" and _voters(w.law)["L0001"] == "staff"
    before = EligibleVoter.objects.count()
    data = {"staff_numbers": "E0001\nZ9999", "category": "leader", "units": [w.econ.pk]}
    response = client.post(reverse("appraisals:voters_add", args=[w.round.pk]), data, follow=True)
    assert "找不到这些工号：Z9999。" in _text(response)
    response = client.post(
        reverse("appraisals:voters_add", args=[w.round.pk]),
        {"staff_numbers": "E0001", "category": "leader"},
        follow=True,
    )
    assert "参评单位：该字段是必填项。" in _text(response)
    assert EligibleVoter.objects.count() == before


def test_filling_a_unit_s_voters_from_the_roster(client, w, university):
    response = _as(client, w.office).post(
        reverse("appraisals:voters_fill", args=[w.econ.pk]),
        {"staff_category": "staff", "cadre_category": "cadre"},
        follow=True,
    )
    assert "花名册中没有新的投票人，名单未变。" in _text(response)
    person_make(staff_no="E0300", name="新同事", sub_union=university.econ_group)
    response = client.post(
        reverse("appraisals:voters_fill", args=[w.econ.pk]),
        {"staff_category": "staff", "cadre_category": "cadre"},
        follow=True,
    )
    assert "已从花名册添加投票人 1 人。" in _text(response)
    assert _voters(w.econ)["E0300"] == "staff"
    assert response.context["voters_total"] == 9


def test_adding_and_removing_a_cadre(client, w):
    response = _as(client, w.office).post(
        reverse("appraisals:cadre_add", args=[w.econ.pk]), {"staff_no": "E0001", "post": "副院长"}, follow=True
    )
    assert "已添加张伟（副院长）。" in _text(response)
    added = Cadre.objects.get(round_unit=w.econ, person__staff_no="E0001")
    assert response.context["cadres"][2] == added
    response = client.post(
        reverse("appraisals:cadre_add", args=[w.econ.pk]), {"staff_no": "E0001", "post": "副院长"}, follow=True
    )
    assert "张伟已在本单位的被测评干部中。" in _text(response)
    response = client.post(
        reverse("appraisals:cadre_add", args=[w.econ.pk]), {"staff_no": "Z9999", "post": "院长"}, follow=True
    )
    assert "找不到这些工号：Z9999。" in _text(response)
    assert Cadre.objects.filter(round_unit=w.econ).count() == 3
    response = client.post(reverse("appraisals:cadre_remove", args=[added.pk]))
    assert response["Location"] == reverse("appraisals:unit_setup", args=[w.econ.pk])
    assert Cadre.objects.filter(round_unit=w.econ).count() == 2


def test_after_publishing_cadres_and_voters_stay_as_they_are(client, w):
    through(w, "published")
    voters, cadres = EligibleVoter.objects.count(), Cadre.objects.count()
    _as(client, w.office)
    refusal = "述职报告公开后，参评单位、干部和投票人不能再改。"
    for name, pk, data in (
        ("appraisals:cadre_add", w.econ.pk, {"staff_no": "E0001", "post": "副院长"}),
        ("appraisals:cadre_remove", w.cadres["dean"].pk, {}),
        ("appraisals:voters_fill", w.econ.pk, {"staff_category": "staff", "cadre_category": "cadre"}),
        ("appraisals:voters_add", w.round.pk, {"staff_numbers": "E0001", "category": "leader", "units": [w.law.pk]}),
    ):
        assert refusal in _text(client.post(reverse(name, args=[pk]), data, follow=True)), name
    assert (EligibleVoter.objects.count(), Cadre.objects.count()) == (voters, cadres)


def test_setting_the_tellers(client, w, clock):
    response = _as(client, w.office).post(
        reverse("appraisals:tellers", args=[w.econ.pk]), {"first": "E0001", "second": "E0101"}, follow=True
    )
    assert "计票人：张伟、钱院长。" in _text(response)
    assert sorted(Teller.objects.filter(round_unit=w.econ).values_list("person__staff_no", flat=True)) == [
        "E0001",
        "E0101",
    ]
    response = client.post(
        reverse("appraisals:tellers", args=[w.econ.pk]), {"first": "E0001", "second": "E0001"}, follow=True
    )
    assert "请填写两位计票人的工号。" in _text(response)
    through(w, "closed", clock)
    response = client.post(
        reverse("appraisals:tellers", args=[w.econ.pk]), {"first": "E0002", "second": "E0099"}, follow=True
    )
    assert "投票截止后不能再更换计票人。" in _text(response)
    assert sorted(Teller.objects.filter(round_unit=w.econ).values_list("person__staff_no", flat=True)) == [
        "E0001",
        "E0101",
    ]


# --- a cadre's report -------------------------------------------------------------------------


def test_the_office_writes_a_cadre_s_report_and_uploads_its_pdf(client, w):
    dean = w.cadres["dean"]
    response = _as(client, w.office).get(reverse("appraisals:cadre_report", args=[dean.pk]))
    assert response.status_code == 200
    assert response.context["form"].initial == {"text": "钱院长2021年度述职报告"}
    response = client.post(reverse("appraisals:cadre_report", args=[dean.pk]), {"text": "  新的述职报告  "})
    assert response["Location"] == reverse("appraisals:unit_setup", args=[w.econ.pk])
    dean.refresh_from_db()
    assert (dean.report_text, dean.report_file_id) == ("新的述职报告", None)
    upload = SimpleUploadedFile("述职报告.pdf", PDF, content_type="application/pdf")
    client.post(reverse("appraisals:cadre_report", args=[dean.pk]), {"text": "", "report_file": upload})
    dean.refresh_from_db()
    assert dean.report_text == "" and dean.report_file.original_name == "述职报告.pdf"
    page = _text(client.get(reverse("appraisals:unit_setup", args=[w.econ.pk])))
    assert reverse("attachments:download", args=[dean.report_file_id]) in page


def test_a_report_with_nothing_in_it_or_a_file_that_is_not_a_pdf_is_refused(client, w):
    dean = w.cadres["dean"]
    response = _as(client, w.office).post(reverse("appraisals:cadre_report", args=[dean.pk]), {"text": "  "})
    assert response.status_code == 200
    assert response.context["form"].errors["text"] == ["请填写述职报告或上传文件。"]
    upload = SimpleUploadedFile("report.pdf", b"just some words, no pdf", content_type="application/pdf")
    response = client.post(reverse("appraisals:cadre_report", args=[dean.pk]), {"text": "", "report_file": upload})
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["report_file"]
    dean.refresh_from_db()
    assert (dean.report_text, dean.report_file_id) == ("钱院长2021年度述职报告", None)


def test_a_published_report_is_read_not_changed(client, w):
    through(w, "published")
    dean = w.cadres["dean"]
    response = _as(client, w.office).get(reverse("appraisals:cadre_report", args=[dean.pk]))
    assert 'data-testid="locked"' in _text(response) and 'data-testid="report-form"' not in _text(response)
    response = client.post(reverse("appraisals:cadre_report", args=[dean.pk]), {"text": "改写"})
    assert "述职报告公开后，参评单位、干部和投票人不能再改。" in _text(response)
    dean.refresh_from_db()
    assert dean.report_text == "钱院长2021年度述职报告"
