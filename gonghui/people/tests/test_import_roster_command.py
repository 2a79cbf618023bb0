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


# --- units on a first import: --create-units, --unit-map, summaries, --errors-to ----------


def _units_file(tmp_path):
    return _file(
        tmp_path,
        [
            ["离退休工作处", "孙悦", "N1", "女", _id(2)],
            ["保卫处", "周杰", "N2", "男", _id(3, "M")],
            ["艺术学院", "吴敏", "N3", "女", _id(4)],
            ["艺术学院", "郑华", "N4", "女", _id(6)],
        ],
    )


def test_create_units_with_kinds_guessed_from_names(university, tmp_path, capsys):
    from gonghui.people.models import SubUnion

    call_command("import_roster", _units_file(tmp_path), "--create-units", "--format", "json")
    report = json.loads(capsys.readouterr().out)
    assert (report["new"], report["invalid"]) == (4, 0)
    assert [(u["unit"], u["action"], u["kind"], u["rows"]) for u in report["units"]] == [
        ("保卫处", "create", "office", 1),
        ("离退休工作处", "create", "retirees", 1),
        ("艺术学院", "create", "college", 2),
    ]
    kinds = dict(SubUnion.objects.filter(name__in=["离退休工作处", "保卫处", "艺术学院"]).values_list("name", "kind"))
    assert kinds == {"离退休工作处": "retirees", "保卫处": "office", "艺术学院": "college"}
    assert report["by_unit"]["艺术学院"] == {"new": 2}
    assert Person.objects.filter(staff_no__in=["N1", "N2", "N3", "N4"]).count() == 4


def test_dry_run_plans_the_units_and_writes_nothing(university, tmp_path, capsys):
    from gonghui.people.models import SubUnion

    before = _counts(), SubUnion.objects.count()
    with pytest.raises(CommandError):
        call_command("import_roster", _units_file(tmp_path), "--create-units", "--dry-run")
    out = capsys.readouterr().out
    assert "新建分工会“离退休工作处”（离退休分工会）" in out
    assert "仅检查，未写入。" in out
    assert (_counts(), SubUnion.objects.count()) == before


def test_unit_map_aliases_creates_with_kind_and_parent(university, tmp_path, capsys):
    from gonghui.people.models import SubUnion

    wb = Workbook()
    wb.active.append(["所在单位", "分工会", "类型", "上级"])
    wb.active.append(["离退休工作处", "", "离退休", ""])
    wb.active.append(["保卫处", "经济学院分工会", "", ""])
    wb.active.append(["艺术学院", "", "工会小组", "经济学院分工会"])
    map_path = tmp_path / "units.xlsx"
    wb.save(map_path)
    call_command("import_roster", _units_file(tmp_path), "--unit-map", str(map_path), "--format", "json")
    report = json.loads(capsys.readouterr().out)
    assert report["invalid"] == 0
    economics = SubUnion.objects.get(name="经济学院分工会")
    assert "保卫处" in economics.aliases
    art = SubUnion.objects.get(name="艺术学院")
    assert (art.kind, art.parent_id) == ("group", economics.pk)
    assert SubUnion.objects.get(name="离退休工作处").kind == "retirees"
    assert Person.objects.get(staff_no="N2").sub_union_id == economics.pk


def test_unit_map_naming_a_missing_sub_union_writes_nothing(university, tmp_path, capsys):
    from gonghui.people.models import SubUnion

    map_path = tmp_path / "units.csv"
    map_path.write_text("所在单位,分工会\n保卫处,不存在的分工会\n", encoding="utf-8")
    before = _counts(), SubUnion.objects.count()
    with pytest.raises(CommandError) as caught:
        call_command("import_roster", _units_file(tmp_path), "--unit-map", str(map_path))
    assert caught.value.returncode == 2
    assert str(caught.value) == "单位对应表：“保卫处”对应的分工会“不存在的分工会”不存在"
    assert (_counts(), SubUnion.objects.count()) == before


def test_summary_lists_fifty_rows_and_errors_to_writes_all(university, tmp_path, capsys):
    rows = [["火星学院" if n % 2 else "金星处", f"X{n}", f"X{n}", "女", _id(100 + 2 * n)] for n in range(60)]
    errors = tmp_path / "errors.csv"
    with pytest.raises(CommandError):
        call_command("import_roster", _file(tmp_path, rows), "--dry-run", "--errors-to", str(errors))
    out = capsys.readouterr().out
    assert out.count("：未知的所在单位“") == 50  # the rows listed
    assert "……另有 10 行无效未列出" in out
    assert "  火星学院：0 / 0 / 0 / 30" in out and "  金星处：0 / 0 / 0 / 30" in out
    assert "  未知的所在单位“…”：60 行" in out
    lines = errors.read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) == 61 and lines[0] == "行号,工号,所在单位,原因"


def test_changes_are_reported_field_by_field(university, tmp_path, capsys):
    call_command("import_roster", _file(tmp_path, [["经济学院分工会", "孙悦", "N1", "女", _id(2)]]))
    capsys.readouterr()
    call_command("import_roster", _file(tmp_path, [["法学院分工会", "孙月", "N1", "女", _id(2)]]))
    out = capsys.readouterr().out
    assert "第 2 行（工号 N1）：姓名 孙悦 → 孙月；分工会 经济学院分工会 → 法学院分工会" in out
