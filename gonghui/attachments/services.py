"""Storing uploads: only the roles a module registered for the purpose, within the uploader's
quota; the content decides the type, the size is capped, refusals store nothing."""

from __future__ import annotations

import hashlib
import os

import filetype
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from gonghui.accounts.access import Actor, get_access
from gonghui.accounts.roles import Role
from gonghui.attachments.models import Attachment, attachment_upload_to
from gonghui.attachments.selectors import attachment_usage, size_text
from gonghui.core.exceptions import ApplicationError, PermissionDenied
from gonghui.core.history import AuditAction, audit_event_record
from gonghui.core.registry import AttachmentPurpose, attachment_purpose
from gonghui.people.models import Person

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF_AND_IMAGES = frozenset({"image/jpeg", "image/png", "image/heic", "image/webp", PDF})

# Bytes the detector looks at: enough for the zip entries that tell .xlsx from any zip.
_SNIFF_BYTES = 8192


class AttachmentRefused(ApplicationError):
    pass


def attachment_allowed_types(purpose: str) -> frozenset[str]:
    """The content types stored under `purpose` (its registration's, else PDF and images)."""
    registered = attachment_purpose(purpose)
    return registered.types if registered is not None and registered.types else PDF_AND_IMAGES


def attachment_uploader_roles(registered: AttachmentPurpose) -> frozenset[str]:
    """The roles that may store files under the purpose: the registered ones, the
    administrator with the union office, and the system actor (commands, tasks)."""
    roles = set(registered.roles) | {Role.SYSTEM}
    if Role.UNION_OFFICE in roles:
        roles.add(Role.ADMINISTRATOR)
    return frozenset(roles)


def attachment_purpose_require(*, user: Actor, purpose: str) -> AttachmentPurpose:
    """The purpose's registration, if `user` holds a role that uploads under it; else
    PermissionDenied with a message naming the roles that do."""
    registered = attachment_purpose(purpose)
    if registered is None:
        raise PermissionDenied(_("没有这类附件，不能上传"))
    access = get_access(user)
    if access.is_superuser or access.roles & attachment_uploader_roles(registered):
        return registered
    names = "、".join(str(Role(role).label) for role in Role if role in registered.roles)
    raise PermissionDenied(_("只有%(roles)s上传这类附件") % {"roles": names})


def _quota_check(user: Actor, size: int) -> None:
    """Refuse a file that would take the uploader over their quota. Locks the uploader's row
    first, so two uploads at once by the same account are counted one after the other."""
    list(get_user_model().objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True))
    usage = attachment_usage(user=user)
    if usage.used_bytes + size > usage.limit_bytes:
        raise AttachmentRefused(
            _("存储空间不足：已用 %(used)s / %(limit)s，本文件 %(size)s")
            % {"used": size_text(usage.used_bytes), "limit": size_text(usage.limit_bytes), "size": size_text(size)},
            extra={"used_bytes": usage.used_bytes, "limit_bytes": usage.limit_bytes, "size_bytes": size},
        )
    if usage.uploads_today >= usage.uploads_per_day:
        raise AttachmentRefused(
            _("今天已上传 %(count)s 个文件，每天最多 %(limit)s 个，请明天再传")
            % {"count": usage.uploads_today, "limit": usage.uploads_per_day},
            extra={"uploads_today": usage.uploads_today, "uploads_per_day": usage.uploads_per_day},
        )


# How a refusal names the accepted types (a module's purpose may accept others than the usual).
_TYPE_NAMES = {
    PDF: "PDF",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word（.docx）",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "PowerPoint（.pptx）",
    XLSX: "Excel（.xlsx）",
    "video/mp4": "MP4",
}


def _refuse_type(allowed: frozenset[str]):
    if allowed <= PDF_AND_IMAGES | {XLSX}:
        if XLSX in allowed:
            return AttachmentRefused(_("文件类型不支持：只接受 PDF、图片和 Excel（.xlsx）文件"))
        return AttachmentRefused(_("文件类型不支持：只接受 PDF 和图片"))
    names = [name for content_type, name in _TYPE_NAMES.items() if content_type in allowed]
    if allowed & (PDF_AND_IMAGES - {PDF}):
        names.append(str(_("图片")))
    return AttachmentRefused(_("文件类型不支持：只接受 %(types)s 文件") % {"types": "、".join(names)})


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

    PermissionDenied (nothing read, nothing stored) when no module registered `purpose` for a
    role the uploader holds (`AttachmentPurpose`), or when `owner_person` is not someone the
    uploader may upload for: office and administrators for anyone, a member for themselves, a
    sub-union officer for their people (the person's "attach" scope).

    Refused (ApplicationError, nothing stored): empty, larger than
    settings.ATTACHMENT_MAX_BYTES (checked before the content is read), a type, detected
    from the bytes, that the purpose does not accept, or over the uploader's quota (bytes kept,
    files today; checked under a lock on the uploader's row).
    """
    attachment_purpose_require(user=uploaded_by, purpose=purpose)
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
    _quota_check(uploaded_by, total)

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


@transaction.atomic
def attachment_upload(*, uploaded_file, uploaded_by: Actor, owner_person=None, purpose: str = "") -> Attachment:
    """The shared upload endpoint's store: only purposes registered as `direct` (the others
    are stored by their module's services, with the record they belong to)."""
    registered = attachment_purpose_require(user=uploaded_by, purpose=purpose)
    if not registered.direct:
        raise PermissionDenied(_("这类附件请在相应的申请或记录页面上传"))
    return attachment_store(
        uploaded_file=uploaded_file, uploaded_by=uploaded_by, owner_person=owner_person, purpose=purpose
    )


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
