"""The union's annual report of year Y (DOMAIN §3.10): one function the page, the .xlsx, the
PDF, the API and `manage.py annual_report` all print.

Every figure comes from a module's registered section (`gonghui.core.registry.
annual_sections_for`): this app imports no module. The report is the union's aggregate
document, the same figures for every reader entitled to it, so, once the reader's permission
is checked, every section is built as the system actor.

- figures: {"year": Y, "sections": {section key: {figure key: value}}}, values int (counts),
  Decimal (money in yuan), `Ratio` (shares) or text; None where a module has no figure (a rate
  of nothing);
- rows (section title, figure label, value) for the text output and the .xlsx;
- charts: every section's charts, keyed "<section key>-<chart key or its number>";
- `sections`: what the page and the PDF lay out, a card or a table per section.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from gonghui.accounts.access import permission_require
from gonghui.accounts.system import system_actor
from gonghui.core.registry import AnnualFigure, AnnualSection, annual_sections_for
from gonghui.core.reports import Chart, Ratio, Report, RowsBuilder
from gonghui.people.models import Union

ANNUAL_REPORT_PERMISSION = "reports.view_annualreport"
# The years the page offers: this one and the nine before it (no query over the modules).
YEARS_OFFERED = 10


@dataclass(frozen=True)
class ShownFigure:
    """A figure as the page and the PDF print it: `kind` chooses the format ("money": yuan,
    "ratio": a percentage, "text": as written, "number": a count with its unit)."""

    key: str
    label: str
    value: Any
    unit: str
    kind: str


@dataclass(frozen=True)
class ShownSection:
    key: str
    title: str
    figures: tuple[ShownFigure, ...]
    charts: tuple[Chart, ...]


@dataclass
class AnnualReport(Report):
    """The annual report: a core `Report` (figures, rows, charts) with its sections laid out."""

    year: int = 0
    union_name: str = ""
    sections: list[ShownSection] = field(default_factory=list)


def union_name() -> str:
    """The union's name (people's `Union`, one per deployment); 校工会 before it is set up."""
    union = Union.objects.order_by("pk").first()
    return union.name if union is not None else _("校工会")


def annual_report_years() -> list[int]:
    """The years to offer: this year and the nine before it."""
    this_year = timezone.localdate().year
    return list(range(this_year - YEARS_OFFERED + 1, this_year + 1))


def _value(value: Any) -> Any:
    """A figure's value as the report keeps it: a lazy translation becomes its text."""
    return str(value) if isinstance(value, Promise) else value


def _kind(figure: AnnualFigure, value: Any) -> str:
    if figure.money:
        return "money"
    if isinstance(value, Ratio):
        return "ratio"
    if isinstance(value, str):
        return "text"
    return "number"


def _chart_key(section: AnnualSection, chart: Chart, number: int) -> str:
    return f"{section.key}-{chart.key or number}"


def annual_report_build(*, user, year: int) -> AnnualReport:
    """Year `year`'s annual report for `user`, who must hold `reports.view_annualreport`
    (PermissionDenied otherwise, before any section is built)."""
    permission_require(user, ANNUAL_REPORT_PERMISSION)
    sections = annual_sections_for(system_actor(), year)

    figures: dict[str, dict[str, Any]] = {}
    rows = RowsBuilder()
    charts: dict[str, Chart] = {}
    shown: list[ShownSection] = []
    for section in sections:
        title = str(section.title)
        rows.section(title)
        values: dict[str, Any] = {}
        section_figures = []
        for figure in section.figures:
            value = _value(figure.value)
            values[figure.key] = value
            rows.add(str(figure.label), value)
            section_figures.append(
                ShownFigure(figure.key, str(figure.label), value, str(figure.unit), _kind(figure, value))
            )
        figures[section.key] = values
        section_charts = []
        for number, chart in enumerate(section.charts, start=1):
            key = _chart_key(section, chart, number)
            charts[key] = replace(chart, key=key)
            section_charts.append(charts[key])
        shown.append(ShownSection(section.key, title, tuple(section_figures), tuple(section_charts)))

    name = union_name()
    return AnnualReport(
        title=_("%(union)s %(year)s 年度工作报告") % {"union": name, "year": year},
        figures={"year": year, "sections": figures},
        rows=rows.rows,
        charts=charts,
        year=year,
        union_name=name,
        sections=shown,
    )


def annual_report_pdf(report: AnnualReport) -> bytes:
    """The report as an A4 PDF (WeasyPrint, Noto CJK): a table per section, no charts."""
    from django.template.loader import render_to_string
    from weasyprint import HTML

    html = render_to_string("reports/annual_pdf.html", {"report": report, "generated_on": timezone.localdate()})
    return HTML(string=html).write_pdf()
