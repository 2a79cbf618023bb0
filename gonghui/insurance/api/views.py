"""Insurance API: the same scoping as the pages (restrict(user)); a record's detail says
what the caller may do next (`next_steps`, from the module's workflows)."""

from rest_framework import viewsets

from gonghui.core.api import HasRolePermission
from gonghui.core.text import record_id
from gonghui.insurance.api import serializers
from gonghui.insurance.models import PlanClaim, PlanEdition, PlanEnrollment


class _ReadOnly(viewsets.ReadOnlyModelViewSet):
    permission_classes = [HasRolePermission]


class PlanEditionViewSet(_ReadOnly):
    """Plan editions (drafts and adopted), newest first."""

    serializer_class = serializers.PlanEditionSerializer
    permission_required = "insurance.view_planedition"

    def get_queryset(self):
        return PlanEdition.objects.restrict(self.request.user).select_related("plan").order_by("-start_date", "id")


class PlanEnrollmentViewSet(_ReadOnly):
    """Enrollments the caller may see; `?edition=<id>` narrows to one edition. ID numbers masked."""

    serializer_class = serializers.PlanEnrollmentSerializer
    permission_required = "insurance.view_planenrollment"

    def get_queryset(self):
        qs = PlanEnrollment.objects.restrict(self.request.user).select_related("person", "sub_union").order_by("id")
        edition = self.request.query_params.get("edition")
        if record_id(edition):
            qs = qs.filter(edition_id=record_id(edition))
        return qs


class PlanClaimViewSet(_ReadOnly):
    serializer_class = serializers.PlanClaimSerializer
    permission_required = "insurance.view_planclaim"

    def get_queryset(self):
        return PlanClaim.objects.restrict(self.request.user).select_related("person", "edition__plan").order_by("-id")
