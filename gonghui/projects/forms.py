"""The projects pages' forms (the bulletin composer's are in forms_bulletins.py)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gonghui.core.form_kit import DateInput
from gonghui.people.models import Person, UniversityUnit
from gonghui.projects.choices import Origin, ProjectStatus, ProjectType, Satisfaction
from gonghui.projects.models import Batch

EVIDENCE_TYPES = "image/jpeg,image/png,application/pdf"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (photos taken on a phone), as Django's docs show it."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": EVIDENCE_TYPES}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class ProjectFilterForm(forms.Form):
    batch = forms.ModelChoiceField(
        label=_("项目批次"), queryset=Batch.objects.all(), required=False, empty_label=_("全部")
    )
    unit = forms.ModelChoiceField(
        label=_("单位"), queryset=UniversityUnit.objects.all(), required=False, empty_label=_("全部")
    )
    status = forms.ChoiceField(label=_("完成情况"), choices=[("", _("全部")), *ProjectStatus.choices], required=False)
    overdue = forms.BooleanField(label=_("只看超期"), required=False)


class BatchForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    number = forms.IntegerField(label=_("第几批"), min_value=1, max_value=99)
    name = forms.CharField(label=_("名称"), max_length=100, required=False, help_text=_("留空则为“某年第几批”"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year


class ProjectForm(forms.Form):
    batch = forms.ModelChoiceField(label=_("项目批次"), queryset=Batch.objects.all())
    title = forms.CharField(label=_("工作内容"), max_length=200)
    description = forms.CharField(label=_("具体内容"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    category = forms.CharField(label=_("类别"), max_length=30, help_text=_("如：民生保障、民主管理、子女教育"))
    origin = forms.ChoiceField(label=_("来源"), choices=Origin.choices)
    origin_note = forms.CharField(label=_("来源说明"), max_length=300, required=False)
    lead_unit = forms.ModelChoiceField(label=_("牵头单位"), queryset=UniversityUnit.objects.all())
    responsible_staff_no = forms.CharField(label=_("责任人工号"), max_length=32)
    cooperating_units = forms.ModelMultipleChoiceField(
        label=_("协助单位"),
        queryset=UniversityUnit.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    project_type = forms.ChoiceField(label=_("办理方式"), choices=ProjectType.choices)
    deadline = forms.DateField(label=_("完成时限"), widget=DateInput)

    def __init__(self, *args, proposals=None, campaigns=None, editions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["origin_proposal"] = forms.ModelChoiceField(
            label=_("来源提案"), queryset=proposals, required=False, empty_label=_("（不是提案）")
        )
        self.fields["origin_campaign"] = forms.ModelChoiceField(
            label=_("来源调研（子女入学需求摸底）"), queryset=campaigns, required=False, empty_label=_("（不是调研）")
        )
        self.fields["origin_edition"] = forms.ModelChoiceField(
            label=_("来源（互助会管理办法）"), queryset=editions, required=False, empty_label=_("（不是办法修订）")
        )
        order = ["batch", "title", "description", "category", "origin", "origin_proposal", "origin_campaign"]
        order += ["origin_edition", "origin_note", "lead_unit", "responsible_staff_no", "cooperating_units"]
        self.order_fields([*order, "project_type", "deadline"])

    def clean_responsible_staff_no(self):
        staff_no = self.cleaned_data["responsible_staff_no"].strip()
        person = Person.objects.filter(staff_no=staff_no).first()
        if person is None:
            raise forms.ValidationError(_("没有工号为 %(no)s 的人员。") % {"no": staff_no})
        self.cleaned_data["responsible"] = person
        return staff_no

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("responsible_staff_no", None)
        return data


class ProgressForm(forms.Form):
    date = forms.DateField(label=_("日期"), widget=DateInput)
    text = forms.CharField(label=_("进展情况"), widget=forms.Textarea(attrs={"rows": 4}))
    funds = forms.DecimalField(
        label=_("本次使用经费（元）"), max_digits=14, decimal_places=2, min_value=0, required=False
    )
    evidence = MultipleFileField(label=_("照片或文件"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()


class StepForm(forms.Form):
    message = forms.CharField(label=_("说明"), max_length=1000, required=False)
    done_on = forms.DateField(label=_("完成时间"), required=False, widget=DateInput)


class CloseOffForm(forms.Form):
    results = forms.CharField(label=_("工作成效"), widget=forms.Textarea(attrs={"rows": 4}))
    evidence = MultipleFileField(label=_("佐证材料"))


class RateForm(forms.Form):
    satisfaction = forms.TypedChoiceField(
        label=_("满意度"), choices=Satisfaction.choices, coerce=int, widget=forms.RadioSelect
    )
