"""GET /api/reports/annual/?year=Y: the figures of the annual report (the fake sections of
`sections`, conftest.py), to the office, the administrators and the auditors only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gonghui.reports.models import AnnualReportExport
from gonghui.reports.tests.conftest import EXPECTED_2021

pytestmark = pytest.mark.django_db

URL = reverse("api-reports-annual")


@pytest.mark.parametrize("role", ["union_office", "auditor", "administrator"])
def test_the_figures(client, university, sections, role):
    client.force_login(university.users[role])
    response = client.get(URL, {"year": 2021})

    assert response.status_code == 200
    assert response.json() == EXPECTED_2021
    assert sections.calls == [("welfare", "system", 2021), ("culture", "system", 2021)]
    assert AnnualReportExport.objects.count() == 0


def test_this_year_by_default_and_a_year_without_sections(client, clock, university, sections):
    client.force_login(university.users["union_office"])

    assert client.get(URL).json() == EXPECTED_2021
    assert client.get(URL, {"year": 2019}).json() == {"year": 2019, "sections": {}}


@pytest.mark.parametrize("role", ["member", "sub_union_officer", "welfare_committee"])
def test_refused_to_anyone_else(client, university, sections, role):
    client.force_login(university.users[role])
    response = client.get(URL, {"year": 2021})

    assert response.status_code == 403
    assert set(response.json()) == {"message", "extra"}
    assert sections.calls == []


def test_anonymous_and_a_bad_year(client, university, sections):
    assert client.get(URL).status_code == 401
    client.force_login(university.users["union_office"])
    response = client.get(URL, {"year": "abc"})
    assert response.status_code == 400
    assert "year" in response.json()["extra"]["fields"]
    assert client.get(URL, {"year": 1999}).status_code == 400
    assert sections.calls == []
