"""The report kit: every module's figures are built, shown and exported the same way.

- Figures are `Decimal` (money to the cent, rates rounded once, half-up) and go into a
  `Report`: a JSON-ready dict of figures plus the rows (section, item, value) that the
  page's table, the .xlsx and the text output all print.
- One chart component (`Chart`, drawn by `templates/core/partials/_chart.html`).
- One .xlsx writer (`gonghui.core.excel`), formulas neutralised.
- One base for every `*_report` command (`ReportCommand`): `--format json|text|xlsx`,
  `--output`, run as the system actor (never a faked superuser).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from gonghui.core.excel import xlsx_bytes, xlsx_response
from gonghui.core.money import money

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


@dataclass(frozen=True)
class Chart:
    """A horizontal bar chart: one bar per label, or one per series and label (e.g. intent
    and enrolled per sub-union). Drawn as inline SVG by `core/partials/_chart.html`, with
    the numbers also in a table for screen readers."""

    title: str
    labels: tuple[str, ...]
    series: tuple[tuple[str, tuple[Decimal, ...]], ...]
    width: int = 360
    bar_height: int = 18
    label_width: int = 120

    @classmethod
    def bars(cls, title: str, bars: Iterable[tuple[str, Any]], *, name: str = "", **kwargs) -> Chart:
        bars = list(bars)
        return cls(
            title=title,
            labels=tuple(str(label) for label, _value in bars),
            series=((name, tuple(Decimal(str(value or 0)) for _label, value in bars)),),
            **kwargs,
        )

    @classmethod
    def grouped(cls, title: str, rows: Sequence[tuple], *, names: Sequence[str], **kwargs) -> Chart:
        """rows: (label, value of series 1, value of series 2, …)."""
        return cls(
            title=title,
            labels=tuple(str(row[0]) for row in rows),
            series=tuple(
                (str(name), tuple(Decimal(str(row[index + 1] or 0)) for row in rows))
                for index, name in enumerate(names)
            ),
            **kwargs,
        )

    def geometry(self) -> dict:
        """Where every bar and text goes (the template draws it; no JavaScript)."""
        count = len(self.series)
        group = count * self.bar_height + 8
        largest = max((v for _name, values in self.series for v in values), default=ZERO) or Decimal(1)
        room = self.width - self.label_width - 70
        items = []
        for index, label in enumerate(self.labels):
            top = index * group
            bars = []
            for position, (name, values) in enumerate(self.series):
                value = values[index]
                length = int(room * value / largest) if value > 0 else 0
                y = top + position * self.bar_height
                bars.append(
                    {
                        "series": position,
                        "name": name,
                        "value": value,
                        "y": y,
                        "length": length,
                        "text_y": y + self.bar_height * 0.72,
                        "value_x": self.label_width + length + 4,
                    }
                )
            items.append({"label": label, "text_y": top + group / 2, "bars": bars})
        return {
            "width": self.width,
            "height": max(len(self.labels) * group, group),
            "bar_height": self.bar_height - 2,
            "label_width": self.label_width,
            "items": items,
        }


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
    "Chart",
    "Ratio",
    "Report",
    "ReportCommand",
    "RowsBuilder",
    "command_text_write",
    "money",
    "percent",
    "plain",
    "rate",
]
