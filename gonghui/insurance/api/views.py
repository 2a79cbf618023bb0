"""Insurance API: the same scoping as the pages (restrict(user))."""

from rest_framework import viewsets

from gonghui.core.api import HasRolePermission
from gonghui.insurance.api.serializers import PlanClaimSerializer, PlanEditionSerializer, PlanEnrollmentSerializer
from gonghui.insurance.models import PlanClaim, PlanEdition, PlanEnrollment


class PlanEditionViewSet(viewsets.ReadOnlyModelViewSet):
    """Plan editions (drafts and adopted), newest first."""

    serializer_class = PlanEditionSerializer
    permission_classes = [HasRolePermission]
    permission_required = "insurance.view_planedition"

    def get_queryset(self):
        return PlanEdition.objects.restrict(self.request.user).select_related("plan").order_by("-start_date", "id")


class PlanEnrollmentViewSet(viewsets.ReadOnlyModelViewSet):
    """Enrollments the caller may see; `?edition=<id>` narrows to one edition. ID numbers masked."""

    serializer_class = PlanEnrollmentSerializer
    permission_classes = [HasRolePermission]
    permission_required = "insurance.view_planenrollment"

    def get_queryset(self):
        qs = PlanEnrollment.objects.restrict(self.request.user).select_related("person", "sub_union").order_by("id")
        edition = self.request.query_params.get("edition")
        if edition and edition.isdigit():
            qs = qs.filter(edition_id=int(edition))
        return qs


class PlanClaimViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = PlanClaimSerializer
    permission_classes = [HasRolePermission]
    permission_required = "insurance.view_planclaim"

    def get_queryset(self):
        return PlanClaim.objects.restrict(self.request.user).select_related("person", "edition__plan").order_by("-id")
