"""Every list page and list endpoint of drives costs the same number of queries for 3 rows as
for 30: nothing is read row by row."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gonghui.drives.choices import Intent
from gonghui.drives.models import IntentAnswer, RosterExport, SessionSignup
from gonghui.drives.tests.factories import booking_make, drive_make, point_make, registration_make
from gonghui.people.tests.factories import person_make

_born = iter(range(10_000))


def _people(university, count):
    """`count` more staff of econ, each with their own ID number (their own birthday)."""
    start = datetime.date(1970, 1, 1)
    return [
        person_make(sub_union=university.econ, birth_date=start + datetime.timedelta(days=next(_born)))
        for _ in range(count)
    ]


def _drives(university, drive, count):
    for index in range(count):
        drive_make(name=f"活动 {index}")


def _registrations(university, drive, count):
    for person in _people(university, count):
        registration_make(drive, person)


def _bookings(university, drive, count):
    point, slot = point_make(drive, capacity=100)
    for person in _people(university, count):
        booking_make(slot, person)


def _answers(university, drive, count):
    for person in _people(university, count):
        IntentAnswer.objects.create(drive=drive, person=person, intent=Intent.YES, channel="officer")


def _signups(university, drive, count):
    session, _created = drive.sessions.get_or_create(
        title="宣讲会",
        defaults={
            "starts_at": datetime.datetime(2021, 7, 28, 6, tzinfo=datetime.UTC),
            "place": "报告厅",
            "capacity": 100,
        },
    )
    for person in _people(university, count):
        SessionSignup.objects.create(session=session, person=person)


def _rosters(university, drive, count):
    first = drive.rosters.count() + 1
    for version in range(first, first + count):
        RosterExport.objects.create(
            drive=drive,
            version=version,
            line_count=1,
            new_count=1,
            file_name="v.xlsx",
            content_encrypted=b"x",
            sha256="0",
        )


def _session_url(drive):
    return reverse("drives:session_detail", args=[drive.sessions.get().pk])


CASES = {
    "drive list": ("union_office", _drives, lambda d: reverse("drives:drive_list")),
    "portal list": ("member", _drives, lambda d: reverse("drives:portal_list")),
    "api drive list": ("union_office", _drives, lambda d: reverse("api-drive-list")),
    "registrations": ("union_office", _registrations, lambda d: reverse("drives:registration_list", args=[d.pk])),
    "registrations api": (
        "sub_union_officer",
        _registrations,
        lambda d: reverse("api-drive-registration-list", args=[d.pk]),
    ),
    "points": ("union_office", _bookings, lambda d: reverse("drives:points", args=[d.pk])),
    "survey (office)": ("union_office", _answers, lambda d: reverse("drives:survey", args=[d.pk])),
    "survey (officer)": ("sub_union_officer", _answers, lambda d: reverse("drives:survey", args=[d.pk])),
    "survey board api": ("union_office", _answers, lambda d: reverse("api-drive-survey-board", args=[d.pk])),
    "session signups": ("union_office", _signups, _session_url),
    "roster versions": ("union_office", _rosters, lambda d: reverse("drives:roster", args=[d.pk])),
    "report": ("union_office", _registrations, lambda d: reverse("drives:report", args=[d.pk])),
}


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("case", sorted(CASES))
def test_queries_do_not_grow_with_rows(university, client, case):
    role, seed, url = CASES[case]
    drive = drive_make(name="计数")
    client.force_login(university.users[role])
    seed(university, drive, 3)
    client.get(url(drive))  # warm caches (permissions, content types)
    few = _queries(client, url(drive))
    seed(university, drive, 27)
    many = _queries(client, url(drive))
    assert many == few, f"{case}: {few} queries for 3 rows, {many} for 30"
