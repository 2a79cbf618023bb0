"""The practical projects' part of the annual report: the year's batches, how many projects
were done, ticked off or not done, the funds they used and staff satisfaction."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from gonghui.core.registry import AnnualFigure, AnnualSection
from gonghui.core.reports import Chart, rate
from gonghui.projects.choices import ProjectStatus, Satisfaction
from gonghui.projects.models import PracticalProject, ProgressEntry


def projects_annual_section(actor, year: int) -> AnnualSection | None:
    rows = PracticalProject.objects.restrict(actor, "view").filter(batch__year=year)
    counts = rows.aggregate(
        total=Count("pk"),
        done=Count("pk", filter=Q(status__in=(ProjectStatus.DONE, ProjectStatus.CLOSED_OFF))),
        closed_off=Count("pk", filter=Q(status=ProjectStatus.CLOSED_OFF)),
        not_done=Count("pk", filter=Q(status=ProjectStatus.NOT_DONE)),
        batches=Count("batch", distinct=True),
    )
    if not counts["total"]:
        return None
    funds = ProgressEntry.objects.filter(project__in=rows.values("pk")).aggregate(total=Sum("funds"))["total"]
    funds = (funds or Decimal("0")).quantize(Decimal("0.01"))
    from gonghui.projects.selectors.projects import satisfaction_counts

    rated = satisfaction_counts(rows.filter(rating_box__isnull=False).only("pk", "rating_box_id"))
    ballots = sum(sum(counts.values()) for counts in rated.values())
    good = sum(
        counts.get(Satisfaction.SATISFIED, 0) + counts.get(Satisfaction.BASICALLY, 0) for counts in rated.values()
    )
    open_count = counts["total"] - counts["done"] - counts["not_done"]
    figures = (
        AnnualFigure("projects.batches", _("项目批次"), counts["batches"], "批"),
        AnnualFigure("projects.total", _("实事项目"), counts["total"], "项"),
        AnnualFigure("projects.done", _("已完成"), counts["done"], "项"),
        AnnualFigure("projects.closed_off", _("已销号"), counts["closed_off"], "项"),
        AnnualFigure("projects.not_done", _("未完成"), counts["not_done"], "项"),
        AnnualFigure("projects.open", _("推进中"), open_count, "项"),
        AnnualFigure("projects.funds_used", _("使用经费"), funds, "元", money=True),
        AnnualFigure("projects.ratings", _("满意度测评票数"), ballots, "票"),
        AnnualFigure("projects.satisfaction_rate", _("满意度（满意与基本满意）"), rate(good, ballots), ""),
    )
    charts = (
        Chart.pie(
            _("实事项目完成情况"),
            [
                (_("已销号"), counts["closed_off"]),
                (_("已完成待销号"), counts["done"] - counts["closed_off"]),
                (_("推进中"), open_count),
                (_("未完成"), counts["not_done"]),
            ],
        ),
    )
    return AnnualSection(key="projects", title=str(_("我为群众办实事")), figures=figures, charts=charts)
