"""Field validation for the admissions pages; the services decide."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gonghui.admissions.choices import (
    KIND_STAGE,
    Affiliation,
    ConsultationChannel,
    Housing,
    Need,
    Relation,
    RequestStatus,
    SchoolKind,
    Stage,
)
from gonghui.admissions.models import AdmissionRules, School
from gonghui.core.form_kit import DateInput
from gonghui.people.models import SubUnion


def _text(label, *, max_length=200, required=True, rows=0, help_text="") -> forms.CharField:
    widget = forms.Textarea(attrs={"rows": rows}) if rows else None
    return forms.CharField(label=label, max_length=max_length, required=required, widget=widget, help_text=help_text)


def _lines(label, help_text="") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false", "autocapitalize": "off"}),
    )


class SchoolChoiceField(forms.ModelChoiceField):
    """A school by name, kind and district."""

    def label_from_instance(self, obj) -> str:
        return f"{obj.name}（{obj.get_kind_display()}，{obj.district}）"


def schools_for(stage: str | None, *, requests_only: bool = False):
    """The schools in use that admit `stage` (all, without one); only affiliated and
    co-built ones for a request."""
    kinds = [kind for kind, admits in KIND_STAGE.items() if stage is None or admits == stage]
    rows = School.objects.filter(active=True, kind__in=kinds)
    if requests_only:
        rows = rows.filter(affiliation__in=("affiliated", "co_built"))
    return rows.order_by("kind", "code")


class _SchoolsMixin:
    """The school fields of a form narrowed to what the child's stage admits."""

    fields: dict

    def _schools(self, stage: str | None, *, requests_only: bool) -> None:
        rows = schools_for(stage, requests_only=requests_only)
        for name in ("school", "alternative"):
            if name in self.fields:
                cast(forms.ModelChoiceField, self.fields[name]).queryset = rows


# --- the office: campaigns, schools, rules -----------------------------------------------


class CampaignForm(forms.Form):
    year = forms.IntegerField(label=_("入学年度"), min_value=2000, max_value=2100)
    rules = forms.ModelChoiceField(label=_("规则"), queryset=AdmissionRules.objects.none())
    name = forms.CharField(
        label=_("名称"), max_length=100, required=False, help_text=_("留空则为“N年教职工子女入托入学”")
    )

    def __init__(self, *args, rules=None, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["rules"]).queryset = (
            rules if rules is not None else AdmissionRules.objects.none()
        )


class SchoolForm(forms.Form):
    code = forms.SlugField(label=_("代码"), max_length=32, help_text=_("字母、数字或连字符，如 fx-primary"))
    name = forms.CharField(label=_("名称"), max_length=100)
    kind = forms.ChoiceField(label=_("类别"), choices=SchoolKind.choices)
    district = forms.CharField(label=_("所在区"), max_length=30)
    affiliation = forms.ChoiceField(label=_("关系"), choices=Affiliation.choices)
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    contact_name = forms.CharField(label=pgettext_lazy("admissions", "联系人"), max_length=50, required=False)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=30, required=False)
    opened_on = forms.DateField(label=_("开办日期"), widget=DateInput(), required=False)
    active = forms.BooleanField(label=_("在用"), required=False, initial=True)
    note = _text(_("备注"), max_length=2000, required=False, rows=2)


class RulesDraftForm(forms.Form):
    """A year's admission rules as a draft: the dates and ages, then the batches, the
    documents and the places, one line each."""

    year = forms.IntegerField(label=_("入学年度"), min_value=2000, max_value=2100)
    name = forms.CharField(label=_("名称"), max_length=100)
    survey_opens = forms.DateField(label=_("摸底开始"), widget=DateInput())
    survey_closes = forms.DateField(label=_("摸底截止"), widget=DateInput())
    requests_open = forms.DateField(label=_("申请开始"), widget=DateInput())
    requests_deadline = forms.DateField(
        label=_("申请截止"), widget=DateInput(), help_text=_("此后提交的申请视为自行解决")
    )
    nursery_months = forms.IntegerField(label=_("入托最小年龄（月）"), min_value=12, max_value=72)
    kindergarten_months = forms.IntegerField(label=_("入园最小年龄（月）"), min_value=12, max_value=84)
    primary_months = forms.IntegerField(label=_("入小学最小年龄（月）"), min_value=48, max_value=120)
    secondary_months = forms.IntegerField(label=_("入初中最小年龄（月）"), min_value=96, max_value=180)
    alternative_allowed = forms.BooleanField(label=_("可填备选学校"), required=False)


class AdoptForm(forms.Form):
    adopted_on = forms.DateField(label=_("通过日期"), widget=DateInput())
    resolution = forms.CharField(label=_("决议文号"), max_length=200)


# --- the survey and the requests ----------------------------------------------------------


class SurveyAnswerForm(_SchoolsMixin, forms.Form):
    need = forms.ChoiceField(label=_("是否需要"), choices=Need.choices, widget=forms.RadioSelect)
    school = SchoolChoiceField(label=_("意向学校"), queryset=School.objects.none(), required=False)
    alternative = SchoolChoiceField(label=_("备选学校"), queryset=School.objects.none(), required=False)
    hukou_district = forms.CharField(label=_("户口所在区"), max_length=30, required=False)
    housing = forms.ChoiceField(label=_("住房情况"), choices=[("", "—"), *Housing.choices], required=False)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args, stage: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self._schools(stage, requests_only=False)


class RequestForm(_SchoolsMixin, forms.Form):
    school = SchoolChoiceField(label=_("意向学校"), queryset=School.objects.none())
    alternative = SchoolChoiceField(label=_("备选学校"), queryset=School.objects.none(), required=False)
    relation = forms.ChoiceField(label=_("与教职工关系"), choices=Relation.choices)
    hukou_district = forms.CharField(label=_("户口所在区"), max_length=30)
    housing = forms.ChoiceField(label=_("住房情况"), choices=Housing.choices)
    note = _text(_("说明"), max_length=2000, required=False, rows=2)

    def __init__(self, *args, stage: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self._schools(stage, requests_only=True)


class DocumentUploadForm(forms.Form):
    code = forms.SlugField(max_length=32, widget=forms.HiddenInput)
    file = forms.FileField(label=_("文件"))


class DocumentCheckForm(forms.Form):
    checked = forms.BooleanField(required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class AnswerForm(forms.Form):
    placed = forms.TypedChoiceField(
        label=_("学校答复"),
        choices=[("1", _("录取")), ("0", _("未录取"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("说明"), max_length=200, required=False)


class RequestFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("状态"), choices=[("", _("全部")), *RequestStatus.choices], required=False)
    sub_union = forms.ModelChoiceField(
        label=_("分工会"), queryset=SubUnion.objects.none(), required=False, empty_label=_("全部")
    )
    batch = forms.IntegerField(label=_("批次"), min_value=1, max_value=99, required=False)

    def __init__(self, *args, sub_unions=None, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["sub_union"]).queryset = (
            sub_unions if sub_unions is not None else SubUnion.objects.none()
        )


class RemindForm(forms.Form):
    sub_union = forms.ModelChoiceField(queryset=SubUnion.objects.all())


class UploadForm(forms.Form):
    file = forms.FileField(label=_("学校录取名单（.xlsx）"))


# --- advice, visits, shortages --------------------------------------------------------------


class PolicyNoteForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    district = forms.CharField(label=_("区"), max_length=30)
    title = forms.CharField(label=_("标题"), max_length=100)
    body = forms.CharField(label=_("内容"), widget=forms.Textarea(attrs={"rows": 8}))
    source_url = forms.URLField(label=_("政策原文链接"), required=False, assume_scheme="https")


class ConsultationForm(forms.Form):
    who = forms.CharField(label=_("咨询人"), max_length=50, required=False, help_text=_("工号或姓名；匿名咨询可不填"))
    asked_on = forms.DateField(label=_("日期"), widget=DateInput())
    channel = forms.ChoiceField(label=_("方式"), choices=ConsultationChannel.choices)
    stage = forms.ChoiceField(label=_("学段"), choices=[("", "—"), *Stage.choices], required=False)
    district = forms.CharField(label=_("区"), max_length=30, required=False)
    question = forms.CharField(label=pgettext_lazy("admissions", "问题"), widget=forms.Textarea(attrs={"rows": 3}))
    answer = forms.CharField(label=_("答复"), widget=forms.Textarea(attrs={"rows": 3}))


class VisitForm(forms.Form):
    school = SchoolChoiceField(label=pgettext_lazy("admissions", "学校"), queryset=School.objects.filter(active=True))
    visit_on = forms.DateField(label=_("日期"), widget=DateInput())
    meeting_point = forms.CharField(label=_("集合地点"), max_length=100, required=False)
    capacity = forms.IntegerField(label=_("名额"), min_value=1, max_value=500)
    signup_until = forms.DateField(label=_("报名截止"), widget=DateInput())
    note = _text(_("说明"), max_length=2000, required=False, rows=2)


class AttendanceForm(forms.Form):
    attended = forms.TypedMultipleChoiceField(coerce=int, required=False, choices=())

    def __init__(self, *args, signups=(), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.TypedMultipleChoiceField, self.fields["attended"]).choices = [(s.pk, s.pk) for s in signups]


class MessageForm(forms.Form):
    message = forms.CharField(label=_("说明"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class ShortageProposalForm(forms.Form):
    session: forms.ModelChoiceField = forms.ModelChoiceField(label=_("教代会会议"), queryset=None)

    def __init__(self, *args, sessions=None, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["session"]).queryset = sessions


class ShortageLinkForm(forms.Form):
    proposal = forms.IntegerField(label=_("提案"), min_value=1, widget=forms.Select)

    def __init__(self, *args, proposals=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposal"].widget.choices = [(p.pk, str(p)) for p in proposals]
