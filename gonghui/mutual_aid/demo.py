"""The demo university's mutual-aid rules (管理办法): the 2020 and 2021 adopted editions and a
2022 draft revision of 2021, to try comparison and preview on.

The formula follows the usual shape (DOMAIN §3.1) with example values that give realistic
subsidies: a 3,000 yuan deductible on the out-of-pocket cost, then 50 % up to 10,000, 60 %
up to 30,000 and 70 % above; yearly and lifetime caps. Built through the services, as the
demo union office, so the editions carry their history. Idempotent: a year that already
has an edition is left alone.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from gonghui.accounts.models import User
from gonghui.mutual_aid.choices import ApplicationKind, CostBase, EditionStatus
from gonghui.mutual_aid.models import SchemeEdition
from gonghui.mutual_aid.services import editions as services

DEMO_OFFICE_USERNAME = "office"

DISEASES = (
    ("01", "恶性肿瘤"),
    ("02", "慢性肾衰竭（透析）"),
    ("03", "器官移植术后"),
    ("04", "心脑血管疾病（住院）"),
    ("05", "糖尿病并发症"),
    ("06", "重症肝炎及肝硬化"),
    ("07", "再生障碍性贫血"),
    ("99", "其他重大疾病"),
)
DOCUMENTS = (
    (ApplicationKind.INPATIENT, "医疗费用发票", True),
    (ApplicationKind.INPATIENT, "出院小结", True),
    (ApplicationKind.INPATIENT, "费用明细清单", True),
    (ApplicationKind.INPATIENT, "诊断证明", True),
    (ApplicationKind.OUTPATIENT, "医疗费用发票", True),
    (ApplicationKind.OUTPATIENT, "诊断证明", True),
    (ApplicationKind.OUTPATIENT, "门诊病历", True),
    (ApplicationKind.OUTPATIENT, "医保结算单", False),
)
BANDS_2021 = (("3000", "10000", "0.50"), ("10000", "30000", "0.60"), ("30000", None, "0.70"))


@dataclass
class DemoEditionsResult:
    created: list = field(default_factory=list)  # years created now


def _fields(year: int, **overrides) -> dict:
    values = {
        "eligible_statuses": ["active", "retired"],
        "join_window_start": datetime.date(year, 3, 1),
        "join_window_end": datetime.date(year, 3, 31),
        "application_window_start": datetime.date(year + 1, 3, 1),
        "application_window_end": datetime.date(year + 1, 3, 31),
        "fee_active": Decimal("120.00"),
        "fee_retired": Decimal("120.00"),
        "late_join_back_pay": True,
        "waiting_months": 12,
        "annual_cap": Decimal("30000.00"),
        "lifetime_cap": Decimal("150000.00"),
        "notice_days": 7,
        "query_days": 15,
    }
    values.update(overrides)
    return values


def _fill(*, actor, edition: SchemeEdition, deductible: str, bands) -> None:
    rule = services.rule_add(actor=actor, edition=edition, base=CostBase.ALL, deductible=Decimal(deductible))
    for lower, upper, rate in bands:
        services.band_add(
            actor=actor, rule=rule, lower=Decimal(lower), upper=upper and Decimal(upper), rate=Decimal(rate)
        )
    for code, name in DISEASES:
        services.disease_add(actor=actor, edition=edition, code=code, name=name)
    for kind, name, required in DOCUMENTS:
        services.document_add(actor=actor, edition=edition, kind=kind, name=name, required=required)


def _adopted_edition_create(
    actor, year: int, *, bands, adopted_on: datetime.date, resolution: str, **overrides
) -> None:
    """A past year's rules, filled (deductible 3,000, `bands`, the diseases and documents) and
    adopted by the congress `resolution`; `overrides` change the year's usual figures."""
    edition = services.edition_create_draft(
        actor=actor, year=year, name=f"示范大学教职工医疗互助会管理办法（{year}年度）", **_fields(year, **overrides)
    )
    _fill(actor=actor, edition=edition, deductible="3000", bands=bands)
    services.edition_adopt(actor=actor, edition=edition, adopted_on=adopted_on, resolution=resolution)


@transaction.atomic
def mutual_aid_demo_build() -> DemoEditionsResult:
    """Seed the demo editions (needs the demo union office sign-in, built with the people)."""
    result = DemoEditionsResult()
    actor = User.objects.filter(username=DEMO_OFFICE_USERNAME).first()
    if actor is None:
        return result
    if not SchemeEdition.objects.filter(year=2020).exists():
        _adopted_edition_create(
            actor,
            2020,
            bands=(("3000", "10000", "0.50"), ("10000", "30000", "0.60"), ("30000", None, "0.65")),
            adopted_on=datetime.date(2020, 1, 10),
            resolution="第五届教职工代表大会第三次会议决议",
            fee_active=Decimal("100.00"),
            fee_retired=Decimal("100.00"),
            annual_cap=Decimal("25000.00"),
            lifetime_cap=Decimal("120000.00"),
        )
        result.created.append(2020)
    if not SchemeEdition.objects.filter(year=2021).exists():
        _adopted_edition_create(
            actor,
            2021,
            bands=BANDS_2021,
            adopted_on=datetime.date(2021, 1, 15),
            resolution="第五届教职工代表大会第四次会议决议",
        )
        result.created.append(2021)
    source = SchemeEdition.objects.filter(year=2021, status=EditionStatus.ADOPTED).first()
    if source is not None and not SchemeEdition.objects.filter(year=2022).exists():
        draft = services.edition_create_draft(
            actor=actor,
            year=2022,
            name="示范大学教职工医疗互助会管理办法（2022年度修订稿）",
            source=source,
            lifetime_cap=Decimal("200000.00"),
        )
        rule = draft.rules.get(base=CostBase.ALL)
        services.rule_update(actor=actor, rule=rule, deductible=Decimal("2500.00"))
        first, *_rest, top = sorted(rule.bands.all(), key=lambda b: b.lower)
        services.band_update(actor=actor, band=first, lower=Decimal("2500.00"), upper=first.upper, rate=first.rate)
        services.band_update(actor=actor, band=top, lower=top.lower, upper=None, rate=Decimal("0.75"))
        services.disease_add(actor=actor, edition=draft, code="08", name="罕见病")
        result.created.append(2022)
    return result
