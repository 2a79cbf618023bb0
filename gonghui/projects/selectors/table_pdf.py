"""The project table as a PDF (WeasyPrint, Noto CJK), landscape A4 as offices print it."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone


def project_table_pdf(*, title: str, headers, rows) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "projects/table_pdf.html", {"title": title, "headers": headers, "rows": rows, "today": timezone.localdate()}
    )
    return HTML(string=html).write_pdf()
