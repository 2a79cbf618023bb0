"""What group insurance adds to the shared pages and the demo, and its lifecycle: the three
workflows (plan editions, enrollments, claims) and the acceptance-file import."""

from django.utils.translation import gettext_lazy as _

from gonghui.accounts.roles import Role
from gonghui.core.registry import AttachmentPurpose, WorkspaceLink, module_register
from gonghui.insurance import workflow  # noqa: F401  (registers the workflows)
from gonghui.insurance.annual import insurance_annual_section
from gonghui.insurance.cards import insurance_cards
from gonghui.insurance.services import opt_out_batch, rosters  # noqa: F401  (register their import kinds)
from gonghui.insurance.services.claims import CLAIM_PURPOSE
from gonghui.insurance.workbench import insurance_todos, insurance_year_figures


def _demo_summary(insured) -> str:
    # the builder is idempotent: kept once the 2021 editions have enrollments
    return f"Group insurance 2021 enrolled: {insured}." if insured else ""


module_register(
    "insurance",
    order=40,
    title=_("职工互助保障"),
    workspace=(
        WorkspaceLink(_("职工互助保障"), "insurance:edition_list", ("insurance.view_planedition",)),
        WorkspaceLink(_("保障计划"), "insurance:plan_list", ("insurance.view_plan",)),
        WorkspaceLink(_("保障理赔"), "insurance:claim_list", ("insurance.view_planclaim",)),
        WorkspaceLink(_("职工互助保障统计"), "insurance:report", ("insurance.view_planenrollment",)),
    ),
    portal_order=50,
    portal_cards=insurance_cards,
    portal_links=(WorkspaceLink(_("我的保障"), "insurance:my_cover", members_only=True, icon="shield-check"),),
    # a claim's checklist documents: the member for their own claim, the office entering a
    # claim handed in on paper (claim_document_add)
    attachment_purposes=(AttachmentPurpose(CLAIM_PURPOSE, roles=frozenset({Role.MEMBER, Role.UNION_OFFICE})),),
    demo=("gonghui.insurance.demo.insurance_demo_build", _demo_summary),
    todos=insurance_todos,
    year_figures=insurance_year_figures,
    annual=insurance_annual_section,
)
