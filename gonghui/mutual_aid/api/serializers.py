"""Read-only serializers of the mutual-aid API: typed fields, no ID numbers, no diagnoses
beyond the category the caller may already see on the pages."""

from rest_framework import serializers

from gonghui.mutual_aid.models import FeeLine, SchemeEdition, SubsidyApplication


class EditionSerializer(serializers.ModelSerializer):
    class Meta:
        model = SchemeEdition
        # the edition's rule values are those of its document (one list, models.SchemeEdition)
        fields = ["id", "status", "adopted_on", "resolution", *SchemeEdition.document.fields]


class ApplicationSerializer(serializers.ModelSerializer):
    """An application as its lists show it: status (code and label) and the amounts."""

    status_display = serializers.CharField(source="get_status_display", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    person_name = serializers.CharField(source="person.name", read_only=True)
    staff_no = serializers.CharField(source="person.staff_no", read_only=True)
    sub_union_name = serializers.CharField(source="person.sub_union.name", read_only=True, default="")

    class Meta:
        model = SubsidyApplication
        fields = [
            "id",
            "cost_year",
            "edition",
            "kind",
            "kind_display",
            "status",
            "status_display",
            "person",
            "person_name",
            "staff_no",
            "sub_union_name",
            "submitter_relation",
            "submitted_at",
            "computed_subsidy",
            "approved_amount",
            "return_message",
        ]


class FeeLineSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    channel_display = serializers.CharField(source="get_channel_display", read_only=True)

    class Meta:
        model = FeeLine
        fields = ["id", "year", "amount", "channel", "channel_display", "status", "status_display", "failure_reason"]
