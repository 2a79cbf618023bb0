from django.db import models
from django.utils.translation import gettext_lazy as _

from gonghui.core.editions import EditionStatus  # noqa: F401  (the editions' statuses are core's)


class FeePeriod(models.TextChoices):
    YEAR = "year", _("按年")
    MONTH = "month", _("按月")


class CostBase(models.TextChoices):
    """Which part of the out-of-pocket cost a subsidy rule applies to."""

    ALL = "all", _("全部自付费用")
    INPATIENT = "inpatient", _("住院")
    OUTPATIENT = "outpatient", _("门诊")
    COVERED = "covered", _("目录内")
    NON_COVERED = "non_covered", _("目录外")


class BaseMode(models.TextChoices):
    SINGLE = "single", _("合并计算")
    INPATIENT_OUTPATIENT = "inpatient_outpatient", _("住院、门诊分别计算")
    COVERED_NON_COVERED = "covered_non_covered", _("目录内、目录外分别计算")


BASES_BY_MODE: dict[str, list[str]] = {
    BaseMode.SINGLE: [CostBase.ALL],
    BaseMode.INPATIENT_OUTPATIENT: [CostBase.INPATIENT, CostBase.OUTPATIENT],
    BaseMode.COVERED_NON_COVERED: [CostBase.COVERED, CostBase.NON_COVERED],
}


class ApplicationKind(models.TextChoices):
    INPATIENT = "inpatient", _("住院")
    OUTPATIENT = "outpatient", _("门诊（特殊病种）")


class SchemeMembershipStatus(models.TextChoices):
    ACTIVE = "active", _("在册")
    OPTED_OUT = "opted_out", _("已退出")
    LAPSED = "lapsed", _("已中止")


class FeeChannel(models.TextChoices):
    PAYROLL = "payroll", _("工资代扣")
    MANUAL = "manual", _("现场缴纳")


class FeeLineStatus(models.TextChoices):
    CHARGED = "charged", _("待扣款")
    DEDUCTED = "deducted", _("已扣款")
    FAILED = "failed", _("扣款失败")
    PAID_MANUALLY = "paid_manually", _("已现场缴纳")


class LedgerKind(models.TextChoices):
    CHARGE = "charge", _("应缴会费")
    DEDUCTION = "deduction", _("工资代扣")
    RECEIPT = "receipt", _("现场收款")
    REFUND = "refund", _("退费")
    CORRECTION = "correction", _("更正")
    SUBSIDY = "subsidy", _("补助核定")
    SUBSIDY_PAYMENT = "subsidy_payment", _("补助发放")


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    SUB_UNION_CHECKED = "sub_union_checked", _("分工会已审核")
    RETURNED = "returned", _("退回补充材料")
    OFFICE_CHECKED = "office_checked", _("校工会已审核")
    APPROVED = "approved", _("已批准")
    ADJUSTED = "adjusted", _("调整后批准")
    REJECTED = "rejected", _("未批准")
    ON_NOTICE = "on_notice", _("公示中")
    ON_HOLD = "on_hold", _("有异议暂缓")
    PAYABLE = "payable", _("待发放")
    PAID = "paid", _("已发放")
    CLOSED = "closed", _("已办结")
    WITHDRAWN = "withdrawn", _("已撤回")


class SubmitterRelation(models.TextChoices):
    SELF = "self", _("本人")
    PROXY = "proxy", _("分工会或离退休处代办")
    RELATIVE = "relative", _("亲属代办")


class DecisionOutcome(models.TextChoices):
    APPROVED = "approved", _("批准")
    ADJUSTED = "adjusted", _("调整")
    REJECTED = "rejected", _("不予补助")


class NoticeStatus(models.TextChoices):
    POSTED = "posted", _("公示中")
    ENDED = "ended", _("公示结束")


class PaymentBatchStatus(models.TextChoices):
    PREPARED = "prepared", _("已生成")
    PAID = "paid", _("已发放")
