"""Group insurance's part of the union's annual report for a year (and the figures a bulletin
may quote): the insured per plan of the editions starting in the year, the people insured in
any of them, the premium, the claims paid and their sum, and the loss ratio — from the report's
headline selector (`selectors.figures.year_totals`: five grouped queries, whatever the number of
editions and people). None when no adopted edition starts in the year."""

from __future__ import annotations

import re
from decimal import Decimal

from django.utils.translation import gettext as _

from gonghui.core.money import money
from gonghui.core.registry import AnnualFigure, AnnualSection
from gonghui.core.reports import Chart
from gonghui.insurance.selectors.figures import year_totals

ZERO = Decimal("0.00")


def plan_figure_key(code: str) -> str:
    """The key of a plan's insured: "insurance.insured_zyjt" for plan ZYJT."""
    return "insurance.insured_" + re.sub(r"[^a-z0-9]+", "_", code.lower()).strip("_")


def _by_plan(plans: list[dict]) -> list[dict]:
    """The report's editions summed per plan, in the report's order (a plan whose term was
    replaced within the year has two editions of the year)."""
    merged: dict[str, dict] = {}
    for plan in plans:
        row = merged.setdefault(
            plan["plan_code"],
            {"code": plan["plan_code"], "name": plan["plan"], "insured": 0, "premium": ZERO, "paid": ZERO},
        )
        row["insured"] += plan["insured"]
        row["premium"] = money(row["premium"] + plan["premium"])
        row["paid"] = money(row["paid"] + plan["paid"])
    return list(merged.values())


def insurance_annual_section(actor, year: int) -> AnnualSection | None:
    figures = year_totals(user=actor, year=year)
    plans = _by_plan(figures["plans"])
    if not plans:
        return None
    total = figures["total"]
    people = _("人")
    return AnnualSection(
        key="insurance",
        title=_("职工互助保障"),
        figures=(
            *(AnnualFigure(plan_figure_key(plan["code"]), plan["name"], plan["insured"], people) for plan in plans),
            AnnualFigure("insurance.insured_people", _("参保人员（不重复计）"), total["people"], people),
            AnnualFigure("insurance.premium", _("保费"), total["premium"], _("元"), money=True),
            AnnualFigure("insurance.claims_paid_count", _("已赔付理赔"), total["claims_paid"], _("人次")),
            AnnualFigure("insurance.claims_paid_sum", _("理赔赔付金额"), total["paid"], _("元"), money=True),
            AnnualFigure("insurance.loss_ratio", _("赔付率"), total["loss_ratio"], ""),
        ),
        charts=(
            Chart.bars(_("各计划参保人数"), [(plan["name"], plan["insured"]) for plan in plans], name=_("参保人数")),
            Chart.grouped(
                _("各计划保费与赔付（元）"),
                [(plan["name"], plan["premium"], plan["paid"]) for plan in plans],
                names=[_("保费"), _("赔付")],
                value_format="yuan",
            ),
        ),
    )
