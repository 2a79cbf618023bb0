from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from gonghui.core.views import FaviconView, HealthView, RobotsView
from gonghui.people.setup_views import UnionSetupView

urlpatterns = [
    path("", include("gonghui.portal.urls")),
    path("healthz/", HealthView.as_view(), name="healthz"),
    path("favicon.ico", FaviconView.as_view(), name="favicon"),
    path("robots.txt", RobotsView.as_view(), name="robots"),
    path("setup/", UnionSetupView.as_view(), name="union_setup"),
    path("accounts/", include("gonghui.accounts.urls")),
    path("people/", include("gonghui.people.urls")),
    path("mutual-aid/", include("gonghui.mutual_aid.urls")),
    path("proposals/", include("gonghui.proposals.urls")),
    path("deliberations/", include("gonghui.deliberations.urls")),
    path("appraisals/", include("gonghui.appraisals.urls")),
    path("competitions/", include("gonghui.competitions.urls")),
    path("mentorship/", include("gonghui.mentorship.urls")),
    path("insurance/", include("gonghui.insurance.urls")),
    path("drives/", include("gonghui.drives.urls")),
    path("admissions/", include("gonghui.admissions.urls")),
    path("projects/", include("gonghui.projects.urls")),
    path("reports/", include("gonghui.reports.urls")),
    path("jobs/", include("gonghui.core.urls")),
    path("notifications/", include("gonghui.notifications.urls")),
    path("attachments/", include("gonghui.attachments.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("config.api_urls")),
    path("admin/", admin.site.urls),
]
if getattr(settings, "CAS_TEST_SERVER", False):  # the real CAS server the tests sign in against
    urlpatterns.append(path("cas-server/", include("cas_server.urls", namespace="cas_server")))
