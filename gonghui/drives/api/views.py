"""API: drives with their live counts, registrations (masked ID numbers), the survey board."""

from django.shortcuts import get_object_or_404
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from gonghui.core.api import HasRolePermission
from gonghui.drives.models import Drive, DriveRegistration
from gonghui.drives.selectors.drives import drive_list, registration_list
from gonghui.drives.selectors.figures import drive_figures
from gonghui.drives.selectors.survey import survey_board


class DriveSerializer(serializers.ModelSerializer):
    class Meta:
        model = Drive
        fields = ["id", "name", "product", "provider", "price_per_person", "policy_start", "phase",
                  "registration_from", "registration_until", "relatives_allowed", "relative_relationships",
                  "group_only_coverage_types"]


class RegistrationSerializer(serializers.ModelSerializer):
    staff_no = serializers.CharField(source="person.staff_no")
    staff_name = serializers.CharField(source="person.name")
    sub_union = serializers.CharField(source="person.sub_union.name")

    class Meta:
        model = DriveRegistration
        fields = ["id", "name", "relationship", "staff_no", "staff_name", "sub_union", "id_number_masked", "gender",
                  "birth_date", "coverage_type", "channel", "status", "policy_no", "reject_reason", "consent_at"]


class DriveListApi(generics.ListAPIView):
    serializer_class = DriveSerializer

    def get_queryset(self):
        return drive_list(user=self.request.user)


class DriveDetailApi(APIView):
    """The drive and its live counts (the same numbers as `manage.py drive_report`)."""

    permission_classes = [HasRolePermission]
    permission_required = "drives.view_rosterexport"

    def get(self, request, pk):
        drive = get_object_or_404(drive_list(user=request.user), pk=pk)
        return Response({**DriveSerializer(drive).data, "figures": drive_figures(drive)})


class RegistrationListApi(generics.ListAPIView):
    serializer_class = RegistrationSerializer
    permission_classes = [HasRolePermission]
    permission_required = "drives.view_driveregistration"

    def get_queryset(self):
        drive = get_object_or_404(drive_list(user=self.request.user), pk=self.kwargs["pk"])
        return registration_list(user=self.request.user, drive=drive,
                                 filters={"status": self.request.query_params.get("status", "")})


class SurveyBoardApi(APIView):
    permission_classes = [HasRolePermission]
    permission_required = "drives.view_intentanswer"

    def get(self, request, pk):
        drive = get_object_or_404(drive_list(user=request.user), pk=pk)
        rows = survey_board(drive=drive, user=request.user)
        return Response([{"sub_union": r["sub_union"].name, "code": r["sub_union"].code,
                          **{k: r[k] for k in ("eligible", "answered", "yes", "no", "undecided", "pending",
                                               "relatives_intended")}} for r in rows])
