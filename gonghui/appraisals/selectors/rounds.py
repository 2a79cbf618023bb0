"""Reading rounds: what each person may see of them, what blocks the next step, and what a voter
has to do. Every read goes through the scoped querysets of models.py."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.accounts.access import get_access
from gonghui.appraisals.choices import RoundStatus, VotingMode
from gonghui.appraisals.models import (
    AppraisalRound,
    Cadre,
    EligibleVoter,
    PaperHandout,
    RoundUnit,
    Teller,
    reads_results,
)
from gonghui.core.models import BallotVoter


def round_list(*, user) -> QuerySet[AppraisalRound]:
    return (
        AppraisalRound.objects.restrict(user)
        .select_related("rules")
        .annotate(unit_count=Count("units", distinct=True))
        .order_by("-year", "-id")
    )


def round_get(*, user, pk: int) -> AppraisalRound | None:
    return AppraisalRound.objects.restrict(user).select_related("rules").filter(pk=pk).first()


def round_is_insider(user, appraisal_round: AppraisalRound) -> bool:
    """Those who run or read the whole round (setup, turnout): the office, auditors, the
    organisation department; not its voters."""
    access = get_access(user)
    return access.reads_everything or reads_results(access)


def unit_list(*, user, appraisal_round: AppraisalRound) -> QuerySet[RoundUnit]:
    units = RoundUnit.objects.restrict(user).filter(round=appraisal_round).select_related("sub_union", "box")
    access = get_access(user)
    if not round_is_insider(user, appraisal_round):
        # a college's officer reads their own college's units, a voter the units they vote in
        condition = Q(pk__in=[])
        if access.person_id is not None:
            person = access.person_id
            condition |= Q(Exists(EligibleVoter.objects.filter(round_unit=OuterRef("pk"), person_id=person)))
            condition |= Q(Exists(Teller.objects.filter(round_unit=OuterRef("pk"), person_id=person)))
        if access.sub_union_ids:
            condition |= Q(sub_union_id__in=access.sub_union_ids)
        units = units.filter(condition)
    return units.annotate(
        cadre_count=Count("cadres", distinct=True),
        voter_count=Count("voters", distinct=True),
        teller_count=Count("tellers", distinct=True),
    ).order_by("sub_union__sort_key", "sub_union__code", "pk")


def unit_get(*, user, pk: int) -> RoundUnit | None:
    unit = RoundUnit.objects.restrict(user).select_related("round__rules", "sub_union", "box").filter(pk=pk).first()
    if unit is None:
        return None
    return unit_list(user=user, appraisal_round=unit.round).filter(pk=pk).select_related("round__rules").first()


def round_setup_problems(appraisal_round: AppraisalRound) -> list[str]:
    """What stops the reports from going out: units without cadres, voters, reports or (with
    paper ballots) two tellers; the reports too late for the voting time."""
    problems = []
    units = list(
        RoundUnit.objects.filter(round=appraisal_round)
        .select_related("sub_union")
        .annotate(
            cadre_count=Count("cadres", distinct=True),
            voter_count=Count("voters", distinct=True),
            teller_count=Count("tellers", distinct=True),
        )
        .order_by("sub_union__sort_key", "sub_union__code")
    )
    if not units:
        return [_("还没有参评单位。")]
    for unit in units:
        name = unit.sub_union.name
        if not unit.cadre_count:
            problems.append(_("%(unit)s没有被测评干部") % {"unit": name})
        if not unit.voter_count:
            problems.append(_("%(unit)s没有投票人") % {"unit": name})
        if appraisal_round.paper and unit.teller_count != 2:
            problems.append(_("%(unit)s须有两位计票人") % {"unit": name})
    missing = Cadre.objects.filter(round_unit__round=appraisal_round, report_text="", report_file__isnull=True)
    if missing.exists():
        names = "、".join(str(c.person.name) for c in missing.select_related("person")[:5])
        problems.append(_("%(n)s 位干部还没有述职报告（%(names)s）") % {"n": missing.count(), "names": names})
    days = appraisal_round.rules.report_days
    if timezone.now() + datetime.timedelta(days=days) > appraisal_round.opens_at:
        problems.append(
            _("述职报告须在投票开始前 %(days)s 天公开：投票开始时间须推迟，或者提前公开。") % {"days": days}
        )
    return problems


@dataclass(frozen=True)
class MyBallot:
    """A unit where the person may vote in an open round, and whether they have."""

    unit: RoundUnit
    category: str
    voted: bool
    paper_only: bool


def my_ballots(*, user, rounds: QuerySet[AppraisalRound] | None = None) -> list[MyBallot]:
    """The units the signed-in person votes in, in rounds whose reports are out."""
    person_id = get_access(user).person_id
    if person_id is None:
        return []
    statuses = (RoundStatus.REPORTS_PUBLISHED, RoundStatus.VOTING_OPEN)
    voters = (
        EligibleVoter.objects.filter(person_id=person_id, round_unit__round__status__in=statuses)
        .select_related("round_unit__round__rules", "round_unit__sub_union")
        .order_by("round_unit__round__opens_at", "round_unit__sub_union__sort_key")
    )
    if rounds is not None:
        voters = voters.filter(round_unit__round__in=rounds)
    rows = list(voters)
    boxes = [v.round_unit.box_id for v in rows if v.round_unit.box_id]
    voted = set(
        BallotVoter.objects.filter(box_id__in=boxes, person_id=person_id, voted=True).values_list("box_id", flat=True)
    )
    return [
        MyBallot(
            unit=v.round_unit,
            category=v.category,
            voted=v.round_unit.box_id in voted,
            paper_only=v.round_unit.round.rules.mode == VotingMode.PAPER,
        )
        for v in rows
    ]


def voter_category(*, user, unit: RoundUnit) -> str | None:
    person_id = get_access(user).person_id
    if person_id is None:
        return None
    return EligibleVoter.objects.filter(round_unit=unit, person_id=person_id).values_list("category", flat=True).first()


def has_voted(*, user, unit: RoundUnit) -> bool:
    person_id = get_access(user).person_id
    if person_id is None or unit.box_id is None:
        return False
    return BallotVoter.objects.filter(box_id=unit.box_id, person_id=person_id, voted=True).exists()


def took_paper(*, user, unit: RoundUnit) -> bool:
    person_id = get_access(user).person_id
    return person_id is not None and PaperHandout.objects.filter(round_unit=unit, person_id=person_id).exists()


def cadres_of(unit: RoundUnit) -> QuerySet[Cadre]:
    return Cadre.objects.filter(round_unit=unit).select_related("person").order_by("position", "pk")


def voters_by_category(unit: RoundUnit) -> dict[str, int]:
    return dict(
        EligibleVoter.objects.filter(round_unit=unit)
        .values_list("category")
        .annotate(n=Count("pk"))
        .values_list("category", "n")
    )
