"""Serializers of the admissions API.

The views build plain dicts from the scoped selectors; the output serializers render them
field by field, so a response holds exactly what the OpenAPI schema says. Choice values are
plain text with their `*_display` label beside them; a child's name in a list is masked
(张*明), in a request's own record it is whole (only the parent, their sub-union's officer
and the admissions officer ever reach one). The input serializers check the query parameters
and request bodies (`query_values`, `body_values`): a wrong type is a 400 in the API's one
error shape. Names start with "Admissions": the schema's components are named after their
classes."""

from rest_framework import serializers

from gonghui.admissions.choices import (
    Affiliation,
    CampaignStatus,
    ConsultationChannel,
    Housing,
    Need,
    PolicyNoteStatus,
    Relation,
    RequestStatus,
    SchoolKind,
    Stage,
    VisitStatus,
)
from gonghui.core.api import OptionalDateField, OptionalIntegerField, OptionalText

# --- inputs -------------------------------------------------------------------------------------


def _values(choices) -> list:
    # a school's kind keeps its labels: the schema names that set (ENUM_NAME_OVERRIDES)
    return choices.choices if choices is SchoolKind else choices.values


def _choice(choices, help_text: str, **kwargs) -> serializers.ChoiceField:
    return serializers.ChoiceField(choices=_values(choices), help_text=help_text, **kwargs)


def _optional_choice(choices, help_text: str) -> serializers.ChoiceField:
    return serializers.ChoiceField(choices=_values(choices), required=False, allow_blank=True, help_text=help_text)


class AdmissionsSchoolFilters(serializers.Serializer):
    kind = _optional_choice(SchoolKind, "nursery, kindergarten, primary or secondary")
    affiliation = _optional_choice(Affiliation, "affiliated, co_built or other")
    district = serializers.CharField(required=False, allow_blank=True, max_length=30, help_text="the school's district")


class AdmissionsSchoolCreateInput(serializers.Serializer):
    code = serializers.SlugField(max_length=32, help_text="a short code, unique (fx, gj …)")
    name = serializers.CharField(max_length=100, help_text="the school's name, unique")
    kind = _choice(SchoolKind, "nursery, kindergarten, primary or secondary")
    district = serializers.CharField(max_length=30, help_text="the district (海淀区 …)")
    affiliation = _choice(Affiliation, "affiliated (附属), co_built (共建) or other", required=False)
    address = OptionalText(max_length=200)
    contact_name = OptionalText(max_length=50)
    contact_phone = OptionalText(max_length=30)
    opened_on = OptionalDateField(help_text="the day it opened (optional)")
    active = serializers.BooleanField(required=False, default=True)
    note = OptionalText(max_length=2000)


class AdmissionsSchoolUpdateInput(serializers.Serializer):
    """Only the fields given change."""

    code = serializers.SlugField(max_length=32, required=False)
    name = serializers.CharField(max_length=100, required=False)
    kind = _choice(SchoolKind, "nursery, kindergarten, primary or secondary", required=False)
    district = serializers.CharField(max_length=30, required=False)
    affiliation = _choice(Affiliation, "affiliated, co_built or other", required=False)
    address = OptionalText(max_length=200)
    contact_name = OptionalText(max_length=50)
    contact_phone = OptionalText(max_length=30)
    opened_on = OptionalDateField(help_text="the day it opened (empty: none)")
    active = serializers.BooleanField(required=False)
    note = OptionalText(max_length=2000)


class AdmissionsYearFilters(serializers.Serializer):
    year = OptionalIntegerField(min_value=2000, max_value=2100, help_text="a year")


class AdmissionsCampaignFilters(AdmissionsYearFilters):
    status = _optional_choice(CampaignStatus, "a campaign's status")


class AdmissionsSurveyFilters(serializers.Serializer):
    pending = serializers.BooleanField(required=False, default=False, help_text="only the lines not yet answered")
    sub_union = OptionalIntegerField(min_value=1, help_text="a sub-union's id (with its groups)")


class AdmissionsSurveyAnswerInput(serializers.Serializer):
    need = _choice(Need, "yes, no or undecided")
    school = OptionalIntegerField(min_value=1, help_text="the intended school's id (required when need is yes)")
    alternative = OptionalIntegerField(min_value=1, help_text="an alternative school's id (optional)")
    hukou_district = OptionalText(max_length=30, help_text="the child's hukou district")
    housing = _optional_choice(Housing, "owned, rented or no_deed")
    note = OptionalText(max_length=200)


class AdmissionsRequestFilters(serializers.Serializer):
    status = _optional_choice(RequestStatus, "a request's status")
    sub_union = OptionalIntegerField(min_value=1, help_text="a sub-union's id (with its groups)")


class AdmissionsRequestInput(serializers.Serializer):
    child = serializers.IntegerField(min_value=1, max_value=2**62, help_text="the child's id (one the caller may see)")
    school = serializers.IntegerField(min_value=1, max_value=2**62, help_text="the intended school's id")
    alternative = OptionalIntegerField(min_value=1, help_text="an alternative school's id (optional)")
    hukou_district = serializers.CharField(max_length=30, help_text="the child's hukou district")
    housing = _choice(Housing, "owned, rented or no_deed (the documents asked depend on it)")
    relation = _optional_choice(Relation, "child or grandchild (default: the child's record, else child)")
    note = OptionalText(max_length=2000)


class AdmissionsReasonInput(serializers.Serializer):
    reason = serializers.CharField(max_length=500, help_text="why (the parent is told)")


class AdmissionsMessageInput(serializers.Serializer):
    message = OptionalText(max_length=500, help_text="a note on the step (optional)")


class AdmissionsAnswerInput(serializers.Serializer):
    placed = serializers.BooleanField(help_text="true: placed; false: not placed")
    school = OptionalIntegerField(min_value=1, help_text="placed at the alternative: its id (default: the intended)")
    note = OptionalText(max_length=200, help_text="the school's remark (optional)")


class AdmissionsDocumentCheckInput(serializers.Serializer):
    checked = serializers.BooleanField(required=False, default=True, help_text="false takes the check off")


class AdmissionsNoteFilters(AdmissionsYearFilters):
    district = serializers.CharField(required=False, allow_blank=True, max_length=30, help_text="a district")
    status = _optional_choice(PolicyNoteStatus, "a note's status (the office sees drafts and withdrawn ones)")


class AdmissionsNoteInput(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    district = serializers.CharField(max_length=30)
    title = serializers.CharField(max_length=100)
    body = serializers.CharField(max_length=20000)
    source_url = serializers.URLField(required=False, allow_blank=True, max_length=200)


class AdmissionsVisitFilters(serializers.Serializer):
    status = _optional_choice(VisitStatus, "a visit's status")


class AdmissionsConsultationInput(serializers.Serializer):
    staff_no = OptionalText(max_length=20, help_text="who asked: a staff number (empty: not named)")
    asked_on = serializers.DateField(help_text="the day, not after today")
    channel = _choice(ConsultationChannel, "in_person, phone or online")
    stage = _optional_choice(Stage, "the stage asked about (optional)")
    district = OptionalText(max_length=30)
    question = serializers.CharField(max_length=5000)
    answer = serializers.CharField(max_length=5000)


DEMAND_GROUPINGS = ("total", "stage", "district", "school", "sub_union")


class AdmissionsDemandFilters(AdmissionsYearFilters):
    by = serializers.ChoiceField(
        choices=DEMAND_GROUPINGS,
        required=False,
        default="stage",
        help_text="each year's figures by: total, stage (default), district, school or sub_union",
    )


# --- outputs ------------------------------------------------------------------------------------


class _Out(serializers.Serializer):
    """An output shape: read only, rendered from a dict."""


class AdmissionsStepOut(_Out):
    step = serializers.CharField()
    label = serializers.CharField()
    to = serializers.CharField()


class AdmissionsPersonOut(_Out):
    id = serializers.IntegerField()
    staff_no = serializers.CharField()
    name = serializers.CharField()


class AdmissionsSchoolLinkOut(_Out):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class AdmissionsSchoolOut(_Out):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField()
    kind_display = serializers.CharField()
    stage = serializers.CharField(help_text="the stage the school admits")
    district = serializers.CharField()
    affiliation = serializers.CharField()
    affiliation_display = serializers.CharField()
    takes_requests = serializers.BooleanField(help_text="affiliated or co-built: requests go to it")
    address = serializers.CharField(allow_blank=True)
    contact_name = serializers.CharField(allow_blank=True)
    contact_phone = serializers.CharField(allow_blank=True)
    opened_on = serializers.DateField(allow_null=True)
    active = serializers.BooleanField()
    note = serializers.CharField(allow_blank=True)


class AdmissionsSchoolPageOut(_Out):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = AdmissionsSchoolOut(many=True)


class AdmissionsRulesRowOut(_Out):
    id = serializers.IntegerField()
    year = serializers.IntegerField()
    name = serializers.CharField()
    status = serializers.CharField()
    status_display = serializers.CharField()
    adopted_on = serializers.DateField(allow_null=True)
    resolution = serializers.CharField(allow_blank=True)
    survey_opens = serializers.DateField()
    survey_closes = serializers.DateField()
    requests_open = serializers.DateField()
    requests_deadline = serializers.DateField(help_text="after it a request is taken as 视为自行解决")


class AdmissionsRulesPageOut(_Out):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = AdmissionsRulesRowOut(many=True)


class AdmissionsBatchOut(_Out):
    position = serializers.IntegerField()
    label = serializers.CharField()
    relation = serializers.CharField()
    categories = serializers.ListField(child=serializers.CharField(), help_text="staff categories; empty: any")


class AdmissionsDocumentRuleOut(_Out):
    code = serializers.CharField()
    label = serializers.CharField()
    required = serializers.BooleanField()
    housing = serializers.CharField(allow_blank=True, help_text="only for this housing (empty: every one)")


class AdmissionsPlacesOut(_Out):
    school_code = serializers.CharField()
    places = serializers.IntegerField()
    note = serializers.CharField(allow_blank=True)


class AdmissionsAgesOut(_Out):
    nursery_months = serializers.IntegerField()
    kindergarten_months = serializers.IntegerField()
    primary_months = serializers.IntegerField()
    secondary_months = serializers.IntegerField()


class AdmissionsRulesDetailOut(AdmissionsRulesRowOut):
    ages = AdmissionsAgesOut(help_text="the youngest age in months on 31 August for each stage")
    alternative_allowed = serializers.BooleanField()
    batches = AdmissionsBatchOut(many=True, help_text="priority batches, first referred first")
    documents = AdmissionsDocumentRuleOut(many=True)
    places = AdmissionsPlacesOut(many=True, help_text="the places each school offers staff children")


class AdmissionsCampaignRowOut(_Out):
    id = serializers.IntegerField()
    year = serializers.IntegerField()
    name = serializers.CharField()
    status = serializers.CharField()
    status_display = serializers.CharField()
    rules = serializers.IntegerField(help_text="the rules' id")
    rules_name = serializers.CharField()


class AdmissionsCampaignPageOut(_Out):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = AdmissionsCampaignRowOut(many=True)


class AdmissionsStatusCountOut(_Out):
    status = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()


class AdmissionsCampaignDetailOut(AdmissionsCampaignRowOut):
    note = serializers.CharField(allow_blank=True)
    survey_opens = serializers.DateField()
    survey_closes = serializers.DateField()
    requests_open = serializers.DateField()
    requests_deadline = serializers.DateField()
    survey_lines = serializers.IntegerField(help_text="the survey lines the caller sees")
    survey_answered = serializers.IntegerField(help_text="of them, answered")
    requests = AdmissionsStatusCountOut(many=True, help_text="the requests the caller sees, by status")
    next_steps = AdmissionsStepOut(many=True)


class AdmissionsSurveyLineOut(_Out):
    id = serializers.IntegerField()
    campaign = serializers.IntegerField()
    child = serializers.IntegerField(help_text="the child's id")
    child_name = serializers.CharField(help_text="masked: 张*明")
    birth_date = serializers.DateField()
    parent = AdmissionsPersonOut()
    sub_union = serializers.CharField()
    stage = serializers.CharField()
    stage_display = serializers.CharField()
    need = serializers.CharField(allow_blank=True, help_text="empty until answered")
    need_display = serializers.CharField(allow_blank=True)
    school = AdmissionsSchoolLinkOut(allow_null=True)
    alternative = AdmissionsSchoolLinkOut(allow_null=True)
    hukou_district = serializers.CharField(allow_blank=True)
    housing = serializers.CharField(allow_blank=True)
    note = serializers.CharField(allow_blank=True)
    answered_at = serializers.DateTimeField(allow_null=True)


class AdmissionsSurveyLinePageOut(_Out):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = AdmissionsSurveyLineOut(many=True)


class AdmissionsBoardRowOut(_Out):
    sub_union = serializers.IntegerField(help_text="the top-level sub-union's id (its groups counted in it)")
    sub_union_name = serializers.CharField()
    eligible = serializers.IntegerField(help_text="parents with a child in the survey")
    answered = serializers.IntegerField(help_text="parents with every child's line answered")
    answered_pct = serializers.IntegerField()
    pending = serializers.IntegerField()
    yes = serializers.IntegerField(help_text="answered parents with a child needing a place")
    no = serializers.IntegerField()
    undecided = serializers.IntegerField()
    children = serializers.IntegerField(help_text="children's lines")
    children_yes = serializers.IntegerField(help_text="children needing a place")


class AdmissionsRequestRowOut(_Out):
    id = serializers.IntegerField()
    number = serializers.CharField()
    campaign = serializers.IntegerField()
    year = serializers.IntegerField()
    child = serializers.IntegerField(help_text="the child's id")
    child_name = serializers.CharField(help_text="masked in lists: 张*明; whole in the request's record")
    parent = AdmissionsPersonOut()
    sub_union = serializers.CharField()
    stage = serializers.CharField()
    stage_display = serializers.CharField()
    school = AdmissionsSchoolLinkOut()
    alternative = AdmissionsSchoolLinkOut(allow_null=True)
    status = serializers.CharField()
    status_display = serializers.CharField()
    late = serializers.BooleanField(help_text="submitted after the deadline (视为自行解决)")
    batch_position = serializers.IntegerField(allow_null=True)
    batch_label = serializers.CharField(allow_blank=True)
    submitted_at = serializers.DateTimeField(allow_null=True)
    placed_school = AdmissionsSchoolLinkOut(allow_null=True)


class AdmissionsRequestPageOut(_Out):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = AdmissionsRequestRowOut(many=True)


class AdmissionsDocumentOut(_Out):
    id = serializers.IntegerField(allow_null=True, help_text="none: not uploaded yet")
    code = serializers.CharField()
    label = serializers.CharField()
    required = serializers.BooleanField()
    uploaded = serializers.BooleanField()
    file_name = serializers.CharField(allow_blank=True)
    attachment = serializers.UUIDField(allow_null=True, help_text="the attachment's id (its download)")
    checked = serializers.BooleanField()
    checked_at = serializers.DateTimeField(allow_null=True)


class AdmissionsRequestDetailOut(AdmissionsRequestRowOut):
    birth_date = serializers.DateField()
    relation = serializers.CharField()
    relation_display = serializers.CharField()
    hukou_district = serializers.CharField()
    housing = serializers.CharField()
    housing_display = serializers.CharField()
    employment_category = serializers.CharField(allow_blank=True)
    note = serializers.CharField(allow_blank=True)
    checked_at = serializers.DateTimeField(allow_null=True)
    referred_at = serializers.DateTimeField(allow_null=True)
    answered_at = serializers.DateTimeField(allow_null=True)
    answer_source = serializers.CharField(allow_blank=True)
    answer_note = serializers.CharField(allow_blank=True)
    documents = AdmissionsDocumentOut(many=True, help_text="the rules' documents for the housing, uploaded or not")
    missing = serializers.ListField(child=serializers.CharField(), help_text="required documents not uploaded")
    next_steps = AdmissionsStepOut(many=True)


class AdmissionsNoteOut(_Out):
    id = serializers.IntegerField()
    year = serializers.IntegerField()
    district = serializers.CharField()
    title = serializers.CharField()
    body = serializers.CharField()
    source_url = serializers.CharField(allow_blank=True)
    status = serializers.CharField()
    status_display = serializers.CharField()
    published_at = serializers.DateTimeField(allow_null=True)
    next_steps = AdmissionsStepOut(many=True)


class AdmissionsNotePageOut(_Out):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = AdmissionsNoteOut(many=True)


class AdmissionsVisitOut(_Out):
    id = serializers.IntegerField()
    school = AdmissionsSchoolLinkOut()
    visit_on = serializers.DateField()
    meeting_point = serializers.CharField(allow_blank=True)
    capacity = serializers.IntegerField()
    signed_up = serializers.IntegerField(help_text="how many have signed up")
    places_left = serializers.IntegerField()
    signup_until = serializers.DateField()
    note = serializers.CharField(allow_blank=True)
    status = serializers.CharField()
    status_display = serializers.CharField()
    mine = serializers.BooleanField(help_text="the caller has signed up")


class AdmissionsVisitPageOut(_Out):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = AdmissionsVisitOut(many=True)


class AdmissionsConsultationOut(_Out):
    id = serializers.IntegerField()
    person = AdmissionsPersonOut(allow_null=True, help_text="who asked (none: not named)")
    asked_on = serializers.DateField()
    channel = serializers.CharField()
    channel_display = serializers.CharField()
    stage = serializers.CharField(allow_blank=True)
    district = serializers.CharField(allow_blank=True)
    question = serializers.CharField()
    answer = serializers.CharField()
    advised_by = serializers.CharField(help_text="who advised")


class AdmissionsConsultationPageOut(_Out):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = AdmissionsConsultationOut(many=True)


class AdmissionsDemandRowOut(_Out):
    year = serializers.IntegerField()
    stage = serializers.CharField(allow_null=True)
    district = serializers.CharField(allow_null=True)
    school = serializers.CharField(allow_null=True, help_text="the school's code")
    school_name = serializers.CharField(allow_null=True)
    sub_union = serializers.CharField(allow_null=True, help_text="the sub-union's code")
    sub_union_name = serializers.CharField(allow_null=True)
    demand = serializers.IntegerField(help_text="survey lines answered 需要")
    requests = serializers.IntegerField(help_text="requests that went in")
    placed = serializers.IntegerField()
    not_placed = serializers.IntegerField()
    self_arranged = serializers.IntegerField()
    unmet = serializers.IntegerField(help_text="demand − placed, never below 0")
    places = serializers.IntegerField(allow_null=True, help_text="none when grouped by sub-union")
    shortfall = serializers.IntegerField(allow_null=True, help_text="demand − places, never below 0")


class AdmissionsShortageOut(_Out):
    year = serializers.IntegerField()
    stage = serializers.CharField()
    school = serializers.CharField(allow_null=True)
    school_name = serializers.CharField(allow_null=True)
    district = serializers.CharField(allow_blank=True)
    demand = serializers.IntegerField()
    places = serializers.IntegerField()
    shortfall = serializers.IntegerField()


class AdmissionsDemandOut(_Out):
    years = serializers.ListField(child=serializers.IntegerField())
    by = serializers.CharField()
    rows = AdmissionsDemandRowOut(many=True)
    shortages = AdmissionsShortageOut(many=True, help_text="where a year's demand exceeded the places")
