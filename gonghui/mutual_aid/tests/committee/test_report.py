"""The 2021 reference figures (DOMAIN §2) printed from data: fees deducted for 1,383 active
staff; 50,202.51 yuan paid to active staff and 352,551.88 to retirees for 2020 costs."""

import datetime
import json
from decimal import Decimal
from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from gonghui.accounts.system import system_actor
from gonghui.core.reports import plain
from gonghui.mutual_aid.choices import FeeLineStatus, LedgerKind
from gonghui.mutual_aid.models import FeeLine, FeeRun, LedgerEntry, SchemeMembership
from gonghui.mutual_aid.selectors.report import report_figures
from gonghui.mutual_aid.services import committee as services
from gonghui.mutual_aid.services import payments
from gonghui.mutual_aid.tests.committee.factories import application_make, edition_make
from gonghui.people.choices import EmploymentStatus
from gonghui.people.models import Person
from tests.charts import loads_echarts, page_charts

ACTIVE_PAID = ["20000.00", "20000.00", "10202.51"]  # 50,202.51
RETIRED_PAID = ["50000.00"] * 7 + ["2551.88"]  # 352,551.88


@pytest.fixture
def year_2021(university):
    u = university
    office, committee = u.users["union_office"], u.users["welfare_committee"]
    edition_2020 = edition_make(year=2020)
    edition_2021 = edition_make(year=2021)
    staff = Person.objects.bulk_create(
        Person(
            staff_no=f"S{n:05d}",
            name=f"职工{n}",
            gender="M",
            birth_date=datetime.date(1980, 1, 1),
            sub_union=u.econ,
            employment_status=EmploymentStatus.ACTIVE,
        )
        for n in range(1383)
    )
    retirees = Person.objects.bulk_create(
        Person(
            staff_no=f"R{n:05d}",
            name=f"退休{n}",
            gender="F",
            birth_date=datetime.date(1950, 1, 1),
            sub_union=u.retirees,
            employment_status=EmploymentStatus.RETIRED,
        )
        for n in range(len(RETIRED_PAID))
    )
    SchemeMembership.objects.bulk_create(
        SchemeMembership(person=p, joined_on=datetime.date(2019, 3, 1), eligible_from=datetime.date(2019, 3, 1))
        for p in [*staff, *retirees]
    )
    run = FeeRun.objects.create(year=2021, edition=edition_2021, created_by=office)
    lines = FeeLine.objects.bulk_create(
        FeeLine(
            year=2021, run=run, person=p, amount=Decimal("120.00"), channel="payroll", status=FeeLineStatus.DEDUCTED
        )
        for p in staff
    )
    LedgerEntry.objects.bulk_create(
        LedgerEntry(year=2021, person=line.person, kind=LedgerKind.DEDUCTION, amount=line.amount, fee_line=line)
        for line in lines
    )
    applications = [
        application_make(person=p, edition=edition_2020, computed=amount)
        for p, amount in [
            *zip(staff[: len(ACTIVE_PAID)], ACTIVE_PAID, strict=True),
            *zip(retirees, RETIRED_PAID, strict=True),
        ]
    ]
    applications[-1].disease_category = edition_2020.diseases.get(code="C02")
    applications[-1].save()
    sitting = services.sitting_create(actor=office, year=2020, held_on=datetime.date(2021, 3, 20), members=[committee])
    for application in applications:
        services.decision_record(sitting=sitting, application=application, outcome="approved", actor=committee)
    services.sitting_close(sitting=sitting, actor=office, minutes="2020年度补助")
    notice = services.notice_post(sitting=sitting, starts_on=datetime.date(2021, 3, 25), actor=office)
    services.notice_end(notice=notice, today=datetime.date(2021, 4, 2), actor=system_actor())
    batch = payments.payment_batch_create(year=2020, actor=office)
    payments.payment_batch_mark_paid(batch=batch, paid_on=datetime.date(2021, 4, 10), actor=office)
    return u


def command_json(year=2021):
    out = StringIO()
    call_command("mutual_aid_report", "--year", str(year), "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def test_report_prints_the_2021_reference_figures(year_2021):
    figures = command_json()
    assert figures["year"] == 2021 and figures["cost_year"] == 2020
    assert figures["members"] == {"active": 1383, "retired": 8, "total": 1391}
    assert figures["fees"]["deducted"] == {"count": 1383, "sum": "165960.00"}
    assert figures["fees"]["failed"] == {"count": 0, "sum": "0.00"}
    assert figures["paid"] == {"active": "50202.51", "retired": "352551.88", "total": "402754.39"}
    assert figures["approved"]["active"] == {"count": 3, "sum": "50202.51"}
    assert figures["approved"]["retired"] == {"count": 8, "sum": "352551.88"}
    assert (figures["approved"]["count"], figures["approved"]["sum"]) == (11, "402754.39")
    assert figures["approved"]["by_disease"] == [
        {"name": "恶性肿瘤", "count": 10, "sum": "400202.51"},
        {"name": "尿毒症透析", "count": 1, "sum": "2551.88"},
    ]
    assert figures["applications_by_status"]["paid"] == 11
    assert sum(figures["applications_by_status"].values()) == 11
    assert figures["fund"] == {"fees_in": "165960.00", "subsidies_paid": "402754.39", "balance": "-236794.39"}
    # 87.5% to retirees (DOMAIN §2, derived check)
    share = Decimal(figures["paid"]["retired"]) / Decimal(figures["paid"]["total"])
    assert share.quantize(Decimal("0.001")) == Decimal("0.875")


def test_command_json_equals_the_page_numbers_and_the_export(client, year_2021):
    client.force_login(year_2021.users["union_office"])
    response = client.get(reverse("mutual_aid:report"), {"year": 2021})
    assert response.status_code == 200
    assert plain(response.context["figures"]) == command_json()
    html = response.content.decode()
    for text in ["50,202.51", "352,551.88", "1383"]:
        assert text in html
    # the charts draw the same figures (exact: money to the cent), each beside its table
    assert page_charts(html) == {
        "members": {
            "kind": "pie",
            "title": "会员",
            "format": "number",
            "categories": ["在职", "离退休"],
            "series": [{"name": "会员", "data": [1383, 8]}],
        },
        "paid": {
            "kind": "bar",
            "title": "已发放补助（元）",
            "format": "yuan",
            "categories": ["在职", "离退休"],
            "series": [{"name": "已发放补助（元）", "data": [Decimal("50202.51"), Decimal("352551.88")]}],
        },
        "diseases": {
            "kind": "bar",
            "title": "核定补助：按病种（元）",
            "format": "yuan",
            "categories": ["恶性肿瘤", "尿毒症透析"],
            "series": [{"name": "核定补助：按病种（元）", "data": [Decimal("400202.51"), Decimal("2551.88")]}],
        },
        "statuses": {
            "kind": "bar",
            "title": "补助申请",
            "format": "number",
            "categories": ["已发放"],
            "series": [{"name": "补助申请", "data": [11]}],
        },
    }
    assert '<th scope="row">离退休</th><td class="text-end">352,551.88 元</td>' in html
    assert loads_echarts(html)
    export = client.get(reverse("mutual_aid:report"), {"year": 2021, "export": "xlsx"})
    rows = [[c.value for c in row] for row in load_workbook(BytesIO(export.content)).active.iter_rows()]
    assert ["已发放补助", "在职", 50202.51] in rows  # numbers, not text
    assert ["已发放补助", "离退休", 352551.88] in rows
    assert ["会费", "已扣款（笔数）", 1383] in rows


def test_report_of_an_empty_year_is_all_zeros(university):
    figures = plain(report_figures(user=university.users["auditor"], year=2030))
    assert figures["paid"] == {"active": "0.00", "retired": "0.00", "total": "0.00"}
    assert figures["fund"]["balance"] == "0.00"
    assert figures["members"]["total"] == 0
