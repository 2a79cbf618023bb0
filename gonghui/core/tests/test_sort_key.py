"""Natural Chinese ordering: 第一 before 第二 before 第十 before 第十一, names by pinyin, in
Python (`core.text.sort_key`) and in SQL (the stored `sort_key` columns)."""

import pytest

from gonghui.core.text import chinese_number, sort_key
from gonghui.people.models import SubUnion, Union, UniversityUnit


def test_chinese_numbers():
    assert [chinese_number(n) for n in ("一", "九", "十", "十一", "二十", "二十三", "一百零五", "二〇二一", "两")] == [
        1, 9, 10, 11, 20, 23, 105, 2021, 2,
    ]  # fmt: skip
    assert chinese_number("十十") is None


def test_sort_key_values():
    assert sort_key("第一工会小组") == "di11gonghuixiaozu"
    assert sort_key("第十一工会小组") == "di211gonghuixiaozu"
    assert sort_key("经济学院分工会") == "jingjixueyuanfengonghui"
    assert sort_key("3号楼 John") == "13haoloujohn"
    # A numeral inside a word is a word: 三亚 sorts under s, not as the number 3.
    assert sort_key("三亚校区分工会") == "sanyaxiaoqufengonghui"


def test_groups_in_natural_order():
    names = ["第十一工会小组", "第二工会小组", "第十工会小组", "第一工会小组", "第九工会小组", "第2组", "第10组"]
    assert sorted(names, key=sort_key) == [
        "第一工会小组", "第二工会小组", "第2组", "第九工会小组", "第十工会小组", "第10组", "第十一工会小组",
    ]  # fmt: skip


def test_names_in_pinyin_order():
    names = ["离退休工作处分工会", "经济学院分工会", "法学院分工会", "北京校区分工会", "Ann 分工会"]
    assert sorted(names, key=sort_key) == [
        "Ann 分工会", "北京校区分工会", "法学院分工会", "经济学院分工会", "离退休工作处分工会",
    ]  # fmt: skip


@pytest.mark.django_db
def test_database_orders_sub_unions_and_units_naturally():
    union = Union.objects.create(name="校工会", university="大学")
    for code, name in [("G11", "第十一工会小组"), ("G2", "第二工会小组"), ("G10", "第十工会小组"), ("G1", "第一工会小组"),
                       ("G9", "第九工会小组"), ("ECON", "经济学院分工会"), ("LAW", "法学院分工会")]:  # fmt: skip
        SubUnion.objects.create(union=union, code=code, name=name)
    assert list(SubUnion.objects.values_list("code", flat=True)) == ["G1", "G2", "G9", "G10", "G11", "LAW", "ECON"]

    # A rename keeps the key in step, also when only the name is saved.
    renamed = SubUnion.objects.get(code="G1")
    renamed.name = "第十二工会小组"
    renamed.save(update_fields=["name"])
    assert list(SubUnion.objects.values_list("code", flat=True)) == ["G2", "G9", "G10", "G11", "G1", "LAW", "ECON"]

    for code, name in [("A", "人事处"), ("B", "后勤处"), ("C", "第二党支部"), ("D", "第一党支部")]:
        UniversityUnit.objects.create(code=code, name=name)
    assert list(UniversityUnit.objects.values_list("name", flat=True)) == [
        "第一党支部",
        "第二党支部",
        "后勤处",
        "人事处",
    ]
