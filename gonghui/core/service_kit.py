"""Small pieces that the services of every module repeat: one audit row about a record, and
a required free-text field (stripped, refused when empty)."""

from __future__ import annotations

from gonghui.core.exceptions import ApplicationError
from gonghui.core.history import audit_event_record
from gonghui.core.models import AuditEvent


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
