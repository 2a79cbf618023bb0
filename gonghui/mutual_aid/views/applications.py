"""Subsidy application pages: the member's (apply, edit, follow), the proxy start for
sub-union officers, and the back office's list, detail and checks. Views are thin: forms
parse, services decide, selectors read through restrict()."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from gonghui.accounts.access import get_access
from gonghui.core.exceptions import ApplicationError
from gonghui.core.pages import MemberPageMixin, PermissionPageMixin
from gonghui.core.views_kit import FilteredListPage, ListExport, form_service_post, staff_columns
from gonghui.core.workflow import available_steps
from gonghui.mutual_aid.choices import ApplicationKind, ApplicationStatus
from gonghui.mutual_aid.forms.applications import (
    ApplyStartForm,
    CheckForm,
    CostItemForm,
    DetailsForm,
    DocumentUploadForm,
    ProxyStartForm,
    ReturnForm,
)
from gonghui.mutual_aid.models import ApplicationDocument, CostItem, SubsidyApplication
from gonghui.mutual_aid.selectors import applications as selectors
from gonghui.mutual_aid.services import applications as services
from gonghui.mutual_aid.workflow import ApplicationWorkflow
from gonghui.people.choices import EmploymentStatus
from gonghui.people.models import SubUnion


def _application_or_404(request, pk, action="view"):
    try:
        return selectors.application_get(user=request.user, pk=pk, action=action)
    except SubsidyApplication.DoesNotExist:
        raise Http404 from None


def _refusal(request, error: ApplicationError):
    messages.error(request, error.message)


# --- member: start, follow ---------------------------------------------------------------


class ApplyStartView(MemberPageMixin, View):
    """申请补助: for last year's costs, while the edition's window is open."""

    def _context(self, request, form):
        cost_year = selectors.open_cost_year()
        edition = selectors.edition_for_cost_year(cost_year)
        return {
            "form": form,
            "cost_year": cost_year,
            "edition": edition,
            "window_open": selectors.application_window_open(edition),
            "person": request.user.person,
        }

    def get(self, request):
        return render(request, "mutual_aid/applications/apply_start.html", self._context(request, ApplyStartForm()))

    def post(self, request):
        if request.user.person is None:
            raise Http404
        form = ApplyStartForm(request.POST)
        if form.is_valid():
            try:
                application = services.application_create_draft(
                    actor=request.user, person=request.user.person, kind=form.cleaned_data["kind"]
                )
            except ApplicationError as error:
                form.add_error(None, error.message)
            else:
                return redirect("mutual_aid:application_edit", application.pk)
        return render(request, "mutual_aid/applications/apply_start.html", self._context(request, form), status=400)


class MyApplicationListView(MemberPageMixin, View):
    """The member's applications; `?status=` narrows them to one status (the workbench's
    "returned for more documents" links here)."""

    def get(self, request):
        status = request.GET.get("status", "")
        return render(
            request,
            "mutual_aid/applications/my_list.html",
            {"applications": selectors.my_applications(user=request.user, status=status)},
        )


class MyApplicationDetailView(MemberPageMixin, View):
    def get(self, request, pk):
        application = get_object_or_404(selectors.my_applications(user=request.user), pk=pk)
        return render(
            request,
            "mutual_aid/applications/my_detail.html",
            {
                "application": application,
                "checklist": selectors.document_checklist(application=application),
                "editable": application.status in selectors.EDITABLE_STATUSES,
            },
        )


# --- the editor (applicant, their sub-union officer, the office) -----------------------------


class EditorMixin(MemberPageMixin):
    """The application comes from the user's change scope: the applicant, the officer of
    their sub-union, the office. Anyone else (committee, auditors, other members) gets 404."""

    def get_application(self, pk):
        return _application_or_404(self.request, pk, action="change")

    def back_to_editor(self, application):
        return redirect("mutual_aid:application_edit", application.pk)

    def remove_own(self, pk, model, record_pk, remove):
        """Remove one of the application's own records (`remove(record)` is the service; its
        refusal is shown) and go back to the editor."""
        application = self.get_application(pk)
        record = get_object_or_404(model, pk=record_pk, application=application)
        try:
            remove(record)
        except ApplicationError as error:
            _refusal(self.request, error)
        return self.back_to_editor(application)


def editor_context(request, application, *, item_form=None, details_form=None):
    items = list(application.cost_items.all())
    subsidy, working = selectors.subsidy_preview(application=application, items=items)
    own = get_access(request.user).person_id == application.person_id
    return {
        "application": application,
        "items": items,
        "item_form": item_form or CostItemForm(),
        "details_form": details_form
        or DetailsForm(edition=application.edition, initial={"disease_category": application.disease_category_id}),
        "checklist": selectors.document_checklist(application=application),
        "upload_form": DocumentUploadForm(),
        "subsidy": subsidy,
        "working": working,
        "editable": application.status in selectors.EDITABLE_STATUSES,
        "own": own,
        "back_url": reverse("mutual_aid:my_application_detail", args=[application.pk])
        if own
        else reverse("mutual_aid:application_detail", args=[application.pk]),
    }


class ApplicationEditView(EditorMixin, View):
    def get(self, request, pk):
        application = self.get_application(pk)
        return render(request, "mutual_aid/applications/editor.html", editor_context(request, application))


class ApplicationPreviewView(EditorMixin, View):
    """htmx: the cost-item form posts here on every change; returns the working for the saved
    items plus the row being typed (when it parses), and that row's problems."""

    def post(self, request, pk):
        application = self.get_application(pk)
        items = list(application.cost_items.all())
        form = CostItemForm(request.POST)
        problems = []
        if form.is_valid():
            candidate = CostItem(
                application=application,
                **{
                    **form.cleaned_data,
                    "paid_by_insurance": form.cleaned_data["paid_by_insurance"] or 0,
                    "second_reimbursement": form.cleaned_data["second_reimbursement"] or 0,
                },
            )
            problems = [
                message for _field, message in services.cost_item_problems(application=application, item=candidate)
            ]
            if not problems:
                items.append(candidate)
        subsidy, working = selectors.subsidy_preview(application=application, items=items)
        return render(
            request,
            "mutual_aid/applications/partials/_working.html",
            {"subsidy": subsidy, "working": working, "problems": problems, "preview": True},
        )


class CostItemAddView(EditorMixin, View):
    def post(self, request, pk):
        application = self.get_application(pk)
        form = CostItemForm(request.POST)
        done = form_service_post(
            request,
            form,
            lambda data: services.cost_item_add(actor=request.user, application=application, **data),
            success=_("已添加费用"),
            then=lambda _result: self.back_to_editor(application),
        )
        return done or render(
            request,
            "mutual_aid/applications/editor.html",
            editor_context(request, application, item_form=form),
            status=400,
        )


class CostItemEditView(EditorMixin, View):
    def _item(self, application, item_pk):
        return get_object_or_404(CostItem, pk=item_pk, application=application)

    def get(self, request, pk, item_pk):
        application = self.get_application(pk)
        item = self._item(application, item_pk)
        return render(
            request,
            "mutual_aid/applications/item_form.html",
            {"application": application, "item": item, "form": CostItemForm(instance=item)},
        )

    def post(self, request, pk, item_pk):
        application = self.get_application(pk)
        item = self._item(application, item_pk)
        form = CostItemForm(request.POST)
        done = form_service_post(
            request,
            form,
            lambda data: services.cost_item_update(actor=request.user, item=item, **data),
            success=_("已保存"),
            then=lambda _result: self.back_to_editor(application),
        )
        return done or render(
            request,
            "mutual_aid/applications/item_form.html",
            {"application": application, "item": item, "form": form},
            status=400,
        )


class CostItemRemoveView(EditorMixin, View):
    def post(self, request, pk, item_pk):
        return self.remove_own(
            pk, CostItem, item_pk, lambda item: services.cost_item_remove(actor=request.user, item=item)
        )


class ApplicationDetailsView(EditorMixin, View):
    def post(self, request, pk):
        application = self.get_application(pk)
        form = DetailsForm(request.POST, edition=application.edition)
        if form.is_valid():
            try:
                services.application_details_update(
                    actor=request.user,
                    application=application,
                    disease_category=form.cleaned_data["disease_category"],
                )
            except ApplicationError as error:
                _refusal(request, error)
            else:
                messages.success(request, _("已保存"))
        return self.back_to_editor(application)


class DocumentUploadView(EditorMixin, View):
    def post(self, request, pk, required_pk):
        application = self.get_application(pk)
        required = get_object_or_404(application.edition.required_documents, pk=required_pk, kind=application.kind)
        form = DocumentUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            messages.error(request, _("请选择要上传的照片或 PDF"))
        else:
            try:
                services.document_attach(
                    actor=request.user,
                    application=application,
                    required_document=required,
                    uploaded_file=form.cleaned_data["file"],
                )
            except ApplicationError as error:
                _refusal(request, error)
            else:
                messages.success(request, _("已上传：%(name)s") % {"name": required.name})
        return self.back_to_editor(application)


class DocumentRemoveView(EditorMixin, View):
    def post(self, request, pk, document_pk):
        return self.remove_own(
            pk, ApplicationDocument, document_pk, lambda doc: services.document_remove(actor=request.user, document=doc)
        )


class ApplicationSubmitView(EditorMixin, View):
    def post(self, request, pk):
        application = self.get_application(pk)
        try:
            services.application_submit(actor=request.user, application=application)
        except ApplicationError as error:
            _refusal(request, error)
            return self.back_to_editor(application)
        messages.success(request, _("申请已提交"))
        if get_access(request.user).person_id == application.person_id:
            return redirect("mutual_aid:my_application_detail", application.pk)
        return redirect("mutual_aid:application_detail", application.pk)


class ApplicationWithdrawView(MemberPageMixin, View):
    def post(self, request, pk):
        application = get_object_or_404(selectors.my_applications(user=request.user), pk=pk)
        try:
            services.application_withdraw(actor=request.user, application=application)
        except ApplicationError as error:
            _refusal(request, error)
        else:
            messages.success(request, _("申请已撤回"))
        return redirect("mutual_aid:my_application_detail", application.pk)


# --- proxy -----------------------------------------------------------------------------


class ProxyStartView(PermissionPageMixin, View):
    """A sub-union officer (or the retirees' office) picks one of their people and starts an
    application for them; a relative can be recorded as the submitter."""

    permission_required = "mutual_aid.add_subsidyapplication"

    def _context(self, request, form):
        search = request.GET.get("q", "")
        cost_year = selectors.open_cost_year()
        edition = selectors.edition_for_cost_year(cost_year)
        people = selectors.people_for_proxy(user=request.user, search=search)[:20] if search else []
        return {
            "form": form,
            "q": search,
            "people": people,
            "cost_year": cost_year,
            "edition": edition,
            "window_open": selectors.application_window_open(edition),
        }

    def get(self, request):
        template = "mutual_aid/applications/proxy_start.html"
        if request.htmx and request.GET.get("q") is not None:
            template = "mutual_aid/applications/partials/_proxy_people.html"
        return render(request, template, self._context(request, ProxyStartForm()))

    def post(self, request):
        form = ProxyStartForm(request.POST)
        if form.is_valid():
            person = selectors.people_for_proxy(user=request.user).filter(pk=form.cleaned_data["person"]).first()
            if person is None:
                raise Http404
            try:
                application = services.application_create_draft(
                    actor=request.user,
                    person=person,
                    kind=form.cleaned_data["kind"],
                    submitter_relation=form.cleaned_data["submitter_relation"],
                    relative_name=form.cleaned_data["relative_name"],
                    relative_phone=form.cleaned_data["relative_phone"],
                )
            except PermissionDenied:
                raise
            except ApplicationError as error:
                form.add_error(None, error.message)
            else:
                return redirect("mutual_aid:application_edit", application.pk)
        return render(request, "mutual_aid/applications/proxy_start.html", self._context(request, form), status=400)


# --- back office -------------------------------------------------------------------------

EXPORT_COLUMNS = [
    (_("编号"), lambda a: a.pk),
    (_("费用年度"), lambda a: a.cost_year),
    *staff_columns(lambda a: a.person),
    (_("申请类型"), lambda a: a.get_kind_display()),
    (_("状态"), lambda a: a.get_status_display()),
    (_("提交方式"), lambda a: a.get_submitter_relation_display()),
    (_("提交时间"), lambda a: a.submitted_at.replace(tzinfo=None) if a.submitted_at else ""),
    (_("测算补助"), lambda a: a.computed_subsidy),
    (_("核定补助"), lambda a: a.approved_amount if a.approved_amount is not None else ""),
]


class ApplicationListView(FilteredListPage):
    permission_required = "mutual_aid.view_subsidyapplication"
    templates = ("mutual_aid/applications/list.html", "mutual_aid/applications/partials/_table.html")
    export = ListExport("mutual_aid.subsidyapplication", gettext_lazy("补助申请.xlsx"), EXPORT_COLUMNS)

    def rows(self, request):
        self.filters = request.GET.copy()
        self.filters.setdefault("cost_year", str(selectors.open_cost_year()))
        return selectors.application_list(user=request.user, filters=self.filters)

    def extra_context(self, request):
        return {
            "filters": self.filters,
            "statuses": ApplicationStatus.choices,
            "kinds": ApplicationKind.choices,
            "employment_statuses": [
                (EmploymentStatus.ACTIVE, EmploymentStatus.ACTIVE.label),
                (EmploymentStatus.RETIRED, EmploymentStatus.RETIRED.label),
            ],
            "sub_unions": SubUnion.objects.current().restrict(request.user),
        }


def _actions_for(user, application) -> dict:
    """The buttons of the back office's detail page: the workflow steps the user may take."""
    names = {step.name for step in available_steps(ApplicationWorkflow, application, user)}
    return {
        "sub_union_check": "sub_union_check" in names,
        "office_check": "office_check" in names,
        "return": bool(names & {"return", "office_return"}),
        "edit": "submit" in names,
    }


class ApplicationDetailView(PermissionPageMixin, View):
    permission_required = "mutual_aid.view_subsidyapplication"

    def get(self, request, pk):
        application = _application_or_404(request, pk)
        return render(
            request,
            "mutual_aid/applications/detail.html",
            {
                "application": application,
                "checklist": selectors.document_checklist(application=application),
                "actions": _actions_for(request.user, application),
                "return_form": ReturnForm(),
                "check_form": CheckForm(),
            },
        )


class CheckActionView(PermissionPageMixin, View):
    permission_required = "mutual_aid.check_subsidyapplication"
    form_class = CheckForm

    def perform(self, application, data):
        raise NotImplementedError

    def post(self, request, pk):
        application = _application_or_404(request, pk, action="change")
        form = self.form_class(request.POST)
        if not form.is_valid():
            messages.error(request, _("请填写说明"))
        else:
            try:
                self.perform(application, form.cleaned_data)
            except ApplicationError as error:
                _refusal(request, error)
            else:
                messages.success(request, _("已办理"))
        return redirect("mutual_aid:application_detail", application.pk)


class SubUnionCheckView(CheckActionView):
    def perform(self, application, data):
        services.application_sub_union_check(actor=self.request.user, application=application, message=data["message"])


class OfficeCheckView(CheckActionView):
    def perform(self, application, data):
        services.application_office_check(actor=self.request.user, application=application, message=data["message"])


class ReturnView(CheckActionView):
    form_class = ReturnForm

    def perform(self, application, data):
        services.application_return(actor=self.request.user, application=application, message=data["message"])
