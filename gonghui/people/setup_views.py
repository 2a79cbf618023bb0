"""The first-run page: on a site with no union yet, anyone who reaches it (the installer, on
127.0.0.1 by default) creates the union and the first administrator; afterwards it is gone."""

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from gonghui.core.exceptions import ApplicationError
from gonghui.core.views_kit import PasswordsMatchMixin, new_password_fields
from gonghui.people.setup import union_is_set_up, union_set_up


class UnionSetupForm(PasswordsMatchMixin, forms.Form):
    mismatch_message = gettext_lazy("两次输入的密码不一致。")

    name = forms.CharField(label=gettext_lazy("工会名称"), max_length=100, help_text=gettext_lazy("如：某某大学工会"))
    university = forms.CharField(label=gettext_lazy("学校名称"), max_length=100)
    admin_username = forms.CharField(label=gettext_lazy("管理员用户名"), max_length=150)
    password1, password2 = new_password_fields(gettext_lazy("管理员密码"), gettext_lazy("再次输入密码"))


class UnionSetupView(View):
    def dispatch(self, request, *args, **kwargs):
        if union_is_set_up():
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return render(request, "people/union_setup.html", {"form": UnionSetupForm()})

    def post(self, request):
        form = UnionSetupForm(request.POST)
        if form.is_valid():
            try:
                done = union_set_up(
                    name=form.cleaned_data["name"],
                    university=form.cleaned_data["university"],
                    admin_username=form.cleaned_data["admin_username"],
                    admin_password=form.cleaned_data["password1"],
                )
            except ApplicationError as error:
                form.add_error(None, error.message)
            else:
                login(request, done.administrator, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(request, _("首次设置已完成。下一步：导入人事名册。"))
                return redirect("people:roster_import")
        return render(request, "people/union_setup.html", {"form": form}, status=400)
