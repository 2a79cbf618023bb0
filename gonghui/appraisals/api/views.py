"""Cadre appraisal API: the same services and scoped selectors as the pages.

Reads: GET /api/appraisals/rounds/ (the rounds the caller may see), /api/appraisals/rounds/<id>/
(its units, with the cadres and the grade scales a voter needs), /api/appraisals/rounds/<id>/turnout/
(the union office, auditors, an administrator, the organisation department, a college's officer
for their college), /api/appraisals/rounds/<id>/results/ (the organisation department, once
released), /api/appraisals/mine/ (the units the caller votes in, and whether they have).
Write: POST /api/appraisals/units/<id>/ballot/ {"choices": {"c12": "excellent", …, "team": "good"}}
casts the caller's ballot (final). Errors have the one shape {"message", "extra"}.

Nothing here returns a ballot, or who cast which: the results are the stored tally.
"""

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from gonghui.accounts.access import get_access
from gonghui.appraisals.choices import BallotKind, RoundStatus
from gonghui.appraisals.models import AppraisalRound, Cadre, RoundUnit, reads_results
from gonghui.appraisals.selectors import results as results_selectors
from gonghui.appraisals.selectors import rounds as selectors
from gonghui.appraisals.services.voting import appraisal_vote
from gonghui.core.api import PageParams, Pagination, body_values
from gonghui.core.reports import plain


def _round(user, pk) -> AppraisalRound:
    appraisal_round = selectors.round_get(user=user, pk=pk)
    if appraisal_round is None:
        raise Http404
    return appraisal_round


def round_data(r: AppraisalRound) -> dict:
    return {
        "id": r.pk,
        "year": r.year,
        "title": r.title,
        "status": r.status,
        "status_display": str(r.get_status_display()),
        "mode": r.rules.mode,
        "opens_at": r.opens_at,
        "closes_at": r.closes_at,
        "released_at": r.released_at,
    }


class RoundListApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="appraisals_round_list", responses=OpenApiTypes.OBJECT, parameters=[PageParams])
    def get(self, request):
        paginator = Pagination()
        page = paginator.paginate_queryset(selectors.round_list(user=request.user), request)
        return paginator.get_paginated_response([{**round_data(r), "units": r.unit_count} for r in page])


class RoundDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="appraisals_round_detail", responses=OpenApiTypes.OBJECT)
    def get(self, request, pk):
        appraisal_round = _round(request.user, pk)
        rules = appraisal_round.rules
        units = list(
            selectors.unit_list(user=request.user, appraisal_round=appraisal_round).order_by(
                "sub_union__sort_key", "sub_union__code"
            )
        )
        cadres: dict[int, list] = {}
        for cadre in (
            Cadre.objects.restrict(request.user)
            .filter(round_unit__in=[u.pk for u in units])
            .select_related("person")
            .order_by("position", "pk")
        ):
            cadres.setdefault(cadre.round_unit_id, []).append(
                {"id": cadre.pk, "key": cadre.item_key, "name": cadre.person.name, "post": cadre.post}
            )
        scales = {
            kind: [{"code": g.code, "label": g.label} for g in rules.scale(kind)]
            for kind in ([BallotKind.CADRE, BallotKind.TEAM] if rules.team_ballot else [BallotKind.CADRE])
        }
        return Response(
            {
                **round_data(appraisal_round),
                "team_ballot": rules.team_ballot,
                "scales": scales,
                "units": [
                    {
                        "id": u.pk,
                        "unit": u.sub_union.name,
                        "meeting_on": u.meeting_on,
                        "cadres": cadres.get(u.pk, []),
                    }
                    for u in units
                ],
            }
        )


class TurnoutApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="appraisals_turnout", responses=OpenApiTypes.OBJECT)
    def get(self, request, pk):
        appraisal_round = _round(request.user, pk)
        if not results_selectors.reads_turnout(request.user, appraisal_round):
            raise Http404  # a voter: the round's inside is not there for them
        return Response(
            plain(results_selectors.turnout_report(user=request.user, appraisal_round=appraisal_round).figures)
        )


class ResultsApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="appraisals_results", responses=OpenApiTypes.OBJECT)
    def get(self, request, pk):
        if not reads_results(get_access(request.user)):
            raise exceptions.PermissionDenied
        appraisal_round = _round(request.user, pk)
        if appraisal_round.status != RoundStatus.RELEASED:
            raise exceptions.PermissionDenied(_("测评结果尚未启封。"))
        report = results_selectors.results_report(user=request.user, appraisal_round=appraisal_round)
        return Response(plain(report.figures))


class MyBallotOutput(serializers.Serializer):
    """One unit the caller votes in (not what they voted)."""

    unit = serializers.IntegerField()
    unit_name = serializers.CharField()
    round = serializers.IntegerField()
    round_title = serializers.CharField()
    status = serializers.CharField()
    opens_at = serializers.DateTimeField()
    closes_at = serializers.DateTimeField()
    voted = serializers.BooleanField()
    paper_only = serializers.BooleanField()


class MyBallotsApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="appraisals_my_ballots", responses=MyBallotOutput(many=True))
    def get(self, request):
        return Response(
            [
                {
                    "unit": b.unit.pk,
                    "unit_name": b.unit.sub_union.name,
                    "round": b.unit.round_id,
                    "round_title": b.unit.round.title,
                    "status": b.unit.round.status,
                    "opens_at": b.unit.round.opens_at,
                    "closes_at": b.unit.round.closes_at,
                    "voted": b.voted,
                    "paper_only": b.paper_only,
                }
                for b in selectors.my_ballots(user=request.user)
            ]
        )


class BallotInput(serializers.Serializer):
    choices = serializers.DictField(
        child=serializers.CharField(max_length=32),
        help_text='every item of the unit\'s ballot and its grade: {"c12": "excellent", …, "team": "good"}',
    )


class BallotCastApi(APIView):
    """One voter's ballot for a unit: final once cast (404 to anyone not on the unit's list of
    voters). Kept lean for the load test: one read of the unit (with its round, rules and box),
    then the voting service."""

    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="appraisals_ballot_cast", request=BallotInput, responses={201: OpenApiTypes.OBJECT})
    def post(self, request, pk):
        # the units the caller votes in, as the vote page: to anyone else the ballot is not there
        person_id = get_access(request.user).person_id
        unit = (
            RoundUnit.objects.select_related("round__rules", "sub_union", "box")
            .filter(pk=pk, voters__person_id=person_id)
            .first()
            if person_id
            else None
        )
        if unit is None:
            raise Http404
        data = body_values(request, BallotInput)
        appraisal_vote(actor=request.user, unit=unit, choices=data["choices"])
        return Response({"cast": True}, status=201)
