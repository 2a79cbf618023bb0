"""What congress proposals add to the shared pages and the demo."""

from django.utils.translation import gettext_lazy as _

from gonghui.accounts.roles import Role
from gonghui.core.registry import AttachmentPurpose, WorkspaceLink, module_register
from gonghui.proposals import workflow  # noqa: F401  (registers ProposalWorkflow)
from gonghui.proposals.annual import proposals_annual_section
from gonghui.proposals.cards import proposals_cards
from gonghui.proposals.services.submission import ATTACHMENT_PURPOSE
from gonghui.proposals.workbench import proposals_todos, proposals_year_figures


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
    # a delegate's photos and documents on their own draft (proposal_draft_create / _update)
    attachment_purposes=(AttachmentPurpose(ATTACHMENT_PURPOSE, roles=frozenset({Role.MEMBER})),),
    demo=("gonghui.proposals.demo.proposals_demo_build", _demo_summary),
    todos=proposals_todos,
    year_figures=proposals_year_figures,
    annual=proposals_annual_section,
)
