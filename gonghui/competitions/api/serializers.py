"""Serializers of the competition API.

The views build plain dicts from the scoped querysets and selectors; the output serializers
here render them field by field, so what a response holds is exactly what the OpenAPI schema
says (scores are text: exact decimals, never floats). Choice values are plain text with their
`*_display` label beside them: the statuses' choice sets are not named twice in the schema.
The input serializers check the request bodies and query parameters (`body_values`,
`query_values`): a wrong type is a 400 in the API's one error shape."""

from rest_framework import serializers

from gonghui.competitions.choices import CompetitionStatus, Level, TeachingPost
from gonghui.core.api import OptionalIntegerField

# --- inputs -------------------------------------------------------------------------------------


class EditionFilters(serializers.Serializer):
    level = serializers.ChoiceField(
        choices=Level.values,
        required=False,
        allow_blank=True,
        help_text="a level: college, university, beijing, national",
    )
    year = OptionalIntegerField(min_value=1900, max_value=9999, help_text="a year")
    status = serializers.ChoiceField(
        choices=CompetitionStatus.values, required=False, allow_blank=True, help_text="a status of the edition"
    )


class SheetInput(serializers.Serializer):
    scores = serializers.DictField(
        child=serializers.CharField(max_length=16, allow_blank=True),
        help_text='scores by part code, as text with at most two decimals: {"design": "18.5", "classroom": "70"}; an empty value is not saved',
    )
    submit = serializers.BooleanField(
        default=False, help_text="save and submit (every part scored; a submitted sheet is final)"
    )


class NominateInput(serializers.Serializer):
    staff_no = serializers.CharField(max_length=20, help_text="the contestant's staff number")
    group = serializers.CharField(max_length=32, help_text="the group's code (an edition's detail lists its groups)")
    teaching_post = serializers.ChoiceField(choices=TeachingPost.values, default=TeachingPost.FULL_TIME)
    course = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    coach_staff_no = serializers.CharField(
        max_length=20, required=False, allow_blank=True, default="", help_text="the coach's staff number (optional)"
    )


# --- outputs ------------------------------------------------------------------------------------


class _Out(serializers.Serializer):
    """An output shape: read only, rendered from a dict."""


class StepOut(_Out):
    step = serializers.CharField()
    label = serializers.CharField()
    to = serializers.CharField()


class EditionRowOut(_Out):
    id = serializers.IntegerField()
    level = serializers.CharField()
    level_display = serializers.CharField()
    number = serializers.IntegerField(allow_null=True)
    year = serializers.IntegerField()
    title = serializers.CharField()
    organiser = serializers.CharField(allow_blank=True)
    college = serializers.CharField(allow_null=True, help_text="the hosting college (a college-level edition)")
    status = serializers.CharField()
    status_display = serializers.CharField()
    hosted = serializers.BooleanField(help_text="run by the university (college and university levels)")
    entered = serializers.BooleanField()
    held_on = serializers.DateField(allow_null=True)
    nominations_close = serializers.DateTimeField(allow_null=True)
    materials_due = serializers.DateTimeField(allow_null=True)
    released_at = serializers.DateTimeField(allow_null=True)
    entries = serializers.IntegerField(help_text="entries, withdrawn ones not counted")


class EditionPageOut(_Out):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = EditionRowOut(many=True)


class RulesOut(_Out):
    id = serializers.IntegerField()
    name = serializers.CharField()
    adopted_on = serializers.DateField(allow_null=True)
    resolution = serializers.CharField(allow_blank=True)
    born_on_or_after = serializers.DateField(allow_null=True)
    member_required = serializers.BooleanField()
    eligible_posts = serializers.ListField(child=serializers.CharField())
    past_winner_rule = serializers.CharField()
    quota_per = serializers.IntegerField(help_text="one seat per this many young teachers (0: no quota)")
    quota_bonus = serializers.IntegerField()
    lesson_plans_required = serializers.IntegerField()
    lesson_minutes = serializers.IntegerField()
    trim_highest = serializers.IntegerField()
    trim_lowest = serializers.IntegerField()
    trim_min_scores = serializers.IntegerField()
    places = serializers.IntegerField()
    rounding = serializers.CharField()
    tie_break = serializers.ListField(child=serializers.CharField())
    judges_per_group = serializers.IntegerField()


class GroupOut(_Out):
    id = serializers.IntegerField()
    code = serializers.CharField()
    label = serializers.CharField()
    discipline = serializers.CharField()
    tier = serializers.CharField(allow_blank=True)


class PartOut(_Out):
    code = serializers.CharField()
    label = serializers.CharField()
    weight = serializers.IntegerField()
    full_marks = serializers.IntegerField()
    criteria = serializers.CharField(allow_blank=True)


class PrizeOut(_Out):
    code = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField(allow_null=True)
    share = serializers.IntegerField(allow_null=True, help_text="share of the ranked contestants, in percent")


class SpecialOut(_Out):
    code = serializers.CharField()
    label = serializers.CharField()
    kind = serializers.CharField()
    basis = serializers.CharField()
    part_code = serializers.CharField(allow_blank=True)


class EditionLinkOut(_Out):
    id = serializers.IntegerField()
    title = serializers.CharField()


class EditionDetailOut(EditionRowOut):
    rules = RulesOut(allow_null=True)
    groups = GroupOut(many=True)
    parts = PartOut(many=True)
    prizes = PrizeOut(many=True)
    specials = SpecialOut(many=True)
    publicity_days = serializers.IntegerField()
    nominations_opened_at = serializers.DateTimeField(allow_null=True)
    drawn_at = serializers.DateTimeField(allow_null=True)
    scoring_opened_at = serializers.DateTimeField(allow_null=True)
    scored_at = serializers.DateTimeField(allow_null=True)
    publicity_started_at = serializers.DateTimeField(allow_null=True)
    publicity_until = serializers.DateField(allow_null=True, help_text="the last day of the publicity period")
    seed = serializers.CharField(
        allow_blank=True, help_text="the draw's seed, public once drawn: anyone can run the draw again with it"
    )
    draw_algorithm = serializers.CharField(allow_null=True)
    feeds_into = EditionLinkOut(allow_null=True)
    participants_recorded = serializers.IntegerField(allow_null=True)
    note = serializers.CharField(allow_blank=True)
    next_steps = StepOut(many=True)


class AwardOut(_Out):
    code = serializers.CharField()
    label = serializers.CharField()
    kind = serializers.CharField()


class EntryRowOut(_Out):
    id = serializers.IntegerField()
    staff_no = serializers.CharField()
    name = serializers.CharField()
    college = serializers.CharField()
    group = serializers.CharField()
    group_label = serializers.CharField()
    coach = serializers.CharField(allow_null=True)
    course = serializers.CharField(allow_blank=True)
    teaching_post = serializers.CharField()
    teaching_post_display = serializers.CharField()
    status = serializers.CharField()
    status_display = serializers.CharField()
    appearance = serializers.IntegerField(allow_null=True)
    lesson_drawn = serializers.IntegerField(allow_null=True)
    final_score = serializers.CharField(
        allow_null=True,
        help_text="the final score: to the competition office and auditors; to the contestant once released",
    )
    rank = serializers.IntegerField(allow_null=True)
    awards = AwardOut(many=True)


class EntryPageOut(_Out):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = EntryRowOut(many=True)


class EntryNominatedOut(EntryRowOut):
    next_steps = StepOut(many=True)


class PartResultOut(_Out):
    raw = serializers.ListField(child=serializers.CharField(), help_text="every submitted score, ascending")
    kept = serializers.ListField(child=serializers.CharField(), help_text="the scores kept after trimming")
    dropped = serializers.ListField(child=serializers.CharField(), help_text="the scores dropped (highest and lowest)")
    mean = serializers.CharField(
        allow_null=True, help_text="the trimmed mean, for display (rounded to the rules' places)"
    )
    weighted = serializers.CharField(allow_null=True, help_text="the weighted score, for display")


class EntryResultOut(_Out):
    entry = serializers.IntegerField()
    staff_no = serializers.CharField()
    name = serializers.CharField()
    college = serializers.CharField()
    appearance = serializers.IntegerField(allow_null=True)
    parts = serializers.DictField(child=PartResultOut(), help_text="by part code")
    exact = serializers.CharField(allow_null=True, help_text="the exact weighted total, as a fraction p/q")
    final = serializers.CharField(allow_null=True, help_text="the final score (rounded once, as the rules say)")
    rank = serializers.IntegerField(allow_null=True)
    prize = serializers.CharField(allow_null=True)
    prize_label = serializers.CharField(allow_null=True)
    tie_note = serializers.CharField(
        allow_blank=True, help_text="equal finals: tie_broken (ordered by the tie-break parts) or shared"
    )


class GroupResultsOut(_Out):
    group = serializers.CharField()
    label = serializers.CharField()
    ranked = EntryResultOut(many=True)
    unscored = EntryResultOut(many=True)


class MethodOut(_Out):
    trim_highest = serializers.IntegerField()
    trim_lowest = serializers.IntegerField()
    trim_min_scores = serializers.IntegerField()
    places = serializers.IntegerField()
    rounding = serializers.CharField()
    tie_break = serializers.ListField(child=serializers.CharField())


class ResultAwardOut(AwardOut):
    recipient = serializers.CharField()
    entry = serializers.IntegerField(allow_null=True)
    group = serializers.CharField(allow_null=True)
    recorded = serializers.BooleanField()


class ResultsOut(_Out):
    edition = serializers.IntegerField()
    status = serializers.CharField()
    status_display = serializers.CharField()
    method = MethodOut(allow_null=True)
    parts = PartOut(many=True)
    groups = GroupResultsOut(many=True)
    awards = ResultAwardOut(many=True)


class CertificateOut(_Out):
    serial = serializers.CharField()
    issued_on = serializers.DateField()


class MyAwardOut(AwardOut):
    certificate = CertificateOut(allow_null=True)


class MyPartOut(PartResultOut):
    label = serializers.CharField()
    weight = serializers.IntegerField()
    full_marks = serializers.IntegerField()


class MyScoresOut(_Out):
    final = serializers.CharField(allow_null=True)
    rank = serializers.IntegerField(allow_null=True)
    parts = serializers.DictField(child=MyPartOut(), help_text="by part code")


class MyEntryOut(_Out):
    id = serializers.IntegerField()
    edition = EditionLinkOut()
    year = serializers.IntegerField()
    level = serializers.CharField()
    edition_status = serializers.CharField()
    edition_status_display = serializers.CharField()
    college = serializers.CharField()
    group = serializers.CharField()
    group_label = serializers.CharField()
    coach = serializers.CharField(allow_null=True)
    course = serializers.CharField(allow_blank=True)
    status = serializers.CharField()
    status_display = serializers.CharField()
    appearance = serializers.IntegerField(allow_null=True)
    lesson_drawn = serializers.IntegerField(allow_null=True)
    awards = MyAwardOut(many=True)
    scores = MyScoresOut(allow_null=True, help_text="the contestant's own scores: once the results are released")


class SheetStateOut(_Out):
    judge = serializers.IntegerField()
    entry = serializers.IntegerField()
    status = serializers.CharField(help_text="draft or submitted")
    scores = serializers.DictField(child=serializers.CharField(), help_text="the saved scores by part code")
    missing = serializers.ListField(child=serializers.CharField(), help_text="the parts not scored yet")
    submitted_at = serializers.DateTimeField(allow_null=True)


class QueueEntryOut(_Out):
    entry = serializers.IntegerField()
    appearance = serializers.IntegerField(allow_null=True)
    lesson_drawn = serializers.IntegerField(allow_null=True)
    name = serializers.CharField()
    college = serializers.CharField()
    course = serializers.CharField(allow_blank=True)
    conflict = serializers.CharField(
        allow_blank=True, help_text="why the judge may not score this entry (empty: they may)"
    )
    sheet = SheetStateOut(allow_null=True)


class JudgeshipOut(_Out):
    judge = serializers.IntegerField()
    edition = EditionLinkOut()
    edition_status = serializers.CharField()
    scoring_open = serializers.BooleanField()
    group = serializers.CharField(allow_null=True)
    group_label = serializers.CharField(allow_null=True)
    is_chief = serializers.BooleanField()
    parts = PartOut(many=True)
    entries = QueueEntryOut(many=True)
