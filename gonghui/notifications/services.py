"""Sending notifications: inbox rows in the caller's transaction, outside channels after commit."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from gonghui.accounts.access import Actor
from gonghui.core.exceptions import PermissionDenied
from gonghui.notifications.channels import channels_configured
from gonghui.notifications.models import DeliveryStatus, Notification, NotificationDelivery
from gonghui.notifications.selectors import notification_unread_forget

logger = logging.getLogger(__name__)

_TITLE_MAX: int = Notification._meta.get_field("title").max_length or 200
_URL_MAX: int = Notification._meta.get_field("url").max_length or 500


@transaction.atomic
def notification_send(
    *, recipients: Iterable, title: str, body: str = "", url: str = "", kind: str = ""
) -> list[Notification]:
    """Put a message in each recipient's inbox and queue its copies (e-mail, SMS …).

    Runs in the caller's transaction: if that rolls back, there are no inbox rows and
    nothing is sent, because delivery is enqueued with transaction.on_commit.
    Each recipient gets one message even if listed twice.
    """
    seen, users = set(), []
    for user in recipients:
        if user.pk not in seen:
            seen.add(user.pk)
            users.append(user)
    if not users:
        return []
    title = str(title)
    if len(title) > _TITLE_MAX:
        title = title[: _TITLE_MAX - 1] + "…"
    notifications = Notification.objects.bulk_create(
        Notification(recipient=user, title=title, body=str(body), url=url[:_URL_MAX], kind=kind) for user in users
    )
    channels = list(channels_configured())
    NotificationDelivery.objects.bulk_create(
        NotificationDelivery(notification=notification, channel=dotted)
        for notification in notifications
        for dotted in channels
    )
    if channels:
        ids = [notification.pk for notification in notifications]
        transaction.on_commit(lambda: _enqueue_delivery(ids))
    return notifications


def _enqueue_delivery(notification_ids: list[int]) -> None:
    from gonghui.notifications.tasks import notifications_deliver

    notifications_deliver.enqueue(notification_ids=notification_ids)


def notification_deliver(*, notification_ids: list[int]) -> dict[str, int]:
    """Send the queued copies of these notifications through their channels.

    Each delivery is claimed with a conditional UPDATE (so two workers never send the same
    copy) and saved on its own: a failing gateway marks that copy failed, with the error,
    and the others still go out. Nothing is raised. Returns counts by status.
    """
    channels = channels_configured()
    counts = {status: 0 for status in DeliveryStatus.values}
    deliveries = NotificationDelivery.objects.filter(
        notification_id__in=notification_ids, status=DeliveryStatus.QUEUED
    ).select_related("notification__recipient__person")
    for delivery in deliveries:
        claimed = NotificationDelivery.objects.filter(
            pk=delivery.pk, status=DeliveryStatus.QUEUED, attempts=delivery.attempts
        ).update(attempts=F("attempts") + 1)
        if not claimed:
            continue
        delivery.attempts += 1
        channel = channels.get(delivery.channel)
        recipient = delivery.notification.recipient
        if channel is None:
            delivery.status, delivery.error = DeliveryStatus.SKIPPED, "channel no longer configured"
        elif not channel.can_reach(recipient):
            delivery.status, delivery.error = DeliveryStatus.SKIPPED, "recipient not reachable on this channel"
        else:
            try:
                channel.deliver(delivery.notification)
            except Exception as exc:  # noqa: BLE001 - any failure is recorded, not raised
                logger.warning("Notification %s via %s failed: %s", delivery.notification_id, delivery.channel, exc)
                delivery.status, delivery.error = DeliveryStatus.FAILED, f"{type(exc).__name__}: {exc}"[:2000]
            else:
                delivery.status, delivery.error, delivery.sent_at = DeliveryStatus.SENT, "", timezone.now()
        delivery.save(update_fields=["status", "error", "sent_at"])
        counts[delivery.status] += 1
    return counts


def notification_mark_read(*, notification: Notification, user: Actor) -> Notification:
    """Mark one of the user's own notifications read (reading again keeps the first time)."""
    if notification.recipient_id != user.pk:
        raise PermissionDenied
    if notification.read_at is None:
        now = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
        notification.read_at = now
        notification_unread_forget(user)
    return notification


def notification_mark_all_read(*, user: Actor) -> int:
    """Mark every unread notification of the user read; returns how many changed."""
    changed = Notification.objects.restrict(user).unread().update(read_at=timezone.now())
    notification_unread_forget(user)
    return changed
