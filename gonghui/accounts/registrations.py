"""What accounts adds to the shared pages: the officers' activation sheet."""

from django.utils.translation import gettext_lazy as _

from gonghui.core.registry import WorkspaceLink, module_register

module_register(
    "accounts",
    order=90,
    title=_("账号"),
    workspace=(WorkspaceLink(_("账号开通"), "accounts:activation_sheet", ("accounts.issue_codes",)),),
)
