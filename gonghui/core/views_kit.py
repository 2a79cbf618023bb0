"""Page shapes the modules' views repeat, written once: a form POST whose work is one service
(`form_service_post`), a button on a record's page (`ButtonPage`), a filtered list with its
logged export (`FilteredListPage`), a yearly report (`YearlyReportPage`), an import preview's
pages, a member's own step, and the new-password pair of the sign-in forms."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views import View

from gonghui.accounts.access import get_access
from gonghui.core.exceptions import ApplicationError, PermissionDenied
from gonghui.core.history import export_record
from gonghui.core.imports import import_preview_get
from gonghui.core.models import ImportPreview
from gonghui.core.pages import PermissionPageMixin, export_list, paginate, render_page_or_partial

if TYPE_CHECKING:
    from gonghui.accounts.models import User


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


def filters_checked(request, form_class: type[forms.Form]) -> dict:
    """The list filters of `request.GET` that `form_class` accepts (set ones only). A value it
    refuses (a word where an id is expected, an unknown status) is left out and the page says
    so, rather than a 500 from the database."""
    form = form_class(request.GET)
    form.is_valid()
    if form.errors:
        names = "、".join(str(form.fields[name].label or name) for name in form.errors if name in form.fields)
        messages.warning(request, gettext("已忽略无效的筛选条件：%(names)s") % {"names": names})
    return {name: value for name, value in form.cleaned_data.items() if value not in (None, "")}


def list_query(request, *dropped: str) -> str:
    """The list page's query string for its pager links: the filters, without the page number
    (and without any other `dropped` parameter)."""
    query = request.GET.copy()
    for name in ("page", *dropped):
        query.pop(name, None)
    return query.urlencode()


@dataclass(frozen=True)
class ListExport:
    """A list page's `?export=xlsx`: the object type its audit row names, the file's name and its
    columns [(header, row -> value)]."""

    object_type: str
    filename: str
    columns: list


class FilteredListPage(PermissionPageMixin, View):
    """A filtered list: paginated with the filters kept in the pager links, its table alone for
    htmx, and `?export=xlsx` for the whole filtered list, with who exported what in the audit trail."""

    templates: tuple[str, str] = ("", "")  # the page, and its table as a partial
    export: ListExport
    estimate_count = False  # a list that reaches a million rows: see EstimatingPaginator

    def rows(self, request):
        raise NotImplementedError

    def extra_context(self, request) -> dict:
        return {}

    def export_response(self, rows) -> HttpResponse:
        """The workbook of the listed rows: the export's columns, unless a page writes its own."""
        return export_list(filename=str(self.export.filename), columns=self.export.columns, rows=rows.iterator(2000))

    def get(self, request):
        rows = self.rows(request)
        if request.GET.get("export") == "xlsx":
            export_record(
                request.user,
                what=gettext("导出%(file)s") % {"file": self.export.filename},
                object_type=self.export.object_type,
                query=request.GET.urlencode(),
            )
            return self.export_response(rows)
        context = {
            "page": paginate(request, rows, estimate_count=self.estimate_count),
            "query": list_query(request),
            **self.extra_context(request),
        }
        return render_page_or_partial(request, *self.templates, context)


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


def import_preview_unready(request, preview: ImportPreview, *, back_url: str) -> HttpResponse | None:
    """The page of a preview that is not ready to show what its file would do: still being
    read by the task worker (the page reloads itself), or refused with its reason (the file
    is gone: upload again from `back_url`). None when the preview is ready."""
    if preview.is_ready:
        if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "import-reading":
            return HttpResponse(headers={"HX-Refresh": "true"})  # read meanwhile: show the preview
        return None
    from gonghui.core.jobs import job_progress

    job = preview.read_job
    done, total = job_progress(job) if job is not None else (0, 0)
    return render(
        request,
        "core/import_reading.html",
        {"preview": preview, "job": job, "done": done, "total": total, "back_url": back_url},
    )


class ImportPreviewPageMixin(PermissionPageMixin):
    """Pages about one upload's preview of `import_kind`: another kind's preview, or one the
    user may not see, is a 404. A preview page calls `unready(preview, back_url)` first."""

    import_kind = ""
    # A preview lists people by name: for a kind that scoped roles use too (a sub-union
    # officer's batch), only whoever uploaded it, or someone who sees everyone, sees it.
    uploader_only = False

    def unready(self, preview: ImportPreview, back_url: str) -> HttpResponse | None:
        return import_preview_unready(self.request, preview, back_url=back_url)

    def get_preview(self, pk) -> ImportPreview:
        try:
            # signed in: PermissionPageMixin has sent anyone else to the login page
            actor = cast("User", self.request.user)
            preview = import_preview_get(actor=actor, pk=pk, kind=self.import_kind)
        except ImportPreview.DoesNotExist:
            raise Http404 from None
        if self.uploader_only and preview.created_by_id != actor.pk and not get_access(actor).sees_everything("view"):
            raise Http404
        return preview


def next_or(request, fallback: str) -> str:
    """The form's `next` page when it is on this site, else `fallback` (no open redirect)."""
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def year_asked(request) -> int:
    """The year a yearly page is asked for (`?year=`): this year when missing, not a number or
    not a calendar year the dates of the database can hold."""
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("year") or this_year)
    except ValueError:
        return this_year
    return year if 1900 <= year <= 9999 else this_year


def years_to_pick(data_years, asked: int | None) -> tuple[int, list[int]]:
    """The year to show and the years to pick from: every year with data, from the earliest;
    without `?year=` the latest of them (this year when there is none yet)."""
    years = sorted(set(data_years))
    year = asked if asked is not None else (years[-1] if years else timezone.localdate().year)
    if not years:
        years = list(range(year - 3, year + 2))
    return year, sorted({*years, year})


class YearlyReportPage(PermissionPageMixin, View):
    """A module's yearly figures: `?year=` (the latest year with data by default) with every
    year that has data to pick from, and `?export=xlsx` for the same figures as a workbook."""

    template_name = ""
    export_filename = ""  # "…%(year)s….xlsx"

    def build(self, user, year: int):
        raise NotImplementedError

    def data_years(self, user) -> list[int]:
        """The years that have figures for `user`."""
        raise NotImplementedError

    def get_context(self, report) -> dict:
        raise NotImplementedError

    def get(self, request):
        asked = year_asked(request) if request.GET.get("year") else None
        year, years = years_to_pick(self.data_years(request.user), asked)
        report = self.build(user=request.user, year=year)
        if request.GET.get("export") == "xlsx":
            return report.xlsx_response(self.export_filename % {"year": year})
        context = {
            **self.get_context(report),
            "year": year,
            "years": years,
            "export_url": f"?year={year}&export=xlsx",
        }
        return render(request, self.template_name, context)


class ButtonPage(PermissionPageMixin, View):
    """A button on a record's page (a small POST form): check its form, if it has one, run one
    service, say how it went and go back to the page. Subclasses say which record
    (`get_object`, from the URL's arguments), which page (`back_url`) and what the button does
    (`act`, returning the success message, if any; a refusal is an ApplicationError)."""

    form_class: type | None = None
    form_invalid = ""  # the error shown when the form does not validate

    def get_object(self, **kwargs):
        raise NotImplementedError

    def back_url(self, obj) -> str:
        raise NotImplementedError

    def act(self, request, obj, data: dict) -> str | None:
        raise NotImplementedError

    def post(self, request, **kwargs):
        obj = self.get_object(**kwargs)
        back = self.back_url(obj)
        data: dict = {}
        if self.form_class is not None:
            form = self.form_class(request.POST, request.FILES)
            if not form.is_valid():
                messages.error(request, self.form_invalid)
                return redirect(back)
            data = form.cleaned_data
        try:
            done = self.act(request, obj, data)
        except ApplicationError as error:
            messages.error(request, str(error.message))
        else:
            if done:
                messages.success(request, done)
        return redirect(back)


def form_errors_flash(request, form) -> None:
    """Each invalid field's first error as a message, led by the field's label: the form of a
    button posts to another page and comes back, so its errors travel as messages."""
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        messages.error(request, f"{label}：{errors[0]}" if label else errors[0])


class RecordAction(LoginRequiredMixin, View):
    """A button or small form on a record's page: `act` runs one service and returns the
    success message (or None); a form's error or a refusal (ApplicationError) is an error
    message on the page it came from (`next`, else `back`), and nothing is written. A step the
    user may not take on a record they can see is a 404, as a record outside their scope.

    Subclasses say which record (`target(request, pk)`, a 404 when out of scope), which page
    (`back(obj)`), the form's extra arguments (`form_kwargs(obj)`) and what the button does."""

    form_class: type | None = None

    def target(self, request, pk):
        raise NotImplementedError

    def back(self, obj) -> str:
        raise NotImplementedError

    def form_kwargs(self, obj) -> dict:
        return {}

    def act(self, request, obj, data: dict) -> str | None:
        raise NotImplementedError

    def post(self, request, pk):
        obj = self.target(request, pk)
        back = next_or(request, self.back(obj))
        data: dict = {}
        if self.form_class is not None:
            form = self.form_class(request.POST, request.FILES, **self.form_kwargs(obj))
            if not form.is_valid():
                form_errors_flash(request, form)
                return redirect(back)
            data = form.cleaned_data
        try:
            done = self.act(request, obj, data)
        except PermissionDenied:
            raise Http404 from None
        except ApplicationError as error:
            messages.error(request, str(error.message))
        else:
            if done:
                messages.success(request, done)
        return redirect(back)


def staff_columns(person_of: Callable) -> list[tuple[str, Callable]]:
    """Export columns that say which member of staff a row is about (`person_of(row)`): staff
    number, name, sub-union and employment status, in that order."""
    return [
        (gettext("工号"), lambda row: person_of(row).staff_no),
        (gettext("姓名"), lambda row: person_of(row).name),
        (gettext("分工会"), lambda row: person_of(row).sub_union.name),
        (gettext("人员状态"), lambda row: person_of(row).get_employment_status_display()),
    ]


def own_step(request, perform: Callable[[], object], done: str) -> None:
    """A step on a record the user can see but may not be the one to change (a registration, a
    booking): not theirs is a 404, a refusal an error message, else `done` as a success."""
    try:
        perform()
    except PermissionDenied:
        raise Http404 from None
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
