"""Medical mutual-aid society (医疗互助会): yearly rules, membership, fees as a ledger,
subsidy applications, committee sittings, public notices and payment.

Money is Decimal yuan with 2 places. Amounts are never edited: every movement is a
LedgerEntry; totals are sums of entries.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gonghui.accounts.access import Access, ScopedQuerySet, person_condition
from gonghui.accounts.roles import Role
from gonghui.core.editions import EditionDocument, EditionPart, EditionStatus, Part, RuleEdition
from gonghui.core.models import TimeStampedModel, WorkflowEvent, actor_field, money_field, optional_link
from gonghui.mutual_aid.choices import (
    ApplicationKind,
    ApplicationStatus,
    BaseMode,
    CostBase,
    DecisionOutcome,
    FeeChannel,
    FeeLineStatus,
    FeePeriod,
    LedgerKind,
    NoticeStatus,
    PaymentBatchStatus,
    SchemeMembershipStatus,
    SubmitterRelation,
)
from gonghui.people.choices import EmploymentStatus
from gonghui.people.models import PersonScopedQuerySet

ZERO = Decimal("0.00")

# Statuses an application reaches once the union office has checked it: from here on it
# is "before the welfare committee", which may then see it with its documents.
BEFORE_COMMITTEE = [
    ApplicationStatus.OFFICE_CHECKED,
    ApplicationStatus.APPROVED,
    ApplicationStatus.ADJUSTED,
    ApplicationStatus.REJECTED,
    ApplicationStatus.ON_NOTICE,
    ApplicationStatus.ON_HOLD,
    ApplicationStatus.PAYABLE,
    ApplicationStatus.PAID,
    ApplicationStatus.CLOSED,
]


class SubsidyApplicationQuerySet(ScopedQuerySet):
    def scope(self, access: Access, action: str) -> Q | None:
        """Sub-union officers: their people's (they check and apply on their behalf).
        Welfare committee: those before it, to read. Members: their own."""
        condition = person_condition(access, "person__") or Q(pk__in=[])
        if Role.WELFARE_COMMITTEE in access.roles and action == "view":
            condition |= Q(status__in=BEFORE_COMMITTEE)
        return condition


class SchemeEditionQuerySet(ScopedQuerySet):
    def scope(self, access: Access, action: str) -> Q | None:
        """Holders of view_schemeedition read every edition, drafts included; anyone else (a
        member reading the 管理办法) the adopted ones. Changes: the office only."""
        if action != "view":
            return None
        if "mutual_aid.view_schemeedition" in access.permissions:
            return Q()
        return Q(status=EditionStatus.ADOPTED)


ELIGIBLE_STATUSES_SCHEMA = {"type": "array", "items": {"type": "string", "enum": EmploymentStatus.values}}


class SchemeEdition(RuleEdition):
    """The scheme's rules (管理办法) for one year: a core rule edition (draft → adopted →
    superseded; adopted editions are immutable, a change is a new edition). An application
    is computed under the edition of its cost year."""

    year = models.PositiveSmallIntegerField(_("年度"))
    name = models.CharField(_("名称"), max_length=200)

    # Who may join
    eligible_statuses = models.JSONField(_("可参加的人员状态"), default=list, help_text=_("如在职、离退休"))
    eligible_categories = models.ManyToManyField(
        "people.EmploymentCategory",
        verbose_name=_("可参加的人员类别"),
        blank=True,
        help_text=_("不选表示所有类别"),
    )
    join_window_start = models.DateField(_("入会开始"))
    join_window_end = models.DateField(_("入会截止"))
    application_window_start = models.DateField(_("补助申请开始"))
    application_window_end = models.DateField(_("补助申请截止"))

    # Fees
    fee_period = models.CharField(_("缴费方式"), max_length=8, choices=FeePeriod.choices, default=FeePeriod.YEAR)
    fee_active = money_field(_("在职会费"), validators=[MinValueValidator(ZERO)])
    fee_retired = money_field(_("离退休会费"), validators=[MinValueValidator(ZERO)])
    late_join_back_pay = models.BooleanField(_("窗口外入会须补缴"), default=True)
    waiting_months = models.PositiveSmallIntegerField(_("等待期（月）"), default=0)

    # Subsidy formula
    base_mode = models.CharField(_("计算基数"), max_length=32, choices=BaseMode.choices, default=BaseMode.SINGLE)
    annual_cap = money_field(_("年度封顶"), null=True, blank=True)
    lifetime_cap = money_field(_("累计封顶"), null=True, blank=True)
    pro_rata_mode = models.BooleanField(_("以收定支（按比例分配）"), default=False)

    notice_days = models.PositiveSmallIntegerField(_("公示期（天）"), default=7)
    query_days = models.PositiveSmallIntegerField(_("查询期（天）"), default=15)

    objects = SchemeEditionQuerySet.as_manager()

    document = EditionDocument(
        module="mutual_aid",
        key=("year",),
        fields=(
            "year",
            "name",
            "eligible_statuses",
            "join_window_start",
            "join_window_end",
            "application_window_start",
            "application_window_end",
            "fee_period",
            "fee_active",
            "fee_retired",
            "late_join_back_pay",
            "waiting_months",
            "base_mode",
            "annual_cap",
            "lifetime_cap",
            "pro_rata_mode",
            "notice_days",
            "query_days",
        ),
        parts=(
            Part("rules", ("base", "deductible"), parts=(Part("bands", ("lower", "upper", "rate")),)),
            Part("diseases", ("code", "name")),
            Part("required_documents", ("kind", "name", "required")),
        ),
        m2m={"eligible_categories": "name"},
        json_schemas={"eligible_statuses": ELIGIBLE_STATUSES_SCHEMA},
    )

    class Meta:
        verbose_name = _("管理办法（年度）")
        verbose_name_plural = _("管理办法（年度）")
        ordering = ["-year", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["year"], condition=Q(status="adopted"), name="one_adopted_edition_per_year")
        ]
        permissions = [
            ("adopt_schemeedition", _("通过管理办法")),
        ]

    def __str__(self):
        return f"{self.year} {self.name}"

    def adoption_problems(self) -> list[str]:
        from gonghui.mutual_aid.services.editions import edition_adoption_problems

        return edition_adoption_problems(self)


class SubsidyRule(EditionPart):
    """Deductible and bands for one cost base of an edition (one rule per base)."""

    edition = models.ForeignKey(
        SchemeEdition, verbose_name=_("管理办法"), on_delete=models.CASCADE, related_name="rules"
    )
    base = models.CharField(_("基数"), max_length=16, choices=CostBase.choices, default=CostBase.ALL)
    deductible = money_field(_("起付线"), validators=[MinValueValidator(ZERO)])

    class Meta:
        verbose_name = _("补助规则")
        verbose_name_plural = _("补助规则")
        constraints = [models.UniqueConstraint(fields=["edition", "base"], name="one_rule_per_base")]

    def __str__(self):
        return f"{self.edition} · {self.get_base_display()}"


class SubsidyBand(EditionPart):
    """Part of the cost between `lower` and `upper` (absolute amounts, from the first yuan
    above the deductible up to `upper`; null upper = no limit) is paid at `rate`."""

    edition_path = "rule__edition"

    rule = models.ForeignKey(SubsidyRule, verbose_name=_("补助规则"), on_delete=models.CASCADE, related_name="bands")
    lower = money_field(_("下限"))
    upper = money_field(_("上限"), null=True, blank=True)
    rate = models.DecimalField(_("比例"), max_digits=5, decimal_places=4)

    class Meta:
        verbose_name = _("分段")
        verbose_name_plural = _("分段")
        ordering = ["lower"]

    def __str__(self):
        return f"{self.lower}–{self.upper or '∞'} × {self.rate}"


class DiseaseCategory(EditionPart):
    """The covered disease catalogue (病种目录) of an edition."""

    edition = models.ForeignKey(
        SchemeEdition, verbose_name=_("管理办法"), on_delete=models.CASCADE, related_name="diseases"
    )
    code = models.CharField(_("代码"), max_length=32)
    name = models.CharField(_("病种"), max_length=100)

    class Meta:
        verbose_name = _("病种")
        verbose_name_plural = _("病种目录")
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["edition", "code"], name="unique_disease_code")]

    def __str__(self):
        return self.name


class RequiredDocument(EditionPart):
    """A document an application of `kind` must carry under an edition."""

    edition = models.ForeignKey(
        SchemeEdition, verbose_name=_("管理办法"), on_delete=models.CASCADE, related_name="required_documents"
    )
    kind = models.CharField(_("申请类型"), max_length=16, choices=ApplicationKind.choices)
    name = models.CharField(_("材料"), max_length=100)
    required = models.BooleanField(_("必交"), default=True)

    class Meta:
        verbose_name = _("申请材料")
        verbose_name_plural = _("申请材料")
        ordering = ["kind", "id"]

    def __str__(self):
        return self.name


class SchemeMembership(TimeStampedModel):
    """A person's membership of the society. It carries over year to year until the member
    opts out (with a reason) or it lapses (a failed deduction, per the edition)."""

    person = models.OneToOneField(
        "people.Person", verbose_name=_("人员"), on_delete=models.PROTECT, related_name="mutual_aid_membership"
    )
    joined_on = models.DateField(_("入会日期"))
    eligible_from = models.DateField(_("享受补助起始日"), help_text=_("等待期满的日期"))
    back_pay_due = money_field(_("应补缴"), default=ZERO)
    fee_channel = models.CharField(_("缴费渠道"), max_length=8, choices=FeeChannel.choices, default=FeeChannel.PAYROLL)
    status = models.CharField(
        _("状态"), max_length=16, choices=SchemeMembershipStatus.choices, default=SchemeMembershipStatus.ACTIVE
    )
    ended_on = models.DateField(_("退出日期"), null=True, blank=True)
    end_reason = models.CharField(_("退出原因"), max_length=200, blank=True)
    enrolled_by = actor_field(_("办理人"), blank=True)

    objects = PersonScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("互助会会员")
        verbose_name_plural = _("互助会会员")

    def __str__(self):
        return f"{self.person} · {self.get_status_display()}"


class FeeRun(TimeStampedModel):
    """The year's fee run: one FeeLine per member; running it again adds only the missing."""

    year = models.PositiveSmallIntegerField(_("年度"))
    edition = models.ForeignKey(SchemeEdition, verbose_name=_("管理办法"), on_delete=models.PROTECT, related_name="+")
    created_by = actor_field(_("操作人"), blank=True)
    job = models.ForeignKey("core.Job", verbose_name=_("任务"), null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        verbose_name = _("会费批次")
        verbose_name_plural = _("会费批次")
        ordering = ["-year", "-id"]

    def __str__(self):
        return f"{self.year}"


class FeeLine(TimeStampedModel):
    """What one member owes for one year, and what became of it."""

    year = models.PositiveSmallIntegerField(_("年度"))
    run = models.ForeignKey(FeeRun, verbose_name=_("批次"), on_delete=models.PROTECT, related_name="lines")
    person = models.ForeignKey("people.Person", verbose_name=_("人员"), on_delete=models.PROTECT, related_name="+")
    amount = money_field(_("金额"))
    channel = models.CharField(_("缴费渠道"), max_length=8, choices=FeeChannel.choices)
    status = models.CharField(_("状态"), max_length=16, choices=FeeLineStatus.choices, default=FeeLineStatus.CHARGED)
    failure_reason = models.CharField(_("失败原因"), max_length=200, blank=True)

    objects = PersonScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("会费明细")
        verbose_name_plural = _("会费明细")
        constraints = [models.UniqueConstraint(fields=["year", "person"], name="one_fee_line_per_person_year")]

    def __str__(self):
        return f"{self.year} {self.person} {self.amount}"


class LedgerEntry(models.Model):
    """One movement of money. Never edited or deleted; corrections are new entries.

    Sign convention: a member's balance for a year = sum(amount); charges are negative
    (the member owes), deductions and receipts positive, refunds negative. Subsidy entries
    record the union's liability (positive) and its payment (negative)."""

    at = models.DateTimeField(_("时间"), auto_now_add=True)
    year = models.PositiveSmallIntegerField(_("年度"))
    person = models.ForeignKey("people.Person", verbose_name=_("人员"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("类型"), max_length=16, choices=LedgerKind.choices)
    amount = money_field(_("金额"))
    fee_line = optional_link(FeeLine, related_name="entries")
    application = optional_link("SubsidyApplication", related_name="entries")
    memo = models.CharField(_("说明"), max_length=200, blank=True)
    created_by = actor_field(_("记账人"), blank=True)

    objects = PersonScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("账目")
        verbose_name_plural = _("账目")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["year", "kind"])]
        constraints = [
            # A fee line is charged once: this is what makes the fee run idempotent.
            models.UniqueConstraint(fields=["fee_line"], condition=Q(kind="charge"), name="one_charge_per_fee_line"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount}"


class SubsidyApplication(TimeStampedModel):
    """An application for a subsidy on one year's medical costs (the cost year)."""

    person = models.ForeignKey(
        "people.Person", verbose_name=_("申请人"), on_delete=models.PROTECT, related_name="mutual_aid_applications"
    )
    cost_year = models.PositiveSmallIntegerField(_("费用年度"))
    edition = models.ForeignKey(SchemeEdition, verbose_name=_("管理办法"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("申请类型"), max_length=16, choices=ApplicationKind.choices)
    disease_category = optional_link(DiseaseCategory, _("病种"))
    status = models.CharField(
        _("状态"), max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT
    )
    submitted_by = actor_field(_("提交人"), blank=True)
    submitter_relation = models.CharField(
        _("提交方式"), max_length=16, choices=SubmitterRelation.choices, default=SubmitterRelation.SELF
    )
    relative_name = models.CharField(_("代办亲属"), max_length=50, blank=True)
    relative_phone = models.CharField(_("亲属电话"), max_length=20, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    computed_subsidy = money_field(_("测算补助"), default=ZERO)
    working = models.JSONField(_("计算过程"), default=dict, blank=True)
    approved_amount = money_field(_("核定补助"), null=True, blank=True)
    return_message = models.TextField(_("退回说明"), blank=True)

    objects = SubsidyApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("补助申请")
        verbose_name_plural = _("补助申请")
        ordering = ["-cost_year", "-id"]
        permissions = [
            ("check_subsidyapplication", _("审核补助申请")),
            ("decide_subsidyapplication", _("评议补助申请")),
            ("office_check_subsidyapplication", _("校工会审核补助申请")),
            ("pay_subsidyapplication", _("发放补助")),
        ]

    def __str__(self):
        return f"{self.cost_year} {self.person} {self.get_status_display()}"


class CostItem(models.Model):
    """One bill: its total and how it was paid. out_of_pocket = total − insurance − second
    reimbursement is checked, not trusted."""

    application = models.ForeignKey(SubsidyApplication, on_delete=models.CASCADE, related_name="cost_items")
    incurred_on = models.DateField(_("就诊日期"))
    hospital = models.CharField(_("医院"), max_length=100)
    bill_no = models.CharField(_("票据号"), max_length=64)
    inpatient = models.BooleanField(_("住院"), default=True)
    covered = models.BooleanField(_("目录内"), default=True)
    total = money_field(_("总费用"))
    paid_by_insurance = money_field(_("统筹/公费支付"), default=ZERO)
    second_reimbursement = money_field(_("二次报销"), default=ZERO)
    out_of_pocket = money_field(_("个人自付"))

    class Meta:
        verbose_name = _("费用明细")
        verbose_name_plural = _("费用明细")
        ordering = ["incurred_on", "id"]

    def __str__(self):
        return f"{self.incurred_on} {self.hospital} {self.out_of_pocket}"


class ApplicationDocument(models.Model):
    """A document (photo or PDF) attached to an application, for one required document."""

    application = models.ForeignKey(SubsidyApplication, on_delete=models.CASCADE, related_name="documents")
    required_document = optional_link(RequiredDocument, _("材料"))
    attachment = models.ForeignKey("attachments.Attachment", on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("申请材料")
        verbose_name_plural = _("申请材料")

    def __str__(self):
        return f"{self.application_id} · {self.required_document or self.attachment_id}"


class ApplicationEvent(WorkflowEvent):
    """One step of an application (its timeline): the core workflow event shape."""

    subject = models.ForeignKey(SubsidyApplication, on_delete=models.PROTECT, related_name="events")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")


class CommitteeSitting(TimeStampedModel):
    """A welfare-committee sitting that decides a list of applications."""

    year = models.PositiveSmallIntegerField(_("费用年度"))
    held_on = models.DateField(_("会议日期"))
    place = models.CharField(_("地点"), max_length=100, blank=True)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("出席委员"), related_name="+")
    minutes = models.TextField(_("会议纪要"), blank=True)
    fund_amount = money_field(_("可分配资金"), null=True, blank=True, help_text=_("以收定支时填写"))
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    created_by = actor_field(_("记录人"), blank=True)

    class Meta:
        verbose_name = _("福利委员会会议")
        verbose_name_plural = _("福利委员会会议")
        ordering = ["-held_on"]

    def __str__(self):
        return f"{self.held_on:%Y-%m-%d}"


class Decision(models.Model):
    """The committee's decision on one application, with its inputs kept for replay."""

    sitting = models.ForeignKey(
        CommitteeSitting, verbose_name=_("会议"), on_delete=models.PROTECT, related_name="decisions"
    )
    application = models.OneToOneField(
        SubsidyApplication, verbose_name=_("申请"), on_delete=models.PROTECT, related_name="decision"
    )
    outcome = models.CharField(_("结论"), max_length=16, choices=DecisionOutcome.choices)
    amount = money_field(_("核定金额"))
    reason = models.TextField(_("理由"), blank=True)
    decided_by = actor_field(_("记录人"))
    decided_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("评议结论")
        verbose_name_plural = _("评议结论")

    def __str__(self):
        return f"{self.application_id}: {self.get_outcome_display()} {self.amount}"


class PublicNotice(TimeStampedModel):
    """The public notice (公示) of a sitting's approved list: masked names, no IDs, no diagnoses."""

    sitting = models.OneToOneField(
        CommitteeSitting, verbose_name=_("会议"), on_delete=models.PROTECT, related_name="notice"
    )
    starts_on = models.DateField(_("公示开始"))
    ends_on = models.DateField(_("公示结束"))
    status = models.CharField(_("状态"), max_length=16, choices=NoticeStatus.choices, default=NoticeStatus.POSTED)
    posted_by = actor_field(_("发布人"))

    objects = ScopedQuerySet.as_manager()  # the office changes notices (the members read them on the portal)

    class Meta:
        verbose_name = _("公示")
        verbose_name_plural = _("公示")
        ordering = ["-starts_on"]


class NoticeObjection(TimeStampedModel):
    """An objection raised during a notice; it puts the application on hold."""

    notice = models.ForeignKey(
        PublicNotice, verbose_name=_("公示"), on_delete=models.PROTECT, related_name="objections"
    )
    application = models.ForeignKey(
        SubsidyApplication, verbose_name=_("申请"), on_delete=models.PROTECT, related_name="+"
    )
    received_on = models.DateField(_("收到日期"))
    content = models.TextField(_("异议内容"))
    recorded_by = actor_field(_("记录人"))
    resolution = models.TextField(_("处理结果"), blank=True)
    resolved_at = models.DateTimeField(_("处理时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("异议")
        verbose_name_plural = _("异议")


class PaymentBatch(TimeStampedModel):
    """A payment list for finance; marking it paid writes the subsidy payments."""

    year = models.PositiveSmallIntegerField(_("费用年度"))
    status = models.CharField(
        _("状态"), max_length=16, choices=PaymentBatchStatus.choices, default=PaymentBatchStatus.PREPARED
    )
    applications = models.ManyToManyField(SubsidyApplication, verbose_name=_("申请"), related_name="payment_batches")
    paid_on = models.DateField(_("发放日期"), null=True, blank=True)
    created_by = actor_field(_("生成人"))

    objects = ScopedQuerySet.as_manager()  # the office and finance only

    class Meta:
        verbose_name = _("发放批次")
        verbose_name_plural = _("发放批次")
        ordering = ["-created_at"]


# --- the event tables of the other workflows (gonghui.mutual_aid.workflow) --------------------


class SchemeEditionEvent(WorkflowEvent):
    subject = models.ForeignKey(SchemeEdition, on_delete=models.PROTECT, related_name="events")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("管理办法记录")
        verbose_name_plural = _("管理办法记录")


class SchemeMembershipEvent(WorkflowEvent):
    subject = models.ForeignKey(SchemeMembership, on_delete=models.PROTECT, related_name="events")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("会籍记录")
        verbose_name_plural = _("会籍记录")


class FeeLineEvent(WorkflowEvent):
    subject = models.ForeignKey(FeeLine, on_delete=models.PROTECT, related_name="events")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("会费记录")
        verbose_name_plural = _("会费记录")


class PublicNoticeEvent(WorkflowEvent):
    subject = models.ForeignKey(PublicNotice, on_delete=models.PROTECT, related_name="events")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("公示记录")
        verbose_name_plural = _("公示记录")


class PaymentBatchEvent(WorkflowEvent):
    subject = models.ForeignKey(PaymentBatch, on_delete=models.PROTECT, related_name="events")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("发放记录")
        verbose_name_plural = _("发放记录")
