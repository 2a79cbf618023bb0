"""What enrollment drives add to the shared pages and the demo."""

from django.utils.translation import gettext_lazy as _

from gonghui.core.registry import (
    DemoBuilder,
    WorkspaceLink,
    WorkspaceSection,
    demo_builder_register,
    portal_card_register,
    portal_link_register,
    workspace_section_register,
)
from gonghui.drives import workflow  # noqa: F401  (registers the drives' workflows)
from gonghui.drives.cards import drive_cards
from gonghui.drives.services import results  # noqa: F401  (registers the provider's result import)


def _demo() -> str:
    from gonghui.drives.demo import drives_demo_build

    drives = drives_demo_build()  # idempotent: drives that exist (by name) are kept
    return f"Enrollment drives: {', '.join(drives.created)}." if drives.created else ""


portal_card_register(drive_cards, order=60)
portal_link_register(WorkspaceLink(_("参保活动（普惠健康保等）"), "drives:portal_list", testid="drives"), order=60)
demo_builder_register(DemoBuilder("drives", 50, _demo))
workspace_section_register(
    WorkspaceSection(
        key="drives",
        title=_("参保活动"),
        order=50,
        links=(WorkspaceLink(_("参保活动"), "drives:drive_list", ("drives.view_drive",)),),
    )
)
