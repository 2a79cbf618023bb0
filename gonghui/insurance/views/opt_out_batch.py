"""批量登记不参保 pages: a file (or pasted staff numbers) for one edition → preview → confirm
once → the job's progress. Views validate input and call one service."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views import View

from gonghui.core.bulk import OUTCOME_LABELS, OUTCOMES
from gonghui.core.exceptions import ApplicationError, InvalidTransition, PermissionDenied
from gonghui.core.imports import Upload, import_kind, upload_check
from gonghui.core.pages import PermissionPageMixin
from gonghui.core.views_kit import ImportPreviewPageMixin
from gonghui.insurance.forms import OptOutBatchForm
from gonghui.insurance.models import PlanEdition
from gonghui.insurance.services import opt_out_batch as services

PREVIEW_ROWS = 50


def _edition(request, pk) -> PlanEdition:
    return get_object_or_404(PlanEdition.objects.restrict(request.user, "change").select_related("plan"), pk=pk)


class OptOutBatchView(PermissionPageMixin, View):
    permission_required = services.OPT_OUT

    def _page(self, request, edition, form, status=200):
        return render(request, "insurance/opt_out_batch.html", {"edition": edition, "form": form}, status=status)

    def get(self, request, pk):
        return self._page(request, _edition(request, pk), OptOutBatchForm())

    def post(self, request, pk):
        edition = _edition(request, pk)
        form = OptOutBatchForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._page(request, edition, form, status=400)
        data = form.cleaned_data
        upload = data.get("file")
        try:
            if upload:  # refused by name and size before the file is read
                upload_check(kind=import_kind(services.OPT_OUT_KIND), filename=upload.name, size=upload.size)
            preview = services.opt_out_batch_start(
                actor=request.user,
                edition=edition,
                reason=data.get("reason") or "",
                upload=Upload.of(upload) if upload else None,
                text=data.get("text") or "",
            )
        except (ApplicationError, PermissionDenied) as error:
            form.add_error(None, getattr(error, "message", str(error)))
            return self._page(request, edition, form, status=400)
        return redirect("insurance:opt_out_batch_preview", pk=preview.pk)


class _BatchMixin(ImportPreviewPageMixin):
    permission_required = services.OPT_OUT
    import_kind = services.OPT_OUT_KIND
    uploader_only = True


class OptOutBatchPreviewView(_BatchMixin, View):
    def get(self, request, pk):
        preview = self.get_preview(pk)
        unready = self.unready(preview, back_url=reverse("insurance:opt_out_batch", args=[preview.target]))
        if unready is not None:
            return unready
        summary = preview.summary
        sections = [
            {
                "key": outcome,
                "label": OUTCOME_LABELS[outcome],
                "count": summary.get("counts", {}).get(outcome, 0),
                "rows": summary.get("rows", {}).get(outcome, [])[
                    : PREVIEW_ROWS if outcome in ("ready", "skipped") else None
                ],
            }
            for outcome in OUTCOMES
        ]
        return render(
            request,
            "insurance/opt_out_batch_preview.html",
            {
                "preview": preview,
                "edition": services.OptOutBatch.edition(preview),
                "sections": sections,
                "pending": preview.is_pending,
                "ready": summary.get("counts", {}).get("ready", 0),
                "preview_rows": PREVIEW_ROWS,
            },
        )


class OptOutBatchConfirmView(_BatchMixin, View):
    def post(self, request, pk):
        preview = self.get_preview(pk)
        try:
            preview = services.opt_out_batch_confirm(preview=preview, actor=request.user)
        except InvalidTransition as error:
            if preview.job_id is None:
                messages.error(request, error.message)
                return redirect("insurance:opt_out_batch_preview", pk=preview.pk)
            messages.info(request, error.message)
        except (ApplicationError, PermissionDenied) as error:
            messages.error(request, getattr(error, "message", str(error)))
            return redirect("insurance:opt_out_batch_preview", pk=preview.pk)
        return redirect("core:job_detail", pk=preview.job_id)
