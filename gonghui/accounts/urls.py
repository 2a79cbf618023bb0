from django.urls import path
from django_cas_ng import views as cas_views

from gonghui.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", views.SignOutView.as_view(), name="logout"),
    path("cas/login/", views.CASSignInView.as_view(), name="cas_login"),
    path("cas/logout/", cas_views.LogoutView.as_view(), name="cas_logout"),
]
