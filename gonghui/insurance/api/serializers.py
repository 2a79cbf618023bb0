from rest_framework import serializers

from gonghui.insurance.models import PlanClaim, PlanEdition, PlanEnrollment


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
            "name",
            "status",
            "adopted_on",
            "start_date",
            "end_date",
            "term_months",
            "price_per_share",
            "min_shares",
            "max_shares",
            "default_shares",
            "same_shares_per_unit",
            "eligible_genders",
            "min_age",
            "max_age_male",
            "max_age_female",
            "eligible_statuses",
            "min_participation_rate",
            "waiting_schedule",
            "benefits",
            "exclusions",
            "claim_deadline_days",
            "required_documents",
            "premium_rule",
            "member_share_rate",
        ]


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
