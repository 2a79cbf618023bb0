from django.views import View

from gonghui.core.pages import PermissionPageMixin


class RosterImportView(PermissionPageMixin, View):
    permission_required = "people.import_roster"
