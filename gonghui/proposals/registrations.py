"""What congress proposals add to the shared pages and the demo."""

from django.utils.translation import gettext_lazy as _

from gonghui.core.registry import WorkspaceLink, module_register
from gonghui.proposals import workflow  # noqa: F401  (registers ProposalWorkflow)
from gonghui.proposals.cards import proposals_cards


def _demo_summary(congress) -> str:
    # the builder is idempotent: kept once the demo congress exists
    return f"Staff congress proposals: {congress.counts}." if congress.created else ""


module_register(
    "proposals",
    order=60,
    title=_("教代会提案"),
    workspace=(
        WorkspaceLink(_("提案管理"), "proposals:list", ("proposals.view_proposal",)),
        WorkspaceLink(_("承办提案"), "proposals:unit_board", ("proposals.handle_proposal",)),
    ),
    portal_order=40,
    portal_cards=proposals_cards,
    portal_links=(
        WorkspaceLink(_("教代会提案"), "proposals:home", testid="proposals", icon="bulb"),
        WorkspaceLink(_("提案公示"), "proposals:public", icon="report-analytics"),
    ),
    demo=("gonghui.proposals.demo.proposals_demo_build", _demo_summary),
)
