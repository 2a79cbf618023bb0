"""What staff children's admission adds to the shared pages, the attachments and the demo."""

from django.utils.translation import gettext_lazy as _

from gonghui.accounts.roles import Role
from gonghui.admissions import workflow  # noqa: F401  (registers the workflows)
from gonghui.admissions.annual import admissions_annual_section
from gonghui.admissions.choices import REQUEST_DOCUMENT_PURPOSE
from gonghui.admissions.services import answers  # noqa: F401  (registers the school answers' import kind)
from gonghui.admissions.workbench import admissions_cards, admissions_todos
from gonghui.core.registry import AttachmentPurpose, WorkspaceLink, module_register


def _request_files(user):
    """A request's documents open to whoever may see the request: the parent, their
    sub-union's officer, the admissions officer."""
    from gonghui.admissions.models import RequestDocument

    return RequestDocument.objects.restrict(user).values("attachment_id")


def _demo_summary(built) -> str:
    return f"Children's admission: {built}." if built else ""


module_register(
    "admissions",
    order=90,
    title=_("子女入托入学"),
    workspace=(
        WorkspaceLink(_("子女入学"), "admissions:campaigns", ("admissions.view_campaign",), icon="building"),
        WorkspaceLink(
            _("需求与学位"), "admissions:demand", ("admissions.view_shortageaction",), icon="report-analytics"
        ),
        WorkspaceLink(_("子女入学统计"), "admissions:report", ("admissions.view_campaign",), icon="report-analytics"),
        WorkspaceLink(_("政策解读"), "admissions:notes", ("admissions.change_policynote",), icon="bulb"),
        WorkspaceLink(
            _("政策咨询"), "admissions:consultations", ("admissions.view_consultation",), icon="clipboard-list"
        ),
        WorkspaceLink(_("参观学校"), "admissions:visits", ("admissions.view_schoolvisit",), icon="calendar-event"),
    ),
    portal_links=(
        WorkspaceLink(_("子女入学"), "admissions:mine", members_only=True, testid="admissions", icon="building"),
    ),
    portal_cards=admissions_cards,
    todos=admissions_todos,
    annual=admissions_annual_section,
    attachment_access=_request_files,
    demo=("gonghui.admissions.demo.admissions_demo_build", _demo_summary),
    attachment_purposes=(
        AttachmentPurpose(
            REQUEST_DOCUMENT_PURPOSE,
            roles=frozenset({Role.MEMBER, Role.SUB_UNION_OFFICER, Role.ADMISSIONS_OFFICER}),
            types=frozenset({"application/pdf", "image/jpeg", "image/png"}),
            private=True,
        ),
    ),
)
