from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from gonghui.accounts.system import SYSTEM_USERNAME


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("工号或密码不正确。连续多次失败后账号将被暂时锁定。"),
        "inactive": _("该账号已停用。"),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("工号 / 用户名")
        self.fields["username"].widget.attrs["autocomplete"] = "username"

    def confirm_login_allowed(self, user):
        # The system actor (commands and tasks) never signs in, whatever its password.
        if user.username == SYSTEM_USERNAME:
            raise forms.ValidationError(self.error_messages["invalid_login"], code="invalid_login")
        super().confirm_login_allowed(user)
