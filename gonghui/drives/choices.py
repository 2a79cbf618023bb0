from django.db import models
from django.utils.translation import gettext_lazy as _


class DrivePhase(models.TextChoices):
    """Phases of a drive, in order; a drive only moves forward (workflow.DriveWorkflow)."""

    PREPARATION = "preparation", _("前期调研")
    INFO_SESSIONS = "info_sessions", _("宣讲会")
    SURVEY = "survey", _("意向摸底")
    REGISTRATION = "registration", _("报名")
    ROSTER = "roster", _("名单报送")
    ON_SITE = "on_site", _("现场服务")
    DONE = "done", _("已结束")


class Intent(models.TextChoices):
    YES = "yes", _("愿意参加")
    NO = "no", _("不参加")
    UNDECIDED = "undecided", _("未决定")


class AnswerChannel(models.TextChoices):
    SELF = "self", _("本人填写")
    OFFICER = "officer", _("分工会代录")


class Relationship(models.TextChoices):
    SELF = "self", _("本人")
    SPOUSE = "spouse", _("配偶")
    CHILD = "child", _("子女")
    PARENT = "parent", _("父母")
    PARENT_IN_LAW = "parent_in_law", _("配偶父母")


RELATIVE_RELATIONSHIPS = [r for r in Relationship if r != Relationship.SELF]


class RegistrationChannel(models.TextChoices):
    GROUP = "group", _("团体参保")
    INDIVIDUAL = "individual", _("个人参保")


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("已报名")
    WITHDRAWN = "withdrawn", _("已撤回")
    ON_ROSTER = "on_roster", _("已报送")
    ENROLLED = "enrolled", _("已参保")
    REJECTED = "rejected", _("未通过")
    PAID = "paid", _("已缴费")


# Registrations that count (not withdrawn, not rejected by the provider).
LIVE_STATUSES = [
    RegistrationStatus.REGISTERED,
    RegistrationStatus.ON_ROSTER,
    RegistrationStatus.ENROLLED,
    RegistrationStatus.PAID,
]
ENROLLED_STATUSES = [RegistrationStatus.ENROLLED, RegistrationStatus.PAID]


class ResultOutcome(models.TextChoices):
    ENROLLED = "enrolled", _("参保成功")
    PAID = "paid", _("已缴费")
    REJECTED = "rejected", _("未通过")


class BookingStatus(models.TextChoices):
    BOOKED = "booked", _("已预约")
    CHECKED_IN = "checked_in", _("已签到")
    SERVED = "served", _("已办理")
    CANCELLED = "cancelled", _("已取消")
    NO_SHOW = "no_show", _("未到")


ACTIVE_BOOKING_STATUSES = [BookingStatus.BOOKED, BookingStatus.CHECKED_IN]
