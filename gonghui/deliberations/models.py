"""Draft deliberation by the staff congress (专题会议审议, DOMAIN §3.5): a plan drafted by a
university unit (the performance-pay reform by 人事处) goes through numbered versions, each
split into articles; opinion rounds collect staff's opinions per article through their
colleges; the union office rolls them up, grouping near-identical ones; the drafting unit
answers every group (采纳 / 部分采纳 / 不采纳 with a reason); the next version carries the
answers; the congress votes on the last one under the session's vote rules (an edition).

Every status change goes through core's `transition` (workflow.py). A published version and
its articles never change (`VersionLocked`).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gonghui.accounts.access import Access, ScopedQuerySet
from gonghui.accounts.roles import Role
from gonghui.congress.models import PublicStructureQuerySet
from gonghui.core.editions import EditionDocument, RuleEdition
from gonghui.core.exceptions import ApplicationError
from gonghui.core.models import TimeStampedModel, WorkflowEvent, actor_field, optional_link
from gonghui.deliberations.choices import (
    AnswerStatus,
    DeliberationStatus,
    MajorityBase,
    OpinionChannel,
    RoundAudience,
    VersionStatus,
    VoteMethod,
)

# Past the college stage: the drafting unit has the roll-up in hand.
SENT_TO_UNIT = (
    DeliberationStatus.AWAITING_RESPONSE,
    DeliberationStatus.RESPONDED,
    DeliberationStatus.VOTING,
    DeliberationStatus.ADOPTED,
    DeliberationStatus.REJECTED,
)


def _presidium_sessions(person_id) -> models.QuerySet:
    from gonghui.congress.choices import CommitteeKind
    from gonghui.congress.models import CommitteeMember, CongressSession

    members = CommitteeMember.objects.filter(kind=CommitteeKind.PRESIDIUM, person_id=person_id).filter(
        Q(session_id=OuterRef("pk")) | Q(session__isnull=True, term_id=OuterRef("term_id"))
    )
    return CongressSession.objects.filter(Exists(members)).values("pk")


def on_presidium(access: Access, session_id: int) -> bool:
    return bool(access.person_id) and _presidium_sessions(access.person_id).filter(pk=session_id).exists()


def _delegate_terms(person_id) -> models.QuerySet:
    from gonghui.congress.models import Delegate

    return Delegate.objects.current().filter(person_id=person_id).values("term_id")


def _people():
    from gonghui.people.choices import EmploymentStatus
    from gonghui.people.models import Person

    return Person, EmploymentStatus


def insider_condition(access: Access, prefix: str = "") -> Q:
    """Deliberations (reached from a row by `prefix`) whose insiders `access` is among: the
    session's presidium, and the drafting unit's officers."""
    condition = Q(pk__in=[])
    if access.person_id:
        condition |= Q(**{f"{prefix}session_id__in": _presidium_sessions(access.person_id)})
    if Role.HANDLING_UNIT_OFFICER in access.roles and access.unit_ids:
        condition |= Q(**{f"{prefix}drafting_unit_id__in": access.unit_ids})
    return condition


class DeliberationQuerySet(ScopedQuerySet):
    def scope(self, access: Access, action: str) -> Q | None:
        """The presidium sees its session's deliberations and the drafting unit's officers
        their unit's; once a version is published, sub-union officers (who collect their
        college's opinions) and the staff asked for opinions see it too: the session's
        delegates, or everyone when a round was open to all staff."""
        condition = insider_condition(access)
        if action == "view":
            published = Q(
                Exists(DraftVersion.objects.filter(deliberation=OuterRef("pk"), status=VersionStatus.PUBLISHED))
            )
            if Role.SUB_UNION_OFFICER in access.roles:
                condition |= published
            elif access.person_id:
                Person, EmploymentStatus = _people()
                # all staff: the serving staff, whom an all-staff round asks (not retirees)
                serving = Exists(Person.objects.filter(pk=access.person_id, employment_status=EmploymentStatus.ACTIVE))
                all_staff = Exists(
                    OpinionRound.objects.filter(deliberation=OuterRef("pk"), audience=RoundAudience.ALL_STAFF)
                )
                asked = Q(session__term_id__in=_delegate_terms(access.person_id)) | Q(all_staff & serving)
                condition |= published & asked
        return Q(pk__in=self.model._default_manager.filter(condition).values("pk"))


class Deliberation(TimeStampedModel):
    """A draft the congress deliberates (e.g. 绩效工资改革方案), drafted by one university
    unit, for one congress session."""

    session = models.ForeignKey(
        "congress.CongressSession", verbose_name=_("会议"), on_delete=models.PROTECT, related_name="deliberations"
    )
    topic = models.CharField(_("议题"), max_length=200)
    drafting_unit = models.ForeignKey(
        "people.UniversityUnit", verbose_name=_("起草单位"), on_delete=models.PROTECT, related_name="+"
    )
    description = models.TextField(_("说明"), blank=True)
    status = models.CharField(
        _("状态"), max_length=24, choices=DeliberationStatus.choices, default=DeliberationStatus.DRAFTING
    )
    created_by = actor_field(_("创建人"))
    decided_at = models.DateTimeField(_("表决时间"), null=True, blank=True)

    objects = DeliberationQuerySet.as_manager()

    class Meta:
        verbose_name = _("专题审议")
        verbose_name_plural = _("专题审议")
        ordering = ["-created_at", "-id"]
        permissions = [
            ("manage_deliberation", _("组织专题审议（版本、征求意见、汇总、表决）")),
            ("answer_deliberation", _("答复专题审议意见（起草单位）")),
            ("collect_opinion", _("收集和代录本学院意见")),
            ("report_deliberation", _("专题审议报表")),
        ]

    def __str__(self):
        return self.topic

    def latest_version(self, *, published: bool = True) -> DraftVersion | None:
        versions = self.versions.all()
        if published:
            versions = versions.filter(status=VersionStatus.PUBLISHED)
        return versions.order_by("-number").first()

    def current_round(self) -> OpinionRound | None:
        return self.rounds.order_by("-number").first()


class DeliberationEvent(WorkflowEvent):
    subject = models.ForeignKey(
        Deliberation, verbose_name=_("专题审议"), on_delete=models.PROTECT, related_name="events"
    )

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("专题审议记录")
        verbose_name_plural = _("专题审议记录")


class VersionLocked(ApplicationError):
    """A published version (or one of its articles) was about to change."""


def _version_locked(version: DraftVersion) -> VersionLocked:
    return VersionLocked(
        gettext("%(version)s已发布，不能修改；请起草新的版本。") % {"version": version},
        extra={"version": version.pk},
    )


class DraftVersionQuerySet(ScopedQuerySet):
    def scope(self, access: Access, action: str) -> Q | None:
        """Readers of the deliberation see its published versions; its insiders (presidium,
        drafting unit) its drafts too."""
        insiders = Q(**{"deliberation__in": Deliberation.objects.filter(insider_condition(access)).values("pk")})
        if action != "view":
            return insiders
        readable = Deliberation.objects.restrict_access(access, "view").values("pk")
        return insiders | Q(status=VersionStatus.PUBLISHED, deliberation__in=readable)


# Fields the lifecycle writes on a published version.
VERSION_LIFECYCLE_FIELDS = frozenset({"status", "published_at", "updated_at"})


class DraftVersion(TimeStampedModel):
    """A numbered version of the draft (第1稿 …): its preamble and its articles. Published,
    it never changes again."""

    deliberation = models.ForeignKey(
        Deliberation, verbose_name=_("专题审议"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("稿次"))
    status = models.CharField(_("状态"), max_length=16, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    title = models.CharField(_("标题"), max_length=200)
    preamble = models.TextField(_("前言"), blank=True)
    change_note = models.TextField(_("修改说明"), blank=True)
    source_name = models.CharField(_("来源文件"), max_length=200, blank=True)
    created_by = actor_field(_("创建人"))
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)

    objects = DraftVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("稿本")
        verbose_name_plural = _("稿本")
        ordering = ["deliberation", "number"]
        constraints = [
            models.UniqueConstraint(fields=["deliberation", "number"], name="draft_version_unique_number"),
        ]

    def __str__(self):
        return gettext("第%(n)s稿") % {"n": self.number}

    def save(self, *args, **kwargs):
        if self.pk is not None:
            stored = type(self)._default_manager.filter(pk=self.pk).values_list("status", flat=True).first()
            update_fields = kwargs.get("update_fields")
            if stored == VersionStatus.PUBLISHED and (
                update_fields is None or not set(update_fields) <= VERSION_LIFECYCLE_FIELDS
            ):
                raise _version_locked(self)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.is_published_in_db():
            raise _version_locked(self)
        return super().delete(*args, **kwargs)

    def is_published_in_db(self) -> bool:
        return type(self)._default_manager.filter(pk=self.pk, status=VersionStatus.PUBLISHED).exists()

    @property
    def is_published(self) -> bool:
        return self.status == VersionStatus.PUBLISHED


class DraftVersionEvent(WorkflowEvent):
    subject = models.ForeignKey(DraftVersion, verbose_name=_("稿本"), on_delete=models.PROTECT, related_name="events")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("稿本记录")
        verbose_name_plural = _("稿本记录")


class ArticleQuerySet(ScopedQuerySet):
    def scope(self, access: Access, action: str) -> Q | None:
        return Q(version__in=DraftVersion.objects.restrict_access(access, action).values("pk"))


class Article(models.Model):
    """One numbered article (第一条 …) of a version, under its chapter (第一章 …) if any."""

    version = models.ForeignKey(DraftVersion, verbose_name=_("稿本"), on_delete=models.CASCADE, related_name="articles")
    position = models.PositiveSmallIntegerField(_("序号"))
    label = models.CharField(_("条号"), max_length=20)
    chapter = models.CharField(_("章"), max_length=200, blank=True)
    text = models.TextField(_("条文"))

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("条款")
        verbose_name_plural = _("条款")
        ordering = ["version", "position"]
        constraints = [models.UniqueConstraint(fields=["version", "position"], name="article_unique_position")]

    def __str__(self):
        return self.label

    def save(self, *args, **kwargs):
        if DraftVersion.objects.filter(pk=self.version_id, status=VersionStatus.PUBLISHED).exists():
            raise _version_locked(self.version)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if DraftVersion.objects.filter(pk=self.version_id, status=VersionStatus.PUBLISHED).exists():
            raise _version_locked(self.version)
        return super().delete(*args, **kwargs)


class OpinionRoundQuerySet(ScopedQuerySet):
    def scope(self, access: Access, action: str) -> Q | None:
        if action != "view":
            return None
        return Q(deliberation__in=Deliberation.objects.restrict_access(access, "view").values("pk"))


class OpinionRound(TimeStampedModel):
    """A round of opinions on one published version: when it is open, who is asked (the
    delegates, or all staff through their colleges), whether members give opinions online
    (colleges may always enter paper ones), and whether authors are hidden from the
    drafting unit (the union office always sees them)."""

    deliberation = models.ForeignKey(
        Deliberation, verbose_name=_("专题审议"), on_delete=models.PROTECT, related_name="rounds"
    )
    version = models.ForeignKey(DraftVersion, verbose_name=_("稿本"), on_delete=models.PROTECT, related_name="rounds")
    number = models.PositiveSmallIntegerField(_("轮次"))
    opens_at = models.DateTimeField(_("开始时间"))
    closes_at = models.DateTimeField(_("截止时间"))
    closed_at = models.DateTimeField(_("实际截止时间"), null=True, blank=True)
    audience = models.CharField(
        _("征求范围"), max_length=16, choices=RoundAudience.choices, default=RoundAudience.ALL_STAFF
    )
    online = models.BooleanField(_("允许网上提交"), default=True)
    anonymous = models.BooleanField(
        _("对起草单位匿名"), default=False, help_text=_("起草单位看不到意见提出人；校工会始终可见。")
    )
    sent_at = models.DateTimeField(_("汇总送起草单位时间"), null=True, blank=True)
    answered_at = models.DateTimeField(_("答复发布时间"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("截止提醒时间"), null=True, blank=True)
    # {college id: members of staff asked} at the close, so participation stays what it was
    staff_asked = models.JSONField(_("征求对象人数"), default=dict, blank=True)

    objects = OpinionRoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("意见征求轮次")
        verbose_name_plural = _("意见征求轮次")
        ordering = ["deliberation", "number"]
        constraints = [
            models.UniqueConstraint(fields=["deliberation", "number"], name="opinion_round_unique_number"),
            models.CheckConstraint(condition=Q(closes_at__gt=models.F("opens_at")), name="opinion_round_closes_after"),
        ]

    def __str__(self):
        return gettext("第%(n)s轮意见征求") % {"n": self.number}

    @property
    def ends_at(self):
        """When the round stopped taking opinions: closed early, or at its closing time."""
        return min(self.closed_at, self.closes_at) if self.closed_at else self.closes_at

    def is_open(self, at=None) -> bool:
        at = at or timezone.now()
        return self.opens_at <= at < self.ends_at


class OpinionQuerySet(ScopedQuerySet):
    def scope(self, access: Access, action: str) -> Q | None:
        """Members: their own opinions. Sub-union officers: their colleges'. The drafting
        unit: opinions on its drafts once the roll-up is sent (authors hidden when the round
        is anonymous: `author_shown_to`). The presidium: its session's."""
        if action != "view":
            return None
        condition = Q(pk__in=[])
        if access.person_id:
            condition |= Q(author_id=access.person_id)
            condition |= Q(round__deliberation__session_id__in=_presidium_sessions(access.person_id))
        if Role.SUB_UNION_OFFICER in access.roles and access.sub_union_ids:
            condition |= Q(sub_union_id__in=access.sub_union_ids)
        if Role.HANDLING_UNIT_OFFICER in access.roles and access.unit_ids:
            condition |= Q(round__deliberation__drafting_unit_id__in=access.unit_ids, round__sent_at__isnull=False)
        return condition


class Opinion(models.Model):
    """One opinion on one article of the round's version, or on the draft in general
    (`article` empty). `author` is the member who gave it (empty for a college's collective
    opinion); `sub_union` the college it came through. A college officer may enter a paper
    opinion on a member's behalf (`channel` paper, `entered_by` the officer)."""

    round = models.ForeignKey(OpinionRound, verbose_name=_("轮次"), on_delete=models.PROTECT, related_name="opinions")
    article = optional_link(Article, _("条款"), related_name="opinions")
    author = optional_link("people.Person", _("提出人"), related_name="+")
    sub_union = models.ForeignKey(
        "people.SubUnion", verbose_name=_("学院（分工会）"), on_delete=models.PROTECT, related_name="+"
    )
    is_delegate = models.BooleanField(_("代表意见"), default=False)
    text = models.TextField(_("意见"))
    channel = models.CharField(_("方式"), max_length=16, choices=OpinionChannel.choices, default=OpinionChannel.ONLINE)
    entered_by = actor_field(_("录入人"))
    created_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    group = optional_link("OpinionGroup", _("归并组"), related_name="opinions", on_delete=models.SET_NULL)

    objects = OpinionQuerySet.as_manager()

    class Meta:
        verbose_name = _("意见")
        verbose_name_plural = _("意见")
        ordering = ["round", F("article__position").asc(nulls_first=True), "id"]
        indexes = [
            models.Index(fields=["round", "sub_union"], name="opinion_round_college_idx"),
            models.Index(fields=["round", "article"], name="opinion_round_article_idx"),
            models.Index(fields=["author"], name="opinion_author_idx"),
        ]

    def __str__(self):
        return self.text[:40]

    def author_shown_to(self, access: Access, *, presidium: bool | None = None) -> bool:
        """Whether `access` may see who gave this opinion: hidden from the drafting unit when
        the round is anonymous; the union office, the presidium and the college see it.
        `presidium`: whether `access` sits on the session's presidium, when the caller knows
        (a list asks once, not once per opinion)."""
        if not self.round.anonymous or access.reads_everything:
            return True
        if access.person_id and access.person_id == self.author_id:
            return True
        if Role.SUB_UNION_OFFICER in access.roles and self.sub_union_id in access.sub_union_ids:
            return True
        if presidium is None:
            presidium = on_presidium(access, self.round.deliberation.session_id)
        return presidium


class OpinionGroupQuerySet(ScopedQuerySet):
    def scope(self, access: Access, action: str) -> Q | None:
        """The drafting unit and the presidium: every group of their deliberations; readers of
        a deliberation: its groups once the answers are published."""
        # the drafting unit once the roll-up is sent; the presidium always
        presidium = Q(pk__in=[])
        if access.person_id:
            presidium = Q(round__deliberation__session_id__in=_presidium_sessions(access.person_id))
        insiders = insider_condition(access, "round__deliberation__") & (Q(round__sent_at__isnull=False) | presidium)
        if action != "view":
            return insiders
        readable = Deliberation.objects.restrict_access(access, "view").values("pk")
        return insiders | Q(round__answered_at__isnull=False, round__deliberation__in=readable)


class OpinionGroup(TimeStampedModel):
    """Near-identical opinions on one article (or in general), rolled up by the union office
    and answered once by the drafting unit: 采纳, 部分采纳 or 不采纳 (with a reason unless
    adopted). A group of one is a single opinion."""

    round = models.ForeignKey(OpinionRound, verbose_name=_("轮次"), on_delete=models.PROTECT, related_name="groups")
    article = optional_link(Article, _("条款"), related_name="opinion_groups")
    number = models.PositiveIntegerField(_("序号"))
    summary = models.TextField(_("意见摘要"))
    size = models.PositiveIntegerField(_("意见条数"), default=1)
    colleges = models.PositiveIntegerField(_("涉及学院数"), default=1)
    status = models.CharField(_("答复"), max_length=16, choices=AnswerStatus.choices, default=AnswerStatus.PENDING)
    reason = models.TextField(_("理由"), blank=True)
    answered_by = actor_field(_("答复人"))
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)

    objects = OpinionGroupQuerySet.as_manager()

    class Meta:
        verbose_name = _("意见归并组")
        verbose_name_plural = _("意见归并组")
        ordering = ["round", "number"]
        constraints = [models.UniqueConstraint(fields=["round", "number"], name="opinion_group_unique_number")]
        indexes = [models.Index(fields=["round", "status"], name="opinion_group_round_status_idx")]

    def __str__(self):
        return gettext("意见%(n)s") % {"n": self.number}


class OpinionGroupEvent(WorkflowEvent):
    subject = models.ForeignKey(
        OpinionGroup, verbose_name=_("意见归并组"), on_delete=models.PROTECT, related_name="events"
    )

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("意见答复记录")
        verbose_name_plural = _("意见答复记录")


class VoteRules(RuleEdition):
    """A session's vote rule (DOMAIN §3.4 structure): the quorum (e.g. ≥ 2/3 of all
    delegates present) and the majority (e.g. more than half of all delegates). An edition:
    adopted before the vote, never changed after."""

    session = models.ForeignKey(
        "congress.CongressSession", verbose_name=_("会议"), on_delete=models.PROTECT, related_name="vote_rules"
    )
    quorum_numerator = models.PositiveSmallIntegerField(_("法定人数（分子）"), default=2)
    quorum_denominator = models.PositiveSmallIntegerField(_("法定人数（分母）"), default=3)
    majority_base = models.CharField(
        _("过半数基数"), max_length=16, choices=MajorityBase.choices, default=MajorityBase.ALL_DELEGATES
    )

    objects = PublicStructureQuerySet.as_manager()

    document = EditionDocument(
        module="deliberations",
        key=("session",),
        fields=("quorum_numerator", "quorum_denominator", "majority_base"),
        parent="session",
        parent_key="pk",
        year_lookup="session__opens_on__year",
    )

    class Meta:
        verbose_name = _("表决规则")
        verbose_name_plural = _("表决规则")
        ordering = ["session", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["session"], condition=Q(status="adopted"), name="vote_rules_one_in_force"),
            models.CheckConstraint(
                condition=Q(quorum_denominator__gt=0) & Q(quorum_numerator__lte=models.F("quorum_denominator")),
                name="vote_rules_quorum_fraction",
            ),
        ]

    def __str__(self):
        return gettext("%(session)s表决规则") % {"session": self.session}

    def quorum_for(self, delegates: int) -> int:
        """The fewest delegates present for a valid vote (ceil of the fraction)."""
        return -(-delegates * self.quorum_numerator // self.quorum_denominator)

    def majority_for(self, *, delegates: int, present: int) -> int:
        """The fewest votes for that adopt: more than half of the base."""
        base = delegates if self.majority_base == MajorityBase.ALL_DELEGATES else present
        return base // 2 + 1

    def adoption_problems(self) -> list[str]:
        if not 0 < self.quorum_numerator <= self.quorum_denominator:
            return [gettext("法定人数须为不大于 1 的分数，如 2/3。")]
        return []


class VoteRulesEvent(WorkflowEvent):
    subject = models.ForeignKey(VoteRules, verbose_name=_("表决规则"), on_delete=models.PROTECT, related_name="events")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("表决规则记录")
        verbose_name_plural = _("表决规则记录")


class Vote(models.Model):
    """The congress's vote on one version: delegates of the term, present, for, against and
    abstaining, under the vote rules in force; the outcome follows from the rules."""

    deliberation = models.ForeignKey(
        Deliberation, verbose_name=_("专题审议"), on_delete=models.PROTECT, related_name="votes"
    )
    version = models.ForeignKey(DraftVersion, verbose_name=_("表决稿"), on_delete=models.PROTECT, related_name="+")
    rules = models.ForeignKey(VoteRules, verbose_name=_("表决规则"), on_delete=models.PROTECT, related_name="+")
    method = models.CharField(_("表决方式"), max_length=16, choices=VoteMethod.choices)
    delegates = models.PositiveIntegerField(_("应到代表"))
    present = models.PositiveIntegerField(_("实到代表"))
    votes_for = models.PositiveIntegerField(_("赞成"))
    votes_against = models.PositiveIntegerField(_("反对"))
    abstentions = models.PositiveIntegerField(_("弃权"))
    adopted = models.BooleanField(_("通过"))
    held_on = models.DateField(_("表决日期"))
    ballot_box = optional_link("core.BallotBox", _("无记名投票"))
    recorded_by = actor_field(_("录入人"))
    recorded_at = models.DateTimeField(_("录入时间"), default=timezone.now)

    class Meta:
        verbose_name = _("表决结果")
        verbose_name_plural = _("表决结果")
        constraints = [
            models.CheckConstraint(
                condition=Q(present__lte=models.F("delegates"))
                & Q(
                    present__gte=models.F("votes_for") + models.F("votes_against") + models.F("abstentions"),
                ),
                name="vote_counts_within_present",
            )
        ]

    def __str__(self):
        return gettext("赞成 %(f)s，反对 %(a)s，弃权 %(ab)s") % {
            "f": self.votes_for,
            "a": self.votes_against,
            "ab": self.abstentions,
        }
