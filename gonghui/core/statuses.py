"""How a record's state is shown: the colour of its status tag and its step bar.

Both are read from the workflow table (`gonghui.core.workflow`), never decided in a template:

- `state_tone(workflow, value)`: one tone per state, from the workflow's own `tones`, else the
  shared `TONES` by state name (a "rejected" is red in every module);
- `step_bar(workflow, obj, actor)`: the workflow's `path` (its usual course) with the record's
  place on it, the next step and who takes it (the record's own person, or the role that holds
  the step's permission).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from gonghui.core.workflow import SYSTEM, Step, Workflow, workflows

if TYPE_CHECKING:
    from gonghui.accounts.models import User

# Tone -> Tabler's badge classes (background + readable text).
TONE_CLASSES = {
    "neutral": "bg-secondary-lt",
    "info": "bg-blue-lt",
    "waiting": "bg-yellow-lt",
    "action": "bg-orange-lt",
    "success": "bg-green-lt",
    "danger": "bg-red-lt",
    "muted": "bg-muted-lt",
}

# State names every module shares; a workflow's `tones` overrides any of them.
TONES = {
    "draft": "neutral",
    "awaiting_co_signers": "waiting",
    "submitted": "info",
    "reported": "info",
    "registered": "info",
    "under_review": "info",
    "referred": "info",
    "sub_union_checked": "info",
    "office_checked": "info",
    "documents_pending": "action",
    "returned": "action",
    "rehandling": "action",
    "on_hold": "waiting",
    "on_notice": "waiting",
    "payable": "waiting",
    "ready": "info",
    "assigned": "info",
    "in_handling": "info",
    "follow_up": "waiting",
    "on_roster": "info",
    "approved": "success",
    "adjusted": "success",
    "enrolled": "success",
    "replied": "success",
    "paid": "success",
    "closed": "success",
    "active": "success",
    "merged": "muted",
    "opinion": "muted",
    "withdrawn": "muted",
    "opted_out": "muted",
    "lapsed": "muted",
    "applied": "info",
    "transferred": "muted",
    "ended": "muted",
    "retired": "info",
    "left": "muted",
    "deceased": "muted",
    "rejected": "danger",
    "refused": "danger",
    "not_registered": "danger",
    # a background job's and an uploaded file's states (core.models JobStatus, ImportStatus)
    "queued": "waiting",
    "running": "info",
    "succeeded": "success",
    "failed": "danger",
    "reading": "info",
    "pending": "waiting",
    "confirmed": "success",
    "discarded": "muted",
    "expired": "muted",
    # an account's state (accounts.selectors.USER_STATES)
    "activated": "success",
    "waiting": "waiting",
    "inactive": "muted",
}


def workflow_of(obj) -> type[Workflow] | None:
    """The registered workflow that moves records of `obj`'s model, if any."""
    for workflow in workflows():
        if isinstance(obj, workflow.model):
            return workflow
    return None


def state_tone(workflow: type[Workflow] | None, value: str) -> str:
    own = getattr(workflow, "tones", None) or {}
    return own.get(value) or TONES.get(value, "neutral")


def tone_class(tone: str) -> str:
    return TONE_CLASSES.get(tone, TONE_CLASSES["neutral"])


def step_actor_label(workflow: type[Workflow], step: Step) -> str:
    """Who takes `step`: the record's own person, else the narrowest role granted its permission."""
    from gonghui.accounts.roles import GLOBAL_WRITE_ROLES, Role, role_permissions

    if workflow.person_relation and workflow.person_relation in step.relations:
        return _("本人")
    for relation, label in workflow.relation_labels.items():
        if relation in step.relations:
            return str(label)
    if step.permission:
        holders = [role for role in Role if role != Role.SYSTEM and step.permission in role_permissions(role)]
        narrow = [role for role in holders if role not in GLOBAL_WRITE_ROLES and role != Role.MEMBER]
        for role in narrow or holders:
            return str(role.label)
    if SYSTEM in step.relations:
        return _("系统自动")
    return ""


@dataclass(frozen=True)
class BarStop:
    label: str
    state: str  # "done", "current", "todo"


@dataclass(frozen=True)
class StepBar:
    stops: tuple[BarStop, ...]
    current_label: str
    tone: str
    next_label: str  # the next step's name ("" when the record has come to rest)
    next_actor: str  # who takes it


def _path(workflow: type[Workflow]) -> tuple[str, ...]:
    return tuple(str(s) for s in (getattr(workflow, "path", ()) or workflow.initial))


def step_bar(workflow: type[Workflow], obj, actor: User | None = None) -> StepBar:
    current = str(getattr(obj, workflow.state_field))
    path = list(_path(workflow))
    if current not in path:
        # A turn off the usual course (returned, withdrawn, rejected …): placed after the first
        # state on the course it is reached from; a final state ends the bar there.
        sources = [i for i, state in enumerate(path) if workflow.can_follow(state, current)]
        at = (sources[0] + 1) if sources else len(path)
        path = path[:at] + [current] + (path[at:] if workflow.targets(current) else [])
    index = path.index(current)
    stops = tuple(
        BarStop(
            label=workflow.state_label(state),
            state="done" if i < index else "current" if i == index else "todo",
        )
        for i, state in enumerate(path)
    )
    following = [step for step in workflow.steps if current in step.sources]
    ahead = set(path[index + 1 :])
    chosen = next((s for s in following if s.target in ahead), None) or next(
        (s for s in following if state_tone(workflow, s.target) not in ("muted", "danger")), None
    )
    return StepBar(
        stops=stops,
        current_label=workflow.state_label(current),
        tone=state_tone(workflow, current),
        next_label=str(chosen.label) if chosen else "",
        next_actor=step_actor_label(workflow, chosen) if chosen else "",
    )
