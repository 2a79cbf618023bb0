"""403, 404, 500 and CSRF failures show the product's own page with a way back."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

pytestmark = pytest.mark.django_db


def test_not_found_is_a_chinese_page_with_a_way_back(client):
    response = client.get("/no-such-page/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in body and "回到首页" in body and "返回上一页" in body


def test_forbidden_is_a_chinese_page(university, client):
    client.force_login(university.users["member"])
    response = client.get(reverse("people:person_list"))
    assert response.status_code == 403
    assert "没有权限" in response.content.decode()


def test_server_error_renders_without_a_request_context():
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "出错了" in response.content.decode()


def test_a_csrf_failure_explains_itself():
    response = Client(enforce_csrf_checks=True).post(reverse("accounts:login"), {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "页面已过期" in response.content.decode()


def test_error_pages_follow_the_language(client):
    client.cookies["django_language"] = "en"
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert 'lang="en"' in response.content.decode()
