"""What the mutual-aid society adds to the shared pages and the demo."""

from django.utils.translation import gettext_lazy as _

from gonghui.accounts.roles import Role
from gonghui.core.registry import AttachmentPurpose, WorkspaceLink, module_register
from gonghui.mutual_aid import workflow  # noqa: F401  (registers the workflows)
from gonghui.mutual_aid.annual import mutual_aid_annual_section
from gonghui.mutual_aid.cards import mutual_aid_cards
from gonghui.mutual_aid.services import enrolment_batch, fees  # noqa: F401  (register their import kinds)
from gonghui.mutual_aid.services.applications import DOCUMENT_PURPOSE
from gonghui.mutual_aid.workbench import mutual_aid_todos, mutual_aid_year_figures


def _application_documents(user):
    """Whoever may see an application may open its documents (the committee reads the
    invoices of the applications before it)."""
    from gonghui.mutual_aid.models import ApplicationDocument, SubsidyApplication

    return ApplicationDocument.objects.filter(application__in=SubsidyApplication.objects.restrict(user, "view")).values(
        "attachment_id"
    )


def _demo_summary(result) -> str:
    # the builder is idempotent: years that have an edition are kept, a year built is not rebuilt
    lines = [f"Mutual-aid rules (管理办法) for {', '.join(map(str, result.created))}."] if result.created else []
    return "\n".join([*lines, *result.lines])


module_register(
    "mutual_aid",
    order=30,
    title=_("医疗互助会"),
    workspace=(
        WorkspaceLink(_("互助会管理办法"), "mutual_aid:edition_list", ("mutual_aid.change_schemeedition",)),
        WorkspaceLink(_("互助会会员"), "mutual_aid:fee_members", ("mutual_aid.view_schememembership",)),
        WorkspaceLink(_("互助会会费"), "mutual_aid:fee_runs", ("mutual_aid.view_feerun",)),
        WorkspaceLink(_("互助会补助申请"), "mutual_aid:application_list", ("mutual_aid.view_subsidyapplication",)),
        WorkspaceLink(
            _("福利委员会会议"),
            "mutual_aid:committee_sitting_list",
            ("mutual_aid.view_committeesitting",),
            testid="mutual-aid-committee",
        ),
        WorkspaceLink(_("互助会补助发放"), "mutual_aid:payment_batch_list", ("mutual_aid.view_paymentbatch",)),
        WorkspaceLink(_("互助会年度统计"), "mutual_aid:report", ("mutual_aid.view_ledgerentry",)),
    ),
    portal_cards=mutual_aid_cards,
    portal_links=(
        WorkspaceLink(_("我的互助会"), "mutual_aid:fee_my", members_only=True, icon="heart-handshake"),
        WorkspaceLink(_("我的补助申请"), "mutual_aid:my_application_list", members_only=True, icon="clipboard-list"),
        WorkspaceLink(
            _("互助会章程（管理办法）"), "mutual_aid:edition_list", testid="mutual-aid-rules", icon="file-text"
        ),
        WorkspaceLink(_("互助会补助公示"), "mutual_aid:notice_list", icon="report-analytics"),
    ),
    attachment_access=_application_documents,
    # an application's documents: the member on their own, the sub-union officer submitting on
    # a member's behalf, the office entering a paper form (document_attach)
    attachment_purposes=(
        AttachmentPurpose(DOCUMENT_PURPOSE, roles=frozenset({Role.MEMBER, Role.SUB_UNION_OFFICER, Role.UNION_OFFICE})),
    ),
    demo=("gonghui.mutual_aid.demo.mutual_aid_demo_build", _demo_summary),
    todos=mutual_aid_todos,
    year_figures=mutual_aid_year_figures,
    annual=mutual_aid_annual_section,
)
