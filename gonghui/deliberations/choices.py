from django.db import models
from django.utils.translation import gettext_lazy as _


class DeliberationStatus(models.TextChoices):
    """The course of a draft through the congress (DOMAIN §3.5)."""

    DRAFTING = "drafting", _("起草中")
    OPEN = "open_for_opinions", _("征求意见中")
    SUMMARISING = "summarising", _("汇总意见中")
    AWAITING_RESPONSE = "awaiting_response", _("待起草单位答复")
    RESPONDED = "responded", _("已答复")
    VOTING = "voting", _("提交表决")
    ADOPTED = "adopted", _("已通过")
    REJECTED = "rejected", _("未通过")


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")


class RoundAudience(models.TextChoices):
    DELEGATES = "delegates", _("仅教代会代表")
    ALL_STAFF = "all_staff", _("全体教职工（经所在学院）")


class OpinionChannel(models.TextChoices):
    ONLINE = "online", _("网上提交")
    PAPER = "paper", _("纸质意见代录")


class AnswerStatus(models.TextChoices):
    """An opinion group's answer from the drafting unit."""

    PENDING = "pending", _("待答复")
    ADOPTED = "adopted", _("采纳")
    PARTLY = "partly_adopted", _("部分采纳")
    NOT_ADOPTED = "not_adopted", _("不采纳")


ANSWERED = frozenset({AnswerStatus.ADOPTED, AnswerStatus.PARTLY, AnswerStatus.NOT_ADOPTED})


class VoteMethod(models.TextChoices):
    SHOW_OF_HANDS = "show_of_hands", _("举手表决")
    SECRET_BALLOT = "secret_ballot", _("无记名投票")


class MajorityBase(models.TextChoices):
    ALL_DELEGATES = "all_delegates", _("全体代表")
    PRESENT = "present", _("出席代表")
