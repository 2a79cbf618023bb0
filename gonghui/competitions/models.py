"""The young teachers' teaching competition (青年教师教学基本功比赛, DOMAIN §3.7).

An edition (届) at one of four levels (院 / 校 / 北京市 / 全国) runs under its rules, a core
rule edition: the groups (discipline × tier), the scored parts with weights and criteria, the
trimmed mean, rounding and tie-break, the prize scheme and the eligibility rules. Colleges
nominate entries; contestants upload their materials (versions kept, locked at the deadline);
a recorded, seeded draw sets the order and the lesson; judges score on score sheets (one per
judge and entry, conflicts refused); the office publishes the awards for a publicity period,
then releases them with certificates. Editions the university does not run (Beijing, national)
hold results entered as recorded, and the history of every edition.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gonghui.accounts.access import Access, ScopedQuerySet, any_of, officer_condition
from gonghui.accounts.roles import Role
from gonghui.competitions.choices import (
    HOSTED_LEVELS,
    AwardKind,
    CompetitionStatus,
    EntryStatus,
    Level,
    MaterialKind,
    PastWinnerRule,
    Rounding,
    SheetStatus,
    SpecialBasis,
    TeachingPost,
)
from gonghui.core.editions import EditionDocument, EditionPart, Part, RuleEdition
from gonghui.core.models import TimeStampedModel, WorkflowEvent, actor_field, optional_link

# From here on an edition is open to the whole union (its notice, its entries' colleges).
OPEN_STATUSES = tuple(s for s in CompetitionStatus if s != CompetitionStatus.DRAFT)
# From here on a contestant reads their own scores and certificates.
FINAL_STATUSES = (CompetitionStatus.RELEASED, CompetitionStatus.RECORDED)


class CompetitionRulesQuerySet(ScopedQuerySet):
    def scope(self, access: Access, action: str) -> Q | None:
        """The rules are public to everyone on the roster and to the colleges' officers."""
        if action == "view" and (access.person_id or Role.SUB_UNION_OFFICER in access.roles):
            return Q()
        return None


class CompetitionRules(RuleEdition):
    """An edition's rules (比赛方案): who may enter, how many seats each college has, what is
    scored with which weights, how the judges' scores become one, and what is awarded."""

    level = models.CharField(_("级别"), max_length=16, choices=Level.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    name = models.CharField(_("名称"), max_length=100)
    born_on_or_after = models.DateField(_("出生日期不早于"), null=True, blank=True)
    member_required = models.BooleanField(_("须为工会会员"), default=True)
    eligible_posts = models.JSONField(_("可参赛岗位"), default=list, blank=True)
    past_winner_rule = models.CharField(
        _("往届获奖者"), max_length=16, choices=PastWinnerRule.choices, default=PastWinnerRule.FIRST_PRIZE
    )
    quota_per = models.PositiveSmallIntegerField(
        _("名额基数（每多少名青年教师一个名额）"), default=0, help_text=_("0 表示不限名额")
    )
    quota_bonus = models.PositiveSmallIntegerField(_("每单位另加名额"), default=0)
    lesson_plans_required = models.PositiveSmallIntegerField(_("须交教案（份）"), default=5)
    lesson_minutes = models.PositiveSmallIntegerField(_("每份教案学时（分钟）"), default=50)
    trim_highest = models.PositiveSmallIntegerField(_("去掉最高分（个）"), default=1)
    trim_lowest = models.PositiveSmallIntegerField(_("去掉最低分（个）"), default=1)
    trim_min_scores = models.PositiveSmallIntegerField(
        _("至少几个评分才去掉最高最低分"), default=5, help_text=_("评分少于此数时取全部评分的平均")
    )
    places = models.PositiveSmallIntegerField(_("总分保留小数位"), default=2)
    rounding = models.CharField(_("舍入"), max_length=8, choices=Rounding.choices, default=Rounding.HALF_UP)
    tie_break = models.JSONField(
        _("同分比较顺序"), default=list, blank=True, help_text=_("依次比较的评分项目代码；仍相同则并列")
    )
    judges_per_group = models.PositiveSmallIntegerField(_("每组评委（人）"), default=7)

    objects = CompetitionRulesQuerySet.as_manager()

    document = EditionDocument(
        module="competitions",
        key=("level", "year"),
        fields=(
            "level",
            "year",
            "name",
            "born_on_or_after",
            "member_required",
            "eligible_posts",
            "past_winner_rule",
            "quota_per",
            "quota_bonus",
            "lesson_plans_required",
            "lesson_minutes",
            "trim_highest",
            "trim_lowest",
            "trim_min_scores",
            "places",
            "rounding",
            "tie_break",
            "judges_per_group",
        ),
        parts=(
            Part("groups", ("code", "discipline", "tier", "position")),
            Part("parts", ("code", "label", "weight", "full_marks", "criteria", "position")),
            Part("prizes", ("code", "label", "count", "share", "position")),
            Part("specials", ("code", "label", "kind", "basis", "part_code", "position")),
        ),
    )

    class Meta:
        verbose_name = _("比赛方案")
        verbose_name_plural = _("比赛方案")
        ordering = ["-year", "level", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["level", "year"], condition=Q(status="adopted"), name="competition_rules_one_a_level_year"
            ),
        ]
        permissions = [("adopt_competitionrules", _("通过比赛方案"))]

    def __str__(self):
        return f"{self.year} {self.name}"

    def adoption_problems(self) -> list[str]:
        problems = []
        groups = list(self.groups.all())
        parts = list(self.parts.all())
        if not groups:
            problems.append(gettext("至少要有一个组别。"))
        if self.level in HOSTED_LEVELS:
            if not parts:
                problems.append(gettext("至少要有一个评分项目。"))
            elif sum(p.weight for p in parts) != 100:
                problems.append(gettext("评分项目的权重合计须为 100。"))
            for part in parts:
                if part.full_marks <= 0:
                    problems.append(gettext("评分项目“%(label)s”的满分须大于 0。") % {"label": part.label})
            codes = {p.code for p in parts}
            if not set(self.tie_break or []) <= codes:
                problems.append(gettext("同分比较顺序引用了不存在的评分项目。"))
            for special in self.specials.all():
                if special.basis == SpecialBasis.BEST_PART and special.part_code not in codes:
                    problems.append(gettext("单项奖“%(label)s”引用了不存在的评分项目。") % {"label": special.label})
        shares = [p.share for p in self.prizes.all() if p.share is not None]
        if sum(shares) > 100:
            problems.append(gettext("各等奖的比例合计不能超过 100%。"))
        for prize in self.prizes.all():
            if (prize.count is None) == (prize.share is None):
                problems.append(gettext("“%(label)s”须写名额或比例（二者取一）。") % {"label": prize.label})
        if not set(self.eligible_posts or []) <= set(TeachingPost.values):
            problems.append(gettext("可参赛岗位中有未知的岗位。"))
        return problems

    def part_list(self) -> list[ScoringPart]:
        return list(self.parts.all())


class CompetitionRulesEvent(WorkflowEvent):
    subject = models.ForeignKey(
        CompetitionRules, verbose_name=_("比赛方案"), on_delete=models.PROTECT, related_name="events"
    )

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("比赛方案记录")
        verbose_name_plural = _("比赛方案记录")


class CompetitionGroup(EditionPart):
    """A group contestants are ranked in: a discipline × a tier (人文科学类 A组)."""

    edition = models.ForeignKey(
        CompetitionRules, verbose_name=_("比赛方案"), on_delete=models.CASCADE, related_name="groups"
    )
    code = models.SlugField(_("代码"), max_length=32)
    discipline = models.CharField(_("学科类别"), max_length=30)
    tier = models.CharField(_("组别"), max_length=10, blank=True)
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("组别")
        verbose_name_plural = _("组别")
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["edition", "code"], name="competition_group_code_once")]

    def __str__(self):
        return f"{self.discipline}{self.tier}"


class ScoringPart(EditionPart):
    """A scored part (教学设计 / 课堂教学 / 教学反思): judges score it out of `full_marks`; it
    weighs `weight` in the final score (the weights add up to 100)."""

    edition = models.ForeignKey(
        CompetitionRules, verbose_name=_("比赛方案"), on_delete=models.CASCADE, related_name="parts"
    )
    code = models.SlugField(_("代码"), max_length=32)
    label = models.CharField(_("评分项目"), max_length=30)
    weight = models.PositiveSmallIntegerField(_("权重"))
    full_marks = models.PositiveSmallIntegerField(_("满分"), default=100)
    criteria = models.TextField(_("评分标准"), blank=True)
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("评分项目")
        verbose_name_plural = _("评分项目")
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["edition", "code"], name="competition_part_code_once")]

    def __str__(self):
        return self.label


class PrizeTier(EditionPart):
    """A rank prize given in each group in rank order: a fixed `count` or a `share` (%) of the
    group's scored contestants (rounded half up)."""

    edition = models.ForeignKey(
        CompetitionRules, verbose_name=_("比赛方案"), on_delete=models.CASCADE, related_name="prizes"
    )
    code = models.SlugField(_("代码"), max_length=32)
    label = models.CharField(_("奖项"), max_length=20)
    count = models.PositiveSmallIntegerField(_("名额"), null=True, blank=True)
    share = models.PositiveSmallIntegerField(_("比例（%）"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("名次奖")
        verbose_name_plural = _("名次奖")
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["edition", "code"], name="competition_prize_code_once")]

    def __str__(self):
        return self.label


class SpecialAward(EditionPart):
    """A single award beside the rank (最佳教案奖), a coach award (优秀指导教师奖) or an
    organisation award (优秀组织奖)."""

    edition = models.ForeignKey(
        CompetitionRules, verbose_name=_("比赛方案"), on_delete=models.CASCADE, related_name="specials"
    )
    code = models.SlugField(_("代码"), max_length=32)
    label = models.CharField(_("奖项"), max_length=30)
    kind = models.CharField(_("类别"), max_length=16, choices=AwardKind.choices, default=AwardKind.SPECIAL)
    basis = models.CharField(_("评定方式"), max_length=16, choices=SpecialBasis.choices, default=SpecialBasis.CONFERRED)
    part_code = models.CharField(_("依据的评分项目"), max_length=32, blank=True)
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("单项奖")
        verbose_name_plural = _("单项奖")
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["edition", "code"], name="competition_special_code_once")]

    def __str__(self):
        return self.label


class CompetitionQuerySet(ScopedQuerySet):
    def scope(self, access: Access, action: str) -> Q | None:
        """Once announced, an edition is open to everyone signed in (its notice and rules);
        nobody but the office changes it."""
        if action == "view":
            return Q(status__in=OPEN_STATUSES)
        return None


class Competition(TimeStampedModel):
    """One edition (届) of the competition at one level. `feeds_into` is the next level's
    edition its winners are recommended to. At a level the university does not run, the
    edition records whether the university `entered`, how many of its teachers took part
    (`participants_recorded`, for editions older than the system) and the results."""

    level = models.CharField(_("级别"), max_length=16, choices=Level.choices)
    number = models.PositiveSmallIntegerField(_("届次"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("名称"), max_length=120)
    organiser = models.CharField(_("主办单位"), max_length=100, blank=True)
    college = optional_link("people.SubUnion", _("举办学院"))
    rules = optional_link(CompetitionRules, _("比赛方案"))
    feeds_into = optional_link("self", _("推荐至"), related_name="fed_by")
    status = models.CharField(
        _("状态"), max_length=16, choices=CompetitionStatus.choices, default=CompetitionStatus.DRAFT
    )
    nominations_close = models.DateTimeField(_("推荐截止"), null=True, blank=True)
    materials_due = models.DateTimeField(_("材料截止"), null=True, blank=True)
    held_on = models.DateField(_("比赛日期"), null=True, blank=True)
    publicity_days = models.PositiveSmallIntegerField(_("公示期（天）"), default=5)
    entered = models.BooleanField(_("我校参赛"), default=True)
    participants_recorded = models.PositiveIntegerField(
        _("参赛人数（档案记载）"), null=True, blank=True, help_text=_("系统启用前的届次：档案记载的我校参赛人数")
    )
    note = models.TextField(_("备注"), blank=True)
    seed = models.CharField(_("抽签种子"), max_length=64, blank=True)
    nominations_opened_at = models.DateTimeField(_("开始推荐时间"), null=True, blank=True)
    drawn_at = models.DateTimeField(_("抽签时间"), null=True, blank=True)
    scoring_opened_at = models.DateTimeField(_("开始评分时间"), null=True, blank=True)
    scored_at = models.DateTimeField(_("评分完成时间"), null=True, blank=True)
    publicity_started_at = models.DateTimeField(_("公示开始时间"), null=True, blank=True)
    released_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    created_by = actor_field(_("创建人"))

    objects = CompetitionQuerySet.as_manager()

    class Meta:
        verbose_name = _("比赛")
        verbose_name_plural = _("比赛")
        ordering = ["-year", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["level", "number"],
                condition=Q(college__isnull=True, number__isnull=False),
                name="competition_number_once_a_level",
            ),
            models.UniqueConstraint(
                fields=["level", "number", "college"],
                condition=Q(college__isnull=False, number__isnull=False),
                name="competition_number_once_a_college",
            ),
        ]
        permissions = [("manage_competition", _("组织比赛"))]

    def __str__(self):
        return self.title

    @property
    def hosted(self) -> bool:
        return self.level in HOSTED_LEVELS

    @property
    def publicity_until(self):
        """The last day of the publicity period (公示期): `publicity_days` days, the day it
        starts included."""
        import datetime

        from django.utils import timezone

        if self.publicity_started_at is None:
            return None
        start = timezone.localdate(self.publicity_started_at)
        return start + datetime.timedelta(days=max(self.publicity_days, 1) - 1)


class CompetitionEvent(WorkflowEvent):
    subject = models.ForeignKey(Competition, verbose_name=_("比赛"), on_delete=models.PROTECT, related_name="events")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("比赛记录")
        verbose_name_plural = _("比赛记录")


def judge_of(access: Access, prefix: str = "") -> Q:
    """Rows (entries, sheets) in a group that `access`'s user judges, or in any group of an
    edition they are chief judge of."""
    user_id = access.user_id or 0
    group_judge = Judge.objects.filter(
        user_id=user_id,
        competition_id=OuterRef(f"{prefix}competition_id"),
        group_id=OuterRef(f"{prefix}group_id"),
    )
    chief = Judge.objects.filter(user_id=user_id, competition_id=OuterRef(f"{prefix}competition_id"), is_chief=True)
    return Q(Exists(group_judge)) | Q(Exists(chief))


class EntryQuerySet(ScopedQuerySet):
    def scope(self, access: Access, action: str) -> Q | None:
        """A contestant and their coach see the entry; a college's officer their college's
        entries (and acts on them: materials, withdrawal); a judge the entries of their
        group."""
        own = any_of(
            Q(person_id=access.person_id) if access.person_id else None,
            Q(coach_id=access.person_id) if access.person_id and action == "view" else None,
        )
        officer = officer_condition(access, "college_id")
        judging = judge_of(access) if action == "view" and access.user_id else None
        return any_of(own, officer, judging)


class Entry(TimeStampedModel):
    """A contestant in an edition: nominated by their college, in one group, with a coach
    (指导教师). After the draw: the order of appearance and the lesson drawn; after scoring,
    the final score (rounded once, by the rules) and the rank in the group."""

    competition = models.ForeignKey(
        Competition, verbose_name=_("比赛"), on_delete=models.PROTECT, related_name="entries"
    )
    person = models.ForeignKey("people.Person", verbose_name=_("参赛教师"), on_delete=models.PROTECT, related_name="+")
    college = models.ForeignKey(
        "people.SubUnion", verbose_name=_("推荐单位"), on_delete=models.PROTECT, related_name="+"
    )
    group = models.ForeignKey(
        CompetitionGroup, verbose_name=_("组别"), on_delete=models.PROTECT, related_name="entries"
    )
    coach = optional_link("people.Person", _("指导教师"), related_name="coached_entries")
    course = models.CharField(_("参赛课程"), max_length=100, blank=True)
    teaching_post = models.CharField(
        _("岗位"), max_length=16, choices=TeachingPost.choices, default=TeachingPost.FULL_TIME
    )
    status = models.CharField(_("状态"), max_length=16, choices=EntryStatus.choices, default=EntryStatus.NOMINATED)
    recommended_from = optional_link("self", _("由下一级比赛推荐"), related_name="recommended_to")
    appearance = models.PositiveSmallIntegerField(_("出场顺序"), null=True, blank=True)
    lesson_drawn = models.PositiveSmallIntegerField(_("抽中教案"), null=True, blank=True)
    final_score = models.DecimalField(_("最终得分"), max_digits=7, decimal_places=3, null=True, blank=True)
    rank = models.PositiveSmallIntegerField(_("组内名次"), null=True, blank=True)
    nominated_by = actor_field(_("推荐人"))

    objects = EntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("参赛报名")
        verbose_name_plural = _("参赛报名")
        ordering = ["competition", "group__position", "appearance", "id"]
        constraints = [models.UniqueConstraint(fields=["competition", "person"], name="competition_entry_once")]

    def __str__(self):
        return f"{self.competition} · {self.person.name}"


class EntryEvent(WorkflowEvent):
    subject = models.ForeignKey(Entry, verbose_name=_("参赛报名"), on_delete=models.PROTECT, related_name="events")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("参赛记录")
        verbose_name_plural = _("参赛记录")


class EntryMaterialQuerySet(ScopedQuerySet):
    def scope(self, access: Access, action: str) -> Q | None:
        return any_of(
            Q(entry__person_id=access.person_id) if access.person_id else None,
            officer_condition(access, "entry__college_id"),
            judge_of(access, "entry__") if action == "view" and access.user_id else None,
        )


class EntryMaterial(models.Model):
    """One upload of one material (教案 3, 课件 …). A new upload of the same material is a new
    version beside the old ones; the newest is the one judged."""

    entry = models.ForeignKey(Entry, verbose_name=_("参赛报名"), on_delete=models.PROTECT, related_name="materials")
    kind = models.CharField(_("材料"), max_length=16, choices=MaterialKind.choices)
    number = models.PositiveSmallIntegerField(_("序号"), default=1)
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    attachment = models.ForeignKey(
        "attachments.Attachment", verbose_name=_("文件"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_by = actor_field(_("上传人"))
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    objects = EntryMaterialQuerySet.as_manager()

    class Meta:
        verbose_name = _("参赛材料")
        verbose_name_plural = _("参赛材料")
        ordering = ["entry", "kind", "number", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "kind", "number", "version"], name="competition_material_version")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.number} v{self.version}"


class JudgeQuerySet(ScopedQuerySet):
    def scope(self, access: Access, action: str) -> Q | None:
        if action == "view" and access.user_id:
            return Q(user_id=access.user_id)
        return None


class Judge(models.Model):
    """A judge of one group of an edition (评委), signed in with their own account. The
    chief judge (评委会主任) alone may change a submitted sheet, with a recorded reason.
    `college` is the judge's own college: they score no contestant of it."""

    competition = models.ForeignKey(
        Competition, verbose_name=_("比赛"), on_delete=models.PROTECT, related_name="judges"
    )
    group = models.ForeignKey(
        CompetitionGroup, verbose_name=_("组别"), on_delete=models.PROTECT, related_name="judges", null=True, blank=True
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("账号"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("姓名"), max_length=50)
    college = optional_link("people.SubUnion", _("所在单位"))
    is_chief = models.BooleanField(_("评委会主任"), default=False)

    objects = JudgeQuerySet.as_manager()

    class Meta:
        verbose_name = _("评委")
        verbose_name_plural = _("评委")
        ordering = ["competition", "group__position", "-is_chief", "id"]
        constraints = [
            models.UniqueConstraint(fields=["competition", "group", "user"], name="competition_judge_once_a_group"),
        ]

    def __str__(self):
        return self.name


class ScoreSheetQuerySet(ScopedQuerySet):
    def scope(self, access: Access, action: str) -> Q | None:
        """A judge their own sheets; the chief judge every sheet of their edition; a
        contestant their own entry's sheets once the results are released."""
        conditions: list[Q | None] = []
        if access.user_id:
            conditions.append(Q(judge__user_id=access.user_id))
            chief = Judge.objects.filter(
                user_id=access.user_id, competition_id=OuterRef("entry__competition_id"), is_chief=True
            )
            conditions.append(Q(Exists(chief)))
        if action == "view" and access.person_id:
            conditions.append(Q(entry__person_id=access.person_id, entry__competition__status__in=FINAL_STATUSES))
        return any_of(*conditions)


class ScoreSheet(TimeStampedModel):
    """One judge's scores of one entry, part by part. Saved as the judge types (a lost
    connection loses nothing); once submitted it changes only by the chief judge, with a
    reason (`ScoreAmendment`)."""

    entry = models.ForeignKey(Entry, verbose_name=_("参赛报名"), on_delete=models.PROTECT, related_name="sheets")
    judge = models.ForeignKey(Judge, verbose_name=_("评委"), on_delete=models.PROTECT, related_name="sheets")
    status = models.CharField(_("状态"), max_length=16, choices=SheetStatus.choices, default=SheetStatus.DRAFT)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)

    objects = ScoreSheetQuerySet.as_manager()

    class Meta:
        verbose_name = _("评分表")
        verbose_name_plural = _("评分表")
        ordering = ["entry", "judge"]
        constraints = [models.UniqueConstraint(fields=["entry", "judge"], name="competition_one_sheet_a_judge")]

    def __str__(self):
        return f"{self.entry} · {self.judge}"


class ScoreSheetEvent(WorkflowEvent):
    subject = models.ForeignKey(ScoreSheet, verbose_name=_("评分表"), on_delete=models.PROTECT, related_name="events")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("评分表记录")
        verbose_name_plural = _("评分表记录")


class PartScore(models.Model):
    """A judge's score of one part. Written while the sheet is a draft; after submission only
    through a `ScoreAmendment`."""

    sheet = models.ForeignKey(ScoreSheet, verbose_name=_("评分表"), on_delete=models.CASCADE, related_name="scores")
    part = models.ForeignKey(ScoringPart, verbose_name=_("评分项目"), on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(_("得分"), max_digits=6, decimal_places=2)

    class Meta:
        verbose_name = _("单项得分")
        verbose_name_plural = _("单项得分")
        constraints = [models.UniqueConstraint(fields=["sheet", "part"], name="competition_one_score_a_part")]

    def __str__(self):
        return f"{self.part}: {self.score}"


class ScoreAmendment(models.Model):
    """A change of a submitted score by the chief judge: before, after and why. Never edited."""

    sheet = models.ForeignKey(ScoreSheet, verbose_name=_("评分表"), on_delete=models.PROTECT, related_name="amendments")
    part = models.ForeignKey(ScoringPart, verbose_name=_("评分项目"), on_delete=models.PROTECT, related_name="+")
    before = models.DecimalField(_("原分"), max_digits=6, decimal_places=2)
    after = models.DecimalField(_("改为"), max_digits=6, decimal_places=2)
    reason = models.CharField(_("理由"), max_length=300)
    amended_by = actor_field(_("修改人"))
    amended_at = models.DateTimeField(_("修改时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("改分记录")
        verbose_name_plural = _("改分记录")
        ordering = ["amended_at", "id"]

    def __str__(self):
        return f"{self.part}: {self.before} → {self.after}"


class AwardQuerySet(ScopedQuerySet):
    def scope(self, access: Access, action: str) -> Q | None:
        """Awards are public once released (the award notice); a college's officer also
        sees their college's during the publicity period."""
        if action != "view":
            return None
        public = Q(competition__status__in=FINAL_STATUSES)
        publicity = Q(competition__status=CompetitionStatus.PUBLICITY) if access.is_authenticated else None
        return any_of(public, publicity)


class Award(TimeStampedModel):
    """A prize: a rank prize or a single award to a contestant (`entry`), a coach award to a
    person, or an organisation award to a college or to the university (`recipient`). At a
    level the university does not run, awards are entered as recorded (`recorded`)."""

    competition = models.ForeignKey(
        Competition, verbose_name=_("比赛"), on_delete=models.PROTECT, related_name="awards"
    )
    kind = models.CharField(_("类别"), max_length=16, choices=AwardKind.choices)
    code = models.CharField(_("奖项代码"), max_length=32)
    label = models.CharField(_("奖项"), max_length=60)
    group = optional_link(CompetitionGroup, _("组别"))
    entry = optional_link(Entry, _("参赛报名"), related_name="awards")
    person = optional_link("people.Person", _("获奖人"))
    college = optional_link("people.SubUnion", _("获奖单位"))
    recipient = models.CharField(_("获奖者"), max_length=100)
    recorded = models.BooleanField(_("录入的结果"), default=False)
    reason = models.CharField(_("说明"), max_length=200, blank=True)
    awarded_by = actor_field(_("评定人"))

    objects = AwardQuerySet.as_manager()

    class Meta:
        verbose_name = _("奖项")
        verbose_name_plural = _("奖项")
        ordering = ["competition", "kind", "group__position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["competition", "code", "entry"], condition=Q(entry__isnull=False), name="competition_award_once"
            ),
            models.UniqueConstraint(
                fields=["competition", "code", "person"],
                condition=Q(entry__isnull=True, person__isnull=False),
                name="competition_person_award_once",
            ),
        ]

    def __str__(self):
        return f"{self.recipient} · {self.label}"


def certificate_token() -> str:
    return secrets.token_urlsafe(24)


class Certificate(models.Model):
    """The certificate of an award (获奖证书): a serial number, and a token that the QR code
    carries to the public verification page (the token, not the serial, so that serials
    cannot be walked)."""

    award = models.OneToOneField(Award, verbose_name=_("奖项"), on_delete=models.PROTECT, related_name="certificate")
    serial = models.CharField(_("证书编号"), max_length=40, unique=True)
    token = models.CharField(_("验证码"), max_length=64, unique=True, default=certificate_token)
    issued_on = models.DateField(_("颁发日期"))

    class Meta:
        verbose_name = _("获奖证书")
        verbose_name_plural = _("获奖证书")
        ordering = ["serial"]

    def __str__(self):
        return self.serial
