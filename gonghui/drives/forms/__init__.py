"""Forms validate the shape of input only; the services hold the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from gonghui.drives.choices import RELATIVE_RELATIONSHIPS, DrivePhase, Intent, RegistrationChannel, Relationship
from gonghui.drives.models import PHASE_DATES, Drive, DriveRules
from gonghui.people.choices import CoverageType, EmploymentStatus, Gender
from gonghui.people.models import EmploymentCategory

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DriveForm(forms.ModelForm):
    """The drive: product, provider, phase dates, contacts."""

    class Meta:
        model = Drive
        fields = ["name", "product", "provider", "description", *PHASE_DATES, "contacts"]
        widgets = {name: DATE for name in PHASE_DATES} | {
            "description": forms.Textarea(attrs={"rows": 3}),
            "contacts": forms.Textarea(attrs={"rows": 3}),
        }


def _choices(field: str, choices) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=DriveRules._meta.get_field(field).verbose_name,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=choices,
        help_text=_("不选表示不限"),
    )


class DriveRulesForm(forms.ModelForm):
    """The drive's rules while they are a draft (price, policy start, who may join …)."""

    eligible_statuses = _choices(
        "eligible_statuses",
        [(s, s.label) for s in (EmploymentStatus.ACTIVE, EmploymentStatus.RETIRED)],
    )
    eligible_coverage_types = _choices("eligible_coverage_types", CoverageType.choices)
    group_only_coverage_types = _choices("group_only_coverage_types", CoverageType.choices)
    relative_relationships = _choices("relative_relationships", [(r.value, r.label) for r in RELATIVE_RELATIONSHIPS])
    categories = forms.ModelMultipleChoiceField(
        label=_("可参加的人员类别"),
        required=False,
        queryset=EmploymentCategory.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("不选表示不限"),
    )

    class Meta:
        model = DriveRules
        fields = [*DriveRules.document.fields]
        widgets = {"policy_start": DATE, "consent_text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group_only_coverage_types"].help_text = DriveRules._meta.get_field(
            "group_only_coverage_types"
        ).help_text
        self.fields["relative_relationships"].help_text = ""
        if self.instance.pk:
            self.fields["categories"].initial = list(self.instance.eligible_categories.all())

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("categories", None)
        return data


class AdoptForm(forms.Form):
    adopted_on = forms.DateField(label=_("通过日期"), widget=DATE)
    resolution = forms.CharField(label=_("通过依据"), max_length=200, help_text=_("如：校工会第十二次常委会决议"))


class AdvanceForm(forms.Form):
    to_phase = forms.ChoiceField(label=_("进入阶段"), choices=DrivePhase.choices)


class DocumentForm(forms.Form):
    file = forms.FileField(label=_("文件"))


class SessionForm(forms.Form):
    title = forms.CharField(label=_("主题"), max_length=100)
    starts_at = forms.DateTimeField(label=_("时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    place = forms.CharField(label=_("地点"), max_length=100)
    capacity = forms.IntegerField(label=_("名额"), min_value=1)


class SurveyAnswerForm(forms.Form):
    intent = forms.ChoiceField(label=_("参加意向"), choices=Intent.choices, widget=forms.RadioSelect)
    relatives_count = forms.IntegerField(
        label=_("拟参加家属人数"), min_value=0, max_value=20, initial=0, required=False
    )


class RegistrationForm(forms.Form):
    """The member's own registration or a relative's (relationship other than self)."""

    relationship = forms.ChoiceField(label=_("报名对象"), choices=Relationship.choices)
    name = forms.CharField(label=_("姓名"), max_length=50, required=False)
    id_number = forms.CharField(label=_("身份证号"), max_length=18, required=False)
    gender = forms.ChoiceField(label=_("性别"), choices=[("", "—"), *Gender.choices], required=False)
    birth_date = forms.DateField(label=_("出生日期"), required=False, widget=DATE)
    coverage_type = forms.ChoiceField(label=_("医疗类别"), choices=[("", "—"), *CoverageType.choices], required=False)
    phone = forms.CharField(label=_("手机号"), max_length=20)
    channel = forms.ChoiceField(
        label=_("参保方式"), choices=RegistrationChannel.choices, initial=RegistrationChannel.GROUP
    )
    consent = forms.BooleanField(label=_("我同意将以上信息提供给承办机构"), required=False)

    def __init__(self, *args, drive: Drive, **kwargs):
        super().__init__(*args, **kwargs)
        rules = drive.rules
        choices = [(Relationship.SELF, Relationship.SELF.label)]
        if rules.relatives_allowed:
            choices += [(r, Relationship(r).label) for r in rules.relative_relationships]
        self.fields["relationship"].choices = choices
        self.fields["consent"].help_text = rules.consent_text


class ProxyRegistrationForm(forms.Form):
    staff_no = forms.CharField(label=_("工号"), max_length=32)
    phone = forms.CharField(label=_("手机号"), max_length=20, required=False)
    channel = forms.ChoiceField(
        label=_("参保方式"), choices=RegistrationChannel.choices, initial=RegistrationChannel.GROUP
    )
    consent = forms.BooleanField(label=_("本人已书面同意将报名信息提供给承办机构"), required=False)


class ResultUploadForm(forms.Form):
    file = forms.FileField(label=_("承办机构结果文件（.xlsx）"))


class PointForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100)
    place = forms.CharField(label=_("地点"), max_length=100)
    notes = forms.CharField(label=_("说明"), max_length=200, required=False)


class SlotsForm(forms.Form):
    day = forms.DateField(label=_("日期"), widget=DATE)
    first = forms.TimeField(label=_("开始"), widget=forms.TimeInput(attrs={"type": "time"}))
    last_end = forms.TimeField(label=_("结束"), widget=forms.TimeInput(attrs={"type": "time"}))
    minutes = forms.IntegerField(label=_("每段分钟"), min_value=5, initial=30)
    capacity = forms.IntegerField(label=_("每段名额"), min_value=1, initial=10)


class BookOnBehalfForm(forms.Form):
    staff_no = forms.CharField(label=_("工号"), max_length=32)
    slot = forms.IntegerField(label=_("时段"))
