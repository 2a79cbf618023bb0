from gonghui.people.models import Person
from gonghui.people.selectors import person_list


def test_each_role_sees_exactly_its_people(university):
    u = university
    everyone = {u.zhang.pk, u.li.pk, u.wang.pk, u.zhao.pk, u.officer_person.pk}
    expected = {
        "member": {u.zhang.pk},
        "sub_union_officer": {u.zhang.pk, u.li.pk, u.officer_person.pk},  # econ and its group
        "union_office": everyone,
        "welfare_committee": set(),
        "proposals_committee": set(),
        "handling_unit_officer": set(),
        "organisation_department": set(),
        "admissions_officer": set(),
        "auditor": everyone,
        "administrator": everyone,
    }
    for role, user in u.users.items():
        seen = set(person_list(user=user).values_list("pk", flat=True))
        assert seen == expected[role], role


def test_only_office_and_administrator_may_change_people(university):
    writers = {role for role, user in university.users.items() if Person.objects.restrict(user, "change").exists()}
    assert writers == {"union_office", "administrator"}


def test_search_by_characters_pinyin_and_initials(university):
    office = university.users["union_office"]
    for text in ["张伟", "zw", "zhangwei", "ZhangWei", "E0001"]:
        found = list(person_list(user=office, filters={"q": text}).values_list("name", flat=True))
        assert found == ["张伟"], text
