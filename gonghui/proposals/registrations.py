"""What congress proposals add to the shared pages and the demo."""

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
from gonghui.proposals import workflow  # noqa: F401  (registers ProposalWorkflow)
from gonghui.proposals.cards import proposals_cards


def _demo() -> str:
    from gonghui.proposals.demo import proposals_demo_build

    congress = proposals_demo_build()  # idempotent: kept once the demo congress exists
    return f"Staff congress proposals: {congress.counts}." if congress.created else ""


portal_card_register(proposals_cards, order=40)
portal_link_register(WorkspaceLink(_("教代会提案"), "proposals:home", testid="proposals"), order=40)
portal_link_register(WorkspaceLink(_("提案公示"), "proposals:public"), order=41)
demo_builder_register(DemoBuilder("proposals", 60, _demo))
workspace_section_register(
    WorkspaceSection(
        key="proposals",
        title=_("教代会提案"),
        order=60,
        links=(
            WorkspaceLink(_("提案管理"), "proposals:list", ("proposals.view_proposal",)),
            WorkspaceLink(_("承办提案"), "proposals:unit_board", ("proposals.handle_proposal",)),
        ),
    )
)
