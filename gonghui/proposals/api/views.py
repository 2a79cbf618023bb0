"""Proposals API: the same services and scoped selectors as the pages.

Reads: GET /api/proposals/ (scoped list), /api/proposals/<id>/, /api/proposals/similar/?text=,
/api/proposals/public/, /api/proposals/unit-board/, /api/proposals/report/?session=.
Writes: POST /api/proposals/ (a delegate's draft), POST /api/proposals/<id>/<action>/ (one
step: invite, co_sign, co_sign_withdraw, submit, withdraw, triage, presidium, units,
contact, co_input, reply, reply_sign_off, reply_release, reopen, rate, progress, close),
POST /api/proposals/sessions/<id>/<action>/ (handover, publish, award).
Errors have the one shape {"message", "extra"}.
"""

import datetime

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from gonghui.congress.models import CongressSession, Delegate
from gonghui.congress.selectors import delegate_for, rules_by_session, session_current
from gonghui.core.api import (
    HasRolePermission,
    OptionalDateField,
    OptionalIntegerField,
    OptionalText,
    PageParams,
    Pagination,
    body_values,
    query_values,
)
from gonghui.core.exceptions import ApplicationError, PermissionDenied
from gonghui.core.reports import plain
from gonghui.core.text import record_id
from gonghui.core.workflow import available_steps
from gonghui.people.models import UniversityUnit
from gonghui.proposals.choices import ProposalKind, ProposalStatus
from gonghui.proposals.models import Proposal, ProposalCategory
from gonghui.proposals.selectors import proposals as selectors
from gonghui.proposals.selectors.report import handling_report
from gonghui.proposals.services import handling, submission, triage
from gonghui.proposals.workflow import ProposalWorkflow


def proposal_data(p: Proposal, *, full: bool = False, user=None) -> dict:
    data = {
        "id": p.pk,
        "session": p.session_id,
        "number": p.number,
        "kind": p.kind,
        "status": p.status,
        "status_display": str(p.get_status_display()),
        "title": p.title,
        "category": p.category.name if p.category_id else None,
        "proposers": [{"name": pp.delegate.person.name, "role": pp.role} for pp in p.proposers.all()],
        "units": [{"unit": a.unit.name, "role": a.role, "deadline": a.deadline} for a in p.assignments.all()],
        "round": p.round,
    }
    if full:
        data.update(
            {
                "grounds": p.grounds,
                "suggestions": p.suggestions,
                "suggested_unit": p.suggested_unit.name if p.suggested_unit_id else None,
                "co_signers": [
                    {"name": c.delegate.person.name, "confirmed_at": c.confirmed_at}
                    for c in p.co_signatures.select_related("delegate__person")
                ],
                "replies": [
                    {
                        "round": r.round,
                        "category": r.category,
                        "body": r.body,
                        "target_date": r.target_date,
                        "reasons": r.reasons,
                        "released_at": r.released_at,
                        "on_time": r.on_time,
                    }
                    for r in p.replies.filter(released_at__isnull=False)
                ],
                "events": [
                    {"at": e.at, "step": e.step, "from": e.from_state, "to": e.to_state, "message": e.message}
                    for e in p.events.all()
                ],
                "next_steps": [
                    {"step": step.name, "label": str(step.label), "to": step.target}
                    for step in available_steps(ProposalWorkflow, p, user)
                ],
            }
        )
    return data


class DraftInput(serializers.Serializer):
    session = serializers.PrimaryKeyRelatedField(queryset=CongressSession.objects.all(), required=False)
    title = serializers.CharField(max_length=200)
    category = serializers.PrimaryKeyRelatedField(
        queryset=ProposalCategory.objects.all(), required=False, allow_null=True
    )
    grounds = serializers.CharField(required=False, allow_blank=True, default="")
    suggestions = serializers.CharField(required=False, allow_blank=True, default="")
    suggested_unit = serializers.PrimaryKeyRelatedField(
        queryset=UniversityUnit.objects.all(), required=False, allow_null=True
    )
    one_matter = serializers.BooleanField(default=False)
    collective = serializers.BooleanField(default=False)


class PublicFilters(serializers.Serializer):
    """The public register's filters: ids are integers, a status one of the statuses."""

    session = OptionalIntegerField()
    status = serializers.ChoiceField(choices=ProposalStatus.choices, required=False, allow_blank=True)
    category = OptionalIntegerField()
    unit = OptionalIntegerField()
    year = OptionalIntegerField(min_value=1900, max_value=9999)
    q = OptionalText(max_length=200)


class ProposalFilters(PublicFilters):
    kind = serializers.ChoiceField(choices=ProposalKind.choices, required=False, allow_blank=True)


class SimilarParams(serializers.Serializer):
    text = OptionalText(max_length=20000)
    session = OptionalIntegerField()
    k = OptionalIntegerField()
    min_score = serializers.FloatField(required=False, min_value=0, max_value=1)
    exclude = OptionalText(help_text="comma-separated proposal ids")


class ReportParams(serializers.Serializer):
    session = OptionalIntegerField()


class ActionInput(serializers.Serializer):
    """The body of a step on a proposal: a JSON object whose fields each step reads (see the
    module docstring); every field is optional here and the step's service checks what it needs."""

    delegates = serializers.ListField(child=serializers.IntegerField(), required=False)
    merge_into = OptionalIntegerField()
    lead_unit = OptionalIntegerField()
    co_units = serializers.ListField(child=serializers.IntegerField(), required=False)
    milestone = OptionalIntegerField()
    progress = OptionalIntegerField()
    contacted_on = OptionalDateField()
    target_date = OptionalDateField()
    until = OptionalDateField()
    due_on = OptionalDateField()
    reason = OptionalText()
    outcome = OptionalText()
    method = OptionalText()
    summary = OptionalText()
    text = OptionalText()
    category = OptionalText()
    body = OptionalText()
    reasons = OptionalText()
    leader_name = OptionalText()
    level = OptionalText()
    comment = OptionalText()
    title = OptionalText()
    note = OptionalText()


class SessionActionInput(serializers.Serializer):
    signed_on = OptionalDateField()
    note = OptionalText()
    kind = OptionalText()
    proposal = OptionalIntegerField()
    unit = OptionalIntegerField()


class ProposalListApi(APIView):
    """GET: the proposals the caller may see (filters: session, status, kind, category, unit,
    year, q). POST: a delegate starts a draft."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="proposals_list",
        responses=OpenApiTypes.OBJECT,
        parameters=[ProposalFilters, PageParams],
    )
    def get(self, request):
        filters = query_values(request, ProposalFilters)
        paginator = Pagination()
        page = paginator.paginate_queryset(selectors.proposal_list(user=request.user, filters=filters), request)
        return paginator.get_paginated_response([proposal_data(p) for p in page])

    @extend_schema(operation_id="proposals_draft_create", request=DraftInput, responses={201: OpenApiTypes.OBJECT})
    def post(self, request):
        data = DraftInput(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        session = d.get("session") or session_current()
        if session is None:
            raise ApplicationError(_("目前没有征集提案的会议。"))
        delegate = delegate_for(person=getattr(request.user, "person", None), session=session)
        proposal = submission.proposal_draft_create(
            actor=request.user,
            session=session,
            title=d["title"],
            category=d.get("category"),
            grounds=d["grounds"],
            suggestions=d["suggestions"],
            suggested_unit=d.get("suggested_unit"),
            one_matter=d["one_matter"],
            delegation=(delegate.delegation if d["collective"] and delegate else None),
        )
        return Response(proposal_data(proposal, full=True, user=request.user), status=201)


class ProposalDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, pk):
        try:
            proposal = selectors.proposal_get(user=request.user, pk=pk)
        except Proposal.DoesNotExist as exc:
            raise Http404 from exc
        return Response(proposal_data(proposal, full=True, user=request.user))


class SimilarApi(APIView):
    """The proposals most similar to `text` in this and earlier sessions, best first, with
    their scores (BM25 over character 1–2-grams, as a share of the best the text could reach).
    `k` (default 5, at most 20), `session` (default: the current one); without `min_score`, what
    the page shows of the best `k` (the best, and those close to it), with it, those scoring at
    least that."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses=OpenApiTypes.OBJECT,
        parameters=[SimilarParams],
    )
    def get(self, request):
        params = query_values(request, SimilarParams)
        text = params.get("text", "")
        session_id = params.get("session")
        session = CongressSession.objects.filter(pk=session_id).first() if session_id else session_current()
        k = max(1, min(20, params.get("k") or 5))
        min_score = params.get("min_score")
        exclude = [pk for x in params.get("exclude", "").split(",") if (pk := record_id(x))]
        results = (
            selectors.proposals_similar(text=text, session=session, k=k, exclude=exclude, min_score=min_score)
            if session
            else []
        )
        return Response(
            {
                "text": text,
                "session": session.pk if session else None,
                "results": [
                    {
                        "id": p.pk,
                        "title": p.title,
                        "number": p.number,
                        "session": str(p.session),
                        "status": p.status,
                        "status_display": str(p.get_status_display()),
                        "score": score,
                    }
                    for p, score in results
                ],
            }
        )


class PublicApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses=OpenApiTypes.OBJECT,
        parameters=[PublicFilters, PageParams],
    )
    def get(self, request):
        filters = query_values(request, PublicFilters)
        paginator = Pagination()
        page = paginator.paginate_queryset(selectors.public_register(filters=filters), request)
        out = []
        rules = rules_by_session(p.session_id for p in page)
        for p in page:
            fields = set(rules[p.session_id].public_fields) if p.session_id in rules else set()
            row = {"id": p.pk, "title": p.title, "session": str(p.session)}
            if "number" in fields:
                row["number"] = p.number
            if "category" in fields:
                row["category"] = p.category.name if p.category_id else None
            if "status" in fields:
                row["status"] = str(p.get_status_display())
            if "proposers" in fields:
                row["proposers"] = [pp.delegate.person.name for pp in p.proposers.all()]
            if "units" in fields:
                row["units"] = [a.unit.name for a in p.assignments.all()]
            if "suggestions" in fields:
                row["suggestions"] = p.suggestions
            if "reply" in fields:
                row["replies"] = [
                    {"round": r.round, "category": str(r.get_category_display()), "body": r.body}
                    for r in p.replies.all()
                ]
            out.append(row)
        return paginator.get_paginated_response(out)


class UnitBoardApi(APIView):
    permission_classes = [HasRolePermission]
    permission_required = "proposals.handle_proposal"

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request):
        rows = selectors.unit_assignments(user=request.user)
        return Response(
            {
                "assignments": [
                    {
                        "proposal": a.proposal_id,
                        "title": a.proposal.title,
                        "unit": a.unit.name,
                        "role": a.role,
                        "status": a.proposal.status,
                        "deadline": a.deadline,
                        "deadline_rule": {
                            "from": a.deadline_from,
                            "working_days": a.deadline_working_days,
                            "calendar": a.deadline_calendar,
                        },
                    }
                    for a in rows
                ],
                "statistics": [{**s, "unit": s["unit"].name} for s in selectors.unit_statistics(user=request.user)],
            }
        )


class ReportApi(APIView):
    """The handling report of a session (default: the current one; none: 404)."""

    permission_classes = [HasRolePermission]
    permission_required = "proposals.report_proposal"
    error_statuses = [404]

    @extend_schema(responses=OpenApiTypes.OBJECT, parameters=[ReportParams])
    def get(self, request):
        session_id = query_values(request, ReportParams).get("session")
        session = get_object_or_404(CongressSession, pk=session_id) if session_id else session_current()
        if session is None:
            raise Http404
        return Response(plain(handling_report(session=session).figures))


ACTION_ROLES = {
    "invite": "proposer",
    "submit": "proposer",
    "withdraw": "proposer",
    "rate": "rater",
    "co_sign": "co_signer",
    "co_sign_withdraw": "co_signer",
    "triage": "committee",
    "reopen": "committee",
    "close": "committee",
    "presidium": "presidium",
    "units": "office",
    "contact": "unit",
    "co_input": "unit",
    "reply": "unit",
    "reply_sign_off": "unit",
    "reply_release": "unit",
    "progress": "unit",
}


class ProposalActionApi(APIView):
    """One step on a proposal (see the module docstring for the actions and their fields)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="proposals_action",
        request=ActionInput,
        responses=OpenApiTypes.OBJECT,
        parameters=[OpenApiParameter("action", OpenApiTypes.STR, OpenApiParameter.PATH, enum=sorted(ACTION_ROLES))],
    )
    def post(self, request, pk, action):
        if action not in ACTION_ROLES:
            raise Http404
        proposal = get_object_or_404(
            selectors.proposals_actionable(user=request.user, as_role=ACTION_ROLES[action]), pk=pk
        )
        d, u = body_values(request, ActionInput), request.user
        if action == "invite":
            delegates = list(Delegate.objects.filter(pk__in=d.get("delegates", []), term_id=proposal.session.term_id))
            submission.co_signers_invite(proposal=proposal, actor=u, delegates=delegates)
        elif action == "submit":
            submission.proposal_submit(proposal=proposal, actor=u)
        elif action == "withdraw":
            submission.proposal_withdraw(proposal=proposal, actor=u, reason=d.get("reason", ""))
        elif action == "co_sign":
            submission.co_signature_confirm(proposal=proposal, actor=u)
        elif action == "co_sign_withdraw":
            submission.co_signature_withdraw(proposal=proposal, actor=u)
        elif action == "triage":
            target = Proposal.objects.filter(pk=d.get("merge_into") or 0).first()
            triage.proposal_triage(
                proposal=proposal, actor=u, outcome=d.get("outcome", ""), reason=d.get("reason", ""), merge_into=target
            )
        elif action == "presidium":
            triage.proposal_presidium_decide(
                proposal=proposal, actor=u, outcome=d.get("outcome", ""), reason=d.get("reason", "")
            )
        elif action == "units":
            lead = get_object_or_404(UniversityUnit, pk=d.get("lead_unit") or 0)
            co = list(UniversityUnit.objects.filter(pk__in=d.get("co_units", [])))
            triage.proposal_units_set(proposal=proposal, actor=u, lead_unit=lead, co_units=co)
        elif action == "contact":
            handling.contact_record(
                proposal=proposal,
                actor=u,
                contacted_on=d.get("contacted_on") or datetime.date.today(),
                method=d.get("method", "phone"),
                summary=d.get("summary", ""),
            )
        elif action == "co_input":
            handling.co_input_record(proposal=proposal, actor=u, text=d.get("text", ""))
        elif action == "reply":
            handling.reply_draft(
                proposal=proposal,
                actor=u,
                category=d.get("category", ""),
                body=d.get("body", ""),
                target_date=d.get("target_date"),
                reasons=d.get("reasons", ""),
            )
        elif action == "reply_sign_off":
            handling.reply_sign_off(proposal=proposal, actor=u, leader_name=d.get("leader_name", ""))
        elif action == "reply_release":
            handling.reply_release(proposal=proposal, actor=u)
        elif action == "reopen":
            until = d.get("until")
            if until is None:
                raise ApplicationError(_("请填写重新开放的截止日期。"))
            handling.reply_reopen(proposal=proposal, actor=u, until=until, reason=d.get("reason", ""))
        elif action == "rate":
            handling.rating_submit(proposal=proposal, actor=u, level=d.get("level", ""), comment=d.get("comment", ""))
        elif action == "progress":
            if d.get("title"):
                handling.milestone_add(proposal=proposal, actor=u, title=d["title"], due_on=d.get("due_on"))
            if d.get("progress") is not None:
                progress = d["progress"]
                milestone = proposal.milestones.filter(pk=d.get("milestone") or 0).first()
                handling.progress_update(
                    proposal=proposal, actor=u, progress=progress, note=d.get("note", ""), milestone=milestone
                )
        elif action == "close":
            handling.follow_up_close(proposal=proposal, actor=u, note=d.get("note", ""))
        proposal = (
            selectors.proposal_get(user=u, pk=pk)
            if Proposal.objects.restrict(u).filter(pk=pk).exists()
            else Proposal.objects.get(pk=pk)
        )
        return Response(proposal_data(proposal, full=True, user=request.user))


class SessionActionApi(APIView):
    """handover (office; signed_on, note), publish (office), award (committee; kind,
    proposal or unit)."""

    permission_classes = [HasRolePermission]

    @extend_schema(
        request=SessionActionInput,
        responses=OpenApiTypes.OBJECT,
        parameters=[
            OpenApiParameter("action", OpenApiTypes.STR, OpenApiParameter.PATH, enum=["award", "handover", "publish"])
        ],
    )
    def post(self, request, session_pk, action):
        session = get_object_or_404(CongressSession, pk=session_pk)
        d, u = body_values(request, SessionActionInput), request.user
        if action == "handover":
            if not u.has_perm("proposals.assign_proposal"):
                raise PermissionDenied
            signoff = triage.session_handover(
                session=session, actor=u, signed_on=d.get("signed_on"), note=d.get("note", "")
            )
            return Response({"handed_over": signoff.proposal_ids, "signed_on": signoff.signed_on})
        if action == "publish":
            if not u.has_perm("proposals.publish_proposal"):
                raise PermissionDenied
            return Response({"published": triage.session_publish(session=session, actor=u)})
        if action == "award":
            if not u.has_perm("proposals.award_proposal"):
                raise PermissionDenied
            award = triage.award_name(
                session=session,
                actor=u,
                kind=d.get("kind", ""),
                proposal=Proposal.objects.filter(pk=d.get("proposal") or 0).first(),
                unit=UniversityUnit.objects.filter(pk=d.get("unit") or 0).first(),
            )
            return Response({"award": award.pk, "kind": award.kind})
        raise Http404
