"""What practical projects and bulletins add to the shared pages, the annual report, the
attachments and the demo."""

from django.utils.translation import gettext_lazy as _

from gonghui.accounts.roles import Role
from gonghui.core.registry import AttachmentPurpose, WorkspaceLink, module_register
from gonghui.projects import workflow  # noqa: F401  (registers the workflows)
from gonghui.projects.annual import projects_annual_section
from gonghui.projects.services.projects import EVIDENCE_PURPOSE
from gonghui.projects.workbench import projects_cards, projects_todos


def _evidence_files(user):
    """A project's evidence opens to whoever may see the project; a done project's to staff
    too (they rate it on what was done)."""
    from django.db.models import Q

    from gonghui.projects.models import PracticalProject, ProgressEntry

    visible = PracticalProject.objects.restrict(user, "view")
    through = ProgressEntry.evidence.through
    closing = PracticalProject.closing_evidence.through
    return (
        through.objects.filter(progressentry__project__in=visible.values("pk"))
        .values("attachment_id")
        .union(closing.objects.filter(Q(practicalproject__in=visible.values("pk"))).values("attachment_id"))
    )


def _demo_summary(built) -> str:
    return f"Practical projects and bulletins: {built}." if built else ""


module_register(
    "projects",
    order=100,
    title=_("我为群众办实事"),
    workspace=(
        WorkspaceLink(_("实事项目"), "projects:list", ("projects.view_practicalproject",), icon="clipboard-list"),
        WorkspaceLink(_("项目一览表"), "projects:table", ("projects.view_practicalproject",), icon="report-analytics"),
        WorkspaceLink(_("简报"), "projects:bulletins", ("projects.view_bulletin",), icon="file-text"),
    ),
    portal_links=(
        WorkspaceLink(_("工会简报"), "projects:bulletins", testid="bulletins", icon="file-text"),
        WorkspaceLink(_("实事项目评价"), "projects:rate_list", members_only=True, icon="circle-check"),
    ),
    portal_cards=projects_cards,
    todos=projects_todos,
    annual=projects_annual_section,
    attachment_access=_evidence_files,
    attachment_purposes=(
        AttachmentPurpose(
            EVIDENCE_PURPOSE,
            roles=frozenset({Role.UNION_OFFICE, Role.HANDLING_UNIT_OFFICER}),
            types=frozenset({"application/pdf", "image/jpeg", "image/png"}),
        ),
    ),
    demo=("gonghui.projects.demo.projects_demo_build", _demo_summary),
)
