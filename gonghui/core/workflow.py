"""Workflows: one way to move a record from one state to another.

A module declares, in one table, its states, the steps between them, who may take each
step (a permission within the actor's scope, or a relation to the record such as
"applicant") and each step's guards. `transition` does the rest, for every module alike:

- locks the row and re-reads its state (two people clicking at once cannot both move it);
- checks the table, the actor and the guards, and refuses with `InvalidTransition`
  (`StepNotAllowed` when the actor may not take the step), writing nothing;
- sets the state, the step's time stamps and the caller's values;
- writes exactly one event row (at, actor, from, to, step, message, parameters) to the
  module's event table, and one audit row with the real before/after values;
- runs the workflow's effects (notifications) once the transaction commits.

`transition_bulk` moves a whole queryset the same way with set-based statements (one
UPDATE and one INSERT … SELECT per source state for events and for audit rows), for batch
confirms such as a committee sitting or an insurer's acceptance file. `available_steps`
tells pages and the API what the actor may do next.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar

from django.db import connection, models, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.core.exceptions import InvalidTransition, StepNotAllowed
from gonghui.core.history import AuditAction, audit_event_record, display_value

if TYPE_CHECKING:
    from gonghui.accounts.models import User
    from gonghui.core.models import WorkflowEvent

SYSTEM = "system"  # the relation the system actor (commands, tasks) stands in to every record


@dataclass(frozen=True)
class Attempt:
    """What a guard sees: the locked record, who tries, with what."""

    obj: Any
    actor: User
    step: Step
    message: str
    values: dict
    parameters: dict


# A guard returns why the step is refused now, or "" / None when it may proceed.
Guard = Callable[[Attempt], str | None]


@dataclass(frozen=True)
class Step:
    """One allowed move: from any of `sources` to `target`.

    Who may take it: a holder of `permission` whose scoped queryset (`Model.objects.restrict
    (actor, scope_action)`) contains the record, or an actor standing in one of `relations`
    to the record (the workflow's `relations()` says which; "system" is the system actor)."""

    name: str
    sources: frozenset[str]
    target: str
    label: str = ""
    permission: str | None = None
    relations: frozenset[str] = frozenset()
    scope_action: str = "change"
    guards: tuple[Guard, ...] = ()
    message_required: bool = False
    stamps: tuple[str, ...] = ()  # datetime fields set to the moment of the step

    @classmethod
    def of(cls, name: str, sources, target: str, label="", **kwargs) -> Step:
        if isinstance(sources, str):
            sources = (sources,)
        relations = kwargs.pop("relations", ())
        guards = kwargs.pop("guards", ())
        stamps = kwargs.pop("stamps", ())
        return cls(
            name=name,
            sources=frozenset(str(s) for s in sources),
            target=str(target),
            label=label,
            relations=frozenset(relations),
            guards=tuple(guards),
            stamps=tuple(stamps),
            **kwargs,
        )

    @classmethod
    def by(cls, permission: str, **shared) -> Callable[..., Step]:
        """`Step.of` for the steps of one table that the same permission takes (and that
        share any other keywords given here), so each step's row says only what is its own."""
        return partial(cls.of, permission=permission, **shared)


class Workflow:
    """A module's declaration. Subclass and set the class attributes; override the hooks."""

    name: ClassVar[str]  # "mutual_aid.application"
    model: ClassVar[type[models.Model]]
    event_model: ClassVar[type[WorkflowEvent]]
    states: ClassVar[type[models.TextChoices]]
    initial: ClassVar[tuple[str, ...]]  # states a record is created in
    steps: ClassVar[tuple[Step, ...]]
    state_field: ClassVar[str] = "status"
    # The usual course, in order, for the step bar (gonghui.core.statuses); by default the
    # initial states only. `tones` overrides the shared colour of a state (statuses.TONES).
    path: ClassVar[tuple[str, ...]] = ()
    tones: ClassVar[dict[str, str]] = {}
    # Who stands in each relation, for "who acts next" on the step bar ({"unit": "承办单位"}).
    relation_labels: ClassVar[dict[str, Any]] = {}
    person_field: ClassVar[str | None] = "person_id"  # groups audit rows on a person's page
    noun: ClassVar[Any] = ""  # "申请", "提案" (may be lazy): used in refusal messages
    # The relation the record's own person stands in to it ("applicant", "claimant" …), if any.
    person_relation: ClassVar[str | None] = None

    # --- hooks ---------------------------------------------------------------------------

    @classmethod
    def relations(cls, obj, actor: User) -> set[str]:
        """The relations `actor` stands in to `obj` ("applicant", "proposer" …); by default
        `person_relation` when the actor is the record's own person."""
        person_id = getattr(actor, "person_id", None)
        if cls.person_relation and person_id is not None and person_id == obj.person_id:
            return {cls.person_relation}
        return set()

    @classmethod
    def effects(cls, obj, event: WorkflowEvent, actor: User) -> None:
        """What follows a step once it is committed (tell the people concerned)."""

    @classmethod
    def effects_bulk(cls, events: QuerySet, step: Step, actor: User) -> None:
        """What follows a bulk step once it is committed; by default nothing. `events` are
        the batch's event rows of that step (`events.values("subject_id")` selects the
        records without a list of ids)."""

    @classmethod
    def record(
        cls, obj, step: str, actor: User | None, *, message: str = "", parameters: dict | None = None
    ) -> WorkflowEvent:
        """`event_record` of this workflow: an event of `obj` that is not a change of state."""
        return event_record(cls, obj, step=step, actor=actor, message=message, parameters=parameters)

    # --- reading the table ---------------------------------------------------------------

    @classmethod
    def state_label(cls, value: str) -> str:
        return str(cls.states(value).label) if value in cls.states.values else value

    @classmethod
    def step_for(cls, source: str, target: str) -> Step | None:
        return cls._step_from(source, target=target)

    @classmethod
    def step_named(cls, source: str, name: str) -> Step | None:
        return cls._step_from(source, name=name)

    @classmethod
    def _step_from(cls, source: str, **match) -> Step | None:
        """The first step out of `source` whose attributes equal `match` (its target, its name)."""
        for step in cls.steps:
            if source in step.sources and all(getattr(step, key) == value for key, value in match.items()):
                return step
        return None

    @classmethod
    def targets(cls, source: str) -> set[str]:
        return {step.target for step in cls.steps if source in step.sources}

    @classmethod
    def can_follow(cls, source: str, target: str) -> bool:
        return cls.step_for(source, target) is not None

    @classmethod
    def reachable(cls) -> set[str]:
        """Every state reachable from the initial ones (the contract test checks it is all)."""
        seen, frontier = set(cls.initial), list(cls.initial)
        while frontier:
            for target in cls.targets(frontier.pop()):
                if target not in seen:
                    seen.add(target)
                    frontier.append(target)
        return seen

    # --- who may --------------------------------------------------------------------------

    @classmethod
    def actor_relations(cls, obj, actor: User | None) -> set[str]:
        if actor is None or not getattr(actor, "is_authenticated", False):
            return set()
        relations = set(cls.relations(obj, actor))
        if is_system_actor(actor):
            relations.add(SYSTEM)
        return relations

    @classmethod
    def actor_may(cls, step: Step, obj, actor: User | None) -> bool:
        if actor is None or not getattr(actor, "is_authenticated", False):
            return False
        if step.relations & cls.actor_relations(obj, actor):
            return True
        if step.permission and actor.has_perm(step.permission):
            return cls.model._default_manager.restrict(actor, step.scope_action).filter(pk=obj.pk).exists()  # type: ignore[attr-defined]
        return False


def is_system_actor(actor) -> bool:
    from gonghui.accounts.system import SYSTEM_USERNAME

    return getattr(actor, "username", None) == SYSTEM_USERNAME and getattr(actor, "is_authenticated", False)


# --- the registry ------------------------------------------------------------------------

_WORKFLOWS: dict[str, type[Workflow]] = {}


def workflow_register(workflow: type[Workflow]) -> type[Workflow]:
    """Class decorator: the contract test and the docs list every registered workflow; the
    event table learns whose states it records (for their labels)."""
    _WORKFLOWS[workflow.name] = workflow
    workflow.event_model.workflow = workflow
    return workflow


def workflows() -> list[type[Workflow]]:
    return list(_WORKFLOWS.values())


# --- moving one record ---------------------------------------------------------------------


def _refuse_table(workflow: type[Workflow], source: str, target: str) -> InvalidTransition:
    if target not in workflow.states.values:
        # a step asked by name: say which step, in words
        label = next((step.label for step in workflow.steps if step.name == target), target)
        return InvalidTransition(
            _("%(noun)s当前状态为“%(current)s”，不能进行“%(step)s”。")
            % {"noun": workflow.noun, "current": workflow.state_label(source), "step": label},
            extra={"status": source, "target": target},
        )
    return InvalidTransition(
        _("%(noun)s当前状态为“%(current)s”，不能改为“%(target)s”。")
        % {
            "noun": workflow.noun,
            "current": workflow.state_label(source),
            "target": workflow.state_label(target),
        },
        extra={"status": source, "target": target},
    )


def _audit_changes(obj, workflow: type[Workflow], before: dict, fields: Iterable[str]) -> dict:
    changes = {}
    for name in fields:
        old, new = before[name], display_value(obj, name)
        if old != new:
            changes[name] = [old, new]
    return changes


@transaction.atomic
def transition(
    workflow: type[Workflow],
    obj,
    *,
    to: str | None = None,
    step: str | None = None,
    actor: User,
    message: str = "",
    parameters: dict | None = None,
    values: dict | None = None,
    check_actor: bool = True,
):
    """Move `obj` to `to` (or by the step named `step`) as `actor`. Returns the locked,
    updated record; the caller's instance follows. `values` are other fields set with the
    step (shown before/after in the audit row); `parameters` go on the event as they are.

    `check_actor=False` is for a service that has already decided who acts (e.g. the
    committee's decision recorded through the sitting); the table and guards still hold."""
    model = workflow.model
    locked = model._default_manager.select_for_update().get(pk=obj.pk)
    source = getattr(locked, workflow.state_field)
    chosen = workflow.step_named(source, step) if step else workflow.step_for(source, str(to))
    if chosen is None:
        raise _refuse_table(workflow, source, str(to or step))
    if check_actor and not workflow.actor_may(chosen, locked, actor):
        raise StepNotAllowed(_("您无权进行此操作。"))
    message = (message or "").strip()
    if chosen.message_required and not message:
        raise InvalidTransition(_("此操作须填写说明。"), extra={"field": "message"})
    values = dict(values or {})
    parameters = dict(parameters or {})
    attempt = Attempt(obj=locked, actor=actor, step=chosen, message=message, values=values, parameters=parameters)
    for guard in chosen.guards:
        problem = guard(attempt)
        if problem:
            raise InvalidTransition(problem)

    now = timezone.now()
    fields = [workflow.state_field, *values, *chosen.stamps]
    before = {name: display_value(locked, name) for name in fields}
    setattr(locked, workflow.state_field, chosen.target)
    for name, value in values.items():
        setattr(locked, name, value)
    for name in chosen.stamps:
        setattr(locked, name, now)
    update_fields = list(dict.fromkeys(fields))
    if any(f.name == "updated_at" for f in model._meta.concrete_fields):
        update_fields.append("updated_at")
    locked.save(update_fields=update_fields)

    event = workflow.event_model._default_manager.create(
        **{"subject": locked},
        at=now,
        actor=_user(actor),
        from_state=source,
        to_state=chosen.target,
        step=chosen.name,
        message=message,
        parameters=parameters,
    )
    audit_event_record(
        actor=actor,
        obj=locked,
        action=AuditAction.STATUS_CHANGED,
        person_id=_person_id(workflow, locked),
        message=message or chosen.label or workflow.state_label(chosen.target),
        changes=_audit_changes(locked, workflow, before, fields),
    )
    transaction.on_commit(lambda: workflow.effects(locked, event, actor))
    for name in update_fields:
        setattr(obj, name, getattr(locked, name))
    return locked


def event_record(
    workflow: type[Workflow], obj, *, step: str, actor: User | None, message: str = "", parameters: dict | None = None
) -> WorkflowEvent:
    """An event that is not a change of state (a document added, a co-signer confirmed, a
    record created): the same table and shape, from = to = the current state."""
    state = getattr(obj, workflow.state_field)
    created = step == "created"
    return workflow.event_model._default_manager.create(
        **{"subject": obj},
        at=timezone.now(),
        actor=_user(actor),
        from_state="" if created else state,
        to_state=state,
        step=step,
        message=str(message or ""),
        parameters=parameters or {},
    )


def available_steps(workflow: type[Workflow], obj, actor: User | None) -> list[Step]:
    """The steps `actor` may take on `obj` now (guards included), for buttons and the API."""
    source = getattr(obj, workflow.state_field)
    steps = []
    for candidate in workflow.steps:
        if source not in candidate.sources or not workflow.actor_may(candidate, obj, actor):
            continue
        attempt = Attempt(obj=obj, actor=actor, step=candidate, message="", values={}, parameters={})  # type: ignore[arg-type]
        if all(not guard(attempt) for guard in candidate.guards if not candidate.message_required):
            steps.append(candidate)
    return steps


# --- moving many records -------------------------------------------------------------------


@dataclass
class BulkResult:
    moved: int = 0
    skipped: int = 0  # already in the target state (a re-run moves nothing twice)
    by_source: dict[str, int] = field(default_factory=dict)


def transition_bulk(
    workflow: type[Workflow],
    queryset: QuerySet,
    *,
    to: str,
    actor: User,
    message: str = "",
    parameters: dict | None = None,
) -> BulkResult:
    """Move every record of `queryset` to `to`, all or nothing, as `actor`.

    Records already in `to` are skipped, so running a batch twice moves nothing twice. A
    record whose state has no step to `to`, one outside the actor's scope, or one a guard
    refuses makes the whole batch refused (InvalidTransition listing how many), with
    nothing written. Events and audit rows are written by INSERT … SELECT, one statement
    per source state each, so a batch of 100,000 costs a few statements, not 100,000."""
    to = str(to)
    parameters = dict(parameters or {})
    message = (message or "").strip()
    model = workflow.model
    state = workflow.state_field
    with transaction.atomic():
        base = model._default_manager.filter(pk__in=queryset.values("pk"))
        # Lock every row first (PostgreSQL refuses FOR UPDATE with GROUP BY, so count here).
        counts: dict[str, int] = dict(Counter(base.select_for_update().order_by().values_list(state, flat=True)))
        result = BulkResult(skipped=counts.pop(to, 0))
        steps: dict[str, Step] = {}
        for source in counts:
            step = workflow.step_for(source, to)
            if step is None:
                raise InvalidTransition(
                    _("有 %(count)s 条%(noun)s处于“%(current)s”状态，不能改为“%(target)s”，本批未作任何更改。")
                    % {
                        "count": counts[source],
                        "noun": workflow.noun,
                        "current": workflow.state_label(source),
                        "target": workflow.state_label(to),
                    },
                    extra={"status": source, "count": counts[source]},
                )
            if step.message_required and not message:
                raise InvalidTransition(_("此操作须填写说明。"), extra={"field": "message"})
            steps[source] = step
        for source, step in steps.items():
            rows = base.filter(**{state: source})
            _bulk_check_actor(workflow, step, rows, actor, counts[source])
            if step.guards:
                refused = 0
                for obj in rows.iterator(chunk_size=2000):
                    attempt = Attempt(
                        obj=obj, actor=actor, step=step, message=message, values={}, parameters=parameters
                    )
                    if any(guard(attempt) for guard in step.guards):
                        refused += 1
                if refused:
                    raise InvalidTransition(
                        _("有 %(count)s 条%(noun)s不符合“%(step)s”的条件，本批未作任何更改。")
                        % {"count": refused, "noun": workflow.noun, "step": step.label or step.name},
                        extra={"refused": refused},
                    )
        now = timezone.now()
        for source, step in steps.items():
            rows = base.filter(**{state: source})
            changes = {state: [workflow.state_label(source), workflow.state_label(to)]}
            _insert_events(
                workflow, rows, step=step, source=source, actor=actor, now=now, message=message, parameters=parameters
            )
            _insert_audit(workflow, rows, actor=actor, now=now, message=message or step.label, changes=changes)
            update = {state: to, **{name: now for name in step.stamps}}
            if any(f.name == "updated_at" for f in model._meta.concrete_fields):
                update["updated_at"] = now
            moved = rows.update(**update)
            result.moved += moved
            result.by_source[source] = moved
        if result.moved:
            for step in {step.name: step for step in steps.values()}.values():
                batch = workflow.event_model._default_manager.filter(at=now, step=step.name, actor_id=_user_id(actor))
                transaction.on_commit(partial(workflow.effects_bulk, batch, step, actor))
    return result


def _bulk_check_actor(workflow: type[Workflow], step: Step, rows: QuerySet, actor: User, count: int) -> None:
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise StepNotAllowed(_("您无权进行此操作。"))
    if SYSTEM in step.relations and is_system_actor(actor):
        return
    if step.permission and actor.has_perm(step.permission):
        in_scope = rows.filter(pk__in=workflow.model._default_manager.restrict(actor, step.scope_action).values("pk"))  # type: ignore[attr-defined]
        if in_scope.count() == count:
            return
        raise StepNotAllowed(_("本批中有您无权处理的记录，未作任何更改。"))
    if step.relations:
        for obj in rows.iterator(chunk_size=2000):
            if not step.relations & workflow.actor_relations(obj, actor):
                raise StepNotAllowed(_("本批中有您无权处理的记录，未作任何更改。"))
        return
    raise StepNotAllowed(_("您无权进行此操作。"))


def _select_sql(rows: QuerySet, **columns: str) -> tuple[str, tuple]:
    """SELECT of `rows` whose output columns have the given aliases (alias → field)."""
    annotated = rows.order_by().annotate(**{alias: models.F(name) for alias, name in columns.items()})
    sql, params = annotated.values(*columns).query.sql_with_params()
    return sql, tuple(params)


def _json_param(value: dict) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _json_placeholder() -> str:
    # PostgreSQL's jsonb takes text only by a cast; SQLite stores JSON as text.
    return "CAST(%s AS jsonb)" if connection.vendor == "postgresql" else "%s"


def _insert_events(workflow, rows, *, step, source, actor, now, message, parameters) -> None:
    event_model = workflow.event_model
    table = connection.ops.quote_name(event_model._meta.db_table)
    columns = ["subject_id", "at", "actor_id", "from_state", "to_state", "step", "message", "parameters"]
    select, select_params = _select_sql(rows, wf_id="pk")
    sql = (
        f"INSERT INTO {table} ({', '.join(connection.ops.quote_name(c) for c in columns)}) "
        f"SELECT sub.wf_id, %s, %s, %s, %s, %s, %s, "
        f"{_json_placeholder()} FROM ({select}) sub"
    )
    params = (
        connection.ops.adapt_datetimefield_value(now),
        _user_id(actor),
        source,
        step.target,
        step.name,
        message,
        _json_param(parameters),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params + select_params)


def _insert_audit(workflow, rows, *, actor, now, message, changes) -> None:
    from gonghui.core.models import AuditEvent

    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    person = workflow.person_field
    columns = {"wf_id": "pk", "wf_person": _field_name(workflow.model, person)} if person else {"wf_id": "pk"}
    select, select_params = _select_sql(rows, **columns)
    person_sql = "sub.wf_person" if person else "NULL"
    quoted = ", ".join(
        connection.ops.quote_name(c)
        for c in ["at", "actor_id", "action", "object_type", "object_id", "person_id", "message", "changes"]
    )
    sql = (
        f"INSERT INTO {table} ({quoted}) "
        f"SELECT %s, %s, %s, %s, CAST(sub.wf_id AS VARCHAR(64)), {person_sql}, %s, "
        f"{_json_placeholder()} FROM ({select}) sub"
    )
    params = (
        connection.ops.adapt_datetimefield_value(now),
        _user_id(actor),
        AuditAction.STATUS_CHANGED.value,
        workflow.model._meta.label_lower,
        str(message or ""),
        _json_param(changes),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params + select_params)


def _field_name(model, attname: str) -> str:
    """The field for an attribute name ("person_id" → "person_id" works as a lookup too)."""
    for f in model._meta.concrete_fields:
        if f.attname == attname or f.name == attname:
            return f.attname
    raise ValueError(attname)


def _person_id(workflow: type[Workflow], obj):
    return getattr(obj, workflow.person_field) if workflow.person_field else None


def _user(actor):
    return actor if (actor is not None and getattr(actor, "is_authenticated", False) and actor.pk) else None


def _user_id(actor):
    user = _user(actor)
    return user.pk if user is not None else None
