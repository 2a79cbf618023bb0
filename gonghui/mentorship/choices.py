"""The choices of mentorship pairing (拜师结对, DOMAIN §3.8)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# Files the module stores through attachments: the signed agreement's scan, a duty's photo.
AGREEMENT_PURPOSE = "mentorship_agreement"
DUTY_PHOTO_PURPOSE = "mentorship_duty_photo"


class TitleRank(models.TextChoices):
    """The rank of a professional title (职称级别); the rules set the lowest a mentor may hold."""

    SENIOR = "senior", _("正高级")
    ASSOCIATE = "associate", _("副高级")
    INTERMEDIATE = "intermediate", _("中级")
    JUNIOR = "junior", _("初级")
    NONE = "none", _("无")


RANK_ORDER = {
    TitleRank.SENIOR: 4,
    TitleRank.ASSOCIATE: 3,
    TitleRank.INTERMEDIATE: 2,
    TitleRank.JUNIOR: 1,
    TitleRank.NONE: 0,
}


class CohortStatus(models.TextChoices):
    DRAFT = "draft", _("筹备中")
    MATCHING = "matching", _("结对中")
    RUNNING = "running", _("培养中")
    ASSESSING = "assessing", _("考核中")
    CLOSED = "closed", _("已结束")


class Side(models.TextChoices):
    MENTEE = "mentee", pgettext_lazy("mentorship", "青年教师")
    MENTOR = "mentor", pgettext_lazy("mentorship", "指导教师")


class MatchMethod(models.TextChoices):
    ASSIGNMENT = "assignment", _("最优匹配")
    STABLE = "stable", _("双向选择")


class MatchingStatus(models.TextChoices):
    PROPOSED = "proposed", _("待确认")
    CONFIRMED = "confirmed", _("已确认")
    DISCARDED = "discarded", _("已放弃")


class PairSource(models.TextChoices):
    COLLEGE = "college", _("学院推荐")
    ASSIGNMENT = "assignment", _("最优匹配")
    STABLE = "stable", _("双向选择")
    CHANGE = "change", _("更换导师")
    RECORD = "record", _("档案录入")


class PairStatus(models.TextChoices):
    PROPOSED = "proposed", _("已推荐")
    AGREED = "agreed", _("已签协议")
    ACTIVE = "active", _("培养中")
    PASSED = "passed", _("合格")
    BASICALLY_PASSED = "basically_passed", _("基本合格")
    EXTENDED = "extended", _("延期考核")
    FAILED = "failed", _("不合格")
    NOT_ASSESSED = "not_assessed", _("未考核")
    ENDED_EARLY = "ended_early", _("提前结束")
    WITHDRAWN = "withdrawn", _("已撤回")


# A pair that holds its mentee and counts for its mentor's load.
LIVE_PAIR_STATUSES = (
    PairStatus.PROPOSED,
    PairStatus.AGREED,
    PairStatus.ACTIVE,
    PairStatus.BASICALLY_PASSED,
    PairStatus.EXTENDED,
)
# A pair whose duties are still being logged.
LOGGING_PAIR_STATUSES = (PairStatus.ACTIVE, PairStatus.BASICALLY_PASSED, PairStatus.EXTENDED)


class Outcome(models.TextChoices):
    """What a grade does to a pair: final, or a further assessment after an extension."""

    PASSED = "passed", _("合格")
    BASICALLY_PASSED = "basically_passed", _("基本合格（延期后再考核）")
    EXTENDED = "extended", _("延期考核")
    FAILED = "failed", _("不合格")


# The outcomes that wait for an assessment after the extension.
EXTENDING_OUTCOMES = (Outcome.BASICALLY_PASSED, Outcome.EXTENDED)


class AssessmentStage(models.TextChoices):
    CYCLE = "cycle", _("期满考核")
    EXTENSION = "extension", _("延期考核")


class DutyKind(models.TextChoices):
    DEMONSTRATION = "demonstration", _("示范课")
    OBSERVATION = "observation", _("听课")
    MEETING = "meeting", _("指导交流")


class DutyStatus(models.TextChoices):
    LOGGED = "logged", _("待确认")
    CONFIRMED = "confirmed", _("已确认")
    RETURNED = "returned", _("已退回")


class StipendKind(models.TextChoices):
    PAYMENT = "payment", _("发放")
    REVERSAL = "reversal", _("冲销")


class StipendBatchStatus(models.TextChoices):
    PREPARED = "prepared", _("待发放")
    PAID = "paid", _("已发放")
