"""What people adds to the shared pages (the membership card and the workspace section), its
workflows and the roster import kind."""

from django.utils.translation import gettext_lazy as _

from gonghui.core.registry import WorkspaceLink, WorkspaceSection, portal_card_register, workspace_section_register
from gonghui.people import workflow  # noqa: F401  (registers the workflows)
from gonghui.people.cards import membership_cards
from gonghui.people.roster import kind  # noqa: F401  (registers the roster import)

portal_card_register(membership_cards, order=10)
workspace_section_register(
    WorkspaceSection(
        key="people",
        title=_("人员"),
        order=10,
        links=(
            WorkspaceLink(_("人员名单"), "people:person_list", ("people.view_person",)),
            WorkspaceLink(_("分工会"), "people:subunion_list", ("people.view_subunion",)),
            WorkspaceLink(_("导入人事名册"), "people:roster_import", ("people.import_roster",)),
        ),
    )
)
