"""The admissions API: the same services and scoped selectors as the pages.

Children's rows (survey lines, requests, their documents, consultations) reach only the
parent, the parent's sub-union officer and the union office's admissions officer (子女入学专员):
for anyone else a list holds none of them and a record is a 404. Lists mask the child's name.

Reads:
- GET /api/admissions/schools/?kind=&affiliation=&district= — the schools (everyone signed in);
- GET /api/admissions/rules/?year= and /rules/<id>/ — the years' rules: dates, ages on 31
  August, priority batches, documents, places;
- GET /api/admissions/campaigns/?year=&status= and /campaigns/<id>/ — the years' work (open
  ones to everyone, drafts to the office), with the caller's own counts and `next_steps`;
- GET /api/admissions/campaigns/<id>/survey-lines/?pending=&sub_union= — the survey lines the
  caller sees (a parent their children's, an officer their sub-union's);
- GET /api/admissions/campaigns/<id>/survey-board/ — the survey's progress per sub-union
  (an officer their own row; the admissions officer every row);
- GET /api/admissions/campaigns/<id>/requests/?status=&sub_union= — the requests the caller
  sees, child names masked; GET /requests/<id>/ — one request: its documents, what is
  missing, `next_steps`; GET /requests/<id>/documents/ — its documents;
- GET /api/admissions/notes/?year=&district= — policy notes (published ones to everyone);
- GET /api/admissions/visits/?status= — visits to schools, with the caller's sign-up;
- GET /api/admissions/consultations/ — advice logged (the admissions officer all, a member
  what they asked);
- GET /api/admissions/demand/?year=&by= — demand against places, figures only (the office,
  the admissions officer, auditors).

Writes:
- POST /schools/ and PUT /schools/<id>/ — the office adds and changes schools;
- POST /campaigns/<id>/steps/<step>/ — the office moves the year on (open_survey,
  open_requests, refer, close);
- POST /survey-lines/<id>/answer/ — the parent, their officer or the admissions officer;
- POST /campaigns/<id>/requests/ — a draft request for a child the caller may act for;
- POST /requests/<id>/submit/, check/, return/ {"reason"}, refer/, answer/ {"placed"},
  withdraw/ — each by whom the workflow allows (404 to anyone else);
- POST /documents/<id>/check/ {"checked"} — the sub-union or the admissions officer;
- POST /notes/, /notes/<id>/publish/, /notes/<id>/withdraw/ {"reason"} — the office;
- POST /visits/<id>/signup/ and /visits/<id>/signup/cancel/ — a member for themselves;
- POST /consultations/ — the admissions officer logs advice given.

Refusals are 400 {"message", "extra"} and write nothing."""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from gonghui.accounts.access import get_access
from gonghui.admissions.api import serializers as s
from gonghui.admissions.choices import KIND_STAGE, RequestStatus, SchoolKind
from gonghui.admissions.models import (
    AdmissionRequest,
    AdmissionRules,
    Campaign,
    Consultation,
    PolicyNote,
    RequestDocument,
    School,
    SchoolVisit,
    SurveyLine,
    VisitSignup,
    sees_children,
)
from gonghui.admissions.selectors import demand as demand_selectors
from gonghui.admissions.selectors.children import child_label, visible_children
from gonghui.admissions.selectors.requests import (
    document_get,
    documents_missing,
    documents_offered,
    request_get,
    request_list,
)
from gonghui.admissions.selectors.survey import survey_board, survey_line_get, survey_lines
from gonghui.admissions.services import advice, campaigns, requests, rules, survey
from gonghui.admissions.workflow import (
    AdmissionRequestWorkflow,
    CampaignWorkflow,
    PolicyNoteWorkflow,
    request_relations,
)
from gonghui.core.api import HasRolePermission, PageParams, Pagination, body_values, next_steps, query_values
from gonghui.core.exceptions import ApplicationError, PermissionDenied
from gonghui.people.models import Person

# the URL's <int:pk> appears as {id} in the schema (SCHEMA_COERCE_PATH_PK)
SCHOOL_ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="the school's id")
RULES_ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="the rules' id")
CAMPAIGN_ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="the campaign's id")
LINE_ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="the survey line's id")
REQUEST_ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="the request's id")
DOCUMENT_ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="the document's id")
NOTE_ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="the policy note's id")
VISIT_ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="the visit's id")
CAMPAIGN_STEPS = [step.name for step in CampaignWorkflow.steps]
CAMPAIGN_STEP = OpenApiParameter(
    "step", OpenApiTypes.STR, OpenApiParameter.PATH, enum=CAMPAIGN_STEPS, description="the step to take"
)
MANAGE = "admissions.manage_campaign"


def _found(obj):
    if obj is None:
        raise Http404
    return obj


def _page(view, request, rows, render, out):
    paginator = Pagination()
    page = paginator.paginate_queryset(rows, request, view=view) or []
    return paginator.get_paginated_response([out(render(row)).data for row in page])


def _school(pk: int | None, field: str) -> School | None:
    """A school named in a body (every school is public): a 400 naming the field when unknown."""
    if pk is None:
        return None
    school = School.objects.filter(pk=pk).first()
    if school is None:
        raise ApplicationError(_("没有编号为 %(pk)s 的学校。") % {"pk": pk}, extra={"field": field})
    return school


def person_data(person: Person | None) -> dict | None:
    if person is None:
        return None
    return {"id": person.pk, "staff_no": person.staff_no, "name": person.name}


def school_link(school: School | None) -> dict | None:
    if school is None:
        return None
    return {"id": school.pk, "code": school.code, "name": school.name}


# --- schools and rules --------------------------------------------------------------------------


def school_data(school: School) -> dict:
    return {
        "id": school.pk,
        "code": school.code,
        "name": school.name,
        "kind": school.kind,
        "kind_display": str(school.get_kind_display()),
        "stage": str(KIND_STAGE[SchoolKind(school.kind)]),
        "district": school.district,
        "affiliation": school.affiliation,
        "affiliation_display": str(school.get_affiliation_display()),
        "takes_requests": school.takes_requests,
        "address": school.address,
        "contact_name": school.contact_name,
        "contact_phone": school.contact_phone,
        "opened_on": school.opened_on,
        "active": school.active,
        "note": school.note,
    }


class SchoolListApi(APIView):
    """GET: the schools (everyone signed in). POST: the office adds a school."""

    permission_classes = [HasRolePermission]

    @extend_schema(
        operation_id="admissions_school_list",
        parameters=[s.AdmissionsSchoolFilters, PageParams],
        responses=s.AdmissionsSchoolPageOut,
    )
    def get(self, request):
        filters = query_values(request, s.AdmissionsSchoolFilters)
        schools = School.objects.restrict(request.user).order_by("kind", "code")
        for name in ("kind", "affiliation", "district"):
            if filters.get(name):
                schools = schools.filter(**{name: filters[name]})
        return _page(self, request, schools, school_data, s.AdmissionsSchoolOut)

    @extend_schema(
        operation_id="admissions_school_create",
        request=s.AdmissionsSchoolCreateInput,
        responses={201: s.AdmissionsSchoolOut},
    )
    def post(self, request):
        if not request.user.has_perm("admissions.add_school"):
            raise PermissionDenied
        data = body_values(request, s.AdmissionsSchoolCreateInput)
        school = rules.school_save(actor=request.user, **data)
        return Response(s.AdmissionsSchoolOut(school_data(school)).data, 201)


class SchoolDetailApi(APIView):
    """GET: a school. PUT: the office changes it (only the fields given)."""

    permission_classes = [HasRolePermission]

    @extend_schema(operation_id="admissions_school_detail", parameters=[SCHOOL_ID], responses=s.AdmissionsSchoolOut)
    def get(self, request, pk):
        school = _found(School.objects.restrict(request.user).filter(pk=pk).first())
        return Response(s.AdmissionsSchoolOut(school_data(school)).data)

    @extend_schema(
        operation_id="admissions_school_update",
        parameters=[SCHOOL_ID],
        request=s.AdmissionsSchoolUpdateInput,
        responses=s.AdmissionsSchoolOut,
    )
    def put(self, request, pk):
        if not request.user.has_perm("admissions.change_school"):
            raise PermissionDenied
        school = _found(School.objects.restrict(request.user, "change").filter(pk=pk).first())
        data = body_values(request, s.AdmissionsSchoolUpdateInput)
        school = rules.school_save(actor=request.user, school=school, **data)
        return Response(s.AdmissionsSchoolOut(school_data(school)).data)


def rules_row(edition: AdmissionRules) -> dict:
    return {
        "id": edition.pk,
        "year": edition.year,
        "name": edition.name,
        "status": edition.status,
        "status_display": str(edition.get_status_display()),
        "adopted_on": edition.adopted_on,
        "resolution": edition.resolution,
        "survey_opens": edition.survey_opens,
        "survey_closes": edition.survey_closes,
        "requests_open": edition.requests_open,
        "requests_deadline": edition.requests_deadline,
    }


class RulesListApi(APIView):
    """The years' admission rules, newest first (everyone signed in)."""

    permission_classes = [HasRolePermission]

    @extend_schema(
        operation_id="admissions_rules_list",
        parameters=[s.AdmissionsYearFilters, PageParams],
        responses=s.AdmissionsRulesPageOut,
    )
    def get(self, request):
        filters = query_values(request, s.AdmissionsYearFilters)
        editions = AdmissionRules.objects.restrict(request.user).order_by("-year", "-pk")
        if filters.get("year"):
            editions = editions.filter(year=filters["year"])
        return _page(self, request, editions, rules_row, s.AdmissionsRulesRowOut)


class RulesDetailApi(APIView):
    permission_classes = [HasRolePermission]

    @extend_schema(operation_id="admissions_rules_detail", parameters=[RULES_ID], responses=s.AdmissionsRulesDetailOut)
    def get(self, request, pk):
        edition = _found(
            AdmissionRules.objects.restrict(request.user)
            .prefetch_related("batches", "documents", "places")
            .filter(pk=pk)
            .first()
        )
        data = {
            **rules_row(edition),
            "ages": {
                "nursery_months": edition.nursery_months,
                "kindergarten_months": edition.kindergarten_months,
                "primary_months": edition.primary_months,
                "secondary_months": edition.secondary_months,
            },
            "alternative_allowed": edition.alternative_allowed,
            "batches": [
                {
                    "position": b.position,
                    "label": b.label,
                    "relation": b.relation,
                    "categories": sorted(b.category_names()),
                }
                for b in edition.batches.all()
            ],
            "documents": [
                {"code": d.code, "label": d.label, "required": d.required, "housing": d.housing}
                for d in edition.documents.all()
            ],
            "places": [
                {"school_code": p.school_code, "places": p.places, "note": p.note} for p in edition.places.all()
            ],
        }
        return Response(s.AdmissionsRulesDetailOut(data).data)


# --- campaigns ----------------------------------------------------------------------------------


def _campaign(user, pk) -> Campaign:
    return _found(Campaign.objects.restrict(user).select_related("rules").filter(pk=pk).first())


def campaign_row(campaign: Campaign) -> dict:
    return {
        "id": campaign.pk,
        "year": campaign.year,
        "name": campaign.name,
        "status": campaign.status,
        "status_display": str(campaign.get_status_display()),
        "rules": campaign.rules_id,
        "rules_name": campaign.rules.name,
    }


def campaign_detail(campaign: Campaign, user) -> dict:
    """The campaign with the caller's own view of it: the lines and requests they see."""
    lines = SurveyLine.objects.restrict(user).filter(campaign=campaign)
    line_counts = lines.aggregate(total=Count("pk"), answered=Count("pk", filter=Q(answered_at__isnull=False)))
    by_status = dict(
        AdmissionRequest.objects.restrict(user)
        .filter(campaign=campaign)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    rules_ = campaign.rules
    return {
        **campaign_row(campaign),
        "note": campaign.note,
        "survey_opens": rules_.survey_opens,
        "survey_closes": rules_.survey_closes,
        "requests_open": rules_.requests_open,
        "requests_deadline": rules_.requests_deadline,
        "survey_lines": line_counts["total"],
        "survey_answered": line_counts["answered"],
        "requests": [
            {"status": status.value, "label": str(status.label), "count": by_status[status.value]}
            for status in RequestStatus
            if by_status.get(status.value)
        ],
        "next_steps": next_steps(CampaignWorkflow, campaign, user),
    }


class CampaignListApi(APIView):
    """The years' work the caller may see (open ones to everyone, drafts to the office)."""

    permission_classes = [HasRolePermission]

    @extend_schema(
        operation_id="admissions_campaign_list",
        parameters=[s.AdmissionsCampaignFilters, PageParams],
        responses=s.AdmissionsCampaignPageOut,
    )
    def get(self, request):
        filters = query_values(request, s.AdmissionsCampaignFilters)
        rows = Campaign.objects.restrict(request.user).select_related("rules").order_by("-year")
        if filters.get("year"):
            rows = rows.filter(year=filters["year"])
        if filters.get("status"):
            rows = rows.filter(status=filters["status"])
        return _page(self, request, rows, campaign_row, s.AdmissionsCampaignRowOut)


class CampaignDetailApi(APIView):
    permission_classes = [HasRolePermission]

    @extend_schema(
        operation_id="admissions_campaign_detail", parameters=[CAMPAIGN_ID], responses=s.AdmissionsCampaignDetailOut
    )
    def get(self, request, pk):
        campaign = _campaign(request.user, pk)
        return Response(s.AdmissionsCampaignDetailOut(campaign_detail(campaign, request.user)).data)


STEP_SERVICES = {
    "open_survey": campaigns.campaign_open_survey,
    "open_requests": campaigns.campaign_open_requests,
    "refer": campaigns.campaign_refer,
    "close": campaigns.campaign_close,
}


class CampaignStepApi(APIView):
    """The office moves the year on: open the survey (its lines pre-filled), open requests,
    refer every checked request to the schools (the admissions officer), close the year."""

    permission_classes = [HasRolePermission]
    permission_required = MANAGE

    @extend_schema(
        operation_id="admissions_campaign_step",
        parameters=[CAMPAIGN_ID, CAMPAIGN_STEP],
        request=None,
        responses=s.AdmissionsCampaignDetailOut,
    )
    def post(self, request, pk, step):
        if step not in STEP_SERVICES:
            raise Http404
        campaign = _campaign(request.user, pk)
        campaign = STEP_SERVICES[step](actor=request.user, campaign=campaign)
        campaign = _campaign(request.user, campaign.pk)
        return Response(s.AdmissionsCampaignDetailOut(campaign_detail(campaign, request.user)).data)


# --- the survey ---------------------------------------------------------------------------------


def line_data(line: SurveyLine) -> dict:
    return {
        "id": line.pk,
        "campaign": line.campaign_id,
        "child": line.child_id,
        "child_name": child_label(line.child),
        "birth_date": line.child.birth_date,
        "parent": person_data(line.parent),
        "sub_union": line.parent.sub_union.name if line.parent.sub_union_id else "",
        "stage": line.stage,
        "stage_display": str(line.get_stage_display()),
        "need": line.need,
        "need_display": str(line.get_need_display()) if line.need else "",
        "school": school_link(line.school),
        "alternative": school_link(line.alternative),
        "hukou_district": line.hukou_district,
        "housing": line.housing,
        "note": line.note,
        "answered_at": line.answered_at,
    }


class SurveyLineListApi(APIView):
    """The campaign's survey lines the caller sees (a parent their children's, an officer their
    sub-union's, the admissions officer every one; nobody else any), child names masked."""

    permission_classes = [HasRolePermission]

    @extend_schema(
        operation_id="admissions_survey_line_list",
        parameters=[CAMPAIGN_ID, s.AdmissionsSurveyFilters, PageParams],
        responses=s.AdmissionsSurveyLinePageOut,
    )
    def get(self, request, pk):
        campaign = _campaign(request.user, pk)
        filters = query_values(request, s.AdmissionsSurveyFilters)
        lines = survey_lines(
            campaign=campaign, user=request.user, pending=filters["pending"], sub_union=filters.get("sub_union")
        )
        return _page(self, request, lines, line_data, s.AdmissionsSurveyLineOut)


class SurveyBoardApi(APIView):
    """The survey's progress per top-level sub-union, counting parents and children (an
    officer their own sub-union's row, the admissions officer every row)."""

    permission_classes = [HasRolePermission]
    permission_required = "admissions.view_surveyline"

    @extend_schema(
        operation_id="admissions_survey_board", parameters=[CAMPAIGN_ID], responses=s.AdmissionsBoardRowOut(many=True)
    )
    def get(self, request, pk):
        campaign = _campaign(request.user, pk)
        rows = [
            {
                **{key: row[key] for key in ("eligible", "answered", "answered_pct", "pending")},
                **{key: row[key] for key in ("yes", "no", "undecided", "children", "children_yes")},
                "sub_union": row["top"],
                "sub_union_name": row["sub_union"].name,
            }
            for row in survey_board(campaign=campaign, user=request.user)
        ]
        return Response(s.AdmissionsBoardRowOut(rows, many=True).data)


class SurveyAnswerApi(APIView):
    """The answer for one child: need, intended school and alternative, hukou and housing
    (the parent, their sub-union's officer or the admissions officer; 404 to anyone else)."""

    permission_classes = [HasRolePermission]

    @extend_schema(
        operation_id="admissions_survey_answer",
        parameters=[LINE_ID],
        request=s.AdmissionsSurveyAnswerInput,
        responses=s.AdmissionsSurveyLineOut,
    )
    def post(self, request, pk):
        line = _found(survey_line_get(request.user, pk))
        data = body_values(request, s.AdmissionsSurveyAnswerInput)
        survey.survey_answer(
            actor=request.user,
            line=line,
            need=data["need"],
            school=_school(data.get("school"), "school"),
            alternative=_school(data.get("alternative"), "alternative"),
            hukou_district=data.get("hukou_district", ""),
            housing=data.get("housing", ""),
            note=data.get("note", ""),
        )
        line = _found(survey_line_get(request.user, pk))
        return Response(s.AdmissionsSurveyLineOut(line_data(line)).data)


# --- requests -----------------------------------------------------------------------------------


def request_row(item: AdmissionRequest, *, masked: bool = True) -> dict:
    return {
        "id": item.pk,
        "number": item.number,
        "campaign": item.campaign_id,
        "year": item.campaign.year,
        "child": item.child_id,
        "child_name": child_label(item.child) if masked else item.child.name,
        "parent": person_data(item.parent),
        "sub_union": item.parent.sub_union.name if item.parent.sub_union_id else "",
        "stage": item.stage,
        "stage_display": str(item.get_stage_display()),
        "school": school_link(item.school),
        "alternative": school_link(item.alternative),
        "status": item.status,
        "status_display": str(item.get_status_display()),
        "late": item.late,
        "batch_position": item.batch_position,
        "batch_label": item.batch_label,
        "submitted_at": item.submitted_at,
        "placed_school": school_link(item.placed_school),
    }


def documents_data(item: AdmissionRequest, user) -> list[dict]:
    """Every document the rules ask for the request's housing, with its upload if any (the
    uploads as the caller may see them), then uploads the rules no longer list."""
    uploaded = {
        d.code: d
        for d in RequestDocument.objects.restrict(user).filter(request_id=item.pk).select_related("attachment")
    }
    rows = []
    for rule in documents_offered(item):
        rows.append(
            _document_row(uploaded.pop(rule.code, None), code=rule.code, label=rule.label, required=rule.required)
        )
    for code, document in sorted(uploaded.items()):
        rows.append(_document_row(document, code=code, label=document.label, required=False))
    return rows


def _document_row(document: RequestDocument | None, *, code: str, label: str, required: bool) -> dict:
    return {
        "id": document.pk if document else None,
        "code": code,
        "label": label,
        "required": required,
        "uploaded": document is not None,
        "file_name": document.attachment.original_name if document else "",
        "attachment": document.attachment_id if document else None,
        "checked": bool(document and document.checked),
        "checked_at": document.checked_at if document else None,
    }


def request_detail(item: AdmissionRequest, user) -> dict:
    return {
        **request_row(item, masked=False),
        "birth_date": item.child.birth_date,
        "relation": item.relation,
        "relation_display": str(item.get_relation_display()),
        "hukou_district": item.hukou_district,
        "housing": item.housing,
        "housing_display": str(item.get_housing_display()),
        "employment_category": item.employment_category,
        "note": item.note,
        "checked_at": item.checked_at,
        "referred_at": item.referred_at,
        "answered_at": item.answered_at,
        "answer_source": item.answer_source,
        "answer_note": item.answer_note,
        "documents": documents_data(item, user),
        "missing": documents_missing(item),
        "next_steps": next_steps(AdmissionRequestWorkflow, item, user),
    }


def _request_detail_response(user, pk, status: int = 200) -> Response:
    item = _found(request_get(user, pk))
    return Response(s.AdmissionsRequestDetailOut(request_detail(item, user)).data, status)


class RequestListApi(APIView):
    """GET: the campaign's requests the caller sees (a parent their own, an officer their
    sub-union's, the admissions officer every one; nobody else any), child names masked, by
    batch and submission. POST: a draft request for a child the caller may act for (the
    parent, their sub-union's officer, the admissions officer; 404 for any other child)."""

    permission_classes = [HasRolePermission]

    @extend_schema(
        operation_id="admissions_request_list",
        parameters=[CAMPAIGN_ID, s.AdmissionsRequestFilters, PageParams],
        responses=s.AdmissionsRequestPageOut,
    )
    def get(self, request, pk):
        campaign = _campaign(request.user, pk)
        filters = query_values(request, s.AdmissionsRequestFilters)
        rows = request_list(
            user=request.user, campaign=campaign, status=filters.get("status"), sub_union=filters.get("sub_union")
        )
        return _page(self, request, rows, request_row, s.AdmissionsRequestRowOut)

    @extend_schema(
        operation_id="admissions_request_create",
        parameters=[CAMPAIGN_ID],
        request=s.AdmissionsRequestInput,
        responses={201: s.AdmissionsRequestDetailOut},
    )
    def post(self, request, pk):
        campaign = _campaign(request.user, pk)
        data = body_values(request, s.AdmissionsRequestInput)
        child = _found(visible_children(request.user).select_related("parent").filter(pk=data["child"]).first())
        item = requests.request_create(
            actor=request.user,
            campaign=campaign,
            child=child,
            school=_school(data["school"], "school"),
            alternative=_school(data.get("alternative"), "alternative"),
            hukou_district=data["hukou_district"],
            housing=data["housing"],
            relation=data.get("relation") or None,
            note=data.get("note", ""),
        )
        return _request_detail_response(request.user, item.pk, 201)


class RequestDetailApi(APIView):
    """One request, the child's name whole: its documents (uploaded and checked or not), the
    required ones missing, and the steps the caller may take (404 to anyone but the parent,
    their sub-union's officer and the admissions officer)."""

    permission_classes = [HasRolePermission]

    @extend_schema(
        operation_id="admissions_request_detail", parameters=[REQUEST_ID], responses=s.AdmissionsRequestDetailOut
    )
    def get(self, request, pk):
        return _request_detail_response(request.user, pk)


class DocumentListApi(APIView):
    """The request's documents, as the rules list them for its housing (404 as the request)."""

    permission_classes = [HasRolePermission]

    @extend_schema(
        operation_id="admissions_document_list", parameters=[REQUEST_ID], responses=s.AdmissionsDocumentOut(many=True)
    )
    def get(self, request, pk):
        item = _found(request_get(request.user, pk))
        return Response(s.AdmissionsDocumentOut(documents_data(item, request.user), many=True).data)


def _request_for_step(user, pk, step: str) -> AdmissionRequest:
    """The request, when the caller sees it and is one the step is for (the parent, the
    sub-union, the admissions officer as the workflow says); a 404 otherwise, as the pages."""
    item = _found(request_get(user, pk))
    allowed = {r for candidate in AdmissionRequestWorkflow.steps if candidate.name == step for r in candidate.relations}
    if not request_relations(item, user) & allowed:
        raise Http404
    return item


class _RequestStepApi(APIView):
    permission_classes = [HasRolePermission]
    step = ""

    def act(self, request, item: AdmissionRequest) -> None:  # pragma: no cover - each step says
        raise NotImplementedError

    def post(self, request, pk):
        item = _request_for_step(request.user, pk, self.step)
        self.act(request, item)
        return _request_detail_response(request.user, pk)


def _step_schema(step: str, doc: str, body=None):
    return extend_schema(
        operation_id=f"admissions_request_{step}",
        parameters=[REQUEST_ID],
        request=body,
        responses=s.AdmissionsRequestDetailOut,
        description=doc,
    )


class RequestSubmitApi(_RequestStepApi):
    step = "submit"

    @_step_schema(
        "submit",
        "Submit a draft (the parent, their sub-union's officer or the admissions officer). Missing documents: "
        "400 listing them in extra.missing. After the deadline the request becomes self_arranged (视为自行解决) "
        "and the parent is told: not an error.",
    )
    def post(self, request, pk):
        return super().post(request, pk)

    def act(self, request, item):
        requests.request_submit(actor=request.user, request=item)


class RequestCheckApi(_RequestStepApi):
    step = "check"

    @_step_schema(
        "check",
        "The sub-union's (or the admissions officer's) sign-off, once every document is checked.",
        s.AdmissionsMessageInput,
    )
    def post(self, request, pk):
        return super().post(request, pk)

    def act(self, request, item):
        data = body_values(request, s.AdmissionsMessageInput)
        requests.request_check(actor=request.user, request=item, message=data.get("message", ""))


class RequestReturnApi(_RequestStepApi):
    step = "return"

    @_step_schema(
        "return",
        "Back to the parent with the reason (the sub-union or the admissions officer).",
        s.AdmissionsReasonInput,
    )
    def post(self, request, pk):
        return super().post(request, pk)

    def act(self, request, item):
        data = body_values(request, s.AdmissionsReasonInput)
        requests.request_return(actor=request.user, request=item, reason=data["reason"])


class RequestReferApi(_RequestStepApi):
    step = "refer"

    @_step_schema("refer", "The admissions officer sends one checked request to its school.", s.AdmissionsMessageInput)
    def post(self, request, pk):
        return super().post(request, pk)

    def act(self, request, item):
        data = body_values(request, s.AdmissionsMessageInput)
        requests.request_refer(actor=request.user, request=item, message=data.get("message", ""))


class RequestAnswerApi(_RequestStepApi):
    step = "place"

    @_step_schema(
        "answer",
        "The school's answer, entered by hand by the admissions officer: placed (at the intended school or the "
        "alternative) or not placed.",
        s.AdmissionsAnswerInput,
    )
    def post(self, request, pk):
        return super().post(request, pk)

    def act(self, request, item):
        data = body_values(request, s.AdmissionsAnswerInput)
        requests.request_answer(
            actor=request.user,
            request=item,
            placed=data["placed"],
            note=data.get("note", ""),
            school=_school(data.get("school"), "school"),
        )


class RequestWithdrawApi(_RequestStepApi):
    step = "withdraw"

    @_step_schema(
        "withdraw",
        "The parent (or the admissions officer) withdraws a request before it goes to the school.",
        s.AdmissionsMessageInput,
    )
    def post(self, request, pk):
        return super().post(request, pk)

    def act(self, request, item):
        data = body_values(request, s.AdmissionsMessageInput)
        requests.request_withdraw(actor=request.user, request=item, reason=data.get("message", ""))


class DocumentCheckApi(APIView):
    """The sub-union (or the admissions officer) checks a document off, or takes the check off,
    while the request waits for its check (404 to anyone else)."""

    permission_classes = [HasRolePermission]

    @extend_schema(
        operation_id="admissions_document_check",
        parameters=[DOCUMENT_ID],
        request=s.AdmissionsDocumentCheckInput,
        responses=s.AdmissionsRequestDetailOut,
    )
    def post(self, request, pk):
        document = _found(document_get(request.user, pk))
        _request_for_step(request.user, document.request_id, "check")
        data = body_values(request, s.AdmissionsDocumentCheckInput)
        requests.document_check(actor=request.user, document=document, checked=data["checked"])
        return _request_detail_response(request.user, document.request_id)


# --- policy notes -------------------------------------------------------------------------------


def note_data(note: PolicyNote, user) -> dict:
    return {
        "id": note.pk,
        "year": note.year,
        "district": note.district,
        "title": note.title,
        "body": note.body,
        "source_url": note.source_url,
        "status": note.status,
        "status_display": str(note.get_status_display()),
        "published_at": note.published_at,
        "next_steps": next_steps(PolicyNoteWorkflow, note, user),
    }


class NoteListApi(APIView):
    """GET: the policy notes per district and year (published ones to everyone signed in,
    drafts and withdrawn ones to the office). POST: the office drafts one."""

    permission_classes = [HasRolePermission]

    @extend_schema(
        operation_id="admissions_note_list",
        parameters=[s.AdmissionsNoteFilters, PageParams],
        responses=s.AdmissionsNotePageOut,
    )
    def get(self, request):
        filters = query_values(request, s.AdmissionsNoteFilters)
        notes = PolicyNote.objects.restrict(request.user).order_by("-year", "district", "-pk")
        if filters.get("year"):
            notes = notes.filter(year=filters["year"])
        for name in ("district", "status"):
            if filters.get(name):
                notes = notes.filter(**{name: filters[name]})
        return _page(self, request, notes, lambda n: note_data(n, request.user), s.AdmissionsNoteOut)

    @extend_schema(
        operation_id="admissions_note_create", request=s.AdmissionsNoteInput, responses={201: s.AdmissionsNoteOut}
    )
    def post(self, request):
        if not request.user.has_perm("admissions.add_policynote"):
            raise PermissionDenied
        data = body_values(request, s.AdmissionsNoteInput)
        note = advice.policy_note_create(actor=request.user, **data)
        return Response(s.AdmissionsNoteOut(note_data(note, request.user)).data, 201)


def _note_for_change(user, pk) -> PolicyNote:
    return _found(PolicyNote.objects.restrict(user, "change").filter(pk=pk).first())


class NotePublishApi(APIView):
    """The office publishes a note on the portal (a withdrawn one again)."""

    permission_classes = [HasRolePermission]
    permission_required = "admissions.change_policynote"

    @extend_schema(
        operation_id="admissions_note_publish", parameters=[NOTE_ID], request=None, responses=s.AdmissionsNoteOut
    )
    def post(self, request, pk):
        note = advice.policy_note_publish(actor=request.user, note=_note_for_change(request.user, pk))
        return Response(s.AdmissionsNoteOut(note_data(note, request.user)).data)


class NoteWithdrawApi(APIView):
    """The office takes a published note off the portal, with the reason."""

    permission_classes = [HasRolePermission]
    permission_required = "admissions.change_policynote"

    @extend_schema(
        operation_id="admissions_note_withdraw",
        parameters=[NOTE_ID],
        request=s.AdmissionsReasonInput,
        responses=s.AdmissionsNoteOut,
    )
    def post(self, request, pk):
        note = _note_for_change(request.user, pk)
        data = body_values(request, s.AdmissionsReasonInput)
        note = advice.policy_note_withdraw(actor=request.user, note=note, reason=data["reason"])
        return Response(s.AdmissionsNoteOut(note_data(note, request.user)).data)


# --- visits -------------------------------------------------------------------------------------


def visit_data(visit: SchoolVisit, mine: set[int]) -> dict:
    signed = visit.signed_up  # type: ignore[attr-defined]
    return {
        "id": visit.pk,
        "school": school_link(visit.school),
        "visit_on": visit.visit_on,
        "meeting_point": visit.meeting_point,
        "capacity": visit.capacity,
        "signed_up": signed,
        "places_left": max(0, visit.capacity - signed),
        "signup_until": visit.signup_until,
        "note": visit.note,
        "status": visit.status,
        "status_display": str(visit.get_status_display()),
        "mine": visit.pk in mine,
    }


def _visits(user):
    return SchoolVisit.objects.restrict(user).select_related("school").annotate(signed_up=Count("signups"))


def _my_visits(user) -> set[int]:
    person_id = get_access(user).person_id
    if not person_id:
        return set()
    return set(VisitSignup.objects.filter(person_id=person_id).values_list("visit_id", flat=True))


class VisitListApi(APIView):
    """Visits to the schools, newest first, with the places left and the caller's sign-up."""

    permission_classes = [HasRolePermission]

    @extend_schema(
        operation_id="admissions_visit_list",
        parameters=[s.AdmissionsVisitFilters, PageParams],
        responses=s.AdmissionsVisitPageOut,
    )
    def get(self, request):
        filters = query_values(request, s.AdmissionsVisitFilters)
        visits = _visits(request.user).order_by("-visit_on", "-pk")
        if filters.get("status"):
            visits = visits.filter(status=filters["status"])
        mine = _my_visits(request.user)
        return _page(self, request, visits, lambda v: visit_data(v, mine), s.AdmissionsVisitOut)


def _visit_response(user, pk) -> Response:
    visit = _found(_visits(user).filter(pk=pk).first())
    return Response(s.AdmissionsVisitOut(visit_data(visit, _my_visits(user))).data)


class VisitSignupApi(APIView):
    """A member of staff signs up for a visit themselves (refused when it is full, closed or
    already signed up)."""

    permission_classes = [HasRolePermission]

    @extend_schema(
        operation_id="admissions_visit_signup", parameters=[VISIT_ID], request=None, responses=s.AdmissionsVisitOut
    )
    def post(self, request, pk):
        visit = _found(_visits(request.user).filter(pk=pk).first())
        advice.visit_signup(actor=request.user, visit=visit)
        return _visit_response(request.user, pk)


class VisitSignupCancelApi(APIView):
    """A member takes back their sign-up before the visit."""

    permission_classes = [HasRolePermission]

    @extend_schema(
        operation_id="admissions_visit_signup_cancel",
        parameters=[VISIT_ID],
        request=None,
        responses=s.AdmissionsVisitOut,
    )
    def post(self, request, pk):
        visit = _found(_visits(request.user).filter(pk=pk).first())
        advice.visit_cancel_signup(actor=request.user, visit=visit)
        return _visit_response(request.user, pk)


# --- consultations ------------------------------------------------------------------------------


def consultation_data(item: Consultation) -> dict:
    return {
        "id": item.pk,
        "person": person_data(item.person),
        "asked_on": item.asked_on,
        "channel": item.channel,
        "channel_display": str(item.get_channel_display()),
        "stage": item.stage,
        "district": item.district,
        "question": item.question,
        "answer": item.answer,
        "advised_by": (item.advised_by.get_full_name() or item.advised_by.get_username()) if item.advised_by else "",
    }


class ConsultationListApi(APIView):
    """GET: the advice logged (the admissions officer every consultation; a member what they
    asked; nobody else any), newest first. POST: the admissions officer logs advice given."""

    permission_classes = [HasRolePermission]

    @extend_schema(
        operation_id="admissions_consultation_list", parameters=[PageParams], responses=s.AdmissionsConsultationPageOut
    )
    def get(self, request):
        rows = Consultation.objects.restrict(request.user).select_related("person", "advised_by")
        return _page(self, request, rows.order_by("-asked_on", "-pk"), consultation_data, s.AdmissionsConsultationOut)

    @extend_schema(
        operation_id="admissions_consultation_log",
        request=s.AdmissionsConsultationInput,
        responses={201: s.AdmissionsConsultationOut},
    )
    def post(self, request):
        # what members asked is the admissions officer's alone: not the administrator's either
        if not (request.user.has_perm("admissions.add_consultation") and sees_children(get_access(request.user))):
            raise PermissionDenied
        data = body_values(request, s.AdmissionsConsultationInput)
        person = None
        if data.get("staff_no", "").strip():
            person = Person.objects.filter(staff_no=data["staff_no"].strip()).first()
            if person is None:
                raise ApplicationError(
                    _("没有工号为“%(staff_no)s”的教职工。") % {"staff_no": data["staff_no"].strip()},
                    extra={"field": "staff_no"},
                )
        item = advice.consultation_log(
            actor=request.user,
            person=person,
            asked_on=data["asked_on"],
            channel=data["channel"],
            question=data["question"],
            answer=data["answer"],
            stage=data.get("stage", ""),
            district=data.get("district", ""),
        )
        item = Consultation.objects.select_related("person", "advised_by").get(pk=item.pk)
        return Response(s.AdmissionsConsultationOut(consultation_data(item)).data, 201)


# --- demand -------------------------------------------------------------------------------------

DIMENSIONS_BY = {
    "total": ("year",),
    "stage": ("year", "stage"),
    "district": ("year", "stage", "district"),
    "school": ("year", "stage", "school"),
    "sub_union": ("year", "stage", "sub_union"),
}


def demand_row(figures) -> dict:
    return {
        "year": figures.year,
        "stage": figures.stage,
        "district": figures.district,
        "school": figures.school.code if figures.school else None,
        "school_name": figures.school.name if figures.school else None,
        "sub_union": figures.sub_union.code if figures.sub_union else None,
        "sub_union_name": figures.sub_union.name if figures.sub_union else None,
        "demand": figures.demand,
        "requests": figures.requests,
        "placed": figures.placed,
        "not_placed": figures.not_placed,
        "self_arranged": figures.self_arranged,
        "unmet": figures.unmet,
        "places": figures.places,
        "shortfall": figures.shortfall,
    }


class DemandApi(APIView):
    """Demand against places by year (and stage, district, school or sub-union): figures
    only, no child. The office, the admissions officer and auditors."""

    permission_classes = [HasRolePermission]
    permission_required = "admissions.view_shortageaction"

    @extend_schema(
        operation_id="admissions_demand", parameters=[s.AdmissionsDemandFilters], responses=s.AdmissionsDemandOut
    )
    def get(self, request):
        filters = query_values(request, s.AdmissionsDemandFilters)
        year = filters.get("year")
        table = demand_selectors.demand_by_year(years=[year] if year else None)
        rows = table.by(*DIMENSIONS_BY[filters["by"]], year=year)
        found = [item for y in table.years for item in demand_selectors.shortages(y, table=table)]
        data = {
            "years": table.years,
            "by": filters["by"],
            "rows": [demand_row(figures) for figures in rows],
            "shortages": [item.as_dict() for item in found],
        }
        return Response(s.AdmissionsDemandOut(data).data)
