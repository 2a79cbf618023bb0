"""Cadre democratic appraisal (中层干部民主测评, DOMAIN §3.6) at the colleges' congress annual
meetings: the year's rules (an edition: voter categories with weights, grade scales, quorum,
flag thresholds, the mode), a round with its units, cadres and their reports (述职), the
eligible voters per unit and category, paper ballots entered by two tellers, and the results.

Secrecy (DOMAIN §4.4, docs/adr/0009-cadre-appraisal-secrecy.md): online ballots live in core's
ballot store (one box per unit), which keeps who voted apart from what was voted. Paper ballots
are anonymous papers; tellers' entries of them carry no time and no person but the teller.
Results (`AppraisalResult`) are read by the organisation department alone: their queryset
ignores the union office's and auditors' global reading.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gonghui.accounts.access import Access, ScopedQuerySet
from gonghui.accounts.roles import Role
from gonghui.appraisals.choices import BallotKind, Comparison, RoundStatus, VotingMode
from gonghui.core.editions import EditionDocument, EditionPart, Part, RuleEdition
from gonghui.core.models import TimeStampedModel, WorkflowEvent, actor_field, optional_link

# From here on a round's reports and ballots are open to its voters.
PUBLIC_STATUSES = (
    RoundStatus.REPORTS_PUBLISHED,
    RoundStatus.VOTING_OPEN,
    RoundStatus.VOTING_CLOSED,
    RoundStatus.TALLIED,
    RoundStatus.RELEASED,
)


def reads_results(access: Access) -> bool:
    """Only the organisation department reads results: not the union office, not auditors,
    not an administrator without that role."""
    return Role.ORGANISATION_DEPARTMENT in access.roles


class AppraisalRulesQuerySet(ScopedQuerySet):
    def scope(self, access: Access, action: str) -> Q | None:
        """Everyone on the roster reads the rules; the organisation department, which holds
        `adopt_appraisalrules`, also acts on them (the adoption step's "change" scope)."""
        if reads_results(access) or (action == "view" and access.person_id):
            return Q()
        return None


class AppraisalRules(RuleEdition):
    """A year's appraisal rules (考核办法): who votes with what weight, the grade scales, the
    quorum, the flags, how many days ahead the reports are published and the voting mode."""

    year = models.PositiveSmallIntegerField(_("年度"))
    name = models.CharField(_("名称"), max_length=100)
    quorum_numerator = models.PositiveSmallIntegerField(_("参评比例（分子）"), default=2)
    quorum_denominator = models.PositiveSmallIntegerField(_("参评比例（分母）"), default=3)
    report_days = models.PositiveSmallIntegerField(_("述职报告提前公开（天）"), default=3)
    mode = models.CharField(_("投票方式"), max_length=16, choices=VotingMode.choices, default=VotingMode.ONLINE)
    team_ballot = models.BooleanField(_("测评领导班子"), default=True)

    objects = AppraisalRulesQuerySet.as_manager()

    document = EditionDocument(
        module="appraisals",
        key=("year",),
        fields=("year", "name", "quorum_numerator", "quorum_denominator", "report_days", "mode", "team_ballot"),
        parts=(
            Part("categories", ("code", "name", "weight", "counts_for_quorum", "position")),
            Part("grades", ("kind", "code", "label", "score", "position")),
            Part("flags", ("kind", "code", "label", "grades", "comparison", "numerator", "denominator")),
        ),
    )

    class Meta:
        verbose_name = _("测评办法（年度）")
        verbose_name_plural = _("测评办法（年度）")
        ordering = ["-year", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["year"], condition=Q(status="adopted"), name="appraisal_rules_one_a_year"),
            models.CheckConstraint(
                condition=Q(quorum_denominator__gt=0) & Q(quorum_numerator__lte=models.F("quorum_denominator")),
                name="appraisal_rules_quorum_fraction",
            ),
        ]
        permissions = [("adopt_appraisalrules", _("通过测评办法"))]

    def __str__(self):
        return f"{self.year} {self.name}"

    def quorum_for(self, base: int) -> int:
        """The fewest voters of the quorum's base who must take part (ceil of the fraction)."""
        return -(-base * self.quorum_numerator // self.quorum_denominator)

    def scale(self, kind: str) -> list[Grade]:
        return [grade for grade in self.grades.all() if grade.kind == kind]

    def adoption_problems(self) -> list[str]:
        problems = []
        categories = list(self.categories.all())
        if not categories or not any(c.weight for c in categories):
            problems.append(gettext("至少要有一个权重大于 0 的投票人类别。"))
        if not any(c.counts_for_quorum for c in categories):
            problems.append(gettext("至少要有一个类别计入参评比例（如教职工）。"))
        kinds = [BallotKind.CADRE] + ([BallotKind.TEAM] if self.team_ballot else [])
        for kind in kinds:
            if len(self.scale(kind)) < 2:
                problems.append(gettext("“%(kind)s”的等次至少要有两个。") % {"kind": BallotKind(kind).label})
        for flag in self.flags.all():
            codes = {grade.code for grade in self.scale(flag.kind)}
            if not flag.grades or not set(flag.grades) <= codes:
                problems.append(gettext("提示规则“%(label)s”引用了不存在的等次。") % {"label": flag.label})
            if not 0 < flag.numerator <= flag.denominator:
                problems.append(gettext("提示规则“%(label)s”的比例须为不大于 1 的分数。") % {"label": flag.label})
        if not 0 < self.quorum_numerator <= self.quorum_denominator:
            problems.append(gettext("参评比例须为不大于 1 的分数，如 2/3。"))
        return problems


class AppraisalRulesEvent(WorkflowEvent):
    subject = models.ForeignKey(
        AppraisalRules, verbose_name=_("测评办法"), on_delete=models.PROTECT, related_name="events"
    )

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("测评办法记录")
        verbose_name_plural = _("测评办法记录")


class VoterCategory(EditionPart):
    """A kind of voter (校领导 / 中层干部 / 教职工 …) with its weight in the weighted result;
    `counts_for_quorum`: the unit's quorum is counted over these voters (the unit's staff)."""

    edition = models.ForeignKey(
        AppraisalRules, verbose_name=_("测评办法"), on_delete=models.CASCADE, related_name="categories"
    )
    code = models.SlugField(_("代码"), max_length=32)
    name = models.CharField(_("类别"), max_length=50)
    weight = models.PositiveSmallIntegerField(_("权重"))
    counts_for_quorum = models.BooleanField(_("计入参评比例"), default=False)
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("投票人类别")
        verbose_name_plural = _("投票人类别")
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["edition", "code"], name="appraisal_category_code_once")]

    def __str__(self):
        return f"{self.name}（{self.weight}）"


class Grade(EditionPart):
    """One grade of a ballot's scale: 优秀 / 称职 / 基本称职 / 不称职 for a cadre, 好 / 较好 /
    一般 / 差 for the team; `score` makes the weighted score (e.g. 100 / 80 / 60 / 0)."""

    edition = models.ForeignKey(
        AppraisalRules, verbose_name=_("测评办法"), on_delete=models.CASCADE, related_name="grades"
    )
    kind = models.CharField(_("测评对象"), max_length=8, choices=BallotKind.choices)
    code = models.SlugField(_("代码"), max_length=32)
    label = models.CharField(_("等次"), max_length=20)
    score = models.PositiveSmallIntegerField(_("分值"))
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("等次")
        verbose_name_plural = _("等次")
        ordering = ["kind", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["edition", "kind", "code"], name="appraisal_grade_code_once")]

    def __str__(self):
        return self.label


class FlagRule(EditionPart):
    """A threshold that raises a flag on a result: the weighted share of `grades` below or
    above numerator/denominator (优秀+称职 < 2/3 → 诫勉谈话; 不称职 > 1/3 → 考虑调整)."""

    edition = models.ForeignKey(
        AppraisalRules, verbose_name=_("测评办法"), on_delete=models.CASCADE, related_name="flags"
    )
    kind = models.CharField(_("测评对象"), max_length=8, choices=BallotKind.choices, default=BallotKind.CADRE)
    code = models.SlugField(_("代码"), max_length=32)
    label = models.CharField(_("提示"), max_length=50)
    grades = models.JSONField(_("等次"), default=list)
    comparison = models.CharField(_("比较"), max_length=8, choices=Comparison.choices)
    numerator = models.PositiveSmallIntegerField(_("比例（分子）"))
    denominator = models.PositiveSmallIntegerField(_("比例（分母）"))

    class Meta:
        verbose_name = _("提示规则")
        verbose_name_plural = _("提示规则")
        ordering = ["kind", "id"]
        constraints = [models.UniqueConstraint(fields=["edition", "code"], name="appraisal_flag_code_once")]

    def __str__(self):
        return self.label


# --- the round ------------------------------------------------------------------------------


def _participant_condition(person: int, prefix: str = "") -> Q:
    """Rounds in which the person is a voter, a cadre or a teller."""
    return Q(
        Exists(EligibleVoter.objects.filter(round_unit__round=OuterRef(f"{prefix}pk"), person_id=person))
        | Exists(Cadre.objects.filter(round_unit__round=OuterRef(f"{prefix}pk"), person_id=person))
        | Exists(Teller.objects.filter(round_unit__round=OuterRef(f"{prefix}pk"), person_id=person))
    )


class AppraisalRoundQuerySet(ScopedQuerySet):
    def scope(self, access: Access, action: str) -> Q | None:
        """The organisation department reads every round; a person reads the rounds they vote,
        are appraised or count in, once the reports are out; a sub-union officer reads the
        rounds of their college (turnout only)."""
        if action != "view":
            return None
        if reads_results(access):
            return Q()
        condition = None
        if access.person_id:
            condition = Q(status__in=PUBLIC_STATUSES) & _participant_condition(access.person_id)
        if Role.SUB_UNION_OFFICER in access.roles and access.sub_union_ids:
            officer = Q(Exists(RoundUnit.objects.filter(round=OuterRef("pk"), sub_union_id__in=access.sub_union_ids)))
            condition = officer if condition is None else condition | officer
        return condition


class AppraisalRound(TimeStampedModel):
    """A year's appraisal across the colleges' annual meetings, under the year's rules."""

    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("名称"), max_length=200)
    rules = models.ForeignKey(AppraisalRules, verbose_name=_("测评办法"), on_delete=models.PROTECT, related_name="+")
    opens_at = models.DateTimeField(_("投票开始"))
    closes_at = models.DateTimeField(_("投票截止"))
    status = models.CharField(_("状态"), max_length=24, choices=RoundStatus.choices, default=RoundStatus.DRAFT)
    reports_published_at = models.DateTimeField(_("述职报告公开时间"), null=True, blank=True)
    voting_opened_at = models.DateTimeField(_("投票开始时间"), null=True, blank=True)
    voting_closed_at = models.DateTimeField(_("投票截止时间"), null=True, blank=True)
    tallied_at = models.DateTimeField(_("计票时间"), null=True, blank=True)
    released_at = models.DateTimeField(_("结果启封时间"), null=True, blank=True)
    created_by = actor_field(_("创建人"))

    objects = AppraisalRoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("干部民主测评")
        verbose_name_plural = _("干部民主测评")
        ordering = ["-year", "-id"]
        permissions = [
            ("manage_appraisalround", _("组织干部民主测评")),
            ("count_appraisalround", _("录入纸质选票")),
            ("view_appraisalresult", _("查看测评结果")),
            ("release_appraisalround", _("启封测评结果")),
        ]
        constraints = [models.CheckConstraint(condition=Q(closes_at__gt=models.F("opens_at")), name="round_window")]

    def __str__(self):
        return self.title

    @property
    def online(self) -> bool:
        return self.rules.mode in (VotingMode.ONLINE, VotingMode.BOTH)

    @property
    def paper(self) -> bool:
        return self.rules.mode in (VotingMode.PAPER, VotingMode.BOTH)


class AppraisalRoundEvent(WorkflowEvent):
    subject = models.ForeignKey(
        AppraisalRound, verbose_name=_("干部民主测评"), on_delete=models.PROTECT, related_name="events"
    )

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("测评记录")
        verbose_name_plural = _("测评记录")


class RoundPartQuerySet(ScopedQuerySet):
    """Rows of a round (units, cadres, reports) follow the round's visibility."""

    round_path = "round"

    def scope(self, access: Access, action: str) -> Q | None:
        if action != "view":
            return None
        return Q(**{f"{self.round_path}__in": AppraisalRound.objects.restrict_access(access, "view").values("pk")})


class RoundUnitQuerySet(RoundPartQuerySet):
    round_path = "round"


class RoundUnit(models.Model):
    """A college in the round: its annual meeting, its cadres, its voters and its ballot box."""

    round = models.ForeignKey(
        AppraisalRound, verbose_name=_("干部民主测评"), on_delete=models.CASCADE, related_name="units"
    )
    sub_union = models.ForeignKey("people.SubUnion", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    meeting_on = models.DateField(_("年会日期"), null=True, blank=True)
    box = optional_link("core.BallotBox", _("网上投票"))

    objects = RoundUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("参评单位")
        verbose_name_plural = _("参评单位")
        ordering = ["round", "sub_union__sort_key", "sub_union__code"]
        constraints = [models.UniqueConstraint(fields=["round", "sub_union"], name="round_unit_once")]

    def __str__(self):
        return str(self.sub_union)


class CadreQuerySet(RoundPartQuerySet):
    round_path = "round_unit__round"


class Cadre(models.Model):
    """A middle-level cadre appraised in a unit: their post (院长, 书记 …) and their report."""

    round_unit = models.ForeignKey(
        RoundUnit, verbose_name=_("参评单位"), on_delete=models.CASCADE, related_name="cadres"
    )
    person = models.ForeignKey("people.Person", verbose_name=_("干部"), on_delete=models.PROTECT, related_name="+")
    post = models.CharField(_("职务"), max_length=50)
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)
    report_text = models.TextField(_("述职报告"), blank=True)
    report_file = optional_link("attachments.Attachment", _("述职报告文件"))

    objects = CadreQuerySet.as_manager()

    class Meta:
        verbose_name = _("被测评干部")
        verbose_name_plural = _("被测评干部")
        ordering = ["round_unit", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["round_unit", "person"], name="cadre_once_per_unit")]

    def __str__(self):
        return f"{self.person.name}（{self.post}）"

    @property
    def item_key(self) -> str:
        return f"c{self.pk}"

    @property
    def has_report(self) -> bool:
        return bool(self.report_text.strip()) or self.report_file_id is not None


class EligibleVoter(models.Model):
    """Who may vote in a unit, and in which category. The list of who may vote, never how."""

    round_unit = models.ForeignKey(
        RoundUnit, verbose_name=_("参评单位"), on_delete=models.CASCADE, related_name="voters"
    )
    person = models.ForeignKey("people.Person", verbose_name=_("人员"), on_delete=models.PROTECT, related_name="+")
    category = models.SlugField(_("类别"), max_length=32)

    class Meta:
        verbose_name = _("投票人")
        verbose_name_plural = _("投票人")
        constraints = [models.UniqueConstraint(fields=["round_unit", "person"], name="eligible_voter_once")]

    def __str__(self):
        return f"{self.round_unit_id}:{self.person_id}"


class Teller(models.Model):
    """One of a unit's tellers (计票人): two of them enter the paper ballots, each on their own."""

    round_unit = models.ForeignKey(
        RoundUnit, verbose_name=_("参评单位"), on_delete=models.CASCADE, related_name="tellers"
    )
    person = models.ForeignKey("people.Person", verbose_name=_("计票人"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("计票人")
        verbose_name_plural = _("计票人")
        constraints = [models.UniqueConstraint(fields=["round_unit", "person"], name="teller_once")]

    def __str__(self):
        return f"{self.round_unit_id}:{self.person_id}"


class PaperHandout(models.Model):
    """A voter handed a paper ballot at the meeting (sign-in, 签到领票) where the round also
    votes online: participation, so they cannot vote online as well. Never what they voted."""

    round_unit = models.ForeignKey(
        RoundUnit, verbose_name=_("参评单位"), on_delete=models.CASCADE, related_name="handouts"
    )
    person = models.ForeignKey("people.Person", verbose_name=_("人员"), on_delete=models.PROTECT, related_name="+")
    category = models.SlugField(_("类别"), max_length=32)

    class Meta:
        verbose_name = _("纸质选票领取")
        verbose_name_plural = _("纸质选票领取")
        constraints = [models.UniqueConstraint(fields=["round_unit", "person"], name="paper_handout_once")]

    def __str__(self):
        return f"{self.round_unit_id}:{self.person_id}"


class PaperBallot(models.Model):
    """One paper ballot as one teller read it: the category (the ballot's colour), spoilt or
    the grades ({item key: grade code}). A random key and no time: papers are anonymous, and
    their entries say no more than the papers do."""

    key = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round_unit = models.ForeignKey(RoundUnit, verbose_name=_("参评单位"), on_delete=models.CASCADE, related_name="+")
    teller = models.ForeignKey("people.Person", verbose_name=_("计票人"), on_delete=models.PROTECT, related_name="+")
    category = models.SlugField(_("类别"), max_length=32)
    spoilt = models.BooleanField(_("废票"), default=False)
    choices = models.JSONField(_("选择"), default=dict)

    class Meta:
        verbose_name = _("纸质选票录入")
        verbose_name_plural = _("纸质选票录入")

    def __str__(self):
        return str(self.key)


class PaperCount(models.Model):
    """A unit's paper ballots of one category once both tellers' tallies agreed: the counts
    that enter the result."""

    round_unit = models.ForeignKey(
        RoundUnit, verbose_name=_("参评单位"), on_delete=models.CASCADE, related_name="paper_counts"
    )
    category = models.SlugField(_("类别"), max_length=32)
    ballots = models.PositiveIntegerField(_("收回选票"))
    spoilt = models.PositiveIntegerField(_("废票"))
    counts = models.JSONField(_("计票"))  # {item key: {grade code: n}}
    tellers = models.CharField(_("计票人"), max_length=100)
    agreed_at = models.DateTimeField(_("核对一致时间"))
    agreed_by = actor_field(_("核对人"))

    class Meta:
        verbose_name = _("纸质票计票")
        verbose_name_plural = _("纸质票计票")
        constraints = [models.UniqueConstraint(fields=["round_unit", "category"], name="paper_count_once")]

    def __str__(self):
        return f"{self.round_unit_id}:{self.category}"


class UnitTurnout(models.Model):
    """A unit's participation at the tally: who could vote, who took part (online and paper),
    the quorum, and whether it was met (a unit under quorum has no final result)."""

    round_unit = models.OneToOneField(
        RoundUnit, verbose_name=_("参评单位"), on_delete=models.CASCADE, related_name="turnout"
    )
    eligible = models.PositiveIntegerField(_("应参评"))
    quorum_base = models.PositiveIntegerField(_("参评比例基数"))
    quorum_needed = models.PositiveIntegerField(_("至少参评"))
    quorum_counted = models.PositiveIntegerField(_("计入参评比例的实参评"))
    online = models.PositiveIntegerField(_("网上投票"))
    paper = models.PositiveIntegerField(_("纸质选票"))
    spoilt = models.PositiveIntegerField(_("废票"))
    by_category = models.JSONField(_("各类别"), default=dict)  # code -> {eligible, took_part}
    quorum_met = models.BooleanField(_("达到参评比例"))

    class Meta:
        verbose_name = _("参评情况")
        verbose_name_plural = _("参评情况")

    def __str__(self):
        return str(self.round_unit)

    @property
    def took_part(self) -> int:
        return self.online + self.paper


class AppraisalResultQuerySet(models.QuerySet):
    """Results: the organisation department's, once released, and no one else's. Not a
    `ScopedQuerySet`: the union office's and auditors' global reading does not reach them."""

    def restrict(self, user, action: str = "view"):
        from gonghui.accounts.access import get_access

        return self.restrict_access(get_access(user), action)

    def restrict_access(self, access: Access, action: str = "view"):
        if action != "view" or not reads_results(access):
            return self.none()
        return self.filter(round_unit__round__status=RoundStatus.RELEASED)


class AppraisalResult(models.Model):
    """One cadre's (or the team's) result in a unit: counts per category and grade, the
    weighted shares and score, and the flags raised. Final only where the unit met quorum."""

    round_unit = models.ForeignKey(RoundUnit, verbose_name=_("参评单位"), on_delete=models.CASCADE, related_name="+")
    cadre = models.OneToOneField(
        Cadre, verbose_name=_("干部"), null=True, blank=True, on_delete=models.CASCADE, related_name="result"
    )
    kind = models.CharField(_("测评对象"), max_length=8, choices=BallotKind.choices)
    counts = models.JSONField(_("各类别计票"))  # category -> grade -> n
    valid = models.JSONField(_("各类别有效票"))  # category -> n
    shares = models.JSONField(_("加权比例"))  # grade -> "0.6667"
    score = models.DecimalField(_("加权得分"), max_digits=6, decimal_places=2)
    flags = models.JSONField(_("提示"), default=list)  # [flag code]
    final = models.BooleanField(_("结果有效"))

    objects = AppraisalResultQuerySet.as_manager()

    class Meta:
        verbose_name = _("测评结果")
        verbose_name_plural = _("测评结果")
        ordering = ["round_unit", "kind", "cadre__position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round_unit"], condition=Q(kind="team"), name="appraisal_team_result_once")
        ]

    def __str__(self):
        return str(self.cadre) if self.cadre_id else gettext("领导班子")
