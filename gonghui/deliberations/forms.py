"""Field validation only; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from gonghui.congress.models import CongressSession
from gonghui.deliberations.choices import AnswerStatus, DeliberationStatus, MajorityBase, RoundAudience, VoteMethod
from gonghui.people.models import UniversityUnit

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DeliberationForm(forms.Form):
    topic = forms.CharField(label=_("议题"), max_length=200)
    session = forms.ModelChoiceField(label=_("会议"), queryset=CongressSession.objects.select_related("term__congress"))
    drafting_unit = forms.ModelChoiceField(label=_("起草单位"), queryset=UniversityUnit.objects.all())
    description = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class VersionTextForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=200, required=False, help_text=_("留空则取正文第一行"))
    text = forms.CharField(
        label=_("正文"),
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("每条以“第一条”“第二条”……开头；章标题写作“第一章 总则”。"),
    )
    change_note = forms.CharField(label=_("修改说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class VersionDocxForm(forms.Form):
    file = forms.FileField(label=_("Word 文件（.docx）"))
    change_note = forms.CharField(label=_("修改说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class RoundForm(forms.Form):
    opens_at = forms.DateTimeField(label=_("开始时间"), widget=DATETIME)
    closes_at = forms.DateTimeField(label=_("截止时间"), widget=DATETIME)
    audience = forms.ChoiceField(label=_("征求范围"), choices=RoundAudience.choices)
    online = forms.BooleanField(label=_("允许教职工网上提交"), required=False, initial=True)
    anonymous = forms.BooleanField(label=_("对起草单位匿名（校工会始终可见提出人）"), required=False)


class OpinionForm(forms.Form):
    article = forms.CharField(required=False, widget=forms.HiddenInput)
    text = forms.CharField(label=_("意见"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class PaperOpinionForm(forms.Form):
    sub_union = forms.IntegerField(widget=forms.HiddenInput, required=False)
    author = forms.CharField(label=_("提出人工号"), max_length=32, required=False, help_text=_("留空为学院集体意见"))
    article = forms.ChoiceField(label=_("条款"), choices=(), required=False)
    text = forms.CharField(label=_("意见"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def __init__(self, *args, articles=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["article"].choices = [("", _("总体意见")), *articles]


class AnswerForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("答复"),
        choices=[(value, label) for value, label in AnswerStatus.choices if value != AnswerStatus.PENDING],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("理由"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("部分采纳、不采纳须说明理由"),
    )


class RegroupForm(forms.Form):
    group = forms.IntegerField(label=_("归入意见组（序号，留空为单列）"), required=False, min_value=1)


class VoteForm(forms.Form):
    method = forms.ChoiceField(label=_("表决方式"), choices=VoteMethod.choices)
    held_on = forms.DateField(label=_("表决日期"), widget=DATE)
    present = forms.IntegerField(label=_("实到代表"), min_value=0)
    votes_for = forms.IntegerField(label=_("赞成"), min_value=0)
    votes_against = forms.IntegerField(label=_("反对"), min_value=0)
    abstentions = forms.IntegerField(label=_("弃权"), min_value=0)


class VoteRulesForm(forms.Form):
    quorum_numerator = forms.IntegerField(label=_("法定人数（分子）"), min_value=1, initial=2)
    quorum_denominator = forms.IntegerField(label=_("法定人数（分母）"), min_value=1, initial=3)
    majority_base = forms.ChoiceField(label=_("过半数基数"), choices=MajorityBase.choices)
    adopted_on = forms.DateField(label=_("通过日期"), widget=DATE)
    resolution = forms.CharField(
        label=_("通过依据"), max_length=200, help_text=_("如：第七届教代会主席团第一次会议决定")
    )


class StatusFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("状态"), choices=[("", _("全部")), *DeliberationStatus.choices], required=False)


class RollupFilterForm(forms.Form):
    article = forms.CharField(label=_("条款"), required=False)
    status = forms.ChoiceField(label=_("答复"), choices=[("", _("全部")), *AnswerStatus.choices], required=False)
