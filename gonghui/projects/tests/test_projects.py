"""Practical projects through their services: registering with an origin, the steps (a reason
for not done), progress entries (一事一记) with evidence and funds, 销号 with results and
evidence, and what each role may do — a refusal changes nothing."""

import datetime
from decimal import Decimal

import pytest

from gonghui.core.exceptions import ApplicationError, InvalidTransition, PermissionDenied, StepNotAllowed
from gonghui.core.models import BallotVoter
from gonghui.projects.choices import Origin, ProjectStatus, ProjectType
from gonghui.projects.models import PracticalProject, ProgressEntry
from gonghui.projects.selectors.projects import evidence_count, overdue, projects_for, table_rows
from gonghui.projects.services.progress import progress_add
from gonghui.projects.services.projects import (
    batch_create,
    funds_total,
    project_close_off,
    project_create,
    project_step,
)
from gonghui.projects.tests.conftest import pdf, photo, project_make
from tests.tables import changed_tables, table_counts

pytestmark = pytest.mark.django_db
d = datetime.date


def test_a_project_records_its_origin_lead_unit_and_cooperating_units(world, clock):
    project = project_make(world, cooperating=[world.assets, world.logistics])
    assert project.number == 1
    assert project.status == ProjectStatus.NOT_STARTED
    assert project.origin == Origin.INSTRUCTION
    # the lead unit is not its own helper
    assert list(project.cooperating_units.values_list("name", flat=True)) == ["资产处"]
    second = project_make(world, title="教工之家改造", batch=project.batch)
    assert second.number == 2


def test_an_origin_needs_its_link_or_its_words(world):
    office = world.users["union_office"]
    batch = batch_create(actor=office, year=2021, number=1)
    common = dict(
        actor=office,
        batch=batch,
        title="共建幼儿园",
        category="子女教育",
        lead_unit=world.logistics,
        responsible=world.zhang,
        project_type=ProjectType.PHASED,
        deadline=d(2020, 9, 1),
    )
    before = table_counts()
    with pytest.raises(ApplicationError, match="请选择项目来源的教代会提案"):
        project_create(origin=Origin.PROPOSAL, **common)
    with pytest.raises(ApplicationError, match="请说明项目来源"):
        project_create(origin=Origin.INSTRUCTION, **common)
    with pytest.raises(ApplicationError, match="请选择项目来源"):
        project_create(origin="rumour", **common)
    assert changed_tables(before, table_counts()) == {}


def test_the_steps_of_a_project_and_not_done_needs_a_reason(world, clock):
    unit = world.users["handling_unit_officer"]
    project = project_make(world)
    project_step(actor=unit, project=project, step="start")
    project_step(actor=unit, project=project, step="partly_done")
    before = table_counts()
    with pytest.raises(ApplicationError, match="未完成须说明原因"):
        project_step(actor=unit, project=project, step="not_done", message="  ")
    assert changed_tables(before, table_counts()) == {}
    project_step(actor=unit, project=project, step="not_done", message="资金未到位")
    project.refresh_from_db()
    assert (project.status, project.reason) == (ProjectStatus.NOT_DONE, "资金未到位")
    project_step(actor=unit, project=project, step="resume")
    project_step(actor=unit, project=project, step="done", done_on=d(2021, 3, 1))
    project.refresh_from_db()
    assert (project.status, project.done_on) == (ProjectStatus.DONE, d(2021, 3, 1))
    assert list(project.events.order_by("id").values_list("step", flat=True)) == [
        "start",
        "partly_done",
        "not_done",
        "resume",
        "done",
    ]


def test_progress_entries_start_a_project_carry_evidence_and_funds(world, clock):
    unit = world.users["handling_unit_officer"]
    project = project_make(world)
    first = progress_add(
        actor=unit,
        project=project,
        text="完成食堂设计方案",
        date=d(2021, 1, 10),
        funds="12000.50",
        evidence_files=[photo()],
    )
    progress_add(actor=unit, project=project, text="招标完成", date=d(2021, 2, 1), funds=Decimal("30000"))
    project.refresh_from_db()
    assert project.status == ProjectStatus.IN_PROGRESS
    assert funds_total(project) == Decimal("42000.50")
    assert first.evidence.count() == 1
    assert evidence_count(project) == 1
    assert ProgressEntry.objects.filter(project=project).count() == 2
    listed = projects_for(world.users["union_office"]).get(pk=project.pk)
    assert (listed.funds_used, listed.entry_count) == (Decimal("42000.50"), 2)


def test_bad_progress_is_refused_with_nothing_written(world, clock):
    unit = world.users["handling_unit_officer"]
    project = project_make(world)
    before = table_counts()
    with pytest.raises(ApplicationError, match="请填写进展情况"):
        progress_add(actor=unit, project=project, text=" ", evidence_files=[photo()])
    with pytest.raises(ApplicationError, match="使用经费不能为负数"):
        progress_add(actor=unit, project=project, text="付款", funds="-1")
    with pytest.raises(ApplicationError, match="不能晚于今天"):
        progress_add(actor=unit, project=project, text="明天的事", date=d(2099, 1, 1))
    assert changed_tables(before, table_counts()) == {}


def test_close_off_needs_results_and_evidence_and_then_takes_no_progress(world, clock):
    office, unit = world.users["union_office"], world.users["handling_unit_officer"]
    project = project_make(world)
    progress_add(actor=unit, project=project, text="开工")
    project_step(actor=unit, project=project, step="done")
    before = table_counts()
    with pytest.raises(ApplicationError, match="销号须有佐证材料"):
        project_close_off(actor=office, project=project, results="食堂改造完成，就餐位增加 200 个")
    with pytest.raises(ApplicationError, match="销号须填写工作成效"):
        project_close_off(actor=office, project=project, results="", evidence_files=[pdf()])
    assert changed_tables(before, table_counts()) == {}
    # the lead unit moves its project on but does not tick it off
    with pytest.raises((PermissionDenied, StepNotAllowed)):
        project_close_off(actor=unit, project=project, results="完成", evidence_files=[pdf()])
    assert changed_tables(before, table_counts()) == {}

    project_close_off(actor=office, project=project, results="食堂改造完成，就餐位增加 200 个", evidence_files=[pdf()])
    project.refresh_from_db()
    assert project.status == ProjectStatus.CLOSED_OFF
    assert project.closing_evidence.count() == 1
    assert project.closed_off_on == d(2021, 3, 15)
    before = table_counts()
    with pytest.raises(ApplicationError, match="项目已销号，不能再填报进展"):
        progress_add(actor=unit, project=project, text="补充一条")
    assert changed_tables(before, table_counts()) == {}


def test_progress_photos_count_as_evidence_for_close_off(world, clock):
    office, unit = world.users["union_office"], world.users["handling_unit_officer"]
    project = project_make(world)
    progress_add(actor=unit, project=project, text="竣工验收", evidence_files=[photo(), photo("验收.png")])
    project_step(actor=office, project=project, step="done")
    project_close_off(actor=office, project=project, results="验收合格")
    project.refresh_from_db()
    assert (project.status, evidence_count(project)) == (ProjectStatus.CLOSED_OFF, 2)


def test_who_sees_and_who_moves_a_project(world, clock):
    users = world.users
    led = project_make(world)  # led by 后勤处, the unit officer's unit
    helped = project_make(
        world, title="教工之家", lead_unit=world.assets, cooperating=[world.logistics], batch=led.batch
    )
    other = project_make(world, title="资产清查", lead_unit=world.assets, batch=led.batch)

    def ids(user, action="view"):
        return sorted(PracticalProject.objects.restrict(user, action).values_list("pk", flat=True))

    assert ids(users["union_office"]) == sorted([led.pk, helped.pk, other.pk])
    assert ids(users["auditor"]) == sorted([led.pk, helped.pk, other.pk])
    assert ids(users["handling_unit_officer"]) == sorted([led.pk, helped.pk])
    assert ids(users["handling_unit_officer"], "change") == [led.pk]
    for role in ("member", "sub_union_officer", "welfare_committee", "admissions_officer"):
        assert ids(users[role]) == [], role
    before = table_counts()
    with pytest.raises((PermissionDenied, StepNotAllowed, InvalidTransition)):
        project_step(actor=users["handling_unit_officer"], project=helped, step="start")
    with pytest.raises(PermissionDenied):
        progress_add(actor=users["handling_unit_officer"], project=helped, text="协助")
    with pytest.raises((PermissionDenied, StepNotAllowed)):
        project_step(actor=users["auditor"], project=led, step="start")
    assert changed_tables(before, table_counts()) == {}


def test_overdue_projects_and_the_table_rows(world, clock):
    unit = world.users["handling_unit_officer"]
    late = project_make(world, deadline=d(2020, 1, 31))
    on_time = project_make(
        world, title="教工之家", deadline=d(2099, 1, 1), batch=late.batch, cooperating=[world.assets]
    )
    rows = PracticalProject.objects.all()
    assert list(overdue(rows).values_list("pk", flat=True)) == [late.pk]
    progress_add(actor=unit, project=on_time, text="开工")
    project_step(actor=unit, project=on_time, step="done", done_on=d(2021, 3, 8))
    table = table_rows(PracticalProject.objects.order_by("number").prefetch_related("cooperating_units"))
    assert table == [
        (1, "改造教工食堂", "2020年1月31日前", "张伟（后勤处）", "—", "未开始"),
        (2, "教工之家", "2021年3月8日", "张伟（后勤处）", "资产处", "已完成"),
    ]


def test_a_done_project_opens_a_rating_for_every_current_member(world, clock):
    unit = world.users["handling_unit_officer"]
    project = project_make(world)
    project_step(actor=unit, project=project, step="done")
    project.refresh_from_db()
    assert project.rating_box is not None
    # the test university's people with a current membership
    from gonghui.people.models import UnionMembership

    members = set(UnionMembership.objects.current().values_list("person_id", flat=True))
    assert set(BallotVoter.objects.filter(box=project.rating_box).values_list("person_id", flat=True)) == members
