"""The one service that moves a proposal from one status to another.

Every status change — by a proposer, the committee, the presidium, the union office or a
handling unit — goes through proposal_transition, so that TRANSITIONS and ACTORS in
gonghui.proposals.workflow hold everywhere and every step leaves a ProposalEvent (the
proposal's history) and an AuditEvent.
"""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.accounts.access import get_access
from gonghui.accounts.roles import Role
from gonghui.core.exceptions import InvalidTransition, PermissionDenied
from gonghui.core.history import AuditAction, audit_event_record
from gonghui.proposals.choices import AssignmentRole, ProposalEventType, ProposalStatus
from gonghui.proposals.models import Proposal, ProposalEvent
from gonghui.proposals.workflow import actors_for, can_transition

S = ProposalStatus


def _user(actor):
    return actor if (actor is not None and getattr(actor, "is_authenticated", False)) else None


def proposal_actor_roles(*, proposal: Proposal, user) -> set[str]:
    """What `user` may act as on this proposal: proposer, committee, presidium, office, unit.

    The union office is the congress's working body: it may record the committee's and the
    presidium's decisions and act for a unit. A presidium member acts as the presidium."""
    from gonghui.congress.selectors import is_presidium_member

    if user is None:
        return {"system"}
    access = get_access(user)
    roles = set()
    if access.person_id and (
        proposal.proposers.filter(delegate__person_id=access.person_id).exists()
        or (proposal.delegation_id and proposal.delegation.head_id == access.person_id)
    ):
        roles.add("proposer")
    if access.writes_everything:
        roles |= {"office", "committee", "presidium", "unit"}
    if Role.PROPOSALS_COMMITTEE in access.roles:
        roles.add("committee")
    if access.person_id and is_presidium_member(person_id=access.person_id, session=proposal.session):
        roles.add("presidium")
    if (
        Role.HANDLING_UNIT_OFFICER in access.roles
        and proposal.assignments.filter(unit_id__in=access.unit_ids, role=AssignmentRole.LEAD).exists()
    ):
        roles.add("unit")
    return roles


def proposal_event_record(*, proposal, type, actor, message="", parameters=None, from_status="", to_status=""):
    return ProposalEvent.objects.create(
        proposal=proposal,
        type=type,
        actor=_user(actor),
        message=str(message or ""),
        parameters=parameters or {},
        from_status=from_status,
        to_status=to_status,
    )


def proposal_url(proposal) -> str:
    return reverse("proposals:detail", args=[proposal.pk])


def notify_proposers(*, proposal, actor, title: str, body: str = "", include_co_signers: bool = False) -> None:
    from gonghui.notifications.services import notification_send

    users = []
    for proposer in proposal.proposers.select_related("delegate__person__user"):
        users.append(getattr(proposer.delegate.person, "user", None))
    if include_co_signers:
        for co in proposal.co_signatures.filter(confirmed_at__isnull=False).select_related("delegate__person__user"):
            users.append(getattr(co.delegate.person, "user", None))
    actor_pk = getattr(actor, "pk", None)
    users = [u for u in users if u is not None and u.is_active and u.pk != actor_pk]
    if users:
        notification_send(recipients=users, title=title, body=body, url=proposal_url(proposal), kind="proposals")


@transaction.atomic
def proposal_transition(
    *,
    proposal: Proposal,
    to_status: str,
    actor,
    message: str = "",
    parameters: dict | None = None,
    check_actor: bool = True,
    notify: bool = True,
) -> Proposal:
    """Move `proposal` to `to_status` if TRANSITIONS allows it and `actor` may take the step.

    Locks the row and re-reads its status (two committee members clicking at once cannot
    both move it), records a ProposalEvent and an AuditEvent, and tells the proposers.
    Raises InvalidTransition for a step the table does not allow and PermissionDenied for
    an actor the step is not for; nothing is written then.
    """
    locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
    from_status = locked.status
    if not can_transition(from_status, to_status):
        raise InvalidTransition(
            _("提案当前状态为“%(current)s”，不能改为“%(target)s”。")
            % {"current": S(from_status).label, "target": S(to_status).label}
        )
    if check_actor and not (actors_for(from_status, to_status) & proposal_actor_roles(proposal=locked, user=actor)):
        raise PermissionDenied(_("您无权进行此操作。"))
    now = timezone.now()
    locked.status = to_status
    update_fields = ["status", "updated_at"]
    stamps = {S.SUBMITTED: "submitted_at", S.REGISTERED: "registered_at", S.CLOSED: "closed_at"}
    if to_status in stamps:
        setattr(locked, stamps[to_status], now)
        update_fields.append(stamps[to_status])
    locked.save(update_fields=update_fields)
    proposal_event_record(
        proposal=locked,
        type=ProposalEventType.STATUS,
        actor=actor,
        message=message,
        parameters=parameters,
        from_status=from_status,
        to_status=to_status,
    )
    audit_event_record(
        actor=actor,
        obj=locked,
        action=AuditAction.STATUS_CHANGED,
        message=message,
        changes={"status": [str(S(from_status).label), str(S(to_status).label)]},
    )
    if notify:
        notify_proposers(
            proposal=locked,
            actor=actor,
            title=_("您的提案“%(title)s”：%(status)s") % {"title": locked.title[:40], "status": S(to_status).label},
            body=message,
        )
    for name in update_fields:
        setattr(proposal, name, getattr(locked, name))
    return locked
