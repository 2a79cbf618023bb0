import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from gonghui.accounts.access import get_access
from gonghui.attachments.models import Attachment
from gonghui.core.registry import registry


def attachment_list(*, user, owner_person=None, purpose: str | None = None) -> QuerySet[Attachment]:
    """Attachments the user may download, optionally one person's or one purpose's.

    Besides their own and their people's files, modules grant access through their records
    (registered rules): e.g. whoever may see a subsidy application may open its documents,
    which is what lets the welfare committee read the invoices before it."""
    qs = Attachment.objects.restrict(user, "view")
    if user is not None and user.is_authenticated:
        for rule in registry.attachment_access:
            qs = qs | Attachment.objects.filter(pk__in=rule(user))
    if owner_person is not None:
        qs = qs.filter(owner_person=owner_person)
    if purpose is not None:
        qs = qs.filter(purpose=purpose)
    return qs


@dataclass(frozen=True)
class AttachmentUsage:
    """What one account keeps in attachments against its quota."""

    used_bytes: int
    limit_bytes: int
    uploads_today: int
    uploads_per_day: int


def attachment_usage(*, user) -> AttachmentUsage:
    """Bytes of every stored file the user uploaded (a deleted attachment no longer counts),
    files uploaded today (local day), and the limits of their roles: the office's
    (`ATTACHMENT_QUOTA_BYTES_OFFICE`, `ATTACHMENT_UPLOADS_PER_DAY_OFFICE`) for those who write
    everything, else `ATTACHMENT_QUOTA_BYTES_PER_USER` and `ATTACHMENT_UPLOADS_PER_DAY`."""
    today_starts = timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time.min))
    # today only: uploads stamped on a later day (an import of dated history) are not today's
    today = Q(uploaded_at__gte=today_starts, uploaded_at__lt=today_starts + datetime.timedelta(days=1))
    totals = Attachment.objects.filter(uploaded_by_id=user.pk).aggregate(
        used=Sum("size"), today=Count("pk", filter=today)
    )
    office = get_access(user).writes_everything
    return AttachmentUsage(
        used_bytes=totals["used"] or 0,
        limit_bytes=settings.ATTACHMENT_QUOTA_BYTES_OFFICE if office else settings.ATTACHMENT_QUOTA_BYTES_PER_USER,
        uploads_today=totals["today"] or 0,
        uploads_per_day=settings.ATTACHMENT_UPLOADS_PER_DAY_OFFICE if office else settings.ATTACHMENT_UPLOADS_PER_DAY,
    )


def size_text(size: int) -> str:
    """1536 → "1.5 KB", 209715200 → "200 MB" (binary units, one decimal at most)."""
    value, unit = float(size), "B"
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if value < 1024 or unit == "TB":
            break
        value /= 1024
    number = f"{value:.1f}".rstrip("0").rstrip(".") if unit != "B" else str(size)
    return f"{number} {unit}"
