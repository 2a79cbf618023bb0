"""The practical projects' API: projects as each caller sees them (the office and auditors every
one, the unit officer what 后勤处 leads or helps with, a member none) with exact payloads; the
office registering a batch and a project; the steps (the lead unit moves its project, a
cooperating unit and the auditor may not: 403; another unit's project: 404; not done needs the
reason); progress entries as multipart with a PNG; 销号 with a PDF; a member's rating, once;
bulletins (drafts to the office only, publishing freezes the figures, the editor sees which
have moved on); and the schema still builds. A refusal changes nothing.

The clock is pinned at 2021-03-15 10:00 (Beijing); every date below is before it."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gonghui.attachments.models import Attachment
from gonghui.mutual_aid.tests.editions.factories import edition_make
from gonghui.projects.choices import ProjectStatus
from gonghui.projects.models import Batch, BulletinFigure, PracticalProject, ProgressEntry
from gonghui.projects.services import bulletins as bulletin_services
from gonghui.projects.services.progress import progress_add
from gonghui.projects.services.projects import project_close_off, project_step
from gonghui.projects.services.ratings import rating_cast
from gonghui.projects.tests.conftest import pdf, photo, project_make
from tests.tables import changed_tables, table_counts

pytestmark = pytest.mark.django_db
d = datetime.date

NOT_FOUND = {"message": "未找到。", "extra": {}}
FORBIDDEN = {"message": "您没有执行该操作的权限。", "extra": {}}


def url(name: str, *args) -> str:
    return reverse(f"api-projects-{name}", args=args)


def post(client, path, body=None):
    return client.post(path, body or {}, content_type="application/json")


def unit(u) -> dict:
    return {"id": u.pk, "code": u.code, "name": u.name}


def batch_of(project) -> dict:
    b = project.batch
    return {"id": b.pk, "year": b.year, "number": b.number, "name": b.name}


def three(w):
    """后勤处 leads 食堂 (资产处 helps), helps with 教工之家 (资产处 leads); 资产处 alone leads 资产清查."""
    led = project_make(w, cooperating=[w.assets], deadline=d(2021, 3, 1))
    helped = project_make(w, title="教工之家", lead_unit=w.assets, cooperating=[w.logistics], batch=led.batch)
    other = project_make(w, title="资产清查", lead_unit=w.assets, batch=led.batch)
    return led, helped, other


def refused(client, path, status, answer, body=None):
    """A JSON POST to `path` answers `status` with `answer` and writes nothing."""
    before = table_counts()
    response = post(client, path, body)
    assert (response.status_code, response.json()) == (status, answer)
    assert changed_tables(before, table_counts()) == {}


def row(w, project, **changes) -> dict:
    data = {
        "id": project.pk,
        "batch": batch_of(project),
        "number": project.number,
        "title": project.title,
        "category": "民生保障",
        "origin": "instruction",
        "origin_display": "领导批示",
        "lead_unit": unit(project.lead_unit),
        "responsible": {"id": w.zhang.pk, "staff_no": "E0001", "name": "张伟"},
        "project_type": "deadline",
        "project_type_display": "限期办",
        "deadline": project.deadline.isoformat(),
        "status": "not_started",
        "status_display": "未开始",
        "done_on": None,
        "closed_off_on": None,
        "funds_used": "0.00",
        "entries": 0,
        "overdue": False,
    }
    return {**data, **changes}


# --- projects -----------------------------------------------------------------------------------


def test_projects_as_each_caller_sees_them(client, world, clock):
    w = world
    led, helped, other = three(w)
    progress_add(actor=w.users["handling_unit_officer"], project=led, text="完成设计方案", funds="12000.50")
    client.force_login(w.users["union_office"])
    data = client.get(url("project-list")).json()
    assert (data["count"], data["next"], data["previous"]) == (3, None, None)
    assert data["results"] == [
        # 食堂: started by its first entry, past its deadline (1 March)
        row(
            w,
            led,
            status="in_progress",
            status_display="推进中",
            funds_used="12000.50",
            entries=1,
            overdue=True,
        ),
        row(w, helped),
        row(w, other),
    ]
    ids = lambda response: [r["id"] for r in response.json()["results"]]  # noqa: E731
    assert ids(client.get(url("project-list"), {"overdue": "1"})) == [led.pk]
    assert ids(client.get(url("project-list"), {"status": "not_started"})) == [helped.pk, other.pk]
    # a unit matches as lead or as cooperating unit
    assert ids(client.get(url("project-list"), {"unit": w.logistics.pk})) == [led.pk, helped.pk]
    assert ids(client.get(url("project-list"), {"unit": w.union_unit.pk})) == []
    later = project_make(w, title="职工书屋", batch=Batch.objects.create(year=2021, number=2, name="2021年第2批"))
    assert ids(client.get(url("project-list"), {"batch": later.batch_id})) == [later.pk]
    bad = client.get(url("project-list"), {"status": "no-such", "batch": "x"})
    assert bad.status_code == 400
    assert set(bad.json()["extra"]["fields"]) == {"status", "batch"}
    # the auditors read every project; 后勤处's officer what it leads or helps with
    client.force_login(w.users["auditor"])
    assert ids(client.get(url("project-list"))) == [led.pk, helped.pk, other.pk, later.pk]
    client.force_login(w.users["handling_unit_officer"])
    assert ids(client.get(url("project-list"))) == [led.pk, helped.pk, later.pk]
    assert client.get(url("project-detail", other.pk)).json() == NOT_FOUND
    # staff see no project list (they rate done projects: /rate/)
    client.force_login(w.users["member"])
    for path in (url("project-list"), url("project-detail", led.pk), url("batch-list")):
        response = client.get(path)
        assert (response.status_code, response.json()) == (403, FORBIDDEN)


def test_a_project_in_full_for_the_office_the_unit_and_the_auditor(client, world, clock):
    w = world
    led, helped, _other = three(w)
    officer = w.users["handling_unit_officer"]
    first = progress_add(
        actor=officer,
        project=led,
        text="完成食堂设计方案",
        date=d(2021, 1, 10),
        funds="12000.50",
        evidence_files=[photo(), photo("效果图.png")],
    )
    second = progress_add(actor=officer, project=led, text="招标完成", date=d(2021, 2, 1), funds="30000")
    files = [str(pk) for pk in first.evidence.order_by("uploaded_at", "pk").values_list("pk", flat=True)]
    client.force_login(w.users["union_office"])
    data = client.get(url("project-detail", led.pk)).json()
    stamps = [entry.pop("created_at") for entry in data["progress"]]
    assert all(stamp.startswith("2021-03-15T10:") and stamp.endswith("+08:00") for stamp in stamps)
    steps = [
        {"step": "partly_done", "label": "部分完成", "to": "partly_done"},
        {"step": "done", "label": "完成", "to": "done"},
        {"step": "not_done", "label": "未完成", "to": "not_done"},
    ]
    assert data == {
        **row(
            w,
            led,
            status="in_progress",
            status_display="推进中",
            funds_used="42000.50",
            entries=2,
            overdue=True,
        ),
        "description": "",
        "origin_note": "校领导在教职工座谈会上的批示",
        "origin_proposal": None,
        "origin_campaign": None,
        "origin_edition": None,
        "cooperating_units": [unit(w.assets)],
        "reason": "",
        "results": "",
        "closing_evidence": [],
        "progress": [
            {
                "id": second.pk,
                "project": led.pk,
                "date": "2021-02-01",
                "text": "招标完成",
                "funds": "30000.00",
                "evidence": [],
                "created_by": "unit",
            },
            {
                "id": first.pk,
                "project": led.pk,
                "date": "2021-01-10",
                "text": "完成食堂设计方案",
                "funds": "12000.50",
                "evidence": files,
                "created_by": "unit",
            },
        ],
        "satisfaction": None,
        "may_progress": True,
        "may_close_off": False,
        "next_steps": steps,
    }
    assert len(files) == 2
    # the lead unit: the same project and steps
    client.force_login(officer)
    mine = client.get(url("project-detail", led.pk)).json()
    assert (mine["may_progress"], mine["next_steps"], len(mine["progress"])) == (True, steps, 2)
    # a project 后勤处 only helps with: read, not acted on
    helping = client.get(url("project-detail", helped.pk)).json()
    assert (helping["status"], helping["may_progress"], helping["next_steps"]) == ("not_started", False, [])
    assert helping["cooperating_units"] == [unit(w.logistics)]
    # the auditor reads everything and may do nothing
    client.force_login(w.users["auditor"])
    audited = client.get(url("project-detail", led.pk)).json()
    assert [e["id"] for e in audited["progress"]] == [second.pk, first.pk]
    assert (audited["may_progress"], audited["may_close_off"], audited["next_steps"]) == (False, False, [])


def test_the_office_registers_a_batch_and_a_project(client, world, clock):
    w = world
    client.force_login(w.users["union_office"])
    response = post(client, url("batch-list"), {"year": 2021, "number": 1})
    assert response.status_code == 201
    batch = Batch.objects.get()
    assert response.json() == {"id": batch.pk, "year": 2021, "number": 1, "name": "2021年第1批", "projects": 0}
    refused(
        client,
        url("batch-list"),
        400,
        {"message": "2021 年第 1 批已经存在。", "extra": {}},
        body={"year": 2021, "number": 1},
    )
    body = {
        "batch": batch.pk,
        "title": "改造教工食堂",
        "category": "民生保障",
        "origin": "instruction",
        "origin_note": "校领导在教职工座谈会上的批示",
        "lead_unit": w.logistics.pk,
        "responsible_staff_no": "E0001",
        "cooperating_units": [w.assets.pk, w.logistics.pk, w.assets.pk],
        "project_type": "deadline",
        "deadline": "2021-12-31",
    }
    response = post(client, url("project-list"), body)
    assert response.status_code == 201
    project = PracticalProject.objects.get()
    data = response.json()
    assert data == {
        **row(w, project),
        "description": "",
        "origin_note": "校领导在教职工座谈会上的批示",
        "origin_proposal": None,
        "origin_campaign": None,
        "origin_edition": None,
        "cooperating_units": [unit(w.assets)],
        "reason": "",
        "results": "",
        "closing_evidence": [],
        "progress": [],
        "satisfaction": None,
        "may_progress": True,
        "may_close_off": False,
        "next_steps": [
            {"step": "start", "label": "开始推进", "to": "in_progress"},
            {"step": "done", "label": "完成", "to": "done"},
            {"step": "not_done", "label": "未完成", "to": "not_done"},
        ],
    }
    # the lead unit is not its own helper, nor twice the other's
    assert data["cooperating_units"] == [unit(w.assets)]
    assert project.created_by == w.users["union_office"]
    # from a revision of the mutual-aid rules: the edition is linked
    edition = edition_make(actor=w.users["union_office"], year=2021, adopt=False)
    response = post(
        client,
        url("project-list"),
        {**body, "title": "修订互助会办法", "origin": "rules_revision", "origin_edition": edition.pk},
    )
    data = response.json()
    assert (response.status_code, data["number"], data["origin"], data["origin_display"]) == (
        201,
        2,
        "rules_revision",
        "互助会办法修订",
    )
    assert (data["origin_edition"], data["origin_proposal"], data["origin_campaign"]) == (edition.pk, None, None)
    refused(
        client,
        url("project-list"),
        400,
        {"message": "没有编号为 999999 的提案。", "extra": {"field": "origin_proposal"}},
        body={**body, "origin": "proposal", "origin_proposal": 999999},
    )
    refused(
        client,
        url("project-list"),
        400,
        {"message": "没有工号为 X9 的人员。", "extra": {"field": "responsible_staff_no"}},
        body={**body, "responsible_staff_no": "X9"},
    )
    refused(
        client,
        url("project-list"),
        400,
        {"message": "请说明项目来源（如领导批示的内容）。", "extra": {"field": "origin_note"}},
        body={**body, "origin_note": " "},
    )
    refused(
        client,
        url("project-list"),
        400,
        {"message": "请选择项目来源的教代会提案。", "extra": {"field": "origin_proposal"}},
        body={**body, "origin": "proposal"},
    )
    refused(
        client,
        url("project-list"),
        400,
        {"message": "没有编号为 999999 的单位。", "extra": {"field": "lead_unit"}},
        body={**body, "lead_unit": 999999},
    )
    refused(
        client,
        url("project-list"),
        400,
        {"message": "本批次已有序号 1 的项目。", "extra": {"field": "number"}},
        body={**body, "number": 1},
    )
    bad = client.post(url("project-list"), {**body, "deadline": "2021-02-30"}, content_type="application/json")
    assert (bad.status_code, set(bad.json()["extra"]["fields"])) == (400, {"deadline"})
    # the unit officer and the auditor register nothing
    for role in ("handling_unit_officer", "auditor", "member"):
        client.force_login(w.users[role])
        refused(client, url("project-list"), 403, FORBIDDEN, body=body)
        refused(client, url("batch-list"), 403, FORBIDDEN, body={"year": 2021, "number": 2})
    client.force_login(w.users["handling_unit_officer"])
    assert client.get(url("batch-list")).json()["results"] == [
        {"id": batch.pk, "year": 2021, "number": 1, "name": "2021年第1批", "projects": 2}
    ]


def test_the_steps_of_a_project(client, world, clock):
    w = world
    led, helped, other = three(w)
    client.force_login(w.users["handling_unit_officer"])
    response = post(client, url("project-step", led.pk, "start"), {"message": "已成立工作专班"})
    assert (response.status_code, response.json()["status"]) == (200, "in_progress")
    assert led.events.get(step="start").message == "已成立工作专班"
    # not done needs the reason
    refused(
        client,
        url("project-step", led.pk, "not_done"),
        400,
        {"message": "未完成须说明原因。", "extra": {"field": "message"}},
        body={"message": "  "},
    )
    # a step the project's status does not allow
    refused(
        client,
        url("project-step", led.pk, "resume"),
        400,
        {
            "message": "实事项目当前状态为“推进中”，不能进行“继续推进”。",
            "extra": {"status": "in_progress", "target": "resume"},
        },
    )
    # 销号 is not a step here; nor is anything else
    refused(client, url("project-step", led.pk, "close_off"), 404, NOT_FOUND)
    refused(client, url("project-step", led.pk, "no-such"), 404, NOT_FOUND)
    # a project 后勤处 helps with (403), one it does not see (404)
    refused(client, url("project-step", helped.pk, "start"), 403, FORBIDDEN)
    refused(client, url("project-step", other.pk, "start"), 404, NOT_FOUND)
    for role in ("auditor", "member"):
        client.force_login(w.users[role])
        refused(client, url("project-step", led.pk, "done"), 403, FORBIDDEN)
    client.force_login(w.users["handling_unit_officer"])
    response = post(client, url("project-step", led.pk, "done"), {"done_on": "2021-03-08"})
    data = response.json()
    assert (data["status"], data["done_on"], data["next_steps"]) == ("done", "2021-03-08", [])
    led.refresh_from_db()
    assert (led.status, led.done_on, led.rating_box is not None) == (ProjectStatus.DONE, d(2021, 3, 8), True)
    # the office takes the other project to not done, with the reason
    client.force_login(w.users["union_office"])
    data = post(client, url("project-step", other.pk, "not_done"), {"message": "资金未到位"}).json()
    assert (data["status"], data["reason"], data["may_progress"]) == ("not_done", "资金未到位", False)
    assert data["next_steps"] == [{"step": "resume", "label": "继续推进", "to": "in_progress"}]


def test_a_progress_entry_from_a_phone_with_a_photo(client, world, clock):
    w = world
    led, helped, other = three(w)
    officer = w.users["handling_unit_officer"]
    client.force_login(officer)
    response = client.post(
        url("progress-add", led.pk),
        {"date": "2021-03-01", "text": "食堂后厨改造开工", "funds": "12000.5", "evidence": [photo()]},
    )
    assert response.status_code == 201
    entry = ProgressEntry.objects.get()
    attachment = Attachment.objects.get()
    data = response.json()
    assert data.pop("created_at").startswith("2021-03-15T10:")
    assert data == {
        "id": entry.pk,
        "project": led.pk,
        "date": "2021-03-01",
        "text": "食堂后厨改造开工",
        "funds": "12000.50",
        "evidence": [str(attachment.pk)],
        "created_by": "unit",
    }
    assert (attachment.original_name, attachment.content_type) == ("现场.png", "image/png")
    assert (attachment.purpose, attachment.uploaded_by) == ("projects_evidence", officer)
    led.refresh_from_db()
    assert led.status == ProjectStatus.IN_PROGRESS  # the first entry starts it
    # two photos, no date (today) and no funds (0)
    response = client.post(url("progress-add", led.pk), {"text": "主体完工", "evidence": [photo(), photo("b.png")]})
    assert response.status_code == 201
    assert (response.json()["date"], response.json()["funds"], len(response.json()["evidence"])) == (
        "2021-03-15",
        "0.00",
        2,
    )
    assert client.get(url("project-detail", led.pk)).json()["funds_used"] == "12000.50"

    def refused_multipart(pk, body, status, answer):
        before = table_counts()
        response = client.post(url("progress-add", pk), body)
        assert (response.status_code, response.json()) == (status, answer)
        assert changed_tables(before, table_counts()) == {}

    refused_multipart(
        led.pk,
        {"text": " ", "evidence": [photo()]},
        400,
        {"message": "请填写进展情况。", "extra": {"field": "text"}},
    )
    refused_multipart(
        led.pk,
        {"text": "付款", "funds": "-1", "evidence": [photo()]},
        400,
        {"message": "使用经费不能为负数。", "extra": {"field": "funds"}},
    )
    refused_multipart(
        led.pk,
        {"text": "明天的事", "date": "2021-03-16"},
        400,
        {"message": "进展日期不能晚于今天。", "extra": {"field": "date"}},
    )
    refused_multipart(
        led.pk,
        {"text": "十张照片", "evidence": [photo(f"{i}.png") for i in range(10)]},
        400,
        {"message": "每条进展最多上传 9 个文件。", "extra": {"field": "evidence"}},
    )
    script = SimpleUploadedFile("x.png", b"#!/bin/sh\necho hi\n", content_type="image/png")
    before = table_counts()
    response = client.post(url("progress-add", led.pk), {"text": "伪装的文件", "evidence": [script]})
    assert response.status_code == 400
    assert response.json()["message"].startswith("文件类型不支持")
    assert changed_tables(before, table_counts()) == {}
    # a cooperating unit records nothing (403); another unit's project is not found (404)
    refused_multipart(helped.pk, {"text": "协助"}, 403, FORBIDDEN)
    refused_multipart(other.pk, {"text": "协助"}, 404, NOT_FOUND)
    # multipart only: a JSON body is refused as such
    before = table_counts()
    response = post(client, url("progress-add", led.pk), {"text": "JSON"})
    assert (response.status_code, response.json()["extra"]) == (415, {})
    assert changed_tables(before, table_counts()) == {}
    for role in ("auditor", "member"):
        client.force_login(w.users[role])
        refused_multipart(led.pk, {"text": "看看"}, 403, FORBIDDEN)
    # a project ticked off takes no more
    project_step(actor=officer, project=led, step="done")
    project_close_off(actor=w.users["union_office"], project=led, results="改造完成")
    client.force_login(officer)
    refused_multipart(led.pk, {"text": "补一条"}, 400, {"message": "项目已销号，不能再填报进展。", "extra": {}})


def test_close_off_with_results_and_a_pdf(client, world, clock):
    w = world
    led, helped, _other = three(w)
    office, officer = w.users["union_office"], w.users["handling_unit_officer"]
    client.force_login(office)

    def close(pk, body):
        return client.post(url("project-close-off", pk), body)

    def refused_close(pk, body, status, answer):
        before = table_counts()
        response = close(pk, body)
        assert (response.status_code, response.json()) == (status, answer)
        assert changed_tables(before, table_counts()) == {}

    refused_close(
        led.pk,
        {"results": "完成", "evidence": [pdf()]},
        400,
        {"message": "项目未开始，完成后才能销号。", "extra": {"field": "status"}},
    )
    project_step(actor=officer, project=led, step="done", done_on=d(2021, 3, 8))
    refused_close(
        led.pk,
        {"results": "食堂改造完成"},
        400,
        {"message": "销号须有佐证材料：请在销号时上传，或在项目进展中上传照片、文件。", "extra": {}},
    )
    refused_close(
        led.pk,
        {"results": " ", "evidence": [pdf()]},
        400,
        {"message": "销号须填写工作成效。", "extra": {"field": "results"}},
    )
    # staff rate it before it is ticked off
    rating_cast(actor=w.users["member"], project=led, satisfaction=3)
    rating_cast(actor=w.users["sub_union_officer"], project=led, satisfaction=1)
    for role in ("handling_unit_officer", "auditor", "member"):
        client.force_login(w.users[role])
        refused_close(led.pk, {"results": "完成", "evidence": [pdf()]}, 403, FORBIDDEN)
    client.force_login(office)
    response = close(led.pk, {"results": "食堂改造完成，就餐位增加 200 个", "evidence": [pdf()]})
    assert response.status_code == 200
    data = response.json()
    evidence = Attachment.objects.get()
    assert evidence.content_type == "application/pdf"
    assert {k: data[k] for k in ("status", "status_display", "done_on", "closed_off_on", "results")} == {
        "status": "closed_off",
        "status_display": "已销号",
        "done_on": "2021-03-08",
        "closed_off_on": "2021-03-15",
        "results": "食堂改造完成，就餐位增加 200 个",
    }
    assert (data["closing_evidence"], data["next_steps"], data["may_close_off"]) == ([str(evidence.pk)], [], False)
    # the rating is closed and counted: five members could rate, two did
    assert data["satisfaction"] == {
        "voters": 5,
        "voted": 2,
        "satisfied": 1,
        "basically": 0,
        "not_satisfied": 1,
        "satisfied_rate": "0.5000",
    }
    refused_close(
        led.pk,
        {"results": "再销一次", "evidence": [pdf()]},
        400,
        {"message": "项目已销号，完成后才能销号。", "extra": {"field": "status"}},
    )


def test_a_member_rates_a_done_project_once(client, world, clock):
    w = world
    led, helped, _other = three(w)
    officer = w.users["handling_unit_officer"]
    project_step(actor=officer, project=led, step="done", done_on=d(2021, 3, 8))
    client.force_login(w.users["member"])
    data = client.get(url("rate-list")).json()
    assert data == {
        "count": 1,
        "next": None,
        "previous": None,
        "results": [
            {
                "id": led.pk,
                "batch": batch_of(led),
                "number": 1,
                "title": "改造教工食堂",
                "description": "",
                "category": "民生保障",
                "lead_unit": unit(w.logistics),
                "status": "done",
                "status_display": "已完成",
                "done_on": "2021-03-08",
            }
        ],
    }
    bad = post(client, url("rate", led.pk), {"satisfaction": 4})
    assert (bad.status_code, set(bad.json()["extra"]["fields"])) == (400, {"satisfaction"})
    # a project not done yet is not rated: not found
    refused(client, url("rate", helped.pk), 404, NOT_FOUND, body={"satisfaction": 3})
    before = table_counts()
    response = post(client, url("rate", led.pk), {"satisfaction": 2})
    assert (response.status_code, response.json()) == (200, {"project": led.pk, "rated": True})
    # the ballot waits to be written in a batch, apart from the voter's roll (core.ballots)
    assert changed_tables(before, table_counts()) == {"core.ballotpending": (0, 1)}
    refused(
        client,
        url("rate", led.pk),
        400,
        {"message": "您已投过票，选票一经投出不能更改。", "extra": {}},
        body={"satisfaction": 3},
    )
    assert client.get(url("rate-list")).json()["count"] == 0
    # an account that is no member's has nothing to rate
    client.force_login(w.users["union_office"])
    assert client.get(url("rate-list")).json()["count"] == 0
    refused(client, url("rate", led.pk), 404, NOT_FOUND, body={"satisfaction": 3})
    # once ticked off the rating is over
    project_close_off(actor=w.users["union_office"], project=led, results="完成", evidence_files=[pdf()])
    client.force_login(w.users["sub_union_officer"])
    refused(
        client,
        url("rate", led.pk),
        400,
        {"message": "该项目已销号，满意度测评已结束。", "extra": {}},
        body={"satisfaction": 3},
    )


# --- bulletins ----------------------------------------------------------------------------------


def series_make(w):
    return bulletin_services.series_create(actor=w.users["union_office"], name="我为群众办实事", publisher="校工会")


def bulletin_make(w, series, *, issue_no=1, title="食堂改造启动", body="今年共有 {{ projects.total }} 个实事项目。"):
    office = w.users["union_office"]
    bulletin = bulletin_services.bulletin_create(
        actor=office, series=series, issue_no=issue_no, date=d(2021, 3, 10), title=title, figures_year=2021
    )
    if body:
        bulletin_services.section_save(actor=office, bulletin=bulletin, heading="一、总体情况", body=body)
    return bulletin


def test_bulletins_drafts_to_the_office_published_ones_to_everyone(client, world, clock):
    w = world
    project_make(w)
    series_row = series_make(w)
    bulletin = bulletin_make(w, series_row)
    series = {"id": bulletin.series_id, "name": "我为群众办实事", "publisher": "校工会", "masthead": ""}
    draft_row = {
        "id": bulletin.pk,
        "series": series,
        "issue_no": 1,
        "column": "",
        "date": "2021-03-10",
        "title": "食堂改造启动",
        "subtitle": "",
        "figures_year": 2021,
        "status": "draft",
        "status_display": "草稿",
        "published_at": None,
    }
    sections = [{"heading": "一、总体情况", "paragraphs": ["今年共有 1 个实事项目。"]}]
    # a member sees no draft
    client.force_login(w.users["member"])
    assert client.get(url("bulletin-list")).json()["results"] == []
    assert client.get(url("bulletin-detail", bulletin.pk)).json() == NOT_FOUND
    refused(client, url("bulletin-publish", bulletin.pk), 403, FORBIDDEN)
    # the office: the draft with its live figure, nothing frozen yet
    client.force_login(w.users["union_office"])
    assert client.get(url("bulletin-list")).json()["results"] == [draft_row]
    assert client.get(url("bulletin-detail", bulletin.pk)).json() == {
        **draft_row,
        "sections": sections,
        "figures": [],
        "stale_figures": [],
        "next_steps": [{"step": "publish", "label": "发布", "to": "published"}],
    }
    response = post(client, url("bulletin-publish", bulletin.pk))
    assert response.status_code == 200
    bulletin.refresh_from_db()
    published_row = {
        **draft_row,
        "status": "published",
        "status_display": "已发布",
        "published_at": response.json()["published_at"],
    }
    assert published_row["published_at"].startswith("2021-03-15T10:")
    figure = {"key": "projects.total", "label": "实事项目", "value": "1", "shown": "1", "unit": "项", "money": False}
    assert response.json() == {
        **published_row,
        "sections": sections,
        "figures": [figure],
        "stale_figures": [],
        "next_steps": [{"step": "withdraw", "label": "撤回", "to": "withdrawn"}],
    }
    # a member reads it; the figure as published, even once the live one moves on
    project_make(w, title="教工之家", batch=Batch.objects.get())
    client.force_login(w.users["member"])
    assert client.get(url("bulletin-list")).json()["results"] == [published_row]
    assert client.get(url("bulletin-detail", bulletin.pk)).json() == {
        **published_row,
        "sections": sections,
        "figures": [figure],
        "stale_figures": None,
        "next_steps": [],
    }
    # the editor sees that it has moved on
    client.force_login(w.users["union_office"])
    assert client.get(url("bulletin-detail", bulletin.pk)).json()["stale_figures"] == [
        {"key": "projects.total", "label": "实事项目", "published": "1", "live": "2"}
    ]
    # the auditors read drafts too, and publish nothing
    second = bulletin_make(w, series_row, issue_no=2, title="教工之家")
    client.force_login(w.users["auditor"])
    listed = client.get(url("bulletin-list")).json()["results"]
    assert [(r["issue_no"], r["status"]) for r in listed] == [(2, "draft"), (1, "published")]
    assert client.get(url("bulletin-detail", second.pk)).json()["stale_figures"] is None
    refused(client, url("bulletin-publish", second.pk), 403, FORBIDDEN)
    client.force_login(w.users["union_office"])
    assert [r["issue_no"] for r in client.get(url("bulletin-list"), {"status": "published"}).json()["results"]] == [1]


def test_publishing_is_refused_with_nothing_written(client, world, clock):
    w = world
    project_make(w)
    series = series_make(w)
    first = bulletin_make(w, series)
    empty = bulletin_make(w, series, issue_no=2, title="空白", body="")
    office = w.users["union_office"]
    client.force_login(office)
    refused(client, url("bulletin-publish", empty.pk), 400, {"message": "简报还没有内容，请先添加栏目。", "extra": {}})
    # issue 1 published, withdrawn, published again as a new draft; the old one redrafted
    bulletin_services.bulletin_publish(actor=office, bulletin=first)
    bulletin_services.bulletin_withdraw(actor=office, bulletin=first, message="数据有误")
    again = bulletin_make(w, series, issue_no=1, title="再版")
    bulletin_services.bulletin_publish(actor=office, bulletin=again)
    bulletin_services.bulletin_redraft(actor=office, bulletin=first)
    refused(
        client,
        url("bulletin-publish", first.pk),
        400,
        {"message": "我为群众办实事第 1 期已经发布过，不能重复发布同一期号。", "extra": {}},
    )
    # published already: not a step it can take
    refused(
        client,
        url("bulletin-publish", again.pk),
        400,
        {
            "message": "简报当前状态为“已发布”，不能进行“发布”。",
            "extra": {"status": "published", "target": "publish"},
        },
    )
    assert BulletinFigure.objects.filter(bulletin=again).count() == 1
    refused(client, url("bulletin-publish", 999999), 404, NOT_FOUND)


# --- the schema ---------------------------------------------------------------------------------


def test_the_schema_declares_the_projects_operations(client, world):
    client.force_login(world.users["member"])
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    operations = {
        (path, method): operation["operationId"]
        for path, methods in paths.items()
        if path.startswith("/api/projects/")
        for method, operation in methods.items()
    }
    assert operations == {
        ("/api/projects/", "get"): "projects_project_list",
        ("/api/projects/", "post"): "projects_project_create",
        ("/api/projects/{id}/", "get"): "projects_project_detail",
        ("/api/projects/{id}/steps/{step}/", "post"): "projects_project_step",
        ("/api/projects/{id}/progress/", "post"): "projects_progress_add",
        ("/api/projects/{id}/close-off/", "post"): "projects_project_close_off",
        ("/api/projects/batches/", "get"): "projects_batch_list",
        ("/api/projects/batches/", "post"): "projects_batch_create",
        ("/api/projects/rate/", "get"): "projects_rate_list",
        ("/api/projects/{id}/rate/", "post"): "projects_rate",
        ("/api/projects/bulletins/", "get"): "projects_bulletin_list",
        ("/api/projects/bulletins/{id}/", "get"): "projects_bulletin_detail",
        ("/api/projects/bulletins/{id}/publish/", "post"): "projects_bulletin_publish",
    }
    progress = paths["/api/projects/{id}/progress/"]["post"]["requestBody"]["content"]
    assert list(progress) == ["multipart/form-data"]
    step = next(p for p in paths["/api/projects/{id}/steps/{step}/"]["post"]["parameters"] if p["name"] == "step")
    assert step["schema"]["enum"] == ["done", "not_done", "partly_done", "resume", "start"]
