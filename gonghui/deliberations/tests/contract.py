"""Deliberations' cases for the cross-module workflow contract test: a record in the step's
source state whose guards hold (a published version with an article; the deliberation awaiting
the drafting unit's answers for an answer), the union office (who stands in every relation)
and the keyword arguments `transition` needs."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from gonghui.deliberations.choices import DeliberationStatus, VersionStatus


def _session():
    from gonghui.congress.models import Congress, CongressSession, CongressTerm

    congress = Congress.objects.create(name="契约测试教代会")
    term = CongressTerm.objects.create(congress=congress, number=1, starts_on=datetime.date(2020, 9, 1))
    return CongressSession.objects.create(
        term=term, number=1, opens_on=datetime.date(2021, 6, 25), closes_on=datetime.date(2021, 6, 26)
    )


def _deliberation(world, status=DeliberationStatus.DRAFTING, *, published=True):
    from gonghui.deliberations.models import Article, Deliberation, DraftVersion

    deliberation = Deliberation.objects.create(
        session=_session(), topic="契约测试方案", drafting_unit=world.logistics, status=status
    )
    version = DraftVersion.objects.create(deliberation=deliberation, number=1, title="契约测试方案")
    Article.objects.create(version=version, position=1, label="第一条", text="条文")
    if published:
        DraftVersion.objects.filter(pk=version.pk).update(status=VersionStatus.PUBLISHED)
    return deliberation, version


def _deliberation_case(world, step, source):
    deliberation, _version = _deliberation(world, source)
    return deliberation, world.users["union_office"], {"message": "契约测试"}


def _version_case(world, step, source):
    _deliberation_made, version = _deliberation(world, published=False)
    version.refresh_from_db()
    return version, world.users["union_office"], {}


def _group_case(world, step, source):
    from django.utils import timezone

    from gonghui.deliberations.models import OpinionGroup, OpinionRound

    deliberation, version = _deliberation(world, DeliberationStatus.AWAITING_RESPONSE)
    now = timezone.now()
    opinion_round = OpinionRound.objects.create(
        deliberation=deliberation,
        version=version,
        number=1,
        opens_at=now - datetime.timedelta(days=10),
        closes_at=now - datetime.timedelta(days=1),
        sent_at=now,
    )
    group = OpinionGroup.objects.create(round=opinion_round, number=1, summary="契约测试意见", status=source)
    return group, world.users["union_office"], {"message": "契约测试理由"}


def _vote_rules_case(world, step, source):
    from gonghui.deliberations.models import VoteRules

    rules = VoteRules.objects.create(session=_session(), status=source)
    kwargs: dict = {}
    if step.name == "adopt":
        kwargs["values"] = {"adopted_on": datetime.date(2021, 3, 10), "resolution": "第一届教代会主席团决定"}
    return rules, world.users["union_office"], kwargs


CONTRACT: dict[str, Callable] = {
    "deliberations.deliberation": _deliberation_case,
    "deliberations.draftversion": _version_case,
    "deliberations.opiniongroup": _group_case,
    "deliberations.voterules": _vote_rules_case,
}

__all__ = ["CONTRACT"]
