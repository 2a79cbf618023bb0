"""Starting a year's plan edition from a preset of the Workers' Insurance Mutual (DOMAIN §3.2).

A preset is an editable starting point: `preset_start` makes a DRAFT edition from it (and the
plan, when the union has none with the preset's code), which the office then edits and adopts
through the ordinary edition pages. The presets page and the `insurance_presets` command (and
the demo) all go through it."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from gonghui.accounts.access import Actor, permission_require
from gonghui.core.editions import EditionStatus
from gonghui.core.exceptions import ApplicationError
from gonghui.insurance.models import Plan, PlanEdition
from gonghui.insurance.presets import INSURER, PLANS, edition_values
from gonghui.insurance.services.editions import edition_create
from gonghui.insurance.services.plans import plan_create

PRESET_CODES = tuple(code for code, _name, _kind, _order in PLANS)


def _plan_for(*, actor: Actor, code: str) -> Plan:
    plan = Plan.objects.filter(code=code).first()
    if plan is not None:
        return plan
    _code, name, kind, order = next(row for row in PLANS if row[0] == code)
    return plan_create(actor=actor, code=code, name=name, kind=kind, insurer=INSURER, sort_order=order)


@transaction.atomic
def preset_start(*, actor: Actor, code: str, year: int, overrides: dict | None = None) -> PlanEdition:
    """A draft edition of plan `code` for the term starting on 1 July of `year`, with the preset's
    rule values (and `overrides`, e.g. an insurer's age limits). Refused when the plan already
    has a draft or an adopted edition starting that day: the office edits that one."""
    permission_require(actor, "insurance.add_planedition")
    if code not in PRESET_CODES:
        raise ApplicationError(_("没有代码为 %(code)s 的预设") % {"code": code}, extra={"field": "code"})
    if not 2000 <= int(year) <= 2100:
        raise ApplicationError(_("年度须在 2000 至 2100 之间"), extra={"field": "year"})
    values = {**edition_values(code, int(year)), **(overrides or {})}
    existing = (
        PlanEdition.objects.filter(
            plan__code=code,
            start_date=values["start_date"],
            status__in=[EditionStatus.DRAFT, EditionStatus.ADOPTED],
        )
        .order_by("status", "-id")
        .first()
    )
    if existing is not None:
        raise ApplicationError(
            _("%(plan)s 已有%(status)s版本“%(name)s”，请直接修改或查看该版本")
            % {"plan": existing.plan.name, "status": existing.get_status_display(), "name": existing.name},
            extra={"edition": existing.pk},
        )
    plan = _plan_for(actor=actor, code=code)
    return edition_create(actor=actor, plan=plan, **values)


__all__ = ["PRESET_CODES", "preset_start"]
