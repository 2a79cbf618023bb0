"""A mutual-aid world for the application tests: last year's adopted edition with its
application window open today, memberships, and helpers to build applications."""

import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from gonghui.mutual_aid.choices import ApplicationKind
from gonghui.mutual_aid.models import SchemeMembership
from gonghui.mutual_aid.tests.applications.factories import PDF_BYTES, PNG_BYTES, edition_make, item_data, png  # noqa: F401


@pytest.fixture
def ma(clock, university, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    today = timezone.localdate()
    year = today.year - 1
    edition = edition_make(year, today=today)
    u = university
    SchemeMembership.objects.create(
        person=u.zhang, joined_on=datetime.date(2015, 3, 1), eligible_from=datetime.date(2015, 3, 1)
    )
    SchemeMembership.objects.create(
        person=u.zhao, joined_on=datetime.date(2012, 3, 1), eligible_from=datetime.date(2012, 3, 1)
    )
    # li joined late in the cost year: costs before July 1 are in the waiting period
    SchemeMembership.objects.create(
        person=u.li, joined_on=datetime.date(year, 4, 1), eligible_from=datetime.date(year, 7, 1)
    )
    # wang is not a member of the society
    return SimpleNamespace(
        u=u,
        users=u.users,
        year=year,
        today=today,
        edition=edition,
        required=list(edition.required_documents.all()),
        disease=edition.diseases.get(code="C01"),
    )


def complete_application(ma, person=None, actor=None, bill_no="B-001", **item_overrides):
    """A draft with one cost item, a disease category and every required document."""
    from gonghui.mutual_aid.services.applications import (
        application_create_draft,
        application_details_update,
        cost_item_add,
        document_attach,
    )

    person = person or ma.u.zhang
    actor = actor or ma.users["member"]
    application = application_create_draft(actor=actor, person=person, kind=ApplicationKind.INPATIENT)
    cost_item_add(actor=actor, application=application, **item_data(ma.year, bill_no=bill_no, **item_overrides))
    application_details_update(actor=actor, application=application, disease_category=ma.disease)
    for required in ma.edition.required_documents.filter(kind=ApplicationKind.INPATIENT, required=True):
        document_attach(actor=actor, application=application, required_document=required, uploaded_file=png())
    application.refresh_from_db()
    return application
