"""Cases for the cross-module workflow contract test: for each of people's workflows, a
builder that makes a fresh record in the step's source state, the actor who may take the
step (the union office) and the arguments `transition` needs."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from gonghui.people.models import UnionMembership
from gonghui.people.tests.factories import person_make

ON = datetime.date(2021, 3, 15)


def person_case(world, step, source):
    person = person_make(name="孙悦", sub_union=world.econ, employment_status=source, member=False)
    kwargs = {
        "message": f"合同测试：{step.label}",
        "parameters": {"on": ON.isoformat()},
        "values": {"status_changed_on": ON, "status_reason": f"合同测试：{step.label}"},
    }
    return person, world.users["union_office"], kwargs


def membership_case(world, step, source):
    person = person_make(name="周杰", sub_union=world.law, member=False)
    membership = UnionMembership.objects.create(
        person=person,
        sub_union=world.law,
        member_no=f"C{person.staff_no}",
        joined_on=datetime.date(2020, 9, 1),
        status=source,
    )
    kwargs = {} if step.name == "confirm" else {"message": "合同测试", "values": {"ended_on": ON, "reason": "合同测试"}}
    return membership, world.users["union_office"], kwargs


CONTRACT: dict[str, Callable] = {
    "people.person": person_case,
    "people.membership": membership_case,
}
