"""What people adds to the shared pages (the membership card and the workspace section), its
workflows and the roster import kind."""

from django.utils.translation import gettext_lazy as _

from gonghui.core.registry import WorkspaceLink, module_register
from gonghui.people import workflow  # noqa: F401  (registers the workflows)
from gonghui.people.annual import people_annual_section
from gonghui.people.cards import membership_cards
from gonghui.people.roster import kind  # noqa: F401  (registers the roster import)
from gonghui.people.workbench import people_todos, people_year_figures

module_register(
    "people",
    order=10,
    title=_("人员"),
    workspace=(
        WorkspaceLink(_("人员名单"), "people:person_list", ("people.view_person",)),
        WorkspaceLink(_("分工会"), "people:subunion_list", ("people.view_subunion",)),
        WorkspaceLink(_("导入人事名册"), "people:roster_import", ("people.import_roster",)),
    ),
    portal_cards=membership_cards,
    todos=people_todos,
    year_figures=people_year_figures,
    annual=people_annual_section,
)
