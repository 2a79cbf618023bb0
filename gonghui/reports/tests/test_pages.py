"""The annual report's page (`reports:annual`), its .xlsx and its PDF (`reports:annual_pdf`) on
the fake sections of `sections` (conftest.py): the office, the administrators and the auditors
read it; a member and a sub-union officer are refused; every download is logged, a refused
one is not."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from gonghui.reports.models import AnnualReportExport, ExportFormat
from tests.pdf import pdf_text

pytestmark = pytest.mark.django_db

URL = reverse("reports:annual")
PDF_URL = reverse("reports:annual_pdf")


@pytest.mark.parametrize("role", ["union_office", "auditor", "administrator"])
def test_the_page_shows_every_section_with_its_figures_and_charts(client, university, sections, role):
    client.force_login(university.users[role])
    response = client.get(URL, {"year": 2021})

    assert response.status_code == 200
    html = response.content.decode()
    assert "示范大学工会 2021 年度工作报告" in html
    assert html.index('data-testid="section-welfare"') < html.index('data-testid="section-culture"')
    # counts with their unit, money with the money filter, a share as a percentage, text as written
    assert '<dd class="text-break" data-testid="figure-welfare.visits">128 人次</dd>' in html
    assert '<dd class="text-break" data-testid="figure-welfare.amount">201,025.00 元</dd>' in html
    assert '<dd class="text-break" data-testid="figure-welfare.retired_share">87.50%</dd>' in html
    assert '<dd class="text-break" data-testid="figure-welfare.note">春节、中秋两次慰问</dd>' in html
    assert '<dd class="text-break" data-testid="figure-culture.participants">1,383 人</dd>' in html
    # each section's charts (the core chart component), and the chart scripts
    assert html.count('data-testid="chart"') == 2
    assert 'data-chart="chart-welfare-1"' in html and 'id="chart-welfare-1"' in html
    assert 'data-chart="chart-culture-quarters"' in html
    assert "echarts.common.min.js" in html
    # the downloads: the kit's .xlsx and the PDF, of the year shown
    assert 'href="?year=2021&amp;export=xlsx"' in html
    assert f'href="{PDF_URL}?year=2021"' in html
    assert AnnualReportExport.objects.count() == 0  # reading the page is no download


def test_the_page_offers_the_last_ten_years_and_shows_this_year_by_default(client, clock, university, sections):
    client.force_login(university.users["union_office"])
    response = client.get(URL)

    assert response.status_code == 200
    assert response.context["year"] == 2021
    assert response.context["years"] == list(range(2012, 2022))
    assert [s.key for s in response.context["sections"]] == ["welfare", "culture"]


def test_a_year_without_sections_says_so(client, university, sections):
    client.force_login(university.users["union_office"])
    html = client.get(URL, {"year": 2019}).content.decode()

    assert "2019 年还没有各模块的数据" in html
    assert 'data-testid="section-' not in html
    assert "echarts.common.min.js" not in html  # nothing to draw: no chart script


@pytest.mark.parametrize("role", ["member", "sub_union_officer"])
def test_refused_to_a_member_and_a_sub_union_officer(client, university, sections, role):
    client.force_login(university.users[role])

    assert client.get(URL, {"year": 2021}).status_code == 403
    assert client.get(URL, {"year": 2021, "export": "xlsx"}).status_code == 403
    assert client.get(PDF_URL, {"year": 2021}).status_code == 403
    assert AnnualReportExport.objects.count() == 0
    assert sections.calls == []


def test_anonymous_visitors_are_sent_to_sign_in(client, university, sections):
    for url in (URL, PDF_URL):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    assert AnnualReportExport.objects.count() == 0


def test_the_xlsx_holds_the_rows_and_each_download_is_logged(client, university, sections):
    office = university.users["union_office"]
    client.force_login(office)

    response = client.get(URL, {"year": 2021, "export": "xlsx"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(BytesIO(response.content)).active
    assert [tuple(row) for row in sheet.iter_rows(values_only=True)] == [
        ("类别", "项目", "数值"),
        ("慰问帮扶", "慰问人次", 128),
        ("慰问帮扶", "慰问金额", 201025),
        ("慰问帮扶", "离退休占比", 0.875),
        ("慰问帮扶", "说明", "春节、中秋两次慰问"),
        ("文体活动", "活动项目", 12),
        ("文体活动", "参与人数", 1383),
    ]
    assert list(AnnualReportExport.objects.values_list("year", "format", "created_by")) == [
        (2021, ExportFormat.XLSX, office.pk)
    ]

    client.get(URL, {"year": 2020, "export": "xlsx"})
    assert sorted(AnnualReportExport.objects.values_list("year", "format")) == [(2020, "xlsx"), (2021, "xlsx")]


def test_the_pdf_and_its_log(client, university, sections):
    auditor = university.users["auditor"]
    client.force_login(auditor)

    response = client.get(PDF_URL, {"year": 2021})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    assert "示范大学工会" in text
    assert "2021年度工作报告" in text.replace(" ", "")
    assert "201,025.00" in text
    assert "87.50%" in text
    assert "1,383" in text
    assert list(AnnualReportExport.objects.values_list("year", "format", "created_by")) == [
        (2021, ExportFormat.PDF, auditor.pk)
    ]


def test_the_workspace_links_to_it_for_its_readers_only(university):
    from gonghui.core.registry import workspace_for

    def links(role):
        return [
            (section.key, link.url_name)
            for section, found in workspace_for(university.users[role])
            for link in found
            if section.key == "reports"
        ]

    for role in ("union_office", "auditor", "administrator"):
        assert links(role) == [("reports", "reports:annual")]
    for role in ("member", "sub_union_officer", "welfare_committee"):
        assert links(role) == []
