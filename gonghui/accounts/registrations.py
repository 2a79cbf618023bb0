"""What accounts adds to the shared pages: the users and their roles, the officers' activation sheet."""

from django.utils.translation import gettext_lazy as _

from gonghui.accounts.workbench import accounts_todos
from gonghui.core.registry import WorkspaceLink, module_register

module_register(
    "accounts",
    order=90,
    title=_("账号"),
    workspace=(
        WorkspaceLink(_("用户与角色"), "accounts:user_list", ("accounts.view_user",)),
        WorkspaceLink(_("账号开通"), "accounts:activation_sheet", ("accounts.issue_codes",)),
    ),
    todos=accounts_todos,
)
