"""What the annual report adds to the shared pages: its link on the workspace."""

from django.utils.translation import gettext_lazy as _

from gonghui.core.registry import WorkspaceLink, module_register

module_register(
    "reports",
    order=100,
    title=_("年度报告"),
    workspace=(
        WorkspaceLink(_("工会年度报告"), "reports:annual", ("reports.view_annualreport",), icon="report-analytics"),
    ),
)
