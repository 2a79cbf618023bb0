"""Site-wide response headers."""

from django.http import HttpResponseBadRequest, JsonResponse
from django.middleware.gzip import GZipMiddleware
from django.template import loader
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _


class NoStoreMiddleware:
    """`Cache-Control: private, no-store` on every answer to a signed-in user (pages, htmx
    fragments, API calls with a session or a token) and on every file download.

    Nearly every page a signed-in user sees names people (the lists, a person's page, an
    application with its diagnosis, the exports), so no browser, shared computer or proxy
    should keep a copy. A middleware rather than a decorator on the views: a new route cannot
    forget it. A view that sets its own Cache-Control keeps it. Anonymous pages (sign-in, the
    public pages) and static files (served by whitenoise before this) stay cacheable."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.has_header("Cache-Control"):
            return response
        user = getattr(request, "user", None)
        attachment = response.get("Content-Disposition", "").startswith("attachment")
        if attachment or (user is not None and user.is_authenticated):
            patch_cache_control(response, private=True, no_store=True)
        return response


def _has_nul(values) -> bool:
    return any("\x00" in key or any("\x00" in value for value in items) for key, items in values.lists())


class NulParameterMiddleware:
    """A NUL character in a query or form value is refused with a 400, in one place.

    No field of gonghui holds one, PostgreSQL cannot store or compare one (it raises, which was
    a 500 on every search box), and a browser never sends one: it is a probe. The API answers
    in its error shape {"message", "extra"}, the pages with the 400 page. JSON bodies are
    checked by the views' serializers (DRF's CharField refuses NUL)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            refused = _has_nul(request.GET) or (request.method == "POST" and _has_nul(request.POST))
        except Exception:  # an unreadable body: let the view's own parsing answer it
            refused = False
        if not refused:
            return self.get_response(request)
        message = _("请求中含有不允许的字符（NUL）。")
        if request.path.startswith("/api/"):
            return JsonResponse({"message": message, "extra": {}}, status=400)
        return HttpResponseBadRequest(loader.render_to_string("400.html", request=request))


# What is worth compressing: text. Spreadsheets, PDFs, images and archives are compressed
# already (gzip would spend a worker's time to save nothing) and keep their Content-Length.
COMPRESSIBLE_TYPES = (
    "text/html",
    "text/plain",
    "text/csv",
    "application/json",
    "application/vnd.oai.openapi",
    "application/vnd.oai.openapi+json",
    "application/javascript",
    "image/svg+xml",
)


class TextGZipMiddleware(GZipMiddleware):
    """Django's GZipMiddleware for pages, fragments and API answers only (ADR 0007).

    Compressing a page that holds a secret and text an attacker chose may leak the secret by
    the answer's length (BREACH). Django answers with a CSRF token masked afresh on every
    response and pads every gzip answer with up to 100 random bytes (Heal-the-BREACH), and the
    session cookie is SameSite=Lax, so another site cannot make a browser send the signed-in
    requests the attack needs. Static files never get here: whitenoise, above this, serves its
    own brotli and gzip copies made at collectstatic."""

    def process_response(self, request, response):
        content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
        if content_type not in COMPRESSIBLE_TYPES:
            return response
        return super().process_response(request, response)
