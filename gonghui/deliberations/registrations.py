"""What draft deliberation adds to the shared pages and the demo."""

from django.utils.translation import gettext_lazy as _

from gonghui.core.registry import WorkspaceLink, module_register
from gonghui.deliberations import workflow  # noqa: F401  (registers the workflows)
from gonghui.deliberations.annual import deliberations_annual_section
from gonghui.deliberations.services import versions  # noqa: F401  (registers the .docx import)
from gonghui.deliberations.workbench import deliberations_cards, deliberations_todos


def _demo_summary(built) -> str:
    return f"Draft deliberation: {built}." if built else ""


module_register(
    "deliberations",
    order=65,
    title=_("专题审议"),
    workspace=(
        WorkspaceLink(
            _("专题审议"),
            "deliberations:list",
            ("deliberations.view_deliberation",),
            icon="file-text",
        ),
    ),
    portal_order=45,
    portal_cards=deliberations_cards,
    portal_links=(WorkspaceLink(_("专题审议"), "deliberations:list", testid="deliberations", icon="file-text"),),
    demo=("gonghui.deliberations.demo.deliberations_demo_build", _demo_summary),
    todos=deliberations_todos,
    annual=deliberations_annual_section,
)
