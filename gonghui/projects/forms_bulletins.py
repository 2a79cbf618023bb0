"""Field validation for the bulletin pages (a series, an issue, a section, a withdrawal); the
services decide (issue numbers, figure references, drafts only)."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from gonghui.core.form_kit import DateInput
from gonghui.projects.models import BulletinSeries, ProgressEntry

ISSUE_MAX = 32767  # PositiveSmallIntegerField


class SeriesForm(forms.Form):
    name = forms.CharField(label=_("系列名称"), max_length=100, help_text=_("如：我为群众办实事"))
    publisher = forms.CharField(label=_("编发单位"), max_length=100, help_text=_("如：校工会办公室"))
    masthead = forms.CharField(
        label=_("报头"), max_length=100, required=False, help_text=_("红色报头文字；留空则为“工会名称 + 简报”")
    )


class BulletinForm(forms.Form):
    """An issue: its series (when new), number, date, title, subtitle and the year its figures
    are of."""

    series = forms.ModelChoiceField(label=_("系列"), queryset=BulletinSeries.objects.none(), empty_label=None)
    issue_no = forms.IntegerField(
        label=_("期号"),
        min_value=1,
        max_value=ISSUE_MAX,
        required=False,
        help_text=_("留空则编为本系列的下一期。"),
    )
    date = forms.DateField(label=_("日期"), widget=DateInput())
    title = forms.CharField(label=_("标题"), max_length=200, help_text=_("如：校工会："))
    subtitle = forms.CharField(label=_("副标题"), max_length=200, required=False)
    column = forms.CharField(label=_("栏目"), max_length=50, required=False, help_text=_("如：【贸大要闻】"))
    figures_year = forms.IntegerField(
        label=_("数据年度"),
        min_value=2000,
        max_value=2100,
        help_text=_("正文引用的数据取自这一年度。"),
    )

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            # an issue stays in its series; its number is required once it has one
            del self.fields["series"]
            self.fields["issue_no"].required = True
            self.fields["issue_no"].help_text = ""
        else:
            cast(forms.ModelChoiceField, self.fields["series"]).queryset = BulletinSeries.objects.order_by("name")


class ProjectChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.batch.name} {obj.number}. {obj.title}"


class ProgressChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        text = obj.text if len(obj.text) <= 40 else obj.text[:40] + "…"
        return f"{obj.project.title} · {obj.date:%Y-%m-%d} · {text}"


class SectionForm(forms.Form):
    """A section: its heading and body (paragraphs separated by a blank line; `{{ key }}` quotes
    a figure of the issue's year) and, optionally, the projects and progress entries it reports
    (those of the issue's year the editor may see)."""

    heading = forms.CharField(label=_("小标题"), max_length=200, required=False)
    body = forms.CharField(
        label=_("正文"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("段落之间空一行；引用数据写 {{ 模块.数据项 }}，发布时取值并固定。"),
    )
    projects = ProjectChoiceField(
        label=_("报道的项目"),
        queryset=ProgressEntry.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    progress = ProgressChoiceField(
        label=_("引用的进展"),
        queryset=ProgressEntry.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, projects=None, progress=None, **kwargs):
        super().__init__(*args, **kwargs)
        if projects is not None:
            cast(forms.ModelMultipleChoiceField, self.fields["projects"]).queryset = projects
        if progress is not None:
            cast(forms.ModelMultipleChoiceField, self.fields["progress"]).queryset = progress


class WithdrawForm(forms.Form):
    message = forms.CharField(label=_("撤回原因"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
