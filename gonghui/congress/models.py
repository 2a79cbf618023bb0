"""Staff congress structure (教职工代表大会): congresses at university and college level,
terms (届), sessions (次会议), delegations (代表团), delegates and the congress's bodies
(proposals committee, presidium).

Built to be reused: proposals hang off a session and a delegate today; draft deliberation
and cadre appraisal (later issues) take the same sessions, delegations and delegates.
The rules of a session's proposals work (window, co-signers, reply days, rating scale …)
are a core rule edition, `SessionRules`, adopted before the solicitation opens (DOMAIN §4.1).
"""

import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gonghui.accounts.access import Access, ScopedQuerySet
from gonghui.congress.choices import CommitteeKind, CongressLevel
from gonghui.core.editions import EditionDocument, EditionStatus, RuleEdition
from gonghui.core.models import TimeStampedModel, WorkflowEvent, optional_link


class PublicStructureQuerySet(ScopedQuerySet):
    """Congress structure is public to every signed-in user; office and administrators write."""

    def scope(self, access: Access, action: str) -> Q | None:
        return Q() if action == "view" else None


class Congress(models.Model):
    """A staff congress: the university's (学校教代会) or a college's (二级教代会, with
    `parent` the university congress and `sub_union` the college's sub-union)."""

    name = models.CharField(_("名称"), max_length=100)
    level = models.CharField(_("层级"), max_length=16, choices=CongressLevel.choices, default=CongressLevel.UNIVERSITY)
    parent = optional_link("self", _("上级教代会"), related_name="children")
    sub_union = optional_link("people.SubUnion", _("所属分工会"), related_name="congresses")

    objects = PublicStructureQuerySet.as_manager()

    class Meta:
        verbose_name = _("教代会")
        verbose_name_plural = _("教代会")
        ordering = ["level", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level=CongressLevel.UNIVERSITY, parent__isnull=True)
                | Q(level=CongressLevel.COLLEGE, parent__isnull=False),
                name="congress_college_has_parent",
            )
        ]

    def __str__(self):
        return self.name


class CongressTerm(models.Model):
    """A term (届) of a congress, e.g. 第七届, usually 3 or 5 years."""

    congress = models.ForeignKey(Congress, verbose_name=_("教代会"), on_delete=models.PROTECT, related_name="terms")
    number = models.PositiveSmallIntegerField(_("届次"))
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)

    objects = PublicStructureQuerySet.as_manager()

    class Meta:
        verbose_name = _("届")
        verbose_name_plural = _("届")
        ordering = ["congress", "-number"]
        constraints = [models.UniqueConstraint(fields=["congress", "number"], name="congress_term_unique_number")]

    def __str__(self):
        return _("%(congress)s第%(n)s届") % {"congress": self.congress.name, "n": self.number}


def default_satisfaction_scale() -> list:
    """The usual scale: 满意 and 基本满意 accept the reply, 不满意 sends it back."""
    return [
        {"code": "satisfied", "label": "满意", "accepts": True},
        {"code": "basically", "label": "基本满意", "accepts": True},
        {"code": "unsatisfied", "label": "不满意", "accepts": False},
    ]


PUBLIC_FIELDS = ("number", "title", "category", "proposers", "units", "status", "suggestions", "reply")


def default_public_fields() -> list:
    return ["number", "title", "category", "proposers", "units", "status", "reply"]


class CongressSession(TimeStampedModel):
    """A session (次会议) of a term, with its dates. The rules of its proposals work (the
    solicitation window, co-signers, reply deadline …) are its `SessionRules`, adopted
    before the solicitation opens."""

    term = models.ForeignKey(CongressTerm, verbose_name=_("届"), on_delete=models.PROTECT, related_name="sessions")
    number = models.PositiveSmallIntegerField(_("次"))
    opens_on = models.DateField(_("开幕日期"))
    closes_on = models.DateField(_("闭幕日期"))

    objects = PublicStructureQuerySet.as_manager()

    class Meta:
        verbose_name = _("会议")
        verbose_name_plural = _("会议")
        ordering = ["-opens_on"]
        constraints = [models.UniqueConstraint(fields=["term", "number"], name="congress_session_unique_number")]

    def __str__(self):
        return _("%(term)s第%(n)s次会议") % {"term": self.term, "n": self.number}

    @property
    def congress(self) -> Congress:
        return self.term.congress

    @property
    def year(self) -> int:
        return self.opens_on.year

    def rules_in_force(self) -> "SessionRules | None":
        """The adopted rules of this session (None before they are adopted)."""
        return self.rules.filter(status=EditionStatus.ADOPTED).select_related("leader_in_charge").first()


_SCALE_SCHEMA = {
    "type": "array",
    "minItems": 2,
    "items": {
        "type": "object",
        "properties": {
            "code": {"type": "string", "minLength": 1, "maxLength": 32},
            "label": {"type": "string", "minLength": 1},
            "accepts": {"type": "boolean"},
        },
        "required": ["code", "label", "accepts"],
        "additionalProperties": False,
    },
}


class SessionRules(RuleEdition):
    """The rules of a session's proposals work (DOMAIN §4.1): a core rule edition, one in
    force per session, adopted (date and act of the presidium or the congress) before the
    solicitation opens. Proposals are solicited between `solicitation_opens_at` and
    `solicitation_closes_at`; what arrives later becomes an opinion (意见建议). The other
    values (examples, configurable): co-signers needed, reply deadline in working days,
    reminder lead time, re-handling rounds before escalation, whether co-signers rate, the
    rating scale, the public fields of the register and the leader in charge."""

    session = models.ForeignKey(CongressSession, verbose_name=_("会议"), on_delete=models.PROTECT, related_name="rules")
    solicitation_opens_at = models.DateTimeField(_("提案征集开始"))
    solicitation_closes_at = models.DateTimeField(_("提案征集截止"))
    min_co_signers = models.PositiveSmallIntegerField(_("附议人数下限"), default=2)
    reply_working_days = models.PositiveSmallIntegerField(_("答复期限（工作日）"), default=20)
    reminder_working_days = models.PositiveSmallIntegerField(_("提前提醒（工作日）"), default=3)
    rounds_before_escalation = models.PositiveSmallIntegerField(_("重新办理几轮后上报"), default=2)
    co_signers_rate = models.BooleanField(_("附议人也可评价答复"), default=False)
    satisfaction_scale = models.JSONField(_("满意度等级"), default=default_satisfaction_scale)
    public_fields = models.JSONField(_("公示字段"), default=default_public_fields)
    leader_in_charge = optional_link("people.Person", _("分管校领导"))

    objects = PublicStructureQuerySet.as_manager()

    document = EditionDocument(
        module="congress",
        key=("session",),
        fields=(
            "solicitation_opens_at",
            "solicitation_closes_at",
            "min_co_signers",
            "reply_working_days",
            "reminder_working_days",
            "rounds_before_escalation",
            "co_signers_rate",
            "satisfaction_scale",
            "public_fields",
            "leader_in_charge_id",
        ),
        json_schemas={
            "satisfaction_scale": _SCALE_SCHEMA,
            "public_fields": {"type": "array", "items": {"enum": list(PUBLIC_FIELDS)}, "uniqueItems": True},
            "leader_in_charge_id": {"anyOf": [{"type": "integer"}, {"type": "null"}]},
        },
        parent="session",
        parent_key="pk",  # the session is named by its id: at another university, put theirs
        year_lookup="session__opens_on__year",
    )

    class Meta:
        verbose_name = _("会议提案规则")
        verbose_name_plural = _("会议提案规则")
        ordering = ["session", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session"], condition=Q(status="adopted"), name="session_rules_one_in_force"
            ),
        ]

    def __str__(self):
        return _("%(session)s提案规则") % {"session": self.session}

    def solicitation_open(self, at: datetime.datetime | None = None) -> bool:
        at = at or timezone.now()
        return self.solicitation_opens_at <= at <= self.solicitation_closes_at

    def scale_level(self, code: str) -> dict | None:
        for level in self.satisfaction_scale:
            if level["code"] == code:
                return level
        return None

    def level_label(self, code: str) -> str:
        """A satisfaction level as the scale names it (the code itself if the scale lost it)."""
        level = self.scale_level(code)
        return level["label"] if level else code

    def adoption_problems(self) -> list[str]:
        problems = []
        if self.solicitation_closes_at <= self.solicitation_opens_at:
            problems.append(gettext("提案征集截止时间应晚于开始时间。"))
        accepts = {bool(level.get("accepts")) for level in self.satisfaction_scale or []}
        if accepts != {True, False}:
            problems.append(gettext("满意度等级须既有认可答复的等级，也有不认可的等级。"))
        codes = [level.get("code") for level in self.satisfaction_scale or []]
        if len(codes) != len(set(codes)):
            problems.append(gettext("满意度等级的代码不能重复。"))
        return problems


class SessionRulesEvent(WorkflowEvent):
    subject = models.ForeignKey(
        SessionRules, verbose_name=_("会议提案规则"), on_delete=models.PROTECT, related_name="events"
    )

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("会议提案规则记录")
        verbose_name_plural = _("会议提案规则记录")


class Delegation(models.Model):
    """A delegation (代表团) of a term, usually one per college; may submit proposals
    collectively through its head."""

    term = models.ForeignKey(CongressTerm, verbose_name=_("届"), on_delete=models.PROTECT, related_name="delegations")
    name = models.CharField(_("名称"), max_length=100)
    sub_union = optional_link("people.SubUnion", _("分工会"))
    head = optional_link("people.Person", _("团长"))

    objects = PublicStructureQuerySet.as_manager()

    class Meta:
        verbose_name = _("代表团")
        verbose_name_plural = _("代表团")
        ordering = ["term", "name"]
        constraints = [models.UniqueConstraint(fields=["term", "name"], name="delegation_unique_name")]

    def __str__(self):
        return self.name


class DelegateQuerySet(PublicStructureQuerySet):
    def current(self, on: datetime.date | None = None):
        on = on or timezone.localdate()
        return self.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=on))


class Delegate(models.Model):
    """A delegate (代表) of one term: a person, their delegation, and whether they are a
    teacher (teachers ≥ 60% of delegates is checked by reports, not refused here)."""

    person = models.ForeignKey(
        "people.Person", verbose_name=_("人员"), on_delete=models.PROTECT, related_name="delegacies"
    )
    term = models.ForeignKey(CongressTerm, verbose_name=_("届"), on_delete=models.PROTECT, related_name="delegates")
    delegation = optional_link(Delegation, _("代表团"), related_name="delegates")
    is_teacher = models.BooleanField(_("教师代表"), default=True)
    elected_on = models.DateField(_("当选日期"), null=True, blank=True)
    ended_on = models.DateField(_("资格终止日期"), null=True, blank=True)

    objects = DelegateQuerySet.as_manager()

    class Meta:
        verbose_name = _("代表")
        verbose_name_plural = _("代表")
        ordering = ["term", "delegation", "person__name_pinyin"]
        constraints = [models.UniqueConstraint(fields=["person", "term"], name="delegate_unique_per_term")]

    def __str__(self):
        return self.person.name


class CommitteeMember(models.Model):
    """A member of one of the congress's bodies: the proposals committee (elected for a
    term, `session` empty) or the presidium (主席团, per session)."""

    kind = models.CharField(_("机构"), max_length=16, choices=CommitteeKind.choices)
    term = models.ForeignKey(
        CongressTerm, verbose_name=_("届"), on_delete=models.PROTECT, related_name="committee_members"
    )
    session = optional_link(CongressSession, _("会议"), related_name="committee_members")
    person = models.ForeignKey("people.Person", verbose_name=_("人员"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("职务"), max_length=30, blank=True, help_text=_("主任、副主任、委员……"))

    objects = PublicStructureQuerySet.as_manager()

    class Meta:
        verbose_name = _("机构成员")
        verbose_name_plural = _("机构成员")
        ordering = ["kind", "term", "id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "term", "session", "person"], name="committee_member_unique")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.person.name}"
