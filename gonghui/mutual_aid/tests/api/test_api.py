"""The read-only mutual-aid API: the same scoping as the pages."""

import pytest

from gonghui.mutual_aid.choices import ApplicationStatus as S
from gonghui.mutual_aid.models import FeeLine
from gonghui.mutual_aid.services.fees import fee_run_execute
from gonghui.mutual_aid.services.membership import scheme_membership_enroll
from gonghui.mutual_aid.tests.committee.factories import application_make, edition_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(university):
    u = university
    edition = edition_make(year=2020, eligible_statuses=["active", "retired"])
    draft = edition_make(year=2021, status="draft", adopted_on=None)
    apps = {
        "zhang": application_make(person=u.zhang, edition=edition, computed="100.00", status=S.SUBMITTED),
        "li": application_make(person=u.li, edition=edition, computed="200.00", status=S.OFFICE_CHECKED),
        "wang": application_make(person=u.wang, edition=edition, computed="300.00", status=S.OFFICE_CHECKED),
        "zhao": application_make(
            person=u.zhao, edition=edition, computed="400.00", status=S.PAID, approved_amount="400.00"
        ),
    }
    return u, edition, draft, apps


def _ids(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return sorted(row["id"] for row in response.json()["results"])


def test_member_sees_only_their_own(client, world):
    u, _edition, _draft, apps = world
    client.force_login(u.users["member"])
    rows = client.get("/api/mutual-aid/my/applications/").json()["results"]
    assert [(r["id"], r["status"], r["status_display"], r["computed_subsidy"]) for r in rows] == [
        (apps["zhang"].pk, "submitted", "已提交", "100.00")
    ]
    assert client.get("/api/mutual-aid/applications/").status_code == 403


def test_scoped_list_and_filters(client, world):
    u, _edition, _draft, apps = world
    client.force_login(u.users["sub_union_officer"])  # econ and its group: zhang, li
    assert _ids(client, "/api/mutual-aid/applications/") == sorted([apps["zhang"].pk, apps["li"].pk])
    client.force_login(u.users["welfare_committee"])  # from office-checked on
    assert _ids(client, "/api/mutual-aid/applications/") == sorted([apps["li"].pk, apps["wang"].pk, apps["zhao"].pk])
    client.force_login(u.users["union_office"])
    assert len(_ids(client, "/api/mutual-aid/applications/")) == 4
    assert _ids(client, "/api/mutual-aid/applications/", status="paid") == [apps["zhao"].pk]
    assert _ids(client, "/api/mutual-aid/applications/", retired="true") == [apps["zhao"].pk]
    assert _ids(client, "/api/mutual-aid/applications/", sub_union=u.law.pk) == [apps["wang"].pk]
    assert _ids(client, "/api/mutual-aid/applications/", cost_year=2019) == []


def test_editions_members_see_adopted_only(client, world):
    u, edition, draft, _apps = world
    client.force_login(u.users["member"])
    assert _ids(client, "/api/mutual-aid/editions/") == [edition.pk]
    client.force_login(u.users["union_office"])
    assert _ids(client, "/api/mutual-aid/editions/") == sorted([edition.pk, draft.pk])


def test_my_fee_lines(client, university):
    from gonghui.mutual_aid.tests.fees.conftest import edition_make as fee_edition

    fee_edition(year=2024)
    office = university.users["union_office"]
    for person in (university.zhang, university.wang):
        scheme_membership_enroll(person=person, actor=office, on=__import__("datetime").date(2024, 3, 5))
    fee_run_execute(year=2024, actor=office)
    client.force_login(university.users["member"])
    rows = client.get("/api/mutual-aid/my/fee-lines/").json()["results"]
    line = FeeLine.objects.get(person=university.zhang)
    assert rows == [
        {
            "id": line.pk,
            "year": 2024,
            "amount": "120.00",
            "channel": "payroll",
            "channel_display": "工资代扣",
            "status": "charged",
            "status_display": "待扣款",
            "failure_reason": "",
        }
    ]
    client.force_login(university.users["auditor"])
    assert client.get("/api/mutual-aid/my/fee-lines/").json()["results"] == []
