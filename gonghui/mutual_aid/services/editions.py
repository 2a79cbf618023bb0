"""Writes to the scheme's rules by year (管理办法, DOMAIN §4.1).

A SchemeEdition is a core rule edition (gonghui.core.editions): a draft is edited freely by
the office; adopting it (`edition_adopt`, with the date and the act, e.g. a congress
resolution) freezes it and supersedes the year's edition in force — core refuses every
change to an adopted or superseded edition and its parts, and the refusal changes nothing.
A change of rules is a new draft, usually a copy of the adopted edition (`edition_revise`).
Applications keep the edition they were computed under.
"""

from __future__ import annotations

import calendar
import datetime
from decimal import Decimal
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gonghui.accounts.access import Actor, permission_require
from gonghui.core import editions as core
from gonghui.core.editions import edition_adopt  # noqa: F401  (adoption is core's: date and act required)
from gonghui.core.exceptions import ApplicationError
from gonghui.core.history import AuditAction, audit_event_record, changes_between, snapshot
from gonghui.mutual_aid.choices import BASES_BY_MODE, ApplicationKind, CostBase, EditionStatus
from gonghui.mutual_aid.models import DiseaseCategory, RequiredDocument, SchemeEdition, SubsidyBand, SubsidyRule
from gonghui.people.choices import EmploymentStatus

ZERO = Decimal("0")
ONE = Decimal("1")
CHANGE = "mutual_aid.change_schemeedition"

# The fields edition_update may change (the status, adoption and lineage change only
# through the core lifecycle).
EDITION_FIELDS = [name for name in SchemeEdition.document.fields]
EDITION_AUDITED_FIELDS = [*EDITION_FIELDS, "status", "adopted_on", "resolution"]
_DATE_FIELDS = ["join_window_start", "join_window_end", "application_window_start", "application_window_end"]
_EDITION_TYPE = "mutual_aid.schemeedition"


# --- helpers -------------------------------------------------------------------------------


def _clean(instance, *, exclude=()) -> None:
    try:
        instance.full_clean(exclude=list(exclude), validate_constraints=False)
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise ApplicationError(
            messages[0], extra={"field": None if field == "__all__" else field, "errors": error.message_dict}
        ) from None


def _record_edit(
    actor: Actor, edition: SchemeEdition, message: str, *, changes: dict | None = None, action=AuditAction.UPDATED
) -> None:
    """One audit row about a change to `edition` (by default an edit of its draft)."""
    audit_event_record(
        actor=actor,
        object_type=_EDITION_TYPE,
        object_id=edition.pk,
        action=action,
        message=message,
        changes=changes or {},
    )


def _shift_year(day: datetime.date, years: int) -> datetime.date:
    year = day.year + years
    return day.replace(year=year, day=min(day.day, calendar.monthrange(year, day.month)[1]))


def _check_money(value, field: str, label: str) -> None:
    if value is not None and Decimal(value) < ZERO:
        raise ApplicationError(_("%(label)s不能为负数") % {"label": label}, extra={"field": field})


def _check_statuses(statuses) -> None:
    valid = set(EmploymentStatus.values)
    unknown = [s for s in statuses or [] if s not in valid]
    if unknown:
        raise ApplicationError(
            _("未知的人员状态：%(statuses)s") % {"statuses": ", ".join(map(str, unknown))},
            extra={"field": "eligible_statuses"},
        )


def _plain(value):
    """A rule value as the edition document holds it (for core's revise overrides)."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


# --- editions ------------------------------------------------------------------------------


def _default_fields(year: int) -> dict:
    """A blank edition's starting point: March windows, no fee, no formula yet."""
    return {
        "eligible_statuses": [EmploymentStatus.ACTIVE.value, EmploymentStatus.RETIRED.value],
        "join_window_start": datetime.date(year, 3, 1),
        "join_window_end": datetime.date(year, 3, 31),
        "application_window_start": datetime.date(year + 1, 3, 1),
        "application_window_end": datetime.date(year + 1, 3, 31),
        "fee_active": ZERO,
        "fee_retired": ZERO,
    }


@transaction.atomic
def edition_create_draft(
    *, actor: Actor, year: int, name: str = "", source: SchemeEdition | None = None, categories=None, **fields
) -> SchemeEdition:
    """A new draft for `year`: blank (March windows, no fee, no rules), or a copy of `source`
    with all its rules, bands, diseases and documents (core's revise). Copying to another
    year moves the windows by the same number of years. `fields` override what is copied."""
    permission_require(actor, "mutual_aid.add_schemeedition")
    unknown = set(fields) - set(EDITION_FIELDS)
    if unknown:
        raise ApplicationError(_("这些字段不能直接设置：%(fields)s") % {"fields": ", ".join(sorted(unknown))})
    if source is not None:
        overrides: dict[str, Any] = {f: _shift_year(getattr(source, f), year - source.year) for f in _DATE_FIELDS}
        overrides.update(fields, year=year, name=name or _("%(year)s年度医疗互助会管理办法（修订稿）") % {"year": year})
        revised = core.edition_revise(actor=actor, source=source, **{k: _plain(v) for k, v in overrides.items()})
        edition = cast(SchemeEdition, revised)
    else:
        values = {**_default_fields(year), **fields}
        edition = SchemeEdition(
            year=year,
            name=name or _("%(year)s年度医疗互助会管理办法（草案）") % {"year": year},
            status=EditionStatus.DRAFT,
            created_by=actor,
            **values,
        )
        _check_statuses(edition.eligible_statuses)
        _clean(edition, exclude=["created_by", "based_on"])
        edition.save()
        _record_edit(actor, edition, _("起草管理办法"), action=AuditAction.CREATED)
    if categories is not None:
        edition.eligible_categories.set(categories)
    return edition


def edition_revise(*, actor: Actor, source: SchemeEdition, year: int | None = None, name: str = "") -> SchemeEdition:
    """修订: a draft copy of `source` (usually the year's adopted edition) for `year`
    (default: the same year, to be adopted in its place)."""
    return edition_create_draft(actor=actor, year=year or source.year, name=name, source=source)


@transaction.atomic
def edition_update(*, actor: Actor, edition: SchemeEdition, categories=None, **fields) -> SchemeEdition:
    """Change a draft's fields (see EDITION_FIELDS) and, when given, its eligible categories
    (core refuses either on an adopted edition)."""
    edition = _edition_for_change(actor, edition)
    unknown = set(fields) - set(EDITION_FIELDS)
    if unknown:
        raise ApplicationError(_("这些字段不能直接设置：%(fields)s") % {"fields": ", ".join(sorted(unknown))})
    before = snapshot(edition, EDITION_AUDITED_FIELDS)
    before_categories = sorted(edition.eligible_categories.values_list("name", flat=True))
    for name, value in fields.items():
        setattr(edition, name, value)
    _check_statuses(edition.eligible_statuses)
    _clean(edition, exclude=["created_by", "based_on"])
    edition.save()
    changes = changes_between(before, snapshot(edition, EDITION_AUDITED_FIELDS))
    if categories is not None:
        edition.eligible_categories.set(categories)
        after_categories = sorted(edition.eligible_categories.values_list("name", flat=True))
        if after_categories != before_categories:
            changes["eligible_categories"] = [before_categories, after_categories]
    if changes:
        _record_edit(actor, edition, _("修改管理办法草案"), changes=changes)
    return edition


@transaction.atomic
def edition_delete_draft(*, actor: Actor, edition: SchemeEdition) -> None:
    """Discard a draft (core never deletes an adopted edition)."""
    edition = _edition_for_change(actor, edition)
    pk, label = edition.pk, str(edition)
    edition.delete()
    audit_event_record(
        actor=actor,
        object_type=_EDITION_TYPE,
        object_id=pk,
        action=AuditAction.DELETED,
        message=_("删除管理办法草案 %(edition)s") % {"edition": label},
    )


def edition_adoption_problems(edition: SchemeEdition) -> list[str]:
    """What stops `edition` from being adopted (empty when it may be). Read-only."""
    problems = []
    if edition.join_window_start > edition.join_window_end:
        problems.append(_("入会开始日期晚于入会截止日期"))
    if edition.application_window_start > edition.application_window_end:
        problems.append(_("补助申请开始日期晚于申请截止日期"))
    if not edition.eligible_statuses:
        problems.append(_("未规定可参加的人员状态"))
    for label, value in (
        (_("在职会费"), edition.fee_active),
        (_("离退休会费"), edition.fee_retired),
        (_("年度封顶"), edition.annual_cap),
        (_("累计封顶"), edition.lifetime_cap),
    ):
        if value is not None and value < ZERO:
            problems.append(_("%(label)s不能为负数") % {"label": label})
    if (
        edition.annual_cap is not None
        and edition.lifetime_cap is not None
        and edition.annual_cap > edition.lifetime_cap
    ):
        problems.append(_("年度封顶高于累计封顶"))
    rules = {rule.base: rule for rule in edition.rules.prefetch_related("bands")}
    bases = BASES_BY_MODE[edition.base_mode]
    for base in bases:
        if base not in rules:
            problems.append(_("缺少“%(base)s”的补助规则") % {"base": CostBase(base).label})
    for base, rule in rules.items():
        base_label = CostBase(base).label
        if base not in bases:
            problems.append(
                _("“%(base)s”的补助规则不适用于计算基数“%(mode)s”")
                % {"base": base_label, "mode": edition.get_base_mode_display()}
            )
            continue
        if rule.deductible < ZERO:
            problems.append(_("“%(base)s”的起付线不能为负数") % {"base": base_label})
        bands = sorted(rule.bands.all(), key=lambda b: (b.lower, b.pk))
        if not bands:
            problems.append(_("“%(base)s”的补助规则没有分段") % {"base": base_label})
        previous = None
        for band in bands:
            band_label = {"base": base_label, "band": str(band)}
            if not ZERO <= band.rate <= ONE:
                problems.append(_("“%(base)s”分段 %(band)s 的比例须在 0 与 1 之间") % band_label)
            if band.lower < ZERO:
                problems.append(_("“%(base)s”分段 %(band)s 的下限不能为负数") % band_label)
            if band.upper is not None and band.upper <= band.lower:
                problems.append(_("“%(base)s”分段 %(band)s 的上限须高于下限") % band_label)
            if previous is not None:
                if previous.upper is None or band.lower < previous.upper:
                    problems.append(
                        _("“%(base)s”分段 %(band)s 与 %(previous)s 重叠") % {**band_label, "previous": str(previous)}
                    )
            previous = band
    return problems


# --- rules and bands -----------------------------------------------------------------------


def _edition_for_change(actor: Actor, edition: SchemeEdition) -> SchemeEdition:
    """The edition, locked, once `actor` is known to hold the change permission."""
    permission_require(actor, CHANGE)
    return SchemeEdition.objects.select_for_update().get(pk=edition.pk)


def _rule_for_change(actor: Actor, rule: SubsidyRule) -> SubsidyRule:
    """The rule, re-read, its edition locked, once `actor` is known to hold the change permission."""
    _edition_for_change(actor, rule.edition)
    return SubsidyRule.objects.get(pk=rule.pk)


@transaction.atomic
def rule_add(*, actor: Actor, edition: SchemeEdition, base: str, deductible: Decimal) -> SubsidyRule:
    edition = _edition_for_change(actor, edition)
    if base not in CostBase.values:
        raise ApplicationError(_("未知的计算基数"), extra={"field": "base"})
    _check_money(deductible, "deductible", _("起付线"))
    if edition.rules.filter(base=base).exists():
        raise ApplicationError(_("“%(base)s”已有补助规则") % {"base": CostBase(base).label}, extra={"field": "base"})
    rule = SubsidyRule.objects.create(edition=edition, base=base, deductible=deductible)
    _record_edit(
        actor,
        edition,
        _("新增补助规则：%(base)s") % {"base": rule.get_base_display()},
        changes={"rule": [None, {"base": base, "deductible": str(deductible)}]},
    )
    return rule


@transaction.atomic
def rule_update(*, actor: Actor, rule: SubsidyRule, deductible: Decimal) -> SubsidyRule:
    rule = _rule_for_change(actor, rule)
    _check_money(deductible, "deductible", _("起付线"))
    before = str(rule.deductible)
    rule.deductible = deductible
    rule.save(update_fields=["deductible"])
    _record_edit(
        actor,
        rule.edition,
        _("修改补助规则：%(base)s") % {"base": rule.get_base_display()},
        changes={"deductible": [before, str(deductible)]},
    )
    return rule


@transaction.atomic
def rule_remove(*, actor: Actor, rule: SubsidyRule) -> None:
    rule = _rule_for_change(actor, rule)
    edition, label = rule.edition, rule.get_base_display()
    rule.delete()
    _record_edit(actor, edition, _("删除补助规则：%(base)s") % {"base": label})


def _check_band(lower, upper, rate) -> None:
    if lower is None or Decimal(lower) < ZERO:
        raise ApplicationError(_("分段下限不能为负数"), extra={"field": "lower"})
    if upper is not None and Decimal(upper) <= Decimal(lower):
        raise ApplicationError(_("分段上限须高于下限"), extra={"field": "upper"})
    if rate is None or not ZERO <= Decimal(rate) <= ONE:
        raise ApplicationError(_("比例须在 0 与 1 之间（如 0.5 表示 50%）"), extra={"field": "rate"})


@transaction.atomic
def band_add(*, actor: Actor, rule: SubsidyRule, lower: Decimal, upper: Decimal | None, rate: Decimal) -> SubsidyBand:
    rule = _rule_for_change(actor, rule)
    _check_band(lower, upper, rate)
    band = SubsidyBand.objects.create(rule=rule, lower=lower, upper=upper, rate=rate)
    _record_edit(
        actor,
        rule.edition,
        _("新增分段：%(base)s %(band)s") % {"base": rule.get_base_display(), "band": band},
        changes={
            "band": [None, {"lower": str(lower), "upper": None if upper is None else str(upper), "rate": str(rate)}]
        },
    )
    return band


@transaction.atomic
def band_update(
    *, actor: Actor, band: SubsidyBand, lower: Decimal, upper: Decimal | None, rate: Decimal
) -> SubsidyBand:
    rule = _rule_for_change(actor, band.rule)
    band = SubsidyBand.objects.get(pk=band.pk)
    _check_band(lower, upper, rate)
    before = str(band)
    band.lower, band.upper, band.rate = lower, upper, rate
    band.save()
    band.refresh_from_db()
    _record_edit(
        actor,
        rule.edition,
        _("修改分段：%(base)s") % {"base": rule.get_base_display()},
        changes={"band": [before, str(band)]},
    )
    return band


@transaction.atomic
def band_remove(*, actor: Actor, band: SubsidyBand) -> None:
    rule = _rule_for_change(actor, band.rule)
    label = str(band)
    SubsidyBand.objects.get(pk=band.pk).delete()
    _record_edit(
        actor, rule.edition, _("删除分段：%(base)s %(band)s") % {"base": rule.get_base_display(), "band": label}
    )


# --- disease catalogue and required documents ---------------------------------------------


def _check_disease(edition, code: str, name: str, exclude_pk=None) -> None:
    if not (code or "").strip() or not (name or "").strip():
        raise ApplicationError(_("请填写病种代码和名称"), extra={"field": "code" if not code else "name"})
    if edition.diseases.filter(code=code.strip()).exclude(pk=exclude_pk).exists():
        raise ApplicationError(_("病种代码 %(code)s 已存在") % {"code": code}, extra={"field": "code"})


@transaction.atomic
def disease_add(*, actor: Actor, edition: SchemeEdition, code: str, name: str) -> DiseaseCategory:
    edition = _edition_for_change(actor, edition)
    _check_disease(edition, code, name)
    disease = DiseaseCategory.objects.create(edition=edition, code=code.strip(), name=name.strip())
    _record_edit(
        actor,
        edition,
        _("新增病种：%(name)s") % {"name": disease.name},
        changes={"disease": [None, {"code": disease.code, "name": disease.name}]},
    )
    return disease


@transaction.atomic
def disease_update(*, actor: Actor, disease: DiseaseCategory, code: str, name: str) -> DiseaseCategory:
    edition = _edition_for_change(actor, disease.edition)
    disease = DiseaseCategory.objects.get(pk=disease.pk)
    _check_disease(edition, code, name, exclude_pk=disease.pk)
    before = {"code": disease.code, "name": disease.name}
    disease.code, disease.name = code.strip(), name.strip()
    disease.save()
    _record_edit(
        actor,
        edition,
        _("修改病种：%(name)s") % {"name": disease.name},
        changes={"disease": [before, {"code": disease.code, "name": disease.name}]},
    )
    return disease


@transaction.atomic
def disease_remove(*, actor: Actor, disease: DiseaseCategory) -> None:
    edition = _edition_for_change(actor, disease.edition)
    name = disease.name
    DiseaseCategory.objects.get(pk=disease.pk).delete()
    _record_edit(actor, edition, _("删除病种：%(name)s") % {"name": name})


def _check_document(kind: str, name: str) -> None:
    if kind not in ApplicationKind.values:
        raise ApplicationError(_("未知的申请类型"), extra={"field": "kind"})
    if not (name or "").strip():
        raise ApplicationError(_("请填写材料名称"), extra={"field": "name"})


@transaction.atomic
def document_add(
    *, actor: Actor, edition: SchemeEdition, kind: str, name: str, required: bool = True
) -> RequiredDocument:
    edition = _edition_for_change(actor, edition)
    _check_document(kind, name)
    document = RequiredDocument.objects.create(edition=edition, kind=kind, name=name.strip(), required=required)
    _record_edit(
        actor,
        edition,
        _("新增申请材料：%(kind)s %(name)s") % {"kind": document.get_kind_display(), "name": document.name},
        changes={"document": [None, {"kind": kind, "name": document.name, "required": required}]},
    )
    return document


@transaction.atomic
def document_update(
    *, actor: Actor, document: RequiredDocument, kind: str, name: str, required: bool
) -> RequiredDocument:
    edition = _edition_for_change(actor, document.edition)
    document = RequiredDocument.objects.get(pk=document.pk)
    _check_document(kind, name)
    before = {"kind": document.kind, "name": document.name, "required": document.required}
    document.kind, document.name, document.required = kind, name.strip(), required
    document.save()
    _record_edit(
        actor,
        edition,
        _("修改申请材料：%(name)s") % {"name": document.name},
        changes={"document": [before, {"kind": kind, "name": document.name, "required": required}]},
    )
    return document


@transaction.atomic
def document_remove(*, actor: Actor, document: RequiredDocument) -> None:
    edition = _edition_for_change(actor, document.edition)
    name = document.name
    RequiredDocument.objects.get(pk=document.pk).delete()
    _record_edit(actor, edition, _("删除申请材料：%(name)s") % {"name": name})
