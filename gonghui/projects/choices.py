"""The practical projects' and bulletins' fixed vocabularies (DOMAIN §3.10)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProjectType(models.TextChoices):
    IMMEDIATE = "immediate", _("立刻办")
    DEADLINE = "deadline", _("限期办")
    PHASED = "phased", _("分期办")


class Origin(models.TextChoices):
    """Where a project comes from: the link is kept on the project."""

    PROPOSAL = "proposal", _("教代会提案")
    SURVEY = "survey", _("调研摸底")
    RULES_REVISION = "rules_revision", _("互助会办法修订")
    INSTRUCTION = "instruction", _("领导批示")
    OTHER = "other", _("其他")


class ProjectStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("未开始")
    IN_PROGRESS = "in_progress", _("推进中")
    PARTLY_DONE = "partly_done", _("部分完成")
    DONE = "done", _("已完成")
    NOT_DONE = "not_done", _("未完成")
    CLOSED_OFF = "closed_off", _("已销号")


# A project still being worked on: progress may be entered and it can fall overdue.
OPEN_STATUSES = (ProjectStatus.NOT_STARTED, ProjectStatus.IN_PROGRESS, ProjectStatus.PARTLY_DONE)
# Staff rate a project's satisfaction once it is done.
RATEABLE_STATUSES = (ProjectStatus.DONE, ProjectStatus.CLOSED_OFF)


class Satisfaction(models.IntegerChoices):
    SATISFIED = 3, _("满意")
    BASICALLY = 2, _("基本满意")
    NOT_SATISFIED = 1, _("不满意")


class BulletinStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    WITHDRAWN = "withdrawn", _("已撤回")
