"""Rule editions: every rule by year is a dated edition (DOMAIN §4.1).

A module's rules model subclasses `RuleEdition` (draft → adopted → superseded, with the
date and the act of adoption) and declares its `document`: the fields and the parts (child
rows such as bands, diseases, documents) that make up the rules. From that one declaration
core provides, for every module alike:

- immutability, enforced here and only here: an adopted or superseded edition and its
  parts refuse every save and delete except the lifecycle's own (`EditionLocked`);
- the lifecycle as a core workflow (`edition_adopt` supersedes the edition it replaces);
- `edition_revise` (a draft copy), `edition_compare` (side by side);
- the rules as a JSON document checked against a JSON Schema generated from the same
  declaration: `edition_document`, `edition_from_document`, and the commands
  `rules_export --module M --year Y` and `rules_import FILE [--dry-run] [--adopt]`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, ClassVar

import jsonschema
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.signals import m2m_changed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gonghui.core.exceptions import ApplicationError
from gonghui.core.history import AuditAction, display_value
from gonghui.core.models import TimeStampedModel, WorkflowEvent
from gonghui.core.service_kit import audit
from gonghui.core.workflow import SYSTEM, Attempt, Step, Workflow, transition, workflow_register

if TYPE_CHECKING:
    from gonghui.accounts.models import User

DOCUMENT_SCHEMA_ID = "gonghui.rules/1"


class EditionStatus(models.TextChoices):
    DRAFT = "draft", gettext_lazy("草案")
    ADOPTED = "adopted", gettext_lazy("已通过")
    SUPERSEDED = "superseded", gettext_lazy("已被取代")


class EditionLocked(ApplicationError):
    """An adopted edition (or a part of one) was about to change."""


# The fields the lifecycle itself writes on an adopted edition.
LIFECYCLE_FIELDS = frozenset({"status", "adopted_on", "resolution", "updated_at"})


@dataclass(frozen=True)
class Part:
    """Child rows of an edition in its document: `related` is the reverse accessor from the
    parent (e.g. "rules"), `fields` what each row holds, `parts` rows nested below it."""

    related: str
    fields: tuple[str, ...]
    parts: tuple[Part, ...] = ()


@dataclass(frozen=True)
class EditionDocument:
    """What an edition's rules are, for documents, revisions and comparisons.

    `key` names the fields that identify the edition a new adoption supersedes (the year;
    a plan and its start date). `m2m` maps a many-to-many field to the natural key of its
    targets (e.g. categories by name). `json_schemas` gives JSON fields their schema."""

    module: str
    key: tuple[str, ...]
    fields: tuple[str, ...]
    parts: tuple[Part, ...] = ()
    m2m: dict[str, str] = field(default_factory=dict)
    json_schemas: dict[str, dict] = field(default_factory=dict)
    parent: str = ""  # a foreign key named by natural key in the document (e.g. plan by code)
    parent_key: str = ""
    year_lookup: str = "year"  # how `rules_export --year` finds the year's editions


class RuleEdition(TimeStampedModel):
    """The base of every module's rules model (管理办法, a plan's edition, a drive's rules,
    a congress session's rules)."""

    status = models.CharField(
        gettext_lazy("状态"), max_length=16, choices=EditionStatus.choices, default=EditionStatus.DRAFT
    )
    adopted_on = models.DateField(gettext_lazy("通过日期"), null=True, blank=True)
    resolution = models.CharField(
        gettext_lazy("通过依据"), max_length=200, blank=True, help_text=gettext_lazy("如：第五届教代会第三次会议决议")
    )
    based_on = models.ForeignKey(
        "self", verbose_name=gettext_lazy("修订自"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("创建人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    document: ClassVar[EditionDocument]
    workflow: ClassVar[type[Workflow]]

    class Meta:
        abstract = True

    # --- immutability -------------------------------------------------------------------------

    def save(self, *args, **kwargs):
        if self.pk is not None:
            stored = type(self)._default_manager.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored not in (None, EditionStatus.DRAFT):
                update_fields = kwargs.get("update_fields")
                if update_fields is None or not set(update_fields) <= LIFECYCLE_FIELDS:
                    raise _locked(self)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if type(self)._default_manager.filter(pk=self.pk).exclude(status=EditionStatus.DRAFT).exists():
            raise _locked(self)
        return super().delete(*args, **kwargs)

    @property
    def is_editable(self) -> bool:
        return self.status == EditionStatus.DRAFT

    # --- hooks for the module ---------------------------------------------------------------

    def adoption_problems(self) -> list[str]:
        """What stops this draft from being adopted (the module's own checks)."""
        return []

    def supersede_problem(self) -> str:
        """Why this adopted edition may not be superseded ("" when it may)."""
        return ""


def _locked(edition) -> EditionLocked:
    return EditionLocked(
        _("%(edition)s 已通过（%(status)s），不能修改；请另行起草修订稿。")
        % {"edition": edition, "status": edition.get_status_display()},
        extra={"edition": edition.pk},
    )


class EditionPart(models.Model):
    """A row that belongs to an edition's rules (a band, a disease, a document): it changes
    only while its edition is a draft. `edition_path` leads from the row to the edition."""

    edition_path: ClassVar[str] = "edition"

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self._check_editable()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._check_editable()
        return super().delete(*args, **kwargs)

    def owning_edition(self) -> RuleEdition:
        obj: Any = self
        for name in self.edition_path.split("__"):
            obj = getattr(obj, name)
        return obj

    def _check_editable(self) -> None:
        edition = self.owning_edition()
        stored = type(edition)._default_manager.filter(pk=edition.pk).values_list("status", flat=True).first()
        if stored not in (None, EditionStatus.DRAFT):
            raise _locked(edition)


def _m2m_guard(sender, instance, action, **kwargs):
    if action in ("pre_add", "pre_remove", "pre_clear") and isinstance(instance, RuleEdition):
        if (
            instance.pk
            and type(instance)._default_manager.filter(pk=instance.pk).exclude(status=EditionStatus.DRAFT).exists()
        ):
            raise _locked(instance)


m2m_changed.connect(_m2m_guard, dispatch_uid="gonghui.core.editions.m2m_guard")


# --- the lifecycle as a workflow -------------------------------------------------------------


def _needs_date_and_resolution(attempt: Attempt) -> str | None:
    if not attempt.values.get("adopted_on"):
        return _("请填写通过日期。")
    if not (attempt.values.get("resolution") or "").strip():
        return _("请填写通过依据（如教代会决议）。")
    return None


def _adoption_problems(attempt: Attempt) -> str | None:
    problems = attempt.obj.adoption_problems()
    return "；".join(str(p) for p in problems) if problems else None


def _supersede_allowed(attempt: Attempt) -> str | None:
    return attempt.obj.supersede_problem() or None


def edition_workflow(model: type[RuleEdition], event_model: type[WorkflowEvent], *, permission: str) -> type[Workflow]:
    """The lifecycle of one rules model: draft → adopted (date and act, both required, and
    the module's adoption checks) → superseded (when another is adopted in its place)."""
    step = Step.by(permission)
    attrs = {
        "name": f"{model._meta.label_lower}",
        "model": model,
        "event_model": event_model,
        "states": EditionStatus,
        "initial": (EditionStatus.DRAFT,),
        "person_field": None,
        "noun": str(model._meta.verbose_name),
        "steps": (
            step(
                "adopt",
                EditionStatus.DRAFT,
                EditionStatus.ADOPTED,
                _("通过"),
                guards=(_needs_date_and_resolution, _adoption_problems),
            ),
            step(
                "supersede",
                EditionStatus.ADOPTED,
                EditionStatus.SUPERSEDED,
                _("被取代"),
                relations={SYSTEM},
                guards=(_supersede_allowed,),
            ),
        ),
    }
    workflow = type(f"{model.__name__}Workflow", (Workflow,), attrs)
    model.workflow = workflow
    return workflow_register(workflow)


def editions_in_force(model: type[RuleEdition], edition: RuleEdition):
    """The adopted editions with the same key as `edition` (what its adoption supersedes)."""
    key = {name: getattr(edition, name) for name in model.document.key}
    return model._default_manager.filter(status=EditionStatus.ADOPTED, **key).exclude(pk=edition.pk)


@transaction.atomic
def edition_adopt(*, actor: User, edition: RuleEdition, adopted_on: datetime.date, resolution: str) -> RuleEdition:
    """Adopt a draft with the date and the act; the edition in force for the same key (the
    same year, the same plan and start date) is superseded. Refused with nothing written
    when the date or the act is missing, the module's checks fail, or the edition in force
    may not be superseded."""
    model = type(edition)
    workflow = model.workflow
    # the lock and the checks of the draft first, then the one it replaces
    locked = model._default_manager.select_for_update().get(pk=edition.pk)
    if locked.status != EditionStatus.DRAFT:
        raise _locked(locked)
    for old in editions_in_force(model, locked).select_for_update():
        transition(
            workflow,
            old,
            to=EditionStatus.SUPERSEDED,
            actor=actor,
            message=_("被 %(edition)s 取代") % {"edition": locked},
            parameters={"by": locked.pk},
        )
    return transition(
        workflow,
        locked,
        to=EditionStatus.ADOPTED,
        actor=actor,
        message=(resolution or "").strip(),
        values={"adopted_on": adopted_on, "resolution": (resolution or "").strip()},
    )


# --- documents -------------------------------------------------------------------------------


def _model_field(model, name):
    return model._meta.get_field(name)


def _field_schema(model, name: str, spec: EditionDocument) -> dict:
    if name in spec.json_schemas:
        return spec.json_schemas[name]
    f = _model_field(model, name)
    schema: dict
    if isinstance(f, models.DecimalField):
        schema = {"type": "string", "pattern": r"^-?\d+(\.\d+)?$"}
    elif isinstance(f, models.BooleanField):
        schema = {"type": "boolean"}
    elif isinstance(f, (models.IntegerField, models.PositiveSmallIntegerField)):
        schema = {"type": "integer"}
    elif isinstance(f, models.DateTimeField):
        schema = {"type": "string", "format": "date-time"}
    elif isinstance(f, models.DateField):
        schema = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
    elif isinstance(f, models.JSONField):
        schema = {}
    else:
        schema = {"type": "string"}
        if getattr(f, "max_length", None):
            schema["maxLength"] = f.max_length
    if f.choices:
        schema["enum"] = [value for value, _label in f.flatchoices]
        if f.blank and isinstance(f, models.CharField) and "" not in schema["enum"]:
            schema["enum"].append("")  # a choice left blank ("any housing")
    if f.null:
        schema = {"anyOf": [schema, {"type": "null"}]}
    return schema


def _part_schema(model, part: Part) -> dict:
    child = _model_field(model, part.related).related_model
    properties = {
        name: _field_schema(child, name, EditionDocument(module="", key=(), fields=())) for name in part.fields
    }
    for nested in part.parts:
        properties[nested.related] = _part_schema(child, nested)
    return {
        "type": "array",
        "items": {
            "type": "object",
            "properties": properties,
            "required": list(part.fields),
            "additionalProperties": False,
        },
    }


def document_schema(model: type[RuleEdition]) -> dict:
    """The JSON Schema of `model`'s documents, generated from its declaration."""
    spec = model.document
    rules = {name: _field_schema(model, name, spec) for name in spec.fields}
    for name in spec.m2m:
        rules[name] = {"type": "array", "items": {"type": "string"}}
    for part in spec.parts:
        rules[part.related] = _part_schema(model, part)
    properties: dict[str, Any] = {
        "schema": {"const": DOCUMENT_SCHEMA_ID},
        "kind": {"const": model._meta.label_lower},
        "module": {"const": spec.module},
        "status": {"enum": EditionStatus.values},
        "adopted_on": {"anyOf": [{"type": "string", "format": "date"}, {"type": "null"}]},
        "resolution": {"type": "string"},
        "rules": {
            "type": "object",
            "properties": rules,
            "required": list(spec.fields) + list(spec.m2m) + [p.related for p in spec.parts],
            "additionalProperties": False,
        },
    }
    required = ["schema", "kind", "module", "rules"]
    if spec.parent:
        properties[spec.parent] = {"type": "string"}
        required.append(spec.parent)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": str(model._meta.verbose_name),
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }


def _plain(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    return value


def _rows(queryset, part: Part) -> list[dict]:
    rows = []
    for row in queryset.order_by("pk"):
        item = {name: _plain(getattr(row, name)) for name in part.fields}
        for nested in part.parts:
            item[nested.related] = _rows(getattr(row, nested.related).all(), nested)
        rows.append(item)
    return rows


def edition_document(edition: RuleEdition) -> dict:
    """The edition's rules as a JSON-ready document (what `rules_export` prints)."""
    model = type(edition)
    spec = model.document
    rules: dict[str, Any] = {name: _plain(getattr(edition, name)) for name in spec.fields}
    for name, natural_key in spec.m2m.items():
        rules[name] = sorted(str(v) for v in getattr(edition, name).values_list(natural_key, flat=True))
    for part in spec.parts:
        rules[part.related] = _rows(getattr(edition, part.related).all(), part)
    document: dict[str, Any] = {
        "schema": DOCUMENT_SCHEMA_ID,
        "kind": model._meta.label_lower,
        "module": spec.module,
        "status": edition.status,
        "adopted_on": _plain(edition.adopted_on),
        "resolution": edition.resolution,
        "rules": rules,
    }
    if spec.parent:
        document[spec.parent] = str(getattr(getattr(edition, spec.parent), spec.parent_key))
    return document


def document_check(document: Any) -> type[RuleEdition]:
    """The rules model a document is for, once it matches that model's schema; otherwise
    ApplicationError naming the first problem (where, and what)."""
    if not isinstance(document, dict):
        raise ApplicationError(_("规则文件须为 JSON 对象"))
    model = edition_models().get(str(document.get("kind", "")))
    if model is None:
        raise ApplicationError(_("未知的规则类型：%(kind)s") % {"kind": document.get("kind", "—")})
    try:
        jsonschema.validate(document, document_schema(model), format_checker=jsonschema.FormatChecker())
    except jsonschema.ValidationError as error:
        where = "/".join(str(p) for p in error.absolute_path) or "（根）"
        raise ApplicationError(
            _("规则文件不符合格式：%(where)s：%(problem)s") % {"where": where, "problem": error.message},
            extra={"path": where},
        ) from None
    return model


def _value(model, name: str, raw):
    f = _model_field(model, name)
    if raw is None:
        return None
    if isinstance(f, models.DecimalField):
        try:
            return Decimal(raw)
        except InvalidOperation:
            raise ApplicationError(_("%(field)s 不是有效的数字") % {"field": f.verbose_name}) from None
    if isinstance(f, models.DateTimeField):
        return datetime.datetime.fromisoformat(raw)
    if isinstance(f, models.DateField):
        return datetime.date.fromisoformat(raw)
    return raw


def _create_parts(parent, part: Part, rows: list[dict]) -> int:
    related = parent._meta.get_field(part.related)
    child_model = related.related_model
    fk_name = related.field.name
    created = 0
    for row in rows:
        values = {name: _value(child_model, name, row[name]) for name in part.fields}
        child = child_model(**{fk_name: parent}, **values)
        child.full_clean(exclude=[fk_name], validate_unique=False, validate_constraints=False)
        child.save()
        created += 1
        for nested in part.parts:
            created += _create_parts(child, nested, row.get(nested.related, []))
    return created


@transaction.atomic
def edition_from_document(
    *, actor: User, document: dict, adopt: bool = False, based_on: RuleEdition | None = None, overrides=None
) -> RuleEdition:
    """A new draft made from a document (its parts and categories too), checked against the
    schema and the model's own validation; with `adopt`, adopted with the document's date
    and act. Refused whole, nothing written, at the first problem."""
    model = document_check(document)
    spec = model.document
    from gonghui.accounts.access import permission_require

    permission_require(actor, f"{model._meta.app_label}.add_{model._meta.model_name}")
    rules = dict(document["rules"])
    rules.update(overrides or {})
    values = {name: _value(model, name, rules[name]) for name in spec.fields}
    if spec.parent:
        parent_model = _model_field(model, spec.parent).related_model
        parent = parent_model._default_manager.filter(**{spec.parent_key: document[spec.parent]}).first()
        if parent is None:
            raise ApplicationError(
                _("找不到 %(model)s：%(key)s")
                % {"model": parent_model._meta.verbose_name, "key": document[spec.parent]}
            )
        values[spec.parent] = parent
    edition = model(**{"status": EditionStatus.DRAFT, "based_on": based_on, "created_by": actor}, **values)
    try:
        edition.full_clean(exclude=["created_by", "based_on"], validate_constraints=False)
    except ValidationError as error:
        name, messages = next(iter(error.message_dict.items()))
        raise ApplicationError(messages[0], extra={"field": name, "errors": error.message_dict}) from None
    edition.save()
    for name, natural_key in spec.m2m.items():
        target = _model_field(model, name).related_model
        wanted = list(rules.get(name) or [])
        found = list(target._default_manager.filter(**{f"{natural_key}__in": wanted}))
        missing = sorted(set(wanted) - {str(getattr(t, natural_key)) for t in found})
        if missing:
            raise ApplicationError(
                _("本校没有这些%(what)s：%(names)s") % {"what": target._meta.verbose_name, "names": "、".join(missing)}
            )
        getattr(edition, name).set(found)
    for part in spec.parts:
        _create_parts(edition, part, rules.get(part.related, []))
    audit(
        actor,
        edition,
        AuditAction.CREATED,
        _("起草 %(edition)s（修订自 %(source)s）") % {"edition": edition, "source": based_on}
        if based_on
        else _("由规则文件起草 %(edition)s") % {"edition": edition},
        changes={"based_on": [None, based_on.pk if based_on else None]},
    )
    if adopt:
        if not document.get("adopted_on") or not document.get("resolution"):
            raise ApplicationError(_("直接通过须在规则文件中写明通过日期和通过依据"))
        edition = edition_adopt(
            actor=actor,
            edition=edition,
            adopted_on=datetime.date.fromisoformat(document["adopted_on"]),
            resolution=document["resolution"],
        )
    return edition


def edition_revise(*, actor: User, source: RuleEdition, **overrides) -> RuleEdition:
    """修订: a draft copy of `source` with all its parts, to change and compare before adopting;
    `overrides` replace rule values (e.g. another year)."""
    document = edition_document(source)
    return edition_from_document(actor=actor, document=document, based_on=source, overrides=overrides)


# --- comparison -----------------------------------------------------------------------------


def _flatten(prefix: str, value, out: dict) -> None:
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        for index, item in enumerate(value, start=1):
            _flatten(f"{prefix} #{index}", item, out)
    elif isinstance(value, dict):
        for key, item in value.items():
            _flatten(f"{prefix} · {key}" if prefix else key, item, out)
    else:
        out[prefix] = value


def _label(model, name: str) -> str:
    head = name.split(" ")[0]
    try:
        return str(model._meta.get_field(head).verbose_name) + name[len(head) :]
    except Exception:
        return name


@dataclass(frozen=True)
class ComparisonRow:
    label: str
    left: Any
    right: Any

    @property
    def differs(self) -> bool:
        return self.left != self.right


def edition_compare(left: RuleEdition, right: RuleEdition) -> list[ComparisonRow]:
    """The two editions' rules side by side, one row per rule value (parts included)."""
    model = type(left)
    a: dict[str, Any] = {}
    b: dict[str, Any] = {}
    _flatten("", edition_document(left)["rules"], a)
    _flatten("", edition_document(right)["rules"], b)
    names = list(dict.fromkeys([*a, *b]))
    return [ComparisonRow(_label(model, name), a.get(name), b.get(name)) for name in names]


# --- the registry of rules models -------------------------------------------------------------


def edition_models() -> dict[str, type[RuleEdition]]:
    """Every concrete rules model, by "app_label.modelname"."""
    return {
        model._meta.label_lower: model
        for model in apps.get_models()
        if issubclass(model, RuleEdition) and hasattr(model, "document")
    }


def edition_models_of(module: str) -> list[type[RuleEdition]]:
    return [model for model in edition_models().values() if model.document.module == module]


__all__ = [
    "DOCUMENT_SCHEMA_ID",
    "ComparisonRow",
    "EditionDocument",
    "EditionLocked",
    "EditionPart",
    "EditionStatus",
    "Part",
    "RuleEdition",
    "display_value",
    "document_check",
    "document_schema",
    "edition_adopt",
    "edition_compare",
    "edition_document",
    "edition_from_document",
    "edition_models",
    "edition_models_of",
    "edition_revise",
    "edition_workflow",
]
