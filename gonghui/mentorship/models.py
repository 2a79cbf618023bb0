"""Mentorship pairing (拜师结对, DOMAIN §3.8).

Every two years the union, HR and the teacher development centre pair new teachers (青年教师,
mentees) with experienced ones (指导教师, mentors). A cohort (期) runs under its rules, a core
rule edition: who may mentor and who is a new teacher, the duties a year (示范课, 听课,
交流), the assessment grades and the stipend each earns. Colleges propose pairs, or the
office runs a matching (an optimal assignment, or a stable matching when both sides rank each
other) over the cohort's candidates and confirms it. A pair signs its agreement, is active for
the cycle, logs its duties (confirmed by the college) and is assessed at the end; a grade that
earns a stipend is paid to the mentor through a payroll list, as ledger entries.

The facts about a teacher that matching needs but the HR roster does not carry (title,
discipline, research field, campus, hire date, years teaching) are a teacher profile, imported
from HR's list or edited by the college.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from gonghui.accounts.access import Access, ScopedQuerySet, any_of, officer_condition, person_condition
from gonghui.accounts.roles import Role
from gonghui.core.editions import EditionDocument, EditionPart, Part, RuleEdition
from gonghui.core.models import TimeStampedModel, WorkflowEvent, actor_field, money_field, optional_link
from gonghui.mentorship.choices import (
    LIVE_PAIR_STATUSES,
    AssessmentStage,
    CohortStatus,
    DutyKind,
    DutyStatus,
    MatchingStatus,
    MatchMethod,
    Outcome,
    PairSource,
    PairStatus,
    Side,
    StipendBatchStatus,
    StipendKind,
    TitleRank,
)

# --- teachers -------------------------------------------------------------------------------


class TeacherProfileQuerySet(ScopedQuerySet):
    def scope(self, access: Access, action: str) -> Q | None:
        """A teacher reads their own profile; a college's officer reads and edits their
        college's teachers'."""
        own = Q(person_id=access.person_id) if access.person_id and action == "view" else None
        return any_of(own, officer_condition(access, "person__sub_union_id"))


class TeacherProfile(TimeStampedModel):
    """What matching needs to know of a teacher beyond the HR roster (人事处 / 教师发展中心's
    list): the title and its rank, the discipline and research field, the campus, when they
    were hired and since when they teach."""

    person = models.OneToOneField(
        "people.Person", verbose_name=_("教师"), on_delete=models.CASCADE, related_name="teacher_profile"
    )
    title = models.CharField(_("职称"), max_length=30, blank=True)
    title_rank = models.CharField(_("职称级别"), max_length=16, choices=TitleRank.choices, default=TitleRank.NONE)
    discipline = models.CharField(_("学科"), max_length=50, blank=True)
    research_field = models.CharField(_("研究方向"), max_length=100, blank=True)
    campus = models.CharField(_("校区"), max_length=30, blank=True)
    hired_on = models.DateField(_("入职日期"), null=True, blank=True)
    teaching_since = models.DateField(_("从事教学工作起始日期"), null=True, blank=True)
    updated_by = actor_field(_("更新人"), blank=True)

    objects = TeacherProfileQuerySet.as_manager()

    class Meta:
        verbose_name = _("教师档案")
        verbose_name_plural = _("教师档案")
        ordering = ["person__sub_union__code", "person__staff_no"]

    def __str__(self):
        return f"{self.person} {self.title}"


# --- rules ----------------------------------------------------------------------------------


class MentorshipRulesQuerySet(ScopedQuerySet):
    def scope(self, access: Access, action: str) -> Q | None:
        """The rules are public to everyone on the roster and to the colleges' officers."""
        if action == "view" and (access.person_id or Role.SUB_UNION_OFFICER in access.roles):
            return Q()
        return None


class MentorshipRules(RuleEdition):
    """A cohort's rules (拜师结对实施办法), by the year its cohort starts: who may mentor and
    who is a new teacher, the duties each year, what the matching weighs, the assessment
    grades with the stipend each earns, and the extension."""

    year = models.PositiveSmallIntegerField(_("年度"))
    name = models.CharField(_("名称"), max_length=100)
    mentor_min_rank = models.CharField(
        _("指导教师最低职称"), max_length=16, choices=TitleRank.choices, default=TitleRank.ASSOCIATE
    )
    mentor_min_teaching_years = models.PositiveSmallIntegerField(_("指导教师最少教龄（年）"), default=5)
    same_discipline = models.BooleanField(_("须同一学科"), default=True)
    mentor_max_mentees = models.PositiveSmallIntegerField(_("每位指导教师每期最多带（人）"), default=1)
    mentee_max_age = models.PositiveSmallIntegerField(
        _("青年教师年龄上限（周岁，不含）"), default=40, help_text=_("按本期开始之日计算")
    )
    mentee_hired_within_years = models.PositiveSmallIntegerField(
        _("青年教师入职不超过（年）"), default=3, help_text=_("按本期开始之日计算；0 表示不限")
    )
    cycle_months = models.PositiveSmallIntegerField(_("培养期（月）"), default=24)
    demonstrations_per_year = models.PositiveSmallIntegerField(_("每年示范课（次）"), default=4)
    observations_per_year = models.PositiveSmallIntegerField(_("每年听课（次）"), default=8)
    meetings_per_year = models.PositiveSmallIntegerField(_("每年指导交流（次）"), default=0)
    term_ends = models.JSONField(
        _("学期结束日（月-日）"), default=list, blank=True, help_text=_("例如 01-15、07-05：此前提醒未完成的师徒")
    )
    remind_days = models.PositiveSmallIntegerField(_("提前提醒（天）"), default=21)
    extension_months = models.PositiveSmallIntegerField(_("延期考核期（月）"), default=6)
    weight_discipline = models.PositiveSmallIntegerField(_("匹配权重：学科不同"), default=40)
    weight_college = models.PositiveSmallIntegerField(_("匹配权重：学院不同"), default=20)
    weight_field = models.PositiveSmallIntegerField(_("匹配权重：研究方向不同"), default=20)
    weight_campus = models.PositiveSmallIntegerField(_("匹配权重：校区不同"), default=10)
    weight_load = models.PositiveSmallIntegerField(_("匹配权重：导师已带人数（每人）"), default=10)

    objects = MentorshipRulesQuerySet.as_manager()

    document = EditionDocument(
        module="mentorship",
        key=("year",),
        fields=(
            "year",
            "name",
            "mentor_min_rank",
            "mentor_min_teaching_years",
            "same_discipline",
            "mentor_max_mentees",
            "mentee_max_age",
            "mentee_hired_within_years",
            "cycle_months",
            "demonstrations_per_year",
            "observations_per_year",
            "meetings_per_year",
            "term_ends",
            "remind_days",
            "extension_months",
            "weight_discipline",
            "weight_college",
            "weight_field",
            "weight_campus",
            "weight_load",
        ),
        parts=(Part("grades", ("code", "label", "outcome", "stipend", "stipend_after_extension", "position")),),
    )

    class Meta:
        verbose_name = _("拜师结对实施办法")
        verbose_name_plural = _("拜师结对实施办法")
        ordering = ["-year", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["year"], condition=Q(status="adopted"), name="mentorship_rules_one_a_year"),
        ]
        permissions = [("adopt_mentorshiprules", _("通过拜师结对实施办法"))]

    def __str__(self):
        return f"{self.year} {self.name}"

    def adoption_problems(self) -> list[str]:
        problems = []
        grades = list(self.grades.all())
        if not grades:
            problems.append(gettext("至少要有一个考核等次。"))
        if not any(g.outcome == Outcome.PASSED for g in grades):
            problems.append(gettext("须有一个“合格”的考核等次。"))
        for grade in grades:
            if grade.outcome not in (Outcome.BASICALLY_PASSED, Outcome.EXTENDED) and grade.stipend_after_extension:
                problems.append(gettext("等次“%(label)s”不延期考核，不能有延期后发放的津贴。") % {"label": grade.label})
            if grade.outcome in (Outcome.BASICALLY_PASSED, Outcome.EXTENDED) and not self.extension_months:
                problems.append(gettext("等次“%(label)s”须延期考核：请填写延期考核期。") % {"label": grade.label})
        if self.cycle_months <= 0:
            problems.append(gettext("培养期须大于 0 个月。"))
        for value in self.term_ends or []:
            if not _month_day(value):
                problems.append(gettext("学期结束日“%(value)s”应写成 月-日，例如 01-15。") % {"value": value})
        return problems

    def grade_list(self) -> list[GradeRule]:
        return list(self.grades.all())

    def requirements(self) -> dict[str, int]:
        """Each duty's count required a cycle year."""
        return {
            DutyKind.DEMONSTRATION: self.demonstrations_per_year,
            DutyKind.OBSERVATION: self.observations_per_year,
            DutyKind.MEETING: self.meetings_per_year,
        }


def _month_day(value) -> tuple[int, int] | None:
    try:
        month, day = (int(x) for x in str(value).split("-"))
        datetime.date(2024, month, day)  # a leap year, so 02-29 is allowed
    except (ValueError, TypeError):
        return None
    return month, day


class MentorshipRulesEvent(WorkflowEvent):
    subject = models.ForeignKey(
        MentorshipRules, verbose_name=_("实施办法"), on_delete=models.PROTECT, related_name="events"
    )

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("实施办法记录")
        verbose_name_plural = _("实施办法记录")


class GradeRule(EditionPart):
    """An assessment grade (合格 / 基本合格 / 不合格): what it does to the pair and the stipend
    it earns the mentor, now and after a passed extension."""

    edition = models.ForeignKey(
        MentorshipRules, verbose_name=_("实施办法"), on_delete=models.CASCADE, related_name="grades"
    )
    code = models.SlugField(_("代码"), max_length=32)
    label = models.CharField(_("等次"), max_length=20)
    outcome = models.CharField(_("结果"), max_length=20, choices=Outcome.choices)
    stipend = money_field(_("津贴（元）"), default=0)
    stipend_after_extension = money_field(_("延期考核合格后补发（元）"), default=0)
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("考核等次")
        verbose_name_plural = _("考核等次")
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["edition", "code"], name="mentorship_grade_code_once")]

    def __str__(self):
        return self.label


# --- cohorts --------------------------------------------------------------------------------


class CohortQuerySet(ScopedQuerySet):
    def scope(self, access: Access, action: str) -> Q | None:
        """Once announced, a cohort is open to everyone signed in; only the office changes it."""
        if action == "view":
            return ~Q(status=CohortStatus.DRAFT)
        return None


class Cohort(TimeStampedModel):
    """A cohort (第 N 期): its cycle, its ceremony (拜师仪式) and its rules. Cohorts older
    than the system keep the number of pairs the archive records."""

    number = models.PositiveSmallIntegerField(_("期数"), unique=True)
    name = models.CharField(_("名称"), max_length=100)
    rules = models.ForeignKey(MentorshipRules, verbose_name=_("实施办法"), on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField(_("培养期开始"))
    ends_on = models.DateField(_("培养期结束"))
    ceremony_on = models.DateField(_("拜师仪式日期"), null=True, blank=True)
    ceremony_place = models.CharField(_("拜师仪式地点"), max_length=100, blank=True)
    proposals_close = models.DateField(_("推荐截止"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=CohortStatus.choices, default=CohortStatus.DRAFT)
    pairs_recorded = models.PositiveIntegerField(
        _("结对数（档案记载）"), null=True, blank=True, help_text=_("系统启用前的期次：档案记载的结对数")
    )
    note = models.TextField(_("备注"), blank=True)
    created_by = actor_field(_("创建人"))

    objects = CohortQuerySet.as_manager()

    class Meta:
        verbose_name = _("拜师结对期次")
        verbose_name_plural = _("拜师结对期次")
        ordering = ["-number"]
        permissions = [("manage_cohort", _("组织拜师结对"))]

    def __str__(self):
        return self.name

    def year_bounds(self) -> list[tuple[datetime.date, datetime.date]]:
        """The cycle's years (培养年度): from the start, a year each, the last one cut at the end."""
        bounds = []
        start = self.starts_on
        while start <= self.ends_on:
            try:
                following = start.replace(year=start.year + 1)
            except ValueError:  # 29 February
                following = start.replace(year=start.year + 1, day=28)
            bounds.append((start, min(self.ends_on, following - datetime.timedelta(days=1))))
            start = following
        return bounds


class CohortEvent(WorkflowEvent):
    subject = models.ForeignKey(Cohort, verbose_name=_("期次"), on_delete=models.PROTECT, related_name="events")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("期次记录")
        verbose_name_plural = _("期次记录")


class CandidateQuerySet(ScopedQuerySet):
    def scope(self, access: Access, action: str) -> Q | None:
        """A college's officer names their college's candidates; a candidate reads (and
        ranks from) their own row."""
        own = Q(person_id=access.person_id) if access.person_id else None
        return any_of(own, officer_condition(access, "college_id"))


class Candidate(TimeStampedModel):
    """A teacher in a cohort's pool, as a new teacher or as a mentor, named by their college
    or by the office. Under 双向选择 `ranking` lists the other side's candidates (person ids)
    in the order of preference."""

    cohort = models.ForeignKey(Cohort, verbose_name=_("期次"), on_delete=models.PROTECT, related_name="candidates")
    person = models.ForeignKey("people.Person", verbose_name=_("教师"), on_delete=models.PROTECT, related_name="+")
    side = models.CharField(_("身份"), max_length=8, choices=Side.choices)
    college = models.ForeignKey("people.SubUnion", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    ranking = models.JSONField(_("志愿顺序"), default=list, blank=True)
    ranked_at = models.DateTimeField(_("填报志愿时间"), null=True, blank=True)
    added_by = actor_field(_("报名人"))

    objects = CandidateQuerySet.as_manager()

    class Meta:
        verbose_name = _("报名教师")
        verbose_name_plural = _("报名教师")
        ordering = ["cohort", "side", "college__code", "person__staff_no"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "person", "side"], name="mentorship_candidate_once"),
        ]

    def __str__(self):
        return f"{self.person} ({self.get_side_display()})"


class MatchingRun(TimeStampedModel):
    """One matching computed for a cohort: the proposed pairs, each with its cost and the
    reasons (the same discipline, another campus …), and the candidates left unmatched with
    why. The office edits the proposal and confirms it; confirming proposes the pairs."""

    cohort = models.ForeignKey(Cohort, verbose_name=_("期次"), on_delete=models.PROTECT, related_name="matchings")
    method = models.CharField(_("方式"), max_length=16, choices=MatchMethod.choices)
    status = models.CharField(_("状态"), max_length=16, choices=MatchingStatus.choices, default=MatchingStatus.PROPOSED)
    proposal = models.JSONField(_("匹配方案"), default=list, blank=True)
    unmatched = models.JSONField(_("未匹配"), default=list, blank=True)
    summary = models.JSONField(_("概况"), default=dict, blank=True)
    created_by = actor_field(_("计算人"))

    objects = ScopedQuerySet.as_manager()  # the office's work

    class Meta:
        verbose_name = _("匹配方案")
        verbose_name_plural = _("匹配方案")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.cohort} {self.get_method_display()} #{self.pk}"


class MatchingRunEvent(WorkflowEvent):
    subject = models.ForeignKey(
        MatchingRun, verbose_name=_("匹配方案"), on_delete=models.PROTECT, related_name="events"
    )

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("匹配方案记录")
        verbose_name_plural = _("匹配方案记录")


# --- pairs ----------------------------------------------------------------------------------


class PairQuerySet(ScopedQuerySet):
    def scope(self, access: Access, action: str) -> Q | None:
        """The mentor and the mentee see their pair (and log its duties); a college's officer
        their college's pairs."""
        own = (Q(mentor_id=access.person_id) | Q(mentee_id=access.person_id)) if access.person_id else None
        return any_of(own, officer_condition(access, "college_id"))


class Pair(TimeStampedModel):
    """A mentor and a mentee in a cohort (师徒). The agreement (拜师协议) is signed and its scan
    uploaded; the individual development plan says what the mentee will do. A mentor change
    ends this pair early and starts another whose `previous` is this one: the mentee's time
    (`carried_days`) and duties go on counting."""

    cohort = models.ForeignKey(Cohort, verbose_name=_("期次"), on_delete=models.PROTECT, related_name="pairs")
    mentor = models.ForeignKey(
        "people.Person",
        verbose_name=pgettext_lazy("mentorship", "指导教师"),
        on_delete=models.PROTECT,
        related_name="mentored_pairs",
    )
    mentee = models.ForeignKey(
        "people.Person",
        verbose_name=pgettext_lazy("mentorship", "青年教师"),
        on_delete=models.PROTECT,
        related_name="mentee_pairs",
    )
    college = models.ForeignKey("people.SubUnion", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("状态"), max_length=20, choices=PairStatus.choices, default=PairStatus.PROPOSED)
    source = models.CharField(_("来源"), max_length=16, choices=PairSource.choices, default=PairSource.COLLEGE)
    reasons = models.JSONField(_("结对理由"), default=list, blank=True)
    agreement_signed_on = models.DateField(_("协议签订日期"), null=True, blank=True)
    agreement = optional_link("attachments.Attachment", _("协议扫描件"))
    plan = models.TextField(_("个人发展计划"), blank=True)
    started_on = models.DateField(_("开始日期"), null=True, blank=True)
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    previous = optional_link("self", _("原结对"), related_name="following")
    carried_days = models.PositiveIntegerField(_("此前累计培养（天）"), default=0)
    extended_until = models.DateField(_("延期考核至"), null=True, blank=True)
    proposed_by = actor_field(_("推荐人"))
    agreed_at = models.DateTimeField(_("签约时间"), null=True, blank=True)

    objects = PairQuerySet.as_manager()

    class Meta:
        verbose_name = _("师徒结对")
        verbose_name_plural = _("师徒结对")
        ordering = ["cohort", "college__code", "mentee__staff_no", "id"]
        constraints = [
            # One live pair a mentee in a cohort: what makes two proposals at once safe.
            models.UniqueConstraint(
                fields=["cohort", "mentee"],
                condition=Q(status__in=LIVE_PAIR_STATUSES),
                name="mentorship_one_live_pair_a_mentee",
            ),
        ]
        indexes = [models.Index(fields=["mentor", "status"])]

    def __str__(self):
        return gettext("%(mentor)s — %(mentee)s") % {"mentor": self.mentor, "mentee": self.mentee}


class PairEvent(WorkflowEvent):
    subject = models.ForeignKey(Pair, verbose_name=_("师徒结对"), on_delete=models.PROTECT, related_name="events")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("结对记录")
        verbose_name_plural = _("结对记录")


class DutyLogQuerySet(ScopedQuerySet):
    def scope(self, access: Access, action: str) -> Q | None:
        own = (Q(pair__mentor_id=access.person_id) | Q(pair__mentee_id=access.person_id)) if access.person_id else None
        return any_of(own, officer_condition(access, "pair__college_id"))


class DutyLog(TimeStampedModel):
    """One duty done (一次示范课 / 听课 / 指导交流): logged by the mentee or the mentor from a
    phone, confirmed (or returned with a reason) by the college."""

    pair = models.ForeignKey(Pair, verbose_name=_("师徒结对"), on_delete=models.PROTECT, related_name="duties")
    kind = models.CharField(_("类别"), max_length=16, choices=DutyKind.choices)
    held_on = models.DateField(_("日期"))
    course = models.CharField(_("课程或主题"), max_length=100)
    hours = models.DecimalField(_("学时"), max_digits=4, decimal_places=1)
    note = models.TextField(_("记录"), blank=True)
    photo = optional_link("attachments.Attachment", _("照片"))
    logged_by = models.ForeignKey("people.Person", verbose_name=_("记录人"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("状态"), max_length=16, choices=DutyStatus.choices, default=DutyStatus.LOGGED)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)

    objects = DutyLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("履职记录")
        verbose_name_plural = _("履职记录")
        ordering = ["-held_on", "-id"]
        constraints = [
            # The same lesson is logged once, whoever of the two logs it.
            models.UniqueConstraint(
                fields=["pair", "kind", "held_on", "course"],
                condition=~Q(status=DutyStatus.RETURNED),
                name="mentorship_duty_once",
            ),
        ]

    def __str__(self):
        return f"{self.held_on} {self.get_kind_display()} {self.course}"


class DutyLogEvent(WorkflowEvent):
    subject = models.ForeignKey(DutyLog, verbose_name=_("履职记录"), on_delete=models.PROTECT, related_name="events")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("履职记录处理")
        verbose_name_plural = _("履职记录处理")


class AssessmentQuerySet(ScopedQuerySet):
    def scope(self, access: Access, action: str) -> Q | None:
        own = (
            (Q(pair__mentor_id=access.person_id) | Q(pair__mentee_id=access.person_id))
            if access.person_id and action == "view"
            else None
        )
        return any_of(own, officer_condition(access, "pair__college_id"))


class Assessment(TimeStampedModel):
    """An assessment of a pair: at the end of the cycle, and again after an extension. The
    college gives its opinion; the office decides the grade (the rules' `GradeRule`, copied
    here so a later edition cannot change it)."""

    pair = models.ForeignKey(Pair, verbose_name=_("师徒结对"), on_delete=models.PROTECT, related_name="assessments")
    stage = models.CharField(_("考核"), max_length=16, choices=AssessmentStage.choices)
    college_opinion = models.TextField(_("学院意见"), blank=True)
    opinion_by = actor_field(_("学院意见填写人"), blank=True)
    grade_code = models.CharField(_("等次代码"), max_length=32, blank=True)
    grade_label = models.CharField(_("考核等次"), max_length=20, blank=True)
    outcome = models.CharField(_("结果"), max_length=20, choices=Outcome.choices, blank=True)
    stipend = money_field(_("应发津贴"), default=0)
    assessed_on = models.DateField(_("考核日期"), null=True, blank=True)
    assessed_by = actor_field(_("考核人"), blank=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("考核")
        verbose_name_plural = _("考核")
        ordering = ["pair", "stage"]
        constraints = [models.UniqueConstraint(fields=["pair", "stage"], name="mentorship_assessment_once")]

    def __str__(self):
        return f"{self.pair} {self.get_stage_display()} {self.grade_label}"


# --- stipends -------------------------------------------------------------------------------


class StipendBatch(TimeStampedModel):
    """A payroll list of stipends for finance (导师津贴发放表); marking it paid writes the
    ledger entries."""

    cohort = models.ForeignKey(Cohort, verbose_name=_("期次"), on_delete=models.PROTECT, related_name="stipend_batches")
    status = models.CharField(
        _("状态"), max_length=16, choices=StipendBatchStatus.choices, default=StipendBatchStatus.PREPARED
    )
    assessments = models.ManyToManyField(Assessment, verbose_name=_("考核"), related_name="stipend_batches")
    paid_on = models.DateField(_("发放日期"), null=True, blank=True)
    created_by = actor_field(_("生成人"))

    objects = ScopedQuerySet.as_manager()  # the office and finance only

    class Meta:
        verbose_name = _("津贴发放批次")
        verbose_name_plural = _("津贴发放批次")
        ordering = ["-created_at", "-id"]
        permissions = [("pay_stipend", _("发放导师津贴"))]


class StipendBatchEvent(WorkflowEvent):
    subject = models.ForeignKey(
        StipendBatch, verbose_name=_("津贴发放批次"), on_delete=models.PROTECT, related_name="events"
    )

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("津贴发放记录")
        verbose_name_plural = _("津贴发放记录")


class StipendEntryQuerySet(ScopedQuerySet):
    def scope(self, access: Access, action: str) -> Q | None:
        if action != "view":
            return None
        return person_condition(access, "person__")


class StipendEntry(models.Model):
    """One movement of stipend money to a mentor. Never edited or deleted: a correction is a
    reversal entry (negative) beside the payment."""

    at = models.DateTimeField(_("时间"), auto_now_add=True)
    pair = models.ForeignKey(Pair, verbose_name=_("师徒结对"), on_delete=models.PROTECT, related_name="stipends")
    person = models.ForeignKey("people.Person", verbose_name=_("领取人"), on_delete=models.PROTECT, related_name="+")
    assessment = models.ForeignKey(Assessment, verbose_name=_("考核"), on_delete=models.PROTECT, related_name="entries")
    batch = optional_link(StipendBatch, _("发放批次"), related_name="entries")
    kind = models.CharField(_("类型"), max_length=16, choices=StipendKind.choices)
    amount = money_field(_("金额"))
    memo = models.CharField(_("说明"), max_length=200, blank=True)
    created_by = actor_field(_("记账人"), blank=True)

    objects = StipendEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("导师津贴账目")
        verbose_name_plural = _("导师津贴账目")
        ordering = ["at", "id"]
        constraints = [
            # An assessment's stipend is paid once: what makes paying a batch idempotent.
            models.UniqueConstraint(
                fields=["assessment"], condition=Q(kind="payment"), name="mentorship_stipend_paid_once"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("ledger entries are never edited")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("ledger entries are never deleted")


__all__ = [
    "Assessment",
    "Candidate",
    "Cohort",
    "DutyLog",
    "GradeRule",
    "MatchingRun",
    "MentorshipRules",
    "Pair",
    "PairSource",
    "StipendBatch",
    "StipendEntry",
    "TeacherProfile",
]
