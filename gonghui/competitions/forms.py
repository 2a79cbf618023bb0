"""Field validation for the competition office's pages; the services decide."""

from __future__ import annotations

import re
from typing import cast

from django import forms
from django.utils.functional import lazy
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from gonghui.competitions.choices import CompetitionStatus, Level, PastWinnerRule, Rounding, TeachingPost
from gonghui.competitions.models import Competition, CompetitionGroup, Entry
from gonghui.people.choices import SubUnionKind
from gonghui.people.models import SubUnion

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _lines(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, "spellcheck": "false", "autocapitalize": "off"})


# A hint whose codes are set in <code> (typed as they are, not words to translate); the
# translated text is the project's own, never a user's.
_code_hint = lazy(mark_safe, str)


def _choose_from(form: forms.Form, name: str, queryset) -> None:
    cast(forms.ModelChoiceField, form.fields[name]).queryset = queryset


def _choices(form: forms.Form, name: str, choices) -> None:
    cast(forms.ChoiceField, form.fields[name]).choices = list(choices)


class EntryChoiceField(forms.ModelChoiceField):
    """A contestant of the edition, by name and college."""

    def label_from_instance(self, obj) -> str:
        return f"{obj.person.name}（{obj.college.name}）"


class EntriesChoiceField(forms.ModelMultipleChoiceField):
    """Contestants of the edition, by name, college and group."""

    def label_from_instance(self, obj) -> str:
        return f"{obj.person.name}（{obj.college.name}，{obj.group}）"


def _small(label, *, minimum: int = 0, maximum: int = 999, help_text="") -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=minimum, max_value=maximum, help_text=help_text)


class CompetitionFilterForm(forms.Form):
    level = forms.ChoiceField(label=_("级别"), choices=[("", _("全部")), *Level.choices], required=False)
    status = forms.ChoiceField(label=_("状态"), choices=[("", _("全部")), *CompetitionStatus.choices], required=False)


class RulesForm(forms.Form):
    """A level's rules for a year (比赛方案), adopted at once: the single values, then the
    groups, parts, prizes and single awards one line each, as the 方案 lists them."""

    level = forms.ChoiceField(label=_("级别"), choices=Level.choices)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    name = forms.CharField(label=_("方案名称"), max_length=100)
    born_on_or_after = forms.DateField(
        label=_("出生日期不早于"), widget=DATE, required=False, help_text=_("如 2021 年比赛：1981-01-01；留空不限")
    )
    member_required = forms.BooleanField(label=_("须为工会会员"), required=False)
    eligible_posts = forms.MultipleChoiceField(
        label=_("可参赛岗位"),
        choices=TeachingPost.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("都不选则不限岗位"),
    )
    past_winner_rule = forms.ChoiceField(label=_("往届获奖者"), choices=PastWinnerRule.choices)
    quota_per = _small(_("名额基数"), help_text=_("每多少名青年教师一个名额；0 表示不限名额"))
    quota_bonus = _small(_("每单位另加名额"), maximum=99)
    lesson_plans_required = _small(_("须交教案（份）"), maximum=20)
    lesson_minutes = _small(_("每份教案学时（分钟）"), minimum=1, maximum=600)
    trim_highest = _small(_("去掉最高分（个）"), maximum=9)
    trim_lowest = _small(_("去掉最低分（个）"), maximum=9)
    trim_min_scores = _small(
        _("至少几个评分才去掉最高最低分"), minimum=1, maximum=99, help_text=_("评分少于此数时取全部评分的平均")
    )
    places = _small(_("总分保留小数位"), maximum=9)
    rounding = forms.ChoiceField(label=_("舍入"), choices=Rounding.choices)
    tie_break = forms.CharField(
        label=_("同分比较顺序"),
        max_length=200,
        required=False,
        help_text=_code_hint(_("评分项目代码，按比较的先后用空格分隔，如：<code>classroom design</code>")),
    )
    judges_per_group = _small(_("每组评委（人）"), minimum=1, maximum=99)
    groups = forms.CharField(
        label=_("组别"),
        widget=_lines(3),
        help_text=_code_hint(_("每行一个：代码 学科类别 组别，如 <code>humanities-a 人文科学类 A组</code>")),
    )
    parts = forms.CharField(
        label=_("评分项目"),
        widget=_lines(4),
        required=False,
        help_text=_("每行一个：代码 名称 权重 满分 | 评分标准；权重合计 100（只录入结果的北京市、全国比赛可不填）"),
    )
    prizes = forms.CharField(
        label=_("名次奖"),
        widget=_lines(3),
        help_text=_code_hint(
            _("每行一个，从高到低：代码 名称 名额，或 代码 名称 比例%，如 <code>first 一等奖 20%</code>")
        ),
    )
    specials = forms.CharField(
        label=_("单项奖、指导教师奖与组织奖"),
        widget=_lines(4),
        required=False,
        help_text=_code_hint(
            _(
                "每行一个：代码 名称 评定方式；评定方式为 <code>best 评分项目代码</code>（该项得分最高）、"
                "<code>conferred</code>（办公室评定）、<code>coach</code>（指导教师奖）或 "
                "<code>organisation</code>（组织奖）"
            )
        ),
    )
    adopted_on = forms.DateField(label=_("通过日期"), widget=DATE)
    resolution = forms.CharField(label=_("通过依据"), max_length=200, help_text=_("如：校工会〔2021〕3号"))

    def clean_tie_break(self) -> tuple[str, ...]:
        return tuple(code for code in re.split(r"[\s,，、]+", self.cleaned_data["tie_break"]) if code)


def colleges():
    """The colleges (sub-unions above the union groups, not the retirees'), current ones."""
    return (
        SubUnion.objects.filter(parent__isnull=True, ended_on__isnull=True)
        .exclude(kind__in=(SubUnionKind.GROUP, SubUnionKind.RETIREES))
        .order_by("sort_key", "code")
    )


class CompetitionForm(forms.Form):
    level = forms.ChoiceField(label=_("级别"), choices=Level.choices)
    number = forms.IntegerField(label=_("届次"), min_value=1, max_value=999, required=False, help_text=_("第几届"))
    year = forms.IntegerField(label=_("年度"), min_value=1980, max_value=2100)
    title = forms.CharField(label=_("名称"), max_length=120)
    organiser = forms.CharField(label=_("主办单位"), max_length=100, required=False)
    college = forms.ModelChoiceField(
        label=_("举办学院"), queryset=SubUnion.objects.none(), required=False, help_text=_("院级比赛必选")
    )
    nominations_close = forms.DateTimeField(label=_("推荐截止"), widget=DATETIME, required=False)
    materials_due = forms.DateTimeField(label=_("材料截止"), widget=DATETIME, required=False)
    held_on = forms.DateField(label=_("比赛日期"), widget=DATE, required=False)
    publicity_days = forms.IntegerField(label=_("公示期（天）"), min_value=0, max_value=60)
    entered = forms.BooleanField(
        label=_("我校参赛"), required=False, help_text=_("北京市、全国比赛：我校是否派教师参赛")
    )
    participants_recorded = forms.IntegerField(
        label=_("参赛人数（档案记载）"),
        min_value=0,
        max_value=9999,
        required=False,
        help_text=_("系统启用前的届次：档案记载的我校参赛人数"),
    )
    feeds_into = forms.ModelChoiceField(
        label=_("推荐至"),
        queryset=Competition.objects.none(),
        required=False,
        empty_label=_("（暂不设置）"),
        help_text=_("获奖教师推荐参加的上一级比赛"),
    )
    note = forms.CharField(label=_("备注"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, editions=None, **kwargs):
        super().__init__(*args, **kwargs)
        _choose_from(self, "college", colleges())
        _choose_from(self, "feeds_into", editions if editions is not None else Competition.objects.none())


class JudgeAddForm(forms.Form):
    group = forms.ModelChoiceField(
        label=_("组别"),
        queryset=CompetitionGroup.objects.none(),
        required=False,
        empty_label=_("不分组（仅评委会主任）"),
    )
    login = forms.CharField(label=_("工号或用户名"), max_length=150, help_text=_("校外专家填写为其开通的用户名"))
    is_chief = forms.BooleanField(label=_("评委会主任"), required=False)

    def __init__(self, *args, groups=None, **kwargs):
        super().__init__(*args, **kwargs)
        if groups is not None:
            _choose_from(self, "group", groups)


class DrawForm(forms.Form):
    seed = forms.CharField(
        label=_("抽签种子"),
        max_length=64,
        required=False,
        help_text=_("事先公布的种子（字母、数字、“-”和“_”）；留空则由系统随机生成"),
    )


class LinkForm(forms.Form):
    feeds_into = forms.ModelChoiceField(
        label=_("推荐至"), queryset=Competition.objects.none(), required=False, empty_label=_("（不推荐）")
    )

    def __init__(self, *args, editions=None, **kwargs):
        super().__init__(*args, **kwargs)
        if editions is not None:
            _choose_from(self, "feeds_into", editions)


class RecommendForm(forms.Form):
    entries = EntriesChoiceField(
        label=_("推荐的参赛教师"), queryset=Entry.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, entries=None, **kwargs):
        super().__init__(*args, **kwargs)
        if entries is not None:
            _choose_from(self, "entries", entries)


class AwardConferForm(forms.Form):
    """An award of the rules' single awards: to a contestant, a coach (by staff number) or a
    college (or, at a level the university does not run, a recipient by name)."""

    code = forms.ChoiceField(label=_("奖项"), choices=())
    entry = EntryChoiceField(
        label=_("参赛教师"), queryset=Entry.objects.none(), required=False, help_text=_("单项奖填写")
    )
    coach_staff_no = forms.CharField(
        label=_("指导教师工号"), max_length=32, required=False, help_text=_("指导教师奖填写")
    )
    college = forms.ModelChoiceField(
        label=_("获奖单位"), queryset=SubUnion.objects.none(), required=False, help_text=_("组织奖填写")
    )
    recipient = forms.CharField(
        label=_("获奖者名称"), max_length=100, required=False, help_text=_("组织奖授予学校时填写，如：中国人民大学")
    )
    reason = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args, specials=(), entries=None, **kwargs):
        super().__init__(*args, **kwargs)
        _choices(self, "code", [(s.code, s.label) for s in specials])
        _choose_from(self, "college", colleges())
        if entries is not None:
            _choose_from(self, "entry", entries)


class AwardWithdrawForm(forms.Form):
    reason = forms.CharField(label=_("撤销理由"), max_length=200)


class EntryRecordForm(forms.Form):
    staff_no = forms.CharField(label=_("工号"), max_length=32)
    group = forms.ModelChoiceField(label=_("组别"), queryset=CompetitionGroup.objects.none())
    course = forms.CharField(label=_("参赛课程"), max_length=100, required=False)
    coach_staff_no = forms.CharField(label=_("指导教师工号"), max_length=32, required=False)

    def __init__(self, *args, groups=None, **kwargs):
        super().__init__(*args, **kwargs)
        if groups is not None:
            _choose_from(self, "group", groups)


class ResultRecordForm(forms.Form):
    entry = forms.ModelChoiceField(label=_("参赛教师"), queryset=Entry.objects.none())
    code = forms.ChoiceField(label=_("获奖等次或奖项"), choices=())

    def __init__(self, *args, entries=None, codes=(), **kwargs):
        super().__init__(*args, **kwargs)
        _choices(self, "code", codes)
        if entries is not None:
            _choose_from(self, "entry", entries)
