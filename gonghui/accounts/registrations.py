"""What accounts adds to the shared pages: the officers' activation sheet."""

from django.utils.translation import gettext_lazy as _

from gonghui.core.registry import WorkspaceLink, WorkspaceSection, workspace_section_register

workspace_section_register(
    WorkspaceSection(
        key="accounts",
        title=_("账号"),
        order=90,
        links=(WorkspaceLink(_("账号开通"), "accounts:activation_sheet", ("accounts.issue_codes",)),),
    )
)
