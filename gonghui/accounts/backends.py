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
