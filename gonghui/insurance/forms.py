"""Field validation only; the rules live in the services."""

import json

from django import forms
from django.utils.translation import gettext_lazy as _

from gonghui.core.form_kit import DateInput
from gonghui.insurance.choices import PremiumRule
from gonghui.insurance.models import Plan
from gonghui.people.choices import EmploymentStatus, Gender
from gonghui.people.models import EmploymentCategory


class JSONListField(forms.CharField):
    widget = forms.Textarea(attrs={"rows": 4, "spellcheck": "false"})

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return []
        try:
            parsed = json.loads(value)
        except ValueError:
            raise forms.ValidationError(_("须为 JSON 列表")) from None
        if not isinstance(parsed, list):
            raise forms.ValidationError(_("须为 JSON 列表"))
        return parsed

    def prepare_value(self, value):
        if isinstance(value, list):
            return json.dumps(value, ensure_ascii=False, indent=1)
        return value


class LinesField(forms.CharField):
    """One item per line (the document checklist)."""

    widget = forms.Textarea(attrs={"rows": 4})

    def to_python(self, value):
        return [line.strip() for line in (super().to_python(value) or "").splitlines() if line.strip()]

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value


class EditionForm(forms.Form):
    plan = forms.ModelChoiceField(label=_("保障计划"), queryset=Plan.objects.all())
    name = forms.CharField(label=_("名称"), max_length=200)
    start_date = forms.DateField(label=_("保障起始日"), widget=DateInput())
    term_months = forms.IntegerField(label=_("保障期（月）"), min_value=1)
    price_per_share = forms.DecimalField(label=_("每份保费"), min_value=0, decimal_places=2)
    min_shares = forms.IntegerField(label=_("最少份数"), min_value=1)
    max_shares = forms.IntegerField(label=_("最多份数"), min_value=1)
    default_shares = forms.IntegerField(label=_("默认份数"), min_value=1)
    same_shares_per_unit = forms.BooleanField(label=_("全单位统一份数"), required=False)
    eligible_genders = forms.MultipleChoiceField(
        label=_("适用性别（不选表示不限）"), choices=Gender.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    min_age = forms.IntegerField(label=_("最低年龄（含）"), min_value=0, required=False)
    max_age_male = forms.IntegerField(label=_("男性年龄上限（不含）"), min_value=1, required=False)
    max_age_female = forms.IntegerField(label=_("女性年龄上限（不含）"), min_value=1, required=False)
    eligible_statuses = forms.MultipleChoiceField(
        label=_("适用人员状态"), choices=EmploymentStatus.choices, widget=forms.CheckboxSelectMultiple
    )
    categories = forms.ModelMultipleChoiceField(
        label=_("适用人员类别（不选表示所有）"),
        queryset=EmploymentCategory.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    min_participation_rate = forms.DecimalField(
        label=_("最低参保率（0–1）"), min_value=0, max_value=1, decimal_places=4
    )
    waiting_schedule = JSONListField(
        label=_("等待期（分级，JSON）"),
        required=False,
        help_text=_('如 [{"from_day": 1, "share": "0"}, {"from_day": 31, "share": "1"}]'),
    )
    benefits = JSONListField(
        label=_("给付标准（JSON）"),
        help_text=_(
            '如 [{"code": "allowance", "name": "住院津贴", "kind": "daily", '
            '"bands": [{"from_day": 4, "to_day": null, "per_day": "40"}], "cap": "7200"}]'
        ),
    )
    exclusions = forms.CharField(label=_("责任免除"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    claim_deadline_days = forms.IntegerField(label=_("报案时限（天）"), min_value=0)
    required_documents = LinesField(label=_("理赔材料（每行一项）"), required=False)
    premium_rule = forms.ChoiceField(label=_("保费调整规则"), choices=PremiumRule.choices)
    member_share_rate = forms.DecimalField(label=_("个人负担比例（0–1）"), min_value=0, max_value=1, decimal_places=4)


class AdoptForm(forms.Form):
    """Adoption needs the date and the act (core's edition_adopt)."""

    adopted_on = forms.DateField(label=_("通过日期"), widget=DateInput())
    resolution = forms.CharField(label=_("通过依据"), max_length=200, help_text=_("如：校工会办公会议决议、教代会决议"))


class DateForm(forms.Form):
    on = forms.DateField(label=_("日期"), widget=DateInput())


class OptOutForm(forms.Form):
    staff_no = forms.CharField(label=_("工号"), max_length=32)
    reason = forms.CharField(label=_("原因"), max_length=200)


class UploadForm(forms.Form):
    file = forms.FileField(label=_("文件"))


class ClaimForm(forms.Form):
    plan = forms.ModelChoiceField(label=_("保障计划"), queryset=Plan.objects.all())
    benefit_code = forms.ChoiceField(label=_("给付项目"), choices=())
    diagnosis = forms.CharField(label=_("诊断"), max_length=200)
    event_date = forms.DateField(label=_("出险日期"), required=False, widget=DateInput())
    admission_date = forms.DateField(label=_("入院日期"), required=False, widget=DateInput())
    discharge_date = forms.DateField(label=_("出院日期"), required=False, widget=DateInput())
    payout_account = forms.CharField(label=_("收款账户（京卡号）"), max_length=64, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from gonghui.core.editions import EditionStatus
        from gonghui.insurance.models import PlanEdition

        choices = {}
        for edition in (
            PlanEdition.objects.filter(status=EditionStatus.ADOPTED)
            .select_related("plan")
            .order_by("plan__sort_order", "-start_date")
        ):
            for item in edition.benefits:
                choices.setdefault(item["code"], f"{edition.plan.name}：{item['name']}")
        self.fields["benefit_code"].choices = list(choices.items())


class OfficeClaimForm(ClaimForm):
    staff_no = forms.CharField(label=_("工号"), max_length=32)
    reported_on = forms.DateField(label=_("报案日期"), required=False, widget=DateInput())

    field_order = [
        "staff_no",
        "plan",
        "benefit_code",
        "diagnosis",
        "event_date",
        "admission_date",
        "discharge_date",
        "payout_account",
        "reported_on",
    ]


class ClaimDecisionForm(forms.Form):
    on = forms.DateField(label=_("日期"), widget=DateInput())
    amount = forms.DecimalField(label=_("赔付金额"), required=False, decimal_places=2)
    reason = forms.CharField(label=_("原因 / 需补充的材料"), max_length=300, required=False)
    payout_account = forms.CharField(label=_("收款账户"), max_length=64, required=False)


class ClaimDocumentForm(forms.Form):
    name = forms.CharField(label=_("材料"), max_length=100)
    file = forms.FileField(label=_("文件"))


class OptOutBatchForm(forms.Form):
    """批量登记不参保: a file with a 工号 column (and optionally 原因), or pasted staff numbers."""

    file = forms.FileField(label=_("工号文件（.xlsx 或 .csv，含“工号”列，可含“原因”列）"), required=False)
    text = forms.CharField(
        label=_("或粘贴工号"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": _("每行一个，或以空格、逗号分隔")}),
    )
    reason = forms.CharField(
        label=_("原因"), max_length=200, required=False, help_text=_("文件中没有填写原因的行使用此原因")
    )

    def clean(self):
        data = super().clean()
        if not data.get("file") and not (data.get("text") or "").strip():
            raise forms.ValidationError(_("请上传文件或粘贴工号"))
        return data
