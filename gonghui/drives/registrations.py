"""What enrollment drives add to the shared pages and the demo."""

from django.utils.translation import gettext_lazy as _

from gonghui.accounts.roles import Role
from gonghui.core.registry import AttachmentPurpose, WorkspaceLink, module_register
from gonghui.drives import workflow  # noqa: F401  (registers the drives' workflows)
from gonghui.drives.annual import drives_annual_section
from gonghui.drives.cards import drive_cards
from gonghui.drives.services import results  # noqa: F401  (registers the provider's result import)
from gonghui.drives.workbench import drives_todos, drives_year_figures


def _demo_summary(drives) -> str:
    # the builder is idempotent: drives that exist (by name) are kept
    return f"Enrollment drives: {', '.join(drives.created)}." if drives.created else ""


module_register(
    "drives",
    order=50,
    title=_("参保活动"),
    workspace=(WorkspaceLink(_("参保活动"), "drives:drive_list", ("drives.view_drive",)),),
    portal_order=60,
    portal_cards=drive_cards,
    portal_links=(
        WorkspaceLink(_("参保活动（普惠健康保等）"), "drives:portal_list", testid="drives", icon="calendar-event"),
    ),
    # the office uploads a drive's leaflet and the insurer's terms (drive_document_attach)
    attachment_purposes=(
        AttachmentPurpose("drive_leaflet", roles=frozenset({Role.UNION_OFFICE})),
        AttachmentPurpose("drive_terms", roles=frozenset({Role.UNION_OFFICE})),
    ),
    demo=("gonghui.drives.demo.drives_demo_build", _demo_summary),
    todos=drives_todos,
    year_figures=drives_year_figures,
    annual=drives_annual_section,
)
