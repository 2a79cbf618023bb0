"""Serializers of the drives API. The figures and the survey board are plain dicts built by
the selectors; the serializers here render them field by field, so the OpenAPI schema
describes every number exactly (one field per registration and booking status)."""

from rest_framework import serializers

from gonghui.drives.choices import RELATIVE_RELATIONSHIPS, BookingStatus, DrivePhase, RegistrationStatus
from gonghui.drives.models import Drive, DriveRegistration
from gonghui.people.choices import CoverageType


class DriveSerializer(serializers.ModelSerializer):
    # the drive's rules (DriveRules), flattened
    price_per_person = serializers.DecimalField(
        source="rules.price_per_person", max_digits=10, decimal_places=2, read_only=True
    )
    policy_start = serializers.DateField(source="rules.policy_start", read_only=True)
    relatives_allowed = serializers.BooleanField(source="rules.relatives_allowed", read_only=True)
    # JSON lists on the model: typed here so the schema names their values
    relative_relationships = serializers.ListField(
        source="rules.relative_relationships",
        child=serializers.ChoiceField(choices=[(r.value, r.label) for r in RELATIVE_RELATIONSHIPS]),
        read_only=True,
    )
    # values without labels: the labelled set is already named CoverageTypeEnum (people API), and
    # one choice set under two names is a schema warning
    group_only_coverage_types = serializers.ListField(
        source="rules.group_only_coverage_types",
        child=serializers.ChoiceField(choices=CoverageType.values),
        read_only=True,
    )

    class Meta:
        model = Drive
        fields = [
            "id",
            "name",
            "product",
            "provider",
            "price_per_person",
            "policy_start",
            "phase",
            "registration_from",
            "registration_until",
            "relatives_allowed",
            "relative_relationships",
            "group_only_coverage_types",
        ]


class RegistrationSerializer(serializers.ModelSerializer):
    staff_no = serializers.CharField(source="person.staff_no")
    staff_name = serializers.CharField(source="person.name")
    sub_union = serializers.CharField(source="person.sub_union.name")

    class Meta:
        model = DriveRegistration
        fields = [
            "id",
            "name",
            "relationship",
            "staff_no",
            "staff_name",
            "sub_union",
            "id_number_masked",
            "gender",
            "birth_date",
            "coverage_type",
            "channel",
            "status",
            "policy_no",
            "reject_reason",
            "consent_at",
        ]


def _counts_serializer(name: str, keys, doc: str):
    """A serializer with one integer per key (a status of the choices), in the choices' order."""
    fields = {key: serializers.IntegerField() for key in keys}
    return type(name, (serializers.Serializer,), {"__doc__": doc, "__module__": __name__, **fields})


RegistrationStatusCountsSerializer = _counts_serializer(
    "RegistrationStatusCountsSerializer", RegistrationStatus.values, "Registrations per status."
)
BookingStatusCountsSerializer = _counts_serializer(
    "BookingStatusCountsSerializer", BookingStatus.values, "Service point bookings per status."
)


class FiguresDriveSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    product = serializers.CharField()
    provider = serializers.CharField()
    price_per_person = serializers.DecimalField(max_digits=10, decimal_places=2)
    phase = serializers.ChoiceField(choices=DrivePhase.choices)
    policy_start = serializers.DateField()


class IntentFiguresSerializer(serializers.Serializer):
    answered = serializers.IntegerField()
    yes = serializers.IntegerField()
    no = serializers.IntegerField()
    undecided = serializers.IntegerField()
    relatives_intended = serializers.IntegerField()


class RegistrationSplitSerializer(serializers.Serializer):
    """Registrations split: all, staff themselves, relatives, active staff, retirees."""

    total = serializers.IntegerField()
    staff = serializers.IntegerField()
    relatives = serializers.IntegerField()
    active = serializers.IntegerField()
    retired = serializers.IntegerField()


class SubUnionFiguresSerializer(serializers.Serializer):
    """One top-level sub-union (its groups rolled up)."""

    code = serializers.CharField()
    name = serializers.CharField()
    eligible = serializers.IntegerField()
    answered = serializers.IntegerField()
    intent_yes = serializers.IntegerField()
    registered = serializers.IntegerField()
    enrolled = serializers.IntegerField()
    enrolled_staff = serializers.IntegerField()
    enrolled_relatives = serializers.IntegerField()


class RosterFiguresSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    line_count = serializers.IntegerField()
    new_count = serializers.IntegerField()


class DriveFiguresSerializer(serializers.Serializer):
    """Every number of a drive (`selectors.figures.drive_figures`, also `manage.py drive_report`)."""

    drive = FiguresDriveSerializer()
    eligible = serializers.IntegerField()
    intent = IntentFiguresSerializer()
    registered = RegistrationSplitSerializer()
    enrolled = RegistrationSplitSerializer()
    by_status = RegistrationStatusCountsSerializer()
    premium = serializers.DecimalField(max_digits=None, decimal_places=2)
    by_sub_union = SubUnionFiguresSerializer(many=True)
    bookings = BookingStatusCountsSerializer()
    rosters = RosterFiguresSerializer(many=True)


class DriveDetailSerializer(DriveSerializer):
    """The drive with its live figures (the response of the drive detail API)."""

    figures = DriveFiguresSerializer(read_only=True)

    class Meta(DriveSerializer.Meta):
        fields = [*DriveSerializer.Meta.fields, "figures"]


class SurveyBoardRowSerializer(serializers.Serializer):
    """One top-level sub-union on the survey board (`selectors.survey.survey_board`)."""

    sub_union = serializers.CharField(source="sub_union.name")
    code = serializers.CharField(source="sub_union.code")
    eligible = serializers.IntegerField()
    answered = serializers.IntegerField()
    yes = serializers.IntegerField()
    no = serializers.IntegerField()
    undecided = serializers.IntegerField()
    pending = serializers.IntegerField()
    relatives_intended = serializers.IntegerField()
