"""Every list page and list API endpoint of the society costs the same number of queries
for 3 rows as for 30: nothing is fetched row by row."""

import datetime
import itertools
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gonghui.mutual_aid.choices import ApplicationStatus as S
from gonghui.mutual_aid.choices import LedgerKind
from gonghui.mutual_aid.models import (
    CommitteeSitting,
    Decision,
    FeeLine,
    FeeRun,
    LedgerEntry,
    PaymentBatch,
    PublicNotice,
    SchemeEdition,
    SchemeMembership,
)
from gonghui.mutual_aid.tests.committee.factories import application_make, edition_make
from gonghui.people.models import Person

D = Decimal
_numbers = itertools.count()
_years = itertools.count(1900)


def _edition(year):
    return SchemeEdition.objects.filter(year=year).first() or edition_make(year=year)


def _people(u, n):
    return Person.objects.bulk_create(
        Person(
            staff_no=f"Q{index:05d}",
            name=f"职工{index}",
            gender="M",
            birth_date=datetime.date(1980, 1, 1),
            sub_union=u.econ,
        )
        for index in itertools.islice(_numbers, n)
    )


def _applications(u, n, *, person=None, status=S.OFFICE_CHECKED):
    edition = _edition(2020)
    people = [person] * n if person else _people(u, n)
    return [application_make(person=p, edition=edition, computed="100.00", status=status) for p in people]


def _decided(u, n):
    applications = _applications(u, n, status=S.ON_NOTICE)
    sitting = CommitteeSitting.objects.create(year=2020, held_on=datetime.date(2021, 3, 20))
    sitting.members.set([u.users["welfare_committee"]])
    Decision.objects.bulk_create(
        Decision(sitting=sitting, application=a, outcome="approved", amount=D("100.00")) for a in applications
    )
    notice = PublicNotice.objects.create(
        sitting=sitting, starts_on=datetime.date(2021, 3, 25), ends_on=datetime.date(2021, 4, 1)
    )
    return sitting, notice


def _fee_lines(u, n, *, people=None):
    edition = _edition(2024)
    run = FeeRun.objects.create(year=2024, edition=edition)
    people = people or _people(u, n)
    SchemeMembership.objects.bulk_create(
        SchemeMembership(person=p, joined_on=datetime.date(2024, 3, 1), eligible_from=datetime.date(2024, 3, 1))
        for p in people
    )
    return FeeLine.objects.bulk_create(
        FeeLine(year=2024, run=run, person=p, amount=D("120.00"), channel="payroll") for p in people
    )


def _my_fee_lines(u, n):
    for year in itertools.islice(_years, n):
        run = FeeRun.objects.create(year=year, edition=edition_make(year=year))
        FeeLine.objects.create(year=year, run=run, person=u.zhang, amount=D("120.00"), channel="payroll")


def _ledger(u, n):
    line = FeeLine.objects.filter(person=u.zhang).first() or _fee_lines(u, 1, people=[u.zhang])[0]
    LedgerEntry.objects.bulk_create(
        LedgerEntry(year=2024, person=u.zhang, kind=LedgerKind.RECEIPT, amount=D("1.00"), fee_line=line)
        for _ in range(n)
    )


def _batches(u, n):
    applications = _applications(u, n, status=S.PAID)
    for application in applications:
        PaymentBatch.objects.create(year=2020).applications.set([application])


def _editions(u, n):
    for year in itertools.islice(_years, n):
        edition_make(year=year)


# (name, builder(university, n), url(university, built), role)
CASES = [
    ("application_list", _applications, lambda u, b: reverse("mutual_aid:application_list"), "union_office"),
    (
        "my_application_list",
        lambda u, n: _applications(u, n, person=u.zhang),
        lambda u, b: reverse("mutual_aid:my_application_list"),
        "member",
    ),
    ("fee_members", _fee_lines, lambda u, b: reverse("mutual_aid:fee_members") + "?year=2024", "union_office"),
    ("fee_year", _fee_lines, lambda u, b: reverse("mutual_aid:fee_year", args=[2024]), "union_office"),
    ("fee_ledger", _ledger, lambda u, b: reverse("mutual_aid:fee_ledger", args=[u.zhang.pk]), "union_office"),
    ("fee_my", _ledger, lambda u, b: reverse("mutual_aid:fee_my"), "member"),
    ("edition_list", _editions, lambda u, b: reverse("mutual_aid:edition_list"), "union_office"),
    (
        "committee_sitting_detail",
        _decided,
        lambda u, b: reverse("mutual_aid:committee_sitting_detail", args=[b[0].pk]),
        "welfare_committee",
    ),
    ("notice_detail", _decided, lambda u, b: reverse("mutual_aid:notice_detail", args=[b[1].pk]), "union_office"),
    ("payment_batch_list", _batches, lambda u, b: reverse("mutual_aid:payment_batch_list"), "union_office"),
    ("api_applications", _applications, lambda u, b: "/api/mutual-aid/applications/", "union_office"),
    (
        "api_my_applications",
        lambda u, n: _applications(u, n, person=u.zhang),
        lambda u, b: "/api/mutual-aid/my/applications/",
        "member",
    ),
    ("api_editions", _editions, lambda u, b: "/api/mutual-aid/editions/", "union_office"),
    ("api_my_fee_lines", _my_fee_lines, lambda u, b: "/api/mutual-aid/my/fee-lines/", "member"),
]


def _queries(client, university, build, url, role, n) -> int:
    built = build(university, n)
    client.force_login(university.users[role])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url(university, built))
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("name, build, url, role", CASES, ids=[case[0] for case in CASES])
def test_queries_do_not_grow_with_rows(client, university, name, build, url, role):
    few = _queries(client, university, build, url, role, 3)
    client.logout()
    # the same page again with ten times the rows (the first set stays: 33 rows in all)
    many = _queries(client, university, build, url, role, 30)
    assert many == few, name
