"""Objects for the application tests (also used by tests/test_route_access.py)."""

import base64
import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from gonghui.mutual_aid.choices import ApplicationKind, EditionStatus
from gonghui.mutual_aid.models import DiseaseCategory, RequiredDocument, SchemeEdition, SubsidyBand, SubsidyRule

# A 1×1 PNG.
PNG_BYTES = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png(name="invoice.png"):
    return SimpleUploadedFile(name, PNG_BYTES, "image/png")


def edition_make(year: int, *, today=None) -> SchemeEdition:
    today = today or timezone.localdate()
    edition = SchemeEdition.objects.create(
        year=year,
        name=f"{year}年医疗互助会管理办法",
        adopted_on=datetime.date(year, 1, 10),
        eligible_statuses=["active", "retired"],
        join_window_start=datetime.date(year, 3, 1),
        join_window_end=datetime.date(year, 3, 31),
        application_window_start=today - datetime.timedelta(days=10),
        application_window_end=today + datetime.timedelta(days=30),
        fee_active=Decimal("120.00"),
        fee_retired=Decimal("60.00"),
        annual_cap=Decimal("20000.00"),
        lifetime_cap=Decimal("50000.00"),
    )
    rule = SubsidyRule.objects.create(edition=edition, base="all", deductible=Decimal("1000.00"))
    SubsidyBand.objects.create(rule=rule, lower=Decimal("1000.00"), upper=Decimal("10000.00"), rate=Decimal("0.5000"))
    SubsidyBand.objects.create(rule=rule, lower=Decimal("10000.00"), upper=None, rate=Decimal("0.7000"))
    DiseaseCategory.objects.create(edition=edition, code="C01", name="恶性肿瘤")
    DiseaseCategory.objects.create(edition=edition, code="C02", name="尿毒症")
    RequiredDocument.objects.create(edition=edition, kind=ApplicationKind.INPATIENT, name="住院发票")
    RequiredDocument.objects.create(edition=edition, kind=ApplicationKind.INPATIENT, name="出院小结")
    RequiredDocument.objects.create(edition=edition, kind=ApplicationKind.INPATIENT, name="其他材料", required=False)
    RequiredDocument.objects.create(edition=edition, kind=ApplicationKind.OUTPATIENT, name="诊断证明")
    # adopted once its parts are in (an adopted edition's parts no longer change)
    SchemeEdition.objects.filter(pk=edition.pk).update(status=EditionStatus.ADOPTED)
    edition.refresh_from_db()
    return edition


def item_data(year: int, **overrides) -> dict:
    data = {
        "incurred_on": datetime.date(year, 5, 10),
        "hospital": "市第一人民医院",
        "bill_no": "B-001",
        "inpatient": True,
        "covered": True,
        "total": Decimal("20000.00"),
        "paid_by_insurance": Decimal("12000.00"),
        "second_reimbursement": Decimal("1000.00"),
        "out_of_pocket": Decimal("7000.00"),
    }
    data.update(overrides)
    return data
