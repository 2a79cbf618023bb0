"""Group insurance with the Workers' Insurance Mutual (中国职工保险互助会, DOMAIN §3.2).

Plans (住院津贴, 重大疾病, 女工特疾 …) have dated editions holding every rule value; a
yearly enrollment run insures everyone eligible on the edition's start date; the office
files rosters with the insurer and mirrors its acceptance file; claims are forwarded and
the insurer's decisions mirrored. Money is Decimal yuan with 2 places; a premium change
during the term is a PremiumAdjustment row, never an edited premium.
"""

import calendar
import datetime
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gonghui.accounts.access import Access, ScopedQuerySet
from gonghui.accounts.roles import Role
from gonghui.core.editions import EditionDocument, EditionStatus, RuleEdition
from gonghui.core.exceptions import ApplicationError
from gonghui.core.models import TimeStampedModel, WorkflowEvent, actor_field, money_field, optional_link
from gonghui.insurance.choices import (
    ClaimChannel,
    ClaimStatus,
    EnrollmentStatus,
    PlanKind,
    PremiumRule,
    RosterLineResult,
)
from gonghui.insurance.schemas import EDITION_FIELDS, EDITION_JSON_SCHEMAS
from gonghui.people.models import PersonScopedQuerySet

ZERO = Decimal("0.00")


def add_months(day: datetime.date, months: int) -> datetime.date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


class BackOfficeQuerySet(ScopedQuerySet):
    """Rules and runs: office, administrators and auditors see all; sub-union officers read."""

    def scope(self, access: Access, action: str) -> Q | None:
        return Q() if action == "view" and Role.SUB_UNION_OFFICER in access.roles else None


class Plan(models.Model):
    """A mutual-protection plan (互助保障计划) the insurer offers, e.g. 女工特疾."""

    code = models.CharField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=32, choices=PlanKind.choices, default=PlanKind.OTHER)
    insurer = models.CharField(_("承保机构"), max_length=100, default="中国职工保险互助会北京办事处")
    sort_order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    objects = BackOfficeQuerySet.as_manager()

    class Meta:
        verbose_name = _("保障计划")
        verbose_name_plural = _("保障计划")
        ordering = ["sort_order", "code"]

    def __str__(self):
        return self.name


class PlanEdition(RuleEdition):
    """A plan's rules for one term (a year, or several years with one start date): a core
    rule edition (draft → adopted with the date and the act → superseded), immutable once
    adopted (gonghui.core.editions).

    Every value is data here (DOMAIN §4.1). JSON rule fields, each with its JSON Schema in
    `schemas.py` (the document of `rules_export` and the checks of `edition_validate`):

    - ``waiting_schedule``: ``[{"from_day": 1, "share": "0"}, {"from_day": 31, "share": "1"}]``:
      day of cover → share of the benefit (graduated; the last row whose ``from_day`` ≤ the
      day applies), and at most ``max_per_share`` per share when a row says so.
    - ``benefits``: ``[{"code", "name", "kind": "lump_sum"|"daily", "amount" (per share, lump
      sum), "bands": [{"from_day", "to_day"|null, "per_day"}] (per share, daily), "cap"
      (yearly, per share, or null)}]``.
    - ``required_documents``: ``["诊断证明", "出院小结", …]``.
    """

    plan = models.ForeignKey(Plan, verbose_name=_("保障计划"), on_delete=models.PROTECT, related_name="editions")
    name = models.CharField(_("名称"), max_length=200)

    start_date = models.DateField(_("保障起始日"))
    term_months = models.PositiveSmallIntegerField(_("保障期（月）"), default=12)
    price_per_share = money_field(_("每份保费"))
    min_shares = models.PositiveSmallIntegerField(_("最少份数"), default=1)
    max_shares = models.PositiveSmallIntegerField(_("最多份数"), default=1)
    default_shares = models.PositiveSmallIntegerField(_("默认份数"), default=1)
    same_shares_per_unit = models.BooleanField(_("全单位统一份数"), default=True)

    eligible_genders = models.JSONField(
        _("适用性别"), default=list, blank=True, help_text=_("不选表示不限（如女工特疾只选女）")
    )
    min_age = models.PositiveSmallIntegerField(_("最低年龄（含）"), null=True, blank=True)
    max_age_male = models.PositiveSmallIntegerField(_("男性年龄上限（不含）"), null=True, blank=True)
    max_age_female = models.PositiveSmallIntegerField(_("女性年龄上限（不含）"), null=True, blank=True)
    eligible_statuses = models.JSONField(_("适用人员状态"), default=list, blank=True)
    eligible_categories = models.ManyToManyField(
        "people.EmploymentCategory", verbose_name=_("适用人员类别"), blank=True, help_text=_("不选表示所有类别")
    )
    min_participation_rate = models.DecimalField(
        _("最低参保率"), max_digits=5, decimal_places=4, default=Decimal("0.8000")
    )

    waiting_schedule = models.JSONField(_("等待期（分级）"), default=list, blank=True)
    benefits = models.JSONField(_("给付标准"), default=list, blank=True)
    exclusions = models.TextField(_("责任免除"), blank=True)
    claim_deadline_days = models.PositiveSmallIntegerField(_("报案时限（天）"), default=30)
    required_documents = models.JSONField(_("理赔材料"), default=list, blank=True)

    premium_rule = models.CharField(
        _("保费调整规则"), max_length=16, choices=PremiumRule.choices, default=PremiumRule.ANNUAL
    )
    member_share_rate = models.DecimalField(
        _("个人负担比例"),
        max_digits=5,
        decimal_places=4,
        default=Decimal("0"),
        help_text=_("0 表示全部由工会支付"),
    )

    objects = BackOfficeQuerySet.as_manager()

    document = EditionDocument(
        module="insurance",
        key=("plan", "start_date"),
        fields=EDITION_FIELDS,
        m2m={"eligible_categories": "name"},
        json_schemas=EDITION_JSON_SCHEMAS,
        parent="plan",
        parent_key="code",
        year_lookup="start_date__year",
    )

    class Meta:
        verbose_name = _("保障计划版本")
        verbose_name_plural = _("保障计划版本")
        ordering = ["-start_date", "plan__sort_order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "start_date"], condition=Q(status="adopted"), name="insurance_one_adopted_per_start"
            )
        ]
        permissions = [
            ("adopt_planedition", _("采用保障计划版本")),
            ("enroll_planedition", _("办理团体参保")),
        ]

    def __str__(self):
        return f"{self.plan.name} {self.start_date:%Y-%m-%d}"

    @property
    def end_date(self) -> datetime.date:
        """The last day of cover."""
        return add_months(self.start_date, self.term_months) - datetime.timedelta(days=1)

    @property
    def is_adopted(self) -> bool:
        return self.status == EditionStatus.ADOPTED

    def clean(self):
        """The module's checks of every rule value (also run by core when a document is read)."""
        from gonghui.insurance.services.editions import edition_validate

        try:
            edition_validate(self)
        except ApplicationError as error:
            field = error.extra.get("field") or NON_FIELD_ERRORS
            raise ValidationError({field: [str(error.message)]}) from None

    def adoption_problems(self) -> list[str]:
        try:
            self.clean()
        except ValidationError as error:
            return [message for messages in error.message_dict.values() for message in messages]
        return []

    def supersede_problem(self) -> str:
        """An edition people are insured under keeps its rules: a change is a new start date."""
        if self.enrollments.exists():
            return _("%(edition)s 已有参保记录，不能被取代；请为新的保障起始日起草版本。") % {"edition": self}
        return ""


class PlanEditionEvent(WorkflowEvent):
    subject = models.ForeignKey(PlanEdition, on_delete=models.PROTECT, related_name="events")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("保障计划版本记录")
        verbose_name_plural = _("保障计划版本记录")


class EnrollmentRun(models.Model):
    """One press of "run enrollment" for an edition, with what it found. Running again
    enrolls nobody twice (PlanEnrollment is unique per edition and person)."""

    edition = models.ForeignKey(
        PlanEdition, verbose_name=_("保障计划版本"), on_delete=models.PROTECT, related_name="runs"
    )
    started_by = actor_field(_("操作人"), blank=True)
    started_at = models.DateTimeField(_("时间"), auto_now_add=True)
    eligible = models.PositiveIntegerField(_("符合条件"), default=0)
    opted_out = models.PositiveIntegerField(_("声明不参保"), default=0)
    created = models.PositiveIntegerField(_("本次新增"), default=0)
    already = models.PositiveIntegerField(_("此前已参保"), default=0)

    objects = BackOfficeQuerySet.as_manager()

    class Meta:
        verbose_name = _("参保批次")
        verbose_name_plural = _("参保批次")
        ordering = ["-started_at", "-id"]

    def __str__(self):
        return f"{self.edition} · {self.started_at:%Y-%m-%d %H:%M}"


class OptOut(models.Model):
    """A member's recorded wish not to be insured under an edition."""

    edition = models.ForeignKey(
        PlanEdition, verbose_name=_("保障计划版本"), on_delete=models.PROTECT, related_name="opt_outs"
    )
    person = models.ForeignKey("people.Person", verbose_name=_("人员"), on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("原因"), max_length=200)
    recorded_by = actor_field(_("登记人"), blank=True)
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = PersonScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("不参保声明")
        verbose_name_plural = _("不参保声明")
        constraints = [models.UniqueConstraint(fields=["edition", "person"], name="insurance_one_opt_out")]

    def __str__(self):
        return f"{self.person} · {self.edition}"


class PlanEnrollment(models.Model):
    """One person insured under one edition. `premium` is what was charged when cover
    began; later changes are PremiumAdjustment rows. `sub_union` is the person's sub-union
    when enrolled, for the figures."""

    edition = models.ForeignKey(
        PlanEdition, verbose_name=_("保障计划版本"), on_delete=models.PROTECT, related_name="enrollments"
    )
    person = models.ForeignKey(
        "people.Person", verbose_name=_("人员"), on_delete=models.PROTECT, related_name="plan_enrollments"
    )
    sub_union = models.ForeignKey(
        "people.SubUnion", verbose_name=_("分工会"), on_delete=models.PROTECT, related_name="+"
    )
    run = optional_link(EnrollmentRun, _("参保批次"), on_delete=models.SET_NULL)
    shares = models.PositiveSmallIntegerField(_("份数"))
    premium = money_field(_("保费"))
    member_share = money_field(_("个人负担"), default=ZERO)
    status = models.CharField(
        _("状态"), max_length=16, choices=EnrollmentStatus.choices, default=EnrollmentStatus.ENROLLED
    )
    starts_on = models.DateField(_("保障开始"))
    ends_on = models.DateField(_("保障结束"))
    added_during_term = models.BooleanField(_("期中加入"), default=False)
    ended_reason = models.CharField(_("终止原因"), max_length=200, blank=True)
    rejection_reason = models.CharField(_("拒保原因"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = PersonScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("参保记录")
        verbose_name_plural = _("参保记录")
        ordering = ["edition", "person__name_pinyin"]
        constraints = [models.UniqueConstraint(fields=["edition", "person"], name="insurance_one_enrollment")]
        indexes = [models.Index(fields=["edition", "status"], name="insurance_enr_edition_status")]

    def __str__(self):
        return f"{self.person} · {self.edition.plan}"

    @property
    def union_share(self) -> Decimal:
        return self.premium - self.member_share


class PlanEnrollmentEvent(WorkflowEvent):
    """Every step of an enrollment: filed, the insurer's answer (and its correction), ended."""

    subject = models.ForeignKey(PlanEnrollment, on_delete=models.PROTECT, related_name="events")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("参保记录变动")
        verbose_name_plural = _("参保记录变动")


class PremiumAdjustment(models.Model):
    """A change to an enrollment's premium during the term (refund on leaving, …),
    computed by the edition's premium rule. Negative amounts are refunds."""

    enrollment = models.ForeignKey(
        PlanEnrollment, verbose_name=_("参保记录"), on_delete=models.PROTECT, related_name="adjustments"
    )
    amount = money_field(_("金额"))
    on = models.DateField(_("日期"))
    reason = models.CharField(_("原因"), max_length=200)
    created_by = actor_field(_("操作人"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("保费调整")
        verbose_name_plural = _("保费调整")
        ordering = ["on", "id"]

    def __str__(self):
        return f"{self.enrollment} {self.amount}"


class RosterExport(models.Model):
    """A roster filed with the insurer (参保名单), one version per filing."""

    edition = models.ForeignKey(
        PlanEdition, verbose_name=_("保障计划版本"), on_delete=models.PROTECT, related_name="rosters"
    )
    version = models.PositiveSmallIntegerField(_("版本"))
    created_by = actor_field(_("导出人"), blank=True)
    created_at = models.DateTimeField(_("导出时间"), auto_now_add=True)
    sent_on = models.DateField(_("报送日期"), null=True, blank=True)
    result_imported_at = models.DateTimeField(_("回执导入时间"), null=True, blank=True)

    objects = BackOfficeQuerySet.as_manager()

    class Meta:
        verbose_name = _("参保名单")
        verbose_name_plural = _("参保名单")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["edition", "version"], name="insurance_roster_version")]

    def __str__(self):
        return f"{self.edition.plan} v{self.version}"


class RosterLine(models.Model):
    """One person on a roster, and the insurer's answer for them."""

    roster = models.ForeignKey(RosterExport, verbose_name=_("参保名单"), on_delete=models.CASCADE, related_name="lines")
    enrollment = models.ForeignKey(
        PlanEnrollment, verbose_name=_("参保记录"), on_delete=models.PROTECT, related_name="+"
    )
    seq = models.PositiveIntegerField(_("序号"))
    result = models.CharField(
        _("结果"), max_length=16, choices=RosterLineResult.choices, default=RosterLineResult.PENDING
    )
    reason = models.CharField(_("原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("名单行")
        verbose_name_plural = _("名单行")
        ordering = ["roster", "seq"]
        constraints = [models.UniqueConstraint(fields=["roster", "enrollment"], name="insurance_roster_line_once")]

    def __str__(self):
        return f"{self.roster} #{self.seq}"


class PlanClaim(TimeStampedModel):
    """A claim (出险理赔) the union forwards to the insurer, who decides it.

    `expected_benefit` is computed from the edition's benefit table and waiting schedule;
    `flags` lists ClaimFlag values (flags, not blocks)."""

    person = models.ForeignKey(
        "people.Person", verbose_name=_("人员"), on_delete=models.PROTECT, related_name="plan_claims"
    )
    edition = models.ForeignKey(
        PlanEdition, verbose_name=_("保障计划版本"), on_delete=models.PROTECT, related_name="claims"
    )
    enrollment = models.ForeignKey(
        PlanEnrollment, verbose_name=_("参保记录"), on_delete=models.PROTECT, related_name="claims"
    )
    status = models.CharField(_("状态"), max_length=24, choices=ClaimStatus.choices, default=ClaimStatus.REPORTED)
    channel = models.CharField(_("来源"), max_length=16, choices=ClaimChannel.choices, default=ClaimChannel.OFFICE)
    benefit_code = models.CharField(_("给付项目"), max_length=32)
    diagnosis = models.CharField(_("诊断"), max_length=200)
    event_date = models.DateField(_("出险日期"))
    admission_date = models.DateField(_("入院日期"), null=True, blank=True)
    discharge_date = models.DateField(_("出院日期"), null=True, blank=True)
    reported_on = models.DateField(_("报案日期"))
    submitted_on = models.DateField(_("递交日期"), null=True, blank=True)
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    paid_amount = money_field(_("赔付金额"), null=True, blank=True)
    decision_note = models.CharField(_("决定说明"), max_length=300, blank=True)
    payout_account = models.CharField(_("收款账户"), max_length=64, blank=True)
    expected_benefit = money_field(_("测算给付"), default=ZERO)
    expected_working = models.JSONField(_("测算过程"), default=dict, blank=True)
    flags = models.JSONField(_("提示"), default=list, blank=True)
    reported_by = actor_field(_("登记人"), blank=True)

    objects = PersonScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("理赔")
        verbose_name_plural = _("理赔")
        ordering = ["-reported_on", "-id"]
        permissions = [("forward_planclaim", _("办理理赔"))]

    def __str__(self):
        return f"{self.person.name} · {self.edition.plan} · {self.event_date}"

    def missing_documents(self) -> list[str]:
        """The checklist items of the edition with no document uploaded yet."""
        have = set(self.documents.values_list("name", flat=True))
        return [name for name in self.edition.required_documents if name not in have]


class ClaimDocument(models.Model):
    """An uploaded document for one item of the plan's checklist."""

    claim = models.ForeignKey(PlanClaim, verbose_name=_("理赔"), on_delete=models.CASCADE, related_name="documents")
    name = models.CharField(_("材料"), max_length=100)
    attachment = models.ForeignKey(
        "attachments.Attachment", verbose_name=_("附件"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("理赔材料")
        verbose_name_plural = _("理赔材料")
        ordering = ["claim", "id"]

    def __str__(self):
        return self.name


class ClaimEvent(WorkflowEvent):
    """Every step of a claim (the core workflow's one event shape), and each document added."""

    subject = models.ForeignKey(PlanClaim, verbose_name=_("理赔"), on_delete=models.PROTECT, related_name="events")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("理赔记录")
        verbose_name_plural = _("理赔记录")
