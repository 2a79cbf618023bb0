"""Writes to plans and their editions (DOMAIN §3.2, §4.1).

A draft edition is edited freely by the office; adopting it freezes it: every service here
refuses to change an adopted or superseded edition, and the refusal changes nothing. A new
offer from the insurer is drafted (often as a copy, `edition_revise`), compared with the
edition in force, then adopted; adopting a second edition for the same plan and start date
supersedes the first.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from gonghui.core.exceptions import ApplicationError
from gonghui.core.history import AuditAction, audit_event_record, changes_between, snapshot
from gonghui.insurance.choices import BenefitKind, EditionStatus, PremiumRule
from gonghui.insurance.models import Plan, PlanEdition
from gonghui.people.choices import EmploymentStatus, Gender

EDITION_FIELDS = [
    "name",
    "start_date",
    "term_months",
    "price_per_share",
    "min_shares",
    "max_shares",
    "default_shares",
    "same_shares_per_unit",
    "eligible_genders",
    "min_age",
    "max_age_male",
    "max_age_female",
    "eligible_statuses",
    "min_participation_rate",
    "waiting_schedule",
    "benefits",
    "exclusions",
    "claim_deadline_days",
    "required_documents",
    "premium_rule",
    "member_share_rate",
]
_AUDITED = [f for f in EDITION_FIELDS if f not in ("waiting_schedule", "benefits", "required_documents")]


def require(actor, perm: str) -> None:
    if actor is None or not actor.has_perm(perm):
        raise PermissionDenied


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


def edition_validate(edition: PlanEdition) -> None:
    """Every rule value is checked here, so a refused save writes nothing."""
    if not edition.name:
        raise ApplicationError(_("请填写版本名称"), extra={"field": "name"})
    if not isinstance(edition.start_date, datetime.date):
        raise ApplicationError(_("请填写保障起始日"), extra={"field": "start_date"})
    _int(edition.term_months, field="term_months", label=_("保障期"), minimum=1)
    edition.price_per_share = _decimal(edition.price_per_share, field="price_per_share", label=_("每份保费"))
    lo, hi, default = (
        _int(edition.min_shares, field="min_shares", label=_("最少份数"), minimum=1),
        _int(edition.max_shares, field="max_shares", label=_("最多份数"), minimum=1),
        _int(edition.default_shares, field="default_shares", label=_("默认份数"), minimum=1),
    )
    if not lo <= default <= hi:
        raise ApplicationError(_("默认份数须在最少与最多份数之间"), extra={"field": "default_shares"})
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
    for field in ("max_age_male", "max_age_female"):
        upper = getattr(edition, field)
        if upper is not None and edition.min_age is not None and int(upper) <= int(edition.min_age):
            raise ApplicationError(_("年龄上限须大于最低年龄"), extra={"field": field})
    edition.min_participation_rate = _decimal(
        edition.min_participation_rate, field="min_participation_rate", label=_("最低参保率"), maximum=Decimal("1")
    )
    edition.member_share_rate = _decimal(
        edition.member_share_rate, field="member_share_rate", label=_("个人负担比例"), maximum=Decimal("1")
    )
    if edition.premium_rule not in PremiumRule.values:
        raise ApplicationError(_("未知的保费调整规则"), extra={"field": "premium_rule"})
    _validate_schedule(edition.waiting_schedule)
    _validate_benefits(edition.benefits)
    if not isinstance(edition.required_documents, list) or not all(
        isinstance(d, str) and d.strip() for d in edition.required_documents
    ):
        raise ApplicationError(_("理赔材料须为材料名称的列表"), extra={"field": "required_documents"})
    if len(set(edition.required_documents)) != len(edition.required_documents):
        raise ApplicationError(_("理赔材料有重复"), extra={"field": "required_documents"})


def _validate_schedule(schedule) -> None:
    if not isinstance(schedule, list):
        raise ApplicationError(_("等待期须为列表"), extra={"field": "waiting_schedule"})
    days = []
    for row in schedule:
        if not isinstance(row, dict) or "from_day" not in row:
            raise ApplicationError(_("等待期每一行须有起始天数（from_day）"), extra={"field": "waiting_schedule"})
        days.append(_int(row["from_day"], field="waiting_schedule", label=_("等待期起始天数"), minimum=1))
        _decimal(row.get("share", "1"), field="waiting_schedule", label=_("给付比例"), maximum=Decimal("1"))
        if row.get("max_per_share") not in (None, ""):
            _decimal(row["max_per_share"], field="waiting_schedule", label=_("每份给付上限"))
    if len(set(days)) != len(days):
        raise ApplicationError(_("等待期起始天数有重复"), extra={"field": "waiting_schedule"})


def _validate_benefits(benefits) -> None:
    if not isinstance(benefits, list) or not benefits:
        raise ApplicationError(_("请至少填写一项给付标准"), extra={"field": "benefits"})
    codes = set()
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
        if item["kind"] == BenefitKind.LUMP_SUM:
            _decimal(item.get("amount"), field="benefits", label=_("每份给付金额"))
        else:
            bands = item.get("bands") or []
            if not bands:
                raise ApplicationError(_("按天津贴须至少有一个天数段"), extra={"field": "benefits"})
            previous_end = 0
            for band in sorted(bands, key=lambda b: int(b.get("from_day", 0))):
                start = _int(band.get("from_day"), field="benefits", label=_("天数段起始"), minimum=1)
                if start <= previous_end:
                    raise ApplicationError(_("按天津贴的天数段不能重叠"), extra={"field": "benefits"})
                end = band.get("to_day")
                if end not in (None, ""):
                    end = _int(end, field="benefits", label=_("天数段截止"), minimum=start)
                    previous_end = end
                else:
                    previous_end = 10**6
                _decimal(band.get("per_day"), field="benefits", label=_("每天津贴"))
        if item.get("cap") not in (None, ""):
            _decimal(item["cap"], field="benefits", label=_("年度封顶"))


def _locked_draft(edition: PlanEdition) -> PlanEdition:
    locked = PlanEdition.objects.select_for_update().select_related("plan").get(pk=edition.pk)
    if locked.status != EditionStatus.DRAFT:
        raise ApplicationError(
            _("%(edition)s 已采用，不能修改；请另行起草新版本。") % {"edition": locked}, extra={"edition": locked.pk}
        )
    return locked


@transaction.atomic
def plan_create(*, actor, code: str, name: str, kind: str, sort_order: int = 0) -> Plan:
    require(actor, "insurance.add_planedition")
    if Plan.objects.filter(code=code).exists():
        raise ApplicationError(_("计划代码 %(code)s 已存在") % {"code": code}, extra={"field": "code"})
    plan = Plan.objects.create(code=code, name=name, kind=kind, sort_order=sort_order)
    audit_event_record(
        actor=actor, obj=plan, action=AuditAction.CREATED, message=_("新建保障计划：%(name)s") % {"name": name}
    )
    return plan


@transaction.atomic
def edition_create(*, actor, plan: Plan, categories=None, **fields) -> PlanEdition:
    """A draft edition of `plan` with the given rule values (see EDITION_FIELDS)."""
    require(actor, "insurance.add_planedition")
    unknown = set(fields) - set(EDITION_FIELDS)
    if unknown:
        raise ApplicationError(_("未知的字段：%(fields)s") % {"fields": ", ".join(sorted(unknown))})
    edition = PlanEdition(plan=plan, created_by=actor, status=EditionStatus.DRAFT, **fields)
    edition_validate(edition)
    edition.save()
    if categories is not None:
        edition.eligible_categories.set(categories)
    audit_event_record(
        actor=actor,
        obj=edition,
        action=AuditAction.CREATED,
        message=_("起草保障计划版本：%(edition)s") % {"edition": edition.name},
    )
    return edition


@transaction.atomic
def edition_update(*, actor, edition: PlanEdition, categories=None, **fields) -> PlanEdition:
    require(actor, "insurance.change_planedition")
    unknown = set(fields) - set(EDITION_FIELDS)
    if unknown:
        raise ApplicationError(_("未知的字段：%(fields)s") % {"fields": ", ".join(sorted(unknown))})
    locked = _locked_draft(edition)
    before = snapshot(locked, _AUDITED)
    for name, value in fields.items():
        setattr(locked, name, value)
    edition_validate(locked)
    locked.save()
    if categories is not None:
        locked.eligible_categories.set(categories)
    audit_event_record(
        actor=actor,
        obj=locked,
        action=AuditAction.UPDATED,
        message=_("修改保障计划版本：%(edition)s") % {"edition": locked.name},
        changes=changes_between(before, snapshot(locked, _AUDITED)),
    )
    return locked


@transaction.atomic
def edition_revise(
    *, actor, edition: PlanEdition, start_date: datetime.date | None = None, name: str = ""
) -> PlanEdition:
    """A draft copy of `edition` (e.g. next year's offer), to change and compare before adopting."""
    require(actor, "insurance.add_planedition")
    fields = {f: getattr(edition, f) for f in EDITION_FIELDS}
    if start_date:
        fields["start_date"] = start_date
    fields["name"] = name or _("%(plan)s %(year)s 年（草案）") % {
        "plan": edition.plan.name,
        "year": fields["start_date"].year,
    }
    copy = edition_create(actor=actor, plan=edition.plan, categories=list(edition.eligible_categories.all()), **fields)
    copy.based_on = edition
    copy.save(update_fields=["based_on"])
    return copy


@transaction.atomic
def edition_adopt(*, actor, edition: PlanEdition, adopted_on: datetime.date, resolution: str = "") -> PlanEdition:
    """Freeze a draft. An edition adopted earlier for the same plan and start date is superseded;
    enrollments keep the edition they were made under."""
    require(actor, "insurance.adopt_planedition")
    locked = _locked_draft(edition)
    edition_validate(locked)
    previous = list(
        PlanEdition.objects.select_for_update().filter(
            plan=locked.plan, start_date=locked.start_date, status=EditionStatus.ADOPTED
        )
    )
    for old in previous:
        if old.enrollments.exists():
            raise ApplicationError(
                _("%(edition)s 已有参保记录，不能被取代；请为新的保障起始日起草版本。") % {"edition": old},
                extra={"edition": old.pk},
            )
        old.status = EditionStatus.SUPERSEDED
        old.save(update_fields=["status", "updated_at"])
        audit_event_record(
            actor=actor,
            obj=old,
            action=AuditAction.STATUS_CHANGED,
            message=_("被新版本取代"),
            changes={"status": ["adopted", "superseded"]},
        )
    locked.status = EditionStatus.ADOPTED
    locked.adopted_on = adopted_on
    locked.resolution = resolution
    locked.save(update_fields=["status", "adopted_on", "resolution", "updated_at"])
    audit_event_record(
        actor=actor,
        obj=locked,
        action=AuditAction.STATUS_CHANGED,
        message=_("采用保障计划版本：%(edition)s") % {"edition": locked.name},
        changes={"status": ["draft", "adopted"], "adopted_on": [None, adopted_on.isoformat()]},
    )
    return locked
