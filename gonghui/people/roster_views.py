"""Roster import pages: upload → preview (map unknown units) → confirm → job progress,
through core's import kit (people.roster.kind)."""

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from gonghui.core.excel import XLSX_CONTENT_TYPE
from gonghui.core.exceptions import ApplicationError, InvalidTransition
from gonghui.core.imports import import_confirm, import_start, upload_read
from gonghui.core.pages import PermissionPageMixin
from gonghui.core.views_kit import ImportPreviewPageMixin
from gonghui.people.choices import SubUnionKind
from gonghui.people.models import SubUnion
from gonghui.people.roster import services
from gonghui.people.roster.reading import HEADERS, REQUIRED, roster_template_xlsx
from gonghui.people.selectors import roster_imports


class RosterUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("名册文件（.xlsx 或 .csv）"))


def _upload_page(request, form, status=200):
    # `?status=pending`: the imports waiting to be confirmed (the workbench links here)
    recent = roster_imports(pending=request.GET.get("status") == "pending")[:20]
    return render(
        request,
        "people/roster_import.html",
        {
            "form": form,
            "required_headers": [HEADERS[key][0] for key in REQUIRED],
            "optional_headers": [spellings[0] for key, spellings in HEADERS.items() if key not in REQUIRED],
            "recent": recent,
        },
        status=status,
    )


class RosterImportView(PermissionPageMixin, View):
    """Upload form with the expected headers, and the recent imports."""

    permission_required = "people.import_roster"

    def get(self, request):
        return _upload_page(request, RosterUploadForm())

    def post(self, request):
        form = RosterUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return _upload_page(request, form, status=400)
        upload = form.cleaned_data["file"]
        try:
            # refused by name and size before the file is read; a large file is read by the worker
            preview = import_start(
                services.ROSTER_KIND, actor=request.user, upload=upload_read(services.ROSTER_KIND, upload)
            )
        except ApplicationError as error:
            form.add_error("file", error.message)
            return _upload_page(request, form, status=400)
        return redirect("people:roster_preview", pk=preview.pk)


class RosterTemplateView(PermissionPageMixin, View):
    """The empty roster to fill in: the import's columns, digit columns as text."""

    permission_required = "people.import_roster"

    def get(self, request):
        response = HttpResponse(roster_template_xlsx(), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = content_disposition_header(True, str(_("人事名册模板.xlsx")))
        return response


class _PreviewMixin(ImportPreviewPageMixin):
    permission_required = "people.import_roster"
    import_kind = services.ROSTER_KIND


class RosterPreviewView(_PreviewMixin, View):
    def get(self, request, pk):
        preview = self.get_preview(pk)
        if unready := self.unready(preview, reverse("people:roster_import")):
            return unready
        summary = preview.summary
        context = {
            "preview": preview,
            "summary": summary,
            "counts": summary.get("counts", {}),
            "pending": preview.is_pending,
            "sub_unions": SubUnion.objects.current().order_by("sort_key", "name").values("id", "name", "code"),
            "sub_union_kinds": SubUnionKind.choices,
            "list_limit": services.PREVIEW_LIST_LIMIT,
            "invalid_limit": services.INVALID_LIST_LIMIT,
        }
        return render(request, "people/roster_preview.html", context)


class RosterMapUnitsView(_PreviewMixin, View):
    """Map each unknown 所在单位 to an existing sub-union (kept as an alias) or a new one."""

    def post(self, request, pk):
        preview = self.get_preview(pk)
        names = [u["name"] for u in preview.summary.get("unknown_units", [])]
        mapping = {}
        for index, name in enumerate(names):
            value = request.POST.get(f"unit-{index}", "")
            if value == "new" or value.startswith("new:") or value.isdigit():
                mapping[name] = value
        try:
            services.roster_import_units_map(actor=request.user, preview=preview, mapping=mapping)
        except ApplicationError as error:
            messages.error(request, error.message)
        except SubUnion.DoesNotExist:
            messages.error(request, _("所选分工会不存在"))
        else:
            if mapping:
                messages.success(request, _("已保存单位对应关系，预览已重新计算。"))
        return redirect("people:roster_preview", pk=preview.pk)


class RosterConfirmView(_PreviewMixin, View):
    """Confirm once: the import runs in the worker; confirming again leads to the same job."""

    def post(self, request, pk):
        preview = self.get_preview(pk)
        try:
            preview = import_confirm(preview, actor=request.user)
        except InvalidTransition as error:
            if preview.job_id is None:
                messages.error(request, error.message)
                return redirect("people:roster_preview", pk=preview.pk)
            messages.info(request, _("该名册已确认导入过，不会重复导入。"))
        except ApplicationError as error:
            messages.error(request, error.message)
            return redirect("people:roster_preview", pk=preview.pk)
        return redirect("core:job_detail", pk=preview.job_id)
