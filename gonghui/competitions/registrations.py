"""What the teaching competition adds to the shared pages and the demo."""

from django.utils.translation import gettext_lazy as _

from gonghui.accounts.roles import Role
from gonghui.competitions import workflow  # noqa: F401  (registers the workflows)
from gonghui.competitions.annual import competitions_annual_section
from gonghui.competitions.choices import MATERIAL_PURPOSE
from gonghui.competitions.workbench import competitions_cards, competitions_todos
from gonghui.core.registry import AttachmentPurpose, WorkspaceLink, module_register


def _material_files(user):
    """Contestants, their colleges, the office and the judges of the group open the materials."""
    from gonghui.competitions.models import EntryMaterial

    return EntryMaterial.objects.restrict(user).values("attachment_id")


def _person_sections(viewer, person) -> list:
    from gonghui.competitions.selectors.person_section import competitions_person_sections

    return competitions_person_sections(viewer, person)


def _demo_summary(built) -> str:
    return f"Teaching competition: {built}." if built else ""


module_register(
    "competitions",
    order=80,
    title=_("青年教师教学基本功比赛"),
    workspace=(WorkspaceLink(_("青教赛"), "competitions:list", ("competitions.view_competition",), icon="award"),),
    portal_order=48,
    portal_cards=competitions_cards,
    portal_links=(
        WorkspaceLink(_("我的青教赛"), "competitions:mine", members_only=True, testid="competitions", icon="award"),
    ),
    todos=competitions_todos,
    person_sections=_person_sections,
    attachment_access=_material_files,
    attachment_purposes=(
        AttachmentPurpose(
            MATERIAL_PURPOSE,
            roles=frozenset({Role.MEMBER, Role.SUB_UNION_OFFICER, Role.UNION_OFFICE}),
            types=frozenset(
                {
                    "application/pdf",
                    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                    "video/mp4",
                }
            ),
        ),
    ),
    demo=("gonghui.competitions.demo.competitions_demo_build", _demo_summary),
    annual=competitions_annual_section,
)
