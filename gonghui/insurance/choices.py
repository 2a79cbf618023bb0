from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanKind(models.TextChoices):
    HOSPITAL_ALLOWANCE = "hospital_allowance", _("住院津贴")
    CRITICAL_ILLNESS = "critical_illness", _("重大疾病")
    FEMALE_SPECIAL = "female_special", _("女工特疾")
    OTHER = "other", _("其他")


class BenefitKind(models.TextChoices):
    LUMP_SUM = "lump_sum", _("按份一次性给付")
    DAILY = "daily", _("按天津贴")


class PremiumRule(models.TextChoices):
    """How the premium changes when someone joins or leaves during the term."""

    ANNUAL = "annual", _("按年全额（中途加入缴全额，退出不退费）")
    MONTHLY = "monthly", _("按月折算（中途加入按剩余月数，退出退未到期月数）")


class EnrollmentStatus(models.TextChoices):
    ENROLLED = "enrolled", _("已参保")
    ON_ROSTER = "on_roster", _("已报送")
    ACCEPTED = "accepted", _("已承保")
    REJECTED = "rejected", _("未承保")
    ENDED = "ended", _("已终止")


class RosterLineResult(models.TextChoices):
    PENDING = "pending", _("待回执")
    ACCEPTED = "accepted", _("承保")
    REJECTED = "rejected", _("拒保")


class ClaimStatus(models.TextChoices):
    REPORTED = "reported", _("已报案")
    DOCUMENTS_PENDING = "documents_pending", _("待补材料")
    READY = "ready", _("材料齐全")
    SUBMITTED = "submitted", _("已递交保险互助会")
    RETURNED = "returned", _("退回补材料")
    PAID = "paid", _("已赔付")
    REFUSED = "refused", _("拒赔")
    WITHDRAWN = "withdrawn", _("已撤回")


class ClaimChannel(models.TextChoices):
    OFFICE = "office", _("校工会登记")
    MEMBER = "member", _("会员自助")


class ClaimFlag(models.TextChoices):
    WAITING = "waiting", _("等待期内")
    LATE = "late", _("超过报案时限")
    NOT_ENROLLED = "not_enrolled", _("出险日未在保")
    PAID_DIFFERS = "paid_differs", _("赔付金额与测算不符")
