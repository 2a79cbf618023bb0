"""The projects pages through the test client: the list and its filters, a project with its
buttons, a progress entry with a photo, 销号, the table as a page, .xlsx and PDF, and the
portal's rating — each role gets what it needs, a refusal writes nothing."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from gonghui.core.models import Ballot, BallotPending, BallotVoter
from gonghui.projects.choices import ProjectStatus
from gonghui.projects.models import PracticalProject, ProgressEntry
from gonghui.projects.services.progress import progress_add
from gonghui.projects.services.projects import project_close_off, project_step
from gonghui.projects.tests.conftest import pdf, photo, project_make
from gonghui.projects.workbench import projects_todos
from tests.pdf import pdf_text
from tests.tables import changed_tables, table_counts

pytestmark = pytest.mark.django_db
d = datetime.date


def _as(client, user):
    client.force_login(user)
    return client


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_the_list_shows_each_role_its_projects_with_filters(world, client, clock):
    led = project_make(world, deadline=d(2021, 1, 31))
    project_make(world, title="资产清查", lead_unit=world.assets, batch=led.batch)
    office = _as(client, world.users["union_office"])
    page = office.get(reverse("projects:list")).content.decode()
    assert page.count('data-testid="project-row"') == 2
    assert page.count('data-testid="overdue"') == 1
    overdue = office.get(reverse("projects:list"), {"overdue": "on"}).content.decode()
    assert overdue.count('data-testid="project-row"') == 1 and "改造教工食堂" in overdue
    by_unit = office.get(reverse("projects:list"), {"unit": world.assets.pk}).content.decode()
    assert by_unit.count('data-testid="project-row"') == 1 and "资产清查" in by_unit
    unit = _as(client, world.users["handling_unit_officer"])
    assert unit.get(reverse("projects:list")).content.decode().count('data-testid="project-row"') == 1
    for role in ("member", "sub_union_officer"):
        assert _as(client, world.users[role]).get(reverse("projects:list")).status_code == 403


def test_a_lead_unit_adds_progress_with_a_photo_and_the_office_closes_it_off(world, client, clock):
    project = project_make(world)
    unit = _as(client, world.users["handling_unit_officer"])
    detail = reverse("projects:detail", args=[project.pk])
    assert 'data-testid="progress-form"' in unit.get(detail).content.decode()
    response = unit.post(
        reverse("projects:progress_add", args=[project.pk]),
        {"date": "2021-03-10", "text": "食堂改造开工", "funds": "5000.00", "evidence": [photo(), photo("二.png")]},
        follow=True,
    )
    assert "进展已记录。" in _messages(response)
    entry = ProgressEntry.objects.get(project=project)
    assert (entry.text, str(entry.funds), entry.evidence.count()) == ("食堂改造开工", "5000.00", 2)
    page = unit.get(detail).content.decode()
    assert page.count('class="evidence-thumb"') == 2
    assert 'data-testid="close-off-form"' not in page  # the unit does not tick off
    response = unit.post(reverse("projects:step", args=[project.pk, "done"]), follow=True)
    assert "项目已完成，教职工可以评价满意度了。" in _messages(response)

    office = _as(client, world.users["union_office"])
    assert 'data-testid="close-off-form"' in office.get(detail).content.decode()
    before = table_counts()
    response = office.post(reverse("projects:close_off", args=[project.pk]), {"results": ""}, follow=True)
    assert any("工作成效" in m for m in _messages(response))
    assert changed_tables(before, table_counts()) == {}
    response = office.post(
        reverse("projects:close_off", args=[project.pk]),
        {"results": "新增就餐位 200 个", "evidence": [pdf()]},
        follow=True,
    )
    assert "项目已销号。" in _messages(response)
    project.refresh_from_db()
    assert (project.status, project.results, project.closing_evidence.count()) == (
        ProjectStatus.CLOSED_OFF,
        "新增就餐位 200 个",
        1,
    )
    before = table_counts()
    response = unit.post(
        reverse("projects:progress_add", args=[project.pk]), {"date": "2021-03-12", "text": "补记"}, follow=True
    )
    assert "项目已销号，不能再填报进展。" in _messages(response)
    assert changed_tables(before, table_counts()) == {}


def test_not_done_without_a_reason_is_refused_on_the_page(world, client, clock):
    project = project_make(world)
    office = _as(client, world.users["union_office"])
    before = table_counts()
    response = office.post(reverse("projects:step", args=[project.pk, "not_done"]), {"message": ""}, follow=True)
    assert "未完成须说明原因。" in _messages(response)
    assert changed_tables(before, table_counts()) == {}


def test_a_cooperating_unit_or_a_member_cannot_move_a_project(world, client, clock):
    project = project_make(world, lead_unit=world.assets, cooperating=[world.logistics])
    unit = _as(client, world.users["handling_unit_officer"])
    assert unit.get(reverse("projects:detail", args=[project.pk])).status_code == 200
    before = table_counts()
    assert unit.post(reverse("projects:step", args=[project.pk, "start"])).status_code == 404
    response = unit.post(
        reverse("projects:progress_add", args=[project.pk]), {"date": "2021-03-10", "text": "协助"}, follow=True
    )
    assert "只有牵头单位和校工会可以填报项目进展。" in _messages(response)
    member = _as(client, world.users["member"])
    assert member.get(reverse("projects:detail", args=[project.pk])).status_code == 403
    assert member.post(reverse("projects:progress_add", args=[project.pk]), {"text": "x"}).status_code == 403
    assert changed_tables(before, table_counts()) == {}


def test_the_project_table_as_page_xlsx_and_pdf(world, client, clock):
    first = project_make(world, cooperating=[world.assets])
    second = project_make(world, title="教工之家", batch=first.batch)
    unit = world.users["handling_unit_officer"]
    progress_add(actor=unit, project=second, text="完工", evidence_files=[photo()])
    project_step(actor=unit, project=second, step="done", done_on=d(2021, 3, 8))
    project_close_off(actor=world.users["union_office"], project=second, results="活动场地扩大一倍")
    office = _as(client, world.users["union_office"])
    page = office.get(reverse("projects:table"), {"batch": first.batch.pk}).content.decode()
    assert page.count('data-testid="table-row"') == 2
    workbook = openpyxl.load_workbook(io.BytesIO(office.get(reverse("projects:table"), {"export": "xlsx"}).content))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows == [
        ("序号", "工作内容", "完成时间", "责任人", "协助单位", "完成情况"),
        (1, "改造教工食堂", "2021年12月31日前", "张伟（后勤处）", "资产处", "未开始"),
        (2, "教工之家", "2021年3月8日", "张伟（后勤处）", "—", "已销号：活动场地扩大一倍"),
    ]
    response = office.get(reverse("projects:table"), {"export": "pdf"})
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    assert "改造教工食堂" in text and "已销号：活动场地扩大一倍" in text


def test_staff_rate_a_done_project_once_and_anonymously(world, client, clock):
    project = project_make(world)
    project_step(actor=world.users["union_office"], project=project, step="done")
    member_user = world.users["member"]
    member = _as(client, member_user)
    assert [q.count for q in projects_todos(member_user) if q.key == "projects.rate"] == [1]
    page = member.get(reverse("projects:rate_list")).content.decode()
    assert page.count('data-testid="rate-card"') == 1
    response = member.post(reverse("projects:rate", args=[project.pk]), {"satisfaction": "3"}, follow=True)
    assert any("感谢您的评价" in m for m in _messages(response))
    project.refresh_from_db()
    assert BallotVoter.objects.get(box=project.rating_box, person=world.zhang).voted is True
    # the ballot keeps no link to the member
    pending = BallotPending.objects.get(box=project.rating_box)
    assert pending.choices == {"satisfaction": "3"}
    before = table_counts()
    response = member.post(reverse("projects:rate", args=[project.pk]), {"satisfaction": "1"}, follow=True)
    assert "您已投过票，选票一经投出不能更改。" in _messages(response)
    assert changed_tables(before, table_counts()) == {}
    assert 'data-testid="rate-card"' not in member.get(reverse("projects:rate_list")).content.decode()
    # ticked off: the rating closes and its counts show on the project
    project_close_off(actor=world.users["union_office"], project=project, results="完成", evidence_files=[pdf()])
    assert Ballot.objects.filter(box=project.rating_box).count() == 1
    office = _as(client, world.users["union_office"])
    page = office.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert 'data-testid="satisfaction"' in page and 'data-testid="satisfied-rate">100.00%' in page.replace(
        "100.0%", "100.00%"
    )


def test_the_office_queue_counts_overdue_and_done_projects(world, clock):
    late = project_make(world, deadline=d(2021, 1, 31))
    done = project_make(world, title="教工之家", deadline=d(2021, 12, 31), batch=late.batch)
    office = world.users["union_office"]
    project_step(actor=office, project=done, step="done", done_on=d(2021, 3, 1))
    queues = {q.key: (q.count, q.overdue) for q in projects_todos(office)}
    assert queues["projects.overdue"] == (1, 1)
    assert queues["projects.to_close_off"] == (1, 0)
    unit_queues = {q.key: q.count for q in projects_todos(world.users["handling_unit_officer"])}
    assert unit_queues == {"projects.unit_overdue": 1}
    assert PracticalProject.objects.count() == 2
