"""Uploaded files (certificates, invoices, scanned forms) kept in private storage."""

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gonghui.accounts.access import Access, ScopedQuerySet, person_condition
from gonghui.core.models import actor_field, optional_link


def attachment_upload_to(instance, filename: str) -> str:
    """attachments/<year>/<month>/<uuid>: neither the original name nor an extension reaches
    the disk, so nothing about the content is guessed from the path."""
    now = timezone.localtime()
    return f"attachments/{now:%Y}/{now:%m}/{instance.pk}"


class AttachmentQuerySet(ScopedQuerySet):
    def restrict_access(self, access: Access, action: str = "view"):
        """Private purposes' files are kept from the roles that read everything: they open
        through their module's access rule (`attachment_list`) or to their uploader."""
        from gonghui.core.registry import private_attachment_purposes

        qs = super().restrict_access(access, action)
        private = private_attachment_purposes()
        if private and access.sees_everything(action):
            qs = qs.filter(~Q(purpose__in=private) | Q(uploaded_by_id=access.user_id))
        return qs

    def scope(self, access: Access, action: str) -> Q | None:
        """Attachments one may download: what they uploaded and what belongs to a person
        they may see (themselves; sub-union officers: their sub-unions' people). Only the
        office and administrators change or delete them."""
        if action != "view":
            return None
        condition = Q(uploaded_by_id=access.user_id)
        people = person_condition(access, "owner_person__")
        return condition | people if people is not None else condition


class Attachment(models.Model):
    """One stored file. The type is detected from its bytes, not its name; `sha256` lets a
    module spot the same document uploaded twice. Reachable only through the download view."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    file = models.FileField(_("文件"), upload_to=attachment_upload_to, max_length=255)
    original_name = models.CharField(_("原文件名"), max_length=255)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    uploaded_by = actor_field(_("上传人"))
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    owner_person = optional_link("people.Person", _("所属人员"), related_name="attachments")
    purpose = models.CharField(_("用途"), max_length=64, blank=True, db_index=True)

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["-uploaded_at"]

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("attachments:download", args=[self.pk])
