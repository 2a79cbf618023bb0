"""Field validation for the union office's appraisal pages; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from gonghui.appraisals.choices import RoundStatus, VotingMode
from gonghui.people.choices import SubUnionKind
from gonghui.people.models import SubUnion

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _lines(rows: int = 4, placeholder: str = "") -> forms.Textarea:
    attrs = {"rows": rows, "spellcheck": "false", "autocapitalize": "off"}
    if placeholder:
        attrs["placeholder"] = placeholder
    return forms.Textarea(attrs=attrs)


class StatusFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("状态"), choices=[("", _("全部")), *RoundStatus.choices], required=False)


class RulesForm(forms.Form):
    """A new edition of a year's rules, written as the 考核办法 lists them: one line each."""

    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    name = forms.CharField(
        label=_("名称"), max_length=100, required=False, help_text=_("留空则为“某某年度中层干部民主测评办法”")
    )
    mode = forms.ChoiceField(label=_("投票方式"), choices=VotingMode.choices)
    quorum_numerator = forms.IntegerField(label=_("参评比例（分子）"), min_value=1, max_value=99)
    quorum_denominator = forms.IntegerField(
        label=_("参评比例（分母）"),
        min_value=1,
        max_value=99,
        help_text=_("如 2/3：计入参评比例的投票人至少三分之二参加"),
    )
    report_days = forms.IntegerField(label=_("述职报告提前公开（天）"), min_value=0, max_value=60)
    team_ballot = forms.BooleanField(label=_("同时测评领导班子"), required=False)
    categories = forms.CharField(
        label=_("投票人类别与权重"),
        widget=_lines(4),
        help_text=_("每行一个类别：代码 名称 权重；计入参评比例的类别在末尾加“参评”（写法见上方示例）"),
    )
    cadre_grades = forms.CharField(
        label=_("干部个人等次"),
        widget=_lines(4),
        help_text=_("每行一个等次，从好到差：代码 名称 分值"),
    )
    team_grades = forms.CharField(
        label=_("领导班子等次"),
        widget=_lines(4),
        required=False,
        help_text=_("格式同上；不测评领导班子时不用填"),
    )
    flags = forms.CharField(
        label=_("提示规则"),
        widget=_lines(3),
        required=False,
        help_text=_("每行一条：代码 提示 等次代码（多个用 + 连接） < 或 > 比例；针对领导班子的规则见示例第四行"),
    )
    adopted_on = forms.DateField(label=_("通过日期"), widget=DATE)
    resolution = forms.CharField(label=_("通过依据"), max_length=200, help_text=_("如：党委组织部〔2021〕1号文件"))


class RoundForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("名称"), max_length=200)
    opens_at = forms.DateTimeField(label=_("投票开始"), widget=DATETIME)
    closes_at = forms.DateTimeField(label=_("投票截止"), widget=DATETIME)


class UnitAddForm(forms.Form):
    sub_union = forms.ModelChoiceField(label=_("单位（分工会）"), queryset=SubUnion.objects.none())
    meeting_on = forms.DateField(label=_("年会日期"), widget=DATE, required=False)

    def __init__(self, *args, sub_unions=None, **kwargs):
        super().__init__(*args, **kwargs)
        if sub_unions is not None:
            self.fields["sub_union"].queryset = sub_unions


def sub_unions_to_add(user, appraisal_round):
    """The sub-unions that may still join the round: current ones above the union groups."""
    from gonghui.appraisals.models import RoundUnit

    taken = RoundUnit.objects.restrict(user).filter(round=appraisal_round).values("sub_union_id")
    return (
        SubUnion.objects.restrict(user, "view")
        .current()
        .exclude(kind=SubUnionKind.GROUP)
        .exclude(pk__in=taken)
        .order_by("sort_key", "code")
    )


class VotersAddForm(forms.Form):
    staff_numbers = forms.CharField(
        label=_("工号"),
        widget=_lines(3, "X0001\nX0002"),
        help_text=_("每行一个工号（也可用逗号、空格分隔）"),
    )
    category = forms.ChoiceField(label=_("类别"), choices=())
    units = forms.MultipleChoiceField(label=_("参评单位"), choices=(), widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, categories=(), units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = list(categories)
        self.fields["units"].choices = [(str(u.pk), u.sub_union.name) for u in units]

    def clean_staff_numbers(self) -> list[str]:
        return staff_numbers_split(self.cleaned_data["staff_numbers"])


def staff_numbers_split(text: str) -> list[str]:
    return [n for n in text.replace(",", " ").replace("，", " ").replace("、", " ").split() if n]


class CadreAddForm(forms.Form):
    staff_no = forms.CharField(label=_("工号"), max_length=32)
    post = forms.CharField(label=_("职务"), max_length=50, help_text=_("如：院长、党委书记、副院长"))


class VotersFillForm(forms.Form):
    staff_category = forms.ChoiceField(label=_("本单位教职工作为"), choices=())
    cadre_category = forms.ChoiceField(label=_("被测评干部作为"), choices=())

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("staff_category", "cadre_category"):
            self.fields[name].choices = list(categories)


class TellersForm(forms.Form):
    first = forms.CharField(label=_("计票人一（工号）"), max_length=32)
    second = forms.CharField(label=_("计票人二（工号）"), max_length=32)


class CadreReportForm(forms.Form):
    text = forms.CharField(label=_("述职报告"), widget=forms.Textarea(attrs={"rows": 14}), required=False)
    report_file = forms.FileField(
        label=_("述职报告文件（PDF）"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "application/pdf,.pdf"}),
        help_text=_("可只填文字、只传 PDF，或两者都有；再次上传会替换原文件"),
    )
