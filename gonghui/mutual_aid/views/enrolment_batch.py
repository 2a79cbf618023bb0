"""批量入会 pages: choose the people (a file of staff numbers, pasted numbers, a sub-union or
the people list's filters) with the batch's date and channel → preview → confirm once → the
job's progress. Views validate input and call one service."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from gonghui.core.bulk import OUTCOME_LABELS, OUTCOMES
from gonghui.core.exceptions import ApplicationError, InvalidTransition, PermissionDenied
from gonghui.core.imports import Upload, import_kind, upload_check
from gonghui.core.models import ImportPreview
from gonghui.core.pages import PermissionPageMixin
from gonghui.core.views_kit import ImportPreviewPageMixin
from gonghui.mutual_aid.choices import FeeChannel
from gonghui.mutual_aid.forms.fees import EnrolBatchForm
from gonghui.mutual_aid.services import enrolment_batch as services
from gonghui.people.choices import CoverageType, EmploymentStatus
from gonghui.people.models import EmploymentCategory, SubUnion

PREVIEW_ROWS = 50  # rows listed of the ready and the skipped (the problems are listed in full)


def _form(request, data=None, files=None) -> EnrolBatchForm:
    return EnrolBatchForm(
        data,
        files,
        sub_unions=SubUnion.objects.restrict(request.user, "view").order_by("sort_key", "name"),
        categories=EmploymentCategory.objects.order_by("name"),
        statuses=EmploymentStatus.choices,
        coverage_types=CoverageType.choices,
    )


class EnrolBatchView(PermissionPageMixin, View):
    """The office (everyone) or a sub-union officer (their own people) chooses whom to enrol."""

    permission_required = services.ENROL

    def _page(self, request, form, status=200):
        recent = ImportPreview.objects.filter(kind=services.ENROL_KIND, created_by=request.user).select_related("job")
        return render(
            request,
            "mutual_aid/fees/enrol_batch.html",
            {"form": form, "recent": recent[:10], "sources": services.SOURCE_LABELS},
            status=status,
        )

    def get(self, request):
        return self._page(request, _form(request))

    def post(self, request):
        form = _form(request, request.POST, request.FILES)
        if not form.is_valid():
            return self._page(request, form, status=400)
        data = form.cleaned_data
        upload = data.get("file")
        try:
            if upload:  # refused by name and size before the file is read
                upload_check(kind=import_kind(services.ENROL_KIND), filename=upload.name, size=upload.size)
            preview = services.enrolment_batch_start(
                actor=request.user,
                joined_on=data["joined_on"],
                channel=data["channel"],
                source=data["source"],
                upload=Upload.of(upload) if upload else None,
                text=data.get("text") or "",
                data={"sub_union": data.get("sub_union"), "filters": form.filters()},
            )
        except (ApplicationError, PermissionDenied) as error:
            field = getattr(error, "extra", {}).get("field")
            form.add_error(field if field in form.fields else None, getattr(error, "message", str(error)))
            return self._page(request, form, status=400)
        return redirect("mutual_aid:enrol_batch_preview", pk=preview.pk)


class _BatchMixin(ImportPreviewPageMixin):
    permission_required = services.ENROL
    import_kind = services.ENROL_KIND
    uploader_only = True


class EnrolBatchPreviewView(_BatchMixin, View):
    def get(self, request, pk):
        preview = self.get_preview(pk)
        unready = self.unready(preview, back_url=reverse("mutual_aid:enrol_batch"))
        if unready is not None:
            return unready
        summary = preview.summary
        rows = summary.get("rows", {})
        sections = [
            {
                "key": outcome,
                "label": OUTCOME_LABELS[outcome],
                "count": summary.get("counts", {}).get(outcome, 0),
                "rows": rows.get(outcome, [])[: PREVIEW_ROWS if outcome in ("ready", "skipped") else None],
            }
            for outcome in OUTCOMES
        ]
        joined_on, channel = services.EnrolmentBatch.terms(preview)
        return render(
            request,
            "mutual_aid/fees/enrol_batch_preview.html",
            {
                "preview": preview,
                "sections": sections,
                "joined_on": joined_on,
                "channel_label": dict(FeeChannel.choices).get(channel, ""),
                "source_label": services.SOURCE_LABELS.get(preview.parameters.get("source"), ""),
                "pending": preview.is_pending,
                "ready": summary.get("counts", {}).get("ready", 0),
                "preview_rows": PREVIEW_ROWS,
            },
        )


class EnrolBatchConfirmView(_BatchMixin, View):
    """Confirm once: the batch is written by the worker; confirming again leads to the same job."""

    def post(self, request, pk):
        preview = self.get_preview(pk)
        try:
            preview = services.enrolment_batch_confirm(preview=preview, actor=request.user)
        except InvalidTransition as error:
            if preview.job_id is None:
                messages.error(request, error.message)
                return redirect("mutual_aid:enrol_batch_preview", pk=preview.pk)
            messages.info(request, error.message)
        except (ApplicationError, PermissionDenied) as error:
            messages.error(request, getattr(error, "message", str(error)))
            return redirect("mutual_aid:enrol_batch_preview", pk=preview.pk)
        return redirect("core:job_detail", pk=preview.job_id)
