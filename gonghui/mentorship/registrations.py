"""What mentorship pairing adds to the shared pages and the demo."""

from django.utils.translation import gettext_lazy as _

from gonghui.accounts.roles import Role
from gonghui.core.registry import AttachmentPurpose, WorkspaceLink, module_register
from gonghui.mentorship import workflow  # noqa: F401  (registers the workflows)
from gonghui.mentorship.annual import mentorship_annual_section
from gonghui.mentorship.choices import AGREEMENT_PURPOSE, DUTY_PHOTO_PURPOSE
from gonghui.mentorship.services import profiles  # noqa: F401  (registers the profiles' import kind)
from gonghui.mentorship.workbench import mentorship_cards, mentorship_todos


def _pair_files(user):
    """The pair, their college and the office open the agreement's scan and the duties' photos."""
    from django.db.models import Q

    from gonghui.attachments.models import Attachment
    from gonghui.mentorship.models import DutyLog, Pair

    agreements = Pair.objects.restrict(user).exclude(agreement__isnull=True).values("agreement_id")
    photos = DutyLog.objects.restrict(user).exclude(photo__isnull=True).values("photo_id")
    return Attachment.objects.filter(Q(pk__in=agreements) | Q(pk__in=photos)).values("pk")


def _person_sections(viewer, person) -> list:
    from gonghui.mentorship.selectors.person_section import mentorship_person_sections

    return mentorship_person_sections(viewer, person)


def _demo_summary(built) -> str:
    return f"Mentorship pairing: {built}." if built else ""


module_register(
    "mentorship",
    order=85,
    title=_("青年教师拜师结对"),
    workspace=(
        WorkspaceLink(_("拜师结对"), "mentorship:list", ("mentorship.view_cohort",), icon="users"),
        WorkspaceLink(_("拜师结对统计"), "mentorship:report", ("mentorship.view_cohort",), icon="report-analytics"),
    ),
    portal_links=(
        WorkspaceLink(_("我的拜师结对"), "mentorship:mine", members_only=True, testid="mentorship", icon="users"),
    ),
    portal_cards=mentorship_cards,
    todos=mentorship_todos,
    attachment_access=_pair_files,
    person_sections=_person_sections,
    demo=("gonghui.mentorship.demo.mentorship_demo_build", _demo_summary),
    annual=mentorship_annual_section,
    attachment_purposes=(
        AttachmentPurpose(
            AGREEMENT_PURPOSE,
            roles=frozenset({Role.SUB_UNION_OFFICER, Role.UNION_OFFICE}),
            types=frozenset({"application/pdf", "image/jpeg", "image/png"}),
        ),
        AttachmentPurpose(
            DUTY_PHOTO_PURPOSE,
            roles=frozenset({Role.MEMBER}),
            types=frozenset({"image/jpeg", "image/png", "application/pdf"}),
        ),
    ),
)
