"""Deliberations API: the same services and scoped selectors as the pages.

Reads: GET /api/deliberations/ (the deliberations the caller may see), /api/deliberations/<id>/
(its versions, rounds, answers published and votes), /api/deliberations/versions/<id>/ (the
articles), /api/deliberations/mine/ (the caller's opinions and their fate),
/api/deliberations/rounds/<id>/rollup/ (groups, for the union office, presidium and drafting
unit), /api/deliberations/<id>/report/.
Writes: POST /api/deliberations/rounds/<id>/opinions/ (a member's opinion: article, text),
POST /api/deliberations/groups/<id>/answer/ (decision, reason).
Errors have the one shape {"message", "extra"}.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from gonghui.core.api import OptionalIntegerField, OptionalText, PageParams, Pagination, body_values
from gonghui.core.reports import plain
from gonghui.deliberations.choices import AnswerStatus
from gonghui.deliberations.models import Deliberation, DraftVersion, OpinionGroup
from gonghui.deliberations.selectors import deliberations as selectors
from gonghui.deliberations.selectors.report import deliberation_report, vote_figures
from gonghui.deliberations.services import answers, rounds
from gonghui.deliberations.views.pages import deliberation_or_404 as _deliberation
from gonghui.deliberations.views.pages import require_insider, require_rollup_reader
from gonghui.deliberations.views.pages import round_or_404 as _round


def deliberation_data(d: Deliberation) -> dict:
    return {
        "id": d.pk,
        "topic": d.topic,
        "session": d.session_id,
        "drafting_unit": d.drafting_unit.name,
        "status": d.status,
        "status_display": str(d.get_status_display()),
    }


def group_data(g: OpinionGroup) -> dict:
    return {
        "id": g.pk,
        "number": g.number,
        "article": g.article.label if g.article_id else None,
        "summary": g.summary,
        "size": g.size,
        "colleges": g.colleges,
        "answer": g.status,
        "answer_display": str(g.get_status_display()),
        "reason": g.reason,
    }


class DeliberationListApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="deliberations_list", responses=OpenApiTypes.OBJECT, parameters=[PageParams])
    def get(self, request):
        paginator = Pagination()
        page = paginator.paginate_queryset(selectors.deliberation_list(user=request.user), request)
        return paginator.get_paginated_response([deliberation_data(d) for d in page])


class DeliberationDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="deliberations_detail", responses=OpenApiTypes.OBJECT)
    def get(self, request, pk):
        d = _deliberation(request.user, pk)
        data = deliberation_data(d)
        data["versions"] = [
            {"id": v.pk, "number": v.number, "title": v.title, "status": v.status, "published_at": v.published_at}
            for v in selectors.versions_of(user=request.user, deliberation=d)
        ]
        data["rounds"] = [
            {
                "id": r.pk,
                "number": r.number,
                "version": r.version_id,
                "opens_at": r.opens_at,
                "closes_at": r.ends_at,
                "audience": r.audience,
                "anonymous": r.anonymous,
                "answered_at": r.answered_at,
            }
            for r in d.rounds.order_by("number")
        ]
        data["answers"] = [
            {"round": r.number, "groups": [group_data(g) for g in r.answered_groups]}
            for r in selectors.answers_published(user=request.user, deliberation=d)
        ]
        data["votes"] = [
            {**vote_figures(v), "version": v.version_id, "method": v.method}
            for v in d.votes.select_related("version").order_by("recorded_at")
        ]
        return Response(data)


class VersionApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="deliberations_version", responses=OpenApiTypes.OBJECT)
    def get(self, request, pk):
        try:
            v = selectors.version_get(user=request.user, pk=pk)
        except DraftVersion.DoesNotExist:
            raise Http404 from None
        return Response(
            {
                "id": v.pk,
                "deliberation": v.deliberation_id,
                "number": v.number,
                "title": v.title,
                "status": v.status,
                "preamble": v.preamble,
                "change_note": v.change_note,
                "articles": [
                    {"id": a.pk, "label": a.label, "chapter": a.chapter, "text": a.text}
                    for a in v.articles.order_by("position")
                ],
            }
        )


class MyOpinionsApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="deliberations_my_opinions", responses=OpenApiTypes.OBJECT, parameters=[PageParams])
    def get(self, request):
        paginator = Pagination()
        page = paginator.paginate_queryset(selectors.my_opinions(user=request.user), request)
        return paginator.get_paginated_response(
            [
                {
                    "id": o.pk,
                    "deliberation": o.round.deliberation_id,
                    "round": o.round.number,
                    "article": o.article.label if o.article_id else None,
                    "text": o.text,
                    "created_at": o.created_at,
                    "answer": o.group.status if shown else None,
                    "reason": o.group.reason if shown else None,
                    "next_version": next_version.pk if next_version else None,
                }
                for o, shown, next_version in selectors.opinions_with_fate(page)
            ]
        )


class OpinionInput(serializers.Serializer):
    article = OptionalIntegerField(help_text="an article of the round's version; empty for a general opinion")
    text = serializers.CharField(max_length=2000)


class OpinionGiveApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="deliberations_opinion_give", request=OpinionInput, responses={201: OpenApiTypes.OBJECT}
    )
    def post(self, request, pk):
        opinion_round = _round(request.user, pk)
        data = body_values(request, OpinionInput)
        try:
            opinion = rounds.opinion_give(
                actor=request.user, opinion_round=opinion_round, text=data["text"], article_id=data.get("article")
            )
        except PermissionDenied:
            raise Http404 from None  # not a member of staff: as a round outside their scope
        return Response({"id": opinion.pk, "round": opinion_round.pk, "article": opinion.article_id}, status=201)


class RollupApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="deliberations_rollup", responses=OpenApiTypes.OBJECT, parameters=[PageParams])
    def get(self, request, pk):
        opinion_round = _round(request.user, pk)
        require_rollup_reader(request.user, opinion_round)
        paginator = Pagination()
        page = paginator.paginate_queryset(
            selectors.rollup_groups(user=request.user, opinion_round=opinion_round), request
        )
        rows = selectors.groups_with_opinions(user=request.user, groups=page)
        return paginator.get_paginated_response(
            [
                {
                    **group_data(g),
                    "opinions": [
                        {
                            "text": o.text,
                            "college": o.sub_union.name,
                            "author": (o.author.name if o.author_id else None) if shown else None,
                        }
                        for o, shown in members
                    ],
                }
                for g, members, _colleges in rows
            ]
        )


class AnswerInput(serializers.Serializer):
    decision = serializers.ChoiceField(choices=[c for c in AnswerStatus.choices if c[0] != AnswerStatus.PENDING])
    reason = OptionalText()


class GroupAnswerApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="deliberations_group_answer", request=AnswerInput, responses=OpenApiTypes.OBJECT)
    def post(self, request, pk):
        group = OpinionGroup.objects.restrict(request.user, "view").select_related("article").filter(pk=pk).first()
        if group is None:
            raise Http404
        data = body_values(request, AnswerInput)
        try:
            group = answers.group_answer(
                actor=request.user, group=group, decision=data["decision"], reason=data.get("reason", "")
            )
        except PermissionDenied:
            raise Http404 from None
        return Response(group_data(group))


class ReportApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="deliberations_report", responses=OpenApiTypes.OBJECT)
    def get(self, request, pk):
        d = _deliberation(request.user, pk)
        require_insider(request.user, d)
        return Response(plain(deliberation_report(d).figures))
