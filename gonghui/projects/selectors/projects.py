"""Reading practical projects: the scoped list with its filters, the project table (序号,
工作内容, 完成时间, 责任人, 协助单位, 完成情况), evidence, overdue projects and satisfaction."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.core.ballots import ballot_counts, ballot_tallies
from gonghui.core.models import BallotBoxStatus
from gonghui.core.reports import rate
from gonghui.projects.choices import OPEN_STATUSES, ProjectStatus, Satisfaction
from gonghui.projects.models import PracticalProject, ProgressEntry


def projects_for(user, *, batch=None, unit=None, status: str = "", year: int | None = None) -> QuerySet:
    """The projects `user` may see, filtered (a unit matches as lead or cooperating unit),
    with their funds used (the sum of their entries) and the count of entries."""
    rows = PracticalProject.objects.restrict(user, "view")
    if batch is not None:
        rows = rows.filter(batch=batch)
    if year is not None:
        rows = rows.filter(batch__year=year)
    if unit is not None:
        rows = rows.filter(Q(lead_unit=unit) | Q(cooperating_units=unit)).distinct()
    if status:
        rows = rows.filter(status=status)
    funds = (
        ProgressEntry.objects.filter(project=OuterRef("pk"))
        .order_by()
        .values("project")
        .annotate(total=Sum("funds"))
        .values("total")
    )
    entries = ProgressEntry.objects.filter(project=OuterRef("pk")).order_by().values("project").annotate(n=Count("pk"))
    return rows.select_related("batch", "lead_unit", "responsible").annotate(
        funds_used=Coalesce(
            Subquery(funds), Value(Decimal("0.00")), output_field=DecimalField(max_digits=14, decimal_places=2)
        ),
        entry_count=Coalesce(Subquery(entries.values("n")), Value(0)),
    )


def project_get(user, pk: int) -> PracticalProject:
    return projects_for(user).prefetch_related("cooperating_units").get(pk=pk)


def overdue(rows: QuerySet, today: datetime.date | None = None) -> QuerySet:
    """Projects still open past their deadline."""
    return rows.filter(status__in=OPEN_STATUSES, deadline__lt=today or timezone.localdate())


def is_overdue(project: PracticalProject, today: datetime.date | None = None) -> bool:
    return project.status in OPEN_STATUSES and project.deadline < (today or timezone.localdate())


def evidence_count(project: PracticalProject) -> int:
    """Files that evidence the project: uploaded at closing or with its progress entries."""
    through = ProgressEntry.evidence.through
    return project.closing_evidence.count() + through.objects.filter(progressentry__project=project).count()


def evidence_of(project: PracticalProject):
    """Every evidence file of the project: its entries' and those given at closing."""
    from gonghui.attachments.models import Attachment

    through = ProgressEntry.evidence.through
    entry_files = through.objects.filter(progressentry__project=project).values("attachment_id")
    closing = PracticalProject.closing_evidence.through.objects.filter(practicalproject=project).values("attachment_id")
    return Attachment.objects.filter(Q(pk__in=entry_files) | Q(pk__in=closing)).order_by("uploaded_at", "pk")


def progress_of(user, project: PracticalProject) -> QuerySet:
    return (
        ProgressEntry.objects.restrict(user, "view")
        .filter(project=project)
        .select_related("created_by")
        .prefetch_related("evidence")
        .order_by("-date", "-id")
    )


def completion_text(project: PracticalProject) -> str:
    """完成情况 as the table prints it: the status, then the results or the reason."""
    label = project.get_status_display()
    detail = project.results if project.status == ProjectStatus.CLOSED_OFF else project.reason
    return f"{label}：{detail}" if detail else label


def completion_time(project: PracticalProject) -> str:
    """完成时间: when it was done, else its deadline."""
    if project.done_on:
        return _("%(y)s年%(m)s月%(d)s日") % {
            "y": project.done_on.year,
            "m": project.done_on.month,
            "d": project.done_on.day,
        }
    return _("%(y)s年%(m)s月%(d)s日前") % {
        "y": project.deadline.year,
        "m": project.deadline.month,
        "d": project.deadline.day,
    }


def table_rows(projects) -> list[tuple]:
    """The project table's rows: 序号, 工作内容, 完成时间, 责任人, 协助单位, 完成情况."""
    rows = []
    for project in projects:
        units = "、".join(unit.name for unit in project.cooperating_units.all())
        rows.append(
            (
                project.number,
                project.title,
                completion_time(project),
                f"{project.responsible.name}（{project.lead_unit.name}）",
                units or "—",
                completion_text(project),
            )
        )
    return rows


TABLE_HEADERS = ("序号", "工作内容", "完成时间", "责任人", "协助单位", "完成情况")


def table_headers() -> list[str]:
    return [_("序号"), _("工作内容"), _("完成时间"), _("责任人"), _("协助单位"), _("完成情况")]


@dataclass(frozen=True)
class SatisfactionResult:
    voters: int
    voted: int
    counts: dict[int, int]  # Satisfaction value -> ballots
    satisfied_rate: Decimal | None  # (satisfied + basically satisfied) / ballots

    def rows(self):
        return [(choice.label, self.counts.get(choice.value, 0)) for choice in Satisfaction]


def satisfaction_results(projects) -> dict[int, SatisfactionResult]:
    """Counted ratings of the projects whose rating has closed (销号): {project id: result}."""
    boxes = {p.rating_box_id: p.pk for p in projects if p.rating_box_id}
    from gonghui.core.models import BallotBox

    closed = list(BallotBox.objects.filter(pk__in=boxes, status=BallotBoxStatus.CLOSED))
    results = {}
    for box_id, tally in ballot_tallies(closed).items():
        counts = {int(code): n for code, n in tally.counts.get("satisfaction", {}).items()}
        ballots = sum(counts.values())
        good = counts.get(Satisfaction.SATISFIED, 0) + counts.get(Satisfaction.BASICALLY, 0)
        results[boxes[box_id]] = SatisfactionResult(tally.voters, tally.voted, counts, rate(good, ballots))
    return results


def satisfaction_counts(projects) -> dict[int, dict[int, int]]:
    """The ratings cast on the projects whose rating has closed, {project id: {satisfaction:
    n}}, without counting their electorates (the annual report's figures)."""
    boxes = {p.rating_box_id: p.pk for p in projects if p.rating_box_id}
    from gonghui.core.models import BallotBox

    closed = BallotBox.objects.filter(pk__in=boxes, status=BallotBoxStatus.CLOSED)
    return {
        boxes[box_id]: {int(code): n for code, n in counts.get("satisfaction", {}).items()}
        for box_id, counts in ballot_counts(closed).items()
    }


def rating_open_for(user) -> QuerySet:
    """Done projects whose rating `user` may still give (the portal's list)."""
    from gonghui.core.models import BallotVoter

    if not getattr(user, "person_id", None):
        return PracticalProject.objects.none()
    waiting = BallotVoter.objects.filter(person_id=user.person_id, voted=False, box__status=BallotBoxStatus.OPEN)
    return (
        PracticalProject.objects.done_for_staff()
        .filter(rating_box__in=waiting.values("box_id"))
        .select_related("batch", "lead_unit")
        .order_by("-done_on", "-id")
    )
