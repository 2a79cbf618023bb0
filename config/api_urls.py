from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include("gonghui.people.api.urls")),
    path("", include("gonghui.notifications.api_urls")),
    path("", include("gonghui.core.api_urls")),
]
