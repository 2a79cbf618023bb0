"""The vote: the presidium (or the union office for it) puts the latest version to the
congress and records the result, by show of hands or secret ballot, as counts. The session's
vote rules (a core rule edition) decide: a quorum of the term's serving delegates present,
and more than half of the base voting for."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from gonghui.congress.models import Delegate
from gonghui.core.editions import EditionStatus
from gonghui.core.exceptions import ApplicationError
from gonghui.core.workflow import transition
from gonghui.deliberations.choices import DeliberationStatus, VoteMethod
from gonghui.deliberations.models import Deliberation, Vote, VoteRules
from gonghui.deliberations.workflow import PRESIDIUM, DeliberationWorkflow, deliberation_relations


def vote_rules_in_force(session) -> VoteRules | None:
    return VoteRules.objects.filter(session=session, status=EditionStatus.ADOPTED).first()


def serving_delegates(deliberation: Deliberation, on: datetime.date):
    """The term's delegates serving on `on`: elected by then, not ended before."""
    return Delegate.objects.current(on).filter(
        Q(elected_on__isnull=True) | Q(elected_on__lte=on), term_id=deliberation.session.term_id
    )


def delegates_serving(deliberation: Deliberation, on: datetime.date) -> int:
    return serving_delegates(deliberation, on).count()


@transaction.atomic
def vote_call(*, actor, deliberation: Deliberation) -> Deliberation:
    """Put the latest published version to the vote (every opinion answered first)."""
    if vote_rules_in_force(deliberation.session) is None:
        raise ApplicationError(
            _("%(session)s的表决规则尚未通过：请先通过表决规则。") % {"session": deliberation.session}
        )
    return transition(DeliberationWorkflow, deliberation, step="put_to_vote", actor=actor)


def _count(value, label: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = -1
    if number < 0:
        raise ApplicationError(_("%(label)s须为不小于 0 的整数。") % {"label": label}, extra={"field": label})
    return number


@transaction.atomic
def vote_record(
    *,
    actor,
    deliberation: Deliberation,
    method: str,
    present,
    votes_for,
    votes_against,
    abstentions,
    held_on: datetime.date,
    ballot_box=None,
) -> Vote:
    """Record the counts; the outcome follows from the rules in force. Refused, with nothing
    written: counts above the delegates present, more present than serving, no quorum."""
    if PRESIDIUM not in deliberation_relations(deliberation, actor):
        from gonghui.core.exceptions import PermissionDenied

        raise PermissionDenied
    deliberation = Deliberation.objects.select_for_update().get(pk=deliberation.pk)
    if deliberation.status != DeliberationStatus.VOTING:
        raise ApplicationError(_("尚未提交表决，或已录入表决结果。"))
    if method not in VoteMethod.values:
        raise ApplicationError(_("请选择表决方式。"), extra={"field": "method"})
    rules = vote_rules_in_force(deliberation.session)
    if rules is None:
        raise ApplicationError(_("表决规则尚未通过。"))
    present = _count(present, _("实到代表"))
    counts = {
        "votes_for": _count(votes_for, _("赞成")),
        "votes_against": _count(votes_against, _("反对")),
        "abstentions": _count(abstentions, _("弃权")),
    }
    delegates = delegates_serving(deliberation, held_on)
    if present > delegates:
        raise ApplicationError(
            _("实到代表 %(present)s 人，超过应到代表 %(delegates)s 人。")
            % {"present": present, "delegates": delegates},
            extra={"field": "present"},
        )
    cast = sum(counts.values())
    if cast > present:
        raise ApplicationError(
            _("赞成、反对、弃权合计 %(cast)s 票，超过实到代表 %(present)s 人。") % {"cast": cast, "present": present},
            extra={"field": "votes_for"},
        )
    quorum = rules.quorum_for(delegates)
    if present < quorum:
        raise ApplicationError(
            _("实到代表 %(present)s 人，不足法定人数 %(quorum)s 人（应到 %(delegates)s 人），表决无效。")
            % {"present": present, "quorum": quorum, "delegates": delegates},
            extra={"field": "present"},
        )
    needed = rules.majority_for(delegates=delegates, present=present)
    adopted = counts["votes_for"] >= needed
    version = deliberation.latest_version()
    assert version is not None  # put_to_vote required a published version
    vote = Vote.objects.create(
        deliberation=deliberation,
        version=version,
        rules=rules,
        method=method,
        delegates=delegates,
        present=present,
        adopted=adopted,
        held_on=held_on,
        ballot_box=ballot_box,
        recorded_by=actor,
        **counts,
    )
    transition(
        DeliberationWorkflow,
        deliberation,
        step="adopt" if adopted else "reject",
        actor=actor,
        message=str(vote),
        parameters={**counts, "present": present, "delegates": delegates, "needed": needed, "version": version.pk},
    )
    return vote


@transaction.atomic
def vote_rules_adopt(
    *,
    actor,
    session,
    quorum_numerator: int,
    quorum_denominator: int,
    majority_base: str,
    adopted_on: datetime.date,
    resolution: str,
) -> VoteRules:
    """A new edition of the session's vote rules, adopted at once (the one in force is
    superseded): what the presidium or the congress decided, recorded by the office."""
    from gonghui.core.editions import edition_adopt
    from gonghui.core.exceptions import PermissionDenied

    if actor is None or not actor.has_perm("deliberations.change_voterules"):
        raise PermissionDenied
    if not 0 < quorum_numerator <= quorum_denominator:
        raise ApplicationError(_("法定人数须为不大于 1 的分数，如 2/3。"), extra={"field": "quorum_numerator"})
    in_force = vote_rules_in_force(session)
    edition = VoteRules.objects.create(
        session=session,
        quorum_numerator=quorum_numerator,
        quorum_denominator=quorum_denominator,
        majority_base=majority_base,
        based_on=in_force,
        created_by=actor,
    )
    edition_adopt(actor=actor, edition=edition, adopted_on=adopted_on, resolution=resolution)
    return VoteRules.objects.get(pk=edition.pk)


# --- the secret ballot, through core's ballot store -------------------------------------------

VOTE_OPTIONS = [["for", "赞成"], ["against", "反对"], ["abstain", "弃权"]]


def ballot_subject(deliberation: Deliberation) -> str:
    return f"deliberations.vote:{deliberation.pk}"


def ballot_open_box(deliberation: Deliberation):
    from gonghui.core.models import BallotBox, BallotBoxStatus

    return BallotBox.objects.filter(subject=ballot_subject(deliberation), status=BallotBoxStatus.OPEN).first()


def _presidium(actor, deliberation: Deliberation) -> None:
    if PRESIDIUM not in deliberation_relations(deliberation, actor):
        from gonghui.core.exceptions import PermissionDenied

        raise PermissionDenied


@transaction.atomic
def ballot_open(*, actor, deliberation: Deliberation, closes_at: datetime.datetime | None = None):
    """Open a secret ballot on the version put to the vote: the term's serving delegates vote
    for, against or abstain on their phones; what each voted is never linked to them."""
    from django.utils import timezone

    from gonghui.core.ballots import Voter, ballot_box_open

    _presidium(actor, deliberation)
    deliberation = Deliberation.objects.select_for_update().get(pk=deliberation.pk)
    if deliberation.status != DeliberationStatus.VOTING:
        raise ApplicationError(_("尚未提交表决，或已录入表决结果。"))
    if closes_at is not None and closes_at <= timezone.now():
        raise ApplicationError(_("截止时间已过，请重新选择。"), extra={"field": "closes_at"})
    version = deliberation.latest_version()
    assert version is not None  # put_to_vote required a published version
    delegates = serving_delegates(deliberation, timezone.localdate()).select_related("delegation")
    box = ballot_box_open(
        actor=actor,
        kind="deliberations.vote",
        subject=ballot_subject(deliberation),
        title=f"{deliberation.topic}（{version}）",
        items=[{"key": "vote", "label": f"{deliberation.topic}（{version}）", "options": VOTE_OPTIONS}],
        voters=[
            Voter(
                person_id=d.person_id,
                category="teacher" if d.is_teacher else "staff",
                unit_id=d.delegation.sub_union_id if d.delegation_id else None,
            )
            for d in delegates
        ],
        closes_at=closes_at,
    )
    DeliberationWorkflow.record(deliberation, "ballot_opened", actor, message=str(version), parameters={"box": box.pk})
    from gonghui.deliberations.services import notices

    transaction.on_commit(lambda: notices.ballot_open_tell(deliberation))
    return box


def ballot_vote(*, actor, deliberation: Deliberation, choice: str) -> None:
    """A delegate's secret ballot: for, against or abstain; final."""
    from gonghui.core.ballots import ballot_cast
    from gonghui.core.exceptions import PermissionDenied

    person_id = getattr(actor, "person_id", None)
    if person_id is None:
        raise PermissionDenied
    box = ballot_open_box(deliberation)
    if box is None:
        raise ApplicationError(_("现在没有进行中的投票。"))
    ballot_cast(box=box, person_id=person_id, choices={"vote": choice})


@transaction.atomic
def ballot_count(*, actor, deliberation: Deliberation, held_on: datetime.date) -> Vote:
    """Close the ballot and record its count as the vote: those who voted are present; the
    rules in force decide (quorum, majority)."""
    from gonghui.core.ballots import ballot_box_close, ballot_tally

    _presidium(actor, deliberation)
    box = ballot_open_box(deliberation)
    if box is None:
        raise ApplicationError(_("现在没有进行中的投票。"))
    box = ballot_box_close(actor=actor, box=box)
    tally = ballot_tally(box)
    counts = tally.counts["vote"]
    return vote_record(
        actor=actor,
        deliberation=deliberation,
        method=VoteMethod.SECRET_BALLOT,
        present=tally.voted,
        votes_for=counts["for"],
        votes_against=counts["against"],
        abstentions=counts["abstain"],
        held_on=held_on,
        ballot_box=box,
    )
