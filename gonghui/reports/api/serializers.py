"""Serializers of the annual report's API (names start with "Reports": the schema's components
are named after their classes)."""

from rest_framework import serializers

from gonghui.core.api import OptionalIntegerField


class ReportsAnnualFilters(serializers.Serializer):
    year = OptionalIntegerField(min_value=2000, max_value=2100, help_text="the report year (default: this year)")


class ReportsAnnualOut(serializers.Serializer):
    year = serializers.IntegerField()
    sections = serializers.DictField(
        child=serializers.DictField(child=serializers.JSONField(allow_null=True)),
        help_text=(
            "each module's figures of the year, by section key then figure key (insurance → "
            '"insurance.premium"): counts as integers, money in yuan and shares as exact decimal '
            'text ("201025.00", "0.8750"), null where there is no figure'
        ),
    )
