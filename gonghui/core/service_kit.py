"""Small pieces that the services of every module repeat: one audit row about a record, a
required free-text field (stripped, refused when empty), and a row that a twin request may
have created first."""

from __future__ import annotations

from typing import TypeVar

from django.db import IntegrityError, models, transaction

from gonghui.core.exceptions import ApplicationError
from gonghui.core.history import audit_event_record
from gonghui.core.models import AuditEvent

M = TypeVar("M", bound=models.Model)


def audit(actor, obj, action: str, message: str = "", *, person_id=None, changes: dict | None = None) -> AuditEvent:
    """Write one audit row about `obj`: who, what, the message people read, and the person
    whose page it shows on."""
    return audit_event_record(
        actor=actor, obj=obj, action=action, person_id=person_id, message=message, changes=changes
    )


def required_text(value: str | None, refusal: str, **extra) -> str:
    """`value` stripped; an empty one is refused with `refusal` (its `extra`, e.g. the
    field, goes with the error)."""
    text = (value or "").strip()
    if not text:
        raise ApplicationError(refusal, extra=extra or None)
    return text


def create_or_refuse(model: type[M], refusal: ApplicationError, **fields) -> M:
    """Create the row in its own savepoint; when a unique constraint refuses it (the same
    request twice at the same instant, after the caller's check passed), raise `refusal`."""
    try:
        with transaction.atomic():
            return model._default_manager.create(**fields)
    except IntegrityError:
        raise refusal from None
