"""The roster import's lookup of existing people, read a chunk of the file at a time."""

from gonghui.people.models import Person
from gonghui.people.roster import bulk, services
from gonghui.people.tests.test_roster_import import HEADER, classify, new_row, roster_import_file, xlsx


def _rows(university):
    zhang, li, wang, zhao = university.zhang, university.li, university.wang, university.zhao
    return [
        new_row("N0001")[:5],
        [zhang.staff_no, zhang.name, "男", zhang.id_number_clear(), "经济学院分工会"],  # unchanged
        ["N0003", "赵强", "男", zhao.id_number_clear(), "经济学院分工会"],  # R0001's ID number
        [li.staff_no, li.name, "女", li.id_number_masked, "经济学院第一工会小组"],  # masked: kept
        [wang.staff_no, wang.name, "女", wang.id_number_clear(), "经济学院分工会"],  # a transfer
        new_row("N0002")[:5],
    ]


def _outcome(c):
    return (
        c.counts,
        [r.staff_no for r in c.new],
        [(r.staff_no, changes) for r, _before, changes in c.changed],
        [(i.row, i.reason) for i in c.invalid],
    )


def test_a_file_classifies_the_same_in_chunks_of_two(university, tmp_path, monkeypatch):
    path = xlsx(tmp_path / "r.xlsx", _rows(university), header=HEADER[:5])
    whole = _outcome(classify(path))
    assert whole[0] == {"new": 2, "changed": 1, "unchanged": 2, "invalid": 1}
    assert whole[3] == [(4, "该身份证号已属于工号 R0001")]
    monkeypatch.setattr(services, "CHUNK", 2)  # the lookup's chunks end within the file
    assert _outcome(classify(path)) == whole
    _c, result = roster_import_file(path=path)
    assert result == {"new": 2, "changed": 1, "unchanged": 2, "invalid": 1, "transferred": 1, "memberships_ended": 0}
    assert Person.objects.get(staff_no="L0001").sub_union_id == university.econ.pk


def test_the_lookup_yields_one_pair_of_dicts_per_chunk(university):
    zhang, wang = university.zhang, university.wang
    keys = [("N1", "x"), (zhang.staff_no, zhang.id_number_digest), ("N2", wang.id_number_digest), ("N3", "")]
    lookup = bulk.Lookup(
        Person, match="staff_no", owner="id_number_digest", keys=keys, fields=("id", "staff_no", "name"), chunk=2
    )
    chunks = list(lookup.chunks())
    assert chunks == [
        ({"E0001": {"id": zhang.pk, "staff_no": "E0001", "name": "张伟"}}, {zhang.id_number_digest: "E0001"}),
        ({}, {wang.id_number_digest: "L0001"}),
    ]
    assert list(bulk.Lookup(Person, match="staff_no", owner="id_number_digest", keys=[], fields=("id",)).chunks()) == []
