"""/favicon.ico and /robots.txt, which browsers and crawlers ask for at the site's root."""

import importlib

import config.urls


def test_favicon_sends_browsers_to_the_static_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/img/favicon.ico"


def test_the_urls_load_before_collectstatic_under_manifest_storage(settings, tmp_path):
    """Production runs migrate before collectstatic: loading the URLs must not ask the (not yet
    written) static manifest for a name."""
    settings.STATIC_ROOT = str(tmp_path / "not-collected")
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    try:
        importlib.reload(config.urls)
    finally:
        settings.STORAGES = {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
        importlib.reload(config.urls)
    assert any(getattr(p, "name", None) == "favicon" for p in config.urls.urlpatterns)


def test_robots_keep_crawlers_out_of_the_api_and_the_admin(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == "User-agent: *\nDisallow: /api/\nDisallow: /admin/\n"
