from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.db.models import Q

from gonghui.accounts.access import get_access


class RolePermissionBackend:
    """Answers `user.has_perm()` from the user's roles (gonghui.accounts.roles).

    Object scope is not decided here but in querysets (`restrict`), so that lists and
    detail pages agree.

    It comes before ModelBackend in AUTHENTICATION_BACKENDS (see the settings) and has no
    `get_user()`: it signs nobody in, so no session names it and Django's test client's
    `force_login()` keeps choosing ModelBackend."""

    def authenticate(self, request, **credentials):
        return None

    def has_perm(self, user_obj, perm, obj=None):
        if not user_obj.is_active:
            return False
        return perm in get_access(user_obj).permissions

    def has_module_perms(self, user_obj, app_label):
        return any(p.startswith(app_label + ".") for p in get_access(user_obj).permissions)


class GrantedPermissionBackend:
    """Answers `user.has_perm()` for what the administrator grants in /admin/ (permissions of
    the user and of their groups): in one query per request where ModelBackend makes two, and
    for good: a permission it does not find is refused here (PermissionDenied ends Django's
    round of the backends), so ModelBackend after it is asked only to sign in.

    It comes after RolePermissionBackend (roles answer first, without a query) and before
    ModelBackend, which still signs in by password and keeps the sessions that name it. It
    signs nobody in itself and, like RolePermissionBackend, has no `get_user()`."""

    def authenticate(self, request, **credentials):
        return None

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            if user_obj.is_superuser:
                rows = Permission.objects.all()
            else:
                user_model = type(user_obj)
                direct = user_model.user_permissions.through.objects.filter(user_id=user_obj.pk)
                groups = user_model.groups.through.objects.filter(user_id=user_obj.pk)
                grouped = Group.permissions.through.objects.filter(group_id__in=groups.values("group_id"))
                rows = Permission.objects.filter(
                    Q(pk__in=direct.values("permission_id")) | Q(pk__in=grouped.values("permission_id"))
                )
            user_obj._perm_cache = {
                f"{app}.{name}" for app, name in rows.values_list("content_type__app_label", "codename").order_by()
            }
        return user_obj._perm_cache

    def has_perm(self, user_obj, perm, obj=None):
        if user_obj.is_active and perm in self.get_all_permissions(user_obj, obj):
            return True
        raise PermissionDenied

    def has_module_perms(self, user_obj, app_label):
        if user_obj.is_active and any(p.startswith(app_label + ".") for p in self.get_all_permissions(user_obj)):
            return True
        raise PermissionDenied
