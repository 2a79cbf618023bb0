"""The module's contract cases, run as the cross-module workflow test runs them: every step
from every source state writes one event row and one audit row; an actor without the right
is refused and nothing changes."""

import pytest
from django.core.exceptions import PermissionDenied

from gonghui.core.models import AuditEvent
from gonghui.core.workflow import transition, workflows
from gonghui.insurance.tests.contract import CONTRACT

pytestmark = pytest.mark.django_db

CASES = [
    (workflow, step, source)
    for workflow in workflows()
    if workflow.name in CONTRACT
    for step in workflow.steps
    for source in sorted(step.sources)
]


def test_every_workflow_of_the_module_has_a_contract():
    names = {w.name for w in workflows() if w.name.startswith("insurance.")}
    assert names == set(CONTRACT) == {"insurance.planedition", "insurance.planenrollment", "insurance.planclaim"}


@pytest.mark.parametrize("workflow, step, source", CASES, ids=lambda v: getattr(v, "name", v))
def test_each_step_writes_one_event_and_one_audit_row(clock, university, workflow, step, source):
    obj, actor, kwargs = CONTRACT[workflow.name](university, step, source)
    assert getattr(obj, workflow.state_field) == source
    events, audit = workflow.event_model.objects.count(), AuditEvent.objects.count()
    moved = transition(workflow, obj, to=step.target, actor=actor, **kwargs)
    assert getattr(moved, workflow.state_field) == step.target
    assert (workflow.event_model.objects.count(), AuditEvent.objects.count()) == (events + 1, audit + 1)
    event = workflow.event_model.objects.latest("pk")
    assert (event.subject_id, event.from_state, event.to_state, event.step) == (obj.pk, source, step.target, step.name)


@pytest.mark.parametrize("workflow, step, source", CASES, ids=lambda v: getattr(v, "name", v))
def test_an_actor_without_the_right_is_refused_and_nothing_changes(clock, university, workflow, step, source):
    obj, _actor, kwargs = CONTRACT[workflow.name](university, step, source)
    outsider = university.users["auditor"]
    events, audit = workflow.event_model.objects.count(), AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        transition(workflow, obj, to=step.target, actor=outsider, **kwargs)
    obj.refresh_from_db()
    assert getattr(obj, workflow.state_field) == source
    assert (workflow.event_model.objects.count(), AuditEvent.objects.count()) == (events, audit)
