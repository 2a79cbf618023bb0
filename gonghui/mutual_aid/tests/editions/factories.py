"""Editions for the tests, built through the services (as the union office would)."""

import datetime
from decimal import Decimal

from gonghui.mutual_aid.choices import ApplicationKind, CostBase
from gonghui.mutual_aid.services import editions as services

D = Decimal
STANDARD_BANDS = (("3000", "10000", "0.5"), ("10000", "30000", "0.6"), ("30000", None, "0.7"))


def edition_make(*, actor, year=2020, adopt=True, bands=STANDARD_BANDS, deductible="3000", name="", **fields):
    """A complete edition of `year` (single base, three bands, two diseases, two documents),
    adopted unless `adopt` is False."""
    values = {
        "fee_active": D("120.00"),
        "fee_retired": D("120.00"),
        "waiting_months": 12,
        "annual_cap": D("30000.00"),
        "lifetime_cap": D("150000.00"),
    }
    values.update(fields)
    edition = services.edition_create_draft(actor=actor, year=year, name=name or f"{year}年度管理办法", **values)
    rule = services.rule_add(actor=actor, edition=edition, base=CostBase.ALL, deductible=D(deductible))
    for lower, upper, rate in bands:
        services.band_add(actor=actor, rule=rule, lower=D(lower), upper=upper and D(upper), rate=D(rate))
    services.disease_add(actor=actor, edition=edition, code="01", name="恶性肿瘤")
    services.disease_add(actor=actor, edition=edition, code="02", name="慢性肾衰竭（透析）")
    services.document_add(actor=actor, edition=edition, kind=ApplicationKind.INPATIENT, name="出院小结")
    services.document_add(actor=actor, edition=edition, kind=ApplicationKind.OUTPATIENT, name="门诊病历")
    if adopt:
        services.edition_adopt(
            actor=actor, edition=edition, adopted_on=datetime.date(year, 1, 10), resolution="教代会决议"
        )
    edition.refresh_from_db()
    return edition
