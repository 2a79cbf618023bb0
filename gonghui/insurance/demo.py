"""The demo university's group insurance: the 2021 editions (50 / 50 / 25 yuan per share),
the enrollment, the rosters filed and answered (two 女工特疾 rejections), and claims taken
through to payment, one of them the demo member's. Idempotent: nothing is added when the
2021 editions already have enrollments."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from gonghui.accounts.models import User
from gonghui.core.excel import xlsx_bytes
from gonghui.core.imports import Upload, import_confirm, import_start
from gonghui.insurance.choices import EnrollmentStatus
from gonghui.insurance.models import PlanEnrollment
from gonghui.insurance.presets import editions_create
from gonghui.insurance.services import claims as claim_services
from gonghui.insurance.services.enrollment import enrollment_run
from gonghui.insurance.services.rosters import AcceptanceImport, roster_export_create

DEMO_OFFICE_USERNAME = "office"
DEMO_MEMBER_STAFF_NO = "100001"
_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _paid(actor, claim, amount, day):
    for name in claim.edition.required_documents:
        claim_services.claim_document_add(
            actor=actor, claim=claim, name=name, uploaded_file=SimpleUploadedFile("scan.pdf", _PDF, "application/pdf")
        )
    claim_services.claim_check(actor=actor, claim=claim)
    claim_services.claim_submit(actor=actor, claim=claim, submitted_on=day)
    claim_services.claim_pay(actor=actor, claim=claim, amount=amount, paid_on=day + datetime.timedelta(days=21))


@transaction.atomic
def insurance_demo_build() -> dict:
    actor = User.objects.filter(username=DEMO_OFFICE_USERNAME).first()
    if actor is None:
        return {}
    editions = dict(zip(("ZYJT", "ZDJB", "NGTJ"), editions_create(actor=actor, year=2021), strict=True))
    if PlanEnrollment.objects.filter(edition__in=editions.values()).exists():
        return {}
    counts = {}
    for code, edition in editions.items():
        counts[code] = enrollment_run(actor=actor, edition=edition).created
        roster = roster_export_create(actor=actor, edition=edition)
        lines = list(roster.lines.select_related("enrollment__person").order_by("seq"))
        rows = []
        for index, line in enumerate(lines):
            person = line.enrollment.person
            rejected = code == "NGTJ" and index in (3, 7)
            rows.append(
                (
                    line.seq,
                    person.name,
                    person.id_number_clear(),
                    "拒保" if rejected else "承保",
                    "身份证信息与公安系统不符" if rejected else "",
                )
            )
        data = xlsx_bytes(headers=["序号", "姓名", "身份证号", "结果", "原因"], rows=rows, text_columns={2})
        upload = Upload(data=data, filename="承保回执.xlsx")
        preview = import_start(AcceptanceImport.name, actor=actor, upload=upload, target=str(roster.pk))
        import_confirm(preview, actor=actor)
    accepted = PlanEnrollment.objects.filter(status=EnrollmentStatus.ACCEPTED).select_related("person", "edition__plan")
    member = accepted.filter(person__staff_no=DEMO_MEMBER_STAFF_NO, edition=editions["ZYJT"]).first()
    if member:
        claim = claim_services.claim_report(
            actor=actor,
            person=member.person,
            plan=editions["ZYJT"].plan,
            benefit_code="allowance",
            diagnosis="急性阑尾炎",
            admission_date=datetime.date(2021, 9, 6),
            discharge_date=datetime.date(2021, 9, 16),
            reported_on=datetime.date(2021, 9, 18),
            payout_account=member.person.jingka_no or "6217000000000001",
        )
        _paid(actor, claim, "280.00", datetime.date(2021, 9, 24))
    women = list(accepted.filter(edition=editions["NGTJ"]).order_by("pk")[:2])
    for n, enrollment in enumerate(women):
        claim = claim_services.claim_report(
            actor=actor,
            person=enrollment.person,
            plan=editions["NGTJ"].plan,
            benefit_code="listed" if n == 0 else "in_situ",
            diagnosis="乳腺癌" if n == 0 else "宫颈原位癌",
            event_date=datetime.date(2021, 10, 12 + n),
            reported_on=datetime.date(2021, 10, 20),
            payout_account=enrollment.person.jingka_no or "6217000000000002",
        )
        _paid(actor, claim, "15000.00" if n == 0 else "2000.00", datetime.date(2021, 10, 26))
    return counts
