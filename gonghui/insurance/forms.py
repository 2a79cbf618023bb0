"""Field validation only; the rules live in the services."""

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from gonghui.core.form_kit import DateInput
from gonghui.core.views_kit import form_refusal
from gonghui.insurance.choices import BenefitKind, PlanKind, PremiumRule
from gonghui.insurance.models import Plan
from gonghui.insurance.presets import INSURER, PLANS
from gonghui.people.choices import EmploymentStatus, Gender
from gonghui.people.models import EmploymentCategory


class EditionForm(forms.Form):
    plan = forms.ModelChoiceField(label=_("保障计划"), queryset=Plan.objects.all())
    name = forms.CharField(label=_("名称"), max_length=200)
    start_date = forms.DateField(label=_("保障起始日"), widget=DateInput())
    term_months = forms.IntegerField(label=_("保障期（月）"), min_value=1)
    price_per_share = forms.DecimalField(label=_("每份保费"), min_value=0, decimal_places=2)
    min_shares = forms.IntegerField(label=_("最少份数"), min_value=1)
    max_shares = forms.IntegerField(label=_("最多份数"), min_value=1)
    default_shares = forms.IntegerField(label=_("默认份数"), min_value=1)
    same_shares_per_unit = forms.BooleanField(label=_("全单位统一份数"), required=False)
    eligible_genders = forms.MultipleChoiceField(
        label=_("适用性别（不选表示不限）"), choices=Gender.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    min_age = forms.IntegerField(label=_("最低年龄（含）"), min_value=0, required=False)
    max_age_male = forms.IntegerField(label=_("男性年龄上限（不含）"), min_value=1, required=False)
    max_age_female = forms.IntegerField(label=_("女性年龄上限（不含）"), min_value=1, required=False)
    eligible_statuses = forms.MultipleChoiceField(
        label=_("适用人员状态"), choices=EmploymentStatus.choices, widget=forms.CheckboxSelectMultiple
    )
    categories = forms.ModelMultipleChoiceField(
        label=_("适用人员类别（不选表示所有）"),
        queryset=EmploymentCategory.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    min_participation_rate = forms.DecimalField(
        label=_("最低参保率（0–1）"), min_value=0, max_value=1, decimal_places=4
    )
    exclusions = forms.CharField(label=_("责任免除"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    claim_deadline_days = forms.IntegerField(label=_("报案时限（天）"), min_value=0)
    premium_rule = forms.ChoiceField(label=_("保费调整规则"), choices=PremiumRule.choices)
    member_share_rate = forms.DecimalField(label=_("个人负担比例（0–1）"), min_value=0, max_value=1, decimal_places=4)


class AdoptForm(forms.Form):
    """Adoption needs the date and the act (core's edition_adopt)."""

    adopted_on = forms.DateField(label=_("通过日期"), widget=DateInput())
    resolution = forms.CharField(label=_("通过依据"), max_length=200, help_text=_("如：校工会办公会议决议、教代会决议"))


class DateForm(forms.Form):
    on = forms.DateField(label=_("日期"), widget=DateInput())


class OptOutForm(forms.Form):
    staff_no = forms.CharField(label=_("工号"), max_length=32)
    reason = forms.CharField(label=_("原因"), max_length=200)


class UploadForm(forms.Form):
    file = forms.FileField(label=_("文件"))


class ClaimForm(forms.Form):
    plan = forms.ModelChoiceField(label=_("保障计划"), queryset=Plan.objects.all())
    benefit_code = forms.ChoiceField(label=_("给付项目"), choices=())
    diagnosis = forms.CharField(label=_("诊断"), max_length=200)
    event_date = forms.DateField(label=_("出险日期"), required=False, widget=DateInput())
    admission_date = forms.DateField(label=_("入院日期"), required=False, widget=DateInput())
    discharge_date = forms.DateField(label=_("出院日期"), required=False, widget=DateInput())
    payout_account = forms.CharField(label=_("收款账户（京卡号）"), max_length=64, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from gonghui.core.editions import EditionStatus
        from gonghui.insurance.models import PlanEdition

        choices = {}
        for edition in (
            PlanEdition.objects.filter(status=EditionStatus.ADOPTED)
            .select_related("plan")
            .order_by("plan__sort_order", "-start_date")
        ):
            for item in edition.benefits:
                choices.setdefault(item["code"], f"{edition.plan.name}：{item['name']}")
        self.fields["benefit_code"].choices = list(choices.items())


class OfficeClaimForm(ClaimForm):
    staff_no = forms.CharField(label=_("工号"), max_length=32)
    reported_on = forms.DateField(label=_("报案日期"), required=False, widget=DateInput())

    field_order = [
        "staff_no",
        "plan",
        "benefit_code",
        "diagnosis",
        "event_date",
        "admission_date",
        "discharge_date",
        "payout_account",
        "reported_on",
    ]


class ClaimDecisionForm(forms.Form):
    on = forms.DateField(label=_("日期"), widget=DateInput())
    amount = forms.DecimalField(label=_("赔付金额"), required=False, decimal_places=2)
    reason = forms.CharField(label=_("原因 / 需补充的材料"), max_length=300, required=False)
    payout_account = forms.CharField(label=_("收款账户"), max_length=64, required=False)


class ClaimDocumentForm(forms.Form):
    name = forms.CharField(label=_("材料"), max_length=100)
    file = forms.FileField(label=_("文件"))


class OptOutBatchForm(forms.Form):
    """批量登记不参保: a file with a 工号 column (and optionally 原因), or pasted staff numbers."""

    file = forms.FileField(label=_("工号文件（.xlsx 或 .csv，含“工号”列，可含“原因”列）"), required=False)
    text = forms.CharField(
        label=_("或粘贴工号"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": _("每行一个，或以空格、逗号分隔")}),
    )
    reason = forms.CharField(
        label=_("原因"), max_length=200, required=False, help_text=_("文件中没有填写原因的行使用此原因")
    )

    def clean(self):
        data = super().clean()
        if not data.get("file") and not (data.get("text") or "").strip():
            raise forms.ValidationError(_("请上传文件或粘贴工号"))
        return data


class PlanForm(forms.Form):
    """A plan's own fields; the code is given once, when the plan is created."""

    code = forms.CharField(
        label=_("计划代码"),
        max_length=32,
        help_text=_("字母、数字、- 或 _，如 ZYJT；用于规则文件，创建后不能修改"),
    )
    name = forms.CharField(label=_("名称"), max_length=100)
    kind = forms.ChoiceField(label=_("类型"), choices=PlanKind.choices)
    insurer = forms.CharField(label=_("承保机构"), max_length=100, initial=INSURER)
    sort_order = forms.IntegerField(label=_("顺序"), min_value=0, initial=0, help_text=_("列表中由小到大排列"))


class PlanEditForm(PlanForm):
    code = None  # type: ignore[assignment]


class PresetStartForm(forms.Form):
    code = forms.ChoiceField(label=_("预设"), choices=[(code, name) for code, name, _kind, _order in PLANS])
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)


# --- the rule tables of an edition, edited as rows -------------------------------------------
#
# Each table is a formset whose rows become one JSON field of the edition (the JSON stays the
# stored format, checked by the schema in the service). A row left blank is ignored; a row
# ticked 删除 is dropped; any row in error keeps the whole edition unsaved.

CODE_VALIDATOR = RegexValidator(r"^[A-Za-z0-9_-]+$", _("项目代码须为字母、数字、- 或 _"))


def _decimal_field(label, *, required=True, maximum=None, places=2, help_text=""):
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=0,
        max_value=maximum,
        decimal_places=places,
        max_digits=12,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}),
    )


class RowFormSet(forms.BaseFormSet):
    """Rows of a rule table: every row may be left blank (then it is no row at all)."""

    def _construct_form(self, i, **kwargs):
        kwargs["empty_permitted"] = True
        kwargs["use_required_attribute"] = False
        return super()._construct_form(i, **kwargs)

    def live_forms(self) -> list:
        """The rows that count: filled in, not ticked for deletion (after validation)."""
        return [
            form
            for form in self.forms
            if form.has_changed() and not (self.can_delete and self._should_delete_form(form))
        ]

    def refuse(self, message: str) -> None:
        """A refusal about the whole table (the service's checks), shown above its rows."""
        self.non_form_errors().append(message)


class WaitingRowForm(forms.Form):
    from_day = forms.IntegerField(label=_("自保障第几天起"), min_value=1)
    share = _decimal_field(_("给付比例（0–1）"), maximum=1, places=4, help_text=_("0 不给付，1 全额，0.5 一半"))
    max_per_share = _decimal_field(_("每份至多给付（元）"), required=False, help_text=_("留空表示不另设上限"))


class WaitingFormSet(RowFormSet):
    def clean(self):
        previous = None
        for form in self.live_forms():
            day = form.cleaned_data.get("from_day")
            if day is None:
                continue
            if previous is not None and day <= previous:
                form.add_error("from_day", _("起始天数须大于上一行的 %(day)s（从小到大排列）") % {"day": previous})
            previous = day if previous is None else max(previous, day)

    def rows(self) -> list[dict]:
        rows = []
        for form in self.live_forms():
            data = form.cleaned_data
            row = {"from_day": data["from_day"], "share": str(data["share"])}
            if data.get("max_per_share") is not None:
                row["max_per_share"] = str(data["max_per_share"])
            rows.append(row)
        return rows


class BenefitRowForm(forms.Form):
    code = forms.CharField(
        label=_("项目代码"),
        max_length=32,
        validators=[CODE_VALIDATOR],
        help_text=_("理赔时引用的代码，字母、数字、- 或 _，如 ZY1"),
    )
    name = forms.CharField(label=_("项目名称"), max_length=100)
    kind = forms.ChoiceField(label=_("给付方式"), choices=[("", "—"), *BenefitKind.choices])
    amount = _decimal_field(_("每份给付金额（元）"), required=False, help_text=_("按份一次性给付时填写"))
    cap = _decimal_field(_("年度封顶（元/份）"), required=False, help_text=_("留空表示不封顶"))

    def clean(self):
        data = super().clean()
        if data.get("kind") == BenefitKind.LUMP_SUM and data.get("amount") is None:
            self.add_error("amount", _("按份一次性给付须填写每份给付金额"))
        return data


class BenefitFormSet(RowFormSet):
    def clean(self):
        seen = set()
        for form in self.live_forms():
            code = form.cleaned_data.get("code")
            if code and code in seen:
                form.add_error("code", _("项目代码 %(code)s 重复") % {"code": code})
            seen.add(code)


class BandRowForm(forms.Form):
    benefit = forms.CharField(label=_("项目代码"), max_length=32, help_text=_("所属按天津贴项目的代码"))
    from_day = forms.IntegerField(label=_("住院第几天起"), min_value=1)
    to_day = forms.IntegerField(label=_("至第几天"), min_value=1, required=False, help_text=_("留空表示不设截止"))
    per_day = _decimal_field(_("每天津贴（元/份）"))

    def clean(self):
        data = super().clean()
        start, end = data.get("from_day"), data.get("to_day")
        if start is not None and end is not None and end < start:
            self.add_error("to_day", _("截止天数不能小于起始天数"))
        return data


class DocumentRowForm(forms.Form):
    name = forms.CharField(label=_("材料名称"), max_length=100)


class DocumentFormSet(RowFormSet):
    def clean(self):
        seen = set()
        for form in self.live_forms():
            name = (form.cleaned_data.get("name") or "").strip()
            if name in seen:
                form.add_error("name", _("材料 %(name)s 重复") % {"name": name})
            seen.add(name)

    def rows(self) -> list[str]:
        return [form.cleaned_data["name"].strip() for form in self.live_forms()]


def _formset(form, formset):
    return forms.formset_factory(form, formset=formset, extra=2, can_delete=True)


WaitingRows = _formset(WaitingRowForm, WaitingFormSet)
BenefitRows = _formset(BenefitRowForm, BenefitFormSet)
BandRows = _formset(BandRowForm, RowFormSet)
DocumentRows = _formset(DocumentRowForm, DocumentFormSet)


def _text(value) -> str:
    return "" if value in (None, "") else str(value)


def table_rows(values: dict) -> dict[str, list[dict]]:
    """The stored JSON lists of an edition (or preset) as the tables' initial rows."""
    bands = []
    for item in values.get("benefits") or []:
        for band in item.get("bands") or []:
            bands.append({"benefit": item.get("code"), **{k: band.get(k) for k in ("from_day", "to_day", "per_day")}})
    return {
        "waiting": [
            {"from_day": row.get("from_day"), "share": row.get("share"), "max_per_share": row.get("max_per_share")}
            for row in values.get("waiting_schedule") or []
        ],
        "benefits": [
            {k: item.get(k) for k in ("code", "name", "kind", "amount", "cap")} for item in values.get("benefits") or []
        ],
        "bands": bands,
        "documents": [{"name": name} for name in values.get("required_documents") or []],
    }


class EditionRules:
    """An edition's form and its four rule tables (等待期, 给付标准, 天数段, 理赔材料), validated
    together: `values()` gives every rule value, the tables as the JSON lists the model stores."""

    TABLES = {"waiting": WaitingRows, "benefits": BenefitRows, "bands": BandRows, "documents": DocumentRows}
    # the edition's JSON field → the table its refusals are shown on
    FIELD_TABLES = {"waiting_schedule": "waiting", "benefits": "benefits", "required_documents": "documents"}

    def __init__(self, data=None, *, initial: dict | None = None):
        initial = initial or {}
        self.form = EditionForm(data, initial=initial)
        rows = table_rows(initial) if data is None else {}
        self.tables = {
            name: formset(data, prefix=name, initial=rows.get(name)) for name, formset in self.TABLES.items()
        }

    @property
    def has_errors(self) -> bool:
        """Any error on the form or on any row or table (after `is_valid()`)."""
        if not self.form.is_bound:
            return False
        return bool(self.form.errors) or any(table.total_error_count() for table in self.tables.values())

    def __getattr__(self, name):
        tables = self.__dict__.get("tables", {})
        if name in tables:
            return tables[name]
        raise AttributeError(name)

    def is_valid(self) -> bool:
        valid = self.form.is_valid()
        valid = all([table.is_valid() for table in self.tables.values()]) and valid
        return self._benefits_check() and valid

    def _benefits_check(self) -> bool:
        """Bands belong to a daily benefit of the table above, every daily benefit has one, and
        a benefit's bands do not overlap."""
        ok = True
        benefits, bands = self.tables["benefits"], self.tables["bands"]
        if not (benefits.is_valid() and bands.is_valid()):
            return False
        daily = {
            form.cleaned_data["code"]: form
            for form in benefits.live_forms()
            if form.cleaned_data.get("kind") == BenefitKind.DAILY
        }
        by_benefit: dict[str, list] = {}
        for form in bands.live_forms():
            code = form.cleaned_data["benefit"]
            if code not in daily:
                form.add_error("benefit", _("上表中没有代码为 %(code)s 的按天津贴项目") % {"code": code})
                ok = False
                continue
            by_benefit.setdefault(code, []).append(form)
        for code, form in daily.items():
            if code not in by_benefit:
                form.add_error("kind", _("按天津贴须在天数段表中至少有一行"))
                ok = False
        for forms_of in by_benefit.values():
            end = 0
            for form in sorted(forms_of, key=lambda f: f.cleaned_data["from_day"]):
                if form.cleaned_data["from_day"] <= end:
                    form.add_error("from_day", _("与同一项目的其他天数段重叠"))
                    ok = False
                to_day = form.cleaned_data.get("to_day")
                end = 10**6 if to_day is None else max(end, to_day)
        if not benefits.live_forms():
            benefits.refuse(_("请至少填写一项给付标准"))
            ok = False
        return ok

    def values(self) -> dict:
        """Every rule value, after `is_valid()`: the form's fields and the tables as lists."""
        data = dict(self.form.cleaned_data)
        bands: dict[str, list] = {}
        for form in self.tables["bands"].live_forms():
            band = form.cleaned_data
            bands.setdefault(band["benefit"], []).append(
                {"from_day": band["from_day"], "to_day": band.get("to_day"), "per_day": str(band["per_day"])}
            )
        benefits = []
        for form in self.tables["benefits"].live_forms():
            row = form.cleaned_data
            item = {"code": row["code"], "name": row["name"], "kind": row["kind"]}
            if row["kind"] == BenefitKind.DAILY:
                item["bands"] = sorted(bands.get(row["code"], []), key=lambda b: b["from_day"])
            else:
                item["amount"] = str(row["amount"])
            if row.get("cap") is not None:
                item["cap"] = str(row["cap"])
            benefits.append(item)
        data["waiting_schedule"] = self.tables["waiting"].rows()
        data["benefits"] = benefits
        data["required_documents"] = self.tables["documents"].rows()
        return data

    def refuse(self, error) -> None:
        """A service's refusal, on the table (or the field) it names."""
        field = error.extra.get("field")
        table = self.FIELD_TABLES.get(field or "")
        if table:
            self.tables[table].refuse(str(error.message))
        else:
            form_refusal(self.form, error)

    def with_row_added(self, table: str):
        """The same posted data with one more blank row in `table` (nothing is saved)."""
        data = self.form.data.copy()
        key = f"{table}-TOTAL_FORMS"
        try:
            data[key] = str(int(data.get(key, 0)) + 1)
        except ValueError:
            data[key] = "1"
        return EditionRules(data)
