"""Download through the access-checked queryset; upload endpoint for the htmx partial."""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views import View

from gonghui.attachments.forms import AttachmentUploadForm
from gonghui.attachments.selectors import attachment_list
from gonghui.attachments.services import attachment_download_record, attachment_upload
from gonghui.core.exceptions import ApplicationError, PermissionDenied
from gonghui.core.pages import MemberPageMixin
from gonghui.people.models import Person


class AttachmentDownloadView(MemberPageMixin, View):
    """Serves the file to those who may see it; anyone else gets 404 (not 403: the
    attachment's existence is not revealed)."""

    def get(self, request, pk):
        attachment = get_object_or_404(attachment_list(user=request.user), pk=pk)
        try:
            handle = attachment.file.open("rb")
        except FileNotFoundError as exc:
            raise Http404 from exc
        attachment_download_record(attachment=attachment, user=request.user)
        response = FileResponse(
            handle, as_attachment=True, filename=attachment.original_name, content_type=attachment.content_type
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response


class AttachmentUploadView(MemberPageMixin, View):
    """POST from templates/attachments/partials/_upload.html. Success: 201 with the stored
    attachment's row. Refusal: the message, 400 — 403 when the uploader's roles do not upload
    this purpose (htmx: 200 retargeted at the form's error slot, since htmx does not swap error
    responses)."""

    def post(self, request):
        form = AttachmentUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._error(request, _("请选择要上传的文件"))
        owner_person = None
        if form.cleaned_data["owner_person"]:
            owner_person = (
                Person.objects.restrict(request.user, "view").filter(pk=form.cleaned_data["owner_person"]).first()
            )
            if owner_person is None:
                raise Http404
        try:
            attachment = attachment_upload(
                uploaded_file=form.cleaned_data["file"],
                uploaded_by=request.user,
                owner_person=owner_person,
                purpose=form.cleaned_data["purpose"] or "",
            )
        except ApplicationError as exc:
            return self._error(request, exc.message)
        except PermissionDenied as exc:
            return self._error(request, str(exc) or _("您不能上传这个附件"), status=403)
        return render(request, "attachments/partials/_attachment_row.html", {"attachment": attachment}, status=201)

    def _error(self, request, message, status=400):
        # The partial's form has an id; its error slot is "<form id>-errors".
        trigger = request.htmx.trigger if request.htmx else None
        status = 200 if trigger else status
        response = render(request, "attachments/partials/_upload_error.html", {"message": message}, status=status)
        if trigger:
            response["HX-Retarget"] = f"#{trigger}-errors"
            response["HX-Reswap"] = "innerHTML"
        return response
