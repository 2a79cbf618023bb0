"""Enrollment drives for voluntary schemes sold by an outside provider (e.g. 北京普惠健康保):
the drive (product, provider, phase and dates), its rules (`DriveRules`: price, policy start,
who may join, relatives, group-only coverage types, consent text: a core rule edition adopted
before registration opens), information sessions, the intent survey, registrations of staff
and their relatives, roster versions sent to the provider and its result, service points with
bookable time slots.

A drive is configuration, not code: the next drive (another insurance, a health check, a
group purchase) is a new Drive row with its own rules (DOMAIN §4.1). Every change of a
phase or a status goes through the core workflows in `gonghui.drives.workflow`, and leaves
a row in the record's event table (`events`).
"""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from gonghui.accounts.access import Access, ScopedQuerySet
from gonghui.core.crypto import decrypt_text
from gonghui.core.editions import EditionDocument, RuleEdition
from gonghui.core.models import TimeStampedModel, WorkflowEvent, actor_field, optional_link
from gonghui.drives.choices import (
    ACTIVE_BOOKING_STATUSES,
    LIVE_STATUSES,
    RELATIVE_RELATIONSHIPS,
    AnswerChannel,
    BookingStatus,
    DrivePhase,
    Intent,
    RegistrationChannel,
    RegistrationStatus,
    Relationship,
    ResultOutcome,
)
from gonghui.people.choices import CoverageType, EmploymentStatus, Gender
from gonghui.people.eligibility import Eligibility
from gonghui.people.models import PersonScopedQuerySet

DEFAULT_CONSENT = _(
    "本人同意校工会将上述报名信息（姓名、身份证号、手机号、性别、出生日期、医疗类别、关系）提供给承办机构，仅用于办理本次参保。"
)


# The dates of a drive's phases (Drive fields), in order.
PHASE_DATES = (
    "research_from",
    "info_sessions_from",
    "survey_from",
    "survey_until",
    "registration_from",
    "registration_until",
    "roster_due",
    "on_site_from",
    "on_site_until",
    "done_on",
)


class DriveQuerySet(ScopedQuerySet):
    def scope(self, access: Access, action: str) -> Q | None:
        """Everyone signed in reads drives past preparation (a drive in preparation is the
        office's draft)."""
        return ~Q(phase=DrivePhase.PREPARATION) if action == "view" else None


class Drive(TimeStampedModel):
    """One drive: the product and its provider, the phases with their dates, documents and
    contacts. What the drive admits and costs is its `rules` (DriveRules)."""

    name = models.CharField(_("名称"), max_length=100)
    product = models.CharField(_("产品"), max_length=100)
    provider = models.CharField(_("承办机构"), max_length=100)
    description = models.TextField(_("简介"), blank=True)
    # phases and their dates
    phase = models.CharField(_("阶段"), max_length=16, choices=DrivePhase.choices, default=DrivePhase.PREPARATION)
    research_from = models.DateField(_("调研开始"), null=True, blank=True)
    info_sessions_from = models.DateField(_("宣讲开始"), null=True, blank=True)
    survey_from = models.DateField(_("摸底开始"), null=True, blank=True)
    survey_until = models.DateField(_("摸底截止"), null=True, blank=True)
    registration_from = models.DateField(_("报名开始"), null=True, blank=True)
    registration_until = models.DateField(_("报名截止"), null=True, blank=True)
    roster_due = models.DateField(_("名单报送日"), null=True, blank=True)
    on_site_from = models.DateField(_("现场服务开始"), null=True, blank=True)
    on_site_until = models.DateField(_("现场服务结束"), null=True, blank=True)
    done_on = models.DateField(_("结束日"), null=True, blank=True)
    # documents and contacts
    leaflet = optional_link("attachments.Attachment", _("宣传单"), on_delete=models.SET_NULL)
    terms = optional_link("attachments.Attachment", _("保险条款"), on_delete=models.SET_NULL)
    contacts = models.TextField(_("联系人"), blank=True, help_text=_("每行一位：姓名、单位、电话"))
    created_by = actor_field(_("创建人"))

    objects = DriveQuerySet.as_manager()

    class Meta:
        verbose_name = _("参保活动")
        verbose_name_plural = _("参保活动")
        ordering = ["-id"]
        permissions = [
            ("advance_drive", _("推进参保活动阶段")),
            ("export_roster", _("导出报送名单")),
            ("import_result", _("导入承办机构结果")),
            ("remind_survey", _("催办意向摸底")),
            ("checkin_booking", _("现场签到与办理")),
        ]

    def __str__(self):
        return self.name


def _list_schema(values) -> dict:
    return {"type": "array", "items": {"type": "string", "enum": [str(v) for v in values]}}


class DriveRulesQuerySet(ScopedQuerySet):
    def scope(self, access: Access, action: str) -> Q | None:
        """Whoever reads the drive reads its rules; only the office changes them."""
        return ~Q(drive__phase=DrivePhase.PREPARATION) if action == "view" else None


class DriveRules(RuleEdition):
    """What a drive admits and costs: a core rule edition, one per drive, drafted on the
    drive's settings page and adopted (date and act) before registration opens. Once
    adopted it is immutable: registrations were checked against it."""

    drive = models.OneToOneField(Drive, verbose_name=_("参保活动"), on_delete=models.PROTECT, related_name="rules")
    price_per_person = models.DecimalField(
        _("每人价格（元）"), max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal("0.00"))]
    )
    policy_start = models.DateField(_("保障起始日"), help_text=_("年龄按此日计算"))
    # eligibility: an empty list (or no categories) means "any"
    eligible_statuses = models.JSONField(_("可参加的人员状态"), default=list, blank=True)
    eligible_categories = models.ManyToManyField(
        "people.EmploymentCategory", verbose_name=_("可参加的人员类别"), blank=True, related_name="+"
    )
    eligible_coverage_types = models.JSONField(_("可参加的医疗类别"), default=list, blank=True)
    min_age = models.PositiveSmallIntegerField(_("最低年龄"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("最高年龄"), null=True, blank=True)
    relatives_allowed = models.BooleanField(_("家属可参加"), default=False)
    relative_relationships = models.JSONField(_("可参加的家属关系"), default=list, blank=True)
    group_only_coverage_types = models.JSONField(
        _("只能团体参保的医疗类别"),
        default=list,
        blank=True,
        help_text=_("这些医疗类别的教职工只能通过学校团体参保，家属不能以此类别报名"),
    )
    consent_text = models.TextField(_("个人信息授权说明"), default=DEFAULT_CONSENT)

    objects = DriveRulesQuerySet.as_manager()

    document = EditionDocument(
        module="drives",
        key=("drive",),
        fields=(
            "price_per_person",
            "policy_start",
            "eligible_statuses",
            "eligible_coverage_types",
            "min_age",
            "max_age",
            "relatives_allowed",
            "relative_relationships",
            "group_only_coverage_types",
            "consent_text",
        ),
        m2m={"eligible_categories": "name"},
        json_schemas={
            "eligible_statuses": _list_schema(EmploymentStatus.values),
            "eligible_coverage_types": _list_schema(CoverageType.values),
            "relative_relationships": _list_schema(RELATIVE_RELATIONSHIPS),
            "group_only_coverage_types": _list_schema(CoverageType.values),
        },
        parent="drive",
        parent_key="name",
        year_lookup="policy_start__year",
    )

    class Meta:
        verbose_name = _("参保规则")
        verbose_name_plural = _("参保规则")
        ordering = ["-policy_start", "-id"]

    def __str__(self):
        return str(_("%(drive)s的参保规则") % {"drive": self.drive})

    def problems(self) -> list[str]:
        """What is inconsistent in these rules (checked when saved and when adopted)."""
        problems = []
        if self.min_age is not None and self.max_age is not None and self.min_age > self.max_age:
            problems.append(str(_("最低年龄不能高于最高年龄")))
        if self.relatives_allowed and not self.relative_relationships:
            problems.append(str(_("允许家属参加时，请选择可参加的家属关系")))
        return problems

    def adoption_problems(self) -> list[str]:
        return self.problems()

    def display_rows(self) -> list[tuple[str, str]]:
        """The rules as people read them (the drive's page and its settings page)."""

        def labels(choices, values) -> str:
            return "、".join(str(choices(v).label) if v in choices.values else str(v) for v in values) or "—"

        any_ = str(_("不限"))
        ages = (
            f"{self.min_age if self.min_age is not None else '—'} – {self.max_age if self.max_age is not None else '—'}"
        )
        categories = "、".join(c.name for c in self.eligible_categories.all()) if self.pk else ""
        return [
            (str(_("每人价格（元）")), str(self.price_per_person)),
            (str(_("保障起始日")), self.policy_start.isoformat() if self.policy_start else "—"),
            (str(_("人员状态")), labels(EmploymentStatus, self.eligible_statuses) if self.eligible_statuses else any_),
            (str(_("人员类别")), categories or any_),
            (
                str(_("医疗类别")),
                labels(CoverageType, self.eligible_coverage_types) if self.eligible_coverage_types else any_,
            ),
            (str(_("年龄")), ages),
            (
                str(_("家属")),
                labels(Relationship, self.relative_relationships) if self.relatives_allowed else str(_("不可参加")),
            ),
            (str(_("只能团体参保")), labels(CoverageType, self.group_only_coverage_types)),
            (str(_("个人信息授权说明")), self.consent_text),
        ]

    @cached_property
    def eligibility(self) -> Eligibility:
        """Who may join themselves: statuses, categories, coverage types and ages on the policy start."""
        return Eligibility(
            on=self.policy_start,
            statuses=tuple(self.eligible_statuses),
            category_ids=frozenset(self.eligible_categories.values_list("pk", flat=True)) if self.pk else frozenset(),
            coverage_types=tuple(self.eligible_coverage_types),
            min_age=self.min_age,
            max_age=self.max_age,
        )


class DriveEvent(WorkflowEvent):
    """A drive's history: every phase it moved to, who moved it, when."""

    subject = models.ForeignKey(Drive, verbose_name=_("参保活动"), on_delete=models.PROTECT, related_name="events")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("参保活动记录")
        verbose_name_plural = _("参保活动记录")


class DriveRulesEvent(WorkflowEvent):
    subject = models.ForeignKey(DriveRules, verbose_name=_("参保规则"), on_delete=models.PROTECT, related_name="events")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("参保规则记录")
        verbose_name_plural = _("参保规则记录")


class InfoSession(models.Model):
    """An information session (宣讲会) with the provider: time, place, capacity."""

    drive = models.ForeignKey(Drive, verbose_name=_("参保活动"), on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(_("主题"), max_length=100)
    starts_at = models.DateTimeField(_("时间"))
    place = models.CharField(_("地点"), max_length=100)
    capacity = models.PositiveIntegerField(_("名额"))
    signed_up = models.PositiveIntegerField(_("已报名"), default=0)

    class Meta:
        verbose_name = _("宣讲会")
        verbose_name_plural = _("宣讲会")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(signed_up__lte=models.F("capacity")), name="drives_session_not_over_capacity"
            )
        ]

    def __str__(self):
        return f"{self.title} {self.starts_at:%Y-%m-%d %H:%M}"


class SessionSignup(models.Model):
    """A person signed up for an information session; attendance recorded afterwards."""

    session = models.ForeignKey(InfoSession, verbose_name=_("宣讲会"), on_delete=models.CASCADE, related_name="signups")
    person = models.ForeignKey("people.Person", verbose_name=_("人员"), on_delete=models.CASCADE, related_name="+")
    signed_up_at = models.DateTimeField(_("报名时间"), auto_now_add=True)
    attended = models.BooleanField(_("出席"), null=True, blank=True)

    objects = PersonScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("宣讲会报名")
        verbose_name_plural = _("宣讲会报名")
        constraints = [models.UniqueConstraint(fields=["session", "person"], name="drives_one_signup_per_session")]

    def __str__(self):
        return f"{self.person_id} @ {self.session}"


class IntentAnswer(models.Model):
    """A person's answer to the intent survey: will join, won't, undecided; relatives."""

    drive = models.ForeignKey(Drive, verbose_name=_("参保活动"), on_delete=models.CASCADE, related_name="answers")
    person = models.ForeignKey("people.Person", verbose_name=_("人员"), on_delete=models.CASCADE, related_name="+")
    intent = models.CharField(_("意向"), max_length=16, choices=Intent.choices)
    relatives_count = models.PositiveSmallIntegerField(_("拟参加家属人数"), default=0)
    channel = models.CharField(_("填写方式"), max_length=16, choices=AnswerChannel.choices)
    recorded_by = actor_field(_("填写人"))
    recorded_at = models.DateTimeField(_("填写时间"), auto_now=True)

    objects = PersonScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("参保意向")
        verbose_name_plural = _("参保意向")
        constraints = [models.UniqueConstraint(fields=["drive", "person"], name="drives_one_answer_per_person")]

    def __str__(self):
        return f"{self.person_id}: {self.get_intent_display()}"


class RosterExport(models.Model):
    """One version of the roster sent to the provider: what was sent (the .xlsx, encrypted
    at rest because it holds ID numbers in clear), when, by whom, which registrations."""

    drive = models.ForeignKey(Drive, verbose_name=_("参保活动"), on_delete=models.CASCADE, related_name="rosters")
    version = models.PositiveIntegerField(_("版本"))
    created_at = models.DateTimeField(_("报送时间"), auto_now_add=True)
    created_by = actor_field(_("报送人"))
    line_count = models.PositiveIntegerField(_("人数"))
    new_count = models.PositiveIntegerField(_("本版新增"))
    file_name = models.CharField(_("文件名"), max_length=200)
    content_encrypted = models.BinaryField(_("文件（加密）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)

    class Meta:
        verbose_name = _("报送名单")
        verbose_name_plural = _("报送名单")
        ordering = ["drive", "-version"]
        constraints = [models.UniqueConstraint(fields=["drive", "version"], name="drives_one_roster_version")]

    def __str__(self):
        return f"{self.drive} v{self.version}"


class RegistrationQuerySet(PersonScopedQuerySet):
    def live(self):
        return self.filter(status__in=LIVE_STATUSES)


class DriveRegistration(TimeStampedModel):
    """A registration of a member of staff (relationship self) or of a relative, with the
    fields the provider needs. `person` is always the member of staff (for a relative: the
    one who registered them). ID numbers are encrypted at rest, matched by keyed digest."""

    drive = models.ForeignKey(Drive, verbose_name=_("参保活动"), on_delete=models.PROTECT, related_name="registrations")
    person = models.ForeignKey(
        "people.Person", verbose_name=_("教职工"), on_delete=models.PROTECT, related_name="drive_registrations"
    )
    relationship = models.CharField(_("关系"), max_length=16, choices=Relationship.choices, default=Relationship.SELF)
    name = models.CharField(_("姓名"), max_length=50)
    id_number_encrypted = models.TextField(_("身份证号（加密）"))
    id_number_digest = models.CharField(_("身份证号摘要"), max_length=64, db_index=True)
    id_number_masked = models.CharField(_("身份证号"), max_length=18)
    phone = models.CharField(_("手机号"), max_length=20)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices)
    birth_date = models.DateField(_("出生日期"))
    coverage_type = models.CharField(_("医疗类别"), max_length=16, choices=CoverageType.choices)
    channel = models.CharField(_("参保方式"), max_length=16, choices=RegistrationChannel.choices)
    age_at_start = models.PositiveSmallIntegerField(_("保障起始日年龄"))
    consent_at = models.DateTimeField(_("授权时间"))
    consent_text = models.TextField(_("授权内容"))
    status = models.CharField(
        _("状态"), max_length=16, choices=RegistrationStatus.choices, default=RegistrationStatus.REGISTERED
    )
    registered_by = actor_field(_("登记人"))
    first_roster = optional_link(RosterExport, _("首次报送版本"), related_name="first_lines")
    policy_no = models.CharField(_("保单号"), max_length=64, blank=True)
    reject_reason = models.CharField(_("未通过原因"), max_length=200, blank=True)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("报名")
        verbose_name_plural = _("报名")
        ordering = ["person__name_pinyin", "person_id", "id"]
        constraints = [
            # the same ID number registers once per drive (withdrawn rows do not count)
            models.UniqueConstraint(
                fields=["drive", "id_number_digest"],
                condition=~Q(status="withdrawn"),
                name="drives_one_live_registration_per_id",
            ),
        ]

    def __str__(self):
        return f"{self.name}（{self.get_relationship_display()}）"

    @property
    def is_relative(self) -> bool:
        return self.relationship != Relationship.SELF

    def id_number_clear(self) -> str:
        """In clear only for the roster export, which logs it (AuditAction.EXPORTED_CLEAR)."""
        return decrypt_text(self.id_number_encrypted)


class RegistrationEvent(WorkflowEvent):
    """A registration's history: created, sent on a roster, the provider's result, withdrawn."""

    subject = models.ForeignKey(
        DriveRegistration, verbose_name=_("报名"), on_delete=models.PROTECT, related_name="events"
    )

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("报名记录")
        verbose_name_plural = _("报名记录")


class ProviderResultImport(models.Model):
    """One result file from the provider as applied, in full (a file with lines matching
    nobody is refused whole at confirmation): the figures and, per line, what it did. The
    file and its preview are the core `ImportPreview` it was confirmed from."""

    drive = models.ForeignKey(
        Drive, verbose_name=_("参保活动"), on_delete=models.CASCADE, related_name="result_imports"
    )
    file_name = models.CharField(_("文件名"), max_length=200)
    imported_at = models.DateTimeField(_("导入时间"), auto_now_add=True)
    imported_by = actor_field(_("导入人"))
    counts = models.JSONField(_("统计"), default=dict)
    preview = optional_link("core.ImportPreview", _("导入预览"), one_to_one=True)

    class Meta:
        verbose_name = _("承办机构结果")
        verbose_name_plural = _("承办机构结果")
        ordering = ["-imported_at"]

    def __str__(self):
        return f"{self.drive} · {self.file_name}"


class ProviderResultLine(models.Model):
    """One line of the provider's result, as applied to a registration."""

    result = models.ForeignKey(
        ProviderResultImport, verbose_name=_("结果文件"), on_delete=models.CASCADE, related_name="lines"
    )
    row_no = models.PositiveIntegerField(_("行号"))
    registration = models.ForeignKey(
        DriveRegistration, verbose_name=_("报名"), on_delete=models.PROTECT, related_name="result_lines"
    )
    outcome = models.CharField(_("结果"), max_length=16, choices=ResultOutcome.choices)
    policy_no = models.CharField(_("保单号"), max_length=64, blank=True)
    reason = models.CharField(_("原因"), max_length=200, blank=True)
    changed = models.BooleanField(_("有变化"), default=True)

    class Meta:
        verbose_name = _("结果行")
        verbose_name_plural = _("结果行")
        ordering = ["result", "row_no"]

    def __str__(self):
        return f"{self.result} #{self.row_no}: {self.get_outcome_display()}"


class ServicePoint(models.Model):
    """An on-site service point (e.g. one at the retirees' office)."""

    drive = models.ForeignKey(
        Drive, verbose_name=_("参保活动"), on_delete=models.CASCADE, related_name="service_points"
    )
    name = models.CharField(_("名称"), max_length=100)
    place = models.CharField(_("地点"), max_length=100)
    sub_union = optional_link(
        "people.SubUnion", _("所属分工会"), on_delete=models.SET_NULL, help_text=_("如离退休工作处的服务点")
    )
    notes = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("现场服务点")
        verbose_name_plural = _("现场服务点")
        ordering = ["drive", "id"]

    def __str__(self):
        return f"{self.name}（{self.place}）"


class TimeSlot(models.Model):
    """A bookable time slot at a service point. `booked` changes only through one
    conditional UPDATE (services.points), so the last place is never given twice."""

    point = models.ForeignKey(ServicePoint, verbose_name=_("服务点"), on_delete=models.CASCADE, related_name="slots")
    day = models.DateField(_("日期"))
    starts = models.TimeField(_("开始"))
    ends = models.TimeField(_("结束"))
    capacity = models.PositiveIntegerField(_("名额"))
    booked = models.PositiveIntegerField(_("已预约"), default=0)

    class Meta:
        verbose_name = _("时段")
        verbose_name_plural = _("时段")
        ordering = ["day", "starts", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(booked__lte=models.F("capacity")), name="drives_slot_not_over_capacity")
        ]

    def __str__(self):
        return f"{self.day:%m-%d} {self.starts:%H:%M}–{self.ends:%H:%M}"

    @property
    def free(self) -> int:
        return max(self.capacity - self.booked, 0)


class SlotBooking(models.Model):
    """A person's booking of a time slot, made by them or by the office on their behalf."""

    drive = models.ForeignKey(Drive, verbose_name=_("参保活动"), on_delete=models.CASCADE, related_name="bookings")
    slot = models.ForeignKey(TimeSlot, verbose_name=_("时段"), on_delete=models.PROTECT, related_name="bookings")
    person = models.ForeignKey("people.Person", verbose_name=_("人员"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("状态"), max_length=16, choices=BookingStatus.choices, default=BookingStatus.BOOKED)
    booked_by = actor_field(_("预约人"))
    booked_at = models.DateTimeField(_("预约时间"), auto_now_add=True)
    on_behalf = models.BooleanField(_("代为预约"), default=False)
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    outcome = models.CharField(_("办理结果"), max_length=200, blank=True)

    objects = PersonScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("预约")
        verbose_name_plural = _("预约")
        ordering = ["slot__day", "slot__starts", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["drive", "person"],
                condition=Q(status__in=ACTIVE_BOOKING_STATUSES),
                name="drives_one_active_booking_per_person",
            ),
        ]

    def __str__(self):
        return f"{self.person_id} · {self.slot} · {self.get_status_display()}"


class BookingEvent(WorkflowEvent):
    """A booking's history: booked, checked in, served, cancelled, no-show."""

    subject = models.ForeignKey(SlotBooking, verbose_name=_("预约"), on_delete=models.PROTECT, related_name="events")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("预约记录")
        verbose_name_plural = _("预约记录")
