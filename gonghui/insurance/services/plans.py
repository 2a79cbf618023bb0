"""Writes to the plans (保障计划) the union takes part in: created and changed by the office in
the product's pages, every change audited. A plan's code is its natural key in the rules
documents (`rules_export` / `rules_import`) and never changes once created."""

from __future__ import annotations

import re

from django.db import transaction
from django.utils.translation import gettext as _

from gonghui.accounts.access import Actor, permission_require
from gonghui.core.exceptions import ApplicationError
from gonghui.core.history import AuditAction, changes_between, changes_of, snapshot
from gonghui.core.service_kit import audit, create_or_refuse, required_text
from gonghui.insurance.choices import PlanKind
from gonghui.insurance.models import Plan

CODE_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
_AUDITED = ["name", "kind", "insurer", "sort_order"]


def _checked(*, name: str, kind: str, insurer: str, sort_order) -> dict:
    if kind not in PlanKind.values:
        raise ApplicationError(_("未知的计划类型"), extra={"field": "kind"})
    try:
        order = int(sort_order)
    except (TypeError, ValueError):
        raise ApplicationError(_("顺序须为整数"), extra={"field": "sort_order"}) from None
    if order < 0:
        raise ApplicationError(_("顺序不能为负数"), extra={"field": "sort_order"})
    return {
        "name": required_text(name, _("请填写计划名称"), field="name"),
        "kind": kind,
        "insurer": required_text(insurer, _("请填写承保机构"), field="insurer"),
        "sort_order": order,
    }


def _taken(code: str) -> ApplicationError:
    return ApplicationError(_("计划代码 %(code)s 已存在") % {"code": code}, extra={"field": "code"})


@transaction.atomic
def plan_create(
    *,
    actor: Actor,
    code: str,
    name: str,
    kind: str,
    insurer: str = "中国职工保险互助会北京办事处",
    sort_order: int = 0,
) -> Plan:
    """A new plan. Its code (letters, digits, - and _) names it in the rules documents."""
    permission_require(actor, "insurance.add_plan")
    code = (code or "").strip()
    if not CODE_PATTERN.match(code):
        raise ApplicationError(_("计划代码须为 1–32 位字母、数字、- 或 _"), extra={"field": "code"})
    if Plan.objects.filter(code__iexact=code).exists():
        raise _taken(code)
    values = _checked(name=name, kind=kind, insurer=insurer, sort_order=sort_order)
    plan = create_or_refuse(Plan, _taken(code), code=code, **values)
    audit(
        actor,
        plan,
        AuditAction.CREATED,
        _("新建保障计划：%(name)s") % {"name": plan.name},
        changes=changes_of(code=code, **snapshot(plan, _AUDITED)),
    )
    return plan


@transaction.atomic
def plan_update(*, actor: Actor, plan: Plan, name: str, kind: str, insurer: str, sort_order: int) -> Plan:
    """Change a plan's name, kind, insurer or place in the lists (its editions keep their rules)."""
    permission_require(actor, "insurance.change_plan", plan)
    values = _checked(name=name, kind=kind, insurer=insurer, sort_order=sort_order)
    locked = Plan.objects.select_for_update().get(pk=plan.pk)
    before = snapshot(locked, _AUDITED)
    for field, value in values.items():
        setattr(locked, field, value)
    changes = changes_between(before, snapshot(locked, _AUDITED))
    if not changes:
        return locked
    locked.save(update_fields=list(values))
    audit(actor, locked, AuditAction.UPDATED, _("修改保障计划：%(name)s") % {"name": locked.name}, changes=changes)
    return locked


__all__ = ["plan_create", "plan_update"]
