"""Field validation for the participants' pages (colleges, contestants, judges); the services
decide everything else."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gonghui.competitions.choices import MaterialKind, TeachingPost
from gonghui.competitions.models import CompetitionGroup, ScoreSheet, ScoringPart


class NominateForm(forms.Form):
    staff_no = forms.CharField(
        label=_("参赛教师工号"), max_length=20, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    group = forms.ModelChoiceField(label=_("组别"), queryset=CompetitionGroup.objects.none(), empty_label=None)
    teaching_post = forms.ChoiceField(label=_("岗位"), choices=TeachingPost.choices, initial=TeachingPost.FULL_TIME)
    course = forms.CharField(label=_("参赛课程"), max_length=100, required=False)
    coach_staff_no = forms.CharField(
        label=_("指导教师工号"),
        max_length=20,
        required=False,
        help_text=_("可不填；指导教师不能是参赛教师本人"),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args, competition, **kwargs):
        super().__init__(*args, **kwargs)
        rules = competition.rules
        groups = (
            CompetitionGroup.objects.filter(edition=rules) if rules is not None else CompetitionGroup.objects.none()
        )
        self.fields["group"].queryset = groups  # type: ignore[attr-defined]
        for name in ("staff_no", "course", "coach_staff_no"):
            self.fields[name].widget.attrs.setdefault("class", "form-control")
        for name in ("group", "teaching_post"):
            self.fields[name].widget.attrs.setdefault("class", "form-select")


class MaterialUploadForm(forms.Form):
    """One material's new version: which material (kind and, for a lesson plan, its number) and the file."""

    kind = forms.ChoiceField(label=_("材料"), choices=MaterialKind.choices)
    number = forms.IntegerField(label=_("序号"), min_value=1, max_value=99, initial=1)
    file = forms.FileField(label=_("文件"))


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("退赛理由"), max_length=300)


class SheetScoresForm(forms.Form):
    """A judge's scores as typed: one text field per part (the service checks the scale and the
    two decimals, so that its message names the part)."""

    def __init__(self, *args, parts: list[ScoringPart], **kwargs):
        super().__init__(*args, **kwargs)
        for part in parts:
            self.fields[part.code] = forms.CharField(label=part.label, max_length=12, required=False)

    def scores(self) -> dict[str, str]:
        return {code: (value or "").strip() for code, value in self.cleaned_data.items()}


class AmendForm(forms.Form):
    """The chief judge's change of one submitted score."""

    sheet = forms.ModelChoiceField(label=_("评分表"), queryset=ScoreSheet.objects.none())
    part = forms.ModelChoiceField(label=_("评分项目"), queryset=ScoringPart.objects.none(), empty_label=None)
    score = forms.CharField(
        label=_("改为"), max_length=12, widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
    )
    reason = forms.CharField(label=_("改分理由"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, sheets, parts, **kwargs):
        super().__init__(*args, **kwargs)
        sheet_field = self.fields["sheet"]
        sheet_field.queryset = sheets  # type: ignore[attr-defined]
        sheet_field.label_from_instance = lambda s: f"{s.entry.person.name} · {s.judge.name}"  # type: ignore[attr-defined]
        self.fields["part"].queryset = parts  # type: ignore[attr-defined]
        for name in ("sheet", "part"):
            self.fields[name].widget.attrs.setdefault("class", "form-select")
        for name in ("score", "reason"):
            self.fields[name].widget.attrs.setdefault("class", "form-control")
