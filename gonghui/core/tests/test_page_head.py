"""Every page's head: a title naming the page, a description and the favicon (issue 12)."""

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


def test_favicon_files_are_vendored():
    for name in ("img/favicon.svg", "img/favicon.ico", "img/apple-touch-icon.png"):
        assert finders.find(name), name
    with open(finders.find("img/favicon.svg"), encoding="utf-8") as fh:
        assert fh.read().startswith('<svg xmlns="http://www.w3.org/2000/svg"')


def test_favicon_is_served(client, settings):
    # whitenoise serves from the app folders as under runserver (production serves collectstatic's copy)
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    response = client.get("/static/img/favicon.svg")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"


@pytest.mark.parametrize("path", ["/accounts/login/", "/"])
def test_pages_link_the_favicon_and_name_themselves(client, university, path):
    client.force_login(university.users["member"])
    html = client.get(path, follow=True).content.decode()
    assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in html
    assert '<link rel="icon" href="/static/img/favicon.ico" sizes="48x48">' in html
    assert '<meta name="description" content="校工会的会员、互助保障、参保活动和教代会提案服务平台">' in html
    if path == "/":
        assert "<title>首页 · gonghui</title>" in html


def test_error_pages_link_the_favicon(client, university):
    client.force_login(university.users["member"])
    html = client.get("/no-such-page/").content.decode()
    assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in html
    assert "回到首页" in html
