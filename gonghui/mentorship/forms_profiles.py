"""The teacher profiles' forms: the list's filters, a profile's fields and the import's file.
Forms check fields; `services.profiles.profile_save` decides."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gonghui.core.form_kit import DateInput
from gonghui.mentorship.choices import TitleRank
from gonghui.mentorship.selectors.profiles import MISSING, PRESENT


class ProfileFilterForm(forms.Form):
    q = forms.CharField(label=_("搜索"), max_length=50, required=False)
    title_rank = forms.ChoiceField(label=_("职称级别"), choices=[("", _("全部")), *TitleRank.choices], required=False)
    discipline = forms.ChoiceField(label=_("学科"), choices=[("", _("全部"))], required=False)
    profile = forms.ChoiceField(
        label=_("教师档案"),
        choices=[("", _("全部")), (MISSING, _("没有档案")), (PRESENT, _("已有档案"))],
        required=False,
    )

    def __init__(self, *args, disciplines: list[str] = (), **kwargs):  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        field = self.fields["discipline"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("全部")), *((name, name) for name in disciplines)]


class ProfileForm(forms.Form):
    title = forms.CharField(label=_("职称"), max_length=30, required=False, help_text=_("如 教授、副教授、讲师"))
    title_rank = forms.ChoiceField(
        label=_("职称级别"),
        choices=[("", _("按职称确定")), *TitleRank.choices],
        required=False,
        help_text=_("留空时按职称确定：教授、研究员为正高级，副教授、副研究员、高级工程师为副高级……"),
    )
    discipline = forms.CharField(label=_("学科"), max_length=50, required=False)
    research_field = forms.CharField(label=_("研究方向"), max_length=100, required=False)
    campus = forms.CharField(label=_("校区"), max_length=30, required=False)
    hired_on = forms.DateField(label=_("入职日期"), widget=DateInput(), required=False)
    teaching_since = forms.DateField(label=_("从事教学工作起始日期"), widget=DateInput(), required=False)


class ProfileUploadForm(forms.Form):
    file = forms.FileField(label=_("教师档案文件（.xlsx 或 .csv）"))
