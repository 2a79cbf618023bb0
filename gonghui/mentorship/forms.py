"""Field validation for mentorship's pages; the services decide."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.functional import lazy
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gonghui.core.form_kit import DateInput, FastSelect
from gonghui.mentorship.choices import CohortStatus, DutyKind, MatchMethod, PairStatus, Side, TitleRank
from gonghui.mentorship.models import MentorshipRules
from gonghui.people.choices import SubUnionKind
from gonghui.people.models import Person, SubUnion

# A hint whose codes are set in <code> (typed as they are, not words to translate); the
# translated text is the project's own, never a user's.
_code_hint = lazy(mark_safe, str)


def _lines(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, "spellcheck": "false", "autocapitalize": "off"})


def _small(label, *, minimum: int = 0, maximum: int = 999, help_text="") -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=minimum, max_value=maximum, help_text=help_text)


def _reason(label=None) -> forms.CharField:
    return forms.CharField(label=label or _("原因"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class PersonChoiceField(forms.ModelChoiceField):
    """A teacher by name, staff number and college."""

    def label_from_instance(self, obj) -> str:
        return f"{obj.name}（{obj.staff_no}，{obj.sub_union.name}）"


# --- the office ------------------------------------------------------------------------------


class CohortForm(forms.Form):
    number = forms.IntegerField(label=_("期数"), min_value=1, max_value=999)
    name = forms.CharField(
        label=_("名称"), max_length=100, required=False, help_text=_("留空则为“第N期青年教师拜师结对”")
    )
    rules = forms.ModelChoiceField(label=_("实施办法"), queryset=MentorshipRules.objects.none())
    starts_on = forms.DateField(label=_("培养期开始"), widget=DateInput())
    ends_on = forms.DateField(
        label=_("培养期结束"), widget=DateInput(), required=False, help_text=_("留空则按实施办法的培养期计算")
    )
    ceremony_on = forms.DateField(label=_("拜师仪式日期"), widget=DateInput(), required=False)
    ceremony_place = forms.CharField(label=_("拜师仪式地点"), max_length=100, required=False)
    proposals_close = forms.DateField(label=_("推荐截止"), widget=DateInput(), required=False)
    note = forms.CharField(label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, rules=None, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["rules"]).queryset = (
            rules if rules is not None else MentorshipRules.objects.none()
        )


class RulesForm(forms.Form):
    """A year's rules (拜师结对实施办法), adopted at once: the single values, then the grades
    one line each."""

    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    name = forms.CharField(label=_("办法名称"), max_length=100)
    mentor_min_rank = forms.ChoiceField(label=_("指导教师最低职称"), choices=TitleRank.choices)
    mentor_min_teaching_years = _small(_("指导教师最少教龄（年）"), maximum=60)
    same_discipline = forms.BooleanField(label=_("须同一学科"), required=False)
    mentor_max_mentees = _small(_("每位指导教师每期最多带（人）"), minimum=1, maximum=20)
    mentee_max_age = _small(_("青年教师年龄上限（周岁，不含）"), maximum=100, help_text=_("按本期开始之日计算"))
    mentee_hired_within_years = _small(
        _("青年教师入职不超过（年）"), maximum=50, help_text=_("按本期开始之日计算；0 表示不限")
    )
    cycle_months = _small(_("培养期（月）"), minimum=1, maximum=120)
    demonstrations_per_year = _small(_("每年示范课（次）"), maximum=100)
    observations_per_year = _small(_("每年听课（次）"), maximum=100)
    meetings_per_year = _small(_("每年指导交流（次）"), maximum=100)
    term_ends = forms.CharField(
        label=_("学期结束日（月-日）"), max_length=100, required=False, help_text=_("用空格分开，例如 01-15 07-05")
    )
    remind_days = _small(_("提前提醒（天）"), maximum=120)
    extension_months = _small(_("延期考核期（月）"), maximum=60)
    weight_discipline = _small(_("匹配权重：学科不同"))
    weight_college = _small(_("匹配权重：学院不同"))
    weight_field = _small(_("匹配权重：研究方向不同"))
    weight_campus = _small(_("匹配权重：校区不同"))
    weight_load = _small(_("匹配权重：导师已带人数（每人）"))
    grades = forms.CharField(
        label=_("考核等次"),
        widget=_lines(),
        help_text=_code_hint(
            _(
                "每行一个等次：代码 等次 结果 津贴 [延期考核合格后补发]；结果为 <code>passed</code>（合格）、"
                "<code>basically_passed</code>（基本合格）、<code>extended</code>（延期考核）或 <code>failed</code>（不合格）。"
            )
        ),
    )
    adopted_on = forms.DateField(label=_("通过日期"), widget=DateInput())
    resolution = forms.CharField(label=_("通过文件"), max_length=200, help_text=_("例如：校工会〔2021〕3号"))

    def clean_term_ends(self) -> tuple[str, ...]:
        return tuple((self.cleaned_data.get("term_ends") or "").replace("，", " ").replace(",", " ").split())


class CeremonyForm(forms.Form):
    ceremony_on = forms.DateField(label=_("拜师仪式日期"), widget=DateInput(), required=False)


class CohortFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("状态"), choices=[("", _("全部")), *CohortStatus.choices], required=False)


class CandidateAddForm(forms.Form):
    side = forms.ChoiceField(label=_("身份"), choices=Side.choices)
    who = forms.CharField(label=_("工号或姓名"), max_length=50)


class MatchingRunForm(forms.Form):
    method = forms.ChoiceField(
        label=_("匹配方式"),
        choices=MatchMethod.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "最优匹配：按学科、学院、研究方向、校区和导师已带人数计算总代价最小的方案；双向选择：按双方填报的志愿计算稳定匹配。"
        ),
    )


class MatchingEditForm(forms.Form):
    mentee = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    mentor = forms.IntegerField(label=pgettext_lazy("mentorship", "指导教师"), min_value=0, required=False)


class ProposeForm(forms.Form):
    mentee = PersonChoiceField(
        label=pgettext_lazy("mentorship", "青年教师"), queryset=Person.objects.none(), widget=FastSelect
    )
    mentor = PersonChoiceField(
        label=pgettext_lazy("mentorship", "指导教师"), queryset=Person.objects.none(), widget=FastSelect
    )
    reason = forms.CharField(label=_("推荐理由"), max_length=200, required=False)

    def __init__(self, *args, mentees=None, mentors=None, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["mentee"]).queryset = (
            mentees if mentees is not None else Person.objects.none()
        )
        cast(forms.ModelChoiceField, self.fields["mentor"]).queryset = (
            mentors if mentors is not None else Person.objects.none()
        )


class PairFilterForm(forms.Form):
    cohort = forms.TypedChoiceField(label=_("期次"), coerce=int, required=False, empty_value=None)
    college = forms.ModelChoiceField(
        label=_("单位"), queryset=SubUnion.objects.none(), required=False, widget=FastSelect
    )
    status = forms.ChoiceField(label=_("状态"), choices=[("", _("全部")), *PairStatus.choices], required=False)

    def __init__(self, *args, cohorts=(), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.TypedChoiceField, self.fields["cohort"]).choices = [
            ("", _("全部")),
            *[(c.pk, c.name) for c in cohorts],
        ]
        cast(forms.ModelChoiceField, self.fields["college"]).queryset = SubUnion.objects.filter(
            kind=SubUnionKind.COLLEGE
        ).order_by("code")


class ReasonForm(forms.Form):
    reason = _reason()


class DutyReturnForm(forms.Form):
    reason = _reason(_("退回原因"))


class DutiesConfirmForm(forms.Form):
    duties = forms.TypedMultipleChoiceField(coerce=int, choices=())

    def __init__(self, *args, duty_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.TypedMultipleChoiceField, self.fields["duties"]).choices = [(pk, pk) for pk in duty_ids]


# --- a pair ----------------------------------------------------------------------------------


class AgreeForm(forms.Form):
    signed_on = forms.DateField(label=_("协议签订日期"), widget=DateInput())
    scan = forms.FileField(label=_("签字的拜师协议扫描件"), help_text=_("PDF 或照片（JPG、PNG）"))
    plan = forms.CharField(label=_("个人发展计划"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class PlanForm(forms.Form):
    plan = forms.CharField(label=_("个人发展计划"), required=False, widget=forms.Textarea(attrs={"rows": 4}))


class OpinionForm(forms.Form):
    opinion = forms.CharField(label=_("学院意见"), widget=forms.Textarea(attrs={"rows": 3}))


class AssessForm(forms.Form):
    grade = forms.ChoiceField(label=_("考核等次"), choices=(), widget=forms.RadioSelect)
    message = forms.CharField(label=_("考核说明"), required=False, max_length=500)

    def __init__(self, *args, grades=(), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["grade"]).choices = [(g.code, g.label) for g in grades]


class ReassessForm(forms.Form):
    passed = forms.TypedChoiceField(
        label=_("延期考核结果"),
        choices=[("1", _("合格")), ("0", _("不合格"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    message = forms.CharField(label=_("考核说明"), required=False, max_length=500)


class ChangeMentorForm(forms.Form):
    mentor = PersonChoiceField(label=_("新指导教师"), queryset=Person.objects.none(), widget=FastSelect)
    reason = _reason(_("更换原因"))

    def __init__(self, *args, mentors=None, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["mentor"]).queryset = (
            mentors if mentors is not None else Person.objects.none()
        )


# --- stipends --------------------------------------------------------------------------------


class PayForm(forms.Form):
    paid_on = forms.DateField(label=_("发放日期"), widget=DateInput())


# --- participants ----------------------------------------------------------------------------


class DutyLogForm(forms.Form):
    kind = forms.ChoiceField(label=_("类别"), choices=DutyKind.choices, widget=forms.RadioSelect)
    held_on = forms.DateField(label=_("日期"), widget=DateInput())
    course = forms.CharField(label=_("课程或主题"), max_length=100)
    hours = forms.DecimalField(label=_("学时"), max_digits=4, decimal_places=1, min_value=0, max_value=99)
    note = forms.CharField(label=_("记录"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    photo = forms.FileField(label=_("照片（可选）"), required=False, help_text=_("JPG、PNG 或 PDF"))
