"""Writes to plans and the drafts of their editions (DOMAIN §3.2, §4.1).

A plan edition is a core rule edition (`gonghui.core.editions`): adopted editions are
immutable there, adoption (date and act, both required) is `edition_adopt`, a copy to change
is `edition_revise`, the side-by-side view is `edition_compare`. What stays here is what only
this module knows: the checks of every rule value, and the office's drafting of a new edition
from the form.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

import jsonschema
from django.db import transaction
from django.utils.translation import gettext as _

from gonghui.accounts.access import Actor, permission_require
from gonghui.core.editions import EditionStatus
from gonghui.core.exceptions import ApplicationError
from gonghui.core.history import AuditAction, changes_between, snapshot
from gonghui.core.money import money
from gonghui.core.service_kit import audit
from gonghui.insurance.choices import BenefitKind, PremiumRule
from gonghui.insurance.models import Plan, PlanEdition
from gonghui.insurance.schemas import EDITION_FIELDS, EDITION_JSON_SCHEMAS

_JSON_FIELDS = tuple(EDITION_JSON_SCHEMAS)
RATE_PLACES = Decimal("0.0001")  # the rates' decimal places in the table
_AUDITED = [f for f in EDITION_FIELDS if f not in ("waiting_schedule", "benefits", "required_documents")]


def _decimal(value, *, field: str, label: str, minimum=Decimal("0"), maximum=None) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        raise ApplicationError(_("%(label)s不是有效的数字") % {"label": label}, extra={"field": field}) from None
    if not number.is_finite() or number < minimum or (maximum is not None and number > maximum):
        raise ApplicationError(_("%(label)s超出允许范围") % {"label": label}, extra={"field": field})
    return number


def _int(value, *, field: str, label: str, minimum: int = 0) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ApplicationError(_("%(label)s不是有效的整数") % {"label": label}, extra={"field": field}) from None
    if number < minimum:
        raise ApplicationError(_("%(label)s超出允许范围") % {"label": label}, extra={"field": field})
    return number


def _text(number: Decimal) -> str:
    """A decimal as the document writes it: "40", "0.5" (no exponent, no trailing zeros)."""
    return format(number.normalize(), "f")


def edition_validate(edition: PlanEdition) -> None:
    """Every rule value is checked here (and normalised: decimals in the JSON fields as text),
    so a refused save writes nothing and whatever is saved reads back from its document."""
    if not edition.name:
        raise ApplicationError(_("请填写版本名称"), extra={"field": "name"})
    if not isinstance(edition.start_date, datetime.date):
        raise ApplicationError(_("请填写保障起始日"), extra={"field": "start_date"})
    _int(edition.term_months, field="term_months", label=_("保障期"), minimum=1)
    edition.price_per_share = money(_decimal(edition.price_per_share, field="price_per_share", label=_("每份保费")))
    lo, hi, default = (
        _int(edition.min_shares, field="min_shares", label=_("最少份数"), minimum=1),
        _int(edition.max_shares, field="max_shares", label=_("最多份数"), minimum=1),
        _int(edition.default_shares, field="default_shares", label=_("默认份数"), minimum=1),
    )
    if not lo <= default <= hi:
        raise ApplicationError(_("默认份数须在最少与最多份数之间"), extra={"field": "default_shares"})
    for field in ("max_age_male", "max_age_female"):
        upper = getattr(edition, field)
        if upper is not None and edition.min_age is not None and int(upper) <= int(edition.min_age):
            raise ApplicationError(_("年龄上限须大于最低年龄"), extra={"field": field})
    for field, label in (("min_participation_rate", _("最低参保率")), ("member_share_rate", _("个人负担比例"))):
        rate = _decimal(getattr(edition, field), field=field, label=label, maximum=Decimal("1"))
        setattr(edition, field, rate.quantize(RATE_PLACES))
    if edition.premium_rule not in PremiumRule.values:
        raise ApplicationError(_("未知的保费调整规则"), extra={"field": "premium_rule"})
    _validate_choices(edition)
    edition.waiting_schedule = _validate_schedule(edition.waiting_schedule)
    edition.benefits = _validate_benefits(edition.benefits)
    if not isinstance(edition.required_documents, list) or not all(
        isinstance(d, str) and d.strip() for d in edition.required_documents
    ):
        raise ApplicationError(_("理赔材料须为材料名称的列表"), extra={"field": "required_documents"})
    if len(set(edition.required_documents)) != len(edition.required_documents):
        raise ApplicationError(_("理赔材料有重复"), extra={"field": "required_documents"})
    for field in _JSON_FIELDS:  # the document's schema, last: the messages above are the people's
        _schema_check(edition, field)


def _validate_choices(edition: PlanEdition) -> None:
    from gonghui.people.choices import EmploymentStatus, Gender

    unknown = [g for g in edition.eligible_genders or [] if g not in Gender.values]
    if unknown:
        raise ApplicationError(
            _("未知的性别：%(values)s") % {"values": ", ".join(map(str, unknown))}, extra={"field": "eligible_genders"}
        )
    unknown = [s for s in edition.eligible_statuses or [] if s not in EmploymentStatus.values]
    if unknown:
        raise ApplicationError(
            _("未知的人员状态：%(values)s") % {"values": ", ".join(map(str, unknown))},
            extra={"field": "eligible_statuses"},
        )


def _schema_check(edition: PlanEdition, field: str) -> None:
    try:
        jsonschema.validate(getattr(edition, field), EDITION_JSON_SCHEMAS[field])
    except jsonschema.ValidationError as error:
        where = "/".join(str(p) for p in error.absolute_path) or "—"
        raise ApplicationError(
            _("%(label)s格式不符（%(where)s）：%(problem)s")
            % {"label": _field_label(field), "where": where, "problem": error.message},
            extra={"field": field},
        ) from None


def _field_label(field: str) -> str:
    return str(getattr(PlanEdition._meta.get_field(field), "verbose_name", field))


def _validate_schedule(schedule) -> list:
    if not isinstance(schedule, list):
        raise ApplicationError(_("等待期须为列表"), extra={"field": "waiting_schedule"})
    days, rows = [], []
    for row in schedule:
        if not isinstance(row, dict) or "from_day" not in row:
            raise ApplicationError(_("等待期每一行须有起始天数（from_day）"), extra={"field": "waiting_schedule"})
        days.append(_int(row["from_day"], field="waiting_schedule", label=_("等待期起始天数"), minimum=1))
        row = {**row, "from_day": days[-1]}
        if "share" in row:
            share = _decimal(row["share"], field="waiting_schedule", label=_("给付比例"), maximum=Decimal("1"))
            row["share"] = _text(share)
        if row.get("max_per_share") not in (None, ""):
            row["max_per_share"] = _text(
                _decimal(row["max_per_share"], field="waiting_schedule", label=_("每份给付上限"))
            )
        elif "max_per_share" in row:
            row["max_per_share"] = None
        rows.append(row)
    if len(set(days)) != len(days):
        raise ApplicationError(_("等待期起始天数有重复"), extra={"field": "waiting_schedule"})
    if days != sorted(days):
        raise ApplicationError(_("等待期各行的起始天数须从小到大排列"), extra={"field": "waiting_schedule"})
    return rows


def _validate_bands(bands) -> list:
    if not bands or not isinstance(bands, list):
        raise ApplicationError(_("按天津贴须至少有一个天数段"), extra={"field": "benefits"})
    previous_end = 0
    out = []
    for band in sorted(bands, key=lambda b: int(b.get("from_day", 0)) if isinstance(b, dict) else 0):
        if not isinstance(band, dict):
            raise ApplicationError(_("按天津贴须至少有一个天数段"), extra={"field": "benefits"})
        start = _int(band.get("from_day"), field="benefits", label=_("天数段起始"), minimum=1)
        if start <= previous_end:
            raise ApplicationError(_("按天津贴的天数段不能重叠"), extra={"field": "benefits"})
        end = band.get("to_day")
        if end not in (None, ""):
            end = _int(end, field="benefits", label=_("天数段截止"), minimum=start)
            previous_end = end
        else:
            end, previous_end = None, 10**6
        per_day = _decimal(band.get("per_day"), field="benefits", label=_("每天津贴"))
        out.append({**band, "from_day": start, "to_day": end, "per_day": _text(per_day)})
    return out


def _validate_benefits(benefits) -> list:
    if not isinstance(benefits, list) or not benefits:
        raise ApplicationError(_("请至少填写一项给付标准"), extra={"field": "benefits"})
    codes = set()
    out = []
    for item in benefits:
        if not isinstance(item, dict) or not item.get("code") or not item.get("name"):
            raise ApplicationError(_("每项给付标准须有代码和名称"), extra={"field": "benefits"})
        if item["code"] in codes:
            raise ApplicationError(
                _("给付项目代码重复：%(code)s") % {"code": item["code"]}, extra={"field": "benefits"}
            )
        codes.add(item["code"])
        if item.get("kind") not in BenefitKind.values:
            raise ApplicationError(_("给付方式须为按份一次性给付或按天津贴"), extra={"field": "benefits"})
        item = dict(item)
        if item["kind"] == BenefitKind.LUMP_SUM:
            item["amount"] = _text(_decimal(item.get("amount"), field="benefits", label=_("每份给付金额")))
        else:
            item["bands"] = _validate_bands(item.get("bands"))
        if item.get("cap") not in (None, ""):
            item["cap"] = _text(_decimal(item["cap"], field="benefits", label=_("年度封顶")))
        elif "cap" in item:
            item["cap"] = None
        out.append(item)
    return out


def _fields_check(fields: dict) -> None:
    unknown = set(fields) - set(EDITION_FIELDS)
    if unknown:
        raise ApplicationError(_("未知的字段：%(fields)s") % {"fields": ", ".join(sorted(unknown))})


def _draft_save(*, actor: Actor, edition: PlanEdition, categories, message: str, before: dict | None = None):
    """Check every rule value, save the draft (and its categories), and record it."""
    edition_validate(edition)
    edition.save()
    if categories is not None:
        edition.eligible_categories.set(categories)
    audit(
        actor,
        edition,
        AuditAction.CREATED if before is None else AuditAction.UPDATED,
        message % {"edition": edition.name},
        changes=None if before is None else changes_between(before, snapshot(edition, _AUDITED)),
    )
    return edition


@transaction.atomic
def edition_create(*, actor: Actor, plan: Plan, categories=None, **fields: Any) -> PlanEdition:
    """A draft edition of `plan` with the given rule values (see EDITION_FIELDS)."""
    permission_require(actor, "insurance.add_planedition")
    _fields_check(fields)
    edition = PlanEdition(plan=plan, created_by=actor, status=EditionStatus.DRAFT, **fields)
    return _draft_save(actor=actor, edition=edition, categories=categories, message=_("起草保障计划版本：%(edition)s"))


@transaction.atomic
def edition_update(*, actor: Actor, edition: PlanEdition, categories=None, **fields: Any) -> PlanEdition:
    """Change a draft's rule values; an adopted edition refuses (core's EditionLocked)."""
    permission_require(actor, "insurance.change_planedition", edition)
    _fields_check(fields)
    locked = PlanEdition.objects.select_for_update().select_related("plan").get(pk=edition.pk)
    before = snapshot(locked, _AUDITED)
    for name, value in fields.items():
        setattr(locked, name, value)
    return _draft_save(
        actor=actor, edition=locked, categories=categories, message=_("修改保障计划版本：%(edition)s"), before=before
    )


def revision_name(edition: PlanEdition, start_date: datetime.date) -> str:
    """The name a revised draft gets by default."""
    return _("%(plan)s %(year)s 年（草案）") % {"plan": edition.plan.name, "year": start_date.year}


__all__ = ["edition_create", "edition_update", "edition_validate", "revision_name"]
