"""Two fake module sections for the annual report's tests (`sections`), registered through the
registry as a module would, and the registry given back as it was afterwards. Every section
other modules registered is set aside meanwhile, so the figures here are exactly these:

- 慰问帮扶 `welfare` (order 10): 2021 — 128 人次 visited, 201,025.00 元 (money), 87.50 % to
  retirees (a Ratio), a note (text), a pie of the money (active 25,128.13 / retired
  175,896.87); 2020 — 100 人次, 150,000.00 元, 80.00 %, another note; no other year;
- 文体活动 `culture` (order 20): 2021 only — 12 项 events, 1,383 人 taking part, a bar chart by
  quarter (300, 420, 263, 400) with its own key `quarters`.

`sections.calls` lists (section, actor's username, year) of every call the report made.
"""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils.translation import gettext_lazy as _

from gonghui.core import registry
from gonghui.core.registry import AnnualFigure, AnnualSection, annual_section_register
from gonghui.core.reports import Chart, Ratio

WELFARE = {
    2021: (128, Decimal("201025.00"), Ratio("0.8750"), _("春节、中秋两次慰问"), Decimal("25128.13")),
    2020: (100, Decimal("150000.00"), Ratio("0.8000"), _("春节慰问"), Decimal("30000.00")),
}
QUARTERS = (("第一季度", 300), ("第二季度", 420), ("第三季度", 263), ("第四季度", 400))


@pytest.fixture
def sections():
    calls: list[tuple[str, str, int]] = []

    def welfare(actor, year: int) -> AnnualSection | None:
        calls.append(("welfare", actor.username, year))
        if year not in WELFARE:
            return None
        visits, amount, share, note, active = WELFARE[year]
        return AnnualSection(
            key="welfare",
            title=_("慰问帮扶"),
            figures=(
                AnnualFigure("welfare.visits", _("慰问人次"), visits, "人次"),
                AnnualFigure("welfare.amount", _("慰问金额"), amount, "元", money=True),
                AnnualFigure("welfare.retired_share", _("离退休占比"), share),
                AnnualFigure("welfare.note", _("说明"), note),
            ),
            charts=(Chart.pie(_("慰问金额"), [("在职", active), ("离退休", amount - active)], value_format="yuan"),),
        )

    def culture(actor, year: int) -> AnnualSection | None:
        calls.append(("culture", actor.username, year))
        if year != 2021:
            return None
        return AnnualSection(
            key="culture",
            title=_("文体活动"),
            figures=(
                AnnualFigure("culture.events", _("活动项目"), 12, "项"),
                AnnualFigure("culture.participants", _("参与人数"), sum(n for _q, n in QUARTERS), "人"),
            ),
            charts=(Chart.bars(_("各季度参与人数"), QUARTERS, key="quarters"),),
        )

    saved = dict(registry.registry.annual_sections)
    registry.registry.annual_sections.clear()
    # registered the other way round: the report follows the modules' order, not registration
    annual_section_register("culture", culture, order=20)
    annual_section_register("welfare", welfare, order=10)
    yield SimpleNamespace(calls=calls)
    registry.registry.annual_sections.clear()
    registry.registry.annual_sections.update(saved)


EXPECTED_2021 = {
    "year": 2021,
    "sections": {
        "welfare": {
            "welfare.visits": 128,
            "welfare.amount": "201025.00",
            "welfare.retired_share": "0.8750",
            "welfare.note": "春节、中秋两次慰问",
        },
        "culture": {"culture.events": 12, "culture.participants": 1383},
    },
}

ROWS_2021 = [
    ("慰问帮扶", "慰问人次", 128),
    ("慰问帮扶", "慰问金额", Decimal("201025.00")),
    ("慰问帮扶", "离退休占比", Decimal("0.8750")),
    ("慰问帮扶", "说明", "春节、中秋两次慰问"),
    ("文体活动", "活动项目", 12),
    ("文体活动", "参与人数", 1383),
]
