"""The drives' contract cases, run here the way the cross-module contract test runs them:
every step from every source moves the record with one event row and one audit row; the
same step by an actor without the right changes nothing."""

import pytest

from gonghui.core.exceptions import InvalidTransition
from gonghui.core.models import AuditEvent
from gonghui.core.workflow import transition, workflows
from gonghui.drives.tests.contract import CONTRACT

DRIVES = sorted(w.name for w in workflows() if w.name.startswith("drives."))
CASES = [
    (workflow.name, step.name, source)
    for workflow in workflows()
    if workflow.name in CONTRACT
    for step in workflow.steps
    for source in sorted(step.sources)
]


def test_every_drives_workflow_has_a_contract_case_and_reaches_every_state():
    assert (
        DRIVES
        == sorted(CONTRACT)
        == [
            "drives.drive",
            "drives.driveregistration",
            "drives.driverules",
            "drives.slotbooking",
        ]
    )
    for workflow in workflows():
        if workflow.name in CONTRACT:
            assert workflow.reachable() == set(workflow.states.values), workflow.name


def _counts(workflow, obj):
    return workflow.event_model.objects.filter(subject=obj).count(), AuditEvent.objects.count()


@pytest.mark.parametrize("name, step_name, source", CASES)
def test_contract_case(clock, university, name, step_name, source):
    workflow = next(w for w in workflows() if w.name == name)
    step = next(s for s in workflow.steps if s.name == step_name)
    obj, actor, kwargs = CONTRACT[name](university, step, source)
    assert getattr(obj, workflow.state_field) == source

    # someone without the right (a member of another sub-union) is refused, nothing written
    outsider = university.users["handling_unit_officer"]
    before = _counts(workflow, obj)
    with pytest.raises(InvalidTransition):
        transition(workflow, obj, to=step.target, actor=outsider, **kwargs)
    obj.refresh_from_db()
    assert getattr(obj, workflow.state_field) == source and _counts(workflow, obj) == before

    events, audits = before
    transition(workflow, obj, to=step.target, actor=actor, **kwargs)
    obj.refresh_from_db()
    assert getattr(obj, workflow.state_field) == step.target
    assert _counts(workflow, obj) == (events + 1, audits + 1)
    event = workflow.event_model.objects.filter(subject=obj).latest("id")
    assert (event.from_state, event.to_state, event.step, event.actor) == (source, step.target, step.name, actor)
