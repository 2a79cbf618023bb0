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


def snapshot(instance: models.Model, fields: list[str]) -> dict:
    """The displayed value of each field, for a before/after comparison."""
    values = {}
    for name in fields:
        field = instance._meta.get_field(name)
        if field.choices:
            values[name] = getattr(instance, f"get_{name}_display")()
        elif field.is_relation:
            values[name] = _plain(getattr(instance, name))
        else:
            values[name] = _plain(getattr(instance, name))
    return values


def changes_between(before: dict, after: dict) -> dict:
    """{field: [before, after]} for the fields whose value differs."""
    return {k: [before.get(k), after.get(k)] for k in after if before.get(k) != after.get(k)}


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


__all__ = ["AuditAction", "audit_event_build", "audit_event_record", "changes_between", "snapshot"]
