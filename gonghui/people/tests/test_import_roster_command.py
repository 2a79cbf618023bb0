"""import_roster command: summary, JSON, exit codes, dry run, system actor."""

import datetime
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from gonghui.core.models import AuditAction, AuditEvent
from gonghui.people.idnumbers import id_number_compose
from gonghui.people.models import Person, UnionMembership

HEADER = ["所在单位", "姓名", "工号", "性别", "身份证号"]  # any order


def _id(seq, gender="F"):
    return id_number_compose(region="110108", birth_date=datetime.date(1988, 8, 8), sequence=seq, gender=gender)


def _file(tmp_path, rows):
    wb = Workbook()
    wb.active.append(HEADER)
    for row in rows:
        wb.active.append(row)
    path = tmp_path / "roster.xlsx"
    wb.save(path)
    return str(path)


def _counts():
    return Person.objects.count(), UnionMembership.objects.count(), AuditEvent.objects.count()


def test_all_valid_exits_zero_and_writes(university, tmp_path, capsys):
    path = _file(
        tmp_path, [["经济学院分工会", "孙悦", "N1", "女", _id(2)], ["法学院分工会", "周杰", "N2", "男", _id(3, "M")]]
    )
    before = _counts()
    call_command("import_roster", path, "--format", "json")
    report = json.loads(capsys.readouterr().out)
    assert report["new"] == 2 and report["invalid"] == 0 and report["invalid_rows"] == []
    assert _counts() == (before[0] + 2, before[1] + 2, before[2] + 3)
    # the command acts as the system actor (ADR 0005), not as an anonymous nobody
    assert list(AuditEvent.objects.filter(action=AuditAction.CREATED).values_list("actor__username", flat=True)) == [
        "system",
        "system",
    ]


def test_dry_run_with_invalid_rows_exits_nonzero_and_writes_nothing(university, tmp_path, capsys):
    path = _file(
        tmp_path,
        [
            ["经济学院分工会", "孙悦", "N1", "女", _id(2)],
            ["经济学院分工会", "周杰", "N2", "男", _id(2)],  # gender disagrees (even = female)
            ["火星学院", "吴敏", "N3", "女", _id(4)],
        ],
    )
    before = _counts()
    with pytest.raises(CommandError) as caught:
        call_command("import_roster", path, "--dry-run", "--format", "json")
    assert caught.value.returncode == 1
    report = json.loads(capsys.readouterr().out)
    assert (report["new"], report["changed"], report["unchanged"], report["invalid"]) == (1, 0, 0, 2)
    assert [(r["row"], r["reason"]) for r in report["invalid_rows"]] == [
        (3, "身份证号中的性别与填写的性别不一致"),
        (4, "未知的所在单位“火星学院”"),
    ]
    assert _counts() == before


def test_without_dry_run_valid_rows_are_written_but_exit_is_nonzero(university, tmp_path, capsys):
    path = _file(tmp_path, [["经济学院分工会", "孙悦", "N1", "女", _id(2)], ["火星学院", "吴敏", "N3", "女", _id(4)]])
    with pytest.raises(CommandError) as caught:
        call_command("import_roster", path)
    assert caught.value.returncode == 1
    out = capsys.readouterr().out
    assert "共 2 行：新增 1，变更 0，未变 0，无效 1" in out
    assert "第 3 行（工号 N3）：未知的所在单位“火星学院”" in out
    assert list(Person.objects.filter(staff_no__in=["N1", "N3"]).values_list("staff_no", flat=True)) == ["N1"]


def test_unreadable_file_exit_two(university, tmp_path, capsys):
    path = tmp_path / "roster.txt"
    path.write_text("x")
    before = _counts()
    with pytest.raises(CommandError) as caught:
        call_command("import_roster", str(path), "--format", "json")
    assert caught.value.returncode == 2
    assert json.loads(capsys.readouterr().out)["error"].startswith("不支持的文件类型")
    assert _counts() == before
