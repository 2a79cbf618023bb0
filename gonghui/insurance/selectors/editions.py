"""Reads of plans, plan editions and the presets: every rule value as people read it (labels,
never codes: 女 not F, 在职 not active), for the edition, comparison and presets pages."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count
from django.utils.translation import gettext as _

from gonghui.core.editions import EditionStatus
from gonghui.insurance.choices import BenefitKind, PremiumRule
from gonghui.insurance.models import Plan, PlanEdition
from gonghui.insurance.presets import AGE_LIMITED_HOSPITAL, PLANS, edition_values, preset_start_date
from gonghui.insurance.schemas import EDITION_FIELDS
from gonghui.people.choices import EmploymentStatus, Gender


def edition_list(*, user, plan=None):
    qs = PlanEdition.objects.restrict(user).select_related("plan")
    if plan is not None:
        qs = qs.filter(plan=plan)
    return qs


def plan_list(*, user):
    """The plans, in their order, with how many editions each has."""
    return Plan.objects.restrict(user).annotate(edition_count=Count("editions")).order_by("sort_order", "code")


# --- rule values as text ----------------------------------------------------------------------


@dataclass(frozen=True)
class Fact:
    """One rule as the pages show it: `key` names it (stable across editions), `text` is labels."""

    key: str
    label: str
    text: str


def _labels(choices, values) -> list[str]:
    known = dict(choices)
    return [str(known.get(value, value)) for value in values or []]


def genders_text(genders) -> str:
    return "、".join(_labels(Gender.choices, genders)) or _("不限")


def statuses_text(statuses) -> str:
    return "、".join(_labels(EmploymentStatus.choices, statuses)) or _("不限")


def _number(value) -> str:
    """A decimal as people write it: 40, 0.5, 7200 (no exponent, no trailing zeros)."""
    if value in (None, ""):
        return "—"
    return format(Decimal(str(value)).normalize(), "f")


def _percent(rate) -> str:
    return _("%(n)s%%") % {"n": _number(Decimal(str(rate)) * 100)}


def ages_text(values: dict) -> str:
    parts = []
    if values.get("min_age") is not None:
        parts.append(_("%(age)s 岁及以上") % {"age": values["min_age"]})
    if values.get("max_age_male") is not None:
        parts.append(_("男性不满 %(age)s 岁") % {"age": values["max_age_male"]})
    if values.get("max_age_female") is not None:
        parts.append(_("女性不满 %(age)s 岁") % {"age": values["max_age_female"]})
    return "；".join(parts) or _("不限（不设年龄限制）")


def waiting_text(schedule) -> str:
    rows = sorted(schedule or [], key=lambda row: int(row["from_day"]))
    if not rows:
        return _("无等待期（全额给付）")
    parts = []
    for index, row in enumerate(rows):
        start = int(row["from_day"])
        if index + 1 < len(rows):
            days = _("第 %(from)s–%(to)s 天") % {"from": start, "to": int(rows[index + 1]["from_day"]) - 1}
        else:
            days = _("第 %(from)s 天起") % {"from": start}
        share = Decimal(str(row.get("share", "1")))
        if share == 0:
            paid = _("不给付")
        elif share == 1:
            paid = _("全额给付")
        else:
            paid = _("给付 %(share)s") % {"share": _percent(share)}
        if row.get("max_per_share") not in (None, ""):
            paid += _("（每份至多 %(amount)s 元）") % {"amount": _number(row["max_per_share"])}
        parts.append(f"{days} {paid}")
    return "；".join(parts)


def benefit_text(item: dict) -> str:
    kind = str(dict(BenefitKind.choices).get(item.get("kind"), item.get("kind")))
    if item.get("kind") == BenefitKind.DAILY:
        bands = []
        for band in item.get("bands") or []:
            if band.get("to_day") in (None, ""):
                days = _("第 %(from)s 天起") % {"from": band["from_day"]}
            else:
                days = _("第 %(from)s–%(to)s 天") % {"from": band["from_day"], "to": band["to_day"]}
            bands.append(_("%(days)s每天 %(amount)s 元/份") % {"days": days, "amount": _number(band.get("per_day"))})
        text = f"{kind}：{'；'.join(bands)}"
    else:
        text = _("%(kind)s：%(amount)s 元/份") % {"kind": kind, "amount": _number(item.get("amount"))}
    if item.get("cap") not in (None, ""):
        text += _("，年度封顶 %(cap)s 元/份") % {"cap": _number(item["cap"])}
    return text


def rules_facts(values: dict, *, categories: list[str] | None = None) -> list[Fact]:
    """Every rule value of an edition (or of a preset's values), labelled, in the form's order."""
    shares = _("%(min)s–%(max)s 份，默认 %(default)s 份") % {
        "min": values.get("min_shares"),
        "max": values.get("max_shares"),
        "default": values.get("default_shares"),
    }
    if values.get("same_shares_per_unit"):
        shares += _("，全单位统一")
    start = values.get("start_date")
    facts = [
        Fact("name", _("名称"), values.get("name") or "—"),
        Fact(
            "term",
            _("保障期"),
            _("%(start)s 起 %(months)s 个月")
            % {"start": start.isoformat() if start else "—", "months": values.get("term_months")},
        ),
        Fact("price_per_share", _("每份保费"), _("%(amount)s 元") % {"amount": _number(values.get("price_per_share"))}),
        Fact("shares", _("份数"), shares),
        Fact("eligible_genders", _("适用性别"), genders_text(values.get("eligible_genders"))),
        Fact("ages", _("年龄（保障起始日）"), ages_text(values)),
        Fact("eligible_statuses", _("适用人员状态"), statuses_text(values.get("eligible_statuses"))),
        Fact("categories", _("适用人员类别"), "、".join(categories or []) or _("所有类别")),
        Fact("min_participation_rate", _("最低参保率"), _percent(values.get("min_participation_rate") or 0)),
        Fact("waiting_schedule", _("等待期"), waiting_text(values.get("waiting_schedule"))),
    ]
    for item in values.get("benefits") or []:
        label = _("给付：%(name)s") % {"name": item.get("name")}
        facts.append(Fact(f"benefit:{item.get('code')}", label, benefit_text(item)))
    facts += [
        Fact("exclusions", _("责任免除"), values.get("exclusions") or "—"),
        Fact("claim_deadline_days", _("报案时限"), _("%(days)s 天") % {"days": values.get("claim_deadline_days")}),
        Fact("required_documents", _("理赔材料"), "、".join(values.get("required_documents") or []) or "—"),
        Fact(
            "premium_rule",
            _("保费调整规则"),
            str(dict(PremiumRule.choices).get(values.get("premium_rule"), values.get("premium_rule"))),
        ),
        Fact("member_share_rate", _("个人负担比例"), _percent(values.get("member_share_rate") or 0)),
    ]
    return facts


def edition_facts(edition: PlanEdition) -> list[Fact]:
    values = {name: getattr(edition, name) for name in EDITION_FIELDS}
    categories = sorted(c.name for c in edition.eligible_categories.all())
    return rules_facts(values, categories=categories)


def edition_comparison(*, left: PlanEdition, right: PlanEdition) -> dict:
    """The two editions' rules side by side, one row per rule, as labels: rows of
    {"label", "left", "right", "changed"}."""
    a = {fact.key: fact for fact in edition_facts(left)}
    b = {fact.key: fact for fact in edition_facts(right)}
    rows = []
    for key in dict.fromkeys([*a, *b]):
        label = (a.get(key) or b[key]).label
        left_text = a[key].text if key in a else "—"
        right_text = b[key].text if key in b else "—"
        rows.append(
            {"key": key, "label": label, "left": left_text, "right": right_text, "changed": left_text != right_text}
        )
    return {"rows": rows, "changed": [row["label"] for row in rows if row["changed"]]}


# --- presets --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PresetCard:
    code: str
    name: str
    kind_label: str
    year: int
    facts: list[Fact]
    plan: Plan | None
    editions: list[PlanEdition]  # the plan's drafts and adopted editions starting that day

    @property
    def startable(self) -> bool:
        return not self.editions


def preset_cards(*, user, year: int) -> list[PresetCard]:
    """The Workers' Insurance Mutual's presets for a term starting on 1 July of `year`, with every
    rule value visible (ages, limits, price), and what the union already has for that start."""
    from gonghui.insurance.choices import PlanKind

    plans = {plan.code: plan for plan in Plan.objects.restrict(user).filter(code__in=[row[0] for row in PLANS])}
    existing: dict[str, list[PlanEdition]] = {}
    for edition in (
        PlanEdition.objects.restrict(user)
        .filter(
            plan__code__in=[row[0] for row in PLANS],
            start_date=preset_start_date(year),
            status__in=[EditionStatus.DRAFT, EditionStatus.ADOPTED],
        )
        .select_related("plan")
        .order_by("id")
    ):
        existing.setdefault(edition.plan.code, []).append(edition)
    return [
        PresetCard(
            code=code,
            name=name,
            kind_label=str(PlanKind(kind).label),
            year=year,
            facts=rules_facts(edition_values(code, year)),
            plan=plans.get(code),
            editions=existing.get(code, []),
        )
        for code, name, kind, _order in PLANS
    ]


def age_limited_terms() -> list[str]:
    """The older terms' age limits (`AGE_LIMITED_HOSPITAL`), as the presets page mentions them."""
    names = {code: name for code, name, _kind, _order in PLANS}
    return [f"{names[code]}：{ages_text(values)}" for code, values in AGE_LIMITED_HOSPITAL.items()]
