"""A search by Chinese characters finds every name containing them, through the GIN index of
names' characters and pairs on PostgreSQL (ADR 0011), with LIKE on SQLite; a long list's count
is the planner's estimate on PostgreSQL."""

import pytest
from django.db import connection
from django.test import RequestFactory

from gonghui.core import pages
from gonghui.core.pages import EstimatingPaginator, paginate, planned_rows
from gonghui.people.models import Person, PersonNameGram, UnionMembership
from gonghui.people.name_search import gram_asked
from gonghui.people.selectors import person_list
from gonghui.people.tests.factories import person_make

NAMES = ["张伟", "李张", "张小明", "明张小", "小明张小", "王经济学", "赵敏", "欧阳小明"]


@pytest.fixture
def named(university):
    sub_union = university.econ
    for n, name in enumerate(NAMES):
        person_make(name=name, staff_no=f"N{n:03d}", sub_union=sub_union, member=False)
    return university


def _found(user, text) -> set[str]:
    return set(
        person_list(user=user, filters={"q": text}).filter(staff_no__startswith="N").values_list("name", flat=True)
    )


def test_characters_find_every_name_holding_them_in_that_order(named):
    office = named.users["union_office"]
    assert _found(office, "张") == {"张伟", "李张", "张小明", "明张小", "小明张小"}
    assert _found(office, "小明") == {"张小明", "小明张小", "欧阳小明"}
    assert _found(office, "经济") == {"王经济学"}
    # 小明张小 holds both pairs of 张小明 but not in that order: the recheck leaves it out
    assert _found(office, "张小明") == {"张小明"}
    assert _found(office, "欧阳小明") == {"欧阳小明"}
    assert _found(office, "明张") == {"明张小", "小明张小"}
    assert _found(office, "张明") == set()
    assert _found(office, "钱") == set()
    # longer than any name can be: nothing, and no index of a thousand pairs is asked
    assert _found(office, "张" * 51) == set()


def test_a_search_stays_in_scope(named):
    officer = named.users["sub_union_officer"]  # econ and its group: the names were put there
    member = named.users["member"]
    assert _found(officer, "张") == {"张伟", "李张", "张小明", "明张小", "小明张小"}
    assert _found(member, "张") == set()


def test_gram_asked():
    assert gram_asked("张") == "张"
    assert gram_asked("小明") == "小明"
    assert gram_asked("张小明") == "张小"


def test_a_page_of_a_search_is_read_in_the_grams_order(named):
    sql, params = person_list(user=named.users["union_office"], filters={"q": "张"})[:50].query.sql_with_params()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # a handful of rows: tell the planner to prefer what a million would need
            for setting in ("enable_seqscan", "enable_bitmapscan", "enable_sort"):
                cursor.execute(f"SET LOCAL {setting} = off")
            cursor.execute("EXPLAIN " + sql, params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        assert "person_name_gram_order_idx" in plan
        assert "Sort" not in plan  # the index can give the order
    else:
        assert "LIKE %s ESCAPE" in sql
        assert "%张%" in params


def _grams(person_ids) -> set[tuple]:
    return set(
        PersonNameGram.objects.filter(person_id__in=person_ids).values_list(
            "person_id", "gram", "name_pinyin", "staff_no"
        )
    )


def test_the_gram_rows_follow_every_write_of_a_person(named):
    """On PostgreSQL the triggers keep the rows whatever writes a person; SQLite has none."""
    person = Person.objects.get(staff_no="N002")  # 张小明
    pk = person.pk
    expected = {(pk, g, "zhangxiaoming", "N002") for g in ("张", "小", "明", "张小", "小明")}
    postgresql = connection.vendor == "postgresql"
    assert _grams([pk]) == (expected if postgresql else set())
    other = Person.objects.get(staff_no="N006")  # 赵敏: another write must leave it alone
    other_grams = _grams([other.pk])

    person.phone = "13900000000"
    person.save()  # neither name, pinyin nor staff number: the same rows
    assert _grams([pk]) == (expected if postgresql else set())

    person.name, person.name_pinyin = "张晓", "zhangxiao"
    person.save()
    renamed = {(pk, g, "zhangxiao", "N002") for g in ("张", "晓", "张晓")}
    assert _grams([pk]) == (renamed if postgresql else set())

    Person.objects.filter(pk=pk).update(staff_no="N902")  # a bulk write, no save()
    assert _grams([pk]) == ({(pk, g, "zhangxiao", "N902") for g in ("张", "晓", "张晓")} if postgresql else set())

    UnionMembership.objects.filter(person_id=pk).delete()
    Person.objects.filter(pk=pk).delete()
    assert _grams([pk]) == set()
    assert _grams([other.pk]) == other_grams
    if postgresql:
        assert len(other_grams) == 3  # 赵, 敏, 赵敏


def test_a_long_list_is_counted_by_the_planner_on_postgresql(named, monkeypatch):
    monkeypatch.setattr(pages, "EXACT_COUNT_UP_TO", 3)
    people = Person.objects.filter(staff_no__startswith="N").order_by("staff_no")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE people_person")
    paginator = EstimatingPaginator(people, 2)
    total = Person.objects.filter(staff_no__startswith="N").count()
    assert total == 8
    if connection.vendor == "postgresql":
        # the estimate: not a count, but of the list's size (the planner samples few rows)
        assert paginator.count == max(planned_rows(people), 4)
        assert paginator.count_is_estimate is True
    else:
        assert paginator.count == 8
        assert paginator.count_is_estimate is False
    assert [p.name for p in paginator.page(1)] == ["张伟", "李张"]


def test_a_short_list_is_counted_exactly(named):
    request = RequestFactory().get("/people/", {"page": "2"})
    page = paginate(
        request, Person.objects.filter(staff_no__startswith="N").order_by("staff_no"), 3, estimate_count=True
    )
    assert page.paginator.count == 8
    assert page.paginator.count_is_estimate is False
    assert page.paginator.num_pages == 3
    assert [p.name for p in page] == ["明张小", "小明张小", "王经济学"]


def test_the_api_says_whether_its_count_is_estimated(named, client):
    client.force_login(named.users["union_office"])
    data = client.get("/api/people/", {"q": "张"}).json()
    assert data["count"] == 6  # and the fixture's own 张伟
    assert data["count_is_estimate"] is False
    assert sorted(row["name"] for row in data["results"]) == sorted(
        ["张伟", "张伟", "李张", "张小明", "明张小", "小明张小"]
    )
