import datetime
from types import SimpleNamespace

import pytest

from gonghui.mutual_aid.services.committee import sitting_create
from gonghui.mutual_aid.tests.committee.factories import application_make, edition_make


@pytest.fixture
def committee_world(university):
    """The 2020 edition, three applications checked by the office, and an open sitting."""
    u = university
    edition = edition_make(year=2020)
    office, committee = u.users["union_office"], u.users["welfare_committee"]
    apps = SimpleNamespace(
        zhang=application_make(person=u.zhang, edition=edition, computed="12500.00"),
        wang=application_make(person=u.wang, edition=edition, computed="3000.00", kind="outpatient", disease="C02"),
        zhao=application_make(person=u.zhao, edition=edition, computed="45000.50"),
    )
    sitting = sitting_create(
        actor=office, year=2020, held_on=datetime.date(2021, 3, 20), place="工会会议室", members=[committee]
    )
    return SimpleNamespace(u=u, edition=edition, office=office, committee=committee, apps=apps, sitting=sitting)
