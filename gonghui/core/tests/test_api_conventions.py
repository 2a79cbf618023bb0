"""API conventions every endpoint shares: one error shape, auth, schema and docs page."""

import re

import pytest
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.management import call_command
from django.http import Http404
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from gonghui.core.exceptions import ApplicationError, InvalidTransition

ERROR_KEYS = {"message", "extra"}


def _raising_view(exc):
    class RaisingApi(APIView):
        authentication_classes = []
        permission_classes = []

        def get(self, request):
            raise exc

    return RaisingApi.as_view()


@pytest.mark.parametrize(
    "exc, status, message, extra",
    [
        (ApplicationError("名额已满", extra={"field": "slot"}), 400, "名额已满", {"field": "slot"}),
        (InvalidTransition("已去世人员的状态不能再变更"), 400, "已去世人员的状态不能再变更", {}),
        (
            DjangoValidationError({"reason": ["请填写原因"]}),
            400,
            "提交的数据有误",
            {"fields": {"reason": ["请填写原因"]}},
        ),
        (DjangoValidationError("请填写原因"), 400, "提交的数据有误", {"fields": ["请填写原因"]}),
        (Http404(), 404, "未找到。", {}),
        (DjangoPermissionDenied(), 403, "您没有执行该操作的权限。", {}),
    ],
)
def test_errors_raised_in_views_share_one_shape(exc, status, message, extra):
    response = _raising_view(exc)(APIRequestFactory().get("/x/"))
    assert response.status_code == status
    assert response.data == {"message": message, "extra": extra}


def test_400_invalid_filter_value(university, client):
    client.force_login(university.users["union_office"])
    response = client.get("/api/people/?employment_status=nonsense")
    assert response.status_code == 400
    body = response.json()
    assert set(body) == ERROR_KEYS
    assert body["message"] == "提交的数据有误"
    assert list(body["extra"]["fields"]) == ["employment_status"]


def test_401_anonymous_with_token_challenge(db, client):
    response = client.get("/api/people/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json() == {"message": "身份认证信息未提供。", "extra": {}}


def test_401_bad_token(db, client):
    response = client.get("/api/people/", HTTP_AUTHORIZATION="Token not-a-token")
    assert response.status_code == 401
    assert response.json() == {"message": "认证令牌无效。", "extra": {}}


def test_403_without_permission(university, client):
    client.force_login(university.users["member"])
    response = client.get("/api/people/")
    assert response.status_code == 403
    assert response.json() == {"message": "您没有执行该操作的权限。", "extra": {}}


def test_404_out_of_scope(university, client):
    client.force_login(university.users["sub_union_officer"])
    response = client.get(f"/api/people/{university.wang.pk}/")
    assert response.status_code == 404
    assert response.json() == {"message": "未找到。", "extra": {}}


def test_404_unknown_page_of_results(university, client):
    client.force_login(university.users["union_office"])
    response = client.get("/api/people/?page=99")
    assert response.status_code == 404
    assert set(response.json()) == ERROR_KEYS


def test_405_method_not_allowed(university, client):
    client.force_login(university.users["union_office"])
    response = client.delete(f"/api/people/{university.zhang.pk}/")
    assert response.status_code == 405
    assert set(response.json()) == ERROR_KEYS


def test_validation_error_on_token_request(db, client):
    response = client.post("/api/auth/token/", {"username": "office"})
    assert response.status_code == 400
    assert response.json() == {"message": "提交的数据有误", "extra": {"fields": {"password": ["该字段是必填项。"]}}}


def test_schema_is_behind_sign_in(university, client):
    assert client.get("/api/schema/").status_code == 401
    client.force_login(university.users["member"])
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in [
        "/api/people/",
        "/api/people/{id}/",
        "/api/sub-unions/",
        "/api/me/",
        "/api/auth/token/",
        "/api/jobs/{id}/",
    ]:
        assert path in paths, path
    parameters = {p["name"] for p in paths["/api/people/"]["get"]["parameters"]}
    assert {
        "q",
        "sub_union",
        "employment_status",
        "employment_category",
        "coverage_type",
        "gender",
        "page",
        "page_size",
    } <= parameters
    # a 身份证号 is never in a URL: it is searched by POST /api/people/search/
    assert "id_number" not in parameters
    assert "post" in paths["/api/people/search/"]


def test_schema_validates_without_warnings(db, tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    assert (tmp_path / "schema.yaml").read_text().startswith("openapi: 3")


def test_docs_page_loads_every_asset_locally(university, client):
    client.force_login(university.users["member"])
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    scripts = re.findall(r'<script[^>]*src="([^"]+)"', html)
    assert scripts == ["/static/drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js"]
    assert not re.search(r"https?://", html), "the docs page must not reach outside the campus"
    assert 'spec-url="/api/schema/"' in html


def test_docs_page_script_is_served(university, client, settings):
    from django.contrib.staticfiles import finders

    assert finders.find("drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js")
