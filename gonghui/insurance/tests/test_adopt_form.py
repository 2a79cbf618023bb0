"""A draft edition's page offers the adoption form (date and act) to whoever may adopt it; the
step's guards need the form's values, so asking the workflow for the steps available without
them never listed it, and no draft could be adopted from the pages (found by the first-day
journey)."""

import pytest
from django.urls import reverse

from gonghui.core.editions import edition_revise

pytestmark = pytest.mark.django_db

ADOPT_FORM = 'data-testid="adopt"'


@pytest.fixture
def draft(office, editions_2021):
    return edition_revise(
        actor=office, source=editions_2021["ZYJT"], start_date="2022-07-01", name="住院津贴 2022—2023 年度"
    )


def test_the_office_sees_the_adoption_form_on_a_draft_and_adopts_it_from_there(client, office, draft):
    client.force_login(office)
    page = client.get(reverse("insurance:edition_detail", args=[draft.pk])).content.decode()
    assert ADOPT_FORM in page
    assert f'action="{reverse("insurance:edition_adopt", args=[draft.pk])}"' in page

    client.post(
        reverse("insurance:edition_adopt", args=[draft.pk]),
        {"adopted_on": "2022-06-01", "resolution": "校工会办公会议"},
    )
    draft.refresh_from_db()
    assert draft.status == "adopted"
    assert ADOPT_FORM not in client.get(reverse("insurance:edition_detail", args=[draft.pk])).content.decode()


def test_an_auditor_reads_the_draft_without_the_adoption_form(client, university, draft):
    client.force_login(university.users["auditor"])
    page = client.get(reverse("insurance:edition_detail", args=[draft.pk]))
    assert page.status_code == 200
    assert ADOPT_FORM not in page.content.decode()
