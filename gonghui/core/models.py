"""Cross-cutting records (the audit trail, workflow events, background jobs, import previews,
secret ballots) and the field declarations every module shares (money, optional links, who did it)."""

import uuid
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def money_field(verbose_name, **kwargs):
    """Decimal yuan to the cent (DOMAIN §4.2)."""
    kwargs.setdefault("max_digits", 14)
    kwargs.setdefault("decimal_places", 2)
    return models.DecimalField(verbose_name, **kwargs)


def optional_link(to, verbose_name=None, *, on_delete=models.PROTECT, related_name="+", one_to_one=False, **kwargs):
    """An optional link to another record (null and blank; at most one row per record with
    `one_to_one`). By default the linked record cannot be deleted while linked (PROTECT) and
    keeps no reverse accessor ("+")."""
    field_class = models.OneToOneField if one_to_one else models.ForeignKey
    return field_class(
        to,
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=on_delete,
        related_name=related_name,
        **kwargs,
    )


def actor_field(verbose_name=None, *, blank=False, on_delete=models.SET_NULL):
    """The account that did something to a record (uploaded, recorded, approved …).

    Optional and without a reverse accessor: the record outlives the account (SET_NULL),
    and an account does not list everything it ever touched."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        null=True,
        blank=blank,
        on_delete=on_delete,
        related_name="+",
    )


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True


class AuditAction(models.TextChoices):
    CREATED = "created", _("创建")
    UPDATED = "updated", _("修改")
    DELETED = "deleted", _("删除")
    STATUS_CHANGED = "status_changed", _("状态变更")
    MEMBERSHIP = "membership", _("会籍变动")
    IMPORTED = "imported", _("名册导入")
    ID_REVEALED = "id_revealed", _("查看明文身份证号")
    EXPORTED_CLEAR = "exported_clear", _("导出明文身份证号")
    EXPORTED = "exported", _("导出")
    ROLE_CHANGED = "role_changed", _("角色变更")
    LEDGER = "ledger", _("账目")


class AuditEvent(models.Model):
    """Who did what, when, to which record, with the fields' values before and after.

    One mechanism for every domain: `object_type`/`object_id` name the record, and
    `person_id` groups the events shown on a person's page (a plain id, not a foreign key,
    so that history outlives the person row and core does not depend on people).
    """

    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    actor = actor_field(_("操作人"), blank=True)
    action = models.CharField(_("操作"), max_length=32, choices=AuditAction.choices)
    object_type = models.CharField(_("对象类型"), max_length=64)
    object_id = models.CharField(_("对象编号"), max_length=64)
    person_id = models.BigIntegerField(_("相关人员"), null=True, blank=True, db_index=True)
    message = models.TextField(_("说明"), blank=True)
    changes = models.JSONField(_("变更"), default=dict, blank=True)

    class Meta:
        verbose_name = _("操作记录")
        verbose_name_plural = _("操作记录")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()} {self.object_type}#{self.object_id}"


class WorkflowEvent(models.Model):
    """One step of a record's workflow, in the one shape every module shares: when, who,
    from which state to which, by which step, with what message and parameters.

    A module's event table subclasses this with `subject = ForeignKey(<its model>,
    on_delete=PROTECT, related_name="events")`: history is never deleted with its record.
    `from_state` is empty for the event that records the creation; events that are not a
    change of state (a document added, a co-signer confirmed) have from = to."""

    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    actor = actor_field(_("操作人"), blank=True)
    from_state = models.CharField(_("原状态"), max_length=32, blank=True)
    to_state = models.CharField(_("新状态"), max_length=32)
    step = models.CharField(_("步骤"), max_length=32)
    message = models.TextField(_("说明"), blank=True)
    parameters = models.JSONField(_("参数"), default=dict, blank=True)

    workflow: ClassVar[Any]  # the Workflow whose states these are (set when it registers)

    class Meta:
        abstract = True
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.from_state} → {self.to_state} ({self.step})"

    @property
    def from_label(self) -> str:
        return self.workflow.state_label(self.from_state) if self.from_state else ""

    @property
    def to_label(self) -> str:
        return self.workflow.state_label(self.to_state)

    @property
    def is_state_change(self) -> bool:
        return self.from_state != self.to_state


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("进行中")
    SUCCEEDED = "succeeded", _("已完成")
    FAILED = "failed", _("失败")


class Job(models.Model):
    """A long operation (an import, a fee run) whose page shows its progress and outcome."""

    kind = models.CharField(_("类型"), max_length=64)
    title = models.CharField(_("名称"), max_length=200)
    created_by = actor_field(_("发起人"), blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress_done = models.PositiveIntegerField(_("已处理"), default=0)
    progress_total = models.PositiveIntegerField(_("总数"), default=0)
    parameters = models.JSONField(_("参数"), default=dict, blank=True)
    result = models.JSONField(_("结果"), default=dict, blank=True)
    error = models.TextField(_("错误"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.title} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.SUCCEEDED, JobStatus.FAILED)


class ImportStatus(models.TextChoices):
    READING = "reading", _("读取中")
    FAILED = "failed", _("读取失败")
    PENDING = "pending", _("待确认")
    CONFIRMED = "confirmed", _("已确认")
    DISCARDED = "discarded", _("已放弃")
    EXPIRED = "expired", _("已过期")


class ImportPreview(models.Model):
    """A file from outside, read and classified, waiting to be confirmed (gonghui.core.imports).

    It keeps the file (private storage) and what the preview page shows; it expires; it is
    confirmed once, and then holds the result (or the job that applies it). A large file is
    read by the task worker (`read_job`): the preview is "reading" until then, and "failed"
    with the reason in `result["error"]` (its file deleted) when the file was refused."""

    kind = models.CharField(_("类型"), max_length=64, db_index=True)
    status = models.CharField(_("状态"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.PENDING)
    created_by = actor_field(_("上传人"))
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("过期时间"))
    file = models.CharField(_("文件"), max_length=255)
    original_name = models.CharField(_("原文件名"), max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    target = models.CharField(_("对象"), max_length=64, blank=True, db_index=True)
    parameters = models.JSONField(_("参数"), default=dict, blank=True)
    summary = models.JSONField(_("预览"), default=dict, blank=True)
    result = models.JSONField(_("结果"), default=dict, blank=True)
    job = models.ForeignKey(Job, verbose_name=_("后台任务"), null=True, blank=True, on_delete=models.PROTECT)
    read_job = models.ForeignKey(
        Job,
        verbose_name=_("读取任务"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_by = actor_field(_("确认人"), blank=True)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("导入预览")
        verbose_name_plural = _("导入预览")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.kind}: {self.original_name} ({self.get_status_display()})"

    @property
    def is_pending(self) -> bool:
        return self.status == ImportStatus.PENDING and self.expires_at > timezone.now()

    @property
    def is_ready(self) -> bool:
        """Read and classified (its preview page can show what the file would do)."""
        return self.status not in (ImportStatus.READING, ImportStatus.FAILED)

    @property
    def error(self) -> str:
        return str((self.result or {}).get("error", "")) if isinstance(self.result, dict) else ""


class ImportPreviewEvent(WorkflowEvent):
    subject = models.ForeignKey(ImportPreview, on_delete=models.PROTECT, related_name="events")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("导入记录")
        verbose_name_plural = _("导入记录")


class BallotBoxStatus(models.TextChoices):
    OPEN = "open", _("投票中")
    CLOSED = "closed", _("已计票")


class BallotBox(TimeStampedModel):
    """A secret ballot (DOMAIN §4.4), shared by the modules that vote: a congress's vote on a
    draft, the cadres' democratic appraisal. `subject` names what is voted on in the module's
    terms ("deliberations.vote:12"); `items` are the questions, each with its options
    ([{"key", "label", "options": [[code, label], …]}]). Who may vote is the box's electorate
    (`BallotVoter`); who did vote (`BallotVoter.voted`) is stored apart from what was voted
    (`Ballot`), and a ballot has no link to a voter, no time, no sequence: a random key only."""

    kind = models.CharField(_("类型"), max_length=40)
    subject = models.CharField(_("表决事项"), max_length=80, db_index=True)
    title = models.CharField(_("名称"), max_length=200)
    items = models.JSONField(_("表决项"))
    status = models.CharField(_("状态"), max_length=16, choices=BallotBoxStatus.choices, default=BallotBoxStatus.OPEN)
    closes_at = models.DateTimeField(_("截止时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("计票时间"), null=True, blank=True)
    opened_by = actor_field(_("发起人"))

    class Meta:
        verbose_name = _("无记名投票")
        verbose_name_plural = _("无记名投票")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.title


class BallotBoxEvent(WorkflowEvent):
    subject = models.ForeignKey(
        BallotBox, verbose_name=_("无记名投票"), on_delete=models.PROTECT, related_name="events"
    )

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("无记名投票记录")
        verbose_name_plural = _("无记名投票记录")


class BallotVoter(models.Model):
    """One member of a box's electorate, with their category and unit (for weighted or per-unit
    tallies) and whether they have voted: participation, never what they voted."""

    box = models.ForeignKey(BallotBox, verbose_name=_("无记名投票"), on_delete=models.CASCADE, related_name="voters")
    person = models.ForeignKey("people.Person", verbose_name=_("人员"), on_delete=models.PROTECT, related_name="+")
    category = models.CharField(_("类别"), max_length=40, blank=True)
    unit = models.ForeignKey(
        "people.SubUnion", verbose_name=_("单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    voted = models.BooleanField(_("已投票"), default=False)

    class Meta:
        verbose_name = _("投票人")
        verbose_name_plural = _("投票人")
        constraints = [models.UniqueConstraint(fields=["box", "person"], name="ballot_voter_once")]

    def __str__(self):
        return f"{self.box_id}:{self.person_id}"


class BallotPending(models.Model):
    """A cast ballot waiting for its batch: the same fields as `Ballot`, held until enough
    ballots have been cast to write them out together in a shuffled order (core.ballots)."""

    key = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    box = models.ForeignKey(BallotBox, verbose_name=_("无记名投票"), on_delete=models.CASCADE, related_name="+")
    category = models.CharField(_("类别"), max_length=40, blank=True)
    unit = models.ForeignKey(
        "people.SubUnion", verbose_name=_("单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    choices = models.JSONField(_("选择"))

    class Meta:
        verbose_name = _("待写入的选票")
        verbose_name_plural = _("待写入的选票")

    def __str__(self):
        return str(self.key)


class Ballot(models.Model):
    """What one voter chose, with no link to them: a random key (no sequence to order ballots
    by), the box, the voter's category and unit only (for per-category tallies), and the
    choices ({item key: option code}). Written in shuffled batches (core.ballots), so the
    table's order says nothing of the order in which people voted."""

    key = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    box = models.ForeignKey(BallotBox, verbose_name=_("无记名投票"), on_delete=models.CASCADE, related_name="ballots")
    category = models.CharField(_("类别"), max_length=40, blank=True)
    unit = models.ForeignKey(
        "people.SubUnion", verbose_name=_("单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    choices = models.JSONField(_("选择"))

    class Meta:
        verbose_name = _("选票")
        verbose_name_plural = _("选票")

    def __str__(self):
        return str(self.key)
