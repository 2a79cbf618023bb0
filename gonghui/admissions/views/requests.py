"""Requests for a place (入学申请): a campaign's requests by status, sub-union and batch, the
children's names masked, with the list's .xlsx; a request's page (its course, the child and
the school, the documents with their check-off, the buttons of whoever may act: the parent
uploads and submits or withdraws, the sub-union's officer checks or returns, the admissions
officer refers and records the school's answer, and the history); and the import of a
school's answer list through core's import kit (upload → preview → confirm once).

Every row comes through the scoped querysets: the parent's own, a sub-union officer's
people's, the admissions officer's all; anything else is a 404."""

from __future__ import annotations

from functools import partial
from typing import cast

from django import forms as django_forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views import View

from gonghui.accounts.access import get_access
from gonghui.admissions import forms
from gonghui.admissions.choices import AnswerSource, CampaignStatus, RequestStatus
from gonghui.admissions.models import AdmissionRequest, Campaign, RequestDocument
from gonghui.admissions.selectors.requests import documents_missing, documents_offered, request_list
from gonghui.admissions.services import answers as answer_services
from gonghui.admissions.services import requests as request_services
from gonghui.admissions.views.common import Action, campaign_or_404, is_admissions, masked, request_or_404
from gonghui.admissions.workflow import AdmissionRequestWorkflow
from gonghui.core.exceptions import ApplicationError, InvalidTransition
from gonghui.core.imports import import_confirm, import_kind, upload_read
from gonghui.core.models import ImportPreview, ImportStatus
from gonghui.core.pages import PermissionPageMixin
from gonghui.core.views_kit import FilteredListPage, ImportPreviewPageMixin, ListExport, filters_checked
from gonghui.people.models import SubUnion

VIEW = "admissions.view_admissionrequest"


def _sub_unions(user):
    access = get_access(user)
    rows = SubUnion.objects.filter(parent__isnull=True).order_by("code")
    if is_admissions(user):
        return rows
    return rows.filter(pk__in=access.sub_union_ids)


EXPORT_COLUMNS = [
    (gettext_lazy("申请编号"), lambda r: r.number),
    (pgettext_lazy("admissions", "子女"), lambda r: masked(r.child.name)),
    (gettext_lazy("出生日期"), lambda r: r.child.birth_date),
    (gettext_lazy("学段"), lambda r: r.get_stage_display()),
    (gettext_lazy("教职工工号"), lambda r: r.parent.staff_no),
    (gettext_lazy("教职工"), lambda r: r.parent.name),
    (gettext_lazy("分工会"), lambda r: r.parent.sub_union.name),
    (gettext_lazy("人员类别"), lambda r: r.employment_category),
    (gettext_lazy("批次"), lambda r: r.batch_label),
    (gettext_lazy("意向学校"), lambda r: r.school.name),
    (gettext_lazy("备选学校"), lambda r: r.alternative.name if r.alternative_id else ""),
    (gettext_lazy("户口所在区"), lambda r: r.hukou_district),
    (gettext_lazy("住房情况"), lambda r: r.get_housing_display()),
    (gettext_lazy("状态"), lambda r: r.get_status_display()),
    (gettext_lazy("录取学校"), lambda r: r.placed_school.name if r.placed_school_id else ""),
]


class RequestListView(FilteredListPage):
    """A campaign's requests (`?status=`, `?sub_union=`, `?batch=`), the names masked; the
    export has the same columns (names masked too; formulas neutralised by core's workbook)."""

    permission_required = VIEW
    templates = ("admissions/requests/list.html", "admissions/requests/_table.html")
    export = ListExport("admissions.admissionrequest", cast(str, gettext_lazy("入学申请.xlsx")), columns=EXPORT_COLUMNS)

    def _form_class(self, request) -> type[django_forms.Form]:
        return cast("type[django_forms.Form]", partial(forms.RequestFilterForm, sub_unions=_sub_unions(request.user)))

    def get(self, request, pk=None):
        self.campaign = campaign_or_404(request.user, pk)
        return super().get(request)

    def rows(self, request):
        filters = filters_checked(request, self._form_class(request))
        rows = request_list(
            user=request.user,
            campaign=self.campaign,
            status=filters.get("status") or None,
            sub_union=filters.get("sub_union"),
        )
        if filters.get("batch"):
            rows = rows.filter(batch_position=filters["batch"])
        return rows.select_related("child", "parent__sub_union", "school", "alternative", "placed_school")

    def extra_context(self, request) -> dict:
        return {
            "campaign": self.campaign,
            "filter_form": self._form_class(request)(request.GET),
            "export_query": request.GET.urlencode(),
        }


class RequestDetailView(View):
    """A request, for whoever may see it (the parent, their sub-union's officer, the
    admissions officer)."""

    def get(self, request, pk):
        if not request.user.is_authenticated:
            return redirect(f"{reverse('accounts:login')}?next={request.path}")
        obj = request_or_404(request.user, pk)
        return render(request, "admissions/requests/detail.html", request_context(request, obj))


def request_context(request, obj: AdmissionRequest) -> dict:
    user = request.user
    relations = AdmissionRequestWorkflow.actor_relations(obj, user)
    parent = "parent" in relations
    checker = bool(relations & {"sub_union", "admissions"})
    documents = {d.code: d for d in obj.documents.select_related("attachment", "checked_by")}
    checklist = []
    for rule in documents_offered(obj):
        checklist.append({"rule": rule, "document": documents.get(rule.code)})
    draft = obj.status == RequestStatus.DRAFT
    submitted = obj.status == RequestStatus.SUBMITTED
    return {
        "r": obj,
        "child_name": obj.child.name if (parent or checker) else masked(obj.child.name),
        "relations": relations,
        "is_parent": parent,
        "checklist": checklist,
        "missing": documents_missing(obj) if draft else [],
        "may_upload": draft and (parent or checker),
        "may_submit": draft and bool(relations & {"parent", "sub_union", "admissions"}),
        "may_check_off": submitted and checker,
        "may_check": submitted and checker,
        "may_return": obj.status in (RequestStatus.SUBMITTED, RequestStatus.CHECKED) and checker,
        "may_refer": obj.status == RequestStatus.CHECKED and "admissions" in relations,
        "may_answer": obj.status == RequestStatus.REFERRED and "admissions" in relations,
        "may_withdraw": obj.status in (RequestStatus.DRAFT, RequestStatus.SUBMITTED, RequestStatus.CHECKED)
        and bool(relations & {"parent", "admissions"}),
        "upload_form": forms.DocumentUploadForm(),
        "answer_form": forms.AnswerForm(),
        "events": list(obj.events.select_related("actor__person").order_by("at", "pk")),
    }


class RequestAction(Action):
    model = AdmissionRequest

    def target(self, request, pk):
        return request_or_404(request.user, pk)

    def back(self, obj) -> str:
        return reverse("admissions:request", args=[obj.pk])


class SubmitView(RequestAction):
    def act(self, request, obj, data):
        done = request_services.request_submit(actor=request.user, request=obj)
        if done.status == RequestStatus.SELF_ARRANGED:
            messages.warning(request, _("申请已过截止日期，按规定视为自行解决。"))
            return None
        return _("申请已提交，等待分工会审核。")


class CheckView(RequestAction):
    def act(self, request, obj, data):
        request_services.request_check(actor=request.user, request=obj)
        return _("已审核通过，等待校工会报送学校。")


class ReturnView(RequestAction):
    form_class = forms.ReasonForm

    def act(self, request, obj, data):
        request_services.request_return(actor=request.user, request=obj, reason=data["reason"])
        return _("已退回家长修改。")


class ReferView(RequestAction):
    def act(self, request, obj, data):
        request_services.request_refer(actor=request.user, request=obj)
        return _("已报送学校。")


class AnswerView(RequestAction):
    form_class = forms.AnswerForm

    def act(self, request, obj, data):
        request_services.request_answer(
            actor=request.user, request=obj, placed=data["placed"], note=data["note"], source=AnswerSource.MANUAL
        )
        return _("已登记学校答复：%(answer)s。") % {"answer": _("录取") if data["placed"] else _("未录取")}


class WithdrawView(RequestAction):
    def act(self, request, obj, data):
        request_services.request_withdraw(actor=request.user, request=obj)
        return _("申请已撤回。")


class DocumentUploadView(RequestAction):
    form_class = forms.DocumentUploadForm

    def act(self, request, obj, data):
        document = request_services.document_upload(
            actor=request.user, request=obj, code=data["code"], uploaded_file=data["file"]
        )
        return _("已上传：%(label)s。") % {"label": document.label}


class DocumentCheckView(Action):
    """Tick (or untick) a document as checked against the original."""

    model = RequestDocument
    form_class = forms.DocumentCheckForm

    def target(self, request, pk):
        return get_object_or_404(RequestDocument.objects.restrict(request.user).select_related("request"), pk=pk)

    def back(self, obj) -> str:
        return f"{reverse('admissions:request', args=[obj.request_id])}#documents"

    def act(self, request, obj, data):
        request_services.document_check(actor=request.user, document=obj, checked=data["checked"])
        if data["checked"]:
            return _("已核对：%(label)s。") % {"label": obj.label}
        return _("已取消核对：%(label)s。") % {"label": obj.label}


# --- the schools' answers, imported ---------------------------------------------------------


def _upload_page(request, campaign, form, status=200):
    recent = ImportPreview.objects.filter(kind=answer_services.KIND, created_by=request.user).order_by(
        "-created_at", "-pk"
    )[:10]
    return render(
        request,
        "admissions/answers/import.html",
        {"campaign": campaign, "form": form, "recent": recent},
        status=status,
    )


class _AdmissionsOnly(PermissionPageMixin):
    permission_required = "admissions.refer_admissionrequest"

    def campaign(self, request, pk):
        campaign = campaign_or_404(request.user, pk)
        if not is_admissions(request.user):
            raise Http404
        return campaign


class AnswersImportView(_AdmissionsOnly, View):
    """The upload of a school's answer list (columns 申请编号 or 子女姓名+出生日期, 结果, 学校, 备注)."""

    def get(self, request, pk):
        return _upload_page(request, self.campaign(request, pk), forms.UploadForm())

    def post(self, request, pk):
        campaign = self.campaign(request, pk)
        form = forms.UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return _upload_page(request, campaign, form, status=400)
        if campaign.status != CampaignStatus.REFERRED:
            form.add_error("file", _("本年度不在学校录取阶段，不能导入学校答复。"))
            return _upload_page(request, campaign, form, status=400)
        try:
            upload = upload_read(answer_services.KIND, form.cleaned_data["file"])
            preview = answer_services.answers_preview_start(campaign=campaign, actor=request.user, upload=upload)
        except ApplicationError as error:
            form.add_error("file", error.message)
            return _upload_page(request, campaign, form, status=400)
        return redirect("admissions:answers_preview", pk=preview.pk)


class _PreviewMixin(ImportPreviewPageMixin):
    permission_required = "admissions.refer_admissionrequest"
    import_kind = answer_services.KIND
    uploader_only = True


SECTIONS = (
    ("placed", gettext_lazy("录取")),
    ("not_placed", gettext_lazy("未录取")),
    ("unchanged", gettext_lazy("已登记（不变）")),
    ("invalid", gettext_lazy("无效（不导入）")),
)


class AnswersPreviewView(_PreviewMixin, View):
    """What the list would do: counts by outcome, each row, every invalid one with its reason."""

    def get(self, request, pk):
        preview = self.get_preview(pk)
        if not is_admissions(request.user):
            raise Http404
        if unready := self.unready(preview, reverse("admissions:campaigns")):
            return unready
        summary = preview.summary
        counts = summary.get("counts", {})
        sections = [{"key": key, "label": label, "count": counts.get(key, 0)} for key, label in SECTIONS]
        campaign = Campaign.objects.restrict(request.user).filter(pk=int(preview.target or 0)).first()
        return render(
            request,
            "admissions/answers/preview.html",
            {
                "preview": preview,
                "campaign": campaign,
                "summary": summary,
                "sections": sections,
                "problems": summary.get("problems") or [],
                "pending": preview.is_pending,
                "confirmed": preview.status == ImportStatus.CONFIRMED,
                "outcome": preview.result,
                "problem": import_kind(answer_services.KIND).confirmable(preview) if preview.is_pending else "",
            },
        )


class AnswersConfirmView(_PreviewMixin, View):
    def post(self, request, pk):
        preview = self.get_preview(pk)
        if not is_admissions(request.user):
            raise Http404
        try:
            preview = import_confirm(preview, actor=request.user)
        except InvalidTransition as error:
            messages.info(request, error.message)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            result = (preview.result or {}).get("counts", {})
            messages.success(
                request,
                _("已登记学校答复：录取 %(placed)s，未录取 %(not_placed)s。")
                % {"placed": result.get("placed", 0), "not_placed": result.get("not_placed", 0)},
            )
        return redirect("admissions:answers_preview", pk=preview.pk)
