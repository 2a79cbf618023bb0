"""The users' pages: accounts with their roles and scopes, for the union office, the
administrator and (their own sub-union's accounts) sub-union officers. Every change is one
service in `gonghui.accounts.services`, audited there."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from gonghui.accounts import selectors, services
from gonghui.accounts.forms import AccountActiveForm, RoleGrantForm, UserCreateForm, UserFilterForm
from gonghui.accounts.models import RoleAssignment, User
from gonghui.accounts.roles import SCOPED_ROLES, Role
from gonghui.accounts.system import SYSTEM_USERNAME
from gonghui.accounts.tokens import api_tokens_of
from gonghui.core.exceptions import ApplicationError
from gonghui.core.pages import PermissionPageMixin
from gonghui.core.views_kit import ButtonPage, FilteredListPage, ListExport, form_service_post
from gonghui.people.models import SubUnion


def roles_text(account: User) -> str:
    """The account's roles with their scopes, as one line (the member role when on the roster)."""
    labels = [a.label for a in account.role_assignments.all()]
    if account.person_id and not any(a.role == Role.MEMBER for a in account.role_assignments.all()):
        labels.insert(0, str(Role.MEMBER.label))
    return "、".join(labels)


def state_text(account: User) -> str:
    if not account.is_active:
        return _("已停用")
    return _("已开通") if account.has_usable_password() else _("未开通")


USER_EXPORT_COLUMNS = [
    (gettext_lazy("用户名"), lambda u: u.username),
    (gettext_lazy("姓名"), lambda u: u.person.name if u.person else u.get_full_name()),
    (gettext_lazy("工号"), lambda u: u.person.staff_no if u.person else ""),
    (gettext_lazy("分工会"), lambda u: u.person.sub_union.name if u.person else ""),
    (gettext_lazy("角色"), roles_text),
    (gettext_lazy("状态"), state_text),
    (
        gettext_lazy("最近登录"),
        lambda u: timezone.localtime(u.last_login).strftime("%Y-%m-%d %H:%M") if u.last_login else "",
    ),
]


class UserListView(FilteredListPage):
    """Accounts with their roles: search by username, staff number or name; filter by role, state
    and sub-union. Sub-union officers see their sub-union's accounts only."""

    permission_required = "accounts.view_user"
    templates = ("accounts/user_list.html", "accounts/partials/_user_table.html")
    export = ListExport("accounts.user", gettext_lazy("用户名单.xlsx"), USER_EXPORT_COLUMNS)

    def rows(self, request):
        return selectors.user_list(user=request.user, filters=request.GET)

    def extra_context(self, request):
        sub_unions = SubUnion.objects.restrict(request.user).order_by("sort_key", "name")
        return {"filter_form": UserFilterForm(request.GET, sub_unions=sub_unions)}


def _grant_form(actor, roles: list[str]) -> RoleGrantForm:
    """The form offers only the roles and scopes `actor` may give."""
    form = RoleGrantForm(roles=roles, sub_unions=SubUnion.objects.restrict(actor).order_by("sort_key", "name"))
    if Role.HANDLING_UNIT_OFFICER not in roles:
        del form.fields["university_unit"]
    return form


class UserDetailView(PermissionPageMixin, View):
    """An account: who, its state, its roles (with 收回), 授予角色, and its history."""

    permission_required = "accounts.view_user"

    def get(self, request, pk):
        try:
            account = selectors.user_get(user=request.user, pk=pk)
        except User.DoesNotExist:
            raise Http404 from None
        grantable = services.roles_grantable(request.user)
        assignments = [(a, a.role in grantable) for a in account.role_assignments.all()]
        context = {
            "account": account,
            "state": state_text(account),
            "assignments": assignments,
            "grant_form": _grant_form(request.user, grantable) if grantable else None,
            "scoped_roles": SCOPED_ROLES,
            "history": selectors.user_history(account=account)[:200],
            "is_system": account.username == SYSTEM_USERNAME,
            # only the administrator (or the owner) sees an account's API tokens
            "api_tokens": list(api_tokens_of(actor=request.user, user=account)),
        }
        return render(request, "accounts/user_detail.html", context)


class UserCreateView(PermissionPageMixin, View):
    """Open an account: for a member of staff by staff number, or for office staff not on the roster."""

    permission_required = "accounts.add_user"
    template_name = "accounts/user_form.html"

    def get(self, request):
        return render(request, self.template_name, {"form": UserCreateForm()})

    def perform(self, data):
        if data["kind"] == UserCreateForm.KIND_MEMBER:
            return services.member_account_create(actor=self.request.user, staff_no=data["staff_no"])
        return services.office_account_create(actor=self.request.user, username=data["username"], name=data["name"])

    def post(self, request):
        form = UserCreateForm(request.POST)
        done = form_service_post(
            request,
            form,
            self.perform,
            success=_("账号已开通，请为其发放开通验证码。"),
            then=lambda account: redirect("accounts:user_detail", pk=account.pk),
        )
        return done or render(request, self.template_name, {"form": form}, status=400)


class _AccountButton(ButtonPage):
    """A button on an account's page: the account comes from the actor's scope (else 404)."""

    def get_object(self, **kwargs):
        try:
            return selectors.user_get(user=self.request.user, pk=kwargs["pk"])
        except User.DoesNotExist:
            raise Http404 from None

    def back_url(self, obj) -> str:
        return reverse("accounts:user_detail", args=[obj.pk])


class RoleGrantView(_AccountButton):
    permission_required = "accounts.manage_roles"
    form_class = RoleGrantForm
    form_invalid = gettext_lazy("请选择角色，以及需要时的分工会或承办单位。")

    def act(self, request, obj, data):
        assignment = services.role_grant(
            actor=request.user,
            user=obj,
            role=data["role"],
            sub_union=data["sub_union"],
            university_unit=data["university_unit"],
        )
        label = assignment.label
        return _("已授予角色：%(role)s") % {"role": label}


class RoleRevokeView(ButtonPage):
    permission_required = "accounts.manage_roles"

    def get_object(self, **kwargs):
        try:
            return selectors.role_assignment_get(user=self.request.user, pk=kwargs["pk"])
        except RoleAssignment.DoesNotExist:
            raise Http404 from None

    def back_url(self, obj) -> str:
        return reverse("accounts:user_detail", args=[obj.user_id])

    def act(self, request, obj, data):
        label = obj.label
        services.role_revoke(actor=request.user, assignment=obj)
        return _("已收回角色：%(role)s") % {"role": label}


class AccountActiveView(_AccountButton):
    permission_required = "accounts.change_user"
    form_class = AccountActiveForm
    form_invalid = gettext_lazy("请求无效。")

    def act(self, request, obj, data):
        services.account_active_set(actor=request.user, user=obj, active=data["active"])
        return _("账号已启用。") if data["active"] else _("账号已停用，不能再登录。")


class AccountCodeView(PermissionPageMixin, View):
    """A paper activation code for one account: shown once, on the page this POST returns."""

    permission_required = "accounts.issue_codes"

    def post(self, request, pk):
        try:
            account = selectors.user_get(user=request.user, pk=pk)
        except User.DoesNotExist:
            raise Http404 from None
        try:
            issued = services.account_activation_code_issue(actor=request.user, user=account)
        except ApplicationError as error:
            messages.error(request, str(error.message))
            return redirect("accounts:user_detail", pk=account.pk)
        return render(request, "accounts/activation_codes.html", {"issued": [issued]})
