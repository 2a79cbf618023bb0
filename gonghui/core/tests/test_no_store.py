"""Cache-Control: no-store on everything a signed-in user gets and on every file; anonymous
pages stay cacheable."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from rest_framework.test import APIClient

from gonghui.core.middleware import NoStoreMiddleware

pytestmark = pytest.mark.django_db

NO_STORE = "private, no-store"


def test_signed_in_pages_fragments_and_files_are_not_stored(client, university):
    client.force_login(university.users["union_office"])
    assert client.get(reverse("people:person_list"))["Cache-Control"] == NO_STORE
    assert client.get(reverse("people:person_list"), HTTP_HX_REQUEST="true")["Cache-Control"] == NO_STORE
    assert client.get(reverse("people:person_detail", args=[university.zhang.pk]))["Cache-Control"] == NO_STORE
    assert client.get(reverse("people:person_list"), {"export": "xlsx"})["Cache-Control"] == NO_STORE


def test_api_answers_to_an_authenticated_client_are_not_stored(university):
    api = APIClient()
    api.force_authenticate(university.users["union_office"])  # DRF's own authentication, not the session's
    response = api.get("/api/people/")
    assert response.status_code == 200 and response["Cache-Control"] == NO_STORE


def _plain_view(cache_control=None, disposition=None):
    def view(request):
        response = HttpResponse("x")
        if cache_control:
            response["Cache-Control"] = cache_control
        if disposition:
            response["Content-Disposition"] = disposition
        return response

    return view


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_anonymous_answers_stay_cacheable_but_files_do_not():
    anonymous = AnonymousUser()
    assert not NoStoreMiddleware(_plain_view())(_request(anonymous)).has_header("Cache-Control")
    file = NoStoreMiddleware(_plain_view(disposition="attachment; filename=a.xlsx"))(_request(anonymous))
    assert file["Cache-Control"] == NO_STORE


def test_a_view_that_sets_its_own_cache_control_keeps_it(university):
    response = NoStoreMiddleware(_plain_view(cache_control="max-age=60"))(_request(university.users["member"]))
    assert response["Cache-Control"] == "max-age=60"
    assert NoStoreMiddleware(_plain_view())(_request(university.users["member"]))["Cache-Control"] == NO_STORE
