"""Field validation only; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from gonghui.core.form_kit import DateInput, IdField
from gonghui.mutual_aid.choices import ApplicationKind, DecisionOutcome
from gonghui.mutual_aid.selectors.committee import SORTS
from gonghui.mutual_aid.services.committee import committee_members


class SittingForm(forms.Form):
    year = forms.IntegerField(label=_("费用年度"), min_value=2000, max_value=2100)
    held_on = forms.DateField(label=_("会议日期"), widget=DateInput)
    place = forms.CharField(label=_("地点"), max_length=100, required=False)
    members = forms.ModelMultipleChoiceField(label=_("出席委员"), queryset=None, widget=forms.CheckboxSelectMultiple)
    fund_amount = forms.DecimalField(
        label=_("可分配资金"), required=False, max_digits=14, decimal_places=2, help_text=_("以收定支时填写")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = committee_members().order_by("username")
        self.fields["members"].label_from_instance = lambda user: (
            user.person.name if getattr(user, "person", None) else (user.get_full_name() or user.username)
        )


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(choices=DecisionOutcome.choices)
    amount = forms.CharField(required=False, max_length=20)
    reason = forms.CharField(required=False, max_length=1000)


class CloseForm(forms.Form):
    minutes = forms.CharField(label=_("会议纪要"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class NoticeForm(forms.Form):
    starts_on = forms.DateField(label=_("公示开始"), widget=DateInput)


class ObjectionForm(forms.Form):
    application = forms.ModelChoiceField(label=_("申请人"), queryset=None)
    received_on = forms.DateField(label=_("收到日期"), widget=DateInput)
    content = forms.CharField(label=_("异议内容"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, applications, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].queryset = applications
        self.fields["application"].label_from_instance = lambda a: f"{a.person.name}（{a.person.staff_no}）"


class ResolveForm(forms.Form):
    upheld = forms.TypedChoiceField(
        label=_("处理结论"),
        coerce=lambda v: v == "1",
        choices=[("0", _("异议不成立，恢复公示")), ("1", _("异议成立，不予补助"))],
    )
    resolution = forms.CharField(label=_("处理结果和理由"), max_length=1000)


class PaidForm(forms.Form):
    paid_on = forms.DateField(label=_("发放日期"), widget=DateInput)


class BatchForm(forms.Form):
    year = forms.IntegerField(label=_("费用年度"), min_value=2000, max_value=2100)


class SittingFilterForm(forms.Form):
    """The sitting list's filters as the page takes them from the URL (checked: see
    `core.views_kit.filters_checked`)."""

    sub_union = IdField(required=False, label=_("分工会"))
    kind = forms.ChoiceField(required=False, label=_("类型"), choices=[("", ""), *ApplicationKind.choices])
    min_amount = forms.DecimalField(required=False, max_digits=12, decimal_places=2, label=_("最低金额"))
    max_amount = forms.DecimalField(required=False, max_digits=12, decimal_places=2, label=_("最高金额"))
    decided = forms.ChoiceField(required=False, label=_("是否已决定"), choices=[("", ""), ("yes", ""), ("no", "")])
    sort = forms.ChoiceField(required=False, label=_("排序"), choices=[("", ""), *((key, key) for key in SORTS)])
