"""Projects' cases for the cross-module workflow contract test: a project (led by the test
university's 后勤处, taken by the union office) or a bulletin in the step's source state.
A project to tick off (销号) carries a progress photo as its evidence and gets its results
with the step; a bulletin to publish has one section with no figure in it and a number of its
own. Every builder makes fresh rows, so it may be called more than once."""

from __future__ import annotations

import datetime
from collections.abc import Callable

d = datetime.date


def _kwargs(step) -> dict:
    kwargs: dict = {"message": "契约测试说明"} if step.message_required else {}
    if step.name == "close_off":
        kwargs["values"] = {"results": "契约测试成效", "closed_off_on": d(2021, 3, 15)}
    return kwargs


def _project_case(world, step, source):
    from gonghui.attachments.services import attachment_store
    from gonghui.attachments.tests.conftest import png_bytes
    from gonghui.projects.models import Batch, PracticalProject, ProgressEntry
    from gonghui.projects.services.projects import EVIDENCE_PURPOSE

    office = world.users["union_office"]
    batch, _created = Batch.objects.get_or_create(year=2041, number=1, defaults={"name": "契约测试批次"})
    project = PracticalProject.objects.create(
        batch=batch,
        number=PracticalProject.objects.filter(batch=batch).count() + 1,
        title="契约测试项目",
        category="契约",
        origin="other",
        origin_note="契约测试",
        lead_unit=world.logistics,
        responsible=world.zhang,
        project_type="deadline",
        deadline=d(2021, 12, 31),
        status=source,
        created_by=office,
    )
    if step.name == "close_off":
        from django.core.files.uploadedfile import SimpleUploadedFile

        entry = ProgressEntry.objects.create(
            project=project, date=d(2021, 3, 1), text="契约测试进展", created_by=office
        )
        photo = SimpleUploadedFile("契约.png", png_bytes(), content_type="image/png")
        entry.evidence.add(attachment_store(uploaded_file=photo, uploaded_by=office, purpose=EVIDENCE_PURPOSE))
    return project, office, _kwargs(step)


def _bulletin_case(world, step, source):
    from gonghui.projects.models import Bulletin, BulletinSection, BulletinSeries

    office = world.users["union_office"]
    series, _created = BulletinSeries.objects.get_or_create(name="契约测试简报", defaults={"publisher": "校工会"})
    bulletin = Bulletin.objects.create(
        series=series,
        issue_no=Bulletin.objects.filter(series=series).count() + 1,
        date=d(2021, 3, 15),
        title="契约测试",
        figures_year=2021,
        status=source,
        created_by=office,
    )
    BulletinSection.objects.create(bulletin=bulletin, position=1, body="契约测试正文")
    return bulletin, office, _kwargs(step)


CONTRACT: dict[str, Callable] = {
    "projects.project": _project_case,
    "projects.bulletin": _bulletin_case,
}

__all__ = ["CONTRACT"]
