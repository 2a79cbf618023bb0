from rest_framework import serializers

from gonghui.core.workflow import available_steps
from gonghui.insurance.models import PlanClaim, PlanEdition, PlanEnrollment
from gonghui.insurance.schemas import EDITION_FIELDS
from gonghui.insurance.workflow import ClaimWorkflow, EnrollmentWorkflow, PlanEditionWorkflow


class NextStepsMixin(serializers.Serializer):
    """`next_steps`: what the caller may do with the record now (detail responses only)."""

    workflow: type

    next_steps = serializers.SerializerMethodField()

    def get_next_steps(self, obj) -> list[dict]:
        user = self.context["request"].user
        return [
            {"step": step.name, "label": str(step.label), "to": step.target}
            for step in available_steps(self.workflow, obj, user)
        ]


class PlanEditionSerializer(serializers.ModelSerializer):
    plan = serializers.CharField(source="plan.name")
    plan_code = serializers.CharField(source="plan.code")
    end_date = serializers.DateField()

    class Meta:
        model = PlanEdition
        fields = ["id", "plan", "plan_code", "status", "adopted_on", "resolution", "end_date", *EDITION_FIELDS]


class PlanEnrollmentSerializer(serializers.ModelSerializer):
    staff_no = serializers.CharField(source="person.staff_no")
    name = serializers.CharField(source="person.name")
    id_number_masked = serializers.CharField(source="person.id_number_masked")
    sub_union = serializers.CharField(source="sub_union.name")

    class Meta:
        model = PlanEnrollment
        fields = [
            "id",
            "edition",
            "staff_no",
            "name",
            "id_number_masked",
            "sub_union",
            "shares",
            "premium",
            "member_share",
            "status",
            "starts_on",
            "ends_on",
            "added_during_term",
            "ended_reason",
            "rejection_reason",
        ]


class PlanClaimSerializer(serializers.ModelSerializer):
    staff_no = serializers.CharField(source="person.staff_no")
    name = serializers.CharField(source="person.name")
    plan = serializers.CharField(source="edition.plan.name")

    class Meta:
        model = PlanClaim
        fields = [
            "id",
            "edition",
            "plan",
            "staff_no",
            "name",
            "status",
            "channel",
            "benefit_code",
            "event_date",
            "admission_date",
            "discharge_date",
            "reported_on",
            "submitted_on",
            "decided_on",
            "paid_amount",
            "expected_benefit",
            "flags",
        ]


def _with_next_steps(serializer: type, workflow: type) -> type:
    """The detail serializer: the list's fields and `next_steps` by `workflow`."""
    meta = type("Meta", (serializer.Meta,), {"fields": [*serializer.Meta.fields, "next_steps"]})  # type: ignore[attr-defined]
    name = serializer.__name__.replace("Serializer", "DetailSerializer")
    return type(name, (NextStepsMixin, serializer), {"workflow": workflow, "Meta": meta})


PlanEditionDetailSerializer = _with_next_steps(PlanEditionSerializer, PlanEditionWorkflow)
PlanEnrollmentDetailSerializer = _with_next_steps(PlanEnrollmentSerializer, EnrollmentWorkflow)
PlanClaimDetailSerializer = _with_next_steps(PlanClaimSerializer, ClaimWorkflow)
