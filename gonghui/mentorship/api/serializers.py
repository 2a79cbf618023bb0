"""Serializers of the mentorship API.

The views build plain dicts from the scoped selectors; the output serializers render them
field by field, so a response holds exactly what the OpenAPI schema says (hours and money are
text: exact decimals, never floats). Choice values are plain text with their `*_display`
label beside them. The input serializers check the query parameters and request bodies
(`query_values`, `body_values`): a wrong type is a 400 in the API's one error shape. Names
start with "Mentorship": the schema's components are named after their classes."""

from rest_framework import serializers

from gonghui.core.api import OptionalIntegerField, OptionalText
from gonghui.mentorship.choices import CohortStatus, DutyKind, MatchMethod, PairStatus, Side

# --- inputs -------------------------------------------------------------------------------------


class MentorshipCohortFilters(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=CohortStatus.values, required=False, allow_blank=True, help_text="a cohort's status"
    )


class MentorshipPairFilters(serializers.Serializer):
    cohort = OptionalIntegerField(min_value=1, help_text="a cohort's id")
    college = OptionalIntegerField(min_value=1, help_text="a college's (sub-union's) id")
    status = serializers.ChoiceField(
        choices=PairStatus.values, required=False, allow_blank=True, help_text="a pair's status"
    )


class MentorshipCandidateFilters(serializers.Serializer):
    side = serializers.ChoiceField(choices=Side.values, required=False, allow_blank=True, help_text="mentee or mentor")


class MentorshipDutyInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DutyKind.values, help_text="demonstration, observation or meeting")
    held_on = serializers.DateField(help_text="the day it was held, within the cycle and not after today")
    course = serializers.CharField(max_length=100, help_text="the course or topic")
    hours = serializers.DecimalField(
        max_digits=4, decimal_places=1, coerce_to_string=True, help_text='hours, 0.5 to 12, as text: "2" or "1.5"'
    )
    note = OptionalText(max_length=2000, help_text="a note (optional)")


class MentorshipReturnInput(serializers.Serializer):
    reason = serializers.CharField(max_length=500, help_text="why the duty is returned (the logger is told)")


class MentorshipMatchingInput(serializers.Serializer):
    method = serializers.ChoiceField(
        choices=MatchMethod.values,
        help_text="assignment (an optimal assignment over the cost) or stable (双向选择, from the rankings)",
    )


# --- outputs ------------------------------------------------------------------------------------


class _Out(serializers.Serializer):
    """An output shape: read only, rendered from a dict."""


class MentorshipStepOut(_Out):
    step = serializers.CharField()
    label = serializers.CharField()
    to = serializers.CharField()


class MentorshipPersonOut(_Out):
    id = serializers.IntegerField()
    staff_no = serializers.CharField()
    name = serializers.CharField()


class MentorshipCohortLinkOut(_Out):
    id = serializers.IntegerField()
    number = serializers.IntegerField()
    name = serializers.CharField()


class MentorshipCohortRowOut(_Out):
    id = serializers.IntegerField()
    number = serializers.IntegerField()
    name = serializers.CharField()
    status = serializers.CharField()
    status_display = serializers.CharField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    ceremony_on = serializers.DateField(allow_null=True)
    ceremony_place = serializers.CharField(allow_blank=True)
    proposals_close = serializers.DateField(allow_null=True)
    rules = serializers.CharField(help_text="the name of the cohort's rules")
    pairs_recorded = serializers.IntegerField(
        allow_null=True, help_text="a cohort older than the system: the pairs its archive records"
    )
    live_pairs = serializers.IntegerField(help_text="live pairs (proposed to extended) among those the caller sees")


class MentorshipCohortPageOut(_Out):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = MentorshipCohortRowOut(many=True)


class MentorshipRequirementOut(_Out):
    kind = serializers.CharField()
    label = serializers.CharField()
    per_year = serializers.IntegerField()


class MentorshipStatusCountOut(_Out):
    status = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()


class MentorshipDutyTotalOut(_Out):
    kind = serializers.CharField()
    label = serializers.CharField()
    confirmed = serializers.IntegerField()
    pending = serializers.IntegerField()


class MentorshipCohortSummaryOut(_Out):
    pairs = serializers.IntegerField(help_text="the pairs the caller sees, whatever their status")
    by_status = MentorshipStatusCountOut(many=True)
    duties = MentorshipDutyTotalOut(many=True, help_text="duties of those pairs, returned ones not counted")


class MentorshipCohortDetailOut(MentorshipCohortRowOut):
    cycle_years = serializers.IntegerField()
    requirements = MentorshipRequirementOut(many=True, help_text="each duty's count required a cycle year")
    summary = MentorshipCohortSummaryOut()
    note = serializers.CharField(allow_blank=True)
    next_steps = MentorshipStepOut(many=True)


class MentorshipCountOut(_Out):
    confirmed = serializers.IntegerField()
    pending = serializers.IntegerField()


class MentorshipPairRowOut(_Out):
    id = serializers.IntegerField()
    cohort = MentorshipCohortLinkOut()
    mentor = MentorshipPersonOut()
    mentee = MentorshipPersonOut()
    college = serializers.CharField()
    college_id = serializers.IntegerField()
    status = serializers.CharField()
    status_display = serializers.CharField()
    source = serializers.CharField()
    source_display = serializers.CharField()
    agreement_signed_on = serializers.DateField(allow_null=True)
    started_on = serializers.DateField(allow_null=True)
    ended_on = serializers.DateField(allow_null=True)
    duties = serializers.DictField(
        child=MentorshipCountOut(), help_text="by duty kind: confirmed and pending duties of this pair"
    )


class MentorshipPairPageOut(_Out):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = MentorshipPairRowOut(many=True)


class MentorshipCounterOut(_Out):
    kind = serializers.CharField()
    label = serializers.CharField()
    required = serializers.IntegerField()
    confirmed = serializers.IntegerField()
    pending = serializers.IntegerField()
    missing = serializers.IntegerField()
    done = serializers.BooleanField()


class MentorshipYearOut(_Out):
    index = serializers.IntegerField(help_text="the cycle year: 1, 2 …")
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    done = serializers.BooleanField()
    counters = MentorshipCounterOut(many=True)


class MentorshipDutyOut(_Out):
    id = serializers.IntegerField()
    pair = serializers.IntegerField()
    kind = serializers.CharField()
    kind_display = serializers.CharField()
    held_on = serializers.DateField()
    course = serializers.CharField()
    hours = serializers.CharField(help_text='exact, e.g. "2.0"')
    note = serializers.CharField(allow_blank=True)
    has_photo = serializers.BooleanField()
    logged_by = MentorshipPersonOut()
    status = serializers.CharField()
    status_display = serializers.CharField()
    confirmed_at = serializers.DateTimeField(allow_null=True)
    next_steps = MentorshipStepOut(many=True)


class MentorshipPairDetailOut(MentorshipPairRowOut):
    reasons = serializers.ListField(child=serializers.CharField())
    plan = serializers.CharField(allow_blank=True)
    has_agreement = serializers.BooleanField(help_text="the signed agreement's scan is uploaded")
    previous = serializers.IntegerField(allow_null=True, help_text="the pair this one follows (a mentor change)")
    carried_days = serializers.IntegerField()
    extended_until = serializers.DateField(allow_null=True)
    years = MentorshipYearOut(many=True, help_text="the counters of each cycle year against the requirements")
    duty_log = MentorshipDutyOut(many=True, help_text="the pair's duties, newest first")
    next_steps = MentorshipStepOut(many=True)


class MentorshipCandidateOut(_Out):
    id = serializers.IntegerField()
    person = MentorshipPersonOut()
    side = serializers.CharField()
    side_display = serializers.CharField()
    college = serializers.CharField()
    ranking = serializers.ListField(child=serializers.IntegerField(), help_text="ranked people's ids (双向选择)")
    ranked_at = serializers.DateTimeField(allow_null=True)


class MentorshipCandidatePageOut(_Out):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = MentorshipCandidateOut(many=True)


class MentorshipProposedPairOut(_Out):
    mentee = MentorshipPersonOut()
    mentor = MentorshipPersonOut()
    cost = serializers.IntegerField(allow_null=True, help_text="the pair's cost (none for a pair the office set)")
    reasons = serializers.ListField(child=serializers.CharField())


class MentorshipUnmatchedOut(_Out):
    person = MentorshipPersonOut()
    side = serializers.CharField()
    reasons = serializers.ListField(child=serializers.CharField())


class MentorshipMatchingSummaryOut(_Out):
    mentees = serializers.IntegerField(help_text="eligible new teachers without a pair")
    mentors = serializers.IntegerField(help_text="eligible mentors")
    excluded = serializers.IntegerField(help_text="candidates the rules leave out")
    pairs = serializers.IntegerField()
    total_cost = serializers.IntegerField(allow_null=True)
    edited = serializers.BooleanField()


class MentorshipMatchingOut(_Out):
    id = serializers.IntegerField()
    cohort = MentorshipCohortLinkOut()
    method = serializers.CharField()
    method_display = serializers.CharField()
    status = serializers.CharField()
    status_display = serializers.CharField()
    created_at = serializers.DateTimeField()
    summary = MentorshipMatchingSummaryOut()
    proposal = MentorshipProposedPairOut(many=True)
    unmatched = MentorshipUnmatchedOut(many=True)
    next_steps = MentorshipStepOut(many=True)
