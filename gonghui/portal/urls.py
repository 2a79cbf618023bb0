from django.urls import path

from gonghui.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("me/", views.ProfileView.as_view(), name="profile"),
    path("me/membership/", views.MembershipView.as_view(), name="membership"),
]
