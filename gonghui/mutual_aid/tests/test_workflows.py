"""The society's workflows against the contract (tests/contract.py): every step from every
source writes one event and one audit row; an actor without the step changes nothing."""

import pytest

from gonghui.core.exceptions import InvalidTransition
from gonghui.core.models import AuditEvent
from gonghui.core.workflow import transition, workflows
from gonghui.mutual_aid.tests.contract import CONTRACT

MUTUAL_AID = sorted(w.name for w in workflows() if w.name.startswith("mutual_aid."))
CASES = [
    (workflow.name, step.name, source)
    for workflow in workflows()
    if workflow.name in MUTUAL_AID
    for step in workflow.steps
    for source in sorted(step.sources)
]


def _workflow(name):
    return next(w for w in workflows() if w.name == name)


def test_every_workflow_has_a_contract_and_reaches_every_state():
    assert MUTUAL_AID == sorted(CONTRACT)
    assert MUTUAL_AID == [
        "mutual_aid.application",
        "mutual_aid.fee_line",
        "mutual_aid.membership",
        "mutual_aid.notice",
        "mutual_aid.payment_batch",
        "mutual_aid.schemeedition",
    ]
    for name in MUTUAL_AID:
        workflow = _workflow(name)
        assert workflow.reachable() == set(workflow.states.values), name


@pytest.mark.parametrize("name, step_name, source", CASES)
def test_each_step_writes_one_event_and_one_audit_row(clock, university, name, step_name, source):
    workflow = _workflow(name)
    step = next(s for s in workflow.steps if s.name == step_name)
    obj, actor, kwargs = CONTRACT[name](university, step, source)
    audits = AuditEvent.objects.count()

    transition(workflow, obj, to=step.target, actor=actor, **kwargs)

    obj.refresh_from_db()
    assert getattr(obj, workflow.state_field) == step.target
    events = list(workflow.event_model.objects.filter(subject=obj).values_list("from_state", "to_state", "step"))
    assert events == [(source, step.target, step.name)]
    assert AuditEvent.objects.count() == audits + 1


@pytest.mark.parametrize("name, step_name, source", CASES)
def test_an_actor_without_the_step_changes_nothing(clock, university, name, step_name, source):
    workflow = _workflow(name)
    step = next(s for s in workflow.steps if s.name == step_name)
    obj, _actor, kwargs = CONTRACT[name](university, step, source)
    audits = AuditEvent.objects.count()

    with pytest.raises(InvalidTransition):
        transition(workflow, obj, to=step.target, actor=university.users["proposals_committee"], **kwargs)

    obj.refresh_from_db()
    assert getattr(obj, workflow.state_field) == source
    assert workflow.event_model.objects.filter(subject=obj).count() == 0
    assert AuditEvent.objects.count() == audits
