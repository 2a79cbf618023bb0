"""The practical projects' pages: the list (filtered by batch, unit, status, overdue), the
project table (序号 … 完成情况) as a page, an .xlsx and a PDF, a project with its progress
entries (一事一记: a phone form with photos), its steps and the office's 销号."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from gonghui.core.excel import xlsx_response
from gonghui.core.exceptions import ApplicationError
from gonghui.core.history import export_record
from gonghui.core.pages import PermissionPageMixin, paginate, render_page_or_partial
from gonghui.core.views_kit import RecordAction, filters_checked, form_service_post, list_query
from gonghui.core.workflow import available_steps
from gonghui.projects import forms
from gonghui.projects.choices import OPEN_STATUSES, ProjectStatus
from gonghui.projects.models import PracticalProject
from gonghui.projects.selectors import projects as selectors
from gonghui.projects.services import progress as progress_services
from gonghui.projects.services import projects as services
from gonghui.projects.workflow import ProjectWorkflow

VIEW = "projects.view_practicalproject"
MANAGE = "projects.manage_practicalproject"

STEP_DONE = {  # lazily translated: the request language decides
    "start": gettext_lazy("项目已开始推进。"),
    "partly_done": gettext_lazy("项目已标记为部分完成。"),
    "resume": gettext_lazy("项目已继续推进。"),
    "done": gettext_lazy("项目已完成，教职工可以评价满意度了。"),
    "not_done": gettext_lazy("项目已标记为未完成。"),
}


def _filtered(request):
    filters = filters_checked(request, forms.ProjectFilterForm)
    rows = selectors.projects_for(
        request.user, batch=filters.get("batch"), unit=filters.get("unit"), status=filters.get("status", "")
    )
    if filters.get("overdue"):
        rows = selectors.overdue(rows)
    return rows.order_by("batch__year", "batch__number", "number"), filters


class ProjectListView(PermissionPageMixin, View):
    permission_required = VIEW

    def get(self, request):
        rows, _filters = _filtered(request)
        today = timezone.localdate()
        page = paginate(request, rows)
        for project in page:
            project.is_overdue = project.status in OPEN_STATUSES and project.deadline < today
        context = {
            "page": page,
            "query": list_query(request),
            "filter_form": forms.ProjectFilterForm(request.GET or None),
            "can_add": request.user.has_perm("projects.add_practicalproject"),
        }
        return render_page_or_partial(request, "projects/list.html", "projects/_list.html", context)


class ProjectTableView(PermissionPageMixin, View):
    """The project table in the usual form, as a page, `?export=xlsx` or `?export=pdf`."""

    permission_required = VIEW

    def get(self, request):
        rows, filters = _filtered(request)
        projects = list(rows.prefetch_related("cooperating_units"))
        table = selectors.table_rows(projects)
        headers = selectors.table_headers()
        batch = filters.get("batch")
        title = _("%(batch)s“我为群众办实事”项目一览表") % {"batch": batch.name if batch else ""}
        export = request.GET.get("export")
        if export in ("xlsx", "pdf"):
            export_record(
                request.user,
                what=_("导出%(title)s") % {"title": title},
                object_type="projects.practicalproject",
                query=request.GET.urlencode(),
            )
        if export == "xlsx":
            return xlsx_response(filename=f"{title}.xlsx", headers=headers, rows=table, sheet_title=_("项目一览表"))
        if export == "pdf":
            from gonghui.projects.selectors.table_pdf import project_table_pdf

            response = HttpResponse(project_table_pdf(title=title, headers=headers, rows=table), "application/pdf")
            response["Content-Disposition"] = "inline; filename*=UTF-8''projects.pdf"
            return response
        return render(
            request,
            "projects/table.html",
            {
                "title": title,
                "headers": headers,
                "rows": list(zip(projects, table, strict=True)),
                "filter_form": forms.ProjectFilterForm(request.GET or None),
                "query": list_query(request, "export"),
            },
        )


def _origin_choices(user):
    from gonghui.admissions.models import Campaign
    from gonghui.mutual_aid.models import SchemeEdition
    from gonghui.proposals.models import Proposal

    readable = Q(pk__in=Proposal.objects.restrict(user).values("pk")) | Q(published_at__isnull=False)
    return {
        "proposals": Proposal.objects.filter(readable).select_related("session").order_by("-pk"),
        "campaigns": Campaign.objects.order_by("-year"),
        "editions": SchemeEdition.objects.order_by("-year"),
    }


class ProjectCreateView(PermissionPageMixin, View):
    permission_required = "projects.add_practicalproject"

    def _page(self, request, form, status=200):
        return render(request, "projects/form.html", {"form": form}, status=status)

    def get(self, request):
        initial = {"batch": request.GET.get("batch")} if request.GET.get("batch") else {}
        return self._page(request, forms.ProjectForm(initial=initial, **_origin_choices(request.user)))

    def post(self, request):
        form = forms.ProjectForm(request.POST, **_origin_choices(request.user))
        done = form_service_post(
            request,
            form,
            lambda data: services.project_create(actor=request.user, **form.service_data()),
            success=_("实事项目已登记。"),
            then=lambda project: redirect("projects:detail", pk=project.pk),
        )
        return done or self._page(request, form, status=400)


class BatchCreateView(PermissionPageMixin, View):
    permission_required = "projects.add_batch"

    def _page(self, request, form, status=200):
        return render(request, "projects/batch_form.html", {"form": form}, status=status)

    def get(self, request):
        return self._page(request, forms.BatchForm())

    def post(self, request):
        form = forms.BatchForm(request.POST)
        done = form_service_post(
            request,
            form,
            lambda data: services.batch_create(actor=request.user, **data),
            success=_("项目批次已建立。"),
            then=lambda batch: redirect(f"{reverse('projects:new')}?batch={batch.pk}"),
        )
        return done or self._page(request, form, status=400)


class ProjectDetailView(PermissionPageMixin, View):
    permission_required = VIEW

    def get(self, request, pk):
        project = get_object_or_404(
            selectors.projects_for(request.user).prefetch_related("cooperating_units", "closing_evidence"), pk=pk
        )
        may_change = PracticalProject.objects.restrict(request.user, "change").filter(pk=project.pk).exists()
        steps = [s for s in available_steps(ProjectWorkflow, project, request.user) if s.name != "close_off"]
        may_close_off = project.status == ProjectStatus.DONE and request.user.has_perm(MANAGE) and may_change
        results = selectors.satisfaction_results([project]).get(project.pk)
        return render(
            request,
            "projects/detail.html",
            {
                "p": project,
                "entries": selectors.progress_of(request.user, project),
                "steps": steps,
                "may_progress": may_change
                and request.user.has_perm("projects.add_progressentry")
                and project.status not in (ProjectStatus.CLOSED_OFF, ProjectStatus.NOT_DONE),
                "may_close_off": may_close_off,
                "progress_form": forms.ProgressForm(),
                "close_form": forms.CloseOffForm(),
                "step_form": forms.StepForm(),
                "overdue": selectors.is_overdue(project),
                "satisfaction": results,
                "events": project.events.select_related("actor__person").order_by("-at", "-id")[:50],
            },
        )


class _ProjectAction(RecordAction):
    def target(self, request, pk):
        return get_object_or_404(PracticalProject.objects.restrict(request.user), pk=pk)

    def back(self, obj) -> str:
        return reverse("projects:detail", args=[obj.pk])


class ProjectStepView(_ProjectAction):
    form_class = forms.StepForm

    def post(self, request, pk, step=""):
        self.step = step
        return super().post(request, pk)

    def act(self, request, obj, data):
        declared = next((s for s in ProjectWorkflow.steps if s.name == self.step), None)
        if (
            declared is None
            or declared.name == "close_off"
            or not ProjectWorkflow.actor_may(declared, obj, request.user)
        ):
            raise PermissionDenied
        services.project_step(
            actor=request.user,
            project=obj,
            step=self.step,
            message=data.get("message", ""),
            done_on=data.get("done_on"),
        )
        return str(STEP_DONE[self.step])


class ProgressAddView(PermissionPageMixin, View):
    """A progress entry, from a phone or a desk: date, text, funds and photos."""

    permission_required = "projects.add_progressentry"

    def post(self, request, pk):
        project = get_object_or_404(PracticalProject.objects.restrict(request.user), pk=pk)
        form = forms.ProgressForm(request.POST, request.FILES)
        back = reverse("projects:detail", args=[project.pk]) + "#progress"
        if not form.is_valid():
            for field, errors in form.errors.items():
                label = form.fields[field].label if field in form.fields else ""
                messages.error(request, f"{label}：{errors[0]}" if label else errors[0])
            return redirect(back)
        try:
            progress_services.progress_add(
                actor=request.user,
                project=project,
                text=form.cleaned_data["text"],
                date=form.cleaned_data["date"],
                funds=form.cleaned_data.get("funds"),
                evidence_files=form.cleaned_data["evidence"],
            )
        except ApplicationError as error:
            messages.error(request, str(error.message))
        except PermissionDenied:
            messages.error(request, _("只有牵头单位和校工会可以填报项目进展。"))
        else:
            messages.success(request, _("进展已记录。"))
        return redirect(back)


class CloseOffView(_ProjectAction):
    form_class = forms.CloseOffForm

    def act(self, request, obj, data):
        if not request.user.has_perm(MANAGE):
            raise PermissionDenied
        services.project_close_off(
            actor=request.user, project=obj, results=data["results"], evidence_files=data["evidence"]
        )
        return _("项目已销号。")
