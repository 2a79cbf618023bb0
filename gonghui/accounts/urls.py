from django_cas_ng import views as cas_views

from gonghui.accounts import code_views, user_views, views
from gonghui.accounts.models import CodePurpose
from gonghui.core.routes import route

app_name = "accounts"
urlpatterns = [
    route("login/", views.SignInView, "login"),
    route("logout/", views.SignOutView, "logout"),
    route("cas/login/", views.CASSignInView, "cas_login"),
    route("cas/logout/", cas_views.LogoutView, "cas_logout"),
    route("activate/", code_views.PasswordWithCodeView, "activate", purpose=CodePurpose.ACTIVATION),
    route("password/reset/", code_views.PasswordResetRequestView, "password_reset"),
    route("password/reset/code/", code_views.PasswordWithCodeView, "password_reset_confirm", purpose=CodePurpose.RESET),
    route("password/setup/", code_views.PasswordWithCodeView, "password_set", purpose=CodePurpose.SETUP),
    route("activation/", code_views.ActivationSheetView, "activation_sheet"),
    route("users/", user_views.UserListView, "user_list"),
    route("users/new/", user_views.UserCreateView, "user_create"),
    route("users/<int:pk>/", user_views.UserDetailView, "user_detail"),
    route("users/<int:pk>/roles/", user_views.RoleGrantView, "role_grant"),
    route("users/<int:pk>/active/", user_views.AccountActiveView, "user_active"),
    route("users/<int:pk>/code/", user_views.AccountCodeView, "user_code"),
    route("roles/<int:pk>/revoke/", user_views.RoleRevokeView, "role_revoke"),
]
