"""Query-count guards: people's list pages and list endpoints cost the same number of
queries for 3 rows as for 30 (no query per row)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gonghui.core.history import AuditAction, audit_event_record
from gonghui.people.choices import MembershipStatus, SubUnionKind
from gonghui.people.models import UnionMembership
from gonghui.people.tests.factories import EmploymentCategoryFactory, SubUnionFactory, person_make


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def _same_for_3_and_30(client, url: str, add_rows) -> None:
    """`add_rows(n)` adds n rows to what `url` lists; the cost must not follow them."""
    add_rows(3)
    _queries(client, url)  # warm the caches a first request fills
    with_3 = _queries(client, url)
    add_rows(27)
    assert _queries(client, url) == with_3


@pytest.fixture
def office_client(client, university):
    client.force_login(university.users["union_office"])
    return client


def _people(university):
    categories = [EmploymentCategoryFactory(name=name) for name in ("事业编制", "合同制", "博士后")]
    sub_unions = [university.econ, university.econ_group, university.law, university.retirees]
    made = iter(range(1000))

    def add(n):
        for _ in range(n):
            i = next(made)
            person_make(name="测试人员", sub_union=sub_unions[i % 4], employment_category=categories[i % 3])

    return add


@pytest.mark.parametrize("url", ["/people/", "/api/people/?page_size=100", "/people/?export=xlsx"])
def test_people_list_page_and_endpoint(office_client, university, url):
    _same_for_3_and_30(office_client, url, _people(university))


def test_people_list_for_a_sub_union_officer(client, university):
    client.force_login(university.users["sub_union_officer"])
    _same_for_3_and_30(client, "/people/", _people(university))


def _sub_unions(university):
    made = iter(range(1000))

    def add(n):
        for _ in range(n):
            i = next(made)
            parent = university.econ if i % 2 else None
            sub_union = SubUnionFactory(
                union=university.econ.union, parent=parent, kind=SubUnionKind.GROUP if parent else SubUnionKind.COLLEGE
            )
            person_make(sub_union=sub_union)

    return add


@pytest.mark.parametrize(
    "url", ["/people/sub-unions/", "/people/sub-unions/?export=xlsx", "/api/sub-unions/?page_size=100"]
)
def test_sub_union_list_page_and_endpoint(office_client, university, url):
    _same_for_3_and_30(office_client, url, _sub_unions(university))


def test_a_persons_memberships_and_history(office_client, university):
    """The person's page lists every membership spell and history row."""
    zhang = university.zhang
    office = university.users["union_office"]
    made = iter(range(1000))

    def add(n):
        for _ in range(n):
            i = next(made)
            sub_union = SubUnionFactory(union=university.econ.union)
            spell = UnionMembership.objects.create(
                person=zhang,
                sub_union=sub_union,
                member_no="ME0001",
                joined_on=datetime.date(1990, 1, 1) + datetime.timedelta(days=i),
                status=MembershipStatus.TRANSFERRED,
                ended_on=datetime.date(1990, 1, 2) + datetime.timedelta(days=i),
            )
            audit_event_record(
                actor=office,
                obj=spell,
                action=AuditAction.MEMBERSHIP,
                person_id=zhang.pk,
                changes={"sub_union": [None, sub_union.name]},
            )

    _same_for_3_and_30(office_client, reverse("people:person_detail", args=[zhang.pk]), add)
