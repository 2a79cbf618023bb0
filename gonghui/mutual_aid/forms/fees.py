"""Forms of the membership and fee pages: field validation only; rules live in the services."""

import datetime
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from gonghui.core.form_kit import DateInput
from gonghui.mutual_aid.choices import FeeChannel, FeeLineStatus, SchemeMembershipStatus


class EnrollForm(forms.Form):
    staff_no = forms.CharField(label=_("工号"), max_length=32)
    joined_on = forms.DateField(label=_("入会日期"), widget=DateInput, initial=datetime.date.today)
    channel = forms.ChoiceField(
        label=_("缴费渠道"),
        choices=FeeChannel.choices,
        initial=FeeChannel.PAYROLL,
        help_text=_("退休金不经学校发放的离退休人员选择现场缴纳"),
    )


class JoinForm(forms.Form):
    """A member's own join: retirees may choose to pay by hand."""

    channel = forms.ChoiceField(label=_("缴费渠道"), choices=FeeChannel.choices, initial=FeeChannel.PAYROLL)
    confirm = forms.BooleanField(label=_("我已阅读并同意本年度管理办法"), required=True)


class OptOutForm(forms.Form):
    reason = forms.CharField(label=_("退出原因"), max_length=200)
    on = forms.DateField(label=_("退出日期"), widget=DateInput, initial=datetime.date.today)


class MemberFilterForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), required=False, min_value=2000, max_value=2100)
    q = forms.CharField(label=_("搜索"), required=False)
    sub_union = forms.ModelChoiceField(label=_("分工会"), queryset=None, required=False, empty_label=_("全部分工会"))
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部状态")), *SchemeMembershipStatus.choices]
    )
    channel = forms.ChoiceField(label=_("缴费渠道"), required=False, choices=[("", _("全部渠道")), *FeeChannel.choices])

    def __init__(self, *args, sub_unions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sub_union"].queryset = sub_unions


class FeeRunForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)


class LineFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部状态")), *FeeLineStatus.choices])


class ResultUploadForm(forms.Form):
    file = forms.FileField(label=_("财务扣款结果（.xlsx 或 .csv）"))


class ReceiptForm(forms.Form):
    amount = forms.DecimalField(label=_("收款金额（元）"), max_digits=14, decimal_places=2, min_value=Decimal("0.01"))
    memo = forms.CharField(label=_("说明"), max_length=200, required=False)


class RefundForm(forms.Form):
    amount = forms.DecimalField(label=_("退费金额（元）"), max_digits=14, decimal_places=2, min_value=Decimal("0.01"))
    reason = forms.CharField(label=_("退费原因"), max_length=200)


class MyOptOutForm(forms.Form):
    """A member's own opt-out from the portal: a reason is required; it takes effect today
    (the current year's fee stands)."""

    reason = forms.CharField(label=_("退出原因"), max_length=200, widget=forms.Textarea(attrs={"rows": 3}))
    confirm = forms.BooleanField(label=_("我确认退出医疗互助会"), required=True)


class CorrectionForm(forms.Form):
    """A ledger correction: a new signed entry (negative: the member owes more; positive:
    credited to the member)."""

    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    fee_line = forms.ModelChoiceField(label=_("会费明细"), queryset=None, required=False, empty_label=_("不关联"))
    amount = forms.DecimalField(label=_("更正金额（元，负数表示应补缴）"), max_digits=14, decimal_places=2)
    reason = forms.CharField(label=_("更正原因"), max_length=200)

    def __init__(self, *args, lines=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fee_line"].queryset = lines
        self.fields["fee_line"].label_from_instance = lambda line: (
            _("%(year)s 年度 %(amount)s 元（%(status)s）")
            % {"year": line.year, "amount": line.amount, "status": line.get_status_display()}
        )


class EnrolBatchForm(forms.Form):
    """批量入会: the batch's date and channel, chosen once, and one way to choose the people
    (the button pressed says which: `source`)."""

    SOURCES = ("file", "paste", "sub_union", "filter")

    joined_on = forms.DateField(label=_("入会日期"), widget=DateInput, initial=datetime.date.today)
    channel = forms.ChoiceField(
        label=_("缴费渠道"),
        choices=FeeChannel.choices,
        initial=FeeChannel.PAYROLL,
        help_text=_("整批相同；选择现场缴纳时，在职人员列为不符合条件"),
    )
    source = forms.ChoiceField(choices=[(s, s) for s in SOURCES], widget=forms.HiddenInput)
    file = forms.FileField(label=_("工号文件（.xlsx 或 .csv，含“工号”列）"), required=False)
    text = forms.CharField(
        label=_("粘贴工号"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": _("每行一个，或以空格、逗号分隔")}),
    )
    sub_union = forms.ModelChoiceField(label=_("分工会（含其工会小组）"), queryset=None, required=False)
    filter_sub_union = forms.ModelChoiceField(
        label=_("分工会"), queryset=None, required=False, empty_label=_("全部分工会")
    )
    employment_status = forms.ChoiceField(label=_("人员状态"), required=False)
    employment_category = forms.ModelChoiceField(
        label=_("人员类别"), queryset=None, required=False, empty_label=_("全部人员类别")
    )
    coverage_type = forms.ChoiceField(label=_("医疗类别"), required=False)

    def __init__(self, *args, sub_unions=None, categories=None, statuses=(), coverage_types=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sub_union"].queryset = sub_unions
        self.fields["filter_sub_union"].queryset = sub_unions
        self.fields["employment_category"].queryset = categories
        self.fields["employment_status"].choices = [("", _("全部人员状态")), *statuses]
        self.fields["coverage_type"].choices = [("", _("全部医疗类别")), *coverage_types]

    def clean(self):
        data = super().clean()
        needed = {"file": "file", "paste": "text", "sub_union": "sub_union"}.get(data.get("source", ""))
        if needed and not data.get(needed):
            self.add_error(needed, _("请填写此项"))
        return data

    def filters(self) -> dict:
        """The people list's filters, as that list reads them."""
        data = self.cleaned_data
        return {
            "sub_union": data["filter_sub_union"].pk if data.get("filter_sub_union") else "",
            "employment_status": data.get("employment_status") or "",
            "employment_category": data["employment_category"].pk if data.get("employment_category") else "",
            "coverage_type": data.get("coverage_type") or "",
        }
