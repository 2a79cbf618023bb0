"""Forms for the editions pages: field validation only; the services hold the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from gonghui.core.form_kit import DateInput
from gonghui.mutual_aid.choices import ApplicationKind, BaseMode, CostBase, FeePeriod
from gonghui.mutual_aid.models import SchemeEdition
from gonghui.people.choices import EmploymentStatus
from gonghui.people.models import EmploymentCategory


def _label(name):
    return SchemeEdition._meta.get_field(name).verbose_name


def _money(name, required=True):
    return forms.DecimalField(
        label=_label(name),
        max_digits=14,
        decimal_places=2,
        required=required,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
    )


class EditionCreateForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    name = forms.CharField(label=_("名称"), max_length=200, required=False, help_text=_("留空则自动命名"))
    source = forms.ModelChoiceField(
        label=_("复制自"),
        queryset=SchemeEdition.objects.order_by("-year", "-id"),
        required=False,
        help_text=_("选择一个已有版本，复制其全部规则、分段、病种和材料；留空则新建空白草案"),
    )


class EditionForm(forms.Form):
    """A draft's fields (rules, bands, diseases and documents are edited on their own page)."""

    year = forms.IntegerField(label=_label("year"), min_value=2000, max_value=2100)
    name = forms.CharField(label=_label("name"), max_length=200)
    eligible_statuses = forms.MultipleChoiceField(
        label=_label("eligible_statuses"),
        choices=EmploymentStatus.choices[:2],
        widget=forms.CheckboxSelectMultiple,
    )
    eligible_categories = forms.ModelMultipleChoiceField(
        label=_("可参加的人员类别"),
        queryset=EmploymentCategory.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("不选表示所有类别"),
    )
    join_window_start = forms.DateField(label=_label("join_window_start"), widget=DateInput())
    join_window_end = forms.DateField(label=_label("join_window_end"), widget=DateInput())
    application_window_start = forms.DateField(label=_label("application_window_start"), widget=DateInput())
    application_window_end = forms.DateField(label=_label("application_window_end"), widget=DateInput())
    fee_period = forms.ChoiceField(label=_label("fee_period"), choices=FeePeriod.choices)
    fee_active = _money("fee_active")
    fee_retired = _money("fee_retired")
    late_join_back_pay = forms.BooleanField(label=_label("late_join_back_pay"), required=False)
    waiting_months = forms.IntegerField(label=_label("waiting_months"), min_value=0, max_value=120)
    base_mode = forms.ChoiceField(label=_label("base_mode"), choices=BaseMode.choices)
    annual_cap = _money("annual_cap", required=False)
    lifetime_cap = _money("lifetime_cap", required=False)
    pro_rata_mode = forms.BooleanField(label=_label("pro_rata_mode"), required=False)
    self_check_allowed = forms.BooleanField(
        label=_label("self_check_allowed"),
        required=False,
        help_text=SchemeEdition._meta.get_field("self_check_allowed").help_text,
    )
    notice_days = forms.IntegerField(label=_label("notice_days"), min_value=0, max_value=365)
    query_days = forms.IntegerField(label=_label("query_days"), min_value=0, max_value=365)

    # the fields a draft's form edits are the rule values of the edition's document
    FIELD_NAMES = SchemeEdition.document.fields

    @classmethod
    def initial_for(cls, edition: SchemeEdition) -> dict:
        initial = {name: getattr(edition, name) for name in cls.FIELD_NAMES}
        initial["eligible_categories"] = list(edition.eligible_categories.values_list("pk", flat=True))
        return initial


class RuleForm(forms.Form):
    base = forms.ChoiceField(label=_("基数"), choices=CostBase.choices)
    deductible = forms.DecimalField(label=_("起付线"), max_digits=14, decimal_places=2)


class DeductibleForm(forms.Form):
    deductible = forms.DecimalField(label=_("起付线"), max_digits=14, decimal_places=2)


class BandForm(forms.Form):
    lower = forms.DecimalField(label=_("下限"), max_digits=14, decimal_places=2)
    upper = forms.DecimalField(
        label=_("上限"), max_digits=14, decimal_places=2, required=False, help_text=_("留空表示不设上限")
    )
    rate = forms.DecimalField(label=_("比例"), max_digits=5, decimal_places=4, help_text=_("0.5 表示 50%"))


class DiseaseForm(forms.Form):
    code = forms.CharField(label=_("代码"), max_length=32)
    name = forms.CharField(label=_("病种"), max_length=100)


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("申请类型"), choices=ApplicationKind.choices)
    name = forms.CharField(label=_("材料"), max_length=100)
    required = forms.BooleanField(label=_("必交"), required=False, initial=True)


class AdoptForm(forms.Form):
    adopted_on = forms.DateField(label=_("通过日期"), widget=DateInput())
    resolution = forms.CharField(label=_("通过依据"), max_length=200, help_text=_("如：第五届教代会第三次会议决议"))


class CompareForm(forms.Form):
    a = forms.ModelChoiceField(label=_("版本甲"), queryset=SchemeEdition.objects.none())
    b = forms.ModelChoiceField(label=_("版本乙"), queryset=SchemeEdition.objects.none())

    def __init__(self, *args, editions=None, **kwargs):
        super().__init__(*args, **kwargs)
        if editions is not None:
            self.fields["a"].queryset = editions
            self.fields["b"].queryset = editions


class PreviewForm(forms.Form):
    year = forms.TypedChoiceField(label=_("费用年度"), coerce=int, choices=())

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, y) for y in years]
