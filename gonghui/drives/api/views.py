"""API: drives with their live counts, registrations (masked ID numbers), the survey board."""

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from gonghui.core.api import HasRolePermission
from gonghui.drives.api.serializers import (
    DriveDetailSerializer,
    DriveFiguresSerializer,
    DriveSerializer,
    RegistrationSerializer,
    SurveyBoardRowSerializer,
)
from gonghui.drives.choices import RegistrationStatus
from gonghui.drives.models import DriveRegistration
from gonghui.drives.selectors.drives import drive_list, registration_list
from gonghui.drives.selectors.figures import drive_figures
from gonghui.drives.selectors.survey import survey_board

# the URL's <int:pk> appears as {id} in the schema (SCHEMA_COERCE_PATH_PK)
DRIVE_ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="参保活动 id")


class DriveListApi(generics.ListAPIView):
    serializer_class = DriveSerializer

    def get_queryset(self):
        return drive_list(user=self.request.user)


class DriveDetailApi(APIView):
    """The drive and its live counts (the same numbers as `manage.py drive_report`)."""

    permission_classes = [HasRolePermission]
    permission_required = "drives.view_rosterexport"

    @extend_schema(parameters=[DRIVE_ID], responses=DriveDetailSerializer)
    def get(self, request, pk):
        drive = get_object_or_404(drive_list(user=request.user), pk=pk)
        figures = DriveFiguresSerializer(drive_figures(drive)).data
        return Response({**DriveSerializer(drive).data, "figures": figures})


@extend_schema(
    parameters=[
        DRIVE_ID,
        OpenApiParameter("status", OpenApiTypes.STR, enum=RegistrationStatus.values, description="只看此状态的报名"),
    ]
)
class RegistrationListApi(generics.ListAPIView):
    serializer_class = RegistrationSerializer
    permission_classes = [HasRolePermission]
    permission_required = "drives.view_driveregistration"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no request, no drive
            return DriveRegistration.objects.none()
        drive = get_object_or_404(drive_list(user=self.request.user), pk=self.kwargs["pk"])
        return registration_list(
            user=self.request.user, drive=drive, filters={"status": self.request.query_params.get("status", "")}
        )


class SurveyBoardApi(APIView):
    """Survey progress per top-level sub-union; officers see their own rows only."""

    permission_classes = [HasRolePermission]
    permission_required = "drives.view_intentanswer"

    @extend_schema(parameters=[DRIVE_ID], responses=SurveyBoardRowSerializer(many=True))
    def get(self, request, pk):
        drive = get_object_or_404(drive_list(user=request.user), pk=pk)
        rows = survey_board(drive=drive, user=request.user)
        return Response(SurveyBoardRowSerializer(rows, many=True).data)
