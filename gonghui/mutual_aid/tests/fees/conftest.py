import datetime
from decimal import Decimal

import pytest

from gonghui.mutual_aid.models import SchemeEdition


def edition_make(year=2024, categories=(), **kwargs):
    values = dict(
        year=year,
        name=f"{year} 年医疗互助会管理办法",
        adopted_on=datetime.date(year, 1, 10),
        eligible_statuses=["active", "retired"],
        join_window_start=datetime.date(year, 3, 1),
        join_window_end=datetime.date(year, 3, 31),
        application_window_start=datetime.date(year + 1, 3, 1),
        application_window_end=datetime.date(year + 1, 4, 30),
        fee_period="year",
        fee_active=Decimal("120.00"),
        fee_retired=Decimal("60.00"),
        late_join_back_pay=True,
        waiting_months=6,
    )
    status = kwargs.pop("status", "adopted")
    values.update(kwargs)
    edition = SchemeEdition.objects.create(**values)
    edition.eligible_categories.set(categories)  # while a draft: an adopted edition no longer changes
    SchemeEdition.objects.filter(pk=edition.pk).update(status=status)
    edition.refresh_from_db()
    return edition


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Imported files are kept privately until confirmed: here, in the test's own folder."""
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture
def edition(university):
    return edition_make()


@pytest.fixture
def office(university):
    return university.users["union_office"]
