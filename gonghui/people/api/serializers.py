from rest_framework import serializers

from gonghui.people.models import Person, SubUnion


class SubUnionSerializer(serializers.ModelSerializer):
    class Meta:
        model = SubUnion
        fields = ["id", "code", "name", "kind", "parent", "merged_into", "ended_on"]


class PersonSerializer(serializers.ModelSerializer):
    """A person as back-office lists show them: the ID number only masked."""

    sub_union_name = serializers.CharField(source="sub_union.name", read_only=True)
    employment_category = serializers.CharField(
        source="employment_category.name", default="", read_only=True, allow_null=True
    )
    id_number = serializers.CharField(source="id_number_masked", read_only=True)

    class Meta:
        model = Person
        fields = [
            "id",
            "staff_no",
            "name",
            "name_pinyin",
            "gender",
            "birth_date",
            "id_number",
            "phone",
            "employment_category",
            "employment_status",
            "status_changed_on",
            "coverage_type",
            "sub_union",
            "sub_union_name",
        ]
