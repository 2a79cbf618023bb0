"""Roles and what each may do. A role assignment is (user, role, scope); a role grants
Django permissions (checked by `RolePermissionBackend`), and querysets narrow them to the
role's scope (`gonghui.accounts.access`).

Each app says what its permissions are for which role, in its `roles.py`
(`ROLE_GRANTS = {Role.UNION_OFFICE: {...}, …}`), registered when the app is ready: this
module knows no module's permissions."""

from collections.abc import Iterable, Mapping

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    MEMBER = "member", _("会员")
    SUB_UNION_OFFICER = "sub_union_officer", _("分工会干部")
    UNION_OFFICE = "union_office", _("校工会工作人员")
    WELFARE_COMMITTEE = "welfare_committee", _("福利委员会委员")
    PROPOSALS_COMMITTEE = "proposals_committee", _("提案工作委员会委员")
    HANDLING_UNIT_OFFICER = "handling_unit_officer", _("承办单位联系人")
    ORGANISATION_DEPARTMENT = "organisation_department", _("党委组织部")
    # The union office's officer for staff children's admission: the only office role that
    # sees children's data (DOMAIN §3.9, PIPL Art. 28).
    ADMISSIONS_OFFICER = "admissions_officer", _("子女入学专员")
    AUDITOR = "auditor", _("审计")
    ADMINISTRATOR = "administrator", _("系统管理员")
    SYSTEM = "system", _("系统（定时任务与命令）")


# Roles that read every record of the union; of them, only the writers may write.
GLOBAL_READ_ROLES = frozenset({Role.UNION_OFFICE, Role.ADMINISTRATOR, Role.AUDITOR, Role.SYSTEM})
GLOBAL_WRITE_ROLES = frozenset({Role.UNION_OFFICE, Role.ADMINISTRATOR, Role.SYSTEM})
# Roles that need a scope object.
SCOPED_ROLES = {Role.SUB_UNION_OFFICER: "sub_union", Role.HANDLING_UNIT_OFFICER: "university_unit"}

_GRANTS: dict[str, set[str]] = {role: set() for role in Role}


def role_grants_register(grants: Mapping[str, Iterable[str]]) -> None:
    """Add an app's permissions to roles. The union office's grants also go to the
    administrator; the system actor holds every permission any role holds."""
    for role, permissions in grants.items():
        _GRANTS[role] |= set(permissions)
        if role == Role.UNION_OFFICE:
            _GRANTS[Role.ADMINISTRATOR] |= set(permissions)


def role_permissions(role: str) -> frozenset[str]:
    if role == Role.SYSTEM:
        return frozenset(set().union(*_GRANTS.values()))
    return frozenset(_GRANTS.get(role, ()))


# The permissions of accounts and core themselves.
# Accounts: the union office (and so the administrator) creates, deactivates and reactivates
# accounts and gives roles; a sub-union officer sees their sub-union's accounts and gives the
# roles a sub-union officer may give (`role_grant` decides which, over which scope).
ROLE_GRANTS = {
    Role.UNION_OFFICE: {
        "core.view_job",
        "accounts.issue_codes",
        "accounts.view_user",
        "accounts.add_user",
        "accounts.change_user",
        "accounts.manage_roles",
    },
    Role.SUB_UNION_OFFICER: {"core.view_job", "accounts.issue_codes", "accounts.view_user", "accounts.manage_roles"},
    Role.AUDITOR: {"core.view_job", "accounts.view_user"},
    Role.ADMINISTRATOR: {"accounts.manage_roles"},
}
