"""Pages of one-time codes: set a password with a code (activation, forgotten password,
first administrator), ask for a reset code, and the officers' activation sheet."""

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from gonghui.accounts.models import CodePurpose
from gonghui.accounts.selectors import people_waiting_for_activation, people_with_activation
from gonghui.accounts.services import (
    CodeRefused,
    activation_codes_issue,
    password_reset_request,
    password_set_with_code,
)
from gonghui.core.pages import PermissionPageMixin, paginate
from gonghui.core.text import record_id
from gonghui.core.views_kit import PasswordsMatchMixin, list_query, new_password_fields
from gonghui.people.models import SubUnion

_RESET_USERNAME_SESSION_KEY = "gonghui_reset_username"


class PasswordWithCodeForm(PasswordsMatchMixin, forms.Form):
    mismatch_message = gettext_lazy("两次输入的新密码不一致。")

    username = forms.CharField(label=gettext_lazy("工号 / 用户名"), max_length=150)
    code = forms.CharField(
        label=gettext_lazy("验证码"), max_length=16, widget=forms.TextInput(attrs={"autocomplete": "one-time-code"})
    )
    password1, password2 = new_password_fields(gettext_lazy("新密码"), gettext_lazy("再次输入新密码"))


class PasswordWithCodeView(View):
    """One page for every purpose; `purpose` comes from the URL, never from the form."""

    purpose = CodePurpose.ACTIVATION
    titles = {
        CodePurpose.ACTIVATION: gettext_lazy("开通账号"),
        CodePurpose.RESET: gettext_lazy("重设密码"),
        CodePurpose.SETUP: gettext_lazy("设置管理员密码"),
    }

    def render_form(self, request, form, status=200):
        context = {"form": form, "title": self.titles[self.purpose], "purpose": self.purpose}
        return render(request, "accounts/password_with_code.html", context, status=status)

    def get(self, request):
        username = request.GET.get("username") or request.session.get(_RESET_USERNAME_SESSION_KEY, "")
        return self.render_form(request, PasswordWithCodeForm(initial={"username": username}))

    def post(self, request):
        form = PasswordWithCodeForm(request.POST)
        if not form.is_valid():
            return self.render_form(request, form, status=400)
        try:
            user = password_set_with_code(
                username=form.cleaned_data["username"],
                code=form.cleaned_data["code"],
                purpose=self.purpose,
                password=form.cleaned_data["password1"],
            )
        except CodeRefused as refusal:
            form.add_error(None, refusal.message)
            return self.render_form(request, form, status=400)
        request.session.pop(_RESET_USERNAME_SESSION_KEY, None)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("密码已设置，您已登录。"))
        return redirect("portal:home")


class ResetRequestForm(forms.Form):
    username = forms.CharField(label=gettext_lazy("工号 / 用户名"), max_length=150)


class PasswordResetRequestView(View):
    """Never says whether the account exists: the answer is the same for everyone."""

    def get(self, request):
        return render(request, "accounts/password_reset_request.html", {"form": ResetRequestForm()})

    def post(self, request):
        form = ResetRequestForm(request.POST)
        if not form.is_valid():
            return render(request, "accounts/password_reset_request.html", {"form": form}, status=400)
        password_reset_request(username=form.cleaned_data["username"])
        request.session[_RESET_USERNAME_SESSION_KEY] = form.cleaned_data["username"].strip()
        messages.info(
            request,
            _(
                "如该工号已开通账号并登记了手机或邮箱，验证码已发出，30 分钟内有效。收不到时请向所在分工会索取纸质验证码。"
            ),
        )
        return redirect("accounts:password_reset_confirm")


class ActivationSheetView(PermissionPageMixin, View):
    """Officers see who in their scope has not activated and print codes for them. Codes
    are shown once, on the sheet this POST returns; only their digests are kept."""

    permission_required = "accounts.issue_codes"

    def get(self, request):
        sub_union_id = request.GET.get("sub_union") or None
        scope = record_id(sub_union_id)
        people = people_with_activation(request.user, sub_union_id=scope)
        waiting = people_waiting_for_activation(request.user, sub_union_id=scope)
        context = {
            "page": paginate(request, waiting, per_page=100),
            "activated_count": people.filter(activated=True).count(),
            "sub_unions": SubUnion.objects.current().restrict(request.user, "view").order_by("sort_key", "name"),
            "sub_union_id": sub_union_id,
            "query": list_query(request),
        }
        return render(request, "accounts/activation_sheet.html", context)

    def post(self, request):
        person_ids = [pk for value in request.POST.getlist("person") if (pk := record_id(value))]
        if not person_ids:
            messages.error(request, _("请至少选择一人。"))
            return redirect("accounts:activation_sheet")
        issued = activation_codes_issue(actor=request.user, person_ids=person_ids)
        return render(request, "accounts/activation_codes.html", {"issued": issued})
