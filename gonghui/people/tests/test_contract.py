"""People's contract cases hold: each step from each source moves the record with one
event row and one audit row, as the union office; a member's attempt changes nothing."""

import pytest

from gonghui.core.exceptions import StepNotAllowed
from gonghui.core.models import AuditEvent
from gonghui.core.workflow import transition, workflows
from gonghui.people.tests.contract import CONTRACT

CASES = [
    (workflow, step, source)
    for workflow in workflows()
    if workflow.name in CONTRACT
    for step in workflow.steps
    for source in sorted(step.sources)
]


def test_every_people_workflow_has_cases_and_reaches_every_state():
    names = {workflow.name for workflow, _step, _source in CASES}
    assert names == {"people.person", "people.membership"} == set(CONTRACT)
    for workflow in workflows():
        if workflow.name in CONTRACT:
            assert workflow.reachable() == set(workflow.states.values), workflow.name


@pytest.mark.parametrize("workflow, step, source", CASES, ids=lambda v: getattr(v, "name", v))
def test_a_step_writes_one_event_and_one_audit_row(university, clock, workflow, step, source):
    obj, actor, kwargs = CONTRACT[workflow.name](university, step, source)
    state = workflow.state_field
    member = university.users["member"]
    with pytest.raises(StepNotAllowed):
        transition(workflow, obj, to=step.target, actor=member, **kwargs)
    obj.refresh_from_db()
    assert getattr(obj, state) == source
    assert not obj.events.exists() and AuditEvent.objects.count() == 0

    transition(workflow, obj, to=step.target, actor=actor, **kwargs)

    obj.refresh_from_db()
    assert getattr(obj, state) == step.target
    assert list(obj.events.values_list("from_state", "to_state", "step", "actor")) == [
        (source, step.target, step.name, actor.pk)
    ]
    audit = AuditEvent.objects.get()
    assert (audit.object_type, audit.object_id, audit.actor) == (obj._meta.label_lower, str(obj.pk), actor)
    assert audit.changes[state] == [workflow.state_label(source), workflow.state_label(step.target)]
