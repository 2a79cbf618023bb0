"""Practical projects (我为群众办实事), their progress, and the numbered bulletins (简报) that
report them (DOMAIN §3.10).

A project belongs to a batch (2021 第一批), comes from somewhere (a congress proposal, a survey
such as the admissions demand survey, a revision of the mutual-aid rules, a leader's
instruction: the link is kept), is led by a university unit with a person responsible and
cooperating units, and is ticked off one by one (销号) with its evidence and results. Each
development is one dated progress entry (一事一记) with its photos and documents; the money a
development spent is recorded on its entry, never edited, and the project's funds used are
their sum. Staff rate a done project's satisfaction by secret ballot (core.ballots).

A bulletin is an issue of a numbered series: the office composes its sections from progress
entries and from live figures of the modules (`{{ figure key }}` references, resolved through
`gonghui.core.registry.annual_figure`), which are frozen into the issue when it is published.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gonghui.accounts.access import Access, ScopedQuerySet, any_of
from gonghui.accounts.roles import Role
from gonghui.core.models import TimeStampedModel, WorkflowEvent, actor_field, money_field, optional_link
from gonghui.projects.choices import BulletinStatus, Origin, ProjectStatus, ProjectType


class Batch(models.Model):
    """A batch of projects the university announces together (2021 年第一批)."""

    year = models.PositiveSmallIntegerField(_("年度"))
    number = models.PositiveSmallIntegerField(_("批次"))
    name = models.CharField(_("名称"), max_length=100)

    class Meta:
        verbose_name = _("项目批次")
        verbose_name_plural = _("项目批次")
        ordering = ["-year", "-number"]
        constraints = [models.UniqueConstraint(fields=["year", "number"], name="projects_batch_once")]

    def __str__(self):
        return self.name


class ProjectQuerySet(ScopedQuerySet):
    """The union office and the auditors see every project; a unit's contact person
    (承办单位联系人) sees the projects their unit leads or helps with and acts on those it leads.
    Staff see the projects on the portal once done (`done_for_staff`)."""

    def scope(self, access: Access, action: str) -> Q | None:
        if Role.HANDLING_UNIT_OFFICER in access.roles and access.unit_ids:
            lead = Q(lead_unit_id__in=access.unit_ids)
            if action == "view":
                return any_of(lead, Q(cooperating_units__in=access.unit_ids))
            return lead
        return None

    def restrict_access(self, access: Access, action: str = "view"):
        rows = super().restrict_access(access, action)
        # a unit both leading and cooperating would appear twice
        return rows if access.sees_everything(action) else rows.distinct()

    def done_for_staff(self):
        from gonghui.projects.choices import RATEABLE_STATUSES

        return self.filter(status__in=RATEABLE_STATUSES)


class PracticalProject(TimeStampedModel):
    batch = models.ForeignKey(Batch, verbose_name=_("批次"), on_delete=models.PROTECT, related_name="projects")
    number = models.PositiveSmallIntegerField(_("序号"))
    title = models.CharField(_("工作内容"), max_length=200)
    description = models.TextField(_("具体内容"), blank=True)
    category = models.CharField(_("类别"), max_length=30)
    origin = models.CharField(_("来源"), max_length=20, choices=Origin.choices)
    origin_proposal = optional_link("proposals.Proposal", _("来源提案"))
    origin_campaign = optional_link("admissions.Campaign", _("来源调研（子女入学摸底）"))
    origin_edition = optional_link("mutual_aid.SchemeEdition", _("来源（互助会办法修订）"))
    origin_note = models.CharField(_("来源说明"), max_length=300, blank=True)
    lead_unit = models.ForeignKey(
        "people.UniversityUnit", verbose_name=_("牵头单位"), on_delete=models.PROTECT, related_name="+"
    )
    responsible = models.ForeignKey(
        "people.Person", verbose_name=_("责任人"), on_delete=models.PROTECT, related_name="+"
    )
    cooperating_units = models.ManyToManyField(
        "people.UniversityUnit", verbose_name=_("协助单位"), blank=True, related_name="+"
    )
    project_type = models.CharField(_("办理方式"), max_length=16, choices=ProjectType.choices)
    deadline = models.DateField(_("完成时限"))
    status = models.CharField(
        _("完成情况"), max_length=16, choices=ProjectStatus.choices, default=ProjectStatus.NOT_STARTED
    )
    done_on = models.DateField(_("完成时间"), null=True, blank=True)
    reason = models.TextField(_("未完成原因"), blank=True)
    results = models.TextField(_("工作成效"), blank=True)
    closed_off_on = models.DateField(_("销号日期"), null=True, blank=True)
    closing_evidence = models.ManyToManyField(
        "attachments.Attachment", verbose_name=_("销号佐证材料"), blank=True, related_name="+"
    )
    rating_box = optional_link("core.BallotBox", _("满意度测评"), on_delete=models.SET_NULL)
    created_by = actor_field(_("登记人"))

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("实事项目")
        verbose_name_plural = _("实事项目")
        ordering = ["batch__year", "batch__number", "number"]
        constraints = [models.UniqueConstraint(fields=["batch", "number"], name="projects_number_once")]
        permissions = [("manage_practicalproject", "Can move any practical project on and close it off")]
        indexes = [models.Index(fields=["status", "deadline"], name="projects_status_deadline")]

    def __str__(self):
        return f"{self.batch.name} {self.number}. {self.title}"


class ProjectEvent(WorkflowEvent):
    subject = models.ForeignKey(
        PracticalProject, verbose_name=_("实事项目"), on_delete=models.PROTECT, related_name="events"
    )

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("实事项目记录")
        verbose_name_plural = _("实事项目记录")


class ProgressEntryQuerySet(ScopedQuerySet):
    def scope(self, access: Access, action: str) -> Q | None:
        if Role.HANDLING_UNIT_OFFICER in access.roles and access.unit_ids:
            lead = Q(project__lead_unit_id__in=access.unit_ids)
            if action == "view":
                return any_of(lead, Q(project__cooperating_units__in=access.unit_ids))
            return lead
        return None


class ProgressEntry(models.Model):
    """One development of a project (一事一记): when, what, the money it spent (never edited:
    a correction is another entry) and its evidence."""

    project = models.ForeignKey(
        PracticalProject, verbose_name=_("实事项目"), on_delete=models.PROTECT, related_name="progress"
    )
    date = models.DateField(_("日期"))
    text = models.TextField(_("进展情况"))
    funds = money_field(_("使用经费（元）"), default=0)
    evidence = models.ManyToManyField(
        "attachments.Attachment", verbose_name=_("佐证材料"), blank=True, related_name="+"
    )
    created_by = actor_field(_("填报人"))
    created_at = models.DateTimeField(_("填报时间"), auto_now_add=True)

    objects = ProgressEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("项目进展")
        verbose_name_plural = _("项目进展")
        ordering = ["project", "-date", "-id"]

    def __str__(self):
        return f"{self.date} {self.text[:30]}"


class BulletinSeries(models.Model):
    """A numbered series of bulletins (我为群众办实事 …)."""

    name = models.CharField(_("系列名称"), max_length=100, unique=True)
    publisher = models.CharField(_("编发单位"), max_length=100)
    # the red masthead (对外经济贸易大学党史学习教育); blank: the union's name and 简报
    masthead = models.CharField(_("报头"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("简报系列")
        verbose_name_plural = _("简报系列")
        ordering = ["name"]

    def __str__(self):
        return self.name


class BulletinQuerySet(ScopedQuerySet):
    """The office composes; everyone signed in reads the published issues."""

    def scope(self, access: Access, action: str) -> Q | None:
        return Q(status=BulletinStatus.PUBLISHED) if action == "view" else None


class Bulletin(TimeStampedModel):
    """One issue of a series: its number (unique once published), date, title, the year its
    figures are of, and its sections. On publication every figure reference is resolved and
    frozen (`BulletinFigure`) and the text is kept as published."""

    series = models.ForeignKey(BulletinSeries, verbose_name=_("系列"), on_delete=models.PROTECT, related_name="issues")
    issue_no = models.PositiveSmallIntegerField(_("期号"))
    date = models.DateField(_("日期"))
    title = models.CharField(_("标题"), max_length=200)
    subtitle = models.CharField(_("副标题"), max_length=200, blank=True)
    column = models.CharField(_("栏目"), max_length=50, blank=True, help_text=_("如：【贸大要闻】"))
    figures_year = models.PositiveSmallIntegerField(_("数据年度"))
    status = models.CharField(_("状态"), max_length=16, choices=BulletinStatus.choices, default=BulletinStatus.DRAFT)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    created_by = actor_field(_("编辑"))

    objects = BulletinQuerySet.as_manager()

    class Meta:
        verbose_name = _("简报")
        verbose_name_plural = _("简报")
        ordering = ["series", "-issue_no", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "issue_no"],
                condition=Q(status="published"),
                name="projects_bulletin_issue_once",
            )
        ]
        permissions = [("publish_bulletin", "Can compose and publish bulletins")]

    def __str__(self):
        return f"{self.series.name}（{self.issue_no}）{self.title}"


class BulletinEvent(WorkflowEvent):
    subject = models.ForeignKey(Bulletin, verbose_name=_("简报"), on_delete=models.PROTECT, related_name="events")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("简报记录")
        verbose_name_plural = _("简报记录")


class BulletinSection(models.Model):
    """A section: a heading and paragraphs of text in which `{{ insurance.premium }}` quotes a
    live figure of the bulletin's year; optionally the projects and progress entries it
    reports (their links are kept)."""

    bulletin = models.ForeignKey(Bulletin, verbose_name=_("简报"), on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField(_("顺序"))
    heading = models.CharField(_("小标题"), max_length=200, blank=True)
    body = models.TextField(_("正文"))
    projects = models.ManyToManyField(PracticalProject, verbose_name=_("报道的项目"), blank=True, related_name="+")
    progress = models.ManyToManyField(ProgressEntry, verbose_name=_("引用的进展"), blank=True, related_name="+")

    class Meta:
        verbose_name = _("简报栏目")
        verbose_name_plural = _("简报栏目")
        ordering = ["bulletin", "position", "id"]

    def __str__(self):
        return self.heading or f"{self.bulletin_id}:{self.position}"


class BulletinFigure(models.Model):
    """A figure as the issue published it: the key, the year, its label and the value as
    published (text, exact), and the unit. Never changed after publication; the office sees
    when the live figure has moved on."""

    bulletin = models.ForeignKey(Bulletin, verbose_name=_("简报"), on_delete=models.CASCADE, related_name="figures")
    key = models.CharField(_("数据项"), max_length=100)
    year = models.PositiveSmallIntegerField(_("年度"))
    label = models.CharField(_("名称"), max_length=200)
    value = models.CharField(_("发布时的数值"), max_length=1000)
    unit = models.CharField(_("单位"), max_length=10, blank=True)
    money = models.BooleanField(_("金额"), default=False)

    class Meta:
        verbose_name = _("简报引用数据")
        verbose_name_plural = _("简报引用数据")
        ordering = ["bulletin", "id"]
        constraints = [models.UniqueConstraint(fields=["bulletin", "key"], name="projects_bulletin_figure_once")]

    def __str__(self):
        return f"{self.key}={self.value}"


__all__ = [
    "Batch",
    "Bulletin",
    "BulletinEvent",
    "BulletinFigure",
    "BulletinSection",
    "BulletinSeries",
    "PracticalProject",
    "ProgressEntry",
    "ProjectEvent",
]
