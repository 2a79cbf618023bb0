"""Contract cases for the cross-module workflow test: for each of the module's workflows, a
builder that makes a record in a step's source state, ready for the step, with an actor
allowed to take it and the arguments `transition` needs.

Records are made directly (no service, so no event or audit row of their own): the central
test counts what the one step writes."""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Callable
from decimal import Decimal

from gonghui.core.editions import EditionStatus
from gonghui.insurance.choices import ClaimStatus, EnrollmentStatus
from gonghui.insurance.models import ClaimDocument, PlanClaim, PlanEdition, PlanEnrollment
from gonghui.insurance.presets import edition_values, plans_ensure
from gonghui.insurance.tests.helpers import claim_make
from gonghui.people.tests.factories import person_make

_serial = itertools.count(1)


def _edition(status: str = EditionStatus.ADOPTED) -> PlanEdition:
    """A plan edition of its own start date (so adopting it supersedes nothing)."""
    n = next(_serial)
    values = edition_values("ZYJT", 2030)
    values["start_date"] = values["start_date"] + datetime.timedelta(days=n)
    extra = {"adopted_on": datetime.date(2030, 6, 1), "resolution": "校工会办公会议"} if status != "draft" else {}
    return PlanEdition.objects.create(plan=plans_ensure()["ZYJT"], status=status, **extra, **values)


def _enrollment(world, status: str, person=None) -> PlanEnrollment:
    edition = _edition()
    person = person or person_make(staff_no=f"CT{next(_serial):05d}", name="合同测试", sub_union=world.law)
    return PlanEnrollment.objects.create(
        edition=edition,
        person=person,
        sub_union=person.sub_union,
        shares=1,
        premium=edition.price_per_share,
        status=status,
        starts_on=edition.start_date,
        ends_on=edition.end_date,
    )


def edition_case(world, step, source):
    edition = _edition(status=source)
    kwargs: dict = {"message": "校工会办公会议"}
    if step.name == "adopt":
        kwargs["values"] = {"adopted_on": datetime.date(2030, 6, 1), "resolution": "校工会办公会议"}
    return edition, world.users["union_office"], kwargs


def enrollment_case(world, step, source):
    enrollment = _enrollment(world, source)
    message = "身份信息不符" if step.message_required else ""
    return enrollment, world.users["union_office"], {"message": message}


def _documents(claim: PlanClaim) -> None:
    from gonghui.attachments.models import Attachment

    for name in claim.edition.required_documents:
        attachment = Attachment.objects.create(
            file="attachments/contract.pdf",
            original_name=f"{name}.pdf",
            content_type="application/pdf",
            size=1,
            sha256="0" * 64,
            owner_person_id=claim.person_id,
        )
        ClaimDocument.objects.create(claim=claim, name=name, attachment=attachment)


def claim_case(world, step, source):
    enrollment = _enrollment(world, EnrollmentStatus.ACCEPTED, person=world.zhang)
    submitted_on = datetime.date(2030, 9, 20) if source == ClaimStatus.SUBMITTED else None
    claim = claim_make(enrollment, status=source, submitted_on=submitted_on)
    if step.name != "request_documents":
        _documents(claim)
    actor = world.users["member"] if step.name == "withdraw" else world.users["union_office"]
    kwargs: dict = {"message": "保险互助会要求补充材料" if step.message_required else ""}
    if step.name == "pay":
        kwargs["values"] = {"paid_amount": Decimal("280.00"), "decided_on": datetime.date(2030, 10, 1)}
    return claim, actor, kwargs


CONTRACT: dict[str, Callable] = {
    "insurance.planedition": edition_case,
    "insurance.planenrollment": enrollment_case,
    "insurance.planclaim": claim_case,
}
