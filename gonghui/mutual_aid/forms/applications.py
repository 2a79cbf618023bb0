from django import forms
from django.utils.translation import gettext_lazy as _

from gonghui.mutual_aid.choices import ApplicationKind, SubmitterRelation
from gonghui.mutual_aid.models import CostItem, DiseaseCategory
from gonghui.mutual_aid.services.applications import COST_FIELDS

MONEY_ATTRS = {"inputmode": "decimal", "step": "0.01", "min": "0"}


class ApplyStartForm(forms.Form):
    kind = forms.ChoiceField(label=_("申请类型"), choices=ApplicationKind.choices, widget=forms.RadioSelect)


class ProxyStartForm(ApplyStartForm):
    person = forms.IntegerField(widget=forms.HiddenInput)
    submitter_relation = forms.ChoiceField(
        label=_("提交方式"),
        widget=forms.RadioSelect,
        initial=SubmitterRelation.PROXY,
        choices=[
            (SubmitterRelation.PROXY, SubmitterRelation.PROXY.label),
            (SubmitterRelation.RELATIVE, SubmitterRelation.RELATIVE.label),
        ],
    )
    relative_name = forms.CharField(label=_("亲属姓名"), max_length=50, required=False)
    relative_phone = forms.CharField(
        label=_("亲属电话"), max_length=20, required=False, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )


class CostItemForm(forms.ModelForm):
    """One bill. Amount rules (no negatives, out-of-pocket = total − insurance − second
    reimbursement) are the service's: the form only parses."""

    class Meta:
        model = CostItem
        fields = COST_FIELDS  # exactly what the service accepts for a bill
        widgets = {
            "incurred_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "inpatient": forms.Select(choices=[(True, _("住院")), (False, _("门诊"))]),
            "covered": forms.Select(choices=[(True, _("目录内")), (False, _("目录外"))]),
            "total": forms.NumberInput(attrs=MONEY_ATTRS),
            "paid_by_insurance": forms.NumberInput(attrs=MONEY_ATTRS),
            "second_reimbursement": forms.NumberInput(attrs=MONEY_ATTRS),
            "out_of_pocket": forms.NumberInput(attrs=MONEY_ATTRS),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["paid_by_insurance"].required = False
        self.fields["second_reimbursement"].required = False
        for name in ["inpatient", "covered"]:
            self.fields[name] = forms.TypedChoiceField(
                label=self.fields[name].label,
                coerce=lambda v: v in (True, "True", "true", "1"),
                choices=self.fields[name].widget.choices,
                initial=True,
            )


class DetailsForm(forms.Form):
    disease_category = forms.ModelChoiceField(label=_("病种"), queryset=DiseaseCategory.objects.none(), required=False)

    def __init__(self, *args, edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["disease_category"].queryset = edition.diseases.all()


class DocumentUploadForm(forms.Form):
    file = forms.FileField(label=_("照片或 PDF"))


class ReturnForm(forms.Form):
    message = forms.CharField(label=_("退回说明"), widget=forms.Textarea(attrs={"rows": 3}))


class CheckForm(forms.Form):
    message = forms.CharField(label=_("审核意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
