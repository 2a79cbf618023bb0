"""The browser's date picker (<input type=date>) shows a value only when it is an ISO date: a
draft's form must come back with its dates filled in, whatever the page's language, or saving
the untouched form fails on a blank 保障起始日 (found by the first-day journey)."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from gonghui.core.editions import EditionStatus
from gonghui.insurance.models import PlanEdition
from gonghui.insurance.services.editions import edition_create

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _back_to_chinese():
    """The English request leaves English active for the thread (LocaleMiddleware does not
    deactivate it): later tests that call services directly would see English messages."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_drafts_form_shows_its_start_date_as_an_iso_date(client, office, editions_2021, language):
    adopted = editions_2021["ZYJT"]
    fields = {f: getattr(adopted, f) for f in ("name", "term_months", "price_per_share", "waiting_schedule")}
    fields.update(benefits=adopted.benefits, required_documents=adopted.required_documents)
    draft = edition_create(
        actor=office, plan=adopted.plan, **{**fields, "name": "住院津贴 草案", "start_date": adopted.start_date}
    )
    assert PlanEdition.objects.get(pk=draft.pk).status == EditionStatus.DRAFT
    client.force_login(office)
    client.cookies["django_language"] = language

    form = client.get(reverse("insurance:edition_edit", args=[draft.pk])).content.decode()
    assert 'type="date" name="start_date" value="2021-07-01"' in form
