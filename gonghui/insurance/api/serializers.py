from rest_framework import serializers

from gonghui.core.workflow import available_steps
from gonghui.insurance.models import PlanClaim, PlanEdition, PlanEnrollment
from gonghui.insurance.schemas import EDITION_FIELDS
from gonghui.insurance.workflow import ClaimWorkflow, EnrollmentWorkflow, PlanEditionWorkflow


class NextStepsMixin(serializers.Serializer):
    """`next_steps`: what the caller may do with the record now, by the model's workflow.
    Only a record's own response carries it (the detail serializers; a list would ask once
    per row), so the schema declares it there and only there."""

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
        fields = [
            "id",
            "plan",
            "plan_code",
            "status",
            "adopted_on",
            "resolution",
            "end_date",
            *EDITION_FIELDS,
        ]


class MemberRecordSerializer(serializers.ModelSerializer):
    """A record about one member (an enrollment, a claim), who is named by staff number and name."""

    staff_no = serializers.CharField(source="person.staff_no")
    name = serializers.CharField(source="person.name")


class PlanEnrollmentSerializer(MemberRecordSerializer):
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


class PlanClaimSerializer(MemberRecordSerializer):
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


class PlanEditionDetailSerializer(NextStepsMixin, PlanEditionSerializer):
    workflow = PlanEditionWorkflow

    class Meta(PlanEditionSerializer.Meta):
        fields = [*PlanEditionSerializer.Meta.fields, "next_steps"]


class PlanEnrollmentDetailSerializer(NextStepsMixin, PlanEnrollmentSerializer):
    workflow = EnrollmentWorkflow

    class Meta(PlanEnrollmentSerializer.Meta):
        fields = [*PlanEnrollmentSerializer.Meta.fields, "next_steps"]


class PlanClaimDetailSerializer(NextStepsMixin, PlanClaimSerializer):
    workflow = ClaimWorkflow

    class Meta(PlanClaimSerializer.Meta):
        fields = [*PlanClaimSerializer.Meta.fields, "next_steps"]
