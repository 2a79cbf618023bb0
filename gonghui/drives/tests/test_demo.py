"""The demo drives build through the services and count exactly what they registered."""

import datetime

import pytest

from gonghui.drives.demo import NAME_2021, drives_demo_build
from gonghui.drives.models import Drive
from gonghui.drives.selectors.figures import drive_figures
from gonghui.people.choices import EmploymentStatus
from gonghui.people.demo import demo_university_build
from gonghui.people.models import Person


@pytest.mark.django_db
def test_demo_drives_are_idempotent_and_exact():
    demo_university_build(scale=0.05)
    result = drives_demo_build(today=datetime.date(2026, 5, 1))
    assert result.created == [NAME_2021, "2026 北京普惠健康保（报名中）"]
    assert drives_demo_build(today=datetime.date(2026, 5, 1)).created == []
    drive = Drive.objects.get(name=NAME_2021)
    active = min(799, Person.objects.filter(employment_status=EmploymentStatus.ACTIVE).count())
    retired = min(253, Person.objects.filter(employment_status=EmploymentStatus.RETIRED).count())
    figures = drive_figures(drive)
    assert figures["enrolled"] == {
        "total": active + retired,
        "staff": active + retired,
        "relatives": 0,
        "active": active,
        "retired": retired,
    }
    assert figures["by_status"]["paid"] == active + retired
    assert drive.phase == "done"
    assert Drive.objects.get(name="2026 北京普惠健康保（报名中）").phase == "registration"
