"""Roster import pages: upload → preview (map unknown units) → confirm → job progress."""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from gonghui.core.exceptions import ApplicationError
from gonghui.core.models import Job
from gonghui.core.pages import PermissionPageMixin
from gonghui.people.models import SubUnion
from gonghui.people.roster import services
from gonghui.people.roster.reading import HEADERS, REQUIRED


class RosterUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("名册文件（.xlsx 或 .csv）"))


def _header_help():
    required = [HEADERS[key][0] for key in REQUIRED]
    optional = [spellings[0] for key, spellings in HEADERS.items() if key not in REQUIRED]
    return required, optional


def _upload_page(request, form, status=200):
    required, optional = _header_help()
    recent = Job.objects.filter(kind=services.PREVIEW_KIND).select_related("created_by")[:20]
    return render(
        request,
        "people/roster_import.html",
        {
            "form": form,
            "required_headers": required,
            "optional_headers": optional,
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
            name = services.roster_upload_store(upload=upload, filename=upload.name, size=upload.size)
            preview = services.roster_import_preview(actor=request.user, file_name=name, original_name=upload.name)
        except ApplicationError as error:
            form.add_error("file", error.message)
            return _upload_page(request, form, status=400)
        return redirect("people:roster_preview", pk=preview.pk)


class _PreviewMixin(PermissionPageMixin):
    permission_required = "people.import_roster"

    def get_preview(self, pk) -> Job:
        try:
            return services.roster_preview_get(user=self.request.user, pk=pk)
        except Job.DoesNotExist:
            raise Http404 from None


class RosterPreviewView(_PreviewMixin, View):
    def get(self, request, pk):
        preview = self.get_preview(pk)
        summary = preview.result
        context = {
            "preview": preview,
            "summary": summary,
            "counts": summary.get("counts", {}),
            "confirmed": preview.status != "queued",
            "import_job_id": summary.get("import_job_id"),
            "sub_unions": SubUnion.objects.order_by("name_pinyin", "name").values("id", "name", "code"),
            "list_limit": services.PREVIEW_LIST_LIMIT,
            "invalid_limit": services.INVALID_LIST_LIMIT,
        }
        return render(request, "people/roster_preview.html", context)


class RosterMapUnitsView(_PreviewMixin, View):
    """Map each unknown 所在单位 to an existing sub-union (kept as an alias) or a new one."""

    def post(self, request, pk):
        preview = self.get_preview(pk)
        names = [u["name"] for u in preview.result.get("unknown_units", [])]
        mapping = {}
        for index, name in enumerate(names):
            value = request.POST.get(f"unit-{index}", "")
            if value == "new" or value.isdigit():
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
    def post(self, request, pk):
        preview = self.get_preview(pk)
        try:
            job, started = services.roster_import_confirm(actor=request.user, preview=preview)
        except ApplicationError as error:
            messages.error(request, error.message)
            return redirect("people:roster_preview", pk=preview.pk)
        if not started:
            messages.info(request, _("该名册已确认导入过，不会重复导入。"))
        return redirect(reverse("core:job_detail", args=[job.pk]))
