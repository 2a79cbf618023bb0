"""Mentors' stipends: the payroll list of what the grades earn, finance's workbook, the ledger
entries written when it is paid (once), and their reversal."""

import datetime
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import load_workbook

from gonghui.core.exceptions import ApplicationError
from gonghui.mentorship.choices import AssessmentStage, StipendBatchStatus, StipendKind
from gonghui.mentorship.models import Assessment, StipendBatch, StipendBatchEvent, StipendEntry
from gonghui.mentorship.services import cohorts
from gonghui.mentorship.services.assessments import pair_assess, pair_reassess
from gonghui.mentorship.services.stipends import (
    stipend_batch_create,
    stipend_batch_mark_paid,
    stipend_batch_rows,
    stipend_batch_xlsx,
    stipend_reverse,
    stipends_due,
)
from gonghui.mentorship.tests.factories import nothing_written, through
from gonghui.people.models import Person

pytestmark = pytest.mark.django_db

d = datetime.date
PAID_ON = d(2023, 3, 20)
PROJECT = "第8期青年教师拜师结对导师津贴"


def _graded(w, clock):
    """赵青 合格 (1,200), 钱青 基本合格 (600 now), 孙青 不合格 (nothing)."""
    through(w, "running")
    Person.objects.filter(pk=w.sun.pk).update(jingka_no="6217000010001234567")
    clock.move_to(datetime.datetime(2023, 3, 1, 9, 0))
    w.cohort = cohorts.cohort_open_assessment(actor=w.office, cohort=w.cohort)
    for name, grade in (("赵青", "passed"), ("钱青", "basic"), ("孙青", "failed")):
        w.pairs[name] = pair_assess(actor=w.office, pair=w.pairs[name], grade_code=grade)
    return w


def _cycle(pair):
    return Assessment.objects.get(pair=pair, stage=AssessmentStage.CYCLE)


def test_a_batch_of_the_stipends_due(w, clock):
    _graded(w, clock)
    assert [(a.pair.mentee.name, a.stipend) for a in stipends_due(w.cohort)] == [
        ("赵青", Decimal("1200.00")),
        ("钱青", Decimal("600.00")),
    ]
    batch = stipend_batch_create(actor=w.office, cohort=w.cohort)

    assert batch.status == StipendBatchStatus.PREPARED
    assert sum(a.stipend for a in batch.assessments.all()) == Decimal("1800.00")
    assert list(stipends_due(w.cohort)) == []  # listed: not due twice
    assert stipend_batch_rows(batch) == [
        [
            1,
            "E1101",
            "孙教授",
            "经济学院分工会",
            "6217000010001234567",
            Decimal("1200.00"),
            PROJECT,
            "指导赵青，期满考核合格",
        ],
        [2, "E1102", "周副教授", "经济学院分工会", "", Decimal("600.00"), PROJECT, "指导钱青，期满考核基本合格"],
    ]
    with nothing_written(), pytest.raises(ApplicationError) as refused:
        stipend_batch_create(actor=w.office, cohort=w.cohort)
    assert refused.value.message == "第8期青年教师拜师结对没有待发放的导师津贴。"


def test_the_workbook_for_finance(w, clock):
    _graded(w, clock)
    batch = stipend_batch_create(actor=w.office, cohort=w.cohort)
    sheet = load_workbook(BytesIO(stipend_batch_xlsx(batch))).active

    assert sheet.title == "导师津贴发放表"
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["序号", "工号", "姓名", "单位", "京卡号", "发放金额", "项目", "备注"]
    assert rows[1][:6] == [1, "E1101", "孙教授", "经济学院分工会", "6217000010001234567", 1200]
    assert rows[2][:3] == [2, "E1102", "周副教授"]
    assert len(rows) == 3
    for column in ("B", "E"):  # 工号 and 京卡号 are text, never numbers
        assert sheet[f"{column}2"].data_type == "s"
        assert sheet[f"{column}2"].number_format == "@"


def test_mark_paid_writes_one_entry_per_assessment(w, clock):
    _graded(w, clock)
    batch = stipend_batch_create(actor=w.office, cohort=w.cohort)
    batch = stipend_batch_mark_paid(actor=w.office, batch=batch, paid_on=PAID_ON)

    assert (batch.status, batch.paid_on) == (StipendBatchStatus.PAID, PAID_ON)
    entries = StipendEntry.objects.order_by("pk")
    assert [(e.kind, e.person_id, e.pair_id, e.amount, e.batch_id) for e in entries] == [
        (StipendKind.PAYMENT, w.sun.pk, w.pairs["赵青"].pk, Decimal("1200.00"), batch.pk),
        (StipendKind.PAYMENT, w.zhou.pk, w.pairs["钱青"].pk, Decimal("600.00"), batch.pk),
    ]
    assert sum(e.amount for e in entries) == sum(a.stipend for a in batch.assessments.all()) == Decimal("1800.00")
    event = StipendBatchEvent.objects.get(subject=batch)
    assert event.message == "导师津贴发放：2 人次，合计 1800.00 元，发放日期 2023-03-20"

    with nothing_written(), pytest.raises(ApplicationError) as refused:
        stipend_batch_mark_paid(actor=w.office, batch=batch, paid_on=PAID_ON)
    assert refused.value.message == "该批次已标记为已发放。"
    with nothing_written(), pytest.raises(ApplicationError) as refused:
        stipend_batch_create(actor=w.office, cohort=w.cohort)
    assert refused.value.message == "第8期青年教师拜师结对没有待发放的导师津贴。"


def test_the_rest_after_the_extension(w, clock):
    _graded(w, clock)
    stipend_batch_mark_paid(
        actor=w.office, batch=stipend_batch_create(actor=w.office, cohort=w.cohort), paid_on=PAID_ON
    )
    clock.move_to(datetime.datetime(2023, 8, 28, 9, 0))
    pair_reassess(actor=w.office, pair=w.pairs["钱青"], passed=True)
    batch = stipend_batch_create(actor=w.office, cohort=w.cohort)
    assert stipend_batch_rows(batch) == [
        [1, "E1102", "周副教授", "经济学院分工会", "", Decimal("600.00"), PROJECT, "指导钱青，延期考核合格"]
    ]
    stipend_batch_mark_paid(actor=w.office, batch=batch, paid_on=d(2023, 9, 10))
    paid = {p: sum(e.amount for e in StipendEntry.objects.filter(person=p)) for p in (w.sun, w.zhou)}
    assert paid == {w.sun: Decimal("1200.00"), w.zhou: Decimal("1200.00")}


def test_named_assessments(w, clock):
    _graded(w, clock)
    failed, passed = _cycle(w.pairs["孙青"]), _cycle(w.pairs["赵青"])
    with nothing_written(), pytest.raises(ApplicationError) as refused:
        stipend_batch_create(actor=w.office, cohort=w.cohort, assessments=[passed, failed])
    assert refused.value.message == "孙青的考核等次“不合格”没有津贴。"

    batch = stipend_batch_create(actor=w.office, cohort=w.cohort, assessments=[passed])
    assert list(batch.assessments.all()) == [passed]
    with nothing_written(), pytest.raises(ApplicationError) as refused:
        stipend_batch_create(actor=w.office, cohort=w.cohort, assessments=[passed])
    assert refused.value.message == "赵青的津贴已发放或已列入待发放名单。"
    assert StipendBatch.objects.count() == 1


def test_only_the_office_lists_and_pays(w, clock):
    _graded(w, clock)
    with nothing_written(), pytest.raises(PermissionDenied):
        stipend_batch_create(actor=w.officer, cohort=w.cohort)
    batch = stipend_batch_create(actor=w.office, cohort=w.cohort)
    with nothing_written(), pytest.raises(PermissionDenied):
        stipend_batch_mark_paid(actor=w.users["auditor"], batch=batch, paid_on=PAID_ON)


def test_the_ledger_is_never_edited_and_reversed_once(w, clock):
    _graded(w, clock)
    batch = stipend_batch_create(actor=w.office, cohort=w.cohort)
    stipend_batch_mark_paid(actor=w.office, batch=batch, paid_on=PAID_ON)
    entry = StipendEntry.objects.get(person=w.sun)

    entry.amount = Decimal("1.00")
    with nothing_written(), pytest.raises(ValueError, match="ledger entries are never edited"):
        entry.save()
    with nothing_written(), pytest.raises(ValueError, match="ledger entries are never deleted"):
        entry.delete()
    entry.refresh_from_db()
    assert entry.amount == Decimal("1200.00")

    with nothing_written(), pytest.raises(ApplicationError) as refused:
        stipend_reverse(actor=w.office, entry=entry, reason=" ")
    assert refused.value.message == "请填写冲销原因。"
    reversal = stipend_reverse(actor=w.office, entry=entry, reason="重复发放")
    assert (reversal.kind, reversal.amount, reversal.person_id, reversal.batch_id, reversal.memo) == (
        StipendKind.REVERSAL,
        Decimal("-1200.00"),
        w.sun.pk,
        batch.pk,
        "重复发放",
    )
    with nothing_written(), pytest.raises(ApplicationError) as refused:
        stipend_reverse(actor=w.office, entry=entry, reason="再冲")
    assert refused.value.message == "该笔津贴已经冲销。"
    with nothing_written(), pytest.raises(ApplicationError) as refused:
        stipend_reverse(actor=w.office, entry=reversal, reason="冲销冲销")
    assert refused.value.message == "只能冲销发放记录。"
    assert sum(e.amount for e in StipendEntry.objects.all()) == Decimal("600.00")
    assert StipendEntry.objects.count() == 3
