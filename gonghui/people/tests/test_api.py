"""The people API: scoping, the page's filters, pagination and a constant query count."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gonghui.accounts.roles import Role, role_permissions
from gonghui.people.choices import CoverageType, EmploymentStatus, Gender
from gonghui.people.models import EmploymentCategory
from gonghui.people.tests.factories import person_make


def _staff_nos(response) -> list[str]:
    return [row["staff_no"] for row in response.json()["results"]]


def test_officer_lists_exactly_their_sub_union_and_groups(university, client):
    # given a sub-union officer of econ (econ has the group econ_group)
    client.force_login(university.users["sub_union_officer"])
    # when
    response = client.get("/api/people/")
    # then zhang, li (in the group) and the officer; never law's wang or the retirees' zhao
    assert response.status_code == 200
    assert response.json()["count"] == 3
    assert sorted(_staff_nos(response)) == ["E0001", "E0002", "E0099"]


def test_office_lists_everyone_sorted_by_pinyin(university, client):
    client.force_login(university.users["union_office"])
    response = client.get("/api/people/")
    assert response.json()["count"] == 5
    assert [row["name_pinyin"] for row in response.json()["results"]] == [
        "chenjing",
        "lina",
        "wangfang",
        "zhangwei",
        "zhaoqiang",
    ]


def test_rows_show_the_id_number_masked_only(university, client):
    client.force_login(university.users["union_office"])
    row = client.get(f"/api/people/{university.zhang.pk}/").json()
    assert row["id_number"] == university.zhang.id_number_masked
    assert "********" in row["id_number"]
    assert university.zhang.id_number_clear() not in str(row)
    assert set(row) == {
        "id",
        "staff_no",
        "name",
        "name_pinyin",
        "gender",
        "birth_date",
        "id_number",
        "phone",
        "employment_category",
        "employment_status",
        "status_changed_on",
        "coverage_type",
        "sub_union",
        "sub_union_name",
    }


def test_out_of_scope_detail_is_404(university, client):
    client.force_login(university.users["sub_union_officer"])
    assert client.get(f"/api/people/{university.wang.pk}/").status_code == 404
    assert client.get(f"/api/people/{university.li.pk}/").status_code == 200


@pytest.mark.parametrize("role", ["member", "welfare_committee", "proposals_committee", "handling_unit_officer"])
def test_roles_without_view_permission_get_403(university, client, role):
    client.force_login(university.users[role])
    response = client.get("/api/people/")
    assert response.status_code == 403
    assert set(response.json()) == {"message", "extra"}


@pytest.mark.parametrize(
    "query, expected",
    [
        ("q=zw", ["E0001"]),
        ("q=张", ["E0001"]),
        ("q=L0001", ["L0001"]),
        ("employment_status=retired", ["R0001"]),
        ("gender=F", ["E0002", "E0099", "L0001"]),
        ("coverage_type=public", ["E0002"]),
        ("employment_category=__contract__", ["L0001"]),
        ("sub_union=__econ__", ["E0001", "E0002", "E0099"]),  # with its group
        ("sub_union=__econ_group__", ["E0002"]),
        ("sub_union=__econ__&gender=F", ["E0002", "E0099"]),
    ],
)
def test_filters_are_the_people_pages(university, client, query, expected):
    # given li on public medical cover and wang under a second employment category
    contract = EmploymentCategory.objects.create(name="合同制", sort_order=2)
    university.li.coverage_type = CoverageType.PUBLIC
    university.li.save()
    university.wang.employment_category = contract
    university.wang.save()
    query = (
        query.replace("__contract__", str(contract.pk))
        .replace("__econ__", str(university.econ.pk))
        .replace("__econ_group__", str(university.econ_group.pk))
    )
    client.force_login(university.users["union_office"])
    # when
    response = client.get(f"/api/people/?{query}")
    # then
    assert response.status_code == 200, response.json()
    assert sorted(_staff_nos(response)) == expected


def _search(client, id_number):
    return client.post("/api/people/search/", {"id_number": id_number}, content_type="application/json")


def test_id_number_search_matches_exactly_through_the_digest(university, client):
    client.force_login(university.users["union_office"])
    number = university.wang.id_number_clear()
    assert _staff_nos(_search(client, number)) == ["L0001"]
    # lower-case check letter and surrounding spaces are normalised; a prefix finds nothing
    assert _staff_nos(_search(client, number[:-1])) == []
    assert _staff_nos(_search(client, f" {number.lower()} ")) == ["L0001"]


def test_id_number_search_stays_within_scope(university, client):
    client.force_login(university.users["sub_union_officer"])
    assert _search(client, university.wang.id_number_clear()).json()["count"] == 0


def test_id_number_in_the_url_is_refused_and_says_how(university, client):
    """A 身份证号 in a URL ends up in the access logs: the list refuses it and names the search."""
    client.force_login(university.users["union_office"])
    response = client.get(f"/api/people/?id_number={university.wang.id_number_clear()}")
    assert response.status_code == 400
    assert "/api/people/search/" in response.json()["extra"]["fields"]["id_number"][0]


def test_id_number_search_refuses_a_body_that_is_not_an_object(university, client):
    client.force_login(university.users["union_office"])
    response = client.post("/api/people/search/", "[1]", content_type="application/json")
    assert response.status_code == 400
    assert set(response.json()) == {"message", "extra"}


def test_people_page_ignores_an_id_number_in_the_url(university, client):
    """The page's filter has no 身份证号 field and takes none from the URL."""
    client.force_login(university.users["union_office"])
    response = client.get(reverse("people:person_list"), {"id_number": university.wang.id_number_clear()})
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 5
    assert 'name="id_number"' not in response.content.decode()


def test_pagination(university, client):
    client.force_login(university.users["union_office"])
    first = client.get("/api/people/?page_size=2").json()
    assert first["count"] == 5
    assert len(first["results"]) == 2
    assert first["next"].endswith("page=2&page_size=2")
    last = client.get("/api/people/?page_size=2&page=3").json()
    assert len(last["results"]) == 1
    assert last["next"] is None


def test_page_size_is_capped_at_500(university, client):
    for n in range(3):
        person_make(staff_no=f"X{n:04d}", name="测试", sub_union=university.law)
    client.force_login(university.users["union_office"])
    response = client.get("/api/people/?page_size=100000")
    assert response.status_code == 200
    assert len(response.json()["results"]) == 8  # all of them, well below the cap
    from gonghui.core.api import Pagination

    assert Pagination.max_page_size == 500


def _people_in_many_sub_unions(university, n: int):
    from gonghui.people.tests.factories import SubUnionFactory

    categories = [EmploymentCategory.objects.create(name=f"类别{i}") for i in range(3)]
    sub_unions = [SubUnionFactory(union=university.econ.union) for _ in range(4)]
    for i in range(n):
        person_make(
            staff_no=f"Q{i:05d}",
            name="测试人员",
            sub_union=sub_unions[i % 4],
            employment_category=categories[i % 3],
            gender=Gender.MALE if i % 2 else Gender.FEMALE,
            birth_date=datetime.date(1970, 1, 1) + datetime.timedelta(i),
            employment_status=EmploymentStatus.ACTIVE,
            member=False,
        )


def _query_count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_list_costs_the_same_queries_for_10_and_100_rows(university, client, django_assert_num_queries):
    # given 120 people spread over sub-unions and categories
    _people_in_many_sub_unions(university, 120)
    client.force_login(university.users["union_office"])
    baseline = _query_count(client, "/api/people/?page_size=10")
    # when / then: a page of 100 rows costs exactly what a page of 10 does
    with django_assert_num_queries(baseline):
        response = client.get("/api/people/?page_size=100")
    assert len(response.json()["results"]) == 100
    with django_assert_num_queries(baseline):
        response = client.get("/api/people/?page_size=10")
    assert len(response.json()["results"]) == 10


def test_officer_list_query_count_does_not_grow_either(university, client, django_assert_num_queries):
    _people_in_many_sub_unions(university, 30)
    client.force_login(university.users["sub_union_officer"])
    baseline = _query_count(client, "/api/people/?page_size=1")
    with django_assert_num_queries(baseline):
        response = client.get("/api/people/?page_size=100")
    assert response.json()["count"] == 3


def test_sub_unions_are_scoped(university, client):
    client.force_login(university.users["sub_union_officer"])
    response = client.get("/api/sub-unions/")
    assert sorted(row["code"] for row in response.json()["results"]) == ["ECON", "ECON-G1"]
    assert client.get(f"/api/sub-unions/{university.law.pk}/").status_code == 404


def test_me_shows_the_masked_person_and_scoped_roles(university, client):
    client.force_login(university.users["sub_union_officer"])
    data = client.get("/api/me/").json()
    assert data["username"] == "E0099"
    assert data["person"]["staff_no"] == "E0099"
    assert data["person"]["id_number"] == university.officer_person.id_number_masked
    assert university.officer_person.id_number_clear() not in str(data)
    assert data["roles"] == [
        {
            "role": "member",
            "label": "会员",
            "scope_type": "self",
            "scope_id": university.officer_person.pk,
            "scope_name": "陈静",
        },
        {
            "role": "sub_union_officer",
            "label": "分工会干部",
            "scope_type": "sub_union",
            "scope_id": university.econ.pk,
            "scope_name": "经济学院分工会",
        },
    ]
    assert "people.view_person" in data["permissions"]
    assert "people.reveal_id_number" not in data["permissions"]


def test_me_without_a_person(university, client):
    client.force_login(university.users["handling_unit_officer"])
    data = client.get("/api/me/").json()
    assert data["person"] is None
    assert data["roles"] == [
        {
            "role": "handling_unit_officer",
            "label": "承办单位联系人",
            "scope_type": "university_unit",
            "scope_id": university.logistics.pk,
            "scope_name": "后勤处",
        },
    ]
    # a handling-unit officer holds exactly the permissions their role grants, no people ones
    assert data["permissions"] == sorted(role_permissions(Role.HANDLING_UNIT_OFFICER))
    assert not [p for p in data["permissions"] if p.startswith("people.")]


def test_token_authenticates_api_calls(university, client):
    response = client.post("/api/auth/token/", {"username": "office", "password": "pass-1234!"})
    assert response.status_code == 200
    token = response.json()["token"]
    api = client.__class__()
    response = api.get("/api/people/", HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 200
    assert response.json()["count"] == 5
    # each sign-in issues a new token; both work, and only their digests are stored
    second = client.post("/api/auth/token/", {"username": "office", "password": "pass-1234!"}).json()["token"]
    assert second != token
    assert api.get("/api/people/", HTTP_AUTHORIZATION=f"Token {second}").status_code == 200
    from gonghui.accounts.models import ApiToken

    assert ApiToken.objects.filter(user__username="office").count() == 2
    assert not ApiToken.objects.filter(digest__in=[token, second]).exists()


def test_token_with_wrong_password_is_refused(university, client):
    from gonghui.accounts.models import ApiToken as Token

    response = client.post("/api/auth/token/", {"username": "office", "password": "wrong"})
    assert response.status_code == 400
    assert response.json() == {
        "message": "提交的数据有误",
        "extra": {"fields": {"non_field_errors": ["用户名或密码不正确"]}},
    }
    assert Token.objects.count() == 0


def test_token_endpoint_is_locked_out_by_axes(university, client, settings):
    from axes.models import AccessAttempt

    from gonghui.accounts.models import ApiToken as Token

    # given as many failures as the limit allows
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post("/api/auth/token/", {"username": "office", "password": "wrong"}).status_code == 400
    # when the limit is reached
    response = client.post("/api/auth/token/", {"username": "office", "password": "wrong"})
    # then the lock-out answers in the API's error shape
    assert response.status_code == 429
    assert set(response.json()) == {"message", "extra"}
    # and even the right password is now refused, with no token issued
    response = client.post("/api/auth/token/", {"username": "office", "password": "pass-1234!"})
    assert response.status_code == 429
    assert Token.objects.count() == 0
    assert AccessAttempt.objects.get(username="office").failures_since_start == settings.AXES_FAILURE_LIMIT + 1
