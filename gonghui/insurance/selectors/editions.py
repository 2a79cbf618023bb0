"""Reads of plans and editions, and the side-by-side comparison of two editions."""

from django.utils.translation import gettext as _

from gonghui.insurance.choices import EditionStatus
from gonghui.insurance.models import PlanEdition

COMPARED = [
    ("start_date", _("保障起始日")),
    ("term_months", _("保障期（月）")),
    ("price_per_share", _("每份保费")),
    ("min_shares", _("最少份数")),
    ("max_shares", _("最多份数")),
    ("default_shares", _("默认份数")),
    ("same_shares_per_unit", _("全单位统一份数")),
    ("eligible_genders", _("适用性别")),
    ("min_age", _("最低年龄（含）")),
    ("max_age_male", _("男性年龄上限（不含）")),
    ("max_age_female", _("女性年龄上限（不含）")),
    ("eligible_statuses", _("适用人员状态")),
    ("min_participation_rate", _("最低参保率")),
    ("waiting_schedule", _("等待期（分级）")),
    ("benefits", _("给付标准")),
    ("exclusions", _("责任免除")),
    ("claim_deadline_days", _("报案时限（天）")),
    ("required_documents", _("理赔材料")),
    ("premium_rule", _("保费调整规则")),
    ("member_share_rate", _("个人负担比例")),
]


def edition_list(*, user, plan=None):
    qs = PlanEdition.objects.restrict(user).select_related("plan")
    if plan is not None:
        qs = qs.filter(plan=plan)
    return qs


def edition_in_force(*, plan, on):
    return (
        PlanEdition.objects.filter(plan=plan, status=EditionStatus.ADOPTED, start_date__lte=on)
        .order_by("-start_date")
        .first()
    )


def _display(edition: PlanEdition, field: str):
    if field == "premium_rule":
        return edition.get_premium_rule_display()
    value = getattr(edition, field)
    if field in ("waiting_schedule", "benefits", "required_documents", "eligible_genders", "eligible_statuses"):
        import json

        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else str(value)


def edition_compare(*, left: PlanEdition, right: PlanEdition) -> list[dict]:
    """Every rule of two editions side by side, with whether it differs."""
    categories = [
        (_("适用人员类别"), ", ".join(sorted(str(c) for c in e.eligible_categories.all())) or "—")
        for e in (left, right)
    ]
    rows = []
    for field, label in COMPARED:
        a, b = _display(left, field), _display(right, field)
        rows.append({"field": field, "label": str(label), "left": a, "right": b, "differs": a != b})
    rows.append(
        {
            "field": "eligible_categories",
            "label": str(categories[0][0]),
            "left": categories[0][1],
            "right": categories[1][1],
            "differs": categories[0][1] != categories[1][1],
        }
    )
    return rows
