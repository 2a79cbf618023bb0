from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django_cas_ng import views as cas_views

from gonghui.accounts.cas import REFUSED_STAFF_NO_ATTR
from gonghui.accounts.forms import SignInForm
from gonghui.people.setup import union_is_set_up


class SignInView(auth_views.LoginView):
    """Password sign-in. LoginView passes the request to authenticate(), which django-axes
    needs to lock a username+IP after repeated failures."""

    template_name = "accounts/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cas_enabled"] = bool(settings.CAS_SERVER_URL)
        context["needs_setup"] = not union_is_set_up()
        return context


class SignOutView(auth_views.LogoutView):
    """Sign-out is POST only (Django's LogoutView refuses GET with 405)."""


class CASSignInView(cas_views.LoginView):
    """Campus single sign-on. When CAS vouches for someone gonghui cannot accept (a staff
    number not on the union roster, an invalid ticket) the user sees why, not a bare 403.
    Without a CAS server configured there is no campus sign-in: 404, whatever the query says
    (a `ticket` would otherwise be sent to validate against no server)."""

    def get(self, request):
        if not settings.CAS_SERVER_URL:
            raise Http404
        try:
            return super().get(request)
        except PermissionDenied:
            context = {"staff_no": getattr(request, REFUSED_STAFF_NO_ATTR, "")}
            return render(request, "accounts/cas_refused.html", context, status=403)
