"""The people list exported with ID numbers in clear: a confirm page (how many people, which
filter, that it is logged), then a POST with the confirmation. Only for the roles that may
reveal an ID number (`people.reveal_id_number`, as the person page's reveal); the masked
export is the list page's own (`?export=xlsx`)."""

from django import forms
from django.http import QueryDict
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from gonghui.core.excel import xlsx_file_response
from gonghui.core.pages import PermissionPageMixin
from gonghui.people import selectors
from gonghui.people.filters import PersonFilter
from gonghui.people.roster.export import filters_described, roster_export_clear


class ExportClearForm(forms.Form):
    confirm = forms.BooleanField(
        label=gettext_lazy("我确认导出含明文身份证号的名单，并妥善保管该文件（本次导出将记录）"),
        error_messages={"required": gettext_lazy("请先勾选确认")},
    )


def _filters(data) -> QueryDict:
    """The list's filters among the request's parameters (nothing else is passed on)."""
    filters = QueryDict(mutable=True)
    for name in PersonFilter.base_filters:
        if values := [value for value in data.getlist(name) if value]:
            filters.setlist(name, values)
    return filters


class PersonExportClearView(PermissionPageMixin, View):
    permission_required = "people.reveal_id_number"

    def _page(self, request, filters: QueryDict, form, status=200, id_number=""):
        context = {
            "form": form,
            "count": selectors.person_list(user=request.user, filters=filters, id_number=id_number).count(),
            "described": filters_described(filters, id_number),
            "hidden": [(name, value) for name, values in filters.lists() for value in values]
            + ([("id_number", id_number)] if id_number else []),
            "list_query": filters.urlencode(),
        }
        return render(request, "people/person_export_clear.html", context, status=status)

    def get(self, request):
        return self._page(request, _filters(request.GET), ExportClearForm())

    def post(self, request):
        # a 身份证号 comes only in the body, never from the URL (URLs end up in access logs)
        filters, id_number = _filters(request.POST), request.POST.get("id_number", "").strip()
        form = ExportClearForm(request.POST)
        if not form.is_valid():
            return self._page(request, filters, form, status=400, id_number=id_number)
        data, _count = roster_export_clear(actor=request.user, filters=filters, id_number=id_number)
        return xlsx_file_response(_("人员名单（含明文身份证号）.xlsx"), data)
