"""Bad parameters never give a 5xx (issue 11, finding 7).

Every API route of the access matrix (tests/test_route_access.py) is called, as a member and as
the office, with hostile values for what its OpenAPI schema declares: `abc` for every integer
parameter, a value outside every enum, a NUL byte in every string parameter and in `q`; every
POST route gets a JSON list instead of an object. Nothing may answer 5xx, and what is refused
is refused with the API's one error shape {"message", "extra"}.
"""

import json
import re

import pytest
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator

from tests.test_route_access import ROUTES, _is_api
from tests.test_route_access import world as world  # noqa: F401  (the fixture)


@pytest.fixture
def university(university_of_module):
    """The conftest's university, built once for this module's cases: each case rolls back to it
    (conftest.py, `university_of_module`)."""
    return university_of_module


SWEEP_ROLES = ["member", "union_office"]
# not an object, or an object whose values have the wrong types
BAD_BODIES = [[], [1, 2], "text", 3, {"delegates": "abc", "until": "2021-02-30", "progress": "x", "note": ["a"]}]
API_ROUTES = sorted(name for name in ROUTES if _is_api(name) and name not in {"api-schema", "api-docs"})


def _schema_operations() -> list[tuple[re.Pattern, str, dict]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    operations = []
    for path, methods in schema["paths"].items():
        pattern = re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", path) + "$")
        for method, operation in methods.items():
            operations.append((pattern, method.upper(), operation))
    return operations


def _operation(operations, url: str, method: str) -> dict:
    found = [op for pattern, m, op in operations if m == method and pattern.match(url)]
    assert found, f"{method} {url} is not in the OpenAPI schema"
    return found[0]


def _every_action(url: str, operation: dict) -> list[str]:
    """The URL with its last path segment replaced by each value of a path parameter's enum
    (the steps of a proposal, of a session), or the URL alone."""
    for parameter in operation.get("parameters", []):
        if parameter["in"] == "path" and parameter.get("schema", {}).get("enum"):
            base = url.rstrip("/").rsplit("/", 1)[0]
            return [f"{base}/{value}/" for value in parameter["schema"]["enum"]]
    return [url]


def _bad_queries(operation: dict) -> list[dict]:
    """One query per declared query parameter with a value it does not accept, plus `q` with a NUL."""
    queries = [{"q": "a\x00b"}]
    for parameter in operation.get("parameters", []):
        if parameter["in"] != "query":
            continue
        schema = parameter.get("schema", {})
        name = parameter["name"]
        if schema.get("type") in ("integer", "number"):
            queries.append({name: "abc"})
        if schema.get("enum"):
            queries.append({name: "no-such-choice"})
        if schema.get("type") == "string":
            queries.append({name: "x\x00y"})
        if schema.get("format") == "date":
            queries.append({name: "2021-02-30"})
    return queries


def _wrong(response, what: str) -> list[str]:
    """What is wrong with the answer: a 5xx, or a refusal not in the API's error shape."""
    if response.status_code >= 500:
        return [f"{what}: {response.status_code}"]
    if response.status_code == 400 and set(response.json()) != {"message", "extra"}:
        return [f"{what}: {response.json()}"]
    return []


@pytest.mark.parametrize("role", SWEEP_ROLES)
def test_no_api_route_answers_5xx_to_bad_values(client, world, role):  # noqa: F811
    client.raise_request_exception = False
    operations = _schema_operations()
    checked, wrong = 0, []
    world.qjs.any_stage = True  # one test sweeps every route: the competition's at one stage
    # the records first (building them may move the clock), then the session
    urls = {name: reverse(name, args=ROUTES[name].args(world)) for name in API_ROUTES}
    client.force_login(world.users[role])
    for name in API_ROUTES:
        rule = ROUTES[name]
        url = urls[name]
        operation = _operation(operations, url, rule.method)
        if rule.method == "GET":
            for query in _bad_queries(operation):
                wrong += _wrong(client.get(url, query), f"GET {name} {query!r}")
                checked += 1
        else:
            for action_url in _every_action(url, operation):
                for body in BAD_BODIES:
                    response = client.post(action_url, json.dumps(body), content_type="application/json")
                    wrong += _wrong(response, f"POST {action_url} {body!r}")
                    checked += 1
    if wrong:
        pytest.fail("\n".join(wrong))
    assert checked > 100


def test_a_non_integer_filter_is_a_400_in_the_api_shape(client, university):
    client.force_login(university.users["member"])
    response = client.get(reverse("api-proposal-list"), {"session": "abc"})
    assert response.status_code == 400
    assert response.json()["extra"]["fields"]["session"]
    assert client.get(reverse("api-proposal-list"), {"status": "no-such"}).status_code == 400
    assert client.get(reverse("api-proposal-list"), {"session": ""}).status_code == 200


def test_a_nul_in_a_query_is_refused_before_any_view(client, university):
    client.force_login(university.users["member"])
    response = client.get(reverse("api-proposal-list"), {"q": "a\x00b"})
    assert response.status_code == 400
    assert set(response.json()) == {"message", "extra"}
    page = client.get(reverse("portal:home"), {"q": "a\x00"})
    assert page.status_code == 400
    assert "请求有误" in page.content.decode()


def test_a_nul_in_a_form_value_is_refused_and_changes_nothing(client, university):
    from tests.tables import table_counts

    client.force_login(university.users["union_office"])
    before = table_counts()
    response = client.post(reverse("accounts:user_create"), {"username": "x\x00y"})
    assert response.status_code == 400
    assert table_counts() == before


def test_a_list_body_on_a_proposal_step_is_a_400_and_changes_nothing(client, world):  # noqa: F811
    from tests.tables import table_counts

    proposal = world.pr.replied
    client.force_login(world.users["member"])
    before = table_counts()
    response = client.post(
        reverse("api-proposal-action", args=[proposal.pk, "rate"]), "[1, 2]", content_type="application/json"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"message", "extra"}
    assert table_counts() == before


@pytest.mark.parametrize("name, role", [("proposals:public", "member"), ("proposals:list", "union_office")])
def test_a_bad_filter_on_a_proposal_page_is_ignored_with_a_message(client, university, name, role):
    client.force_login(university.users[role])
    response = client.get(reverse(name), {"session": "abc", "year": "x", "status": "no-such"})
    assert response.status_code == 200
    assert "已忽略无效的筛选条件" in response.content.decode()


# The query parameters the pages read, each with a value no page accepts: words where numbers
# are expected, unknown choices, numbers beyond any column, dates that do not exist.
# the parameters that name a number (a year, a page, a record's id) ...
NUMBER_PARAMETERS = (
    "year",
    "page",
    "session",
    "sub_union",
    "plan",
    "left",
    "right",
    "parent",
    "edition",
    "exclude",
    "source",
    "into",
)
# ... and every parameter a page reads
PAGE_PARAMETERS = (
    *NUMBER_PARAMETERS,
    "unit",
    "sitting",
    "drive",
    "status",
    "kind",
    "relationship",
    "format",
    "export",
    "merged",
    "category",
    "role",
)
BAD_PAGE_QUERIES = [
    {name: "abc" for name in PAGE_PARAMETERS},
    {name: "99999999999999999999" for name in NUMBER_PARAMETERS},
    {"year": "-1", "page": "-1", "left": "0", "right": "0", "date": "2021-02-30", "since": "2021-13-01", "until": "x"},
]
PAGE_CASES = [
    (name, role)
    for name, rule in sorted(ROUTES.items())
    if not _is_api(name) and rule.method == "GET"
    for role in SWEEP_ROLES
    if role in rule.allowed
]


@pytest.mark.parametrize("name, role", PAGE_CASES)
def test_no_page_answers_5xx_to_bad_filters(client, world, name, role):  # noqa: F811
    """Every page the member or the office may open, with every bad filter value: a page
    (perhaps with a message), a 400 or a 404, never a 5xx."""
    url = reverse(name, args=ROUTES[name].args(world))  # the world first: building it may move the clock on
    client.force_login(world.users[role])
    client.raise_request_exception = False
    wrong = []
    for query in BAD_PAGE_QUERIES:
        response = client.get(url, query)
        if response.status_code >= 500:
            wrong.append(f"GET {name} {query!r}: {response.status_code}")
    assert not wrong, "\n".join(wrong)


def test_the_page_sweep_covers_both_roles():
    assert len([case for case in PAGE_CASES if case[1] == "member"]) > 20
    assert len([case for case in PAGE_CASES if case[1] == "union_office"]) > 60
