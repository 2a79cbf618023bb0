"""Back-office pages: plans and editions, enrollment, rosters and the acceptance file, figures."""

import datetime
from urllib.parse import quote

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from gonghui.core.editions import edition_adopt, edition_revise
from gonghui.core.excel import XLSX_CONTENT_TYPE
from gonghui.core.exceptions import ApplicationError
from gonghui.core.history import export_record
from gonghui.core.imports import import_confirm, import_preview_get, import_start, upload_read
from gonghui.core.models import ImportPreview
from gonghui.core.pages import PermissionPageMixin, export_list, paginate
from gonghui.core.text import record_id
from gonghui.core.views_kit import ButtonPage, YearlyReportPage, import_preview_unready
from gonghui.core.workflow import available_steps
from gonghui.insurance.choices import EnrollmentStatus
from gonghui.insurance.forms import AdoptForm, DateForm, EditionRules, OptOutForm, UploadForm
from gonghui.insurance.models import Plan, PlanEdition, PlanEnrollment, RosterExport
from gonghui.insurance.presets import COMMON_RULES
from gonghui.insurance.schemas import EDITION_FIELDS
from gonghui.insurance.selectors.editions import edition_comparison, edition_facts, edition_list
from gonghui.insurance.selectors.figures import insurance_report, participation, plan_chart_key, report_years
from gonghui.insurance.services import editions as edition_services
from gonghui.insurance.services import enrollment as enrollment_services
from gonghui.insurance.services import rosters as roster_services
from gonghui.insurance.workflow import PlanEditionWorkflow
from gonghui.people.models import Person


def _edition(request, pk, action="view") -> PlanEdition:
    return get_object_or_404(PlanEdition.objects.restrict(request.user, action).select_related("plan"), pk=pk)


def _fail(request, error):
    messages.error(request, str(getattr(error, "message", error)))


def _to_edition(edition: PlanEdition):
    return redirect("insurance:edition_detail", edition.pk)


class EditionListView(PermissionPageMixin, View):
    permission_required = "insurance.view_planedition"

    def get(self, request):
        editions = edition_list(user=request.user).order_by("-start_date", "plan__sort_order")
        return render(request, "insurance/edition_list.html", {"editions": editions})


def _may_adopt(edition: PlanEdition, user) -> bool:
    """The adoption form is offered on a draft to whoever may take the step; its guards (the
    date and the act, the edition's checks) are the form's, checked when it is posted.
    available_steps cannot say it: it tries the guards without the form's values."""
    adopt = next(step for step in PlanEditionWorkflow.steps if step.name == "adopt")
    return edition.status in adopt.sources and PlanEditionWorkflow.actor_may(adopt, edition, user)


class EditionDetailView(PermissionPageMixin, View):
    permission_required = "insurance.view_planedition"

    def get(self, request, pk):
        edition = _edition(request, pk)
        context = {
            "edition": edition,
            "facts": edition_facts(edition),
            "steps": {step.name for step in available_steps(PlanEditionWorkflow, edition, request.user)},
            "can_adopt": _may_adopt(edition, request.user),
            "events": edition.events.select_related("actor"),
            "participation": participation(user=request.user, edition=edition) if edition.is_adopted else None,
            "runs": edition.runs.all()[:5],
            "rosters": edition.rosters.all(),
            "date_form": DateForm(initial={"on": timezone.localdate()}),
            "opt_out_form": OptOutForm(),
            "adopt_form": AdoptForm(initial={"adopted_on": timezone.localdate()}),
            "others": PlanEdition.objects.filter(plan=edition.plan).exclude(pk=edition.pk),
            "pending_count": edition.enrollments.filter(status=EnrollmentStatus.ENROLLED).count(),
            "upload_form": UploadForm(),
        }
        return render(request, "insurance/edition_detail.html", context)


def _form_fields(edition: PlanEdition) -> dict:
    values = {f: getattr(edition, f) for f in EDITION_FIELDS}
    values["plan"] = edition.plan_id
    values["categories"] = list(edition.eligible_categories.all())
    return values


BLANK_EDITION = {**COMMON_RULES, "waiting_schedule": [], "benefits": [], "required_documents": []}


class EditionFormPage(PermissionPageMixin, View):
    """A draft's form with its rule tables as rows (等待期, 给付标准, 天数段, 理赔材料). 添加一行
    posts the same data back with one more blank row and saves nothing; 保存草案 checks every
    row and saves all of it or nothing."""

    template = "insurance/edition_form.html"

    def page(self, rules: EditionRules, edition: PlanEdition | None = None, status: int = 200):
        context = {"rules": rules, "form": rules.form, "edition": edition, "plans_exist": Plan.objects.exists()}
        return render(self.request, self.template, context, status=status)

    def save(self, request, edition: PlanEdition | None, perform):
        rules = EditionRules(request.POST)
        table = request.POST.get("add_row", "")
        if table in EditionRules.TABLES:
            return self.page(rules.with_row_added(table), edition)
        if rules.is_valid():
            try:
                result = perform(rules.values())
            except ApplicationError as error:
                rules.refuse(error)
            else:
                messages.success(request, _("草案已保存"))
                return _to_edition(result)
        return self.page(rules, edition, status=400)


class EditionCreateView(EditionFormPage):
    permission_required = "insurance.add_planedition"

    def get(self, request):
        initial = {**BLANK_EDITION, "start_date": datetime.date(timezone.localdate().year, 7, 1)}
        plan = request.GET.get("plan", "")
        if record_id(plan) and Plan.objects.filter(pk=record_id(plan)).exists():
            initial["plan"] = record_id(plan)  # 新建版本 from a plan's row
        return self.page(EditionRules(initial=initial))

    def post(self, request):
        return self.save(request, None, self.create)

    def create(self, data: dict) -> PlanEdition:
        data = dict(data)
        plan, categories = data.pop("plan"), data.pop("categories")
        return edition_services.edition_create(actor=self.request.user, plan=plan, categories=categories, **data)


class EditionEditView(EditionFormPage):
    permission_required = "insurance.change_planedition"

    def _draft(self, request, pk) -> PlanEdition:
        edition = _edition(request, pk, "change")
        if not edition.is_editable:
            raise Http404
        return edition

    def get(self, request, pk):
        edition = self._draft(request, pk)
        return self.page(EditionRules(initial=_form_fields(edition)), edition)

    def post(self, request, pk):
        edition = self._draft(request, pk)

        def update(data: dict) -> PlanEdition:
            data = dict(data)
            data.pop("plan")  # a draft stays with its plan
            categories = data.pop("categories")
            edition_services.edition_update(actor=request.user, edition=edition, categories=categories, **data)
            return edition

        return self.save(request, edition, update)


class EditionReviseView(PermissionPageMixin, View):
    """以此为底稿起草: a draft copy one year later (core's edition_revise), then its form."""

    permission_required = "insurance.add_planedition"

    def post(self, request, pk):
        source = _edition(request, pk)
        start = source.start_date.replace(year=source.start_date.year + 1)
        try:
            draft = edition_revise(
                actor=request.user,
                source=source,
                start_date=start.isoformat(),
                name=edition_services.revision_name(source, start),
            )
        except ApplicationError as error:
            _fail(request, error)
            return redirect("insurance:edition_detail", source.pk)
        messages.success(request, _("已起草修订稿，请修改后保存"))
        return redirect("insurance:edition_edit", draft.pk)


class EditionActionView(ButtonPage):
    """A button on an edition's page."""

    def get_object(self, pk):
        return _edition(self.request, pk, "change")

    def back_url(self, edition):
        return reverse("insurance:edition_detail", args=[edition.pk])


class EditionAdoptView(EditionActionView):
    permission_required = "insurance.adopt_planedition"
    form_class = AdoptForm
    form_invalid = gettext_lazy("请填写通过日期和通过依据")

    def act(self, request, edition, data):
        edition_adopt(actor=request.user, edition=edition, **data)
        return _("已通过")


class EditionCompareView(PermissionPageMixin, View):
    permission_required = "insurance.view_planedition"

    def get(self, request):
        editions = edition_list(user=request.user)
        rows, left, right = None, None, None
        try:
            if request.GET.get("left") and request.GET.get("right"):
                left = editions.get(pk=int(request.GET["left"]))
                right = editions.get(pk=int(request.GET["right"]))
                rows = edition_comparison(left=left, right=right)["rows"]
        except (ValueError, PlanEdition.DoesNotExist):
            raise Http404 from None
        return render(
            request,
            "insurance/edition_compare.html",
            {"editions": editions, "rows": rows, "left": left, "right": right},
        )


class EditionEnrollView(EditionActionView):
    permission_required = "insurance.enroll_planedition"

    def act(self, request, edition, data):
        run = enrollment_services.enrollment_run(actor=request.user, edition=edition)
        return _("参保完成：符合条件 %(eligible)s 人，新增 %(created)s 人，此前已参保 %(already)s 人") % {
            "eligible": run.eligible,
            "created": run.created,
            "already": run.already,
        }


class EditionChangesView(EditionActionView):
    permission_required = "insurance.enroll_planedition"
    form_class = DateForm
    form_invalid = gettext_lazy("请填写日期")

    def act(self, request, edition, data):
        result = enrollment_services.enrollment_changes_apply(actor=request.user, edition=edition, on=data["on"])
        return _("新增 %(added)s 人，终止 %(ended)s 人") % result


class OptOutCreateView(EditionActionView):
    permission_required = "insurance.add_optout"
    form_class = OptOutForm
    form_invalid = gettext_lazy("请填写工号和原因")

    def act(self, request, edition, data):
        person = Person.objects.restrict(request.user, "change").filter(staff_no=data["staff_no"]).first()
        if person is None:
            raise ApplicationError(_("找不到工号 %(staff_no)s") % data)
        enrollment_services.opt_out_record(actor=request.user, edition=edition, person=person, reason=data["reason"])
        return _("已登记 %(name)s 不参保") % {"name": person.name}


class EnrollmentListView(PermissionPageMixin, View):
    permission_required = "insurance.view_planenrollment"

    def get(self, request, pk):
        edition = _edition(request, pk)
        qs = (
            PlanEnrollment.objects.restrict(request.user)
            .filter(edition=edition)
            .select_related("person", "sub_union")
            .order_by("person__name_pinyin", "person_id")
        )
        status = request.GET.get("status")
        if status in EnrollmentStatus.values:
            qs = qs.filter(status=status)
        if request.GET.get("export") == "xlsx":
            export_record(request.user, what=_("导出参保人员名单"), obj=edition, query=request.GET.urlencode())
            return export_list(
                filename=_("%(plan)s参保人员.xlsx") % {"plan": edition.plan.name},
                columns=[
                    (_("工号"), lambda e: e.person.staff_no),
                    (_("姓名"), lambda e: e.person.name),
                    (_("性别"), lambda e: e.person.get_gender_display()),
                    (_("身份证号"), lambda e: e.person.id_number_masked),
                    (_("分工会"), lambda e: e.sub_union.name),
                    (_("份数"), lambda e: e.shares),
                    (_("保费"), lambda e: e.premium),
                    (_("状态"), lambda e: e.get_status_display()),
                    (_("保障开始"), lambda e: e.starts_on),
                    (_("保障结束"), lambda e: e.ends_on),
                    (_("原因"), lambda e: e.rejection_reason or e.ended_reason),
                ],
                rows=qs.iterator(),
                sheet_title=edition.plan.name,
            )
        return render(
            request,
            "insurance/enrollment_list.html",
            {
                "edition": edition,
                "page": paginate(request, qs),
                "statuses": EnrollmentStatus.choices,
                "status": status,
            },
        )


class RosterCreateView(EditionActionView):
    permission_required = "insurance.add_rosterexport"

    def act(self, request, edition, data):
        roster = roster_services.roster_export_create(actor=request.user, edition=edition)
        return _("已生成参保名单第 %(version)s 版，%(count)s 人") % {
            "version": roster.version,
            "count": roster.lines.count(),
        }


def _roster(request, pk) -> RosterExport:
    return get_object_or_404(
        RosterExport.objects.restrict(request.user, "change").select_related("edition__plan"), pk=pk
    )


class RosterDownloadView(PermissionPageMixin, View):
    """The insurer's template with ID numbers in clear: every download is logged."""

    permission_required = "insurance.add_rosterexport"

    def get(self, request, pk):
        roster = _roster(request, pk)
        data = roster_services.roster_xlsx(actor=request.user, roster=roster)
        response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = (
            f"attachment; filename*=UTF-8''{quote(roster_services.roster_filename(roster))}"
        )
        return response


class AcceptanceUploadView(PermissionPageMixin, View):
    """The insurer's acceptance file: read into a preview (core import), nothing else written."""

    permission_required = "insurance.add_rosterexport"

    def post(self, request, pk):
        roster = _roster(request, pk)
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            messages.error(request, _("请选择回执文件"))
            return redirect("insurance:edition_detail", roster.edition_id)
        try:
            preview = import_start(
                roster_services.AcceptanceImport.name,
                actor=request.user,
                upload=upload_read(roster_services.AcceptanceImport.name, form.cleaned_data["file"]),
                target=str(roster.pk),
            )
        except ApplicationError as error:
            _fail(request, error)
            return redirect("insurance:edition_detail", roster.edition_id)
        return redirect("insurance:acceptance_preview", preview.pk)


def _preview(request, pk) -> tuple[ImportPreview, RosterExport]:
    try:
        preview = import_preview_get(actor=request.user, pk=pk, kind=roster_services.AcceptanceImport.name)
    except ImportPreview.DoesNotExist:
        raise Http404 from None
    roster = _roster(request, int(preview.target))
    return preview, roster


class AcceptancePreviewView(PermissionPageMixin, View):
    permission_required = "insurance.add_rosterexport"

    def get(self, request, pk):
        preview, roster = _preview(request, pk)
        back = reverse("insurance:edition_detail", args=[roster.edition_id])
        if unready := import_preview_unready(request, preview, back_url=back):
            return unready
        context = {"preview": preview, "roster": roster, "result": preview.summary, "pending": preview.is_pending}
        return render(request, "insurance/acceptance_preview.html", context)


class AcceptanceConfirmView(PermissionPageMixin, View):
    permission_required = "insurance.add_rosterexport"

    def post(self, request, pk):
        preview, roster = _preview(request, pk)
        try:
            confirmed = import_confirm(preview, actor=request.user)
            messages.success(
                request,
                _("回执已导入：承保 %(accepted)s 人，拒保 %(rejected)s 人，更正 %(corrected)s 人") % confirmed.result,
            )
        except ApplicationError as error:
            _fail(request, error)
        return redirect("insurance:edition_detail", roster.edition_id)


class ReportView(YearlyReportPage):
    permission_required = "insurance.view_planenrollment"
    template_name = "insurance/report.html"
    export_filename = gettext_lazy("职工互助保障%(year)s年度统计.xlsx")

    def build(self, user, year):
        return insurance_report(user=user, year=year)

    def data_years(self, user):
        return report_years(user=user)

    def get_context(self, report):
        plans = report.figures["plans"]
        return {
            "figures": report.figures,
            "charts": report.charts,
            "plan_charts": [(p, report.charts[plan_chart_key(p)]) for p in plans],
            "report_url": reverse("insurance:report"),
        }
