"""Field validation only; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from gonghui.congress.models import CongressSession, Delegate
from gonghui.core.form_kit import IdField
from gonghui.people.models import UniversityUnit
from gonghui.proposals.choices import ContactMethod, ProposalKind, ProposalStatus, ReplyCategory, TriageOutcome
from gonghui.proposals.models import ProposalCategory


class ProposalForm(forms.Form):
    title = forms.CharField(label=_("案由（标题）"), max_length=200)
    category = forms.ModelChoiceField(label=_("类别"), queryset=ProposalCategory.objects.all(), required=False)
    grounds = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 5}), required=False)
    suggestions = forms.CharField(label=_("办法和建议"), widget=forms.Textarea(attrs={"rows": 5}), required=False)
    suggested_unit = forms.ModelChoiceField(
        label=_("建议承办单位"), queryset=UniversityUnit.objects.all(), required=False
    )
    one_matter = forms.BooleanField(label=_("本提案只涉及一件事（一事一案）"), required=False)
    collective = forms.BooleanField(label=_("以代表团名义集体提出"), required=False)
    attachment = forms.FileField(label=_("附件（PDF 或图片，可选）"), required=False)


class InviteForm(forms.Form):
    delegates = forms.ModelMultipleChoiceField(
        label=_("邀请附议的代表"), queryset=Delegate.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, proposal=None, **kwargs):
        super().__init__(*args, **kwargs)
        if proposal is not None:
            taken = set(proposal.proposers.values_list("delegate_id", flat=True))
            taken |= set(proposal.co_signatures.values_list("delegate_id", flat=True))
            self.fields["delegates"].queryset = (
                Delegate.objects.current()
                .filter(term_id=proposal.session.term_id)
                .exclude(pk__in=taken)
                .select_related("person", "delegation")
            )
            self.fields["delegates"].label_from_instance = lambda d: f"{d.person.name}（{d.delegation or ''}）"


class TriageForm(forms.Form):
    outcome = forms.ChoiceField(label=_("结论"), choices=TriageOutcome.choices)
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    merge_into = forms.IntegerField(label=_("并入提案（编号或 ID）"), required=False)


class UnitsForm(forms.Form):
    lead_unit = forms.ModelChoiceField(label=_("主办单位"), queryset=UniversityUnit.objects.all())
    co_units = forms.ModelMultipleChoiceField(
        label=_("协办单位"), queryset=UniversityUnit.objects.all(), required=False
    )


class ContactForm(forms.Form):
    contacted_on = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    method = forms.ChoiceField(label=_("方式"), choices=ContactMethod.choices)
    summary = forms.CharField(label=_("内容"), widget=forms.Textarea(attrs={"rows": 3}))


class ReplyForm(forms.Form):
    category = forms.ChoiceField(label=_("答复类别"), choices=ReplyCategory.choices)
    body = forms.CharField(label=_("答复内容"), widget=forms.Textarea(attrs={"rows": 6}))
    target_date = forms.DateField(
        label=_("计划完成日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    reasons = forms.CharField(label=_("暂不能解决的原因"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class RatingForm(forms.Form):
    level = forms.ChoiceField(label=_("评价"))
    comment = forms.CharField(label=_("意见"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, rules=None, **kwargs):
        super().__init__(*args, **kwargs)
        if rules is not None:
            self.fields["level"].choices = [(lvl["code"], lvl["label"]) for lvl in rules.satisfaction_scale]


class ProposalFilterForm(forms.Form):
    """The proposal lists' filters as the pages take them from the URL (checked: see
    `core.views_kit.filters_checked`)."""

    session = IdField(required=False, label=_("会议"))
    status = forms.ChoiceField(required=False, label=_("状态"), choices=[("", ""), *ProposalStatus.choices])
    kind = forms.ChoiceField(required=False, label=_("类型"), choices=[("", ""), *ProposalKind.choices])
    category = IdField(required=False, label=_("类别"))
    unit = IdField(required=False, label=_("承办单位"))
    year = forms.IntegerField(required=False, min_value=1900, max_value=9999, label=_("年份"))
    q = forms.CharField(required=False, max_length=200, strip=False, label=_("搜索"))


class ProposalFilterBar(forms.Form):
    """The selects of a proposal list's filter bar (templates/components/filter_bar.html), each
    with its label; `public` gives the 公示 page's (year, category, unit, the public statuses).
    Only drawn: the values are read back by `ProposalFilterForm`."""

    PUBLIC_STATUSES = (
        ProposalStatus.REGISTERED,
        ProposalStatus.ASSIGNED,
        ProposalStatus.IN_HANDLING,
        ProposalStatus.REPLIED,
        ProposalStatus.REHANDLING,
        ProposalStatus.FOLLOW_UP,
        ProposalStatus.CLOSED,
    )

    def __init__(self, data=None, *, public: bool = False):
        super().__init__(data)
        fields: dict[str, forms.Field] = {}
        sessions = CongressSession.objects.select_related("term__congress")
        if public:
            years = sorted({s.opens_on.year for s in sessions}, reverse=True)
            fields["year"] = forms.ChoiceField(
                label=_("年度"), required=False, choices=[("", _("全部年度")), *((y, y) for y in years)]
            )
        else:
            fields["session"] = forms.ModelChoiceField(
                sessions, label=_("会议"), required=False, empty_label=_("全部会议")
            )
        statuses = [(s.value, s.label) for s in self.PUBLIC_STATUSES] if public else ProposalStatus.choices
        fields["status"] = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部状态")), *statuses])
        if not public:
            fields["kind"] = forms.ChoiceField(
                label=_("类型"), required=False, choices=[("", _("全部类型")), *ProposalKind.choices]
            )
        fields["category"] = forms.ModelChoiceField(
            ProposalCategory.objects.all(), label=_("类别"), required=False, empty_label=_("全部类别")
        )
        fields["unit"] = forms.ModelChoiceField(
            UniversityUnit.objects.all(), label=_("承办单位"), required=False, empty_label=_("全部单位")
        )
        self.fields = fields
