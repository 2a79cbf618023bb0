"""Recording the audit trail: every state change says who, when, what, before and after."""

import datetime
from decimal import Decimal

from django.db import models

from gonghui.core.models import AuditAction, AuditEvent


def _plain(value):
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def display_value(instance: models.Model, name: str):
    """A field's value as people read it: the label of a choice, the name of a related
    record, an ISO date, a Decimal as text."""
    field = instance._meta.get_field(name)
    choices = getattr(field, "flatchoices", None) if getattr(field, "choices", None) else None
    if choices:
        value = getattr(instance, name)
        return str(dict(choices).get(value, value)) if value not in (None, "") else value
    return _plain(getattr(instance, name))


def snapshot(instance: models.Model, fields: list[str]) -> dict:
    """The displayed value of each field, for a before/after comparison."""
    return {name: display_value(instance, name) for name in fields}


def changes_between(before: dict, after: dict) -> dict:
    """{field: [before, after]} for the fields whose value differs."""
    return {k: [before.get(k), after.get(k)] for k in after if before.get(k) != after.get(k)}


def changes_of(**values) -> dict:
    """Changes of a newly created record: {field: [None, value]} (never a bare value, so the
    history never reads one value as a before/after pair)."""
    return {k: [None, _plain(v)] for k, v in values.items()}


def audit_event_build(
    *,
    actor,
    obj=None,
    object_type: str = "",
    object_id="",
    action: str,
    person_id=None,
    message: str = "",
    changes: dict | None = None,
) -> AuditEvent:
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    for name, pair in (changes or {}).items():
        # A bare value would show as "本 → 人" on the person's page: always [before, after].
        if not (isinstance(pair, (list, tuple)) and len(pair) == 2):
            raise ValueError(f"audit change {name!r} must be [before, after], not {pair!r}")
    return AuditEvent(
        actor=actor if (actor is not None and actor.is_authenticated) else None,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        person_id=person_id,
        message=str(message),
        changes=changes or {},
    )


def audit_event_record(**kwargs) -> AuditEvent:
    event = audit_event_build(**kwargs)
    event.save()
    return event


def export_record(
    actor, *, what: str, obj=None, object_type: str = "", query: str = "", clear: bool = False
) -> AuditEvent:
    """The audit row of an export of personal data (a list, a file to download): who exported
    `what` (the sentence people read) about `obj` (or, for a whole list, `object_type` with
    object id "list"), with the filters (`query`) that chose the rows. `clear`: the file holds
    ID numbers in clear (AuditAction.EXPORTED_CLEAR)."""
    message = f"{what}（{query}）" if query else str(what)
    return audit_event_record(
        actor=actor,
        obj=obj,
        object_type=object_type,
        object_id="" if obj is not None else "list",
        action=AuditAction.EXPORTED_CLEAR if clear else AuditAction.EXPORTED,
        message=message,
    )


__all__ = [
    "AuditAction",
    "audit_event_build",
    "audit_event_record",
    "changes_between",
    "changes_of",
    "display_value",
    "export_record",
    "snapshot",
]
