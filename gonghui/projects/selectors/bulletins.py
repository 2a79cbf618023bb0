"""Reading bulletins: an issue's sections with their figures filled in (frozen values once
published, live ones while drafting), and the published figures that are now out of date."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from gonghui.projects.choices import BulletinStatus
from gonghui.projects.figures import exact, fill, references, shown
from gonghui.projects.models import Bulletin, BulletinFigure


def bulletins_for(user) -> QuerySet:
    return Bulletin.objects.restrict(user, "view").select_related("series").order_by("series__name", "-issue_no", "-id")


@dataclass(frozen=True)
class RenderedSection:
    heading: str
    paragraphs: list[str]


def _shown_values(bulletin: Bulletin) -> dict[str, str]:
    if bulletin.status == BulletinStatus.DRAFT:
        from gonghui.core.reports import Ratio
        from gonghui.projects.services.bulletins import bulletin_references, figures_resolve

        live = figures_resolve(bulletin_references(bulletin), bulletin.figures_year)
        return {
            key: shown(exact(figure.value), is_ratio=isinstance(figure.value, Ratio))
            for key, figure in live.items()
            if figure is not None
        }
    return {figure.key: shown(figure.value, is_ratio=figure.unit == "%") for figure in bulletin.figures.all()}


def bulletin_render(bulletin: Bulletin) -> list[RenderedSection]:
    """The issue's sections as readers see them, paragraph by paragraph."""
    values = _shown_values(bulletin)
    sections = []
    for section in bulletin.sections.all():
        text = fill(section.body, values)
        paragraphs = [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
        sections.append(RenderedSection(section.heading, [" ".join(p.split("\n")) for p in paragraphs]))
    return sections


@dataclass(frozen=True)
class StaleFigure:
    figure: BulletinFigure
    live: str | None  # None: the figure no longer exists for the year

    @property
    def shown_published(self) -> str:
        return shown(self.figure.value, is_ratio=self.figure.unit == "%")

    @property
    def shown_live(self) -> str:
        return "—" if self.live is None else shown(self.live, is_ratio=self.figure.unit == "%")


def stale_figures(bulletins) -> dict[int, list[StaleFigure]]:
    """For published issues: the frozen figures whose live value differs now ({bulletin id:
    [StaleFigure]}); each module's year computed once for all the issues."""
    from gonghui.projects.services.bulletins import figures_resolve

    frozen = list(
        BulletinFigure.objects.filter(bulletin__in=[b for b in bulletins if b.status == BulletinStatus.PUBLISHED])
    )
    by_year: dict[int, set[str]] = {}
    for figure in frozen:
        by_year.setdefault(figure.year, set()).add(figure.key)
    live = {year: figures_resolve(sorted(keys), year) for year, keys in by_year.items()}
    stale: dict[int, list[StaleFigure]] = {}
    for figure in frozen:
        current = live[figure.year].get(figure.key)
        value = None if current is None else exact(current.value)
        if value != figure.value:
            stale.setdefault(figure.bulletin_id, []).append(StaleFigure(figure, value))
    return stale


def figure_catalogue(year: int) -> list[tuple[str, list]]:
    """Every figure the modules vouch for in `year`, by section, for the composer's picker."""
    from gonghui.accounts.system import system_actor
    from gonghui.core.registry import annual_sections_for

    return [(section.title, list(section.figures)) for section in annual_sections_for(system_actor(), year)]


__all__ = ["bulletin_render", "bulletins_for", "figure_catalogue", "references", "stale_figures"]
