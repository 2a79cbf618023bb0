"""The workbench: each role's to-do queues across modules (exact counts, only their own), each
queue's link listing exactly the counted rows, the greeting by name and role, the year at a
glance for the office and the auditor, the same number of queries with few and many rows,
and GET /api/workbench/."""

import datetime
import itertools
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gonghui.core.registry import todos_for
from gonghui.mutual_aid.choices import ApplicationStatus as S
from gonghui.mutual_aid.tests.committee.factories import application_make, edition_make
from gonghui.people.models import Person

TZ = ZoneInfo("Asia/Shanghai")
_numbers = itertools.count()


def _at(day: int) -> datetime.datetime:
    return datetime.datetime(2021, 3, day, 9, 0, tzinfo=TZ)


@pytest.fixture
def world(clock, university):
    """Subsidy applications of cost year 2020 (window open until 2021-03-31) waiting at every
    step: three for the economics sub-union's check (zhang twice, li in its group), one for
    law's; one for the office's check, one before the committee, one returned to zhang, one
    payable."""
    u = university
    edition = edition_make(year=2020)
    make = lambda person, status, **fields: application_make(  # noqa: E731
        person=person, edition=edition, computed="100.00", status=status, **fields
    )
    apps = {
        "econ": [
            make(u.zhang, S.SUBMITTED, submitted_at=_at(3)),
            make(u.zhang, S.SUBMITTED, submitted_at=_at(5)),
            make(u.li, S.SUBMITTED, submitted_at=_at(8)),
        ],
        "law": [make(u.wang, S.SUBMITTED, submitted_at=_at(1))],
        "office": [make(u.zhao, S.SUB_UNION_CHECKED, submitted_at=_at(2))],
        "committee": [make(u.wang, S.OFFICE_CHECKED, submitted_at=_at(4))],
        "returned": [make(u.zhang, S.RETURNED, submitted_at=_at(6))],
        "payable": [make(u.li, S.PAYABLE, submitted_at=_at(7))],
    }
    u.users["union_office"].first_name = "王芳"
    u.users["union_office"].save()
    return u, apps


def _queues(user) -> dict:
    return {q.key: q for q in todos_for(user)}


def _counts(user, prefix: str = "mutual_aid.") -> dict:
    return {key: q.count for key, q in _queues(user).items() if key.startswith(prefix)}


def test_each_role_sees_exactly_its_own_mutual_aid_queues(world):
    u, _apps = world
    # the economics officer checks their sub-union's and its group's (not law's)
    # (the officer is a member too: their own queues are empty)
    assert _counts(u.users["sub_union_officer"]) == {
        "mutual_aid.sub_union_check": 3,
        "mutual_aid.my_returned": 0,
        "mutual_aid.my_fee_failed": 0,
    }
    # the office: what waits for its check and the payment, not the sub-unions' check
    assert _counts(u.users["union_office"]) == {"mutual_aid.sub_union_checked": 1, "mutual_aid.payable": 1}
    assert _counts(u.users["administrator"]) == {"mutual_aid.sub_union_checked": 1, "mutual_aid.payable": 1}
    assert _counts(u.users["welfare_committee"]) == {"mutual_aid.office_checked": 1, "mutual_aid.on_hold": 0}
    # the member: their own returned application only, none of the others'
    assert _counts(u.users["member"]) == {"mutual_aid.my_returned": 1, "mutual_aid.my_fee_failed": 0}
    # read-only and unrelated roles have nothing to do
    assert _counts(u.users["auditor"]) == {}
    assert _counts(u.users["proposals_committee"]) == {}
    assert _counts(u.users["handling_unit_officer"]) == {}


def test_queue_oldest_and_deadline(world):
    u, _apps = world
    officer = _queues(u.users["sub_union_officer"])["mutual_aid.sub_union_check"]
    assert officer.oldest == _at(3)
    assert officer.deadline is None and officer.overdue == 0
    returned = _queues(u.users["member"])["mutual_aid.my_returned"]
    assert returned.deadline == datetime.date(2021, 3, 31)
    assert returned.overdue == 0 and not returned.is_overdue
    assert returned.role == "会员"


def test_returned_application_past_the_window_is_overdue(world, clock):
    u, _apps = world
    clock.move_to(datetime.datetime(2021, 4, 2, 10, 0, tzinfo=TZ))
    returned = _queues(u.users["member"])["mutual_aid.my_returned"]
    assert (returned.count, returned.overdue, returned.is_overdue) == (1, 1, True)


@pytest.mark.parametrize(
    ("role", "key", "group"),
    [
        ("sub_union_officer", "mutual_aid.sub_union_check", "econ"),
        ("union_office", "mutual_aid.sub_union_checked", "office"),
        ("union_office", "mutual_aid.payable", "payable"),
        ("welfare_committee", "mutual_aid.office_checked", "committee"),
    ],
)
def test_the_queue_link_lists_exactly_the_counted_rows(world, client, role, key, group):
    u, apps = world
    queue = _queues(u.users[role])[key]
    client.force_login(u.users[role])
    response = client.get(queue.url)
    assert response.status_code == 200
    listed = {a.pk for a in response.context["page"].object_list}
    assert listed == {a.pk for a in apps[group]}
    assert len(listed) == queue.count


def test_the_members_link_lists_exactly_their_returned_application(world, client):
    u, apps = world
    queue = _queues(u.users["member"])["mutual_aid.my_returned"]
    client.force_login(u.users["member"])
    response = client.get(queue.url)
    assert [a.pk for a in response.context["applications"]] == [apps["returned"][0].pk]


def test_home_greets_by_name_and_role_and_shows_the_queues(world, client):
    u, _apps = world
    client.force_login(u.users["union_office"])
    page = client.get(reverse("portal:home")).content.decode()
    assert "王芳（校工会工作人员）您好" in page
    assert 'data-testid="todo-mutual_aid.sub_union_checked"' in page
    assert 'data-testid="year-at-a-glance"' in page
    # an empty queue is not shown
    assert 'data-testid="todo-mutual_aid.on_hold"' not in page
    client.force_login(u.users["sub_union_officer"])
    page = client.get(reverse("portal:home")).content.decode()
    assert "陈静（经济学院分工会·分工会干部）您好" in page
    assert 'data-testid="year-at-a-glance"' not in page
    client.force_login(u.users["member"])
    page = client.get(reverse("portal:home")).content.decode()
    assert "张伟（会员）您好" in page
    assert 'data-testid="todo-mutual_aid.my_returned"' in page
    assert 'data-testid="todo-mutual_aid.sub_union_check"' not in page


def test_year_at_a_glance_for_the_office_and_the_auditor_only(world):
    from gonghui.core.workbench import workbench_for

    u, _apps = world
    office = {f.key: f.value for f in workbench_for(u.users["union_office"]).figures}
    auditor = {f.key: f.value for f in workbench_for(u.users["auditor"]).figures}
    assert office == auditor
    assert office["people.members"] == 5  # the fixture's five people are union members
    assert office["mutual_aid.members"] == 0
    assert office["proposals.registered"] == 0
    assert workbench_for(u.users["union_office"]).year == 2021
    assert workbench_for(u.users["sub_union_officer"]).figures == []
    assert workbench_for(u.users["member"]).figures == []


def _more_rows(u, n):
    edition = edition_make(year=2019)
    people = Person.objects.bulk_create(
        Person(
            staff_no=f"W{next(_numbers):05d}",
            name="职工",
            gender="M",
            birth_date=datetime.date(1980, 1, 1),
            sub_union=u.econ,
        )
        for _ in range(n)
    )
    for person, status in zip(people, itertools.cycle([S.SUBMITTED, S.SUB_UNION_CHECKED, S.PAYABLE]), strict=False):
        application_make(person=person, edition=edition, computed="50.00", status=status, submitted_at=_at(9))


@pytest.mark.parametrize("role", ["union_office", "sub_union_officer", "member", "auditor"])
def test_home_page_makes_the_same_number_of_queries_with_few_and_many_rows(world, client, role):
    u, _apps = world
    client.force_login(u.users[role])
    client.get(reverse("portal:home"))  # warm up (sessions, content types)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("portal:home")).status_code == 200
    _more_rows(u, 30)
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse("portal:home")).status_code == 200
    assert len(many) == len(few)


def test_workbench_api(world, client):
    u, _apps = world
    client.force_login(u.users["sub_union_officer"])
    data = client.get(reverse("api-workbench")).json()
    queues = {q["key"]: q for q in data["todos"]}
    assert queues["mutual_aid.sub_union_check"]["count"] == 3
    assert queues["mutual_aid.sub_union_check"]["oldest"] == "2021-03-03T01:00:00+00:00"
    assert queues["mutual_aid.sub_union_check"]["url"] == "/mutual-aid/applications/?status=submitted&cost_year="
    assert data["year"] == 2021
    assert data["figures"] == []
    client.force_login(u.users["auditor"])
    data = client.get(reverse("api-workbench")).json()
    assert data["todos"] == []
    assert {f["key"] for f in data["figures"]} >= {"people.members", "mutual_aid.fees_deducted", "insurance.premium"}
    client.logout()
    assert client.get(reverse("api-workbench")).status_code in (401, 403)
