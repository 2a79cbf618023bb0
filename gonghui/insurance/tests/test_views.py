"""The office's pages: enrollment with the participation warning, roster download logged,
the acceptance file previewed then confirmed, the report and its .xlsx."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gonghui.core.models import AuditAction, AuditEvent
from gonghui.insurance.models import PlanEnrollment, RosterExport
from gonghui.insurance.services.enrollment import opt_out_record
from gonghui.insurance.tests.helpers import acceptance_file

pytestmark = pytest.mark.django_db


def test_office_runs_the_year_through_the_pages(client, university, office, editions_2021):
    u = university
    hospital = editions_2021["ZYJT"]
    opt_out_record(actor=office, edition=hospital, person=u.zhang, reason="已在其他单位参保")
    client.force_login(office)
    response = client.post(reverse("insurance:edition_enroll", args=[hospital.pk]), follow=True)
    page = response.content.decode()
    assert "新增 3 人" in page
    assert 'data-testid="participation-warning"' in page  # 3 of 4 eligible: 75% < 80%
    assert PlanEnrollment.objects.filter(edition=hospital).count() == 3
    client.post(reverse("insurance:roster_create", args=[hospital.pk]))
    roster = RosterExport.objects.get(edition=hospital)
    before = AuditEvent.objects.filter(action=AuditAction.EXPORTED_CLEAR).count()
    download = client.get(reverse("insurance:roster_download", args=[roster.pk]))
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    assert AuditEvent.objects.filter(action=AuditAction.EXPORTED_CLEAR).count() == before + 1
    data = acceptance_file(
        [
            (1, "李娜", u.li.id_number_clear(), "承保", ""),
            (2, "王芳", u.wang.id_number_clear(), "拒保", "资料不全"),
            (3, "某人", "110105199001011234", "承保", ""),
        ]
    )
    response = client.post(
        reverse("insurance:acceptance_upload", args=[roster.pk]),
        {"file": SimpleUploadedFile("回执.xlsx", data)},
        follow=True,
    )
    page = response.content.decode()
    assert "承保 1 人，拒保 1 人，未匹配 1 行，无效 0 行" in page
    assert "本名单中没有此身份证号" in page
    assert PlanEnrollment.objects.filter(edition=hospital, status="rejected").count() == 0
    preview_id = response.redirect_chain[-1][0].rstrip("/").split("/")[-1]
    client.post(reverse("insurance:acceptance_confirm", args=[preview_id]))
    assert dict(PlanEnrollment.objects.filter(edition=hospital).values_list("person__staff_no", "status")) == {
        "E0002": "accepted",
        "L0001": "rejected",
        "E0099": "on_roster",
    }
    report = client.get(reverse("insurance:report") + "?year=2021").content.decode()
    assert 'data-testid="premium-ZYJT">100.00<' in report  # li and the officer; wang rejected
    assert "<svg" in report
    xlsx = client.get(reverse("insurance:report") + "?year=2021&export=xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_report_rows_charts_and_command_agree(client, university, office, editions_2021, capsys):
    import io
    import json
    from decimal import Decimal

    from django.core.management import call_command
    from openpyxl import load_workbook

    from gonghui.insurance.selectors.figures import insurance_report
    from gonghui.insurance.services.enrollment import enrollment_run
    from tests.charts import loads_echarts, page_charts

    enrollment_run(actor=office, edition=editions_2021["ZYJT"])  # 4 × 50
    enrollment_run(actor=office, edition=editions_2021["NGTJ"])  # 3 × 25
    report = insurance_report(user=office, year=2021)
    rows = {(section, item): value for section, item, value in report.rows}
    assert rows[("住院津贴", "参保人数")] == 4 and rows[("住院津贴", "保费（元）")] == Decimal("200.00")
    assert rows[("女工特疾", "参保人数：女")] == 3 and rows[("女工特疾", "参保人数：男")] == 0
    assert rows[("住院津贴", "参保人数：经济学院分工会")] == 3 and rows[("住院津贴", "赔付率")] == Decimal("0.0000")
    assert rows[("重大疾病", "参保人数")] == 0 and rows[("重大疾病", "赔付率")] is None
    assert rows[("合计", "保费（元）")] == Decimal("275.00") and rows[("合计", "参保人数")] == 7
    # the .xlsx holds the same rows under the report's headers
    client.force_login(office)
    sheet = load_workbook(io.BytesIO(client.get(reverse("insurance:report") + "?year=2021&export=xlsx").content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0] == ["计划", "项目", "数值"]
    assert ["合计", "保费（元）", 275] in values and ["合计", "参保人数", 7] in values  # numbers
    # the page's charts (ECharts, from the report's chart declarations): three over the plans
    # and one per plan, each the figures' exact numbers, shares as shares
    page = client.get(reverse("insurance:report") + "?year=2021").content.decode()
    charts = page_charts(page)
    plans = ["住院津贴", "重大疾病", "女工特疾"]
    assert charts == {
        "insured": {
            "kind": "bar",
            "title": "参保人数",
            "format": "number",
            "categories": plans,
            "series": [{"name": "参保人数", "data": [4, 0, 3]}],
        },
        "money": {
            "kind": "bar",
            "title": "保费与赔付（元）",
            "format": "yuan",
            "categories": plans,
            "series": [{"name": "保费", "data": [200, 0, 75]}, {"name": "赔付", "data": [0, 0, 0]}],
        },
        # a share of nothing (no premium) is no figure: null in the chart, "—" in its table
        "loss_ratio": {
            "kind": "bar",
            "title": "赔付率",
            "format": "percent",
            "categories": plans,
            "series": [{"name": "赔付率", "data": [0, None, 0]}],
        },
        "plan-ZYJT": {
            "kind": "bar",
            "title": "住院津贴：按分工会",
            "format": "number",
            "categories": ["法学院分工会", "经济学院分工会"],
            "series": [{"name": "住院津贴：按分工会", "data": [1, 3]}],
        },
        "plan-NGTJ": {
            "kind": "bar",
            "title": "女工特疾：按分工会",
            "format": "number",
            "categories": ["法学院分工会", "经济学院分工会"],
            "series": [{"name": "女工特疾：按分工会", "data": [1, 2]}],
        },
    }
    # 重大疾病 has nobody insured: its chart says so instead of drawing empty axes
    assert page.count('data-testid="chart"') == 6 and page.count('data-testid="empty-state"') == 1
    assert '<th scope="row">重大疾病</th><td class="text-end">—</td>' in page
    assert '<th scope="row">住院津贴</th><td class="text-end">200.00 元</td><td class="text-end">0.00 元</td>' in page
    assert loads_echarts(page)
    assert 'data-testid="premium-total">275.00<' in page
    # the command prints the figures as JSON, Decimals as exact text
    out = io.StringIO()
    call_command("insurance_report", "--year", "2021", stdout=out)
    printed = json.loads(out.getvalue())
    assert printed["total"] == {
        "insured": 7,
        "premium": "275.00",
        "claims": 0,
        "claims_paid": 0,
        "paid": "0.00",
        "loss_ratio": "0.0000",
    }
    out = io.StringIO()
    call_command("insurance_report", "--year", "2021", "--format", "text", stdout=out)
    assert "合计\t保费（元）\t275.00" in out.getvalue().splitlines()


def test_edition_pages_revise_compare_and_adopt(client, university, office, editions_2021):
    from gonghui.core.editions import EditionStatus
    from gonghui.insurance.models import PlanEdition

    client.force_login(office)
    source = editions_2021["ZYJT"]
    response = client.post(reverse("insurance:edition_revise", args=[source.pk]))
    draft = PlanEdition.objects.get(based_on=source)
    assert response["Location"] == reverse("insurance:edition_edit", args=[draft.pk])
    assert (draft.name, draft.start_date, draft.status) == (
        "住院津贴 2022 年（草案）",
        datetime.date(2022, 7, 1),
        "draft",
    )
    page = client.get(reverse("insurance:edition_compare") + f"?left={source.pk}&right={draft.pk}").content.decode()
    assert page.count('data-differs="1"') == 2  # the name and the term (its start date)
    assert 'data-testid="compare-name" class="warning"' in page and 'data-testid="compare-term" class="warning"' in page
    # adoption without the act is refused, with it the draft is adopted
    url = reverse("insurance:edition_adopt", args=[draft.pk])
    client.post(url, {"adopted_on": "2022-06-01"})
    draft.refresh_from_db()
    assert draft.status == EditionStatus.DRAFT
    client.post(url, {"adopted_on": "2022-06-01", "resolution": "校工会办公会议"})
    draft.refresh_from_db()
    assert (draft.status, draft.adopted_on, draft.resolution) == (
        "adopted",
        datetime.date(2022, 6, 1),
        "校工会办公会议",
    )
    page = client.get(reverse("insurance:edition_detail", args=[draft.pk])).content.decode()
    assert "校工会办公会议" in page and 'data-testid="adopt"' not in page
    assert client.get(reverse("insurance:edition_edit", args=[draft.pk])).status_code == 404


def test_claim_detail_buttons_and_api_next_steps_follow_the_workflow(client, university, office, editions_2021):
    from gonghui.insurance.services.claims import claim_report
    from gonghui.insurance.services.enrollment import enrollment_run

    enrollment_run(actor=office, edition=editions_2021["ZYJT"])
    claim = claim_report(
        actor=office,
        person=university.zhang,
        plan=editions_2021["ZYJT"].plan,
        benefit_code="allowance",
        diagnosis="肺炎",
        admission_date=datetime.date(2021, 9, 1),
        discharge_date=datetime.date(2021, 9, 11),
        reported_on=datetime.date(2021, 9, 15),
    )
    client.force_login(office)
    page = client.get(reverse("insurance:claim_detail", args=[claim.pk])).content.decode()
    assert 'data-testid="claim-check"' in page and 'data-testid="claim-forward"' not in page
    data = client.get(reverse("api-insurance-claim-detail", args=[claim.pk])).json()
    assert [s["step"] for s in data["next_steps"]] == ["request_documents", "withdraw"]
    listed = client.get(reverse("api-insurance-claim-list")).json()["results"]
    assert [row["id"] for row in listed] == [claim.pk] and "next_steps" not in listed[0]
    client.force_login(university.users["member"])
    page = client.get(reverse("insurance:my_claim_detail", args=[claim.pk])).content.decode()
    assert 'data-testid="claim-withdraw"' in page and 'data-testid="claim-check"' not in page


def test_report_opens_on_the_latest_year_with_data_and_lists_every_such_year(client, office, editions_2021, clock):
    """Today is later than 2021, and 2021 is the only year with adopted editions."""
    from gonghui.insurance.presets import editions_create

    editions_create(actor=office, year=2019)
    client.force_login(office)
    response = client.get(reverse("insurance:report"))
    assert response.context["year"] == 2021
    assert response.context["years"] == [2019, 2021]
    asked = client.get(reverse("insurance:report") + "?year=2030")
    assert asked.context["year"] == 2030 and asked.context["years"] == [2019, 2021, 2030]


def test_report_without_data_offers_the_years_around_today(client, office, clock):
    client.force_login(office)
    response = client.get(reverse("insurance:report"))
    today = datetime.date.today().year
    assert response.context["year"] == today
    assert response.context["years"] == list(range(today - 3, today + 2))


def test_a_large_acceptance_file_is_read_by_the_worker_not_in_the_request(
    client, university, office, editions_2021, settings, django_capture_on_commit_callbacks
):
    from gonghui.core.models import ImportPreview, ImportStatus

    settings.IMPORT_READ_INLINE_MAX_BYTES = 10
    u = university
    hospital = editions_2021["ZYJT"]
    client.force_login(office)
    client.post(reverse("insurance:edition_enroll", args=[hospital.pk]))
    client.post(reverse("insurance:roster_create", args=[hospital.pk]))
    roster = RosterExport.objects.get(edition=hospital)
    data = acceptance_file([(1, "李娜", u.li.id_number_clear(), "承保", "")])
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(
            reverse("insurance:acceptance_upload", args=[roster.pk]), {"file": SimpleUploadedFile("回执.xlsx", data)}
        )
    preview = ImportPreview.objects.get()
    assert (preview.status, preview.summary) == (ImportStatus.READING, {})
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="import-reading"' in page and 'data-testid="acceptance-confirm"' not in page
    for callback in callbacks:
        callback()
    page = client.get(response["Location"]).content.decode()
    assert "承保 1 人，拒保 0 人，未匹配 0 行，无效 0 行" in page and 'data-testid="acceptance-confirm"' in page
    assert PlanEnrollment.objects.filter(edition=hospital, status="accepted").count() == 0
