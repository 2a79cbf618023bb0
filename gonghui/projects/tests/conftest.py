"""Projects' test helpers: a unit that cooperates, a batch and a project made through the
services, and small files to upload as evidence."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gonghui.attachments.tests.conftest import png_bytes
from gonghui.people.tests.factories import UniversityUnitFactory
from gonghui.projects.choices import Origin, ProjectType
from gonghui.projects.services.projects import batch_create, project_create


def photo(name: str = "现场.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


def pdf(name: str = "验收报告.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", content_type="application/pdf"
    )


def project_make(
    w, *, title="改造教工食堂", lead_unit=None, cooperating=(), deadline=datetime.date(2021, 12, 31), batch=None
):
    office = w.users["union_office"]
    batch = batch or batch_create(actor=office, year=2021, number=1)
    return project_create(
        actor=office,
        batch=batch,
        title=title,
        category="民生保障",
        origin=Origin.INSTRUCTION,
        origin_note="校领导在教职工座谈会上的批示",
        lead_unit=lead_unit or w.logistics,
        responsible=w.zhang,
        cooperating_units=cooperating,
        project_type=ProjectType.DEADLINE,
        deadline=deadline,
    )


@pytest.fixture
def world(university):
    w = university
    w.assets = UniversityUnitFactory(code="ZC", name="资产处")
    w.union_unit = UniversityUnitFactory(code="GH", name="校工会")
    return w


__all__ = ["SimpleNamespace", "pdf", "photo", "project_make"]
