from django.conf import settings
from django.contrib.auth import views as auth_views

from gonghui.accounts.forms import SignInForm


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cas_enabled"] = bool(settings.CAS_SERVER_URL)
        return context


class SignOutView(auth_views.LogoutView):
    pass
