"""Staff congress proposals (教代会提案): submission with co-signatures, committee triage
and merging, handling by university units with working-day deadlines, replies signed off
by the leader in charge, satisfaction ratings driving re-handling, follow-up across
sessions and public disclosure.

Every status change goes through core's `transition` with ProposalWorkflow (workflow.py)
and leaves one ProposalEvent and one AuditEvent.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gonghui.accounts.access import Access, ScopedQuerySet
from gonghui.accounts.roles import Role
from gonghui.core.models import TimeStampedModel, WorkflowEvent, actor_field, optional_link
from gonghui.proposals.choices import (
    BEFORE_COMMITTEE,
    WITH_UNITS,
    AssignmentRole,
    AwardKind,
    ContactMethod,
    ProposalEventStep,
    ProposalKind,
    ProposalStatus,
    ProposerRole,
    ReplyCategory,
    TriageOutcome,
)


class ProposalCategory(models.Model):
    """A category of proposals (教学科研, 人事薪酬, 后勤保障 …): the university's own list."""

    name = models.CharField(_("名称"), max_length=50, unique=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("提案类别")
        verbose_name_plural = _("提案类别")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class ProposalQuerySet(ScopedQuerySet):
    def scope(self, access: Access, action: str) -> Q | None:
        """Proposals committee: everything submitted (not others' drafts). Handling-unit
        officers: proposals assigned to their units. Delegates: their own (as proposer,
        joint proposer or co-signer)."""
        condition = Q(pk__in=[])
        if access.person_id:
            condition |= Q(proposers__delegate__person_id=access.person_id) | Q(
                co_signatures__delegate__person_id=access.person_id
            )
        if Role.PROPOSALS_COMMITTEE in access.roles:
            condition |= Q(status__in=BEFORE_COMMITTEE)
        if Role.HANDLING_UNIT_OFFICER in access.roles and access.unit_ids:
            condition |= Q(assignments__unit_id__in=access.unit_ids, status__in=WITH_UNITS)
        # The joins above repeat a proposal per matching row: select by key instead.
        return Q(pk__in=self.model._default_manager.filter(condition).values("pk"))

    def published(self):
        return self.filter(published_at__isnull=False)


class Proposal(TimeStampedModel):
    """One proposal (or opinion, 意见建议) on one matter, for one session.

    `number` is the register number (立案号), given per session on registration. `kind`
    becomes opinion when it arrives after the solicitation deadline or the committee
    converts it. `merged_into` points to the proposal it was merged into (并案).
    `round` counts handling rounds (1 = first reply; +1 for each 不满意).
    """

    session = models.ForeignKey(
        "congress.CongressSession", verbose_name=_("会议"), on_delete=models.PROTECT, related_name="proposals"
    )
    kind = models.CharField(_("类型"), max_length=16, choices=ProposalKind.choices, default=ProposalKind.PROPOSAL)
    status = models.CharField(
        _("状态"), max_length=24, choices=ProposalStatus.choices, default=ProposalStatus.DRAFT, db_index=True
    )
    number = models.PositiveIntegerField(_("立案号"), null=True, blank=True)
    title = models.CharField(_("案由"), max_length=200)
    category = optional_link(ProposalCategory, _("类别"), related_name="proposals")
    grounds = models.TextField(_("理由"), blank=True)
    suggestions = models.TextField(_("办法和建议"), blank=True)
    suggested_unit = optional_link("people.UniversityUnit", _("建议承办单位"))
    delegation = optional_link("congress.Delegation", _("代表团（集体提案）"), related_name="proposals")
    one_matter = models.BooleanField(_("一事一案"), default=False, help_text=_("提案人确认本提案只涉及一件事"))
    attachments = models.ManyToManyField("attachments.Attachment", verbose_name=_("附件"), blank=True, related_name="+")
    created_by = actor_field(_("创建人"))
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    registered_at = models.DateTimeField(_("立案时间"), null=True, blank=True)
    merged_into = optional_link("self", _("并入"), related_name="merged_from")
    decision_reason = models.TextField(_("审查意见"), blank=True)
    signed_off_at = models.DateTimeField(_("交办审签时间"), null=True, blank=True)
    round = models.PositiveSmallIntegerField(_("办理轮次"), default=1)
    escalated_at = models.DateTimeField(_("上报校领导时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("公示时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    progress = models.PositiveSmallIntegerField(_("进度（%）"), default=0)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("提案")
        verbose_name_plural = _("提案")
        ordering = ["session", "number", "id"]
        permissions = [
            ("triage_proposal", _("审查提案（立案、并案、不予立案）")),
            ("assign_proposal", _("交办提案")),
            ("handle_proposal", _("办理和答复提案")),
            ("reopen_proposal", _("重新开放答复")),
            ("publish_proposal", _("公示提案")),
            ("award_proposal", _("评选优秀提案和承办单位")),
            ("report_proposal", _("提案办理报告")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "number"],
                condition=Q(number__isnull=False),
                name="proposal_number_unique_per_session",
            ),
        ]
        indexes = [models.Index(fields=["session", "status"])]

    def __str__(self):
        if self.number:
            return _("第%(n)s号 %(title)s") % {"n": self.number, "title": self.title}
        return self.title

    @property
    def text(self) -> str:
        return "\n".join([self.title, self.grounds, self.suggestions])

    @property
    def lead_assignment(self):
        for assignment in self.assignments.all():
            if assignment.role == AssignmentRole.LEAD:
                return assignment
        return None


class ProposalProposer(models.Model):
    """A proposer: the delegate who wrote it (original), or one who became a joint
    proposer when their proposal was merged into this one (并案). `merged_from` keeps
    where they came from."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="proposers")
    delegate = models.ForeignKey(
        "congress.Delegate", verbose_name=_("代表"), on_delete=models.PROTECT, related_name="proposals_made"
    )
    role = models.CharField(_("身份"), max_length=16, choices=ProposerRole.choices, default=ProposerRole.ORIGINAL)
    merged_from = optional_link(Proposal, _("来自"))

    class Meta:
        verbose_name = _("提案人")
        verbose_name_plural = _("提案人")
        ordering = ["proposal", "role", "id"]
        constraints = [models.UniqueConstraint(fields=["proposal", "delegate"], name="proposer_unique")]

    def __str__(self):
        return str(self.delegate)


class CoSignature(models.Model):
    """A co-signature (附议): invited by the proposer, confirmed by the delegate personally
    in the system (`confirmed_at`). Only confirmed ones count."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="co_signatures")
    delegate = models.ForeignKey(
        "congress.Delegate", verbose_name=_("附议人"), on_delete=models.PROTECT, related_name="co_signatures"
    )
    invited_at = models.DateTimeField(_("邀请时间"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("附议")
        verbose_name_plural = _("附议")
        ordering = ["proposal", "invited_at", "id"]
        constraints = [models.UniqueConstraint(fields=["proposal", "delegate"], name="co_signature_unique")]

    def __str__(self):
        return str(self.delegate)


class ProposalEvent(WorkflowEvent):
    """The proposal's history: every step of its workflow and every other event (a
    co-signature, a contact, a reply drafted …), with actor and details."""

    subject = models.ForeignKey(Proposal, verbose_name=_("提案"), on_delete=models.PROTECT, related_name="events")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("提案记录")
        verbose_name_plural = _("提案记录")

    @property
    def step_label(self) -> str:
        if self.step in ProposalEventStep.values:
            return str(ProposalEventStep(self.step).label)
        from gonghui.proposals.workflow import ProposalWorkflow

        for step in ProposalWorkflow.steps:
            if step.name == self.step:
                return str(step.label)
        return self.step


class TriageDecision(models.Model):
    """The committee's (or, when referred, the presidium's) decision on a proposal."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="decisions")
    outcome = models.CharField(_("结论"), max_length=16, choices=TriageOutcome.choices)
    reason = models.TextField(_("理由"), blank=True)
    by_presidium = models.BooleanField(_("主席团决定"), default=False)
    decided_by = actor_field(_("决定人"))
    decided_at = models.DateTimeField(_("时间"), default=timezone.now)
    merged_into = optional_link(Proposal)

    class Meta:
        verbose_name = _("审查决定")
        verbose_name_plural = _("审查决定")
        ordering = ["proposal", "decided_at", "id"]

    def __str__(self):
        return f"{self.proposal} {self.get_outcome_display()}"


class HandoverSignOff(models.Model):
    """The leader in charge's sign-off of a session's register and unit assignments
    (交办审签), recorded by the union office; the proposals it covered are handed over."""

    session = models.ForeignKey("congress.CongressSession", on_delete=models.PROTECT, related_name="handovers")
    leader = models.ForeignKey(
        "people.Person", verbose_name=_("分管校领导"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = actor_field()
    signed_on = models.DateField(_("审签日期"))
    proposal_ids = models.JSONField(_("提案"), default=list)
    note = models.TextField(_("备注"), blank=True)

    class Meta:
        verbose_name = _("交办审签")
        verbose_name_plural = _("交办审签")
        ordering = ["-signed_on", "-id"]

    def __str__(self):
        return f"{self.session} {self.signed_on:%Y-%m-%d} {self.leader}"


class HandlingAssignment(models.Model):
    """A unit handling a proposal: the lead unit (主办, writes the one reply) or a co-unit
    (协办, gives input). The deadline is stored with its rule: `deadline_working_days`
    Chinese working days counted from the day after `deadline_from` (chinesecalendar),
    and the computed `deadline`. The lead reply locks after the deadline unless the
    committee reopens it until `reopened_until`."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey(
        "people.UniversityUnit",
        verbose_name=_("承办单位"),
        on_delete=models.PROTECT,
        related_name="proposal_assignments",
    )
    role = models.CharField(_("分工"), max_length=8, choices=AssignmentRole.choices, default=AssignmentRole.LEAD)
    handler = actor_field(_("经办人"), blank=True)
    deadline_from = models.DateField(_("起算日期"), null=True, blank=True)
    deadline_working_days = models.PositiveSmallIntegerField(_("期限（工作日）"), null=True, blank=True)
    deadline_calendar = models.CharField(
        _("日历"), max_length=32, blank=True, help_text=_("chinesecalendar：含法定节假日和调休")
    )
    deadline = models.DateField(_("答复期限"), null=True, blank=True, db_index=True)
    reopened_until = models.DateField(_("重新开放至"), null=True, blank=True)
    reminded_on = models.DateField(_("已提醒日期"), null=True, blank=True)
    co_input = models.TextField(_("协办意见"), blank=True)
    co_input_at = models.DateTimeField(_("协办意见时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("承办单位")
        verbose_name_plural = _("承办单位")
        ordering = ["proposal", "role", "id"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "unit"], name="assignment_unique_unit"),
            models.UniqueConstraint(fields=["proposal"], condition=Q(role="lead"), name="assignment_one_lead"),
        ]

    def __str__(self):
        return f"{self.unit} ({self.get_role_display()})"

    def locked_on(self, day) -> bool:
        """Replies lock after the deadline, unless the committee reopened them to a later day."""
        if self.deadline is None or day <= self.deadline:
            return False
        return not (self.reopened_until and day <= self.reopened_until)


class ContactLog(models.Model):
    """A contact of the handling unit with the proposer (沟通记录)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="contacts")
    unit = models.ForeignKey("people.UniversityUnit", on_delete=models.PROTECT, related_name="+")
    contacted_on = models.DateField(_("日期"))
    method = models.CharField(_("方式"), max_length=16, choices=ContactMethod.choices)
    summary = models.TextField(_("内容"))
    recorded_by = actor_field()

    class Meta:
        verbose_name = _("沟通记录")
        verbose_name_plural = _("沟通记录")
        ordering = ["proposal", "contacted_on", "id"]

    def __str__(self):
        return f"{self.contacted_on:%Y-%m-%d} {self.unit} {self.get_method_display()}"


class ProposalReply(models.Model):
    """The lead unit's one consolidated reply for a round, in a category. Released to the
    proposers only after the leader in charge signed it off (`signed_off_at`)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="replies")
    round = models.PositiveSmallIntegerField(_("轮次"))
    unit = models.ForeignKey("people.UniversityUnit", on_delete=models.PROTECT, related_name="+")
    category = models.CharField(_("答复类别"), max_length=16, choices=ReplyCategory.choices)
    body = models.TextField(_("答复内容"))
    target_date = models.DateField(_("计划完成日期"), null=True, blank=True)
    reasons = models.TextField(_("暂不能解决的原因"), blank=True)
    written_by = actor_field()
    written_at = models.DateTimeField(_("起草时间"), default=timezone.now)
    leader_name = models.CharField(_("审签校领导"), max_length=50, blank=True)
    signed_off_at = models.DateTimeField(_("审签时间"), null=True, blank=True)
    released_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    on_time = models.BooleanField(_("按期答复"), null=True)

    class Meta:
        verbose_name = _("答复")
        verbose_name_plural = _("答复")
        ordering = ["proposal", "round"]
        constraints = [models.UniqueConstraint(fields=["proposal", "round"], name="reply_one_per_round")]

    def __str__(self):
        return f"{self.proposal} #{self.round}"


class SatisfactionRating(models.Model):
    """A proposer's (or, if the session allows, a co-signer's) rating of a released reply.
    `level` is a code of the session's satisfaction scale."""

    reply = models.ForeignKey(ProposalReply, on_delete=models.CASCADE, related_name="ratings")
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="ratings")
    round = models.PositiveSmallIntegerField(_("轮次"))
    rater = models.ForeignKey("congress.Delegate", verbose_name=_("评价人"), on_delete=models.PROTECT, related_name="+")
    level = models.CharField(_("评价"), max_length=32)
    accepts = models.BooleanField(_("认可"))
    comment = models.TextField(_("意见"), blank=True)
    at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("满意度评价")
        verbose_name_plural = _("满意度评价")
        ordering = ["proposal", "round", "at"]
        constraints = [models.UniqueConstraint(fields=["reply", "rater"], name="rating_once_per_reply")]

    def __str__(self):
        return f"{self.proposal} #{self.round} {self.level}"


class Milestone(models.Model):
    """A step of a proposal in follow-up (分期办): planned date, done date, note."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("节点"), max_length=200)
    due_on = models.DateField(_("计划日期"), null=True, blank=True)
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    note = models.TextField(_("说明"), blank=True)
    updated_by = actor_field()

    class Meta:
        verbose_name = _("跟踪节点")
        verbose_name_plural = _("跟踪节点")
        ordering = ["proposal", "due_on", "id"]

    def __str__(self):
        return self.title


class Award(models.Model):
    """Best proposals and best handling units named by the committee for a session."""

    session = models.ForeignKey("congress.CongressSession", on_delete=models.PROTECT, related_name="proposal_awards")
    kind = models.CharField(_("类型"), max_length=16, choices=AwardKind.choices)
    proposal = optional_link(Proposal, related_name="awards")
    unit = optional_link("people.UniversityUnit")
    named_by = actor_field()
    named_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("评优")
        verbose_name_plural = _("评优")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "kind", "proposal"],
                condition=Q(proposal__isnull=False),
                name="award_unique_proposal",
            ),
            models.UniqueConstraint(
                fields=["session", "kind", "unit"], condition=Q(unit__isnull=False), name="award_unique_unit"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.proposal or self.unit}"


class SimilarIndexBuild(models.Model):
    """One build of the similar-proposals index (`similarity.BM25Index.to_bytes`), made by the
    task worker when a proposal enters or leaves the search (ADR 0012). Every web worker reads
    the newest build's bytes once and keeps it until a newer one exists; the builds before the
    newest two are deleted."""

    built_at = models.DateTimeField(_("生成时间"), auto_now_add=True)
    # The proposals it holds (a digest of their ids): a rebuild with the same ones is skipped.
    scope_digest = models.CharField(max_length=64)
    documents = models.PositiveIntegerField(_("提案数"))
    seconds = models.FloatField(_("用时（秒）"))
    data = models.BinaryField()

    class Meta:
        verbose_name = _("相似提案索引")
        verbose_name_plural = _("相似提案索引")

    def __str__(self):
        return f"{self.built_at:%Y-%m-%d %H:%M:%S} ({self.documents})"
