"""Submission by delegates: drafts, co-signatures (附议) confirmed in person, collective
submission by a delegation, the solicitation window, withdrawal."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.accounts.access import Actor
from gonghui.congress.models import CongressSession, Delegate
from gonghui.congress.selectors import delegate_for, session_rules
from gonghui.core.exceptions import ApplicationError, PermissionDenied
from gonghui.core.history import AuditAction
from gonghui.core.service_kit import audit, required_text
from gonghui.core.workflow import transition
from gonghui.proposals.choices import ProposalEventStep, ProposalKind, ProposalStatus, ProposerRole
from gonghui.proposals.models import CoSignature, Proposal, ProposalProposer
from gonghui.proposals.workflow import PROPOSER, ProposalWorkflow, notify_proposers, proposal_url, relation_require

S = ProposalStatus
E = ProposalEventStep
EDITABLE = (S.DRAFT,)
TEXT_FIELDS = ["title", "category", "grounds", "suggestions", "suggested_unit", "one_matter"]
# The purpose of a proposal's attached files (registered in proposals/registrations.py).
ATTACHMENT_PURPOSE = "proposal"


def _person(actor):
    return getattr(actor, "person", None) if actor is not None else None


def _delegate_or_refuse(*, actor: Actor, session: CongressSession, message: str) -> Delegate:
    delegate = delegate_for(person=_person(actor), session=session)
    if delegate is None:
        raise PermissionDenied(message)
    return delegate


def _require_proposer(proposal: Proposal, actor: Actor) -> None:
    relation_require(proposal, actor, PROPOSER, _("只有提案人可以进行此操作。"))


@transaction.atomic
def proposal_draft_create(
    *,
    actor: Actor,
    session: CongressSession,
    title: str,
    category=None,
    grounds: str = "",
    suggestions: str = "",
    suggested_unit=None,
    one_matter: bool = False,
    delegation=None,
    uploaded_files=(),
) -> Proposal:
    """A delegate starts a proposal (a draft). Only serving delegates of the session's term
    may; a delegation's collective proposal is started by its head. `uploaded_files` are
    stored as its attachments once the draft may be made (a refusal stores none)."""
    delegate = _delegate_or_refuse(actor=actor, session=session, message=_("只有本届教代会代表可以提出提案。"))
    session_rules(session)  # no proposals before the session's rules are adopted
    if delegation is not None and (delegation.term_id != session.term_id or delegation.head_id != delegate.person_id):
        raise PermissionDenied(_("只有代表团团长可以以代表团名义提出集体提案。"))
    title = required_text(title, _("请填写案由（提案标题）。"))
    proposal = Proposal.objects.create(
        session=session,
        title=title,
        category=category,
        grounds=grounds.strip(),
        suggestions=suggestions.strip(),
        suggested_unit=suggested_unit,
        one_matter=one_matter,
        delegation=delegation,
        created_by=actor,
    )
    ProposalProposer.objects.create(proposal=proposal, delegate=delegate, role=ProposerRole.ORIGINAL)
    _attachments_add(proposal, actor, uploaded_files)
    ProposalWorkflow.record(proposal, E.CREATED, actor, message=_("创建草稿"))
    audit(actor, proposal, AuditAction.CREATED, person_id=delegate.person_id)
    return proposal


@transaction.atomic
def proposal_draft_update(*, proposal: Proposal, actor: Actor, uploaded_files=(), **fields) -> Proposal:
    """Change a draft. A proposal awaiting co-signers goes back to draft first (its text is
    what co-signers confirmed)."""
    _require_proposer(proposal, actor)
    if proposal.status not in EDITABLE:
        raise ApplicationError(_("只有草稿可以修改；征集附议中的提案请先退回草稿。"))
    unknown = set(fields) - set(TEXT_FIELDS)
    if unknown:
        raise ApplicationError(_("不能修改这些字段：%(fields)s") % {"fields": ", ".join(sorted(unknown))})
    if "title" in fields and not (fields["title"] or "").strip():
        raise ApplicationError(_("请填写案由（提案标题）。"))
    for name, value in fields.items():
        setattr(proposal, name, value.strip() if isinstance(value, str) else value)
    proposal.save()
    _attachments_add(proposal, actor, uploaded_files)
    return proposal


def _attachments_add(proposal: Proposal, actor: Actor, uploaded_files) -> None:
    """Store the proposer's files (photos, PDFs) through gonghui.attachments and attach them."""
    from gonghui.attachments.services import attachment_store

    attachments = [
        attachment_store(
            uploaded_file=uploaded_file,
            uploaded_by=actor,
            owner_person=_person(actor),
            purpose=ATTACHMENT_PURPOSE,
        )
        for uploaded_file in uploaded_files
    ]
    if attachments:
        proposal.attachments.add(*attachments)


@transaction.atomic
def co_signers_invite(*, proposal: Proposal, actor: Actor, delegates) -> list[CoSignature]:
    """The proposer asks delegates to co-sign; each must confirm personally. Moves a draft
    to 征集附议."""
    _require_proposer(proposal, actor)
    if proposal.status not in (S.DRAFT, S.AWAITING_CO_SIGNERS):
        raise ApplicationError(_("提交后不能再邀请附议人。"))
    proposer_ids = set(proposal.proposers.values_list("delegate_id", flat=True))
    created = []
    for delegate in delegates:
        if delegate.term_id != proposal.session.term_id:
            raise ApplicationError(_("%(name)s 不是本届代表，不能附议。") % {"name": delegate.person.name})
        if delegate.pk in proposer_ids:
            raise ApplicationError(_("提案人不能附议自己的提案。"))
        row, made = CoSignature.objects.get_or_create(proposal=proposal, delegate=delegate)
        if made:
            created.append(row)
    if not created:
        return []
    if proposal.status == S.DRAFT:
        transition(ProposalWorkflow, proposal, to=S.AWAITING_CO_SIGNERS, actor=actor)
    ProposalWorkflow.record(
        proposal, E.CO_SIGNER_INVITED, actor, parameters={"delegates": [row.delegate_id for row in created]}
    )
    from gonghui.notifications.services import notification_send

    users = [getattr(row.delegate.person, "user", None) for row in created]
    notification_send(
        recipients=[u for u in users if u is not None and u.is_active],
        title=_("请确认附议提案“%(title)s”") % {"title": proposal.title[:40]},
        url=proposal_url(proposal),
        kind="proposals.co_sign",
    )
    return created


@transaction.atomic
def co_signature_confirm(*, proposal: Proposal, actor: Actor) -> CoSignature:
    """A delegate confirms their co-signature, in person (their own sign-in)."""
    delegate = _delegate_or_refuse(actor=actor, session=proposal.session, message=_("只有本届教代会代表可以附议提案。"))
    if proposal.proposers.filter(delegate=delegate).exists():
        raise ApplicationError(_("提案人不能附议自己的提案。"))
    if proposal.status not in (S.DRAFT, S.AWAITING_CO_SIGNERS):
        raise ApplicationError(_("提案已提交，不能再附议。"))
    row = CoSignature.objects.select_for_update().filter(proposal=proposal, delegate=delegate).first()
    if row is None:
        raise ApplicationError(_("提案人没有邀请您附议这份提案。"))
    if row.confirmed_at is None:
        row.confirmed_at = timezone.now()
        row.save(update_fields=["confirmed_at"])
        ProposalWorkflow.record(proposal, E.CO_SIGNED, actor, parameters={"delegate": delegate.pk})
        notify_proposers(
            proposal=proposal, actor=actor, title=_("%(name)s 已附议您的提案") % {"name": delegate.person.name}
        )
    return row


@transaction.atomic
def co_signature_withdraw(*, proposal: Proposal, actor: Actor) -> None:
    """A co-signer takes back their co-signature: only before the proposal is submitted."""
    person = _person(actor)
    row = CoSignature.objects.filter(proposal=proposal, delegate__person=person).first() if person else None
    if row is None:
        raise ApplicationError(_("您没有附议这份提案。"))
    if proposal.status not in (S.DRAFT, S.AWAITING_CO_SIGNERS):
        raise ApplicationError(_("提案提交后不能撤回附议。"))
    ProposalWorkflow.record(
        proposal,
        E.CO_SIGN_WITHDRAWN,
        actor,
        parameters={"delegate": row.delegate_id, "was_confirmed": row.confirmed_at is not None},
    )
    row.delete()


@transaction.atomic
def proposal_return_to_draft(*, proposal: Proposal, actor: Actor) -> Proposal:
    """The proposer takes a proposal awaiting co-signers back to edit it; confirmations
    are cleared, since co-signers confirmed the earlier text."""
    _require_proposer(proposal, actor)
    confirmed = proposal.co_signatures.filter(confirmed_at__isnull=False)
    transition(
        ProposalWorkflow,
        proposal,
        to=S.DRAFT,
        actor=actor,
        message=_("退回草稿修改，已清除 %(n)s 个附议确认") % {"n": confirmed.count()},
    )
    confirmed.update(confirmed_at=None)
    return proposal


@transaction.atomic
def proposal_submit(*, proposal: Proposal, actor: Actor, now: datetime.datetime | None = None) -> Proposal:
    """Submit: one matter confirmed, the required text, and at least the session's number
    of confirmed co-signers (a delegation's collective proposal needs none). Before the
    window opens it is refused; after the deadline it is taken as an opinion (意见建议)."""
    _require_proposer(proposal, actor)
    rules = session_rules(proposal.session)
    now = now or timezone.now()
    if proposal.status not in (S.DRAFT, S.AWAITING_CO_SIGNERS):
        raise ApplicationError(_("提案已提交。"))
    if now < rules.solicitation_opens_at:
        raise ApplicationError(_("本次会议的提案征集尚未开始。"))
    missing = [
        label
        for field, label in (("title", _("案由")), ("grounds", _("理由")), ("suggestions", _("办法和建议")))
        if not getattr(proposal, field).strip()
    ]
    if proposal.category_id is None:
        missing.append(_("类别"))
    if missing:
        raise ApplicationError(_("请填写：%(fields)s") % {"fields": "、".join(str(m) for m in missing)})
    if not proposal.one_matter:
        raise ApplicationError(_("提案应一事一案：请确认本提案只涉及一件事。"))
    late = now > rules.solicitation_closes_at
    confirmed = proposal.co_signatures.filter(confirmed_at__isnull=False).count()
    if not late and proposal.delegation_id is None and confirmed < rules.min_co_signers:
        raise ApplicationError(
            _("附议人不足：需要至少 %(need)s 名代表确认附议，目前 %(have)s 名。")
            % {"need": rules.min_co_signers, "have": confirmed},
            extra={"need": rules.min_co_signers, "have": confirmed},
        )
    message = ""
    if late:
        proposal.kind = ProposalKind.OPINION
        proposal.save(update_fields=["kind", "updated_at"])
        message = _("提案征集已于 %(deadline)s 截止，本件作为意见建议处理。") % {
            "deadline": timezone.localtime(rules.solicitation_closes_at).strftime("%Y-%m-%d %H:%M")
        }
    # Invitations nobody confirmed lapse at submission.
    proposal.co_signatures.filter(confirmed_at__isnull=True).delete()
    return transition(
        ProposalWorkflow,
        proposal,
        to=S.SUBMITTED,
        actor=actor,
        message=message,
        parameters={"co_signers": confirmed, "late": late},
    )


@transaction.atomic
def proposal_withdraw(*, proposal: Proposal, actor: Actor, reason: str = "") -> Proposal:
    """The proposer withdraws, before the committee has taken it up."""
    _require_proposer(proposal, actor)
    return transition(ProposalWorkflow, proposal, to=S.WITHDRAWN, actor=actor, message=reason)
