"""Draft deliberation's section of the union's annual report: the drafts the congress sessions
opening in the year deliberated, the opinions staff gave on them and the drafting units'
answers, and the votes (`selectors.report.year_figures`)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from gonghui.core.registry import AnnualFigure, AnnualSection
from gonghui.core.reports import Chart
from gonghui.deliberations.choices import AnswerStatus
from gonghui.deliberations.selectors.report import year_figures

# the drafting units' answers to the opinion groups, and the name of each one's figure
_ANSWERS = (
    (AnswerStatus.ADOPTED, "adopted"),
    (AnswerStatus.PARTLY, "partly_adopted"),
    (AnswerStatus.NOT_ADOPTED, "not_adopted"),
    (AnswerStatus.PENDING, "unanswered"),
)


def deliberations_annual_section(actor, year: int) -> AnnualSection | None:
    """None when no draft of a session opening in `year` was put out for opinions or to the vote."""
    f = year_figures(user=actor, year=year)
    if not (f["drafts"] or f["voted"]):
        return None
    item, piece = _("项"), _("条")
    answers = [
        AnnualFigure(f"deliberations.{name}", str(status.label), f["answers"][status], piece)
        for status, name in _ANSWERS
    ]
    return AnnualSection(
        key="deliberations",
        title=_("专题审议"),
        figures=(
            AnnualFigure("deliberations.drafts", _("征求意见的方案"), f["drafts"], item),
            AnnualFigure("deliberations.rounds", _("意见征求轮次"), f["rounds"], _("轮")),
            AnnualFigure("deliberations.opinions", _("收到意见"), f["opinions"], piece),
            AnnualFigure("deliberations.opinion_authors", _("提出意见的教职工"), f["authors"], _("人")),
            AnnualFigure("deliberations.opinion_groups", _("归并后意见"), f["groups"], piece),
            *answers,
            AnnualFigure("deliberations.voted", _("提交表决的方案"), f["voted"], item),
            AnnualFigure("deliberations.passed", _("表决通过的方案"), f["adopted"], item),
        ),
        charts=(Chart.pie(_("起草单位答复意见情况"), [(figure.label, figure.value) for figure in answers]),),
    )
