"""API tokens on the site: everyone lists, creates (the key shown once) and revokes their own;
the administrator revokes anyone's from the account's page. The rules are in
`gonghui.accounts.tokens`."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from gonghui.accounts.models import ApiToken
from gonghui.accounts.tokens import api_token_issue, api_token_revoke, api_tokens_of


class TokenListView(LoginRequiredMixin, View):
    """My API tokens; POST creates one and shows its key this once."""

    def _render(self, request, issued=None):
        context = {"tokens": api_tokens_of(actor=request.user), "issued": issued}
        return render(request, "accounts/token_list.html", context)

    def get(self, request):
        return self._render(request)

    def post(self, request):
        name = (request.POST.get("name") or "").strip()[:100]
        key, token = api_token_issue(user=request.user, name=name)
        return self._render(request, issued={"key": key, "token": token})


class TokenRevokeView(LoginRequiredMixin, View):
    """Revoke a token: one's own (back to the list), or anyone's by the administrator (back to
    the account's page)."""

    def post(self, request, pk):
        token = ApiToken.objects.restrict(request.user, "delete").select_related("user").filter(pk=pk).first()
        if token is None:
            raise Http404
        own = token.user_id == request.user.pk
        api_token_revoke(actor=request.user, token=token)
        messages.success(request, _("已收回令牌 %(prefix)s…") % {"prefix": token.prefix})
        return redirect(reverse("accounts:tokens") if own else reverse("accounts:user_detail", args=[token.user_id]))
