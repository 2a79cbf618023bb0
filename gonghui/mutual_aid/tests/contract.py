"""Cases for the cross-module workflow contract test: for each of the society's workflows, a
builder `(world, step, source) -> (obj, actor, kwargs)` that returns a saved record in
`source`, ready for `step` (its guards satisfied), an actor allowed to take it and the
kwargs `transition` needs. `world` is the `university` fixture's namespace."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal

from gonghui.core.editions import EditionStatus
from gonghui.mutual_aid.models import (
    CommitteeSitting,
    FeeLine,
    FeeRun,
    PaymentBatch,
    PublicNotice,
    SchemeEdition,
    SchemeMembership,
    SubsidyApplication,
    SubsidyBand,
    SubsidyRule,
)

YEAR = 2020


def _edition(*, status: str = EditionStatus.ADOPTED, name: str = "契约测试") -> SchemeEdition:
    """A complete edition of YEAR (one rule, one band), in `status`."""
    edition = SchemeEdition.objects.create(
        year=YEAR,
        name=name,
        eligible_statuses=["active", "retired"],
        join_window_start=datetime.date(YEAR, 3, 1),
        join_window_end=datetime.date(YEAR, 3, 31),
        application_window_start=datetime.date(YEAR + 1, 3, 1),
        application_window_end=datetime.date(YEAR + 1, 3, 31),
        fee_active=Decimal("120.00"),
        fee_retired=Decimal("60.00"),
    )
    rule = SubsidyRule.objects.create(edition=edition, deductible=Decimal("1000.00"))
    SubsidyBand.objects.create(rule=rule, lower=Decimal("1000.00"), upper=None, rate=Decimal("0.5000"))
    SchemeEdition.objects.filter(pk=edition.pk).update(status=status)
    edition.refresh_from_db()
    return edition


def _adopted() -> SchemeEdition:
    return SchemeEdition.objects.filter(year=YEAR, status=EditionStatus.ADOPTED).first() or _edition()


# Who takes each step of an application (the step's permission or relation), and whether
# it needs a message.
_APPLICATION_ACTORS = {
    "submit": "member",
    "withdraw": "member",
    "sub_union_check": "sub_union_officer",
    "return": "sub_union_officer",
    "office_check": "union_office",
    "office_return": "union_office",
    "approve": "welfare_committee",
    "adjust": "welfare_committee",
    "reject": "welfare_committee",
    "post_notice": "union_office",
    "hold": "union_office",
    "resume": "welfare_committee",
    "uphold_objection": "welfare_committee",
    "make_payable": "union_office",
    "pay": "union_office",
    "close": "union_office",
}


def _kwargs(step) -> dict:
    return {"message": "契约测试说明"} if step.message_required else {}


def application_case(world, step, source):
    """zhang's application (econ: the sub-union officer's scope) under an edition that asks
    for no documents, so the office's check has nothing missing."""
    application = SubsidyApplication.objects.create(
        person=world.zhang,
        cost_year=YEAR,
        edition=_adopted(),
        kind="inpatient",
        status=source,
        computed_subsidy=Decimal("500.00"),
    )
    return application, world.users[_APPLICATION_ACTORS[step.name]], _kwargs(step)


def membership_case(world, step, source):
    membership = SchemeMembership.objects.create(
        person=world.zhang,
        joined_on=datetime.date(YEAR, 3, 1),
        eligible_from=datetime.date(YEAR, 3, 1),
        status=source,
    )
    actor = world.users["member" if step.name == "opt_out" else "union_office"]
    return membership, actor, _kwargs(step)


def fee_line_case(world, step, source):
    run = FeeRun.objects.create(year=YEAR, edition=_adopted())
    line = FeeLine.objects.create(
        year=YEAR, run=run, person=world.zhang, amount=Decimal("120.00"), channel="payroll", status=source
    )
    return line, world.users["union_office"], _kwargs(step)


def notice_case(world, step, source):
    sitting = CommitteeSitting.objects.create(year=YEAR, held_on=datetime.date(2021, 3, 1))
    notice = PublicNotice.objects.create(
        sitting=sitting, starts_on=datetime.date(2021, 3, 2), ends_on=datetime.date(2021, 3, 9), status=source
    )
    return notice, world.users["union_office"], _kwargs(step)


def payment_batch_case(world, step, source):
    batch = PaymentBatch.objects.create(year=YEAR, status=source)
    kwargs = {**_kwargs(step), "values": {"paid_on": datetime.date(2021, 3, 10)}}
    return batch, world.users["union_office"], kwargs


def edition_case(world, step, source):
    """Adopting needs the date and the act; a complete edition passes the module's checks."""
    edition = _edition(status=source)
    kwargs = _kwargs(step)
    if step.name == "adopt":
        kwargs["values"] = {"adopted_on": datetime.date(YEAR, 1, 10), "resolution": "教代会决议"}
    return edition, world.users["union_office"], kwargs


CONTRACT: dict[str, Callable] = {
    "mutual_aid.application": application_case,
    "mutual_aid.membership": membership_case,
    "mutual_aid.fee_line": fee_line_case,
    "mutual_aid.notice": notice_case,
    "mutual_aid.payment_batch": payment_batch_case,
    "mutual_aid.schemeedition": edition_case,
}
