"""Storing uploads: the content decides the type, the size is capped, refusals store nothing."""

from __future__ import annotations

import hashlib
import os

import filetype
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from gonghui.accounts.access import Actor
from gonghui.attachments.models import Attachment, attachment_upload_to
from gonghui.core.exceptions import ApplicationError, PermissionDenied
from gonghui.core.history import AuditAction, audit_event_record
from gonghui.people.models import Person

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF_AND_IMAGES = frozenset({"image/jpeg", "image/png", "image/heic", "image/webp", PDF})

# Types accepted per purpose code; a purpose not listed gets the default (""). A module that
# takes spreadsheets adds its purpose here with PDF_AND_IMAGES | {XLSX}.
ALLOWED_TYPES: dict[str, frozenset[str]] = {
    "": PDF_AND_IMAGES,
    "spreadsheet": PDF_AND_IMAGES | {XLSX},
}

# Bytes the detector looks at: enough for the zip entries that tell .xlsx from any zip.
_SNIFF_BYTES = 8192


class AttachmentRefused(ApplicationError):
    pass


def attachment_allowed_types(purpose: str) -> frozenset[str]:
    return ALLOWED_TYPES.get(purpose, ALLOWED_TYPES[""])


def _refuse_type(allowed: frozenset[str]):
    if XLSX in allowed:
        return AttachmentRefused(_("文件类型不支持：只接受 PDF、图片和 Excel（.xlsx）文件"))
    return AttachmentRefused(_("文件类型不支持：只接受 PDF 和图片"))


def _refuse_size(max_bytes: int):
    megabytes = max_bytes / (1024 * 1024)
    return AttachmentRefused(
        _("文件过大：最大 %(size)s MB") % {"size": f"{megabytes:.1f}".rstrip("0").rstrip(".")},
        extra={"max_bytes": max_bytes},
    )


def _clean_name(name: str) -> str:
    name = os.path.basename((name or "").replace("\\", "/"))
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    if len(name) > 255:
        stem, ext = os.path.splitext(name)
        name = stem[: 255 - len(ext[:20])] + ext[:20]
    return name or "file"


@transaction.atomic
def attachment_store(*, uploaded_file, uploaded_by: Actor, owner_person=None, purpose: str = "") -> Attachment:
    """Check and store an uploaded file; returns the Attachment.

    Refused (ApplicationError, nothing stored): empty, larger than
    settings.ATTACHMENT_MAX_BYTES (checked before the content is read), or a type, detected
    from the bytes, that the purpose does not accept. PermissionDenied when `owner_person`
    is not someone the uploader may upload for: office and administrators for anyone, a
    member for themselves, a sub-union officer for their people (the person's "attach" scope).
    """
    people = Person.objects.restrict(uploaded_by, "attach")
    if owner_person is not None and not people.filter(pk=owner_person.pk).exists():
        raise PermissionDenied(_("不能为此人上传附件"))
    max_bytes = settings.ATTACHMENT_MAX_BYTES
    size = uploaded_file.size
    if size is not None and size > max_bytes:
        raise _refuse_size(max_bytes)

    header, digest, total = b"", hashlib.sha256(), 0
    for chunk in uploaded_file.chunks():
        total += len(chunk)
        if total > max_bytes:  # the declared size was wrong
            raise _refuse_size(max_bytes)
        if len(header) < _SNIFF_BYTES:
            header += chunk[: _SNIFF_BYTES - len(header)]
        digest.update(chunk)
    if total == 0:
        raise AttachmentRefused(_("文件为空"))
    kind = filetype.guess(header)
    allowed = attachment_allowed_types(purpose)
    if kind is None or kind.mime not in allowed:
        raise _refuse_type(allowed)

    attachment = Attachment(
        original_name=_clean_name(uploaded_file.name),
        content_type=kind.mime,
        size=total,
        sha256=digest.hexdigest(),
        uploaded_by=uploaded_by,
        owner_person=owner_person,
        purpose=purpose,
    )
    uploaded_file.seek(0)
    attachment.file.save(attachment_upload_to(attachment, ""), uploaded_file, save=False)
    try:
        attachment.save(force_insert=True)
        audit_event_record(
            actor=uploaded_by,
            obj=attachment,
            action=AuditAction.CREATED,
            person_id=owner_person.pk if owner_person else None,
            message=_("上传附件：%(name)s") % {"name": attachment.original_name},
        )
    except BaseException:
        if attachment.file.name:
            attachment.file.storage.delete(attachment.file.name)
        raise
    return attachment


def attachment_download_record(*, attachment: Attachment, user: Actor) -> None:
    """Log a download by someone other than the uploader or the owner (office, officers,
    auditors reading a member's documents), as for any export of personal data."""
    if user.pk == attachment.uploaded_by_id:
        return
    if attachment.owner_person_id and attachment.owner_person_id == getattr(user, "person_id", None):
        return
    audit_event_record(
        actor=user,
        obj=attachment,
        action=AuditAction.EXPORTED,
        person_id=attachment.owner_person_id,
        message=_("下载附件：%(name)s") % {"name": attachment.original_name},
    )
