"""Teacher profiles (教师档案): the list of teachers with their profiles (the office: everyone; a
college's officer: their college's people), a profile's form, and HR's spreadsheet through
core's import kit (upload → preview → confirm once). Views are thin: forms check fields,
`services.profiles` decides, `selectors.profiles` reads."""

from __future__ import annotations

from functools import partial
from typing import cast

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from gonghui.core.excel import xlsx_file_response
from gonghui.core.exceptions import ApplicationError, InvalidTransition
from gonghui.core.imports import import_confirm, import_kind, import_start, upload_read
from gonghui.core.models import ImportPreview, ImportStatus
from gonghui.core.pages import PermissionPageMixin
from gonghui.core.views_kit import FilteredListPage, ImportPreviewPageMixin, ListExport, filters_checked
from gonghui.core.views_kit import form_service_post as service_post
from gonghui.mentorship.forms_profiles import ProfileFilterForm, ProfileForm, ProfileUploadForm
from gonghui.mentorship.models import TeacherProfile
from gonghui.mentorship.selectors.profiles import disciplines, profile_list, teacher_people
from gonghui.mentorship.services import profiles as services

VIEW = "mentorship.view_teacherprofile"


def _profile(person):
    """The person's profile, or None (the list's rows carry it, joined)."""
    try:
        return person.teacher_profile
    except TeacherProfile.DoesNotExist:
        return None


def _field(name):
    def value(person):
        profile = _profile(person)
        return getattr(profile, name) if profile is not None else None

    return value


def _rank(person):
    profile = _profile(person)
    return profile.get_title_rank_display() if profile is not None else None


class ProfileListView(FilteredListPage):
    """Teachers and their profiles: search by name or staff number, filters by title rank,
    discipline and a missing profile; the export has the import's columns (it reads back)."""

    permission_required = VIEW
    templates = ("mentorship/profiles/list.html", "mentorship/profiles/_table.html")
    export = ListExport(
        "mentorship.teacherprofile",
        gettext_lazy("教师档案.xlsx"),
        columns=[
            (gettext_lazy("工号"), lambda p: p.staff_no),
            (gettext_lazy("姓名"), lambda p: p.name),
            (gettext_lazy("分工会"), lambda p: p.sub_union.name),
            (gettext_lazy("职称"), _field("title")),
            (gettext_lazy("职称级别"), _rank),
            (gettext_lazy("学科"), _field("discipline")),
            (gettext_lazy("研究方向"), _field("research_field")),
            (gettext_lazy("校区"), _field("campus")),
            (gettext_lazy("入职日期"), _field("hired_on")),
            (gettext_lazy("从事教学工作起始日期"), _field("teaching_since")),
        ],
    )

    def _form_class(self, request) -> type[forms.Form]:
        """The filter form, its disciplines those of the profiles the user sees (read once)."""
        if not hasattr(self, "_disciplines"):
            self._disciplines = disciplines(request.user)
        return cast("type[forms.Form]", partial(ProfileFilterForm, disciplines=self._disciplines))

    def rows(self, request):
        # an unknown rank or discipline is left out, and the page says so
        return profile_list(user=request.user, filters=filters_checked(request, self._form_class(request)))

    def extra_context(self, request) -> dict:
        return {
            "filter_form": self._form_class(request)(request.GET),
            "can_import": request.user.has_perm(services.IMPORT),
            "can_edit": request.user.has_perm(services.CHANGE),
        }


class ProfileEditView(PermissionPageMixin, View):
    """A teacher's profile: the office edits anyone's, a college's officer their college's
    (anyone else's is not there: 404)."""

    permission_required = services.CHANGE

    def _person(self, request, pk):
        people = teacher_people(request.user, "change").select_related("sub_union", "teacher_profile")
        return get_object_or_404(people, pk=pk)

    def _page(self, request, person, form, status=200):
        return render(
            request,
            "mentorship/profiles/edit.html",
            {"person": person, "profile": _profile(person), "form": form},
            status=status,
        )

    def get(self, request, pk):
        person = self._person(request, pk)
        profile = _profile(person)
        initial = {}
        if profile is not None:
            initial = {name: getattr(profile, name) for name in services.FIELDS}
        return self._page(request, person, ProfileForm(initial=initial))

    def post(self, request, pk):
        person = self._person(request, pk)
        form = ProfileForm(request.POST)
        answer = service_post(
            request,
            form,
            lambda data: services.profile_save(actor=request.user, person=person, **data),
            success=_("已保存%(name)s的教师档案。") % {"name": person.name},
            then=lambda _profile: redirect(reverse("mentorship:profiles") + f"?q={person.staff_no}"),
        )
        return answer or self._page(request, person, form, status=400)


# --- the import -----------------------------------------------------------------------------------


def _upload_page(request, form, status=200):
    recent = (
        ImportPreview.objects.filter(kind=services.PROFILE_KIND)
        .select_related("created_by")
        .order_by("-created_at", "-pk")[:10]
    )
    return render(
        request,
        "mentorship/profiles/import.html",
        {
            "form": form,
            "required_headers": [services.header_label("staff_no")],
            "optional_headers": [spellings[0] for key, spellings in services.HEADERS.items() if key != "staff_no"],
            "recent": recent,
        },
        status=status,
    )


class ProfileImportView(PermissionPageMixin, View):
    """The upload form with the columns it reads, and the recent imports."""

    permission_required = services.IMPORT

    def get(self, request):
        return _upload_page(request, ProfileUploadForm())

    def post(self, request):
        form = ProfileUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return _upload_page(request, form, status=400)
        try:
            # refused by name and size before it is read; a large file is read by the worker
            upload = upload_read(services.PROFILE_KIND, form.cleaned_data["file"])
            preview = import_start(services.PROFILE_KIND, actor=request.user, upload=upload)
        except ApplicationError as error:
            form.add_error("file", error.message)
            return _upload_page(request, form, status=400)
        return redirect("mentorship:profile_preview", pk=preview.pk)


class ProfileTemplateView(PermissionPageMixin, View):
    """The empty list to fill in: the import's columns, 工号 as text."""

    permission_required = services.IMPORT

    def get(self, request):
        return xlsx_file_response(_("教师档案导入模板.xlsx"), services.template_xlsx())


class _PreviewMixin(ImportPreviewPageMixin):
    permission_required = services.IMPORT
    import_kind = services.PROFILE_KIND


SECTIONS = (
    ("new", gettext_lazy("新增")),
    ("changed", gettext_lazy("变更")),
    ("unchanged", gettext_lazy("未变")),
    ("invalid", gettext_lazy("无效（不导入）")),
)


class ProfilePreviewView(_PreviewMixin, View):
    """What the file would do: counts by outcome, the new and changed rows, every invalid row
    with its reasons; confirm once (or the result, once confirmed)."""

    def get(self, request, pk):
        preview = self.get_preview(pk)
        if unready := self.unready(preview, reverse("mentorship:profile_import")):
            return unready
        summary = preview.summary
        counts = summary.get("counts", {})
        sections = [
            {"key": key, "label": label, "count": counts.get(key, 0), "rows": summary.get(key, [])}
            for key, label in SECTIONS
        ]
        return render(
            request,
            "mentorship/profiles/preview.html",
            {
                "preview": preview,
                "summary": summary,
                "sections": sections,
                "preview_rows": services.PREVIEW_LIMIT,
                "pending": preview.is_pending,
                "confirmed": preview.status == ImportStatus.CONFIRMED,
                "outcome": preview.result,
                "problem": import_kind(services.PROFILE_KIND).confirmable(preview) if preview.is_pending else "",
            },
        )


class ProfileConfirmView(_PreviewMixin, View):
    """Confirm once: the profiles are written at once; a second confirmation writes nothing."""

    def post(self, request, pk):
        preview = self.get_preview(pk)
        try:
            preview = import_confirm(preview, actor=request.user)
        except InvalidTransition as error:
            messages.info(request, error.message)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            result = preview.result or {}
            messages.success(
                request,
                _("已导入教师档案：新增 %(new)s，变更 %(changed)s。")
                % {"new": result.get("new", 0), "changed": result.get("changed", 0)},
            )
        return redirect("mentorship:profile_preview", pk=preview.pk)
