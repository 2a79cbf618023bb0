"""Every list page and list endpoint of the module costs the same number of queries for 3 rows
as for 30: nothing is fetched row by row."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gonghui.insurance.models import PlanClaim, PlanEdition, PlanEnrollment
from gonghui.insurance.presets import edition_values, plans_ensure
from gonghui.insurance.services.enrollment import enrollment_run
from gonghui.insurance.tests.helpers import claim_make
from gonghui.people.choices import Gender
from gonghui.people.tests.factories import person_make

pytestmark = pytest.mark.django_db


def _queries(client, url: str) -> int:
    client.get(url)  # warm: session, access and permission caches
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context)


def _people(university, count: int, start: int) -> None:
    for n in range(start, start + count):
        gender = Gender.FEMALE if n % 2 else Gender.MALE
        person_make(
            staff_no=f"Q{n:04d}",
            name=f"教工{n}",
            gender=gender,
            birth_date=datetime.date(1980, 1, 1),
            sub_union=university.law if n % 3 else university.econ,
        )


def _claims(edition) -> None:
    for enrollment in PlanEnrollment.objects.filter(edition=edition).exclude(claims__isnull=False):
        claim_make(enrollment, flags=["late"])


def _drafts(office, count: int) -> None:
    plan = plans_ensure()["ZYJT"]
    values = edition_values("ZYJT", 2023)
    for n in range(count):
        PlanEdition.objects.create(plan=plan, created_by=office, **{**values, "name": f"草案 {n}"})


@pytest.mark.parametrize(
    "url_name, args",
    [
        ("insurance:edition_list", False),
        ("insurance:enrollment_list", True),
        ("insurance:claim_list", False),
        ("api-insurance-edition-list", False),
        ("api-insurance-enrollment-list", False),
        ("api-insurance-claim-list", False),
    ],
)
@pytest.mark.parametrize("role", ["union_office", "sub_union_officer"])
def test_list_queries_do_not_grow_with_rows(client, university, office, editions_2021, url_name, args, role):
    hospital = editions_2021["ZYJT"]
    enrollment_run(actor=office, edition=hospital)  # the fixture's 4 active members
    _claims(hospital)
    client.force_login(university.users[role])
    url = reverse(url_name, args=[hospital.pk] if args else [])
    few = _queries(client, url)

    _people(university, 27, start=0)
    enrollment_run(actor=office, edition=hospital)
    _claims(hospital)
    _drafts(office, 27)
    assert PlanEnrollment.objects.filter(edition=hospital).count() == 31

    assert _queries(client, url) == few


def test_my_cover_queries_do_not_grow_with_claims_or_plans(client, university, office, editions_2021):
    enrollment_run(actor=office, edition=editions_2021["ZYJT"])
    _claims(editions_2021["ZYJT"])
    client.force_login(university.users["member"])
    url = reverse("insurance:my_cover") + "?year=2021"
    few = _queries(client, url)
    enrollment_run(actor=office, edition=editions_2021["ZDJB"])
    for _n in range(5):
        _claims_again(university.zhang, editions_2021["ZYJT"])
    assert PlanClaim.objects.filter(person=university.zhang).count() == 6
    assert _queries(client, url) == few


def _claims_again(person, edition) -> None:
    enrollment = PlanEnrollment.objects.get(edition=edition, person=person)
    claim_make(enrollment, diagnosis="骨折", admission_date=None, discharge_date=None)


@pytest.mark.parametrize("url_name", ["insurance:plan_list", "insurance:preset_list"])
def test_plan_and_preset_pages_do_not_grow_with_plans_or_editions(client, university, office, editions_2021, url_name):
    from gonghui.insurance.services.plans import plan_create

    client.force_login(office)
    url = reverse(url_name) + ("?year=2023" if url_name == "insurance:preset_list" else "")
    few = _queries(client, url)
    for n in range(10):
        plan_create(actor=office, code=f"P{n}", name=f"计划{n}", kind="other")
    _drafts(office, 12)
    assert _queries(client, url) == few
