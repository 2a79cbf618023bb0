"""Pages: the delegate's proposals and editor (with similar proposals as they type), the
proposal page with the actions each role may take, the back-office list, unit and overdue
boards, statistics and awards, the handling report, the public register and catalogue.
Views are thin: forms validate fields, services decide, selectors read."""

import datetime

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from gonghui.accounts.access import get_access
from gonghui.congress.models import CongressSession
from gonghui.congress.selectors import delegate_for, session_current
from gonghui.core.excel import XLSX_CONTENT_TYPE
from gonghui.core.exceptions import ApplicationError
from gonghui.core.history import export_record
from gonghui.core.pages import MemberPageMixin, PermissionPageMixin, paginate, render_page_or_partial
from gonghui.core.text import record_id
from gonghui.core.ui import Column
from gonghui.core.views_kit import filters_checked, form_service_post, list_query
from gonghui.core.workflow import available_steps
from gonghui.people.models import UniversityUnit
from gonghui.proposals import forms
from gonghui.proposals.choices import ProposalStatus
from gonghui.proposals.models import Award, Proposal
from gonghui.proposals.selectors import proposals as selectors
from gonghui.proposals.selectors.report import (
    catalogue_pdf,
    handling_report,
    handling_report_pdf,
)
from gonghui.proposals.services import submission, triage
from gonghui.proposals.workflow import REPLYABLE, ProposalWorkflow

S = ProposalStatus


def _file_response(data: bytes, content_type: str, filename: str) -> HttpResponse:
    from urllib.parse import quote

    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


class HomeView(MemberPageMixin, View):
    """我的提案: the delegate's proposals, co-signing requests and the current session."""

    def get(self, request):
        session = session_current()
        delegate = delegate_for(person=getattr(request.user, "person", None), session=session) if session else None
        rules = session.rules_in_force() if session else None
        return render(
            request,
            "proposals/home.html",
            {
                "session": session,
                "rules": rules,
                "delegate": delegate,
                "window_open": bool(rules and rules.solicitation_open()),
                "proposals": selectors.my_proposals(user=request.user),
                "requests": selectors.co_sign_requests(user=request.user),
            },
        )


# what a proposer writes in a draft, the same on the new and the edit form
DRAFT_FIELDS = ("title", "category", "grounds", "suggestions", "suggested_unit", "one_matter")


def _form_page(request, form, *, session, delegate, proposal=None):
    """The proposal form, for a new proposal or a draft being edited, with the session's rules."""
    context = {
        "form": form,
        "session": session,
        "rules": session.rules_in_force(),
        "delegate": delegate,
        "proposal": proposal,
    }
    return render(request, "proposals/form.html", context)


def _refusal_above_form(form, error: ApplicationError) -> None:
    form.add_error(None, error.message)


def _to_proposal(proposal: Proposal):
    return redirect("proposals:detail", proposal.pk)


class ProposalCreateView(MemberPageMixin, View):
    """A delegate writes a proposal; similar proposals appear as they type (htmx)."""

    def _session(self):
        session = session_current()
        if session is None:
            raise Http404
        return session

    def get(self, request):
        session = self._session()
        delegate = delegate_for(person=getattr(request.user, "person", None), session=session)
        return _form_page(request, forms.ProposalForm(), session=session, delegate=delegate)

    def post(self, request):
        session = self._session()
        delegate = delegate_for(person=getattr(request.user, "person", None), session=session)
        form = forms.ProposalForm(request.POST, request.FILES)

        def create(data: dict) -> Proposal:
            return submission.proposal_draft_create(
                actor=request.user,
                session=session,
                uploaded_files=_uploaded_files(data),
                delegation=(delegate.delegation if data["collective"] and delegate else None),
                **{k: data[k] for k in DRAFT_FIELDS},
            )

        done = form_service_post(
            request,
            form,
            create,
            success=_("草稿已保存。下一步：邀请代表附议，或直接提交。"),
            then=_to_proposal,
            refused=_refusal_above_form,
        )
        return done or _form_page(request, form, session=session, delegate=delegate)


def _uploaded_files(data) -> list:
    return [data["attachment"]] if data.get("attachment") else []


class ProposalEditView(LoginRequiredMixin, View):
    def _proposal(self, request, pk):
        return get_object_or_404(selectors.proposals_actionable(user=request.user, as_role="proposer"), pk=pk)

    def get(self, request, pk):
        proposal = self._proposal(request, pk)
        initial = {k: getattr(proposal, k) for k in DRAFT_FIELDS}
        form = forms.ProposalForm(initial={**initial, "collective": bool(proposal.delegation_id)})
        return _form_page(request, form, session=proposal.session, delegate=True, proposal=proposal)

    def post(self, request, pk):
        proposal = self._proposal(request, pk)
        form = forms.ProposalForm(request.POST, request.FILES)

        def update(data: dict) -> Proposal:
            submission.proposal_draft_update(
                proposal=proposal,
                actor=request.user,
                uploaded_files=_uploaded_files(data),
                **{k: data[k] for k in DRAFT_FIELDS},
            )
            return proposal

        done = form_service_post(
            request, form, update, success=_("已保存。"), then=_to_proposal, refused=_refusal_above_form
        )
        return done or _form_page(request, form, session=proposal.session, delegate=True, proposal=proposal)


class SimilarPanelView(MemberPageMixin, View):
    """htmx: the proposals most similar to what is being typed."""

    def get(self, request):
        session = session_current()
        text = " ".join(request.GET.get(k, "") for k in ("title", "grounds", "suggestions", "text"))
        exclude = [pk] if (pk := record_id(request.GET.get("exclude"))) else []
        similar = selectors.proposals_similar(text=text, session=session, exclude=exclude) if session else []
        return render(request, "proposals/partials/_similar.html", {"similar": similar})


class ProposalDetailView(MemberPageMixin, View):
    def get(self, request, pk):
        try:
            proposal = selectors.proposal_get(user=request.user, pk=pk)
        except Proposal.DoesNotExist as exc:
            raise Http404 from exc
        roles = ProposalWorkflow.actor_relations(proposal, request.user)
        steps = {step.name for step in available_steps(ProposalWorkflow, proposal, request.user)}
        rules = proposal.session.rules_in_force()
        access = get_access(request.user)
        person = getattr(request.user, "person", None)
        my_co_signature = proposal.co_signatures.filter(delegate__person=person).first() if person else None
        lead = proposal.assignments.filter(role="lead").first()
        my_units = set(access.unit_ids)
        is_unit = access.writes_everything or proposal.assignments.filter(unit_id__in=my_units).exists()
        current_reply = proposal.replies.filter(round=proposal.round).first()
        rated = None
        if person:
            rated = proposal.ratings.filter(round=proposal.round, rater__person=person).first()
        can_rate = (
            proposal.status == S.REPLIED
            and rated is None
            and person is not None
            and (
                "proposer" in roles
                or (rules and rules.co_signers_rate and my_co_signature and my_co_signature.confirmed_at)
            )
        )
        committee = "committee" in roles
        # a rating shows its level's label from the session's scale, never its code
        ratings = [
            (r, rules.level_label(r.level) if rules else r.level)
            for r in proposal.ratings.select_related("rater__person")
        ]
        context = {
            "proposal": proposal,
            "rules": rules,
            "roles": roles,
            "steps": steps,
            "is_proposer": "proposer" in roles,
            "is_committee": committee,
            "is_lead_unit": "unit" in roles,
            "is_unit": is_unit and proposal.status in REPLYABLE | {S.REPLIED, S.FOLLOW_UP},
            "my_co_signature": my_co_signature,
            "co_signatures": proposal.co_signatures.select_related("delegate__person"),
            "confirmed": proposal.co_signatures.filter(confirmed_at__isnull=False).count(),
            "lead": lead,
            "locked": bool(lead and lead.locked_on(timezone.localdate())),
            "current_reply": current_reply,
            "replies": proposal.replies.filter(released_at__isnull=False).order_by("round"),
            "draft_reply": current_reply if current_reply and not current_reply.released_at else None,
            "can_rate": can_rate,
            "events": proposal.events.select_related("actor").order_by("at", "id"),
            "contacts": proposal.contacts.select_related("unit"),
            "milestones": proposal.milestones.all(),
            "ratings": ratings,
            "invite_form": forms.InviteForm(proposal=proposal) if "proposer" in roles else None,
            "triage_form": forms.TriageForm() if committee else None,
            "units_form": forms.UnitsForm() if "office" in roles else None,
            "contact_form": forms.ContactForm(initial={"contacted_on": timezone.localdate()}),
            "reply_form": forms.ReplyForm(
                initial=(
                    {
                        "category": current_reply.category,
                        "body": current_reply.body,
                        "target_date": current_reply.target_date,
                        "reasons": current_reply.reasons,
                    }
                    if current_reply and not current_reply.released_at
                    else None
                )
            ),
            "rating_form": forms.RatingForm(rules=rules),
            "duplicates": (
                selectors.duplicate_candidates(proposal=proposal)
                if committee and proposal.status in (S.SUBMITTED, S.UNDER_REVIEW, S.REFERRED)
                else []
            ),
            "today": timezone.localdate(),
        }
        return render(request, "proposals/detail.html", context)


class ProposalListView(PermissionPageMixin, View):
    """The committee's, office's, auditors' and units' list (each sees their scope)."""

    permission_required = "proposals.view_proposal"

    def get(self, request):
        filters = filters_checked(request, forms.ProposalFilterForm)
        qs = selectors.proposal_list(user=request.user, filters=filters)
        if request.GET.get("format") == "xlsx":
            from gonghui.core.pages import export_list

            export_record(
                request.user, what=_("导出提案列表"), object_type="proposals.proposal", query=request.GET.urlencode()
            )
            return export_list(
                filename="提案列表.xlsx",
                sheet_title="提案",
                rows=qs,
                columns=[
                    (_("会议"), lambda p: str(p.session)),
                    (_("编号"), lambda p: p.number),
                    (_("案由"), lambda p: p.title),
                    (_("类别"), lambda p: str(p.category or "")),
                    (_("类型"), lambda p: p.get_kind_display()),
                    (_("状态"), lambda p: p.get_status_display()),
                    (_("提案人"), lambda p: "、".join(pp.delegate.person.name for pp in p.proposers.all())),
                ],
            )
        page = paginate(request, qs)
        current = session_current()
        return render_page_or_partial(
            request,
            "proposals/list.html",
            "proposals/partials/_table.html",
            {
                "page": page,
                "filters": filters,
                "filter_form": forms.ProposalFilterBar(request.GET),
                "query": list_query(request),
                # the selector orders by session and number: no column sorts
                "columns": [
                    Column(_("编号")),
                    Column(_("案由")),
                    Column(_("状态")),
                    Column(_("提案人")),
                    Column(_("主办单位")),
                ],
                "current": current,
                "current_rules": current.rules_in_force() if current else None,
            },
        )


class UnitBoardView(PermissionPageMixin, View):
    """A unit's proposals, deadlines and on-time rate (an officer sees only their unit);
    `?awaiting=1` keeps those waiting for the unit's reply (the workbench links here)."""

    permission_required = "proposals.handle_proposal"

    def get(self, request):
        if request.GET.get("awaiting") == "1":
            assignments = selectors.awaiting_reply(user=request.user)
        else:
            assignments = selectors.unit_assignments(user=request.user)
        return render(
            request,
            "proposals/unit_board.html",
            {
                "assignments": assignments,
                "stats": selectors.unit_statistics(user=request.user),
                "today": timezone.localdate(),
            },
        )


class OverdueBoardView(PermissionPageMixin, View):
    permission_required = "proposals.view_proposal"

    def get(self, request):
        return render(
            request,
            "proposals/overdue.html",
            {"assignments": selectors.overdue_board(user=request.user), "today": timezone.localdate()},
        )


class StatsView(PermissionPageMixin, View):
    """Each unit's on-time, satisfaction and re-handling rates; best proposals and units."""

    permission_required = "proposals.report_proposal"

    def get(self, request, session_pk):
        session = get_object_or_404(CongressSession, pk=session_pk)
        return render(
            request,
            "proposals/stats.html",
            {
                "session": session,
                "stats": selectors.unit_statistics(user=request.user, session=session),
                "awards": Award.objects.filter(session=session).select_related("proposal", "unit"),
                "can_award": request.user.has_perm("proposals.award_proposal"),
                "registered": Proposal.objects.filter(session=session, number__isnull=False).order_by("number"),
                "units": UniversityUnit.objects.all(),
            },
        )


class AwardView(PermissionPageMixin, View):
    permission_required = "proposals.award_proposal"

    def post(self, request, session_pk):
        session = get_object_or_404(CongressSession, pk=session_pk)
        kind = request.POST.get("kind", "")
        proposal = Proposal.objects.filter(session=session, pk=request.POST.get("proposal") or 0).first()
        unit = UniversityUnit.objects.filter(pk=request.POST.get("unit") or 0).first()
        try:
            triage.award_name(session=session, actor=request.user, kind=kind, proposal=proposal, unit=unit)
            messages.success(request, _("已评选。"))
        except ApplicationError as error:
            messages.error(request, error.message)
        return redirect("proposals:stats", session.pk)


class HandoverView(PermissionPageMixin, View):
    """The office records the leader's sign-off of the register and assignments."""

    permission_required = "proposals.assign_proposal"

    def post(self, request, session_pk):
        session = get_object_or_404(CongressSession, pk=session_pk)
        try:
            signed_on = datetime.date.fromisoformat(request.POST.get("signed_on") or timezone.localdate().isoformat())
            signoff = triage.session_handover(
                session=session, actor=request.user, signed_on=signed_on, note=request.POST.get("note", "")
            )
            messages.success(request, _("已交办 %(n)s 件。") % {"n": len(signoff.proposal_ids)})
        except ValueError:
            messages.error(request, _("日期格式不正确。"))
        except ApplicationError as error:
            messages.error(request, error.message)
        return redirect(reverse("proposals:list") + f"?session={session.pk}")


class PublishView(PermissionPageMixin, View):
    permission_required = "proposals.publish_proposal"

    def post(self, request, session_pk):
        session = get_object_or_404(CongressSession, pk=session_pk)
        count = triage.session_publish(session=session, actor=request.user)
        messages.success(request, _("已公示 %(n)s 件提案。") % {"n": count})
        return redirect("proposals:public")


class ReportView(PermissionPageMixin, View):
    """The handling report for the next session: page, .xlsx or PDF."""

    permission_required = "proposals.report_proposal"

    def get(self, request, session_pk):
        session = get_object_or_404(CongressSession.objects.select_related("term__congress"), pk=session_pk)
        report = handling_report(session=session)
        fmt = request.GET.get("format")
        if fmt in ("xlsx", "pdf"):  # the proposals with their proposers' names
            export_record(request.user, what=_("导出提案办理情况报告"), obj=session, query=f"format={fmt}")
        if fmt == "xlsx":
            return _file_response(report.xlsx(), XLSX_CONTENT_TYPE, f"{session}提案办理情况.xlsx")
        if fmt == "pdf":
            return _file_response(handling_report_pdf(report), "application/pdf", f"{session}提案办理情况.pdf")
        return render(
            request,
            "proposals/report.html",
            {"report": report.figures, "charts": report.charts, "session": session},
        )


class PublicListView(MemberPageMixin, View):
    """公示: the published register and released replies, for all staff."""

    def get(self, request):
        filters = filters_checked(request, forms.ProposalFilterForm)
        filters.pop("kind", None)
        page = paginate(request, selectors.public_register(filters=filters), per_page=20)
        session = session_current()
        rules = session.rules_in_force() if session else None
        return render_page_or_partial(
            request,
            "proposals/public.html",
            "proposals/partials/_public_table.html",
            {
                "page": page,
                "filters": filters,
                "fields": set(rules.public_fields) if rules else set(),
                "filter_form": forms.ProposalFilterBar(request.GET, public=True),
                "query": list_query(request),
            },
        )


class CatalogueView(MemberPageMixin, View):
    """提案汇编 (PDF) of a session's registered proposals: public once published."""

    def get(self, request, session_pk):
        session = get_object_or_404(CongressSession.objects.select_related("term__congress"), pk=session_pk)
        published_only = not request.user.has_perm("proposals.report_proposal")
        return _file_response(
            catalogue_pdf(session=session, published_only=published_only), "application/pdf", f"{session}提案汇编.pdf"
        )
