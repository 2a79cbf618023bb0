"""Serializers of the practical projects' API.

The views build plain dicts from the scoped selectors; the output serializers render them
field by field, so a response holds exactly what the OpenAPI schema says (money is text: exact
decimals, never floats). Choice values are plain text with their `*_display` label beside them.
The input serializers check the query parameters and request bodies (`query_values`,
`body_values`): a wrong type is a 400 in the API's one error shape. Progress entries and 销号
come as multipart, their photos and documents as repeated `evidence` files. Names start with
"Projects": the schema's components are named after their classes."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from gonghui.core.api import OptionalDateField, OptionalIntegerField, OptionalText
from gonghui.projects.choices import BulletinStatus, Origin, ProjectStatus, ProjectType, Satisfaction

# --- inputs -------------------------------------------------------------------------------------


@extend_schema_field({"type": "string", "format": "binary"})
class _Upload(serializers.FileField):
    """A file sent as a multipart part (the schema says binary, not a download's URI)."""


class ProjectsProjectFilters(serializers.Serializer):
    batch = OptionalIntegerField(min_value=1, help_text="a batch's id")
    unit = OptionalIntegerField(min_value=1, help_text="a university unit's id: the projects it leads or helps with")
    status = serializers.ChoiceField(
        choices=ProjectStatus.values, required=False, allow_blank=True, help_text="a project's status"
    )
    overdue = serializers.BooleanField(
        required=False, default=False, help_text="only the projects still open past their deadline"
    )


class ProjectsProjectInput(serializers.Serializer):
    batch = serializers.IntegerField(min_value=1, max_value=2**62, help_text="the batch's id")
    number = OptionalIntegerField(min_value=1, max_value=32767, help_text="序号 (default: after the batch's last)")
    title = serializers.CharField(max_length=200, help_text="工作内容")
    description = OptionalText(max_length=5000, help_text="具体内容 (optional)")
    category = serializers.CharField(max_length=30, help_text="类别: 民生保障, 民主管理, 子女教育 …")
    origin = serializers.ChoiceField(
        choices=Origin.values, help_text="proposal, survey, rules_revision (each with its link), instruction or other"
    )
    origin_proposal = OptionalIntegerField(min_value=1, help_text="origin proposal: the proposal's id")
    origin_campaign = OptionalIntegerField(min_value=1, help_text="origin survey: the admissions campaign's id")
    origin_edition = OptionalIntegerField(min_value=1, help_text="origin rules_revision: the scheme edition's id")
    origin_note = OptionalText(max_length=300, help_text="来源说明 (required for instruction and other)")
    lead_unit = serializers.IntegerField(min_value=1, max_value=2**62, help_text="牵头单位: a university unit's id")
    responsible_staff_no = serializers.CharField(max_length=32, help_text="责任人: a staff number")
    cooperating_units = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**62),
        required=False,
        max_length=50,
        help_text="协助单位: university units' ids",
    )
    project_type = serializers.ChoiceField(choices=ProjectType.values, help_text="immediate, deadline or phased")
    deadline = serializers.DateField(help_text="完成时限")


class ProjectsStepInput(serializers.Serializer):
    message = OptionalText(max_length=1000, help_text="a note on the step; not_done: the reason (required)")
    done_on = OptionalDateField(help_text="done: the day it was done (default: today)")


class ProjectsProgressInput(serializers.Serializer):
    date = OptionalDateField(help_text="the day of the development, not after today (default: today)")
    text = serializers.CharField(max_length=5000, allow_blank=True, help_text="进展情况 (required)")
    funds = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        required=False,
        allow_null=True,
        help_text='the money this development spent, yuan, as text: "12000.50" (default: 0)',
    )
    evidence = serializers.ListField(child=_Upload(), required=False, help_text="photos (JPEG, PNG) or PDFs, at most 9")


class ProjectsCloseOffInput(serializers.Serializer):
    results = serializers.CharField(max_length=5000, allow_blank=True, help_text="工作成效 (required)")
    evidence = serializers.ListField(
        child=_Upload(),
        required=False,
        help_text="佐证材料: photos (JPEG, PNG) or PDFs (none: the progress entries' files must evidence it)",
    )


class ProjectsBatchFilters(serializers.Serializer):
    year = OptionalIntegerField(min_value=2000, max_value=2100, help_text="a year")


class ProjectsBatchInput(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    number = serializers.IntegerField(min_value=1, max_value=99, help_text="the batch's number in its year")
    name = OptionalText(max_length=100, help_text="empty: 2021年第1批 …")


class ProjectsRateInput(serializers.Serializer):
    satisfaction = serializers.ChoiceField(
        choices=Satisfaction.values, help_text="3 satisfied (满意), 2 basically (基本满意), 1 not satisfied (不满意)"
    )


class ProjectsBulletinFilters(serializers.Serializer):
    series = OptionalIntegerField(min_value=1, help_text="a series' id")
    status = serializers.ChoiceField(
        choices=BulletinStatus.values,
        required=False,
        allow_blank=True,
        help_text="an issue's status (everyone but the office and auditors sees published issues only)",
    )


# --- outputs ------------------------------------------------------------------------------------


class _Out(serializers.Serializer):
    """An output shape: read only, rendered from a dict."""


class ProjectsStepOut(_Out):
    step = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    to = serializers.CharField()


class ProjectsPersonOut(_Out):
    id = serializers.IntegerField()
    staff_no = serializers.CharField()
    name = serializers.CharField()


class ProjectsUnitOut(_Out):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class ProjectsBatchLinkOut(_Out):
    id = serializers.IntegerField()
    year = serializers.IntegerField()
    number = serializers.IntegerField()
    name = serializers.CharField()


class ProjectsBatchOut(ProjectsBatchLinkOut):
    projects = serializers.IntegerField(help_text="the batch's projects the caller sees")


class ProjectsBatchPageOut(_Out):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = ProjectsBatchOut(many=True)


class ProjectsProjectRowOut(_Out):
    id = serializers.IntegerField()
    batch = ProjectsBatchLinkOut()
    number = serializers.IntegerField(help_text="序号 in the batch")
    title = serializers.CharField()
    category = serializers.CharField()
    origin = serializers.CharField()
    origin_display = serializers.CharField()
    lead_unit = ProjectsUnitOut()
    responsible = ProjectsPersonOut()
    project_type = serializers.CharField()
    project_type_display = serializers.CharField()
    deadline = serializers.DateField()
    status = serializers.CharField()
    status_display = serializers.CharField()
    done_on = serializers.DateField(allow_null=True)
    closed_off_on = serializers.DateField(allow_null=True)
    funds_used = serializers.CharField(help_text='the sum of its progress entries\' funds, yuan: "42000.50"')
    entries = serializers.IntegerField(help_text="its progress entries")
    overdue = serializers.BooleanField(help_text="still open past its deadline")


class ProjectsProjectPageOut(_Out):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = ProjectsProjectRowOut(many=True)


class ProjectsProgressOut(_Out):
    id = serializers.IntegerField()
    project = serializers.IntegerField()
    date = serializers.DateField()
    text = serializers.CharField()
    funds = serializers.CharField(help_text='yuan, exact: "12000.50"')
    evidence = serializers.ListField(
        child=serializers.UUIDField(), help_text="its photos' and documents' attachment ids, as uploaded"
    )
    created_by = serializers.CharField(help_text="who recorded it")
    created_at = serializers.DateTimeField()


class ProjectsSatisfactionOut(_Out):
    voters = serializers.IntegerField(help_text="members who could rate")
    voted = serializers.IntegerField()
    satisfied = serializers.IntegerField()
    basically = serializers.IntegerField()
    not_satisfied = serializers.IntegerField()
    satisfied_rate = serializers.CharField(
        allow_null=True, help_text='satisfied and basically satisfied over the ballots: "0.6667" (none: no ballot)'
    )


class ProjectsProjectDetailOut(ProjectsProjectRowOut):
    description = serializers.CharField(allow_blank=True)
    origin_note = serializers.CharField(allow_blank=True)
    origin_proposal = serializers.IntegerField(allow_null=True, help_text="the proposal's id")
    origin_campaign = serializers.IntegerField(allow_null=True, help_text="the admissions campaign's id")
    origin_edition = serializers.IntegerField(allow_null=True, help_text="the mutual-aid scheme edition's id")
    cooperating_units = ProjectsUnitOut(many=True)
    reason = serializers.CharField(allow_blank=True, help_text="not done: why")
    results = serializers.CharField(allow_blank=True, help_text="工作成效 (at 销号)")
    closing_evidence = serializers.ListField(
        child=serializers.UUIDField(), help_text="the attachment ids of the evidence given at 销号"
    )
    progress = ProjectsProgressOut(many=True, help_text="the entries the caller sees, newest first")
    satisfaction = ProjectsSatisfactionOut(allow_null=True, help_text="counted at 销号 (none before)")
    may_progress = serializers.BooleanField(help_text="the caller may record a progress entry now")
    may_close_off = serializers.BooleanField(help_text="the caller may tick the project off (销号) now")
    next_steps = ProjectsStepOut(many=True, help_text="the steps the caller may take now (销号 has its own route)")


class ProjectsRateRowOut(_Out):
    id = serializers.IntegerField()
    batch = ProjectsBatchLinkOut()
    number = serializers.IntegerField()
    title = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    category = serializers.CharField()
    lead_unit = ProjectsUnitOut()
    status = serializers.CharField()
    status_display = serializers.CharField()
    done_on = serializers.DateField(allow_null=True)


class ProjectsRatePageOut(_Out):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = ProjectsRateRowOut(many=True)


class ProjectsRatedOut(_Out):
    project = serializers.IntegerField()
    rated = serializers.BooleanField(help_text="the rating is cast: anonymous and final")


class ProjectsSeriesOut(_Out):
    id = serializers.IntegerField()
    name = serializers.CharField()
    publisher = serializers.CharField()
    masthead = serializers.CharField(allow_blank=True, help_text="the masthead (blank: the union's name and 简报)")


class ProjectsBulletinRowOut(_Out):
    id = serializers.IntegerField()
    series = ProjectsSeriesOut()
    issue_no = serializers.IntegerField(help_text="期号")
    column = serializers.CharField(allow_blank=True, help_text="栏目: 【贸大要闻】 …")
    date = serializers.DateField()
    title = serializers.CharField()
    subtitle = serializers.CharField(allow_blank=True)
    figures_year = serializers.IntegerField(help_text="the year its figures are of")
    status = serializers.CharField()
    status_display = serializers.CharField()
    published_at = serializers.DateTimeField(allow_null=True)


class ProjectsBulletinPageOut(_Out):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = ProjectsBulletinRowOut(many=True)


class ProjectsSectionOut(_Out):
    heading = serializers.CharField(allow_blank=True)
    paragraphs = serializers.ListField(
        child=serializers.CharField(), help_text="its text with the figures filled in, paragraph by paragraph"
    )


class ProjectsFigureOut(_Out):
    key = serializers.CharField(help_text='how the text quotes it: "insurance.premium"')
    label = serializers.CharField()  # type: ignore[assignment]
    value = serializers.CharField(help_text="as published: exact text")
    shown = serializers.CharField(help_text="as the bulletin prints it")
    unit = serializers.CharField(allow_blank=True)
    money = serializers.BooleanField()


class ProjectsStaleFigureOut(_Out):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    published = serializers.CharField(help_text="as the issue printed it")
    live = serializers.CharField(help_text="as it reads now (—: no longer exists for the year)")


class ProjectsBulletinDetailOut(ProjectsBulletinRowOut):
    sections = ProjectsSectionOut(many=True)
    figures = ProjectsFigureOut(many=True, help_text="the figures frozen at publication (none while a draft)")
    stale_figures = ProjectsStaleFigureOut(
        many=True,
        allow_null=True,
        help_text="the editor only (none for anyone else): published figures whose live value has moved on",
    )
    next_steps = ProjectsStepOut(many=True)
