"""Small builders for the committee tests (and the route-access world)."""

import datetime
from decimal import Decimal

from gonghui.mutual_aid.choices import ApplicationStatus, EditionStatus
from gonghui.mutual_aid.models import DiseaseCategory, SchemeEdition, SubsidyApplication


def edition_make(
    *, year: int = 2020, pro_rata: bool = False, notice_days: int = 7, query_days: int = 15, **fields
) -> SchemeEdition:
    values = {
        "name": f"{year}年管理办法",
        "adopted_on": datetime.date(year, 1, 10),
        "join_window_start": datetime.date(year, 3, 1),
        "join_window_end": datetime.date(year, 3, 31),
        "application_window_start": datetime.date(year + 1, 3, 1),
        "application_window_end": datetime.date(year + 1, 3, 31),
        "fee_active": Decimal("120.00"),
        "fee_retired": Decimal("60.00"),
        "pro_rata_mode": pro_rata,
        "notice_days": notice_days,
        "query_days": query_days,
    }
    values.update({k: v for k, v in fields.items() if k != "status"})
    edition = SchemeEdition.objects.create(year=year, **values)
    DiseaseCategory.objects.create(edition=edition, code="C01", name="恶性肿瘤")
    DiseaseCategory.objects.create(edition=edition, code="C02", name="尿毒症透析")
    # adopted once its parts are in (an adopted edition's parts no longer change)
    SchemeEdition.objects.filter(pk=edition.pk).update(status=fields.get("status", EditionStatus.ADOPTED))
    edition.refresh_from_db()
    return edition


def application_make(
    *,
    person,
    edition,
    computed: str,
    status: str = ApplicationStatus.OFFICE_CHECKED,
    kind: str = "inpatient",
    disease: str = "C01",
    **fields,
) -> SubsidyApplication:
    return SubsidyApplication.objects.create(
        person=person,
        edition=edition,
        cost_year=edition.year,
        kind=kind,
        status=status,
        computed_subsidy=Decimal(computed),
        disease_category=edition.diseases.get(code=disease),
        **fields,
    )
