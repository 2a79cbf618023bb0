"""Practical projects' section of the annual report: the projects of the year's batches by
status, the funds their progress used, and the staff's ratings of those ticked off (the ballots
cast, not the electorate); none for a year without a batch."""

import datetime
from decimal import Decimal

import pytest

from gonghui.accounts.system import system_actor
from gonghui.core.reports import Ratio
from gonghui.projects.annual import projects_annual_section
from gonghui.projects.services.progress import progress_add
from gonghui.projects.services.projects import batch_create, project_close_off, project_step
from gonghui.projects.services.ratings import rating_cast
from gonghui.projects.tests.conftest import pdf, project_make

pytestmark = pytest.mark.django_db
d = datetime.date


def _figures(year: int) -> dict:
    section = projects_annual_section(system_actor(), year)
    assert section is not None
    return {figure.key: figure.value for figure in section.figures}


def test_the_years_projects_by_status_with_funds_and_the_ratings_cast(world, clock):
    office, unit = world.users["union_office"], world.users["handling_unit_officer"]
    batch = batch_create(actor=office, year=2021, number=1)
    canteen = project_make(world, title="改造教工食堂", batch=batch)
    lockers = project_make(world, title="增设快递柜", batch=batch)
    parking = project_make(world, title="扩建停车场", batch=batch)
    project_make(world, title="开设托管班", batch=batch)  # registered, not started
    progress_add(actor=unit, project=canteen, text="完成设计方案", date=d(2021, 1, 10), funds="12000.50")
    progress_add(actor=unit, project=canteen, text="招标完成", date=d(2021, 2, 1), funds="30000")
    progress_add(actor=unit, project=parking, text="勘测", date=d(2021, 2, 2), funds="800.25")
    project_step(actor=unit, project=canteen, step="done", done_on=d(2021, 3, 1))
    project_step(actor=unit, project=lockers, step="done", done_on=d(2021, 3, 2))
    project_step(actor=unit, project=parking, step="not_done", message="用地未获批准")
    # two ratings of the canteen, one of the lockers; only the canteen is ticked off (its count closes)
    rating_cast(actor=world.users["member"], project=canteen, satisfaction=3)
    rating_cast(actor=world.users["sub_union_officer"], project=canteen, satisfaction=1)
    rating_cast(actor=world.users["member"], project=lockers, satisfaction=2)
    project_close_off(actor=office, project=canteen, results="就餐位增加 200 个", evidence_files=[pdf()])
    # another year's batch stays out of 2021
    project_make(world, title="下一年的项目", batch=batch_create(actor=office, year=2022, number=1))

    assert _figures(2021) == {
        "projects.batches": 1,
        "projects.total": 4,
        "projects.done": 2,
        "projects.closed_off": 1,
        "projects.not_done": 1,
        "projects.open": 1,
        "projects.funds_used": Decimal("42800.75"),
        "projects.ratings": 2,
        "projects.satisfaction_rate": Ratio("0.5000"),
    }
    assert projects_annual_section(system_actor(), 2020) is None
