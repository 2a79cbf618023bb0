"""The text of a PDF the site made (WeasyPrint embeds ToUnicode maps, so pypdf reads the
Chinese back), for tests that check what a printed page says."""

from __future__ import annotations

import io

from pypdf import PdfReader


def pdf_text(data: bytes) -> str:
    """Every page's text, pages joined by a form feed."""
    assert data.startswith(b"%PDF"), data[:20]
    return "\f".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
