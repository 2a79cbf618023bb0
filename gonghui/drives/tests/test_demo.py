"""The demo drives build through the services and count exactly what they registered."""

import datetime

import pytest

from gonghui.accounts.system import system_actor
from gonghui.core.registry import annual_section
from gonghui.drives.demo import ACTIVE_2021, NAME_2021, RETIRED_2021, drives_demo_build
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
    assert _annual_2021() == {
        "drives.drive_count": 1,
        "drives.intent_yes": active + retired,
        "drives.enrolled_active": active,
        "drives.enrolled_retired": retired,
        "drives.enrolled_relatives": 0,
        "drives.enrolled_total": active + retired,
    }


def _annual_2021() -> dict:
    section = annual_section(system_actor(), "drives", 2021)
    return {figure.key: figure.value for figure in section.figures}


@pytest.mark.once  # the full-size demo: built once, in the SQLite pass (README)
@pytest.mark.django_db
def test_the_full_size_demo_drive_of_2021_is_the_bulletins():
    """The bulletin's "我校共有799名在职教职工和253名离退休人员参保", exactly, on the full-size demo
    university, and so in the annual report of 2021; no drive in 2020."""
    demo_university_build(scale=1.0)
    drives_demo_build(today=datetime.date(2026, 5, 1))
    figures = drive_figures(Drive.objects.get(name=NAME_2021))
    assert (figures["enrolled"]["active"], figures["enrolled"]["retired"], figures["enrolled"]["total"]) == (
        ACTIVE_2021,
        RETIRED_2021,
        1052,
    )
    assert (ACTIVE_2021, RETIRED_2021) == (799, 253)
    assert _annual_2021() == {
        "drives.drive_count": 1,
        "drives.intent_yes": 1052,
        "drives.enrolled_active": 799,
        "drives.enrolled_retired": 253,
        "drives.enrolled_relatives": 0,
        "drives.enrolled_total": 1052,
    }
    assert annual_section(system_actor(), "drives", 2020) is None
