"""The organisation department's results pages: the round's results (turnout, each unit's
cadres and team, the summary across units), one unit's sheet, one cadre's sheet with the years
before, the .xlsx and PDF exports (recorded in the audit trail) — and nobody else gets any of it:
the union office, auditors, an administrator, a superuser without the role and the round's own
voters get 403, those who cannot see the round 404, and no figure of the results.

The ballots and the expected figures: tests/results_scenario.py."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from gonghui.accounts.roles import Role
from gonghui.accounts.system import system_actor
from gonghui.appraisals.models import AppraisalResult, Cadre
from gonghui.appraisals.services import rounds as round_services
from gonghui.appraisals.services.voting import appraisal_vote
from gonghui.appraisals.tests.factories import aware, rules_make
from gonghui.appraisals.tests.results_scenario import released
from gonghui.core.models import AuditAction, AuditEvent
from gonghui.mutual_aid.tests.committee.test_pages import pdf_text
from gonghui.people.tests.factories import user_make

# what would betray the results: the scores, the weighted shares, the flags
LEAKS = ("94.00", "34.00", "88.57", "80.00%", "60.00%", "42.86%", "诫勉谈话", "考虑调整")


def results_url(w, fmt: str = "") -> str:
    return reverse("appraisals:results", args=[w.round.pk]) + (f"?format={fmt}" if fmt else "")


def unit_url(w, unit, fmt: str = "") -> str:
    return reverse("appraisals:unit_results", args=[w.round.pk, unit.pk]) + (f"?format={fmt}" if fmt else "")


def sheet_url(cadre) -> str:
    return reverse("appraisals:cadre_sheet", args=[cadre.pk])


@pytest.fixture
def done(w, clock):
    return released(w, clock)


def _text(response) -> str:
    return response.content.decode("utf-8", errors="replace")


# --- the round's results ------------------------------------------------------------------------


def test_the_results_page_shows_turnout_units_and_summary(client, done):
    w = done
    client.force_login(w.users["zzb"])
    response = client.get(results_url(w))
    assert response.status_code == 200
    page = response.context["page"]
    # turnout per unit, the law school under quorum
    turnout = {u.name: (u.turnout.eligible, u.turnout.took_part, u.turnout.quorum_counted, u.final) for u in page.units}
    assert turnout == {"经济学院分工会": (8, 6, 4, True), "法学院分工会": (5, 2, 1, False)}
    assert (page.eligible, page.took_part, page.units_under_quorum) == (13, 8, 1)
    econ = next(u for u in page.units if u.name == "经济学院分工会")
    assert [(c.subject, c.post, c.ratios, c.score, c.flags, c.final) for c in econ.cadres] == [
        ("钱院长", "院长", [Decimal("0.8"), Decimal("0.1"), Decimal("0.1"), Decimal("0")], Decimal("94.00"), [], True),
        (
            "孙书记",
            "书记",
            [Decimal("0.1"), Decimal("0.3"), Decimal("0"), Decimal("0.6")],
            Decimal("34.00"),
            ["诫勉谈话", "考虑调整"],
            True,
        ),
    ]
    assert econ.team.ratios == [Decimal("0.8"), Decimal("0.1"), Decimal("0.1"), Decimal("0")]
    assert econ.cadre_grades == ["优秀", "称职", "基本称职", "不称职"]
    assert econ.team.grades == ["好", "较好", "一般", "差"]
    # the summary: the ranking (the law dean's unit missed its quorum: listed, not ranked)
    ranking = [(item.rank, item.line.subject, item.line.score) for item in page.summary.ranking]
    assert ranking == [
        (1, "钱院长", Decimal("94.00")),
        (2, "孙书记", Decimal("34.00")),
        (None, "周院长", Decimal("88.57")),
    ]
    assert [line.subject for line in page.summary.flagged] == ["孙书记"]
    assert [(t.unit, t.score, t.final) for t in page.summary.teams] == [
        ("经济学院分工会", Decimal("94.00"), True),
        ("法学院分工会", Decimal("88.57"), False),
    ]
    # on the page: the shares in %, the flags as badges, the under-quorum mark
    html = _text(response)
    for shown in ("80.00%", "10.00%", "60.00%", "42.86%", "57.14%", "94.00", "34.00", "88.57"):
        assert shown in html, shown
    assert html.count('data-testid="flag"') == 6  # 孙书记's two: in the unit's table, the flagged list, the ranking
    assert "未达参评比例，结果不作为最终结果" in html
    assert html.count('data-testid="under-quorum"') == 1
    assert 'href="?format=xlsx"' in html and 'href="?format=pdf"' in html


def test_the_counts_per_category_and_grade(client, done):
    w = done
    client.force_login(w.users["zzb"])
    response = client.get(unit_url(w, w.econ))
    assert response.status_code == 200
    sheet = response.context["sheet"]
    dean = sheet.cadres[0]
    rows = [
        (c.name, c.weight, [n for n, _share in c.cells], [share for _n, share in c.cells], c.valid)
        for c in dean.categories
    ]
    assert rows == [
        ("校领导", 30, [1, 0, 0, 0], [Decimal("1"), Decimal("0"), Decimal("0"), Decimal("0")], 1),
        ("中层干部", 30, [1, 0, 0, 0], [Decimal("1"), Decimal("0"), Decimal("0"), Decimal("0")], 1),
        ("教职工", 40, [2, 1, 1, 0], [Decimal("0.5"), Decimal("0.25"), Decimal("0.25"), Decimal("0")], 4),
    ]
    assert sheet.team.categories[2].cells == [
        (2, Decimal("0.5")),
        (1, Decimal("0.25")),
        (1, Decimal("0.25")),
        (0, Decimal("0")),
    ]
    html = _text(response)
    assert "（50.00%）" in html and "（25.00%）" in html
    assert html.count('data-testid="category-table"') == 3  # two cadres and the team
    assert "周院长" not in html  # the law school is another unit
    # the law school: under quorum, its cadre's leaders' and staff's ballots only
    response = client.get(unit_url(w, w.law))
    law = response.context["sheet"]
    assert [(c.name, c.valid) for c in law.cadres[0].categories] == [("校领导", 1), ("中层干部", 0), ("教职工", 1)]
    assert 'data-testid="under-quorum"' in _text(response)


def test_a_unit_of_another_round_is_not_found(client, done, university):
    w = done
    client.force_login(w.users["zzb"])
    other = round_services.round_create(
        actor=w.office,
        year=2021,
        title="另一测评",
        opens_at=aware(datetime.datetime(2021, 4, 20, 9)),
        closes_at=aware(datetime.datetime(2021, 4, 20, 18)),
    )
    assert client.get(reverse("appraisals:unit_results", args=[other.pk, w.econ.pk])).status_code == 404
    assert client.get(reverse("appraisals:unit_results", args=[w.round.pk, 999999])).status_code == 404
    assert client.get(reverse("appraisals:results", args=[999999])).status_code == 404
    assert client.get(reverse("appraisals:cadre_sheet", args=[999999])).status_code == 404


def test_the_cadre_sheet(client, done):
    w = done
    client.force_login(w.users["zzb"])
    response = client.get(sheet_url(w.cadres["secretary"]))
    assert response.status_code == 200
    line = response.context["line"]
    assert (line.subject, line.score, line.flags, line.final) == (
        "孙书记",
        Decimal("34.00"),
        ["诫勉谈话", "考虑调整"],
        True,
    )
    assert [(c.name, [n for n, _s in c.cells]) for c in line.categories] == [
        ("校领导", [0, 0, 0, 1]),
        ("中层干部", [0, 1, 0, 0]),
        ("教职工", [1, 0, 0, 3]),
    ]
    history = response.context["history"]
    assert [(h.year, h.score, h.flags, h.final) for h in history] == [
        (2021, Decimal("34.00"), ["诫勉谈话", "考虑调整"], True)
    ]
    assert response.context["chart"] is None  # one year: nothing to compare
    html = _text(response)
    assert "优秀 10.00%，称职 30.00%，基本称职 0.00%，不称职 60.00%" in html
    # the law dean: not final
    response = client.get(sheet_url(w.cadres["law_dean"]))
    assert response.context["line"].final is False
    assert 'data-testid="under-quorum"' in _text(response)


def _next_year(w, clock):
    """2022: the economics school again, 钱院长 appraised by its four staff voters (all 称职)."""
    clock.move_to(aware(datetime.datetime(2022, 1, 15, 10)))
    rules_make(w.u, year=2022)
    office = w.office
    r2022 = round_services.round_create(
        actor=office,
        year=2022,
        title="2022年度中层干部民主测评",
        opens_at=aware(datetime.datetime(2022, 3, 20, 9)),
        closes_at=aware(datetime.datetime(2022, 3, 20, 18)),
    )
    econ = round_services.unit_add(actor=office, appraisal_round=r2022, sub_union=w.u.econ)
    dean = round_services.cadre_add(actor=office, unit=econ, staff_no="E0101", post="院长")
    round_services.cadre_report_set(actor=office, cadre=dean, text="2022年度述职报告")
    round_services.voters_fill(actor=office, unit=econ, staff_category="staff", cadre_category="cadre")
    round_services.reports_publish(actor=office, appraisal_round=r2022)
    clock.move_to(aware(datetime.datetime(2022, 3, 20, 9, 1)))
    round_services.voting_open(actor=office, appraisal_round=r2022)
    econ.refresh_from_db()
    for name in ("member", "li", "sub_union_officer", "econ0"):
        appraisal_vote(actor=w.users[name], unit=econ, choices={dean.item_key: "competent", "team": "fair"})
    clock.move_to(aware(datetime.datetime(2022, 3, 20, 18, 1)))
    round_services.voting_close(actor=system_actor(), appraisal_round=r2022)
    round_services.round_tally(actor=office, appraisal_round=r2022)
    round_services.results_release(actor=w.users["zzb"], appraisal_round=r2022)
    r2022.refresh_from_db()
    return r2022, dean


def test_year_on_year(client, done, clock):
    w = done
    r2022, dean2022 = _next_year(w, clock)
    client.force_login(w.users["zzb"])
    # the 2022 summary shows each cadre's score of the year before
    response = client.get(reverse("appraisals:results", args=[r2022.pk]))
    ranking = response.context["page"].summary.ranking
    assert [(i.rank, i.line.subject, i.line.score, i.previous, i.change) for i in ranking] == [
        (1, "钱院长", Decimal("80.00"), (2021, Decimal("94.00")), Decimal("-14.00"))
    ]
    assert "2021年 94.00" in response.content.decode() and "（-14.00）" in response.content.decode()
    # the cadre's sheet: both years, the latest first, and the chart of the scores
    response = client.get(sheet_url(dean2022))
    assert [(h.year, h.score, h.round_id) for h in response.context["history"]] == [
        (2022, Decimal("80.00"), r2022.pk),
        (2021, Decimal("94.00"), w.round.pk),
    ]
    chart = response.context["chart"]
    assert chart.labels == ("2021", "2022") and chart.series[0][1] == (Decimal("94.00"), Decimal("80.00"))
    # the 2021 sheet of the same person shows the same history
    response = client.get(sheet_url(w.cadres["dean"]))
    assert [h.year for h in response.context["history"]] == [2022, 2021]


# --- exports ------------------------------------------------------------------------------------


def test_the_workbook(client, done):
    w = done
    # a post typed as a formula stays text
    Cadre.objects.filter(pk=w.cadres["secretary"].pk).update(post="=HYPERLINK(1)")
    client.force_login(w.users["zzb"])
    response = client.get(results_url(w, "xlsx"))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["参评情况", "干部个人", "领导班子", "各类别计票"]
    turnout = [list(row) for row in book["参评情况"].iter_rows(values_only=True)]
    assert turnout[1:] == [
        ["法学院分工会", 5, 2, 2, 0, 0, 3, 2, 1, 0.3333, "否（未达参评比例，结果不作为最终结果）"],
        ["经济学院分工会", 8, 6, 6, 0, 0, 5, 4, 4, 0.8, "是"],
    ]
    cadres = [list(row) for row in book["干部个人"].iter_rows(values_only=True)]
    assert cadres[0] == [
        "排名",
        "单位",
        "干部",
        "职务",
        "优秀",
        "称职",
        "基本称职",
        "不称职",
        "加权得分",
        "提示",
        "结果有效",
        "上一年度得分",
    ]
    assert cadres[1:] == [
        [1, "经济学院分工会", "钱院长", "院长", 0.8, 0.1, 0.1, 0, 94, None, "是", None],
        [2, "经济学院分工会", "孙书记", "'=HYPERLINK(1)", 0.1, 0.3, 0, 0.6, 34, "诫勉谈话、考虑调整", "是", None],
        [
            "—",
            "法学院分工会",
            "周院长",
            "院长",
            0.4286,
            0.5714,
            0,
            0,
            88.57,
            None,
            "否（未达参评比例，结果不作为最终结果）",
            None,
        ],
    ]
    assert book["干部个人"]["E2"].number_format == "0.00%"
    assert book["干部个人"]["D3"].data_type == "s"
    teams = [list(row) for row in book["领导班子"].iter_rows(values_only=True)]
    assert teams[1:] == [
        ["经济学院分工会", 0.8, 0.1, 0.1, 0, 94, None, "是"],
        ["法学院分工会", 0.4286, 0.5714, 0, 0, 88.57, None, "否（未达参评比例，结果不作为最终结果）"],
    ]
    counts = [list(row) for row in book["各类别计票"].iter_rows(values_only=True)]
    # (2 cadres + team) × 3 categories × 4 grades in economics, (1 + team) × 3 × 4 in law
    assert len(counts) == 1 + 3 * 3 * 4 + 2 * 3 * 4
    assert ["经济学院分工会", "钱院长", "院长", "教职工", 40, "优秀", 2, 4, 0.5] in counts
    assert ["法学院分工会", "领导班子", None, "中层干部", 30, "好", 0, 0, None] in counts
    event = AuditEvent.objects.get(action=AuditAction.EXPORTED)
    assert (event.actor, event.object_type, event.object_id) == (
        w.users["zzb"],
        "appraisals.appraisalround",
        str(w.round.pk),
    )
    assert event.message == f"导出干部民主测评结果（round={w.round.pk}&format=xlsx）"


def test_the_pdfs(client, done):
    w = done
    client.force_login(w.users["zzb"])
    response = client.get(results_url(w, "pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    for shown in (
        "2021年度中层干部民主测评结果",
        "钱院长",
        "孙书记",
        "周院长",
        "诫勉谈话、考虑调整",
        "94.00",
        "88.57",
        "党委组织部",
    ):
        assert shown in text, shown
    assert text.count("干部个人民主测评结果表") == 3 and text.count("领导班子民主测评结果表") == 2
    response = client.get(unit_url(w, w.law, "pdf"))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    assert "周院长" in text and "未达参评比例，结果不作为最终结果" in text
    assert "钱院长" not in text and "孙书记" not in text
    events = AuditEvent.objects.filter(action=AuditAction.EXPORTED).order_by("pk")
    assert [e.message for e in events] == [
        f"导出干部民主测评结果（round={w.round.pk}&format=pdf）",
        f"导出干部民主测评单位结果（round={w.round.pk}&unit={w.law.pk}&format=pdf）",
    ]
    assert {e.actor for e in events} == {w.users["zzb"]}


# --- access -------------------------------------------------------------------------------------


def _urls(w) -> list[str]:
    return [
        results_url(w),
        results_url(w, "xlsx"),
        results_url(w, "pdf"),
        unit_url(w, w.econ),
        unit_url(w, w.law, "pdf"),
        sheet_url(w.cadres["secretary"]),
        sheet_url(w.cadres["law_dean"]),
    ]


def test_nobody_else_reads_the_results(client, done, university):
    w = done
    superuser = user_make(username="root")
    superuser.is_superuser = True
    superuser.save()
    outsider = user_make(username="R0001", person=university.zhao)  # a retiree: not in the round
    # whether they see the round (they run it, read it, or vote in it) or not: results are not theirs (403)
    refused = dict.fromkeys(
        (
            "union_office",
            "auditor",
            "administrator",
            "member",
            "sub_union_officer",
            "leader",
            "dean",
            "welfare_committee",
            "handling_unit_officer",
        ),
        403,
    )
    users = {name: w.users[name] for name in refused} | {"superuser": superuser, "outsider": outsider}
    refused |= {"superuser": 403, "outsider": 403}
    for name, user in users.items():
        client.force_login(user)
        for url in _urls(w):
            response = client.get(url)
            assert response.status_code == refused[name], (name, url)
            body = _text(response)
            for leak in LEAKS:
                assert leak not in body, (name, url, leak)
        client.logout()
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORTED).exists()
    response = client.get(results_url(w))
    assert response.status_code == 302 and "/accounts/" in response["Location"]


def test_sealed_until_released(client, w, clock):
    released(w, clock, stage="tallied")
    assert AppraisalResult.objects.count() == 5
    client.force_login(w.users["zzb"])
    response = client.get(results_url(w))
    assert response.status_code == 200
    html = _text(response)
    assert "测评结果尚未启封" in html and 'data-testid="release"' in html
    assert reverse("appraisals:step", args=[w.round.pk, "release"]) in html
    for leak in LEAKS:
        assert leak not in html, leak
    for url in (unit_url(w, w.econ), sheet_url(w.cadres["secretary"])):
        response = client.get(url)
        assert response.status_code == 200 and 'data-testid="results-sealed"' in _text(response)
        assert response.context["sealed"] is True
        for leak in LEAKS:
            assert leak not in _text(response), (url, leak)
    for url in (results_url(w, "xlsx"), results_url(w, "pdf"), unit_url(w, w.econ, "pdf")):
        assert client.get(url).status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORTED).exists()
    client.force_login(w.users["union_office"])
    assert client.get(results_url(w)).status_code == 403


def test_sealed_before_the_count_has_no_release_button(client, w, clock):
    released(w, clock, stage="closed")
    client.force_login(w.users["zzb"])
    html = _text(client.get(results_url(w)))
    assert "测评结果尚未启封" in html and "投票截止并计票后才能启封结果。" in html
    assert 'data-testid="release"' not in html


def test_the_role_is_what_counts(client, done, university):
    """An account holding the organisation department role beside others reads the results."""
    w = done
    both = user_make(username="zzb2", roles=[Role.ORGANISATION_DEPARTMENT, Role.UNION_OFFICE])
    client.force_login(both)
    assert client.get(results_url(w)).status_code == 200
