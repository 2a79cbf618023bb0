from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_update
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView

from gonghui.accounts.api import ApiTokenListApi, ApiTokenRevokeApi, MeApi, TokenObtainApi

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Redoc served from the sidecar package, with no external fonts: the campus has no CDN.
    # The one page whose Content-Security-Policy is looser than the site's: Redoc (styled-
    # components) writes its styles into <style> elements at run time, and runs its search in a
    # worker made from a blob. Scripts stay 'self' only, and the page shows nothing a user typed
    # (docs/deploy.md, "Content-Security-Policy").
    path(
        "docs/",
        csp_update({"style-src": [UNSAFE_INLINE], "worker-src": [SELF, "blob:"]})(
            SpectacularRedocView.as_view(url_name="api-schema", template_name="core/api_redoc.html")
        ),
        name="api-docs",
    ),
    path("auth/token/", TokenObtainApi.as_view(), name="api-token"),
    path("auth/tokens/", ApiTokenListApi.as_view(), name="api-token-list"),
    path("auth/tokens/<int:pk>/revoke/", ApiTokenRevokeApi.as_view(), name="api-token-revoke"),
    path("me/", MeApi.as_view(), name="api-me"),
    path("", include("gonghui.people.api.urls")),
    path("", include("gonghui.notifications.api_urls")),
    path("", include("gonghui.core.api_urls")),
    path("proposals/", include("gonghui.proposals.api.urls")),
    path("deliberations/", include("gonghui.deliberations.api.urls")),
    path("appraisals/", include("gonghui.appraisals.api.urls")),
    path("competitions/", include("gonghui.competitions.api.urls")),
    path("mentorship/", include("gonghui.mentorship.api.urls")),
    path("insurance/", include("gonghui.insurance.api.urls")),
    path("drives/", include("gonghui.drives.api.urls")),
    path("mutual-aid/", include("gonghui.mutual_aid.api.urls")),
    path("admissions/", include("gonghui.admissions.api.urls")),
    path("projects/", include("gonghui.projects.api.urls")),
    path("reports/", include("gonghui.reports.api.urls")),
]
