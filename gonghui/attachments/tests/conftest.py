import struct
import zlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile


def png_bytes(padding: int = 0) -> bytes:
    """A real 1×1 PNG (optionally followed by padding bytes, still detected as PNG)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    return data + b"\x00" * padding


PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def stored_files(root: Path) -> list[Path]:
    return sorted(p for p in Path(root).rglob("*") if p.is_file())


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


# Purposes of these tests' uploads, registered as a module would (the shared endpoint may
# store both): documents by the roles that hand in forms, spreadsheets by the office.
DOCUMENT = "test.document"
SPREADSHEET = "test.spreadsheet"


@pytest.fixture(autouse=True)
def test_purposes(monkeypatch):
    from gonghui.attachments.services import PDF_AND_IMAGES, XLSX
    from gonghui.core.registry import AttachmentPurpose, registry

    purposes = {
        DOCUMENT: AttachmentPurpose(
            DOCUMENT, roles=frozenset({"member", "sub_union_officer", "union_office"}), direct=True
        ),
        SPREADSHEET: AttachmentPurpose(
            SPREADSHEET, roles=frozenset({"union_office"}), types=PDF_AND_IMAGES | {XLSX}, direct=True
        ),
    }
    monkeypatch.setattr(registry, "attachment_purposes", {**registry.attachment_purposes, **purposes})
