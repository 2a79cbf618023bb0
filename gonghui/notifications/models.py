"""The inbox (one row per recipient and message) and its delivery through outside channels."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gonghui.accounts.access import Access, ScopedQuerySet, get_access


class NotificationQuerySet(ScopedQuerySet):
    def restrict(self, user, action: str = "view"):
        """A notification belongs to its recipient alone: no role, not even a global one,
        reads another's inbox, so the scope applies to everyone."""
        access = get_access(user)
        return self.filter(self.scope(access, action)) if access.is_authenticated else self.none()

    def scope(self, access: Access, action: str) -> Q:
        return Q(recipient_id=access.user_id)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """A message in a user's inbox ("your roster import has finished"). Outside channels
    (e-mail, SMS, WeCom) only carry copies; the inbox row is the record."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("接收人"), on_delete=models.CASCADE, related_name="notifications"
    )
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=500, blank=True)
    kind = models.CharField(_("类别"), max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(_("发送时间"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("消息")
        verbose_name_plural = _("消息")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self):
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("待发送")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")
    SKIPPED = "skipped", _("未发送")


class NotificationDelivery(models.Model):
    """One notification through one channel (dotted path from settings.NOTIFICATION_CHANNELS):
    queued in the sender's transaction, then sent, failed (with the error) or skipped
    (recipient unreachable on that channel, e.g. no e-mail address)."""

    notification = models.ForeignKey(
        Notification, verbose_name=_("消息"), on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(_("渠道"), max_length=200)
    status = models.CharField(_("状态"), max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    error = models.TextField(_("错误"), blank=True)

    class Meta:
        verbose_name = _("消息投递")
        verbose_name_plural = _("消息投递")
        ordering = ["notification_id", "channel"]
        constraints = [
            models.UniqueConstraint(fields=["notification", "channel"], name="unique_notification_channel"),
        ]

    def __str__(self):
        return f"{self.notification_id} {self.channel} {self.status}"
