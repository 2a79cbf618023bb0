"""The office's proposals export and the handling report: a title typed as a formula stays
text, a control character in an old title stops neither, typed input loses its control
characters, and both downloads are audited and never cached."""

import io

from django.urls import reverse
from openpyxl import load_workbook

from gonghui.core.models import AuditAction, AuditEvent
from gonghui.proposals.models import Proposal
from gonghui.proposals.tests.factories import replied, submitted

FORMULA = "=cmd|' /C calc'!A0"


def _formulas(book) -> list:
    return [
        cell.coordinate
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]


def test_proposals_export_keeps_a_formula_title_as_text(client, pw):
    proposal = submitted(pw, title=FORMULA)
    office = pw.users["union_office"]
    client.force_login(office)
    before = AuditEvent.objects.count()
    response = client.get(reverse("proposals:list"), {"format": "xlsx"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.active
    assert sheet.max_row == 2
    title = sheet["C2"]
    assert (title.value, title.data_type) == ("'" + FORMULA, "s")
    assert sheet["B2"].value == proposal.number
    assert _formulas(book) == []
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.latest("id")
    assert (event.actor, event.action, event.object_type, event.object_id, event.message) == (
        office,
        AuditAction.EXPORTED,
        "proposals.proposal",
        "list",
        "导出提案列表（format=xlsx）",
    )


def test_a_control_character_in_an_old_title_stops_neither_export(client, pw):
    proposal = replied(pw)
    Proposal.objects.filter(pk=proposal.pk).update(title="食堂\x0b晚餐")  # stored before input was cleaned
    client.force_login(pw.users["union_office"])
    listed = client.get(reverse("proposals:list"), {"format": "xlsx"})
    assert listed.status_code == 200
    assert load_workbook(io.BytesIO(listed.content)).active["C2"].value == "食堂晚餐"

    client.force_login(pw.users["proposals_committee"])
    before = AuditEvent.objects.count()
    report = client.get(reverse("proposals:report", args=[pw.session.pk]), {"format": "xlsx"})
    assert report.status_code == 200
    assert report["Cache-Control"] == "private, no-store"
    book = load_workbook(io.BytesIO(report.content))
    assert book.sheetnames == ["汇总", "承办单位", "提案"]
    items = book["提案"]
    assert items.max_row == 2 and items["C2"].value == "食堂晚餐"  # 会议, 编号, 案由
    assert items["B2"].data_type == "n"
    assert _formulas(book) == []
    event = AuditEvent.objects.latest("id")
    assert AuditEvent.objects.count() == before + 1
    assert (event.action, event.object_type, event.object_id, event.message) == (
        AuditAction.EXPORTED,
        "congress.congresssession",
        str(pw.session.pk),
        "导出提案办理情况报告（format=xlsx）",
    )


def test_a_title_typed_with_a_control_character_is_stored_without_it(client, pw):
    client.force_login(pw.users["member"])
    response = client.post(
        reverse("api-proposal-list"),
        {
            "title": "增设\x0b充电桩",
            "category": pw.categories["后勤保障"].pk,
            "grounds": "第一\r\n第二\x0c",
            "one_matter": True,
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    proposal = Proposal.objects.get(pk=response.json()["id"])
    assert (proposal.title, proposal.grounds) == ("增设充电桩", "第一\n第二")
