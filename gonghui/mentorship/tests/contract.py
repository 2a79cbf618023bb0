"""Mentorship's cases for the cross-module workflow contract test: a cohort, a pair, a duty, a
matching run, a stipend batch and a rules edition in the step's source state, whose guards
hold, with the union office as the actor.

The cohort is an old one (2018-09-01 … 2020-08-31, before the fixed moment of 2021-03-15):
its cycle is over, so the end-of-cycle steps may be taken; its pairs have signed agreements
with a scan, and their extension ended on 2021-02-28."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from gonghui.core.editions import EditionStatus


def _rules(*, status: str = EditionStatus.ADOPTED, year: int = 2018):
    from gonghui.mentorship.choices import Outcome
    from gonghui.mentorship.models import GradeRule, MentorshipRules

    rules = MentorshipRules.objects.create(year=year, name="契约测试办法")
    GradeRule.objects.create(edition=rules, code="passed", label="合格", outcome=Outcome.PASSED, stipend=1200)
    if status != EditionStatus.DRAFT:
        MentorshipRules.objects.filter(pk=rules.pk).update(status=status)
        rules.refresh_from_db()
    return rules


def _cohort(world, status: str):
    from gonghui.mentorship.models import Cohort

    return Cohort.objects.create(
        number=7,
        name="第7期青年教师拜师结对",
        rules=_rules(),
        starts_on=datetime.date(2018, 9, 1),
        ends_on=datetime.date(2020, 8, 31),
        status=status,
        pairs_recorded=12,
        created_by=world.users["union_office"],
    )


def _pair(world, status: str, *, cohort_status: str = "running"):
    from gonghui.attachments.models import Attachment
    from gonghui.mentorship.models import Pair

    cohort = _cohort(world, cohort_status)
    agreement = Attachment.objects.create(
        file="attachments/contract.pdf",
        original_name="拜师协议.pdf",
        content_type="application/pdf",
        size=1,
        sha256="0" * 64,
        owner_person_id=world.li.pk,
    )
    return Pair.objects.create(
        cohort=cohort,
        mentor=world.zhang,
        mentee=world.li,
        college=world.econ,
        status=status,
        agreement_signed_on=datetime.date(2018, 8, 25),
        agreement=agreement,
        started_on=datetime.date(2018, 9, 1) if status not in ("proposed", "agreed") else None,
        extended_until=datetime.date(2021, 2, 28) if status in ("basically_passed", "extended") else None,
        proposed_by=world.users["union_office"],
    )


def _kwargs(step) -> dict:
    return {"message": "契约测试说明"} if step.message_required else {}


def _cohort_case(world, step, source):
    cohort = _cohort(world, source)
    if step.name == "start":
        from gonghui.mentorship.models import Pair

        Pair.objects.create(
            cohort=cohort,
            mentor=world.zhang,
            mentee=world.li,
            college=world.econ,
            status="agreed",
            proposed_by=world.users["union_office"],
        )
    return cohort, world.users["union_office"], _kwargs(step)


def _pair_case(world, step, source):
    return _pair(world, source), world.users["union_office"], _kwargs(step)


def _duty_case(world, step, source):
    from gonghui.mentorship.choices import DutyKind
    from gonghui.mentorship.models import DutyLog

    pair = _pair(world, "active")
    duty = DutyLog.objects.create(
        pair=pair,
        kind=DutyKind.OBSERVATION,
        held_on=datetime.date(2018, 10, 8),
        course="契约测试课",
        hours=2,
        logged_by=world.li,
        status=source,
    )
    return duty, world.users["union_office"], _kwargs(step)


def _matching_case(world, step, source):
    from gonghui.mentorship.models import MatchingRun

    run = MatchingRun.objects.create(
        cohort=_cohort(world, "matching"),
        method="assignment",
        status=source,
        proposal=[{"mentee": world.li.pk, "mentor": world.zhang.pk, "cost": 0, "reasons": []}],
        created_by=world.users["union_office"],
    )
    return run, world.users["union_office"], _kwargs(step)


def _stipend_batch_case(world, step, source):
    from gonghui.mentorship.models import StipendBatch

    batch = StipendBatch.objects.create(
        cohort=_cohort(world, "assessing"), status=source, created_by=world.users["union_office"]
    )
    kwargs = {"values": {"paid_on": datetime.date(2021, 3, 10)}} if step.name == "pay" else {}
    return batch, world.users["union_office"], {**kwargs, **_kwargs(step)}


def _rules_case(world, step, source):
    rules = _rules(status=source, year=2031)
    kwargs: dict = {}
    if step.name == "adopt":
        kwargs["values"] = {"adopted_on": datetime.date(2031, 1, 10), "resolution": "校工会〔2031〕1号"}
    return rules, world.users["union_office"], kwargs


CONTRACT: dict[str, Callable] = {
    "mentorship.cohort": _cohort_case,
    "mentorship.pair": _pair_case,
    "mentorship.duty": _duty_case,
    "mentorship.matching": _matching_case,
    "mentorship.stipend_batch": _stipend_batch_case,
    "mentorship.mentorshiprules": _rules_case,
}

__all__ = ["CONTRACT"]
