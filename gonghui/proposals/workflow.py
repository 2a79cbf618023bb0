"""The proposal's workflow (DOMAIN §3.4, ADR 0005): which status may follow which, who may
take each step and whom a step tells. Every status change goes through core's
`transition` with ProposalWorkflow; events that are not a change of status (a co-signature,
a contact, a reply drafted …) go into the same table with `event_record`.

Who may take a step is a relation to the proposal (`ProposalWorkflow.relations`):
"proposer" (a proposer, or the head of the delegation that proposes it), "committee" (the
proposals committee), "presidium" (a member of the session's presidium), "office" (the
union office, the congress's working body, which may also record the committee's and the
presidium's decisions and act for a unit) and "unit" (an officer of the lead unit).
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gonghui.accounts.access import Actor, get_access
from gonghui.accounts.roles import Role
from gonghui.core.exceptions import PermissionDenied
from gonghui.core.workflow import Step, Workflow, workflow_register
from gonghui.proposals.choices import (
    BEFORE_COMMITTEE,
    REGISTERED_OR_LATER,
    REPLYABLE,
    SIMILARITY_HIDDEN,
    WITH_UNITS,
    AssignmentRole,
)
from gonghui.proposals.choices import ProposalStatus as S
from gonghui.proposals.models import HandlingAssignment, Proposal, ProposalEvent

PROPOSER, COMMITTEE, PRESIDIUM, OFFICE, UNIT = "proposer", "committee", "presidium", "office", "unit"


def _step(name, sources, target, label, relation, **kwargs) -> Step:
    return Step.of(name, sources, target, label, relations={relation}, **kwargs)


@workflow_register
class ProposalWorkflow(Workflow):
    name = "proposals.proposal"
    model = Proposal
    event_model = ProposalEvent
    states = S
    initial = (S.DRAFT,)
    person_field = None
    noun = gettext_lazy("提案")
    path = (S.DRAFT, S.SUBMITTED, S.UNDER_REVIEW, S.REGISTERED, S.ASSIGNED, S.IN_HANDLING, S.REPLIED, S.CLOSED)
    relation_labels = {
        PROPOSER: gettext_lazy("提案人"),
        COMMITTEE: gettext_lazy("提案工作委员会"),
        PRESIDIUM: gettext_lazy("大会主席团"),
        OFFICE: gettext_lazy("校工会"),
        UNIT: gettext_lazy("承办单位"),
    }
    steps = (
        _step("invite", S.DRAFT, S.AWAITING_CO_SIGNERS, gettext_lazy("征集附议"), PROPOSER),
        _step("return_to_draft", S.AWAITING_CO_SIGNERS, S.DRAFT, gettext_lazy("退回草稿"), PROPOSER),
        _step(
            "submit",
            (S.DRAFT, S.AWAITING_CO_SIGNERS),
            S.SUBMITTED,
            gettext_lazy("提交"),
            PROPOSER,
            stamps=("submitted_at",),
        ),
        _step("withdraw", (S.DRAFT, S.AWAITING_CO_SIGNERS, S.SUBMITTED), S.WITHDRAWN, gettext_lazy("撤回"), PROPOSER),
        _step("review", S.SUBMITTED, S.UNDER_REVIEW, gettext_lazy("开始审查"), COMMITTEE),
        _step("register", S.UNDER_REVIEW, S.REGISTERED, gettext_lazy("立案"), COMMITTEE, stamps=("registered_at",)),
        _step("merge", S.UNDER_REVIEW, S.MERGED, gettext_lazy("并案"), COMMITTEE),
        _step("to_opinion", S.UNDER_REVIEW, S.OPINION, gettext_lazy("转为意见建议"), COMMITTEE),
        _step(
            "not_register",
            S.UNDER_REVIEW,
            S.NOT_REGISTERED,
            gettext_lazy("不予立案"),
            COMMITTEE,
            message_required=True,
        ),
        _step("refer", S.UNDER_REVIEW, S.REFERRED, gettext_lazy("提交主席团"), COMMITTEE, message_required=True),
        _step(
            "presidium_register",
            S.REFERRED,
            S.REGISTERED,
            gettext_lazy("主席团决定立案"),
            PRESIDIUM,
            stamps=("registered_at",),
        ),
        _step("presidium_opinion", S.REFERRED, S.OPINION, gettext_lazy("主席团决定转为意见建议"), PRESIDIUM),
        _step(
            "presidium_not_register",
            S.REFERRED,
            S.NOT_REGISTERED,
            gettext_lazy("主席团决定不予立案"),
            PRESIDIUM,
            message_required=True,
        ),
        _step(
            "hand_over",
            (S.REGISTERED, S.OPINION),
            S.ASSIGNED,
            gettext_lazy("审签交办"),
            OFFICE,
            permission="proposals.assign_proposal",
            stamps=("signed_off_at",),
        ),
        _step("start_handling", S.ASSIGNED, S.IN_HANDLING, gettext_lazy("开始办理"), UNIT),
        _step("reply", (S.IN_HANDLING, S.REHANDLING), S.REPLIED, gettext_lazy("发布答复"), UNIT),
        _step("accept", S.REPLIED, S.CLOSED, gettext_lazy("提案人认可答复"), PROPOSER, stamps=("closed_at",)),
        _step("rehandle", S.REPLIED, S.REHANDLING, gettext_lazy("不满意，重新办理"), PROPOSER, message_required=True),
        _step("follow_up", S.REPLIED, S.FOLLOW_UP, gettext_lazy("持续跟踪"), PROPOSER),
        _step("close", S.FOLLOW_UP, S.CLOSED, gettext_lazy("办结"), COMMITTEE, stamps=("closed_at",)),
    )

    @classmethod
    def relations(cls, obj, actor) -> set[str]:
        from gonghui.congress.selectors import is_presidium_member

        access = get_access(actor)
        relations = set()
        if access.person_id and (
            obj.proposers.filter(delegate__person_id=access.person_id).exists()
            or (obj.delegation_id and obj.delegation.head_id == access.person_id)
        ):
            relations.add(PROPOSER)
        if access.writes_everything:
            relations |= {OFFICE, COMMITTEE, PRESIDIUM, UNIT}
        if Role.PROPOSALS_COMMITTEE in access.roles:
            relations.add(COMMITTEE)
        if access.person_id and is_presidium_member(person_id=access.person_id, session=obj.session):
            relations.add(PRESIDIUM)
        if (
            Role.HANDLING_UNIT_OFFICER in access.roles
            and obj.assignments.filter(unit_id__in=access.unit_ids, role=AssignmentRole.LEAD).exists()
        ):
            relations.add(UNIT)
        return relations

    @classmethod
    def effects(cls, obj, event, actor) -> None:
        """The proposers hear of the committee's, the presidium's, the office's and the
        lead unit's steps (not of their own, nor of intermediate ones); a hand-over tells
        the units; re-handling tells the lead unit, and the office when it is escalated."""
        _proposers_tell(obj, event, actor)
        if _crosses_similarity_line(event.from_state, event.to_state):
            _similar_index_rebuild()
        if event.step == "hand_over":
            _units_tell_handover([obj.pk], event)
        if event.step == "rehandle":
            _units_tell_rehandling(obj, event)

    @classmethod
    def effects_bulk(cls, batch, step, actor) -> None:
        """A session's hand-over: each proposal's proposers, then the units once."""
        ids = batch.values("subject_id")
        events = {e.subject_id: e for e in batch}
        if any(_crosses_similarity_line(source, step.target) for source in step.sources):
            _similar_index_rebuild()
        for proposal in Proposal.objects.filter(pk__in=ids).order_by("pk"):
            _proposers_tell(proposal, events[proposal.pk], actor)
        if step.name == "hand_over" and events:
            _units_tell_handover(ids, next(iter(events.values())))


def _crosses_similarity_line(source: str, target: str) -> bool:
    """A step that puts a proposal into the similar-proposals search or takes it out."""
    return (source in SIMILARITY_HIDDEN) != (target in SIMILARITY_HIDDEN)


def _similar_index_rebuild() -> None:
    from gonghui.proposals.tasks import similar_index_rebuild

    similar_index_rebuild.enqueue()


# The steps whose outcome the proposers are told (the others they take themselves, or are
# intermediate: review starts, handling starts).
TELLS_PROPOSERS = frozenset(
    {
        "register",
        "merge",
        "to_opinion",
        "not_register",
        "refer",
        "presidium_register",
        "presidium_opinion",
        "presidium_not_register",
        "hand_over",
        "reply",
        "close",
    }
)


def relation_require(proposal: Proposal, actor: Actor, relation: str, message: str) -> None:
    """Refuse (PermissionDenied with `message`) unless `actor` stands in `relation` to the
    proposal: for the steps on a proposal that are not a change of status."""
    if relation not in ProposalWorkflow.actor_relations(proposal, actor):
        raise PermissionDenied(message)


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


def unit_officers(unit_ids) -> list:
    from gonghui.accounts.models import User

    return list(
        User.objects.filter(
            is_active=True,
            role_assignments__role=Role.HANDLING_UNIT_OFFICER,
            role_assignments__university_unit_id__in=unit_ids,
        ).distinct()
    )


def _proposers_tell(proposal, event, actor) -> None:
    if event.step in TELLS_PROPOSERS and event.parameters.get("notify", True):
        notify_proposers(
            proposal=proposal,
            actor=actor,
            title=_("您的提案“%(title)s”：%(status)s")
            % {"title": proposal.title[:40], "status": S(event.to_state).label},
            body=event.message,
        )
    if event.step == "reply" and event.parameters.get("co_signers_rate"):
        notify_proposers(
            proposal=proposal,
            actor=actor,
            include_co_signers=True,
            title=_("提案“%(title)s”已答复，请评价") % {"title": proposal.title[:40]},
        )


def _units_tell_handover(ids, event) -> None:
    from gonghui.notifications.services import notification_send

    units = HandlingAssignment.objects.filter(proposal_id__in=ids).values_list("unit_id", flat=True).distinct()
    notification_send(
        recipients=unit_officers(list(units)),
        title=_("收到交办的教代会提案，答复期限 %(deadline)s") % {"deadline": event.parameters.get("deadline", "")},
        url=reverse("proposals:unit_board"),
        kind="proposals.assigned",
    )


def _units_tell_rehandling(proposal, event) -> None:
    from gonghui.accounts.models import User
    from gonghui.notifications.services import notification_send

    lead = proposal.assignments.filter(role=AssignmentRole.LEAD).values_list("unit_id", flat=True)
    notification_send(
        recipients=unit_officers(list(lead)),
        title=_("提案“%(title)s”提案人不满意，请重新办理（第 %(round)s 轮）")
        % {"title": proposal.title[:30], "round": proposal.round},
        body=event.message,
        url=proposal_url(proposal),
        kind="proposals.rehandling",
    )
    if event.parameters.get("escalated"):
        office = User.objects.filter(is_active=True, role_assignments__role=Role.UNION_OFFICE).distinct()
        notification_send(
            recipients=list(office),
            title=_("提案“%(title)s”已重新办理 %(n)s 轮仍不满意，请报分管校领导协调")
            % {"title": proposal.title[:30], "n": event.parameters["rounds"]},
            url=proposal_url(proposal),
            kind="proposals.escalated",
        )


__all__ = [
    "BEFORE_COMMITTEE",
    "REGISTERED_OR_LATER",
    "REPLYABLE",
    "TELLS_PROPOSERS",
    "WITH_UNITS",
    "ProposalWorkflow",
    "notify_proposers",
    "proposal_url",
    "relation_require",
    "unit_officers",
]
