"""Reads of the scheme's rules by year: which edition governs a cost year, the editions a
user may see, a side-by-side comparison (core's edition_compare, labelled for people), and
a draft's cost on past decided applications.

Nothing here writes: the preview runs the pure calculator in memory.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from gonghui.core.editions import edition_compare
from gonghui.mutual_aid.calculator import Cost, Formula, subsidy_compute, to_cents
from gonghui.mutual_aid.choices import DecisionOutcome, EditionStatus
from gonghui.mutual_aid.models import Decision, SchemeEdition, SubsidyApplication
from gonghui.people.choices import EmploymentStatus

ZERO = Decimal("0.00")


def edition_list(*, user) -> QuerySet[SchemeEdition]:
    """Holders of mutual_aid.view_schemeedition see every edition, drafts included; anyone
    else (a member reading the 管理办法) only the adopted ones."""
    return (
        SchemeEdition.objects.restrict(user, "view")
        .annotate(rule_count=Count("rules", distinct=True))
        .order_by("-year", "-id")
    )


def edition_get(*, user, pk: int) -> SchemeEdition:
    """One edition the user may see (SchemeEdition.DoesNotExist otherwise)."""
    return (
        edition_list(user=user)
        .prefetch_related("rules__bands", "diseases", "required_documents", "eligible_categories")
        .select_related("based_on")
        .get(pk=pk)
    )


def edition_for_cost_year(*, year: int) -> SchemeEdition | None:
    """The edition in force for costs incurred in `year`: the adopted edition of that year,
    whatever was adopted for later years (DOMAIN §4.1). None when the year has none."""
    return SchemeEdition.objects.filter(year=year, status=EditionStatus.ADOPTED).first()


def edition_current(*, user=None) -> SchemeEdition | None:
    """The latest adopted edition (for the members' read-only page)."""
    return SchemeEdition.objects.filter(status=EditionStatus.ADOPTED).order_by("-year").first()


# --- comparison ----------------------------------------------------------------------------


def _display(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("是") if value else _("否")
    return str(value)


def _rate_percent(rate: Decimal) -> str:
    percent = (rate * 100).normalize()
    return f"{percent:f}%"


def edition_summary(edition: SchemeEdition) -> dict:
    """An edition as displayable text, grouped the way the compare and detail pages show it."""
    statuses = [
        str(EmploymentStatus(s).label) if s in EmploymentStatus.values else s for s in edition.eligible_statuses
    ]
    categories = sorted(c.name for c in edition.eligible_categories.all()) or [_("所有类别")]
    rules = {}
    for rule in edition.rules.all():
        bands = sorted(rule.bands.all(), key=lambda b: b.lower)
        rules[rule.base] = {
            "deductible": str(rule.deductible),
            "bands": [f"{b.lower}–{'∞' if b.upper is None else b.upper}: {_rate_percent(b.rate)}" for b in bands],
        }
    return {
        "fields": [
            (_("年度"), edition.year),
            (_("名称"), edition.name),
            (_("状态"), edition.get_status_display()),
            (_("通过日期"), edition.adopted_on),
            (_("通过依据"), edition.resolution or None),
            (_("可参加的人员状态"), "、".join(statuses)),
            (_("可参加的人员类别"), "、".join(categories)),
        ],
        "fees": [
            (_("缴费方式"), edition.get_fee_period_display()),
            (_("在职会费"), edition.fee_active),
            (_("离退休会费"), edition.fee_retired),
            (_("窗口外入会须补缴"), edition.late_join_back_pay),
            (_("等待期（月）"), edition.waiting_months),
        ],
        "windows": [
            (_("入会窗口"), f"{edition.join_window_start:%Y-%m-%d} – {edition.join_window_end:%Y-%m-%d}"),
            (
                _("补助申请窗口"),
                f"{edition.application_window_start:%Y-%m-%d} – {edition.application_window_end:%Y-%m-%d}",
            ),
            (_("分工会干部可审核本人申请"), edition.self_check_allowed),
            (_("公示期（天）"), edition.notice_days),
            (_("查询期（天）"), edition.query_days),
        ],
        "formula": [
            (_("计算基数"), edition.get_base_mode_display()),
            (_("以收定支（按比例分配）"), edition.pro_rata_mode),
        ],
        "rules": rules,
        "caps": [(_("年度封顶"), edition.annual_cap), (_("累计封顶"), edition.lifetime_cap)],
        "diseases": {d.code: d.name for d in edition.diseases.all()},
        "documents": {(d.kind, d.name): d.required for d in edition.required_documents.all()},
    }


def _walk(label: str):
    """A compared rule's label for people, and its field: core labels a rule by its field's
    verbose name, a part's value by its path ("rules #1 · bands #3 · rate"); this names each
    step of a path by its verbose name too."""
    if " #" not in label:
        fields = {str(f.verbose_name): f for f in SchemeEdition._meta.get_fields() if hasattr(f, "verbose_name")}
        return label, fields.get(label)
    model, names, field = SchemeEdition, [], None
    for segment in label.split(" · "):
        name, _hash, index = segment.partition(" #")
        field = model._meta.get_field(name)
        if field.one_to_many:
            model = field.related_model
            names.append(f"{model._meta.verbose_name} #{index}")
        else:
            names.append(str(field.verbose_name))
    return " · ".join(names), field


def _value_text(field, value) -> str:
    if isinstance(value, list):
        if field is not None and field.name == "eligible_statuses":
            value = [EmploymentStatus(v).label if v in EmploymentStatus.values else v for v in value]
        return "、".join(str(v) for v in value) or "—"
    if field is not None and getattr(field, "choices", None) and value is not None:
        return str(dict(field.flatchoices).get(value, value))
    return _display(value)


def edition_comparison(*, a: SchemeEdition, b: SchemeEdition) -> dict:
    """The two editions' rules side by side (core's edition_compare): rows of
    {"label", "a", "b", "changed"}, plus "changed": the labels of the changed rows."""
    rows = []
    for row in edition_compare(a, b):
        label, field = _walk(row.label)
        rows.append(
            {
                "label": label,
                "a": _value_text(field, row.left),
                "b": _value_text(field, row.right),
                "changed": row.differs,
            }
        )
    return {"a": a, "b": b, "rows": rows, "changed": [row["label"] for row in rows if row["changed"]]}


# --- preview a draft on past applications --------------------------------------------------


@dataclass
class PreviewRow:
    application: SubsidyApplication
    retired: bool
    old: Decimal
    new: Decimal

    @property
    def difference(self) -> Decimal:
        return self.new - self.old


@dataclass
class PreviewTotals:
    count: int = 0
    old: Decimal = ZERO
    new: Decimal = ZERO

    @property
    def difference(self) -> Decimal:
        return self.new - self.old

    def add(self, row: PreviewRow) -> None:
        self.count += 1
        self.old += row.old
        self.new += row.new


@dataclass
class Preview:
    edition: SchemeEdition
    year: int
    rows: list = field(default_factory=list)
    total: PreviewTotals = field(default_factory=PreviewTotals)
    active: PreviewTotals = field(default_factory=PreviewTotals)
    retired: PreviewTotals = field(default_factory=PreviewTotals)


GRANTED = [DecisionOutcome.APPROVED, DecisionOutcome.ADJUSTED]


def edition_preview_cost(*, edition: SchemeEdition, year: int, user=None) -> Preview:
    """What `edition` (usually a draft) would have granted on `year`'s decided applications.

    Takes the applications the committee granted (approved or adjusted) for cost year
    `year` — those `user` may see, when given — and recomputes each from its cost items
    under the edition's formula. "Old" is the amount decided, "new" the amount under the
    edition. Caps hold as in a real run: per person, the year's cap counts the applications
    before it (by id) under the new formula, the lifetime cap also what was granted for
    earlier years. Pro-rata is not applied (the fund is unknown): "new" is the claim.
    Reads only; nothing is written."""
    formula = Formula.from_edition(SchemeEdition.objects.prefetch_related("rules__bands").get(pk=edition.pk))
    applications = SubsidyApplication.objects.all() if user is None else SubsidyApplication.objects.restrict(user)
    applications = (
        applications.filter(cost_year=year, decision__outcome__in=GRANTED)
        .select_related("person", "decision")
        .prefetch_related("cost_items")
        .order_by("person_id", "id")
    )
    applications = list(applications)
    earlier = defaultdict(lambda: ZERO)
    for person_id, amount in Decision.objects.filter(
        application__person_id__in={a.person_id for a in applications},
        application__cost_year__lt=year,
        outcome__in=GRANTED,
    ).values_list("application__person_id", "amount"):
        earlier[person_id] += amount

    preview = Preview(edition=edition, year=year)
    this_year = defaultdict(lambda: ZERO)
    for application in applications:
        costs = [Cost(c.out_of_pocket, inpatient=c.inpatient, covered=c.covered) for c in application.cost_items.all()]
        person_id = application.person_id
        new, _working = subsidy_compute(
            formula=formula,
            costs=costs,
            paid_this_year=this_year[person_id],
            paid_lifetime=earlier[person_id] + this_year[person_id],
        )
        this_year[person_id] += new
        row = PreviewRow(
            application=application,
            retired=application.person.employment_status == EmploymentStatus.RETIRED,
            old=to_cents(application.decision.amount),
            new=new,
        )
        preview.rows.append(row)
        preview.total.add(row)
        (preview.retired if row.retired else preview.active).add(row)
    preview.rows.sort(key=lambda r: (r.application.person.name_pinyin, r.application.pk))
    return preview


def preview_years(*, user=None) -> list[int]:
    """Cost years that have granted decisions (the preview's year choices), newest first."""
    applications = SubsidyApplication.objects.all() if user is None else SubsidyApplication.objects.restrict(user)
    return sorted(
        set(applications.filter(decision__outcome__in=GRANTED).values_list("cost_year", flat=True)), reverse=True
    )
