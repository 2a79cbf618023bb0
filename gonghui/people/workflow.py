"""The lifecycles of people and organisation (DOMAIN §3.0), declared for core's engine.

- A person's employment status moves forward only: active → retired, left or deceased;
  retired → deceased. Every step needs a reason (the event's message); the service sets
  the date. Leaving and death also end the membership (people.services).
- A union membership: applied → active (the union office confirms); active → transferred
  (the row closes, another opens at the target); active or applied → lapsed or ended (with
  a reason).

Only holders of the change permissions whose scope contains the record take a step: the
union office and administrators (and the system actor for commands)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gonghui.core.workflow import Step, Workflow, workflow_register
from gonghui.people.choices import EmploymentStatus, MembershipStatus
from gonghui.people.models import MembershipEvent, Person, PersonEvent, UnionMembership


def _step(name: str, sources, target: str, label, permission: str, **kwargs) -> Step:
    return Step.of(name, sources, target, label, permission=permission, **kwargs)


_S, _M = EmploymentStatus, MembershipStatus
_PERSON, _MEMBERSHIP = "people.change_person", "people.change_unionmembership"


@workflow_register
class PersonWorkflow(Workflow):
    name = "people.person"
    model = Person
    event_model = PersonEvent
    states = EmploymentStatus
    # Staff are entered (or come with HR's roster) in whatever status they have.
    initial = tuple(EmploymentStatus.values)
    state_field = "employment_status"
    person_field = "id"
    noun = _("人员")
    steps = (
        _step("retire", _S.ACTIVE, _S.RETIRED, _("退休"), _PERSON, message_required=True),
        _step("leave", _S.ACTIVE, _S.LEFT, _("调离"), _PERSON, message_required=True),
        _step("die", (_S.ACTIVE, _S.RETIRED), _S.DECEASED, _("去世"), _PERSON, message_required=True),
    )


@workflow_register
class MembershipWorkflow(Workflow):
    name = "people.membership"
    model = UnionMembership
    event_model = MembershipEvent
    states = MembershipStatus
    initial = (_M.APPLIED, _M.ACTIVE)
    noun = _("会籍")
    steps = (
        _step("confirm", _M.APPLIED, _M.ACTIVE, _("确认入会"), _MEMBERSHIP),
        _step("transfer", _M.ACTIVE, _M.TRANSFERRED, _("转出"), _MEMBERSHIP),
        _step("lapse", (_M.ACTIVE, _M.APPLIED), _M.LAPSED, _("中止"), _MEMBERSHIP, message_required=True),
        _step("end", (_M.ACTIVE, _M.APPLIED), _M.ENDED, _("终止"), _MEMBERSHIP, message_required=True),
    )
