"""A search by Chinese characters finds every name containing them, through the GIN index of
names' characters and pairs on PostgreSQL (ADR 0011), with LIKE on SQLite; a long list's count
is the planner's estimate on PostgreSQL."""

import pytest
from django.db import connection
from django.test import RequestFactory

from gonghui.core import pages
from gonghui.core.pages import EstimatingPaginator, paginate, planned_rows
from gonghui.people.models import Person
from gonghui.people.name_search import INDEX, grams_of
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


def test_grams_asked_for():
    assert grams_of("张") == ["张"]
    assert grams_of("小明") == ["小明"]
    assert grams_of("张小明") == ["小明", "张小"]
    assert grams_of("哈哈哈") == ["哈哈"]


def test_the_index_serves_the_search(named):
    sql, params = person_list(user=named.users["union_office"], filters={"q": "经济"}).query.sql_with_params()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql, params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        assert INDEX in plan
    else:
        assert "LIKE %s ESCAPE" in sql
        assert "%经济%" in params


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
