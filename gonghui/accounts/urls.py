from django.urls import path
from django_cas_ng import views as cas_views

from gonghui.accounts import code_views, views
from gonghui.accounts.models import CodePurpose

app_name = "accounts"
urlpatterns = [
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", views.SignOutView.as_view(), name="logout"),
    path("cas/login/", views.CASSignInView.as_view(), name="cas_login"),
    path("cas/logout/", cas_views.LogoutView.as_view(), name="cas_logout"),
    path("activate/", code_views.PasswordWithCodeView.as_view(purpose=CodePurpose.ACTIVATION), name="activate"),
    path("password/reset/", code_views.PasswordResetRequestView.as_view(), name="password_reset"),
    path(
        "password/reset/code/",
        code_views.PasswordWithCodeView.as_view(purpose=CodePurpose.RESET),
        name="password_reset_confirm",
    ),
    path("password/setup/", code_views.PasswordWithCodeView.as_view(purpose=CodePurpose.SETUP), name="password_set"),
    path("activation/", code_views.ActivationSheetView.as_view(), name="activation_sheet"),
]
