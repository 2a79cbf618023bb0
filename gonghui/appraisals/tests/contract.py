"""Appraisals' cases for the cross-module workflow contract test: a round in the step's source
state whose guards hold (a unit with a cadre, a report and a voter, voting times to suit the
step), with the union office, or the organisation department for the release."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from gonghui.appraisals.choices import RoundStatus


def _round(world, status: str):
    from django.utils import timezone

    from gonghui.appraisals.models import AppraisalRound, Cadre, EligibleVoter, RoundUnit
    from gonghui.appraisals.tests.factories import rules_make

    now = timezone.now()
    drafting = status == RoundStatus.DRAFT
    appraisal_round = AppraisalRound.objects.create(
        year=2021,
        title="契约测试测评",
        rules=rules_make(world),
        opens_at=now + datetime.timedelta(days=5) if drafting else now - datetime.timedelta(hours=1),
        closes_at=now + datetime.timedelta(days=6),
        status=status,
        reports_published_at=None if drafting else now - datetime.timedelta(days=4),
    )
    unit = RoundUnit.objects.create(round=appraisal_round, sub_union=world.econ)
    Cadre.objects.create(round_unit=unit, person=world.zhang, post="院长", report_text="述职报告")
    EligibleVoter.objects.create(round_unit=unit, person=world.li, category="staff")
    return appraisal_round


def _round_case(world, step, source):
    from gonghui.accounts.roles import Role
    from gonghui.people.tests.factories import user_make

    actor = world.users["union_office"]
    if step.name == "release":
        actor = user_make(username="contract-zzb", roles=[Role.ORGANISATION_DEPARTMENT])
    return _round(world, source), actor, {}


def _rules_case(world, step, source):
    from gonghui.appraisals.models import AppraisalRules, Grade, VoterCategory

    rules = AppraisalRules.objects.create(year=2031, name="契约测试办法")
    VoterCategory.objects.create(edition=rules, code="staff", name="教职工", weight=1, counts_for_quorum=True)
    for position, (code, label) in enumerate((("good", "好"), ("fair", "较好"))):
        Grade.objects.create(
            edition=rules, kind="cadre", code=code, label=label, score=100 - position, position=position
        )
        Grade.objects.create(
            edition=rules, kind="team", code=code, label=label, score=100 - position, position=position
        )
    if source != "draft":
        AppraisalRules.objects.filter(pk=rules.pk).update(status=source)
        rules.refresh_from_db()
    kwargs: dict = {}
    if step.name == "adopt":
        kwargs["values"] = {"adopted_on": datetime.date(2021, 3, 10), "resolution": "党委组织部〔2021〕1号"}
    return rules, world.users["union_office"], kwargs


CONTRACT: dict[str, Callable] = {
    "appraisals.round": _round_case,
    "appraisals.appraisalrules": _rules_case,
}

__all__ = ["CONTRACT"]
