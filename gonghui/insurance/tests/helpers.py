import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from gonghui.core.excel import xlsx_bytes
from gonghui.core.imports import Upload, import_start

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="证明.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, "application/pdf")


def acceptance_file(rows, headers=("序号", "姓名", "身份证号", "结果", "原因")) -> bytes:
    """The insurer's answer: rows of (seq, name, id number, result, reason)."""
    return xlsx_bytes(headers=list(headers), rows=rows, text_columns={2})


def read_xlsx(data: bytes):
    book = load_workbook(io.BytesIO(data))
    sheet = book.worksheets[0]
    return sheet, [[c.value for c in row] for row in sheet.iter_rows()]


def acceptance_start(actor, roster, data: bytes, filename: str = "回执.xlsx"):
    """The insurer's file read into a preview (core import), as the upload page does."""
    return import_start(
        "insurance.acceptance", actor=actor, upload=Upload(data=data, filename=filename), target=str(roster.pk)
    )


def claim_make(enrollment, **values):
    """A hospitalisation claim on `enrollment`, made directly (no service, no event)."""
    from gonghui.insurance.models import PlanClaim

    year = enrollment.starts_on.year
    return PlanClaim.objects.create(
        **{
            "person_id": enrollment.person_id,
            "edition_id": enrollment.edition_id,
            "enrollment": enrollment,
            "benefit_code": "allowance",
            "diagnosis": "肺炎",
            "event_date": datetime.date(year, 9, 1),
            "admission_date": datetime.date(year, 9, 1),
            "discharge_date": datetime.date(year, 9, 11),
            "reported_on": datetime.date(year, 9, 15),
            **values,
        }
    )
