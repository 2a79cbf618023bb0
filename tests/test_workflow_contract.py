"""One contract for every declared workflow (ADR 0005):

- every state is reachable from the initial ones;
- each step, taken by an allowed actor, moves the record and writes exactly one event row
  (from, to, step) and one audit row for it;
- a step the table does not allow, or an actor who may not take it, changes nothing at all
  (every table's row count and the record's state stay as they were).

Each app supplies the records and actors in `gonghui/<app>/tests/contract.py` (`CONTRACT`: a
builder per workflow name: builder(world, step, source) -> (record, actor, kwargs))."""

from importlib import import_module
from importlib.util import find_spec

import pytest
from django.apps import apps

from gonghui.core.exceptions import InvalidTransition, StepNotAllowed
from gonghui.core.models import AuditEvent
from gonghui.core.workflow import transition, workflows
from gonghui.people.tests.factories import user_make
from tests.tables import changed_tables, table_counts


@pytest.fixture
def university(university_of_module):
    """The conftest's university, built once for this module's cases: each case rolls back to it
    (conftest.py, `university_of_module`)."""
    return university_of_module


def _builders() -> dict:
    builders = {}
    for config in apps.get_app_configs():
        name = f"{config.name}.tests.contract"
        if config.name.startswith("gonghui.") and find_spec(f"{config.name}.tests") and find_spec(name):
            builders.update(import_module(name).CONTRACT)
    return builders


BUILDERS = _builders()
WORKFLOWS = {workflow.name: workflow for workflow in workflows()}
STEP_CASES = [
    pytest.param(name, step.name, source, id=f"{name}:{source}-{step.name}->{step.target}")
    for name, workflow in sorted(WORKFLOWS.items())
    for step in workflow.steps
    for source in sorted(step.sources)
]


def test_every_workflow_has_contract_cases():
    assert sorted(set(WORKFLOWS) - set(BUILDERS)) == []
    assert len(WORKFLOWS) >= 10


@pytest.mark.parametrize("name", sorted(WORKFLOWS))
def test_every_state_is_reachable(name):
    workflow = WORKFLOWS[name]
    assert workflow.reachable() == set(workflow.states.values)


@pytest.mark.parametrize("name", sorted(WORKFLOWS))
def test_step_names_are_unique_per_source(name):
    workflow = WORKFLOWS[name]
    seen = [(source, step.name) for step in workflow.steps for source in step.sources]
    assert len(seen) == len(set(seen))
    pairs = [(source, step.target) for step in workflow.steps for source in step.sources]
    assert len(pairs) == len(set(pairs))


def _step(workflow, step_name, source):
    return next(s for s in workflow.steps if s.name == step_name and source in s.sources)


@pytest.mark.parametrize("name, step_name, source", STEP_CASES)
def test_a_step_writes_one_event_and_one_audit_row(
    name, step_name, source, clock, university, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = str(tmp_path)
    workflow = WORKFLOWS[name]
    step = _step(workflow, step_name, source)
    record, actor, kwargs = BUILDERS[name](university, step, source)
    assert getattr(record, workflow.state_field) == source
    label, pk = record._meta.label_lower, str(record.pk)
    events_before = workflow.event_model._default_manager.filter(subject=record).count()
    audit_before = AuditEvent.objects.filter(object_type=label, object_id=pk).count()

    with django_capture_on_commit_callbacks(execute=True):
        moved = transition(workflow, record, to=step.target, actor=actor, **kwargs)

    assert getattr(moved, workflow.state_field) == step.target
    record.refresh_from_db()
    assert getattr(record, workflow.state_field) == step.target
    events = workflow.event_model._default_manager.filter(subject=record).order_by("id")
    assert events.count() == events_before + 1
    event = events.last()
    assert (event.from_state, event.to_state, event.step) == (source, step.target, step.name)
    assert event.actor_id == actor.pk
    audit = AuditEvent.objects.filter(object_type=label, object_id=pk).order_by("id")
    assert audit.count() == audit_before + 1
    state_change = audit.last().changes[workflow.state_field]
    assert state_change == [workflow.state_label(source), workflow.state_label(step.target)]


REFUSAL_CASES = [
    pytest.param(name, source, id=f"{name}:{source}")
    for name, workflow in sorted(WORKFLOWS.items())
    for source in sorted({s for step in workflow.steps for s in step.sources})
]


@pytest.mark.parametrize("name, source", REFUSAL_CASES)
def test_a_refused_step_changes_nothing(name, source, clock, university, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    workflow = WORKFLOWS[name]
    step = next(s for s in workflow.steps if source in s.sources)
    record, actor, kwargs = BUILDERS[name](university, step, source)
    not_allowed = sorted(set(workflow.states.values) - workflow.targets(source) - {source})
    outsider = user_make(username="outsider-no-roles")
    before = table_counts()

    for target in not_allowed:
        with pytest.raises(InvalidTransition):
            transition(workflow, record, to=target, actor=actor, **kwargs)
    with pytest.raises(StepNotAllowed):
        transition(workflow, record, to=step.target, actor=outsider, **kwargs)

    assert changed_tables(before, table_counts()) == {}
    record.refresh_from_db()
    assert getattr(record, workflow.state_field) == source
