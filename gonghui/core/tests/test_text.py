"""Control characters never reach the database: removed from every gonghui model's text when
it is saved, and from every cell the import kit reads."""

import pytest

from gonghui.core.models import AuditEvent
from gonghui.core.tabular import cell_text, table_read
from gonghui.core.text import clean_text
from gonghui.people.models import SubUnion, Union

pytestmark = pytest.mark.django_db


def test_clean_text_single_and_multi_line():
    assert clean_text("张\x0b伟\t\n\r\x00\x1f\x7f\x85\ufffe") == "张伟"
    assert clean_text("一\r\n二\r三\n\t四\x0b\x0c", multiline=True) == "一\n二\n三\n\t四"
    assert clean_text("平常的文字 plain, 1-2") == "平常的文字 plain, 1-2"


def test_every_model_save_stores_text_without_control_characters():
    union = Union.objects.create(name="校工会", university="大学")
    sub_union = SubUnion.objects.create(union=union, code="X\x0b1", name="化学\x0b学院\t分会")
    event = AuditEvent.objects.create(
        object_type="t", object_id="1", action="updated", message="第一行\r\n第二\x0b行\t完"
    )
    sub_union.refresh_from_db()
    event.refresh_from_db()
    assert (sub_union.code, sub_union.name) == ("X1", "化学学院分会")  # CharField: single line
    assert event.message == "第一行\n第二行\t完"  # TextField: line breaks and tabs kept


def test_import_cells_are_read_without_control_characters():
    assert cell_text(" 张\x0b伟 ") == "张伟"
    data = "工号,姓名\r\n001,李\x0b四\r\n".encode()
    assert table_read(data=data, filename="a.csv") == [["工号", "姓名"], ["001", "李四"]]
