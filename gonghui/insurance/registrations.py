"""What group insurance adds to the shared pages and the demo, and its lifecycle: the three
workflows (plan editions, enrollments, claims) and the acceptance-file import."""

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
from gonghui.insurance import workflow  # noqa: F401  (registers the workflows)
from gonghui.insurance.cards import insurance_cards
from gonghui.insurance.services import rosters  # noqa: F401  (registers the acceptance-file import)


def _demo() -> str:
    from gonghui.insurance.demo import insurance_demo_build

    insured = insurance_demo_build()  # idempotent: kept once the 2021 editions have enrollments
    return f"Group insurance 2021 enrolled: {insured}." if insured else ""


portal_card_register(insurance_cards, order=50)
portal_link_register(WorkspaceLink(_("我的保障"), "insurance:my_cover", members_only=True), order=50)
demo_builder_register(DemoBuilder("insurance", 40, _demo))
workspace_section_register(
    WorkspaceSection(
        key="insurance",
        title=_("职工互助保障"),
        order=40,
        links=(
            WorkspaceLink(_("职工互助保障"), "insurance:edition_list", ("insurance.view_planedition",)),
            WorkspaceLink(_("保障理赔"), "insurance:claim_list", ("insurance.view_planclaim",)),
            WorkspaceLink(_("职工互助保障统计"), "insurance:report", ("insurance.view_planenrollment",)),
        ),
    )
)
