"""Forms for the back office's people pages: field validation only. The views pass the
cleaned data to the services, which hold the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from gonghui.core.form_kit import DateInput
from gonghui.people.choices import CoverageType, EmploymentStatus, Gender, MembershipStatus
from gonghui.people.models import Child, EmploymentCategory, Person, SubUnion, UnionMembership


def _label(model, name):
    return model._meta.get_field(name).verbose_name


def _with_blank(choices):
    return [("", "—"), *choices]


class PersonEditForm(forms.Form):
    """A person's fields. The ID number is never prefilled: empty means unchanged."""

    staff_no = forms.CharField(label=_label(Person, "staff_no"), max_length=32)
    name = forms.CharField(label=_label(Person, "name"), max_length=50)
    gender = forms.ChoiceField(label=_label(Person, "gender"), choices=Gender.choices)
    birth_date = forms.DateField(label=_label(Person, "birth_date"), widget=DateInput())
    id_number = forms.CharField(
        label=_label(Person, "id_number_masked"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text=_("留空则不修改"),
    )
    phone = forms.CharField(
        label=_label(Person, "phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}),
    )
    employment_category = forms.ModelChoiceField(
        label=_label(Person, "employment_category"),
        queryset=EmploymentCategory.objects.all(),
        required=False,
    )
    coverage_type = forms.ChoiceField(
        label=_label(Person, "coverage_type"), choices=_with_blank(CoverageType.choices), required=False
    )
    sub_union = forms.ModelChoiceField(label=_label(Person, "sub_union"), queryset=SubUnion.objects.current())
    jingka_no = forms.CharField(label=_label(Person, "jingka_no"), max_length=32, required=False)

    def __init__(self, *args, user=None, person: Person | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            self.fields["sub_union"].queryset = SubUnion.objects.current().restrict(user, "change")
        if person is not None:
            self.fields["id_number"].widget.attrs["placeholder"] = person.id_number_masked
            if person.memberships.current().exists():
                self.fields["sub_union"].disabled = True
                self.fields["sub_union"].help_text = _("在会会员请通过“转会”变更分工会")

    def clean_id_number(self):
        return self.cleaned_data["id_number"].strip().upper()


class PersonCreateForm(PersonEditForm):
    """A new person, and optionally their union membership."""

    employment_status = forms.ChoiceField(
        label=_label(Person, "employment_status"),
        choices=EmploymentStatus.choices,
        initial=EmploymentStatus.ACTIVE,
    )
    joined_on = forms.DateField(
        label=_label(UnionMembership, "joined_on"),
        widget=DateInput(),
        required=False,
        help_text=_("填写则同时办理入会"),
    )
    member_no = forms.CharField(
        label=_label(UnionMembership, "member_no"),
        max_length=32,
        required=False,
        help_text=_("留空则使用工号"),
    )

    field_order = [
        "staff_no",
        "name",
        "gender",
        "birth_date",
        "id_number",
        "phone",
        "employment_category",
        "employment_status",
        "coverage_type",
        "sub_union",
        "jingka_no",
        "joined_on",
        "member_no",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["id_number"].required = True
        self.fields["id_number"].help_text = ""

    def clean(self):
        data = super().clean()
        if data.get("member_no") and not data.get("joined_on"):
            self.add_error("joined_on", _("填写会员号时请同时填写入会日期"))
        return data


class PersonStatusForm(forms.Form):
    """Retirement, leaving or death, with the date and the reason."""

    status = forms.ChoiceField(
        label=_("新状态"),
        choices=[
            (s.value, s.label) for s in (EmploymentStatus.RETIRED, EmploymentStatus.LEFT, EmploymentStatus.DECEASED)
        ],
    )
    on = forms.DateField(label=_("日期"), widget=DateInput())
    reason = forms.CharField(label=_("原因"), max_length=200)


class MembershipJoinForm(forms.Form):
    joined_on = forms.DateField(label=_label(UnionMembership, "joined_on"), widget=DateInput())
    member_no = forms.CharField(
        label=_label(UnionMembership, "member_no"),
        max_length=32,
        required=False,
        help_text=_("留空则使用工号"),
    )
    confirmed = forms.BooleanField(
        label=_("直接确认入会"),
        required=False,
        initial=True,
        help_text=_("不勾选则记为“申请中”，待校工会确认"),
    )


class MembershipTransferForm(forms.Form):
    to_sub_union = forms.ModelChoiceField(label=_("转入分工会"), queryset=SubUnion.objects.current())
    on = forms.DateField(label=_("转会日期"), widget=DateInput())
    reason = forms.CharField(label=_("原因"), max_length=200, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            self.fields["to_sub_union"].queryset = SubUnion.objects.current().restrict(user, "change")


class MembershipEndForm(forms.Form):
    status = forms.ChoiceField(
        label=_("办理"),
        choices=[(s.value, s.label) for s in (MembershipStatus.LAPSED, MembershipStatus.ENDED)],
    )
    on = forms.DateField(label=_label(UnionMembership, "ended_on"), widget=DateInput())
    reason = forms.CharField(label=_label(UnionMembership, "reason"), max_length=200)


class ChildForm(forms.Form):
    name = forms.CharField(label=_label(Child, "name"), max_length=50)
    gender = forms.ChoiceField(label=_label(Child, "gender"), choices=Gender.choices)
    birth_date = forms.DateField(label=_label(Child, "birth_date"), widget=DateInput())
