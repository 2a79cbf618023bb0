"""What the cadre appraisal adds to the shared pages and the demo."""

from django.utils.translation import gettext_lazy as _

from gonghui.accounts.roles import Role
from gonghui.appraisals import workflow  # noqa: F401  (registers the workflows)
from gonghui.appraisals.annual import appraisals_annual_section
from gonghui.appraisals.choices import REPORT_PURPOSE
from gonghui.appraisals.workbench import appraisals_cards, appraisals_todos
from gonghui.core.registry import AttachmentPurpose, WorkspaceLink, module_register


def _report_files(user):
    """Voters (and everyone who may read the round) open the published reports' files."""
    from gonghui.appraisals.models import PUBLIC_STATUSES, Cadre

    return (
        Cadre.objects.restrict(user)
        .filter(round_unit__round__status__in=PUBLIC_STATUSES, report_file__isnull=False)
        .values("report_file_id")
    )


def _demo_summary(built) -> str:
    return f"Cadre appraisal: {built}." if built else ""


module_register(
    "appraisals",
    order=70,
    title=_("干部民主测评"),
    workspace=(
        WorkspaceLink(
            _("干部民主测评"),
            "appraisals:list",
            ("appraisals.view_appraisalround",),
            icon="shield-check",
        ),
    ),
    portal_order=47,
    portal_cards=appraisals_cards,
    attachment_access=_report_files,
    attachment_purposes=(AttachmentPurpose(REPORT_PURPOSE, roles=frozenset({Role.UNION_OFFICE})),),
    demo=("gonghui.appraisals.demo.appraisals_demo_build", _demo_summary),
    todos=appraisals_todos,
    annual=appraisals_annual_section,
)
