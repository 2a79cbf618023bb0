"""Static files content-hashed, compressed and cached for long in production; pages and API
answers gzip-compressed, downloads left alone (issue 12, ADR 0007)."""

import gzip
import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import call_command
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from whitenoise.storage import CompressedManifestStaticFilesStorage

from gonghui.core.middleware import TextGZipMiddleware
from gonghui.core.tests.test_deploy_check import _production_env

MANIFEST_STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"
HASHED = r"\.[0-9a-f]{12}\."
TEN_YEARS = "max-age=315360000, public, immutable"


class ManifestCompressingOurCss(CompressedManifestStaticFilesStorage):
    """Production's storage, compressing only css/ (brotli of every vendored file takes minutes)."""

    def compress_files(self, paths):
        return super().compress_files([path for path in paths if path.startswith("css/")])


def test_production_keeps_static_files_in_the_manifest_storage():
    code = "import django; django.setup(); from django.conf import settings; print(settings.STORAGES['staticfiles'])"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=_production_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "{'BACKEND': '" + MANIFEST_STORAGE + "'}"


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    """collectstatic of every app's files into a fresh STATIC_ROOT, as a release does."""
    root = tmp_path_factory.mktemp("static")
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": f"{__name__}.ManifestCompressingOurCss"},
    }
    with override_settings(STORAGES=storages, STATIC_ROOT=root, WHITENOISE_AUTOREFRESH=True):
        # strict manifest: a url(...) in any stylesheet (Tabler's, the admin's) naming a file
        # that is not there would make this raise
        call_command("collectstatic", "--noinput", "-v", "0")
        yield root


@pytest.mark.django_db
def test_pages_link_content_hashed_files_that_exist(collected, client, university):
    client.force_login(university.users["member"])

    html = client.get("/").content.decode()

    urls = set(re.findall(r'(?:href|src)="(/static/[^"#]+)', html))
    assert {re.sub(HASHED, ".", url) for url in urls} == {
        "/static/img/favicon.svg",
        "/static/img/favicon.ico",
        "/static/img/apple-touch-icon.png",
        "/static/vendor/tabler/tabler.min.css",
        "/static/css/gonghui.css",
        "/static/vendor/htmx/htmx.min.js",
        "/static/js/gonghui.js",
        "/static/vendor/tabler-icons/sprite.svg",
    }
    for url in urls:
        assert re.search(HASHED, url), url
        assert (collected / url.removeprefix("/static/")).is_file(), url


@pytest.mark.django_db
def test_hashed_files_are_cached_for_ten_years_and_sent_compressed(collected, client):
    manifest = (collected / "staticfiles.json").read_text()
    hashed_css = re.search(r'"css/gonghui\.css": "(css/gonghui\.[0-9a-f]{12}\.css)"', manifest).group(1)
    assert (collected / f"{hashed_css}.br").is_file()
    assert (collected / f"{hashed_css}.gz").is_file()

    response = client.get(f"/static/{hashed_css}", HTTP_ACCEPT_ENCODING="gzip, deflate, br")

    assert response.status_code == 200
    assert response["Cache-Control"] == TEN_YEARS
    assert response["Content-Encoding"] == "br"
    # the name without its hash stays reachable (a bookmark, an old page) but is not cached long
    plain = client.get("/static/css/gonghui.css")
    assert plain.status_code == 200
    assert plain["Cache-Control"] == "max-age=60, public"


def test_the_storage_is_strict_about_names_it_does_not_know(collected):
    with override_settings(
        STORAGES={"staticfiles": {"BACKEND": f"{__name__}.ManifestCompressingOurCss"}}, STATIC_ROOT=collected
    ):
        from django.templatetags.static import static

        assert re.fullmatch(r"/static/css/gonghui\.[0-9a-f]{12}\.css", static("css/gonghui.css"))
        with pytest.raises(ValueError, match="Missing staticfiles manifest entry for 'css/no-such.css'"):
            static("css/no-such.css")


# --- compression of pages ----------------------------------------------------------------------


def _through_middleware(response, accept="gzip, deflate, br"):
    request = RequestFactory().get("/", HTTP_ACCEPT_ENCODING=accept)
    return TextGZipMiddleware(lambda request: response)(request)


def test_a_page_is_sent_gzip_compressed_with_random_padding():
    html = "<!doctype html><p>" + "工会服务平台 " * 400 + "</p>"

    response = _through_middleware(HttpResponse(html, content_type="text/html; charset=utf-8"))

    assert response["Content-Encoding"] == "gzip"
    assert response["Vary"] == "Accept-Encoding"
    assert gzip.decompress(response.content).decode() == html
    assert len(response.content) < len(html.encode()) // 10
    # Heal-the-BREACH: a random file name in the gzip header (flag FNAME set)
    assert response.content[3] & gzip.FNAME


def test_without_accept_encoding_the_page_is_sent_as_it_is():
    html = "<p>" + "x" * 1000 + "</p>"

    response = _through_middleware(HttpResponse(html), accept="")

    assert "Content-Encoding" not in response
    assert response.content == html.encode()


@pytest.mark.parametrize(
    "content_type",
    [
        "application/pdf",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "image/png",
        "application/zip",
    ],
)
def test_downloads_are_not_compressed_again(content_type):
    body = b"PK\x03\x04" + b"a" * 5000

    response = _through_middleware(HttpResponse(body, content_type=content_type))

    assert "Content-Encoding" not in response
    assert response.content == body


def test_api_answers_are_compressed():
    body = '{"count": 3, "results": [' + ", ".join(['{"name": "张三"}'] * 50) + "]}"

    response = _through_middleware(HttpResponse(body, content_type="application/json"))

    assert response["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.content).decode() == body
