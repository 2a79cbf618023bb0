"""Insurance API: the same scoping as the pages (restrict(user)); a record's detail says
what the caller may do next (`next_steps`, from the module's workflows)."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers as drf_serializers
from rest_framework import viewsets

from gonghui.core.api import HasRolePermission, OptionalIntegerField, query_values
from gonghui.insurance.api import serializers
from gonghui.insurance.models import PlanClaim, PlanEdition, PlanEnrollment


class _ReadOnly(viewsets.ReadOnlyModelViewSet):
    """A list without `next_steps`, a record's own response with them."""

    permission_classes = [HasRolePermission]
    detail_serializer_class: type

    def get_serializer_class(self):
        return self.detail_serializer_class if self.action == "retrieve" else self.serializer_class


class PlanEditionViewSet(_ReadOnly):
    """Plan editions (drafts and adopted), newest first."""

    serializer_class = serializers.PlanEditionSerializer
    detail_serializer_class = serializers.PlanEditionDetailSerializer
    permission_required = "insurance.view_planedition"

    def get_queryset(self):
        return PlanEdition.objects.restrict(self.request.user).select_related("plan").order_by("-start_date", "id")


class EnrollmentFilters(drf_serializers.Serializer):
    edition = OptionalIntegerField(help_text="only this edition's enrollments")


@extend_schema_view(list=extend_schema(parameters=[EnrollmentFilters]))
class PlanEnrollmentViewSet(_ReadOnly):
    """Enrollments the caller may see; `?edition=<id>` narrows to one edition. ID numbers masked."""

    serializer_class = serializers.PlanEnrollmentSerializer
    detail_serializer_class = serializers.PlanEnrollmentDetailSerializer
    permission_required = "insurance.view_planenrollment"

    def get_queryset(self):
        qs = PlanEnrollment.objects.restrict(self.request.user).select_related("person", "sub_union").order_by("id")
        if self.action == "list":
            edition = query_values(self.request, EnrollmentFilters).get("edition")
            if edition is not None:
                qs = qs.filter(edition_id=edition)
        return qs


class PlanClaimViewSet(_ReadOnly):
    serializer_class = serializers.PlanClaimSerializer
    detail_serializer_class = serializers.PlanClaimDetailSerializer
    permission_required = "insurance.view_planclaim"

    def get_queryset(self):
        return PlanClaim.objects.restrict(self.request.user).select_related("person", "edition__plan").order_by("-id")
