"""Site-wide response headers."""

from django.utils.cache import patch_cache_control


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
