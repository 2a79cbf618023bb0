"""Schools and the year's admission rules (子女入学工作规则), a core rule edition.

The office keeps the schools (kind, district, affiliated or co-built, contacts) and drafts
each year's rules: the survey and request windows, the ages on 31 August, the priority
batches by staff category, the documents and the places each school offers. A draft is
written as a rules document (checked against the edition's schema, so a wrong value is
refused whole), revised from last year's (`edition_revise`), and adopted with its act."""

from __future__ import annotations

import datetime
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from gonghui.accounts.access import permission_require
from gonghui.admissions.choices import Affiliation, Housing, Relation, SchoolKind
from gonghui.admissions.models import AdmissionRules, School
from gonghui.core.editions import (
    DOCUMENT_SCHEMA_ID,
    EditionStatus,
    edition_adopt,
    edition_document,
    edition_from_document,
    edition_revise,
)
from gonghui.core.exceptions import ApplicationError
from gonghui.core.history import AuditAction, changes_between, changes_of, snapshot
from gonghui.core.service_kit import audit, create_or_refuse

SCHOOL_FIELDS = (
    "code",
    "name",
    "kind",
    "district",
    "affiliation",
    "address",
    "contact_name",
    "contact_phone",
    "opened_on",
    "active",
    "note",
)

# The example of DOMAIN §3.9 (configurable): 在编 staff first, then grandchildren, then
# contract staff.
DEFAULT_BATCHES: tuple[dict[str, Any], ...] = (
    {"position": 1, "label": "在编教职工子女", "relation": Relation.CHILD, "categories": "事业编制"},
    {"position": 2, "label": "教职工孙子女、外孙子女", "relation": Relation.GRANDCHILD, "categories": ""},
    {"position": 3, "label": "合同制教职工子女", "relation": Relation.CHILD, "categories": "合同制\n人事代理"},
)
DEFAULT_DOCUMENTS: tuple[dict[str, Any], ...] = (
    {"code": "unit_form", "label": "单位盖章的申请表", "required": True, "housing": "", "position": 1},
    {"code": "hukou", "label": "户口簿", "required": True, "housing": "", "position": 2},
    {"code": "birth_certificate", "label": "出生医学证明", "required": True, "housing": "", "position": 3},
    {"code": "vaccination", "label": "预防接种证", "required": True, "housing": "", "position": 4},
    {"code": "deed", "label": "房产证", "required": True, "housing": Housing.OWNED, "position": 5},
    {"code": "lease", "label": "租房合同", "required": True, "housing": Housing.RENTED, "position": 6},
    {"code": "housing_proof", "label": "住房证明", "required": True, "housing": Housing.NO_DEED, "position": 7},
)

_RULE_FIELDS = AdmissionRules.document.fields


def _school_values(fields: dict) -> dict:
    unknown = set(fields) - set(SCHOOL_FIELDS)
    if unknown:
        raise TypeError(f"unknown school fields: {', '.join(sorted(unknown))}")
    values = dict(fields)
    for name in ("code", "name", "district", "address", "contact_name", "contact_phone", "note"):
        if name in values:
            values[name] = (values[name] or "").strip()
    return values


def _clean(instance, exclude=()) -> None:
    try:
        instance.full_clean(exclude=list(exclude), validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        name, messages = next(iter(error.message_dict.items()))
        raise ApplicationError(messages[0], extra={"field": name, "errors": error.message_dict}) from None


@transaction.atomic
def school_save(*, actor, school: School | None = None, **fields) -> School:
    """Add a school, or change one (only the fields given). Refused, nothing written, with
    the first wrong field: a missing name or district, an unknown kind, a code or name that
    another school has."""
    values = _school_values(fields)
    if school is None:
        permission_require(actor, "admissions.add_school")
        values.setdefault("affiliation", Affiliation.AFFILIATED)
        if not values.get("code"):
            raise ApplicationError(_("请填写学校代码。"), extra={"field": "code"})
        if not values.get("name"):
            raise ApplicationError(_("请填写学校名称。"), extra={"field": "name"})
    else:
        permission_require(actor, "admissions.change_school", school)
        school = School.objects.select_for_update().get(pk=school.pk)
    if "kind" in values and values["kind"] not in SchoolKind.values:
        raise ApplicationError(_("请选择学校类别。"), extra={"field": "kind"})
    if "affiliation" in values and values["affiliation"] not in Affiliation.values:
        raise ApplicationError(_("请选择与学校的关系。"), extra={"field": "affiliation"})
    others = School.objects.exclude(pk=school.pk) if school is not None else School.objects.all()
    if values.get("code") and others.filter(code=values["code"]).exists():
        raise ApplicationError(_("学校代码“%(code)s”已被使用。") % {"code": values["code"]}, extra={"field": "code"})
    if values.get("name") and others.filter(name=values["name"]).exists():
        raise ApplicationError(_("已有名为“%(name)s”的学校。") % {"name": values["name"]}, extra={"field": "name"})
    refusal = ApplicationError(_("学校代码或名称已被使用。"), extra={"field": "code"})
    if school is None:
        candidate = School(**values)
        _clean(candidate)
        created = create_or_refuse(School, refusal, **values)
        audit(
            actor,
            created,
            AuditAction.CREATED,
            _("添加学校：%(name)s") % {"name": created.name},
            changes=changes_of(**{name: getattr(created, name) for name in ("code", "name", "kind", "district")}),
        )
        return created
    before = snapshot(school, list(SCHOOL_FIELDS))
    for name, value in values.items():
        setattr(school, name, value)
    _clean(school)
    try:
        with transaction.atomic():
            school.save()
    except IntegrityError:  # a twin save took the code or the name first
        raise refusal from None
    changes = changes_between(before, snapshot(school, list(SCHOOL_FIELDS)))
    if changes:
        audit(actor, school, AuditAction.UPDATED, _("修改学校：%(name)s") % {"name": school.name}, changes=changes)
    return school


# --- rules ----------------------------------------------------------------------------------


def rules_in_force(year: int) -> AdmissionRules | None:
    """The adopted rules of `year`, with their parts."""
    return (
        AdmissionRules.objects.filter(year=year, status=EditionStatus.ADOPTED)
        .prefetch_related("batches", "documents", "places")
        .first()
    )


def _plain(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value) if hasattr(value, "label") else value


def _rows(rows, fields: tuple[str, ...]) -> list[dict]:
    return [{name: _plain(row.get(name, "")) for name in fields} for row in rows]


def _document(year: int, fields: dict) -> dict:
    rules: dict[str, Any] = {"year": year}
    for name in _RULE_FIELDS:
        if name == "year":
            continue
        if name not in fields:
            raise ApplicationError(
                _("请填写%(field)s。") % {"field": _verbose_name(name)},
                extra={"field": name},
            )
        rules[name] = _plain(fields[name])
    rules["batches"] = _rows(fields.get("batches", DEFAULT_BATCHES), ("position", "label", "relation", "categories"))
    rules["documents"] = _rows(
        fields.get("documents", DEFAULT_DOCUMENTS), ("code", "label", "required", "housing", "position")
    )
    rules["places"] = _rows(fields.get("places", ()), ("school_code", "places", "note"))
    return {
        "schema": DOCUMENT_SCHEMA_ID,
        "kind": AdmissionRules._meta.label_lower,
        "module": "admissions",
        "rules": rules,
    }


def _verbose_name(name: str) -> str:
    return str(getattr(AdmissionRules._meta.get_field(name), "verbose_name", name))


_DEFAULTS = {
    "nursery_months": 30,
    "kindergarten_months": 36,
    "primary_months": 72,
    "secondary_months": 144,
    "alternative_allowed": True,
}


@transaction.atomic
def rules_draft_create(*, actor, year: int, based_on: AdmissionRules | None = None, **fields) -> AdmissionRules:
    """A draft of the year's rules. From scratch: `name`, the four dates (`survey_opens`,
    `survey_closes`, `requests_open`, `requests_deadline`), optionally the ages in months, and
    the parts as lists of dicts (`batches`, `documents`, `places`; the examples of DOMAIN §3.9
    by default). With `based_on`, a revision of that edition (修订) for `year`, the given
    fields replacing its values. Refused whole, nothing written, at the first wrong value."""
    permission_require(actor, "admissions.add_admissionrules")
    if based_on is not None:
        overrides = {"year": year, **{k: _plain(v) for k, v in fields.items() if k in _RULE_FIELDS}}
        parts = {k: v for k, v in fields.items() if k in ("batches", "documents", "places")}
        if parts:
            source = edition_document(based_on)["rules"]
            merged = {**source, **overrides, **parts}
            return cast(
                AdmissionRules,
                edition_from_document(actor=actor, document=_document(year, merged), based_on=based_on),
            )
        return cast(AdmissionRules, edition_revise(actor=actor, source=based_on, **overrides))
    name = (fields.get("name") or "").strip()
    if not name:
        raise ApplicationError(_("请填写规则名称。"), extra={"field": "name"})
    values = {**_DEFAULTS, **fields, "name": name}
    return cast(AdmissionRules, edition_from_document(actor=actor, document=_document(year, values)))


@transaction.atomic
def rules_draft_update(*, actor, rules: AdmissionRules, **fields) -> AdmissionRules:
    """Change a draft's values (only those given); the parts given as lists replace its
    parts. An adopted edition is refused (EditionLocked): revise it instead."""
    permission_require(actor, "admissions.add_admissionrules")
    rules = AdmissionRules.objects.select_for_update().get(pk=rules.pk)
    if not rules.is_editable:
        rules.save()  # raises EditionLocked with the edition's name
    unknown = set(fields) - set(_RULE_FIELDS) - {"batches", "documents", "places"}
    if unknown:
        raise TypeError(f"unknown rules fields: {', '.join(sorted(unknown))}")
    scalar = [name for name in fields if name in _RULE_FIELDS]
    before = snapshot(rules, scalar)
    for name in scalar:
        setattr(rules, name, fields[name].strip() if isinstance(fields[name], str) else fields[name])
    _clean(rules, exclude=["created_by", "based_on"])
    rules.save()
    specs = {part.related: part for part in AdmissionRules.document.parts}
    for related in ("batches", "documents", "places"):
        if related not in fields:
            continue
        manager = getattr(rules, related)
        for row in manager.all():
            row.delete()
        model = manager.model
        for row in _rows(fields[related], specs[related].fields):
            part = model(edition=rules, **row)
            _clean(part, exclude=["edition"])
            part.save()
    changes = changes_between(before, snapshot(rules, scalar))
    audit(
        actor,
        rules,
        AuditAction.UPDATED,
        _("修改规则草案：%(rules)s") % {"rules": rules},
        changes=changes or None,
    )
    return rules


@transaction.atomic
def rules_adopt(*, actor, rules: AdmissionRules, adopted_on: datetime.date, resolution: str) -> AdmissionRules:
    """Adopt a draft with its date and act (e.g. 校工会〔2021〕5号); the year's edition in force
    is superseded. Refused with nothing written when the checks of the rules fail (dates out
    of order, no batch, a place for an unknown school)."""
    permission_require(actor, "admissions.adopt_admissionrules")
    return cast(AdmissionRules, edition_adopt(actor=actor, edition=rules, adopted_on=adopted_on, resolution=resolution))
