from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from gonghui.accounts.sign_in_throttle import username_wait_seconds
from gonghui.accounts.system import SYSTEM_USERNAME


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("工号或密码不正确。连续多次失败后账号将被暂时锁定。"),
        "inactive": _("该账号已停用。"),
        "throttled": _("该账号近期登录失败较多，请 %(seconds)s 秒后再试。"),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("工号 / 用户名")
        self.fields["username"].widget.attrs["autocomplete"] = "username"

    def clean(self):
        # A username with many recent failures from any address waits a growing delay
        # (sign_in_throttle); the attempt is refused before the password is checked.
        wait = username_wait_seconds(self.data.get("username", ""))
        if wait:
            raise forms.ValidationError(self.error_messages["throttled"], code="throttled", params={"seconds": wait})
        return super().clean()

    def confirm_login_allowed(self, user):
        # The system actor (commands and tasks) never signs in, whatever its password.
        if user.username == SYSTEM_USERNAME:
            raise forms.ValidationError(self.error_messages["invalid_login"], code="invalid_login")
        super().confirm_login_allowed(user)


# --- the users' pages (forms check fields only; the services decide) --------------------


class UserFilterForm(forms.Form):
    """The users' list filters (read from the query string)."""

    q = forms.CharField(label=_("搜索"), required=False)
    role = forms.ChoiceField(label=_("角色"), required=False)
    state = forms.ChoiceField(label=_("开通状态"), required=False)
    sub_union = forms.ModelChoiceField(label=_("分工会"), queryset=None, required=False, empty_label=_("全部分工会"))

    def __init__(self, *args, sub_unions, **kwargs):
        from gonghui.accounts.roles import Role
        from gonghui.accounts.selectors import USER_STATES

        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", _("全部角色")), *((r.value, r.label) for r in Role if r != Role.SYSTEM)]
        self.fields["state"].choices = [
            ("", _("全部状态")),
            *((key, label) for key, (label, _q) in USER_STATES.items()),
        ]
        self.fields["sub_union"].queryset = sub_unions


class UserCreateForm(forms.Form):
    """A member of staff's account (by staff number), or an account for someone not on the roster."""

    KIND_MEMBER, KIND_OFFICE = "member", "office"
    kind = forms.ChoiceField(
        label=_("账号类型"),
        choices=[(KIND_MEMBER, _("人员名单中的教职工（按工号）")), (KIND_OFFICE, _("不在人员名单中的工作人员"))],
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        initial=KIND_MEMBER,
    )
    staff_no = forms.CharField(label=_("工号"), max_length=32, required=False)
    username = forms.CharField(label=_("用户名"), max_length=150, required=False)
    name = forms.CharField(label=_("姓名"), max_length=150, required=False)


class RoleGrantForm(forms.Form):
    role = forms.ChoiceField(label=_("角色"))
    sub_union = forms.ModelChoiceField(label=_("分工会"), queryset=None, required=False, empty_label=_("（不适用）"))
    university_unit = forms.ModelChoiceField(
        label=_("承办单位"), queryset=None, required=False, empty_label=_("（不适用）")
    )

    def __init__(self, *args, roles=None, sub_unions=None, units=None, **kwargs):
        from gonghui.accounts.roles import Role
        from gonghui.people.models import SubUnion, UniversityUnit

        super().__init__(*args, **kwargs)
        offered = roles if roles is not None else list(Role)
        self.fields["role"].choices = [(role, Role(role).label) for role in offered]
        self.fields["sub_union"].queryset = sub_unions if sub_unions is not None else SubUnion.objects.all()
        self.fields["university_unit"].queryset = units if units is not None else UniversityUnit.objects.all()


class AccountActiveForm(forms.Form):
    active = forms.TypedChoiceField(choices=[("1", "1"), ("0", "0")], coerce=lambda value: value == "1")
