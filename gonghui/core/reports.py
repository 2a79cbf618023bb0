"""The report kit: every module's figures are built, shown and exported the same way.

- Figures are `Decimal` (money to the cent, rates rounded once, half-up) and go into a
  `Report`: a JSON-ready dict of figures plus the rows (section, item, value) that the
  page's table, the .xlsx and the text output all print.
- Charts declared with the figures (`Report.charts`, each a `Chart`: bar, pie or line), drawn
  on the page by Apache ECharts (`templates/core/partials/_chart.html`, `static/js/charts.js`)
  beside their data table.
- One .xlsx writer (`gonghui.core.excel`), formulas neutralised.
- One base for every `*_report` command (`ReportCommand`): `--format json|text|xlsx`,
  `--output`, run as the system actor (never a faked superuser).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from gonghui.core.excel import xlsx_bytes, xlsx_response
from gonghui.core.money import money
from gonghui.core.ui import Column

ZERO = Decimal("0")


def rate(part, whole, places: int = 4) -> Ratio | None:
    """part / whole rounded once, half-up (None when whole is zero), as a `Ratio`: pages show
    it as a percentage (6.7416 → 674.16%), spreadsheets keep the number with a percent format."""
    whole = Decimal(whole or 0)
    if not whole:
        return None
    return Ratio((Decimal(part or 0) / whole).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


class Ratio(Decimal):
    """A share as a Decimal (0.0674 is 6.74 %): the same number everywhere (JSON, sums,
    comparisons), marked so that `core.excel` writes it with a percent format and the
    `percent` template filter (`gonghui_format`) shows it as a percentage."""

    __slots__ = ()
    is_ratio = True


def percent(part, whole, places: int = 1) -> Decimal | None:
    """part / whole as a percentage (87.5 for 7/8), rounded once, half-up."""
    whole = Decimal(whole or 0)
    if not whole:
        return None
    return (Decimal(part or 0) * 100 / whole).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def plain(value: Any) -> Any:
    """A figure as JSON holds it: Decimals as text (exact), nested structures walked."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


@dataclass
class Report:
    """One report: its figures (JSON-ready) and the rows every output prints."""

    title: str
    figures: dict
    rows: list[tuple[str, str, Any]] = field(default_factory=list)
    headers: tuple[str, str, str] = ("", "", "")
    # The figures' charts, declared once by the builder: the page draws them (ECharts) beside
    # their data tables; the key names each one on the page (its JSON block is `chart-<key>`).
    charts: dict[str, Chart] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.charts = {key: replace(chart, key=str(key)) for key, chart in self.charts.items()}

    def json(self) -> str:
        return json.dumps(plain(self.figures), ensure_ascii=False, indent=2)

    def text(self) -> str:
        return "\n".join(f"{section}\t{item}\t{plain(value)}" for section, item, value in self.rows)

    def column_headers(self) -> list[str]:
        return [h or d for h, d in zip(self.headers, (_("类别"), _("项目"), _("数值")), strict=True)]

    def xlsx(self) -> bytes:
        return xlsx_bytes(headers=self.column_headers(), rows=self.rows, sheet_title=self.title)

    def xlsx_response(self, filename: str):
        return xlsx_response(filename=filename, headers=self.column_headers(), rows=self.rows, sheet_title=self.title)


class RowsBuilder:
    """Collects (section, item, value) rows: `rows.section("会员")` then `rows.add(label, value)`."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, str, Any]] = []
        self._section = ""

    def section(self, title: str) -> RowsBuilder:
        self._section = str(title)
        return self

    def add(self, item: str, value: Any) -> RowsBuilder:
        self.rows.append((self._section, str(item), value))
        return self


# --- the one chart component ----------------------------------------------------------------

CHART_KINDS = ("bar", "pie", "line")
# How a chart's values are shown (its tooltips, labels and data table): a count or amount, money
# in 元, a share (`Ratio`, 0.0674 → 6.74%) or a number that already is a percentage (87.5 → 87.5%).
VALUE_FORMATS = ("number", "yuan", "percent", "pct")


def _chart_value(value: Any) -> Decimal | None:
    """A figure as a chart holds it: a Decimal, or None where there is no figure (a rate of
    nothing), which the chart leaves out and the table shows as "—"."""
    if value is None:
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _format_of(values: Sequence[Any], value_format: str | None) -> str:
    """A chart of shares (`Ratio`s, from `rate()`) is shown as percentages unless told otherwise."""
    if value_format:
        return value_format
    present = [v for v in values if v is not None]
    return "percent" if present and all(isinstance(v, Ratio) for v in present) else "number"


def json_number(value: Decimal | None) -> int | float | None:
    """A figure as a JSON number for the browser: whole numbers as integers, others as the
    shortest float that reads back as the same decimal (money to the cent, rates to 4 places);
    no figure stays null."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


@dataclass(frozen=True)
class Chart:
    """One chart of a report's figures, declared once in the module's report builder (as
    `Report.charts`): its kind (bar, pie or line), the categories (`labels`) and one or more
    series of values. The page draws it with Apache ECharts (`core/partials/_chart.html`,
    `static/js/charts.js`) from `spec()`, the same numbers in a table beside it."""

    title: str
    labels: tuple[str, ...]
    series: tuple[tuple[str, tuple[Decimal | None, ...]], ...]
    kind: str = "bar"
    value_format: str = "number"
    key: str = ""  # set from its key in `Report.charts`; names the page's JSON block

    def __post_init__(self) -> None:
        if self.kind not in CHART_KINDS:
            raise ValueError(f"unknown chart kind {self.kind!r}")
        if self.value_format not in VALUE_FORMATS:
            raise ValueError(f"unknown value format {self.value_format!r}")
        if self.kind == "pie" and len(self.series) != 1:
            raise ValueError("a pie chart has one series")
        if any(len(values) != len(self.labels) for _name, values in self.series):
            raise ValueError("every series has one value per label")

    @classmethod
    def bars(
        cls, title: str, bars: Iterable[tuple[str, Any]], *, name: str = "", value_format: str | None = None, **kwargs
    ) -> Chart:
        """One bar per (label, value)."""
        bars = list(bars)
        values = [value for _label, value in bars]
        return cls(
            title=str(title),
            labels=tuple(str(label) for label, _value in bars),
            series=((str(name), tuple(_chart_value(v) for v in values)),),
            value_format=_format_of(values, value_format),
            **kwargs,
        )

    @classmethod
    def grouped(
        cls, title: str, rows: Sequence[tuple], *, names: Sequence[str], value_format: str | None = None, **kwargs
    ) -> Chart:
        """rows: (label, value of series 1, value of series 2, …)."""
        values = [value for row in rows for value in row[1:]]
        return cls(
            title=str(title),
            labels=tuple(str(row[0]) for row in rows),
            series=tuple(
                (str(name), tuple(_chart_value(row[index + 1]) for row in rows)) for index, name in enumerate(names)
            ),
            value_format=_format_of(values, value_format),
            **kwargs,
        )

    @classmethod
    def pie(cls, title: str, slices: Iterable[tuple[str, Any]], **kwargs) -> Chart:
        """One slice per (label, value): the parts of a whole."""
        return cls.bars(title, slices, kind="pie", **kwargs)

    @classmethod
    def line(cls, title: str, rows: Sequence[tuple], *, names: Sequence[str], **kwargs) -> Chart:
        """rows: (label, value of series 1, …), the labels in order (years, months)."""
        return cls.grouped(title, rows, names=names, kind="line", **kwargs)

    @property
    def dom_id(self) -> str:
        return f"chart-{self.key}"

    def spec(self) -> dict:
        """What `static/js/charts.js` draws (the page writes it with `json_script`)."""
        return {
            "kind": self.kind,
            "title": str(self.title),
            "format": self.value_format,
            "categories": list(self.labels),
            "series": [
                {"name": name or str(self.title), "data": [json_number(v) for v in values]}
                for name, values in self.series
            ],
        }

    def columns(self) -> list:
        """The data table's headers (the table component's columns)."""
        return [Column(_("项目")), *(Column(name or str(self.title)) for name, _values in self.series)]

    def table_rows(self) -> list[tuple[str, list[Decimal | None]]]:
        """The data table: one row per label, one value per series."""
        return [(label, [values[index] for _name, values in self.series]) for index, label in enumerate(self.labels)]

    @property
    def size(self) -> str:
        """The height class of the drawing (`chart-h-…` in gonghui.css): bars lying down need
        room for every label, a pie or a line does not grow with them."""
        if self.kind != "bar":
            return "md"
        rows = len(self.labels) * max(len(self.series), 1)
        for limit, size in ((4, "sm"), (8, "md"), (16, "lg")):
            if rows <= limit:
                return size
        return "xl"


# --- the one base of report commands -----------------------------------------------------------


def command_text_write(command: BaseCommand, text: str, output: str | None, *, summary: str) -> None:
    """A command's text result: into the file `output` (saying "<output>: <summary>"), or
    onto standard output when no file is named."""
    if output:
        with open(output, "w", encoding="utf-8") as fh:
            fh.write(text + "\n")
        command.stdout.write(f"{output}: {summary}")
    else:
        command.stdout.write(text)


class ReportCommand(BaseCommand):
    """`manage.py <module>_report … --format json|text|xlsx [--output FILE]`.

    Subclasses add their own arguments (`add_report_arguments`) and build the report
    (`build_report(actor=…, **options)`), which runs as the system actor."""

    formats = ("json", "text", "xlsx")
    default_format = "json"

    def add_report_arguments(self, parser) -> None:
        raise NotImplementedError

    def build_report(self, *, actor, **options) -> Report:
        raise NotImplementedError

    def write_other(self, report: Report, format: str) -> bytes:
        """Formats beyond json/text/xlsx (e.g. a PDF) as bytes."""
        raise CommandError(f"unknown format {format}")

    def add_arguments(self, parser):
        self.add_report_arguments(parser)
        parser.add_argument("--format", choices=self.formats, default=self.default_format)
        parser.add_argument("--output", help="file to write (required for binary formats)")

    def handle(self, *args, format: str, output: str | None, **options):
        from gonghui.accounts.system import system_actor

        report = self.build_report(actor=system_actor(), **options)
        if format in ("json", "text"):
            text = report.json() if format == "json" else report.text()
            command_text_write(self, text, output, summary=f"{len(text)} characters")
            return
        if not output:
            raise CommandError("--output is required for binary formats")
        data = report.xlsx() if format == "xlsx" else self.write_other(report, format)
        with open(output, "wb") as fh:
            fh.write(data)
        self.stdout.write(f"{output}: {len(data)} bytes")


__all__ = [
    "CHART_KINDS",
    "Chart",
    "Ratio",
    "Report",
    "ReportCommand",
    "RowsBuilder",
    "command_text_write",
    "json_number",
    "money",
    "percent",
    "plain",
    "rate",
]
