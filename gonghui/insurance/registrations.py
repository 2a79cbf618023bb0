"""What group insurance adds to the shared pages and the demo, and its lifecycle: the three
workflows (plan editions, enrollments, claims) and the acceptance-file import."""

from django.utils.translation import gettext_lazy as _

from gonghui.core.registry import WorkspaceLink, module_register
from gonghui.insurance import workflow  # noqa: F401  (registers the workflows)
from gonghui.insurance.cards import insurance_cards
from gonghui.insurance.services import opt_out_batch, rosters  # noqa: F401  (register their import kinds)


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
    demo=("gonghui.insurance.demo.insurance_demo_build", _demo_summary),
)
