"""/favicon.ico: browsers ask for it on what is not a page of ours (a PDF, a JSON answer)."""

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
