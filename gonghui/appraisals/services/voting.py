"""Voting: a voter's ballot for one unit, cast online through core's secret ballot store, and
the paper ballots handed out at a meeting that also votes online (so no one votes twice)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.accounts.access import get_access
from gonghui.appraisals.choices import RoundStatus, VotingMode
from gonghui.appraisals.models import EligibleVoter, PaperHandout, RoundUnit, Teller
from gonghui.core.ballots import ballot_cast, ballot_voter_mark
from gonghui.core.exceptions import ApplicationError, PermissionDenied
from gonghui.people.models import Person


def _window_require(unit: RoundUnit) -> None:
    appraisal_round = unit.round
    now = timezone.now()
    if appraisal_round.status != RoundStatus.VOTING_OPEN or now < appraisal_round.opens_at:
        if appraisal_round.status in (RoundStatus.DRAFT, RoundStatus.REPORTS_PUBLISHED):
            raise ApplicationError(_("投票尚未开始。"))
        raise ApplicationError(_("投票已截止。"))
    if now >= appraisal_round.closes_at:
        raise ApplicationError(_("投票已截止。"))


def appraisal_vote(*, actor, unit: RoundUnit, choices: dict) -> None:
    """`actor`'s ballot for the unit's cadres and team: every grade given, final once cast.
    Refused, with nothing written, outside the window, for someone not eligible, a second
    time, or with a grade missing or not on the scale."""
    person_id = get_access(actor).person_id
    _window_require(unit)
    if not unit.round.online or unit.box_id is None:
        raise ApplicationError(_("本次测评使用纸质选票，请在年会现场投票。"))
    if person_id is None or not EligibleVoter.objects.filter(round_unit=unit, person_id=person_id).exists():
        raise ApplicationError(_("您不在%(unit)s的投票人名单中。") % {"unit": unit.sub_union.name})
    both = unit.round.rules.mode == VotingMode.BOTH
    if both and PaperHandout.objects.filter(round_unit=unit, person_id=person_id).exists():
        raise ApplicationError(_("您已在年会现场领取纸质选票，不能再在网上投票。"))
    ballot_cast(box=unit.box, person_id=person_id, choices=choices)


def is_teller(actor, unit: RoundUnit) -> bool:
    person_id = get_access(actor).person_id
    return person_id is not None and Teller.objects.filter(round_unit=unit, person_id=person_id).exists()


@transaction.atomic
def paper_handout(*, actor, unit: RoundUnit, staff_no: str) -> PaperHandout:
    """A voter signs in and takes a paper ballot at a meeting that also votes online: from then
    on they cannot vote online (and someone who has cannot take a paper ballot)."""
    if not (is_teller(actor, unit) or actor.has_perm("appraisals.manage_appraisalround")):
        raise PermissionDenied
    _window_require(unit)
    if unit.round.rules.mode != VotingMode.BOTH or unit.box_id is None:
        raise ApplicationError(_("只有网上与纸质并用的测评需要登记领票。"))
    person = Person.objects.filter(staff_no=(staff_no or "").strip()).first()
    voter = EligibleVoter.objects.filter(round_unit=unit, person=person).first() if person else None
    if person is None or voter is None:
        raise ApplicationError(_("此工号不在本单位的投票人名单中。"), extra={"field": "staff_no"})
    ballot_voter_mark(box=unit.box, person_id=person.pk)
    return PaperHandout.objects.create(round_unit=unit, person=person, category=voter.category)
