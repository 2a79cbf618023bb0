"""The practical projects' API (我为群众办实事, 简报): the same services and scoped selectors as the
pages.

The union office and the auditors see every project; a university unit's contact person
(承办单位联系人) the projects their unit leads or helps with, and acts on those it leads; staff
rate done projects and read published bulletins.

Reads:
- GET /api/projects/?batch=&unit=&status=&overdue=1 — the projects the caller may see, with
  their funds used (the sum of their entries) and whether they are overdue;
- GET /api/projects/<id>/ — a project: its cooperating units, funds used, progress entries
  (一事一记) with their evidence attachments' ids, satisfaction once counted, and `next_steps`;
- GET /api/projects/batches/?year= — the batches, with the projects the caller sees in each;
- GET /api/projects/rate/ — the done projects the caller (a member) may still rate;
- GET /api/projects/bulletins/?series=&status= and /bulletins/<id>/ — the bulletins (published
  ones to everyone signed in; drafts and withdrawn ones to the office and auditors), an issue
  with its sections as readers see them, its frozen figures and, for the editor, the figures
  that have moved on since publication.

Writes:
- POST /api/projects/batches/ and /api/projects/ — the office registers a batch and a project;
- POST /api/projects/<id>/steps/<step>/ {"message", "done_on"} — the lead unit or the office
  moves a project on (start, partly_done, resume, done, not_done with the reason);
- POST /api/projects/<id>/progress/ (multipart: date, text, funds, evidence files) — the lead
  unit or the office records a development;
- POST /api/projects/<id>/close-off/ (multipart: results, evidence files) — the office ticks a
  done project off (销号);
- POST /api/projects/<id>/rate/ {"satisfaction"} — a member rates a done project, once;
- POST /api/projects/bulletins/<id>/publish/ — the office publishes an issue, its figures frozen.

Refusals are 400 {"message", "extra"} and write nothing; a record out of the caller's scope is
a 404, an action their role may not take a 403."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Q
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from gonghui.core.api import HasRolePermission, PageParams, Pagination, body_values, next_steps, query_values
from gonghui.core.exceptions import ApplicationError, PermissionDenied
from gonghui.people.models import Person, UniversityUnit
from gonghui.projects.api import serializers as s
from gonghui.projects.choices import ProjectStatus, Satisfaction
from gonghui.projects.figures import shown
from gonghui.projects.models import Batch, Bulletin, PracticalProject, ProgressEntry
from gonghui.projects.selectors import bulletins as bulletin_selectors
from gonghui.projects.selectors import projects as selectors
from gonghui.projects.services import bulletins as bulletin_services
from gonghui.projects.services import progress as progress_services
from gonghui.projects.services import projects as services
from gonghui.projects.services.ratings import rating_cast
from gonghui.projects.workflow import BulletinWorkflow, ProjectWorkflow

# the URL's <int:pk> appears as {id} in the schema (SCHEMA_COERCE_PATH_PK)
PROJECT_ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="the project's id")
BULLETIN_ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="the bulletin's id")
# 销号 has its own route (results and evidence): the steps route takes the others
PROJECT_STEPS = [step.name for step in ProjectWorkflow.steps if step.name != "close_off"]
PROJECT_STEP = OpenApiParameter(
    "step", OpenApiTypes.STR, OpenApiParameter.PATH, enum=PROJECT_STEPS, description="the step to take"
)
VIEW = "projects.view_practicalproject"
MANAGE = "projects.manage_practicalproject"
EDIT = "projects.publish_bulletin"
CENT = Decimal("0.01")


def _found(obj):
    if obj is None:
        raise Http404
    return obj


def _page(view, request, rows, render, out):
    paginator = Pagination()
    page: list = paginator.paginate_queryset(rows, request, view=view) or []
    return paginator.get_paginated_response([out(render(row)).data for row in page])


def _yuan(value) -> str:
    """Money as exact text with its two places ("12000.50"), whatever the database's sum gives."""
    return str(Decimal(value).quantize(CENT))


def _attachment_ids(attachments) -> list:
    """The attachments' ids (UUIDs: their downloads), in the order they were uploaded."""
    return [a.pk for a in sorted(attachments, key=lambda a: (a.uploaded_at, str(a.pk)))]


def _actor_name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def person_data(person: Person) -> dict:
    return {"id": person.pk, "staff_no": person.staff_no, "name": person.name}


def unit_data(unit: UniversityUnit) -> dict:
    return {"id": unit.pk, "code": unit.code, "name": unit.name}


def batch_link(batch: Batch) -> dict:
    return {"id": batch.pk, "year": batch.year, "number": batch.number, "name": batch.name}


def _named(rows, pk: int | None, field: str, refusal: str):
    """The row of `rows` a body names by id: a 400 naming the field when there is none."""
    if pk is None:
        return None
    row = rows.filter(pk=pk).first()
    if row is None:
        raise ApplicationError(refusal % {"pk": pk}, extra={"field": field})
    return row


# --- batches ------------------------------------------------------------------------------------


class BatchListApi(APIView):
    """GET: the batches, newest first, with the projects the caller sees in each. POST: the
    office opens a batch (2021年第一批)."""

    permission_classes = [HasRolePermission]
    permission_required = "projects.view_batch"

    @extend_schema(
        operation_id="projects_batch_list",
        parameters=[s.ProjectsBatchFilters, PageParams],
        responses=s.ProjectsBatchPageOut,
    )
    def get(self, request):
        filters = query_values(request, s.ProjectsBatchFilters)
        rows = Batch.objects.order_by("-year", "-number")
        if filters.get("year"):
            rows = rows.filter(year=filters["year"])
        counts = dict(
            PracticalProject.objects.restrict(request.user)
            .order_by()
            .values_list("batch")
            .annotate(n=Count("pk", distinct=True))
        )
        return _page(
            self, request, rows, lambda b: {**batch_link(b), "projects": counts.get(b.pk, 0)}, s.ProjectsBatchOut
        )

    @extend_schema(
        operation_id="projects_batch_create", request=s.ProjectsBatchInput, responses={201: s.ProjectsBatchOut}
    )
    def post(self, request):
        if not request.user.has_perm("projects.add_batch"):
            raise PermissionDenied
        data = body_values(request, s.ProjectsBatchInput)
        batch = services.batch_create(
            actor=request.user, year=data["year"], number=data["number"], name=data.get("name", "")
        )
        return Response(s.ProjectsBatchOut({**batch_link(batch), "projects": 0}).data, 201)


# --- projects -----------------------------------------------------------------------------------


def project_row(project: PracticalProject) -> dict:
    """A project of `selectors.projects_for` (funds used and entries annotated)."""
    return {
        "id": project.pk,
        "batch": batch_link(project.batch),
        "number": project.number,
        "title": project.title,
        "category": project.category,
        "origin": project.origin,
        "origin_display": str(project.get_origin_display()),
        "lead_unit": unit_data(project.lead_unit),
        "responsible": person_data(project.responsible),
        "project_type": project.project_type,
        "project_type_display": str(project.get_project_type_display()),
        "deadline": project.deadline,
        "status": project.status,
        "status_display": str(project.get_status_display()),
        "done_on": project.done_on,
        "closed_off_on": project.closed_off_on,
        "funds_used": _yuan(project.funds_used),  # type: ignore[attr-defined]
        "entries": project.entry_count,  # type: ignore[attr-defined]
        "overdue": selectors.is_overdue(project),
    }


def progress_data(entry: ProgressEntry) -> dict:
    return {
        "id": entry.pk,
        "project": entry.project_id,
        "date": entry.date,
        "text": entry.text,
        "funds": _yuan(entry.funds),
        "evidence": _attachment_ids(entry.evidence.all()),
        "created_by": _actor_name(entry.created_by),
        "created_at": entry.created_at,
    }


def satisfaction_data(project: PracticalProject) -> dict | None:
    result = selectors.satisfaction_results([project]).get(project.pk)
    if result is None:
        return None
    return {
        "voters": result.voters,
        "voted": result.voted,
        "satisfied": result.counts.get(Satisfaction.SATISFIED, 0),
        "basically": result.counts.get(Satisfaction.BASICALLY, 0),
        "not_satisfied": result.counts.get(Satisfaction.NOT_SATISFIED, 0),
        "satisfied_rate": None if result.satisfied_rate is None else str(result.satisfied_rate),
    }


def project_detail(project: PracticalProject, user) -> dict:
    may_change = PracticalProject.objects.restrict(user, "change").filter(pk=project.pk).exists()
    return {
        **project_row(project),
        "description": project.description,
        "origin_note": project.origin_note,
        "origin_proposal": project.origin_proposal_id,
        "origin_campaign": project.origin_campaign_id,
        "origin_edition": project.origin_edition_id,
        "cooperating_units": [unit_data(unit) for unit in project.cooperating_units.all()],
        "reason": project.reason,
        "results": project.results,
        "closing_evidence": _attachment_ids(project.closing_evidence.all()),
        "progress": [progress_data(entry) for entry in selectors.progress_of(user, project)],
        "satisfaction": satisfaction_data(project),
        "may_progress": may_change
        and user.has_perm("projects.add_progressentry")
        and project.status not in (ProjectStatus.CLOSED_OFF, ProjectStatus.NOT_DONE),
        "may_close_off": may_change and project.status == ProjectStatus.DONE and user.has_perm(MANAGE),
        "next_steps": [step for step in next_steps(ProjectWorkflow, project, user) if step["step"] != "close_off"],
    }


def _project(user, pk) -> PracticalProject:
    return _found(
        selectors.projects_for(user).prefetch_related("cooperating_units", "closing_evidence").filter(pk=pk).first()
    )


def _project_response(user, pk, status: int = 200) -> Response:
    return Response(s.ProjectsProjectDetailOut(project_detail(_project(user, pk), user)).data, status)


class ProjectListApi(APIView):
    """GET: the projects the caller may see, by batch and number. POST: the office registers a
    project with its origin (a proposal, a survey, a revision of the mutual-aid rules: the link;
    a leader's instruction or other: in words)."""

    permission_classes = [HasRolePermission]
    permission_required = VIEW

    @extend_schema(
        operation_id="projects_project_list",
        parameters=[s.ProjectsProjectFilters, PageParams],
        responses=s.ProjectsProjectPageOut,
    )
    def get(self, request):
        filters = query_values(request, s.ProjectsProjectFilters)
        rows = selectors.projects_for(
            request.user, batch=filters.get("batch"), unit=filters.get("unit"), status=filters.get("status", "")
        )
        if filters["overdue"]:
            rows = selectors.overdue(rows)
        rows = rows.order_by("batch__year", "batch__number", "number")
        return _page(self, request, rows, project_row, s.ProjectsProjectRowOut)

    @extend_schema(
        operation_id="projects_project_create",
        request=s.ProjectsProjectInput,
        responses={201: s.ProjectsProjectDetailOut},
    )
    def post(self, request):
        if not request.user.has_perm("projects.add_practicalproject"):
            raise PermissionDenied
        data = body_values(request, s.ProjectsProjectInput)
        staff_no = data["responsible_staff_no"].strip()
        responsible = Person.objects.filter(staff_no=staff_no).first()
        if responsible is None:
            raise ApplicationError(
                _("没有工号为 %(no)s 的人员。") % {"no": staff_no}, extra={"field": "responsible_staff_no"}
            )
        unknown_unit = _("没有编号为 %(pk)s 的单位。")
        cooperating = []
        for pk in dict.fromkeys(data.get("cooperating_units", [])):
            cooperating.append(_named(UniversityUnit.objects.all(), pk, "cooperating_units", unknown_unit))
        project = services.project_create(
            actor=request.user,
            batch=_named(Batch.objects.all(), data["batch"], "batch", _("没有编号为 %(pk)s 的项目批次。")),
            number=data.get("number"),
            title=data["title"],
            description=data.get("description", ""),
            category=data["category"],
            origin=data["origin"],
            origin_note=data.get("origin_note", ""),
            lead_unit=_named(UniversityUnit.objects.all(), data["lead_unit"], "lead_unit", unknown_unit),
            responsible=responsible,
            cooperating_units=cooperating,
            project_type=data["project_type"],
            deadline=data["deadline"],
            **_origin_links(request.user, data),
        )
        return _project_response(request.user, project.pk, 201)


def _origin_links(user, data: dict) -> dict:
    """The origin's records a body names: a proposal the caller may read (or a published one),
    an admissions campaign, a mutual-aid scheme edition."""
    from gonghui.admissions.models import Campaign
    from gonghui.mutual_aid.models import SchemeEdition
    from gonghui.proposals.models import Proposal

    readable = Proposal.objects.filter(
        Q(pk__in=Proposal.objects.restrict(user).values("pk")) | Q(published_at__isnull=False)
    )
    return {
        "origin_proposal": _named(
            readable, data.get("origin_proposal"), "origin_proposal", _("没有编号为 %(pk)s 的提案。")
        ),
        "origin_campaign": _named(
            Campaign.objects.all(), data.get("origin_campaign"), "origin_campaign", _("没有编号为 %(pk)s 的调研。")
        ),
        "origin_edition": _named(
            SchemeEdition.objects.all(),
            data.get("origin_edition"),
            "origin_edition",
            _("没有编号为 %(pk)s 的互助会管理办法版本。"),
        ),
    }


class ProjectDetailApi(APIView):
    permission_classes = [HasRolePermission]
    permission_required = VIEW

    @extend_schema(
        operation_id="projects_project_detail", parameters=[PROJECT_ID], responses=s.ProjectsProjectDetailOut
    )
    def get(self, request, pk):
        return _project_response(request.user, pk)


class ProjectStepApi(APIView):
    """The lead unit's contact person or the office moves a project on: start, partly_done,
    resume, done (on `done_on`, default today: staff may then rate it), not_done (`message`:
    the reason, required). 销号 is POST …/close-off/."""

    permission_classes = [HasRolePermission]
    permission_required = VIEW

    @extend_schema(
        operation_id="projects_project_step",
        parameters=[PROJECT_ID, PROJECT_STEP],
        request=s.ProjectsStepInput,
        responses=s.ProjectsProjectDetailOut,
    )
    def post(self, request, pk, step):
        if step not in PROJECT_STEPS:
            raise Http404
        project = _found(PracticalProject.objects.restrict(request.user).filter(pk=pk).first())
        declared = next(candidate for candidate in ProjectWorkflow.steps if candidate.name == step)
        if not ProjectWorkflow.actor_may(declared, project, request.user):
            raise PermissionDenied
        data = body_values(request, s.ProjectsStepInput)
        services.project_step(
            actor=request.user,
            project=project,
            step=step,
            message=data.get("message", ""),
            done_on=data.get("done_on"),
        )
        return _project_response(request.user, pk)


class ProgressAddApi(APIView):
    """The lead unit's contact person or the office records one development (一事一记), from a
    phone: date, text, the money it spent and its photos, as multipart. The first entry starts
    the project. A cooperating unit: 403; a closed-off or abandoned project: 400."""

    permission_classes = [HasRolePermission]
    permission_required = "projects.add_progressentry"
    parser_classes = [MultiPartParser]

    @extend_schema(
        operation_id="projects_progress_add",
        parameters=[PROJECT_ID],
        request={"multipart/form-data": s.ProjectsProgressInput},
        responses={201: s.ProjectsProgressOut},
    )
    def post(self, request, pk):
        project = _found(PracticalProject.objects.restrict(request.user).filter(pk=pk).first())
        data = body_values(request, s.ProjectsProgressInput)
        entry = progress_services.progress_add(
            actor=request.user,
            project=project,
            text=data["text"],
            date=data.get("date"),
            funds=data.get("funds"),
            evidence_files=data.get("evidence", []),
        )
        entry = ProgressEntry.objects.select_related("created_by").prefetch_related("evidence").get(pk=entry.pk)
        return Response(s.ProjectsProgressOut(progress_data(entry)).data, 201)


class CloseOffApi(APIView):
    """销号: the office records a done project's results and evidence (files here, or the photos
    and documents of its progress entries) and ticks it off; its satisfaction rating is counted."""

    permission_classes = [HasRolePermission]
    permission_required = MANAGE
    parser_classes = [MultiPartParser]

    @extend_schema(
        operation_id="projects_project_close_off",
        parameters=[PROJECT_ID],
        request={"multipart/form-data": s.ProjectsCloseOffInput},
        responses=s.ProjectsProjectDetailOut,
    )
    def post(self, request, pk):
        project = _found(PracticalProject.objects.restrict(request.user, "change").filter(pk=pk).first())
        data = body_values(request, s.ProjectsCloseOffInput)
        services.project_close_off(
            actor=request.user, project=project, results=data["results"], evidence_files=data.get("evidence", [])
        )
        return _project_response(request.user, pk)


# --- satisfaction -------------------------------------------------------------------------------


def rate_row(project: PracticalProject) -> dict:
    return {
        "id": project.pk,
        "batch": batch_link(project.batch),
        "number": project.number,
        "title": project.title,
        "description": project.description,
        "category": project.category,
        "lead_unit": unit_data(project.lead_unit),
        "status": project.status,
        "status_display": str(project.get_status_display()),
        "done_on": project.done_on,
    }


class RateListApi(APIView):
    """The done projects whose satisfaction the caller (a member) may still rate, newest first
    (none for an account that is not a member's)."""

    permission_classes = [HasRolePermission]

    @extend_schema(operation_id="projects_rate_list", parameters=[PageParams], responses=s.ProjectsRatePageOut)
    def get(self, request):
        return _page(self, request, selectors.rating_open_for(request.user), rate_row, s.ProjectsRateRowOut)


class RateApi(APIView):
    """A member rates a done project (满意, 基本满意, 不满意): once, by secret ballot; only the
    counts are ever shown. Twice, or after 销号: 400; an account that is no member's: 404."""

    permission_classes = [HasRolePermission]

    @extend_schema(
        operation_id="projects_rate", parameters=[PROJECT_ID], request=s.ProjectsRateInput, responses=s.ProjectsRatedOut
    )
    def post(self, request, pk):
        # only a member on the roster rates: to an account that is no one's, there is nothing to rate
        if not getattr(request.user, "person_id", None):
            raise Http404
        project = _found(PracticalProject.objects.done_for_staff().filter(pk=pk).first())
        data = body_values(request, s.ProjectsRateInput)
        rating_cast(actor=request.user, project=project, satisfaction=data["satisfaction"])
        return Response(s.ProjectsRatedOut({"project": project.pk, "rated": True}).data)


# --- bulletins ----------------------------------------------------------------------------------


def series_data(series) -> dict:
    return {"id": series.pk, "name": series.name, "publisher": series.publisher, "masthead": series.masthead}


def bulletin_row(bulletin: Bulletin) -> dict:
    return {
        "id": bulletin.pk,
        "series": series_data(bulletin.series),
        "issue_no": bulletin.issue_no,
        "column": bulletin.column,
        "date": bulletin.date,
        "title": bulletin.title,
        "subtitle": bulletin.subtitle,
        "figures_year": bulletin.figures_year,
        "status": bulletin.status,
        "status_display": str(bulletin.get_status_display()),
        "published_at": bulletin.published_at,
    }


def bulletin_detail(bulletin: Bulletin, user) -> dict:
    stale = None
    if user.has_perm(EDIT):
        stale = [
            {
                "key": item.figure.key,
                "label": item.figure.label,
                "published": item.shown_published,
                "live": item.shown_live,
            }
            for item in bulletin_selectors.stale_figures([bulletin]).get(bulletin.pk, [])
        ]
    return {
        **bulletin_row(bulletin),
        "sections": [
            {"heading": section.heading, "paragraphs": section.paragraphs}
            for section in bulletin_selectors.bulletin_render(bulletin)
        ],
        "figures": [
            {
                "key": figure.key,
                "label": figure.label,
                "value": figure.value,
                "shown": shown(figure.value, is_ratio=figure.unit == "%"),
                "unit": figure.unit,
                "money": figure.money,
            }
            for figure in bulletin.figures.all()
        ],
        "stale_figures": stale,
        "next_steps": next_steps(BulletinWorkflow, bulletin, user),
    }


def _bulletin(user, pk) -> Bulletin:
    return _found(bulletin_selectors.bulletins_for(user).filter(pk=pk).first())


class BulletinListApi(APIView):
    """The bulletins the caller may read, by series and newest issue first: the published ones
    for everyone signed in; drafts and withdrawn ones too for the office and the auditors."""

    permission_classes = [HasRolePermission]

    @extend_schema(
        operation_id="projects_bulletin_list",
        parameters=[s.ProjectsBulletinFilters, PageParams],
        responses=s.ProjectsBulletinPageOut,
    )
    def get(self, request):
        filters = query_values(request, s.ProjectsBulletinFilters)
        rows = bulletin_selectors.bulletins_for(request.user)
        if filters.get("series"):
            rows = rows.filter(series_id=filters["series"])
        if filters.get("status"):
            rows = rows.filter(status=filters["status"])
        return _page(self, request, rows, bulletin_row, s.ProjectsBulletinRowOut)


class BulletinDetailApi(APIView):
    """An issue as its readers see it (its sections with the figures filled in: frozen once
    published, live while a draft); the editor also sees which published figures have moved on."""

    permission_classes = [HasRolePermission]

    @extend_schema(
        operation_id="projects_bulletin_detail", parameters=[BULLETIN_ID], responses=s.ProjectsBulletinDetailOut
    )
    def get(self, request, pk):
        bulletin = _bulletin(request.user, pk)
        return Response(s.ProjectsBulletinDetailOut(bulletin_detail(bulletin, request.user)).data)


class BulletinPublishApi(APIView):
    """The office publishes a draft issue: every figure it quotes is resolved and frozen with it
    (refused while it has no section, its number is already published in its series, or a
    figure does not exist for its year)."""

    permission_classes = [HasRolePermission]
    permission_required = EDIT

    @extend_schema(
        operation_id="projects_bulletin_publish",
        parameters=[BULLETIN_ID],
        request=None,
        responses=s.ProjectsBulletinDetailOut,
    )
    def post(self, request, pk):
        bulletin = bulletin_services.bulletin_publish(actor=request.user, bulletin=_bulletin(request.user, pk))
        return Response(
            s.ProjectsBulletinDetailOut(bulletin_detail(_bulletin(request.user, bulletin.pk), request.user)).data
        )
