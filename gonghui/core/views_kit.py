"""Small pieces that pages of every module repeat: the POST of a form whose work is one service,
a service's refusal shown on a form, a list page's export (logged) and its query string."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.utils import timezone

from gonghui.core.exceptions import ApplicationError
from gonghui.core.history import AuditAction, audit_event_record
from gonghui.core.imports import import_preview_get
from gonghui.core.models import ImportPreview
from gonghui.core.pages import PermissionPageMixin, export_list


def form_refusal(form, error: ApplicationError) -> None:
    """A service's refusal shown on the form: on the field it names when the form has it, else above."""
    field = error.extra.get("field")
    form.add_error(field if field in form.fields else None, str(error.message))


def form_service_post(
    request,
    form,
    perform: Callable[[dict], Any],
    *,
    success: str,
    then: Callable[[Any], HttpResponse],
    refused: Callable[[Any, ApplicationError], None] = form_refusal,
) -> HttpResponse | None:
    """The POST of a form page whose work is one service. With a valid form, `perform(data)` runs;
    a refusal goes on the form (`refused`), else `success` is flashed and the answer is
    `then(result)`, usually a redirect. None means: show the form again, with its errors."""
    if not form.is_valid():
        return None
    try:
        result = perform(form.cleaned_data)
    except ApplicationError as error:
        refused(form, error)
        return None
    messages.success(request, success)
    return then(result)


def list_query(request, *dropped: str) -> str:
    """The list page's query string for its pager links: the filters, without the page number
    (and without any other `dropped` parameter)."""
    query = request.GET.copy()
    for name in ("page", *dropped):
        query.pop(name, None)
    return query.urlencode()


def export_list_logged(request, *, object_type: str, filename: str, columns, rows) -> HttpResponse:
    """A list page's xlsx export, with who exported which filters written to the audit trail."""
    audit_event_record(
        actor=request.user,
        object_type=object_type,
        object_id="list",
        action=AuditAction.EXPORTED,
        message=request.GET.urlencode(),
    )
    return export_list(filename=filename, columns=columns, rows=rows)


def new_password_fields(label, again_label) -> tuple[forms.CharField, forms.CharField]:
    """A new password typed twice, as the form's `password1` and `password2` (browsers offer to
    generate one); `PasswordsMatchMixin` checks they agree."""
    return (
        forms.CharField(label=label, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})),
        forms.CharField(label=again_label, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})),
    )


class PasswordsMatchMixin:
    """A form whose `password1` and `password2` must agree; `mismatch_message` says they do not."""

    mismatch_message = ""

    def clean(self):
        cleaned = super().clean()  # type: ignore[misc]
        if cleaned.get("password1") and cleaned.get("password1") != cleaned.get("password2"):
            raise forms.ValidationError(self.mismatch_message)
        return cleaned


class ImportPreviewPageMixin(PermissionPageMixin):
    """Pages about one upload's preview of `import_kind`: another kind's preview, or one the
    user may not see, is a 404."""

    import_kind = ""

    def get_preview(self, pk) -> ImportPreview:
        try:
            return import_preview_get(actor=self.request.user, pk=pk, kind=self.import_kind)
        except ImportPreview.DoesNotExist:
            raise Http404 from None


def year_asked(request) -> int:
    """The year a yearly page is asked for (`?year=`): this year when missing or not a number."""
    try:
        return int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        return timezone.localdate().year
