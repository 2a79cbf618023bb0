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

_PERSON = "people.change_person"
_MEMBERSHIP = "people.change_unionmembership"


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
    noun = _("人员")  # type: ignore[assignment]  # lazy: translated when shown
    steps = (
        Step.of(
            "retire",
            EmploymentStatus.ACTIVE,
            EmploymentStatus.RETIRED,
            label=_("退休"),
            permission=_PERSON,
            message_required=True,
        ),
        Step.of(
            "leave",
            EmploymentStatus.ACTIVE,
            EmploymentStatus.LEFT,
            label=_("调离"),
            permission=_PERSON,
            message_required=True,
        ),
        Step.of(
            "die",
            (EmploymentStatus.ACTIVE, EmploymentStatus.RETIRED),
            EmploymentStatus.DECEASED,
            label=_("去世"),
            permission=_PERSON,
            message_required=True,
        ),
    )


@workflow_register
class MembershipWorkflow(Workflow):
    name = "people.membership"
    model = UnionMembership
    event_model = MembershipEvent
    states = MembershipStatus
    initial = (MembershipStatus.APPLIED, MembershipStatus.ACTIVE)
    noun = _("会籍")  # type: ignore[assignment]  # lazy: translated when shown
    steps = (
        Step.of(
            "confirm", MembershipStatus.APPLIED, MembershipStatus.ACTIVE, label=_("确认入会"), permission=_MEMBERSHIP
        ),
        Step.of(
            "transfer", MembershipStatus.ACTIVE, MembershipStatus.TRANSFERRED, label=_("转出"), permission=_MEMBERSHIP
        ),
        Step.of(
            "lapse",
            (MembershipStatus.ACTIVE, MembershipStatus.APPLIED),
            MembershipStatus.LAPSED,
            label=_("中止"),
            permission=_MEMBERSHIP,
            message_required=True,
        ),
        Step.of(
            "end",
            (MembershipStatus.ACTIVE, MembershipStatus.APPLIED),
            MembershipStatus.ENDED,
            label=_("终止"),
            permission=_MEMBERSHIP,
            message_required=True,
        ),
    )
