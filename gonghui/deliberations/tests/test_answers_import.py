"""The drafting unit's answers from the roll-up workbook, through the import kit: the preview
lists what it would record and the rows it cannot read; confirming records every answer through
the answer workflow, or none."""

import pytest

from gonghui.core.excel import xlsx_bytes
from gonghui.core.exceptions import ApplicationError, PermissionDenied
from gonghui.core.imports import Upload, import_confirm
from gonghui.deliberations.choices import AnswerStatus
from gonghui.deliberations.models import OpinionGroupEvent
from gonghui.deliberations.selectors.report import rollup_xlsx
from gonghui.deliberations.services.answers import answers_import_start
from gonghui.deliberations.tests.factories import through
from tests.tables import changed_tables, table_counts

HEADERS = ["序号", "条款", "意见摘要", "条数", "学院数", "学院", "答复", "理由"]


def _file(rows) -> Upload:
    return Upload(data=xlsx_bytes(headers=HEADERS, rows=rows), filename="答复.xlsx")


def test_the_roll_up_workbook_filled_in_records_every_answer(w):
    world = through(w, "sent")
    r = world.opinion_round
    groups = list(r.groups.order_by("number"))
    assert len(groups) == 4
    # the very workbook the unit downloads, its 答复 and 理由 columns filled in
    import io

    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(rollup_xlsx(user=w.users["hr"], opinion_round=r)))
    sheet = book.worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(min_row=2, values_only=True)]
    answers = {1: ("采纳", ""), 2: ("部分采纳", "另行研究。"), 3: ("不采纳", "按学校考核办法执行。"), 4: ("待答复", "")}
    for row in rows:
        row[6], row[7] = answers[row[0]]
    preview = answers_import_start(actor=w.users["hr"], opinion_round=r, upload=_file(rows))
    assert preview.summary["problems"] == []
    assert [(c["number"], c["decision"], c["label"], c["reason"]) for c in preview.summary["changes"]] == [
        (1, "adopted", "采纳", ""),
        (2, "partly_adopted", "部分采纳", "另行研究。"),
        (3, "not_adopted", "不采纳", "按学校考核办法执行。"),
    ]
    confirmed = import_confirm(preview, actor=w.users["hr"])
    assert confirmed.result == {"answered": 3, "total": 3}
    assert [(g.status, g.reason) for g in r.groups.order_by("number")] == [
        (AnswerStatus.ADOPTED, ""),
        (AnswerStatus.PARTLY, "另行研究。"),
        (AnswerStatus.NOT_ADOPTED, "按学校考核办法执行。"),
        (AnswerStatus.PENDING, ""),
    ]
    assert OpinionGroupEvent.objects.filter(subject__round=r).count() == 3


@pytest.mark.parametrize(
    "row, reason",
    [
        ([9, "", "", 1, 1, "", "采纳", ""], "没有序号为“9”的意见组"),
        (["x", "", "", 1, 1, "", "采纳", ""], "没有序号为“x”的意见组"),
        ([1, "", "", 1, 1, "", "同意", ""], "答复“同意”应为：采纳、部分采纳、不采纳"),
        ([1, "", "", 1, 1, "", "不采纳", ""], "部分采纳或不采纳的意见须说明理由。"),
    ],
)
def test_a_file_with_a_row_it_cannot_read_records_nothing(w, row, reason):
    world = through(w, "sent")
    preview = answers_import_start(actor=w.users["hr"], opinion_round=world.opinion_round, upload=_file([row]))
    assert preview.summary["problems"] == [{"row": 2, "reason": reason}]
    before = table_counts()
    with pytest.raises(ApplicationError, match="有无法读取的行，整个文件不会导入"):
        import_confirm(preview, actor=w.users["hr"])
    assert changed_tables(before, table_counts()) == {}
    assert set(world.opinion_round.groups.values_list("status", flat=True)) == {AnswerStatus.PENDING}


def test_only_the_drafting_unit_and_the_office_while_the_answers_are_open(w):
    world = through(w, "sent")
    upload = _file([[1, "", "", 1, 1, "", "采纳", ""]])
    before = table_counts()
    with pytest.raises(PermissionDenied):
        answers_import_start(actor=w.users["handling_unit_officer"], opinion_round=world.opinion_round, upload=upload)
    assert changed_tables(before, table_counts()) == {}
    published = through(w, "responded")
    with pytest.raises(ApplicationError, match="答复已发布或尚未送达起草单位"):
        answers_import_start(actor=w.users["hr"], opinion_round=published.opinion_round, upload=upload)
