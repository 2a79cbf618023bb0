"""The three plans of the Workers' Insurance Mutual's Beijing office and their 2021 rule values
(DOMAIN §3.2): 50 / 50 / 25 yuan per share. Prices are [verified] for 2021 (25 yuan for
女工特疾; the 50/50 split is an example); the benefit tables and waiting schedules are
(example, configurable) values from the sources, to be replaced by the edition in hand.

Age limits: the sources' older 住院津贴 terms stopped at men 60 / women 55, but the 2021
bulletin's figures (1,759 insured of 1,759 active staff in both plans, 1,005 in 女工特疾) mean
the union insured every active member of the plan's gender, so the presets set no age limit.
A union whose insurer limits ages enters them in the draft before adopting it.
"""

import datetime
from decimal import Decimal

from gonghui.insurance.choices import PlanKind, PremiumRule
from gonghui.insurance.models import Plan

INSURER = "中国职工保险互助会北京办事处"

# (code, name, kind, sort order) of the plans the presets are for.
PLANS = [
    ("ZYJT", "住院津贴", PlanKind.HOSPITAL_ALLOWANCE, 1),
    ("ZDJB", "重大疾病", PlanKind.CRITICAL_ILLNESS, 2),
    ("NGTJ", "女工特疾", PlanKind.FEMALE_SPECIAL, 3),
]

DOCUMENTS_HOSPITAL = ["理赔申请书", "身份证复印件", "诊断证明", "出院小结", "住院费用清单", "京卡复印件"]
DOCUMENTS_ILLNESS = ["理赔申请书", "身份证复印件", "诊断证明", "病理报告", "京卡复印件"]


def plans_ensure() -> dict[str, Plan]:
    plans = {}
    for code, name, kind, order in PLANS:
        plans[code], _created = Plan.objects.get_or_create(
            code=code, defaults={"name": name, "kind": kind, "sort_order": order}
        )
    return plans


# The values every plan of the Beijing office shares (and a new draft's form starts from).
COMMON_RULES = {
    "term_months": 12,
    "min_shares": 1,
    "max_shares": 1,
    "default_shares": 1,
    "same_shares_per_unit": True,
    "eligible_statuses": ["active"],
    "min_participation_rate": Decimal("0.80"),
    "claim_deadline_days": 30,
    "premium_rule": PremiumRule.ANNUAL,
    "member_share_rate": Decimal("0"),
}


def preset_start_date(year: int) -> datetime.date:
    """The presets' terms start on 1 July (active staff insured by the end of June, DOMAIN §3.2)."""
    return datetime.date(year, 7, 1)


def edition_values(code: str, year: int) -> dict:
    """Rule values of plan `code` for a term starting on 1 July of `year`."""
    common = {"start_date": preset_start_date(year), **COMMON_RULES}
    if code == "ZYJT":
        return {
            **common,
            "name": f"住院津贴 {year}—{year + 1} 年度",
            "price_per_share": Decimal("50.00"),
            "waiting_schedule": [{"from_day": 1, "share": "0"}, {"from_day": 31, "share": "1"}],
            "benefits": [
                {
                    "code": "allowance",
                    "name": "住院津贴",
                    "kind": "daily",
                    "bands": [{"from_day": 4, "to_day": None, "per_day": "40"}],
                    "cap": "7200",
                }
            ],
            "exclusions": "等待期内住院；整容、生育（并发症除外）；故意自伤。",
            "required_documents": DOCUMENTS_HOSPITAL,
        }
    if code == "ZDJB":
        return {
            **common,
            "name": f"重大疾病 {year}—{year + 1} 年度",
            "price_per_share": Decimal("50.00"),
            "waiting_schedule": [{"from_day": 1, "share": "0"}, {"from_day": 31, "share": "1"}],
            "benefits": [
                {"code": "illness", "name": "重大疾病给付", "kind": "lump_sum", "amount": "10000", "cap": "10000"}
            ],
            "exclusions": "保障开始前已患的疾病；开始后 30 日内确诊的疾病。",
            "required_documents": DOCUMENTS_ILLNESS,
        }
    return {
        **common,
        "name": f"女工特疾 {year}—{year + 1} 年度",
        "price_per_share": Decimal("25.00"),
        "eligible_genders": ["F"],
        "waiting_schedule": [
            {"from_day": 1, "share": "0"},
            {"from_day": 31, "share": "1", "max_per_share": "500"},
            {"from_day": 61, "share": "1"},
        ],
        "benefits": [
            {"code": "in_situ", "name": "原位癌", "kind": "lump_sum", "amount": "2000", "cap": "15000"},
            {"code": "listed", "name": "特定疾病", "kind": "lump_sum", "amount": "15000", "cap": "15000"},
        ],
        "exclusions": "保障开始前已患的疾病。",
        "required_documents": DOCUMENTS_ILLNESS,
    }


# The older 住院津贴 terms of the sources: men under 60, women under 55 on the start date.
AGE_LIMITED_HOSPITAL = {"ZYJT": {"max_age_male": 60, "max_age_female": 55}}


def editions_create(
    *,
    actor,
    year: int,
    adopt: bool = True,
    adopted_on: datetime.date | None = None,
    resolution: str = "校工会办公会议",
    overrides: dict[str, dict] | None = None,
) -> list:
    """Draft (and adopt) the three editions of `year` from the presets, with `overrides` by plan
    code (an insurer's own limits); editions already adopted are kept. Each draft is made by
    `preset_start`, the service of the presets page and of the `insurance_presets` command."""
    from gonghui.core.editions import EditionStatus, edition_adopt
    from gonghui.insurance.models import PlanEdition
    from gonghui.insurance.services.presets import preset_start

    out: list = []
    for code, _name, _kind, _order in PLANS:
        existing = PlanEdition.objects.filter(
            plan__code=code, start_date=preset_start_date(year), status=EditionStatus.ADOPTED
        ).first()
        if existing:
            out.append(existing)
            continue
        draft = preset_start(actor=actor, code=code, year=year, overrides=(overrides or {}).get(code))
        if not adopt:
            out.append(draft)
            continue
        out.append(
            edition_adopt(
                actor=actor, edition=draft, adopted_on=adopted_on or datetime.date(year, 6, 1), resolution=resolution
            )
        )
    return out
