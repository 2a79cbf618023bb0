"""What may follow what, and who may take each step: the module's three core workflows
(DOMAIN §3.2). Every change of state goes through `gonghui.core.workflow.transition` or
`transition_bulk` with one of these; nothing else writes a status.

- Plan editions: core's rule-edition lifecycle (draft → adopted → superseded).
- Enrollments: enrolled → on the roster (the roster export, in bulk) → accepted or rejected
  (the insurer's acceptance file, in bulk); a later file may correct an answer (accepted ↔
  rejected), a declared step that needs its reason; cover ends during the term.
- Claims: the office checks the checklist, submits, and mirrors the insurer's decision; the
  member (or the office for them) withdraws a claim not yet submitted.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gonghui.core.editions import edition_workflow
from gonghui.core.workflow import SYSTEM, Attempt, Step, Workflow, workflow_register
from gonghui.insurance.choices import ClaimStatus as S
from gonghui.insurance.choices import EnrollmentStatus as E
from gonghui.insurance.models import (
    ClaimEvent,
    PlanClaim,
    PlanEdition,
    PlanEditionEvent,
    PlanEnrollment,
    PlanEnrollmentEvent,
)

PlanEditionWorkflow = edition_workflow(PlanEdition, PlanEditionEvent, permission="insurance.adopt_planedition")

ROSTER = "insurance.add_rosterexport"
ENROLL = "insurance.enroll_planedition"
FORWARD = "insurance.forward_planclaim"
CORRECTION = gettext_lazy("更正承保结果")


_roster = Step.by(ROSTER)


@workflow_register
class EnrollmentWorkflow(Workflow):
    name = "insurance.planenrollment"
    model = PlanEnrollment
    event_model = PlanEnrollmentEvent
    states = E
    initial = (E.ENROLLED,)
    noun = gettext_lazy("参保记录")
    steps = (
        _roster("file", E.ENROLLED, E.ON_ROSTER, gettext_lazy("报送参保名单")),
        _roster("accept", E.ON_ROSTER, E.ACCEPTED, gettext_lazy("承保")),
        _roster("reject", E.ON_ROSTER, E.REJECTED, gettext_lazy("拒保"), message_required=True),
        # The insurer answers again for someone it had answered: a correction, with its reason.
        _roster("correct_accept", E.REJECTED, E.ACCEPTED, CORRECTION, message_required=True),
        _roster("correct_reject", E.ACCEPTED, E.REJECTED, CORRECTION, message_required=True),
        Step.of(
            "end",
            (E.ENROLLED, E.ON_ROSTER, E.ACCEPTED),
            E.ENDED,
            gettext_lazy("终止保障"),
            permission=ENROLL,
            relations={SYSTEM},
            message_required=True,
        ),
    )


def _documents_missing(attempt: Attempt) -> str | None:
    if not attempt.obj.missing_documents():
        return _("材料已齐全")
    return None


def _documents_complete(attempt: Attempt) -> str | None:
    missing = attempt.obj.missing_documents()
    if missing:
        return _("材料不全：%(docs)s") % {"docs": "、".join(missing)}
    return None


_forward = Step.by(FORWARD)


@workflow_register
class ClaimWorkflow(Workflow):
    name = "insurance.planclaim"
    model = PlanClaim
    event_model = ClaimEvent
    states = S
    initial = (S.REPORTED,)
    noun = gettext_lazy("理赔")
    person_relation = "claimant"
    path = (S.REPORTED, S.DOCUMENTS_PENDING, S.READY, S.SUBMITTED, S.PAID)
    steps = (
        _forward(
            "request_documents",
            (S.REPORTED, S.READY, S.RETURNED),
            S.DOCUMENTS_PENDING,
            gettext_lazy("待补材料"),
            guards=(_documents_missing,),
        ),
        _forward(
            "complete",
            (S.REPORTED, S.DOCUMENTS_PENDING),
            S.READY,
            gettext_lazy("材料齐全"),
            guards=(_documents_complete,),
        ),
        _forward(
            "submit", (S.READY, S.RETURNED), S.SUBMITTED, gettext_lazy("递交保险互助会"), guards=(_documents_complete,)
        ),
        _forward("return", S.SUBMITTED, S.RETURNED, gettext_lazy("退回补材料"), message_required=True),
        _forward("pay", S.SUBMITTED, S.PAID, gettext_lazy("登记赔付")),
        _forward("refuse", S.SUBMITTED, S.REFUSED, gettext_lazy("拒赔"), message_required=True),
        _forward(
            "withdraw",
            (S.REPORTED, S.DOCUMENTS_PENDING, S.READY),
            S.WITHDRAWN,
            gettext_lazy("撤回理赔"),
            relations={"claimant"},
        ),
    )

    @classmethod
    def effects(cls, obj, event, actor) -> None:
        """Tell the member: at registration what to hand in, then at every step."""
        from gonghui.accounts.models import User
        from gonghui.notifications.services import notification_send

        plan = obj.edition.plan.name
        if event.step == "created":
            title = _("您的%(plan)s理赔已登记") % {"plan": plan}
            body = _("需提交的材料：%(docs)s") % {"docs": "、".join(obj.edition.required_documents) or "—"}
        else:
            title = _("您的%(plan)s理赔：%(status)s") % {"plan": plan, "status": event.to_label}
            body = event.message
        notification_send(
            recipients=User.objects.filter(person_id=obj.person_id, is_active=True),
            title=title,
            body=body,
            url=reverse("insurance:my_claim_detail", args=[obj.pk]),
            kind="insurance.claim",
        )


# Claims still being handled, and what a document may be added to.
CLAIM_OPEN = {S.REPORTED, S.DOCUMENTS_PENDING, S.READY, S.SUBMITTED, S.RETURNED}
CLAIM_EDITABLE = {S.REPORTED, S.DOCUMENTS_PENDING, S.READY, S.RETURNED}
# Enrollments that count as insured (on the figures and the portal).
INSURED = {E.ENROLLED, E.ON_ROSTER, E.ACCEPTED, E.ENDED}
